"""Storing a plan's tasks: the text's tasks matched to the stored ones by ref, renumbered, kept or deleted, and
each measure linked to the task it belongs to."""

from __future__ import annotations

from ..models import Plan, Section, Task
from ..parsing import ParsedPlan
from .reconcile import Decisions, KeptTask
from .results import Changes

# What makes a task count as changed in the summary; positions and line numbers follow edits elsewhere.
TASK_CONTENT = ("kind", "title", "body", "is_section", "clause_text", "clause_note", "lead_rule")
TASK_FIELDS = [
    "ref",
    "section",
    "kind",
    "number",
    "title",
    "body",
    "is_section",
    "clause_text",
    "clause_note",
    "lead_rule",
    "position",
    "line",
]


def store_tasks(
    plan: Plan,
    parsed: ParsedPlan,
    sections: list[Section],
    existing: list[Task],
    matched: dict[str, Task],
    kept: list[KeptTask],
    decisions: Decisions,
    changes: Changes,
) -> tuple[dict[str, Task], int]:
    """The text's tasks by ref, and how many kept tasks the administrator deleted with the text."""
    continued = {t.id for t in matched.values()}
    gone = [t for t in existing if t.id not in continued]
    kept_by_id = {k.task_id: k for k in kept}
    stays = [t for t in gone if t.id in kept_by_id and not decisions.deletes(kept_by_id[t.id])]
    chosen = [t for t in gone if t.id in kept_by_id and decisions.deletes(kept_by_id[t.id])]
    # A task gone from the text goes, unless a person touched it.
    for task in chosen:
        decisions.writer.delete_task(task)
    Task.objects.filter(id__in=[t.id for t in gone if t.id not in kept_by_id]).delete()
    # Free the refs the text's tasks take: a kept task yields its ref to whatever the text now numbers so,
    # and renumbered tasks pass through a temporary ref, since refs are unique within a plan.
    refs = {p.ref for p in parsed.tasks}
    freed = [t for t in stays if t.ref in refs]
    for task in freed:
        task.ref = f"{task.ref}#{task.id}"
    renumbered = [t for ref, t in matched.items() if t.ref != ref]
    for task in renumbered:
        task.ref = f"#{task.id}"
    Task.objects.bulk_update(freed + renumbered, ["ref"])

    tasks: dict[str, Task] = {}
    new: list[Task] = []
    changed: list[Task] = []
    rewritten = 0
    for position, parsed_task in enumerate(parsed.tasks):
        task = matched.get(parsed_task.ref) or Task(plan=plan)
        values = {
            "ref": parsed_task.ref,
            # By id: comparing the related objects would load each task's section.
            "section_id": sections[parsed_task.outline_index].id,
            "kind": Task.Kind.GOAL if parsed_task.is_goal else Task.Kind.TASK,
            "number": parsed_task.number,
            "title": parsed_task.title[:300],
            "body": parsed_task.body,
            "is_section": parsed_task.is_section,
            "clause_text": parsed_task.clause.text if parsed_task.clause else "",
            "clause_note": parsed_task.clause.note if parsed_task.clause else "",
            "lead_rule": parsed_task.clause.rule.label[:300] if parsed_task.clause and parsed_task.clause.rule else "",
            "position": position,
            "line": parsed_task.line,
        }
        dirty = task.pk is None or any(getattr(task, k) != v for k, v in values.items())
        if task.pk is not None and any(getattr(task, k) != values[k] for k in TASK_CONTENT):
            rewritten += 1
        for key, value in values.items():
            setattr(task, key, value)
        if task.pk is None:
            new.append(task)
        elif dirty:
            changed.append(task)
        tasks[parsed_task.ref] = task
    Task.objects.bulk_update(changed, TASK_FIELDS)
    Task.objects.bulk_create(new)
    for offset, task in enumerate(stays):
        task.position = len(parsed.tasks) + offset  # behind the text's tasks
    Task.objects.bulk_update(stays, ["position"])
    _link_measures(parsed, tasks)
    changes.tasks_added = len(new)
    changes.tasks_changed = rewritten
    changes.tasks_removed = len(gone) - len(stays)
    return tasks, len(chosen)


def _link_measures(parsed: ParsedPlan, tasks: dict[str, Task]) -> None:
    """A measure points at the task it belongs to; the ids exist once the tasks are saved."""
    linked = []
    for parsed_task in parsed.tasks:
        task = tasks[parsed_task.ref]
        parent_id = tasks[parsed_task.parent_ref].id if parsed_task.parent_ref else None
        if task.parent_id != parent_id:
            task.parent_id = parent_id
            linked.append(task)
    Task.objects.bulk_update(linked, ["parent"])
