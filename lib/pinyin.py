"""Pinyin keys for agency names: how Chinese users sort them and how they type them. Pure Python.

Sorting follows the pinyin of the name, as a printed 责任单位 list would. The
region-relative prefix (区/市/县) is left out of the sort key, since nearly every
bureau of a region carries it and staff look for 财政局 under C, not under Q.

Search by initials uses the first letters of every syllable, prefix included,
so `fgj` and `qfgj` both find 区发改局.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from . import naming

# Letters and digits outside Chinese text (5G, 110) are kept; brackets and punctuation are not.
_KEEP = re.compile(r"[0-9a-z]+")


def _syllables(name: str, style: Style) -> list[str]:
    out = []
    for piece in lazy_pinyin(name, style=style, neutral_tone_with_five=True, errors="default"):
        out.extend(_KEEP.findall(piece.lower()))
    return out


# Agencies of every region are named from the same few hundred bureau names, and pypinyin takes about a
# millisecond a name: a national load computes each name's keys once.
@lru_cache(maxsize=8192)
def sort_key(name: str) -> str:
    """区发展和改革局 → 'fa1 zhan3 he2 gai3 ge2 ju2': toned syllables, prefix dropped.

    The space keeps 'fa zhan' before 'fang', as a pinyin index orders them.
    """
    name = naming.normalise(name)
    core = name[1:] if naming.prefix_of(name) else name
    return " ".join(_syllables(core, Style.TONE3))


@lru_cache(maxsize=8192)
def initials(name: str) -> str:
    """区发展和改革局 → 'qfzhggj'; 市5G办 → 's5gb'."""
    return "".join(s[0] if s[0].isalpha() else s for s in _syllables(naming.normalise(name), Style.NORMAL))


def looks_like_initials(query: str) -> bool:
    """Whether a search query is Latin letters (and digits) a user typed as initials."""
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", query.strip()))
