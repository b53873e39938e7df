"""Clues to the region a plan belongs to, as the text gives them; the agencies app matches them to regions.

Strongest first: the body that issued the plan (its signature, the notice heading, the 关于 of its title),
the site that published it (《…》-山西省发改委门户网站), the 机关代字 of its 文号 (深府函, 苏府), the title with the
places it names, the words the body speaks from (我区, 全省, 本市), and the level of the bodies its clauses name
(市发改委: a city's plan). Nothing here knows the regions.
"""

from __future__ import annotations

import re

from lib.naming import prefix_of

from .cover import ABOUT, Cover
from .structures import ParsedPlan, RegionClue

# The 机关代字: what stands before the year bracket of a 文号 (湘发改能源规〔2023〕848号 → 湘发改能源规).
_DOC_CODE = re.compile(r"^(?P<code>[\u4e00-\u9fff]{1,10})[〔\[［【(（]")
# 我区, 全省, 本市 …: the level the text speaks from. 全国 is everywhere, so it says nothing.
_SPEAKS_FROM = re.compile(r"(?:我|全|本)(?P<level>省|市|区|县|州)(?![长委政级属直场民域份])")


def region_clues(plan: ParsedPlan, cover: Cover, lines: list[str]) -> list[RegionClue]:
    clues: list[RegionClue] = []
    issuers = [plan.issuer, cover.notice_issuer]
    if about := ABOUT.match(plan.title):
        issuers.append(about["issuer"].strip())
    for issuer in dict.fromkeys(i for i in issuers if i):
        clues.append(RegionClue("issuer", issuer, _line_of(lines, issuer)))
    if cover.site:
        clues.append(RegionClue("site", cover.site, cover.title_line))
    if m := _DOC_CODE.match(plan.doc_number):
        clues.append(RegionClue("doc_code", m["code"], _line_of(lines, plan.doc_number)))
    clues.append(RegionClue("title", plan.title, plan.title_line))
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for number, line in enumerate(lines[cover.body_start :], start=cover.body_start + 1):
        if "我" not in line and "全" not in line and "本" not in line:
            continue
        for m in _SPEAKS_FROM.finditer(line):
            word = m.group()
            counts[word] = counts.get(word, 0) + 1
            first.setdefault(word, number)
    for word, count in sorted(counts.items(), key=lambda item: -item[1]):
        clues.append(RegionClue("body", word, first[word], count))
    # The level of the bodies its clauses name (市发改委, 区财政局): a city's plan names its own 市 bureaus most.
    levels: dict[str, int] = {}
    for clause in plan.clauses:
        for unit in clause.units:
            if prefix := prefix_of(unit.name):
                levels[prefix] = levels.get(prefix, 0) + 1
    if levels:
        prefix, count = max(levels.items(), key=lambda item: item[1])
        clues.append(RegionClue("units", prefix, None, count))
    return clues


def _line_of(lines: list[str], text: str) -> int | None:
    for number, line in enumerate(lines, start=1):
        if text in line:
            return number
    # Written with other spaces (海关总署 国家移民局 民航局 across a line break of the page): compare without them.
    compact = re.sub(r"\s+", "", text)
    for number, line in enumerate(lines, start=1):
        if compact and compact in re.sub(r"\s+", "", line):
            return number
    return None
