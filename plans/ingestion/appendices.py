"""Storing what a plan's appendices hold: 重点事项清单 rows beside the body's tasks, and 重点项目清单 projects."""

from __future__ import annotations

from agencies.models import Agency
from lib.naming import normalise

from .. import labels
from ..models import AppendixRow, AppendixUnit, Duty, KeyProject, Plan, Task
from ..parsing import ParsedPlan
from ..parsing.structures import ParseWarning, WarningCode


def store_appendix(
    plan: Plan, parsed: ParsedPlan, tasks: dict[str, Task], agencies: dict[str, Agency], desired
) -> list[ParseWarning]:
    """Appendix rows keep their own reading; where they differ from the body, say so.

    The table's units the body does not name are duties already (see reingest.text_duties), so
    the agency sees the task in its list.
    """
    plan.appendix_rows.all().delete()
    warnings: list[ParseWarning] = []
    by_id = {a.id: a for a in agencies.values()}
    # Rows and their units in two statements whatever the table's length: the units once the rows have ids.
    rows: list[AppendixRow] = []
    units: list[AppendixUnit] = []
    for position, parsed_row in enumerate(parsed.appendix_rows):
        task = tasks.get(parsed_row.task_ref) if parsed_row.task_ref else None
        row = AppendixRow(
            plan=plan,
            task=task,
            appendix=parsed_row.appendix,
            kind=AppendixRow.Kind.GOAL if task and task.kind == Task.Kind.GOAL else AppendixRow.Kind.TASK,
            group=parsed_row.group[:100],
            section=parsed_row.section[:200],
            number=parsed_row.number[:20],
            title=parsed_row.title[:300],
            text=parsed_row.text,
            lead_text=parsed_row.lead_text,
            units_text=parsed_row.units_text,
            position=position,
            line=parsed_row.line,
        )
        rows.append(row)
        table: dict[int, str] = {}
        for order, unit in enumerate(parsed_row.units):
            agency = agencies[normalise(unit.name)]
            if agency.id in table:
                continue
            table[agency.id] = unit.role.value
            units.append(
                AppendixUnit(row=row, agency=agency, role=unit.role.value, as_written=unit.as_written, position=order)
            )
        if task is None or task.kind == Task.Kind.GOAL:
            continue
        # The body as the text writes it: what people changed is not the text's disagreement.
        body = {d.agency.id: d.unit.role.value for d in desired[task.ref] if d.source != Duty.Source.TABLE}
        differences = _differences(body, table, by_id)
        if differences:
            row.disagrees = True
            warnings.append(
                ParseWarning(
                    WarningCode.TABLE_DISAGREEMENT,
                    f"{parsed_row.appendix}“{parsed_row.title}”与正文第{task.line}行不一致：" + "；".join(differences),
                    parsed_row.line,
                )
            )
    AppendixRow.objects.bulk_create(rows)
    AppendixUnit.objects.bulk_create(units)
    return warnings


def _differences(body: dict[int, str], table: dict[int, str], agencies: dict[int, Agency]) -> list[str]:
    role_labels = labels.ROLES
    out = []
    for agency_id, role in table.items():
        name = agencies[agency_id].name
        if agency_id not in body:
            out.append(f"附件列有“{name}”（{role_labels[role]}），正文未列")
        elif body[agency_id] != role:
            out.append(f"“{name}”附件为{role_labels[role]}，正文为{role_labels[body[agency_id]]}")
    for agency_id, role in body.items():
        if agency_id not in table:
            out.append(f"正文列有“{agencies[agency_id].name}”（{role_labels[role]}），附件未列")
    return out


def store_projects(plan: Plan, parsed: ParsedPlan, agencies: dict[str, Agency]) -> None:
    plan.projects.all().delete()
    KeyProject.objects.bulk_create(
        KeyProject(
            plan=plan,
            # Only a unit the plan's clauses also name is linked; companies stay as written.
            agency=agencies.get(normalise(p.unit)) if p.unit else None,
            number=p.number,
            category=p.category[:100],
            unit_as_written=p.unit[:200],
            name=p.name[:300],
            content=p.content,
            start_year=p.start_year,
            end_year=p.end_year,
            investment=p.investment,
            position=i,
            line=p.line,
        )
        for i, p in enumerate(parsed.projects)
    )
