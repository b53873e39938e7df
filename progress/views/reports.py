"""A progress report: read by signed-in users; filled in and submitted by its unit's staff, reviewed by the
plan's coordinators, added to by the cooperating units' staff. The rules are progress.writing.reports's."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from agencies.models import Agency
from plans.models import Duty
from progress.access import (
    get_attachment_for_reader,
    get_attachment_for_reporter,
    get_report_for_contributor,
    get_report_for_reporter,
    get_report_for_reviewer,
    may_read_report,
    reader_required,
)
from progress.forms import AttachmentForm, ContributionForm, ReportForm, ReviewForm
from progress.models import Report
from progress.reading.attachments import ACCEPT, AttachmentError
from progress.views.common import next_url
from progress.writing import reports as reporting

HISTORY_LIMIT = 100
# What a history row may have changed, as the 变更记录 names it.
TRACKED = (
    ("status", "进展状态"),
    ("percent", "完成进度"),
    ("progress", "进展情况"),
    ("problems", "存在问题"),
    ("next_steps", "下步计划"),
    ("propose_close", "建议办结"),
)


def history_rows(rows: list) -> list[tuple]:
    """(row, what it changed) for history rows given newest first; the oldest row shown changed nothing known."""
    described = []
    for row, older in zip(rows, [*rows[1:], None], strict=False):
        changed = [label for name, label in TRACKED if older is not None and getattr(row, name) != getattr(older, name)]
        described.append((row, "、".join(changed)))
    return described


def max_attachment_bytes() -> int:
    return settings.PROGRESS_ATTACHMENT_MAX_MB * 1024 * 1024


def report_form_initial(report: Report, previous: Report | None = None) -> dict:
    """What the form starts from: the report itself, or for one not yet filled in, the last round's report."""
    source = previous if report.state == Report.State.PENDING and previous is not None else report
    return {
        "status": source.status,
        "percent": source.percent,
        "progress": source.progress,
        "problems": source.problems,
        "next_steps": source.next_steps,
        "propose_close": report.propose_close,
        "version": report.version,
    }


@reader_required
def report_detail(request, report_id: int):
    report = get_object_or_404(
        Report.objects.select_related(
            "round__plan__region",
            "task__section",
            "task__deadline",
            "agency__region",
            "submitted_by",
            "reviewed_by",
            "updated_by",
        ),
        pk=report_id,
    )
    cooperating = [
        d.agency for d in Duty.objects.filter(task=report.task, role=Duty.Role.COOPERATING).select_related("agency")
    ]
    contributions = list(report.contributions.select_related("agency", "updated_by"))
    writable = set(
        Agency.objects.annotatable_by(request.user)
        .filter(pk__in=[a.pk for a in cooperating])
        .values_list("pk", flat=True)
    )
    written = {c.agency_id: c for c in contributions}
    contribution_forms = [
        (
            agency,
            ContributionForm(initial={"text": getattr(written.get(agency.pk), "text", "")}, auto_id=f"c{agency.pk}-%s"),
        )
        for agency in cooperating
        if agency.pk in writable and report.is_open
    ]
    can_review = report.round.plan.is_editable_by(request.user)
    can_report = report.agency.is_annotatable_by(request.user)
    # Others may still open it (a cooperating unit adds its part here), but not read what the draft says.
    readable = may_read_report(report, coordinates=can_review, reports=can_report)
    context = {
        "report": report,
        "round": report.round,
        "plan": report.round.plan,
        "task": report.task,
        "contributions": contributions,
        "contribution_forms": contribution_forms,
        "readable": readable,
        "attachments": list(report.attachments.select_related("uploaded_by", "removed_by")) if readable else [],
        "history": history_rows(
            list(report.history.select_related("history_user").order_by("-history_date", "-history_id")[:HISTORY_LIMIT])
        )
        if readable
        else [],
        "can_report": can_report,
        "can_upload": can_report and report.is_open,
        "can_review": can_review,
        "review_form": ReviewForm(initial={"version": report.version}) if can_review else None,
        "attachment_accept": ACCEPT,
    }
    return render(request, "progress/report_detail.html", context)


@require_http_methods(["GET", "POST"])
def report_edit(request, report_id: int):
    report = get_report_for_reporter(request, report_id)
    previous = report.previous() if report.state == Report.State.PENDING else None
    status, conflict, typed = 200, "", None
    if request.method == "POST":
        form = ReportForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = reporting.save(
                    report,
                    request.user,
                    reporting.ReportInput(
                        data["status"],
                        data["percent"],
                        data["progress"],
                        data["problems"],
                        data["next_steps"],
                        data["propose_close"],
                    ),
                    submit="submit" in request.POST and "attach" not in request.POST,
                    version=data["version"],
                )
            except reporting.StaleReport as stale:
                # Nothing saved: show the report as it is now, and what was typed, so nothing is lost.
                conflict, typed, status = str(stale), data, 409
                report.refresh_from_db()
                form = ReportForm(initial=report_form_initial(report), auto_id="report-%s")
            except reporting.ReportError as problem:
                form.add_error(None, str(problem))
            else:
                if "attach" in request.POST:
                    # The file goes with what was typed beside it: the text is kept as a draft first.
                    _attach_with_draft(request, saved)
                    return redirect(next_url(request, reverse("progress:report-edit", args=[saved.pk])))
                done = "已报送" if saved.is_submitted else "已保存草稿"
                messages.success(request, f"{done}：{saved.task.heading}")
                return redirect(next_url(request, saved.get_absolute_url()))
        elif "attach" in request.POST:
            messages.error(request, "附件未上传：请先改正表中标出的问题，填写的内容仍在表中。")
    else:
        form = ReportForm(initial=report_form_initial(report, previous), auto_id="report-%s")
    context = {
        "report": report,
        "round": report.round,
        "plan": report.round.plan,
        "task": report.task,
        "form": form,
        "previous": previous,
        "conflict": conflict,
        "typed": typed,
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "attachments": list(report.attachments.filter(removed_at__isnull=True).select_related("uploaded_by")),
        "can_upload": report.is_open,
        "attachment_accept": ACCEPT,
    }
    return render(request, "progress/report_edit.html", context, status=status)


def _attach_with_draft(request, report: Report) -> None:
    upload = request.FILES.get("file")
    if upload is None:
        messages.warning(request, "已保存草稿；没有选择要上传的附件。")
        return
    _attach(request, report, upload, done="已保存草稿，并上传附件", failed="已保存草稿；附件未上传")


def _attach(request, report: Report, upload, *, done: str, failed: str) -> None:
    """Attach the file and say so, or say why not; the one place a view hands an upload to the writer."""
    try:
        reporting.attach(report, request.user, upload, max_attachment_bytes())
    except (AttachmentError, reporting.ReportError) as problem:
        messages.error(request, f"{failed}：{problem}")
    else:
        messages.success(request, f"{done}“{upload.name}”。")


@require_POST
def report_review(request, report_id: int):
    report = get_report_for_reviewer(request, report_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "未能审核：" + "；".join(e for errors in form.errors.values() for e in errors))
        return redirect(next_url(request, report.get_absolute_url()))
    data = form.cleaned_data
    try:
        reporting.review(
            report, request.user, accept=data["decision"] == "accept", reason=data["reason"], version=data["version"]
        )
    except reporting.ReportError as problem:
        messages.error(request, f"未能审核：{problem}")
    else:
        done = "已通过" if data["decision"] == "accept" else "已退回"
        messages.success(request, f"{done}：{report.agency.name}「{report.task.heading}」")
    return redirect(next_url(request, report.get_absolute_url()))


@require_POST
def contribution(request, report_id: int, agency_id: int):
    report, agency = get_report_for_contributor(request, report_id, agency_id)
    form = ContributionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写配合工作情况（不超过 5000 字）。")
    else:
        try:
            reporting.contribute(report, agency, request.user, form.cleaned_data["text"])
        except reporting.ReportError as problem:
            messages.error(request, str(problem))
        else:
            messages.success(request, f"已保存{agency.name}的配合工作情况。")
    return redirect(next_url(request, f"{report.get_absolute_url()}#contributions"))


@require_POST
def attachment_upload(request, report_id: int):
    report = get_report_for_reporter(request, report_id)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的附件。")
    else:
        _attach(request, report, form.cleaned_data["file"], done="已上传附件", failed="未上传")
    return redirect(next_url(request, f"{report.get_absolute_url()}#attachments"))


@reader_required
def attachment_download(request, attachment_id: int):
    attachment = get_attachment_for_reader(request, attachment_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件已不在存储中，请联系系统管理员。") from None
    return FileResponse(handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type)


@require_POST
def attachment_remove(request, attachment_id: int):
    attachment = get_attachment_for_reporter(request, attachment_id)
    try:
        reporting.remove_attachment(attachment, request.user)
    except reporting.ReportError as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, f"已删除附件“{attachment.name}”（文件仍保留在系统中）。")
    return redirect(next_url(request, f"{attachment.report.get_absolute_url()}#attachments"))
