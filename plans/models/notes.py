"""What an agency's staff keep on one of its tasks."""

from django.conf import settings
from django.db import models

from agencies.models import Agency
from lib.history import history_with_reason

from .task import Task


class TaskNoteQuerySet(models.QuerySet):
    def editable_by(self, user):
        """Notes the user may write: his own agencies' (all for an administrator)."""
        return self.filter(agency__in=Agency.objects.annotatable_by(user))


class TaskNote(models.Model):
    """What an agency's staff keep on one of its tasks: who handles it and how it stands.

    Kept apart from Duty so that nothing written here goes when a re-ingest or
    an edit removes or changes the duty itself.
    """

    task = models.ForeignKey(Task, models.CASCADE, related_name="notes", verbose_name="任务")
    agency = models.ForeignKey(Agency, models.CASCADE, related_name="task_notes", verbose_name="责任单位")
    contact_person = models.CharField("具体负责人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=50, blank=True)
    note = models.TextField("工作备注", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="填写人"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = TaskNoteQuerySet.as_manager()
    history = history_with_reason(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "任务备注"
        verbose_name_plural = "任务备注"
        ordering = ["task", "agency"]
        constraints = [
            models.UniqueConstraint(fields=["task", "agency"], name="tasknote_one_per_task_and_agency"),
        ]

    def __str__(self):
        return f"{self.agency}：{self.task}"

    @staticmethod
    def version_of(note) -> str:
        """What a form remembers of the note it showed: when it was last saved ("" before the first save)."""
        return note.updated_at.isoformat() if note is not None and note.updated_at else ""
