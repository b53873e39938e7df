"""Who made a change and why, on every history row the change writes (django-simple-history).

Every change a person makes, and every change the app makes on a person's
behalf (a confirmed import, a merge, a re-ingest choice), is saved through a
`Change`: it stamps the user and the reason on the object, so its history row
says who and why, and the change's id, so the rows one save wrote read as one
change in the 变更记录 and are undone together. Nothing else sets
`_history_user` or `_change_reason`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


class ChangeSetHistory(models.Model):
    """What every history row holds besides simple_history's own fields: the change it was written by."""

    history_change_id = models.UUIDField("变更批次", null=True, blank=True, editable=False, db_index=True)

    class Meta:
        abstract = True


def history_with_reason(**kwargs) -> HistoricalRecords:
    """History with a free-text reason (变更原因), as every edit form asks for one, and the change's id."""
    return HistoricalRecords(
        history_change_reason_field=models.TextField("变更原因", null=True), bases=[ChangeSetHistory], **kwargs
    )


@receiver(pre_create_historical_record)
def _record_change_id(sender, instance, history_instance, **kwargs):
    history_instance.history_change_id = getattr(instance, "_change_id", None)


@dataclass(frozen=True)
class Change:
    """A change by `user` (None: the system) for `reason` (None: no reason given); `id` ties its rows together."""

    user: object = None
    reason: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    def stamp(self, obj):
        obj._history_user = self.user
        obj._change_reason = self.reason
        obj._change_id = self.id
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
