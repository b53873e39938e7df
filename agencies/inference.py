"""Where a plan belongs: its region, from the clues its text gives, strongest first.

The clues (plans.parsing.clues) are the issuer (its signature, notice or the 关于 of its title), the site that
published it, the 机关代字 of its 文号, the title, and the level the body speaks from (我区, 全省). The first
clue that names exactly one region settles it; a clue that fits several (鹤: 鹤城区, 鹤壁市, 鹤岗市; 普陀区 in
上海市 and 舟山市) keeps those the other clues agree with, then those of the body's level, then the one whose
parent the text names most (上海 for 上海市普陀区). A short form in the title (盐都 for 盐都区) counts only in
brackets or when the text names the place or its parents elsewhere.

When no clue settles it, a reader still sees most plans' region at once, and so does this: the only candidate;
a region whose other candidates all lie inside it (a city's notice names its districts as addressees); the
candidate the text names most. Such a finding carries its `doubt` for the person to check. Only a true tie
(or no candidate at all) leaves the region open, with the candidates to ask about, likeliest first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from .models import Region
from .places import Found, PlaceIndex, codes_for, is_national_body, place_index

ORDER = ("issuer", "site", "doc_code", "title")
ASKED_CANDIDATES = 8


class Clue(Protocol):
    kind: str
    text: str
    line: int | None
    count: int

    @property
    def label(self) -> str: ...


@dataclass
class RegionFinding:
    """The region found and the clue it came from, or the candidates to ask a person about."""

    region: Region | None = None
    source: str = ""  # how it was found: 发文机关“深圳市人民政府”（第3行）, 人工指定
    candidates: list[Region] = field(default_factory=list)
    # Why a region the clues did not settle was taken all the same (唯一的候选), for the person to check; ''
    # when a clue settled it.
    doubt: str = ""

    @property
    def settled(self) -> bool:
        return self.region is not None

    def question(self) -> str:
        if self.candidates:
            names = "、".join(f"{r.full_name}（{r.code}）" for r in self.candidates)
            return f"文本中的线索不能确定方案所属行政区，可能是：{names}"
        return "文本中找不到方案所属行政区的线索（发文机关、文号、标题中的地名）"


def infer_region(clues: Iterable[Clue], text: str) -> RegionFinding:
    clues = list(clues)
    index = place_index()
    level = _body_level(clues)
    readings = []
    for kind in ORDER:
        for clue in clues:
            if clue.kind == kind and (read := _read(clue, index, text))[0]:
                readings.append((clue, *read))
    pending: list[Region] = []
    for k, (clue, regions, found) in enumerate(readings):
        others = [r for _, rs, _ in readings[:k] + readings[k + 1 :] for r in rs]
        narrowed = _narrow(regions, others, level, index, text)
        if len(narrowed) == 1 and (not pending or _agrees(narrowed[0], pending, index)):
            # The index is shared by the process; the plan gets a row of its own.
            return RegionFinding(Region.objects.get(pk=narrowed[0].pk), _source(clue, narrowed[0], found, index))
        pending = pending or narrowed
    if not pending:
        pending = _mentioned(index, text, level)
    pending = _likeliest_first(pending, index, text)
    if choice := _clear_choice(pending, index, text):
        region, doubt = choice
        others = [r for r in pending if r.id != region.id][:ASKED_CANDIDATES]
        return RegionFinding(Region.objects.get(pk=region.pk), doubt, others, doubt)
    return RegionFinding(None, "", pending[:ASKED_CANDIDATES])


def _likeliest_first(regions: list[Region], index: PlaceIndex, text: str) -> list[Region]:
    """The candidates in the order a person would weigh them: a region holding the others first, then by how often
    the text names each, then the higher level."""
    regions = list({r.id: r for r in regions}.values())
    holds = {r.id: sum(1 for o in regions if o.id != r.id and _inside(o, r, index)) for r in regions}
    counts = {r.id: (index.named(r, text), index.mentions(r, text)) for r in regions}
    return sorted(regions, key=lambda r: (-holds[r.id], -counts[r.id][0], -counts[r.id][1], r.level))


def _clear_choice(regions: list[Region], index: PlaceIndex, text: str) -> tuple[Region, str] | None:
    """The region a reader takes at once though no clue settles it, and why; None for a true tie."""
    if not regions:
        return None
    if len(regions) == 1:
        return regions[0], f"唯一的候选行政区“{regions[0].full_name}”"
    top, others = regions[0], regions[1:]
    if len(others) >= 2 and all(_inside(o, top, index) for o in others):
        # A city's notice addressed to its districts names them all; the plan is the city's.
        names = "、".join(o.name for o in others[:3])
        return top, f"其余候选（{names}等）均在“{top.full_name}”辖内，正文只是提及"
    counts = sorted(((index.named(r, text), r) for r in regions), key=lambda pair: -pair[0])
    if counts[0][0] > counts[1][0]:
        return counts[0][1], f"正文提及“{counts[0][1].full_name}”最多（{counts[0][0]}次）"
    # Namesakes named alike (普陀区 of 上海市 and of 舟山市): the one whose parent the text names, and names most.
    tied = [r for n, r in counts if n == counts[0][0]]
    parents = sorted(((index.mentions(r, text), r) for r in tied), key=lambda pair: -pair[0])
    if parents[0][0] > parents[1][0]:
        return parents[0][1], f"正文提及其上级“{parents[0][1].full_name}”最多（{parents[0][0]}次）"
    return None


def _inside(region: Region, other: Region, index: PlaceIndex) -> bool:
    """`region` lies within `other` (not the same)."""
    return region.id != other.id and any(p.id == other.id for p in index.lineage(region))


def _read(clue: Clue, index: PlaceIndex, text: str) -> tuple[list[Region], list[Found]]:
    """The regions a clue may mean, and the places it names (for the title's label)."""
    if clue.kind in ("issuer", "site"):
        names = [n for n in re.split(r"[\s、，,]+", clue.text) if n]
        if names and all(is_national_body(n) for n in names):
            return [Region.objects.national()], []
        return index.deepest([f.region for f in index.find(clue.text, weak=False)]), []
    if clue.kind == "doc_code":
        codes = codes_for(clue.text)
        return (list(Region.objects.filter(code__in=codes)) if codes else []), []
    if clue.kind == "title":
        found = [f for f in index.find(clue.text) if f.strong or f.bracketed or _named_elsewhere(f.region, index, text)]
        return index.deepest([f.region for f in found]), found
    return [], []


def _source(clue: Clue, region: Region, found: list[Found], index: PlaceIndex) -> str:
    if clue.kind != "title":
        return clue.label
    lineage = {r.id for r in index.lineage(region)}
    words = dict.fromkeys(clue.text[f.start : f.end] for f in found if f.region.id in lineage)
    where = f"（第{clue.line}行）" if clue.line else ""
    return f"标题中的地名“{'”“'.join(words)}”{where}"


def _named_elsewhere(region: Region, index: PlaceIndex, text: str) -> bool:
    """A short form in the title stands for the place when the text names it, or its parents, in full."""
    return region.name in text or region.full_name in text or index.mentions(region, text) > 0


def _narrow(regions: list[Region], others: list[Region], level: set[int] | None, index, text) -> list[Region]:
    regions = list({r.id: r for r in regions}.values())
    if len(regions) > 1:
        agreeing = [r for r in regions if any(_related(r, o, index) for o in others)]
        regions = agreeing or regions
    if len(regions) > 1 and level:
        fitting = [r for r in regions if r.level in level]
        regions = fitting or regions
    if len(regions) > 1:
        counts = {r.id: index.mentions(r, text) for r in regions}
        best = max(counts.values())
        if best and sum(1 for c in counts.values() if c == best) == 1:
            regions = [r for r in regions if counts[r.id] == best]
    return regions


def _related(a: Region, b: Region, index: PlaceIndex) -> bool:
    """One lies in the other (or they are the same)."""
    if a.id == b.id:
        return True
    return any(p.id == b.id for p in index.lineage(a)) or any(p.id == a.id for p in index.lineage(b))


def _agrees(region: Region, pending: list[Region], index: PlaceIndex) -> bool:
    # A weaker clue may settle what a stronger one left open, but never overrule it.
    return any(_related(region, p, index) for p in pending)


_LEVELS = {
    "省": {Region.Level.PROVINCE},
    "市": {Region.Level.CITY, Region.Level.PROVINCE, Region.Level.COUNTY},
    "州": {Region.Level.CITY},
    "区": {Region.Level.COUNTY},
    "县": {Region.Level.COUNTY},
}


def _body_level(clues: list[Clue]) -> set[int] | None:
    """The level the body speaks from (我区, 全省), by the word it uses most; failing that, the level of the bodies
    its clauses name most (区发改局)."""
    votes: dict[str, int] = {}
    for clue in clues:
        if clue.kind in ("body", "units"):
            # A word the body speaks from says more than one unit's prefix; many units outweigh a few words.
            weight = 3 if clue.kind == "body" else 1
            votes[clue.text[-1]] = votes.get(clue.text[-1], 0) + weight * clue.count
    if not votes:
        return None
    return _LEVELS.get(max(votes, key=votes.get))


def _mentioned(index: PlaceIndex, text: str, level: set[int] | None) -> list[Region]:
    """Places the text names in full, of the level it speaks from, most named first: candidates to ask about."""
    counts: dict[int, int] = {}
    for found in index.find(text, weak=False):
        if level is None or found.region.level in level:
            counts[found.region.id] = counts.get(found.region.id, 0) + 1
    return [index.by_id[i] for i in sorted(counts, key=lambda i: -counts[i])]
