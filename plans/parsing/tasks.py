"""From the outline's items to the plan's tasks: an item with its measures, a section that is itself a task, and
the unnumbered paragraphs of a section that each carry a clause.

A numbered item is a task. A further clause in its text (or in a later paragraph) closes a measure of its own,
which becomes a task under the item, numbered after it (3.2 is the second measure of item 3); so does each
sub-measure numbered under it ((1), (2) …). A section or part with no numbered items is itself a task, unless
it is a heading (一、 （一）) and two or more of its paragraphs carry clauses: then each such paragraph is an
unnumbered task of the section.
A task with no short title is titled by its first sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .measures import first_sentence, has_clause, split_measures
from .structures import ParsedPlan, ParsedTask
from .subjects import subject_duties
from .targets import extract_targets


@dataclass
class Item:
    """A numbered line and what follows it, before we know if it is a task."""

    level: int
    number: str
    title: str
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)  # body paragraphs
    children: list[Item] = field(default_factory=list)  # sub-measures numbered under it: (1), (2) …

    @property
    def body(self) -> str:
        return "\n".join(text for _, text in self.lines)

    def has_clause(self) -> bool:
        """Whether it assigns duties: a clause in its text or a child's, or a 职责分工 list (subjects.py)."""
        if has_clause(self.lines) or any(child.has_clause() for child in self.children):
            return True
        return len(self.lines) >= 3 and bool(subject_duties(self.lines, [False] * len(self.lines)))


def add_item_tasks(
    plan: ParsedPlan, item: Item, node_index: int, ref: str, *, is_section: bool = False, parent: str | None = None
) -> None:
    """The item's own task, then a task for each further measure and each numbered sub-measure."""
    _fold_points(item)
    own, *more = split_measures(item.line, item.lines)
    task = ParsedTask(
        number=item.number,
        title=item.title or first_sentence(own.text),
        body=own.body,
        line=item.line,
        outline_index=node_index,
        ref=ref,
        is_section=is_section,
        clause=own.clause,
        parent_ref=parent,
    )
    task.targets = extract_targets(own.text)
    plan.tasks.append(task)
    bare = item.number.strip("（()）.．、 ")
    for k, measure in enumerate(more, start=2):
        sub = ParsedTask(
            number=f"{bare}.{k}" if bare else "",
            title=first_sentence(measure.text),
            body=measure.body,
            line=measure.line,
            outline_index=node_index,
            ref=f"{ref}.{k}",
            clause=measure.clause,
            parent_ref=ref,
        )
        sub.targets = extract_targets(measure.text)
        plan.tasks.append(sub)
    # Numbered after the item's measures (ref.2 … ref.n+1), never onto the last of them: an item with both once
    # gave its last measure and first sub-measure one ref, which the database refuses.
    for k, child in enumerate(item.children, start=len(more) + 2 if more else 1):
        add_item_tasks(plan, child, node_index, f"{ref}.{k}", parent=ref)


def _fold_points(item: Item) -> None:
    """Points numbered under an item that only its last one closes with a clause are the item's text.

    （1）屋顶光伏。（2）地面光伏。（市发改委负责）: the clause is the item's, not the last point's; sub-measures
    are tasks of their own only when they carry clauses of their own.
    """
    children = item.children
    if not children or children[-1].children or has_clause(item.lines):
        return
    if [child.has_clause() for child in children] != [False] * (len(children) - 1) + [True]:
        return
    if len(children) == 1:
        return  # a single sub-measure with its clause: a task under the item, as written
    for child in children:
        head = f"{child.number}{child.title}。" if child.title else child.number
        first, *rest = child.lines or [(child.line, "")]
        item.lines.append((child.line, head + (first[1] if first[0] == child.line else "")))
        item.lines += rest if first[0] == child.line else [first, *rest]
    item.children = []


def add_node_tasks(plan: ParsedPlan, node: Item, node_index: int, ref: str) -> str:
    """Tasks of a section or part with no numbered items; returns the text that stays the node's own."""
    marks = [has_clause([paragraph]) for paragraph in node.lines]
    # A 职责分工 list: paragraphs that open with their units (房管所负责…；), each a duty of its own.
    subjects = subject_duties(node.lines, marks)
    marks = [marked or line in subjects for marked, (line, _) in zip(marks, node.lines, strict=True)]
    # An arabic number (1. 1、 （1）) or an article's (第三条) enumerates a measure, whatever its level; a heading
    # numbered 一、 or （一） groups the measures written under it.
    if sum(marks) < 2 or any(ch.isdigit() for ch in node.number) or node.number.startswith("第"):
        add_item_tasks(plan, node, node_index, ref, is_section=True)
        return ""
    first = marks.index(True)
    groups: list[list[tuple[int, str]]] = []
    pending: list[tuple[int, str]] = []
    for paragraph, marked in zip(node.lines[first:], marks[first:], strict=True):
        pending.append(paragraph)
        if marked:
            groups.append(pending)
            pending = []
    if pending:
        groups[-1] += pending  # text after the last clause stays with the task before it
    for k, group in enumerate(groups, start=1):
        added = len(plan.tasks)
        # A heading on a line of its own straight above its first clause paragraph is that paragraph's title
        # (（一）建立…体系 / its text（…） / a further paragraph（…）); the later ones, and those under a heading
        # that runs on into its text, are titled by their first sentence.
        title = node.title if k == 1 and first == 0 and group[0][0] != node.line else ""
        add_item_tasks(plan, Item(node.level + 1, "", title, group[0][0], group), node_index, f"{ref}.{k}")
        task = plan.tasks[added]
        if task.clause is None:
            # The group's own paragraph is its first marked one; text after the last clause may follow it.
            task.clause = next((subjects[line] for line, _ in group if line in subjects), None)
    return "\n".join(text for _, text in node.lines[:first])
