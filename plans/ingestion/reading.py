"""Reading a plan file for the loader: any format (plans.parsing.readers), parsed, with the region it names."""

from __future__ import annotations

from django.conf import settings

from agencies.models import Region
from agencies.resolution import PlanRegionNotFound, region_for_title

from ..models import Plan
from ..parsing import ParsedPlan, PlanFormatError, parse_plan
from ..parsing.readers import read_source
from . import limits


def read_plan(data: bytes, source_name: str, lead_convention: str) -> tuple[ParsedPlan, Region]:
    """Read a plan file of any format (plans.parsing.readers), parse it and find its region, or raise
    PlanFormatError naming the file and where in it. Writes nothing. A .doc/.wps is converted by LibreOffice
    here, which takes seconds: the web upload converts in a task first and passes the .docx."""
    source = read_source(data, source_name, soffice=settings.SOFFICE)
    parsed = parse_plan(source, source_name, first_listed_leads=lead_convention == Plan.LeadConvention.FIRST_LISTED)
    limits.fit(parsed, lambda text: line_of(parsed.text, text))
    try:
        region = region_for_title(parsed.region_name, parsed.title)
    except PlanRegionNotFound as exc:
        line = line_of(parsed.text, parsed.title)
        raise PlanFormatError(source_name, str(exc), line, parsed.locate(line)) from exc
    return parsed, region


def line_of(text: str, needle: str) -> int | None:
    """The first line of the text that holds the needle."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None
