"""Progress reports: one per round, task and reporting unit (a lead or joint unit), what cooperating units
add to it, and the files attached. Changed only through progress.writing.reports, which keeps the rules."""

from __future__ import annotations

import os
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse

from agencies.models import Agency
from lib.history import history_with_reason
from plans.models import Duty, Plan, Task
from progress.models.rounds import ReportingRound


class ReportQuerySet(models.QuerySet):
    def open(self):
        """Not yet with the coordinator: nothing filled in, a draft, or returned."""
        return self.filter(state__in=OPEN_STATES)

    def submitted(self):
        """With the coordinator, or accepted."""
        return self.filter(state__in=SUBMITTED_STATES)

    def supervised(self):
        """Reports of plans under 督办 (Plan.State.ACTIVE): a plan taken out of it owes nothing any more."""
        return self.filter(round__plan__state=Plan.State.ACTIVE)

    def for_agency(self, agency):
        return self.filter(agency=agency)

    def reportable_by(self, user):
        """Reports the user writes: his own agencies' (all for an administrator)."""
        return self.filter(agency__in=Agency.objects.annotatable_by(user))

    def current(self):
        """Reports no later round has superseded: the newest of each task and agency."""
        later = Report.objects.filter(task=OuterRef("task"), agency=OuterRef("agency"), due_on__gt=OuterRef("due_on"))
        return self.filter(~Exists(later))

    def due_for(self, agency):
        """What the agency still owes: its open reports that no later round has superseded, soonest due first."""
        return (
            self.for_agency(agency).open().supervised().current().order_by("due_on", "round__plan_id", "task__position")
        )

    def awaiting_contribution_from(self, agency):
        """Open reports, not superseded, of tasks the agency cooperates on: where its staff add their part."""
        cooperating = Duty.objects.filter(agency=agency, role=Duty.Role.COOPERATING).values("task")
        return self.open().supervised().current().filter(task__in=cooperating).exclude(agency=agency)

    def overdue(self, today):
        """Open reports of rounds past their due date, not superseded by a later round."""
        return self.open().supervised().filter(due_on__lt=today).current()

    def due_within(self, today, days: int):
        """Open reports of rounds due from today up to `days` days on."""
        return self.open().supervised().filter(due_on__gte=today, due_on__lte=today + timedelta(days=days))

    def in_outline_order(self):
        return self.order_by("task__plan_id", "task__position", "agency__sort_key", "pk")


class Report(models.Model):
    """A reporting unit's progress on one task in one round: a draft until submitted, then locked until the
    coordinator returns it (退回, with a reason) or accepts it (通过)."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "未启动"
        IN_PROGRESS = "in_progress", "推进中"
        COMPLETED = "completed", "已完成"
        LAGGING = "lagging", "滞后"

    class State(models.TextChoices):
        PENDING = "pending", "未填报"
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已报送"
        RETURNED = "returned", "已退回"
        ACCEPTED = "accepted", "已通过"

    round = models.ForeignKey(ReportingRound, models.CASCADE, related_name="reports", verbose_name="报送轮次")
    task = models.ForeignKey(Task, models.CASCADE, related_name="progress_reports", verbose_name="任务")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="progress_reports", verbose_name="报送单位")
    # The round's due date, copied: a unit's latest report on a task is then found by index alone (rounds are
    # never moved once opened).
    due_on = models.DateField("报送截止日", editable=False)
    status = models.CharField("进展状态", max_length=20, choices=Status.choices, blank=True)
    percent = models.PositiveSmallIntegerField("完成进度（%）", null=True, blank=True)
    progress = models.TextField("进展情况", blank=True)
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下步计划", blank=True)
    propose_close = models.BooleanField("建议办结", default=False)
    state = models.CharField("报送状态", max_length=20, choices=State.choices, default=State.PENDING)
    # Counts saves: a form carries it, and a save from a form opened before another save is refused.
    version = models.PositiveIntegerField("版本", default=0)
    first_submitted_at = models.DateTimeField("首次报送时间", null=True, blank=True)
    # Whether the first submission came by the due date (China time); set once, by progress.writing.reports.
    on_time = models.BooleanField("按时报送", null=True, blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="报送人"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="审核人"
    )
    return_reason = models.TextField("退回原因", blank=True)
    # What the coordinator wrote when he accepted it (通过); a return's reason is return_reason.
    review_comment = models.TextField("审核意见", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="最后修改人"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ReportQuerySet.as_manager()
    history = history_with_reason(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = "进展报告"
        verbose_name_plural = "进展报告"
        ordering = ["round", "task__position", "agency"]
        constraints = [
            models.UniqueConstraint(fields=["round", "task", "agency"], name="report_one_per_round_task_and_agency"),
            models.CheckConstraint(
                condition=Q(status__in=["", "not_started", "in_progress", "completed", "lagging"]),
                name="report_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "draft", "submitted", "returned", "accepted"]),
                name="report_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100), name="report_percent_in_range"
            ),
            # What the coordinator has was submitted by someone, at some time, with a status.
            models.CheckConstraint(
                condition=~Q(state__in=["submitted", "accepted"])
                | (Q(submitted_at__isnull=False, first_submitted_at__isnull=False) & ~Q(status="")),
                name="report_submitted_is_complete",
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(return_reason=""), name="report_returned_has_reason"
            ),
        ]
        indexes = [
            # Status and reminders look up each unit's latest report on a task, before or after a date.
            models.Index(fields=["task", "agency", "due_on"], name="report_unit_due_idx"),
            models.Index(fields=["agency", "state"], name="report_agency_state_idx"),
        ]

    def __str__(self):
        return f"{self.round}：{self.agency}：{self.task}"

    def save(self, *args, **kwargs):
        if self.due_on is None:
            self.due_on = self.round.due_on
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("progress:report", args=[self.pk])

    @property
    def is_open(self) -> bool:
        """Its unit may still change it: nothing filled in yet, a draft, or returned."""
        return self.state in OPEN_STATES

    @property
    def is_submitted(self) -> bool:
        return self.state in SUBMITTED_STATES

    def previous(self) -> Report | None:
        """The same unit's report on the same task in the latest earlier round that has something written:
        a new report starts from it. One query."""
        return (
            Report.objects.filter(task_id=self.task_id, agency_id=self.agency_id, due_on__lt=self.due_on)
            .exclude(state=Report.State.PENDING)
            .select_related("round")
            .order_by("-due_on", "-pk")
            .first()
        )


OPEN_STATES = (Report.State.PENDING, Report.State.DRAFT, Report.State.RETURNED)
SUBMITTED_STATES = (Report.State.SUBMITTED, Report.State.ACCEPTED)


class Contribution(models.Model):
    """What a cooperating unit did on the task, added to the lead's report while the lead can still change it."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="contributions", verbose_name="进展报告")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="progress_contributions", verbose_name="配合单位")
    text = models.TextField("配合工作情况")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="填写人"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = history_with_reason(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "配合单位工作情况"
        verbose_name_plural = "配合单位工作情况"
        ordering = ["report", "agency__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["report", "agency"], name="contribution_one_per_report_and_agency"),
        ]

    def __str__(self):
        return f"{self.agency}：{self.report}"


def attachment_path(attachment: Attachment, filename: str) -> str:
    """Stored under a random name (the person's own file name is kept in `name`): no clashes, no odd paths."""
    extension = os.path.splitext(filename)[1].lower()
    return f"progress/{attachment.report_id}/{uuid.uuid4().hex}{extension}"


class Attachment(models.Model):
    """A file attached to a report. Removing one only marks it removed: the file stays, as everything does."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="attachments", verbose_name="进展报告")
    file = models.FileField("文件", upload_to=attachment_path, max_length=255)
    name = models.CharField("文件名", max_length=255)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    removed_at = models.DateTimeField("删除时间", null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="删除人"
    )

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["report", "uploaded_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="attachment_not_empty")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("progress:attachment", args=[self.pk])


@receiver(post_delete, sender=Attachment)
def delete_file_on_commit(sender, instance: Attachment, using: str, **kwargs) -> None:
    """An attachment row is only ever deleted with its report (a task a re-ingest removed, its history gone with
    it): its file goes too, once that has committed, so no file is left that nothing names. A rollback keeps both.
    """
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name), using=using, robust=True)
