"""Uploading an edited 分工表: upload → preview (changes and problems) → confirm.

For users who may change the plan's assignments (plans.access): administrators, and the plan's
coordinators for their own plans. Everyone else gets 403; unknown ids 404.
"""

from dataclasses import asdict

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lib.spreadsheets.problems import Problem, WorkbookError, annotate
from lib.workbooks import uploaded_workbook, xlsx_response

from ..access import get_import_for_editor, get_plan_for_editor
from ..models import DivisionImport
from ..spreadsheets.division_import import proposal as division


def import_upload(request, plan_id: int):
    plan = get_plan_for_editor(request, plan_id, "导入分工表")
    error = ""
    if request.method == "POST":
        data, name, error = uploaded_workbook(request)
        if not error:
            try:
                proposal = division.read_and_propose(plan, data)
            except WorkbookError as problem:
                error = f"{name}：{problem}"
            else:
                record = DivisionImport.objects.create(
                    plan=plan,
                    changes=[asdict(c) for c in proposal.changes],
                    **DivisionImport.received_workbook(request.user, name, data, proposal),
                )
                return redirect(record)
    return render(request, "plans/import_upload.html", {"plan": plan, "error": error}, status=400 if error else 200)


def import_detail(request, import_id: int):
    record = get_import_for_editor(request, import_id)
    edits = division.edits([division.Change(**c) for c in record.changes])
    context = {
        "record": record,
        "plan": record.plan,
        "edits": edits,
        "counts": {kind: sum(e.kind == kind for e in edits) for kind in ("replace", "add", "remove", "change")},
    }
    return render(request, "plans/import_detail.html", context)


@require_POST
def import_apply(request, import_id: int):
    record = get_import_for_editor(request, import_id)
    if record.problems:
        messages.error(request, "表中还有问题，不能应用。请下载标注了问题的文件，改正后重新上传。")
        return redirect(record)
    try:
        applied = division.apply(record, request.user)
    except division.StaleImport as stale:
        messages.error(request, str(stale))
        return redirect(record)
    messages.success(request, f"已按“{record.file_name}”更新 {len(division.edits(applied))} 处分工。")
    return redirect(record.plan)


@require_POST
def import_cancel(request, import_id: int):
    record = get_import_for_editor(request, import_id, status=DivisionImport.Status.PENDING)
    record.cancel()
    messages.info(request, "已取消这次导入，分工没有改动。")
    return redirect(record.plan)


def import_annotated(request, import_id: int):
    record = get_import_for_editor(request, import_id)
    problems = [Problem.from_row(p) for p in record.problems]
    try:
        content = annotate(bytes(record.workbook), problems)
    except WorkbookError as problem:
        messages.error(request, f"{record.file_name}：{problem}")
        return redirect(record)
    return xlsx_response(content, record.file_name.rsplit(".", 1)[0] + "-问题标注.xlsx")
