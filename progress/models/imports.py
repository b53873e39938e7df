"""An agency's round sheet, filled offline and sent back: kept, previewed, then applied all or nothing."""

from django.db import models
from django.urls import reverse

from agencies.models import Agency
from plans.models import WorkbookUpload
from progress.models.rounds import ReportingRound


class ReportImport(WorkbookUpload):
    """An uploaded round sheet with what it would write and every problem found; applied once a person confirms."""

    round = models.ForeignKey(ReportingRound, models.CASCADE, related_name="imports", verbose_name="报送轮次")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="progress_imports", verbose_name="报送单位")
    rows = models.JSONField("拟填报", default=list)

    class Meta(WorkbookUpload.Meta):
        verbose_name = "进展报送表导入"
        verbose_name_plural = "进展报送表导入"

    def __str__(self):
        return f"{self.agency}：{self.file_name}（{self.get_status_display()}）"

    def get_absolute_url(self):
        return reverse("progress:import-detail", args=[self.pk])
