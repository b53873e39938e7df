"""Agency suggestions for the edit forms, as JSON: by name, alias or pinyin initials, best first."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from plans.editing import PlanAgencies
from plans.models import Plan

from .models import Agency

LIMIT = 20


@require_GET
def agency_autocomplete(request):
    """?q=text, optionally &plan=id to keep to the agencies that plan's units may be.

    For users who may edit at least one plan: the only forms that use it are theirs.
    """
    if not Plan.objects.editable_by(request.user).exists():
        raise PermissionDenied("只有可以修改分工的用户才能使用单位联想。")
    agencies = Agency.objects.all()
    plan_id = request.GET.get("plan", "")
    if plan_id:
        if not plan_id.isdigit():
            raise Http404("没有这个方案。")
        plan = get_object_or_404(Plan.objects.select_related("region"), pk=int(plan_id))
        agencies = PlanAgencies(plan).queryset()
    query = request.GET.get("q", "")[:100]
    found = (
        agencies.search(query)
        .prefetch_related("aliases")
        .order_by("match_rank", "region__code", "sort_key", "name")[:LIMIT]
    )
    results = [
        {
            "id": agency.pk,
            "name": agency.name,
            "full_name": agency.full_name,
            "aliases": [alias.name for alias in agency.aliases.all()],
        }
        for agency in found
    ]
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
