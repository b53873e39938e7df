"""An appendix's rows (重点事项清单, with their own units) and key projects (重点项目清单)."""

from django.db import models
from django.db.models import Q

from agencies.models import Agency

from .. import labels
from .duty import Duty
from .plan import Plan
from .task import Task


class AppendixRow(models.Model):
    """A row of an appendix 重点事项清单, kept beside the body's reading of the same task."""

    class Kind(models.TextChoices):
        GOAL = "goal", "总体目标"
        TASK = "task", "重点任务"

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="appendix_rows")
    task = models.ForeignKey(Task, models.SET_NULL, null=True, blank=True, related_name="appendix_rows")
    appendix = models.CharField("附件", max_length=20)
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    group = models.CharField("分组", max_length=100, blank=True)
    section = models.CharField("章节", max_length=200, blank=True)
    number = models.CharField("编号", max_length=20, blank=True)
    title = models.CharField("目标任务", max_length=300)
    text = models.TextField("内容", blank=True)
    lead_text = models.TextField("牵头单位（原文）", blank=True)
    units_text = models.TextField("责任单位（原文）", blank=True)
    disagrees = models.BooleanField("与正文不一致", default=False)
    position = models.PositiveIntegerField("顺序")
    line = models.PositiveIntegerField("源文件行号")

    class Meta:
        verbose_name = "附件清单行"
        verbose_name_plural = "附件清单行"
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="appendixrow_unique_position_per_plan"),
        ]

    def __str__(self):
        return f"{self.appendix} {self.number}{self.title}"

    @property
    def title_differs(self) -> bool:
        """Whether the row names its task differently from the body (needs `task` loaded)."""
        return self.task is not None and self.title != self.task.title


class AppendixUnit(models.Model):
    row = models.ForeignKey(AppendixRow, models.CASCADE, related_name="units")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="appendix_units")
    role = models.CharField("职责", max_length=20, choices=Duty.Role.choices)
    as_written = models.CharField("原文写法", max_length=200, blank=True)
    position = models.PositiveIntegerField("排列顺序", default=0)

    class Meta:
        verbose_name = "附件清单单位"
        verbose_name_plural = "附件清单单位"
        ordering = ["row", "position"]
        constraints = [
            models.UniqueConstraint(fields=["row", "agency"], name="appendixunit_one_per_row_and_agency"),
            models.CheckConstraint(
                condition=Q(role__in=["lead", "cooperating", "joint"]), name="appendixunit_role_valid"
            ),
        ]

    # An appendix states its roles; nothing in it is inferred. Lets a unit render as a duty chip.
    inferred = False

    def __str__(self):
        return f"{self.agency} {self.get_role_display()}"

    @property
    def mark(self) -> str:
        return Duty.MARKS[self.role]

    @property
    def role_label(self) -> str:
        return labels.role_label(self.role)


class KeyProject(models.Model):
    """A row of an appendix 重点项目清单."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="projects")
    agency = models.ForeignKey(Agency, models.SET_NULL, null=True, blank=True, related_name="projects")
    number = models.PositiveIntegerField("序号", null=True, blank=True)
    category = models.CharField("类别", max_length=100, blank=True)
    unit_as_written = models.CharField("项目单位", max_length=200, blank=True)
    name = models.CharField("项目名称", max_length=300)
    content = models.TextField("建设内容", blank=True)
    start_year = models.PositiveSmallIntegerField("起始年", null=True, blank=True)
    end_year = models.PositiveSmallIntegerField("截止年", null=True, blank=True)
    investment = models.DecimalField("项目总投资（万元）", max_digits=14, decimal_places=2, null=True, blank=True)
    position = models.PositiveIntegerField("顺序")
    line = models.PositiveIntegerField("源文件行号")

    class Meta:
        verbose_name = "重点项目"
        verbose_name_plural = "重点项目"
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="keyproject_unique_position_per_plan"),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(end_year__isnull=True)
                | Q(start_year__lte=models.F("end_year")),
                name="keyproject_years_in_order",
            ),
        ]

    def __str__(self):
        return self.name
