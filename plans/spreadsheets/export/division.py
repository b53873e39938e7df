"""A plan's 任务分工表: its tasks in outline order under their part and section headings, with their units.

The sheet is also the form for sending changes back: the 分工表 import
(plans/importing/) finds the header by its names, reads 重点任务 and the unit
columns, and matches each row to its task by 任务代码. Section rows hold their
heading in the 序号 column only, so the import skips them.

A plan with appendix tables gets a sheet per 附件 (its rows beside the body's
reading) and one for its 重点项目清单.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from itertools import groupby

from lib.spreadsheets import style
from lib.spreadsheets.sheet import Column, TableSheet, new_workbook, to_bytes

from ...labels import chinese_date
from ...tree import OutlineNode, build_outline
from . import cells

COLUMNS = (
    Column("序号", 6, style.CENTER),
    Column("重点任务", 28),
    Column("牵头单位", 24),
    Column("配合单位", 24),
    Column("共同负责单位", 24),
    Column("任务内容", 60, foldable=True),
    Column("目标与时限", 32, foldable=True),
    Column("任务代码", 8, style.CODE),
)
# ?columns=short: without the two long columns.
SHORT_COLUMNS = tuple(column for column in COLUMNS if not column.foldable)

APPENDIX_COLUMNS = (
    Column("编号", 8, style.CENTER),
    Column("目标任务", 28),
    Column("内容", 50),
    Column("牵头单位", 22),
    Column("责任单位", 30),
    Column("与正文对照", 18),
)

PROJECT_COLUMNS = (
    Column("序号", 6, style.CENTER),
    Column("类别", 14),
    Column("项目单位", 20),
    Column("项目名称", 26),
    Column("建设内容", 50),
    Column("建设年限", 12, style.CENTER),
    Column("总投资（万元）", 14, style.NUMBER),
)


def title(plan) -> str:
    return f"{plan} 任务分工表"


def export(
    plan,
    sections: Sequence,
    tasks: Sequence,
    appendix_rows: Sequence = (),
    projects: Sequence = (),
    *,
    exported_on: date,
    short: bool = False,
    target=None,
) -> bytes | None:
    """The 分工表 as an .xlsx file, written to `target` (a path or a binary file), else returned. Runs no queries.

    `tasks` need their duties (with agencies) and targets loaded;
    `appendix_rows` their task, to compare titles.
    """
    workbook = new_workbook(title(plan), target)
    _division_sheet(workbook, plan, sections, tasks, exported_on=exported_on, short=short)
    for appendix, rows in groupby(appendix_rows, key=lambda row: row.appendix):
        _appendix_sheet(workbook, plan, appendix, list(rows), exported_on=exported_on)
    if projects:
        _projects_sheet(workbook, plan, projects, exported_on=exported_on)
    if target is None:
        return to_bytes(workbook)
    workbook.close()
    return None


def _division_sheet(workbook, plan, sections, tasks, *, exported_on: date, short: bool) -> None:
    columns = SHORT_COLUMNS if short else COLUMNS
    note = [f"导出日期：{chinese_date(exported_on)}"]
    if any(duty.inferred and duty.role == "lead" for task in tasks for duty in task.duties.all()):
        note.append(f"单位后注“{cells.INFERRED_MARK}”的，是按首列单位推定的牵头单位")
    if short:
        note.append("已略去任务内容、目标与时限两栏")
    else:
        note.append("任务内容、目标与时限两栏可用表格上方的“−”按钮折叠")
    note.append("末列任务代码用于将修改后的分工表导回系统，请勿改动")
    sheet = TableSheet(workbook, "任务分工表", title=title(plan), note="；".join(note) + "。", columns=columns)
    headers = [column.header for column in columns]
    number = 0

    def write(nodes: list[OutlineNode]) -> None:
        nonlocal number
        for node in nodes:
            if not node.task_count:
                continue
            sheet.band(node.section.heading, style.PART if node.section.level == 1 else style.SECTION)
            for task in node.tasks:
                number += 1
                units = cells.units_by_role(task.duties.all())
                values = {
                    "序号": number,
                    "重点任务": task.title or node.section.title,
                    "牵头单位": cells.join_units(units["lead"]),
                    "配合单位": cells.join_units(units["cooperating"]),
                    "共同负责单位": cells.join_units(units["joint"]),
                    "任务内容": task.body,
                    "目标与时限": "\n".join(cells.target_lines(task)),
                    "任务代码": task.ref,
                }
                sheet.append([values[header] for header in headers])
            write(node.children)

    write(build_outline(list(sections), list(tasks)))
    sheet.finish()


def comparison(row) -> str:
    """How an appendix row compares with the body: 一致, or what differs."""
    if row.task_id is None:
        return "未对应到正文任务"
    differences = []
    if row.disagrees:
        differences.append("责任单位与正文不一致")
    if row.title_differs:
        differences.append("名称与正文不同")
    return "；".join(differences) or "一致"


def _appendix_sheet(workbook, plan, appendix: str, rows: list, *, exported_on: date) -> None:
    note = f"导出日期：{chinese_date(exported_on)}；“与正文对照”比较本表与方案正文的任务名称和责任单位。"
    sheet = TableSheet(workbook, appendix, title=f"{plan} {appendix}", note=note, columns=APPENDIX_COLUMNS)
    group = section = None
    for row in rows:
        if row.group != group:
            group, section = row.group, None
            if group:
                sheet.band(group, style.PART)
        if row.section != section:
            section = row.section
            if section:
                sheet.band(section, style.SECTION)
        found = comparison(row)
        styles = [column.style for column in APPENDIX_COLUMNS[:-1]] + [style.BODY if found == "一致" else style.WARNING]
        sheet.append((row.number, row.title, row.text, row.lead_text, row.units_text, found), styles)
    sheet.finish()


def years(project) -> str:
    """2023, or 2023—2025, as the plan page shows them."""
    if not project.start_year:
        return ""
    if project.end_year and project.end_year != project.start_year:
        return f"{project.start_year}—{project.end_year}"
    return str(project.start_year)


def _projects_sheet(workbook, plan, projects: Sequence, *, exported_on: date) -> None:
    note = f"导出日期：{chinese_date(exported_on)}；共 {len(projects)} 个项目。"
    sheet = TableSheet(workbook, "重点项目清单", title=f"{plan} 重点项目清单", note=note, columns=PROJECT_COLUMNS)
    for project in projects:
        sheet.append(
            (
                project.number,
                project.category,
                project.unit_as_written,
                project.name,
                project.content,
                years(project),
                project.investment,
            )
        )
    last_project = sheet.row + 1
    total = sum((p.investment for p in projects if p.investment is not None), Decimal(0))
    sheet.append(("合计", "", "", "", "", "", total), [style.TOTAL] * 6 + [style.NUMBER], span=6)
    sheet.finish(last_filtered_row=last_project)
