"""Filters for an agency's duty list (by plan, role and section) and the counts the page shows and pages by."""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Count
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from .models import Duty, Plan, Section

# The plan filter lists this many plans at most (the chosen one always): an agency named in every plan of the
# country would otherwise put thousands of options on each page.
MAX_PLAN_CHOICES = 200


@dataclass(frozen=True)
class DutyGroup:
    """An agency's duties in one section of one plan in one role, counted."""

    plan_id: int
    plan: str
    section_id: int
    role: str
    count: int


class AgencyDutyCounts:
    """An agency's duties counted by plan, section and role, in one grouped query.

    Everything the duty list needs to know besides its rows comes from these numbers: the role counts at the
    top, the plans to filter by, and the number of rows under any filter, which the paginator takes instead of
    counting again. The query reads the duties' index and the tasks' (plan, section) index, never the tasks.
    """

    def __init__(self, agency):
        self.agency = agency
        rows = (
            Duty.objects.filter(agency=agency)
            .order_by()
            .values_list(
                "task__plan__region__code",
                "task__plan_id",
                "task__plan__title",
                "task__plan__is_draft",
                "task__section_id",
                "role",
            )
            .annotate(n=Count("pk"))
        )
        self.groups = [
            DutyGroup(plan_id, Plan.label(title, draft), section_id, role, n)
            for _, plan_id, title, draft, section_id, role, n in sorted(rows, key=lambda row: row[:2])
        ]

    def roles(self) -> dict[str, int]:
        """Duties per role; every role is present, zero if it has none."""
        counts = dict.fromkeys(Duty.Role.values, 0)
        for group in self.groups:
            counts[group.role] += group.count
        return counts

    def matching(self, plan: str = "", role: str = "", section: str = "") -> int:
        """Duties under these filters (ids as the form gives them; empty means any)."""
        return sum(
            g.count
            for g in self.groups
            if (not plan or str(g.plan_id) == plan)
            and (not role or g.role == role)
            and (not section or str(g.section_id) == section)
        )

    def plans(self) -> dict[int, str]:
        """The plans the agency appears in, by region code, then plan."""
        return {g.plan_id: g.plan for g in self.groups}

    def plan_of(self, section: str) -> int | None:
        """The plan of a section the agency appears in (as the form gives its id), else None."""
        return next((g.plan_id for g in self.groups if str(g.section_id) == section), None)

    def sections(self, plan_id: int | None) -> list[tuple[str, str]]:
        """(id, heading) of the sections of one plan the agency appears in, in outline order: one query, none
        for no plan (no sections to choose from)."""
        if plan_id is None:
            return []
        ids = {g.section_id for g in self.groups if g.plan_id == plan_id}
        rows = Section.objects.filter(plan_id=plan_id).order_by("position").values_list("pk", "number", "title")
        return [(str(pk), f"{number}{title}") for pk, number, title in rows if pk in ids]


class ListedSelect(forms.Select):
    """A plain <select> written in Python: Django's own renders a template for every option, which took 30 ms
    for the 137 plans of a busy provincial agency."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, " selected" if str(key) in chosen else "", label) for key, label in self.choices),
        )
        return format_html(
            "<select{}>{}</select>", flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name})), options
        )


class DutyFilter(django_filters.FilterSet):
    """Filters one agency's duties by plan, role and section.

    The plans are those the agency appears in (MAX_PLAN_CHOICES of them at most, and the chosen one); the
    sections, those of the chosen plan, or of the plan of the chosen section. Both come from the agency's
    AgencyDutyCounts, and choosing runs no further query, so the page's query count does not grow with the
    filters set.
    """

    plan = django_filters.ChoiceFilter(
        field_name="task__plan_id", label="方案", empty_label="全部方案", widget=ListedSelect
    )
    role = django_filters.ChoiceFilter(choices=Duty.Role.choices, label="职责", empty_label="全部职责")
    section = django_filters.ChoiceFilter(
        field_name="task__section_id", label="章节", empty_label="全部章节", widget=ListedSelect
    )

    class Meta:
        model = Duty
        fields = ["plan", "role", "section"]

    def __init__(self, data=None, queryset=None, *, counts: AgencyDutyCounts, **kwargs):
        super().__init__(data, queryset, **kwargs)
        plans = counts.plans()
        chosen = (data or {}).get("plan", "")
        plan_id = int(chosen) if chosen.isdigit() and int(chosen) in plans else None
        if plan_id is None:
            plan_id = counts.plan_of((data or {}).get("section", ""))
        listed = dict(list(plans.items())[:MAX_PLAN_CHOICES])
        if plan_id is not None:
            listed[plan_id] = plans[plan_id]
        sections = counts.sections(plan_id)
        self.counts = counts
        self.filters["plan"].extra["choices"] = [(str(pk), title) for pk, title in listed.items()]
        self.filters["section"].extra["choices"] = sections
        self._labels = {
            "plan": {str(pk): title for pk, title in listed.items()},
            "role": dict(Duty.Role.choices),
            "section": dict(sections),
        }

    def chosen(self) -> dict[str, str]:
        """The valid filters in force, as the form gives them: {"plan": "12", "role": "lead"}. Runs no query."""
        if not self.is_bound:
            return {}
        self.form.is_valid()  # cleans the form once; cleaned_data then holds the valid values only
        return {name: str(value) for name, value in self.form.cleaned_data.items() if value}

    def count(self) -> int:
        """The rows under the filters in force, from the counts: no COUNT query."""
        return self.counts.matching(**self.chosen())

    def describe(self) -> list[str]:
        """The filters in force, in words: ["方案：株洲市碳达峰实施方案", "职责：配合"]. Runs no query.

        An invalid value is left out, as the list ignores it.
        """
        return [
            f"{self.filters[name].label}：{self._labels[name].get(value, value)}"
            for name, value in self.chosen().items()
        ]
