"""An agency's 任务清单: every task it has a part in, one row each, as the duty list page shows them.

`export` takes plain rows (TaskListRow), so a list of any length can be
written without a database; `rows_from_duties` makes them from the duties the
view fetched.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from lib.spreadsheets import style
from lib.spreadsheets.sheet import Column, TableSheet, new_workbook, to_bytes

from ...labels import chinese_date
from . import cells

COLUMNS = (
    Column("序号", 6, style.CENTER),
    Column("所属方案", 18),
    Column("章节", 18),
    Column("重点任务", 28),
    Column("任务内容", 60, foldable=True),
    Column("本单位职责", 10, style.CENTER),
    Column("牵头单位", 24),
    Column("配合单位", 24),
    Column("共同负责单位", 24),
    Column("目标与时限", 32),
)


@dataclass(frozen=True, slots=True)
class TaskListRow:
    plan: str
    section: str
    task: str
    body: str
    role: str  # 牵头, 配合, 共同负责, 牵头（推定）…
    leads: tuple[str, ...] = ()
    cooperating: tuple[str, ...] = ()
    joint: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()


def title(agency_name: str) -> str:
    return f"{agency_name} 任务清单"


def export(agency_name: str, rows: Iterable[TaskListRow], *, exported_on: date, filters: Sequence[str] = ()) -> bytes:
    """The list as an .xlsx file in memory: see `write`."""
    workbook = new_workbook(title(agency_name))
    _write(workbook, agency_name, rows, exported_on=exported_on, filters=filters)
    return to_bytes(workbook)


def write(target, agency_name: str, rows: Iterable[TaskListRow], *, exported_on: date, filters: Sequence[str] = ()):
    """The list as an .xlsx file written to `target` (a path or a binary file), one row at a time as `rows`
    yields them: title, export date and the filters in words, header, then one row per task."""
    workbook = new_workbook(title(agency_name), target)
    _write(workbook, agency_name, rows, exported_on=exported_on, filters=filters)
    workbook.close()


def _write(workbook, agency_name: str, rows: Iterable[TaskListRow], *, exported_on: date, filters: Sequence[str]):
    note = f"导出日期：{chinese_date(exported_on)}"
    if filters:
        note += f"　筛选条件：{'；'.join(filters)}"
    sheet = TableSheet(workbook, "任务清单", title=title(agency_name), note=note, columns=COLUMNS)
    for number, row in enumerate(rows, 1):
        sheet.append(
            (
                number,
                row.plan,
                row.section,
                row.task,
                row.body,
                row.role,
                cells.join_units(row.leads),
                cells.join_units(row.cooperating),
                cells.join_units(row.joint),
                "\n".join(row.targets),
            )
        )
    sheet.finish()


def rows_from_duties(duties: Iterable) -> Iterator[TaskListRow]:
    """A row per duty, in the order given. Runs no queries.

    Each duty needs its task's plan and section, the task's duties with their
    agencies and the task's targets loaded (DutyQuerySet.with_task_context).
    """
    for duty in duties:
        task = duty.task
        units = cells.units_by_role(task.duties.all())
        yield TaskListRow(
            plan=str(task.plan),
            section=task.section.heading,
            task=task.heading,
            body=task.body,
            role=duty.role_label,
            leads=units["lead"],
            cooperating=units["cooperating"],
            joint=units["joint"],
            targets=cells.target_lines(task),
        )
