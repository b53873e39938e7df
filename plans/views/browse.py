"""Pages for plans and tasks. Each runs a fixed number of queries whatever the data size."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils.timezone import localdate

from agencies.models import Agency

from ..matrix import build_matrix
from ..models import AppendixRow, AppendixUnit, Duty, Plan, Task
from ..outline import build_outline
from ..spreadsheets.export import division
from ..spreadsheets.export import matrix as matrix_sheet
from .downloads import dated_filename, xlsx_response
from .editing import editing_context
from .notes import notes_context

SEARCH_LIMIT = 50


def _plans_with_counts():
    return Plan.objects.select_related("region").with_counts().order_by("region__code", "title")


def _units() -> Prefetch:
    return Prefetch("units", queryset=AppendixUnit.objects.select_related("agency").order_by("position"))


def _duties() -> Prefetch:
    return Prefetch("duties", queryset=Duty.objects.select_related("agency").order_by("position"))


def _appendix_rows_with_units() -> Prefetch:
    """A task's appendix rows with their units: two queries, the second only when there are rows."""
    return Prefetch("appendix_rows", queryset=AppendixRow.objects.prefetch_related(_units()).order_by("position"))


def home(request):
    return render(request, "plans/home.html", {"plans": _plans_with_counts()})


def search(request):
    query = request.GET.get("q", "").strip()
    agencies = tasks = []
    if query:
        # One row past the limit tells whether there are more, without a COUNT query.
        found = Agency.objects.search(query).select_related("region")
        agencies = list(found.order_by("match_rank", "region__code", "sort_key")[: SEARCH_LIMIT + 1])
        matching = Task.objects.search(query).select_related("plan", "section")
        tasks = list(matching.order_by("plan__region__code", "plan_id", "position")[: SEARCH_LIMIT + 1])
    context = {
        "query": query,
        "limit": SEARCH_LIMIT,
        "agencies": agencies[:SEARCH_LIMIT],
        "more_agencies": len(agencies) > SEARCH_LIMIT,
        "tasks": tasks[:SEARCH_LIMIT],
        "more_tasks": len(tasks) > SEARCH_LIMIT,
    }
    return render(request, "plans/search.html", context)


def plan_detail(request, plan_id: int):
    plan = get_object_or_404(Plan.objects.select_related("region").with_original(), pk=plan_id)
    tasks = list(
        Task.objects.filter(plan=plan)
        .select_related("section")
        .prefetch_related(_duties(), _appendix_rows_with_units())
        .with_targets()
    )
    outline = build_outline(list(plan.sections.all()), tasks)
    duties = [d for t in tasks for d in t.duties.all()]
    context = {
        "plan": plan,
        "outline": outline,
        "task_count": len(tasks),
        "agency_count": len({d.agency_id for d in duties}),
        "role_counts": {role: sum(d.role == role for d in duties) for role in Duty.Role.values},
        "inferred_count": sum(d.inferred for d in duties),
        "goals": list(plan.targets.filter(task__isnull=True).order_by("position")),
        "unplaced_rows": list(
            plan.appendix_rows.filter(task__isnull=True).prefetch_related(_units()).order_by("position")
        ),
        "projects": list(plan.projects.order_by("position")),
        "warnings": list(plan.warnings.order_by("position")),
        "can_edit": plan.is_editable_by(request.user),
    }
    return render(request, "plans/plan_detail.html", context)


def plan_division_xlsx(request, plan_id: int):
    """The plan's 分工表 as Excel, with its appendix sheets; ?columns=short leaves out 任务内容 and 目标与时限.

    Seven queries: plan, sections, tasks, their duties, their targets, appendix rows, projects.
    """
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=plan_id)
    tasks = list(Task.objects.filter(plan=plan).prefetch_related(_duties()).with_targets())
    today = localdate()
    content = division.export(
        plan,
        sections=list(plan.sections.order_by("position")),
        tasks=tasks,
        appendix_rows=list(plan.appendix_rows.select_related("task").order_by("position")),
        projects=list(plan.projects.order_by("position")),
        exported_on=today,
        short=request.GET.get("columns") == "short",
    )
    return xlsx_response(content, dated_filename(f"{plan}-任务分工表", today))


def _matrix(plan: Plan):
    """The plan's responsibility matrix, in two queries: tasks with their sections, and their duties."""
    return build_matrix(list(Task.objects.filter(plan=plan).select_related("section").prefetch_related(_duties())))


def plan_matrix(request, plan_id: int):
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=plan_id)
    return render(request, "plans/plan_matrix.html", {"plan": plan, "matrix": _matrix(plan)})


def plan_matrix_xlsx(request, plan_id: int):
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=plan_id)
    today = localdate()
    content = matrix_sheet.export(plan, _matrix(plan), exported_on=today)
    return xlsx_response(content, dated_filename(f"{plan}-责任矩阵", today))


def task_detail(request, task_id: int):
    task = get_object_or_404(
        Task.objects.select_related("plan__region", "section__parent", "parent")
        .prefetch_related(
            Prefetch("duties", queryset=Duty.objects.select_related("agency__region").order_by("position")),
            _appendix_rows_with_units(),
        )
        .with_targets(),
        pk=task_id,
    )
    siblings = Task.objects.filter(plan_id=task.plan_id)
    context = {
        "task": task,
        "plan": task.plan,
        "body": task.body_parts(),
        "previous": siblings.filter(position__lt=task.position).order_by("-position").first(),
        "next": siblings.filter(position__gt=task.position).order_by("position").first(),
    }
    # What the user may change here, the change history, and the agencies' notes.
    context.update(editing_context(request, task))
    context.update(notes_context(request, task))
    return render(request, "plans/task_detail.html", context)
