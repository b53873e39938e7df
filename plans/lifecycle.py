"""A plan's state (执行中 / 已完成 / 仅作参考): judged from its dates when it is first stored, then a person's.

Only a plan in force (执行中) is run under 督办: its tasks turn late, it gets rounds, reminders and dashboard
rows. Loading the plans of 2017–2019 for reference must not bury a 督查室 in tasks that were due years ago, so a
new plan whose period has ended starts as 已完成, every other as 执行中 (仅作参考 is a person's choice); the
preview shows the judgement and its basis, and a person may change it there or on the plan page at any time.

The one writer of Plan.state: every value it takes is logged (PlanStateChange), and a re-ingest never changes a
state once stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from lib import vocabulary as words

from .models import Plan, PlanStateChange

# How long a plan that states no period is taken to run: the span of a five-year plan, the longest usual one.
USUAL_SPAN_YEARS = 5
_TITLE_YEAR = re.compile(rf"(20\d{{2}})\s*年|({'|'.join(words.PLAN_PERIODS)})")


@dataclass(frozen=True)
class Judgement:
    state: Plan.State
    basis: str  # why, in words the preview shows: 标题所写期限至2020年，已结束


def period_end(title: str, issued_on: date | None, target_years: list[int]) -> tuple[int | None, str]:
    """The last year the plan runs, and the clue: a year in its title (（2018—2020年）, 2019年工作要点,
    “十四五”), else its tasks' latest target year from the year it was issued, else the issue year plus the usual
    span. (None, "") when nothing dates it."""
    in_title = [int(y) if y else words.PLAN_PERIODS[p] for y, p in _TITLE_YEAR.findall(title)]
    if in_title:
        return max(in_title), f"标题所写期限至{max(in_title)}年"
    earliest = issued_on.year if issued_on else 0
    targets = [y for y in target_years if y and y >= earliest]
    if targets:
        return max(targets), f"任务目标最晚为{max(targets)}年"
    if issued_on is not None:
        end = issued_on.year + USUAL_SPAN_YEARS
        return end, f"{issued_on.year}年印发、未写明期限（按{USUAL_SPAN_YEARS}年计，至{end}年）"
    return None, ""


def judge(*, title: str, issued_on: date | None, target_years: list[int], today: date) -> Judgement:
    """By the dates alone. A draft for comment is judged as its final text would be: offices often set up the
    division of work on the draft, before the final text comes."""
    end, clue = period_end(title, issued_on, target_years)
    if end is None:
        return Judgement(Plan.State.ACTIVE, "未能从标题和日期判断期限，按执行中处理")
    if end < today.year:
        return Judgement(Plan.State.FINISHED, f"{clue}，已结束")
    return Judgement(Plan.State.ACTIVE, f"{clue}，尚在期限内")


def record_first(plan: Plan, judgement: Judgement, *, chosen: str = "", user=None) -> None:
    """The state a newly stored plan starts with: a person's choice in the preview, else the judgement."""
    if chosen:
        plan.state = chosen
        reason, by = f"上传时选定（推定为“{judgement.state.label}”：{judgement.basis}）", user
    else:
        plan.state, reason, by = judgement.state, judgement.basis, None
    Plan.objects.filter(pk=plan.pk).update(state=plan.state)
    PlanStateChange.objects.create(plan=plan, before="", after=plan.state, changed_by=by, reason=reason[:200])


def change(plan: Plan, state: str, user, reason: str = "") -> bool:
    """A person sets the plan's state; False when it already had it. Locked, so two people's changes both log."""
    if state not in Plan.State.values:
        raise ValueError(f"unknown plan state {state!r}")
    with transaction.atomic():
        before = Plan.objects.select_for_update().values_list("state", flat=True).get(pk=plan.pk)
        if before == state:
            plan.state = state
            return False
        Plan.objects.filter(pk=plan.pk).update(state=state)
        PlanStateChange.objects.create(
            plan=plan, before=before, after=state, changed_by=user, reason=(reason or "人工修改")[:200]
        )
    plan.state = state
    return True


def on_store(
    plan: Plan, target_years: list[int], *, created: bool, chosen: str = "", user=None, source: str = ""
) -> tuple[str, str]:
    """As the loader stores a plan: a new one's state from its dates or the person's choice; a stored one keeps its
    own unless he chose. Returns the state the plan has without a choice and, for a new plan, why."""
    if created:
        judgement = judge(
            title=plan.title, issued_on=plan.issued_on, target_years=target_years, today=timezone.localdate()
        )
        record_first(plan, judgement, chosen=chosen, user=user)
        return judgement.state, judgement.basis
    own = plan.state
    if chosen:
        change(plan, chosen, user, f"上传“{source}”时选定")
    return own, ""
