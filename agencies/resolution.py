"""Turning unit names as a plan writes them into Agency rows.

Names are relative to the plan's region: 区发展和改革局 in a 石峰区 plan is
石峰区's bureau; 市生态环境局开福分局 in a 开福区 plan is a branch of the
parent city's bureau, 省发展改革委 its province's; 国网株洲供电公司 names its own place;
国家发展改革委 and 海关总署 are bodies of 全国 whichever plan names them. Within a region,
written variants (区发改局) land on one agency and are kept as aliases.

A person may map a written name onto an existing agency of the region the name
is read in (the upload preview): the name becomes an alias of that agency, so the
same text read again resolves it the same way with no mapping.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from simple_history.utils import bulk_create_with_history

from lib import naming
from lib.history import Change

from .merging import ADD_ALIAS, change_reason
from .models import Agency, AgencyAlias, Region
from .places import is_national_body
from .scope import AgencyScope


@dataclass
class Resolution:
    agencies: dict[str, Agency] = field(default_factory=dict)  # normalised written name → agency
    created: list[Agency] = field(default_factory=list)
    aliased: list[tuple[str, Agency]] = field(default_factory=list)  # (variant, agency it was read as)
    unknown: list[str] = field(default_factory=list)
    mapped: list[tuple[str, Agency]] = field(default_factory=list)  # (name, the agency a person mapped it onto)
    # Names a person mapped whose agency is not there to map onto (merged away, another region, or the name is
    # already another agency's): they were resolved as if unmapped.
    unmapped: list[str] = field(default_factory=list)


class AgencyResolver:
    """Resolves the names of one plan, relative to the plan's region."""

    def __init__(self, region: Region):
        self.region = region
        scope = AgencyScope(region)
        self.lineage = scope.lineage
        # Places a unit name may mention: the scope's regions, where the plan's agencies are.
        self.places = scope.places
        self._lineage_ids = set(scope.lineage_ids)

    def region_for(self, name: str) -> Region:
        name = naming.normalise(name)
        if is_national_body(name):
            return self.national
        prefix = naming.prefix_of(name)
        if prefix:
            return self._region_for_prefix(prefix)
        if naming.is_collective(name):
            return self.region
        mentioned = [
            place
            for place in self.places
            if place.name in name or (len(place.short_name) >= 2 and place.short_name in name)
        ]
        if not mentioned:
            return self.region
        # 长沙 names 长沙市 in a 开福区 plan, not 长沙县: the plan's own lineage wins.
        return max(mentioned, key=lambda p: (p.id in self._lineage_ids, p.level, len(p.name)))

    @cached_property
    def national(self) -> Region:
        return self.region if self.region.level == Region.Level.NATIONAL else Region.objects.national()

    def _region_for_prefix(self, prefix: str) -> Region:
        if prefix == "省":
            # 省发展改革委 in a city plan is its province's; a plan with no province above it keeps its own.
            return next((r for r in self.lineage if r.level == Region.Level.PROVINCE), self.region)
        city = next((r for r in self.lineage if r.level == Region.Level.CITY), None)
        if prefix == "市" and self.region.level == Region.Level.COUNTY and not self.region.name.endswith("市"):
            return city or self.region
        return self.region

    def resolve(
        self, names: list[str], mapping: Mapping[str, int] | None = None, *, user=None, reason: str = ""
    ) -> Resolution:
        """Map every name to an agency, creating agencies and aliases as needed.

        Names used more often are resolved first, so the usual spelling becomes
        the agency's name and rarer spellings become its aliases. `mapping`
        (written name → agency id) is a person's choice for names that would
        otherwise make new agencies: it is followed when the agency is of the
        region the name is read in, and the alias it adds is recorded under
        `user` with `reason`.
        """
        counts = Counter(naming.normalise(n) for n in names)
        mapping = {naming.normalise(name): agency_id for name, agency_id in (mapping or {}).items()}
        by_region: dict[int, list[str]] = {}
        regions: dict[int, Region] = {}
        for name in counts:
            region = self.region_for(name)
            regions[region.id] = region
            by_region.setdefault(region.id, []).append(name)

        result = Resolution()
        # New agencies and their plain aliases are written together at the end, with their history rows, in a
        # few statements: a plan new to its region names twenty or more bureaus.
        new_aliases: list[AgencyAlias] = []
        for region_id, region_names in by_region.items():
            region = regions[region_id]
            known = self._known_names(region)
            # A name with an office in brackets (市委组织部〈人才办〉) comes after its body, which names the agency.
            order = sorted(region_names, key=lambda n: (naming.parent_body(n) != n, -counts[n], -len(n), n))
            for name in order:
                mapped = self._mapped(name, mapping, known, result)
                agency = mapped or self._match(name, known)
                if agency is None:
                    body = naming.parent_body(name)
                    agency = Agency(region=region, name=body, kind=naming.classify(body))
                    result.created.append(agency)
                    if body != name:
                        known.add(body, agency)
                if naming.normalise(agency.name) != name and name not in known.exact_aliases(agency):
                    alias = AgencyAlias(agency=agency, name=name)
                    if mapped:
                        Change(user, change_reason(ADD_ALIAS, name, reason)).save(alias)
                    else:
                        new_aliases.append(alias)
                # Reported on every ingest, not only the first: the warnings describe the text.
                if naming.normalise(agency.name) != name:
                    result.aliased.append((name, agency))
                # The name is what is in doubt: an agency stored as 其他 before the rules knew its shape (苏州资管)
                # is not a warning once the name reads as a body.
                if agency.kind == Agency.Kind.OTHER and naming.classify(name) == Agency.Kind.OTHER:
                    result.unknown.append(name)
                known.add(name, agency, alias=naming.normalise(agency.name) != name)
                result.agencies[name] = agency
        self._create(result.created, new_aliases)
        return result

    @staticmethod
    def _create(agencies: list[Agency], aliases: list[AgencyAlias]) -> None:
        """What Agency.save and AgencyAlias.save would write, in bulk: derived names, then rows and history."""
        for agency in agencies:
            agency.fill_derived_names()
        bulk_create_with_history(agencies, Agency)
        for alias in aliases:
            alias.fill_derived_fields()
        bulk_create_with_history(aliases, AgencyAlias)

    def _known_names(self, region: Region) -> _Known:
        known = _Known()
        for agency in Agency.objects.filter(region=region).prefetch_related("aliases"):
            known.add(agency.name, agency)
            for alias in agency.aliases.all():
                known.add(alias.name, agency, alias=True)
        return known

    def _mapped(self, name: str, mapping: dict[str, int], known: _Known, result: Resolution) -> Agency | None:
        """The agency a person mapped the name onto, if it is one of the region's and the name is not another's."""
        if name not in mapping:
            return None
        agency, exact = known.by_id.get(mapping[name]), known.by_name.get(name)
        if agency is None or (exact is not None and exact is not agency):
            result.unmapped.append(name)
            return None
        result.mapped.append((name, agency))
        return agency

    def _match(self, name: str, known: _Known) -> Agency | None:
        exact = known.by_name.get(name)
        if exact:
            return exact
        keyed = known.by_key.get(naming.name_key(name))
        if keyed:
            return keyed
        body = naming.parent_body(name)
        if body != name:
            # 市委组织部（人才办） is 市委组织部 with the office it houses: the body's agency, by any of its names.
            return self._match(body, known)
        if naming.is_collective(name):
            # 各有关部门 and 市各有关部门 (in a city plan) are one group; 各重点园区管委会 is a subset of
            # 各园区管委会, not another spelling of it.
            return known.by_group.get(naming.collective_key(name))
        candidates = {id(a): a for other, a in known.by_name.items() if naming.abbreviates(name, other)}
        if len(candidates) == 1:
            return next(iter(candidates.values()))
        return None


class _Known:
    def __init__(self):
        self.by_name: dict[str, Agency] = {}
        self.by_key: dict[str, Agency] = {}
        self.by_id: dict[int, Agency] = {}
        self.by_group: dict[str, Agency] = {}
        self.aliases: dict[int, set[str]] = {}

    def add(self, name: str, agency: Agency, alias: bool = False) -> None:
        name = naming.normalise(name)
        self.by_name.setdefault(name, agency)
        self.by_key.setdefault(naming.name_key(name), agency)
        if group := naming.collective_key(name):
            self.by_group.setdefault(group, agency)
        if agency.pk is not None:  # a new agency has no id until the resolution writes it
            self.by_id.setdefault(agency.pk, agency)
        if alias:
            self.aliases.setdefault(id(agency), set()).add(name)

    def exact_aliases(self, agency: Agency) -> set[str]:
        return self.aliases.get(id(agency), set())
