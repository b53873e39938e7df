"""Role chips: an agency's name as a link, marked 牵 / 配 / 共, in the shape and colour of its role.

Written in Python rather than as an included template: a plan page draws hundreds of chips, and including a
template and reversing a URL for each took most of the page's time. The duty list's cells use `chips_html`.
"""

from functools import lru_cache
from html import escape

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe

from ..labels import MARKS, role_label

register = template.Library()

_ANY_ID = 987654321  # stands for the id in the URL pattern
_INFERRED = '<span class="visually-hidden">（推定牵头）</span>'


@lru_cache(maxsize=32)
def _url_parts(name: str, script_prefix: str) -> tuple[str, str]:
    # Keyed by the prefix the URL resolver puts in front (the deployment's SCRIPT_NAME): reverse() adds it.
    head, _, tail = reverse(name, args=[_ANY_ID]).partition(str(_ANY_ID))
    return head, tail


def url_of(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for a URL with one id, without running reverse() for every link of a page."""
    head, tail = _url_parts(name, get_script_prefix())
    return f"{head}{pk}{tail}"


def agency_url(agency_id: int) -> str:
    """The agency's page (its 任务清单), as Agency.get_absolute_url gives it."""
    return url_of("plans:agency-duties", agency_id)


def _chips(units, leave_out: int | None) -> SafeString:
    """Chips of (agency id, name, full name, role, inferred); html.escape rather than Django's lazy-aware escape
    (the same text for a str, at a third of the cost over three hundred chips)."""
    head, tail = _url_parts("plans:agency-duties", get_script_prefix())
    return mark_safe(  # noqa: S308 (the names escaped; role, mark and label are plans.labels' fixed text)
        "".join(
            f'<a class="chip chip-{role}{" chip-inferred" if inferred else ""}" href="{head}{agency_id}{tail}" '
            f'title="{escape(full_name)}：{role_label(role, inferred)}">'
            f'<span class="chip-mark" aria-hidden="true">{MARKS[role]}</span>{escape(name)}'
            f"{_INFERRED if inferred else ''}</a>"
            for agency_id, name, full_name, role, inferred in units
            if agency_id != leave_out
        )
    )


def chips_html(units, leave_out: int | None = None) -> SafeString:
    """A chip for each duty (or appendix unit) in `units`, in their order; `leave_out`: an agency id to skip."""
    return _chips(
        ((unit.agency_id, unit.agency.name, unit.agency.full_name, unit.role, unit.inferred) for unit in units),
        leave_out,
    )


def row_chips_html(rows, leave_out: int | None = None) -> SafeString:
    """chips_html for duties read as rows (plans.duty_rows.DutyRow)."""
    return _chips(((row.agency_id, row.name, row.full_name, row.role, row.inferred) for row in rows), leave_out)


@register.simple_tag
def chips(units, *, leave_out=None):
    return chips_html(units, leave_out)
