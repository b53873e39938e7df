"""待办: what 督办 tells a person in the app, for networks without outside e-mail: a round opened for his agency, a
report returned, a 催办, the periodic reminder. E-mail, where configured, is a second channel of the same."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class InboxQuerySet(models.QuerySet):
    def of(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class InboxItem(models.Model):
    """One message to one person; written by progress.writing.inbox, once per recipient and subject (`key`)."""

    class Kind(models.TextChoices):
        ROUND = "round", "新的报送轮次"
        RETURNED = "returned", "报告退回"
        CHASE = "chase", "催办"
        REMINDER = "reminder", "督办提醒"
        INSTRUCTION = "instruction", "领导批示"
        NOTICE = "notice", "督办通知单"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="inbox_items", verbose_name="收件人"
    )
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    text = models.TextField("内容", blank=True)
    # Where to act on it: a path on this site (the agency's 待报送 list, the report, the task).
    url = models.CharField("链接", max_length=300)
    # What it is about, so that the same message never reaches the same person twice: round:<id>:<agency>, …
    key = models.CharField("事项", max_length=150)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    objects = InboxQuerySet.as_manager()

    class Meta:
        verbose_name = "待办消息"
        verbose_name_plural = "待办消息"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="inboxitem_once_per_recipient"),
            models.CheckConstraint(
                condition=Q(kind__in=["round", "returned", "chase", "reminder", "instruction", "notice"]),
                name="inboxitem_kind_valid",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="inboxitem_unread_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"

    def get_absolute_url(self):
        return reverse("progress:inbox-item", args=[self.pk])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
