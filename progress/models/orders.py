"""督办通知单: the numbered notice a 督查室 sends units about tasks they are behind on, kept as sent (the units' and
tasks' names as they stood), to be printed on A4 and filed."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from agencies.models import Agency
from plans.models import Plan, Task
from progress.models.rounds import ReportingRound


class SupervisionOrder(models.Model):
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="supervision_orders", verbose_name="方案")
    round = models.ForeignKey(
        ReportingRound, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="报送轮次"
    )
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("年度序号")
    issued_on = models.DateField("发出日期")
    reply_by = models.DateField("办理时限")
    request = models.TextField("督办要求")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name="发出人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "督办通知单"
        verbose_name_plural = "督办通知单"
        ordering = ["-year", "-serial"]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="supervisionorder_unique_number"),
            models.CheckConstraint(
                condition=Q(reply_by__gte=F("issued_on")), name="supervisionorder_reply_after_issue"
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("progress:order", args=[self.pk])

    @property
    def number(self) -> str:
        """督办〔2026〕3号."""
        return f"督办〔{self.year}〕{self.serial}号"


class SupervisionOrderItem(models.Model):
    """One unit on one task in a notice. The names are kept as sent: a unit merged or renamed later, or a task
    reworded, does not change a notice already filed."""

    order = models.ForeignKey(SupervisionOrder, models.CASCADE, related_name="items", verbose_name="督办通知单")
    task = models.ForeignKey(Task, models.SET_NULL, null=True, related_name="+", verbose_name="任务")
    agency = models.ForeignKey(Agency, models.SET_NULL, null=True, related_name="+", verbose_name="责任单位")
    task_label = models.CharField("任务", max_length=300)
    agency_name = models.CharField("责任单位名称", max_length=200)
    deadline = models.CharField("完成时限", max_length=50, blank=True)
    situation = models.CharField("现状", max_length=100, blank=True, help_text="如 2026年第3季度进展逾期未报送")
    position = models.PositiveIntegerField("顺序")

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="supervisionorderitem_unique_position"),
        ]

    def __str__(self):
        return f"{self.agency_name}：{self.task_label}"
