"""Plan-wide rules on the units a plan's clauses name: 市 carried from the first unit, blanket notes, the lead
rules a plan states for itself, the lead convention, and two units run together without 、."""

from __future__ import annotations

from lib.naming import looks_like_unit, name_key, normalise

from .brackets import groups
from .clauses import apply_lead_convention, carry_prefix, lead_rule
from .structures import Clause, LeadRule, ParsedPlan, Role, UnitRef, WarningCode


def stated_rules(lines: list[str], start: int, end: int) -> list[LeadRule]:
    """Lead rules the body states outside its clauses (注：列第一位者为牵头单位); each holds from its line on."""
    found = []
    for index in range(start, end):
        text = lines[index]
        if "牵头" not in text:
            continue
        outside = text
        for group_start, group_end in reversed(groups(text)):
            outside = outside[:group_start] + outside[group_end:]
        rule = lead_rule(outside, index + 1)
        if rule:
            rule.onward = True
            found.append(rule)
    return found


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
    """Split a unit string that runs two known units together (missing 、)."""
    counts: dict[str, int] = {}
    for units, _ in _all_unit_lists_with_lines(plan):
        for unit in units:
            counts[name_key(unit.name)] = counts.get(name_key(unit.name), 0) + 1
    for units, line in _all_unit_lists_with_lines(plan):
        for unit in list(units):
            key = name_key(unit.name)
            if counts.get(key, 0) > 1:
                continue
            split = _best_split(unit.name, counts)
            if not split:
                continue
            left, right = split
            index = units.index(unit)
            units[index : index + 1] = [
                UnitRef(left, unit.as_written, unit.role, unit.inferred, split_from=unit.as_written),
                UnitRef(right, unit.as_written, unit.role, unit.inferred, split_from=unit.as_written),
            ]
            plan.warn(
                WarningCode.FUSED_SPLIT, f"“{unit.as_written}”疑为两个单位连写，已拆分为“{left}”和“{right}”", line
            )


def _best_split(name: str, counts: dict[str, int]) -> tuple[str, str] | None:
    for i in range(3, len(name) - 2):
        left, right = name[:i], name[i:]
        # Both halves must be units the plan names elsewhere; the dictionary is asked first, it is cheap.
        known = counts.get(name_key(left), 0) and counts.get(name_key(right), 0)
        if known and looks_like_unit(left) and looks_like_unit(right):
            return left, right
    return None


def _all_unit_lists_with_lines(plan: ParsedPlan):
    for task in plan.tasks:
        if task.clause:
            yield task.clause.units, task.clause.line
    for row in plan.appendix_rows:
        yield row.units, row.line
