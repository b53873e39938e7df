"""Pure-Python reading of plan texts; nothing here imports Django."""

from .document import parse_plan
from .structures import ParsedPlan, PlanFormatError, Role, WarningCode

__all__ = ["ParsedPlan", "PlanFormatError", "Role", "WarningCode", "parse_plan"]
