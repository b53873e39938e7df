"""督办 in Excel: a round's 进展台账 (per plan, per agency), an agency's round sheet out, and back in through a
preview, like the 分工表 import."""

from dataclasses import asdict

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from agencies.models import Agency
from lib.spreadsheets.problems import Problem, WorkbookError, annotate
from lib.workbooks import dated_filename, uploaded_workbook, xlsx_response
from plans.labels import chinese_date
from progress.access import DraftReader, get_import_for_reporter, get_round_and_agency_for_reporter, reader_required
from progress.models import Report, ReportImport, ReportingRound
from progress.reading.ledgers import ledger_rows, reports_for_ledger, sheet_rows
from progress.spreadsheets import ledger as sheets
from progress.spreadsheets import round_import
from progress.views.agencies import previous_reports
from progress.views.common import today


def _round(round_id: int) -> ReportingRound:
    return get_object_or_404(ReportingRound.objects.select_related("plan__region"), pk=round_id)


def _note(round: ReportingRound) -> str:
    return (
        f"报送截止：{chinese_date(round.due_on)}；状态为“未报送”的，本轮尚未报送或已退回待重报；"
        "“是否按期”按办结日期与完成时限对照"
    )


@reader_required
def round_ledger(request, round_id: int):
    """The round's 进展台账: every report, in outline order."""
    round = _round(round_id)
    day = today()
    reports = reports_for_ledger(Report.objects.filter(round=round))
    rows = ledger_rows(reports, DraftReader(request.user, round.plan), day)
    title = f"{round.plan} {round.name}进展台账"
    content = sheets.ledger(title, rows, exported_on=day, note=_note(round))
    return xlsx_response(content, dated_filename(f"{round.plan}-{round.name}-进展台账", day))


@reader_required
def agency_ledger(request, round_id: int, agency_id: int):
    round = _round(round_id)
    agency = get_object_or_404(Agency, pk=agency_id)
    reports = reports_for_ledger(Report.objects.filter(round=round, agency=agency))
    day = today()
    rows = ledger_rows(reports, DraftReader(request.user, round.plan), day)
    title = f"{agency.full_name} {round.name}进展台账"
    content = sheets.ledger(title, rows, exported_on=day, note=f"{round.plan}；{_note(round)}")
    return xlsx_response(content, dated_filename(f"{agency.full_name}-{round.name}-进展台账", day))


def round_sheet(request, round_id: int, agency_id: int):
    """The agency's blank round sheet: its reports of the round, with what is already written (or last round's)."""
    round, agency = get_round_and_agency_for_reporter(request, round_id, agency_id, "下载本单位的进展报送表")
    reports = list(reports_for_ledger(Report.objects.filter(round=round, agency=agency), instructions=False))
    rows = sheet_rows(reports, previous_reports(reports))
    day = today()
    note = (
        f"{round.plan}；报送截止：{chinese_date(round.due_on)}。"
        "填写“进展状态”（未启动、推进中、已完成、滞后）、完成进度和文字后上传；末列任务代码请勿改动"
    )
    content = sheets.round_sheet(f"{agency.full_name} {round.name}进展报送表", rows, exported_on=day, note=note)
    return xlsx_response(content, dated_filename(f"{agency.full_name}-{round.name}-进展报送表", day))


@require_http_methods(["GET", "POST"])
def import_upload(request, round_id: int, agency_id: int):
    round, agency = get_round_and_agency_for_reporter(request, round_id, agency_id, "导入本单位的进展报送表")
    error = ""
    if request.method == "POST":
        data, name, error = uploaded_workbook(request)
        if not error:
            try:
                proposal = round_import.read_and_propose(round, agency, data)
            except WorkbookError as problem:
                error = f"{name}：{problem}"
            else:
                record = ReportImport.objects.create(
                    round=round,
                    agency=agency,
                    rows=[asdict(e) for e in proposal.entries],
                    **ReportImport.received_workbook(request.user, name, data, proposal),
                )
                return redirect(record)
    context = {"round": round, "plan": round.plan, "agency": agency, "error": error}
    return render(request, "progress/import_upload.html", context, status=400 if error else 200)


def import_detail(request, import_id: int):
    record = get_import_for_reporter(request, import_id)
    entries = [round_import.Entry(**{**row, "changed": tuple(row["changed"])}) for row in record.rows]
    context = {
        "record": record,
        "round": record.round,
        "plan": record.round.plan,
        "agency": record.agency,
        "entries": entries,
    }
    return render(request, "progress/import_detail.html", context)


@require_POST
def import_apply(request, import_id: int):
    record = get_import_for_reporter(request, import_id)
    if record.problems:
        messages.error(request, "表中还有问题，不能导入。请下载标注了问题的文件，改正后重新上传。")
        return redirect(record)
    submit = request.POST.get("submit") == "1"
    try:
        entries = round_import.apply(record, request.user, submit=submit)
    except round_import.StaleImport as stale:
        messages.error(request, str(stale))
        return redirect(record)
    done = "报送" if submit else "保存为草稿"
    messages.success(request, f"已按“{record.file_name}”{done} {len(entries)} 项任务的进展。")
    return redirect("progress:agency-due", record.agency_id)


@require_POST
def import_cancel(request, import_id: int):
    record = get_import_for_reporter(request, import_id, status=ReportImport.Status.PENDING)
    record.cancel()
    messages.info(request, "已取消这次导入，进展报告没有改动。")
    return redirect("progress:agency-due", record.agency_id)


def import_annotated(request, import_id: int):
    record = get_import_for_reporter(request, import_id)
    problems = [Problem.from_row(p) for p in record.problems]
    return xlsx_response(
        annotate(bytes(record.workbook), problems), record.file_name.rsplit(".", 1)[0] + "-问题标注.xlsx"
    )
