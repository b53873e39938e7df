"""Reading exported workbooks in tests: fetch a download, check it is one, and read it back with openpyxl."""

import io
import re
import zipfile
from urllib.parse import quote

from openpyxl import Workbook, load_workbook

from lib.workbooks import XLSX


def content_of(response) -> bytes:
    """A response's bytes, whether sent at once or streamed (the exports stream from a temporary file)."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def get_workbook(client, url: str):
    """The workbook a download answers with, after checking its status and content type."""
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(content_of(response))), response


def attachment(filename: str) -> str:
    """The Content-Disposition header for a non-ASCII file name: RFC 5987 filename*=utf-8''…"""
    return f"attachment; filename*=utf-8''{quote(filename)}"


def sheet_xml(content: bytes) -> dict[str, str]:
    """Every worksheet's XML in the file, by its path in the zip."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            name: archive.read(name).decode()
            for name in archive.namelist()
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name)
        }


def values(ws, row: int) -> list:
    return [cell.value for cell in ws[row]]


def table_rows(ws, header_row: int = 3) -> list[list]:
    """The rows below the header, as values."""
    return [list(row) for row in ws.iter_rows(min_row=header_row + 1, values_only=True)]


def merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def xlsx_with(rows: list[list], merges: tuple[str, ...] = (), formulas: dict[str, str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "表"
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    for coordinate, formula in (formulas or {}).items():
        sheet[coordinate] = formula  # openpyxl saves a formula without a result, as a program-written file has
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
