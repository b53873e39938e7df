"""A plan's outline as pages (the plan page and the matrix): the tree of plans/tree.py, cut to size.

A big plan (3,000 tasks) is shown a page at a time: `OutlinePages` cuts the outline into pages of whole
sections holding at most PAGE_TASKS tasks together, from the sections and their task counts alone, so a
page reads only its own tasks. A plan of up to PAGE_TASKS tasks is one page.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Section

PAGE_TASKS = 100


@dataclass
class Contents:
    """A line of the table of contents (目录): a part or section, its tasks, the page it is on."""

    section: Section
    tasks: int
    page: int


class OutlinePages:
    """The outline cut into pages of whole sections, at most `limit` tasks to a page where sections allow.

    A section with more tasks than that is a page of its own. Built from every section of the plan and the
    number of tasks directly under each; runs no queries.
    """

    def __init__(self, sections: list[Section], task_counts: dict[int, int], limit: int = PAGE_TASKS):
        self.sections = sorted(sections, key=lambda s: s.position)
        self.by_id = {s.pk: s for s in self.sections}
        self.task_counts = task_counts
        self.pages: list[list[int]] = [[]]
        size = 0
        for section in self.sections:
            count = task_counts.get(section.pk, 0)
            if count and size and size + count > limit:
                self.pages.append([])
                size = 0
            self.pages[-1].append(section.pk)
            size += count
        self.page_of = {pk: number for number, ids in enumerate(self.pages, 1) for pk in ids}

    @property
    def count(self) -> int:
        return len(self.pages)

    @property
    def tasks(self) -> int:
        return sum(self.task_counts.values())

    def number(self, value) -> int:
        """The page a ?page= value asks for: 1 for nonsense, the last page past the end."""
        try:
            number = int(value)
        except (TypeError, ValueError):
            return 1
        return min(max(number, 1), self.count)

    def section_ids(self, number: int) -> list[int]:
        """The sections whose tasks page `number` shows."""
        return self.pages[number - 1]

    def shown(self, number: int) -> tuple[list[Section], set[int]]:
        """The sections page `number` draws: its own and, for their headings, the parts they sit in.

        Returns them with the ids of those shown for their heading only.
        """
        own = set(self.section_ids(number))
        shown = set(own)
        for pk in own:
            parent = self.by_id[pk].parent_id
            while parent is not None and parent in self.by_id:
                shown.add(parent)
                parent = self.by_id[parent].parent_id
        return [s for s in self.sections if s.pk in shown], shown - own

    def contents(self) -> list[Contents]:
        """Every part and section with its tasks (its own and its children's) and its page, in outline order."""
        totals = dict(self.task_counts)
        for section in reversed(self.sections):
            if section.parent_id in self.by_id:
                totals[section.parent_id] = totals.get(section.parent_id, 0) + totals.get(section.pk, 0)
        return [Contents(s, totals.get(s.pk, 0), self.page_of[s.pk]) for s in self.sections]

    def range(self, number: int) -> tuple[int, int]:
        """The first and last task numbers (counting from 1 in outline order) on page `number`."""
        before = sum(self.task_counts.get(pk, 0) for ids in self.pages[: number - 1] for pk in ids)
        on_page = sum(self.task_counts.get(pk, 0) for pk in self.pages[number - 1])
        return before + 1, before + on_page
