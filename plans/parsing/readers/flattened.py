"""Tables whose every cell became a paragraph of its own (a page scraped without its table's markup, a Word file
saved as text): found by their header, three or more short heading paragraphs, then read row by row.

A row is told apart from the next by structure, not by counting alone: by its number where the table has a 序号
column (wherever that column stands), else by its units, since a row's unit cells follow its text; a cell that a
merge covered is simply absent, a cell whose lines the page put apart comes as two paragraphs, and both are read
as the cell they were.
"""

from __future__ import annotations

import re

from lib import vocabulary as words
from lib.naming import looks_like_unit

from .. import tables
from .base import SourceTable
from .columns import aligned, unit_paragraph

# A header cell: a few words, maybe a year (2024年工作任务), never a number alone.
_SHORT_CELL = re.compile(r"^(?=.*[\u4e00-\u9fff])[\u4e00-\u9fff\d（）()/、]{1,12}$")
_SECTION_NUMERAL = re.compile(r"^[一二三四五六七八九十]{1,3}$")
# A space may stand inside the number (一 、, （三 ）), as a web page's bold runs leave it.
_SECTION_ROW = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}\s?、|[（(]\s?[一二三四五六七八九十]{1,3}\s?[）)])\s?\S{1,40}$"
)


def find_paragraph_tables(lines: list[str]) -> list[SourceTable]:
    """Tables flattened to one paragraph a cell, found by their header: three or more short heading paragraphs, one
    of them a unit column's (责任单位, 牵头单位 …) and one a task's or 序号. Rows are told apart by their numbers where
    the first column is 序号; else by the header's count of cells, as long as each row's unit cell names bodies, or,
    where that reads less of the table, by structure (see _segmented_rows)."""
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
    return bool(line.strip()) and not line.startswith("\t") and not tables.PIPE_ROW.match(line)


def _flattened(paragraphs: list[tuple[int, str]]) -> list[SourceTable]:
    found: list[SourceTable] = []
    k = 0
    while k < len(paragraphs):
        first = paragraphs[k][0]
        header = list(_take_while(paragraphs[k:], _heading_cell))
        cells = [re.sub(r"\s+", "", p[1]) for p in header]
        titles = next((i for i, c in enumerate(cells) if not c.endswith(("表", "清单", "名单"))), len(cells))
        if 0 < titles < len(cells):
            # A short title right above the table (重点任务分工表) is no column: the header starts after it.
            k += titles
            continue
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
            after = _segmented_rows(paragraphs, k, segmented)
            k = _counted_rows(paragraphs, k, rows)
            if len(segmented) > len(rows):
                rows, k = segmented, after
        if len(rows) >= 2:
            found.append(SourceTable(rows, first, paragraphs[k - 1][0]))
    return found


def _heading_cell(paragraph: tuple[int, str]) -> bool:
    text = re.sub(r"\s+", "", paragraph[1])  # 行使  主体: a heading spaced out to fill its cell
    return bool(_SHORT_CELL.match(text)) and not _SECTION_NUMERAL.match(text) and not _HEADING_ROW.match(text)


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
        if timed and len(cells) > 2 and _a_time(cells[-1]):
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


# A row that heads the rows under it in a flattened table: 一、做好政策保障, （一）…, 行动一：再造发展新极行动.
_HEADING_ROW = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}\s*、|[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]"
    r"|(?:行动|专项|板块|任务)[一二三四五六七八九十]{1,3}[：:])"
)


def _segmented_rows(paragraphs: list[tuple[int, str]], k: int, rows: list[tables.Row]) -> int:
    """Rows told apart by structure: a row's text, then its unit cells, then its time; a 序号 column (wherever it
    stands) starts each row at its number. Cells a merge covered are absent (任务类型, 项目 written on the first
    row of their block only; a 推进单位 cell over several rows), a unit cell may come as two paragraphs: each row
    is laid out in the header's columns, its text right-aligned into the columns before the units, the merged ones
    left empty, so that division.py reads it as the table has it."""
    layout = _Layout(rows[0].cells)
    if not layout.units:
        return k
    row: _RowSoFar | None = None
    pending: list[tuple[int, str]] = []  # what follows a row's cells: the next row's leading cells, or headings
    expected = 1
    while k < len(paragraphs):
        line, text = paragraphs[k]
        if [p[1] for p in paragraphs[k : k + layout.width]] == rows[0].cells:
            k += layout.width  # the header repeated at the top of the next page
            continue
        if tables.APPENDIX_HEADING.match(text) or tables.NOTE.match(text):
            break
        unit = unit_paragraph(text) or bool(row and row.units and row.units[-1].endswith("、"))
        numbered = layout.number is not None
        if numbered and text == "1" and expected > 2 and row is not None and row.own_done(layout):
            expected = 1  # the numbers start again under the next 类别 (1. 分类投放 … 2. 分类运输 1, 2 …)
        if (text == str(expected)) if numbered else (row is None or (row.units and not unit and not row.time)):
            if row is not None and not numbered and row.takes_time(text, layout):
                row.time = text
                k += 1
                continue
            if row is not None:
                row.emit(rows, layout)
            row = _RowSoFar(line)
            for at, before in pending:
                if _HEADING_ROW.match(before) and not row.leading:
                    rows.append(tables.Row([before], at))
                else:
                    row.leading.append(before)
            pending = []
            if numbered:
                row.number = text
                expected += 1
                k += 1
                continue
        if numbered and (row is None or (row.own_done(layout) and not unit and not row.takes_time(text, layout))):
            if _a_time(text) or _QUANTITY.match(text):
                k += 1
                continue  # a further 节点 | 指标数 sub-row of the row before (2019年 | 26.5万户): no cell of the next
            if len(pending) > len(layout.texts) + 1:
                break  # more than a row's leading cells and a heading before the next number: the table has ended
            pending.append((line, text))
        elif _HEADING_ROW.match(text) and not row.leading and not row.own and not row.units:
            rows.append(tables.Row([text], line))
        elif row.takes_time(text, layout):
            row.time = text
        elif unit and (row.own_done(layout) or not numbered):
            row.units.append(text)
        elif not numbered and len(row.leading) > len(layout.texts):
            break  # more text than the row has columns for: the table has ended
        elif numbered:
            row.own.append(text)
        else:
            row.leading.append(text)
        k += 1
    if row:
        row.emit(rows, layout)
    return k


# A figure as a 指标数 cell writes it: 345个, 24.3万户/682个, 100%.
_QUANTITY = re.compile(r"^[\d.,，%万千百亿]+\S{0,6}(?:/[\d.,万千百亿]+\S{0,4})?$")


class _Layout:
    """Where a header puts a row's number, its text columns (before and after the number), its units and its time."""

    def __init__(self, header: list[str]):
        self.width = len(header)
        self.units = [i for i, cell in enumerate(header) if words.heading_role(cell)]
        self.number = header.index("序号") if "序号" in header else None
        last = len(header) - 1
        self.time = last if any(name in header[last] for name in words.DEADLINE_HEADINGS) else None
        self.texts = [i for i in range(self.width) if i not in self.units and i not in (self.number, self.time)]
        after = -1 if self.number is None else self.number
        self.before = [i for i in self.texts if i < after]  # leading cells, written before the number
        self.after = [i for i in self.texts if i > after]


class _RowSoFar:
    def __init__(self, line: int):
        self.line = line
        self.number = ""
        self.leading: list[str] = []  # text before the row's number (or every text of a table without 序号)
        self.own: list[str] = []  # text after the number
        self.units: list[str] = []
        self.time = ""

    def takes_time(self, text: str, layout: _Layout) -> bool:
        return layout.time is not None and not self.time and bool(self.units) and _a_time(text)

    def own_done(self, layout: _Layout) -> bool:
        return len(self.own) >= max(1, len(layout.after))

    def emit(self, rows: list[tables.Row], layout: _Layout) -> None:
        if not (self.leading or self.own) and not self.units:
            return
        cells = [""] * layout.width
        if layout.number is not None:
            cells[layout.number] = self.number
            placed = [(layout.before, self.leading), (layout.after, self.own)]
        else:
            placed = [(layout.texts, self.leading)]
        for columns, texts in placed:
            for at, text in zip(reversed(columns), reversed(texts), strict=False):
                cells[at] = text
        grouped: list[str] = []
        for text in self.units:
            if grouped and grouped[-1].endswith("、"):
                grouped[-1] += text
            else:
                grouped.append(text)
        if len(grouped) > len(layout.units):
            last = len(layout.units) - 1
            grouped = [*grouped[:last], "、".join(g.rstrip("、") for g in grouped[last:])]
        for at, text in zip(layout.units, grouped, strict=False):
            cells[at] = text
        if layout.time is not None:
            cells[layout.time] = self.time
        rows.append(tables.Row(cells, self.line))


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
