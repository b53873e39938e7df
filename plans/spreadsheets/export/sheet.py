"""A write-only sheet holding one table: a title row, a note row (export date, filters), the header row, then rows.

Write-only sheets stream each row to a temporary file as it is appended, so a
long list costs little memory; in exchange the column widths, outline groups,
frozen panes and fit-to-page flag must be set before the first row, which is
why `TableSheet` takes its columns up front and writes the title itself.
Merged ranges, the autofilter, print titles and the footer are written when
the workbook is saved, so they may be set at any time before.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from . import style

TITLE_ROW, NOTE_ROW, HEADER_ROW = 1, 2, 3


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    style: str = style.BODY
    # In the column outline group whose +/- button hides it (long text a reader may fold away).
    foldable: bool = False


def new_workbook(title: str) -> Workbook:
    workbook = Workbook(write_only=True)
    style.add_styles(workbook)
    workbook.properties.title = title
    workbook.properties.creator = "碳达峰实施方案责任分工管理"
    return workbook


def to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
        self.ws = workbook.create_sheet(style.sheet_title(name, workbook.sheetnames))
        self.columns = list(columns)
        self.last_column = get_column_letter(len(self.columns))
        self.row = 0  # the last row written
        ws = self.ws
        for index, column in enumerate(self.columns, 1):
            letter = get_column_letter(index)
            ws.column_dimensions[letter].width = column.width
            if column.foldable:
                # One column at a time: a range would share the first column's width. Adjacent
                # columns at the same level still form one group with one button.
                ws.column_dimensions.group(letter, outline_level=1, hidden=False)
        ws.freeze_panes = f"{get_column_letter(frozen_columns + 1)}{HEADER_ROW + 1}"
        style.set_up_printing(ws, header_row=HEADER_ROW)
        ws.row_dimensions[TITLE_ROW].height = 32
        ws.row_dimensions[NOTE_ROW].height = 20
        if header_height:
            ws.row_dimensions[HEADER_ROW].height = header_height
        self.band(title, style.TITLE, bordered=False)
        self.band(note, style.NOTE, bordered=False)
        header_styles = header_styles or [style.HEADER] * len(self.columns)
        self._write([style.cell(ws, c.header, s) for c, s in zip(self.columns, header_styles, strict=True)])

    def _write(self, cells) -> int:
        self.ws.append(cells)
        self.row += 1
        return self.row

    def append(self, values: Sequence, styles: Sequence[str] | None = None) -> int:
        """A row of values, one per column, each in its column's style unless `styles` gives one per column."""
        if styles is None:
            styles = [column.style for column in self.columns]
        return self._write([style.cell(self.ws, v, s) for v, s in zip(values, styles, strict=True)])

    def band(self, text: str, cell_style: str, *, bordered: bool = True) -> int:
        """A row whose first cell holds `text`, merged across the table (a title, or a section heading)."""
        cells = [style.cell(self.ws, text, cell_style)]
        if bordered:
            # Merged cells draw the borders of every cell they cover, so the covered ones are styled too.
            cells += [style.cell(self.ws, None, cell_style) for _ in self.columns[1:]]
        row = self._write(cells)
        if len(self.columns) > 1:
            self.ws.merged_cells.add(f"A{row}:{self.last_column}{row}")
        return row

    def finish(self, last_filtered_row: int | None = None) -> None:
        """Put the autofilter on the header row, over the rows below it up to `last_filtered_row` (default: all)."""
        last = max(last_filtered_row or self.row, HEADER_ROW)
        self.ws.auto_filter.ref = f"A{HEADER_ROW}:{self.last_column}{last}"
