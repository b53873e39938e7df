"""The reader step: a file as the user has it → a Source (canonical text, numbered lines, tables, metadata).

The reader is chosen by the file's content, not its name: a .doc that is really a saved web page is
read as one. Anything unreadable is refused with PlanFormatError, naming the file and saying what to
save it as. Pure Python (no Django); .doc/.wps conversion shells out to LibreOffice.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..structures import EMPTY, NOT_TEXT, PlanFormatError
from .base import Source, SourceTable
from .docx import read_docx
from .formats import ACCEPTED, CONVERTED, FORMATS, OFFERED, REFUSED, SANDBOXED, TRY_INSTEAD
from .html import read_html
from .ofd import read_ofd
from .office import convert_to_docx, missing_message, soffice_path
from .pdf import read_pdf
from .text import read_text
from .workbook import read_workbook

__all__ = [
    "ACCEPTED",
    "CONVERTED",
    "FORMATS",
    "OFFERED",
    "REFUSED",
    "SANDBOXED",
    "Source",
    "check_converter",
    "convert",
    "SourceTable",
    "needs_conversion",
    "read_converted",
    "read_source",
    "read_text",
    "sniff",
]

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")
ARCHIVES = (b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b")


def sniff(data: bytes, name: str) -> str:
    """The kind of file by its content: text, docx, pdf, html, doc, rtf, odt, ofd, or a refused kind."""
    head = data[:2048]
    if head.startswith(b"PK"):
        return _zip_kind(data, name)
    if head.startswith(OLE):
        # The compound file's directory names its streams in UTF-16: WordDocument, Workbook, PowerPoint Document.
        if "WordDocument".encode("utf-16-le") in data:
            return "doc"
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return "xls"
        if "PowerPoint".encode("utf-16-le") in data:
            return "pptx"
        return "doc"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(IMAGES):
        return "image"
    if head.startswith(ARCHIVES):
        return "archive"
    lowered = head.lower()
    if any(tag in lowered for tag in (b"<html", b"<!doctype html", b"<body", b"<head>", b"<meta ")):
        return "html"
    return "text"


def _zip_kind(data: bytes, name: str) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError):
        # Damaged: trust the name for the message, so a broken .docx is called a broken Word document.
        suffix = Path(name).suffix.lower()
        return {".docx": "docx", ".ofd": "ofd", ".xlsx": "xlsx"}.get(suffix, "zip")
    if "word/document.xml" in names:
        return "docx"
    if "OFD.xml" in names or any(n.lower() == "ofd.xml" for n in names):
        return "ofd"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if "content.xml" in names and b"opendocument.text" in data[:200]:
        return "odt"
    return "archive"


def needs_conversion(data: bytes, name: str) -> bool:
    """Whether reading the file needs LibreOffice (seconds, so the web upload runs it as a task)."""
    return sniff(data, name) in CONVERTED


# Word and PDF files with a picture or two run to several MB; a plan's text alone is far smaller. The web upload
# and ingest_plans both refuse a larger file before reading it.
MAX_MB = 20
MAX_BYTES = MAX_MB * 1024 * 1024


def too_large(size: int, name: str) -> PlanFormatError | None:
    """The refusal for a file of `size` bytes, or None when it may be read."""
    if size <= MAX_BYTES:
        return None
    return PlanFormatError(
        name, f"文件太大（{size / 1024 / 1024:.1f} MB），上限为 {MAX_MB} MB：请只保留方案正文和附件。"
    )


def read_source(data: bytes, name: str, *, soffice: str | None = None) -> Source:
    """Read a plan file of any supported format. Raises PlanFormatError naming the file."""
    if error := too_large(len(data), name):
        raise error
    if not data.strip():
        raise PlanFormatError(name, EMPTY)
    kind = sniff(data, name)
    if kind in REFUSED:
        raise PlanFormatError(name, REFUSED[kind])
    if kind == "docx":
        return read_docx(data, name)
    if kind == "pdf":
        return read_pdf(data, name)
    if kind == "html":
        return read_html(data, name)
    if kind == "ofd":
        return read_ofd(data, name)
    if kind == "xlsx":
        return read_workbook(data, name)
    if kind in CONVERTED:
        return read_converted(convert_to_docx(data, name, CONVERTED[kind], soffice), name)
    try:
        return read_text(data, name)
    except PlanFormatError as error:
        if error.message == NOT_TEXT:
            raise PlanFormatError(name, f"{NOT_TEXT}，也不是可识别的文档格式；{TRY_INSTEAD}") from None
        raise


def convert(data: bytes, name: str, soffice: str | None = None) -> bytes:
    """A .doc/.wps/.rtf/.odt file as .docx bytes (LibreOffice; seconds). Raises PlanFormatError naming the file."""
    return convert_to_docx(data, name, CONVERTED.get(sniff(data, name), CONVERTED["doc"]), soffice)


def read_converted(docx: bytes, name: str) -> Source:
    """A file LibreOffice converted to .docx, read under its own name."""
    return read_docx(docx, name, kind="doc")


def check_converter(data: bytes, name: str, soffice: str | None = None) -> None:
    """Refuse at once a file that needs LibreOffice when it is not installed."""
    kind = sniff(data, name)
    if kind in CONVERTED and soffice_path(soffice) is None:
        raise PlanFormatError(name, missing_message(CONVERTED[kind]))
