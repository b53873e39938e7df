"""Pure-Python reading of plan texts; nothing here imports Django."""

from lib import naming, vocabulary

from . import brackets, clauses, measures, units
from .document import parse_plan
from .structures import ParsedPlan, PlanFormatError, Role, WarningCode

__all__ = ["ParsedPlan", "PlanFormatError", "Role", "WarningCode", "parse_plan", "reset_caches"]


def reset_caches() -> None:
    """Forget what earlier parses learned about strings (for timing a parse from cold)."""
    for cached in (
        brackets.groups,
        clauses.is_duty_clause,
        measures._layout,
        units.read_units,
        naming.normalise,
        naming.name_key,
        naming.looks_like_unit,
        vocabulary.heading_role,
    ):
        cached.cache_clear()
