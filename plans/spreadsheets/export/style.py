"""The look every export shares, and the rules every cell and sheet name follows.

Styles are registered on each workbook as named styles (`add_styles`) and
applied by name: one lookup per cell instead of four, which matters for a long
list, and a clerk finds them in Excel's cell-style gallery.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from ... import labels

FONT_NAME = "等线"
BODY_SIZE = 10.5  # 五号, the size of a printed government table

# Units in one cell, in the order the plan writes them.
UNIT_SEPARATOR = "、"
# Appended to a lead the plan's first-listed rule inferred; the 分工表 import strips it.
INFERRED_MARK = labels.INFERRED

# Named styles, by the name a clerk sees in Excel.
TITLE = "导出-标题"
NOTE = "导出-说明"
HEADER = "导出-表头"
HEADER_VERTICAL = "导出-表头竖排"
BODY = "导出-正文"
CENTER = "导出-居中"
NUMBER = "导出-数值"
CODE = "导出-代码"
WARNING = "导出-提示"
PART = "导出-部分"
SECTION = "导出-章节"
TOTAL = "导出-合计"
LEAD = "导出-牵头"
LEAD_INFERRED = "导出-推定牵头"
COOPERATING = "导出-配合"
JOINT = "导出-共同负责"

_THIN = Side(style="thin", color="000000")
_DASHED = Side(style="dashed", color="000000")
GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_DASHED_BOX = Border(left=_DASHED, right=_DASHED, top=_DASHED, bottom=_DASHED)


def _font(size: float = BODY_SIZE, **kwargs) -> Font:
    return Font(name=FONT_NAME, size=size, **kwargs)


def _fill(rgb: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)


_TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
_CENTERED = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _styles() -> list[NamedStyle]:
    """Fresh NamedStyle objects: registering one binds it to that workbook, so each workbook gets its own."""
    return [
        NamedStyle(TITLE, font=_font(16, bold=True), alignment=Alignment(horizontal="center", vertical="center")),
        NamedStyle(NOTE, font=_font(10, color="404040"), alignment=Alignment(horizontal="left", vertical="center")),
        NamedStyle(HEADER, font=_font(bold=True), fill=_fill("DDEBE4"), border=GRID, alignment=_CENTERED),
        NamedStyle(
            HEADER_VERTICAL,
            font=_font(bold=True),
            fill=_fill("DDEBE4"),
            border=GRID,
            # 255: characters stacked top to bottom, as Chinese is written vertically.
            alignment=Alignment(horizontal="center", vertical="top", text_rotation=255, wrap_text=True),
        ),
        NamedStyle(BODY, font=_font(), border=GRID, alignment=_TOP_LEFT),
        NamedStyle(CENTER, font=_font(), border=GRID, alignment=_CENTERED),
        NamedStyle(
            NUMBER,
            font=_font(),
            border=GRID,
            number_format="#,##0.00",
            alignment=Alignment(horizontal="right", vertical="top"),
        ),
        NamedStyle(CODE, font=_font(9, color="808080"), border=GRID, alignment=_CENTERED),
        NamedStyle(WARNING, font=_font(color="A4320C", bold=True), border=GRID, alignment=_TOP_LEFT),
        NamedStyle(
            PART,
            font=_font(11, bold=True),
            fill=_fill("C9DDD2"),
            border=GRID,
            alignment=Alignment(horizontal="left", vertical="center"),
        ),
        NamedStyle(
            SECTION,
            font=_font(bold=True),
            fill=_fill("EEF4F0"),
            border=GRID,
            alignment=Alignment(horizontal="left", vertical="center"),
        ),
        NamedStyle(TOTAL, font=_font(bold=True), fill=_fill("F2F2F2"), border=GRID, alignment=_CENTERED),
        NamedStyle(LEAD, font=_font(bold=True), fill=_fill("D5E8DD"), border=GRID, alignment=_CENTERED),
        # Dashed and italic, as the page draws an inferred lead: still readable in black and white.
        NamedStyle(LEAD_INFERRED, font=_font(bold=True, italic=True), border=_DASHED_BOX, alignment=_CENTERED),
        NamedStyle(COOPERATING, font=_font(), fill=_fill("E4E9EE"), border=GRID, alignment=_CENTERED),
        NamedStyle(JOINT, font=_font(bold=True), fill=_fill("FFF4DC"), border=GRID, alignment=_CENTERED),
    ]


def add_styles(workbook) -> None:
    for named in _styles():
        workbook.add_named_style(named)


# --- Text that stays text -----------------------------------------------------------------------------------------

# A cell starting with one of these is a formula to Excel once someone edits it (and to openpyxl, for `=`).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32767  # Excel's limit per cell


def cell(ws, value, style: str | None = None) -> Cell:
    """The one place a value becomes a cell; every export writes through it.

    openpyxl stores a string that starts with `=` as a formula (and `#N/A` as
    an error): `Cell._bind_value` picks the type from the value. Text from a
    plan must stay text, so every string cell is forced to data type `s`
    (written as an inline string, never `<f>`), and one that starts like a
    formula also gets the quotePrefix style, so that editing it in Excel keeps
    it text. Control characters Excel refuses are dropped.
    """
    result = WriteOnlyCell(ws)
    if style:
        result.style = style
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_TEXT]
        if text:
            result.value = text
            result.data_type = "s"
            if text.startswith(FORMULA_STARTS):
                result.quotePrefix = True
    else:
        result.value = value
    return result


def join_units(names: Iterable[str]) -> str:
    return UNIT_SEPARATOR.join(names)


def units_by_role(duties: Iterable) -> dict[str, tuple[str, ...]]:
    """A task's agency names by role (lead, cooperating, joint), each in the order given (Duty.position).

    An inferred lead is marked （推定）. Takes duties with their agencies loaded; runs no queries.
    """
    units: dict[str, list[str]] = {"lead": [], "cooperating": [], "joint": []}
    for duty in duties:
        mark = INFERRED_MARK if duty.inferred and duty.role == "lead" else ""
        units[duty.role].append(duty.agency.name + mark)
    return {role: tuple(names) for role, names in units.items()}


def target_lines(task) -> tuple[str, ...]:
    """`到2025年：…`, one per target sentence (Task.target_lines; uses the prefetched targets)."""
    return tuple(f"{target.label}：{target.text}" for target in task.target_lines())


chinese_date = labels.chinese_date


# --- Sheet names --------------------------------------------------------------------------------------------------

MAX_SHEET_TITLE = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def _utf16_length(text: str) -> int:
    # Excel counts UTF-16 code units: a character outside the BMP takes two of the 31.
    return len(text.encode("utf-16-le")) // 2


def _shorten(text: str, limit: int) -> str:
    while _utf16_length(text) > limit:
        text = text[:-1]
    return text


def sheet_title(name: str, taken: Iterable[str] = ()) -> str:
    """A sheet name Excel accepts, made from `name` and unlike every name in `taken`.

    Excel refuses [ ] : * ? / \\, a name longer than 31 characters, a blank
    name, one that starts or ends with an apostrophe, and History (reserved);
    names are compared ignoring case. Forbidden characters become _, and a
    name already taken gets (2), (3)…
    """
    title = _SHEET_FORBIDDEN.sub("_", name).strip().strip("'").strip()
    title = _shorten(title, MAX_SHEET_TITLE).strip().strip("'") or "Sheet"
    if title.lower() == "history":
        title = f"{title}_"
    used = {existing.lower() for existing in taken}
    candidate, number = title, 1
    while candidate.lower() in used:
        number += 1
        suffix = f"({number})"
        candidate = _shorten(title, MAX_SHEET_TITLE - len(suffix)).rstrip("'") + suffix
    return candidate


# --- Printing -----------------------------------------------------------------------------------------------------

PAGE_FOOTER = "第 &P 页，共 &N 页"


def set_up_printing(ws, *, header_row: int) -> None:
    """A4 landscape, one page wide and as many long as it takes, the header row on every page, page numbers.

    In a write-only sheet call this before the first row: the fit-to-page
    flag is a sheet property, written ahead of the rows.
    """
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    # The constants live on Worksheet; a write-only sheet does not copy them.
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.7, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddFooter.center.text = PAGE_FOOTER
    ws.oddFooter.center.font = f"{FONT_NAME},Regular"
