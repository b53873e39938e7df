"""What the database can hold, checked where a parsed plan comes in: one place, for the command and the web.

A plan read from any file must fit the columns it is stored in. PostgreSQL refuses a value that does not (a
164-character unit name, a 90-character 文号, a target of 10^12), and SQLite stores it past the declared
length, to break a page later. So before anything is stored: what cannot be the plan itself is refused
(PlanFormatError, naming file and line), and what can be left out is, with a warning at its line. Limits are
read from the models, so they follow any change to a column.
"""

from __future__ import annotations

from decimal import Decimal

from agencies.models import Agency

from ..models import KeyProject, Plan, Section, Target, Task
from ..parsing import ParsedPlan, PlanFormatError
from ..parsing.structures import ParseWarning, WarningCode


def _length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


def _largest(model, field: str) -> Decimal:
    """The smallest value a decimal column can no longer hold."""
    column = model._meta.get_field(field)
    return Decimal(10) ** (column.max_digits - column.decimal_places)


def fit(parsed: ParsedPlan, line_of) -> None:
    """Refuse a plan the database cannot store as it is; drop, with a warning, values it cannot hold.

    `line_of(text)` finds the line a value was read from, for the messages.
    """
    if len(parsed.title) > _length(Plan, "title"):
        raise PlanFormatError(
            parsed.source_name,
            f"标题过长（{len(parsed.title)} 字，最多 {_length(Plan, 'title')} 字），不像是方案标题：请检查文件开头。",
            line_of(parsed.title[:40]),
        )

    def warn(message: str, line: int | None) -> None:
        parsed.warnings.append(ParseWarning(WarningCode.OUT_OF_RANGE, message, line, parsed.locate(line)))

    for field, label in (("issuer", "印发机关"), ("doc_number", "文号")):
        value = getattr(parsed, field)
        if len(value) > _length(Plan, field):
            warn(f"{label}过长（{len(value)} 字），未保存：{value[:30]}…", line_of(value[:30]))
            setattr(parsed, field, "")
    for node in parsed.outline:
        for field in ("number", "title"):
            limit, value = _length(Section, field), getattr(node, field)
            if len(value) > limit:
                warn(
                    f"章节{'编号' if field == 'number' else '标题'}过长（{len(value)} 字），只保存前 {limit} 字",
                    node.line,
                )
                setattr(node, field, value[:limit])
    for task in parsed.tasks:
        for field in ("number", "title"):
            limit, value = _length(Task, field), getattr(task, field)
            if len(value) > limit:
                warn(
                    f"任务{'编号' if field == 'number' else '标题'}过长（{len(value)} 字），只保存前 {limit} 字",
                    task.line,
                )
                setattr(task, field, value[:limit])
    longest = _length(Agency, "name")
    for units, line in _unit_lists(parsed):
        for unit in [u for u in units if len(u.name) > longest]:
            units.remove(unit)
            warn(f"单位名称过长（{len(unit.name)} 字，最多 {longest} 字），未作为单位导入：{unit.name[:30]}…", line)
    _fit_numbers(parsed, warn)


def _unit_lists(parsed: ParsedPlan):
    for task in parsed.tasks:
        if task.clause:
            yield task.clause.units, task.clause.line
            yield task.clause.blanket_units, task.clause.line
        yield task.note_units, task.note_source_line or task.line
    for row in parsed.appendix_rows:
        yield row.units, row.line


def _fit_numbers(parsed: ParsedPlan, warn) -> None:
    too_large = _largest(Target, "value")
    for target in [*parsed.goal_targets, *(t for task in parsed.tasks for t in task.targets)]:
        if target.value is not None and abs(target.value) >= too_large:
            warn(f"目标数值过大，只保存原文：{target.text[:40]}", None)
            target.value = None
    too_large = _largest(KeyProject, "investment")
    for project in parsed.projects:
        if project.investment is not None and abs(project.investment) >= too_large:
            warn(f"项目总投资数值过大，未保存：{project.name[:30]}", project.line)
            project.investment = None
