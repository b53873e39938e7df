"""The agencies a plan may name, and which one a written name means: one definition for every reader.

A plan names the bodies of its own region, of the regions above it (市… in a
district plan), of the regions directly under its own (the districts of a city
plan), and whatever else its text already names: ingestion places a unit whose
name mentions another place there (agencies.resolution), and the plan's own
agencies are always in its scope. The edit form, the 分工表 import and the
agency suggestions accept exactly these agencies and rank them the same way,
so what one accepts the others accept too.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from django.db.models import Case, IntegerField, Q, Value, When

from lib import naming

from .models import Agency, AgencyAlias, Region


class NameNotFound(LookupError):
    """No agency in the scope has this name, full name or alias."""


class AmbiguousName(LookupError):
    """Several agencies in the scope fit the name equally well."""

    def __init__(self, text: str, agencies: list[Agency]):
        self.agencies = agencies
        super().__init__(text)


class AgencyScope:
    """The agencies a plan of `region` may name.

    `preferred` holds the ids of agencies the plan already names (a queryset of
    ids, used as a subquery): they are in the scope wherever they are, and
    between two agencies that fit a written name equally, the plan's own comes
    first.
    """

    def __init__(self, region: Region, *, preferred: Iterable[int] = ()):
        self.region = region
        self.lineage = region.lineage()
        self.lineage_ids = [r.pk for r in self.lineage]
        self._preferred = preferred

    @cached_property
    def preferred(self) -> set[int]:
        # Evaluated on first use, so a scope that never ranks runs no query for it.
        return set(self._preferred)

    @cached_property
    def places(self) -> list[Region]:
        """The places a unit name may mention: the lineage and the regions directly under any of them. One query.

        A name that mentions one (长沙 in a 开福区 plan, 长沙县 beside it) is that place's body.
        """
        return list(Region.objects.filter(Q(id__in=self.lineage_ids) | Q(parent_id__in=self.lineage_ids)))

    def _agencies(self, agency_id: str = "pk", region: str = "region") -> Q:
        """The scope as a condition on an agency (or, with other field names, on what points at one)."""
        condition = Q(**{f"{region}_id__in": self.lineage_ids}) | Q(**{f"{region}__parent_id": self.region.pk})
        return condition | Q(**{f"{agency_id}__in": self._preferred})

    def queryset(self):
        return Agency.objects.filter(self._agencies())

    def nearness(self, agency: Agency) -> int:
        """0 for the plan's own region, 1 for the region above it, …; then the regions under its own; then the rest."""
        if agency.region_id in self.lineage_ids:
            return self.lineage_ids.index(agency.region_id)
        return len(self.lineage_ids) + (agency.region.parent_id != self.region.pk)

    def with_nearness(self, queryset):
        """Annotate `nearness` as `nearness()` computes it, so lists can show the plan's own region first."""
        whens = [When(region_id=region_id, then=Value(i)) for i, region_id in enumerate(self.lineage_ids)]
        whens.append(When(region__parent_id=self.region.pk, then=Value(len(self.lineage_ids))))
        return queryset.annotate(
            nearness=Case(*whens, default=Value(len(self.lineage_ids) + 1), output_field=IntegerField())
        )

    def _rank(self, agency: Agency, name: str) -> tuple[bool, bool, int]:
        # A full name is unambiguous; then the plan's own agencies; then the nearest region.
        return (agency.full_name != name, agency.pk not in self.preferred, self.nearness(agency))

    def lookup(self, texts: Iterable[str]) -> dict[str, list[Agency]]:
        """For each written name (normalised), the agencies that fit it best: one, several (ambiguous) or none.

        A name fits an agency when it is the agency's name, its full name or
        one of its aliases. Two queries however many names.
        """
        names = {naming.normalise(t) for t in texts} - {""}
        if not names:
            return {}
        found: dict[str, dict[int, Agency]] = {name: {} for name in names}
        agencies = self.queryset().filter(Q(name__in=names) | Q(full_name__in=names)).select_related("region")
        for agency in agencies:
            for name in {agency.name, agency.full_name} & names:
                found[name][agency.pk] = agency
        aliases = AgencyAlias.objects.filter(
            self._agencies("agency_id", "agency__region"), name__in=names
        ).select_related("agency__region")
        for alias in aliases:
            found[alias.name][alias.agency_id] = alias.agency
        best: dict[str, list[Agency]] = {}
        for name, candidates in found.items():
            ranked = sorted(candidates.values(), key=lambda a: (self._rank(a, name), a.pk))
            if ranked:
                top = self._rank(ranked[0], name)
                best[name] = [a for a in ranked if self._rank(a, name) == top]
            else:
                best[name] = []
        return best

    def resolve(self, text: str) -> Agency:
        """The one agency a typed name means. Raises NameNotFound or AmbiguousName."""
        name = naming.normalise(text)
        matches = self.lookup([name]).get(name, [])
        if not matches:
            raise NameNotFound(text)
        if len(matches) > 1:
            raise AmbiguousName(text, matches)
        return matches[0]
