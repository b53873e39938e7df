"""Reading an edited 分工表 workbook without Django: headers by name, rows, bad files, marking problems."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from lib.spreadsheets.problems import Cell, Problem, WorkbookError, annotate
from plans.spreadsheets.division_import.workbook import MAX_BYTES, read_division, split_units
from tests.workbooks import xlsx_with


def xlsx(*sheets: tuple[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_columns_are_found_by_header_in_any_order_below_title_rows():
    data = xlsx(
        (
            "分工",
            [
                ["某区碳达峰实施方案任务分工表"],
                ["导出日期：2026年11月21日"],
                ["配合单位", "重点任务", "序号", "牵头单位"],
                ["（一）推进能源结构低碳转型"],
                ["区财政局、区自然资源局", "大力发展可再生能源", 1, "区发展和改革局"],
            ],
        )
    )
    division = read_division(data)
    assert division.sheet == "分工"
    assert [(r.row, r.number, r.title) for r in division.rows] == [(5, "1", "大力发展可再生能源")]
    units = {u.role: (u.names, u.cell.coordinate) for u in division.rows[0].units}
    assert units == {"lead": (["区发展和改革局"], "D5"), "cooperating": (["区财政局", "区自然资源局"], "A5")}


def test_the_first_sheet_with_the_header_is_read():
    data = xlsx(("说明", [["请勿修改表头"]]), ("任务分工", [["重点任务", "牵头单位"], ["任务甲", "区财政局"]]))
    assert read_division(data).sheet == "任务分工"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("区发改局、区财政局", ["区发改局", "区财政局"]),
        ("区发改局，区财政局;区统计局", ["区发改局", "区财政局", "区统计局"]),
        ("区发改局\n区财政局", ["区发改局", "区财政局"]),
        ("、区发改局、、", ["区发改局"]),
        ("", []),
    ],
)
def test_units_in_a_cell_are_split_as_clerks_type_them(text, names):
    assert split_units(text) == names


def test_units_without_a_task_are_a_problem_at_the_task_cell():
    data = xlsx(("表", [["重点任务", "牵头单位"], ["", "区财政局"]]))
    problems = read_division(data).problems
    assert [(p.cell.coordinate, p.message) for p in problems] == [("A2", "填了责任单位，但没有填重点任务。")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件是空的"),
        (b"not a spreadsheet at all", "不是 Excel 工作簿"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "已加密"),
        (b"PK\x03\x04" + b"\0" * (MAX_BYTES + 1), "文件太大"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(data, message):
    with pytest.raises(WorkbookError, match=message):
        read_division(data)


def test_a_workbook_without_the_header_is_refused():
    with pytest.raises(WorkbookError, match="没有找到分工表"):
        read_division(xlsx(("Sheet", [["名称", "单位"], ["甲", "乙"]])))


def test_a_header_with_no_rows_under_it_is_a_problem():
    problems = read_division(xlsx(("表", [["重点任务", "牵头单位"]]))).problems
    assert [p.message for p in problems] == ["表头下面没有任务行。"]


def test_problem_cells_are_filled_and_commented_in_the_copy():
    data = xlsx(("表", [["重点任务", "牵头单位"], ["任务甲", "区不存在局"]]))
    marked = load_workbook(io.BytesIO(annotate(data, [Problem(Cell("表", 2, 2), "未知单位")])))
    cell = marked["表"]["B2"]
    assert cell.comment.text == "未知单位"
    assert cell.fill.start_color.rgb == "FFFFC7CE"
    assert marked["表"]["A2"].comment is None


def test_a_lead_merged_down_three_task_rows_leads_all_three():
    rows = [
        ["重点任务", "牵头单位", "配合单位"],
        ["任务甲", "区发改局", "区财政局"],
        ["任务乙", None, ""],
        ["任务丙", None, ""],
    ]
    division = read_division(xlsx_with(rows, merges=("B2:B4",)))
    leads = [next(u.names for u in row.units if u.role == "lead") for row in division.rows]
    assert leads == [["区发改局"], ["区发改局"], ["区发改局"]]
    assert division.problems == []


def test_a_heading_merged_across_the_table_lends_its_text_to_no_other_column():
    rows = [["序号", "重点任务", "牵头单位"], ["（一）推进能源转型", None, None], [1, "任务甲", "区发改局"]]
    division = read_division(xlsx_with(rows, merges=("A2:C2",)))
    assert [(row.title, row.units[0].names) for row in division.rows] == [("任务甲", ["区发改局"])]


def test_a_formula_without_a_saved_result_is_a_problem_not_an_empty_cell():
    rows = [["重点任务", "牵头单位"], ["任务甲", None]]
    division = read_division(xlsx_with(rows, formulas={"B2": '="区发改局"'}))
    assert [(p.cell.coordinate, p.message[:12]) for p in division.problems] == [("B2", "单元格是公式，但文件里没")]


def test_an_over_long_cell_is_a_problem_at_that_cell():
    rows = [["重点任务", "牵头单位"], ["任" * 301, "区发改局"]]
    problems = read_division(xlsx_with(rows)).problems
    assert [(p.cell.coordinate, p.message) for p in problems] == [("A2", "内容过长（301 字），此栏最多 300 字。")]


def test_a_problem_in_a_merged_cell_is_marked_on_the_ranges_first_cell():
    rows = [["重点任务", "牵头单位"], ["任务甲", "区不存在局"], ["任务乙", None]]
    data = xlsx_with(rows, merges=("B2:B3",))
    marked = load_workbook(
        io.BytesIO(annotate(data, [Problem(Cell("表", 2, 2), "甲"), Problem(Cell("表", 3, 2), "乙")]))
    )
    assert marked["表"]["B2"].comment.text == "甲\n乙"
