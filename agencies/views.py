"""Pages for agencies: the index and each agency's duty list. Fixed query counts whatever the data size."""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.timezone import localdate
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from accounts import roles
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
        # Asked only of signed-in users, so the public page's query count does not change.
        "can_annotate": roles.is_signed_in(request.user)
        and Agency.objects.annotatable_by(request.user).filter(pk=agency.pk).exists(),
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
    """我的任务: where a user lands after signing in.

    Agency staff go to their agency's duty list (a choice when they work for
    several); a coordinator without an agency goes to his plan; anyone else
    to the home page.
    """
    if not roles.is_signed_in(request.user):
        return redirect_to_login(request.get_full_path())
    agencies = list(
        Agency.objects.staffed_by(request.user).select_related("region").with_duty_counts().in_display_order()
    )
    if len(agencies) == 1:
        return redirect(agencies[0])
    if agencies:
        return render(request, "agencies/my_agencies.html", {"agencies": agencies})
    plan = request.user.coordinated_plans.order_by("region__code", "title").first()
    if plan is not None:
        return redirect(plan)
    if not roles.is_administrator(request.user):
        messages.info(request, "您的账号尚未关联单位或方案，请联系系统管理员。")
    return redirect("plans:home")


class ContactForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["contact_person", "contact_phone"]


@require_POST
def agency_contact(request, agency_id: int):
    """The agency's contact person, kept by its own staff (or an administrator)."""
    agency = get_object_or_404(Agency, pk=agency_id)
    if not Agency.objects.annotatable_by(request.user).filter(pk=agency.pk).exists():
        raise PermissionDenied("只有本单位的用户和系统管理员可以修改本单位的联系人。")
    form = ContactForm(request.POST, instance=agency)
    if not form.is_valid():
        errors = "；".join(e for field_errors in form.errors.values() for e in field_errors)
        messages.error(request, f"联系人未保存：{errors}")
        return redirect(agency)
    agency = form.save(commit=False)
    agency._change_reason = "更新联系人"
    agency.save(update_fields=["contact_person", "contact_phone", "updated_at"])
    messages.success(request, "已保存本单位联系人。")
    return redirect(agency)
