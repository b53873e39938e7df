"""The 进展台账 and the agency's round sheet: exported in the house style, read back all or nothing."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.timezone import localdate
from openpyxl import load_workbook

from plans.models import Duty
from progress.models import Report, ReportImport
from progress.writing import reports as reporting
from tests.pages import get_page, text, texts
from tests.workbooks import attachment, get_workbook, sheet_xml, values

from .support import fill, move_due_date

pytestmark = pytest.mark.django_db

LEDGER_HEADER = [
    "序号",
    "重点任务",
    "牵头单位",
    "配合单位",
    "完成时限",
    "是否按期",
    "状态",
    "完成进度（%）",
    "进展情况",
    "存在问题",
    "下步计划",
    "报送时间",
    "审核意见",
]
SHEET_HEADER = [
    "序号",
    "重点任务",
    "本单位职责",
    "完成时限",
    "进展状态",
    "完成进度（%）",
    "进展情况",
    "存在问题",
    "下步计划",
    "报送状态",
    "任务代码",
]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def task_rows(ws, header_row: int = 3):
    """Rows below the header that are tasks (a number in 序号), as value lists."""
    return [[c.value for c in row] for row in ws.iter_rows(min_row=header_row + 1) if isinstance(row[0].value, int)]


def test_the_ledger_has_a_row_per_report_with_what_was_reported(cast, round, report):
    reporting.contribute(report, cast.cooperating, cast.cooperating_staff, "已拨付配套资金")
    fill(
        report,
        cast.lead_staff,
        status="lagging",
        progress="=1+1 资金未到位",
        problems="资金缺口",
        next_steps="争取专项债",
    )
    workbook, response = get_workbook(signed_in(cast.outsider), f"/progress/rounds/{round.pk}/ledger.xlsx")
    ws = workbook.active
    assert response["Content-Disposition"] == attachment(
        f"{cast.plan}-2026年第1季度-进展台账-{localdate():%Y%m%d}.xlsx"
    )
    assert ws["A1"].value == f"{cast.plan} 2026年第1季度进展台账"
    assert values(ws, 3) == LEDGER_HEADER
    rows = task_rows(ws)
    assert len(rows) == Report.objects.filter(round=round).count()
    ours = next(r for r in rows if r[1] == cast.task.heading and r[2] == cast.lead.name)
    cooperating = [d.agency.name for d in Duty.objects.filter(task=cast.task, role="cooperating").order_by("position")]
    assert ours[3] == "、".join(cooperating)
    assert ours[6:11] == [
        "滞后",
        50,
        f"=1+1 资金未到位\n【{cast.cooperating.name}】已拨付配套资金",
        "资金缺口",
        "争取专项债",
    ]
    assert ours[11].startswith(f"{localdate():%Y-%m-%d}")
    assert ours[12] == "待审核"
    others = [r for r in rows if r is not ours]
    assert {r[6] for r in others} == {"未报送"}
    # Text stays text: never a formula.
    assert "<f>" not in "".join(sheet_xml(response.content).values())


def test_the_agency_ledger_has_the_agencys_reports_only(cast, round):
    workbook, _ = get_workbook(
        signed_in(cast.outsider), f"/progress/rounds/{round.pk}/agencies/{cast.lead.pk}/ledger.xlsx"
    )
    rows = task_rows(workbook.active)
    assert {r[2].removesuffix("（共同负责）") for r in rows} == {cast.lead.name}
    assert len(rows) == Report.objects.filter(round=round, agency=cast.lead).count()


def test_the_round_sheet_lists_the_units_reports_with_a_list_of_statuses(cast, round):
    workbook, _ = get_workbook(
        signed_in(cast.lead_staff), f"/progress/rounds/{round.pk}/agencies/{cast.lead.pk}/sheet.xlsx"
    )
    ws = workbook.active
    assert values(ws, 3) == SHEET_HEADER
    rows = task_rows(ws)
    assert [r[10] for r in rows] == list(
        Report.objects.filter(round=round, agency=cast.lead).in_outline_order().values_list("task__ref", flat=True)
    )
    assert {r[9] for r in rows} == {"未填报"}
    choices = [v for v in ws.data_validations.dataValidation if v.type == "list"][0]
    assert choices.formula1 == '"未启动,推进中,已完成,滞后"' and str(choices.sqref).startswith("E4:E")


def _filled(client, round, agency, rows: dict[str, dict]) -> bytes:
    """The unit's round sheet, downloaded and filled in: {task ref: {column header: value}}."""
    response = client.get(f"/progress/rounds/{round.pk}/agencies/{agency.pk}/sheet.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    ws = workbook.active
    header = {cell.value: cell.column for cell in ws[3]}
    for row in ws.iter_rows(min_row=4):
        ref = row[header["任务代码"] - 1].value
        for name, value in rows.get(ref, {}).items():
            ws.cell(row=row[0].row, column=header[name], value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _upload(client, round, agency, data: bytes, name="进展报送表.xlsx"):
    return client.post(
        f"/progress/rounds/{round.pk}/agencies/{agency.pk}/import/", {"workbook": SimpleUploadedFile(name, data)}
    )


def test_a_filled_round_sheet_is_previewed_then_saved_as_drafts(cast, round):
    client = signed_in(cast.lead_staff)
    reports = list(Report.objects.filter(round=round, agency=cast.lead).select_related("task").in_outline_order()[:2])
    first, second = (r.task.ref for r in reports)
    data = _filled(
        client,
        round,
        cast.lead,
        {
            first: {"进展状态": "推进中", "完成进度（%）": 40, "进展情况": "完成可研批复"},
            second: {"进展状态": "滞后", "存在问题": "用地未落实"},
        },
    )
    response = _upload(client, round, cast.lead, data)
    record = ReportImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/progress/imports/{record.pk}/"
    soup = get_page(client, f"/progress/imports/{record.pk}/")
    assert len(soup.select("#import-entries tbody tr")) == 2
    # The statuses as the sheet wrote them, never the stored codes (in_progress).
    assert [row.select("td")[3].get_text() for row in soup.select("#import-entries tbody tr")] == ["推进中", "滞后"]
    assert Report.objects.filter(round=round, agency=cast.lead, state="draft").count() == 0  # nothing yet
    client.post(f"/progress/imports/{record.pk}/apply/")
    saved = {r.task.ref: r for r in Report.objects.filter(pk__in=[r.pk for r in reports]).select_related("task")}
    assert (saved[first].state, saved[first].status, saved[first].percent, saved[first].progress) == (
        "draft",
        "in_progress",
        40,
        "完成可研批复",
    )
    assert (saved[second].status, saved[second].problems) == ("lagging", "用地未落实")
    assert saved[first].history.latest().history_change_reason == "导入进展报送表“进展报送表.xlsx”：保存草稿"
    assert ReportImport.objects.get().status == "applied"


def test_a_round_sheet_can_be_imported_and_submitted_at_once(cast, round):
    client = signed_in(cast.lead_staff)
    ref = Report.objects.filter(round=round, agency=cast.lead).in_outline_order().first().task.ref
    _upload(
        client, round, cast.lead, _filled(client, round, cast.lead, {ref: {"进展状态": "已完成", "进展情况": "已建成"}})
    )
    client.post(f"/progress/imports/{ReportImport.objects.get().pk}/apply/", {"submit": "1"})
    report = Report.objects.get(round=round, agency=cast.lead, task__ref=ref)
    assert (report.state, report.submitted_by) == ("submitted", cast.lead_staff)


def test_a_sheet_with_problems_writes_nothing_and_marks_the_cells(cast, round):
    client = signed_in(cast.lead_staff)
    reports = list(Report.objects.filter(round=round, agency=cast.lead).select_related("task").in_outline_order()[:3])
    locked = fill(reports[2], cast.lead_staff)
    data = _filled(
        client,
        round,
        cast.lead,
        {
            reports[0].task.ref: {"进展状态": "快完成了", "进展情况": "ok"},
            reports[1].task.ref: {"进展状态": "推进中", "完成进度（%）": 150},
            locked.task.ref: {"进展情况": "想改已报送的"},
        },
    )
    _upload(client, round, cast.lead, data)
    record = ReportImport.objects.get()
    soup = get_page(client, f"/progress/imports/{record.pk}/")
    problems = texts(soup, "#import-problems tbody tr td:last-child")
    assert any("进展状态“快完成了”无效" in p for p in problems)
    assert any("完成进度“150”应为 0 到 100 的整数" in p for p in problems)
    assert any("已报送" in p and "不能再通过导入修改" in p for p in problems)
    assert soup.select_one("#annotated-xlsx")["href"] == reverse("progress:import-annotated", args=[record.pk])
    assert not soup.select("#apply-draft")
    # A sheet with problems is never said to agree with the system.
    assert "一致" not in soup.select_one("#import-entries").get_text()
    client.post(f"/progress/imports/{record.pk}/apply/")
    assert not Report.objects.filter(round=round, agency=cast.lead, state="draft").exists()
    annotated = load_workbook(io.BytesIO(client.get(f"/progress/imports/{record.pk}/annotated.xlsx").content)).active
    marked = {p["cell"]: p["message"] for p in record.problems}
    for coordinate, message in marked.items():
        assert annotated[coordinate].fill.start_color.rgb == "FFFFC7CE"
        assert message in annotated[coordinate].comment.text


def test_a_task_not_in_the_units_round_is_a_problem_naming_it(cast, round):
    client = signed_in(cast.lead_staff)
    data = _filled(client, round, cast.lead, {})
    workbook = load_workbook(io.BytesIO(data))
    ws = workbook.active
    ws.append([99, "不存在的任务", "", "", "推进中", None, "x", "", "", "", "9.9.9"])
    out = io.BytesIO()
    workbook.save(out)
    _upload(client, round, cast.lead, out.getvalue())
    assert "不是本单位在“2026年第1季度”需要报送的任务" in ReportImport.objects.get().problems[0]["message"]


def test_a_report_saved_after_the_preview_stops_the_import(cast, round):
    client = signed_in(cast.lead_staff)
    report = Report.objects.filter(round=round, agency=cast.lead).select_related("task").in_outline_order().first()
    _upload(client, round, cast.lead, _filled(client, round, cast.lead, {report.task.ref: {"进展状态": "推进中"}}))
    fill(report, cast.lead_staff, status="completed", progress="在页面上填的", submit=False)
    response = client.post(f"/progress/imports/{ReportImport.objects.get().pk}/apply/", follow=True)
    assert "预览之后已有改动" in text(get_page_from(response), ".messages")
    assert Report.objects.get(pk=report.pk).progress == "在页面上填的"
    assert ReportImport.objects.get().status == "pending"


def get_page_from(response):
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("报送表.xlsx", b"", "文件是空的"),
        ("报送表.xlsx", b"not a workbook", "不是 Excel 工作簿"),
        ("旧表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100, "旧版 .xls"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_its_name(cast, round, name, data, message):
    response = _upload(signed_in(cast.lead_staff), round, cast.lead, data, name)
    assert response.status_code == 400
    error = text(get_page_from(response), "#import-error")
    assert error.startswith(name) and message in error
    assert not ReportImport.objects.exists()


def test_a_sheet_without_the_header_is_refused(cast, round):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["任务", "说明"])
    out = io.BytesIO()
    workbook.save(out)
    response = _upload(signed_in(cast.lead_staff), round, cast.lead, out.getvalue())
    assert response.status_code == 400
    assert "没有找到进展报送表" in text(get_page_from(response), "#import-error")


def test_the_ledger_of_a_past_round_marks_the_missing_reports_as_warnings(cast, round):
    move_due_date(round, localdate() - timedelta(days=1))
    workbook, _ = get_workbook(signed_in(cast.outsider), f"/progress/rounds/{round.pk}/ledger.xlsx")
    ws = workbook.active
    first = next(row for row in ws.iter_rows(min_row=4) if isinstance(row[0].value, int))
    # The warning look (bold, dark orange), as the 台账 shows 滞后 and 未报送.
    assert first[6].value == "未报送" and first[6].font.b and first[6].font.color.rgb.endswith("A4320C")


def test_the_ledger_says_whether_each_task_kept_its_deadline_how_far_it_got_and_what_the_review_said(cast, round):
    from datetime import date

    from progress.models import Closure, Deadline

    report = Report.objects.get(round=round, task=cast.task, agency=cast.lead)
    fill(report, cast.lead_staff, status="completed", percent=100, progress="已建成")
    report.refresh_from_db()
    reporting.review(report, cast.coordinator, accept=True, reason="材料齐全", version=report.version)
    # Due yesterday, closed today: 逾期完成; the report's 已完成 reads 已办结.
    Deadline.objects.filter(task=cast.task).update(due_on=localdate() - timedelta(days=1), ongoing=False)
    Closure.objects.create(task=cast.task, closed_by=cast.coordinator)
    others = Report.objects.filter(round=round).exclude(task=cast.task).in_outline_order()
    late, returned = others[0], others[1]
    Deadline.objects.filter(task=late.task).update(due_on=date(2020, 12, 31), ongoing=False)
    fill(returned, cast.administrator, percent=30)
    returned.refresh_from_db()
    reporting.review(returned, cast.coordinator, accept=False, reason="缺少佐证材料", version=returned.version)

    workbook, _ = get_workbook(signed_in(cast.coordinator), f"/progress/rounds/{round.pk}/ledger.xlsx")
    rows = {(r[1], r[2]): r for r in task_rows(workbook.active)}
    ours = rows[(cast.task.heading, cast.lead.name)]
    assert (ours[5], ours[6], ours[7], ours[12]) == ("逾期完成", "已办结", 100, "通过：材料齐全")
    assert rows[(late.task.heading, late.agency.name)][5] == "已逾期"
    assert rows[(returned.task.heading, returned.agency.name.removesuffix("（共同负责）"))][12] == "退回：缺少佐证材料"


@pytest.mark.parametrize(
    ("due_on", "ongoing", "closed_on", "expected"),
    [
        (None, True, None, "长期"),
        (None, False, None, ""),
        (None, False, "2026-03-01", "已办结"),
        ("2026-06-30", False, "2026-06-30", "按期完成"),
        ("2026-06-30", False, "2026-07-01", "逾期完成"),
        ("2026-06-30", False, None, "已逾期"),
        ("2027-06-30", False, None, "未到期"),
    ],
)
def test_whether_a_deadline_was_met(due_on, ongoing, closed_on, expected):
    from datetime import date

    from progress.reading.status import deadline_met

    day = date.fromisoformat
    today = day("2026-12-07")
    assert deadline_met(due_on and day(due_on), ongoing, closed_on and day(closed_on), today) == expected
