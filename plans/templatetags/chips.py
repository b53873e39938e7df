"""Role chips: an agency's name as a link, marked 牵 / 配 / 共, in the shape and colour of its role.

Written in Python rather than as an included template: a plan page draws hundreds of chips, and including a
template and reversing a URL for each took most of the page's time. The duty list's cells use `chips_html`.
"""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..labels import MARKS, role_label

register = template.Library()

_ANY_ID = 987654321  # stands for the id in the URL pattern
_INFERRED = '<span class="visually-hidden">（推定牵头）</span>'


@lru_cache(maxsize=32)
def _url_pattern(name: str, script_prefix: str) -> str:
    # Keyed by the prefix the URL resolver puts in front (the deployment's SCRIPT_NAME): reverse() adds it.
    return reverse(name, args=[_ANY_ID])


def url_of(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for a URL with one id, without running reverse() for every link of a page."""
    return _url_pattern(name, get_script_prefix()).replace(str(_ANY_ID), str(pk))


def agency_url(agency_id: int) -> str:
    """The agency's page (its 任务清单), as Agency.get_absolute_url gives it."""
    return url_of("plans:agency-duties", agency_id)


def _chip(unit) -> str:
    agency = unit.agency
    role, inferred = unit.role, unit.inferred
    name, full_name = escape(agency.name), escape(agency.full_name)
    return (
        f'<a class="chip chip-{role}{" chip-inferred" if inferred else ""}" href="{agency_url(agency.pk)}" '
        f'title="{full_name}：{role_label(role, inferred)}">'
        f'<span class="chip-mark" aria-hidden="true">{MARKS[role]}</span>{name}{_INFERRED if inferred else ""}</a>'
    )


def chips_html(units, leave_out: int | None = None) -> SafeString:
    """A chip for each duty (or appendix unit) in `units`, in their order; `leave_out`: an agency id to skip.

    Role, mark and label come from plans.labels (fixed text); only the agency's names are escaped.
    """
    return mark_safe("".join(_chip(unit) for unit in units if unit.agency_id != leave_out))  # noqa: S308


@register.simple_tag
def chips(units, *, leave_out=None):
    return chips_html(units, leave_out)
