"""When a task is due (Deadline, Milestone) and whether its coordinator has closed it (Closure, 办结)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from lib.history import history_with_reason
from plans.labels import chinese_date
from plans.models import Task


class DeadlineQuerySet(models.QuerySet):
    def derived(self):
        return self.filter(source=Deadline.Source.DERIVED)

    def past(self, today):
        """Deadlines that have gone by (a date before today); ongoing tasks and open ones never have."""
        return self.filter(due_on__lt=today)


class Deadline(models.Model):
    """A task's 完成时限: a date, ongoing (长期坚持), or not set.

    Every task has one. Ingesting the plan derives it from the text (progress.derivation) until a person sets
    it; from then on (source `manual`) a re-ingest never changes it again.
    """

    class Source(models.TextChoices):
        DERIVED = "derived", "按原文推定"
        MANUAL = "manual", "人工设定"

    task = models.OneToOneField(Task, models.CASCADE, related_name="deadline", verbose_name="任务")
    due_on = models.DateField("完成时限", null=True, blank=True)
    ongoing = models.BooleanField("长期任务", default=False, help_text="长期坚持、持续推进的任务，没有完成日期")
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.DERIVED)
    basis = models.CharField(
        "依据", max_length=200, blank=True, help_text="原文写法，如 到2025年、完成时限：2024年底前"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = DeadlineQuerySet.as_manager()
    history = history_with_reason(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "完成时限"
        verbose_name_plural = "完成时限"
        ordering = ["task"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(ongoing=True, due_on__isnull=False), name="deadline_ongoing_has_no_date"
            ),
            models.CheckConstraint(condition=Q(source__in=["derived", "manual"]), name="deadline_source_valid"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """2025年12月31日前, 长期坚持, or 未定."""
        return label_of(self.due_on, self.ongoing)

    @property
    def is_derived(self) -> bool:
        return self.source == self.Source.DERIVED

    def is_past(self, today) -> bool:
        return self.due_on is not None and self.due_on < today


def label_of_task(task) -> str:
    """A task's deadline as the 台账 and notices print it; 未定 for a task without a Deadline row yet."""
    deadline = getattr(task, "deadline", None)
    return deadline.label if deadline is not None else label_of(None, False)


def label_of(due_on, ongoing: bool) -> str:
    if ongoing:
        return "长期坚持"
    if due_on is None:
        return "未定"
    return f"{chinese_date(due_on)}前"


class Milestone(models.Model):
    """What a task's text sets for one year, when it sets targets for more than one (derived, never edited)."""

    task = models.ForeignKey(Task, models.CASCADE, related_name="milestones", verbose_name="任务")
    year = models.PositiveSmallIntegerField("年度")
    due_on = models.DateField("时限")
    basis = models.CharField("原文写法", max_length=100, blank=True)
    text = models.TextField("目标")

    class Meta:
        verbose_name = "年度节点"
        verbose_name_plural = "年度节点"
        ordering = ["task", "year"]
        constraints = [
            models.UniqueConstraint(fields=["task", "year"], name="milestone_one_per_task_and_year"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="milestone_year_plausible"),
        ]

    def __str__(self):
        return f"{self.year}年：{self.text}"


class Closure(models.Model):
    """A task its coordinator closed (办结): done, whatever the reports say. Reopening deletes it (with history)."""

    task = models.OneToOneField(Task, models.CASCADE, related_name="closure", verbose_name="任务")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name="办结人"
    )
    closed_at = models.DateTimeField("办结时间", default=timezone.now)
    note = models.TextField("办结说明", blank=True)
    report = models.ForeignKey(
        "progress.Report", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="依据的进展报告"
    )

    history = history_with_reason()

    class Meta:
        verbose_name = "办结"
        verbose_name_plural = "办结"
        ordering = ["-closed_at"]

    def __str__(self):
        return f"办结：{self.task}"

    def get_absolute_url(self):
        return reverse("progress:task", args=[self.task_id])
