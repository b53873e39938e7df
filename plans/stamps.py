"""A stamp of the data a plan's ingest reads, cheap to take: what a cached dry run (the upload preview) is keyed by.

An ingest reads the plan it would update, that plan's tasks and duties with what people changed on them, and
the agencies and aliases of the regions its text names. Every change to those leaves a trace read here in one
query on primary-key and indexed columns: the loader saves the plan (its updated_at), people's changes to duties,
notes, agencies and aliases write history rows (plans.assignments, plans.notes, agencies.merging: the one
writers), and a new plan or agency adds a row. So when the stamp is the same, a dry run would read the same
data and give the same result.
"""

from __future__ import annotations

from django.db import connection

from agencies.models import Agency, AgencyAlias

from .models import Duty, Plan, TaskNote


def _sources() -> list[tuple[str, str]]:
    return [
        (Plan._meta.db_table, "MAX(updated_at)"),
        (Plan._meta.db_table, "COUNT(*)"),
        (Duty.history.model._meta.db_table, "MAX(history_id)"),
        (TaskNote.history.model._meta.db_table, "MAX(history_id)"),
        (Agency.history.model._meta.db_table, "MAX(history_id)"),
        (AgencyAlias.history.model._meta.db_table, "MAX(history_id)"),
        (Agency._meta.db_table, "MAX(id)"),
        (AgencyAlias._meta.db_table, "MAX(id)"),
    ]


def ingest_stamp() -> str:
    """The stamp: changes whenever anything an ingest reads may have changed."""
    columns = ", ".join(f'(SELECT {aggregate} FROM "{table}")' for table, aggregate in _sources())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")  # noqa: S608 — table names from the models, no user input
        return "|".join(str(value) for value in cursor.fetchone())
