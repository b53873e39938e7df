"""A plan's appendices: 重点事项清单 rows (goals with their own units, tasks that repeat the body) and
重点项目清单 projects, read from the tables the file holds."""

from __future__ import annotations

import re

from lib import vocabulary as words

from . import tables
from .clauses import distribute_each, split_units
from .division import Columns, columns_of, find_header, read_division, repeats_header
from .division import clause_of as division_clause
from .division import title_of as division_title
from .outline import marker
from .readers import SourceTable
from .structures import AppendixRow, KeyProject, ParsedPlan, ParsedTask, Role, UnitRef, WarningCode
from .table_cells import aligner
from .targets import extract_targets


def read_appendix(plan: ParsedPlan, lines: list[str], start: int, end: int, found: list[SourceTable]) -> str:
    """The appendix whose heading is lines[start], from the tables the reader found in its range. Returns the
    appendix's title when its table gave the plan its tasks (a 分工表), else ''."""
    heading = tables.APPENDIX_HEADING.match(lines[start].strip())
    name = f"{heading['kind']}{heading['n']}"
    rows = [row for table in found for row in table.rows]
    if not rows:
        return ""
    header = rows[0].cells
    if tables.header_index(header, "项目名称") is not None:
        _read_projects(plan, rows, name)
    elif not plan.clauses and find_header(rows) is not None:
        # The body writes no duty clause: this table is where the plan's duties are.
        title = heading["title"].strip() or _title_above(lines, start, rows[0].line)
        if read_division(plan, rows, name, title or "分工表"):
            return title
    elif any(words.heading_role(cell) for cell in header):
        _read_duty_rows(plan, rows, name)
    else:
        for row in rows:
            plan.warn(WarningCode.UNPLACED_TEXT, f"{name} 表格无法识别表头: {' | '.join(row.cells)[:40]}", row.line)
    return ""


def _title_above(lines: list[str], heading: int, first_row: int) -> str:
    """The table's title when the heading line has none: the first line of text between them."""
    return next((lines[i].strip() for i in range(heading + 1, first_row - 1) if lines[i].strip()), "")


def _read_projects(plan: ParsedPlan, rows: list[tables.Row], appendix: str) -> None:
    header = rows[0].cells
    col = {
        key: tables.header_index(header, *names)
        for key, names in {
            "number": ("序号",),
            "category": ("类别", "类型"),
            "unit": ("项目单位", "责任单位", "实施单位"),
            "name": ("项目名称",),
            "content": ("建设内容", "主要内容"),
            "years": ("起止年限", "建设年限", "年限"),
            "investment": ("总投资", "投资"),
        }.items()
    }
    width = len(header)
    category = ""
    for row in rows[1:]:
        cells = row.cells + [""] * (width - len(row.cells))

        def cell(key: str, cells: list[str] = cells) -> str:
            i = col[key]
            return cells[i].strip() if i is not None and i < len(cells) else ""

        if not cell("name"):
            plan.warn(WarningCode.UNPLACED_TEXT, f"{appendix} 行缺少项目名称: {' | '.join(row.cells)[:40]}", row.line)
            continue
        category = cell("category") or category  # written only on the first row of its group
        start, end = tables.parse_years(cell("years"))
        plan.projects.append(
            KeyProject(
                number=tables.parse_int(cell("number")),
                category=category,
                unit=cell("unit"),
                name=cell("name"),
                content=cell("content"),
                start_year=start,
                end_year=end,
                investment=tables.parse_amount(cell("investment")),
                line=row.line,
            )
        )


def _read_numbered_rows(plan: ParsedPlan, rows: list[tables.Row], appendix: str, col: Columns) -> None:
    """Rows of a 重点任务分解表 numbered 序号 1, 2, 3: each repeats a task of the body (found by its title, else by its
    number), with the units the table gives it; one the body has not is reported."""
    section = ""
    task_titles = {_title_key(t.title): t for t in plan.tasks}
    above = None  # the body task of the row above, which a row with no number of its own continues
    for row in rows[1:]:
        cells = [c.strip() for c in row.cells]
        filled = [c for c in cells if c]
        if repeats_header(cells, rows[0].cells):
            continue
        if len(filled) == 1 and not cells[0].isdigit():
            section = filled[0]
            continue
        cell = aligner(cells, col)
        # A row under a task's merged cells states a further measure of it in its first cell of its own.
        own = [cell(i) for i in range(col.width) if i not in col.units and i != col.number and cell(i)]
        text = cell(col.task) or (own[0] if own else "")
        title = division_title(cell(col.group)) if col.group is not None and cell(col.group) else division_title(text)
        number = cell(col.number)
        clause = division_clause(row, {i: cell(i) for i in col.units}, col)
        lead_text = "、".join(cell(i) for i, role in col.units.items() if role == "lead" and cell(i))
        units_text = "、".join(cell(i) for i, role in col.units.items() if role != "lead" and cell(i))
        task = task_titles.get(_title_key(title)) or _task_by_position(plan, section, number)
        if task is None and not number and not cell(col.task):
            task = above
        above = task
        if task is None:
            plan.warn(WarningCode.TABLE_DISAGREEMENT, f"{appendix} 的任务“{title}”在正文中找不到对应任务", row.line)
        plan.appendix_rows.append(
            AppendixRow(
                appendix,
                "",
                section,
                number,
                title,
                text,
                lead_text,
                units_text,
                clause.units,
                row.line,
                task.ref if task else None,
            )
        )


def _read_duty_rows(plan: ParsedPlan, rows: list[tables.Row], appendix: str) -> None:
    """Rows of a 重点事项清单: goals with their own units, and tasks that repeat the body."""
    header = rows[0].cells
    col = columns_of(header, rows[1:])
    if col.number is not None and col.task is not None:
        _read_numbered_rows(plan, rows, appendix, col)
        return
    roles = [words.heading_role(cell) for cell in header]
    lead_col = next((i for i, role in enumerate(roles) if role == "lead"), None)
    units_col = next((i for i, role in enumerate(roles) if role in ("responsible", "cooperating")), None)
    # Merged header cells vanish, so the data rows can be wider than the header:
    # align the unit columns on the right.
    group = section = ""
    goal_count = 0
    task_titles = {_title_key(t.title): t for t in plan.tasks}
    for row in rows[1:]:
        cells = row.cells
        if len(cells) == 1:
            group = cells[0]
            continue
        shift = len(cells) - len(header)
        lead_text = cells[lead_col + shift] if lead_col is not None and 0 <= lead_col + shift < len(cells) else ""
        units_text = cells[units_col + shift] if units_col is not None and 0 <= units_col + shift < len(cells) else ""
        leading = [c for c in cells[: min(i for i in (lead_col, units_col) if i is not None) + shift]]
        task_cell = next((c for c in leading if marker(c) and marker(c)[0] in {"ar_dot", "ar_dun"}), None)
        units = _table_units(lead_text, units_text)
        if task_cell:
            heading = next((c for c in leading if c and c != task_cell), "")
            section = heading or section
            _, number, rest = marker(task_cell)
            title = rest.rstrip("。")
            task = task_titles.get(_title_key(title))
            if task is None:
                task = _task_by_position(plan, section, number)
                if task is None:
                    plan.warn(
                        WarningCode.TABLE_DISAGREEMENT, f"{appendix} 的任务“{title}”在正文中找不到对应任务", row.line
                    )
                else:
                    plan.warn(
                        WarningCode.TABLE_DISAGREEMENT,
                        f"{appendix} 写作“{title}”，正文第{task.line}行写作“{task.title}”",
                        row.line,
                    )
            plan.appendix_rows.append(
                AppendixRow(
                    appendix,
                    group,
                    section,
                    number,
                    title,
                    "",
                    lead_text,
                    units_text,
                    units,
                    row.line,
                    task.ref if task else None,
                )
            )
        else:
            goal_count += 1
            title_cell = leading[0] if leading else ""
            text_cell = leading[1] if len(leading) > 1 else ""
            found = marker(title_cell)
            number, title = (found[1], found[2]) if found else ("", title_cell)
            ref = f"{appendix}.目标.{goal_count}"
            plan.appendix_rows.append(
                AppendixRow(appendix, group, "", number, title, text_cell, lead_text, units_text, units, row.line, ref)
            )
            goal_node = next((i for i, n in enumerate(plan.outline) if n.level == 1 and "目标" in n.title), 0)
            goal = ParsedTask(number, title, text_cell, row.line, goal_node, ref, is_goal=True)
            goal.targets = extract_targets(f"{title}。{text_cell}")
            plan.tasks.append(goal)


def _task_by_position(plan: ParsedPlan, section: str, number: str) -> ParsedTask | None:
    """The body task with this number under the section of the same title."""
    found = marker(section)
    section_title = _title_key(found[2] if found else section)
    for task in plan.tasks:
        node = plan.outline[task.outline_index]
        if not task.is_section and task.number == number and _title_key(node.title) == section_title:
            return task
    return None


def _table_units(lead_text: str, units_text: str) -> list[UnitRef]:
    leads = [] if lead_text.strip() in {"", "/", "／", "—", "-", "无"} else split_units(lead_text)
    others = split_units(units_text)
    role = Role.COOPERATING if leads else Role.JOINT
    units = [UnitRef(n, n, Role.LEAD) for n in leads] + [UnitRef(n, n, role) for n in others]
    distribute_each(units)
    return units


def _title_key(title: str) -> str:
    return re.sub(r"[。．.，,\s“”\"]", "", title)
