"""Excel workbooks (.xlsx): a 分工表 passed around as a sheet is a plan of its own.

Offices keep 分工表 as workbooks: a title row (merged across the sheet), a header row (序号 / 重点任务 / 牵头单位 /
配合单位 / 完成时限 and their variants), section rows merged across, task rows with 序号 and 重点任务 merged down
over the measures under them. Each sheet that has such a header becomes, in the canonical text, its title lines
and then its table, which plans.parsing.division reads as the plan's tasks. The workbook is read within the bounds
of lib.spreadsheets.reading (what the archive unpacks to, rows, columns, merged ranges), whatever it claims.
"""

from __future__ import annotations

from datetime import date, datetime

from lib.spreadsheets.reading import SpreadsheetError, read_sheets

from ..division import HEADER_ROWS, find_header
from ..structures import PlanFormatError
from ..tables import Row
from .base import Builder, Source

MAX_ROWS = 3000  # filled rows of one sheet: a 分工表 of a whole province's work report runs to a few hundred


def read_workbook(data: bytes, name: str) -> Source:
    try:
        sheets = list(read_sheets(data, MAX_ROWS))
    except SpreadsheetError as error:
        raise PlanFormatError(name, str(error)) from None
    out = Builder(name)
    found = 0
    for sheet in sheets:
        rows = [[_text(value) for value in row] for row in sheet.rows]
        first = next((i for i, row in enumerate(rows) if any(row)), None)
        if first is None:
            continue
        head = rows[first : first + HEADER_ROWS + 2]
        header = find_header([Row(cells, i) for i, cells in enumerate(head)])
        if header is None:
            continue
        found += 1
        for number in range(first, first + header):
            # The rows above the header: the table's title, and the notice lines a clerk put there.
            for cell in rows[number]:
                if cell:
                    out.paragraph(cell, f"工作表“{sheet.title}”第{number + 1}行")
        table = rows[first + header :]
        # Columns a clerk only formatted hold nothing: the table is as wide as its last filled column.
        width = max((max((c for c, cell in enumerate(row) if cell), default=-1) for row in table), default=-1) + 1
        table = [row[:width] for row in table]
        table = [row + [""] * (width - len(row)) for row in table]
        start = first + header
        out.table(table, lambda r, c, s=sheet.title, start=start: f"工作表“{s}”第{start + r + 1}行第{c + 1}列")
    if not found:
        raise PlanFormatError(
            name,
            "工作簿中没有分工表：任何工作表的前几行都没有同时写明任务（如“重点任务”）和责任单位（如“牵头单位”）的表头。"
            "如果这是从本系统导出后修改的分工表，请在方案页面“导入修改后的分工表”",
        )
    return out.source(name, "xlsx")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
