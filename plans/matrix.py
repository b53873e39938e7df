"""The responsibility matrix of a plan: tasks × agencies, built from duties already fetched."""

from __future__ import annotations

from dataclasses import dataclass, field

from agencies.models import Agency
from lib.abbreviation import abbreviate

from .models import Duty, Task


@dataclass
class Column:
    agency: Agency
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Duty.Role.values, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def heading(self) -> str:
        """The agency's name in its conventional short form (区发改局): a vertical header reads as one line."""
        return abbreviate(self.agency.name)


@dataclass
class Row:
    task: Task
    cells: list[Duty | None]

    @property
    def total(self) -> int:
        return sum(cell is not None for cell in self.cells)


@dataclass
class Matrix:
    columns: list[Column]
    rows: list[Row]

    @property
    def total(self) -> int:
        return sum(column.total for column in self.columns)


def build_matrix(tasks: list[Task]) -> Matrix:
    """Rows in outline order; columns by how much each agency leads, then carries, then by pinyin.

    `tasks` must have their duties (with agencies) prefetched; no queries run here.
    """
    columns: dict[int, Column] = {}
    for task in tasks:
        for duty in task.duties.all():
            column = columns.setdefault(duty.agency_id, Column(duty.agency))
            column.counts[duty.role] += 1
    ordered = sorted(
        columns.values(),
        key=lambda c: (-c.counts[Duty.Role.LEAD] - c.counts[Duty.Role.JOINT], -c.total, c.agency.sort_key),
    )
    index = {column.agency.pk: i for i, column in enumerate(ordered)}
    rows = []
    for task in sorted(tasks, key=lambda t: t.position):
        cells: list[Duty | None] = [None] * len(ordered)
        for duty in task.duties.all():
            cells[index[duty.agency_id]] = duty
        rows.append(Row(task, cells))
    return Matrix(ordered, rows)
