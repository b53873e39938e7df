"""A task of a plan and the dated targets it states."""

import re

from django.db import connections, models
from django.db.models import Prefetch, Q
from django.urls import reverse

from accounts import roles
from lib import search

from ..labels import target_statement
from .plan import Plan, Section

# What a task's number looks like (12, 3.2, （三）): a query like one also finds the tasks so numbered.
TASK_NUMBER = re.compile(r"[0-9.一二三四五六七八九十（）()、]{1,8}")


def targets_in_order() -> Prefetch:
    """Tasks' dated targets in order, as target_lines reads them."""
    return Prefetch("targets", queryset=Target.objects.order_by("position"))


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
        from .duty import Duty  # the duty module imports this one

        return (
            self.select_related("section", "plan")
            .defer("plan__source_text")
            .prefetch_related(
                models.Prefetch("duties", queryset=Duty.objects.select_related("agency__region").order_by("position"))
            )
        )

    def with_targets(self):
        """Prefetch each task's dated targets in order (one extra query)."""
        return self.prefetch_related(targets_in_order())

    def search(self, query: str):
        """Tasks whose title or text contains the query, or whose number it is.

        On PostgreSQL the title and text conditions are answered from their search indexes (lib/search.py).
        """
        query = query.strip()
        if not query:
            return self.none()
        vendor = connections[self.db].vendor
        found = search.contains("title", query, vendor, grams=True) | search.contains("body", query, vendor, grams=True)
        if TASK_NUMBER.fullmatch(query):
            found |= Q(number=query)
        return self.filter(found)


class Task(models.Model):
    """A task of a plan: a numbered item, or a section that carries a duty clause itself."""

    class Kind(models.TextChoices):
        TASK = "task", "任务"
        GOAL = "goal", "目标"

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="tasks")
    section = models.ForeignKey(Section, models.CASCADE, related_name="tasks", verbose_name="所属章节")
    # A measure of another task: a sub-measure (1) under item 3, or a further clause in item 3's text (3.2).
    parent = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="measures", verbose_name="所属任务"
    )
    ref = models.CharField("结构编号", max_length=40, help_text="在方案结构中的位置，如 3.2.1；重新导入时据此对应")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.TASK)
    number = models.CharField("编号", max_length=20, blank=True)
    title = models.CharField("标题", max_length=300, blank=True)
    body = models.TextField("正文", blank=True)
    is_section = models.BooleanField("章节即任务", default=False)
    clause_text = models.TextField("责任条款原文", blank=True)
    clause_note = models.TextField("条款附注", blank=True)
    lead_rule = models.CharField(
        "牵头认定依据",
        max_length=300,
        blank=True,
        help_text="方案自己规定的牵头规则，如 第18行“排在第一位的部门为牵头部门，下同”",
    )
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
        indexes = [
            # Outline order: the plan page, its sections page by page, a task's previous and next; with the id,
            # a plan's tasks are counted and joined to their duties (the home page's counts) from the index alone.
            models.Index(fields=["plan", "position", "id"], name="task_plan_position_idx"),
            # An agency's duties by plan, section and outline place (its counts, its list's order), read from
            # this index alone instead of from the tasks, whose text makes them wide.
            models.Index(fields=["id", "plan", "section", "position"], name="task_place_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}".strip() or self.ref

    def get_absolute_url(self):
        return reverse("plans:task-detail", args=[self.pk])

    def is_editable_by(self, user) -> bool:
        """Whether the user may change this task's units (TaskQuerySet.editable_by). One query at most."""
        return type(self).objects.editable_by(user).filter(pk=self.pk).exists()

    @property
    def heading(self) -> str:
        """The task as a heading: 1. 大力发展可再生能源; a task without a number shows its title alone."""
        return self.heading_of(self.number, self.title, self.ref)

    @staticmethod
    def heading_of(number: str, title: str, ref: str) -> str:
        """Task.heading from plain values, for lists read without model instances."""
        title = title or ref
        if not number:
            return title
        separator = ". " if number[-1].isdigit() else ""
        return f"{number}{separator}{title}"

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
        return f"{self.label}：{self.statement}"

    @property
    def statement(self) -> str:
        """The text without the time label it opens with (到2025年，…), for showing after the label."""
        return target_statement(self.label, self.text)
