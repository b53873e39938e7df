"""领导批示: a leader's instruction on a task, as the 督查室 records it; shown at the top of the task, in the 进展台账
and to the units concerned."""

from django.conf import settings
from django.db import models

from lib.history import history_with_reason
from plans.models import Task


class Instruction(models.Model):
    task = models.ForeignKey(Task, models.CASCADE, related_name="instructions", verbose_name="任务")
    leader = models.CharField("批示领导", max_length=50, help_text="如 张市长、市委办公室转来的批示")
    given_on = models.DateField("批示日期")
    text = models.TextField("批示内容")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = history_with_reason()

    class Meta:
        verbose_name = "领导批示"
        verbose_name_plural = "领导批示"
        ordering = ["task", "-given_on", "-pk"]

    def __str__(self):
        return f"{self.leader}（{self.given_on:%Y-%m-%d}）：{self.text[:30]}"

    @property
    def line(self) -> str:
        """As the 台账 and the task page print it: 【领导批示】张市长（2026-11-02）：……"""
        return f"【领导批示】{self.leader}（{self.given_on:%Y-%m-%d}）：{self.text}"
