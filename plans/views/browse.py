"""Pages for plans and tasks. Each runs a fixed number of queries whatever the data size."""

from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.timezone import localdate

from accounts import roles
from agencies.models import Agency
from agencies.navigation import browse
from fragments.kept import kept, reads_kept_fragments
from lib.workbooks import dated_filename, xlsx_file_response

from .. import duty_rows
from ..matrix import build_matrix
from ..models import AppendixRow, AppendixUnit, Duty, Plan, Task
from ..models.task import targets_in_order
from ..outline import OutlinePages
from ..paging import page_of
from ..spreadsheets.export import division
from ..spreadsheets.export import matrix as matrix_sheet
from ..tree import build_outline
from ..warnings import editor_warnings
from .editing import editing_context
from .notes import notes_context

SEARCH_LIMIT = 50
PLANS_PER_PAGE = 50
# The plan page lists its ingestion warnings up to this many; the API has them all.
WARNINGS_SHOWN = 200


# What the outline shows of a task (plans.templatetags.outline.task_article) and places it by.
OUTLINE_FIELDS = ("plan_id", "section_id", "parent_id", "kind", "number", "title", "is_section", "position")


def _units() -> Prefetch:
    return Prefetch("units", queryset=AppendixUnit.objects.select_related("agency").order_by("position"))


def _duties() -> Prefetch:
    """A task's duties as the 分工表 export writes them: role, inference, the agency's names, nothing else (their
    timestamps and the agencies' other fields cost more to read than to write). Pages read them as rows
    (plans.duty_rows)."""
    shown = ("task_id", "agency_id", "role", "inferred", "position", "agency__name", "agency__full_name")
    return Prefetch(
        "duties", queryset=Duty.objects.select_related("agency").only(*shown, "agency__sort_key").order_by("position")
    )


def _task_duties() -> Prefetch:
    return Prefetch("duties", queryset=Duty.objects.select_related("agency__region").order_by("position"))


def _appendix_rows_with_units() -> Prefetch:
    """A task's appendix rows with their units: two queries, the second only when there are rows."""
    return Prefetch("appendix_rows", queryset=AppendixRow.objects.prefetch_related(_units()).order_by("position"))


def home(request):
    """The plans, narrowed by region (province → city → county) and year, 50 to a page.

    Three queries, four with a region chosen: the region and its ancestors, the regions under it, plans
    counted by region and year (the navigation, the year choices and the total), and the page of plans with
    their task and agency counts.
    """
    year = year_param(request.GET.get("year"))
    years: dict[int | None, int] = {}

    def count(region_ids):
        counts: dict[int, int] = {}
        for region_id, issued, n in Plan.objects.in_regions(region_ids).count_by_region_and_year():
            years[issued] = years.get(issued, 0) + n
            if year is None or issued == year:
                counts[region_id] = counts.get(region_id, 0) + n
        return counts

    regions = browse(request.GET.get("region"), count)
    plans = Plan.objects.in_regions(regions.region_ids).issued_in(year).select_related("region").with_counts()
    page = page_of(
        plans.order_by("region__code", "title", "pk"), request.GET.get("page"), PLANS_PER_PAGE, regions.total
    )
    context = {
        "regions": regions,
        "page": page,
        "year": year,
        "years": sorted((y for y in years if y is not None), reverse=True),
    }
    return render(request, "plans/home.html", context)


def year_param(value: str | None) -> int | None:
    """A year from the query string, or None for none or nonsense (the list then ignores it)."""
    if value and value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return None


def search(request):
    query = request.GET.get("q", "").strip()
    agencies = tasks = []
    if query:
        # One row past the limit tells whether there are more, without a COUNT query.
        found = Agency.objects.search(query).select_related("region")
        agencies = list(found.order_by("match_rank", "region__code", "sort_key")[: SEARCH_LIMIT + 1])
        matching = Task.objects.search(query).select_related("plan__region", "section").defer("plan__source_text")
        # The first matches the database comes to, then put in outline order: ordering every match of a common
        # word (tens of thousands of tasks at national scale) only to show fifty took most of a second.
        tasks = sorted(
            matching.order_by()[: SEARCH_LIMIT + 1],
            key=lambda t: (t.plan.region.code, t.plan_id, t.position),
        )
    context = {
        "query": query,
        "limit": SEARCH_LIMIT,
        "agencies": agencies[:SEARCH_LIMIT],
        "more_agencies": len(agencies) > SEARCH_LIMIT,
        "tasks": tasks[:SEARCH_LIMIT],
        "more_tasks": len(tasks) > SEARCH_LIMIT,
    }
    return render(request, "plans/search.html", context)


def _pages(plan: Plan) -> OutlinePages:
    """The plan's outline cut into pages: its sections with their task counts, one query."""
    sections = list(plan.sections.annotate(task_count=Count("tasks")).order_by("position"))
    return OutlinePages(sections, {section.pk: section.task_count for section in sections if section.task_count})


def _page_context(request, plan: Plan) -> tuple[OutlinePages, int, dict]:
    pages = _pages(plan)
    number = pages.number(request.GET.get("page"))
    first, last = pages.range(number)
    return pages, number, {"pages": pages, "page_number": number, "first_task": first, "last_task": last}


STATE_CHANGES_SHOWN = 5


@reads_kept_fragments(plan="plan_id")
def plan_detail(request, plan_id: int):
    """The plan's outline with each task's units, a page of whole sections (up to 100 tasks) at a time.

    Queries: the plan, the data version, one more for a signed-in user (may he edit), and for an editor on the
    first page the warnings, counted by kind in the same query, and the plan's last changes of state. The facts
    and the page of the outline are kept (fragments) until the data changes; building them reads the sections,
    their task counts, the page's tasks, their duties and targets (as rows: plans.duty_rows) and appendix rows
    (on the first page with those no task holds), the rows' units when there are some; on the first page also
    the goals and the key projects; and for a plan of more than one page its duties counted.
    """
    plan = get_object_or_404(Plan.objects.select_related("region").with_original(), pk=plan_id)
    page = request.GET.get("page")
    fragments = kept(request, "plan-outline", (plan.pk, page), lambda: _plan_fragments(request, plan))
    context = {"plan": plan, "fragments": fragments, "can_edit": plan.is_editable_by(request.user)}
    if context["can_edit"] and fragments["page_number"] == 1:
        # The warnings are for the people who may act on them; readers are not alarmed by a doubt the
        # editors have already settled or will.
        context["warnings"] = editor_warnings(plan, WARNINGS_SHOWN)
        context["states"] = Plan.State.choices
        context["state_changes"] = list(plan.state_changes.select_related("changed_by")[:STATE_CHANGES_SHOWN])
    return render(request, "plans/plan_detail.html", context)


def _plan_fragments(request, plan: Plan) -> dict:
    """The plan page's facts and its page of the outline, rendered without the user."""
    pages, number, context = _page_context(request, plan)
    sections, continued = pages.shown(number)
    # Ordered by position alone: Task's own ordering goes by plan, which joins the plan and its region to sort.
    page_tasks = Task.objects.filter(plan=plan, section_id__in=pages.section_ids(number)).order_by("position")
    tasks = list(page_tasks.only(*OUTLINE_FIELDS))
    goals = duty_rows.attach(tasks, targets=True, goals_of=plan.pk if number == 1 else None)
    unplaced = _attach_appendix_rows(plan, tasks, unplaced=number == 1)
    context.update(
        plan=plan,
        outline=build_outline(sections, tasks, continued),
        contents=pages.contents() if pages.count > 1 else [],
        task_count=pages.tasks,
        # A plan shown whole (up to 100 tasks) is counted from the duties just read, a bigger one in the database.
        duty_counts=duty_rows.summary(row for task in tasks for row in task.duty_rows)
        if pages.count == 1
        else Duty.objects.in_plan(plan).summary(),
    )
    if number == 1:
        context.update(
            goals=goals,
            unplaced_rows=unplaced,
            projects=list(plan.projects.order_by("position")),
        )
    return {
        "facts": render_to_string("plans/includes/plan_facts.html", context),
        "outline": render_to_string("plans/includes/plan_outline.html", context),
        "page_number": number,
    }


def _attach_appendix_rows(plan: Plan, tasks: list[Task], *, unplaced: bool) -> list[AppendixRow]:
    """Each task with `appendix_list`, the appendix rows that repeat it; returns, with `unplaced`, the rows no
    task holds. One query, a second for the rows' units when there are rows (most plans have none)."""
    held = Q(task_id__in=[task.pk for task in tasks])
    rows = list(plan.appendix_rows.filter(held | Q(task__isnull=True) if unplaced else held).order_by("position"))
    if rows:
        prefetch_related_objects(rows, _units())
    by_task: dict[int | None, list[AppendixRow]] = {}
    for row in rows:
        by_task.setdefault(row.task_id, []).append(row)
    for task in tasks:
        task.appendix_list = by_task.get(task.pk, [])
        for row in task.appendix_list:
            row.task = task  # AppendixRow.title_differs compares with it
    return by_task.get(None, [])


def plan_division_xlsx(request, plan_id: int):
    """The plan's 分工表 as Excel, with its appendix sheets; ?columns=short leaves out 任务内容 and 目标与时限.

    Seven queries: plan, sections, tasks, their duties, their targets, appendix rows, projects.
    """
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=plan_id)
    tasks = list(Task.objects.filter(plan=plan).prefetch_related(_duties()).with_targets())
    today = localdate()
    sections = list(plan.sections.order_by("position"))
    appendix_rows = list(plan.appendix_rows.select_related("task").order_by("position"))
    projects = list(plan.projects.order_by("position"))

    def write(file):
        division.export(
            plan,
            sections=sections,
            tasks=tasks,
            appendix_rows=appendix_rows,
            projects=projects,
            exported_on=today,
            short=request.GET.get("columns") == "short",
            target=file,
        )

    return xlsx_file_response(write, dated_filename(f"{plan}-任务分工表", today))


def _matrix(plan: Plan):
    """The plan's responsibility matrix, in two queries: tasks with their sections, and their duties."""
    tasks = list(Task.objects.filter(plan=plan).select_related("section").order_by("position"))
    duty_rows.attach(tasks)
    return build_matrix(tasks)


@reads_kept_fragments(plan="plan_id")
def plan_matrix(request, plan_id: int):
    """The matrix of a page of the plan's sections (as the plan page cuts them), agencies as columns.

    Queries: the plan, the data version; the matrix is kept (fragments) until the data changes, and building it
    reads the sections, their task counts, the page's tasks and their duties.
    """
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=plan_id)
    page = request.GET.get("page")
    fragments = kept(request, "plan-matrix", (plan.pk, page), lambda: _matrix_fragments(request, plan))
    return render(request, "plans/plan_matrix.html", {"plan": plan, "fragments": fragments})


def _matrix_fragments(request, plan: Plan) -> dict:
    pages, number, context = _page_context(request, plan)
    page_tasks = Task.objects.filter(plan=plan, section_id__in=pages.section_ids(number)).order_by("position")
    tasks = list(page_tasks.select_related("section"))
    duty_rows.attach(tasks)
    context.update(
        plan=plan,
        matrix=build_matrix(tasks),
        contents=pages.contents() if pages.count > 1 else [],
    )
    return {
        "summary": render_to_string("plans/includes/matrix_summary.html", context),
        "matrix": render_to_string("plans/includes/matrix_table.html", context),
    }


def plan_matrix_xlsx(request, plan_id: int):
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=plan_id)
    today = localdate()
    matrix = _matrix(plan)
    return xlsx_file_response(
        lambda file: matrix_sheet.export(plan, matrix, exported_on=today, target=file),
        dated_filename(f"{plan}-责任矩阵", today),
    )


@reads_kept_fragments(task="task_id")
def task_detail(request, task_id: int):
    """The task: its text, units, targets, appendix rows and neighbours, kept (fragments) until the data changes.

    Queries: the task with its plan and sections, the data version; building the kept parts reads its duties,
    appendix rows (and their units when there are some), targets, and the previous and next tasks. A signed-in
    user also reads the 变更记录 and the agencies' notes.
    """
    task = get_object_or_404(
        Task.objects.select_related("plan__region", "section__parent", "parent").defer("plan__source_text"),
        pk=task_id,
    )
    if roles.is_signed_in(request.user):
        prefetch_related_objects([task], _task_duties())  # the notes list the task's agencies
    context = {"task": task, "plan": task.plan}
    # What the user may change here, the change history, and the agencies' notes.
    context.update(editing_context(request, task))
    context.update(notes_context(request, task))
    can_edit = context["can_edit"]
    context["fragments"] = kept(request, "task", (task.pk, can_edit), lambda: _task_fragments(task, can_edit))
    return render(request, "plans/task_detail.html", context)


def _task_fragments(task: Task, can_edit: bool) -> dict:
    """The task page's text and units, its targets and appendix rows, and its neighbours, rendered without the user."""
    prefetch_related_objects([task], _task_duties(), _appendix_rows_with_units(), targets_in_order())
    siblings = Task.objects.filter(plan_id=task.plan_id)
    context = {
        "task": task,
        "plan": task.plan,
        "can_edit": can_edit,
        "body": task.body_parts(),
        "previous": siblings.filter(position__lt=task.position).order_by("-position").first(),
        "next": siblings.filter(position__gt=task.position).order_by("position").first(),
    }
    return {
        "main": render_to_string("plans/includes/task_main.html", context),
        "appendix": render_to_string("plans/includes/task_appendix.html", context),
        "pager": render_to_string("plans/includes/task_pager.html", context),
    }
