"""The forms of a task: its units and its notes. They read input; the rules are in plans.editing and plans.notes.
Uploading a plan has its own forms (plans.upload_forms)."""

import logging

from django import forms

from agencies.scope import AmbiguousName, NameNotFound

from .editing import UnitAddition, UnitEdit
from .history import version_of
from .models import Duty, TaskNote

logger = logging.getLogger(__name__)

# --- A task's units (编辑分工) -------------------------------------------------------------------------------------

ROLE_CHOICES = [(role.value, role.label) for role in Duty.Role]
# A duty's role with the plan's inference kept: choosing the plain role confirms it, another role clears it.
INFERRED = ":inferred"


def _role_value(duty: Duty) -> str:
    return duty.role + (INFERRED if duty.inferred else "")


def _role_choices(duty: Duty) -> list[tuple[str, str]]:
    if duty.inferred:
        return [(_role_value(duty), duty.role_label), *ROLE_CHOICES]
    return ROLE_CHOICES


class TaskEditForm(forms.Form):
    EXTRA_ROWS = 3

    reason = forms.CharField(
        label="变更原因",
        max_length=200,
        required=False,
        help_text="可不填；填写后记入变更记录，如“按区政府专题会议纪要调整”。",
        widget=forms.TextInput(attrs={"size": 60}),
    )
    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, task, duties: list[Duty], *args, autocomplete_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.task, self.duties = task, duties
        self.fields["version"].initial = version_of(duties)
        for number, duty in enumerate(duties, start=1):
            name = duty.agency.name
            self.fields[f"duty-{duty.pk}-order"] = forms.IntegerField(
                label="排序",
                min_value=1,
                max_value=999,
                initial=number,
                widget=forms.NumberInput(attrs={"aria-label": f"{name}的排序", "class": "order-input"}),
            )
            self.fields[f"duty-{duty.pk}-role"] = forms.ChoiceField(
                label="职责",
                choices=_role_choices(duty),
                initial=_role_value(duty),
                widget=forms.Select(attrs={"aria-label": f"{name}的职责"}),
            )
            self.fields[f"duty-{duty.pk}-remove"] = forms.BooleanField(
                label="删除", required=False, widget=forms.CheckboxInput(attrs={"aria-label": f"删除{name}"})
            )
        for n in range(self.EXTRA_ROWS):
            self.fields[f"add-{n}-agency"] = forms.CharField(
                label="新增单位",
                max_length=200,
                required=False,
                widget=forms.TextInput(
                    attrs={
                        "aria-label": f"新增单位{n + 1}",
                        "list": "agency-options",
                        "autocomplete": "off",
                        "placeholder": "单位名称、别名或拼音首字母",
                        "data-autocomplete-url": autocomplete_url,
                    }
                ),
            )
            self.fields[f"add-{n}-role"] = forms.ChoiceField(
                label="职责",
                choices=ROLE_CHOICES,
                initial=Duty.Role.COOPERATING,
                widget=forms.Select(attrs={"aria-label": f"新增单位{n + 1}的职责"}),
            )
        self.additions: list[UnitAddition] = []

    def unit_rows(self) -> list[dict]:
        return [
            {
                "duty": duty,
                "order": self[f"duty-{duty.pk}-order"],
                "role": self[f"duty-{duty.pk}-role"],
                "remove": self[f"duty-{duty.pk}-remove"],
            }
            for duty in self.duties
        ]

    def addition_rows(self) -> list[dict]:
        return [{"agency": self[f"add-{n}-agency"], "role": self[f"add-{n}-role"]} for n in range(self.EXTRA_ROWS)]

    def clean(self):
        cleaned = super().clean()
        on_task = {d.agency_id for d in self.duties}
        scope = None
        for n in range(self.EXTRA_ROWS):
            field = f"add-{n}-agency"
            text = (cleaned.get(field) or "").strip()
            if not text:
                continue
            scope = scope or self.task.plan.agency_scope()
            try:
                agency = scope.resolve(text)
            except NameNotFound:
                self.add_error(field, f"找不到单位“{text}”：请填写本方案所在地区已有单位的全称、名称或别名。")
                continue
            except AmbiguousName as ambiguous:
                names = "、".join(a.full_name for a in ambiguous.agencies[:5])
                self.add_error(field, f"“{text}”可指多个单位（{names}），请填写全称。")
                continue
            if agency.pk in on_task:
                self.add_error(
                    field, f"“{text}”（{agency.full_name}）已在本任务中；要改它的职责，请在上面的列表中修改。"
                )
            elif any(a.agency.pk == agency.pk for a in self.additions):
                self.add_error(field, f"“{text}”（{agency.full_name}）重复填写了。")
            elif cleaned.get(f"add-{n}-role"):
                self.additions.append(UnitAddition(agency, cleaned[f"add-{n}-role"]))
        return cleaned

    def units(self) -> list[UnitEdit]:
        units = []
        for duty in self.duties:
            role, _, inferred = self.cleaned_data[f"duty-{duty.pk}-role"].partition(":")
            units.append(
                UnitEdit(
                    duty_id=duty.pk,
                    role=role,
                    inferred=bool(inferred),
                    order=self.cleaned_data[f"duty-{duty.pk}-order"],
                    remove=self.cleaned_data[f"duty-{duty.pk}-remove"],
                )
            )
        return units


# --- Notes (工作备注) -------------------------------------------------------------------------------------------------


class TaskNoteForm(forms.ModelForm):
    """An agency's note on a task; `version` is the note as the form showed it, so a later save by someone else
    is noticed instead of overwritten (TaskNote.version)."""

    version = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = TaskNote
        fields = ["contact_person", "contact_phone", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3, "maxlength": 2000})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = TaskNote.version_of(self.instance if self.instance.pk else None)

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if len(note) > 2000:
            raise forms.ValidationError("工作备注最多 2000 字。")
        return note
