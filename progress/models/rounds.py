"""Reporting rounds (报送轮次): a plan's coordinator opens one for all or some tasks; rounds can repeat on a
schedule (monthly, quarterly, half-yearly)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from lib.history import history_with_reason
from plans.models import Plan
from progress.reading import periods


class RoundSchedule(models.Model):
    """A plan's rounds repeat: at the end of each period a round opens for every task (manage.py open_rounds)."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "每月"
        QUARTERLY = "quarterly", "每季度"
        HALF_YEARLY = "half_yearly", "每半年"

    MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6}

    plan = models.OneToOneField(Plan, models.CASCADE, related_name="round_schedule", verbose_name="方案")
    frequency = models.CharField("报送周期", max_length=20, choices=Frequency.choices, default=Frequency.QUARTERLY)
    due_after_days = models.PositiveSmallIntegerField(
        "报送期限（天）", default=10, help_text="周期结束后多少天内报送，如季度结束后 10 天"
    )
    active = models.BooleanField("启用", default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="设置人"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = history_with_reason(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "报送计划"
        verbose_name_plural = "报送计划"
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=["monthly", "quarterly", "half_yearly"]), name="roundschedule_frequency_valid"
            ),
            models.CheckConstraint(condition=Q(due_after_days__lte=60), name="roundschedule_due_after_days_in_range"),
        ]

    def __str__(self):
        return f"{self.get_frequency_display()}报送，周期结束后 {self.due_after_days} 天内"

    @property
    def months(self) -> int:
        return self.MONTHS[self.frequency]

    def last_period(self, today) -> periods.Period:
        """The last whole period that ended before `today`: the one whose round is due now."""
        return periods.last_complete(today, self.months)

    def due_on(self, period: periods.Period):
        return period.end + timedelta(days=self.due_after_days)


class RoundQuerySet(models.QuerySet):
    def of_plan(self, plan):
        return self.filter(plan=plan)

    def newest_first(self):
        return self.order_by("-due_on", "-pk")

    def past_due(self, today):
        return self.filter(due_on__lt=today)


class ReportingRound(models.Model):
    """One round of progress reports of a plan, e.g. 2026年第1季度, due 2026-04-10.

    Opening it (progress.writing.rounds.open_round) makes a Report for every reporting unit (lead or joint) of each
    task it covers; its coverage is those reports.
    """

    # A plan with 督办 rounds is not deleted: its reports, their history and attachments would go with it unseen.
    plan = models.ForeignKey(Plan, models.PROTECT, related_name="rounds", verbose_name="方案")
    name = models.CharField("名称", max_length=50, help_text="如 2026年第1季度")
    period_start = models.DateField("周期开始")
    period_end = models.DateField("周期结束")
    due_on = models.DateField("报送截止日")
    note = models.TextField("报送要求", blank=True)
    scheduled = models.BooleanField("按报送计划开启", default=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="开启人"
    )
    opened_at = models.DateTimeField("开启时间", auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = "报送轮次"
        verbose_name_plural = "报送轮次"
        ordering = ["plan", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="round_unique_name_per_plan"),
            models.CheckConstraint(condition=Q(period_start__lte=F("period_end")), name="round_period_in_order"),
            models.CheckConstraint(condition=Q(due_on__gte=F("period_start")), name="round_due_after_period_start"),
        ]
        indexes = [models.Index(fields=["plan", "due_on"], name="round_plan_due_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("progress:round", args=[self.pk])

    def is_past_due(self, today) -> bool:
        return self.due_on < today
