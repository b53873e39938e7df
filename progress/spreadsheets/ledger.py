"""The 进展台账 of a round (for a plan, or for one agency) and an agency's round sheet to fill offline, in the
look of every export (plans.spreadsheets.export: style.cell writes every cell). They take plain rows and run
no queries; the views fetch."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from lib.spreadsheets import style
from lib.spreadsheets.sheet import HEADER_ROW, Column, TableSheet, new_workbook, to_bytes
from plans.labels import chinese_date

# What a 督查室 reports upward: who, by when and whether that was met, how far (status, %), what was done, and
# what the coordinator made of it (审核意见).
LEDGER_COLUMNS = (
    Column("序号", 6, style.CENTER),
    Column("重点任务", 26),
    Column("牵头单位", 16),
    Column("配合单位", 18),
    Column("完成时限", 13, style.CENTER),
    Column("是否按期", 9, style.CENTER),
    Column("状态", 8, style.CENTER),
    Column("完成进度（%）", 8, style.CENTER),
    Column("进展情况", 44),
    Column("存在问题", 24),
    Column("下步计划", 24),
    Column("报送时间", 15, style.CENTER),
    Column("审核意见", 20),
)
STATUS_COLUMN, MET_COLUMN = 6, 5

# The round sheet: the reader (round_sheet.py) finds these by their header, in any order.
SHEET_COLUMNS = (
    Column("序号", 6, style.CENTER),
    Column("重点任务", 30),
    Column("本单位职责", 10, style.CENTER),
    Column("完成时限", 14, style.CENTER),
    Column("进展状态", 10, style.CENTER),
    Column("完成进度（%）", 10, style.CENTER),
    Column("进展情况", 48),
    Column("存在问题", 28),
    Column("下步计划", 28),
    Column("报送状态", 10, style.CENTER),
    Column("任务代码", 8, style.CODE),
)
STATUS_LABELS = ("未启动", "推进中", "已完成", "滞后")
LATE = ("逾期完成", "已逾期")


@dataclass(frozen=True)
class LedgerRow:
    section: str
    task: str
    reporter: str
    cooperating: str
    deadline: str
    met: str  # 按期完成, 逾期完成, 已逾期, 未到期, 长期 or ''
    status: str  # 推进中, 滞后 … or 未报送; 已办结 once the task is closed
    warn: bool  # shown as a warning: 滞后, 未报送
    percent: int | None
    progress: str
    problems: str
    next_steps: str
    submitted: str
    review: str  # 通过：…, 退回：…, 待审核 or ''


def ledger(title: str, rows: Iterable[LedgerRow], *, exported_on: date, note: str = "") -> bytes:
    """A round's 进展台账: a row per report, under a band for each section, as it stands on `exported_on`."""
    workbook = new_workbook(title)
    text = f"导出日期：{chinese_date(exported_on)}" + (f"；{note}" if note else "")
    sheet = TableSheet(workbook, "进展台账", title=title, note=text, columns=LEDGER_COLUMNS)
    section = None
    for number, row in enumerate(rows, 1):
        if row.section != section:
            section = row.section
            sheet.band(section, style.SECTION)
        styles = [column.style for column in LEDGER_COLUMNS]
        styles[STATUS_COLUMN] = style.WARNING if row.warn else style.CENTER
        if row.met in LATE:
            styles[MET_COLUMN] = style.WARNING
        sheet.append(
            (
                number,
                row.task,
                row.reporter,
                row.cooperating,
                row.deadline,
                row.met,
                row.status,
                row.percent,
                row.progress,
                row.problems,
                row.next_steps,
                row.submitted,
                row.review,
            ),
            styles,
        )
    sheet.finish()
    return to_bytes(workbook)


@dataclass(frozen=True)
class SheetRow:
    task: str
    role: str
    deadline: str
    status: str
    percent: int | None
    progress: str
    problems: str
    next_steps: str
    state: str
    ref: str


def round_sheet(title: str, rows: list[SheetRow], *, exported_on: date, note: str) -> bytes:
    """An agency's round sheet: its reports of the round, one row each, to fill in and upload again."""
    workbook = new_workbook(title)
    text = f"导出日期：{chinese_date(exported_on)}；{note}"
    sheet = TableSheet(workbook, "进展报送表", title=title, note=text, columns=SHEET_COLUMNS)
    if rows:
        # Drop-downs for the status and a 0–100 check on the percentage, so an offline edit stays readable.
        first, last = HEADER_ROW + 1, HEADER_ROW + len(rows)
        sheet.ws.data_validation(
            first,
            4,
            last,
            4,
            {
                "validate": "list",
                "source": list(STATUS_LABELS),
                "error_title": "进展状态",
                "error_message": "请从列表中选择：" + "、".join(STATUS_LABELS),
            },
        )
        sheet.ws.data_validation(
            first,
            5,
            last,
            5,
            {
                "validate": "integer",
                "criteria": "between",
                "minimum": 0,
                "maximum": 100,
                "error_title": "完成进度",
                "error_message": "请填写 0 到 100 的整数",
            },
        )
    for number, row in enumerate(rows, 1):
        sheet.append(
            (
                number,
                row.task,
                row.role,
                row.deadline,
                row.status,
                row.percent,
                row.progress,
                row.problems,
                row.next_steps,
                row.state,
                row.ref,
            )
        )
    sheet.finish()
    return to_bytes(workbook)
