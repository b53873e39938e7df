"""Storing plans: a parsed plan becomes rows (loader), a changed text is reconciled with what people decided
(reconcile), files come from disk (files) or the web (uploads)."""

from .files import ingest_file, plan_files
from .loader import ingest_bytes
from .reading import read_plan
from .results import IngestResult

__all__ = ["IngestResult", "ingest_bytes", "ingest_file", "plan_files", "read_plan"]
