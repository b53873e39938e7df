"""A plan as published: its outline (parts and sections) and what ingestion flagged for a person to check."""

from django.conf import settings
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from agencies.models import Agency, Region
from agencies.scope import AgencyScope

from ..labels import source_label


class PlanQuerySet(models.QuerySet):
    def editable_by(self, user):
        """Plans whose assignments the user may change: all for an administrator, his own for a coordinator."""
        if roles.is_administrator(user):
            return self
        if not roles.is_signed_in(user):
            return self.none()
        return self.filter(coordinators=user)

    def in_regions(self, region_ids: list[int] | None):
        """Plans of these regions (agencies.navigation: a region and everything under it); None: all."""
        return self if region_ids is None else self.filter(region_id__in=region_ids)

    def supervised(self):
        """Plans under 督办 (执行中): only their tasks turn late, get rounds, reminders and dashboard rows."""
        return self.filter(state=Plan.State.ACTIVE)

    def issued_in(self, year: int | None):
        return self if year is None else self.filter(issued_on__year=year)

    def count_by_region_and_year(self) -> list[tuple[int, int | None, int]]:
        """(region id, year issued or None, plans) in one grouped query: the home page's navigation counts."""
        return list(self.order_by().values_list("region_id", ExtractYear("issued_on")).annotate(n=Count("pk")))

    def with_counts(self):
        """Annotate task_count and agency_count, each by a correlated subquery.

        Subqueries rather than Count over joins: joining every plan's tasks to
        every duty multiplies rows, which made the home page slow as plans grew.
        """
        from .duty import Duty  # the duty and task modules import this one
        from .task import Task

        tasks = Task.objects.filter(plan=OuterRef("pk")).order_by().values("plan").annotate(n=Count("*")).values("n")
        agencies = (
            Duty.objects.filter(task__plan=OuterRef("pk"))
            .order_by()
            .values("task__plan")
            .annotate(n=Count("agency", distinct=True))
            .values("n")
        )
        return self.annotate(
            task_count=Coalesce(Subquery(tasks, output_field=IntegerField()), 0),
            agency_count=Coalesce(Subquery(agencies, output_field=IntegerField()), 0),
        )

    def with_original(self):
        """Annotate original_upload_id and original_file_name: the applied upload whose file the plan now holds
        (same SHA-256), if any, and the name it was uploaded under.

        In the plan's own query, so offering the original file for download costs no query.
        """
        from .records import PlanUpload  # records imports this module

        uploads = PlanUpload.objects.filter(
            plan=OuterRef("pk"), status=PlanUpload.Status.APPLIED, checksum=OuterRef("checksum")
        ).order_by("-applied_at")
        return self.annotate(
            original_upload_id=Subquery(uploads.values("pk")[:1]),
            original_file_name=Subquery(uploads.values("file_name")[:1]),
        )


class PlanManager(models.Manager.from_queryset(PlanQuerySet)):
    def get_queryset(self):
        # The source text (about 53 KB a plan, half a megabyte for a big one) is shown nowhere; only a re-ingest
        # reads it, and a deferred field loads on first access. Queries that reach plans through
        # select_related leave it out with .defer(".._plan__source_text"): a test reads every page's SQL for it.
        return super().get_queryset().defer("source_text")


class Plan(models.Model):
    """One 碳达峰实施方案 as published (or as a draft for comment)."""

    class State(models.TextChoices):
        # Only a plan in force is run under 督办; a finished one and one kept for reference are read, never chased.
        ACTIVE = "active", "执行中"
        FINISHED = "finished", "已完成"
        REFERENCE = "reference", "仅作参考"

    class LeadConvention(models.TextChoices):
        STATED = "stated", "仅认定写明的牵头单位"
        FIRST_LISTED = "first_listed", "未写明时推定首列单位牵头"

    title = models.CharField("标题", max_length=200)
    region = models.ForeignKey(Region, models.PROTECT, related_name="plans", verbose_name="行政区")
    region_clue = models.CharField(
        "行政区依据", max_length=200, blank=True, help_text="行政区从何而来：如 发文机关“深圳市人民政府”、人工指定"
    )
    issuer = models.CharField("印发机关", max_length=100, blank=True)
    doc_number = models.CharField("文号", max_length=50, blank=True)
    issued_on = models.DateField("印发日期", null=True, blank=True)
    copied_to = models.CharField("抄送", max_length=300, blank=True)
    is_draft = models.BooleanField("征求意见稿", default=False)
    lead_convention = models.CharField(
        "牵头认定规则", max_length=20, choices=LeadConvention.choices, default=LeadConvention.STATED
    )
    # Written only by plans.lifecycle (set at ingest from the plan's dates, then by a person, with a log).
    state = models.CharField(
        "方案状态",
        max_length=10,
        choices=State.choices,
        default=State.ACTIVE,
        help_text="只有“执行中”的方案纳入督办：任务会逾期，可开启报送轮次，会发提醒。",
    )
    source_name = models.CharField("源文件", max_length=255)
    # Indexed: an upload and a re-ingest look a file up by its checksum.
    checksum = models.CharField("源文件 SHA-256", max_length=64, db_index=True)
    source_text = models.TextField("原文", blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coordinated_plans",
        verbose_name="方案管理员",
        help_text="可修改本方案各项任务的责任分工。",
    )
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PlanManager()

    class Meta:
        verbose_name = "实施方案"
        verbose_name_plural = "实施方案"
        ordering = ["region__code", "title"]
        permissions = [("administer_site", "系统管理员：可修改全部方案的分工、单位、别名，上传方案，管理账号")]
        constraints = [
            # A region publishes one plan of a title; its draft is a separate document.
            models.UniqueConstraint(fields=["region", "title", "is_draft"], name="plan_unique_title_per_region"),
            models.CheckConstraint(
                condition=Q(lead_convention__in=["stated", "first_listed"]), name="plan_lead_convention_valid"
            ),
            models.CheckConstraint(condition=Q(state__in=["active", "finished", "reference"]), name="plan_state_valid"),
        ]

    def __str__(self):
        return self.label(self.title, self.is_draft)

    def get_absolute_url(self):
        return reverse("plans:plan-detail", args=[self.pk])

    @property
    def is_supervised(self) -> bool:
        """Under 督办: see PlanQuerySet.supervised."""
        return self.state == self.State.ACTIVE

    @staticmethod
    def label(title: str, is_draft: bool) -> str:
        """How a plan is named everywhere, from plain values too: the title, a draft marked as such."""
        return f"{title}（征求意见稿）" if is_draft else title

    @property
    def source_label(self) -> str:
        """The source file's name as the reader knows it: the name it was uploaded under (with_original), else
        plans.labels.source_label of the name it was read from, never a machine's hash name."""
        return getattr(self, "original_file_name", None) or source_label(self.source_name, self.title)

    def get_matrix_url(self):
        return reverse("plans:plan-matrix", args=[self.pk])

    def agency_scope(self) -> AgencyScope:
        """The agencies this plan's units may be (agencies.scope), the plan's own first among equals.

        The edit form, the 分工表 import and the agency suggestions all ask this.
        """
        return AgencyScope(
            self.region, preferred=Agency.objects.filter(duties__task__plan=self).values_list("pk", flat=True)
        )

    def is_editable_by(self, user) -> bool:
        """Whether the user may change this plan's assignments (see PlanQuerySet.editable_by). One query at most."""
        return roles.is_signed_in(user) and type(self).objects.editable_by(user).filter(pk=self.pk).exists()


class Section(models.Model):
    """A part (一、) or section (（一）) of a plan's outline."""

    class Level(models.IntegerChoices):
        PART = 1, "部分"
        SECTION = 2, "章节"

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="sections")
    parent = models.ForeignKey("self", models.CASCADE, null=True, blank=True, related_name="children")
    level = models.PositiveSmallIntegerField("层级", choices=Level.choices)
    number = models.CharField("编号", max_length=20, blank=True)
    title = models.CharField("标题", max_length=200, blank=True)
    body = models.TextField("正文", blank=True)
    position = models.PositiveIntegerField("顺序")
    line = models.PositiveIntegerField("源文件行号")

    class Meta:
        verbose_name = "章节"
        verbose_name_plural = "章节"
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="section_unique_position_per_plan"),
        ]

    def __str__(self):
        return f"{self.number}{self.title}"

    @property
    def heading(self) -> str:
        """As the plan prints it: 一、总体要求 or （一）推进能源结构低碳转型."""
        return self.heading_of(self.number, self.title)

    @staticmethod
    def heading_of(number: str, title: str) -> str:
        """Section.heading from plain values, for lists read without model instances."""
        if number and not number.endswith(("）", ")", "、", ".", "．")):
            return f"{number}、{title}"
        return f"{number}{title}"


class IngestWarningQuerySet(models.QuerySet):
    def for_editors(self):
        """The warnings as the plan page lists them: by kind (KIND_ORDER), unchecked first, in text order within a
        kind; each row annotated `kind_count` (the warnings of its kind and checked state), `unchecked_count` and
        `checked_count` (the plan's), counted over all of them, so a page that shows only the first few still says
        how many there are, in its one query."""
        from ..warnings import KIND_ORDER  # the grouping rules live beside the page that uses them

        checked = ExpressionWrapper(Q(checked_at__isnull=False), output_field=BooleanField())
        rank = Case(*(When(code=code, then=Value(i)) for i, code in enumerate(KIND_ORDER)), default=Value(99))
        return (
            self.select_related("checked_by")
            .annotate(
                is_done=checked,
                kind_rank=rank,
                kind_count=Window(Count("pk"), partition_by=[F("code"), checked]),
                unchecked_count=Window(Count("pk", filter=Q(checked_at__isnull=True))),
                checked_count=Window(Count("pk", filter=Q(checked_at__isnull=False))),
            )
            .order_by("is_done", "kind_rank", "position")
        )


class IngestWarning(models.Model):
    """Something the ingester wants a person to look at, with the line it concerns."""

    class Code(models.TextChoices):
        UNKNOWN_UNIT = "unknown_unit", "未识别的单位"
        FUSED_SPLIT = "fused_split", "连写单位已拆分"
        INFERRED_LEAD = "inferred_lead", "推定牵头单位"
        TABLE_DISAGREEMENT = "table_disagreement", "附件与正文不一致"
        UNPLACED_TEXT = "unplaced_text", "未能归位的文字"
        ALIAS_MATCHED = "alias_matched", "按别名归并"
        PREFIX_CARRIED = "prefix_carried", "补全单位前缀"
        GLYPH_REPAIRED = "glyph_repaired", "修复字形错误"
        BLANKET_NOTE = "blanket_note", "条款附注适用后续任务"
        OUT_OF_RANGE = "out_of_range", "超出可保存范围"
        STATED_RULE = "stated_rule", "方案规定的牵头规则"
        TYPING_SLIP = "typing_slip", "疑似笔误"
        TITLE_GUESSED = "title_guessed", "标题为推定"
        REGION_GUESSED = "region_guessed", "行政区为推定"
        PAGE_BREAK = "page_break", "跨页段落已接续"
        NO_DUTIES = "no_duties", "未写明责任单位"

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="warnings")
    code = models.CharField("类型", max_length=30, choices=Code.choices)
    message = models.TextField("说明")
    line = models.PositiveIntegerField("源文件行号", null=True, blank=True)
    # Where that line is in the file the user has (第3页第12行 in a PDF, 第12段 in Word); blank for plain text.
    location = models.CharField("位置", max_length=100, blank=True)
    position = models.PositiveIntegerField("顺序")
    # A person compared the warning with the text and found it right (已核对). Kept across re-ingests for a
    # warning of the same code and message, since the decision is a person's (see plans.ingestion.loader).
    checked_at = models.DateTimeField("核对时间", null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="核对人",
    )

    objects = IngestWarningQuerySet.as_manager()

    class Meta:
        verbose_name = "导入提示"
        verbose_name_plural = "导入提示"
        ordering = ["plan", "position"]
        constraints = [
            # Who checked it may go (an account deleted), when stays; a checker without a time is a broken row.
            models.CheckConstraint(
                condition=Q(checked_by__isnull=True) | Q(checked_at__isnull=False),
                name="ingest_warning_checked_by_has_time",
            ),
        ]

    def __str__(self):
        where = f"{self.where} " if self.where else ""
        return f"{where}{self.get_code_display()}：{self.message}"

    @property
    def where(self) -> str:
        """第3页第12行, 第12段 or 第12行: how the user finds the line in his file."""
        return self.location or (f"第{self.line}行" if self.line else "")

    @property
    def is_checked(self) -> bool:
        return self.checked_at is not None

    def mark_checked(self, user) -> None:
        """Record that `user` compared this warning with the text (已核对)."""
        self.checked_at, self.checked_by = timezone.now(), user
        self.save(update_fields=["checked_at", "checked_by"])

    def clear_checked(self) -> None:
        """Back to unchecked: the person who marked it found he was wrong."""
        self.checked_at = self.checked_by = None
        self.save(update_fields=["checked_at", "checked_by"])
