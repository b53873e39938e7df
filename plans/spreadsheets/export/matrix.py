"""A plan's 责任矩阵 on one sheet: tasks × agencies, cells 牵 / 配 / 共, totals per agency and per task.

Takes the Matrix that plans.matrix.build_matrix makes (the same as the page);
runs no queries. Agency names stand vertically in the header so that forty
and more columns fit on a landscape page.
"""

from __future__ import annotations

from datetime import date

from lib.spreadsheets import style
from lib.spreadsheets.sheet import Column, TableSheet, new_workbook, to_bytes

from ...labels import chinese_date

AGENCY_WIDTH = 4.5
# Points per stacked character of the header font, and Excel's highest row.
POINTS_PER_CHARACTER = 13.5
MAX_ROW_HEIGHT = 409

CELL_STYLES = {"lead": style.LEAD, "cooperating": style.COOPERATING, "joint": style.JOINT}
TOTAL_ROWS = (("牵头", "lead"), ("配合", "cooperating"), ("共同负责", "joint"))


def title(plan) -> str:
    return f"{plan} 责任矩阵"


def _cell_style(duty) -> str:
    if duty is None:
        return style.CENTER
    if duty.inferred and duty.role == "lead":
        return style.LEAD_INFERRED
    return CELL_STYLES[duty.role]


def export(plan, matrix, *, exported_on: date, target=None) -> bytes | None:
    """The matrix as an .xlsx file, written to `target` (a path or a binary file), else returned."""
    names = [column.name for column in matrix.columns]
    columns = [
        Column("序号", 6, style.CENTER),
        Column("重点任务", 30),
        *(Column(name, AGENCY_WIDTH, style.CENTER) for name in names),
        Column("单位数", 7, style.CENTER),
    ]
    header_styles = [style.HEADER, style.HEADER, *([style.HEADER_VERTICAL] * len(names)), style.HEADER]
    longest = max((len(name) for name in names), default=3)
    note = (
        f"导出日期：{chinese_date(exported_on)}；{len(matrix.rows)} 项任务 × {len(names)} 个责任单位，"
        f"共 {matrix.total} 项分工。牵＝牵头，配＝配合，共＝共同负责，虚线框斜体的“牵”为推定牵头。"
    )
    workbook = new_workbook(title(plan), target)
    sheet = TableSheet(
        workbook,
        "责任矩阵",
        title=title(plan),
        note=note,
        columns=columns,
        header_styles=header_styles,
        header_height=min(MAX_ROW_HEIGHT, max(40, longest * POINTS_PER_CHARACTER + 12)),
        frozen_columns=2,
    )
    section_id = None
    for number, row in enumerate(matrix.rows, 1):
        if row.task.section_id != section_id:
            section_id = row.task.section_id
            sheet.band(row.task.section.heading, style.SECTION)
        values = [number, row.task.heading, *(duty.mark if duty else None for duty in row.cells), row.total]
        styles = [style.CENTER, style.BODY, *(_cell_style(duty) for duty in row.cells), style.CENTER]
        sheet.append(values, styles)
    last_task_row = sheet.row + 1

    for label, role in TOTAL_ROWS:
        counts = [column.counts[role] or None for column in matrix.columns]
        _total_row(sheet, label, counts, None)
    _total_row(sheet, "合计", [column.total for column in matrix.columns], matrix.total)
    sheet.finish(last_filtered_row=last_task_row)
    if target is None:
        return to_bytes(workbook)
    workbook.close()
    return None


def _total_row(sheet: TableSheet, label: str, counts: list, total) -> None:
    """A totals row: its label across 序号 and 重点任务, a count under each agency, `total` under 单位数."""
    sheet.append([label, None, *counts, total], [style.TOTAL] * (len(counts) + 3), span=2)
