"""Which files a progress report may carry: PDF, images, Office (and WPS, OFD) files, up to a size.

Pure Python. The extension must be one of these and the file's first bytes must be what that kind of file
starts with, so a renamed program or web page is refused whatever its name says.
"""

from __future__ import annotations

import os

PDF = b"%PDF-"
ZIP = b"PK\x03\x04"  # .docx .xlsx .pptx .ofd are zip files
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc .xls .ppt .wps .et

KINDS = {
    ".pdf": ("application/pdf", (PDF,)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".doc": ("application/msword", (OLE,)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (ZIP,)),
    ".xls": ("application/vnd.ms-excel", (OLE,)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,)),
    ".ppt": ("application/vnd.ms-powerpoint", (OLE,)),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (ZIP,)),
    ".wps": ("application/vnd.ms-works", (OLE,)),
    ".et": ("application/vnd.ms-excel", (OLE,)),
    ".ofd": ("application/ofd", (ZIP,)),
}
ACCEPT = ",".join(KINDS)
MAX_NAME = 200


class AttachmentError(Exception):
    """A file a report cannot carry; the message names it and says why."""


def check(name: str, size: int, head: bytes, max_bytes: int) -> str:
    """The content type to store the file under, or AttachmentError naming the file."""
    base = os.path.basename(name.replace("\\", "/")).strip()
    if not base:
        raise AttachmentError("文件没有名称。")
    extension = os.path.splitext(base)[1].lower()
    if extension not in KINDS:
        raise AttachmentError(
            f"“{base}”：不支持该类型的文件，只能上传 PDF、图片（JPG、PNG）、Office、WPS 或 OFD 文件。"
        )
    if size <= 0:
        raise AttachmentError(f"“{base}”是空文件。")
    if size > max_bytes:
        raise AttachmentError(
            f"“{base}”太大（{size / 1024 / 1024:.1f} MB），每个附件不能超过 {max_bytes // 1024 // 1024} MB。"
        )
    content_type, starts = KINDS[extension]
    if not head.startswith(starts):
        raise AttachmentError(f"“{base}”的内容与扩展名 {extension} 不符，可能已损坏或被改名，未上传。")
    return content_type


def clean_name(name: str) -> str:
    """The name to show and to offer on download: the base name, at most MAX_NAME characters, extension kept."""
    base = os.path.basename(name.replace("\\", "/")).strip()
    stem, extension = os.path.splitext(base)
    return stem[: MAX_NAME - len(extension)] + extension
