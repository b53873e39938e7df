"""Agencies as plans see them: the index with duty counts, each agency's 任务清单 (also as Excel), 我的任务 and the
agency suggestions of the edit form. Fixed query counts whatever the data size."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import EmptyPage
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.timezone import localdate
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from accounts import roles
from agencies.models import Agency
from agencies.navigation import browse
from fragments.kept import kept, reads_kept_fragments
from lib.workbooks import dated_filename, xlsx_file_response

from ..access import require_plan_editor
from ..filters import AgencyDutyCounts, DutyFilter
from ..models import Duty, Plan, attach_duty_counts, with_duty_counts
from ..paging import page_of
from ..spreadsheets.export import task_list
from ..spreadsheets.sources import task_list_rows
from ..tables import DutyRows, DutyTable

# Enough for one printed list of a busy bureau; more is paged.
MAX_PER_PAGE = 500
AGENCIES_PER_PAGE = 100
SEARCH_LIMIT = 100


def agency_index(request):
    """Agencies by region (province → city → county), 100 to a page, or the best matches for ?q=.

    Without a query: the region and its ancestors, the regions under it, agencies counted by region (the
    navigation and the total), a page of agencies and their duties counted by role. With one: the best
    SEARCH_LIMIT matches and their counts. Opens at the only province when one holds every agency.
    """
    query = request.GET.get("q", "").strip()
    if query:
        found = list(
            Agency.objects.search(query)
            .select_related("region")
            .order_by("match_rank", "region__code", "sort_key", "pk")[: SEARCH_LIMIT + 1]
        )
        context = {
            "query": query,
            "agencies": attach_duty_counts(found[:SEARCH_LIMIT]),
            "more": len(found) > SEARCH_LIMIT,
            "limit": SEARCH_LIMIT,
        }
        return render(request, "plans/agency_index.html", context)
    regions = browse(request.GET.get("region"), lambda ids: Agency.objects.in_regions(ids).count_by_region())
    if regions.current is None:
        only = regions.descend()
        if only is not None:
            return redirect(f"{request.path}?region={only.place.code}")
        return render(request, "plans/agency_index.html", {"regions": regions})
    agencies = Agency.objects.in_regions(regions.region_ids).select_related("region").in_display_order()
    page = page_of(agencies, request.GET.get("page"), AGENCIES_PER_PAGE, regions.total)
    page.object_list = attach_duty_counts(page.object_list)
    return render(request, "plans/agency_index.html", {"regions": regions, "page": page})


def _duty_table(request, agency, counts: AgencyDutyCounts) -> tuple[DutyFilter, DutyTable]:
    """The agency's duties filtered and sorted as the query string asks, not yet paged or read."""
    duties = Duty.objects.for_agency(agency).with_role_rank().with_outline_keys()
    filterset = DutyFilter(request.GET or None, queryset=duties, counts=counts)
    table = DutyTable(DutyRows(filterset.qs, count=filterset.count()))
    # Paging is set by the page rather than by RequestConfig, which would take any per_page a URL gives (0 included).
    RequestConfig(request, paginate=False).configure(table)
    return filterset, table


@reads_kept_fragments(agencies=True)
def agency_duties(request, agency_id: int):
    """The 任务清单. Queries: the agency, its aliases, the data version; one more for a signed-in user (may he
    keep the contact person). The list (role counts, filters, the page of rows) is kept (fragments) until the
    data changes; building it reads the agency's duties counted by plan, section and role (the role counts, the
    filter choices and the number of rows), the ids of the page's rows, those rows, their tasks' duties and
    their targets."""
    agency = get_object_or_404(Agency.objects.select_related("region").prefetch_related("aliases"), pk=agency_id)
    query = tuple(sorted(request.GET.lists()))
    context = {
        "agency": agency,
        "duty_list": kept(request, "duty-list", (agency.pk, query), lambda: _duty_list(request, agency)),
        "can_annotate": agency.is_annotatable_by(request.user),
    }
    return render(request, "plans/agency_duties.html", context)


def _duty_list(request, agency) -> str:
    """The role counts, the filter form and the page of rows the query string asks for, rendered without the user."""
    counts = AgencyDutyCounts(agency)
    filterset, table = _duty_table(request, agency, counts)
    per_page = min(_positive_int(request.GET.get("per_page"), DutyTable._meta.per_page), MAX_PER_PAGE)
    page = _positive_int(request.GET.get("page"), 1)
    try:
        table.paginate(page=page, per_page=per_page)
    except EmptyPage:
        table.paginate(page=table.paginator.num_pages, per_page=per_page)
    context = {
        "agency": agency,
        "filter": filterset,
        "table": table,
        "role_counts": counts.roles(),
        "filtered": bool(filterset.chosen()),
        # For the table's sort and page links and the form's hidden sort: the query string, part of the key.
        "request": request,
    }
    return render_to_string("plans/includes/duty_list.html", context)


def agency_duties_xlsx(request, agency_id: int):
    """The duty list as an Excel 任务清单: the page's filters and order, every row, no paging, streamed.

    Queries: the agency, its duty counts (the filter choices), the units and the targets of the listed
    tasks, and the rows themselves read in chunks (plans.spreadsheets.sources).
    """
    agency = get_object_or_404(Agency.objects.select_related("region"), pk=agency_id)
    filterset, table = _duty_table(request, agency, AgencyDutyCounts(agency))
    today = localdate()
    rows = task_list_rows(table.data.data)  # the sorted, filtered queryset behind the table
    filters = filterset.describe()

    def write(file):
        task_list.write(file, agency.full_name, rows, exported_on=today, filters=filters)

    return xlsx_file_response(write, dated_filename(f"{agency.full_name}-任务清单", today))


def _positive_int(value, default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def my_agency(request):
    """我的任务: where a user lands after signing in.

    Agency staff go to their agency's duty list (a choice when they work for
    several); a coordinator without an agency goes to his plan; anyone else
    to the home page.
    """
    if not roles.is_signed_in(request.user):
        return redirect_to_login(request.get_full_path())
    agencies = list(
        with_duty_counts(Agency.objects.staffed_by(request.user).select_related("region")).in_display_order()
    )
    if len(agencies) == 1:
        return redirect(agencies[0])
    if agencies:
        return render(request, "plans/my_agencies.html", {"agencies": agencies})
    plan = request.user.coordinated_plans.order_by("region__code", "title").first()
    if plan is not None:
        return redirect(plan)
    if not roles.is_administrator(request.user):
        messages.info(request, "您的账号尚未关联单位或方案，请联系系统管理员。")
    return redirect("plans:home")


AUTOCOMPLETE_LIMIT = 20


@require_GET
def agency_autocomplete(request):
    """?q=text, optionally &plan=id to keep to the agencies that plan may name (agencies.scope).

    With a plan, the plan's own region comes first, then the regions above it, then those under it, and a
    better match only within that; without one, the best match first. For users who may edit at least one
    plan: the only forms that use it are theirs.
    """
    require_plan_editor(request)
    agencies, order = Agency.objects.all(), ("match_rank", "region__code", "sort_key", "name")
    plan_id = request.GET.get("plan", "")
    if plan_id:
        if not plan_id.isdigit():
            raise Http404("没有这个方案。")
        scope = get_object_or_404(Plan.objects.select_related("region"), pk=int(plan_id)).agency_scope()
        agencies, order = scope.with_nearness(scope.queryset()), ("nearness", *order)
    query = request.GET.get("q", "")[:100]
    found = agencies.search(query).select_related("region").prefetch_related("aliases").order_by(*order)
    results = [
        {
            "id": agency.pk,
            "name": agency.name,
            "full_name": agency.full_name,
            "region": agency.region.full_name,
            "aliases": [alias.name for alias in agency.aliases.all()],
        }
        for agency in found[:AUTOCOMPLETE_LIMIT]
    ]
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
