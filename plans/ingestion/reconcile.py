"""Re-ingesting a changed plan text without losing what people decided.

Three readings of a (task ref, agency) pair meet here:

* base: what the plan's previously stored text said (`Plan.source_text`, parsed again with the
  plan's lead convention). Its names are looked up among existing agencies and aliases by exact
  name; nothing is created, and a name that matches nothing simply has no base.
* text: what the new file says (clause, blanket note, appendix table).
* manual: what the database holds where a person decided: a duty whose source is `manual`, or a
  `RemovedDuty` row (the person took the unit off the task).

A decided pair follows the person. When the text changed for that pair between base and new
(the unit was added, dropped, or its role or inferred flag changed) and the new text now says
something other than what the person decided, that is a `Conflict`: the administrator chooses
保留人工修改 (the default, and all the ingest_plans command ever does) or 采用新文本 (the duty
becomes what the text says with a text source, or is deleted when the text drops the unit; a
RemovedDuty is dropped when the text lists the unit again). A pair whose text did not change, or
whose new text agrees with the person, stays as the person left it without asking.

A task gone from the new text goes with it unless a person touched it: duties entered by hand,
agency notes (TaskNote), units removed by hand, a hand-made order of units, or any duty history
with a user on it. Such a task is a `KeptTask`: kept by default, as it was (behind the others,
with all its duties and notes), or deleted with the text if the administrator says so. TaskNotes
are never deleted otherwise.

Tasks are matched by ref and title, so a task added or dropped does not shift the notes and manual
duties of the tasks after it onto other text (see `match_tasks`). A task whose units a person
ordered (`duties_ordered_by_hand`) keeps its duties' positions; units the text adds go after them.
Renamed, split and merged agencies keep every name a plan wrote as a name or an alias, so both
readings find them; without a stored text every decided pair the new text contradicts is a conflict.

Changes made because of an administrator's choice are saved one object at a time, so the duty
history records them with the reason “采用新文本：<file>” and the user.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from agencies.models import Agency, AgencyAlias
from agencies.resolution import AgencyResolver
from lib.history import Change
from lib.naming import normalise

from .. import labels
from ..assignments import Assignments
from ..models import Duty, Plan, RemovedDuty, Task, TaskNote
from ..parsing import ParsedPlan, PlanFormatError, parse_plan
from ..parsing.structures import UnitRef
from ..task_records import people_records


class Choice(StrEnum):
    KEEP = "keep"  # 保留人工修改 / 保留任务
    TAKE = "take"  # 采用新文本
    DELETE = "delete"  # 随新文本删除任务


@dataclass(frozen=True)
class Assignment:
    """A role as a duty holds it: what base, text and manual readings are compared by."""

    role: str
    inferred: bool = False

    @property
    def label(self) -> str:
        return labels.role_label(self.role, self.inferred)


@dataclass
class TextDuty:
    """A duty the text assigns, in the order written."""

    agency: Agency
    unit: UnitRef
    source: str
    position: int

    @property
    def assignment(self) -> Assignment:
        return Assignment(self.unit.role.value, self.unit.inferred)


@dataclass
class Conflict:
    """A pair a person decided whose text changed to say something else."""

    task_id: int
    task_ref: str
    task_heading: str
    line: int | None
    agency_id: int
    agency_name: str
    base: Assignment | None  # what the stored text said
    text: Assignment | None  # what the new text says; None: not listed
    manual: Assignment | None  # what a person decided; None: removed
    removed_role: str | None = None  # the role before a person removed the unit

    @property
    def key(self) -> str:
        return f"duty-{self.task_id}-{self.agency_id}"

    @property
    def text_label(self) -> str:
        return f"文本现为{self.text.label}" if self.text else "文本现已不再列出该单位"

    @property
    def base_label(self) -> str:
        return f"原文本为{self.base.label}" if self.base else "原文本未列出该单位"

    @property
    def manual_label(self) -> str:
        if self.manual:
            return f"人工修改为{self.manual.label}"
        was = f"（原为{labels.role_label(self.removed_role)}）" if self.removed_role else ""
        return f"人工删除了该单位{was}"


@dataclass
class KeptTask:
    """A task gone from the new text that a person touched."""

    task_id: int
    ref: str
    heading: str
    line: int
    reasons: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"task-{self.task_id}"


@dataclass
class Decisions:
    """The administrator's choices by key; anything not chosen keeps the manual side."""

    choices: Mapping[str, str] = field(default_factory=dict)
    user: object = None
    source_name: str = ""
    # Names the text would make new agencies of, mapped by the administrator onto existing ones (agency ids).
    agency_mapping: Mapping[str, int] = field(default_factory=dict)
    # The plan's state (plans.lifecycle) as a person chose it; blank: judged from the dates, or kept.
    state: str = ""

    @property
    def reason(self) -> str:
        return f"采用新文本：{self.source_name}"

    @property
    def mapping_reason(self) -> str:
        return f"上传“{self.source_name}”时对应到本单位"

    @cached_property
    def writer(self) -> Assignments:
        """Writes what the choices change, under the administrator and the reason 采用新文本：<file>."""
        return Assignments(Change(self.user, self.reason))

    def takes(self, conflict: Conflict) -> bool:
        return self.choices.get(conflict.key) == Choice.TAKE

    def deletes(self, kept: KeptTask) -> bool:
        return self.choices.get(kept.key) == Choice.DELETE


# --- What a text assigns --------------------------------------------------------------------------------------------


def all_units(parsed: ParsedPlan) -> Iterable[UnitRef]:
    for task in parsed.tasks:
        if task.clause:
            yield from task.clause.units
        yield from task.note_units
    for row in parsed.appendix_rows:
        yield from row.units


def text_duties(parsed: ParsedPlan, agencies: Mapping[str, Agency]) -> dict[str, list[TextDuty]]:
    """For each task ref, the duties the text assigns, in written order.

    Clause and blanket-note units come first; a goal task takes its appendix row's units; a task
    the appendix also lists gets the table's units the body does not name (source `table`, placed
    after the body's, at 100 on). A name missing from `agencies` is left out (a base reading may
    name units that no longer exist).
    """
    duties: dict[str, list[TextDuty]] = {}
    for task in parsed.tasks:
        rows: list[tuple[UnitRef, str]] = []
        if task.clause:
            rows += [(u, Duty.Source.TEXT) for u in task.clause.units]
        rows += [(u, Duty.Source.NOTE) for u in task.note_units]
        if task.is_goal:
            row = next(r for r in parsed.appendix_rows if r.task_ref == task.ref)
            rows += [(u, Duty.Source.TABLE) for u in row.units]
        # Two spellings of one agency in a clause give one duty, at the first place written.
        first: dict[int, TextDuty] = {}
        for unit, source in rows:
            agency = agencies.get(normalise(unit.name))
            if agency is not None and agency.id not in first:
                first[agency.id] = TextDuty(agency, unit, source, len(first))
        duties[task.ref] = list(first.values())
    extra = 0
    goals = {t.ref for t in parsed.tasks if t.is_goal}
    for row in parsed.appendix_rows:
        if row.task_ref is None or row.task_ref in goals or row.task_ref not in duties:
            continue
        listed = {d.agency.id for d in duties[row.task_ref]}
        for unit in row.units:
            agency = agencies.get(normalise(unit.name))
            if agency is not None and agency.id not in listed:
                listed.add(agency.id)
                duties[row.task_ref].append(TextDuty(agency, unit, Duty.Source.TABLE, 100 + extra))
                extra += 1
    return duties


def assignments(duties: Mapping[str, list[TextDuty]]) -> dict[str, dict[int, Assignment]]:
    return {ref: {d.agency.id: d.assignment for d in rows} for ref, rows in duties.items()}


# --- The base: the stored text read again ----------------------------------------------------------------------------


def parse_stored_text(plan: Plan) -> ParsedPlan | None:
    """The plan's stored text, parsed as it was stored; None when there is none or it no longer parses."""
    if not plan.source_text:
        return None
    try:
        return parse_plan(
            plan.source_text,
            plan.source_name,
            first_listed_leads=plan.lead_convention == Plan.LeadConvention.FIRST_LISTED,
        )
    except PlanFormatError:
        return None


def existing_agencies(resolver: AgencyResolver, names: Iterable[str]) -> dict[str, Agency]:
    """Agencies named or aliased exactly so, in the region each name points at. Creates nothing.

    Every name an earlier ingest read became an agency or an alias, and renaming, splitting and
    merging keep the old names as aliases, so an exact match is what an old name still means.
    """
    regions = {normalise(name): resolver.region_for(name).id for name in names}
    if not regions:
        return {}
    found: dict[tuple[int, str], Agency] = {
        (a.region_id, a.name): a for a in Agency.objects.filter(region_id__in=set(regions.values()), name__in=regions)
    }
    aliases = AgencyAlias.objects.filter(region_id__in=set(regions.values()), name__in=regions).select_related("agency")
    for alias in aliases:
        found.setdefault((alias.region_id, alias.name), alias.agency)
    return {name: found[(rid, name)] for name, rid in regions.items() if (rid, name) in found}


def base_assignments(
    base: ParsedPlan | None, resolver: AgencyResolver, known: Mapping[str, Agency]
) -> dict[str, dict[int, Assignment]] | None:
    """What the stored text assigned; names the new text shares resolve as in the new text."""
    if base is None:
        return None
    names = {normalise(u.name) for u in all_units(base)}
    agencies = {**existing_agencies(resolver, names - set(known)), **{n: a for n, a in known.items() if n in names}}
    return assignments(text_duties(base, agencies))


# --- Which stored task each of the text's tasks continues ------------------------------------------------------------


def match_tasks(existing: Iterable[Task], parsed: ParsedPlan) -> dict[str, Task]:
    """The stored task each task of the new text continues, by the new text's ref.

    Refs are positions (3.2.4), so a task added or dropped renumbers the ones after it. A task is
    matched by ref and title first; then by a title found once on each side (renumbered); then by
    ref alone (its title edited in place). Anything else is new, or gone from the text.
    """
    unmatched = {t.ref: t for t in existing}
    matched: dict[str, Task] = {}
    pending = []
    for p in parsed.tasks:
        task = unmatched.get(p.ref)
        if task is not None and task.title == p.title[:300]:
            matched[p.ref] = unmatched.pop(p.ref)
        else:
            pending.append(p)
    old_titles = Counter(t.title for t in unmatched.values())
    new_titles = Counter(p.title[:300] for p in pending)
    by_title = {t.title: t for t in unmatched.values() if t.title and old_titles[t.title] == 1}
    unplaced = []
    for p in pending:
        task = by_title.get(p.title[:300]) if new_titles[p.title[:300]] == 1 else None
        if task is not None:
            matched[p.ref] = unmatched.pop(task.ref)
        else:
            unplaced.append(p)
    for p in unplaced:
        task = unmatched.pop(p.ref, None)
        if task is not None:
            matched[p.ref] = task
    return matched


# --- Conflicts and kept tasks ----------------------------------------------------------------------------------------


def find_conflicts(
    plan: Plan,
    parsed: ParsedPlan,
    tasks: Mapping[str, Task],
    base: Mapping[str, Mapping[int, Assignment]] | None,
    new: Mapping[str, Mapping[int, Assignment]],
) -> list[Conflict]:
    """Decided pairs on tasks the new text still has, where the text moved away from the person.

    `tasks` maps the new text's refs to the stored tasks they continue (see match_tasks), still
    holding their stored refs.

    Without a base (no stored text) every decided pair whose new text differs from the person's
    decision is a conflict, since nothing shows the text agreed before.
    """
    manual = Duty.objects.filter(task__plan=plan, source=Duty.Source.MANUAL).select_related("agency")
    removed = RemovedDuty.objects.filter(task__plan=plan).select_related("agency")
    decided: dict[tuple[int, int], tuple[Agency, Assignment | None, str | None]] = {}
    for duty in manual:
        decided[(duty.task_id, duty.agency_id)] = (duty.agency, Assignment(duty.role, duty.inferred), None)
    for row in removed:
        decided.setdefault((row.task_id, row.agency_id), (row.agency, None, row.role))
    if not decided:
        return []
    by_task: dict[int, list[tuple[int, tuple[Agency, Assignment | None, str | None]]]] = {}
    for (task_id, agency_id), value in decided.items():
        by_task.setdefault(task_id, []).append((agency_id, value))
    conflicts = []
    for parsed_task in parsed.tasks:
        task = tasks.get(parsed_task.ref)
        if task is None or task.id not in by_task:
            continue
        line = parsed_task.clause.line if parsed_task.clause else parsed_task.line
        heading = Task(ref=parsed_task.ref, number=parsed_task.number, title=parsed_task.title).heading
        for agency_id, (agency, mine, removed_role) in sorted(by_task[task.id], key=lambda i: i[1][0].sort_key):
            text = new.get(parsed_task.ref, {}).get(agency_id)
            # The stored text knew the task by its stored ref, which a renumbering may have changed.
            was = base.get(task.ref, {}).get(agency_id) if base is not None else None
            text_changed = base is None or was != text
            if text_changed and text != mine:
                conflicts.append(
                    Conflict(
                        task.id, parsed_task.ref, heading, line, agency_id, agency.name, was, text, mine, removed_role
                    )
                )
    return conflicts


def find_kept_tasks(gone: list[Task]) -> list[KeptTask]:
    """The tasks among `gone` (no longer in the text) that a person touched, with what he did."""
    if not gone:
        return []
    ids = [t.id for t in gone]
    manual = Counter(Duty.objects.filter(task_id__in=ids, source=Duty.Source.MANUAL).values_list("task_id", flat=True))
    notes = Counter(TaskNote.objects.filter(task_id__in=ids).values_list("task_id", flat=True))
    removed = Counter(RemovedDuty.objects.filter(task_id__in=ids).values_list("task_id", flat=True))
    edited = set(Duty.history.filter(task_id__in=ids, history_user__isnull=False).values_list("task_id", flat=True))
    others = people_records(ids)  # what apps built on plans keep about them (督办 reports …)
    kept = []
    for task in sorted(gone, key=lambda t: t.position):
        reasons = []
        if manual[task.id]:
            reasons.append(f"人工录入的职责 {manual[task.id]} 条")
        if notes[task.id]:
            reasons.append(f"单位备注 {notes[task.id]} 条")
        if removed[task.id]:
            reasons.append(f"人工删除的单位 {removed[task.id]} 个")
        if task.duties_ordered_by_hand:
            reasons.append("人工调整过单位顺序")
        if task.id in edited and not manual[task.id]:
            reasons.append("有人工修改记录")
        reasons += others.get(task.id, [])
        if reasons:
            kept.append(KeptTask(task.id, task.ref, task.heading, task.line, reasons))
    return kept
