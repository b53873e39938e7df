"""Likely duplicate agencies: two rows that may name one body, for an administrator to merge.

Only within a region (区发改局 is a different bureau in each district). A pair
is suggested when one name abbreviates the other as resolution reads
abbreviations (`naming.abbreviates`: 区发改局 / 区发展和改革局), when the names
are the same once connectives and filler words are dropped
(区碳达峰碳中和工作领导小组办公室 / 区碳达峰碳中和领导小组办公室), or when
one agency's name is another's alias.

The same comparisons rank the existing agencies a new name may mean
(`likely_same`), for the upload preview, where a person maps a name the text
would make a new agency of onto one of them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import combinations

from lib import naming

from .dependants import dependants
from .models import Agency

# Words that do not tell two bodies apart: 区人民政府 is 区政府, 工作领导小组 is 领导小组.
_FILLER = re.compile(r"[和与及、]|工作|人民|有关|相关|中共")

ABBREVIATES = "名称互为简称"
SAME_WORDS = "去掉“和、与、及”等字后相同"
NAME_IS_ALIAS = "一个单位的名称是另一单位的别名"


@dataclass(frozen=True)
class Suggestion:
    """Two agencies that may be one; `other` would be merged into `keep`."""

    keep: Agency
    other: Agency
    why: str


def with_usage(agencies: Iterable[Agency]) -> list[Agency]:
    """The agencies, each with `usage` ([(label, count)], e.g. [("职责", 12)]) and `usage_total`: how many rows the
    other apps keep about it (agencies.dependants). One query per dependant."""
    agencies = list(agencies)
    counted = [(d.usage_label, d.usage(a.pk for a in agencies)) for d in dependants() if d.usage_label]
    for agency in agencies:
        agency.usage = [(label, counts[agency.pk]) for label, counts in counted]
        agency.usage_total = sum(count for _, count in agency.usage)
    return agencies


def likely_duplicates(agencies: Iterable[Agency]) -> list[Suggestion]:
    """Suggested pairs, by region and name. Pass agencies with `aliases` prefetched, through `with_usage`.

    Runs no query of its own. Names are compared pairwise only within small
    buckets (same first and last character, or the same plain key), never
    across a whole region.
    """
    by_region: dict[int, list[Agency]] = defaultdict(list)
    for agency in agencies:
        by_region[agency.region_id].append(agency)
    suggestions = []
    for region_agencies in by_region.values():
        suggestions += _in_region(region_agencies)
    return sorted(suggestions, key=lambda s: (s.keep.region.code, s.keep.sort_key, s.other.sort_key))


def plain_key(name: str) -> str:
    """The name with short forms expanded and connectives and filler dropped."""
    return _FILLER.sub("", naming.name_key(name))


def _in_region(agencies: list[Agency]) -> list[Suggestion]:
    found: dict[frozenset[int], Suggestion] = {}

    def suggest(a: Agency, b: Agency, why: str) -> None:
        pair = frozenset((a.pk, b.pk))
        if a.pk != b.pk and pair not in found:
            keep, other = sorted((a, b), key=_keep_rank)
            found[pair] = Suggestion(keep, other, why)

    by_name = {a.name: a for a in agencies}
    for agency in agencies:
        for alias in agency.aliases.all():
            if alias.name in by_name:
                suggest(agency, by_name[alias.name], NAME_IS_ALIAS)

    # Collective names (各园区管委会 / 各重点园区管委会) name sets of bodies, never spellings of one.
    named = [a for a in agencies if not naming.is_collective(a.name)]
    by_plain: dict[str, list[Agency]] = defaultdict(list)
    by_ends: dict[tuple[str, str], list[Agency]] = defaultdict(list)
    for agency in named:
        by_plain[plain_key(agency.name)].append(agency)
        by_ends[(agency.name[:1], agency.name[-1:])].append(agency)
    # naming.abbreviates asks for the same first and last character, or equal name keys (grouped below).
    for group in by_ends.values():
        for a, b in combinations(group, 2):
            if naming.abbreviates(a.name, b.name):
                suggest(a, b, ABBREVIATES)
    for group in by_plain.values():
        for a, b in combinations(group, 2):
            suggest(a, b, ABBREVIATES if naming.abbreviates(a.name, b.name) else SAME_WORDS)
    return list(found.values())


# Below this share of characters in common (after the relative prefix), two names are not worth suggesting.
_SIMILAR = 0.5


def likely_same(name: str, agencies: Iterable[Agency], limit: int = 5) -> list[Agency]:
    """Agencies `name` may mean, likeliest first, at most `limit`. Pass agencies with `aliases` prefetched.

    First those it abbreviates or that have its plain key (as `likely_duplicates` pairs them); then those whose
    name holds it or is held by it (市委组织部 / 市委组织部〈人才办〉); then by the characters the plain names share.
    Every name of an agency counts, its aliases too. Runs no query of its own.
    """
    written = naming.normalise(name)
    key = _unprefixed(plain_key(written))
    scored = []
    for agency in agencies:
        score = max(_likeness(written, key, other) for other in [agency.name, *(a.name for a in agency.aliases.all())])
        if score >= _SIMILAR:
            scored.append((-score, agency.sort_key, agency.pk, agency))
    return [agency for *_, agency in sorted(scored)[:limit]]


def _likeness(written: str, key: str, other: str) -> float:
    """3 for an abbreviation or the same plain name, 2 when one holds the other, else the share of characters."""
    other_key = _unprefixed(plain_key(other))
    if naming.abbreviates(written, other) or key == other_key:
        return 3.0
    if min(len(key), len(other_key)) >= 2 and (key in other_key or other_key in key):
        return 2.0
    return SequenceMatcher(None, key, other_key).ratio()


def _unprefixed(key: str) -> str:
    # 区/市/县 begin most names of a region and would make any two look alike.
    return key[1:] if naming.prefix_of(key) else key


def _keep_rank(agency: Agency) -> tuple:
    """The one to keep first: more rows about it (duties, …), then the longer (usually the official) name."""
    return (-getattr(agency, "usage_total", 0), -len(agency.name), agency.pk)
