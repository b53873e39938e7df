"""The one writer of an agency's note on a task (TaskNote).

A note is something a person wrote, so it follows the lock order of every writer of a plan
(plans.assignments.lock_plan): the plan, then the task, then the note itself. A re-ingest, which locks the
plan first, therefore either sees the note when it decides which tasks to keep, or stores the new text before the
note is written; and a note never holds a task's row while waiting for its plan, which deadlocked against an edit
of the same task under load on PostgreSQL (scripts/load_test.py).
"""

from __future__ import annotations

from django.db import transaction

from lib.history import Change

from .assignments import lock_task
from .models import Task, TaskNote

NOTE_FIELDS = ("contact_person", "contact_phone", "note")


class StaleNote(Exception):
    """Someone saved the note after the form showing it was opened; `current` is the note as it is now."""

    def __init__(self, current: TaskNote | None):
        self.current = current


def save_note(task: Task, agency, user, values: dict, *, version: str) -> TaskNote:
    """Write the agency's note on the task as `user`; raises StaleNote, writing nothing, when `version` (what the
    form showed, TaskNote.version_of) is no longer the note's."""
    with transaction.atomic():
        lock_task(task)
        # OF self: without it PostgreSQL would lock the rows of every table the query joins as well.
        current = (
            TaskNote.objects.select_for_update(of=("self",)).filter(task=task, agency=agency).order_by("pk").first()
        )
        if TaskNote.version_of(current) != version:
            raise StaleNote(current)
        note = current or TaskNote(task=task, agency=agency)
        for field in NOTE_FIELDS:
            setattr(note, field, values[field])
        note.updated_by = user
        Change(user, "填写工作备注").save(note)
    return note
