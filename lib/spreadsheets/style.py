"""The look every export shares, and the rules every cell and sheet name follows.

The files are written with XlsxWriter in its constant-memory mode: each row goes to a temporary file as soon
as the next one starts, so a 50,000-row list costs as little memory as a short one, and it writes about three
times faster than openpyxl's write-only mode. Formats are made once per workbook (`Styles`) and applied by
the names below.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

FONT_NAME = "等线"
BODY_SIZE = 10.5  # 五号, the size of a printed government table


# Style names, one per kind of cell.
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

THIN, DASHED = 1, 3  # XlsxWriter's border styles
_GRID = {"border": THIN}
_TOP_LEFT = {"align": "left", "valign": "top", "text_wrap": True}
_CENTERED = {"align": "center", "valign": "vcenter", "text_wrap": True}


def _font(size: float = BODY_SIZE, **kwargs) -> dict:
    return {"font_name": FONT_NAME, "font_size": size, **kwargs}


def _fill(rgb: str) -> dict:
    return {"pattern": 1, "bg_color": f"#{rgb}"}


FORMATS: dict[str, dict] = {
    TITLE: {**_font(16, bold=True), "align": "center", "valign": "vcenter"},
    NOTE: {**_font(10, font_color="#404040"), "align": "left", "valign": "vcenter"},
    HEADER: {**_font(bold=True), **_fill("DDEBE4"), **_GRID, **_CENTERED},
    # 270: characters stacked top to bottom, as Chinese is written vertically.
    HEADER_VERTICAL: {
        **_font(bold=True),
        **_fill("DDEBE4"),
        **_GRID,
        "align": "center",
        "valign": "top",
        "rotation": 270,
        "text_wrap": True,
    },
    BODY: {**_font(), **_GRID, **_TOP_LEFT},
    CENTER: {**_font(), **_GRID, **_CENTERED},
    NUMBER: {**_font(), **_GRID, "num_format": "#,##0.00", "align": "right", "valign": "top"},
    CODE: {**_font(9, font_color="#808080"), **_GRID, **_CENTERED},
    WARNING: {**_font(font_color="#A4320C", bold=True), **_GRID, **_TOP_LEFT},
    PART: {**_font(11, bold=True), **_fill("C9DDD2"), **_GRID, "align": "left", "valign": "vcenter"},
    SECTION: {**_font(bold=True), **_fill("EEF4F0"), **_GRID, "align": "left", "valign": "vcenter"},
    TOTAL: {**_font(bold=True), **_fill("F2F2F2"), **_GRID, **_CENTERED},
    LEAD: {**_font(bold=True), **_fill("D5E8DD"), **_GRID, **_CENTERED},
    # Dashed and italic, as the page draws an inferred lead: still readable in black and white.
    LEAD_INFERRED: {**_font(bold=True, italic=True), "border": DASHED, **_CENTERED},
    COOPERATING: {**_font(), **_fill("E4E9EE"), **_GRID, **_CENTERED},
    JOINT: {**_font(bold=True), **_fill("FFF4DC"), **_GRID, **_CENTERED},
}


class Styles:
    """The formats of one workbook by style name, each also with Excel's quotePrefix for text kept as text."""

    def __init__(self, workbook):
        self._workbook = workbook
        self._formats = {name: workbook.add_format(spec) for name, spec in FORMATS.items()}
        self._quoted: dict[str, object] = {}

    def __getitem__(self, name: str):
        return self._formats[name]

    def quoted(self, name: str):
        if name not in self._quoted:
            self._quoted[name] = self._workbook.add_format({**FORMATS[name], "quote_prefix": True})
        return self._quoted[name]


# --- Text that stays text -----------------------------------------------------------------------------------------

# A cell starting with one of these is a formula to Excel once someone edits it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32767  # Excel's limit per cell
# Control characters Excel refuses in a cell (tab, line feed and carriage return are allowed).
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def cell(ws, styles: Styles, row: int, col: int, value, style: str) -> None:
    """The one place a value becomes a cell; every export writes through it.

    Every string is written as a string (XlsxWriter's write_string: never a formula, an error or a number,
    whatever it looks like), and one that starts like a formula also gets the quotePrefix style, so that
    editing it in Excel keeps it text. Control characters Excel refuses are dropped. An empty value is a
    blank cell in the style, so the table keeps its borders.
    """
    if isinstance(value, str):
        # Most text has no control character at all; isprintable() says so without the regular expression.
        text = (value if value.isprintable() else ILLEGAL_CHARACTERS.sub("", value))[:MAX_CELL_TEXT]
        if text:
            ws.write_string(row, col, text, styles.quoted(style) if text.startswith(FORMULA_STARTS) else styles[style])
            return
        value = None
    if value is None:
        ws.write_blank(row, col, None, styles[style])
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, styles[style])
    else:
        ws.write_number(row, col, value, styles[style])


def text_format(styles: Styles, text: str, style: str):
    """The format for `text` in a merged band (a title, a section heading): quoted if it looks like a formula."""
    return styles.quoted(style) if text.startswith(FORMULA_STARTS) else styles[style]


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
A4 = 9  # Excel's paper size code


def set_up_printing(ws, *, header_row: int) -> None:
    """A4 landscape, one page wide and as many long as it takes, the header row on every page, page numbers.

    `header_row` counts from 0, as XlsxWriter does.
    """
    ws.set_paper(A4)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.7)
    ws.set_header("", {"margin": 0.3})
    ws.set_footer(f'&C&"{FONT_NAME},Regular"{PAGE_FOOTER}', {"margin": 0.3})
    ws.center_horizontally()
    ws.repeat_rows(header_row)
