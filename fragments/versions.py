"""The data version: what kept fragments are keyed by, so that no page is built from data older than the last commit.

Every statement a database connection runs passes through the wrapper that watch() installs. Every statement that
is not clearly a read (moves_data) moves the version once its transaction has committed (through
transaction.on_commit, at once for a statement outside a transaction), so a reader never meets the new version
before the new data. A reader takes the version before it reads anything else: if a write commits in between, the
reader keeps newer data under the older version, which no one asks for again once the version has moved.

Watching the connection rather than each writer keeps one rule for all of them: the loader's bulk statements,
the one writers of duties and notes, agency merges, the admin, the task worker and any writer added later.
Writes no connection of ours runs (psql, a restore) are not seen: `manage.py clear_fragments` (jump) puts every
kept fragment out of reach after them.
A transaction that has written and not yet committed sees data no one else does: it neither reads nor keeps
fragments (has_uncommitted_writes).
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
    r'(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+"?(\w+)"?',
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


def _bump_after_commit(using: str):
    """The on_commit callback; its presence in a connection's queue marks a transaction with writes."""

    def bump_data_version():
        bump(using)

    bump_data_version.moves_data_version = True
    return bump_data_version


def watch(sender, connection, **kwargs):
    """connection_created's receiver: report this connection's writes (once per connection object)."""
    if connection.alias not in connections.settings:
        return  # PostgreSQL's connection to no database in particular (creating a test database): no data of ours
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if moves_data(sql):
        connection = context["connection"]
        if not has_uncommitted_writes(connection):
            # robust: the write has committed (or will); a failed bump leaves fragments to expire, not an error page.
            transaction.on_commit(_bump_after_commit(connection.alias), using=connection.alias, robust=True)
    return result


def moves_data(sql: str) -> bool:
    """Whether a statement may have changed what a page shows: every statement that is not clearly a read."""
    statement = sql[_LEADING.match(sql).end() :]
    if _READ.match(statement) or _CONTROL.match(statement) or _PRAGMA_READ.match(statement):
        return False
    if _EXPLAIN.match(statement):
        return bool(_ANALYZE.search(statement))  # EXPLAIN ANALYZE runs the statement
    if _WITH.match(statement):
        return bool(_MODIFYING.search(statement))
    written = _WRITTEN_TABLE.match(statement)
    return not (written and written.group(1).lower().startswith(UNSHOWN))


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


def current(using: str = DEFAULT_DB_ALIAS) -> int | None:
    """The version now, or None when this connection may not share fragments (uncommitted writes, no row).

    One query either way, so that a page's query count does not depend on what its transaction did before.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {_TABLE} WHERE id = 1")  # noqa: S608 — a constant
        row = cursor.fetchone()
    return row[0] if row and not has_uncommitted_writes(connection) else None


def fresh_start() -> int:
    """A first version larger than any counted up before it: microseconds since 1970 outrun any count of writes."""
    return time.time_ns() // 1000
