"""A 督办通知单 in Excel, in the look of every export: its items as a table, the number, dates and request above."""

from __future__ import annotations

from datetime import date

from lib.spreadsheets import style
from lib.spreadsheets.sheet import Column, TableSheet, new_workbook, to_bytes
from plans.labels import chinese_date

COLUMNS = (
    Column("序号", 6, style.CENTER),
    Column("责任单位", 28),
    Column("督办事项（任务）", 48),
    Column("完成时限", 16, style.CENTER),
    Column("现状", 24),
)


def order_workbook(order, items, *, exported_on: date) -> bytes:
    title = f"督办通知单 {order.number}"
    workbook = new_workbook(title)
    note = (
        f"{order.plan}；发出日期：{chinese_date(order.issued_on)}；办理时限：{chinese_date(order.reply_by)}；"
        f"督办要求：{order.request}；导出日期：{chinese_date(exported_on)}"
    )
    sheet = TableSheet(workbook, "督办通知单", title=title, note=note, columns=COLUMNS)
    for number, item in enumerate(items, 1):
        sheet.append((number, item.agency_name, item.task_label, item.deadline, item.situation))
    sheet.finish()
    return to_bytes(workbook)
