"""Administrators' pages for agencies: name, kind and aliases, splitting and merging, likely duplicates.

The history page is for signed-in users, the contact person for the agency's
own staff. Every other page is for those who may edit the agency
(agencies.access: administrators); anyone else gets 403, and an unknown agency
or an alias of another agency 404. The rules are in agencies.merging; these
views read forms and show results.
"""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import require_administrator
from lib import naming
from lib.history import Change

from . import merging
from .access import get_agency_for_editor, get_agency_for_staff, get_alias_for_editor
from .dependants import dependants
from .duplicates import likely_duplicates, with_usage
from .forms import AgencyForm, AliasActionForm, AliasForm, ContactForm, MergeForm
from .history import agency_history as history_of
from .models import Agency


def _edit_url(agency: Agency) -> str:
    return reverse("agencies:edit", args=[agency.pk])


def _errors(error: ValidationError) -> str:
    return "；".join(error.messages)


def _edit_page(request, agency: Agency, *, form=None, alias_form=None, alias_error: str = "", status: int = 200):
    written = sum((d.written_forms(agency) for d in dependants()), Counter())
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
    agency = get_agency_for_editor(request, agency_id)
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
    agency = get_agency_for_editor(request, agency_id)
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
    agency, alias = get_alias_for_editor(request, agency_id, alias_id)
    form = AliasActionForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, agency, alias_error=_form_errors(form), status=400)
    merging.remove_alias(alias, user=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, f"已删除别名“{alias.name}”。")
    return redirect(_edit_url(agency))


@require_POST
def alias_split(request, agency_id: int, alias_id: int):
    """Split the alias off into an agency of its own; goes on to the new agency's edit page."""
    agency, alias = get_alias_for_editor(request, agency_id, alias_id)
    form = AliasActionForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, agency, alias_error=_form_errors(form), status=400)
    try:
        result = merging.split_alias(alias, user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        return _edit_page(request, agency, alias_error=_errors(error), status=400)
    moved = [f"{label} {count} 项" for label, count in result.moved.items() if count] or ["无需移动的记录"]
    messages.success(request, f"已将“{result.agency.name}”从“{agency.name}”拆分为独立单位，移入{'、'.join(moved)}。")
    return redirect(_edit_url(result.agency))


def _form_errors(form) -> str:
    return "；".join(e for errors in form.errors.values() for e in errors)


@require_http_methods(["GET", "POST"])
def agency_merge(request, agency_id: int):
    """Merge this agency into another of its region: choose (or ?into=), see what moves, confirm by POST."""
    source = get_agency_for_editor(request, agency_id)
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
    parts = [part.summary for part in plan.parts if part.summary]
    parts.append(f"“{plan.source.name}”已作为别名保留")
    return f"已将“{plan.source.name}”并入“{plan.target.name}”：" + "，".join(parts) + "。"


@require_GET
def duplicates(request):
    """Likely duplicates, for administrators: a worklist of merges, whose links lead to administrators' pages."""
    require_administrator(request, "只有系统管理员可以查看疑似重复单位。")
    agencies = Agency.objects.select_related("region").prefetch_related("aliases")
    return render(request, "agencies/duplicates.html", {"suggestions": likely_duplicates(with_usage(agencies))})


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
        "entries": history_of(agency_id, region.pk),
    }
    return render(request, "agencies/agency_history.html", context)


@require_POST
def agency_contact(request, agency_id: int):
    """The agency's contact person, kept by its own staff (or an administrator)."""
    agency = get_agency_for_staff(request, agency_id, "修改本单位的联系人")
    form = ContactForm(request.POST, instance=agency)
    if not form.is_valid():
        errors = "；".join(e for field_errors in form.errors.values() for e in field_errors)
        messages.error(request, f"联系人未保存：{errors}")
        return redirect(agency)
    Change(request.user, "更新联系人").save(
        form.save(commit=False), update_fields=["contact_person", "contact_phone", "updated_at"]
    )
    messages.success(request, "已保存本单位联系人。")
    return redirect(agency)
