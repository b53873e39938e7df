"""Plans through the web: an administrator uploads a plan text, previews what it would store, then confirms.

Nothing is stored until the confirmation; the preview runs the ingest and rolls it back.
"""

import logging

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.views.decorators.http import require_POST

from accounts.access import require_administrator

from ..access import get_upload_for_administrator
from ..ingestion.regions import RegionQuestion
from ..ingestion.results import IngestResult
from ..ingestion.uploads import (
    StaleChoices,
    agency_rows,
    apply_upload,
    choose_region,
    correct_upload,
    preview_upload,
)
from ..models import PlanUpload
from ..parsing import PlanFormatError
from ..upload_forms import PlanUploadForm, RegionChoiceForm, ResolutionForm, UploadCorrectionForm, submitted_choices
from ..warnings import group_warnings

logger = logging.getLogger(__name__)

RECENT_UPLOADS = 10
PREVIEW_TASKS = 200


def upload(request):
    require_administrator(request, "只有系统管理员可以上传方案。")
    form = PlanUploadForm(request.POST, request.FILES) if request.method == "POST" else PlanUploadForm()
    if form.is_bound and form.is_valid():
        return redirect(form.save(request.user))
    context = {
        "form": form,
        # The file bytes stay in the database; a list needs only what describes them.
        "recent": PlanUpload.objects.select_related("plan", "uploaded_by").defer("data", "plan__source_text")[
            :RECENT_UPLOADS
        ],
    }
    return render(request, "plans/plan_upload.html", context, status=400 if form.errors else 200)


def upload_detail(request, upload_id: int):
    record = get_upload_for_administrator(request, upload_id)
    context = {"record": record}
    if record.status == PlanUpload.Status.PENDING and record.converting:
        # The page refreshes itself until the task (plans.tasks.convert_upload) has converted the file.
        context["converting"] = True
    elif record.status == PlanUpload.Status.PENDING and record.conversion_error:
        context["error"] = record.conversion_error
    elif record.status == PlanUpload.Status.PENDING:
        context.update(_preview_context(record))
    return render(request, "plans/upload_detail.html", context)


def _preview_context(record: PlanUpload, region_form: RegionChoiceForm | None = None, corrections=None) -> dict:
    """The preview of a pending upload; `corrections` is what a person posted to correct it, for the form."""
    try:
        result = preview_upload(record)
    except RegionQuestion as question:
        # The likeliest candidate comes first and is chosen already: often one click settles it.
        likeliest = {"region": question.candidates[0].code} if question.candidates else None
        form = region_form or RegionChoiceForm(question.candidates, initial=likeliest)
        return {"question": question, "region_form": form}
    except PlanFormatError as error:
        return {"error": str(error)}
    except Exception as error:  # a preview refuses what it cannot show; it never answers 500
        return {"error": unexpected(record, error, "预览")}
    rows = agency_rows(result)
    return {
        "result": result,
        "corrections": UploadCorrectionForm(record, result, rows, corrections),
        "mapped": len(result.new_agencies) - len(result.agencies_created),
        # One list of the region's agencies per region, for typing any of them.
        "region_agencies": {row.new.region: row.region_agencies for row in rows}.items(),
        "form": ResolutionForm(result.conflicts, result.kept_tasks),
        # A region taken with a doubt offers the other candidates to change it to.
        "region_form": region_form or RegionChoiceForm(result.region_candidates),
        "tasks": result.preview[:PREVIEW_TASKS],
        "more_tasks": max(0, len(result.preview) - PREVIEW_TASKS),
        "warning_groups": group_warnings(result.warnings),
    }


@require_POST
def upload_region(request, upload_id: int):
    """The region a person chooses for a pending upload: a candidate, or any region found by name or code."""
    record = get_upload_for_administrator(request, upload_id)
    if record.status != PlanUpload.Status.PENDING:
        messages.info(request, f"“{record.file_name}”{record.get_status_display()}，不能再更改行政区。")
        return redirect(record)
    form = RegionChoiceForm([], request.POST)
    if form.is_valid():
        dropped = choose_region(record, form.cleaned_data["chosen"])
        dropped = "原来选定的单位对应已清除，请重新核对将新建的单位。" if dropped else ""
        messages.success(request, f"已将行政区定为{form.cleaned_data['chosen'].full_name}。{dropped}")
        return redirect(record)
    # Several regions fit what was typed: offer them as the candidates to choose from.
    form = RegionChoiceForm(form.matches, request.POST)
    form.is_valid()
    context = {"record": record, **_preview_context(record, form)}
    return render(request, "plans/upload_detail.html", context, status=400)


@require_POST
def upload_corrections(request, upload_id: int):
    """The title, the lead rule and the mapping of new agencies a person corrects in the preview."""
    record = get_upload_for_administrator(request, upload_id)
    if record.status != PlanUpload.Status.PENDING or record.converting:
        messages.info(request, f"“{record.file_name}”{_not_correctable(record)}，不能更正。")
        return redirect(record)
    if response := _correct(request, record):
        return response
    messages.info(request, "更正与原来相同，没有改动。")
    return redirect(record)


def _correct(request, record: PlanUpload):
    """Keep the corrections posted with the preview. A response when they were refused or changed what the preview
    showed (the preview is to be seen again), None when there was nothing to change."""
    context = _preview_context(record, corrections=request.POST)
    form = context.get("corrections")
    if form is None:
        return redirect(record)  # nothing to correct before the region is settled, or in a file it cannot read
    if not form.is_valid():
        return render(request, "plans/upload_detail.html", {"record": record, **context}, status=400)
    changed = correct_upload(record, **form.corrections())
    if not changed:
        return None
    messages.success(request, f"已保存更正（{'、'.join(changed)}），预览已按更正重新生成；请核对后再确认导入。")
    return redirect(record)


def _not_correctable(record: PlanUpload) -> str:
    return "还在转换" if record.status == PlanUpload.Status.PENDING else record.get_status_display()


@require_POST
def upload_confirm(request, upload_id: int):
    record = get_upload_for_administrator(request, upload_id)
    if record.status == PlanUpload.Status.APPLIED:
        when = formats.date_format(timezone.localtime(record.applied_at), "DATETIME_FORMAT")
        messages.info(request, f"“{record.file_name}”已于{when}导入，没有再次导入。")
        return redirect(record.plan or record)
    if record.status == PlanUpload.Status.CANCELLED:
        messages.error(request, f"“{record.file_name}”的上传已取消，不能导入；请重新上传。")
        return redirect(record)
    if record.converting or record.conversion_error:
        messages.error(request, f"“{record.file_name}”还没有转换完成，不能导入。")
        return redirect(record)
    # Corrections typed in the preview and not yet saved are saved, and never stored unseen: the preview comes again.
    if "title" in request.POST and (response := _correct(request, record)):
        return response
    try:
        result = apply_upload(record, request.user, submitted_choices(request.POST))
    except (StaleChoices, PlanFormatError) as problem:
        messages.error(request, str(problem))
        return redirect(record)
    except Exception as error:  # rolled back: nothing stored, said on the upload's page
        messages.error(request, unexpected(record, error, "导入"))
        return redirect(record)
    messages.success(request, _applied_message(record, result))
    return redirect(result.plan)


@require_POST
def upload_cancel(request, upload_id: int):
    record = get_upload_for_administrator(request, upload_id)
    if not record.cancel():
        messages.info(request, f"“{record.file_name}”{record.get_status_display()}，无需取消。")
        return redirect(record)
    messages.info(request, f"已取消“{record.file_name}”的上传，方案没有改动。")
    return redirect("plans:upload")


def unexpected(record: PlanUpload, error: Exception, what: str) -> str:
    """An error no refusal foresaw while reading or storing an upload: logged with its traceback, and said to the
    administrator with the file's name. Its transaction rolled back, so nothing of the file was stored."""
    logger.error("上传 %s（%s）%s时出错", record.pk, record.file_name, what, exc_info=error)
    return (
        f"“{record.file_name}”无法{what}：读取或试导入时出错（{type(error).__name__}: {str(error)[:200]}），"
        "没有存入任何内容。错误已记入日志，请联系系统管理员；也可以取消这次上传。"
    )


def _applied_message(record: PlanUpload, result: IngestResult) -> str:
    plan = result.plan
    if result.status == "unchanged":
        return f"“{record.file_name}”与已导入的《{plan}》相同，无变化。"
    if result.status == "created":
        mapped = len(result.new_agencies) - len(result.agencies_created)
        return (
            f"已导入《{plan}》：任务 {result.tasks} 项，职责 {result.duties} 条，"
            f"新建单位 {len(result.agencies_created)} 个" + (f"，对应到已有单位 {mapped} 个。" if mapped else "。")
        )
    c = result.changes
    parts = [
        f"已更新《{plan}》：任务新增 {c.tasks_added}、修改 {c.tasks_changed}、删除 {c.tasks_removed} 项，"
        f"职责新增 {c.duties_added}、修改 {c.duties_changed}、删除 {c.duties_removed} 条"
    ]
    if result.conflicts:
        parts.append(f"保留人工修改 {result.kept_manual} 处，采用新文本 {result.taken} 处")
    kept = len(result.kept_tasks) - result.deleted_tasks
    if result.kept_tasks:
        parts.append(f"保留文本中已删除的任务 {kept} 项，删除 {result.deleted_tasks} 项")
    return "；".join(parts) + "。"
