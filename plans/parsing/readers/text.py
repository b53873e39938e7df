"""Plain text: today's decoding (UTF-8, GB18030, UTF-16), the tables a Word export flattened to tab lines, and the
pipe rows (| 序号 | 重点任务 | 牵头单位 |) a web page's table becomes when it is scraped to Markdown."""

from __future__ import annotations

import re

from lib import vocabulary as words
from lib.naming import looks_like_unit

from .. import tables
from ..source import decode, split_lines, strip_debris
from .base import Source, SourceTable
from .bounds import check_text

NOTE = re.compile(r"^(注|备注|说明)[:：]")


# | a | b |: a row of a Markdown table; |---|---| its rule; <br> a line break inside a cell.
PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
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
    if NOTE.match(text) or tables.APPENDIX_HEADING.match(text):
        return False
    return j + 1 < len(lines) and lines[j + 1].startswith("\t")


# A table whose every cell became a paragraph of its own (a page scraped without its table's markup): the header's
# cells, short paragraphs from 序号 on, then each row from its number, one paragraph a cell.
_SHORT_CELL = re.compile(r"^[\u4e00-\u9fff（）()/、]{1,10}$")
_SECTION_NUMERAL = re.compile(r"^[一二三四五六七八九十]{1,3}$")
_SECTION_ROW = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])\S{1,40}$")


def find_paragraph_tables(lines: list[str]) -> list[SourceTable]:
    """Tables flattened to one paragraph a cell, found by their header: three or more short heading paragraphs, one
    of them a unit column's (责任单位, 牵头单位 …) and one a task's or 序号. Rows are told apart by their numbers where
    the first column is 序号, else by the header's count of cells, as long as each row's unit cell names bodies."""
    by_paragraph = _flattened(_paragraphs(lines))
    # The same, one line a cell with no blank line between (a page's table copied as text): kept where the
    # paragraphs gave no table over those lines.
    by_line = [
        t
        for t in _flattened([(n, ln.strip()) for n, ln in enumerate(lines, start=1) if _plain_line(ln)])
        if not any(o.first_line <= t.last_line and t.first_line <= o.last_line for o in by_paragraph)
    ]
    return sorted(by_paragraph + by_line, key=lambda t: t.first_line)


def _plain_line(line: str) -> bool:
    return bool(line.strip()) and not line.startswith("\t") and not PIPE_ROW.match(line)


def _flattened(paragraphs: list[tuple[int, str]]) -> list[SourceTable]:
    found: list[SourceTable] = []
    k = 0
    while k < len(paragraphs):
        first = paragraphs[k][0]
        header = list(_take_while(paragraphs[k:], _heading_cell))
        cells = [p[1] for p in header]
        if "序号" in cells[1:]:
            # A short title right above the table (重点任务分工表) is no column: the header starts at 序号.
            k += cells.index("序号")
            continue
        if len(header) < 3 or not _heads_a_division(cells):
            k += max(1, len(header))
            continue
        k += len(header)
        rows = [tables.Row(cells, first)]
        read = _numbered_rows if cells[0] == "序号" else _counted_rows
        k = read(paragraphs, k, rows)
        if len(rows) >= 2:
            found.append(SourceTable(rows, first, paragraphs[k - 1][0]))
    return found


def _heading_cell(paragraph: tuple[int, str]) -> bool:
    text = paragraph[1]
    return bool(_SHORT_CELL.match(text)) and not _SECTION_NUMERAL.match(text)


def _heads_a_division(cells: list[str]) -> bool:
    roles = [words.heading_role(c) for c in cells]
    tasks = any(h in c for c in cells for h in words.TASK_HEADINGS)
    return any(roles) and (cells[0] == "序号" or tasks)


def _numbered_rows(paragraphs: list[tuple[int, str]], k: int, rows: list[tables.Row]) -> int:
    header = rows[0].cells
    expected = 1
    while k < len(paragraphs):
        line, text = paragraphs[k]
        if _SECTION_ROW.match(text) and k + 1 < len(paragraphs) and paragraphs[k + 1][1] == str(expected):
            rows.append(tables.Row([text], line))
            k += 1
            continue
        if _SECTION_NUMERAL.match(text) and k + 2 < len(paragraphs) and paragraphs[k + 2][1] == str(expected):
            rows.append(tables.Row([text, paragraphs[k + 1][1]], line))  # 一 | 推进…综合管理: the rows under it
            k += 2
            continue
        if [p[1] for p in paragraphs[k : k + len(header)]] == header:
            k += len(header)  # the header repeated at the top of the next page
            continue
        if text != str(expected):
            break
        cells, taken = _row_cells(paragraphs, k + 1, header, expected)
        rows.append(tables.Row([text, *cells], line))
        k += 1 + taken
        expected += 1
    return k


def _row_cells(paragraphs: list[tuple[int, str]], k: int, header: list[str], number: int) -> tuple[list[str], int]:
    """The cells of row `number` from paragraph k on, and how many paragraphs they took: as many as the header has
    columns after 序号, and more where a unit cell ran over two paragraphs (区绿化市容局 | 区党政机关、公共机构),
    which are then one cell again. A table whose last column is its time limit ends each row at the time."""
    units = len([cell for cell in header if words.heading_role(cell)])
    timed = any(name in header[-1] for name in words.DEADLINE_HEADINGS)
    cells: list[str] = []
    taken = 0
    for _, text in paragraphs[k:]:
        if text in (str(number + 1), "序号") or _SECTION_NUMERAL.match(text) or tables.APPENDIX_HEADING.match(text):
            break
        if len(_folded(cells, units, timed)) == len(header) - 1 or (timed and len(cells) > 2 and _a_time(cells[-1])):
            break
        cells.append(text)
        taken += 1
    return _folded(cells, units, timed), taken


# A time limit as a 时间节点 cell writes it: 2019年, 2019年6月, 2025年底前, 长期坚持, 持续推进.
_TIME = re.compile(r"^(?:\d{4}年|\d{1,2}月|年底|长期|持续|每年|每季度|每月)")


def _a_time(cell: str) -> bool:
    return bool(_TIME.match(cell)) and len(cell) <= 20


def _folded(cells: list[str], units: int, timed: bool) -> list[str]:
    """A row's cells with more unit paragraphs than the header has unit columns folded: the first paragraphs fill
    the columns before the last, the rest are the last column's cell, as a reader reads a cell whose lines the page
    put apart. The unit paragraphs are those after the row's text (its longest cell) and before its time, in a
    table whose last column is the time limit."""
    if not timed or units < 1 or len(cells) < 2:
        return cells  # without the time to end it, a row's paragraphs cannot be told from the next columns'
    end = len(cells) - 1 if _a_time(cells[-1]) else len(cells)
    text = max(range(end), key=lambda i: len(cells[i]), default=0)
    if end - (text + 1) <= units or not _names_bodies(cells[text + 1]):
        return cells
    last = text + units
    joined = "".join(c if c.endswith("、") else c + "、" for c in cells[last : end - 1]) + cells[end - 1]
    return [*cells[:last], joined, *cells[end:]]


def _counted_rows(paragraphs: list[tuple[int, str]], k: int, rows: list[tables.Row]) -> int:
    header = rows[0].cells
    width = len(header)
    unit_columns = [i for i, cell in enumerate(header) if words.heading_role(cell)]
    while k < len(paragraphs):
        line, text = paragraphs[k]
        if [p[1] for p in paragraphs[k : k + width]] == header:
            k += width
            continue
        if _SECTION_ROW.match(text):
            rows.append(tables.Row([text], line))
            k += 1
            continue
        cells = [p[1] for p in paragraphs[k : k + width]]
        if len(cells) < width or not all(_names_bodies(cells[i]) for i in unit_columns):
            break
        rows.append(tables.Row(cells, line))
        k += width
    return k


def _names_bodies(cell: str) -> bool:
    names = [n for n in re.split(r"[、，,；;\s]+", cell) if n]
    return bool(names) and all(looks_like_unit(n.removesuffix("等")) for n in names)


def _paragraphs(lines: list[str]) -> list[tuple[int, str]]:
    """(first line, text) of each run of non-blank lines that are no table's: a cell's lines join, apart by a space
    where a line does not end in a separator (one unit to a line)."""
    found: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate([*lines, ""], start=1):
        text = raw.strip()
        if not text or raw.startswith("\t") or PIPE_ROW.match(raw):
            if current:
                found.append((start, _joined(current)))
            current = []
            continue
        if not current:
            start = number
        current.append(text)
    return found


def _joined(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        out += ("" if out.endswith(tuple("、，,；;。")) else " ") + line
    return out


def _take_while(items, keep):
    for item in items:
        if not keep(item):
            return
        yield item
