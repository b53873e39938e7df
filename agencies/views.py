"""Pages for agencies: the index and each agency's duty list. Fixed query counts whatever the data size."""

from django.core.paginator import EmptyPage
from django.shortcuts import get_object_or_404, render
from django.utils.timezone import localdate
from django_tables2 import RequestConfig

from plans.downloads import dated_filename, xlsx_response
from plans.excel import task_list
from plans.models import Duty

from .filters import DutyFilter
from .models import Agency
from .tables import DutyTable

# Enough for one printed list of a busy bureau; more is paged.
MAX_PER_PAGE = 500


def agency_index(request):
    query = request.GET.get("q", "").strip()
    agencies = Agency.objects.select_related("region").with_duty_counts()
    if query:
        agencies = agencies.search(query).order_by("match_rank", "region__code", "sort_key")
    else:
        agencies = agencies.in_display_order()
    return render(request, "agencies/agency_index.html", {"agencies": agencies, "query": query})


def _duty_table(request, agency) -> tuple[DutyFilter, DutyTable]:
    """The agency's duties filtered and sorted as the query string asks, not yet paged. Runs the filter's query."""
    duties = Duty.objects.for_agency(agency).with_role_rank().with_task_context()
    filterset = DutyFilter(request.GET or None, queryset=duties, agency=agency)
    table = DutyTable(filterset.qs)
    # Paging is set by the page rather than by RequestConfig, which would take any per_page a URL gives (0 included).
    RequestConfig(request, paginate=False).configure(table)
    return filterset, table


def agency_duties(request, agency_id: int):
    agency = get_object_or_404(Agency.objects.select_related("region").prefetch_related("aliases"), pk=agency_id)
    filterset, table = _duty_table(request, agency)
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
        "role_counts": Duty.objects.for_agency(agency).role_counts(),
        "filtered": filterset.is_bound and any(filterset.form.cleaned_data.values()),
    }
    return render(request, "agencies/agency_duties.html", context)


def agency_duties_xlsx(request, agency_id: int):
    """The duty list as an Excel 任务清单: the page's filters and order, every row, no paging."""
    agency = get_object_or_404(Agency.objects.select_related("region"), pk=agency_id)
    filterset, table = _duty_table(request, agency)
    today = localdate()
    content = task_list.export(
        agency.full_name,
        task_list.rows_from_duties(table.data.data),  # the sorted queryset behind the table
        exported_on=today,
        filters=filterset.describe(),
    )
    return xlsx_response(content, dated_filename(f"{agency.full_name}-碳达峰任务清单", today))


def _positive_int(value, default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def my_agency(request):
    from django.http import HttpResponse

    return HttpResponse("未完成", status=501)


def agency_contact(request, agency_id: int):
    from django.http import HttpResponse

    return HttpResponse("未完成", status=501)
