"""The data version: what kept fragments are keyed by, so that no page is built from data older than the last commit.

Every statement a database connection runs passes through the wrapper that watch() installs. Every statement that
is not clearly a read (written) moves the version once its transaction has committed (through
transaction.on_commit, at once for a statement outside a transaction), so a reader never meets the new version
before the new data. A reader takes the version before it reads anything else: if a write commits in between, the
reader keeps newer data under the older version, which no one asks for again once the version has moved.

Watching the connection rather than each writer keeps one rule for all of them: the loader's bulk statements,
the one writers of duties and notes, agency merges, the admin, the task worker and any writer added later.
Writes no connection of ours runs (psql, a restore) are not seen: `manage.py clear_fragments` (jump) puts every
kept fragment out of reach after them.
A transaction that has written and not yet committed sees data no one else does: it neither reads nor keeps
fragments (has_uncommitted_writes).

Per plan: a transaction that locked or created plans (touch_plan, which plans.assignments.lock_plan calls for every
writer of a plan's duties, and the loader for a new plan) and wrote nothing but those plans' own rows (PLAN_TABLES)
and new bodies moves those plans' versions and the agencies' one, not the data version: a duty edit, an import or
an ingest of one plan leaves every other plan's kept pages alone. Any other write, or a plan's row written with no
plan touched, moves the data version as before (fail safe). A fragment is keyed by the data version and the
version of its scope (scope_of): a plan's pages by their plan's, the agencies' 任务清单 by the agencies' version.
"""

from __future__ import annotations

import re
import time

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

# Fail safe: a statement counts as a write unless it is clearly one that changes no data. Anything else (a write
# led by a comment or WITH, REPLACE, MERGE, DDL, a statement this list never heard of) moves the version: a page
# built once more costs little, a stale page misleads.
_LEADING = re.compile(r"(?:\s+|\(|--[^\n]*(?:\n|$)|/\*.*?\*/)*", re.DOTALL)
_READ = re.compile(r"(?:SELECT|SHOW|VALUES|FETCH|MOVE|CLOSE)\b", re.IGNORECASE)
# Transaction control and session settings: Django's own BEGIN and savepoints pass through here around every write.
_CONTROL = re.compile(
    r"(?:BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|SET|RESET)\b(?!.*\b(?:INSERT|UPDATE|DELETE)\b)",
    re.IGNORECASE | re.DOTALL,
)
_EXPLAIN = re.compile(r"EXPLAIN\b", re.IGNORECASE)
_ANALYZE = re.compile(r"\bANALY[SZ]E\b", re.IGNORECASE)
# A WITH is a read only when none of its parts writes (WITH … INSERT, or INSERT inside a CTE).
_WITH = re.compile(r"WITH\b", re.IGNORECASE)
_MODIFYING = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE|REPLACE|UPSERT)\b", re.IGNORECASE)
_PRAGMA_READ = re.compile(r"PRAGMA\b[^=]*$", re.IGNORECASE | re.DOTALL)
# The table a plain write names, to leave out those whose writes show on no page.
_WRITTEN_TABLE = re.compile(
    r'(?P<verb>INSERT|REPLACE|UPDATE|DELETE)(?:\s+OR\s+\w+)?(?:\s+INTO|\s+FROM)?\s+"?(?P<table>\w+)"?',
    re.IGNORECASE,
)
# Writes that change nothing a kept fragment shows: sessions, sign-in attempts and their log (django-axes), the task
# queue (.doc conversions report there every few seconds), the version itself, and what only the signed-in parts
# of a page around the fragments show: accounts (a sign-in writes last_login), an agency's notes on a task and 督办
# (reports, rounds, reminders, 待办). tests/fragments/test_kept.py builds every kept fragment and checks that none
# reads a table named here, so a fragment that starts to show one of them fails the tests, not the readers.
UNSHOWN = (
    "django_session",
    "axes_",
    "django_tasks_",
    "fragments_",
    "auth_",
    "plans_tasknote",
    "plans_historicaltasknote",
    "progress_",
)
_TABLE = "fragments_dataversion"
_SCOPES = "fragments_scopeversion"
# Rows that belong to one plan and show on no page but its own and the agencies' 任务清单.
PLAN_TABLES = (
    "plans_plan",
    "plans_section",
    "plans_task",
    "plans_target",
    "plans_duty",
    "plans_historicalduty",
    "plans_removedduty",
    "plans_ingestwarning",
    "plans_appendixrow",
    "plans_appendixunit",
    "plans_keyproject",
    "plans_planstatechange",
)
# New rows no page kept before them shows: a body, an alias (kept pages show none) or a region an ingest creates,
# and their history.
NEW_ROWS = (
    "agencies_agency",
    "agencies_historicalagency",
    "agencies_agencyalias",
    "agencies_historicalagencyalias",
    "agencies_region",
)
# An agency's own rows: its name, kind, aliases and members, which show on the pages of the plans that name it.
AGENCY_TABLES = (
    "agencies_agency",
    "agencies_historicalagency",
    "agencies_agencyalias",
    "agencies_historicalagencyalias",
    "agencies_agency_members",
)
AGENCIES = "agencies"  # the scope of every agency's 任务清单


def plan_scope(plan_id: int) -> str:
    return f"plan:{plan_id}"


class _Writes:
    """What one transaction wrote ((verb, table) pairs) and which plans it touched; the on_commit callback that
    moves the versions those writes call for."""

    __name__ = __qualname__ = "bump_data_version"

    def __init__(self, using: str):
        self.using = using
        self.writes: set[tuple[str, str]] = set()
        self.plans: set[int] = set()
        self.agencies = False  # touched: the agencies' rows it writes are those of agencies touch_agency named

    @property
    def moves_data_version(self) -> bool:
        return bool(self.writes)

    def __call__(self) -> None:
        if not self.writes:
            return
        if (self.plans or self.agencies) and all(self._scoped(verb, table) for verb, table in self.writes):
            bump_scopes([plan_scope(p) for p in sorted(self.plans)] + [AGENCIES], self.using)
        else:
            bump(self.using)

    def _scoped(self, verb: str, table: str) -> bool:
        """Whether a write shows on the touched plans' pages and the agencies' 任务清单 only."""
        if table in PLAN_TABLES:
            return bool(self.plans)
        return (verb == "INSERT" and table in NEW_ROWS) or (self.agencies and table in AGENCY_TABLES)


def _writes_of(connection) -> _Writes:
    """The open transaction's record, registered on its first use; outside a transaction, a record that the
    caller runs at once (autocommit: the statement has committed)."""
    if connection.in_atomic_block:
        for _, callback, _ in reversed(connection.run_on_commit):
            if isinstance(callback, _Writes):
                return callback
        record = _Writes(connection.alias)
        # robust: a failed bump leaves fragments to expire, not an error page.
        transaction.on_commit(record, using=connection.alias, robust=True)
        return record
    return _Writes(connection.alias)


def touch_agency(plans: set[int], using: str = DEFAULT_DB_ALIAS) -> None:
    """The open transaction writes an agency's own rows (name, kind, aliases), whose name shows on `plans`' pages
    (AgencyDependant.plans_naming) and the agencies' 任务清单."""
    connection = connections[using]
    if connection.in_atomic_block:
        record = _writes_of(connection)
        record.agencies = True
        record.plans |= plans


def touch_plan(plan_id: int, using: str = DEFAULT_DB_ALIAS) -> None:
    """The open transaction writes this plan's rows (and only its own, among PLAN_TABLES)."""
    connection = connections[using]
    if connection.in_atomic_block:
        _writes_of(connection).plans.add(plan_id)


def watch(sender, connection, **kwargs):
    """connection_created's receiver: report this connection's writes (once per connection object)."""
    if connection.alias not in connections.settings:
        return  # PostgreSQL's connection to no database in particular (creating a test database): no data of ours
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    write = written(sql)
    if write is not None:
        connection = context["connection"]
        record = _writes_of(connection)
        record.writes.add(write)
        if not connection.in_atomic_block:
            record()
    return result


def written(sql: str) -> tuple[str, str] | None:
    """What a statement may have changed that a page shows: (verb, table), ("", "") for a write of no table this
    can name (a write led by WITH, MERGE, DDL, anything unheard of), None for a read or an unshown table's write."""
    statement = sql[_LEADING.match(sql).end() :]
    if _READ.match(statement) or _CONTROL.match(statement) or _PRAGMA_READ.match(statement):
        return None
    if _EXPLAIN.match(statement):
        return ("", "") if _ANALYZE.search(statement) else None  # EXPLAIN ANALYZE runs the statement
    if _WITH.match(statement):
        return ("", "") if _MODIFYING.search(statement) else None
    plain = _WRITTEN_TABLE.match(statement)
    if plain is None:
        return ("", "")
    table = plain["table"].lower()
    if table.startswith(UNSHOWN):
        return None
    verb = plain["verb"].upper()
    return (verb if verb != "REPLACE" else "", table)  # REPLACE deletes what stood there


def has_uncommitted_writes(connection) -> bool:
    """Whether the connection's open transaction has written data that other connections cannot see yet."""
    return connection.in_atomic_block and any(
        getattr(callback, "moves_data_version", False) for _, callback, _ in connection.run_on_commit
    )


def bump(using: str = DEFAULT_DB_ALIAS) -> None:
    """Move the version on. Outside the writer's transaction, so concurrent writers never wait on this row."""
    connection = connections[using]
    with connection.cursor() as cursor:
        try:
            cursor.execute(f"UPDATE {_TABLE} SET value = value + 1 WHERE id = 1")  # noqa: S608 — a constant
        except DatabaseError:
            if _TABLE not in connection.introspection.table_names(cursor):
                return  # migrating a new database: the data written before the table exists was never kept
            raise
        if cursor.rowcount == 0:
            # The row is gone (a test flushed the tables): start again above any version handed out before.
            cursor.execute(
                f"INSERT INTO {_TABLE} (id, value) VALUES (1, %s) ON CONFLICT (id) DO NOTHING",  # noqa: S608
                [fresh_start()],
            )


def bump_scopes(scopes: list[str], using: str = DEFAULT_DB_ALIAS) -> None:
    """Move each scope's version on, a scope never seen before starting above every version handed out."""
    start = fresh_start()
    with connections[using].cursor() as cursor:
        for scope in scopes:
            cursor.execute(
                f"INSERT INTO {_SCOPES} (scope, value) VALUES (%s, %s) "  # noqa: S608 — a constant
                f"ON CONFLICT (scope) DO UPDATE SET value = {_SCOPES}.value + 1",
                [scope, start],
            )


def jump(using: str = DEFAULT_DB_ALIAS) -> int:
    """Move the version above every version handed out before, and return it: every kept fragment, in every
    process, is out of reach from the next request on.

    For writes no connection of ours saw (psql, a restore, a script on the database), and for a restore that put
    back an older version whose fragments a process may still keep. Each process's memory lets the unreachable
    fragments go as they expire or newer ones push them out.
    """
    start = fresh_start()
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(
            f"UPDATE {_TABLE} SET value = CASE WHEN value + 1 > %s THEN value + 1 ELSE %s END WHERE id = 1",  # noqa: S608
            [start, start],
        )
        if cursor.rowcount == 0:
            cursor.execute(f"INSERT INTO {_TABLE} (id, value) VALUES (1, %s)", [start])  # noqa: S608 — a constant
        cursor.execute(f"SELECT value FROM {_TABLE} WHERE id = 1")  # noqa: S608 — a constant
        return cursor.fetchone()[0]


def current(using: str = DEFAULT_DB_ALIAS, scope: str | None = None, task: int | None = None) -> tuple | None:
    """The versions now: the data version and that of `scope` (or of the plan of `task`), or None when this
    connection may not share fragments (uncommitted writes, no row).

    One query either way, so that a page's query count does not depend on what its transaction did before. A
    task's plan never changes, so reading it in the same statement reads nothing a write could change under it.
    """
    connection = connections[using]
    if task is not None:
        scoped = f"SELECT value FROM {_SCOPES} WHERE scope = 'plan:' || (SELECT plan_id FROM plans_task WHERE id = %s)"
        params = [task]
    else:
        scoped = f"SELECT value FROM {_SCOPES} WHERE scope = %s"
        params = [scope or ""]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value, ({scoped}) FROM {_TABLE} WHERE id = 1", params)  # noqa: S608 — constants
        row = cursor.fetchone()
    if not row or has_uncommitted_writes(connection):
        return None
    return (row[0], row[1] or 0)


def fresh_start() -> int:
    """A first version larger than any counted up before it: microseconds since 1970 outrun any count of writes."""
    return time.time_ns() // 1000
