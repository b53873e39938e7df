"""A sheet holding one table: a title row, a note row (export date, filters), the header row, then rows.

Written with XlsxWriter in constant-memory mode: each row is flushed to a temporary file when the next one
starts, so rows must be written top to bottom (merged bands and totals included) and a row's height set
before its cells. Column widths, outline groups, frozen panes, printing and the autofilter are stored on the
sheet and written when the workbook is closed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import xlsxwriter

from . import style

# Rows count from 0, as XlsxWriter does: the header is Excel's row 3.
TITLE_ROW, NOTE_ROW, HEADER_ROW = 0, 1, 2


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    style: str = style.BODY
    # In the column outline group whose +/- button hides it (long text a reader may fold away).
    foldable: bool = False


class Workbook:
    """An .xlsx file being written to `target` (a path or a binary file), with the house styles."""

    def __init__(self, target, title: str, author: str = ""):
        self.book = xlsxwriter.Workbook(
            target,
            {
                "constant_memory": True,
                # Text from a plan stays text: never a formula, a number or a link, whatever it looks like.
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self.book.set_properties({"title": title, "author": author})
        self.styles = style.Styles(self.book)
        self.sheetnames: list[str] = []

    def add_sheet(self, name: str):
        title = style.sheet_title(name, self.sheetnames)
        self.sheetnames.append(title)
        return self.book.add_worksheet(title)

    def close(self) -> None:
        self.book.close()


def new_workbook(title: str, target=None) -> Workbook:
    """A workbook writing to `target`, or to memory for `to_bytes` when none is given; its author is the site."""
    return Workbook(io.BytesIO() if target is None else target, title, _site_name())


def _site_name() -> str:
    """The site's name (SITE_NAME) where Django runs; the exports also run without it (scripts/bench_export.py)."""
    from django.conf import settings

    return getattr(settings, "SITE_NAME", "") if settings.configured else ""


def to_bytes(workbook: Workbook) -> bytes:
    """Close a workbook made without a target and return the file."""
    workbook.close()
    return workbook.book.filename.getvalue()


class TableSheet:
    """One table on its own sheet, in the house style: see style.py."""

    def __init__(
        self,
        workbook: Workbook,
        name: str,
        *,
        title: str,
        note: str,
        columns: Sequence[Column],
        header_styles: Sequence[str] | None = None,
        header_height: float | None = None,
        frozen_columns: int = 0,
    ):
        self.ws = workbook.add_sheet(name)
        self.styles = workbook.styles
        self.columns = list(columns)
        self.last_col = len(self.columns) - 1
        self.row = -1  # the last row written
        ws = self.ws
        for index, column in enumerate(self.columns):
            # One column at a time, each with its own width; adjacent foldable columns form one group.
            ws.set_column(index, index, column.width, None, {"level": 1} if column.foldable else {})
        ws.freeze_panes(HEADER_ROW + 1, frozen_columns)
        style.set_up_printing(ws, header_row=HEADER_ROW)
        self.band(title, style.TITLE, height=32)
        self.band(note, style.NOTE, height=20)
        header_styles = header_styles or [style.HEADER] * len(self.columns)
        if header_height:
            ws.set_row(HEADER_ROW, header_height)
        self.append([c.header for c in self.columns], header_styles)

    def append(self, values: Sequence, styles: Sequence[str] | None = None, *, span: int = 1) -> int:
        """A row of values, one per column, each in its column's style unless `styles` gives one per column.

        With `span`, the first value is merged across that many columns (the values under it are ignored).
        Returns the row's number as Excel counts (from 1).
        """
        if len(values) != len(self.columns):
            raise ValueError(f"{len(values)} values for {len(self.columns)} columns")
        if styles is None:
            styles = [column.style for column in self.columns]
        self.row += 1
        first = 0
        if span > 1:
            text = values[0] if isinstance(values[0], str) else str(values[0] or "")
            fmt = style.text_format(self.styles, text, styles[0])
            self.ws.merge_range(self.row, 0, self.row, span - 1, "", fmt)
            style.cell(self.ws, self.styles, self.row, 0, values[0], styles[0])
            first = span
        for col in range(first, len(self.columns)):
            style.cell(self.ws, self.styles, self.row, col, values[col], styles[col])
        return self.row + 1

    def band(self, text: str, cell_style: str, *, height: float | None = None) -> int:
        """A row whose first cell holds `text`, merged across the table (a title, a section heading)."""
        self.row += 1
        if height:
            self.ws.set_row(self.row, height)
        fmt = style.text_format(self.styles, text, cell_style)
        if self.last_col > 0:
            # A merged range draws the borders of every cell it covers: XlsxWriter styles them all.
            self.ws.merge_range(self.row, 0, self.row, self.last_col, "", fmt)
        style.cell(self.ws, self.styles, self.row, 0, text, cell_style)
        return self.row + 1

    def finish(self, last_filtered_row: int | None = None) -> None:
        """Put the autofilter on the header row, over the rows below it up to `last_filtered_row` (default: all).

        `last_filtered_row` counts from 1, as append returns it.
        """
        last = max((last_filtered_row - 1) if last_filtered_row else self.row, HEADER_ROW)
        self.ws.autofilter(HEADER_ROW, 0, last, self.last_col)
