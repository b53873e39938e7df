"""A flattened table's row read against the kinds of its columns (text, units): which paragraphs name bodies, and
where a row whose cells a merge covered or the page put apart has each cell. Pure Python."""

from __future__ import annotations

import re

from lib import vocabulary as words
from lib.naming import looks_like_unit


def unit_paragraph(text: str) -> bool:
    """A paragraph that is (part of) a unit cell: short names, the first a body and most of them (各街道、相关委、办、
    局 writes three bodies short); a sentence that happens to end in 队 or 站 is a row's text."""
    names = [n for n in re.split(r"[、，,；;\s]+", text) if n]
    if not names or "。" in text or any(len(n) > 20 for n in names):
        return False
    if _sharing_a_kind(names):
        return True
    if not looks_like_unit(names[0].removesuffix("等")):
        return False
    return 2 * sum(looks_like_unit(n.removesuffix("等")) for n in names) >= len(names)


# The kind of place a list of names shares, written once after the last: 欧阳、曲阳、凉城、广中街道.
_PLACE_KIND = re.compile(r"(?:街道|镇|乡|社区|村)$")


def _sharing_a_kind(names: list[str]) -> bool:
    kind = _PLACE_KIND.search(names[-1])
    if len(names) < 2 or not kind or not looks_like_unit(names[-1]):
        return False
    return all(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", n) and looks_like_unit(n + kind[0]) for n in names[:-1])


_PLACEHOLDER = re.compile(r"^[—\-－/／无]+$")


def aligned(cells: list[str], columns: list[str]) -> list[str]:
    """A row read against its columns' kinds, in a table whose unit columns stand between text columns
    (内容 | 牵头部门 | 配合部门 | 2024年工作任务 …): a text cell a merge covered is absent, so the row starts with its
    units; a unit cell whose lines the page put apart comes as several short name paragraphs, the rest of them the
    last unit column's. Other tables' rows are as read."""
    roles = [words.heading_role(c) is not None for c in columns]
    if True not in roles:
        return cells
    first, last = roles.index(True), len(roles) - 1 - roles[::-1].index(True)
    after = columns[last + 1 :]
    if not after or any(n in re.sub(r"\s+", "", c) for c in after for n in words.DEADLINE_HEADINGS):
        return cells
    unitish = [unit_paragraph(c) or bool(_PLACEHOLDER.match(c)) for c in cells]
    lead = next((i for i, u in enumerate(unitish) if u), None)
    if lead is None or lead > first:
        return cells
    end = next((i for i in range(lead, len(cells)) if not unitish[i]), len(cells))
    wanted = last - first + 1
    units = cells[lead:end]
    if len(units) < wanted or (lead == first and len(units) == wanted):
        return cells  # as many unit paragraphs as unit columns, where they belong: nothing to align
    if len(units) > wanted:
        units = [*units[: wanted - 1], "、".join(u.rstrip("、") for u in units[wanted - 1 :])]
    text = cells[:lead] + [""] * (first - lead)
    rest = cells[end:]
    rest = rest[: len(after) - 1] + ["\n".join(rest[len(after) - 1 :])] if len(rest) > len(after) else rest
    return [*text, *units, *rest]
