"""Reading a filled round sheet, in the reader style of the 分工表 import: the header found by its names, every
problem with its cell. Pure Python with openpyxl, no Django.

A round sheet is any sheet with a header row naming 重点任务 (or 任务代码) and 进展状态, plus any of 完成进度（%）,
进展情况, 存在问题, 下步计划, within the first 15 rows. Rows with nothing in the status, progress and text columns
are skipped: the unit had nothing to say on that task this time. The file is read within bounds
(lib/spreadsheets/reading.py), as the 分工表 is: a cell merged down a column counts for every row it covers,
and a formula without a saved result is a problem at its cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lib.spreadsheets.problems import Cell, Problem, WorkbookError
from lib.spreadsheets.reading import cell_text, find_header, read_sheets

MAX_ROWS = 5000
HEADERS = {
    "序号": "number",
    "重点任务": "title",
    "任务": "title",
    "任务名称": "title",
    "任务代码": "ref",
    "进展状态": "status",
    "状态": "status",
    "完成进度（%）": "percent",
    "完成进度(%)": "percent",
    "完成进度": "percent",
    "完成百分比": "percent",
    "进展情况": "progress",
    "工作进展": "progress",
    "存在问题": "problems",
    "存在的问题": "problems",
    "下步计划": "next_steps",
    "下一步计划": "next_steps",
    "下步工作计划": "next_steps",
}
FILLED = ("status", "percent", "progress", "problems", "next_steps")


@dataclass
class SheetEntry:
    row: int
    title: str
    ref: str
    values: dict[str, str]
    cells: dict[str, Cell]


@dataclass
class RoundSheet:
    sheet: str
    entries: list[SheetEntry]
    columns: dict[str, int]
    problems: list[Problem] = field(default_factory=list)


def read_round_sheet(data: bytes) -> RoundSheet:
    """The first sheet that looks like a round sheet. Raises WorkbookError for a file that cannot be used."""
    for sheet in read_sheets(data, MAX_ROWS):
        found = find_header(sheet.rows, HEADERS, _round_sheet_header)
        if found is not None:
            return _read_rows(sheet, *found)
    raise WorkbookError(
        "没有找到进展报送表：任何工作表的前 15 行都没有同时含“重点任务”（或“任务代码”）和“进展状态”的表头。"
    )


def _read_rows(read, header_index: int, columns: dict[str, int]) -> RoundSheet:
    sheet, rows = read.title, read.rows
    result = RoundSheet(sheet, [], columns)
    for index in range(header_index + 1, len(rows)):
        values = rows[index]
        number = index + 1

        def value(name: str, values=values, number=number) -> str:
            column = columns.get(name)
            if column and (number, column) in read.unsaved_formulas:
                result.problems.append(
                    Problem(
                        Cell(sheet, number, column), "单元格是公式，但文件里没有保存计算结果：请在 Excel 中打开并保存。"
                    )
                )
                return ""
            return cell_text(values[column - 1]) if column and column <= len(values) else ""

        filled = {name: value(name) for name in FILLED if name in columns}
        if not any(filled.values()):
            continue
        title, ref = value("title"), value("ref")
        anchor = Cell(sheet, number, columns.get("title") or columns["ref"])
        if not title and not ref:
            result.problems.append(Problem(anchor, "填了进展，但没有填重点任务或任务代码。"))
            continue
        cells = {name: Cell(sheet, number, columns[name]) for name in filled}
        result.entries.append(SheetEntry(number, title, ref, filled, cells | {"title": anchor}))
    return result


def _round_sheet_header(columns: dict[str, int]) -> bool:
    return ("title" in columns or "ref" in columns) and "status" in columns
