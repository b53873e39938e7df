"""Where each cell of a 分工表 row stands when merged cells were lost or kept (see division.py), and the units a
cell names. Pure Python."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lib import vocabulary as words
from lib.naming import looks_like_unit

from .brackets import split_top_level
from .units import read_units

if TYPE_CHECKING:
    from .division import Columns

NONE = {"", "/", "／", "—", "-", "无", "——", "－", "——/"}
NUMBER = re.compile(r"^(?:\d{1,3}(?:[.．]\d{1,3})*[.．、]?|[（(]\d{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．]?)$")
# A branch written on the line under its body: 丰台分局, 长辛店分公司.
# A place's name alone before the branch's kind (丰台 / 长辛店): 公安丰台分局 and 丰台运管分局 name bodies of their own.
_BRANCH = re.compile(r"^[\u4e00-\u9fff]{2,3}(?:分局|分公司|分行|支行|分中心|分院|分所|分队|支队|大队)$")


def split_cell(text: str) -> list[tuple[str, str]]:
    """The units a table cell names, one to a line or separated as a clause separates them: (name, as written)."""
    if text.strip() in NONE:
        return []
    joined: list[tuple[str, str]] = []
    ends_a_line = False
    for line in re.split(r"\s+", text.strip()):
        for k, (name, written) in enumerate(
            unit for group in split_top_level(line, words.GROUP_SEPARATORS) for unit in read_units(group)
        ):
            # 市规划自然资源委 / 丰台分局; 区机关事务管理 / 服务中心: one name broken over two lines of the cell.
            broken = k == 0 and ends_a_line and (_BRANCH.match(written) or not looks_like_unit(joined[-1][0]))
            if broken:
                joined[-1] = (joined[-1][0] + name, joined[-1][1] + written)
            else:
                joined.append((name, written))
        ends_a_line = bool(joined) and not line.endswith(tuple(words.GROUP_SEPARATORS + words.UNIT_SEPARATOR))
    return [(name, written) for name, written in joined if written not in NONE]


def aligner(cells: list[str], col: Columns):
    """Read a cell of a row whose merged cells were lost or kept (see the module's docstring)."""
    if len(cells) == col.width:
        as_written = list(cells)
        if _fits(as_written, col)[0] or _unitless(as_written, col):
            return lambda i: as_written[i] if i is not None else ""  # a full row that reads units is as written
    while cells and not cells[-1]:
        cells = cells[:-1]  # empty cells at the end (a scrape pads its rows, a page's table adds a column) say nothing
    if len(cells) > col.width:
        shift = len(cells) - col.width

        def wide(i: int | None) -> str:
            if i is None:
                return ""
            at = i if i in (col.task, col.number, col.group) else i + shift
            return cells[at] if 0 <= at < len(cells) else ""

        return wide
    if len(cells) >= col.width:
        return lambda i: cells[i] if i is not None and i < len(cells) else ""
    # A short row lost the cells a merge covered: at its start (序号 and 重点任务 merged down), after its number (the
    # 重点任务 alone), or at its end (trailing cells left empty). Of the layouts that could be, the one whose unit
    # columns name bodies and whose task column holds its longest text is the row as written.
    layouts = [_layout(cells, col.width, start=0, keep=0)]
    if cells and NUMBER.match(cells[0]):
        layouts.append(_layout(cells, col.width, start=col.width - len(cells) + 1, keep=1))
    else:
        layouts.append(_layout(cells, col.width, start=col.first_own, keep=0))
    layouts.append(_layout(cells, col.width, start=col.width - len(cells), keep=0))
    best = max(layouts, key=lambda placed: _fits(placed, col))
    return lambda i: best[i] if i is not None else ""


def _unitless(cells: list[str], col: Columns) -> bool:
    """A full row with no units (a merge above holds them) that begins with its number or its task's text, the
    longest of its cells, where the header has them."""
    first = next((i for i, c in enumerate(cells) if c), None)
    begins = first == col.task or (first == col.number and bool(NUMBER.match(cells[first])))
    return begins and not any(cells[i] for i in col.units) and bool(_fits(cells, col)[1])


def _layout(cells: list[str], width: int, start: int, keep: int) -> list[str]:
    """The row's cells placed in the header's columns: the first `keep` where they are, the rest from `start` on."""
    placed = [""] * width
    for i, cell in enumerate(cells[:keep]):
        placed[i] = cell
    for i, cell in enumerate(cells[keep:]):
        if 0 <= start + i < width:
            placed[start + i] = cell
    return placed


def _fits(placed: list[str], col: Columns) -> tuple[int, int]:
    """How well a layout reads: unit columns that name bodies (most of their names), and the task column holding
    the longest text of the columns that are not units'."""
    bodies = 0
    for i in col.units:
        names = split_cell(placed[i]) if placed[i] not in NONE else []
        if names and 2 * sum(1 for n, _ in names if looks_like_unit(n)) >= len(names):
            bodies += 1
    task = placed[col.task] if col.task is not None else ""
    texts = [c for i, c in enumerate(placed) if i not in col.units]
    longest = int(bool(task) and len(task) == max(len(c) for c in texts))
    return bodies, longest
