"""Reading a workbook a user uploaded, within bounds. Pure Python with openpyxl, no Django.

An .xlsx is a zip of XML parts, and what it declares is not what it costs: a
300 KB file can hold one 300 MB string, a 29 KB file can declare a sheet of
a million rows by 16,384 columns (which openpyxl's read-only mode pads every
row to), a 2 MB file can hold 80 million cells. So the limits are on what is
read, never on the upload alone:

- the archive: how many parts, and each part's and all parts' size once
  decompressed, counted while decompressing (a zip header may lie);
- the sheet: its declared dimension is ignored, at most MAX_COLUMNS columns
  are read, and a sheet with more than `max_rows` filled rows is refused;
- merged ranges are read from the sheet's XML, and one merged down a column is
  expanded, so a 牵头单位 merged over three task rows counts for all three, as
  the clerk meant (a range merged across columns is a heading or band: its
  text stays in its first cell);
- a formula whose result was never saved (the file was written by a program,
  not Excel) is reported, never read as an empty cell.

Everything it refuses raises SpreadsheetError with a message for the person who
uploaded the file; the caller adds the file's name.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.utils import range_boundaries
from openpyxl.utils.cell import coordinate_to_tuple

MAX_BYTES = 5 * 1024 * 1024  # the upload
MAX_PARTS = 500
MAX_PART_BYTES = 25 * 1024 * 1024  # one part, decompressed: a 5,000-row 分工表 sheet is a few MB
MAX_TOTAL_BYTES = 60 * 1024 * 1024
MAX_COLUMNS = 64
# Rows walked, empty ones included: past this a sheet is refused, whatever its last row number claims.
MAX_SCANNED_ROWS = 50_000
MAX_MERGED_RANGES = 20_000
MAX_MARKED_BYTES = 8 * 1024 * 1024  # a sheet part loaded whole to mark its problem cells
_CHUNK = 1024 * 1024
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


class SpreadsheetError(Exception):
    """The file cannot be read at all, or holds more than a 分工表 or 台账 ever does; the message says which."""


@dataclass
class Sheet:
    """A sheet read within bounds: cell values by row (1-based rows and columns, as Excel numbers them)."""

    title: str
    rows: list[tuple]  # values, each row MAX_COLUMNS wide at most; merged ranges filled from their top-left cell
    unsaved_formulas: set[tuple[int, int]] = field(default_factory=set)  # (row, column) of formulas with no result

    def value(self, row: int, column: int):
        values = self.rows[row - 1] if 0 < row <= len(self.rows) else ()
        return values[column - 1] if 0 < column <= len(values) else None


def check_archive(data: bytes) -> None:
    """Refuse an upload that is not an .xlsx or that decompresses to more than any real 分工表 does."""
    if not data:
        raise SpreadsheetError("文件是空的。")
    if len(data) > MAX_BYTES:
        raise SpreadsheetError(f"文件太大（{len(data) / 1024 / 1024:.1f} MB），上限为 {MAX_BYTES // 1024 // 1024} MB。")
    if data[:8] == _OLE:
        # Encrypted .xlsx files and old .xls files are both OLE compound documents.
        raise SpreadsheetError("文件已加密（设有打开密码）或为旧版 .xls 格式：请取消密码，另存为 .xlsx 后再上传。")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise SpreadsheetError("这不是 Excel 工作簿（.xlsx）文件。") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_PARTS:
            raise SpreadsheetError(f"文件内部的部件过多（{len(members)} 个），不像是 Excel 工作簿。")
        total = 0
        for member in members:
            size = _decompressed_size(archive, member)
            total += size
            if size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES:
                raise SpreadsheetError(
                    f"文件解压后过大（“{member.filename}”超过 {MAX_PART_BYTES // 1024 // 1024} MB，"
                    f"或全部内容超过 {MAX_TOTAL_BYTES // 1024 // 1024} MB）：请只保留分工表本身后再上传。"
                )


def _decompressed_size(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> int:
    """The member's real size, counted while decompressing, stopping as soon as it is over the limit."""
    size = 0
    try:
        with archive.open(member) as part:
            while chunk := part.read(_CHUNK):
                size += len(chunk)
                if size > MAX_PART_BYTES:
                    break
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as error:
        raise SpreadsheetError(f"文件已损坏，无法解压（{member.filename}）。") from error
    return size


def read_sheets(data: bytes, max_rows: int) -> Iterator[Sheet]:
    """Every worksheet of an uploaded .xlsx, read within bounds, in the workbook's order.

    Refuses (SpreadsheetError) anything check_archive refuses, a file openpyxl
    cannot open, and a sheet with more than `max_rows` filled rows.
    """
    check_archive(data)
    try:
        values = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file, each saying why in English
        raise SpreadsheetError(
            "无法读取该 Excel 文件（已损坏，或不是 Excel 工作簿）：请在 Excel/WPS 中打开后另存为 .xlsx 再上传。"
        ) from error
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for sheet, formula_sheet in zip(values.worksheets, formulas.worksheets, strict=True):
                yield _read_sheet(archive, sheet, formula_sheet, max_rows)
    finally:
        values.close()
        formulas.close()


def _read_sheet(archive: zipfile.ZipFile, sheet, formula_sheet, max_rows: int) -> Sheet:
    # A declared dimension is a claim, not a size: without it the reader pads no row beyond its own cells.
    sheet.reset_dimensions()
    formula_sheet.reset_dimensions()
    rows: list[list] = []
    unsaved: set[tuple[int, int]] = set()
    filled = 0
    pairs = zip(
        sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True),
        formula_sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True),
        strict=False,
    )
    for number, (row, formula_row) in enumerate(pairs, start=1):
        if number > MAX_SCANNED_ROWS:
            raise SpreadsheetError(
                f"工作表“{sheet.title}”超过 {MAX_SCANNED_ROWS} 行（含空行）：请删除表格下方多余的行后再上传。"
            )
        if not any(row) and not any(formula_row):
            rows.append(row)  # empty: openpyxl hands the same tuple for every gap row, so this costs nothing
            continue
        row = list(row)
        for column, written in enumerate(formula_row, start=1):
            if isinstance(written, str) and written.startswith("=") and row[column - 1] is None:
                unsaved.add((number, column))
        if any(value is not None and str(value).strip() for value in row):
            filled += 1
            if filled > max_rows:
                raise SpreadsheetError(f"工作表“{sheet.title}”超过 {max_rows} 行，请拆分后上传。")
        rows.append(row)
    while rows and not any(value is not None and str(value).strip() for value in rows[-1]):
        rows.pop()  # rows a clerk only formatted
    rows = [list(row) for row in rows]
    _fill_merged(rows, _merged_ranges(archive, sheet))
    return Sheet(sheet.title, [tuple(row) for row in rows], unsaved)


def _merged_ranges(archive: zipfile.ZipFile, sheet) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of each merged range, from the sheet's own XML.

    openpyxl's read-only mode does not report merged ranges, so the part is
    scanned as a stream (its size was checked).
    """
    path = getattr(sheet, "_worksheet_path", None)  # read-only sheets keep the part they stream from
    if not path:
        return []
    ranges = []
    with archive.open(path) as part:
        for _, element in ElementTree.iterparse(part, events=("end",)):
            if element.tag == f"{_MAIN_NS}mergeCell" and element.get("ref"):
                try:
                    ranges.append(range_boundaries(element.get("ref")))
                except (TypeError, ValueError):
                    continue  # a malformed reference merges nothing
                if len(ranges) > MAX_MERGED_RANGES:
                    raise SpreadsheetError(f"工作表“{sheet.title}”的合并单元格过多。")
            elif element.tag == f"{_MAIN_NS}row":
                element.clear()  # the cells were read already; keep memory flat while streaming past them
    return ranges


def _fill_merged(rows: list[list], ranges: list[tuple[int, int, int, int]]) -> None:
    """Give every cell of a range merged down one column its top cell's value, within the rows read."""
    for min_col, min_row, max_col, max_row in ranges:
        if min_col != max_col or min_row > len(rows) or min_col > MAX_COLUMNS:
            continue
        top_left = rows[min_row - 1][min_col - 1] if min_col <= len(rows[min_row - 1]) else None
        for number in range(min_row, min(max_row, len(rows)) + 1):
            row = rows[number - 1]
            for column in range(min_col, min(max_col, MAX_COLUMNS) + 1):
                while len(row) < column:
                    row.append(None)
                row[column - 1] = top_left


def cell_text(value) -> str:
    """A cell's value as the text a clerk typed: 3.0 → "3", None → "", surrounding spaces gone."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


HEADER_SEARCH_ROWS = 15


def find_header(rows: list[tuple], headers: dict[str, str], complete) -> tuple[int, dict[str, int]] | None:
    """The first of the first HEADER_SEARCH_ROWS rows whose cells name columns `complete(columns)` accepts.

    `headers` maps a header's text (spaces removed) to a field; a field's first column wins. Returns the row's
    index and field → column (1-based), or None.
    """
    for index, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for column, value in enumerate(values, start=1):
            name = headers.get("".join(cell_text(value).split()))
            if name and name not in columns:
                columns[name] = column
        if complete(columns):
            return index, columns
    return None


def check_sheets_for_annotation(data: bytes) -> None:
    """Refuse to mark up a workbook whose sheets are too big to load whole (marking needs every cell in memory).

    A file was read within bounds when it was uploaded; loading it whole for the marks costs far more per cell.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if member.filename.startswith("xl/worksheets/") and _decompressed_size(archive, member) > MAX_MARKED_BYTES:
                raise SpreadsheetError("工作表过大，无法在文件中标注问题：请按页面上列出的问题逐一修改。")


def annotation_target(coordinate: str, merged: list[str]) -> str:
    """The cell to mark for `coordinate`: the top-left cell of the merged range holding it, else itself.

    Only a range's top-left cell can hold a fill or a comment (openpyxl's other merged cells are read-only).
    """
    row, column = coordinate_to_tuple(coordinate)
    for ref in merged:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if min_col <= column <= max_col and min_row <= row <= max_row:
            return ref.split(":")[0]
    return coordinate
