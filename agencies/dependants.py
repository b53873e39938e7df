"""Rows other apps keep about agencies, and what becomes of them when an agency is split or merged.

`agencies` imports no other app of this project. An app whose models point at
agencies (plans: duties, appendix units, key projects, notes, removed duties)
subclasses `AgencyDependant` and registers it in its AppConfig.ready().
Splitting and merging agencies, the edit page, the likely duplicates and an
agency's 变更记录 ask every registered dependant, so a new app that keeps rows
about agencies plugs in here instead of being imported by `agencies`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from lib.history import Change


@dataclass
class MergePart:
    """What one dependant would move when `source` is merged into `target`, worked out before anything changes."""

    key: str
    rows: list[tuple[str, str, str]]  # (html id, label, what happens) for the merge preview's table
    details: list[str] = field(default_factory=list)  # lines listed under the table (tasks both agencies had)
    summary: str = ""  # for the message after the merge, e.g. 移入职责 3 项
    data: object = None  # whatever the dependant's merge() needs
    details_title: str = ""
    details_id: str = ""


@dataclass
class HistorySource:
    """A dependant's part of an agency's 变更记录: the agencies it mentions, and how to describe its rows.

    `describe(names)` gets a function from an agency id to (name, url), looked up
    once for every source, so the record runs a fixed number of queries.
    """

    mentioned: set[int]
    describe: Callable[[Callable[[int], tuple[str, str]]], list]


class AgencyDependant:
    """One app's rows about agencies. Every method has a harmless default; override those that apply."""

    key = ""
    # What the rows are called where the duplicates page counts them: 职责 N 项.
    usage_label = ""

    def lock(self, agencies: list) -> None:
        """Lock the rows a split or merge of these agencies will write, before the agencies themselves are locked.

        Called first in the transaction, so that writers of this app's rows and agency changes take their locks
        in the same order.
        """

    def usage(self, agency_ids: Iterable[int]) -> Counter:
        """How many rows name each agency (by id)."""
        return Counter()

    def plans_naming(self, agency_ids: Iterable[int]) -> set[int]:
        """The plans (ids) whose pages show these agencies' names: what a rename moves (fragments.versions)."""
        return set()

    def written_forms(self, agency) -> Counter:
        """How many of the agency's rows were written in each form of its name (normalised): what a split moves."""
        return Counter()

    def split(self, source, agency, name: str, change: Change) -> dict[str, int]:
        """Move to `agency` the rows of `source` written `name`; returns how many moved, by label."""
        return {}

    def preview_merge(self, source, target) -> MergePart | None:
        return None

    def merge(self, part: MergePart, source, target, change: Change) -> None:
        """Move `source`'s rows to `target` as `part` (from preview_merge, inside the same transaction) says."""

    def history(self, agency_id: int) -> HistorySource | None:
        return None


_registry: list[AgencyDependant] = []


def register(dependant: AgencyDependant) -> None:
    if all(type(d) is not type(dependant) for d in _registry):
        _registry.append(dependant)


def dependants() -> list[AgencyDependant]:
    return list(_registry)
