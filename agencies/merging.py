"""What administrators do to agencies: rename, set the kind, keep aliases, split an alias off, merge two.

Each service takes the acting `user` and a free-text `reason`, runs in one
transaction, saves and deletes row by row so that every change has a history
row (who, when, reason), and raises ValidationError with a Chinese message
when a rule forbids the change. The reason recorded starts with the step
(`单位合并：区发改局 并入 区发展和改革局（理由）`), which `agency_history`
at the end of this module reads back to describe the step.

What the ingester relies on: an agency's name and aliases are what
re-ingesting a plan resolves written names against (agencies.resolution), so
a name a plan writes always stays the agency's name or one of its aliases.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from lib.naming import normalise
from plans.editing import BASELINE_REASON, record_baseline
from plans.models import AppendixUnit, Duty, KeyProject, Task

from .models import Agency, AgencyAlias

# The steps, as the recorded reason begins.
RENAME = "单位改名"
SET_KIND = "修改单位类型"
ADD_ALIAS = "新增别名"
REMOVE_ALIAS = "删除别名"
SPLIT = "拆分单位"
MERGE = "单位合并"
STEPS = (RENAME, SET_KIND, ADD_ALIAS, REMOVE_ALIAS, SPLIT, MERGE)

# Which role survives when both agencies of a merge have a duty on one task.
ROLE_STRENGTH = {Duty.Role.LEAD: 2, Duty.Role.JOINT: 1, Duty.Role.COOPERATING: 0}

NAME_MAX_LENGTH = Agency._meta.get_field("name").max_length


def change_reason(step: str, detail: str, reason: str = "") -> str:
    """`单位改名：甲 → 乙（理由）`: the step, what it did, and the person's reason if given."""
    reason = (reason or "").strip()
    return f"{step}：{detail}" + (f"（{reason}）" if reason else "")


def step_of(recorded: str | None) -> str | None:
    """The step a recorded reason starts with (SPLIT, MERGE, ...), or None for other changes."""
    return next((step for step in STEPS if (recorded or "").startswith(f"{step}：")), None)


# --- Rename, kind, aliases ---------------------------------------------------------------------------------------


@transaction.atomic
def rename_agency(agency: Agency, new_name: str, *, user, reason: str = "") -> bool:
    """Rename the agency; False when the name is unchanged.

    The new name must be free in the region: neither another agency's name nor
    another agency's alias. The old name becomes an alias, because plans keep
    writing it and re-ingesting them must still find this agency. Renaming to
    one of the agency's own aliases swaps the two.
    """
    agency = _locked(agency)
    name = clean_name(new_name)
    old = agency.name
    if name == old:
        return False
    own_alias = agency.aliases.filter(name=name).first()
    if own_alias is None:
        _check_free(agency, name)
    taken = AgencyAlias.objects.filter(region=agency.region, name=old).exclude(agency=agency).first()
    if taken is not None:
        raise ValidationError(f"原名称“{old}”已是本地区另一单位的别名，无法保留为本单位的别名，请先处理该别名。")
    why = change_reason(RENAME, f"{old} → {name}", reason)
    if own_alias is not None:
        _delete(own_alias, user, why)
    agency.name = name
    _save(agency, user, why)
    _save(AgencyAlias(agency=agency, name=old), user, why)
    return True


@transaction.atomic
def set_kind(agency: Agency, kind: str, *, user, reason: str = "") -> bool:
    """Set the agency's kind (one of Agency.Kind); False when it is unchanged."""
    if kind not in Agency.Kind.values:
        raise ValidationError("请选择有效的单位类型。")
    agency = _locked(agency)
    if agency.kind == kind:
        return False
    labels = dict(Agency.Kind.choices)
    why = change_reason(SET_KIND, f"{labels[agency.kind]} → {labels[kind]}", reason)
    agency.kind = kind
    _save(agency, user, why)
    return True


@transaction.atomic
def add_alias(agency: Agency, name: str, *, user, reason: str = "") -> AgencyAlias:
    """Give the agency another written form of its name, free in the region like a new name."""
    agency = _locked(agency)
    name = clean_name(name)
    if name == agency.name:
        raise ValidationError(f"“{name}”就是本单位的名称。")
    if agency.aliases.filter(name=name).exists():
        raise ValidationError(f"本单位已有别名“{name}”。")
    _check_free(agency, name)
    alias = AgencyAlias(agency=agency, name=name)
    _save(alias, user, change_reason(ADD_ALIAS, name, reason))
    return alias


@transaction.atomic
def remove_alias(alias: AgencyAlias, *, user, reason: str = "") -> None:
    """Delete an alias. A plan that still writes it will, when re-ingested, match it again or make a new agency."""
    _delete(alias, user, change_reason(REMOVE_ALIAS, alias.name, reason))


def clean_name(name: str) -> str:
    """The name normalised as resolution compares names, or a ValidationError."""
    name = normalise(name or "")
    if not name:
        raise ValidationError("请填写名称。")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(f"名称最多 {NAME_MAX_LENGTH} 字。")
    return name


def _check_free(agency: Agency, name: str) -> None:
    """Refuse a name that another agency of the region already has as its name or an alias."""
    other = Agency.objects.filter(region_id=agency.region_id, name=name).exclude(pk=agency.pk).first()
    if other is not None:
        raise ValidationError(f"本地区已有单位“{name}”。如是同一单位，请用“合并”。")
    alias = (
        AgencyAlias.objects.filter(region_id=agency.region_id, name=name)
        .exclude(agency=agency)
        .select_related("agency")
        .first()
    )
    if alias is not None:
        raise ValidationError(f"“{name}”已是本地区“{alias.agency.name}”的别名。")


# --- Split -------------------------------------------------------------------------------------------------------


@dataclass
class SplitResult:
    agency: Agency
    duties: int
    appendix_units: int
    projects: int


@transaction.atomic
def split_alias(alias: AgencyAlias, *, user, reason: str = "") -> SplitResult:
    """Make alias A of agency X an agency of its own, for when A names a different body.

    The new agency is named A, in X's region, of X's kind; the alias goes. Every
    duty of X written A (as_written, normalised) moves to it, and so do appendix
    units and key projects written A. Moved duties keep their source: the text
    still says A, and A is now the new agency's name, so re-ingesting resolves A
    to it and keeps them there. X keeps its notes, members and removed duties:
    nothing in them says which written form they meant.
    """
    source = _locked(alias.agency)
    name = alias.name
    if Agency.objects.filter(region_id=source.region_id, name=name).exists():
        raise ValidationError(f"本地区已有单位“{name}”。")
    why = change_reason(SPLIT, f"{name} 从 {source.name} 拆分为独立单位", reason)
    _delete(alias, user, why)
    agency = Agency(region=source.region, name=name, kind=source.kind)
    _save(agency, user, why)

    duties = [d for d in source.duties.all() if normalise(d.as_written) == name]
    record_baseline(duties)
    for duty in duties:
        duty.agency = agency
        _save(duty, user, why)
    # Appendix units and projects keep no history: re-ingesting rebuilds them from the text.
    units = [u.pk for u in source.appendix_units.all() if normalise(u.as_written) == name]
    AppendixUnit.objects.filter(pk__in=units).update(agency=agency)
    projects = [p.pk for p in source.projects.all() if normalise(p.unit_as_written) == name]
    KeyProject.objects.filter(pk__in=projects).update(agency=agency)
    return SplitResult(agency, len(duties), len(units), len(projects))


# --- Merge -------------------------------------------------------------------------------------------------------


class Clash:
    """A task on which both agencies have a duty: the target's stays, with the stronger role.

    The roles are read when the clash is found, so it still describes itself after the merge.
    """

    def __init__(self, task: Task, source_duty: Duty, target_duty: Duty):
        self.task, self.source_duty, self.target_duty = task, source_duty, target_duty
        self.source_role, self.target_role = source_duty.role, target_duty.role
        self.changes_role = ROLE_STRENGTH[self.source_role] > ROLE_STRENGTH[self.target_role]
        self.role = self.source_role if self.changes_role else self.target_role
        self.inferred = source_duty.inferred if self.changes_role else target_duty.inferred

    def describe(self, source: Agency, target: Agency) -> str:
        labels = dict(Duty.Role.choices)
        dropped = f"删除{source.name}的“{labels[self.source_role]}”"
        if self.changes_role:
            return (
                f"{self.task.heading}：两单位均有职责，{target.name}的职责由“{labels[self.target_role]}”"
                f"改为“{labels[self.role]}”（取较强者），{dropped}"
            )
        return f"{self.task.heading}：两单位均有职责，保留{target.name}的“{labels[self.role]}”，{dropped}"


@dataclass
class MergePlan:
    """What merging `source` into `target` moves, worked out before anything changes (the merge page shows it)."""

    source: Agency
    target: Agency
    moves: list[Duty] = field(default_factory=list)
    clashes: list[Clash] = field(default_factory=list)
    appendix_units: int = 0
    appendix_clashes: int = 0
    projects: int = 0
    notes_moved: int = 0
    notes_joined: int = 0
    removals_moved: int = 0
    removals_dropped: int = 0
    members: int = 0
    aliases: list[str] = field(default_factory=list)

    def clash_lines(self) -> list[str]:
        return [clash.describe(self.source, self.target) for clash in self.clashes]


def plan_merge(source: Agency, target: Agency) -> MergePlan:
    """Work out a merge of `source` into `target`, or raise ValidationError when it is not allowed."""
    if source.pk == target.pk:
        raise ValidationError("不能把单位并入它自己。")
    if source.region_id != target.region_id:
        raise ValidationError(
            f"只能合并同一行政区的单位：“{source.name}”属于{source.region.full_name}，"
            f"“{target.name}”属于{target.region.full_name}。"
        )
    plan = MergePlan(source, target)
    # order_by() everywhere: the models' default orderings would join tables only to sort.
    target_duties = {d.task_id: d for d in target.duties.order_by()}
    for duty in source.duties.select_related("task").order_by("task__plan_id", "task__position"):
        if duty.task_id in target_duties:
            plan.clashes.append(Clash(duty.task, duty, target_duties[duty.task_id]))
        else:
            plan.moves.append(duty)
    target_rows = set(target.appendix_units.order_by().values_list("row_id", flat=True))
    for row_id in source.appendix_units.order_by().values_list("row_id", flat=True):
        if row_id in target_rows:
            plan.appendix_clashes += 1
        else:
            plan.appendix_units += 1
    plan.projects = source.projects.count()
    target_notes = set(target.task_notes.order_by().values_list("task_id", flat=True))
    for task_id in source.task_notes.order_by().values_list("task_id", flat=True):
        if task_id in target_notes:
            plan.notes_joined += 1
        else:
            plan.notes_moved += 1
    taken = set(target.removed_duties.order_by().values_list("task_id", flat=True)) | set(target_duties)
    taken |= {d.task_id for d in plan.moves}
    for task_id in source.removed_duties.order_by().values_list("task_id", flat=True):
        if task_id in taken:
            plan.removals_dropped += 1
        else:
            plan.removals_moved += 1
    plan.members = source.members.exclude(pk__in=target.members.values("pk")).count()
    plan.aliases = [source.name, *source.aliases.values_list("name", flat=True)]
    return plan


@transaction.atomic
def merge_agencies(source: Agency, target: Agency, *, user, reason: str = "") -> MergePlan:
    """Merge agency `source` (B) into `target` (A), within one region; B is deleted.

    - Every duty of B moves to A. Where A already has a duty on the task, A's
      stays with the stronger role (lead > joint > cooperating; A's when
      equal), B's is deleted, and the plan's `clashes` say so. A role taken
      over from B is a person's change, so that duty's source becomes manual.
    - Appendix units and key projects move likewise (A's unit stays on a clash).
    - Task notes move; on a clash B's note text is appended to A's after a line
      break, and A's contact fields stay unless empty.
    - B's removed duties move, unless A has one on the task or a duty stands
      there; a removal of A's on a task where a duty of B arrives goes.
    - B's members join A's, and B's contact fills A's where A's is empty.
    - B's aliases become A's, and B's name becomes an alias of A, so that
      re-ingesting plans that write B's names finds A.
    Every moved or deleted duty, note and alias and B itself get a history row
    with the reason `单位合并：B 并入 A（reason）`.
    """
    source, target = _locked(source), _locked(target)
    plan = plan_merge(source, target)
    why = change_reason(MERGE, f"{source.name} 并入 {target.name}", reason)

    record_baseline(
        [*plan.moves, *(c.source_duty for c in plan.clashes), *(c.target_duty for c in plan.clashes if c.changes_role)]
    )
    for clash in plan.clashes:
        if clash.changes_role:
            kept = clash.target_duty
            kept.role, kept.inferred, kept.source = clash.role, clash.inferred, Duty.Source.MANUAL
            _save(kept, user, why)
        _delete(clash.source_duty, user, why)
    for duty in plan.moves:
        duty.agency = target
        _save(duty, user, why)

    target_rows = set(target.appendix_units.values_list("row_id", flat=True))
    source.appendix_units.filter(row_id__in=target_rows).delete()
    source.appendix_units.update(agency=target)
    source.projects.update(agency=target)
    _merge_removals(source, target)
    _merge_notes(source, target, user, why)

    target.members.add(*source.members.all())
    if not target.contact_person and not target.contact_phone and (source.contact_person or source.contact_phone):
        target.contact_person, target.contact_phone = source.contact_person, source.contact_phone
        _save(target, user, why)
    for alias in source.aliases.all():
        alias.agency = target
        _save(alias, user, why)
    if not target.aliases.filter(name=source.name).exists():
        _save(AgencyAlias(agency=target, name=source.name), user, why)
    _delete(source, user, why)
    return plan


def _merge_removals(source: Agency, target: Agency) -> None:
    """Removed duties follow the agency, but never beside a duty that now stands on the same task."""
    duty_tasks = set(target.duties.values_list("task_id", flat=True))
    target.removed_duties.filter(task_id__in=duty_tasks).delete()
    taken = duty_tasks | set(target.removed_duties.values_list("task_id", flat=True))
    source.removed_duties.filter(task_id__in=taken).delete()
    source.removed_duties.update(agency=target)


def _merge_notes(source: Agency, target: Agency, user, why: str) -> None:
    target_notes = {n.task_id: n for n in target.task_notes.all()}
    for note in source.task_notes.all():
        kept = target_notes.get(note.task_id)
        if kept is None:
            note.agency = target
            _save(note, user, why)
            continue
        if note.note:
            kept.note = f"{kept.note}\n{note.note}" if kept.note else note.note
        kept.contact_person = kept.contact_person or note.contact_person
        kept.contact_phone = kept.contact_phone or note.contact_phone
        _save(kept, user, why)
        _delete(note, user, why)


# --- Helpers -----------------------------------------------------------------------------------------------------


def _locked(agency: Agency) -> Agency:
    """The agency re-read inside the transaction, locked against a concurrent merge."""
    return Agency.objects.select_for_update(of=("self",)).select_related("region").get(pk=agency.pk)


def _save(obj, user, why: str) -> None:
    obj._history_user = user
    obj._change_reason = why
    obj.save()


def _delete(obj, user, why: str) -> None:
    obj._history_user = user
    obj._change_reason = why
    obj.delete()


# --- Reading the record back -------------------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    """One line of an agency's 变更记录."""

    when: object  # an aware datetime
    user: object | None
    description: str
    reason: str
    url: str = ""
    order: int = 0  # the history row's id: ties within one transaction keep the order of the writes

    @property
    def user_name(self) -> str:
        if self.user is None:
            return ""
        return self.user.get_full_name() or self.user.get_username()


def agency_history(agency_id: int, region_id: int) -> list[HistoryEntry]:
    """The agency's changes, newest first, in a fixed number of queries however long its history.

    From its own history rows (name, kind, contact; created, split off, merged
    away), its aliases' rows (added, removed, split off, merged in, moved), and
    the rows of duties that are or were its own, where a person made the change
    (a user or a reason): added, removed, changed, moved in, moved out.
    """
    own = list(
        Agency.history.filter(id=agency_id).select_related("history_user").order_by("history_date", "history_id")
    )
    aliases = list(
        AgencyAlias.history.filter(id__in=AgencyAlias.history.filter(agency_id=agency_id).values("id"))
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    duties = list(
        Duty.history.filter(id__in=Duty.history.filter(agency_id=agency_id).values("id"))
        .select_related("history_user", "task")
        .order_by("id", "history_date", "history_id")
    )
    reader = _HistoryReader(agency_id, region_id)
    reader.look_up(own, aliases, duties)
    entries = reader.own_entries(own) + reader.alias_entries(aliases) + reader.duty_entries(duties)
    return sorted(entries, key=lambda e: (e.when, e.order), reverse=True)


def _pairs(rows: list, key=lambda row: row.id):
    """(previous row of the same object or None, row) for rows ordered by object, then time."""
    previous = None
    for row in rows:
        yield (previous if previous is not None and key(previous) == key(row) else None), row
        previous = row


class _HistoryReader:
    """Turns history rows into descriptions, looking up the other agencies they mention in one or two queries."""

    kinds = dict(Agency.Kind.choices)
    roles = dict(Duty.Role.choices)

    def __init__(self, agency_id: int, region_id: int):
        self.agency_id = agency_id
        self.region_id = region_id
        self.names: dict[int, tuple[str, str]] = {}  # agency id → (name, url or "" when it is gone)
        self.by_name: dict[str, tuple[str, str]] = {}  # a split-off agency's name → (name, url)
        self.partners: dict[int, int] = {}  # own history row id → the agency split from or merged into

    def look_up(self, own: list, aliases: list, duties: list) -> None:
        ids: set[int] = set()
        for previous, row in _pairs(aliases):
            if previous is not None:
                ids |= {previous.agency_id, row.agency_id}
        for previous, row in _pairs(duties):
            if previous is not None:
                ids |= {previous.agency_id, row.agency_id}
        split_off = [r.name for r in aliases if r.history_type == "-" and step_of(r.history_change_reason) == SPLIT]
        ids |= set(self._find_partners(own).values())
        ids.discard(self.agency_id)
        if not ids and not split_off:
            return
        found = Agency.objects.filter(Q(pk__in=ids) | Q(region_id=self.region_id, name__in=split_off))
        for agency in found.only("pk", "name", "region_id"):
            self.names[agency.pk] = (agency.name, agency.get_absolute_url())
            if agency.region_id == self.region_id:
                self.by_name[agency.name] = self.names[agency.pk]
        gone = ids - set(self.names)
        if gone:
            for row in Agency.history.filter(id__in=gone).order_by("id", "history_date", "history_id"):
                self.names[row.id] = (row.name, "")  # the last row wins: the name it had when it went

    def _find_partners(self, own: list) -> dict[int, int]:
        """For a split-off agency's creation and a merged agency's deletion, the agency on the other side.

        The service wrote the same reason on the alias row it removed (split) or
        added (merge) under the other agency's id: look that row up by name and
        reason, the nearest in time if a reason was ever repeated.
        """
        wanted = {
            row.history_id: row
            for row in own
            if (row.history_type, step_of(row.history_change_reason)) in {("+", SPLIT), ("-", MERGE)}
        }
        if not wanted:
            return self.partners
        candidates = AgencyAlias.history.filter(
            region_id=self.region_id,
            name__in={r.name for r in wanted.values()},
            history_change_reason__in={r.history_change_reason for r in wanted.values()},
        ).exclude(agency_id=self.agency_id)
        candidates = list(candidates.only("agency_id", "name", "history_change_reason", "history_date"))
        for history_id, row in wanted.items():
            matching = [
                c for c in candidates if c.name == row.name and c.history_change_reason == row.history_change_reason
            ]
            if matching:
                nearest = min(matching, key=lambda c: abs(c.history_date - row.history_date))
                self.partners[history_id] = nearest.agency_id
        return self.partners

    def name(self, agency_id: int | None) -> tuple[str, str]:
        return self.names.get(agency_id, ("另一单位", ""))

    def entry(self, row, description: str, url: str = "") -> HistoryEntry:
        return HistoryEntry(
            row.history_date, row.history_user, description, row.history_change_reason or "", url, row.history_id
        )

    def own_entries(self, rows: list) -> list[HistoryEntry]:
        entries = []
        for previous, row in _pairs(rows):
            step = step_of(row.history_change_reason)
            url = ""
            if row.history_type == "+" and step == SPLIT:
                partner, url = self.name(self.partners.get(row.history_id))
                description = f"由 {partner} 的别名拆分设立"
            elif row.history_type == "+":
                description = "新建单位"
            elif row.history_type == "-" and step == MERGE:
                partner, url = self.name(self.partners.get(row.history_id))
                description = f"并入 {partner}"
            elif row.history_type == "-":
                description = "删除单位"
            else:
                description = self._agency_change(previous, row)
            entries.append(self.entry(row, description, url))
        return entries

    def _agency_change(self, previous, row) -> str:
        if previous is None:
            return "修改单位信息"
        changes = []
        if previous.name != row.name:
            changes.append(f"改名 {previous.name}→{row.name}")
        if previous.kind != row.kind:
            changes.append(f"类型 {self.kinds.get(previous.kind, previous.kind)}→{self.kinds.get(row.kind, row.kind)}")
        if (previous.contact_person, previous.contact_phone) != (row.contact_person, row.contact_phone):
            contact = " ".join(filter(None, [row.contact_person, row.contact_phone])) or "（空）"
            changes.append(f"联系人 {contact}")
        return "；".join(changes) or "修改单位信息"

    def alias_entries(self, rows: list) -> list[HistoryEntry]:
        entries = []
        for previous, row in _pairs(rows):
            here = row.agency_id == self.agency_id
            before = previous is not None and previous.agency_id == self.agency_id
            step = step_of(row.history_change_reason)
            url = ""
            if row.history_type == "+":
                if not here:
                    continue
                description = {
                    MERGE: f"并入 {row.name}（其名称成为本单位的别名）",
                    RENAME: f"原名称 {row.name} 保留为别名",
                }.get(step, f"新增别名 {row.name}")
            elif row.history_type == "-":
                if not here:
                    continue
                if step == SPLIT:
                    description = f"拆分出 {row.name}"
                    url = self.by_name.get(row.name, ("", ""))[1]
                elif step == RENAME:
                    description = f"别名 {row.name} 改作正式名称"
                else:
                    description = f"删除别名 {row.name}"
            elif here and previous is not None and not before:
                other, url = self.name(previous.agency_id)
                description = f"别名 {row.name} 随合并转入（原属 {other}）"
            elif before and not here:
                other, url = self.name(row.agency_id)
                description = f"别名 {row.name} 转给 {other}"
            elif here:
                renamed = previous is not None and previous.name != row.name
                description = f"别名 {previous.name}→{row.name}" if renamed else f"修改别名 {row.name}"
            else:
                continue
            entries.append(self.entry(row, description, url))
        return entries

    def duty_entries(self, rows: list) -> list[HistoryEntry]:
        entries = []
        for previous, row in _pairs(rows):
            if row.history_change_reason == BASELINE_REASON or not (row.history_user_id or row.history_change_reason):
                continue  # how an import left it, kept only as the "before" of the next row
            here = row.agency_id == self.agency_id
            before = previous is not None and previous.agency_id == self.agency_id
            if not (here or before):
                continue
            task = _task_label(row.task)
            if row.history_type == "+":
                description = f"{task} 新增职责（{self._role(row)}）"
            elif row.history_type == "-":
                description = f"{task} 删除职责（{self._role(row)}）"
            elif here and previous is not None and not before:
                description = f"{task} 的职责移入（自 {self.name(previous.agency_id)[0]}）"
            elif here and previous is None and step_of(row.history_change_reason) in (SPLIT, MERGE):
                description = f"{task} 的职责移入"
            elif before and not here:
                description = f"{task} 的职责移出（至 {self.name(row.agency_id)[0]}）"
            elif previous is not None and self._role(previous) != self._role(row):
                description = f"{task} 的职责 {self._role(previous)}→{self._role(row)}"
            else:
                description = f"{task} 的职责修改（{self._role(row)}）"
            entries.append(self.entry(row, description, row.task.get_absolute_url() if row.task else ""))
        return entries

    def _role(self, row) -> str:
        return self.roles.get(row.role, row.role) + ("（推定）" if row.inferred else "")


def _task_label(task: Task | None) -> str:
    if task is None:
        return "任务（已删除）"
    heading = task.heading
    return f"任务 {heading[:40]}…" if len(heading) > 41 else f"任务 {heading}"
