"""An agency's 变更记录: its own changes, its aliases', and those its dependants report (duties, …).

Read back from django-simple-history's rows, in a fixed number of queries
however long the history: the reason each service recorded (agencies.merging)
says which step a row belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from .dependants import dependants
from .merging import MERGE, RENAME, SPLIT, step_of
from .models import Agency, AgencyAlias


@dataclass
class HistoryEntry:
    """One line of an agency's 变更记录."""

    when: object  # an aware datetime
    user: object | None
    description: str
    reason: str
    url: str = ""
    order: int = 0  # the history row's id: ties within one transaction keep the order of the writes

    @classmethod
    def of(cls, row, description: str, url: str = "") -> HistoryEntry:
        return cls(
            row.history_date, row.history_user, description, row.history_change_reason or "", url, row.history_id
        )

    @property
    def user_name(self) -> str:
        if self.user is None:
            return ""
        return self.user.get_full_name() or self.user.get_username()


def pairs(rows: list, key=lambda row: row.id):
    """(previous row of the same object or None, row) for rows ordered by object, then time."""
    previous = None
    for row in rows:
        yield (previous if previous is not None and key(previous) == key(row) else None), row
        previous = row


def moved_between(rows: list) -> set[int]:
    """The agencies that rows of one object moved between (a duty moved by a merge, an alias …)."""
    ids: set[int] = set()
    for previous, row in pairs(rows):
        if previous is not None:
            ids |= {previous.agency_id, row.agency_id}
    return ids


def agency_history(agency_id: int, region_id: int) -> list[HistoryEntry]:
    """The agency's changes, newest first.

    From its own history rows (name, kind, contact; created, split off, merged
    away), its aliases' rows (added, removed, split off, merged in, moved), and
    what each dependant reports (plans: the duties that are or were its own).
    """
    own = list(
        Agency.history.filter(id=agency_id).select_related("history_user").order_by("history_date", "history_id")
    )
    aliases = list(
        AgencyAlias.history.filter(id__in=AgencyAlias.history.filter(agency_id=agency_id).values("id"))
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    sources = [source for d in dependants() if (source := d.history(agency_id)) is not None]
    reader = _HistoryReader(agency_id, region_id)
    reader.look_up(own, aliases, set().union(*(s.mentioned for s in sources)))
    entries = reader.own_entries(own) + reader.alias_entries(aliases)
    for source in sources:
        entries += source.describe(reader.name)
    return sorted(entries, key=lambda e: (e.when, e.order), reverse=True)


class _HistoryReader:
    """Turns history rows into descriptions, looking up the other agencies they mention in one or two queries."""

    kinds = dict(Agency.Kind.choices)

    def __init__(self, agency_id: int, region_id: int):
        self.agency_id = agency_id
        self.region_id = region_id
        self.names: dict[int, tuple[str, str]] = {}  # agency id → (name, url or "" when it is gone)
        self.by_name: dict[str, tuple[str, str]] = {}  # a split-off agency's name → (name, url)
        self.partners: dict[int, int] = {}  # own history row id → the agency split from or merged into

    def look_up(self, own: list, aliases: list, mentioned: set[int]) -> None:
        ids = moved_between(aliases) | mentioned
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

    def own_entries(self, rows: list) -> list[HistoryEntry]:
        entries = []
        for previous, row in pairs(rows):
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
            entries.append(HistoryEntry.of(row, description, url))
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
        for previous, row in pairs(rows):
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
            entries.append(HistoryEntry.of(row, description, url))
        return entries
