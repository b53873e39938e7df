"""Deadlines (完成时限) and yearly milestones as a task's text states them. Pure Python: no Django.

The rules, in order:

1. A time limit the text states outright: `完成时限：2024年底前` (also 完成时间, 完成期限, 时间节点,
   时限要求), or `完成时限：长期坚持`.
2. Else the latest date the task sets itself: its dated targets, as plans.parsing.targets read them
   (`到2025年` → 2025-12-31, `2030年前` → 2030-12-31, `“十四五”期间` → 2025-12-31), and the deadlines written
   in its text to the month (`2025年6月底前` → 2025-06-30, `2017年9月底前出台` → 2017-09-30). The task is done
   when its last dated target is met; the earlier years are its milestones.
3. Else ongoing, when the text says the work has no end: `长期坚持`, `持续推进`, `长期推进`, `常态化推进`.
4. Else no deadline: a person sets one.

A year is the end of that year, a month its last day, 上半年 30 June, a quarter its last day.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from lib import vocabulary as words

_CHINESE_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4}

_YEAR_PART = (
    r"(?P<year>20\d{2})\s*年\s*"
    r"(?:(?P<month>1[0-2]|0?[1-9])\s*月\s*(?:(?P<day>3[01]|[12]\d|0?[1-9])\s*日)?"
    r"|(?P<half>上半年|下半年)"
    r"|第?(?P<quarter>[一二三四1-4])\s*季度)?"
)
_DATE = re.compile(_YEAR_PART + r"|“?(?P<period>十[四五六]五)”?")
# A date the text sets as a deadline: it ends in 前 (2025年6月底前, 2017年底前, 2030年前).
_DEADLINE = re.compile(_YEAR_PART + r"\s*(?:底|末)?\s*(?:之前|以前|前)")
_EXPLICIT = re.compile(r"(?:完成时限|完成时间|完成期限|时间节点|时限要求)\s*[：:]\s*(?P<phrase>[^。；;，,）)\n]{1,40})")
_ONGOING = re.compile(r"长期坚持|持续推进|长期推进|常态化推进")
# A year after 较/比/相比 is a baseline (比2020年下降), never a deadline.
_BASELINE = re.compile(r"(较|比|相比|相较|与|自|从)\s*$")
# Clauses: a deadline's milestone text is the clause it stands in.
_CLAUSE = re.compile(r"[^。；;！？，,\n]+")


@dataclass(frozen=True)
class DerivedDeadline:
    """A task's deadline as read from its text: a date, ongoing, or neither (nothing stated)."""

    due_on: date | None = None
    ongoing: bool = False
    basis: str = ""  # the words it was read from, e.g. 完成时限：2024年底前, 到2025年, 持续推进

    @property
    def stated(self) -> bool:
        return self.due_on is not None or self.ongoing


@dataclass(frozen=True)
class DerivedMilestone:
    """A year's targets of a task that states targets for more than one year."""

    year: int
    due_on: date
    basis: str
    text: str


@dataclass(frozen=True)
class Reading:
    deadline: DerivedDeadline
    milestones: list[DerivedMilestone] = field(default_factory=list)


@dataclass(frozen=True)
class _Dated:
    due_on: date
    basis: str
    text: str


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def date_of(phrase: str) -> date | None:
    """The last day a time phrase allows: 2024年底前 → 2024-12-31, 2025年6月底前 → 2025-06-30,
    2025年6月15日前 → 2025-06-15, 2025年上半年 → 2025-06-30, 2026年第一季度 → 2026-03-31,
    “十四五”期间 → 2025-12-31. None when the phrase names no year."""
    match = _DATE.search(phrase)
    if match is None:
        return None
    if match.group("period"):
        return date(words.PLAN_PERIODS[match.group("period")], 12, 31)
    return _date_of_match(match)


def _date_of_match(match: re.Match) -> date | None:
    year = int(match.group("year"))
    if match.group("month"):
        month = int(match.group("month"))
        if match.group("day"):
            day = int(match.group("day"))
            if day <= calendar.monthrange(year, month)[1]:
                return date(year, month, day)
        return _last_day(year, month)
    if match.group("half"):
        return date(year, 6, 30) if match.group("half") == "上半年" else date(year, 12, 31)
    if match.group("quarter"):
        quarter = _CHINESE_QUARTERS.get(match.group("quarter")) or int(match.group("quarter"))
        return _last_day(year, quarter * 3)
    return date(year, 12, 31)


def _explicit(body: str) -> DerivedDeadline | None:
    match = _EXPLICIT.search(body)
    if match is None:
        return None
    phrase = match.group("phrase").strip()
    basis = match.group(0).strip()
    due_on = date_of(phrase)
    if due_on is not None:
        return DerivedDeadline(due_on, basis=basis)
    if _ONGOING.search(phrase) or "长期" in phrase or "持续" in phrase:
        return DerivedDeadline(ongoing=True, basis=basis)
    return None


def _written_deadlines(body: str) -> list[_Dated]:
    """Deadlines written in the text (…底前, …月前), each with the clause it stands in."""
    found = []
    for clause in _CLAUSE.findall(body):
        for match in _DEADLINE.finditer(clause):
            if _BASELINE.search(clause[: match.start()]):
                continue
            due_on = _date_of_match(match)
            if due_on is not None:
                found.append(_Dated(due_on, match.group(0).strip(), clause.strip()))
    return found


def _target_dates(targets: Iterable[tuple[str, int | None, str]]) -> list[_Dated]:
    found = []
    for label, year, text in targets:
        due_on = date_of(label) or (date(year, 12, 31) if year else None)
        if due_on is not None:
            found.append(_Dated(due_on, label.strip(), text.strip()))
    return found


def read_deadline(
    body: str, targets: Iterable[tuple[str, int | None, str]] = (), *, earliest_year: int | None = None
) -> Reading:
    """The deadline and milestones a task's text states.

    `targets` are the task's dated targets as (label, year, text), in order. Dates before
    `earliest_year` (the year the plan was issued, when known) describe the past, not a deadline.
    """
    explicit = _explicit(body)
    written = _written_deadlines(body)
    dated = _without_vaguer(_target_dates(targets), written) + written
    if earliest_year:
        dated = [d for d in dated if d.due_on.year >= earliest_year]
    milestones = _milestones(dated)
    if explicit is not None:
        return Reading(explicit, milestones)
    if dated:
        # On a tie a year written out (到2025年) names the deadline better than a period (“十四五”).
        latest = max(dated, key=lambda d: (d.due_on, any(c.isdigit() for c in d.basis)))
        return Reading(DerivedDeadline(latest.due_on, basis=latest.basis), milestones)
    ongoing = _ONGOING.search(body)
    if ongoing:
        return Reading(DerivedDeadline(ongoing=True, basis=ongoing.group(0)))
    return Reading(DerivedDeadline())


_BARE_YEAR = re.compile(r"^(?:到|至)?\s*20\d{2}\s*年$")


def _without_vaguer(targets: list[_Dated], written: list[_Dated]) -> list[_Dated]:
    """Targets labelled by a year alone (2026年) whose own text writes that year's date more exactly (2026年3月底前完成)
    are that date, not the year's end."""
    return [
        t
        for t in targets
        if not (
            _BARE_YEAR.match(t.basis) and any(w.due_on.year == t.due_on.year and _same_place(t, w) for w in written)
        )
    ]


def _same_place(target: _Dated, deadline: _Dated) -> bool:
    """The target's year is where the written deadline starts: one date, read twice."""
    at = target.text.find(deadline.basis)
    return at >= 0 and at == target.text.find(f"{deadline.due_on.year}")


MAX_MILESTONE_TEXT = 500


def _milestones(dated: list[_Dated]) -> list[DerivedMilestone]:
    """One per year, when the text sets dates in two years or more: the year's last date and its targets."""
    by_year: dict[int, list[_Dated]] = {}
    for item in dated:
        by_year.setdefault(item.due_on.year, []).append(item)
    if len(by_year) < 2:
        return []
    milestones = []
    for year in sorted(by_year):
        items = by_year[year]
        last = max(items, key=lambda d: d.due_on)
        texts = list(dict.fromkeys(item.text for item in items if item.text))
        milestones.append(DerivedMilestone(year, last.due_on, last.basis, "；".join(texts)[:MAX_MILESTONE_TEXT]))
    return milestones
