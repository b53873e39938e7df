"""A task's and a duty's 督办 status from the facts about it. Pure Python: the rules in one place.

已完成  the coordinator closed the task (办结)
逾期    its deadline has passed and it is not closed
未报送  the last round past its due date has no submitted report from it
滞后    its latest submitted report says 滞后
临期    its deadline, or a report it still owes, is due within N days
正常    none of these

Where two apply, the first in that list wins. A task's status is its worst reporting unit's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Status(StrEnum):
    OVERDUE = "overdue"
    MISSING = "missing"
    LAGGING = "lagging"
    DUE_SOON = "due_soon"
    NORMAL = "normal"
    COMPLETED = "completed"

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def mark(self) -> str:
        return MARKS[self]

    @property
    def colour(self) -> str:
        return COLOURS[self]


# Worst first: the order of the dashboard's counts and of the "worst unit" rule.
ORDER = (Status.OVERDUE, Status.MISSING, Status.LAGGING, Status.DUE_SOON, Status.NORMAL, Status.COMPLETED)
LABELS = {
    Status.COMPLETED: "已完成",
    Status.NORMAL: "正常",
    Status.DUE_SOON: "临期",
    Status.OVERDUE: "逾期",
    Status.MISSING: "未报送",
    Status.LAGGING: "滞后",
}
# A mark per status besides the colour and the word, so that a black-and-white print still tells them apart.
MARKS = {
    Status.COMPLETED: "✓",
    Status.NORMAL: "○",
    Status.DUE_SOON: "△",
    Status.OVERDUE: "■",
    Status.MISSING: "✕",
    Status.LAGGING: "▼",
}
COLOURS = {
    Status.COMPLETED: "green",
    Status.NORMAL: "green",
    Status.DUE_SOON: "yellow",
    Status.OVERDUE: "red",
    Status.MISSING: "red",
    Status.LAGGING: "red",
}


@dataclass(frozen=True)
class Facts:
    """What the status depends on, for one task (and one reporting unit, when it has one)."""

    closed: bool = False
    due_on: date | None = None  # the task's deadline
    missing: bool = False  # no submitted report in the last round past its due date
    lagging: bool = False  # the latest submitted report says 滞后
    report_due_on: date | None = None  # the earliest due date of a round it still owes a report in, not yet past


def status_of(facts: Facts, today: date, soon_days: int) -> Status:
    if facts.closed:
        return Status.COMPLETED
    if facts.due_on is not None and facts.due_on < today:
        return Status.OVERDUE
    if facts.missing:
        return Status.MISSING
    if facts.lagging:
        return Status.LAGGING
    soon = today + timedelta(days=soon_days)
    if any(day is not None and day <= soon for day in (facts.due_on, facts.report_due_on)):
        return Status.DUE_SOON
    return Status.NORMAL


def worst(statuses) -> Status | None:
    """The worst of several statuses (ORDER), None when there are none."""
    ranked = sorted(statuses, key=ORDER.index)
    return ranked[0] if ranked else None


def counts(statuses) -> dict[Status, int]:
    """How many of each, every status present, in ORDER."""
    result = dict.fromkeys(ORDER, 0)
    for status in statuses:
        result[status] += 1
    return result


def deadline_met(due_on: date | None, ongoing: bool, closed_on: date | None, today: date) -> str:
    """Whether a task kept its deadline, as a 台账 says it: 按期完成 / 逾期完成 (closed by or after it), 已逾期 (open
    past it), 未到期, 长期 (an ongoing task), '' when none is set."""
    if ongoing:
        return "长期"
    if due_on is None:
        return "已办结" if closed_on else ""
    if closed_on is not None:
        return "按期完成" if closed_on <= due_on else "逾期完成"
    return "已逾期" if due_on < today else "未到期"
