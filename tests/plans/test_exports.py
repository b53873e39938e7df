"""The Excel exports of a plan (分工表 with its appendices, 责任矩阵) and the rules every export shares, read back."""

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from lib.spreadsheets import style
from lib.spreadsheets.sheet import new_workbook, to_bytes
from plans.models import Duty, Plan, Task
from plans.spreadsheets.export.task_list import TaskListRow
from plans.spreadsheets.export.task_list import export as export_task_list
from plans.views import browse as views
from tests.factories import HETANG_JOINT_PLAN, TIANXIN_PLAN, seed_plan
from tests.pages import get_page
from tests.workbooks import attachment, content_of, get_workbook, merged, sheet_xml, table_rows, values

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 21)
DIVISION_HEADER = ["序号", "重点任务", "牵头单位", "配合单位", "共同负责单位", "任务内容", "目标与时限", "任务代码"]
# plan, sections, tasks, their duties, their targets, appendix rows, projects: the same for every plan.
DIVISION_QUERIES = 7
MATRIX_QUERIES = 3  # plan, tasks, their duties: as the matrix page

# A plan whose task titles and text start like spreadsheet formulas.
FORMULA_PLAN = """\
长沙市天心区碳达峰实施方案

一、主要目标
到2025年，非化石能源消费比重达到22%左右。

二、重点任务
（一）推进能源绿色低碳转型
1.=1+1。@SUM(A1:A9)加快分布式光伏建设。（区发展和改革局牵头，区住房和城乡建设局、区自然资源局按职责分工负责）
2.-2+3。推动煤电节能降碳改造。（区发展和改革局、区工业和信息化局按职责分工负责）
"""


@pytest.fixture(autouse=True)
def export_day(monkeypatch):
    """Exports are dated in China time; pin the day so names and date rows are known."""
    monkeypatch.setattr(views, "localdate", lambda: DAY)


def division_url(plan: Plan, query: str = "") -> str:
    return f"/plans/{plan.pk}/division.xlsx{query}"


def matrix_url(plan: Plan) -> str:
    return f"/plans/{plan.pk}/matrix.xlsx"


def task_rows(ws) -> list[list]:
    """The rows of tasks: those numbered with an integer in 序号 (section rows hold a heading there)."""
    return [row for row in table_rows(ws) if isinstance(row[0], int)]


def first_task_row(ws) -> int:
    return next(row for row in range(4, ws.max_row + 1) if isinstance(ws.cell(row, 1).value, int))


def outline_tasks(plan: Plan) -> list[Task]:
    """The plan's tasks as the outline reads: by section, then in order within it (a part's own tasks first)."""
    return list(Task.objects.filter(plan=plan).order_by("section__position", "position"))


# --- Rules every export shares ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("附件1", "附件1"),
        ("a/b\\c[d]:e*f?g", "a_b_c_d__e_f_g"),
        ("一二三四五六七八九十" * 4, ("一二三四五六七八九十" * 4)[:31]),
        ("'引号'", "引号"),
        ("   ", "Sheet"),
        ("''", "Sheet"),
        ("History", "History_"),
        ("history", "history_"),
        ("[]:*?/\\", "_______"),
        ("制表\t符\x00", "制表_符_"),
        ("🌱" * 20, "🌱" * 15),  # each takes two UTF-16 code units of the 31
    ],
)
def test_sheet_titles_are_names_excel_accepts(name, expected):
    title = style.sheet_title(name)
    assert title == expected
    assert len(title.encode("utf-16-le")) // 2 <= 31
    assert not set("[]:*?/\\") & set(title)
    Workbook().create_sheet(title)  # openpyxl refuses what Excel refuses


def test_a_sheet_title_already_taken_gets_a_number_ignoring_case():
    assert style.sheet_title("附件1", ["附件1"]) == "附件1(2)"
    assert style.sheet_title("Sheet", ["sheet", "SHEET(2)"]) == "Sheet(3)"
    long = "长" * 40
    first = style.sheet_title(long)
    second = style.sheet_title(long, [first])
    assert len(second) == 31 and second.endswith("(2)") and second != first


def written(*cells) -> Worksheet:
    """One row written through style.cell, read back with openpyxl as a clerk's Excel would read it."""
    workbook = new_workbook("测试")
    ws = workbook.add_sheet("表")
    for col, value in enumerate(cells):
        style.cell(ws, workbook.styles, 0, col, value, style.BODY)
    return load_workbook(io.BytesIO(to_bytes(workbook))).active


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x")'])
def test_text_that_starts_like_a_formula_stays_text(text):
    cell = written(text)["A1"]
    # A carriage return is stored as Excel's escape _x000D_, which Excel reads back as one (openpyxl does not).
    assert (cell.value.replace("_x000D_", "\r"), cell.data_type, cell.quotePrefix) == (text, "s", True)


def test_ordinary_values_keep_their_type_and_control_characters_are_dropped():
    ws = written("#N/A", "区发展和改革局", "响\x07铃", 3, "")
    assert ws["A1"].data_type == "s" and ws["A1"].value == "#N/A"  # not an error value
    assert not ws["B1"].quotePrefix
    assert ws["C1"].value == "响铃"
    assert ws["D1"].data_type == "n" and ws["D1"].value == 3
    assert ws["E1"].value is None and ws["E1"].border.left.style == "thin"  # blank, but still in the grid


def test_the_task_list_core_writes_plain_rows_without_a_database():
    row = TaskListRow(
        plan="方案",
        section="（一）章节",
        task="=1+1",
        body="-正文",
        role="牵头",
        leads=("甲局", "乙局"),
        cooperating=("丙局",),
        targets=("到2025年：目标",),
    )
    content = export_task_list("某单位", [row], exported_on=DAY, filters=["职责：牵头"])
    ws = load_workbook(io.BytesIO(content))["任务清单"]
    assert values(ws, 1)[0] == "某单位 任务清单"
    assert values(ws, 2)[0] == "导出日期：2026年11月21日　筛选条件：职责：牵头"
    assert values(ws, 4)[:6] == [1, "方案", "（一）章节", "=1+1", "-正文", "牵头"]
    assert values(ws, 4)[6:] == ["甲局、乙局", "丙局", None, "到2025年：目标"]
    assert ws["D4"].data_type == "s" and ws["D4"].quotePrefix and ws["E4"].quotePrefix


# --- 分工表 -------------------------------------------------------------------------------------------------------


def test_the_division_is_a_titled_dated_table_in_outline_order(client):
    plan = seed_plan("002")
    workbook, response = get_workbook(client, division_url(plan))
    assert response["Content-Disposition"] == attachment("株洲市碳达峰实施方案-任务分工表-20261121.xlsx")
    assert workbook.sheetnames == ["任务分工表"]
    ws = workbook.active
    assert values(ws, 1)[0] == "株洲市碳达峰实施方案 任务分工表"
    assert values(ws, 2)[0].startswith("导出日期：2026年11月21日")
    assert values(ws, 3) == DIVISION_HEADER
    rows = task_rows(ws)
    expected = outline_tasks(plan)
    assert [row[0] for row in rows] == list(range(1, len(expected) + 1))
    assert [row[7] for row in rows] == [task.ref for task in expected]
    assert [row[1] for row in rows] == [task.title for task in expected]
    assert [row[5] for row in rows] == [task.body for task in expected]


def test_each_section_starts_with_a_merged_shaded_heading_row(client):
    plan = seed_plan("000")
    workbook, _ = get_workbook(client, division_url(plan))
    ws = workbook.active
    headings = [s.heading for s in plan.sections.filter(tasks__isnull=False).distinct().order_by("position")]
    first_task = outline_tasks(plan)[0]
    rows = table_rows(ws)
    # The part above a section comes first, then the section, then its first task.
    assert rows[0][0] == first_task.section.parent.heading
    assert rows[1][0] == first_task.section.heading and rows[2][7] == first_task.ref
    section_rows = [(index, row[0]) for index, row in enumerate(rows, 4) if isinstance(row[0], str)]
    assert [text for _, text in section_rows if text in headings] == headings
    for row_number, _ in section_rows:
        assert f"A{row_number}:H{row_number}" in merged(ws)
        cell = ws[f"A{row_number}"]
        assert cell.font.b and cell.fill.fill_type == "solid"
        assert all(value is None for value in values(ws, row_number)[1:])


def test_a_part_with_tasks_of_its_own_heads_them(client):
    plan = seed_plan("003")  # 二、主要目标 holds its goal tasks itself
    workbook, _ = get_workbook(client, division_url(plan))
    rows = table_rows(workbook.active)
    goals = plan.sections.get(level=1, title="主要目标")
    assert rows[0][0] == goals.heading
    assert rows[1][7] == outline_tasks(plan)[0].ref


def test_units_are_joined_in_the_order_written_and_targets_are_one_per_line(client):
    plan = seed_plan("000")
    workbook, _ = get_workbook(client, division_url(plan))
    rows = {row[7]: row for row in task_rows(workbook.active)}
    task = (
        Task.objects.filter(plan=plan, duties__role="cooperating", targets__isnull=False)
        .distinct()
        .order_by("position")
        .first()
    )
    duties = list(task.duties.select_related("agency").order_by("position"))
    cooperating = [d.agency.name for d in duties if d.role == "cooperating"]
    assert len(cooperating) > 1
    row = rows[task.ref]
    assert row[2] == "、".join(d.agency.name for d in duties if d.role == "lead")
    assert row[3] == "、".join(cooperating)
    assert row[6].split("\n") == [f"{t.label}：{t.statement}" for t in task.target_lines()]
    assert not [line for line in row[6].split("\n") if line.startswith("2030年：2030年")]  # the label once


def test_joint_units_have_their_own_column(client):
    plan = seed_plan("004")  # no clause names a lead
    workbook, _ = get_workbook(client, division_url(plan))
    rows = task_rows(workbook.active)
    assert all(row[2] is None and row[3] is None for row in rows)
    task = Task.objects.filter(plan=plan, duties__isnull=False).order_by("section__position", "position").first()
    names = list(task.duties.order_by("position").values_list("agency__name", flat=True))
    assert next(row for row in rows if row[7] == task.ref)[4] == "、".join(names)


def test_an_inferred_lead_is_in_the_lead_column_marked(client, ingest_text):
    plan = ingest_text(HETANG_JOINT_PLAN, lead_convention=Plan.LeadConvention.FIRST_LISTED).plan
    workbook, _ = get_workbook(client, division_url(plan))
    rows = task_rows(workbook.active)
    assert [row[2] for row in rows] == ["区发展和改革局（推定）", "区发展和改革局（推定）"]
    assert rows[0][3] == "区住房和城乡建设局、区自然资源局"
    assert "（推定）" in values(workbook.active, 2)[0]


def test_the_long_columns_are_in_an_outline_group_a_reader_can_fold(client):
    workbook, _ = get_workbook(client, division_url(seed_plan("001")))
    ws = workbook.active
    dims = ws.column_dimensions
    assert [(dims[c].outline_level, dims[c].hidden) for c in "FG"] == [(1, False), (1, False)]
    assert all(dims[c].outline_level == 0 for c in "ABCDEH")
    # Widths as Excel stores them: the characters plus the cell's padding.
    assert (int(dims["A"].width), int(dims["B"].width), int(dims["F"].width)) == (6, 28, 60)
    assert dims["H"].width < 10
    code = ws.cell(first_task_row(ws), 8)
    assert code.font.color.rgb.endswith("808080") and code.font.sz < 10


def test_columns_short_leaves_the_long_columns_out(client):
    plan = seed_plan("001")
    workbook, _ = get_workbook(client, division_url(plan, "?columns=short"))
    ws = workbook.active
    assert values(ws, 3) == ["序号", "重点任务", "牵头单位", "配合单位", "共同负责单位", "任务代码"]
    assert len(task_rows(ws)) == plan.tasks.count()
    assert all(dim.outline_level == 0 for dim in ws.column_dimensions.values())
    assert "已略去" in values(ws, 2)[0]
    assert ws.auto_filter.ref == f"A3:F{ws.max_row}"


def test_the_division_looks_like_a_clerks_table(client):
    workbook, _ = get_workbook(client, division_url(seed_plan("000")))
    ws = workbook.active
    title = ws["A1"]
    assert title.font.name == "等线" and title.font.b and 14 <= title.font.sz <= 16
    assert "A1:H1" in merged(ws)
    for cell in ws[3]:
        assert cell.font.name == "等线" and cell.font.b
        assert cell.fill.fill_type == "solid"
        assert cell.border.left.style == cell.border.bottom.style == "thin"
    body = ws.cell(first_task_row(ws), 6)
    assert body.font.name == "等线" and not body.font.b
    assert body.alignment.wrap_text and body.border.top.style == "thin"
    assert all(cell.font.name == "等线" for row in ws.iter_rows(min_row=1) for cell in row if cell.value is not None)


def test_the_division_prints_on_a4_landscape_with_the_header_on_every_page(client):
    workbook, _ = get_workbook(client, division_url(seed_plan("000")))
    for ws in workbook:
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.page_setup.orientation == "landscape"
        # One page wide: 1 is the default, which the file leaves out.
        assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$3:$3"
        assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
        assert ws.freeze_panes == "A4"
        assert ws.auto_filter.ref == f"A3:H{ws.max_row}"


def test_plan_003_has_its_appendix_and_key_project_sheets(client):
    plan = seed_plan("003")
    workbook, _ = get_workbook(client, division_url(plan))
    assert workbook.sheetnames == ["任务分工表", "附件1", "重点项目清单"]

    appendix = workbook["附件1"]
    assert values(appendix, 1)[0] == "长沙市开福区碳达峰实施方案 附件1"
    assert values(appendix, 3) == ["编号", "目标任务", "内容", "牵头单位", "责任单位", "与正文对照"]
    rows = [row for row in table_rows(appendix) if row[1] is not None]
    stored = list(plan.appendix_rows.order_by("position"))
    assert [row[1] for row in rows] == [r.title for r in stored]
    assert [row[3] for row in rows] == [r.lead_text for r in stored]
    assert [row[4] for row in rows] == [r.units_text for r in stored]
    differing = next(row for row in rows if row[1] == "推动产业园区循环发展")
    assert differing[5] == "名称与正文不同"
    assert sum(row[5] != "一致" for row in rows) == 1
    assert "一、总体目标" in [row[0] for row in table_rows(appendix)]

    projects = workbook["重点项目清单"]
    assert values(projects, 3) == ["序号", "类别", "项目单位", "项目名称", "建设内容", "建设年限", "总投资（万元）"]
    rows = table_rows(projects)
    stored = list(plan.projects.order_by("position"))
    assert len(rows) == len(stored) + 1 == 21
    first = stored[0]
    assert rows[0][:5] == [first.number, first.category, first.unit_as_written, first.name, first.content]
    assert rows[0][5:] == ["2023—2024", 7214]
    assert rows[-1][0] == "合计" and rows[-1][6] == sum(p.investment for p in stored if p.investment is not None)
    assert projects.auto_filter.ref == f"A3:G{projects.max_row - 1}"


def test_a_title_written_like_a_formula_is_exported_as_text(client, ingest_text):
    plan = ingest_text(FORMULA_PLAN).plan
    response = client.get(division_url(plan))
    content = content_of(response)
    workbook = load_workbook(io.BytesIO(content))
    rows = {row[7]: row for row in task_rows(workbook.active)}
    assert [row[1] for row in rows.values()] == ["=1+1", "-2+3"]
    cell = next(c for row in workbook.active.iter_rows() for c in row if c.value == "=1+1")
    assert cell.data_type == "s" and cell.quotePrefix
    body = next(c for row in workbook.active.iter_rows() for c in row if str(c.value).startswith("@SUM"))
    assert body.data_type == "s"
    for xml in sheet_xml(content).values():
        assert "<f>" not in xml and "<f " not in xml
    # The matrix headings carry the title too.
    matrix = content_of(client.get(matrix_url(plan)))
    assert all("<f>" not in xml for xml in sheet_xml(matrix).values())


def test_the_division_runs_a_fixed_number_of_queries(client, ingest_text, django_assert_num_queries):
    small = ingest_text(TIANXIN_PLAN).plan
    for plan in (small, seed_plan("001"), seed_plan("003")):
        for query in ("", "?columns=short"):
            with django_assert_num_queries(DIVISION_QUERIES):
                assert client.get(division_url(plan, query)).status_code == 200


# --- 责任矩阵 -------------------------------------------------------------------------------------------------------


def test_the_matrix_has_a_row_per_task_and_a_vertical_column_per_agency(client):
    plan = seed_plan("001")
    workbook, response = get_workbook(client, matrix_url(plan))
    assert response["Content-Disposition"] == attachment("湘潭市碳达峰实施方案-责任矩阵-20261121.xlsx")
    ws = workbook["责任矩阵"]
    assert values(ws, 1)[0] == "湘潭市碳达峰实施方案 责任矩阵"
    header = values(ws, 3)
    agencies = plan.tasks.values("duties__agency").exclude(duties__agency=None).distinct().count()
    assert header[:2] == ["序号", "重点任务"] and header[-1] == "单位数"
    assert len(header) - 3 == agencies > 40
    assert all(cell.alignment.text_rotation == 255 for cell in ws[3][2:-1])
    assert ws.row_dimensions[3].height > 100
    assert len(task_rows(ws)) == plan.tasks.count()
    assert ws.freeze_panes == "C4"


def test_the_matrix_cells_mark_each_duty(client):
    plan = seed_plan("000")
    workbook, _ = get_workbook(client, matrix_url(plan))
    ws = workbook.active
    names = values(ws, 3)[2:-1]
    tasks = list(plan.tasks.order_by("position"))
    seen = set()
    for row in task_rows(ws):
        task = tasks[row[0] - 1]
        assert row[1] == task.heading
        seen |= {(task.pk, name, mark) for name, mark in zip(names, row[2:-1], strict=True) if mark}
        assert row[-1] == sum(mark is not None for mark in row[2:-1])
    marks = {"lead": "牵", "cooperating": "配", "joint": "共"}
    expected = {(d.task_id, d.agency.name, marks[d.role]) for d in Duty.objects.filter(task__plan=plan)}
    assert seen == expected


def test_the_matrix_totals_per_agency_at_the_bottom(client):
    plan = seed_plan("000")
    workbook, _ = get_workbook(client, matrix_url(plan))
    ws = workbook.active
    bottom = [values(ws, row) for row in range(ws.max_row - 3, ws.max_row + 1)]
    assert [row[0] for row in bottom] == ["牵头", "配合", "共同负责", "合计"]
    duties = Duty.objects.filter(task__plan=plan)
    assert bottom[-1][-1] == duties.count() == sum(bottom[-1][2:-1])
    assert values(ws, 3)[2] == "区发展和改革局"
    assert bottom[0][2] == duties.filter(agency__name="区发展和改革局", role="lead").count()
    assert bottom[-1][2] == 32
    assert f"A{ws.max_row}:B{ws.max_row}" in merged(ws)
    last_task_row = ws.max_row - 4
    assert ws.auto_filter.ref.endswith(str(last_task_row))
    assert isinstance(values(ws, last_task_row)[0], int)


def test_an_inferred_lead_cell_is_drawn_differently(client, ingest_text):
    plan = ingest_text(HETANG_JOINT_PLAN, lead_convention=Plan.LeadConvention.FIRST_LISTED).plan
    workbook, _ = get_workbook(client, matrix_url(plan))
    ws = workbook.active
    cell = next(c for row in ws.iter_rows(min_row=4) for c in row if c.value == "牵")
    assert cell.font.i and cell.border.left.style == "dashed"
    stated = seed_plan("000")
    workbook, _ = get_workbook(client, matrix_url(stated))
    cell = next(c for row in workbook.active.iter_rows(min_row=4) for c in row if c.value == "牵")
    assert not cell.font.i and cell.fill.fill_type == "solid"


def test_the_matrix_prints_on_a4_landscape_one_page_wide(client):
    workbook, _ = get_workbook(client, matrix_url(seed_plan("001")))
    ws = workbook.active
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 and ws.page_setup.orientation == "landscape"
    assert (ws.page_setup.fitToWidth or 1) == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$3:$3"
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"


def test_the_matrix_runs_the_same_queries_as_its_page(client, ingest_text, django_assert_num_queries):
    small = ingest_text(TIANXIN_PLAN).plan
    for plan in (small, seed_plan("001")):
        with django_assert_num_queries(MATRIX_QUERIES):
            assert client.get(matrix_url(plan)).status_code == 200


# --- Links and errors ---------------------------------------------------------------------------------------------


def test_the_plan_and_matrix_pages_link_to_their_exports(client):
    plan = seed_plan("003")
    soup = get_page(client, f"/plans/{plan.pk}/")
    assert soup.select_one(".actions a#division-xlsx")["href"] == division_url(plan)
    soup = get_page(client, f"/plans/{plan.pk}/matrix/")
    assert soup.select_one("a#matrix-xlsx")["href"] == matrix_url(plan)


def test_an_unknown_plan_has_no_exports(client):
    assert client.get("/plans/999999/division.xlsx").status_code == 404
    assert client.get("/plans/999999/matrix.xlsx").status_code == 404
