"""Logging to standard output, one line per event, for journald, Docker and whatever reads a server's output.

Used by the LOGGING setting (config/settings.py).

Django's defaults print a warning twice when DEBUG is on (its own console handler and the root's), and log a
404 or 403 with the traceback of the Http404 or PermissionDenied behind it: a dozen lines for an ordinary
answer. Here every record goes through the root logger's one handler; a client error keeps its one line,
and a server error keeps its traceback folded onto its line (newlines written as \\n).

The development server (runserver) writes a line for every request itself (django.server); there a client
error's own django.request warning would say the same thing a second time, so it is left out.
"""

from __future__ import annotations

import logging


class OneLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\r", "\\r").replace("\n", "\\n")


class ClientErrorsWithoutTraceback(logging.Filter):
    """A 4xx answer (and a refused Host header) is logged without the exception that produced it."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if (status is not None and status < 500) or record.name.startswith("django.security"):
            record.exc_info = None
            record.exc_text = None
        return True


# What Django's development server (wsgiref underneath) puts in SERVER_SOFTWARE; gunicorn says gunicorn/….
DEVELOPMENT_SERVER = "WSGIServer/"


class ClientErrorsOnceUnderTheDevelopmentServer(logging.Filter):
    """Leave out django.request's line for a 4xx the development server logs anyway (its django.server line)."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is None or status >= 500 or not record.name.startswith("django.request"):
            return True
        request = getattr(record, "request", None)
        software = getattr(request, "META", {}).get("SERVER_SOFTWARE", "")
        return not software.startswith(DEVELOPMENT_SERVER)
