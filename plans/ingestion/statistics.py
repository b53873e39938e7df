"""Fresh planner statistics while many plans are loaded in one run.

PostgreSQL chooses how to run each query from its statistics of each table's size and contents. A first load of a
province or the whole country grows the tables from nothing to hundreds of thousands of rows in minutes, faster
than autovacuum re-analyses them (it looks once a minute, after a tenth of a table has changed, and not at all
where it is switched off). With statistics that still say "small", the loader's per-plan reads (a plan's duties,
targets, deadlines) switch from index lookups to scans of the whole table: on the national data set the last 500
of 3,000 plans then took twice as long as the first 500. So a run that stores many plans analyses the database
after every STATISTICS_EVERY stored plans, as PostgreSQL's own guide advises after a bulk load. SQLite plans its
queries without such statistics, and a run of a few plans leaves it to autovacuum.
"""

from __future__ import annotations

from django.db import connection

STATISTICS_EVERY = 250


class StatisticsKeeper:
    """Counts the plans a run stores and refreshes the statistics after every `every` of them."""

    def __init__(self, every: int = STATISTICS_EVERY):
        self.every = every
        self.stored = 0
        self.refreshed = 0

    def plan_stored(self, status: str) -> None:
        if status == "unchanged":
            return
        self.stored += 1
        if self.stored % self.every == 0:
            analyse()
            self.refreshed += 1


def analyse() -> None:
    """ANALYZE the database (PostgreSQL; nothing on SQLite): every table the loader and the apps built on plans
    write, by sampling, in about two seconds on the national data set."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
