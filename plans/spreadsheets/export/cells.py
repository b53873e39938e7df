"""How a plan's duties and targets read in a cell of an export: units by role in the order the plan writes them,
an inferred lead marked, targets a line each. The look of the cells is lib/spreadsheets/style.py's."""

from __future__ import annotations

from collections.abc import Iterable

from ... import labels

# Units in one cell, in the order the plan writes them.
UNIT_SEPARATOR = "、"
# Appended to a lead the plan's first-listed rule inferred; the 分工表 import strips it.
INFERRED_MARK = labels.INFERRED


def join_units(names: Iterable[str]) -> str:
    return UNIT_SEPARATOR.join(names)


def group_units(units: Iterable[tuple[str, bool, str]]) -> dict[str, tuple[str, ...]]:
    """(role, inferred, agency name) in the order given → names by role; an inferred lead is marked （推定）."""
    grouped: dict[str, list[str]] = {"lead": [], "cooperating": [], "joint": []}
    for role, inferred, name in units:
        grouped[role].append(name + (INFERRED_MARK if inferred and role == "lead" else ""))
    return {role: tuple(names) for role, names in grouped.items()}


def units_by_role(duties: Iterable) -> dict[str, tuple[str, ...]]:
    """A task's agency names by role (lead, cooperating, joint), each in the order given (Duty.position).

    Takes duties with their agencies loaded; runs no queries.
    """
    return group_units((duty.role, duty.inferred, duty.agency.name) for duty in duties)


def target_lines(task) -> tuple[str, ...]:
    """`到2025年：…`, one per target sentence (Task.target_lines; uses the prefetched targets)."""
    return tuple(labels.target_line(target.label, target.text) for target in task.target_lines())
