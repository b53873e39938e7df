"""Workbooks going to and from a browser, for every app: a response to save (a dated name that works in Chinese,
a file streamed from disk) and a workbook sent with a form, its size checked before a byte is read."""

import re
import tempfile
from collections.abc import Callable
from datetime import date
from typing import BinaryIO

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

from .spreadsheets.reading import MAX_BYTES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Characters Windows refuses in file names, and control characters.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def dated_filename(stem: str, day: date, extension: str = "xlsx") -> str:
    """株洲市石峰区发展和改革局-任务清单 → 株洲市石峰区发展和改革局-任务清单-20261121.xlsx"""
    return f"{_UNSAFE.sub('_', stem).strip()}-{day:%Y%m%d}.{extension}"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An attachment; a non-ASCII name is sent as RFC 5987 filename*=utf-8''…, which every current browser reads."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def xlsx_file_response(write: Callable[[BinaryIO], None], filename: str) -> FileResponse:
    """`write(file)` makes the workbook in an anonymous temporary file, which is then streamed back in blocks.

    However long the file, the process holds one block of it at a time; the file goes when the response
    is closed.
    """
    file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    try:
        write(file)
        file.seek(0)
    except BaseException:
        file.close()
        raise
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX)


def uploaded_workbook(request, field: str = "workbook") -> tuple[bytes, str, str]:
    """(the file's bytes, its name, "") or (b"", its name, the reason it was not read), naming the file.

    The size is checked before a byte is read; what the bytes hold is checked by the reader
    (lib.spreadsheets.reading), which the caller runs.
    """
    upload = request.FILES.get(field)
    if upload is None:
        return b"", "", "请选择要上传的 Excel 文件。"
    if upload.size > MAX_BYTES:
        size, limit = upload.size / 1024 / 1024, MAX_BYTES // 1024 // 1024
        return b"", upload.name, f"{upload.name}：文件太大（{size:.1f} MB），上限为 {limit} MB。"
    return upload.read(), upload.name, ""
