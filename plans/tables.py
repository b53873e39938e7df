"""The agency duty list as a django-tables2 table, and the data behind it."""

from html import escape

import django_tables2 as tables
from django.utils.safestring import mark_safe
from django_tables2.data import TableQuerysetData

from . import duty_rows
from .models import Duty
from .templatetags.chips import row_chips_html, url_of

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
            self._runs = self._plan_and_section_runs()
        record = row.record
        runs = self._runs[record.pk]
        same_plan, same_section = runs["plan"][0], runs["section"][0]
        cells = {
            # Said in the row above: once for the eye, on every row for a screen reader (as text, not a link).
            "plan": _hidden(record.task.plan) if same_plan else self.render_plan(record),
            "section": _hidden(record.task.section) if same_section else escape(str(record.task.section)),
            "task": self.render_task(record),
            "role": self.render_role(record),
            "others": self.render_others(record),
            "targets": self.render_targets(record),
        }
        tds = []
        for name, attrs in self._td_attrs:
            same, more = runs.get(name, (False, False))
            if same or more:
                attrs = attrs.replace('class="', f'class="{"same " if same else ""}{"more " if more else ""}', 1)
            tds.append(f"<td {attrs}>{cells[name]}</td>")
        return mark_safe(f"<tr {row.attrs.as_html()}>{''.join(tds)}</tr>")  # noqa: S308 (cells escaped by renderers)

    def _plan_and_section_runs(self) -> dict[int, dict[str, tuple[bool, bool]]]:
        """{duty id: {"plan": (same, more), "section": (same, more)}} for the page's rows.

        A run of rows of one plan shows its title once, in its first row, instead of a long title on every row;
        a run of one section within it, the section. `same`: the row continues the run above (its text hidden);
        `more`: the run goes on in the next row (no rule under the cell). Every order the table offers keeps a
        plan's rows together (within a role, when sorted by role), so runs are long. Cells stay cells rather than
        rowspans, so that a page break, a phone's cards and a screen reader each still find one per row."""
        records = [row.record for row in self.paginated_rows]
        keys = {
            "plan": [record.task.plan_id for record in records],
            "section": [(record.task.plan_id, record.task.section_id) for record in records],
        }
        runs: dict[int, dict[str, tuple[bool, bool]]] = {record.pk: {} for record in records}
        for name, column in keys.items():
            for i, record in enumerate(records):
                same = i > 0 and column[i - 1] == column[i]
                more = i + 1 < len(records) and column[i + 1] == column[i]
                runs[record.pk][name] = (same, more)
        return runs

    # The cells as f-strings with html.escape and url_of: format_html and reverse() for every cell of fifty rows
    # were a fifth of the list's time. Only the names and titles are escaped; the rest is fixed text or numbers.
    def render_plan(self, record):
        plan = record.task.plan
        return mark_safe(f'<a href="{url_of("plans:plan-detail", plan.pk)}">{escape(str(plan))}</a>')  # noqa: S308

    def render_task(self, record):
        task = record.task
        return mark_safe(f'<a href="{url_of("plans:task-detail", task.pk)}">{escape(task.heading)}</a>')  # noqa: S308

    def render_role(self, record):
        inferred = " chip-inferred" if record.inferred else ""
        return mark_safe(f'<span class="chip chip-{record.role}{inferred}">{record.role_label}</span>')  # noqa: S308

    def render_others(self, record):
        return mark_safe(f'<div class="chips">{row_chips_html(record.task.duty_rows, record.agency_id)}</div>')  # noqa: S308

    def render_targets(self, record):
        lines = record.task.target_rows
        if not lines:
            return mark_safe('<span class="muted">—</span>')
        items = "".join(f"<li><strong>{escape(t.label)}</strong>：{escape(t.statement)}</li>" for t in lines)
        return mark_safe(f'<ul class="targets">{items}</ul>')  # noqa: S308


def _hidden(value) -> str:
    return f'<span class="visually-hidden">{escape(str(value))}</span>'


class DutyRows(TableQuerysetData):
    """The duty list's rows: sorted and filtered in the database, counted from AgencyDutyCounts.

    A page of a list longer than one page is read in two steps: the ids of its rows, in the table's order (a
    narrow sort of the agency's duties, as cheap at page 60 as at page 1), then those rows with their task, plan
    and section (Duty.objects.with_task_context). A list that fits on its page, as most agencies' do, is read in
    one step, sorted as it is read. Then the tasks' other duties and targets, as rows (plans.duty_rows). The
    length is given, so paging runs no COUNT.
    """

    def __init__(self, queryset, *, count: int):
        super().__init__(queryset)
        self._length = count

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return super().__getitem__(key)
        if (key.start or 0) == 0 and key.stop is not None and self._length <= key.stop:
            rows = list(self.data.with_task_context()[key])
        else:
            ids = list(self.data.values_list("pk", flat=True)[key])
            # Unordered: the ids give the order; Duty's own ordering would join the task, plan and region to sort.
            loaded = {duty.pk: duty for duty in Duty.objects.filter(pk__in=ids).with_task_context().order_by()}
            rows = [loaded[pk] for pk in ids]
        duty_rows.attach([duty.task for duty in rows], targets=True)
        return rows
