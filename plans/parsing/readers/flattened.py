"""Tables whose every cell became a paragraph of its own (a page scraped without its table's markup, a Word file
saved as text): found by their header, three or more short heading paragraphs, then read row by row.

A row is told apart from the next by structure, not by counting alone: by its number where the table has a 序号
column (wherever that column stands), else by its units, since a row's unit cells follow its text; a cell that a
merge covered is simply absent, a cell whose lines the page put apart comes as two paragraphs, and both are read
as the cell they were.
"""

from __future__ import annotations

import re
from itertools import islice

from lib import vocabulary as words
from lib.naming import looks_like_unit

from .. import tables
from .base import SourceTable
from .columns import aligned
from .segmented import HEADING_ROW, a_time, segmented_rows

# A header cell: a few words, maybe a year (2024年工作任务), never a number alone.
_SHORT_CELL = re.compile(r"^(?=.*[\u4e00-\u9fff])[\u4e00-\u9fff\d（）()/、]{1,12}$")
_SPACES = re.compile(r"\s+")
# The period a heading states after its words: 重点任务（2024-2026）.
_PERIOD = re.compile(r"[（(]\d{4}\s*[-—－–~至]\s*\d{4}年?[）)]$")

_SECTION_NUMERAL = re.compile(r"^[一二三四五六七八九十]{1,3}$")
# A space may stand inside the number (一 、, （三 ）), as a web page's bold runs leave it.
_SECTION_ROW = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}\s?、|[（(]\s?[一二三四五六七八九十]{1,3}\s?[）)])\s?\S{1,40}$"
)


# The second half of a heading its cell broke over two paragraphs: 牵头 / 部门, 任务 / 分类, 实施 / 主体.
_HEADING_TAILS = (*words.UNIT_NOUNS, "主体", "分类", "类别", "时限", "时间", "处室", "科室")
# What a unit column's heading holds, whole or broken over two paragraphs (牵头 / 部门).
_HEADING_WORD = re.compile(
    "|".join((*words.LEAD_LABELS, *words.COOPERATING_LABELS, *words.RESPONSIBLE_LABELS, *_HEADING_TAILS))
)


def find_paragraph_tables(lines: list[str]) -> list[SourceTable]:
    """Tables flattened to one paragraph a cell, found by their header: three or more short heading paragraphs, one
    of them a unit column's (责任单位, 牵头单位 …) and one a task's or 序号. Rows are told apart by their numbers where
    the first column is 序号; else by the header's count of cells, as long as each row's unit cell names bodies, or,
    where that reads less of the table, by structure (see segmented.py)."""
    if not any(len(line) <= 16 and _HEADING_WORD.search(line) for line in lines):
        return []  # no line short enough to be a unit column's heading names one: no flattened table
    paragraphs = _paragraphs(lines)
    by_paragraph = _flattened(paragraphs)
    # The same, one line a cell with no blank line between (a page's table copied as text): kept where the
    # paragraphs gave no table over those lines; nothing new where every paragraph is one line.
    plain = [(n, ln.strip()) for n, ln in enumerate(lines, start=1) if _plain_line(ln)]
    by_line = [
        t
        for t in (_flattened(plain) if len(plain) != len(paragraphs) else [])
        if not any(o.first_line <= t.last_line and t.first_line <= o.last_line for o in by_paragraph)
    ]
    return sorted(by_paragraph + by_line, key=lambda t: t.first_line)


def _plain_line(line: str) -> bool:
    return bool(line.strip()) and not line.startswith("\t") and not tables.PIPE_ROW.match(line)


def _flattened(paragraphs: list[tuple[int, str]]) -> list[SourceTable]:
    found: list[SourceTable] = []
    k = 0
    while k < len(paragraphs):
        first = paragraphs[k][0]
        header = list(_take_while(islice(paragraphs, k, None), _heading_cell))
        raw = [re.sub(r"\s+", "", p[1]) for p in header]
        above = [i for i, c in enumerate(raw) if _above_a_table(c)]
        if above and above[-1] < len(raw) - 1:
            # A short title right above the table (重点任务分工表), 附件, the signature's date above them: no column,
            # the header starts after them.
            k += above[-1] + 1
            continue
        cells = _rejoined(raw)
        if len(header) < 3 or not _heads_a_division(cells):
            k += max(1, len(header))
            continue
        k += len(header)
        rows = [tables.Row(cells, first)]
        if cells[0] == "序号":
            k = _numbered_rows(paragraphs, k, rows)
        else:
            # By count where every row has every cell; else by structure, whichever reads more of the table.
            segmented = [tables.Row(cells, first)]
            after = segmented_rows(paragraphs, k, segmented)
            k = _counted_rows(paragraphs, k, rows)
            if len(segmented) > len(rows):
                rows, k = segmented, after
        if len(rows) >= 2:
            found.append(SourceTable(rows, first, paragraphs[k - 1][0]))
    return found


_DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def _above_a_table(cell: str) -> bool:
    return cell.endswith(("表", "清单", "名单")) or bool(tables.APPENDIX_HEADING.match(cell) or _DATE_LINE.match(cell))


def _rejoined(cells: list[str]) -> list[str]:
    out: list[str] = []
    for cell in cells:
        broken = out and len(out[-1]) <= 2 and out[-1] not in ("序号", *_HEADING_TAILS) and cell in _HEADING_TAILS
        if broken:
            out[-1] += cell
        else:
            out.append(cell)
    return out


def _heading_cell(paragraph: tuple[int, str]) -> bool:
    if len(paragraph[1]) > 40:
        return False
    text = _PERIOD.sub("", _SPACES.sub("", paragraph[1]))  # 行使  主体: a heading spaced out to fill its cell
    return bool(_SHORT_CELL.match(text)) and not _SECTION_NUMERAL.match(text) and not HEADING_ROW.match(text)


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
        if timed and len(cells) > 2 and a_time(cells[-1]):
            break
        if len(_folded(cells, units, timed)) == len(header) - 1:
            if not _runs_on(header) or taken >= 3 * len(header):
                break
            cells[-1] += "\n" + text  # the last column's text over further paragraphs (权力责任事项)
        else:
            cells.append(text)
        taken += 1
    return aligned(_folded(cells, units, timed), header[1:]), taken


def _runs_on(header: list[str]) -> bool:
    """Whether a full row's further paragraphs, before the next number, are its last column's: a last column of
    text, not of units, time or references."""
    last = re.sub(r"\s+", "", header[-1])
    return not words.heading_role(last) and not any(n in last for n in words.DEADLINE_HEADINGS) and "文件" not in last


def _folded(cells: list[str], units: int, timed: bool) -> list[str]:
    """A row's cells with more unit paragraphs than the header has unit columns folded: the first paragraphs fill
    the columns before the last, the rest are the last column's cell, as a reader reads a cell whose lines the page
    put apart. The unit paragraphs are those after the row's text (its longest cell) and before its time, in a
    table whose last column is the time limit."""
    if not timed or units < 1 or len(cells) < 2:
        return cells  # without the time to end it, a row's paragraphs cannot be told from the next columns'
    end = len(cells) - 1 if a_time(cells[-1]) else len(cells)
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
        if not text or raw.startswith("\t") or tables.PIPE_ROW.match(raw):
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
