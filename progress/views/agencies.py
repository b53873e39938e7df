"""An agency's 督办 record (signed-in users), and what it owes with a form per task (its staff)."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from agencies.models import Agency
from progress.access import get_agency_for_reporter, reader_required
from progress.forms import ContributionForm, ReportForm
from progress.models import Contribution, Report
from progress.reading import dashboard as boards
from progress.reading.attachments import ACCEPT
from progress.views.common import soon_days, today
from progress.views.reports import report_form_initial

DUE_LIMIT = 100


@reader_required
def agency_progress(request, agency_id: int):
    agency = get_object_or_404(Agency.objects.select_related("region"), pk=agency_id)
    board = boards.agency_board(agency, today(), soon_days())
    context = {"agency": agency, "board": board, "can_report": agency.is_annotatable_by(request.user)}
    return render(request, "progress/agency.html", context)


def previous_reports(reports: list[Report]) -> dict[int, Report]:
    """For each report not yet filled in, its unit's latest filled-in report on the task in an earlier round.
    One query."""
    pending = [r for r in reports if r.state == Report.State.PENDING]
    if not pending:
        return {}
    earlier = (
        Report.objects.filter(agency_id=pending[0].agency_id, task_id__in=[r.task_id for r in pending])
        .exclude(state=Report.State.PENDING)
        .select_related("round")
        .order_by("task_id", "-due_on", "-pk")
    )
    found: dict[int, Report] = {}
    by_task = {}
    for report in earlier:
        by_task.setdefault(report.task_id, []).append(report)
    for report in pending:
        found_one = next((r for r in by_task.get(report.task_id, []) if r.due_on < report.due_on), None)
        if found_one is not None:
            found[report.pk] = found_one
    return found


def agency_due(request, agency_id: int):
    """我的督办: the agency's open reports, soonest due first, each with its own form; and the leads' open reports
    on tasks it cooperates on, each with a form for its part."""
    agency = get_agency_for_reporter(request, agency_id, "填报本单位的进展")
    reports = list(
        Report.objects.due_for(agency)
        .select_related("round__plan", "task__section", "task__deadline")
        .defer("round__plan__source_text", "task__body", "task__clause_text", "task__clause_note")
        .prefetch_related("attachments", "contributions__agency")[: DUE_LIMIT + 1]
    )
    more = len(reports) > DUE_LIMIT
    reports = reports[:DUE_LIMIT]
    previous = previous_reports(reports)
    rows = [
        {
            "report": report,
            "previous": previous.get(report.pk),
            "form": ReportForm(
                initial=report_form_initial(report, previous.get(report.pk)), auto_id=f"r{report.pk}-%s"
            ),
            "attachments": [a for a in report.attachments.all() if a.removed_at is None],
            "contributions": list(report.contributions.all()),
        }
        for report in reports
    ]
    rounds = {}
    for report in reports:
        rounds.setdefault(report.round_id, report.round)
    own = Prefetch("contributions", queryset=Contribution.objects.filter(agency=agency), to_attr="own")
    awaiting = (
        Report.objects.awaiting_contribution_from(agency)
        .select_related("round__plan", "task", "agency")
        .defer("round__plan__source_text", "task__body", "task__clause_text", "task__clause_note")
        .prefetch_related(own)
        .order_by("due_on", "task__plan_id", "task__position")[:DUE_LIMIT]
    )
    contributions = [
        (
            report,
            ContributionForm(initial={"text": report.own[0].text if report.own else ""}, auto_id=f"c{report.pk}-%s"),
        )
        for report in awaiting
    ]
    context = {
        "agency": agency,
        "rows": rows,
        "contributions": contributions,
        "more": more,
        "rounds": list(rounds.values()),
        "today": today(),
        "attachment_accept": ACCEPT,
    }
    return render(request, "progress/agency_due.html", context)
