"""督办 in templates: status chips, and what an agency owes, shown on 我的任务 (plans' pages include
progress/includes/my_due*.html, so plans never imports progress)."""

from django import template
from django.conf import settings
from django.db.models import Count

from progress.models import Report
from progress.reading.status import Status

register = template.Library()

DUE_NOTICE_LIMIT = 10


@register.inclusion_tag("progress/includes/status_chip.html")
def status_chip(status, count=None):
    """A red / yellow / green chip that also differs by mark, border and word (black-and-white printing); a grey
    不督办 chip for no status (a task of a plan not under 督办)."""
    return {"status": Status(status) if status else None, "count": count}


@register.inclusion_tag("progress/includes/status_legend.html")
def status_legend():
    return {"soon_days": settings.PROGRESS_DUE_SOON_DAYS}


@register.inclusion_tag("progress/includes/due_notice.html")
def due_notice(agency):
    """The reports the agency still owes, soonest due first, and how many leads' reports await its part. Two
    queries."""
    reports = list(
        Report.objects.due_for(agency)
        .select_related("round__plan", "task")
        .defer("round__plan__source_text", "task__body", "task__clause_text", "task__clause_note")[
            : DUE_NOTICE_LIMIT + 1
        ]
    )
    return {
        "agency": agency,
        "reports": reports[:DUE_NOTICE_LIMIT],
        "more": len(reports) > DUE_NOTICE_LIMIT,
        "awaiting": Report.objects.awaiting_contribution_from(agency).count(),
    }


@register.simple_tag
def due_counts(agencies) -> dict[int, int]:
    """How many reports each of the agencies still owes, by agency id. One query."""
    rows = (
        Report.objects.filter(agency__in=list(agencies))
        .open()
        .supervised()
        .current()
        .values("agency_id")
        .annotate(n=Count("pk"))
    )
    return {row["agency_id"]: row["n"] for row in rows.order_by()}


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
