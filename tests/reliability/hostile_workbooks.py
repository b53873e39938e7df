"""Generators of hostile .xlsx files: small to upload, ruinous to read naively. Each is built in memory in a
fraction of a second by streaming its parts into the zip."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook

CHUNK = b"x" * (1024 * 1024)


def _base(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "表"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _rewrite(data: bytes, replace: dict[str, object], extra: dict[str, bytes] | None = None) -> bytes:
    """The workbook with some parts replaced: bytes, or a callable writing the part as a stream."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = replace.get(item.filename, source.read(item.filename))
            if callable(content):
                with target.open(item.filename, "w", force_zip64=True) as part:
                    content(part)
            else:
                target.writestr(item.filename, content)
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


HEADER = [["重点任务", "牵头单位"], ["任务甲", "区发改局"]]


def one_huge_string(megabytes: int = 40) -> bytes:
    """A cell holding tens of MB of text (the upload is a few hundred KB)."""

    def write(part):
        part.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/')
        part.write(b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>')
        part.write("重点任务".encode())
        part.write(b'</t></is></c><c r="B1" t="inlineStr"><is><t>')
        part.write("牵头单位".encode())
        part.write(b'</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>')
        for _ in range(megabytes):
            part.write(CHUNK)
        part.write(b"</t></is></c></row></sheetData></worksheet>")

    return _rewrite(_base(HEADER), {"xl/worksheets/sheet1.xml": write})


def whole_sheet_declared(rows: int = 3000) -> bytes:
    """A real-sized sheet under a dimension claiming every cell of the sheet: openpyxl pads each row to it."""
    data = _base([HEADER[0], *([f"任务{n}", "区发改局"] for n in range(rows))])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    sheet, declared = re.subn(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', sheet)
    assert declared == 1
    return _rewrite(data, {"xl/worksheets/sheet1.xml": sheet.encode()})


def millions_of_cells(rows: int = 40_000, columns: int = 60) -> bytes:
    """A sheet of millions of numeric cells: tens of MB of XML, a few MB zipped."""

    def write(part):
        part.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/')
        part.write(b'spreadsheetml/2006/main"><sheetData>')
        row_cells = b"".join(b"<c><v>1</v></c>" for _ in range(columns))
        for number in range(1, rows + 1):
            part.write(b'<row r="%d">' % number + row_cells + b"</row>")
        part.write(b"</sheetData></worksheet>")

    return _rewrite(_base(HEADER), {"xl/worksheets/sheet1.xml": write})


def too_many_rows(rows: int = 6000) -> bytes:
    return _base([HEADER[0], *([f"任务{n}", "区发改局"] for n in range(rows))])


def endless_empty_rows() -> bytes:
    """The two real rows, then a cell in the sheet's last row: a million empty rows between them."""
    data = _base(HEADER)
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    sheet = sheet.replace(
        "</sheetData>", '<row r="1048576"><c r="B1048576" t="inlineStr"><is><t>尾</t></is></c></row></sheetData>'
    )
    return _rewrite(data, {"xl/worksheets/sheet1.xml": sheet.encode()})


def too_many_parts(parts: int = 800) -> bytes:
    return _rewrite(_base(HEADER), {}, {f"customXml/item{n}.xml": b"<a/>" for n in range(parts)})


HOSTILE = {
    "one_huge_string": (one_huge_string, "解压后过大"),
    "whole_sheet_declared": (whole_sheet_declared, None),  # read within bounds: no refusal needed, no blow-up
    "millions_of_cells": (millions_of_cells, "解压后过大"),
    "too_many_rows": (too_many_rows, "超过 5000 行"),
    "endless_empty_rows": (endless_empty_rows, "超过 50000 行（含空行）"),
    "too_many_parts": (too_many_parts, "部件过多"),
}
