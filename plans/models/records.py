"""Files people upload to change the data: a plan text (PlanUpload) and an edited 分工表 (DivisionImport).

Both are kept before anything changes, previewed, and then applied or cancelled
once by a person; the shared lifecycle is `UploadRecord`, and `WorkbookUpload` adds
what every uploaded workbook keeps (progress's round sheets use it too).
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from agencies.models import Region

from ..parsing import PlanFormatError
from ..parsing.readers import convert
from .plan import Plan


class UploadRecord(models.Model):
    """An uploaded file waiting for a person to confirm it (applied) or drop it (cancelled).

    The bytes are kept, so that the preview and the confirmation read the same
    file and every change can be traced to the file and the people involved.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待确认"
        APPLIED = "applied", "已导入"
        CANCELLED = "cancelled", "已取消"

    file_name = models.CharField("文件名", max_length=255)
    checksum = models.CharField("文件 SHA-256", max_length=64)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name="上传人"
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="确认人"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    applied_at = models.DateTimeField("导入时间", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "applied", "cancelled"]), name="%(class)s_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="applied", applied_at__isnull=False) | ~Q(status="applied"),
                name="%(class)s_applied_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.file_name}（{self.get_status_display()}）"

    @staticmethod
    def received_workbook(user, name: str, data: bytes, proposal) -> dict:
        """The fields every workbook upload records the same way: who, the file as sent, the sheet read and the
        problems found in it (a proposal of plans' 分工表 import or progress' round-sheet import)."""
        return {
            "uploaded_by": user,
            "file_name": name[:255],
            "checksum": hashlib.sha256(data).hexdigest(),
            "workbook": data,
            "sheet": proposal.sheet[:100],
            "problems": [p.as_row() for p in proposal.problems],
        }

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def locked_status(self) -> str:
        """The status re-read under a row lock (inside a transaction), so two confirmations cannot both apply it."""
        return type(self).objects.select_for_update().values_list("status", flat=True).get(pk=self.pk)

    def mark_applied(self, user, *fields: str) -> None:
        """Record who applied it and when; `fields` are other fields the caller set, saved with them."""
        self.status = self.Status.APPLIED
        self.applied_by = user
        self.applied_at = timezone.now()
        self.save(update_fields=["status", "applied_by", "applied_at", *fields])

    def cancel(self) -> bool:
        """Drop a pending upload; False when it was no longer pending."""
        if not self.is_pending:
            return False
        self.status = self.Status.CANCELLED
        self.save(update_fields=["status"])
        return True


class PlanUpload(UploadRecord):
    """A plan file an administrator uploaded: previewed, then stored only when he confirms.

    `data` is the file as uploaded (offered for download from the plan page). A .doc/.wps needs
    LibreOffice first; that runs as a task (plans.tasks), which stores the .docx it made in
    `converted`, or why it failed in `conversion_error`.
    """

    data = models.BinaryField("文件内容")
    needs_conversion = models.BooleanField("需要转换", default=False)
    converted = models.BinaryField("转换后的 .docx", null=True, blank=True)
    conversion_error = models.TextField("转换失败原因", blank=True)
    lead_convention = models.CharField(
        "牵头认定规则", max_length=20, choices=Plan.LeadConvention.choices, default=Plan.LeadConvention.STATED
    )
    plan = models.ForeignKey(
        Plan, models.SET_NULL, null=True, blank=True, related_name="uploads", verbose_name="导入的方案"
    )
    # The region a person chose in the preview, when the text did not settle it (or he corrected it).
    region = models.ForeignKey(
        Region, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="选定的行政区"
    )
    resolutions = models.JSONField("冲突处理", default=dict, blank=True)
    # What a person corrected in the preview: the title (blank: as the text has it), and the names the text would
    # make new agencies of that he mapped onto existing ones ({written name: {"id", "name"}}). When applied, every
    # new name is recorded with the agency it became ("new": true when it was created).
    title = models.CharField("更正后的标题", max_length=Plan._meta.get_field("title").max_length, blank=True)
    agency_mapping = models.JSONField("新单位的处理", default=dict, blank=True)
    # The plan's state as a person chose it in the preview; blank: as plans.lifecycle judges it from the dates.
    state = models.CharField("方案状态", max_length=10, choices=Plan.State.choices, blank=True)

    class Meta(UploadRecord.Meta):
        verbose_name = "方案上传"
        verbose_name_plural = "方案上传"
        constraints = [
            *UploadRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(lead_convention__in=["stated", "first_listed"]), name="planupload_lead_convention_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["", "active", "finished", "reference"]), name="planupload_state_valid"
            ),
        ]

    def get_absolute_url(self):
        return reverse("plans:upload-detail", args=[self.pk])

    @property
    def converting(self) -> bool:
        """Waiting for the conversion task: the preview cannot be shown yet."""
        return self.needs_conversion and self.converted is None and not self.conversion_error

    def readable(self) -> bytes | None:
        """The bytes the readers take: the converted .docx when there is one; None while converting."""
        if not self.needs_conversion:
            return bytes(self.data)
        return bytes(self.converted) if self.converted is not None else None

    def convert(self, soffice: str | None = None) -> None:
        """Run LibreOffice on the file and keep the result, or the reason it failed. Takes seconds."""
        try:
            self.converted = convert(bytes(self.data), self.file_name, soffice)
            self.conversion_error = ""
        except PlanFormatError as error:
            self.conversion_error = str(error)
        self.save(update_fields=["converted", "conversion_error"])


class WorkbookUpload(UploadRecord):
    """An uploaded workbook (a 分工表, a round's 报送表) with every problem found in it.

    The workbook is kept so the problem cells can be marked in a copy to download.
    """

    workbook = models.BinaryField("工作簿")
    sheet = models.CharField("工作表", max_length=100, blank=True)
    problems = models.JSONField("问题", default=list)

    class Meta(UploadRecord.Meta):
        abstract = True


class DivisionImport(WorkbookUpload):
    """An uploaded 分工表: kept with what it would change, then applied once a person confirms."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="imports", verbose_name="方案")
    changes = models.JSONField("拟变更", default=list)

    class Meta(WorkbookUpload.Meta):
        verbose_name = "分工表导入"
        verbose_name_plural = "分工表导入"

    def __str__(self):
        return f"{self.plan}：{self.file_name}（{self.get_status_display()}）"

    def get_absolute_url(self):
        return reverse("plans:import-detail", args=[self.pk])
