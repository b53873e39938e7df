"""The agency duty list as a django-tables2 table."""

import django_tables2 as tables

from .models import Duty

# Outline order across plans: the tiebreak for every sortable column.
IN_OUTLINE = ("task__plan__region__code", "task__plan_id", "task__position")


class DutyTable(tables.Table):
    plan = tables.Column(
        "所属方案",
        accessor="task__plan",
        linkify=lambda record: record.task.plan.get_absolute_url(),
        order_by=IN_OUTLINE,
        attrs={"td": {"class": "plan"}},
    )
    section = tables.Column(
        "章节",
        accessor="task__section",
        order_by=("task__plan__region__code", "task__plan_id", "task__section__position", "task__position"),
        attrs={"td": {"class": "section"}},
    )
    task = tables.TemplateColumn(
        template_name="plans/cells/task.html",
        verbose_name="重点任务",
        order_by=IN_OUTLINE,
        attrs={"td": {"class": "task"}},
    )
    role = tables.TemplateColumn(
        template_name="plans/cells/role.html",
        verbose_name="本单位职责",
        order_by=("role_rank", *IN_OUTLINE),
        attrs={"td": {"class": "role"}},
    )
    others = tables.TemplateColumn(
        template_name="plans/cells/others.html",
        verbose_name="其他责任单位",
        orderable=False,
        attrs={"td": {"class": "others"}},
    )
    targets = tables.TemplateColumn(
        template_name="plans/cells/targets.html",
        verbose_name="目标与时限",
        orderable=False,
        attrs={"td": {"class": "targets"}},
    )

    class Meta:
        model = Duty
        fields = ()
        sequence = ("plan", "section", "task", "role", "others", "targets")
        order_by = ("role",)
        attrs = {"id": "duty-table", "class": "data-table duty-table"}
        empty_text = "没有符合条件的任务。"
        per_page = 50
