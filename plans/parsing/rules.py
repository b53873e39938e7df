"""Plan-wide rules on the units a plan's clauses name: 市 carried from the first unit, blanket notes, the lead
rules a plan states for itself, the lead convention, two units run together without 、, and one body's two names
joined by 、 in a plan whose lists run on ，."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lib import vocabulary as words
from lib.naming import PREFIXES, looks_like_unit, name_key, normalise

from .brackets import NEST_OPEN, groups, split_top_level
from .clauses import apply_lead_convention, carry_prefix, distribute_each, lead_rule
from .structures import Clause, LeadRule, ParsedPlan, Role, UnitRef, WarningCode
from .units import looks_like_units, read_units


def stated_rules(lines: list[str], start: int, end: int) -> list[LeadRule]:
    """Lead rules the body states outside its clauses (注：列第一位者为牵头单位); each holds from its line on."""
    found = []
    for index in range(start, end):
        text = lines[index]
        if not words.FIRST_LEADS.search(text) and not words.ALL_LEAD.search(text):
            continue
        outside = text
        for group_start, group_end in reversed(groups(text)):
            outside = outside[:group_start] + outside[group_end:]
        rule = lead_rule(outside, index + 1)
        if rule:
            rule.onward = True
            found.append(rule)
    return found


# A sentence of the body, outside any clause, that makes units answer for every task: the units are its subject,
# then what they answer for. 各县级市（区）人民政府负责本地区各项任务的落实 (all the plan's tasks),
# 以下任务各县级市（区）人民政府均为责任单位 / 各县级市（区）人民政府为以下各项任务的责任单位 (the tasks after it).
_ALL_TASKS = r"(?:本方案|本地区|本辖区|辖区内)?(?:的)?(?:各项|所有|全部)(?:重点)?任务"
_FOLLOWING = r"(?:以下|下列)(?:各项|所有|全部)?(?:重点)?任务"
_BLANKET_SENTENCES = (
    re.compile(rf"^(?P<units>[^，,。；;]+?){words.ANSWERS_FOR}(?P<scope>{_ALL_TASKS}|{_FOLLOWING})"),
    re.compile(
        rf"^(?P<units>[^，,。；;]+?)(?:均|都)?为(?P<scope>{_ALL_TASKS}|{_FOLLOWING})(?:的)?{words.ANSWERING_UNITS}"
    ),
    re.compile(
        rf"^(?P<scope>{_ALL_TASKS}|{_FOLLOWING})(?:中)?[，,]?(?P<units>[^，,。；;]+?)(?:均|都)为{words.ANSWERING_UNITS}"
    ),
)
_SENTENCE = re.compile(r"[^。；;！!？?]+")
_NUMBER = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[、.．])")


@dataclass
class BlanketSentence:
    """Units a sentence of the body puts on every task (`following`: only on the tasks after its line)."""

    text: str
    line: int
    units: list[UnitRef]
    following: bool


def blanket_sentences(lines: list[str], start: int, end: int) -> list[BlanketSentence]:
    """Sentences of the body, outside clauses, that make their units answer for all tasks or all that follow."""
    found = []
    for index in range(start, end):
        text = lines[index]
        if "任务" not in text or text.startswith("\t"):
            continue
        for m in _SENTENCE.finditer(text):
            sentence = m.group().strip()
            # An outline number or a lead-in (（三）, 1., 加强组织领导。) does not belong to the subject.
            sentence = _NUMBER.sub("", sentence)
            for pattern in _BLANKET_SENTENCES:
                hit = pattern.match(sentence)
                if hit is None:
                    continue
                units = hit["units"].removeprefix(words.INTRODUCER).strip()
                if units[:1] in NEST_OPEN or not looks_like_units(units):  # a clause's own bracket is no subject
                    break
                refs = [UnitRef(n, w, Role.COOPERATING) for n, w in read_units(units)]
                distribute_each(refs)
                found.append(BlanketSentence(sentence, index + 1, refs, hit["scope"].startswith(("以下", "下列"))))
                break
    return found


def apply_blanket_sentences(plan: ParsedPlan, sentences: list[BlanketSentence]) -> None:
    """Each sentence's units on the tasks it covers that do not name them already, as a blanket note's are.

    A sentence covers the tasks that assign units (a clause): the measures of 保障措施 such a sentence stands in
    (加强组织领导) are not tasks anyone is made responsible for by it."""
    for sentence in sentences:
        covered = [t for t in plan.tasks if t.clause and (not sentence.following or t.line > sentence.line)]
        for task in covered:
            clause = task.clause
            written = {normalise(u.name).removeprefix("各") for u in [*clause.units, *task.note_units]}
            has_lead = any(u.role is Role.LEAD for u in clause.units)
            inferred = has_lead and not clause.has_stated_lead
            added = [
                UnitRef(u.name, u.as_written, Role.COOPERATING if has_lead else Role.JOINT, inferred)
                for u in sentence.units
                if normalise(u.name).removeprefix("各") not in written
            ]
            if added:
                task.note_units = [*task.note_units, *added]
                task.note_source_line = task.note_source_line or sentence.line
        names = "、".join(u.as_written for u in sentence.units)
        scope = "其后" if sentence.following else "全部"
        if covered:
            message = f"“{sentence.text}”将“{names}”列为{scope} {len(covered)} 项任务的责任单位"
        else:
            message = f"“{sentence.text}”将“{names}”列为以下各项任务的责任单位，但其后没有任务，未能应用，请核对"
        plan.warn(WarningCode.BLANKET_NOTE, message, sentence.line)


def apply_clauses(plan: ParsedPlan, first_listed: bool, rules: list[LeadRule] = ()) -> None:
    """Plan-wide clause rules: carried prefixes, blanket notes, stated lead rules, the lead convention."""
    blanket: list[UnitRef] = []
    blanket_line: int | None = None
    pending = sorted(rules, key=lambda r: r.line)
    rule: LeadRule | None = None
    used: dict[int, int] = {}  # rule line → clauses it set
    for task in plan.tasks:
        clause = task.clause
        while pending and clause and pending[0].line <= clause.line:
            rule = pending.pop(0)
        if clause:
            for unit, old in carry_prefix(clause.units):
                plan.warn(WarningCode.PREFIX_CARRIED, f"“{old}”按同一条款首个单位补全为“{unit.name}”", clause.line)
            active = clause.stated_rule or rule
            if active and not clause.has_stated_lead and _apply_rule(clause, active):
                used[active.line] = used.get(active.line, 0) + 1
            if clause.stated_rule and clause.stated_rule.onward:
                rule = clause.stated_rule
            if clause.blanket_units:
                blanket, blanket_line = clause.blanket_units, clause.line
                names = "、".join(u.as_written for u in blanket)
                plan.warn(WarningCode.BLANKET_NOTE, f"条款附注将“{names}”列为本项及以后各项的责任单位", clause.line)
            if first_listed and not clause.has_stated_lead:
                apply_lead_convention(clause.units, first_listed_leads=True)
                lead = next((u for u in clause.units if u.role is Role.LEAD), None)
                if lead:
                    plan.warn(WarningCode.INFERRED_LEAD, f"未写明牵头单位，按首列推定“{lead.name}”牵头", clause.line)
        if blanket:
            # 地方人民政府 in a note is the 各地方人民政府 a clause writes.
            written = {normalise(u.name).removeprefix("各") for u in (clause.units if clause else [])}
            has_lead = bool(clause) and any(u.role is Role.LEAD for u in clause.units)
            # Cooperating only because of a lead the convention inferred is inferred too.
            inferred = has_lead and not clause.has_stated_lead
            task.note_units = [
                UnitRef(u.name, u.as_written, Role.COOPERATING if has_lead else Role.JOINT, inferred)
                for u in blanket
                if normalise(u.name).removeprefix("各") not in written
            ]
            task.note_source_line = blanket_line

    for stated in {id(r): r for r in [*rules, *(c.stated_rule for c in plan.clauses if c.stated_rule)]}.values():
        if used.get(stated.line):
            plan.warn(
                WarningCode.STATED_RULE,
                f"方案规定“{stated.text}”，据此认定 {used[stated.line]} 条条款的牵头单位",
                stated.line,
            )


def _apply_rule(clause: Clause, rule: LeadRule) -> bool:
    """Leads as the plan's own rule makes them; stated by the plan, so never marked inferred."""
    joint = [u for u in clause.units if u.role is Role.JOINT]
    if not joint:
        return False
    if rule.kind == "all":
        for unit in joint:
            unit.role = Role.LEAD
    else:
        for unit in joint:
            unit.role = Role.LEAD if unit is joint[0] else Role.COOPERATING
    clause.rule = rule
    return True


def split_fused_units(plan: ParsedPlan) -> None:
    """Split a unit string that runs two or more known units together (missing 、): each half is split again."""
    for _ in range(3):  # 区工信局区住建局盐都供电服务中心: a split's right half may hold a further unit
        if not _split_once(plan):
            return


class _Known:
    """The units a plan names, for telling a run of two or more from one name: by their keys, and by their keys
    without the region's prefix (商务局 for 区商务局)."""

    def __init__(self, plan: ParsedPlan):
        self.counts: dict[str, int] = {}
        for units, _ in _all_unit_lists_with_lines(plan):
            for unit in units:
                key = name_key(unit.name)
                self.counts[key] = self.counts.get(key, 0) + 1
        self.bare = {key[1:] for key in self.counts if key[:1] in PREFIXES}
        self._pieces: dict[str, list[str]] = {}

    def __contains__(self, piece: str) -> bool:
        key = name_key(piece)
        return key in self.counts or key in self.bare

    def count(self, name: str) -> int:
        return self.counts.get(name_key(name), 0)

    def pieces(self, name: str) -> list[str]:
        if name not in self._pieces:
            self._pieces[name] = _known_pieces(name, self)
        return self._pieces[name]


def _split_once(plan: ParsedPlan) -> bool:
    changed = False
    known = _Known(plan)
    for units, line in _all_unit_lists_with_lines(plan):
        for unit in list(units):
            if len(unit.name) < 6:
                continue  # no two names of three characters or more
            split = _best_split(unit.name, known)
            # A string the plan writes more than once is taken as one name, unless its second half starts over
            # with a region's prefix (区住房城乡建设委区教委): no body's name holds another 区… body; or it is wholly
            # units the plan names elsewhere.
            repeated = known.count(unit.name) > 1 and not known.pieces(unit.name)
            if not split or (repeated and not split[1].startswith(PREFIXES)):
                continue
            left, right = split
            index = units.index(unit)
            # Each half is written as its part of the run (商务局 of 商务局盐都公安分局…); the run is the warning's.
            origin = unit.split_from or unit.as_written
            literal = unit.name in unit.as_written
            left_written, right_written = (left, right) if literal else (unit.as_written, unit.as_written)
            units[index : index + 1] = [
                UnitRef(left, left_written, unit.role, unit.inferred, split_from=origin),
                UnitRef(right, right_written, unit.role, unit.inferred, split_from=origin),
            ]
            plan.warn(WarningCode.FUSED_SPLIT, f"“{origin}”疑为两个单位连写，已拆分为“{left}”和“{right}”", line)
            changed = True
    return changed


def _best_split(name: str, known: _Known) -> tuple[str, str] | None:
    if pieces := known.pieces(name):
        # 商务局盐都公安分局工信局发改委: every piece a unit the plan names elsewhere (商务局 as 区商务局).
        return pieces[0], name[len(pieces[0]) :]
    for i in range(3, len(name) - 2):
        left, right = name[:i], name[i:]
        # Both halves must be units the plan names elsewhere; the set is asked first, it is cheap.
        left_known, right_known = left in known, right in known
        # Or the name starts over with a region's prefix after a whole unit, as it began (区住房城乡建设委|区教委) or
        # beside a half the plan names elsewhere (盐都公安分局|区市场监管局; not 人民银行|市中心支行, one body). A
        # short head (区委区政府督查室, the joint office) is no unit of its own there.
        restarts = i >= 4 and name[i] in PREFIXES and (name[i] == name[0] or left_known or right_known)
        if ((left_known and right_known) or restarts) and looks_like_unit(left) and looks_like_unit(right):
            return left, right
    return None


def _known_pieces(name: str, known: _Known) -> list[str]:
    """The name cut wholly into three or more units the plan names elsewhere, or [] (two are _best_split's)."""
    if len(name) < 9:
        return []
    reach: dict[int, list[str]] = {0: []}  # end of a cut → the pieces before it
    for start in range(len(name)):
        if start not in reach:
            continue
        for end in range(start + 3, min(len(name), start + 20) + 1):
            piece = name[start:end]
            if len(piece) == len(name):
                break  # the name itself is counted as known: it is what is being cut
            if end not in reach and piece in known and looks_like_unit(piece):
                reach[end] = [*reach[start], piece]
    pieces = reach.get(len(name), [])
    return pieces if len(pieces) >= 3 else []


def _all_unit_lists_with_lines(plan: ParsedPlan):
    for task in plan.tasks:
        if task.clause:
            yield task.clause.units, task.clause.line
    for row in plan.appendix_rows:
        yield row.units, row.line


def join_double_names(plan: ParsedPlan) -> None:
    """One body with two names (一个机构两块牌子: 市科委、中关村管委会) in a plan that separates its units with ，.

    Where a plan's lists run 市委宣传部，市委金融委员会办公室，市科委、中关村管委会，市商务局, the ， separates the
    units, and a 、 pair standing between two ， is one body written by both its names: it is read as one unit
    when neither name ever stands alone in the plan (a body listed with its partner only).
    """
    clauses = [task.clause for task in plan.tasks if task.clause]
    items = [_comma_items(clause.text) for clause in clauses]
    if sum(len(found) > 1 and all("、" not in item for item in found) for found in items) < _COMMA_PLAN:
        return
    alone = {item for found in items for item in found if "、" not in item}
    pairs = {
        item
        for found in items
        if len(found) > 1
        for item in found
        if len(parts := split_top_level(item, words.UNIT_SEPARATOR)) == 2 and not alone & set(parts)
    }
    for clause, found in zip(clauses, items, strict=True):
        for pair in pairs.intersection(found):
            first, second = split_top_level(pair, words.UNIT_SEPARATOR)
            written = [unit.as_written for unit in clause.units]
            for at in range(len(written) - 1):
                if written[at] == first and written[at + 1] == second:
                    unit = clause.units[at]
                    clause.units[at : at + 2] = [UnitRef(f"{unit.name}、{clause.units[at + 1].name}", pair, unit.role)]
                    break


# How many clauses must list two or more units by ， alone before ， is the plan's separator.
_COMMA_PLAN = 5


def _comma_items(text: str) -> list[str]:
    """The items of a clause's list as ， separates them, its label taken off the first."""
    main = split_top_level(text, "。")[0]
    found = [item.strip() for item in split_top_level(main, "，,") if item.strip()]
    if found:
        found[0] = words.LABEL.sub("", found[0]).strip()
    return found
