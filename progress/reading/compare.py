"""Two rounds of a plan side by side: what each reporting unit reported then and now, and which way it moved."""

from __future__ import annotations

from dataclasses import dataclass

from progress.models import Report, ReportingRound

# How far along a report says the task is; a report not submitted says nothing.
PROGRESS_RANK = {
    Report.Status.LAGGING: 0,
    Report.Status.NOT_STARTED: 1,
    Report.Status.IN_PROGRESS: 2,
    Report.Status.COMPLETED: 3,
}
LIMIT = 500


@dataclass
class Comparison:
    task: object
    agency: object
    before: Report | None
    after: Report | None

    @staticmethod
    def _rank(report: Report | None):
        if report is None or not report.is_submitted:
            return None
        return (PROGRESS_RANK[report.status], report.percent or 0)

    @property
    def kind(self) -> str:
        """better, worse, same, reported (first submitted now), unreported (submitted then, not now)."""
        before, after = self._rank(self.before), self._rank(self.after)
        if before is None and after is None:
            return "same"
        if before is None:
            return "reported"
        if after is None:
            return "unreported"
        return "better" if after > before else "worse" if after < before else "same"

    @property
    def label(self) -> str:
        return {"better": "进展", "worse": "退步", "same": "无变化", "reported": "新报送", "unreported": "未再报送"}[
            self.kind
        ]


def compare(first: ReportingRound, second: ReportingRound) -> tuple[list[Comparison], dict[str, int]]:
    """The units whose report differs between the rounds (up to LIMIT), and how many moved each way. One query."""
    pairs: dict[tuple[int, int], Comparison] = {}
    reports = (
        Report.objects.filter(round__in=[first, second])
        .select_related("task", "agency")
        .defer("task__body", "task__clause_text", "task__clause_note")
        .order_by("task__position", "agency__sort_key", "round_id")
    )
    for report in reports:
        row = pairs.setdefault((report.task_id, report.agency_id), Comparison(report.task, report.agency, None, None))
        if report.round_id == first.pk:
            row.before = report
        else:
            row.after = report
    rows = list(pairs.values())
    totals = dict.fromkeys(("better", "worse", "same", "reported", "unreported"), 0)
    for row in rows:
        totals[row.kind] += 1
    changed = [row for row in rows if row.kind != "same"]
    return changed[:LIMIT], totals
