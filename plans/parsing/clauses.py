"""Duty clauses: who leads and who cooperates on a task.

A duty clause is the parenthetical that closes a task's paragraph:

    （区发展和改革局牵头，生态环境石峰分局、区住房和城乡建设局按职责分工负责）
    (市发改委、市工信局按职责分工负责。本项及以下各项工作均需各县市区、园区落实…)
    （牵头单位：市发改委；配合单位：市工信局）  （责任单位：市发改委、市工信局）
    （市发改委、市工信局）                      （韶山市人民政府负责）

Units written before 牵头 lead; the others cooperate. With no lead written,
the units are jointly responsible (「未明确牵头单位的，由所列负责单位按职责分工
负责」); reading the first unit as lead is a per-plan choice, always marked as
inferred.
"""

from __future__ import annotations

import re

from lib.naming import is_collective, is_department_like, looks_like_unit, normalise, prefix_of

from .structures import Clause, Role, UnitRef

OPEN = "（("
CLOSE = "）)"

_DUTY_WORDS = re.compile(r"负责|牵头|配合|协办|参与单位|责任单位|承办|会同|落实")
# 等, 等单位, 等相关部门: closes a list; it names no unit of its own.
_DENG = r"(?:等(?:相关|有关)?(?:单位|部门)?)?"
# The verb phrase that closes a list of units: 按职责分工负责, 按照职能分工负责,
# 依职责负责, 按职能职责分工抓好落实 …
_LIST_END = re.compile(
    _DENG + r"(?:(?:按照?|根据|依照?)(?:各自)?(?:职能职责|职责职能|职责|职能)(?:分工)?)?"
    r"(?:分别|共同|具体|抓好|认真)?(?:牵头)?(?:负责|落实|实施|推进)(?:落实|实施|推进)?$"
)
_LEAD_END = re.compile(r"(?:等)?(?:共同)?牵头(?:负责|落实|推进|实施)?$")
_COOP_END = re.compile(_DENG + r"(?:配合|协助|协办|参与)(?:实施|落实|推进)?$")
_LABEL = re.compile(
    r"^(主要责任单位|牵头单位|牵头部门|配合单位|配合部门|协办单位|参与单位|责任单位|责任部门|负责单位)[:：]"
)
# Brackets that start like this qualify the text before them; they assign nobody.
_REMARK = re.compile(r"^(含|包括|包含|其中)")
# A blanket note: the units it names answer for this and all later tasks.
_BLANKET = re.compile(r"(本项及以下|以下各项|以下各|各项工作均)")
_BLANKET_UNITS = re.compile(r"(?:需|由)(?P<units>.+?)(?:落实|负责|承担)")


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
        if ch in CLOSE:
            depth += 1
        elif ch in OPEN:
            depth -= 1
            if depth == 0:
                return i, stripped[i + 1 : -1]
    return None


def split_top_level(text: str, separators: str) -> list[str]:
    """Split on separators that are not inside brackets."""
    parts, depth, current = [], 0, []
    for ch in text:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        if ch in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts]


def is_duty_clause(inner: str) -> bool:
    """Whether a closing parenthetical assigns duties.

    Either it says so (负责, 牵头, 责任单位 …) or it is a bare list in which
    every item is a unit. A heading that ends in brackets, such as 整县（市、区）
    or （2023—2025年）, is neither.
    """
    main = split_top_level(inner, "。")[0]
    if _DUTY_WORDS.search(main):
        return _has_units(main)
    if _REMARK.match(main):
        return False  # （含回收网点和中转站）: a remark on the text, even when it names a 站
    items = [i for i in split_top_level(main, "、，,；;") if i]
    return len(items) >= 1 and all(looks_like_unit(i) for i in items)


def _has_units(main: str) -> bool:
    for segment in split_top_level(main, "，,；;"):
        body = _LABEL.sub("", re.sub(r"^由", "", segment)).replace("会同", "、")
        for pattern in (_LEAD_END, _COOP_END, _LIST_END):
            body = pattern.sub("", body)
        if any(looks_like_unit(i) for i in split_top_level(body, "、") if i):
            return True
    return False


def parse_clause(inner: str, line: int) -> Clause:
    """Read the units of a duty clause and their roles as stated."""
    main, *rest = split_top_level(inner, "。")
    note = "。".join(r for r in rest if r)
    leads: list[str] = []
    others: list[tuple[str, Role | None]] = []  # None: role depends on whether a lead exists
    for segment in split_top_level(main, "，,；;"):
        segment = re.sub(r"^由(?=.)", "", segment)  # 由市发改委牵头: 由 introduces the unit, it is not part of it
        if not segment:
            continue
        if "会同" in segment:
            # 市发改委会同市工信局负责: the unit before 会同 leads the ones after it.
            head, _, tail = segment.partition("会同")
            leads += split_units(head)
            others += [(n, Role.COOPERATING) for n in split_units(_LIST_END.sub("", tail))]
            continue
        label = _LABEL.match(segment)
        if label:
            body = segment[label.end() :]
            kind = label.group(1)
            names = split_units(_LIST_END.sub("", body))
            if kind.startswith("牵头"):
                leads += names
            elif kind.startswith(("配合", "协办", "参与")):
                others += [(n, Role.COOPERATING) for n in names]
            else:
                others += [(n, None) for n in names]
            continue
        if _LEAD_END.search(segment):
            leads += split_units(_LEAD_END.sub("", segment))
        elif _COOP_END.search(segment):
            others += [(n, Role.COOPERATING) for n in split_units(_COOP_END.sub("", segment))]
        else:
            others += [(n, None) for n in split_units(_LIST_END.sub("", segment))]

    if not leads and any(role is Role.COOPERATING for _, role in others):
        # 「X负责，Y配合」: the text itself tells the responsible unit from the helpers.
        leads = [n for n, role in others if role is None]
        others = [(n, role) for n, role in others if role is not None]
    rest_role = Role.COOPERATING if leads else Role.JOINT
    units = [UnitRef(n, n, Role.LEAD) for n in leads]
    units += [UnitRef(n, n, role or rest_role) for n, role in others]
    distribute_each(units)
    clause = Clause(text=inner, line=line, units=_dedupe(units), note=note)
    if note and _BLANKET.search(note):
        m = _BLANKET_UNITS.search(note)
        if m:
            blanket = [UnitRef(n, n, Role.COOPERATING) for n in split_units(m.group("units"))]
            distribute_each(blanket)
            clause.blanket_units = blanket
    return clause


def split_units(text: str) -> list[str]:
    names = []
    for raw in split_top_level(text, "、"):
        raw = raw.strip()
        raw = re.sub(r"等$", "", raw).strip()  # a trailing 等 closes the list; it is no unit
        if raw:
            names.append(raw)
    return names


def distribute_each(units: list[UnitRef]) -> None:
    """各 distributes over the bare generic nouns that follow it.

    各县市区、园区 names 各县市区 and 各园区; 各街道、社区（村） names 各街道 and
    各社区（村）. The written form is kept; only the name used to resolve changes.
    """
    after_each = False
    for unit in units:
        name = normalise(unit.name)
        if name.startswith("各"):
            after_each = True
        elif after_each and is_collective(name) and not prefix_of(name):
            unit.name = "各" + name
        else:
            after_each = False


def _dedupe(units: list[UnitRef]) -> list[UnitRef]:
    seen: set[str] = set()
    result = []
    for unit in units:
        key = normalise(unit.name)
        if key not in seen:
            seen.add(key)
            result.append(unit)
    return result


def carry_prefix(units: list[UnitRef]) -> list[tuple[UnitRef, str]]:
    """Give 市 written only on the first unit to the bare bureaus after it.

    （市发改委、工信局、生态环境局按职责分工负责）: 工信局 is 市工信局. Returns
    the units changed, with their old names, so the caller can report them.
    """
    if not units:
        return []
    prefix = prefix_of(units[0].name)
    if not prefix or any(prefix_of(u.name) for u in units[1:]):
        # The prefix is carried only when it is written on the first unit alone.
        return []
    changed = []
    for unit in units[1:]:
        if is_department_like(unit.name):
            old = unit.name
            unit.name = prefix + normalise(unit.name)
            changed.append((unit, old))
    return changed


def apply_lead_convention(units: list[UnitRef], first_listed_leads: bool) -> None:
    """Under the first-listed convention, a clause with no lead gets one.

    The first unit is read as lead and the rest as cooperating; all of them
    are marked inferred, because the text does not say so. Collective
    addressees (各县市区人民政府) are never read as lead.
    """
    if not first_listed_leads or any(u.role is Role.LEAD for u in units):
        return
    candidates = [u for u in units if u.role is Role.JOINT and not is_collective(u.name)]
    if not candidates:
        return
    lead = candidates[0]
    for unit in units:
        if unit.role is Role.JOINT:
            unit.role = Role.LEAD if unit is lead else Role.COOPERATING
            unit.inferred = True
