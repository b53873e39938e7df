"""督办 overviews: where to start, a plan's dashboard, two rounds compared, and the administrators' overview."""

from django.db.models import Count, OuterRef, Subquery
from django.shortcuts import get_object_or_404, render

from agencies.models import Agency
from plans.models import Plan
from progress.access import reader_required, require_overview_reader
from progress.forms import ChaseForm, ScheduleForm
from progress.models import Report, ReportingRound, RoundSchedule
from progress.reading import dashboard as boards
from progress.reading.compare import compare
from progress.reading.status import ORDER, Status
from progress.views.common import positive_int, soon_days, today


def due_count():
    """An annotation for agencies: how many reports each still owes (open, not superseded by a later round)."""
    owed = Report.objects.filter(agency=OuterRef("pk")).open().supervised().current().order_by()
    return Subquery(owed.values("agency").annotate(n=Count("pk")).values("n"))


@reader_required
def home(request):
    """督办: the plans the user coordinates and the agencies he reports for, with what each owes."""
    plans = list(Plan.objects.editable_by(request.user).select_related("region").order_by("region__code", "title"))
    agencies = list(Agency.objects.staffed_by(request.user).select_related("region").annotate(due=due_count()))
    return render(request, "progress/home.html", {"plans": plans, "agencies": agencies})


@reader_required
def plan_dashboard(request, plan_id: int):
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=plan_id)
    if not plan.is_supervised:
        return _unsupervised(request, plan)
    board = boards.plan_dashboard(plan, today(), soon_days(), positive_int(request.GET.get("round")))
    can_coordinate = plan.is_editable_by(request.user)
    context = {"plan": plan, "board": board, "can_coordinate": can_coordinate, "statuses": ORDER}
    if can_coordinate:
        schedule = RoundSchedule.objects.filter(plan=plan, active=True).first()
        context["schedule"] = schedule
        context["schedule_form"] = ScheduleForm(
            initial={
                "repeat": schedule.frequency if schedule else "",
                "due_after_days": getattr(schedule, "due_after_days", 10),
            }
        )
        context["chase_form"] = ChaseForm()
    return render(request, "progress/plan_dashboard.html", context)


def _unsupervised(request, plan: Plan):
    """A plan not under 督办 has no statuses: say so, how to change it, and list the rounds it had."""
    context = {
        "plan": plan,
        "can_coordinate": plan.is_editable_by(request.user),
        "rounds": list(ReportingRound.objects.filter(plan=plan).newest_first()[: boards.CHART_ROUNDS]),
        "last_change": plan.state_changes.select_related("changed_by").first(),
    }
    return render(request, "progress/plan_unsupervised.html", context)


@reader_required
def compare_rounds(request, plan_id: int):
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=plan_id)
    rounds = list(ReportingRound.objects.filter(plan=plan).newest_first()[:100])
    by_id = {r.pk: r for r in rounds}
    second = by_id.get(positive_int(request.GET.get("b"))) or (rounds[0] if rounds else None)
    first = by_id.get(positive_int(request.GET.get("a"))) or next((r for r in rounds if r != second), None)
    rows, totals = compare(first, second) if first and second and first != second else ([], {})
    context = {"plan": plan, "rounds": rounds, "first": first, "second": second, "rows": rows, "totals": totals}
    return render(request, "progress/compare.html", context)


def overview(request):
    """Administrators: the agencies with the most reports missing and tasks overdue, across plans."""
    require_overview_reader(request)
    rows = boards.overview(today())
    return render(
        request, "progress/overview.html", {"rows": rows, "missing": Status.MISSING, "overdue": Status.OVERDUE}
    )
