"""Reading an edited 分工表 workbook, and marking its problem cells. Pure Python with openpyxl, no Django.

A 分工表 is any sheet with a header row naming at least 重点任务 and 牵头单位;
the other columns (序号, 配合单位, 共同负责单位, 任务代码) are found by their
header wherever they are. Rows below the header are tasks; a row with nothing
in the task or unit columns (a section heading, say) is skipped.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
HEADER_SEARCH_ROWS = 15

# Header text (spaces removed) → field. Several spellings clerks use for the same column.
HEADERS = {
    "序号": "number",
    "编号": "number",
    "重点任务": "title",
    "任务": "title",
    "任务名称": "title",
    "牵头单位": "lead",
    "牵头": "lead",
    "配合单位": "cooperating",
    "配合": "cooperating",
    "责任单位": "cooperating",
    "共同负责单位": "joint",
    "共同负责": "joint",
    "任务代码": "ref",
}
REQUIRED = ("title", "lead")
UNIT_FIELDS = ("lead", "cooperating", "joint")
# 、 is how plans join units; clerks also type commas, semicolons, spaces or line breaks.
_SPLIT = re.compile(r"[、，,；;\n\r\t/]+|\s{2,}")


class WorkbookError(Exception):
    """The file cannot be read as a 分工表 at all; the message says why, for the person who uploaded it."""


@dataclass
class Cell:
    sheet: str
    row: int
    column: int

    @property
    def coordinate(self) -> str:
        return f"{get_column_letter(self.column)}{self.row}"

    def __str__(self) -> str:
        return f"工作表“{self.sheet}”第 {self.row} 行 {self.coordinate} 单元格"


@dataclass
class Problem:
    cell: Cell
    message: str

    def __str__(self) -> str:
        return f"{self.cell}：{self.message}"


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


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def split_units(text: str) -> list[str]:
    """`区发改局、区财政局` → the names, in order, empty pieces dropped."""
    return [piece.strip() for piece in _SPLIT.split(text) if piece.strip()]


def open_workbook(data: bytes):
    """The workbook, read-only, or WorkbookError saying why the file cannot be used (size, encryption, format)."""
    if not data:
        raise WorkbookError("文件是空的。")
    if len(data) > MAX_BYTES:
        raise WorkbookError(f"文件太大（{len(data) / 1024 / 1024:.1f} MB），上限为 {MAX_BYTES // 1024 // 1024} MB。")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        # Encrypted .xlsx files and old .xls files are both OLE compound documents.
        raise WorkbookError("文件已加密（设有打开密码）或为旧版 .xls 格式：请取消密码，另存为 .xlsx 后再上传。")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise WorkbookError("这不是 Excel 工作簿（.xlsx）文件。")
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise WorkbookError(f"无法读取该 Excel 文件：{error}") from error


def _find_header(rows: list[tuple]) -> tuple[int, dict[str, int]] | None:
    for index, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for column, value in enumerate(values, start=1):
            field_name = HEADERS.get(re.sub(r"\s+", "", _text(value)))
            if field_name and field_name not in columns:
                columns[field_name] = column
        if all(name in columns for name in REQUIRED):
            return index, columns
    return None


def read_division(data: bytes) -> Division:
    """The first sheet that looks like a 分工表, read row by row. Raises WorkbookError for an unusable file."""
    workbook = open_workbook(data)
    try:
        for sheet in workbook.worksheets:
            rows = []
            for values in sheet.iter_rows(values_only=True):
                rows.append(values)
                if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                    raise WorkbookError(f"工作表“{sheet.title}”超过 {MAX_ROWS} 行，请拆分后上传。")
            found = _find_header(rows)
            if found is not None:
                header_index, columns = found
                return _read_rows(sheet.title, rows, header_index, columns)
    finally:
        workbook.close()
    raise WorkbookError("没有找到分工表：任何工作表的前 15 行都没有同时含“重点任务”和“牵头单位”的表头。")


def _read_rows(sheet: str, rows: list[tuple], header_index: int, columns: dict[str, int]) -> Division:
    division = Division(sheet=sheet, rows=[], columns=columns)

    def value(values: tuple, name: str) -> str:
        column = columns.get(name)
        return _text(values[column - 1]) if column and column <= len(values) else ""

    for index in range(header_index + 1, len(rows)):
        values = rows[index]
        row_number = index + 1
        title = value(values, "title")
        unit_texts = {name: value(values, name) for name in UNIT_FIELDS if name in columns}
        if not title and not any(unit_texts.values()):
            continue  # blank, or a section row whose heading sits in the 序号 column
        title_cell = Cell(sheet, row_number, columns["title"])
        if not title:
            division.problems.append(Problem(title_cell, "填了责任单位，但没有填重点任务。"))
            continue
        row = SheetRow(row_number, value(values, "number"), title, value(values, "ref"), title_cell)
        for name, text in unit_texts.items():
            row.units.append(UnitCell(name, split_units(text), Cell(sheet, row_number, columns[name])))
        division.rows.append(row)
    if not division.rows and not division.problems:
        division.problems.append(Problem(Cell(sheet, header_index + 1, columns["title"]), "表头下面没有任务行。"))
    return division


# Light red, as spreadsheets mark cells to fix.
_PROBLEM_FILL = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")


def annotate(data: bytes, problems: list[Problem]) -> bytes:
    """The uploaded workbook with every problem cell filled red and commented with what is wrong."""
    workbook = load_workbook(io.BytesIO(data))
    by_cell: dict[tuple[str, str], list[str]] = {}
    for problem in problems:
        by_cell.setdefault((problem.cell.sheet, problem.cell.coordinate), []).append(problem.message)
    for (sheet, coordinate), messages in by_cell.items():
        if sheet not in workbook.sheetnames:
            continue
        cell = workbook[sheet][coordinate]
        cell.fill = _PROBLEM_FILL
        comment = Comment("\n".join(messages), "系统校验")
        comment.width, comment.height = 300, 120
        cell.comment = comment
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
