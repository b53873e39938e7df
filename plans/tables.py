"""The agency duty list as a django-tables2 table, and the data behind it."""

import django_tables2 as tables
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django_tables2.data import TableQuerysetData

from .models import Duty
from .templatetags.chips import chips_html

# Outline order across plans: the tiebreak for every sortable column. The data is annotated with
# outline_region (DutyQuerySet.with_outline_keys).
IN_OUTLINE = ("outline_region", "task__plan_id", "task__position")


class DutyTable(tables.Table):
    """The cells are written in Python (the render_ methods) rather than by a template each: a page of fifty
    rows is three hundred cells, and rendering a template per cell took most of the page's time."""

    plan = tables.Column("所属方案", accessor="task__plan", order_by=IN_OUTLINE, attrs={"td": {"class": "plan"}})
    section = tables.Column(
        "章节",
        accessor="task__section",
        order_by=("outline_region", "task__plan_id", "task__section__position", "task__position"),
        attrs={"td": {"class": "section"}},
    )
    task = tables.Column("重点任务", accessor="task", order_by=IN_OUTLINE, attrs={"td": {"class": "task"}})
    role = tables.Column("本单位职责", order_by=("role_rank", *IN_OUTLINE), attrs={"td": {"class": "role"}})
    others = tables.Column(
        "其他责任单位", accessor="task", orderable=False, empty_values=(), attrs={"td": {"class": "others"}}
    )
    targets = tables.Column(
        "目标与时限", accessor="task", orderable=False, empty_values=(), attrs={"td": {"class": "targets"}}
    )

    class Meta:
        model = Duty
        fields = ()
        sequence = ("plan", "section", "task", "role", "others", "targets")
        order_by = ("role",)
        attrs = {"id": "duty-table", "class": "data-table duty-table"}
        empty_text = "没有符合条件的任务。"
        per_page = 50

    writes_rows = True  # includes/table.html asks row_html for each row

    def row_html(self, row) -> str:
        """A whole <tr>, written straight from the render_ methods: django-tables2 asks each cell's render
        method for its signature first (inspect.signature, every cell of every row), which cost more than
        rendering the cells. Same markup as the library's row: its attributes, each column's <td> attributes."""
        if not hasattr(self, "_td_attrs"):
            self._td_attrs = [(column.name, column.attrs["td"].as_html()) for column in self.columns]
            self._spans = self._runs()
        record = row.record
        spans = self._spans[record.pk]
        cells = {
            "plan": self.render_plan(record) if spans["plan"] else "",
            "section": escape(record.task.section) if spans["section"] else "",
            "task": self.render_task(record),
            "role": self.render_role(record),
            "others": self.render_others(record),
            "targets": self.render_targets(record),
        }
        tds = "".join(
            f"<td {attrs}{_rowspan(spans.get(name, 1))}>{cells[name]}</td>"
            for name, attrs in self._td_attrs
            if spans.get(name, 1)
        )
        return mark_safe(f"<tr {row.attrs.as_html()}>{tds}</tr>")  # noqa: S308 (cells escaped by their renderers)

    def _runs(self) -> dict[int, dict[str, int]]:
        """{duty id: {"plan": rows its plan cell spans, "section": rows its section cell spans}} for the page.

        A run of rows of one plan names it once, in its first row (0 for the others), and a run of one section
        within it the section, instead of repeating a long title on every row. Every order the table offers
        keeps a plan's rows together (within a role, when sorted by role), so runs are long."""
        spans: dict[int, dict[str, int]] = {}
        first: dict[str, int | None] = {"plan": None, "section": None}
        keys: dict[str, object] = {"plan": None, "section": None}
        for row in self.paginated_rows:
            record = row.record
            task = record.task
            spans[record.pk] = {}
            for name, key in (("plan", task.plan_id), ("section", (task.plan_id, task.section_id))):
                if first[name] is not None and key == keys[name]:  # the section key holds the plan too
                    spans[first[name]][name] += 1
                    spans[record.pk][name] = 0
                else:
                    first[name], keys[name] = record.pk, key
                    spans[record.pk][name] = 1
        return spans

    def render_plan(self, record):
        plan = record.task.plan
        return format_html('<a href="{}">{}</a>', plan.get_absolute_url(), plan)

    def render_task(self, record):
        return format_html('<a href="{}">{}</a>', record.task.get_absolute_url(), record.task.heading)

    def render_role(self, record):
        inferred = " chip-inferred" if record.inferred else ""
        return format_html('<span class="chip chip-{}{}">{}</span>', record.role, inferred, record.role_label)

    def render_others(self, record):
        return format_html('<div class="chips">{}</div>', chips_html(record.task.duties.all(), record.agency_id))

    def render_targets(self, record):
        lines = record.task.target_lines()
        if not lines:
            return mark_safe('<span class="muted">—</span>')
        items = format_html_join("", "<li><strong>{}</strong>：{}</li>", ((t.label, t.statement) for t in lines))
        return format_html('<ul class="targets">{}</ul>', items)


def _rowspan(span: int) -> str:
    # Only the plan and section cells ever span more than their row (DutyTable._runs).
    return f' rowspan="{span}"' if span > 1 else ""


class DutyRows(TableQuerysetData):
    """The duty list's rows: sorted and filtered in the database, counted from AgencyDutyCounts.

    A page is read in two steps: the ids of its rows, in the table's order (a narrow sort of the agency's
    duties, as cheap at page 60 as at page 1), then those rows with their task, plan, section, the task's
    other duties and targets (Duty.objects.with_task_context). The length is given, so paging runs no COUNT.
    """

    def __init__(self, queryset, *, count: int):
        super().__init__(queryset)
        self._length = count

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return super().__getitem__(key)
        ids = list(self.data.values_list("pk", flat=True)[key])
        loaded = {duty.pk: duty for duty in Duty.objects.filter(pk__in=ids).with_task_context()}
        return [loaded[pk] for pk in ids]
