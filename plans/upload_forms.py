"""Forms for uploading a plan text and for settling its conflicts with manual changes."""

import hashlib
from pathlib import Path

from django import forms

from .ingest import PLAN_SUFFIXES, read_plan
from .models import Plan, PlanUpload
from .parsing import PlanFormatError
from .reingest import Choice, Conflict, KeptTask

MAX_BYTES = 2 * 1024 * 1024

# What each convention does to a clause that names no lead, shown beside the choice.
CONVENTION_HELP = {
    Plan.LeadConvention.STATED: "条款未写“牵头”时，所列单位都记为“共同负责”。",
    Plan.LeadConvention.FIRST_LISTED: "条款未写“牵头”时，第一个单位记为牵头（推定），其余记为配合。",
}


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label="方案文件",
        help_text="纯文本（.txt），不超过 2 MB；UTF-8、GB18030/GBK 或 UTF-16 编码均可。",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.text,text/plain"}),
    )
    lead_convention = forms.ChoiceField(
        label="牵头认定规则",
        choices=[(value, f"{label}：{CONVENTION_HELP[value]}") for value, label in Plan.LeadConvention.choices],
        initial=Plan.LeadConvention.STATED,
        widget=forms.RadioSelect,
    )

    def clean(self):
        cleaned = super().clean()
        upload, convention = cleaned.get("file"), cleaned.get("lead_convention")
        if upload is None or convention is None:
            return cleaned
        name = Path(upload.name).name
        if Path(name).suffix.lower() not in PLAN_SUFFIXES:
            raise forms.ValidationError(f"{name}：只接受 .txt 文本文件。", code="suffix")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"{name}：文件太大（{upload.size / 1024 / 1024:.1f} MB），上限为 2 MB。", code="size"
            )
        data = upload.read()
        try:
            # Read now so a file the parser refuses is turned away before anything is stored.
            read_plan(data, name, convention)
        except PlanFormatError as error:
            raise forms.ValidationError(str(error), code="format") from error
        cleaned["name"], cleaned["data"] = name, data
        return cleaned

    def save(self, user) -> PlanUpload:
        data = self.cleaned_data["data"]
        return PlanUpload.objects.create(
            file_name=self.cleaned_data["name"][:255],
            checksum=hashlib.sha256(data).hexdigest(),
            data=data,
            lead_convention=self.cleaned_data["lead_convention"],
            uploaded_by=user,
        )


CONFLICT_CHOICES = [(Choice.KEEP.value, "保留人工修改"), (Choice.TAKE.value, "采用新文本")]
KEPT_TASK_CHOICES = [(Choice.KEEP.value, "保留任务"), (Choice.DELETE.value, "随新文本删除")]


class ResolutionForm(forms.Form):
    """One choice per conflict and per kept task; the manual side is the default."""

    def __init__(self, conflicts: list[Conflict], kept_tasks: list[KeptTask], *args, **kwargs):
        super().__init__(*args, **kwargs)
        for conflict in conflicts:
            self.fields[conflict.key] = forms.ChoiceField(
                label=f"{conflict.task_ref} {conflict.agency_name}",
                choices=CONFLICT_CHOICES,
                initial=Choice.KEEP.value,
                widget=forms.RadioSelect,
            )
        for task in kept_tasks:
            self.fields[task.key] = forms.ChoiceField(
                label=task.ref, choices=KEPT_TASK_CHOICES, initial=Choice.KEEP.value, widget=forms.RadioSelect
            )
        self.conflict_rows = [(c, self[c.key]) for c in conflicts]
        self.kept_rows = [(t, self[t.key]) for t in kept_tasks]


def submitted_choices(data) -> dict[str, str]:
    """The choices a confirmation carried, by key; anything malformed is left out (and so asked again)."""
    allowed = {"duty-": {Choice.KEEP, Choice.TAKE}, "task-": {Choice.KEEP, Choice.DELETE}}
    choices = {}
    for key, value in data.items():
        for prefix, values in allowed.items():
            if key.startswith(prefix) and value in values:
                choices[key] = value
    return choices
