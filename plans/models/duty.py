"""Who does a task: an agency's duty (lead, cooperating or joint), and the duties a person removed."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import Lower

from agencies.models import Agency
from lib.history import history_with_reason

from .. import labels
from .task import Task


class DutyQuerySet(models.QuerySet):
    def for_agency(self, agency):
        return self.filter(agency=agency)

    def leads(self):
        return self.filter(role=Duty.Role.LEAD)

    def in_plan(self, plan):
        return self.filter(task__plan=plan)

    def summary(self) -> dict[str, int]:
        """In one query: agencies (distinct), duties per role (lead, cooperating, joint) and inferred ones."""
        return self.order_by().aggregate(
            agencies=Count("agency", distinct=True),
            **{role: Count("pk", filter=Q(role=role)) for role in Duty.Role.values},
            inferred=Count("pk", filter=Q(inferred=True)),
        )

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

    def with_outline_keys(self):
        """Annotate outline_region, the task's plan's region code: order by it, then plan and task position.

        An expression (the code in lower case, which changes nothing) rather than the column itself: ordered
        by the indexed column under a LIMIT, PostgreSQL walked the regions in code order and joined each to
        all the agency's duties (0.7 s for an agency with 3,760) instead of sorting those in milliseconds.
        """
        return self.annotate(outline_region=Lower("task__plan__region__code"))

    def lead_first(self):
        """Led tasks first, then joint, then cooperating; within a role in plan and outline order."""
        return (
            self.with_role_rank()
            .with_outline_keys()
            .order_by("role_rank", "outline_region", "task__plan_id", "task__position")
        )

    def with_task_context(self):
        """Each duty with what the 任务清单 shows of its task, plan and section, in the one query; the task's other
        duties and targets are read as rows (plans.duty_rows.attach)."""
        return self.select_related("task__plan", "task__section").only(
            *("task_id", "agency_id", "role", "inferred"),
            *("task__plan_id", "task__section_id", "task__number", "task__title", "task__ref", "task__position"),
            *("task__plan__title", "task__plan__is_draft", "task__section__number", "task__section__title"),
        )


class Duty(labels.ShowsRole, models.Model):
    """An agency's part in a task: leads (牵头), cooperates (配合) or shares it (共同负责)."""

    class Role(models.TextChoices):
        LEAD = "lead", labels.ROLES["lead"]
        COOPERATING = "cooperating", labels.ROLES["cooperating"]
        JOINT = "joint", labels.ROLES["joint"]

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
            # The agency duty list filters by agency and role across all plans; with the task in the index its
            # counts by plan, section and role read the index alone.
            models.Index(fields=["agency", "role", "task"], name="duty_agency_role_task_idx"),
        ]

    MARKS = labels.MARKS

    def __str__(self):
        return f"{self.agency} {self.role_label}：{self.task}"

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


def attach_duty_counts(agencies) -> list:
    """The agencies as a list, each given lead_count, cooperating_count, joint_count and duty_count.

    One grouped query over the duties of these agencies alone (the index on agency, role and task answers
    it), so a page of agencies costs the same however many agencies and duties there are besides.
    """
    agencies = list(agencies)
    rows = (
        Duty.objects.filter(agency__in=[a.pk for a in agencies])
        .order_by()
        .values_list("agency_id", "role")
        .annotate(n=Count("pk"))
    )
    counts = {(agency_id, role): n for agency_id, role, n in rows}
    for agency in agencies:
        agency.lead_count = counts.get((agency.pk, Duty.Role.LEAD), 0)
        agency.cooperating_count = counts.get((agency.pk, Duty.Role.COOPERATING), 0)
        agency.joint_count = counts.get((agency.pk, Duty.Role.JOINT), 0)
        agency.duty_count = agency.lead_count + agency.cooperating_count + agency.joint_count
    return agencies


def with_duty_counts(agencies):
    """Annotate agencies with lead_count, cooperating_count, joint_count and duty_count, in the same query."""
    return agencies.annotate(
        lead_count=Count("duties", filter=Q(duties__role=Duty.Role.LEAD)),
        cooperating_count=Count("duties", filter=Q(duties__role=Duty.Role.COOPERATING)),
        joint_count=Count("duties", filter=Q(duties__role=Duty.Role.JOINT)),
        duty_count=Count("duties"),
    )
