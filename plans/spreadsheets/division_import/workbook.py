"""Reading an edited 分工表 workbook, and marking its problem cells. Pure Python with openpyxl, no Django.

A 分工表 is any sheet with a header row naming at least 重点任务 and 牵头单位;
the other columns (序号, 配合单位, 共同负责单位, 任务代码) are found by their
header wherever they are. Rows below the header are tasks; a row with nothing
in the task or unit columns (a section heading, say) is skipped. The file is
read within bounds (lib/spreadsheets/reading.py): merged cells count for
every row they cover, and a formula without a saved result is a problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lib import vocabulary as words
from lib.spreadsheets.problems import Cell, Problem, WorkbookError
from lib.spreadsheets.reading import (
    MAX_BYTES,
    cell_text,
    find_header,
    read_sheets,
)

MAX_ROWS = 5000  # filled rows of a sheet, title and header included
# The most a cell the import reads may hold: a task title as the model keeps it, a list of units, a number, a code.
MAX_CHARACTERS = {"title": 300, "lead": 2000, "cooperating": 2000, "joint": 2000, "number": 20, "ref": 40}

# Header text (spaces removed) → field: the spellings clerks use for each column, from the one vocabulary of the
# words plans use for roles (lib/vocabulary.py). Beside a 牵头 column every other unit column cooperates.
HEADERS = {
    **dict.fromkeys(("序号", "编号"), "number"),
    **dict.fromkeys(("重点任务", "任务", "任务名称"), "title"),
    **dict.fromkeys((*words.TABLE_HEADINGS["lead"], *words.LEAD_VERBS), "lead"),
    **dict.fromkeys(
        (
            *words.TABLE_HEADINGS["cooperating"],
            *words.TABLE_HEADINGS["responsible"],
            *words.TABLE_HEADINGS["guiding"],
            *words.COOPERATING_VERBS,
        ),
        "cooperating",
    ),
    **dict.fromkeys(words.JOINT_HEADINGS, "joint"),
    "任务代码": "ref",
}
REQUIRED = ("title", "lead")
UNIT_FIELDS = ("lead", "cooperating", "joint")
# 、 is how plans join units; clerks also type commas, semicolons, spaces or line breaks.
_SPLIT = re.compile(r"[、，,；;\n\r\t/]+|\s{2,}")


__all__ = ["MAX_BYTES", "Division", "read_division", "split_units"]


@dataclass
class UnitCell:
    """The units written in one cell, in order, with the role its column gives them."""

    role: str
    names: list[str]
    cell: Cell


@dataclass
class SheetRow:
    row: int
    number: str
    title: str
    ref: str
    title_cell: Cell
    units: list[UnitCell] = field(default_factory=list)


@dataclass
class Division:
    sheet: str
    rows: list[SheetRow]
    columns: dict[str, int]
    problems: list[Problem] = field(default_factory=list)


def split_units(text: str) -> list[str]:
    """`区发改局、区财政局` → the names, in order, empty pieces dropped."""
    return [piece.strip() for piece in _SPLIT.split(text) if piece.strip()]


def read_division(data: bytes) -> Division:
    """The first sheet that looks like a 分工表, read row by row. Raises WorkbookError for an unusable file."""
    for sheet in read_sheets(data, MAX_ROWS):
        found = find_header(sheet.rows, HEADERS, _division_header)
        if found is not None:
            header_index, columns = found
            return _read_rows(sheet, header_index, columns)
    raise WorkbookError("没有找到分工表：任何工作表的前 15 行都没有同时含“重点任务”和“牵头单位”的表头。")


def _read_rows(sheet, header_index: int, columns: dict[str, int]) -> Division:
    division = Division(sheet=sheet.title, rows=[], columns=columns)
    rows = sheet.rows

    def value(number: int, name: str) -> str:
        """The cell's text, or "" with a problem for what cannot be read as written."""
        column = columns.get(name)
        if not column:
            return ""
        cell = Cell(sheet.title, number, column)
        if (number, column) in sheet.unsaved_formulas:
            division.problems.append(
                Problem(cell, "单元格是公式，但文件里没有保存计算结果：请在 Excel 中打开并保存，或把公式改为文字。")
            )
            return ""
        text = cell_text(sheet.value(number, column))
        if len(text) > MAX_CHARACTERS[name]:
            division.problems.append(Problem(cell, f"内容过长（{len(text)} 字），此栏最多 {MAX_CHARACTERS[name]} 字。"))
            return ""
        return text

    for index in range(header_index + 1, len(rows)):
        row_number = index + 1
        title = value(row_number, "title")
        unit_texts = {name: value(row_number, name) for name in UNIT_FIELDS if name in columns}
        if not title and not any(unit_texts.values()):
            continue  # blank, or a section row whose heading sits in the 序号 column
        title_cell = Cell(sheet.title, row_number, columns["title"])
        if not title:
            if not any(p.cell == title_cell for p in division.problems):
                division.problems.append(Problem(title_cell, "填了责任单位，但没有填重点任务。"))
            continue
        row = SheetRow(row_number, value(row_number, "number"), title, value(row_number, "ref"), title_cell)
        for name, text in unit_texts.items():
            row.units.append(UnitCell(name, split_units(text), Cell(sheet.title, row_number, columns[name])))
        division.rows.append(row)
    if not division.rows and not division.problems:
        division.problems.append(Problem(Cell(sheet.title, header_index + 1, columns["title"]), "表头下面没有任务行。"))
    return division


# Light red, as spreadsheets mark cells to fix.
def _division_header(columns: dict[str, int]) -> bool:
    return all(name in columns for name in REQUIRED)
