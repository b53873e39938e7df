"""Answering with a file to save: the response, and a dated file name that works in Chinese."""

import re
from datetime import date

from django.http import HttpResponse
from django.utils.http import content_disposition_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Characters Windows refuses in file names, and control characters.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def dated_filename(stem: str, day: date, extension: str = "xlsx") -> str:
    """株洲市石峰区发展和改革局-碳达峰任务清单 → 株洲市石峰区发展和改革局-碳达峰任务清单-20261121.xlsx"""
    return f"{_UNSAFE.sub('_', stem).strip()}-{day:%Y%m%d}.{extension}"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An attachment; a non-ASCII name is sent as RFC 5987 filename*=utf-8''…, which every current browser reads."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
