"""Every change of a plan's state (执行中 / 已完成 / 仅作参考), kept: who decided it, when and why."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .plan import Plan

STATES = [value for value, _ in Plan.State.choices]


class PlanStateChange(models.Model):
    """One change of Plan.state, written by plans.lifecycle with the change itself; the plan's state history.

    The first row of a plan is the state it was stored with (from blank); a person's later choice is never
    overwritten by a re-ingest, and each one stays here.
    """

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="state_changes", verbose_name="方案")
    before = models.CharField("原状态", max_length=10, choices=Plan.State.choices, blank=True)
    after = models.CharField("新状态", max_length=10, choices=Plan.State.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="修改人"
    )
    changed_at = models.DateTimeField("修改时间", auto_now_add=True)
    reason = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = "方案状态变更"
        verbose_name_plural = "方案状态变更"
        ordering = ["plan", "-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(after__in=STATES), name="planstatechange_after_valid"),
            models.CheckConstraint(condition=Q(before__in=["", *STATES]), name="planstatechange_before_valid"),
        ]

    def __str__(self):
        before = Plan.State(self.before).label if self.before else "（新导入）"
        return f"{before} → {self.get_after_display()}"
