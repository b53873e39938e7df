"""Who made a change and why, on every history row the change writes (django-simple-history).

Every change a person makes, and every change the app makes on a person's
behalf (a confirmed import, a merge, a re-ingest choice), is saved through a
`Change`: it stamps the user and the reason on the object, so its history row
says who and why. Nothing else sets `_history_user` or `_change_reason`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from simple_history.models import HistoricalRecords


def history_with_reason(**kwargs) -> HistoricalRecords:
    """History with a free-text reason (变更原因), as every edit form asks for one."""
    return HistoricalRecords(history_change_reason_field=models.TextField("变更原因", null=True), **kwargs)


@dataclass(frozen=True)
class Change:
    """A change by `user` (None: the system) for `reason` (None: no reason given)."""

    user: object = None
    reason: str | None = None

    def stamp(self, obj):
        obj._history_user = self.user
        obj._change_reason = self.reason
        return obj

    def save(self, obj, **kwargs):
        self.stamp(obj).save(**kwargs)
        return obj

    def delete(self, obj) -> None:
        self.stamp(obj).delete()

    def delete_all(self, objects: Iterable) -> None:
        """Delete one by one, so that each gets its history row."""
        for obj in objects:
            self.delete(obj)
