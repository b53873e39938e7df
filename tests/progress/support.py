"""Rounds and reports made the way the app makes them, for the progress tests."""

from datetime import timedelta

from django.utils.timezone import localdate

from progress.models import Report, ReportingRound
from progress.writing import reports as reporting
from progress.writing import rounds


def open_round(plan, user=None, *, due_in: int = 10, name: str = "测试轮次", task_ids=None, length: int = 90):
    """A round of the plan due `due_in` days from today (negative: already past), through progress.writing.rounds."""
    due = localdate() + timedelta(days=due_in)
    spec = rounds.RoundSpec(name, due - timedelta(days=length), due - timedelta(days=10), due)
    return rounds.open_round(plan, user, spec, task_ids=task_ids)


def move_due_date(round: ReportingRound, due_on) -> ReportingRound:
    """Set a round's due date after the fact, in the tests only (the app never moves a round once opened)."""
    ReportingRound.objects.filter(pk=round.pk).update(due_on=due_on)
    Report.objects.filter(round=round).update(due_on=due_on)
    round.refresh_from_db()
    return round


def report_of(round: ReportingRound, task, agency) -> Report:
    return Report.objects.get(round=round, task=task, agency=agency)


def fill(report: Report, user, *, status="in_progress", percent=50, progress="按计划推进", submit=True, **extra):
    """Save (and by default submit) a report through the writer, as its unit's staff would."""
    data = reporting.ReportInput(
        status, percent, progress, extra.get("problems", ""), extra.get("next_steps", ""), extra.get("close", False)
    )
    report.refresh_from_db()
    return reporting.save(report, user, data, submit=submit, version=report.version)
