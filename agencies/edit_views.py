"""Administrators' pages for agencies: name, kind and aliases, splitting and merging, likely duplicates.

The history page is for anyone who may read the site. Every other page is for
those who may edit the agency (Agency.objects.editable_by: administrators);
anyone else gets 403, and an unknown agency or an alias of another agency 404.
The rules are in agencies.merging; these views read forms and show results.
"""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import roles
from lib import naming

from . import merging
from .duplicates import likely_duplicates
from .edit_forms import AgencyForm, AliasActionForm, AliasForm, MergeForm
from .models import Agency, AgencyAlias


def _agency(agency_id: int) -> Agency:
    return get_object_or_404(Agency.objects.select_related("region"), pk=agency_id)


def _check_editable(request, agency: Agency) -> None:
    if not Agency.objects.editable_by(request.user).filter(pk=agency.pk).exists():
        raise PermissionDenied("只有系统管理员可以修改责任单位。")


def _editable_agency(request, agency_id: int) -> Agency:
    agency = _agency(agency_id)
    _check_editable(request, agency)
    return agency


def _alias_of(request, agency_id: int, alias_id: int) -> tuple[Agency, AgencyAlias]:
    agency = _agency(agency_id)
    alias = get_object_or_404(AgencyAlias, pk=alias_id, agency=agency)
    _check_editable(request, agency)
    return agency, alias


def _edit_url(agency: Agency) -> str:
    return reverse("agencies:edit", args=[agency.pk])


def _errors(error: ValidationError) -> str:
    return "；".join(error.messages)


def _edit_page(request, agency: Agency, *, form=None, alias_form=None, alias_error: str = "", status: int = 200):
    written = Counter(naming.normalise(w) for w in agency.duties.values_list("as_written", flat=True))
    aliases = [(alias, written[alias.name]) for alias in agency.aliases.all()]
    context = {
        "agency": agency,
        "form": form or AgencyForm(initial={"name": agency.name, "kind": agency.kind}),
        "alias_form": alias_form or AliasForm(),
        "aliases": aliases,  # (alias, duties written that way, which a split would move)
        "alias_error": alias_error,
    }
    return render(request, "agencies/agency_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
def agency_edit(request, agency_id: int):
    """Name and kind (GET shows every form of the page; POST changes name and kind)."""
    agency = _editable_agency(request, agency_id)
    if request.method == "GET":
        return _edit_page(request, agency)
    form = AgencyForm(request.POST)
    if form.is_valid():
        data, old_name = form.cleaned_data, agency.name
        try:
            with transaction.atomic():
                renamed = merging.rename_agency(agency, data["name"], user=request.user, reason=data["reason"])
                kind_set = merging.set_kind(agency, data["kind"], user=request.user, reason=data["reason"])
        except ValidationError as error:
            form.add_error("name", _errors(error))
        else:
            agency.refresh_from_db()
            done = []
            if renamed:
                done.append(f"已改名为“{agency.name}”，原名称“{old_name}”保留为别名")
            if kind_set:
                done.append(f"单位类型已改为“{agency.get_kind_display()}”")
            if done:
                messages.success(request, "；".join(done) + "。")
            else:
                messages.info(request, "未作修改。")
            return redirect(_edit_url(agency))
    return _edit_page(request, agency, form=form, status=400)


@require_POST
def alias_add(request, agency_id: int):
    agency = _editable_agency(request, agency_id)
    form = AliasForm(request.POST)
    if form.is_valid():
        try:
            alias = merging.add_alias(
                agency, form.cleaned_data["name"], user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("name", _errors(error))
        else:
            messages.success(request, f"已新增别名“{alias.name}”。")
            return redirect(_edit_url(agency))
    return _edit_page(request, agency, alias_form=form, status=400)


@require_POST
def alias_remove(request, agency_id: int, alias_id: int):
    agency, alias = _alias_of(request, agency_id, alias_id)
    form = AliasActionForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, agency, alias_error=_form_errors(form), status=400)
    merging.remove_alias(alias, user=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, f"已删除别名“{alias.name}”。")
    return redirect(_edit_url(agency))


@require_POST
def alias_split(request, agency_id: int, alias_id: int):
    """Split the alias off into an agency of its own; goes on to the new agency's edit page."""
    agency, alias = _alias_of(request, agency_id, alias_id)
    form = AliasActionForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, agency, alias_error=_form_errors(form), status=400)
    try:
        result = merging.split_alias(alias, user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        return _edit_page(request, agency, alias_error=_errors(error), status=400)
    moved = [f"职责 {result.duties} 项"]
    if result.appendix_units:
        moved.append(f"附件清单单位 {result.appendix_units} 项")
    if result.projects:
        moved.append(f"重点项目 {result.projects} 项")
    messages.success(request, f"已将“{result.agency.name}”从“{agency.name}”拆分为独立单位，移入{'、'.join(moved)}。")
    return redirect(_edit_url(result.agency))


def _form_errors(form) -> str:
    return "；".join(e for errors in form.errors.values() for e in errors)


@require_http_methods(["GET", "POST"])
def agency_merge(request, agency_id: int):
    """Merge this agency into another of its region: choose (or ?into=), see what moves, confirm by POST."""
    source = _editable_agency(request, agency_id)
    candidates = Agency.objects.in_region(source.region).exclude(pk=source.pk).in_display_order()
    data = request.POST if request.method == "POST" else (request.GET if "into" in request.GET else None)
    form = MergeForm(data, candidates=candidates)
    context = {"agency": source, "form": form, "plan": None}
    if form.is_bound and form.is_valid():
        target = form.cleaned_data["into"]
        try:
            if request.method == "GET":
                context["plan"] = merging.plan_merge(source, target)
                return render(request, "agencies/agency_merge.html", context)
            plan = merging.merge_agencies(source, target, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("into", _errors(error))
        else:
            messages.success(request, _merged_message(plan))
            return redirect(plan.target)
    return render(request, "agencies/agency_merge.html", context, status=400 if form.is_bound else 200)


def _merged_message(plan: merging.MergePlan) -> str:
    parts = [f"已将“{plan.source.name}”并入“{plan.target.name}”：移入职责 {len(plan.moves)} 项"]
    if plan.clashes:
        parts.append(f"{len(plan.clashes)} 项任务两单位均有职责，已保留较强的一项（{'；'.join(plan.clash_lines())}）")
    parts.append(f"“{plan.source.name}”已作为别名保留")
    return "，".join(parts) + "。"


@require_GET
def duplicates(request):
    """Likely duplicates, for administrators: a worklist of merges, whose links lead to administrators' pages."""
    if not roles.is_administrator(request.user):
        raise PermissionDenied("只有系统管理员可以查看疑似重复单位。")
    agencies = Agency.objects.select_related("region").with_duty_counts().prefetch_related("aliases")
    return render(request, "agencies/duplicates.html", {"suggestions": likely_duplicates(agencies)})


@require_GET
@login_required
def agency_history(request, agency_id: int):
    """变更记录, for signed-in users (it names accounts, as the task page's does); also for an agency merged away."""
    agency = Agency.objects.select_related("region").filter(pk=agency_id).first()
    if agency is not None:
        name, full_name, region = agency.name, agency.full_name, agency.region
    else:
        last = Agency.history.filter(id=agency_id).select_related("region").order_by("history_date", "history_id")
        last = last.last()
        if last is None:
            raise Http404("没有这个单位。")
        name, region = last.name, last.region
        full_name = naming.qualify(name, region.full_name, region.name)
    context = {
        "agency": agency,
        "agency_id": agency_id,
        "name": name,
        "full_name": full_name,
        "region": region,
        "entries": merging.agency_history(agency_id, region.pk),
    }
    return render(request, "agencies/agency_history.html", context)
