"""Filters for an agency's duty list: by plan, role and section."""

import django_filters

from .models import Duty, Section


class DutyFilter(django_filters.FilterSet):
    """Filters one agency's duties. The plan and section choices are those the agency appears in.

    Both choice lists come from one query, and choosing runs no further
    query, so the page's query count does not grow with the filters set.
    """

    plan = django_filters.ChoiceFilter(field_name="task__plan_id", label="方案", empty_label="全部方案")
    role = django_filters.ChoiceFilter(choices=Duty.Role.choices, label="职责", empty_label="全部职责")
    section = django_filters.ChoiceFilter(field_name="task__section_id", label="章节", empty_label="全部章节")

    class Meta:
        model = Duty
        fields = ["plan", "role", "section"]

    def __init__(self, data=None, queryset=None, *, agency, **kwargs):
        super().__init__(data, queryset, **kwargs)
        sections = (
            Section.objects.filter(tasks__duties__agency=agency)
            .select_related("plan")
            .distinct()
            .order_by("plan__region__code", "plan_id", "position")
        )
        plans, grouped = {}, {}
        for section in sections:
            plans[section.plan_id] = str(section.plan)
            grouped.setdefault(str(section.plan), []).append((str(section.pk), str(section)))
        self.filters["plan"].extra["choices"] = [(str(pk), title) for pk, title in plans.items()]
        self.filters["section"].extra["choices"] = list(grouped.items())
        self._labels = {
            "plan": {str(pk): title for pk, title in plans.items()},
            "role": dict(Duty.Role.choices),
            "section": {pk: label for choices in grouped.values() for pk, label in choices},
        }

    def describe(self) -> list[str]:
        """The filters in force, in words: ["方案：株洲市碳达峰实施方案", "职责：配合"]. Runs no query.

        An invalid value is left out, as the list ignores it.
        """
        if not self.is_bound:
            return []
        self.form.is_valid()  # cleans the form once; cleaned_data then holds the valid values only
        words = []
        for name in ("plan", "role", "section"):
            value = self.form.cleaned_data.get(name)
            if value:
                words.append(f"{self.filters[name].label}：{self._labels[name].get(str(value), value)}")
        return words
