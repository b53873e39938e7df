"""A 分工表: a table that holds a plan's duties, one row per task (or per measure of a task), the units in columns
headed 牵头单位 / 配合单位 / 责任单位 / 主责单位 / 指导部门 and the other headings offices use (lib.vocabulary).

Such a table stands in an appendix (附件1 重点任务分工表), in the body of a notice that carries it, or is the whole
file (an .xlsx 分工表, a Word table): whenever the text writes no duty clause, the tables are where the plan's duties
are. Rows come as tables.Row (cells and the line they start on), whatever read them: the flattened text of a Word
export, pipe rows a web page was scraped into, a real Word, HTML or Excel table.

By structure, not position alone:
- the header is the first row (of the first few) that names a unit column and a task column; rows above it are
  the table's title;
- a unit column is known by its heading, and one whose heading says nothing (责任) by its cells naming bodies;
- a row of one cell (一、应对气候变化, （一）…) heads the rows under it;
- a row whose number is blank or repeats the one above (a 序号 merged down) is a further measure of that task;
- merged cells leave a row short: a row that does not begin with a number begins at the task's own column, and
  the cells it lacks are at its end; a row wider than the header (merged header cells) aligns its unit columns on
  the right;
- a cell's lines are its units (区发展改革委 / 区生态环境局), a line that names no body continues onto the next
  (区机关事务管理 / 服务中心) and a branch written under its body stays with it (市规划自然资源委 / 丰台分局);
- a 完成时限 column becomes the task's 完成时限, which 督办 reads as its deadline.
A row that repeats a task of the body gives that task its units; any other row is a task of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lib import vocabulary as words
from lib.naming import looks_like_unit

from . import tables
from .measures import first_sentence
from .structures import Clause, OutlineNode, ParsedPlan, ParsedTask, Role, UnitRef
from .table_cells import NONE, NUMBER, aligner, split_cell

HEADER_ROWS = 6  # a header stands within the table's first rows (a title row or two may come before it)
_SECTION = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）]|第[一二三四五六七八九十]{1,3}[部章])"
)
_DATE = re.compile(r"^\d{4}(?:\s*[—\-－–~至]\s*\d{4})?年(?:\d{1,2}月)?(?:底|前|内|底前)?$")
_TOP_SECTION = re.compile(r"^[一二三四五六七八九十]{1,3}[、.．]")
_ROLES = {
    "lead": Role.LEAD,
    "cooperating": Role.COOPERATING,
}


@dataclass
class Columns:
    """Where a table's fields stand, by the header's cells."""

    width: int
    units: dict[int, str] = field(default_factory=dict)  # column → role (lead, cooperating, responsible, guiding)
    task: int | None = None  # the task's (or measure's) own text
    group: int | None = None  # the task a row's measure belongs to (重点任务 beside 工作措施)
    number: int | None = None
    deadline: int | None = None
    labels: dict[int, str] = field(default_factory=dict)

    @property
    def first_own(self) -> int:
        """The first column a row whose leading merged cells were lost begins at: the task's own text."""
        return self.task if self.task is not None else 0


def _compact(cell: str) -> str:
    return re.sub(r"\s+", "", cell)


def _task_column(cell: str) -> bool:
    # 项目 alone heads the task a block of rows serves (1.做好规划配套 over its measures); 项目名称 is a project list's;
    # 任务分类 heads the sections the rows fall into.
    compact = _compact(cell)
    named = any(name in compact for name in words.TASK_HEADINGS) or compact == "项目"
    return named and not compact.endswith(("分类", "类别"))


# A task's own heading in the column that names the task its rows serve: 1.做好规划配套, （二）完善规章标准.
_GROUP_HEADING = re.compile(
    r"^(?P<n>\d{1,3}|[（(]\d{1,3}[）)]|[（(][一二三四五六七八九十]{1,3}[）)])[.．、]?\s*(?P<title>\S.{1,39})$"
)


def find_header(rows: list[tables.Row]) -> int | None:
    """The index of the header row: the first of the table's first rows that heads a task column and a unit column,
    known by its heading (牵头单位, 责任部门 …) or, where the heading says nothing the vocabulary knows (承担科室), by
    its cells naming bodies."""
    for index, row in enumerate(rows[:HEADER_ROWS]):
        cells = row.cells
        if not any(_task_column(c) for c in cells):
            continue
        if any(words.heading_role(c) for c in cells):
            return index
        data = rows[index + 1 : index + 11]
        if any(c and not _task_column(c) and _names_bodies(i, data) for i, c in enumerate(cells)):
            return index
    return None


def columns_of(header: list[str], data: list[tables.Row]) -> Columns:
    col = Columns(len(header))
    task_like = []
    for i, cell in enumerate(header):
        compact = _compact(cell)
        col.labels[i] = compact
        if role := words.heading_role(cell):
            col.units[i] = role
        elif any(name in compact for name in words.DEADLINE_HEADINGS):
            col.deadline = i
        elif compact in ("序号", "编号", "序", "号") or compact.startswith("序号"):
            col.number = i
        elif _task_column(cell):
            task_like.append(i)
        elif compact and not any(word in compact for word in words.PEOPLE_HEADINGS) and _names_bodies(i, data):
            col.units[i] = "responsible"  # a heading this table alone uses (承担处室): its cells name bodies
    dated = [i for i in task_like if re.match(r"\d{4}年", col.labels[i])]
    if dated and len(dated) < len(task_like):
        task_like = [i for i in task_like if i not in dated]  # 2024年工作任务 is a year's work on the row's task
    if len(task_like) > 1:
        # 重点任务 beside 工作措施: the measure each row states is the task's own text, the other the task it serves;
        # by the heading, else by the longer text in the rows that have every cell.
        measures = [i for i in task_like if any(h in col.labels[i] for h in words.MEASURE_HEADINGS)]
        full = [r for r in data if len(r.cells) == len(header)]
        lengths = {i: sum(len(r.cells[i]) for r in full) for i in task_like}
        col.task = measures[0] if len(measures) == 1 else max(task_like, key=lambda i: lengths[i])
        col.group = next(i for i in task_like if i != col.task)
    elif task_like:
        col.task = task_like[0]
    if col.number is not None and col.group is None:
        # Beside the task's text, the column right after 序号 that holds short names (权力责任名称: 农村公路建设) names
        # each row's task; with no task column at all, it is the task.
        named = col.number + 1
        free = named < len(header) and named not in col.units and named not in (col.task, col.deadline)
        if free and _short_names(named, data):
            col.group, col.task = (named, col.task) if col.task is not None else (None, named)
    if col.group is None and col.task is not None:
        # A column before the task's of numbered names (1、改善城市道路环境 over （1）…（3）) names the task they serve.
        before = [i for i in range(0 if col.number is None else col.number + 1, col.task) if i not in col.units]
        col.group = next((i for i in reversed(before) if _numbered_names(i, data)), None)
    return col


def _numbered_names(column: int, data: list[tables.Row]) -> bool:
    cells = [r.cells[column].strip() for r in data[:30] if column < len(r.cells) and r.cells[column].strip()]
    return len(cells) >= 2 and all(_GROUP_HEADING.match(c) and len(c) <= 30 for c in cells)


def _short_names(column: int, data: list[tables.Row]) -> bool:
    """Whether a column's cells are names: no sentence, most of them short."""
    cells = [r.cells[column].strip() for r in data[:30] if column < len(r.cells) and r.cells[column].strip()]
    short = sum(len(c) <= 20 for c in cells)
    return len(cells) >= 2 and 5 * short >= 4 * len(cells) and not any("。" in c.rstrip("。") for c in cells)


def _names_bodies(column: int, data: list[tables.Row]) -> bool:
    cells = [r.cells[column] for r in data[:30] if column < len(r.cells) and r.cells[column].strip() not in NONE]
    naming = sum(1 for c in cells if (units := split_cell(c)) and all(looks_like_unit(n) for n, _ in units))
    return len(cells) >= 2 and naming * 3 >= len(cells) * 2


def read_division(plan: ParsedPlan, rows: list[tables.Row], name: str, title: str, *, top: bool = False) -> int:
    """The table's rows as the plan's tasks, with the units of each as its duty clause; how many tasks it added.

    `name` keys the tasks (附件1.3, 表1.3); `top`: the table is the plan itself, so its 一、 rows are parts of the
    plan rather than sections under one node for the table.
    """
    start = find_header(rows)
    if start is None:
        return 0
    header, data = rows[start].cells, rows[start + 1 :]
    col = columns_of(header, data)
    by_title = {_key(t.title): t for t in plan.tasks if t.clause is None and t.title}
    part = None
    if not top:
        part = len(plan.outline)
        plan.outline.append(OutlineNode(1, name, title, rows[start].line))
    node = part
    count = 0
    current: ParsedTask | None = None
    current_group = ""  # the 重点任务 the current task's later rows repeat
    measures = 0
    for row in data:
        cells = [c.strip() for c in row.cells]
        filled = [c for c in cells if c]
        if not filled or repeats_header(cells, header):
            continue
        if _section_row(cells, filled, col):
            text = "".join(filled) if len(filled) == 1 else f"{filled[0].rstrip('、.．')}、{filled[1]}"
            filled = [text]
            level = 1 if top and (_TOP_SECTION.match(filled[0]) or part is None) else 2
            if level == 1:
                part = len(plan.outline)
            plan.outline.append(OutlineNode(level, "", filled[0], row.line, parent=None if level == 1 else part))
            node = len(plan.outline) - 1
            current = None
            continue
        cell = aligner(cells, col)
        text = cell(col.task)
        number = cell(col.number)
        if not text and (number or any(cell(i) for i in col.units)):
            # A row whose task cell a merge took away (内容 over several rows; a 2018年 | 教育条线全覆盖 sub-row with
            # units of its own) is named by its own first text after that column that is no date (its 2024年工作任务).
            own = [cell(i) for i in range(col.width) if i > (col.task or 0) and i not in col.units and cell(i)]
            text = next((c for c in own if c != cell(col.deadline) and not _DATE.match(c)), "")
        if not text:
            continue
        group = cell(col.group)
        clause = clause_of(row, {i: cell(i) for i in col.units}, col)
        deadline = cell(col.deadline)
        body = text + (f"\n{col.labels[col.deadline]}：{deadline}" if deadline and col.deadline is not None else "")
        repeats = (
            current is not None and (not number or number == current.number) and (not group or group == current_group)
        )
        if repeats:
            measures += 1
            task = ParsedTask(
                number=f"{current.number}.{measures}" if current.number else "",
                title=title_of(text),
                body=body,
                line=row.line,
                outline_index=current.outline_index,
                ref=f"{current.ref}.{measures}",
                clause=clause,
                parent_ref=current.ref,
            )
            plan.tasks.append(task)
            continue
        heading = _GROUP_HEADING.match(group) if group else None
        task = by_title.get(_key(heading["title"] if heading else title_of(text)))
        if task is not None:
            task.clause = clause  # the body's task, whose units only the table gives
            current, current_group, measures = task, group, 1  # the rows under it are its further measures
            continue
        if node is None:
            # A table with no heading rows: its tasks stand under one node named for it.
            node = part = len(plan.outline)
            plan.outline.append(OutlineNode(1, name if not top else "", title, rows[start].line))
        count += 1
        measures = 1
        if heading:
            # The row opens a numbered task of the table: the task is named by its heading, the row is its text.
            number, group = number or heading["n"], heading["title"]
        current = ParsedTask(
            number=number,
            title=heading["title"] if heading else title_of(text),
            body=(f"{group}。\n" if group and group not in text else "") + body,
            line=row.line,
            outline_index=node,
            ref=f"{name}.{count}",
            clause=clause,
        )
        current_group = group
        plan.tasks.append(current)
    return count


def repeats_header(cells: list[str], header: list[str]) -> bool:
    """The header again, at the top of the table's next page."""
    same = [c for c in cells if c] == [c.strip() for c in header if c.strip()]
    return same and len(header) >= 2


def _section_row(cells: list[str], filled: list[str], col: Columns) -> bool:
    """A row that heads the rows under it: one cell (一、应对气候变化), or a section's numeral and its name (一 |
    推进碳达峰碳中和综合管理) with nothing in the unit columns."""
    if len(filled) == 1:
        return not NUMBER.match(filled[0]) and _is_heading(filled[0], col, cells)
    if len(filled) == 2 and re.fullmatch(r"[一二三四五六七八九十]{1,3}[、.．]?", filled[0]):
        names = split_cell(filled[1])
        return len(filled[1]) <= 40 and not (names and all(looks_like_unit(n) for n, _ in names))
    return False


def _is_heading(text: str, col: Columns, cells: list[str]) -> bool:
    """A row of one cell heads the rows under it, unless that cell is a task's own text in its column."""
    if _SECTION.match(text):
        return True
    at = next(i for i, c in enumerate(cells) if c)
    return len(cells) < col.width or at != col.task or len(text) <= 30


def clause_of(row: tables.Row, texts: dict[int, str], col: Columns) -> Clause:
    written = {i: value for i, value in texts.items() if value.strip() not in NONE}
    kinds = set(col.units.values())
    # 责任单位 beside 配合单位, and no 牵头 column: the table sets the units that answer against those that help, as
    # 「A负责，B配合」 does in a clause, so the answering units lead.
    contrast = "cooperating" in kinds and "lead" not in kinds
    has_lead = any(col.units[i] == "lead" or (contrast and col.units[i] == "responsible") for i in written)
    units: list[UnitRef] = []
    seen: set[str] = set()
    order = sorted(written, key=lambda i: ("lead", "responsible", "guiding", "cooperating").index(col.units[i]))
    for i in order:
        role = _ROLES.get(col.units[i], Role.COOPERATING if has_lead else Role.JOINT)
        if contrast and col.units[i] == "responsible":
            role = Role.LEAD
        for name, as_written in split_cell(written[i]):
            name, marked = _marked(name)
            if name and name not in seen:
                seen.add(name)
                units.append(UnitRef(name, as_written, Role.LEAD if marked else role))
    if any(u.role is Role.LEAD for u in units):
        for unit in units:
            if unit.role is Role.JOINT:
                unit.role = Role.COOPERATING
    text = "；".join(f"{col.labels[i]}：{written[i]}" for i in sorted(written))
    return Clause(text=text, line=row.line, units=units)


def _marked(written: str) -> tuple[str, bool]:
    """A unit with its role written after it (X（牵头）): the name, and whether it is marked as the lead."""
    if m := words.ROLE_MARK.search(written):
        return written[: m.start()].strip(), words.mark_role(m["mark"]) == "lead"
    return written, False


def title_of(text: str) -> str:
    """A row's title: its task cell's short title, or its first sentence; a cell's line breaks joined."""
    text = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text)
    text = re.sub(r"^(?:\d+[.．、]|[（(]\d+[）)])\s*", "", text)
    head = re.split(r"[。\n]", text, maxsplit=1)[0]
    return head.strip() if len(head) <= 60 else first_sentence(text)


def _key(title: str) -> str:
    return re.sub(r"[。．.，,\s“”\"]|^\d+[.．、]", "", title)
