"""Reading a plan file for the loader: any format (plans.parsing.readers), parsed, and fitted to the columns it is
stored in. The region is settled apart (plans.ingestion.regions), so a file whose region the text cannot settle is
still read, and the person is asked."""

from __future__ import annotations

from django.conf import settings

from ..models import Plan
from ..parsing import ParsedPlan, parse_plan
from ..parsing.readers import read_source
from . import limits


def read_plan(data: bytes, source_name: str, lead_convention: str) -> ParsedPlan:
    """Read a plan file of any format, parse it and fit it to the database, or raise PlanFormatError naming the
    file and where in it. Writes nothing. A .doc/.wps is converted by LibreOffice here, which takes seconds: the
    web upload converts in a task first and passes the .docx."""
    source = read_source(data, source_name, soffice=settings.SOFFICE)
    parsed = parse_plan(source, source_name, first_listed_leads=lead_convention == Plan.LeadConvention.FIRST_LISTED)
    limits.fit(parsed, lambda text: line_of(parsed.text, text))
    return parsed


def line_of(text: str, needle: str) -> int | None:
    """The first line of the text that holds the needle."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None
