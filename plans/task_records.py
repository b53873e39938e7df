"""What other apps keep about tasks that a person made: a re-ingest never deletes a task that holds any.

`plans` imports no app built on it. An app whose rows about a task are people's work (progress: reports, closings)
registers a function in its AppConfig.ready() that says, for the tasks a new text no longer has, what it holds
about each; `plans.ingestion.reconcile.find_kept_tasks` then keeps those tasks as it keeps those with hand-made
duties or notes, and the upload preview lists the reasons beside the choice to delete them with the text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

# task ids → {task id: what a person made there, in words (督办进展报告 2 份)}
TaskRecords = Callable[[list[int]], dict[int, str]]

_SOURCES: dict[str, TaskRecords] = {}


def register(key: str, records: TaskRecords) -> None:
    _SOURCES[key] = records


def people_records(task_ids: Iterable[int]) -> dict[int, list[str]]:
    """For each task that holds any, what registered apps keep about it."""
    ids = list(task_ids)
    found: dict[int, list[str]] = {}
    if not ids:
        return found
    for records in _SOURCES.values():
        for task_id, reason in records(ids).items():
            found.setdefault(task_id, []).append(reason)
    return found
