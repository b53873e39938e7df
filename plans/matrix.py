"""The responsibility matrix of a plan: tasks × agencies, built from duties already fetched."""

from __future__ import annotations

from dataclasses import dataclass, field

from lib.abbreviation import abbreviate

from .duty_rows import DutyRow
from .models import Duty, Task
from .templatetags.chips import agency_url


@dataclass
class Column:
    agency_id: int
    name: str
    full_name: str
    sort_key: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Duty.Role.values, 0))

    @property
    def url(self) -> str:
        return agency_url(self.agency_id)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def heading(self) -> str:
        """The agency's name in its conventional short form (区发改局): a vertical header reads as one line."""
        return abbreviate(self.name)


@dataclass
class Row:
    task: Task
    cells: list[DutyRow | None]

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

    `tasks` must have their duties read as rows (plans.duty_rows.attach); no queries run here.
    """
    columns: dict[int, Column] = {}
    for task in tasks:
        for duty in task.duty_rows:
            column = columns.get(duty.agency_id)
            if column is None:
                column = columns[duty.agency_id] = Column(duty.agency_id, duty.name, duty.full_name, duty.sort_key)
            column.counts[duty.role] += 1
    ordered = sorted(
        columns.values(),
        key=lambda c: (-c.counts[Duty.Role.LEAD] - c.counts[Duty.Role.JOINT], -c.total, c.sort_key),
    )
    index = {column.agency_id: i for i, column in enumerate(ordered)}
    rows = []
    for task in sorted(tasks, key=lambda t: t.position):
        cells: list[DutyRow | None] = [None] * len(ordered)
        for duty in task.duty_rows:
            cells[index[duty.agency_id]] = duty
        rows.append(Row(task, cells))
    return Matrix(ordered, rows)
