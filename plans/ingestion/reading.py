"""Reading a plan file for the loader: any format (plans.parsing.readers), parsed, and fitted to the columns it is
stored in. The region is settled apart (plans.ingestion.regions), so a file whose region the text cannot settle is
still read, and the person is asked.

Every format but plain text is read in a child process with bounded CPU time, memory and wall time
(plans.parsing.readers.sandbox), so a hostile .docx, PDF or web page cannot take the web worker, the task worker
or the host with it. Plain text is read here: its reader's bounds (bytes, lines, characters) hold it, and a child
would cost ten times the reading of a typical .txt plan.
"""

from __future__ import annotations

from django.conf import settings

from ..models import Plan
from ..parsing import ParsedPlan, parse_plan
from ..parsing.readers import CONVERTED, SANDBOXED, convert, read_source, sandbox, sniff, too_large
from . import limits


def read_plan(data: bytes, source_name: str, lead_convention: str) -> ParsedPlan:
    """Read a plan file of any format, parse it and fit it to the database, or raise PlanFormatError naming the
    file and where in it. Writes nothing. A .doc/.wps is converted by LibreOffice here, which takes seconds: the
    web upload converts in a task first and passes the .docx."""
    first_listed = lead_convention == Plan.LeadConvention.FIRST_LISTED
    if error := too_large(len(data), source_name):
        raise error
    kind = sniff(data, source_name) if data.strip() else "text"
    if kind not in SANDBOXED:
        # read_source refuses an empty, too large or undecodable file and the kinds refused at sight.
        parsed = parse_plan(read_source(data, source_name), source_name, first_listed_leads=first_listed)
    else:
        converted = kind in CONVERTED
        if converted:
            # Here, not in the child: LibreOffice has bounds of its own (a timeout, its process group killed).
            data = convert(data, source_name, settings.SOFFICE)
        parsed = sandbox.run(source_name, data, first_listed, converted).value
    limits.fit(parsed, lambda text: line_of(parsed.text, text))
    return parsed


def line_of(text: str, needle: str) -> int | None:
    """The first line of the text that holds the needle."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None
