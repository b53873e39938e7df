"""How much reading a plan file may cost, and the refusals past each bound. One place for every reader.

A file's size says little about what reading it costs: a 2 MB .docx can unpack to gigabytes, a 300 KB PDF can
hold 2,000 pages, a 1 MB web page can nest 200,000 elements deep. So what is bounded is what a reader unpacks,
builds and walks, checked as it goes; sizes a file states about itself (a zip's directory) are checked too, but
never trusted. Each bound is far above what any real plan needs: the longest seeds are 500 lines and 60,000
characters, a national plan with its appendices runs to a few thousand lines, 100 pages and a 5 MB document.

Past a bound the file is refused with PlanFormatError naming the file and the bound. What no counter catches
(a PDF font program, a table finder's geometry) is bounded by the process the reader runs in: see sandbox.py.
"""

from __future__ import annotations

import io
import zipfile

from ..structures import PlanFormatError

# A zip (.docx): its parts, each and all of them unpacked.
MAX_MEMBERS = 2000
MAX_MEMBER_MB = 32
MAX_UNPACKED_MB = 100
# Any format: lines of canonical text (a paragraph, a table cell), and characters.
MAX_LINES = 30_000
MAX_CHARACTERS = 2_000_000
# PDF: pages, and what the drawing instructions of a page and of all pages unpack to (a page of text is 5 to
# 50 KB).
MAX_PAGES = 200
MAX_PAGE_CONTENT_MB = 4
MAX_CONTENT_MB = 64
# Web pages and XML: how deep elements nest (gov.cn pages nest about 30 deep), and how many there are.
MAX_DEPTH = 256
MAX_ELEMENTS = 100_000
# The process a file is read in (sandbox.py): CPU seconds, memory, and wall-clock seconds (under gunicorn's
# 60-second timeout, so an upload is answered even when its file is refused for time).
CPU_SECONDS = 40
MEMORY_MB = 512
WALL_SECONDS = 50

_CHUNK = 1024 * 1024
SHORTEN = "请只保留方案正文和附件，另存后再上传"


def refuse(name: str, what: str) -> PlanFormatError:
    """The refusal of a file past a bound: what went past which bound, and what to do."""
    return PlanFormatError(name, f"{what}，超出读取上限，不像是一份方案；{SHORTEN}")


def check_zip(data: bytes, name: str, damaged: str) -> None:
    """Refuse a zip with too many parts or that unpacks to more than the bounds, before any reader opens it.

    The directory's sizes are checked first (cheap), then every part is unpacked as a stream and counted, since
    a directory can lie. `damaged` is the message for a zip that cannot be unpacked.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError):
        return  # not a zip at all: the reader says the file is damaged, in its own words
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise refuse(name, f"文件内部的部件超过 {MAX_MEMBERS} 个")
        _check_sizes(name, [(m.filename, m.file_size) for m in members])
        counted = []
        for member in members:
            counted.append((member.filename, _unpacked_size(archive, member, name, damaged)))
            _check_sizes(name, counted)


def _check_sizes(name: str, sizes: list[tuple[str, int]]) -> None:
    for member, size in sizes:
        if size > MAX_MEMBER_MB * 1024 * 1024:
            raise refuse(name, f"文件中的“{member}”解压后超过 {MAX_MEMBER_MB} MB")
    if sum(size for _, size in sizes) > MAX_UNPACKED_MB * 1024 * 1024:
        raise refuse(name, f"文件解压后超过 {MAX_UNPACKED_MB} MB")


def _unpacked_size(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, damaged: str) -> int:
    """The part's real size, counted while unpacking, stopping as soon as it is past the bound."""
    size = 0
    try:
        with archive.open(member) as part:
            while chunk := part.read(_CHUNK):
                size += len(chunk)
                if size > MAX_MEMBER_MB * 1024 * 1024:
                    break
    except Exception as exc:  # a bad CRC, zlib.error, an encrypted part, an unknown method: it does not unpack
        raise PlanFormatError(name, damaged) from exc
    return size


class Counter:
    """Lines and characters a reader has produced so far; refuses the file past MAX_LINES or MAX_CHARACTERS."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lines = 0
        self.characters = 0

    def add(self, lines: int, characters: int) -> None:
        self.lines += lines
        self.characters += characters
        check_text(self.name, self.lines, self.characters)


def check_text(name: str, lines: int, characters: int) -> None:
    if lines > MAX_LINES:
        raise refuse(name, f"段落超过 {MAX_LINES} 段（表格每格算一段，纯文本每行算一段）")
    if characters > MAX_CHARACTERS:
        raise refuse(name, f"文字超过 {MAX_CHARACTERS // 10_000} 万字")
