"""Appendix tables flattened to text by a Word export.

Every cell is a line that starts with a tab; rows are separated by blank
lines; merged cells are simply missing; some rows hold only empty cells; a
cell that held blank lines continues on lines without the tab. Columns are
found by their header names, never by position alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation


@dataclass
class Row:
    cells: list[str]
    line: int


@dataclass
class Table:
    name: str  # 附件1
    title: str
    line: int
    rows: list[Row] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)


# 附件1 重点事项清单, 附件：…, 附表 …: a line that opens an appendix (a sentence that starts so is no heading).
# 注：…, 备注：…: a note under a table, which ends it.
NOTE = re.compile(r"^(注|备注|说明)[:：]")
# | a | b |: a row of a Markdown table (a web page's table scraped to text).
PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
APPENDIX_HEADING = re.compile(r"^(?P<kind>附件|附表)\s*(?P<n>\d*)\s*(?:[:：]\s*|\s+|$)(?P<title>[^。]*)$")


def read_rows(lines: list[tuple[int, str]]) -> tuple[list[Row], list[tuple[int, str]]]:
    """Group (line number, text) pairs into rows of cells, and notes after the table."""
    rows: list[Row] = []
    notes: list[tuple[int, str]] = []
    cells: list[str] = []
    start = 0
    pending_blank = False

    def flush() -> None:
        nonlocal cells
        if any(c.strip() for c in cells):
            rows.append(Row([c.strip() for c in cells], start))
        cells = []

    for number, text in lines:
        if not text:  # a lone tab is an empty cell, not a blank line
            pending_blank = True
            continue
        if text.startswith("\t"):
            if pending_blank:
                flush()
                pending_blank = False
            if not cells:
                start = number
            cells.append(text[1:])
        elif cells and not _is_note(text):
            # A cell whose text was pushed below blank lines: same cell, same row.
            cells[-1] = (cells[-1] + text).strip()
            pending_blank = False
        else:
            flush()
            pending_blank = False
            notes.append((number, text))
    flush()
    return rows, notes


def _is_note(text: str) -> bool:
    return bool(re.match(r"^(注|备注|说明)[:：]", text))


def header_index(header: list[str], *names: str) -> int | None:
    """Position of the first header cell that contains one of `names`."""
    for i, cell in enumerate(header):
        compact = re.sub(r"\s+", "", cell)
        if any(n in compact for n in names):
            return i
    return None


def parse_years(text: str) -> tuple[int | None, int | None]:
    years = [int(y) for y in re.findall(r"(20\d{2}|19\d{2})", text)]
    if not years:
        return None, None
    return years[0], years[-1]


def parse_amount(text: str) -> Decimal | None:
    cleaned = text.replace(",", "").replace("，", "").strip()
    if not re.fullmatch(r"\d+(\.\d+)?", cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def parse_int(text: str) -> int | None:
    return int(text) if re.fullmatch(r"\d+", text.strip()) else None
