"""Storing a parsed plan: upserts on natural keys, one transaction per plan.

Re-ingesting the same file changes nothing. Re-ingesting a changed file
updates what came from the text and keeps what people entered: duties whose
source is `manual` are never touched, a duty a person removed (RemovedDuty)
is not brought back, and a task that disappeared from the text is kept while
it still carries manual duties.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from agencies.models import Agency
from agencies.naming import normalise
from agencies.resolution import AgencyResolver, PlanRegionNotFound, region_for_title

from .models import (
    AppendixRow,
    AppendixUnit,
    Duty,
    IngestWarning,
    KeyProject,
    Plan,
    RemovedDuty,
    Section,
    Target,
    Task,
)
from .parsing import ParsedPlan, PlanFormatError, parse_plan
from .parsing.structures import ParseWarning, UnitRef, WarningCode

PLAN_SUFFIXES = {".txt", ".text"}


@dataclass
class IngestResult:
    source_name: str
    status: str  # created | updated | unchanged
    plan: Plan | None = None
    tasks: int = 0
    duties: int = 0
    agencies_created: list[str] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)


class _DryRun(Exception):
    def __init__(self, result: IngestResult):
        self.result = result


def plan_files(paths: list[str | Path]) -> list[Path]:
    """The plan files named, folders expanded to their .txt files in name order."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in PLAN_SUFFIXES)
        elif path.is_file():
            files.append(path)
        else:
            raise PlanFormatError(str(path), "文件不存在（no such file or folder）")
    return files


def ingest_file(path: Path, *, dry_run: bool = False, lead_convention: str | None = None) -> IngestResult:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlanFormatError(path.name, f"无法读取文件（cannot read the file: {exc.strerror}）") from exc
    return ingest_bytes(data, path.name, dry_run=dry_run, lead_convention=lead_convention)


def ingest_bytes(
    data: bytes, source_name: str, *, dry_run: bool = False, lead_convention: str | None = None
) -> IngestResult:
    """Parse and store one plan. Raises PlanFormatError and leaves the database as it was."""
    checksum = hashlib.sha256(data).hexdigest()
    convention = lead_convention or Plan.LeadConvention.STATED
    if convention not in Plan.LeadConvention.values:
        raise ValueError(f"unknown lead convention {convention!r}; use one of {Plan.LeadConvention.values}")
    # The same bytes parse the same way: skip parsing when this exact file is already stored.
    same_file = Plan.objects.filter(checksum=checksum, lead_convention=convention).first()
    if same_file:
        return _unchanged(same_file, source_name)
    parsed = parse_plan(data, source_name, first_listed_leads=convention == Plan.LeadConvention.FIRST_LISTED)
    try:
        region = region_for_title(parsed.region_name, parsed.title)
    except PlanRegionNotFound as exc:
        raise PlanFormatError(source_name, str(exc), _line_of(parsed.text, parsed.title)) from exc

    existing = Plan.objects.filter(region=region, title=parsed.title, is_draft=parsed.is_draft).first()
    try:
        with transaction.atomic():
            result = _store(parsed, region, existing, checksum, convention)
            if dry_run:
                raise _DryRun(result)
    except _DryRun as rolled_back:
        return rolled_back.result
    return result


def _unchanged(plan: Plan, source_name: str) -> IngestResult:
    stored = [ParseWarning(WarningCode(w.code), w.message, w.line) for w in plan.warnings.order_by("position")]
    tasks, duties = plan.tasks.count(), Duty.objects.in_plan(plan).count()
    return IngestResult(source_name, "unchanged", plan, tasks, duties, warnings=stored)


def _store(parsed: ParsedPlan, region, plan: Plan | None, checksum: str, convention: str) -> IngestResult:
    status = "updated" if plan else "created"
    plan = plan or Plan(region=region, title=parsed.title, is_draft=parsed.is_draft)
    plan.issuer = parsed.issuer
    plan.doc_number = parsed.doc_number
    plan.issued_on = parsed.issued_on
    plan.lead_convention = convention
    plan.source_name = parsed.source_name
    plan.checksum = checksum
    plan.source_text = parsed.text
    plan.save()

    resolver = AgencyResolver(region)
    resolution = resolver.resolve([u.name for u in _all_units(parsed)])
    agencies = resolution.agencies
    warnings = list(parsed.warnings)
    for variant, agency in resolution.aliased:
        warnings.append(
            ParseWarning(
                WarningCode.ALIAS_MATCHED, f"“{variant}”按别名归入“{agency.name}”", _line_of(parsed.text, variant)
            )
        )
    for name in resolution.unknown:
        warnings.append(
            ParseWarning(WarningCode.UNKNOWN_UNIT, f"“{name}”不像单位名称，请核对", _line_of(parsed.text, name))
        )

    sections = _store_outline(plan, parsed)
    tasks = _store_tasks(plan, parsed, sections)
    duty_count = _store_duties(plan, parsed, tasks, agencies)
    warnings += _store_appendix(plan, parsed, tasks, agencies)
    _store_targets(plan, parsed, tasks)
    _store_projects(plan, parsed, agencies)

    IngestWarning.objects.filter(plan=plan).delete()
    IngestWarning.objects.bulk_create(
        IngestWarning(plan=plan, code=w.code.value, message=w.message, line=w.line, position=i)
        for i, w in enumerate(warnings)
    )
    return IngestResult(
        parsed.source_name,
        status,
        plan,
        tasks=len(tasks),
        duties=duty_count,
        agencies_created=[a.full_name for a in resolution.created],
        warnings=warnings,
    )


def _all_units(parsed: ParsedPlan):
    for task in parsed.tasks:
        if task.clause:
            yield from task.clause.units
        yield from task.note_units
    for row in parsed.appendix_rows:
        yield from row.units


def _store_outline(plan: Plan, parsed: ParsedPlan) -> list[Section]:
    """Sections by position: updated in place so tasks keep pointing at them."""
    existing = {s.position: s for s in plan.sections.all()}
    sections: list[Section] = []
    for position, node in enumerate(parsed.outline):
        section = existing.pop(position, None) or Section(plan=plan, position=position)
        section.parent = sections[node.parent] if node.parent is not None else None
        section.level = node.level
        section.number = node.number
        section.title = node.title
        section.body = node.body
        section.line = node.line
        section.save()
        sections.append(section)
    stale = list(existing.values())
    if stale:
        # Tasks kept for their manual duties move to the last section rather than vanish.
        Task.objects.filter(section__in=stale).update(section=sections[-1])
        Section.objects.filter(id__in=[s.id for s in stale]).delete()
    return sections


def _store_tasks(plan: Plan, parsed: ParsedPlan, sections: list[Section]) -> dict[str, Task]:
    existing = {t.ref: t for t in plan.tasks.all()}
    tasks: dict[str, Task] = {}
    new: list[Task] = []
    changed: list[Task] = []
    fields = [
        "section",
        "kind",
        "number",
        "title",
        "body",
        "is_section",
        "clause_text",
        "clause_note",
        "position",
        "line",
    ]
    for position, parsed_task in enumerate(parsed.tasks):
        task = existing.pop(parsed_task.ref, None) or Task(plan=plan, ref=parsed_task.ref)
        values = {
            "section": sections[parsed_task.outline_index],
            "kind": Task.Kind.GOAL if parsed_task.is_goal else Task.Kind.TASK,
            "number": parsed_task.number,
            "title": parsed_task.title[:300],
            "body": parsed_task.body,
            "is_section": parsed_task.is_section,
            "clause_text": parsed_task.clause.text if parsed_task.clause else "",
            "clause_note": parsed_task.clause.note if parsed_task.clause else "",
            "position": position,
            "line": parsed_task.line,
        }
        dirty = task.pk is None or any(getattr(task, k) != v for k, v in values.items())
        for key, value in values.items():
            setattr(task, key, value)
        if task.pk is None:
            new.append(task)
        elif dirty:
            changed.append(task)
        tasks[parsed_task.ref] = task
    Task.objects.bulk_create(new)
    Task.objects.bulk_update(changed, fields)
    # A task gone from the text goes, unless someone entered duties on it by hand.
    gone = [t for t in existing.values() if not t.duties.filter(source=Duty.Source.MANUAL).exists()]
    Task.objects.filter(id__in=[t.id for t in gone]).delete()
    return tasks


def _desired_duties(parsed: ParsedPlan, agencies: dict[str, Agency]) -> dict[str, list[tuple[Agency, UnitRef, str]]]:
    """For each task ref, the (agency, unit, source) the text assigns, in written order."""
    desired: dict[str, list[tuple[Agency, UnitRef, str]]] = {}
    for task in parsed.tasks:
        rows = []
        if task.clause:
            rows += [(agencies[normalise(u.name)], u, Duty.Source.TEXT) for u in task.clause.units]
        rows += [(agencies[normalise(u.name)], u, Duty.Source.NOTE) for u in task.note_units]
        if task.is_goal:
            row = next(r for r in parsed.appendix_rows if r.task_ref == task.ref)
            rows += [(agencies[normalise(u.name)], u, Duty.Source.TABLE) for u in row.units]
        # Two spellings of one agency in a clause give one duty, at the first place written.
        first: dict[int, tuple[Agency, UnitRef, str]] = {}
        for row in rows:
            first.setdefault(row[0].id, row)
        desired[task.ref] = list(first.values())
    return desired


def _store_duties(plan: Plan, parsed: ParsedPlan, tasks: dict[str, Task], agencies: dict[str, Agency]) -> int:
    existing: dict[tuple[int, int], Duty] = {(d.task_id, d.agency_id): d for d in Duty.objects.filter(task__plan=plan)}
    removed = set(RemovedDuty.objects.filter(task__plan=plan).values_list("task_id", "agency_id"))
    new: list[Duty] = []
    changed: list[Duty] = []
    keep: set[int] = set()
    for ref, rows in _desired_duties(parsed, agencies).items():
        task = tasks[ref]
        for position, (agency, unit, source) in enumerate(rows):
            if (task.id, agency.id) in removed:
                continue  # a person took this unit off the task
            duty = existing.get((task.id, agency.id))
            if duty is not None and duty.source == Duty.Source.MANUAL:
                keep.add(duty.id)  # what a person entered wins over the text
                continue
            values = {
                "role": unit.role.value,
                "inferred": unit.inferred,
                "as_written": unit.as_written[:200],
                "source": source,
                "position": position,
            }
            if duty is None:
                new.append(Duty(task=task, agency=agency, **values))
                continue
            keep.add(duty.id)
            if any(getattr(duty, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(duty, key, value)
                changed.append(duty)
    Duty.objects.bulk_create(new)
    Duty.objects.bulk_update(changed, ["role", "inferred", "as_written", "source", "position"])
    stale = [d.id for d in existing.values() if d.id not in keep and d.source != Duty.Source.MANUAL]
    Duty.objects.filter(id__in=stale).delete()
    return Duty.objects.filter(task__plan=plan).count()


def _store_appendix(
    plan: Plan, parsed: ParsedPlan, tasks: dict[str, Task], agencies: dict[str, Agency]
) -> list[ParseWarning]:
    """Appendix rows keep their own reading; where they differ from the body, say so.

    A unit the table names and the body does not also gets a duty (source
    `table`), so the agency sees the task in its list.
    """
    plan.appendix_rows.all().delete()
    warnings: list[ParseWarning] = []
    text_duties: dict[int, dict[int, str]] = {}
    for duty in Duty.objects.filter(task__plan=plan).exclude(source=Duty.Source.TABLE):
        text_duties.setdefault(duty.task_id, {})[duty.agency_id] = duty.role
    extra: list[Duty] = []
    by_id = {a.id: a for a in agencies.values()}
    for position, parsed_row in enumerate(parsed.appendix_rows):
        task = tasks.get(parsed_row.task_ref) if parsed_row.task_ref else None
        row = AppendixRow.objects.create(
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
        table: dict[int, str] = {}
        units = []
        for order, unit in enumerate(parsed_row.units):
            agency = agencies[normalise(unit.name)]
            if agency.id in table:
                continue
            table[agency.id] = unit.role.value
            units.append(
                AppendixUnit(row=row, agency=agency, role=unit.role.value, as_written=unit.as_written, position=order)
            )
        AppendixUnit.objects.bulk_create(units)
        if task is None or task.kind == Task.Kind.GOAL:
            continue
        body = text_duties.get(task.id, {})
        differences = _differences(body, table, by_id)
        if differences:
            row.disagrees = True
            row.save(update_fields=["disagrees"])
            warnings.append(
                ParseWarning(
                    WarningCode.TABLE_DISAGREEMENT,
                    f"{parsed_row.appendix}“{parsed_row.title}”与正文第{task.line}行不一致：" + "；".join(differences),
                    parsed_row.line,
                )
            )
        for agency_id, role in table.items():
            if agency_id not in body:
                extra.append(
                    Duty(
                        task=task,
                        agency_id=agency_id,
                        role=role,
                        source=Duty.Source.TABLE,
                        as_written=next(u.as_written for u in units if u.agency_id == agency_id),
                        position=100 + len(extra),
                    )
                )
    # Earlier table-only duties were cleared with the other stale duties in _store_duties.
    Duty.objects.bulk_create(extra)
    return warnings


def _differences(body: dict[int, str], table: dict[int, str], agencies: dict[int, Agency]) -> list[str]:
    labels = dict(Duty.Role.choices)
    out = []
    for agency_id, role in table.items():
        name = agencies[agency_id].name
        if agency_id not in body:
            out.append(f"附件列有“{name}”（{labels[role]}），正文未列")
        elif body[agency_id] != role:
            out.append(f"“{name}”附件为{labels[role]}，正文为{labels[body[agency_id]]}")
    for agency_id, role in body.items():
        if agency_id not in table:
            out.append(f"正文列有“{agencies[agency_id].name}”（{labels[role]}），附件未列")
    return out


def _store_targets(plan: Plan, parsed: ParsedPlan, tasks: dict[str, Task]) -> None:
    plan.targets.all().delete()
    rows = [(None, t) for t in parsed.goal_targets]
    rows += [(tasks[task.ref], t) for task in parsed.tasks for t in task.targets]
    Target.objects.bulk_create(
        Target(
            plan=plan,
            task=task,
            label=t.label[:40],
            year=t.year,
            text=t.text,
            value=t.value,
            unit=t.unit[:20],
            position=i,
        )
        for i, (task, t) in enumerate(rows)
    )


def _store_projects(plan: Plan, parsed: ParsedPlan, agencies: dict[str, Agency]) -> None:
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


def _line_of(text: str, needle: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None
