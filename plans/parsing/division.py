"""A 分工表 that holds a plan's duties: when the body writes no duty clause, the appendix table is where the units
are, one row per task, in columns such as 牵头单位 / 配合单位 / 责任单位 / 指导部门.

Rows come as tables.Row (cells and the line they start on), whatever read them: the flattened text of a Word
export (tables.read_rows) or a real table. Columns are found by their header names, never by position alone;
merged cells leave a row shorter or wider than the header, so unit columns are aligned on the right. A row
with a single cell names the group of the rows under it. A row that repeats a task of the body gives that task
its units; any other row is a task of its own under the appendix.
"""

from __future__ import annotations

import re

from . import tables
from .measures import first_sentence
from .structures import Clause, OutlineNode, ParsedPlan, ParsedTask, Role, UnitRef
from .units import read_units

COLUMNS = {
    "lead": ("牵头单位", "牵头部门"),
    "cooperating": ("配合单位", "配合部门", "协办单位", "参与单位", "协助单位"),
    "responsible": ("责任单位", "责任部门", "主责单位", "实施单位"),
    "guiding": ("指导部门", "指导单位"),
}
TASK_COLUMNS = (
    "重点任务",
    "主要任务",
    "工作任务",
    "任务内容",
    "工作内容",
    "具体措施",
    "工作措施",
    "任务",
    "事项",
    "内容",
)
NONE = {"", "/", "／", "—", "-", "无"}


def is_division_table(header: list[str]) -> bool:
    """A table with a column of units and a column of tasks."""
    units = any(tables.header_index(header, *names) is not None for names in COLUMNS.values())
    return units and tables.header_index(header, *TASK_COLUMNS) is not None


def read_division(plan: ParsedPlan, rows: list[tables.Row], appendix: str, title: str) -> None:
    """The table's rows as the plan's tasks, with the units of each as its duty clause."""
    header = rows[0].cells
    col = {key: tables.header_index(header, *names) for key, names in COLUMNS.items()}
    col["task"] = tables.header_index(header, *TASK_COLUMNS)
    col["number"] = tables.header_index(header, "序号", "编号")
    labels = {key: header[i] for key, i in col.items() if i is not None}
    by_title = {_key(t.title): t for t in plan.tasks if t.clause is None and t.title}
    part = len(plan.outline)
    plan.outline.append(OutlineNode(1, appendix, title, rows[0].line))
    node = part
    count = 0
    for row in rows[1:]:
        cells = row.cells
        if len([c for c in cells if c.strip()]) == 1 and len(cells) < len(header):
            plan.outline.append(OutlineNode(2, "", cells[0].strip(), row.line, parent=part))
            node = len(plan.outline) - 1
            continue
        shift = len(cells) - len(header)

        def cell(key: str, cells: list[str] = cells, shift: int = shift) -> str:
            i = col[key]
            if i is None:
                return ""
            # The task and its number are at the left; what merged cells drop comes off the right side's count.
            at = i if key in ("task", "number") else i + shift
            return cells[at].strip() if 0 <= at < len(cells) else ""

        text = cell("task")
        if not text:
            continue
        clause = _clause(row, {key: cell(key) for key in COLUMNS}, labels)
        task = by_title.get(_key(_title(text)))
        if task is not None:
            task.clause = clause  # the body's task, whose units only the table gives
            continue
        count += 1
        plan.tasks.append(
            ParsedTask(
                number=cell("number"),
                title=_title(text),
                body=text,
                line=row.line,
                outline_index=node,
                ref=f"{appendix}.{count}",
                clause=clause,
            )
        )


def _clause(row: tables.Row, texts: dict[str, str], labels: dict[str, str]) -> Clause:
    written = {key: value for key, value in texts.items() if value not in NONE}
    has_lead = "lead" in written
    roles = {
        "lead": Role.LEAD,
        "cooperating": Role.COOPERATING,
        # Units responsible or guiding beside a lead help it; without one they answer jointly.
        "responsible": Role.COOPERATING if has_lead else Role.JOINT,
        "guiding": Role.COOPERATING if has_lead else Role.JOINT,
    }
    units: list[UnitRef] = []
    seen: set[str] = set()
    for key in ("lead", "responsible", "guiding", "cooperating"):
        for name, as_written in read_units(re.sub(r"[，,；;\n]", "、", written.get(key, ""))):
            if name not in seen:
                seen.add(name)
                units.append(UnitRef(name, as_written, roles[key]))
    text = "；".join(f"{labels[key]}：{value}" for key, value in written.items())
    return Clause(text=text, line=row.line, units=units)


def _title(text: str) -> str:
    text = re.sub(r"^(?:\d+[.．、]|[（(]\d+[）)])\s*", "", text)
    head, _, _ = text.partition("。")
    return head.strip() if len(head) <= 60 else first_sentence(text)


def _key(title: str) -> str:
    return re.sub(r"[。．.，,\s“”\"]|^\d+[.．、]", "", title)
