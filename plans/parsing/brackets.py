"""Brackets in plan text: where a parenthetical starts and ends, and splitting a list outside them.

Plans nest brackets of every kind inside unit names and remarks: 马栏山(长沙)视频文创管理委员会, 社区（村）,
省编办〈省审改办〉, 相关区人民政府〈含开发区、长江新区…〉, 〔A、B〕. A separator inside any of them never splits a
list, and full- and half-width brackets mix freely.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Brackets that may hold a duty clause: （…） (…) and the square 〔…〕 some provinces use.
OPEN = "（(〔［[【"
CLOSE = "）)〕］]】"
# Every bracket that nests: the clause brackets, angle brackets and book-title marks.
NEST_OPEN = OPEN + "〈《"
NEST_CLOSE = CLOSE + "〉》"
# What may close a sentence before a clause that stands in mid-paragraph.
SENTENCE_END = "。；;！？!?"
_ANY_BRACKET = re.compile("[" + re.escape(NEST_OPEN + NEST_CLOSE) + "]")


def trailing_parenthetical(text: str) -> tuple[int, str] | None:
    """The parenthetical that ends `text`, as (start index, inner text).

    Nested brackets inside unit names (马栏山(长沙)视频文创管理委员会, 社区（村）)
    are matched, and full- and half-width brackets mix freely.
    """
    stripped = text.rstrip(" 　。;；")
    if not stripped or stripped[-1] not in CLOSE:
        return None
    depth = 0
    for i in range(len(stripped) - 1, -1, -1):
        ch = stripped[i]
        if ch in NEST_CLOSE:
            depth += 1
        elif ch in NEST_OPEN:
            depth -= 1
            if depth == 0:
                return (i, stripped[i + 1 : -1]) if ch in OPEN else None
    return None


@lru_cache(maxsize=4096)
def groups(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of every top-level group opened by a clause bracket; end is one past its closing bracket."""
    found, depth, start = [], 0, -1
    for m in _ANY_BRACKET.finditer(text):
        i, ch = m.start(), m.group()
        if ch in NEST_OPEN:
            if depth == 0:
                start = i if ch in OPEN else -1
            depth += 1
        elif ch in NEST_CLOSE and depth:
            depth -= 1
            if depth == 0 and start >= 0:
                found.append((start, i + 1))
    return tuple(found)


def split_top_level(text: str, separators: str) -> list[str]:
    """Split on separators that are not inside brackets."""
    if not _ANY_BRACKET.search(text):
        return [p.strip() for p in _splitter(separators).split(text)]
    parts, depth, current = [], 0, []
    for ch in text:
        if ch in NEST_OPEN:
            depth += 1
        elif ch in NEST_CLOSE:
            depth = max(0, depth - 1)
        if ch in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts]


@lru_cache(maxsize=64)
def _splitter(separators: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(separators) + "]")


def top_level_positions(text: str, needle: str) -> list[int]:
    """Where `needle` occurs outside every bracket."""
    if needle not in text:
        return []
    if not _ANY_BRACKET.search(text):
        return [m.start() for m in re.finditer(re.escape(needle), text)]
    positions, depth = [], 0
    for i, ch in enumerate(text):
        if ch in NEST_OPEN:
            depth += 1
        elif ch in NEST_CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and text.startswith(needle, i):
            positions.append(i)
    return positions
