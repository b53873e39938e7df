"""What administrators do to agencies: rename, set the kind, keep aliases, split an alias off, merge two.

Each service takes the acting `user` and a free-text `reason`, runs in one
transaction, saves and deletes row by row through a `Change`, so that every
change has a history row (who, when, reason), and raises ValidationError with
a Chinese message when a rule forbids the change. The reason recorded starts
with the step (`单位合并：区发改局 并入 区发展和改革局（理由）`), which the
agency's 变更记录 (agencies.history) reads back to describe the step.

Rows other apps keep about agencies (duties, notes, …) move with a split or a
merge through the registered dependants (agencies.dependants).

What the ingester relies on: an agency's name and aliases are what
re-ingesting a plan resolves written names against (agencies.resolution), so
a name a plan writes always stays the agency's name or one of its aliases.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from fragments import versions
from lib.history import Change
from lib.naming import normalise

from .dependants import MergePart, dependants
from .models import Agency, AgencyAlias

# The steps, as the recorded reason begins.
RENAME = "单位改名"
SET_KIND = "修改单位类型"
ADD_ALIAS = "新增别名"
REMOVE_ALIAS = "删除别名"
SPLIT = "拆分单位"
MERGE = "单位合并"
STEPS = (RENAME, SET_KIND, ADD_ALIAS, REMOVE_ALIAS, SPLIT, MERGE)

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
    change = Change(user, change_reason(RENAME, f"{old} → {name}", reason))
    if own_alias is not None:
        change.delete(own_alias)
    agency.name = name
    change.save(agency)
    change.save(AgencyAlias(agency=agency, name=old))
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
    agency.kind, before = kind, agency.kind
    Change(user, change_reason(SET_KIND, f"{labels[before]} → {labels[kind]}", reason)).save(agency)
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
    return Change(user, change_reason(ADD_ALIAS, name, reason)).save(AgencyAlias(agency=agency, name=name))


@transaction.atomic
def remove_alias(alias: AgencyAlias, *, user, reason: str = "") -> None:
    """Delete an alias. A plan that still writes it will, when re-ingested, match it again or make a new agency."""
    _locked(alias.agency)
    Change(user, change_reason(REMOVE_ALIAS, alias.name, reason)).delete(alias)


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
    moved: dict[str, int]  # how many rows moved, by what they are (职责, 附件清单单位, …)


@transaction.atomic
def split_alias(alias: AgencyAlias, *, user, reason: str = "") -> SplitResult:
    """Make alias A of agency X an agency of its own, for when A names a different body.

    The new agency is named A, in X's region, of X's kind; the alias goes.
    Every row of X written A moves to it (duties, appendix units and key
    projects: see the dependants), and re-ingesting resolves A to it and keeps
    them there. X keeps its notes, members and removed duties: nothing in them
    says which written form they meant.
    """
    _lock_dependants([alias.agency])
    source = _locked(alias.agency)
    name = alias.name
    if Agency.objects.filter(region_id=source.region_id, name=name).exists():
        raise ValidationError(f"本地区已有单位“{name}”。")
    change = Change(user, change_reason(SPLIT, f"{name} 从 {source.name} 拆分为独立单位", reason))
    change.delete(alias)
    agency = change.save(Agency(region=source.region, name=name, kind=source.kind))
    moved: dict[str, int] = {}
    for dependant in dependants():
        moved.update(dependant.split(source, agency, name, change))
    return SplitResult(agency, moved)


# --- Merge -------------------------------------------------------------------------------------------------------


@dataclass
class MergePlan:
    """What merging `source` into `target` moves, worked out before anything changes (the merge page shows it)."""

    source: Agency
    target: Agency
    parts: list[MergePart] = field(default_factory=list)
    members: int = 0
    aliases: list[str] = field(default_factory=list)

    def part(self, key: str):
        """The data of the dependant part called `key`: plan.part("plans").moves."""
        return next(part.data for part in self.parts if part.key == key)

    @property
    def rows(self) -> list[tuple[str, str, str]]:
        return [row for part in self.parts for row in part.rows]

    @property
    def details(self) -> list[str]:
        return [line for part in self.parts for line in part.details]


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
    plan.parts = [part for d in dependants() if (part := d.preview_merge(source, target)) is not None]
    plan.members = source.members.exclude(pk__in=target.members.values("pk")).count()
    plan.aliases = [source.name, *source.aliases.values_list("name", flat=True)]
    return plan


@transaction.atomic
def merge_agencies(source: Agency, target: Agency, *, user, reason: str = "") -> MergePlan:
    """Merge agency `source` (B) into `target` (A), within one region; B is deleted.

    - Every row other apps keep about B moves to A, as their dependants say
      (plans: duties with the stronger role kept where both had one, appendix
      units, key projects, notes, removed duties).
    - B's members join A's, and B's contact fills A's where A's is empty.
    - B's aliases become A's, and B's name becomes an alias of A, so that
      re-ingesting plans that write B's names finds A.
    Every moved or deleted row and B itself get a history row with the reason
    `单位合并：B 并入 A（reason）`.
    """
    _lock_dependants([source, target])
    source, target = _locked(source), _locked(target)
    plan = plan_merge(source, target)
    change = Change(user, change_reason(MERGE, f"{source.name} 并入 {target.name}", reason))
    by_key = {d.key: d for d in dependants()}
    for part in plan.parts:
        by_key[part.key].merge(part, source, target, change)

    target.members.add(*source.members.all())
    if not target.contact_person and not target.contact_phone and (source.contact_person or source.contact_phone):
        target.contact_person, target.contact_phone = source.contact_person, source.contact_phone
        change.save(target)
    for alias in source.aliases.all():
        alias.agency = target
        change.save(alias)
    if not target.aliases.filter(name=source.name).exists():
        change.save(AgencyAlias(agency=target, name=source.name))
    change.delete(source)
    return plan


def _lock_dependants(agencies: list[Agency]) -> None:
    for dependant in dependants():
        dependant.lock(agencies)


def _locked(agency: Agency) -> Agency:
    """The agency re-read inside the transaction, locked against a concurrent merge. Every writer of an agency's
    own rows locks it here first: its name shows on the pages of the plans that name it, whose kept pages the
    change moves, and no others (fragments.versions)."""
    locked = Agency.objects.select_for_update(of=("self",)).select_related("region").get(pk=agency.pk)
    versions.touch_agency(set().union(*(d.plans_naming([locked.pk]) for d in dependants())))
    return locked
