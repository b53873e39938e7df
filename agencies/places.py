"""Places named in text: which regions a name, a short form or a 机关代字 may mean, and which bodies are national.

The regions come from the database (one query per index); the 机关代字 table and the list of national bodies
are data kept under agencies/data/, read once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import Count, Max

from .models import Region
from .regions import NATIONAL_CODE

DATA = Path(__file__).resolve().parent / "data"
# Names that begin so are national bodies: 国务院办公厅, 国家发展改革委, 中共中央办公厅. 国家电网 is a company.
_NATIONAL_START = re.compile(r"^(国务院|国家(?!电网)|中共中央|党中央|中央(?!企业))")


@cache
def doc_codes() -> dict[str, list[str]]:
    """机关代字 → region codes, from agencies/data/doc_codes.json."""
    codes = json.loads((DATA / "doc_codes.json").read_text(encoding="utf-8"))["codes"]
    return {code: list(regions) for code, regions in codes.items()}


@cache
def national_bodies() -> frozenset[str]:
    return frozenset(json.loads((DATA / "national_bodies.json").read_text(encoding="utf-8"))["names"])


def is_national_body(name: str) -> bool:
    """国务院办公厅, 海关总署, 国家发展改革委: a body of the whole country wherever a plan names it."""
    name = "".join(name.split())
    return name in national_bodies() or bool(_NATIONAL_START.match(name))


def codes_for(doc_code: str) -> list[str]:
    """The region codes the place part of a 机关代字 may mean (longest prefix in the table), or []."""
    table = doc_codes()
    for end in range(len(doc_code), 0, -1):
        if doc_code[:end] in table:
            return table[doc_code[:end]]
    return []


@dataclass(frozen=True)
class Found:
    region: Region
    start: int
    end: int
    strong: bool  # a name with its suffix (盐都区, 深圳市); a short form (盐都, 深圳) is weak
    bracketed: bool = False  # written in brackets: 国家碳达峰试点（深圳）


_INDEX: dict[tuple, PlaceIndex] = {}


def place_index() -> PlaceIndex:
    """The index of every region, built once per process and again only when the regions change (one query)."""
    key = tuple(Region.objects.aggregate(n=Count("id"), last=Max("id")).values())
    if key not in _INDEX:
        _INDEX.clear()
        _INDEX[key] = PlaceIndex()
    return _INDEX[key]


class PlaceIndex:
    """Every region by full name, name and short form, for finding the places a text names."""

    def __init__(self):
        self.regions = list(
            Region.objects.exclude(code=NATIONAL_CODE).only("id", "code", "name", "full_name", "level", "parent_id")
        )
        self.by_id = {r.id: r for r in self.regions}
        self.strong: dict[str, list[Region]] = {}
        self.weak: dict[str, list[Region]] = {}
        for region in self.regions:
            # A one-character place with its suffix (城区, 矿区, 郊区) reads as a word; only its full name counts.
            names = {region.full_name} | ({region.name} if len(region.name) >= 3 else set())
            for name in names:
                self.strong.setdefault(name, []).append(region)
            short = region.short_name
            if short != region.name and len(short) >= 2:
                self.weak.setdefault(short, []).append(region)
        self.longest = max(len(n) for n in self.strong)

    def lineage(self, region: Region) -> list[Region]:
        chain = []
        while region is not None:
            chain.append(region)
            region = self.by_id.get(region.parent_id)
        return chain

    def find(self, text: str, weak: bool = True) -> list[Found]:
        """Places the text names, longest first at each position; a weak one only if `weak`."""
        found: list[Found] = []
        i = 0
        while i < len(text):
            match = None
            for length in range(min(self.longest, len(text) - i), 1, -1):
                word = text[i : i + length]
                if word in self.strong:
                    match = [Found(r, i, i + length, True, _bracketed(text, i, i + length)) for r in self.strong[word]]
                    break
                if weak and word in self.weak:
                    match = [Found(r, i, i + length, False, _bracketed(text, i, i + length)) for r in self.weak[word]]
                    break
            if match:
                found += match
                i = match[0].end
            else:
                i += 1
        return found

    def mentions(self, region: Region, text: str) -> int:
        """How often the text names the region's parents (上海 for 上海市普陀区): what tells namesakes apart."""
        count = 0
        for parent in self.lineage(region)[1:]:
            names = {parent.name, parent.short_name} - {""}
            count += sum(text.count(name) for name in names if len(name) >= 2)
        return count

    def named(self, region: Region, text: str) -> int:
        """How often the text names the region itself (湘潭市, or 湘潭 where that is its short form)."""
        short = region.short_name if len(region.short_name or "") >= 2 else ""
        return text.count(short) if short else text.count(region.name)

    def deepest(self, regions: list[Region]) -> list[Region]:
        """The regions no other of them lies under: 株洲市石峰区 of 株洲市 and 石峰区."""
        ids = {r.id for r in regions}
        above = {p.id for r in regions for p in self.lineage(r)[1:] if p.id in ids}
        return list({r.id: r for r in regions if r.id not in above}.values())


def _bracketed(text: str, start: int, end: int) -> bool:
    return text[start - 1 : start] in "（(〈" and text[end : end + 1] in "）)〉" and start > 0
