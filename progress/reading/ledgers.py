"""Rows for the Excel files of a round, from reports fetched with what they need (see `reports_for_ledger`)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Prefetch
from django.utils import timezone

from plans.models import Duty
from progress.models import Contribution, Report
from progress.spreadsheets.ledger import LedgerRow, SheetRow

ROLE_LABELS = {Duty.Role.LEAD: "牵头", Duty.Role.JOINT: "共同负责", Duty.Role.COOPERATING: "配合"}


def reports_for_ledger(reports):
    """Reports with their round, task (section, deadline, duties with agencies), agency and contributions: three
    queries."""
    return (
        reports.select_related("round", "task__section", "task__deadline", "agency")
        .defer("task__body", "task__clause_text", "task__clause_note")
        .prefetch_related(
            Prefetch("task__duties", queryset=Duty.objects.select_related("agency").order_by("position")),
            Prefetch(
                "contributions", queryset=Contribution.objects.select_related("agency").order_by("agency__sort_key")
            ),
        )
        .in_outline_order()
    )


def _deadline(task) -> str:
    deadline = getattr(task, "deadline", None)
    return deadline.label if deadline is not None else "未定"


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def ledger_rows(reports, readable: Callable[[Report], bool]) -> list[LedgerRow]:
    """A row per report; what a report says only where `readable` (progress.access.DraftReader) lets the reader see
    it: one he may not read reads as not submitted."""
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
        rows.append(
            LedgerRow(
                section=task.section.heading,
                task=task.heading,
                reporter=report.agency.name + ("（共同负责）" if role == Duty.Role.JOINT else ""),
                cooperating=cooperating,
                deadline=_deadline(task),
                status=report.get_status_display() if submitted else "未报送",
                warn=not submitted or report.status == Report.Status.LAGGING,
                progress=progress.strip() if submitted or progress.strip() else "",
                problems=report.problems if shown else "",
                next_steps=report.next_steps if shown else "",
                submitted=_when(report.submitted_at) if submitted else "",
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
                deadline=_deadline(task),
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
