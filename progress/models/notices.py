"""What was sent: reminders (once per notice and period) and 催办 (a coordinator chasing one unit on one task)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from agencies.models import Agency
from plans.models import Plan, Task


class ReminderLog(models.Model):
    """One notice sent to one person in one period; send_reminders never sends a logged notice again in it."""

    class Kind(models.TextChoices):
        AGENCY = "agency", "单位待办提醒"
        COORDINATOR = "coordinator", "未报送汇总"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name="收件人")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    # What the notice is about, e.g. due:<report id>, overdue:<report id>, task:<task id>:<agency id>.
    notice = models.CharField("提醒事项", max_length=100)
    period = models.CharField("周期", max_length=20, help_text="如 2026-W15、2026-04-10、2026-04")
    agency = models.ForeignKey(Agency, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="单位")
    plan = models.ForeignKey(Plan, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="方案")
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "提醒记录"
        verbose_name_plural = "提醒记录"
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "notice", "period"], name="reminderlog_once_per_period"),
            models.CheckConstraint(condition=Q(kind__in=["agency", "coordinator"]), name="reminderlog_kind_valid"),
        ]
        indexes = [models.Index(fields=["period", "recipient"], name="reminderlog_period_idx")]

    def __str__(self):
        return f"{self.period} {self.notice} → {self.recipient}"


class Chase(models.Model):
    """催办: a coordinator chases one unit on one task; the message is kept with whom it went to."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="chases", verbose_name="方案")
    task = models.ForeignKey(Task, models.CASCADE, related_name="chases", verbose_name="任务")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="progress_chases", verbose_name="被催办单位")
    message = models.TextField("催办内容")
    recipients = models.TextField("收件人", blank=True, help_text="发送到的邮箱，每行一个")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name="催办人"
    )
    sent_at = models.DateTimeField("催办时间", auto_now_add=True)

    class Meta:
        verbose_name = "催办记录"
        verbose_name_plural = "催办记录"
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"催办 {self.agency}：{self.task}"
