from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse

from accounts import roles
from agencies.models import Agency, Region, history_with_reason


class PlanQuerySet(models.QuerySet):
    def editable_by(self, user):
        """Plans whose assignments the user may change: all for an administrator, his own for a coordinator."""
        if roles.is_administrator(user):
            return self
        if not roles.is_signed_in(user):
            return self.none()
        return self.filter(coordinators=user)

    def with_counts(self):
        """Annotate task_count and agency_count, each by a correlated subquery.

        Subqueries rather than Count over joins: joining every plan's tasks to
        every duty multiplies rows, which made the home page slow as plans grew.
        """
        tasks = Task.objects.filter(plan=OuterRef("pk")).order_by().values("plan").annotate(n=Count("pk")).values("n")
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


class Plan(models.Model):
    """One 碳达峰实施方案 as published (or as a draft for comment)."""

    class LeadConvention(models.TextChoices):
        STATED = "stated", "仅认定写明的牵头单位"
        FIRST_LISTED = "first_listed", "未写明时推定首列单位牵头"

    title = models.CharField("标题", max_length=200)
    region = models.ForeignKey(Region, models.PROTECT, related_name="plans", verbose_name="行政区")
    issuer = models.CharField("印发机关", max_length=100, blank=True)
    doc_number = models.CharField("文号", max_length=50, blank=True)
    issued_on = models.DateField("印发日期", null=True, blank=True)
    is_draft = models.BooleanField("征求意见稿", default=False)
    lead_convention = models.CharField(
        "牵头认定规则", max_length=20, choices=LeadConvention.choices, default=LeadConvention.STATED
    )
    source_name = models.CharField("源文件", max_length=255)
    checksum = models.CharField("源文件 SHA-256", max_length=64)
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

    objects = PlanQuerySet.as_manager()

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
        ]

    def __str__(self):
        return f"{self.title}（征求意见稿）" if self.is_draft else self.title

    def get_absolute_url(self):
        return reverse("plans:plan-detail", args=[self.pk])

    def get_matrix_url(self):
        return reverse("plans:plan-matrix", args=[self.pk])


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
        if self.number and not self.number.endswith(("）", ")", "、", ".", "．")):
            return f"{self.number}、{self.title}"
        return f"{self.number}{self.title}"


class TaskQuerySet(models.QuerySet):
    def editable_by(self, user):
        """Tasks whose duties the user may change (see PlanQuerySet.editable_by)."""
        if roles.is_administrator(user):
            return self
        return self.filter(plan__in=Plan.objects.editable_by(user))

    def in_outline_order(self):
        return self.order_by("plan_id", "position")

    def with_duties(self):
        """Tasks with their duties and agencies, in two extra queries however many tasks."""
        return self.select_related("section", "plan").prefetch_related(
            models.Prefetch("duties", queryset=Duty.objects.select_related("agency__region").order_by("position"))
        )

    def with_targets(self):
        """Prefetch each task's dated targets in order (one extra query)."""
        return self.prefetch_related(Prefetch("targets", queryset=Target.objects.order_by("position")))

    def search(self, query: str):
        """Tasks whose number, title or text contains the query."""
        query = query.strip()
        if not query:
            return self.none()
        return self.filter(Q(title__contains=query) | Q(body__contains=query) | Q(number=query))


class Task(models.Model):
    """A task of a plan: a numbered item, or a section that carries a duty clause itself."""

    class Kind(models.TextChoices):
        TASK = "task", "任务"
        GOAL = "goal", "目标"

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="tasks")
    section = models.ForeignKey(Section, models.CASCADE, related_name="tasks", verbose_name="所属章节")
    ref = models.CharField("结构编号", max_length=40, help_text="在方案结构中的位置，如 3.2.1；重新导入时据此对应")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.TASK)
    number = models.CharField("编号", max_length=20, blank=True)
    title = models.CharField("标题", max_length=300, blank=True)
    body = models.TextField("正文", blank=True)
    is_section = models.BooleanField("章节即任务", default=False)
    clause_text = models.TextField("责任条款原文", blank=True)
    clause_note = models.TextField("条款附注", blank=True)
    position = models.PositiveIntegerField("顺序")
    line = models.PositiveIntegerField("源文件行号")
    duties_ordered_by_hand = models.BooleanField(
        "单位顺序经人工调整", default=False, help_text="重新导入方案时保留人工排定的单位顺序"
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "ref"], name="task_unique_ref_per_plan"),
            models.CheckConstraint(condition=Q(kind__in=["task", "goal"]), name="task_kind_valid"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}".strip() or self.ref

    def get_absolute_url(self):
        return reverse("plans:task-detail", args=[self.pk])

    @property
    def heading(self) -> str:
        """The task as a heading: 1. 大力发展可再生能源; a task without a number shows its title alone."""
        title = self.title or self.ref
        if not self.number:
            return title
        separator = ". " if self.number[-1].isdigit() else ""
        return f"{self.number}{separator}{title}"

    def target_lines(self) -> list["Target"]:
        """The task's targets, one per sentence: a sentence stating two values is stored as two targets.

        Uses the prefetched targets when there are (see TaskQuerySet.with_targets).
        """
        seen, lines = set(), []
        for target in self.targets.all():
            if (target.label, target.text) not in seen:
                seen.add((target.label, target.text))
                lines.append(target)
        return lines

    def body_parts(self) -> tuple[str, str, str]:
        """The body split around its duty clause: (before, clause, after), for highlighting.

        The clause is found as written in the body; when it is not there (a
        clause under a heading, say) the whole body comes first and the clause
        stands alone.
        """
        clause = self.clause_text
        if clause:
            at = self.body.rfind(clause)
            if at >= 0:
                return self.body[:at], clause, self.body[at + len(clause) :]
        return self.body, clause, ""


class DutyQuerySet(models.QuerySet):
    def for_agency(self, agency):
        return self.filter(agency=agency)

    def leads(self):
        return self.filter(role=Duty.Role.LEAD)

    def in_plan(self, plan):
        return self.filter(task__plan=plan)

    def role_counts(self) -> dict[str, int]:
        """Duties per role, in one query; every role is present, zero if it has no duties."""
        rows = self.values("role").annotate(n=Count("id")).order_by()
        counts = dict.fromkeys(Duty.Role.values, 0)
        counts.update({row["role"]: row["n"] for row in rows})
        return counts

    def with_role_rank(self):
        """Annotate role_rank: lead 0, joint 1, cooperating 2, the order staff read their duties in."""
        return self.annotate(
            role_rank=Case(
                When(role=Duty.Role.LEAD, then=Value(0)),
                When(role=Duty.Role.JOINT, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )

    def lead_first(self):
        """Led tasks first, then joint, then cooperating; within a role in plan and outline order."""
        return self.with_role_rank().order_by(
            "role_rank", "task__plan__region__code", "task__plan_id", "task__position"
        )

    def with_task_context(self):
        """Each duty with its task's plan, section, other duties and targets, in three queries however many."""
        return self.select_related("task__plan__region", "task__section", "agency__region").prefetch_related(
            Prefetch("task__duties", queryset=Duty.objects.select_related("agency").order_by("position")),
            Prefetch("task__targets", queryset=Target.objects.order_by("position")),
        )


class Duty(models.Model):
    """An agency's part in a task: leads (牵头), cooperates (配合) or shares it (共同负责)."""

    class Role(models.TextChoices):
        LEAD = "lead", "牵头"
        COOPERATING = "cooperating", "配合"
        JOINT = "joint", "共同负责"

    class Source(models.TextChoices):
        TEXT = "text", "正文条款"
        TABLE = "table", "附件清单"
        NOTE = "note", "条款附注"
        MANUAL = "manual", "人工录入"

    task = models.ForeignKey(Task, models.CASCADE, related_name="duties", verbose_name="任务")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="duties", verbose_name="责任单位")
    role = models.CharField("职责", max_length=20, choices=Role.choices)
    inferred = models.BooleanField("推定", default=False, help_text="原文未写明牵头，按方案的认定规则推定")
    as_written = models.CharField("原文写法", max_length=200, blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.TEXT)
    position = models.PositiveIntegerField("排列顺序", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = DutyQuerySet.as_manager()
    history = history_with_reason(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "职责分工"
        verbose_name_plural = "职责分工"
        ordering = ["task", "position"]
        constraints = [
            models.UniqueConstraint(fields=["task", "agency"], name="duty_one_per_task_and_agency"),
            models.CheckConstraint(condition=Q(role__in=["lead", "cooperating", "joint"]), name="duty_role_valid"),
            models.CheckConstraint(
                condition=Q(source__in=["text", "table", "note", "manual"]), name="duty_source_valid"
            ),
            # Only a lead or a cooperating role can be inferred; joint is what the text says.
            models.CheckConstraint(condition=~Q(inferred=True, role="joint"), name="duty_joint_never_inferred"),
        ]
        indexes = [
            # The agency duty list filters by agency across all plans.
            models.Index(fields=["agency", "role"], name="duty_agency_role_idx"),
        ]

    # One-character marks, as 分工表 and matrices write roles.
    MARKS = {Role.LEAD: "牵", Role.COOPERATING: "配", Role.JOINT: "共"}

    def __str__(self):
        return f"{self.agency} {self.role_label}：{self.task}"

    @property
    def mark(self) -> str:
        return self.MARKS[self.role]

    @property
    def role_label(self) -> str:
        """牵头, 配合, 共同负责, or 牵头（推定） for a lead the plan's rule inferred."""
        return self.get_role_display() + ("（推定）" if self.inferred else "")

    def clean(self):
        if self.inferred and self.role == self.Role.JOINT:
            raise ValidationError({"inferred": "“共同负责”是原文所写，不能标为推定。"})


class RemovedDuty(models.Model):
    """A duty a person removed, remembered so that re-ingesting the plan's text does not bring it back."""

    task = models.ForeignKey(Task, models.CASCADE, related_name="removed_duties", verbose_name="任务")
    agency = models.ForeignKey(Agency, models.CASCADE, related_name="removed_duties", verbose_name="责任单位")
    role = models.CharField("原职责", max_length=20, choices=Duty.Role.choices)
    removed_by_import = models.ForeignKey(
        "DivisionImport", models.SET_NULL, null=True, blank=True, related_name="removals", verbose_name="来自导入"
    )
    created_at = models.DateTimeField("删除时间", auto_now_add=True)

    class Meta:
        verbose_name = "已删除的职责"
        verbose_name_plural = "已删除的职责"
        ordering = ["task", "agency"]
        constraints = [
            models.UniqueConstraint(fields=["task", "agency"], name="removedduty_one_per_task_and_agency"),
        ]

    def __str__(self):
        return f"{self.agency}（原{self.get_role_display()}）：{self.task}"


class Target(models.Model):
    """A dated target stated in a task or in the plan's 主要目标."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="targets")
    task = models.ForeignKey(Task, models.CASCADE, null=True, blank=True, related_name="targets")
    label = models.CharField("时间表述", max_length=40, help_text="原文写法，如 到2025年、2030年前、“十四五”期间")
    year = models.PositiveSmallIntegerField("年份", null=True, blank=True)
    text = models.TextField("目标原文")
    value = models.DecimalField("数值", max_digits=16, decimal_places=4, null=True, blank=True)
    unit = models.CharField("单位", max_length=20, blank=True)
    position = models.PositiveIntegerField("顺序")

    class Meta:
        verbose_name = "目标"
        verbose_name_plural = "目标"
        ordering = ["plan", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=2000, year__lte=2100), name="target_year_plausible"
            ),
        ]

    def __str__(self):
        return f"{self.label}：{self.text}"


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
        return self.get_role_display()


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

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="warnings")
    code = models.CharField("类型", max_length=30, choices=Code.choices)
    message = models.TextField("说明")
    line = models.PositiveIntegerField("源文件行号", null=True, blank=True)
    position = models.PositiveIntegerField("顺序")

    class Meta:
        verbose_name = "导入提示"
        verbose_name_plural = "导入提示"
        ordering = ["plan", "position"]

    def __str__(self):
        where = f"第{self.line}行 " if self.line else ""
        return f"{where}{self.get_code_display()}：{self.message}"


class DivisionImport(models.Model):
    """An uploaded 分工表: kept with what it would change, then applied once a person confirms.

    The workbook is stored so the import can be traced to the file and the
    user, and so the problem cells can be marked in a copy to download.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待确认"
        APPLIED = "applied", "已应用"
        CANCELLED = "cancelled", "已取消"

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="imports", verbose_name="方案")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name="上传人"
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="确认人"
    )
    file_name = models.CharField("文件名", max_length=255)
    checksum = models.CharField("文件 SHA-256", max_length=64)
    workbook = models.BinaryField("工作簿")
    sheet = models.CharField("工作表", max_length=100, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    changes = models.JSONField("拟变更", default=list)
    problems = models.JSONField("问题", default=list)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    applied_at = models.DateTimeField("应用时间", null=True, blank=True)

    class Meta:
        verbose_name = "分工表导入"
        verbose_name_plural = "分工表导入"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "applied", "cancelled"]), name="divisionimport_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="applied", applied_at__isnull=False) | ~Q(status="applied"),
                name="divisionimport_applied_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.plan}：{self.file_name}（{self.get_status_display()}）"

    def get_absolute_url(self):
        return reverse("plans:import-detail", args=[self.pk])


class TaskNoteQuerySet(models.QuerySet):
    def editable_by(self, user):
        """Notes the user may write: his own agencies' (all for an administrator)."""
        return self.filter(agency__in=Agency.objects.annotatable_by(user))


class TaskNote(models.Model):
    """What an agency's staff keep on one of its tasks: who handles it and how it stands.

    Kept apart from Duty so that nothing written here goes when a re-ingest or
    an edit removes or changes the duty itself.
    """

    task = models.ForeignKey(Task, models.CASCADE, related_name="notes", verbose_name="任务")
    agency = models.ForeignKey(Agency, models.CASCADE, related_name="task_notes", verbose_name="责任单位")
    contact_person = models.CharField("具体负责人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=50, blank=True)
    note = models.TextField("工作备注", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="填写人"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = TaskNoteQuerySet.as_manager()
    history = history_with_reason(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "任务备注"
        verbose_name_plural = "任务备注"
        ordering = ["task", "agency"]
        constraints = [
            models.UniqueConstraint(fields=["task", "agency"], name="tasknote_one_per_task_and_agency"),
        ]

    def __str__(self):
        return f"{self.agency}：{self.task}"


class PlanUpload(models.Model):
    """A plan file an administrator uploaded: previewed, then stored only when he confirms.

    The bytes are kept so the preview and the confirmation read the same file,
    and so every change to a plan can be traced to the file and the person.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待确认"
        APPLIED = "applied", "已导入"
        CANCELLED = "cancelled", "已取消"

    file_name = models.CharField("文件名", max_length=255)
    checksum = models.CharField("文件 SHA-256", max_length=64)
    data = models.BinaryField("文件内容")
    lead_convention = models.CharField(
        "牵头认定规则", max_length=20, choices=Plan.LeadConvention.choices, default=Plan.LeadConvention.STATED
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    plan = models.ForeignKey(
        Plan, models.SET_NULL, null=True, blank=True, related_name="uploads", verbose_name="导入的方案"
    )
    resolutions = models.JSONField("冲突处理", default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name="上传人"
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="确认人"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    applied_at = models.DateTimeField("导入时间", null=True, blank=True)

    class Meta:
        verbose_name = "方案上传"
        verbose_name_plural = "方案上传"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "applied", "cancelled"]), name="planupload_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="applied", applied_at__isnull=False) | ~Q(status="applied"),
                name="planupload_applied_has_time",
            ),
            models.CheckConstraint(
                condition=Q(lead_convention__in=["stated", "first_listed"]), name="planupload_lead_convention_valid"
            ),
        ]

    def __str__(self):
        return f"{self.file_name}（{self.get_status_display()}）"

    def get_absolute_url(self):
        return reverse("plans:upload-detail", args=[self.pk])
