"""The forms of uploading a plan: the file and its lead rule, the region when the text does not settle it, what a
person corrects in the preview, and the choices on conflicts. They read input; the rules are in plans.ingestion."""

import hashlib
import logging
from pathlib import Path

from django import forms
from django.conf import settings

from agencies.models import Region

from .ingestion.reading import read_plan
from .ingestion.reconcile import Choice, Conflict, KeptTask
from .models import Plan, PlanUpload
from .parsing import PlanFormatError
from .parsing.readers import MAX_MB, OFFERED, check_converter, needs_conversion, too_large
from .tasks import convert_upload

logger = logging.getLogger(__name__)

# --- Uploading a plan (上传方案) -------------------------------------------------------------------------------------

ACCEPT = ".docx,.doc,.wps,.pdf,.html,.htm,.txt,.text,.rtf,.odt,text/plain,text/html,application/pdf"

# What each convention does to a clause that names no lead, shown beside the choice.
CONVENTION_HELP = {
    Plan.LeadConvention.STATED: "条款未写“牵头”时，所列单位都记为“共同负责”。",
    Plan.LeadConvention.FIRST_LISTED: "条款未写“牵头”时，第一个单位记为牵头（推定），其余记为配合。",
}
CONVENTION_CHOICES = [(value, f"{label}：{CONVENTION_HELP[value]}") for value, label in Plan.LeadConvention.choices]


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label="方案文件",
        help_text=(
            f"{OFFERED}，不超过 {MAX_MB} MB。按文件内容识别格式；扫描件 PDF 和 OFD 不能读取，"
            "请改用同一文件的 Word 或文字版 PDF。.doc/.wps 需先在服务器上转换，预览页会显示“正在转换…”。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    lead_convention = forms.ChoiceField(
        label="牵头认定规则",
        choices=CONVENTION_CHOICES,
        initial=Plan.LeadConvention.STATED,
        widget=forms.RadioSelect,
    )

    def clean(self):
        cleaned = super().clean()
        upload, convention = cleaned.get("file"), cleaned.get("lead_convention")
        if upload is None or convention is None:
            return cleaned
        name = Path(upload.name).name
        if error := too_large(upload.size, name):
            raise forms.ValidationError(str(error), code="size")
        data = upload.read()
        convert = needs_conversion(data, name)
        try:
            if convert:
                # LibreOffice takes seconds: only check it is there; the conversion runs as a task.
                check_converter(data, name, settings.SOFFICE)
            else:
                # Read now so a file the parser refuses is turned away before anything is stored.
                read_plan(data, name, convention)
        except PlanFormatError as error:
            raise forms.ValidationError(str(error), code="format") from error
        except Exception as error:  # a file the reader chokes on is refused, never a 500
            logger.error("读取上传的方案 %s 时出错", name, exc_info=error)
            message = f"“{name}”无法读取（{type(error).__name__}），未上传。错误已记入日志，请联系系统管理员。"
            raise forms.ValidationError(message, code="unreadable") from error
        cleaned["name"], cleaned["data"], cleaned["convert"] = name, data, convert
        return cleaned

    def save(self, user) -> PlanUpload:
        data = self.cleaned_data["data"]
        record = PlanUpload.objects.create(
            file_name=self.cleaned_data["name"][:255],
            checksum=hashlib.sha256(data).hexdigest(),
            data=data,
            needs_conversion=self.cleaned_data["convert"],
            lead_convention=self.cleaned_data["lead_convention"],
            uploaded_by=user,
        )
        if record.needs_conversion:
            convert_upload.enqueue(record.pk)
        return record


class RegionChoiceForm(forms.Form):
    """The region of an uploaded plan, when its text does not settle it or a person corrects it.

    A candidate is chosen by its code; any other region is typed by name or code and found in the regions.
    """

    # A code: any region may come back here, not only the candidates shown (they are the widget's choices).
    region = forms.CharField(label="候选行政区", required=False, max_length=12, widget=forms.RadioSelect)
    search = forms.CharField(
        label="其他行政区",
        required=False,
        max_length=50,
        help_text="名称或行政区划代码，如 株洲市石峰区、石峰区、430204、全国",
        widget=forms.TextInput(attrs={"placeholder": "名称或代码", "autocomplete": "off"}),
    )

    def __init__(self, candidates: list[Region], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].widget.choices = [(r.code, f"{r.full_name}（{r.code}）") for r in candidates]
        self.matches: list[Region] = []

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("region") or (cleaned.get("search") or "").strip()
        if not text:
            raise forms.ValidationError("请选择一个候选行政区，或输入行政区名称或代码。", code="empty")
        found = list(Region.objects.find(text)[:11])
        if not found:
            raise forms.ValidationError(
                f"找不到行政区“{text}”；请输入名称（如 株洲市石峰区）或 6 位代码。", code="unknown"
            )
        if len(found) > 1:
            self.matches = found[:10]
            raise forms.ValidationError(f"有多个行政区符合“{text}”，请从候选中选择。", code="ambiguous")
        cleaned["chosen"] = found[0]
        return cleaned


NEW_AGENCY = "new"
TITLE_MAX = Plan._meta.get_field("title").max_length
OTHER_AGENCY = {"placeholder": "或填写本地区已有单位", "autocomplete": "off"}


class UploadCorrectionForm(forms.Form):
    """What an administrator corrects in an upload's preview: the title, the lead rule, the plan's state (blank when
    it is the one the plan has without a choice, plans.lifecycle), and each name the text would
    make a new agency of, mapped onto an existing agency of the region it is read in or kept as a new one.

    `rows` are plans.ingestion.uploads.AgencyRow, each with its fields under `row.key`; a name whose fields did not
    come back keeps its mapping.
    """

    title = forms.CharField(
        label="方案标题",
        max_length=TITLE_MAX,
        error_messages={"required": "请填写方案标题。", "max_length": "方案标题最多 %(limit_value)d 字。"},
        widget=forms.TextInput(attrs={"size": 60}),
    )
    lead_convention = forms.ChoiceField(label="牵头认定规则", choices=CONVENTION_CHOICES, widget=forms.RadioSelect)
    state = forms.ChoiceField(
        label="方案状态",
        choices=Plan.State.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="只有“执行中”的方案纳入督办（任务会逾期、可开启报送轮次、会发提醒）。",
    )

    def __init__(self, record: PlanUpload, result, rows: list, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.parsed_title, self.rows = result.parsed_title, rows
        self.default_state, self.state_basis = result.default_state, result.state_basis
        self.fields["title"].initial = result.plan.title
        self.fields["state"].initial = result.plan.state
        self.fields["lead_convention"].initial = record.lead_convention
        for row in rows:
            key, name = row.key, row.new.name
            self.fields[key] = forms.ChoiceField(
                label=name,
                required=False,
                choices=[(NEW_AGENCY, "新建单位"), *((str(a.pk), f"对应到 {a.full_name}") for a in row.suggestions)],
                initial=str(row.mapped_to.pk) if row.mapped_to else NEW_AGENCY,
                error_messages={"invalid_choice": "请从列出的单位中选择，或在旁边填写本地区已有单位的名称。"},
                widget=forms.Select(attrs={"aria-label": f"“{name}”的处理"}),
            )
            self.fields[f"{key}-other"] = forms.CharField(
                label="其他已有单位",
                required=False,
                max_length=100,
                widget=forms.TextInput(attrs={"aria-label": f"“{name}”对应的其他已有单位", **OTHER_AGENCY}),
            )
            self.fields[f"{key}-other"].widget.attrs["list"] = f"agencies-{row.new.region.pk}"
        self.agency_rows = [(row, self[row.key], self[f"{row.key}-other"]) for row in rows]

    def clean(self):
        cleaned = super().clean()
        mapping = {}
        for row in self.rows:
            key = row.key
            typed = (cleaned.get(f"{key}-other") or "").strip()
            if typed:
                agency = row.find(typed)
                if agency is None:
                    self.add_error(
                        f"{key}-other",
                        f"{row.new.region.full_name}没有“{typed}”这个单位：请填写该地区已有单位的名称、全称或别名，"
                        "或选“新建单位”。",
                    )
            else:
                choice = cleaned.get(key) or self.fields[key].initial
                agency = next((a for a in row.suggestions if str(a.pk) == choice), None)
            if agency is not None:
                mapping[row.new.name] = agency
        cleaned["agency_mapping"] = mapping
        return cleaned

    def corrections(self) -> dict:
        """As plans.ingestion.uploads.correct_upload takes them: the title blank when it is the text's own."""
        title = self.cleaned_data["title"]
        state = self.cleaned_data["state"]
        return {
            "title": "" if title == self.parsed_title else title,
            "state": "" if state in ("", self.default_state) else state,
            "lead_convention": self.cleaned_data["lead_convention"],
            "agency_mapping": self.cleaned_data["agency_mapping"],
        }


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
