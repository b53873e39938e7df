"""A flattened table's rows told apart by structure (flattened.py finds the table): a row's text, then its unit
cells, then its time; a 序号 column (wherever it stands) starts each row at its number, and in a table without one,
a numbered cell ((4)…, 4、…) in the column where that numbering stands does.

Cells a merge covered are absent: 任务类型 or 项目 written on the first row of their block only, a 推进单位 cell over
several rows, unit cells merged over a 主要方向 block and written once, after its first row. A unit cell may come as
several paragraphs. A row whose 节点 | 指标数 cells repeat under it for later years may name units of its own on such
a sub-row (2018年 | 教育条线全覆盖 | 区教育局): each is a row of its own, under the row it belongs to. Each row is laid
out in the header's columns so that division.py reads it as the table has it.
"""

from __future__ import annotations

import re
from collections import defaultdict

from lib import vocabulary as words

from .. import tables
from .columns import unit_paragraph

# A row that heads the rows under it in a flattened table: 一、做好政策保障, （一）…, 行动一：再造发展新极行动.
HEADING_ROW = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}\s*、|[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]"
    r"|(?:行动|专项|板块|任务)[一二三四五六七八九十]{1,3}[：:])"
)
# A heading's number alone, its name in the next paragraph: （一） / 提升交通设施环境品质.
_BARE_HEADING = re.compile(r"^[（(]?\s?[一二三四五六七八九十]{1,3}\s?[）)、.．]?$")
# A numbered cell of a table without 序号: （4）建设慢行交通精品区域, 4、推进停车难综合治理; by the style of its number.
_ITEM = re.compile(r"^(?:(?P<paren>[（(]\s?\d{1,3}\s?[）)])|(?P<dot>\d{1,3}\s?[、.．](?!\d)))")
# A time as a 时间节点 cell writes it: 2019年, 2018—2020年, 2019年6月, 2025年底前, 长期坚持, 持续推进.
_TIME = re.compile(r"^(?:\d{4}(?:\s*[—\-－–~至]\s*\d{4})?年|\d{1,2}月|年底|长期|持续|每年|每季度|每月)")
# A figure as a 指标数 cell writes it: 345个, 24.3万户/682个, 100%.
QUANTITY = re.compile(r"^[\d.,，%万千百亿]+\S{0,6}(?:/[\d.,万千百亿]+\S{0,4})?$")


def a_time(cell: str) -> bool:
    return bool(_TIME.match(cell)) and len(cell) <= 20


def _item(text: str) -> tuple[str, int] | None:
    if m := _ITEM.match(text):
        style = m.lastgroup or ""
        return style, int(re.sub(r"\D", "", m[style]))
    return None


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


class _Items:
    """The numbered cells of a table without 序号: the column each numbering stands in, learnt from the rows that
    have all their text cells, and the last number of each, so that the next one starts a row."""

    def __init__(self, layout: _Layout):
        self.layout = layout
        self.column: dict[str, int] = {}
        self.last: dict[str, int] = {}

    def holds(self, row: _RowSoFar) -> bool:
        return any(_item(text) for text in row.leading)

    def seen(self, text: str) -> None:
        if found := _item(text):
            self.last[found[0]] = found[1]

    def starts_row(self, text: str, row: _RowSoFar) -> bool:
        """Whether a paragraph ends a row that has no units (they were merged into the row above) and starts the
        next: the next number of a numbering the row holds in the same or a later column, or a heading row."""
        if not self.holds(row):
            return False
        found = _item(text)
        if found is None:
            return bool(HEADING_ROW.match(text))
        style, number = found
        if number != self.last.get(style, 0) + 1:
            return False
        held = [_item(t)[0] for t in row.leading if _item(t)]
        if style in held or style not in self.column:
            return style in held
        return self.column[style] <= min(self.column.get(s, self.layout.width) for s in held)

    def learn(self, row: _RowSoFar) -> None:
        texts = self.layout.texts
        if len(row.leading) > len(texts):
            return
        for at, text in zip(texts[len(texts) - len(row.leading) :], row.leading, strict=True):
            if found := _item(text):
                self.column.setdefault(found[0], at)

    def place(self, leading: list[str]) -> list[tuple[int, str]]:
        """Where a row's text cells stand: from its first numbered cell in that numbering's column, the cells
        before it right-aligned before it, more paragraphs than columns joined into the last; else right-aligned."""
        texts = self.layout.texts
        anchor = next((j for j, t in enumerate(leading) if (f := _item(t)) and f[0] in self.column), None)
        if anchor is None:
            return list(zip(reversed(texts), reversed(leading), strict=False))
        start = texts.index(self.column[_item(leading[anchor])[0]])  # type: ignore[index]
        before = list(zip(reversed(texts[:start]), reversed(leading[:anchor]), strict=False))
        after = leading[anchor:]
        room = len(texts) - start
        if len(after) > room:
            after = [*after[: room - 1], "\n".join(after[room - 1 :])]
        return before + list(zip(texts[start:], after, strict=False))


class _SubRow:
    """A 节点 | 指标数 row under a row, for a later year or another part of its task, maybe with units of its own."""

    def __init__(self, line: int, time: str):
        self.line = line
        self.cells = [time]
        self.units: list[str] = []


class _RowSoFar:
    def __init__(self, line: int):
        self.line = line
        self.number = ""
        self.leading: list[str] = []  # text before the row's number (or every text of a table without 序号)
        self.own: list[str] = []  # text after the number
        self.units: list[str] = []
        self.time = ""
        self.subrows: list[_SubRow] = []

    def takes_time(self, text: str, layout: _Layout) -> bool:
        return layout.time is not None and not self.time and bool(self.units) and a_time(text)

    def own_done(self, layout: _Layout) -> bool:
        return len(self.own) >= max(1, len(layout.after))

    def open_subrow(self, layout: _Layout) -> _SubRow | None:
        """The sub-row still taking its cells (as many as the columns after the task's text)."""
        if self.subrows and not self.subrows[-1].units and len(self.subrows[-1].cells) < len(layout.after) - 1:
            return self.subrows[-1]
        return None

    def unit_paragraphs(self) -> list[str]:
        grouped: list[str] = []
        for text in self.units:
            if grouped and grouped[-1].endswith("、"):
                grouped[-1] += text
            else:
                grouped.append(text)
        return grouped


def segmented_rows(paragraphs: list[tuple[int, str]], k: int, rows: list[tables.Row]) -> int:
    """Read the table's rows from paragraph k on into `rows` (which holds its header); where they end."""
    layout = _Layout(rows[0].cells)
    if not layout.units:
        return k
    items = _Items(layout)
    found: list[tables.Row | _RowSoFar] = []
    row: _RowSoFar | None = None
    pending: list[tuple[int, str]] = []  # what follows a row's cells: the next row's leading cells, or headings
    expected = 1
    numbered = layout.number is not None
    while k < len(paragraphs):
        line, text = paragraphs[k]
        if [p[1] for p in paragraphs[k : k + layout.width]] == rows[0].cells:
            k += layout.width  # the header repeated at the top of the next page
            continue
        waiting = row is not None and not numbered and not row.units and items.holds(row)
        if tables.APPENDIX_HEADING.match(text) or (tables.NOTE.match(text) and not waiting):
            break  # a note inside a row whose units are still to come (注：以…为准) is one of its cells
        unit = unit_paragraph(text) or bool(row and row.units and row.units[-1].endswith("、"))
        if numbered and text == "1" and expected > 2 and row is not None and row.own_done(layout):
            expected = 1  # the numbers start again under the next 类别 (1. 分类投放 … 2. 分类运输 1, 2 …)
        if numbered:
            starts = text == str(expected)
        else:
            starts = row is None or (bool(row.units) and not unit and not row.time)
            starts = starts or (waiting and not unit and items.starts_row(text, row))  # type: ignore[arg-type]
        if starts:
            if row is not None and not numbered and row.takes_time(text, layout):
                row.time = text
                k += 1
                continue
            if row is not None:
                items.learn(row)
                found.append(row)
            row = _RowSoFar(line)
            for at, before in pending:
                if HEADING_ROW.match(before) and not row.leading:
                    found.append(tables.Row([before], at))
                else:
                    row.leading.append(before)
            pending = []
            if numbered:
                row.number = text
                expected += 1
                k += 1
                continue
        sub = row.open_subrow(layout) if row is not None else None
        if sub is not None:
            sub.cells.append(text)  # the sub-row's 指标数 cell, whatever it names (属地各企业全覆盖)
        elif numbered and (row is None or (row.own_done(layout) and not unit and not row.takes_time(text, layout))):
            if row is not None and row.units and layout.time is None and a_time(text):
                row.subrows.append(_SubRow(line, text))  # 2019年 | 26.5万户: a further 节点 | 指标数 row
            elif not (a_time(text) or QUANTITY.match(text)):
                if len(pending) > len(layout.texts) + 1:
                    break  # more than a row's leading cells and a heading before the next number: the table ended
                pending.append((line, text))
        elif row is None:
            break
        elif HEADING_ROW.match(text) and not row.leading and not row.own and not row.units:
            if _BARE_HEADING.match(text) and k + 1 < len(paragraphs) and _names_a_heading(paragraphs[k + 1][1]):
                k += 1
                text += paragraphs[k][1]
            found.append(tables.Row([text], line))
        elif row.takes_time(text, layout):
            row.time = text
        elif unit and (row.own_done(layout) or not numbered):
            (row.subrows[-1].units if row.subrows and len(row.subrows[-1].cells) > 1 else row.units).append(text)
        elif not numbered and len(row.leading) > len(layout.texts) * (3 if items.holds(row) else 1):
            break  # more text than the row has columns for: the table has ended
        elif numbered:
            row.own.append(text)
        else:
            items.seen(text)
            row.leading.append(text)
        k += 1
    if row:
        found.append(row)
    _emit(found, layout, items, rows)
    return k


def _names_a_heading(text: str) -> bool:
    return len(text) <= 30 and not _item(text) and not unit_paragraph(text) and not HEADING_ROW.match(text)


def _emit(found: list[tables.Row | _RowSoFar], layout: _Layout, items: _Items, rows: list[tables.Row]) -> None:
    seen = _seen_in_columns([r for r in found if isinstance(r, _RowSoFar)], layout)
    for row in found:
        if isinstance(row, tables.Row):
            rows.append(row)
            continue
        if not (row.leading or row.own) and not row.units:
            continue
        cells = [""] * layout.width
        if layout.number is not None:
            cells[layout.number] = row.number
            for columns, texts in ((layout.before, row.leading), (layout.after, row.own)):
                for at, text in zip(reversed(columns), reversed(texts), strict=False):
                    cells[at] = text
        else:
            for at, text in items.place(row.leading):
                cells[at] = text
        if layout.time is not None:
            cells[layout.time] = row.time
        subrows = [s for s in row.subrows if s.units]
        # Sub-rows that name a part of the task (教育条线全覆盖) make the row's own 节点 | 指标数 its first part.
        parts = any(not QUANTITY.match(s.cells[-1]) for s in subrows)
        first = [row.line, row.own[1:], row.units] if parts and len(row.own) > 1 else None
        if first:
            for at in layout.after[1:]:
                cells[at] = ""
        else:
            _place_units(cells, row.unit_paragraphs(), layout, seen)
        rows.append(tables.Row(cells, row.line))
        for line, texts, units in ([first] if first else []) + [[s.line, s.cells, s.units] for s in subrows]:
            sub = [""] * layout.width
            for at, text in zip(layout.after[1:], texts, strict=False):
                sub[at] = text
            _place_units(sub, units, layout, seen)
            rows.append(tables.Row(sub, line))


def _seen_in_columns(found: list[_RowSoFar], layout: _Layout) -> dict[int, set[str]]:
    """The names each unit column holds in the rows whose unit paragraphs are one to a column."""
    seen: dict[int, set[str]] = defaultdict(set)
    for row in found:
        grouped = row.unit_paragraphs()
        if len(grouped) == len(layout.units):
            for at, text in zip(layout.units, grouped, strict=True):
                seen[at].update(_names(text))
    return seen


def _names(text: str) -> list[str]:
    return [n for n in re.split(r"[、，,；;\s]+", text) if n]


def _place_units(cells: list[str], units: list[str], layout: _Layout, seen: dict[int, set[str]]) -> None:
    """A row's unit paragraphs in its unit columns. More paragraphs than columns: some cell ran over two or more;
    that cell is the one that leaves the most names in a column that holds them on other rows (设施运行处 / 设施养护
    处 over the 牵头部门 cell, the 配合部门 and 实施主体 cells as on every other row), else the last."""
    grouped = list(units)
    if not grouped:
        return
    extra = len(grouped) - len(layout.units)
    if extra > 0:

        def folded(at: int) -> list[str]:
            joined = "、".join(g.rstrip("、") for g in grouped[at : at + extra + 1])
            return [*grouped[:at], joined, *grouped[at + extra + 1 :]]

        def fits(at: int) -> int:
            placed = zip(layout.units, folded(at), strict=True)
            return sum(n in seen[column] for column, cell in placed for n in _names(cell))

        last = len(layout.units) - 1
        grouped = folded(max(range(last + 1), key=lambda i: (fits(i), i == last)))
    for at, text in zip(layout.units, grouped, strict=False):
        cells[at] = text
