"""Read-only JSON API, paged: each list answers a page of items with `count`, `page`, `pages`, `next` and
`previous` (absolute URLs or null). Each view runs a fixed number of queries whatever the data size."""

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Prefetch, Q
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from agencies.models import Agency, Region
from fragments.kept import kept, reads_kept_fragments

from ..models import AppendixRow, AppendixUnit, Duty, Plan, Target, Task
from .browse import year_param

PAGE_SIZE = 100
# A plan's tasks: nearly every plan, a province's of several hundred tasks included, comes whole in one answer
# (clients that read only the first page get it all); a national one of thousands of tasks in pages.
TASKS_PAGE_SIZE = 1000


class _NoSuchPage(Exception):
    pass


def _json(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _page(request, items, size: int = PAGE_SIZE):
    """The page ?page= asks for (1 by default), and its links; a page that is not there raises _NoSuchPage."""
    paginator = Paginator(items, size)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise _NoSuchPage from error

    def link(number):
        query = request.GET.copy()
        query["page"] = number
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    links = {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
    }
    return page, links


def _no_such_page() -> JsonResponse:
    return _json({"error": "没有这一页（page out of range）"}, status=404)


def _not_found(what: str) -> JsonResponse:
    return JsonResponse({"error": f"{what}不存在"}, status=404, json_dumps_params={"ensure_ascii": False})


def _plan_summary(plan: Plan) -> dict:
    return {
        "id": plan.id,
        "title": plan.title,
        "region": plan.region.full_name,
        "region_code": plan.region.code,
        "region_clue": plan.region_clue,
        "issuer": plan.issuer,
        "doc_number": plan.doc_number,
        "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
        "copied_to": plan.copied_to,
        "is_draft": plan.is_draft,
        "lead_convention": plan.lead_convention,
        "source_name": plan.source_name,
    }


def _duty(duty: Duty) -> dict:
    return {
        "agency": duty.agency.full_name,
        "agency_id": duty.agency_id,
        "role": duty.role,
        "inferred": duty.inferred,
        "as_written": duty.as_written,
        "source": duty.source,
    }


def _target(target: Target) -> dict:
    return {
        "label": target.label,
        "year": target.year,
        "text": target.text,
        "value": float(target.value) if target.value is not None else None,
        "unit": target.unit,
    }


@require_GET
def plan_list(request):
    """Plans in region code order, ?region=<code> (and everything under it) and ?year= as on the home page.

    Two queries: the count, the page with each plan's task and agency counts.
    """
    plans = Plan.objects.all()
    code = request.GET.get("region")
    if code:
        region = Region.objects.filter(code=code).first()
        if region is None:
            return _not_found("行政区")
        plans = plans.filter(Q(region=region) | Q(region__parent=region) | Q(region__parent__parent=region))
    plans = plans.issued_in(year_param(request.GET.get("year")))
    try:
        page, links = _page(
            request, plans.select_related("region").with_counts().order_by("region__code", "title", "pk")
        )
    except _NoSuchPage:
        return _no_such_page()
    return _json(
        {**links, "plans": [{**_plan_summary(p), "tasks": p.task_count, "agencies": p.agency_count} for p in page]}
    )


def _task(t: Task) -> dict:
    return {
        "id": t.id,
        "ref": t.ref,
        "kind": t.kind,
        "number": t.number,
        "title": t.title,
        "section": f"{t.section.number}{t.section.title}",
        "section_id": t.section_id,
        "line": t.line,
        "parent_id": t.parent_id,
        "clause": t.clause_text,
        "clause_note": t.clause_note,
        "lead_rule": t.lead_rule,
        "duties": [_duty(d) for d in t.duties.all()],
        "targets": [_target(x) for x in t.targets.all()],
    }


def _whole_plan(plan: Plan) -> dict:
    """What page 1 of a plan carries besides its tasks: outline, goals, appendix rows, key projects, warnings."""
    rows = AppendixRow.objects.filter(plan=plan).prefetch_related(
        Prefetch("units", queryset=AppendixUnit.objects.select_related("agency__region").order_by("position"))
    )
    return {
        "outline": [
            {
                "id": s.id,
                "level": s.level,
                "number": s.number,
                "title": s.title,
                "parent_id": s.parent_id,
                "line": s.line,
            }
            for s in plan.sections.order_by("position")
        ],
        "goals": [_target(t) for t in plan.targets.filter(task__isnull=True).order_by("position")],
        "appendix": [
            {
                "appendix": r.appendix,
                "kind": r.kind,
                "number": r.number,
                "title": r.title,
                "task_id": r.task_id,
                "disagrees_with_text": r.disagrees,
                "units": [
                    {"agency": u.agency.full_name, "agency_id": u.agency_id, "role": u.role, "as_written": u.as_written}
                    for u in r.units.all()
                ],
                "line": r.line,
            }
            for r in rows
        ],
        "projects": [
            {
                "number": p.number,
                "category": p.category,
                "unit": p.unit_as_written,
                "agency_id": p.agency_id,
                "name": p.name,
                "content": p.content,
                "start_year": p.start_year,
                "end_year": p.end_year,
                "investment_wan_yuan": float(p.investment) if p.investment is not None else None,
            }
            for p in plan.projects.order_by("position")
        ],
        "warnings": [
            {"code": w.code, "message": w.message, "line": w.line} for w in plan.warnings.order_by("position")
        ],
    }


@require_GET
@reads_kept_fragments(plan="plan_id")
def plan_detail(request, plan_id: int):
    """The plan's fields and its tasks in outline order, TASKS_PAGE_SIZE to a page; page 1 also has the rest.

    Queries: the data version; the answer is kept (fragments) until the data changes, for each address (its
    links name the host and the query string). Building it reads the plan, its tasks counted, the page's tasks
    with their sections, duties and targets; on page 1 the sections, goals, appendix rows (and their units when
    there are any), key projects and warnings.
    """
    status, body = kept(request, "api-plan", (plan_id, request.build_absolute_uri()), lambda: _plan(request, plan_id))
    return HttpResponse(body, status=status, content_type="application/json")


def _plan(request, plan_id: int) -> tuple[int, bytes]:
    plan = Plan.objects.select_related("region").filter(pk=plan_id).first()
    if plan is None:
        response = _not_found("方案")
    else:
        tasks = Task.objects.filter(plan=plan).with_duties().with_targets().in_outline_order()
        try:
            page, links = _page(request, tasks, TASKS_PAGE_SIZE)
        except _NoSuchPage:
            response = _no_such_page()
        else:
            data = {**_plan_summary(plan), **links, "tasks": [_task(t) for t in page]}
            if page.number == 1:
                data.update(_whole_plan(plan))
            response = _json(data)
    return response.status_code, response.content


@require_GET
def agency_duties(request, agency_id: int):
    """The agency and its duties across plans in outline order, PAGE_SIZE to a page.

    Queries: the agency, its aliases, its duties counted, the ids of the page's duties in order (a narrow
    sort), those duties with their task, plan and section.
    """
    agency = Agency.objects.select_related("region").prefetch_related("aliases").filter(pk=agency_id).first()
    if agency is None:
        return _not_found("单位")
    ordered = (
        Duty.objects.for_agency(agency)
        .with_outline_keys()
        .order_by("outline_region", "task__plan_id", "task__position", "pk")
        .values_list("pk", flat=True)
    )
    try:
        page, links = _page(request, ordered)
    except _NoSuchPage:
        return _no_such_page()
    ids = list(page)
    loaded = Duty.objects.filter(pk__in=ids).select_related("task__plan", "task__section", "agency__region")
    by_id = {d.pk: d for d in loaded.defer("task__plan__source_text")}
    duties = [by_id[pk] for pk in ids]
    return _json(
        {
            "agency": {
                "id": agency.id,
                "name": agency.name,
                "full_name": agency.full_name,
                "region": agency.region.full_name,
                "kind": agency.kind,
                "aliases": [a.name for a in agency.aliases.all()],
            },
            **links,
            "duties": [
                {
                    **_duty(d),
                    "plan_id": d.task.plan_id,
                    "plan": str(d.task.plan),
                    "task_id": d.task_id,
                    "task_number": d.task.number,
                    "task_title": d.task.title,
                    "section": f"{d.task.section.number}{d.task.section.title}",
                }
                for d in duties
            ],
        }
    )
