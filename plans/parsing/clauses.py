"""Duty clauses: who leads and who cooperates on a task.

A duty clause is a parenthetical that closes a task's text, or a line of its own that names the units:

    （区发展和改革局牵头，生态环境石峰分局、区住房和城乡建设局按职责分工负责）
    (市发改委、市工信局按职责分工负责。本项及以下各项工作均需各县市区、园区落实…)
    （牵头单位：市发改委；配合单位：市工信局）  （责任单位：市发改委、市工信局）
    （市发改委、市工信局）                      （韶山市人民政府负责）
    （A负责，B、C配合）  （A指导，B参与）  （A、B指导）  〔A、B〕  主责单位：A，B，C

Units written before 牵头 lead; the others cooperate. A unit that is 负责 or 指导 against units that 配合 or
参与 leads them. With no lead written, the units are jointly responsible (「未明确牵头单位的，由所列负责单位按
职责分工负责」); a rule the plan states for itself (排在第一位的部门为牵头部门) is read here and applied by
rules.py; reading the first unit as lead without such a rule is a per-plan choice, always marked as inferred.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lib import vocabulary as words
from lib.naming import is_collective, is_department_like, normalise, prefix_of

from .brackets import split_top_level
from .structures import Clause, LeadRule, Role, UnitRef
from .units import looks_like_units, read_units

_DUTY_WORDS = words.DUTY_WORD
_LIST_END = words.LIST_END
_LEAD_END = words.LEAD_END
_COOP_END = words.COOPERATING_END
_LABEL = words.LABEL
# Brackets that start like this qualify the text before them; they assign nobody.
_REMARK = re.compile(r"^(含|包括|包含|其中|注[:：])")
_BLANKET = words.BLANKET
_BLANKET_UNITS = words.BLANKET_UNITS
_FIRST_LEADS = words.FIRST_LEADS
_ALL_LEAD = words.ALL_LEAD
_ONWARD = words.ONWARD
_STATEMENT = words.STATEMENT
# A further sentence of a clause whose subject is units and whose verb answers for the task: 各县级市人民政府负责落实.
_ANSWERS = re.compile(rf"^(?P<units>[^，,；;]+?){words.QUALIFIERS}(?:{words.RESPONSIBLE})+$")


def lead_rule(text: str, line: int) -> LeadRule | None:
    """A rule a plan states about who leads (in a clause or a sentence of its own), or None."""
    if m := _ALL_LEAD.search(text):
        kind = "all"
    elif m := _FIRST_LEADS.search(text):
        kind = "first"
    else:
        return None
    return LeadRule(kind, _sentence_around(text, m.start(), m.end()), line, bool(_ONWARD.search(text)))


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(ch, 0, start) for ch in "。；;（(，,") + 1
    stops = [i for i in (text.find(ch, end) for ch in "。；;）)") if i >= 0]
    return text[left : min(stops) if stops else len(text)].strip("，, ")


@lru_cache(maxsize=8192)
def is_duty_clause(inner: str) -> bool:
    """Whether a parenthetical assigns duties.

    Either it says so (负责, 牵头, 责任单位 …) or it is a bare list in which
    every item is a unit. A heading that ends in brackets, such as 整县（市、区）
    or （2023—2025年）, is neither.
    """
    main = split_top_level(inner, "。")[0]
    if _REMARK.match(main):
        return False  # （含回收网点和中转站）: a remark on the text, even when it names a 站
    if _DUTY_WORDS.search(main):
        return _has_units(main)
    return looks_like_units(main)


def _has_units(main: str) -> bool:
    for segment in _segments(main):
        body = _LABEL.sub("", segment.removeprefix(words.INTRODUCER))
        for verb in words.WITH_VERBS:
            body = body.replace(verb, words.UNIT_SEPARATOR)
        for pattern in (_LEAD_END, _COOP_END, _LIST_END):
            body = pattern.sub("", body)
        if body and looks_like_units(body, any_one=True):
            return True
    return False


_VERB_DUN = words.VERB_BEFORE_DUN
_ROLE_MARK = words.ROLE_MARK
_SPACED_LABEL = words.SPACED_LABEL
# Another field beside the units (完成时限：2025年底): not a unit.
_OTHER_FIELD = re.compile(r"^[\u4e00-\u9fff]{2,6}\s*[:：]")
# A deadline or a progress note beside the units (2025年底前完成, 持续推进): not a unit.
_DEADLINE = re.compile(r"\d|年|月|底前|持续|长期|完成")


def _segments(main: str) -> list[str]:
    # 市发改委牵头、市工信局配合: a verb followed by 、 ends its segment as a comma would.
    main = _SPACED_LABEL.sub("；", _VERB_DUN.sub(r"\1，", main))
    return [s for s in split_top_level(main, words.GROUP_SEPARATORS) if s]


def _names_nobody(segment: str) -> bool:
    """A field or a deadline beside the units, not a list of them."""
    if _LABEL.match(segment):
        return False
    if _OTHER_FIELD.match(segment):
        return True
    return bool(_DEADLINE.search(segment)) and not looks_like_units(_strip_verbs(segment), any_one=True)


def parse_clause(inner: str, line: int) -> Clause:
    """Read the units of a duty clause and their roles as stated."""
    main, *rest = split_top_level(inner, "。")
    notes = [r for r in rest if r]
    leads: list[tuple[str, str]] = []
    others: list[tuple[str, str, Role | None]] = []  # None: role depends on whether a lead exists
    segments = _segments(main)
    labelled = any(_LABEL.match(segment) for segment in segments)
    for segment in segments:
        if len(segment) > 1:
            segment = segment.removeprefix(words.INTRODUCER)
        # Beside a label the vocabulary knows, any other X单位： of the clause labels units too (支持单位：): a clause
        # that names its lead by label names the rest by label, whatever the word.
        label = _LABEL.match(segment) or (labelled and words.ANY_LABEL.match(segment))
        if _states_a_rule(segment) or (not label and (_names_nobody(segment) or words.NAMED_AGAIN.match(segment))):
            notes.insert(0, segment)  # 排在第一位的部门为牵头部门，下同; 完成时限：2025年底: not units
            continue
        if with_verb := next((w for w in words.WITH_VERBS if w in segment), None):
            # 市发改委会同市工信局负责: the unit before 会同 leads the ones after it.
            head, _, tail = segment.partition(with_verb)
            leads += read_units(head)
            tail = _LIST_END.sub("", tail)
            if not words.UNNAMED_OTHERS.fullmatch(tail):  # 会同有关部门: whoever else it concerns, named nowhere
                others += [(n, w, Role.COOPERATING) for n, w in read_units(tail)]
            continue
        if label:
            names = read_units(_strip_verbs(segment[label.end() :]))
            kind = words.label_role(label["label"])
            if kind == "lead":
                leads += names
            elif kind == "cooperating":
                others += [(n, w, Role.COOPERATING) for n, w in names]
            else:
                others += [(n, w, None) for n, w in names]
            continue
        if _LEAD_END.search(segment):
            if not leads and others and all(role is None for *_, role in others) and segment == segments[-1]:
                # 六安市、安庆市政府，省发展改革委、省交通运输厅牵头: the verb that ends the last of the clause's plain
                # lists names them all, as 负责 at the end of such a list does.
                leads += [(n, w) for n, w, _ in others]
                others = []
            leads += read_units(_LEAD_END.sub("", segment))
        elif _COOP_END.search(segment):
            others += [(n, w, Role.COOPERATING) for n, w in read_units(_COOP_END.sub("", segment))]
        else:
            others += [(n, w, None) for n, w in read_units(_LIST_END.sub("", segment))]

    # 市发改委牵头，…。各县级市人民政府负责落实。: a further sentence whose subject is units that answer for the task.
    for note in [r for r in rest if r]:
        further = _ANSWERS.match(note)
        if (
            further
            and not _BLANKET.search(note)
            and not words.NAMED_AGAIN.match(note)
            and looks_like_units(further["units"])
        ):
            notes.remove(note)
            others += [(n, w, None) for n, w in read_units(further["units"])]
    # 市发改委（牵头）、市工信局: the role written after a unit, in brackets.
    for n, w, role in list(others):
        if m := _ROLE_MARK.search(n):
            others.remove((n, w, role))
            name = n[: m.start()].strip()
            if words.mark_role(m["mark"]) == "lead":
                leads.append((name, w))
            else:
                others.append((name, w, Role.COOPERATING))
    if not leads and any(role is Role.COOPERATING for *_, role in others):
        # 「X负责，Y配合」「X指导，Y参与」: the text itself tells the responsible unit from the helpers.
        leads = [(n, w) for n, w, role in others if role is None]
        others = [(n, w, role) for n, w, role in others if role is not None]
    rest_role = Role.COOPERATING if leads else Role.JOINT
    units = [UnitRef(n, w, Role.LEAD) for n, w in leads]
    units += [UnitRef(n, w, role or rest_role) for n, w, role in others]
    distribute_each(units)
    note = "。".join(notes)
    clause = Clause(text=inner, line=line, units=_dedupe(units), note=note)
    clause.stated_rule = lead_rule(inner, line)
    clause.blanket_units = blanket_units(note)
    return clause


def _states_a_rule(segment: str) -> bool:
    if _FIRST_LEADS.search(segment) or _ALL_LEAD.search(segment):
        return True
    return bool(_STATEMENT.search(segment)) and not looks_like_units(_strip_verbs(segment))


def _strip_verbs(text: str) -> str:
    for pattern in (_LEAD_END, _COOP_END, _LIST_END):
        text = pattern.sub("", text)
    return text


def blanket_units(note: str) -> list[UnitRef]:
    """The units a note assigns to this and every later task (以下均需试点城市政府落实，不再列出)."""
    if not note or not _BLANKET.search(note):
        return []
    m = _BLANKET_UNITS.search(note[_BLANKET.search(note).start() :])
    if not m:
        return []
    blanket = [UnitRef(n, w, Role.COOPERATING) for n, w in read_units(m["units"])]
    distribute_each(blanket)
    return blanket


def split_units(text: str) -> list[str]:
    """The names in a list of units (table cells, clause segments), as the text writes them."""
    return [written for _, written in read_units(text)]


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
        elif after_each and is_collective(name) and not prefix_of(name) and not name.startswith(("有关", "相关")):
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

    （市发改委、工信局、生态环境局按职责分工负责）: 工信局 is 市工信局. A unit that names a place of its own
    (湘潭市生态环境局) is complete and takes nothing. Returns the units changed, with their old names, so the
    caller can report them.
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
