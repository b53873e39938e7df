"""A plan's outline as a tree, built from rows already fetched: parts, their sections, and the tasks of each."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Section, Task


@dataclass
class OutlineNode:
    section: Section
    tasks: list[Task] = field(default_factory=list)
    children: list[OutlineNode] = field(default_factory=list)

    @property
    def task_count(self) -> int:
        return len(self.tasks) + sum(child.task_count for child in self.children)


def build_outline(sections: list[Section], tasks: list[Task]) -> list[OutlineNode]:
    """The top-level nodes in outline order; each holds its tasks and child sections in order.

    Runs no queries: sections and tasks are passed in, already fetched.
    """
    nodes = {s.pk: OutlineNode(s) for s in sorted(sections, key=lambda s: s.position)}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.section.parent_id)
        (parent.children if parent else roots).append(node)
    for task in sorted(tasks, key=lambda t: t.position):
        nodes[task.section_id].tasks.append(task)
    return roots
