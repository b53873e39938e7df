"""督查考核 in Excel: the rates and ranks of a period, per agency or per region, as the page shows them. Plain rows
in, no queries."""

from __future__ import annotations

from datetime import date

from lib.spreadsheets import style
from lib.spreadsheets.sheet import Column, TableSheet, new_workbook, to_bytes
from plans.labels import chinese_date


def _columns(unit: str, with_region: bool) -> tuple[Column, ...]:
    return (
        Column("排名", 6, style.CENTER),
        Column(unit, 30),
        *((Column("所属行政区", 20),) if with_region else ()),
        Column("应报送", 8, style.CENTER),
        Column("按时报送", 8, style.CENTER),
        Column("按时报送率（%）", 10, style.CENTER),
        Column("应完成任务", 9, style.CENTER),
        Column("按期完成", 8, style.CENTER),
        Column("按时完成率（%）", 10, style.CENTER),
        Column("逾期任务", 8, style.CENTER),
    )


def rates_workbook(title: str, rows, *, by_region: bool, period: str, exported_on: date) -> bytes:
    """Every row, ranked: the counts behind each rate beside it, a rate left blank where nothing was due."""
    workbook = new_workbook(title)
    columns = _columns("行政区" if by_region else "单位", not by_region)
    note = f"统计期间：{period}；导出日期：{chinese_date(exported_on)}；只计纳入督办（执行中）的方案"
    sheet = TableSheet(workbook, "督查考核", title=title, note=note, columns=columns)
    for row in rows:
        values = [row.rank or "—", row.label]
        if not by_region:
            values.append(row.region)
        values += [
            row.reports_due,
            row.reports_on_time,
            row.report_rate,
            row.tasks_due,
            row.tasks_on_time,
            row.task_rate,
            row.overdue,
        ]
        styles = [column.style for column in columns]
        if row.overdue:
            styles[-1] = style.WARNING
        sheet.append(values, styles)
    sheet.finish()
    return to_bytes(workbook)
