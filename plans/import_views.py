"""Uploading an edited 分工表: upload → preview (changes and problems) → confirm.

For users who may change the plan's assignments (Plan.objects.editable_by): administrators,
and the plan's coordinators for their own plans. Everyone else gets 403; unknown ids 404.
"""

import hashlib
from dataclasses import asdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .downloads import xlsx_response
from .importing import division
from .importing.workbook import MAX_BYTES, Cell, Problem, WorkbookError, annotate
from .models import DivisionImport, Plan


def _editable(request, plan: Plan) -> Plan:
    if not Plan.objects.editable_by(request.user).filter(pk=plan.pk).exists():
        raise PermissionDenied("只有系统管理员和本方案的方案管理员可以导入分工表。")
    return plan


def _import_for(request, import_id: int, **filters) -> DivisionImport:
    record = get_object_or_404(
        DivisionImport.objects.select_related("plan__region", "uploaded_by", "applied_by"), pk=import_id, **filters
    )
    _editable(request, record.plan)
    return record


def _problem_row(problem: Problem) -> dict:
    cell = problem.cell
    return {
        "sheet": cell.sheet,
        "row": cell.row,
        "column": cell.column,
        "cell": cell.coordinate,
        "message": problem.message,
    }


def import_upload(request, plan_id: int):
    plan = _editable(request, get_object_or_404(Plan.objects.select_related("region"), pk=plan_id))
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("workbook")
        if upload is None:
            error = "请选择要上传的 Excel 文件。"
        elif upload.size > MAX_BYTES:
            error = f"文件太大（{upload.size / 1024 / 1024:.1f} MB），上限为 {MAX_BYTES // 1024 // 1024} MB。"
        else:
            data = upload.read()
            try:
                proposal = division.read_and_propose(plan, data)
            except WorkbookError as problem:
                error = f"{upload.name}：{problem}"
            else:
                record = DivisionImport.objects.create(
                    plan=plan,
                    uploaded_by=request.user,
                    file_name=upload.name[:255],
                    checksum=hashlib.sha256(data).hexdigest(),
                    workbook=data,
                    sheet=proposal.sheet[:100],
                    changes=[asdict(c) for c in proposal.changes],
                    problems=[_problem_row(p) for p in proposal.problems],
                )
                return redirect(record)
    return render(request, "plans/import_upload.html", {"plan": plan, "error": error}, status=400 if error else 200)


def import_detail(request, import_id: int):
    record = _import_for(request, import_id)
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
    record = _import_for(request, import_id)
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
    record = _import_for(request, import_id, status=DivisionImport.Status.PENDING)
    record.status = DivisionImport.Status.CANCELLED
    record.save(update_fields=["status"])
    messages.info(request, "已取消这次导入，分工没有改动。")
    return redirect(record.plan)


def import_annotated(request, import_id: int):
    record = _import_for(request, import_id)
    problems = [Problem(Cell(p["sheet"], p["row"], p["column"]), p["message"]) for p in record.problems]
    return xlsx_response(
        annotate(bytes(record.workbook), problems), record.file_name.rsplit(".", 1)[0] + "-问题标注.xlsx"
    )
