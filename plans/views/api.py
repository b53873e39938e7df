"""Read-only JSON API. Each view runs a fixed number of queries whatever the data size."""

from django.db.models import Prefetch
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from agencies.models import Agency

from ..models import AppendixRow, AppendixUnit, Duty, Plan, Target, Task


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
    plans = Plan.objects.select_related("region").with_counts().order_by("region__code", "title")
    return JsonResponse(
        {"plans": [{**_plan_summary(p), "tasks": p.task_count, "agencies": p.agency_count} for p in plans]},
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def plan_detail(request, plan_id: int):
    plan = Plan.objects.select_related("region").filter(pk=plan_id).first()
    if plan is None:
        return _not_found("方案")
    tasks = (
        Task.objects.filter(plan=plan)
        .with_duties()
        .prefetch_related(Prefetch("targets", queryset=Target.objects.order_by("position")))
        .in_outline_order()
    )
    rows = AppendixRow.objects.filter(plan=plan).prefetch_related(
        Prefetch("units", queryset=AppendixUnit.objects.select_related("agency__region").order_by("position"))
    )
    data = {
        **_plan_summary(plan),
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
        "tasks": [
            {
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
            for t in tasks
        ],
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
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@require_GET
def agency_duties(request, agency_id: int):
    agency = Agency.objects.select_related("region").prefetch_related("aliases").filter(pk=agency_id).first()
    if agency is None:
        return _not_found("单位")
    duties = (
        Duty.objects.for_agency(agency)
        .select_related("task__plan", "task__section", "agency__region")
        .order_by("task__plan__region__code", "task__plan_id", "task__position")
    )
    return JsonResponse(
        {
            "agency": {
                "id": agency.id,
                "name": agency.name,
                "full_name": agency.full_name,
                "region": agency.region.full_name,
                "kind": agency.kind,
                "aliases": [a.name for a in agency.aliases.all()],
            },
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
        },
        json_dumps_params={"ensure_ascii": False},
    )
