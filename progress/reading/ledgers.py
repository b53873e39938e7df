"""Rows for the Excel files of a round, from reports fetched with what they need (see `reports_for_ledger`)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Prefetch
from django.utils import timezone

from plans.models import Duty
from progress.models import Closure, Contribution, Instruction, Report
from progress.models.deadline import label_of_task
from progress.reading.status import deadline_met
from progress.spreadsheets.ledger import LedgerRow, SheetRow

ROLE_LABELS = {Duty.Role.LEAD: "牵头", Duty.Role.JOINT: "共同负责", Duty.Role.COOPERATING: "配合"}


def reports_for_ledger(reports, *, instructions: bool = True):
    """Reports with their round, task (section, deadline, closure, duties with agencies, and its 领导批示 unless
    `instructions` is False), agency and contributions: four queries (three without the instructions)."""
    related = [
        Prefetch("task__duties", queryset=Duty.objects.select_related("agency").order_by("position")),
        Prefetch("contributions", queryset=Contribution.objects.select_related("agency").order_by("agency__sort_key")),
    ]
    if instructions:
        related.append(Prefetch("task__instructions", queryset=Instruction.objects.order_by("given_on", "pk")))
    return (
        reports.select_related("round", "task__section", "task__deadline", "task__closure", "agency")
        .defer("task__body", "task__clause_text", "task__clause_note")
        .prefetch_related(*related)
        .in_outline_order()
    )


def _met(task, closure, today) -> str:
    deadline = getattr(task, "deadline", None)
    if deadline is None:
        return ""
    closed_on = timezone.localdate(closure.closed_at) if closure else None
    return deadline_met(deadline.due_on, deadline.ongoing, closed_on, today)


def _closure(task) -> Closure | None:
    try:
        return task.closure
    except Closure.DoesNotExist:
        return None


def _review(report: Report) -> str:
    if report.state == Report.State.ACCEPTED:
        return "通过" + (f"：{report.review_comment}" if report.review_comment else "")
    if report.state == Report.State.RETURNED:
        return f"退回：{report.return_reason}"
    return "待审核" if report.state == Report.State.SUBMITTED else ""


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def ledger_rows(reports, readable: Callable[[Report], bool], today) -> list[LedgerRow]:
    """A row per report; what a report says only where `readable` (progress.access.DraftReader) lets the reader see
    it: one he may not read reads as not submitted. A task its coordinator closed (办结) reads 已办结, whatever its
    last report said; whether it kept its deadline is as of `today`."""
    rows = []
    for report in reports:
        task = report.task
        duties = list(task.duties.all())
        role = next((d.role for d in duties if d.agency_id == report.agency_id), Duty.Role.LEAD)
        cooperating = "、".join(d.agency.name for d in duties if d.role == Duty.Role.COOPERATING)
        submitted = report.is_submitted
        shown = readable(report)
        progress = report.progress if shown else ""
        for contribution in report.contributions.all() if shown else ():
            progress += f"\n【{contribution.agency.name}】{contribution.text}"
        closure = _closure(task)
        status = report.get_status_display() if submitted else "未报送"
        rows.append(
            LedgerRow(
                section=task.section.heading,
                task="\n".join([task.heading, *(i.line for i in task.instructions.all())]),
                reporter=report.agency.name + ("（共同负责）" if role == Duty.Role.JOINT else ""),
                cooperating=cooperating,
                deadline=label_of_task(task),
                met=_met(task, closure, today),
                status="已办结" if closure else status,
                warn=closure is None and (not submitted or report.status == Report.Status.LAGGING),
                percent=report.percent if submitted and shown else None,
                progress=progress.strip() if submitted or progress.strip() else "",
                problems=report.problems if shown else "",
                next_steps=report.next_steps if shown else "",
                submitted=_when(report.submitted_at) if submitted else "",
                review=_review(report) if shown else "",
            )
        )
    return rows


def sheet_rows(reports, previous: dict[int, Report]) -> list[SheetRow]:
    """The round sheet's rows: each report as it stands, or for one not filled in yet, the last round's text."""
    rows = []
    for report in reports:
        task = report.task
        source = previous.get(report.pk, report)
        role = next((d.role for d in task.duties.all() if d.agency_id == report.agency_id), Duty.Role.LEAD)
        rows.append(
            SheetRow(
                task=task.heading,
                role=ROLE_LABELS[role],
                deadline=label_of_task(task),
                status=source.get_status_display() if source.status else "",
                percent=source.percent,
                progress=source.progress,
                problems=source.problems,
                next_steps=source.next_steps,
                state=report.get_state_display(),
                ref=task.ref,
            )
        )
    return rows
