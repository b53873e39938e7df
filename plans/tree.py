"""A plan's outline as a tree, built from rows already fetched: parts, their sections, and the tasks of each. The
read model the plan page (plans/outline.py, a page at a time) and the 分工表 export (the whole plan) both build on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Section, Task


@dataclass
class OutlineNode:
    section: Section
    tasks: list[Task] = field(default_factory=list)
    children: list[OutlineNode] = field(default_factory=list)
    # Shown for its heading only: the section's own place is on an earlier page.
    continued: bool = False

    @property
    def own_task(self) -> Task | None:
        """The task that is this section itself (Task.is_section), whose heading is the section's."""
        return next((task for task in self.tasks if task.is_section), None)

    @property
    def task_count(self) -> int:
        return len(self.tasks) + sum(child.task_count for child in self.children)


def build_outline(sections: list[Section], tasks: list[Task], continued: set[int] = frozenset()) -> list[OutlineNode]:
    """The top-level nodes in outline order; each holds its tasks and child sections in order.

    Runs no queries: sections and tasks are passed in, already fetched. Sections whose ids are in
    `continued` are marked so (their heading only, on a page after their own).
    """
    nodes = {s.pk: OutlineNode(s, continued=s.pk in continued) for s in sorted(sections, key=lambda s: s.position)}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.section.parent_id)
        (parent.children if parent else roots).append(node)
    for task in sorted(tasks, key=lambda t: t.position):
        nodes[task.section_id].tasks.append(task)
    return roots
