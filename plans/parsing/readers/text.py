"""Plain text: today's decoding (UTF-8, GB18030, UTF-16) and the tables a Word export flattened to tab lines."""

from __future__ import annotations

import re

from .. import tables
from ..source import decode, split_lines, strip_debris
from .base import Source, SourceTable
from .bounds import check_text

NOTE = re.compile(r"^(注|备注|说明)[:：]")


def read_text(data: bytes | str, name: str) -> Source:
    text = decode(data, name) if isinstance(data, bytes) else data.lstrip("\ufeff")
    check_text(name, text.count("\n") + 1, len(text))
    return Source(name, text, "text", tables=find_tables(split_lines(text)))


def find_tables(raw_lines: list[str]) -> list[SourceTable]:
    """Runs of tab-cell lines, grouped into rows as `tables.read_rows` does.

    A run starts at a line that begins with a tab and holds blank lines, further cells, and lines
    without the tab that sit between two cells of a row (a cell whose text was pushed below blank
    lines). A note (注：…), an appendix heading or any other line ends it.
    """
    lines = [strip_debris(line) for line in raw_lines]
    found: list[SourceTable] = []
    i = 0
    while i < len(lines):
        if not lines[i].startswith("\t"):
            i += 1
            continue
        start = end = i
        j = i + 1
        while j < len(lines):
            line = lines[j]
            if line.startswith("\t"):
                end = j
            elif line and not _inside_row(lines, j):
                break
            elif line:
                end = j
            j += 1
        rows, _ = tables.read_rows([(n + 1, lines[n]) for n in range(start, end + 1)])
        found.append(SourceTable(rows, start + 1, end + 1))
        i = end + 1
    return found


def _inside_row(lines: list[str], j: int) -> bool:
    text = lines[j]
    if NOTE.match(text) or tables.APPENDIX_HEADING.match(text):
        return False
    return j + 1 < len(lines) and lines[j + 1].startswith("\t")
