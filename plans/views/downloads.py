"""Answering with a file to save: the response, and a dated file name that works in Chinese; a plan's original
file as it was uploaded."""

import re
import tempfile
from collections.abc import Callable
from datetime import date
from typing import BinaryIO

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header

from ..models import Plan, PlanUpload
from ..parsing.readers import sniff

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


# By the reader that reads the file (plans.parsing.readers.sniff), what a browser needs to open it.
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "pdf": "application/pdf",
    "html": "text/html",
    "rtf": "application/rtf",
    "odt": "application/vnd.oasis.opendocument.text",
    "ofd": "application/ofd",
}


def plan_original(request, plan_id: int):
    """The file the plan was read from, as uploaded, under its own name; for anyone who may read the plan."""
    plan = get_object_or_404(Plan.objects.with_original(), pk=plan_id)
    if plan.original_upload_id is None:
        raise Http404("这个方案不是通过网页上传的，没有保存原文件。")
    upload = PlanUpload.objects.only("file_name", "data").get(pk=plan.original_upload_id)
    data = bytes(upload.data)
    kind = sniff(data, upload.file_name)
    response = HttpResponse(data, content_type=CONTENT_TYPES.get(kind, "text/plain; charset=utf-8"))
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=upload.file_name)
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
