"""Lists of units as plans write them: where one unit ends and the next begins.

Units are separated by 、 (and, in some plans, by ， between groups); 和, 及 and 以及 join the last unit
to a list (…中国民航局和各地方人民政府) but also occur inside names (工业和信息化部), so they separate only
where both sides name a body. A 、 inside brackets never separates (相关区人民政府〈含开发区、长江新区…〉), nor
the 、 of a collective written in short (各市、县级政府: the governments at city and county level). 等 closes
a list: what follows it is a category (等各产业、招商主管部门), not a unit.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lib import vocabulary as words
from lib.naming import looks_like_unit

from .brackets import split_top_level, top_level_positions

# A level of government written alone, to be completed by the next item: 各市、县级政府.
_BARE_LEVEL = re.compile(r"^各?(?:省|市|县|区|乡|镇|州|市州|县市|县区|市县|县市区|乡镇|街道)$")
_LEVEL_BODY = re.compile(
    r"^(?:省|市|县|区|乡|镇|州|市州|县市|县区|市县|县市区|乡镇|街道)\S*(?:政府|管委会|部门|单位|办事处)$"
)
# 各区、县级市 / 各有关区、县级市: a collective of governments whose second level is written bare, never a unit alone.
_COLLECTIVE_LEVEL = re.compile(r"^(?:各有关|各相关|各)(?:省|市|县|区|乡|镇|州|市州|县市|县区|市县|县市区|乡镇|街道)$")
_LEVEL_ALONE = re.compile(r"^(?:省|市|县|区|乡|镇|州|县级市|县级区|市辖区|乡镇|街道|旗|自治县)$")
_CONJUNCTIONS = words.CONJUNCTIONS
# 等部门和各县市区人民政府: after the list's closer, a conjunction joins a further group to the list.
_AFTER_CLOSER = re.compile(
    rf"^{words.CLOSER}(?:{'|'.join(words.CLOSER_QUALIFIERS)})?(?:{'|'.join(words.UNIT_NOUNS)})?"
    rf"(?:{'|'.join(words.CONJUNCTIONS)}|{words.UNIT_SEPARATOR})(?P<more>.+)$"
)
# 各乡镇党委、政府: the party committee and the government of the same collective, the second written short.
_SHORT_PARTNER = re.compile(r"^(?P<whose>.+?)(?:党委|党工委)$")
_PARTNERS = ("政府", "人民政府", "管委会")
# A bracket that explains a unit rather than naming it: 相关区人民政府〈含开发区…，下同〉.
_EXPLANATION = re.compile(r"[〈（(](?:含|包括|包含)[^〈（(]*[〉）)]$")


@lru_cache(maxsize=8192)
def read_units(text: str) -> tuple[tuple[str, str], ...]:
    """(name to resolve, name as written) of every unit in a list."""
    units = []
    listed, more = _cut_at_deng(text.strip())
    pieces = [part for piece in split_top_level(listed, words.UNIT_SEPARATOR) for part in _split_conjunctions(piece)]
    for part in _join_levels(pieces):
        part = part.removesuffix(words.CLOSER).strip()
        if part:
            whose = _SHORT_PARTNER.match(units[-1][0]) if units else None
            if whose and part in _PARTNERS:
                units.append((whose["whose"] + part, part))
            else:
                units.append((_EXPLANATION.sub("", part).strip() or part, part))
    if more:
        units += read_units(more)
    return tuple(units)


def looks_like_units(text: str, any_one: bool = False) -> bool:
    """Whether a list names bodies only (or, with any_one, at least one), split as read_units splits it."""
    seen = False
    for segment in split_top_level(text, "，,；;"):
        for name, _ in read_units(segment):
            seen = True
            if looks_like_unit(name) == any_one:
                return any_one  # the first unit settles "any"; the first non-unit settles "all"
    return seen and not any_one


def _cut_at_deng(text: str) -> tuple[str, str]:
    """A list ends at a 等 that follows a unit: 区投资促进局等各产业、招商主管部门 ends at 区投资促进局. What a
    conjunction joins after the closer (…市工信局等部门和各县市区人民政府) is a further list, returned second."""
    for at in top_level_positions(text, words.CLOSER):
        if at == len(text) - 1:
            break
        piece = split_top_level(text[:at], words.UNIT_SEPARATOR)[-1]
        if looks_like_unit(piece):
            after = _AFTER_CLOSER.match(text[at:])
            if after and looks_like_unit(split_top_level(after["more"], words.UNIT_SEPARATOR)[0]):
                return text[:at], after["more"]
            return text[:at], ""
    return text, ""


def _completes_level(before: str, piece: str) -> bool:
    """各市、县级政府 (a level the next item completes); 各区、县级市 (a level written bare after a collective)."""
    if _BARE_LEVEL.match(before) and _LEVEL_BODY.match(piece):
        return True
    return bool(_COLLECTIVE_LEVEL.match(before) and _LEVEL_ALONE.match(piece))


def _join_levels(pieces: list[str]) -> list[str]:
    joined: list[str] = []
    for piece in pieces:
        if joined and _completes_level(joined[-1], piece):
            joined[-1] = f"{joined[-1]}、{piece}"
        elif joined and piece in _KINDS and joined[-1].endswith(_KINDS):
            joined[-1] = f"{joined[-1]}、{piece}"  # 相关委、办、局, 相关部门、单位: one collective of several kinds
        else:
            joined.append(piece)
    return joined


_KINDS = ("委", "办", "局", "部门", "单位")


# A 会 that ends an event (十五运会, 博览会), not a body: 十五运会和残特奥会广州赛区执委会 is one committee of both.
_BODY_HUI = (
    *("委员会", "管委会", "协会", "商会", "工会", "学会"),
    *("总会", "联合会", "基金会", "研究会", "促进会", "十字会"),
)


def _names_a_body(name: str) -> bool:
    return looks_like_unit(name) and (not name.endswith("会") or name.endswith(_BODY_HUI) or name.endswith("委会"))


def _split_conjunctions(piece: str) -> list[str]:
    if not any(word in piece for word in _CONJUNCTIONS):
        return [piece]
    for word in _CONJUNCTIONS:
        for at in top_level_positions(piece, word):
            left, right = piece[:at].strip(), piece[at + len(word) :].strip()
            if left and right and _names_a_body(left) and looks_like_unit(right.split("、")[0]):
                return [left, *_split_conjunctions(right)]
    return [piece]
