"""Browsing by region: province → city → county, as a navigation element with counts at every step.

The home page (plans) and the agency index (agencies) both narrow their lists this way. What is counted is
the caller's business: it passes a function that counts its rows per region in the database, for the
regions under the current one, and gets back the path to the current region, its children with the totals
of everything under each, and the ids to filter its list by. Three queries at most: the current region with
its ancestors, the regions under it, the caller's counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404

from .models import Region


@dataclass(frozen=True)
class Place:
    """A region as the navigation shows it: plain values, no model instance."""

    id: int
    code: str
    name: str
    full_name: str
    level: int
    parent_id: int | None


@dataclass
class Child:
    place: Place
    count: int


@dataclass
class RegionBrowser:
    current: Region | None  # None: the whole country
    path: list[Region] = field(default_factory=list)  # the current region's ancestors, from the top
    children: list[Child] = field(default_factory=list)  # regions directly under it that hold anything
    own: int = 0  # rows of the current region itself
    total: int = 0  # rows of the current region and everything under it
    region_ids: list[int] | None = None  # the current region and everything under it; None: no filter

    @property
    def code(self) -> str:
        return self.current.code if self.current else ""

    def descend(self) -> Child | None:
        """The one child holding everything, when there is exactly one and nothing sits at this level."""
        if not self.own and len(self.children) == 1:
            return self.children[0]
        return None


def current_region(code: str | None) -> Region | None:
    """The region a ?region= code names, with its ancestors loaded; None for no code; 404 for an unknown one."""
    if not code:
        return None
    region = Region.objects.select_related("parent__parent").filter(code=code).first()
    if region is None:
        raise Http404("没有这个行政区。")
    return region


def places_under(region: Region | None) -> dict[int, Place]:
    """{id: Place} of the region and everything under it (every region for the country), by code. One query."""
    places = Region.objects.order_by("code")
    if region is not None:
        # Three levels at most, and a county may sit straight under a province: follow the parent links.
        places = places.filter(Q(pk=region.pk) | Q(parent_id=region.pk) | Q(parent__parent_id=region.pk))
    return {
        p.id: p
        for p in (Place(*row) for row in places.values_list("id", "code", "name", "full_name", "level", "parent"))
    }


def browse(code: str | None, count: Callable[[list[int] | None], dict[int, int]]) -> RegionBrowser:
    """The navigation at the region `code` names (the country when empty); `count(ids)` counts rows by region.

    `count` gets the ids of the current region and every region under it (None for the whole country, so
    that it need not filter) and returns {region id: rows}.
    """
    region = current_region(code)
    browser = RegionBrowser(current=region, path=region.lineage()[:0:-1] if region else [])
    by_id = places_under(region)
    browser.region_ids = list(by_id) if region is not None else None
    counts = count(browser.region_ids)
    top = region.pk if region is not None else None
    totals: dict[int, int] = {}
    for region_id, n in counts.items():
        if not n or region_id not in by_id:
            continue
        browser.total += n
        if region_id == top:
            browser.own += n
            continue
        place = by_id[region_id]
        while place.parent_id != top:
            place = by_id[place.parent_id]
        totals[place.id] = totals.get(place.id, 0) + n
    browser.children = [Child(by_id[pk], n) for pk, n in sorted(totals.items(), key=lambda item: by_id[item[0]].code)]
    return browser
