"""Plain text: today's decoding (UTF-8, GB18030, UTF-16), the tables a Word export flattened to tab lines, and the
pipe rows (| 序号 | 重点任务 | 牵头单位 |) a web page's table becomes when it is scraped to Markdown."""

from __future__ import annotations

import re

from .. import tables
from ..source import decode, split_lines, strip_debris
from .base import Source, SourceTable
from .bounds import check_text
from .flattened import find_paragraph_tables

# |---|---|: a Markdown table's rule; <br> a line break inside a cell.
PIPE_ROW = tables.PIPE_ROW
PIPE_RULE = re.compile(r"^[\s|:\-–—]+$")
LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def read_text(data: bytes | str, name: str) -> Source:
    text = decode(data, name) if isinstance(data, bytes) else data.lstrip("\ufeff")
    check_text(name, text.count("\n") + 1, len(text))
    lines = split_lines(text)
    found = find_tables(lines) + find_pipe_tables(lines) + find_paragraph_tables(lines)
    return Source(name, text, "text", tables=sorted(found, key=lambda t: t.first_line))


def find_pipe_tables(lines: list[str]) -> list[SourceTable]:
    """Runs of pipe rows, each row a line; the rule row and rows of empty cells hold nothing to read. A row keeps the
    cells it has: a scrape drops the cells a merge covered, and division.py reads a short row for what it is."""
    found: list[SourceTable] = []
    i = 0
    while i < len(lines):
        if not PIPE_ROW.match(lines[i]):
            i += 1
            continue
        start = i
        rows = []
        while i < len(lines) and PIPE_ROW.match(lines[i]):
            line = lines[i]
            if not PIPE_RULE.match(line):
                cells = [LINE_BREAK.sub(" ", c).strip() for c in line.strip().strip("|").split("|")]
                if any(cells):
                    rows.append(tables.Row(cells, i + 1))
            i += 1
        if len(rows) >= 2:
            found.append(SourceTable(rows, start + 1, i))
    return found


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
    if tables.NOTE.match(text) or tables.APPENDIX_HEADING.match(text):
        return False
    return j + 1 < len(lines) and lines[j + 1].startswith("\t")
