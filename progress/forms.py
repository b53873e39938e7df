"""The 督办 forms. They read input; the rules are in the modules they hand it to (rounds, reporting, timelines)."""

from datetime import timedelta

from django import forms

from progress.models import Report, RoundSchedule

TEXT_LIMIT = 5000


def _text(label: str, rows: int = 4, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_LIMIT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _date(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs)


REPEAT_CHOICES = [("", "不重复（只开这一轮）"), *RoundSchedule.Frequency.choices]


class RoundForm(forms.Form):
    name = forms.CharField(label="轮次名称", max_length=50, help_text="如 2026年第1季度")
    period_start = _date("周期开始")
    period_end = _date("周期结束")
    due_on = _date("报送截止日")
    note = forms.CharField(label="报送要求", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    scope = forms.ChoiceField(
        label="报送范围",
        choices=[("all", "全部任务"), ("some", "所选任务")],
        initial="all",
        widget=forms.RadioSelect,
    )
    tasks = forms.MultipleChoiceField(label="所选任务", required=False, widget=forms.CheckboxSelectMultiple)
    repeat = forms.ChoiceField(label="定期报送", choices=REPEAT_CHOICES, required=False)
    due_after_days = forms.IntegerField(
        label="周期结束后几天内报送", min_value=0, max_value=60, initial=10, required=False
    )

    def __init__(self, *args, task_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].choices = task_choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == "some" and not cleaned.get("tasks"):
            self.add_error("tasks", "请至少选择一项任务，或选择“全部任务”。")
        start, end, due = cleaned.get("period_start"), cleaned.get("period_end"), cleaned.get("due_on")
        if start and end and start > end:
            self.add_error("period_end", "周期结束日期不能早于开始日期。")
        if start and due and due < start:
            self.add_error("due_on", "报送截止日不能早于周期开始日期。")
        return cleaned

    def task_ids(self) -> list[int] | None:
        if self.cleaned_data["scope"] == "all":
            return None
        return [int(pk) for pk in self.cleaned_data["tasks"]]


class ScheduleForm(forms.Form):
    repeat = forms.ChoiceField(
        label="定期报送", choices=[("", "不定期报送"), *RoundSchedule.Frequency.choices], required=False
    )
    due_after_days = forms.IntegerField(label="周期结束后几天内报送", min_value=0, max_value=60, initial=10)


STATUS_CHOICES = [("", "请选择"), *Report.Status.choices]


class ReportForm(forms.Form):
    status = forms.ChoiceField(label="进展状态", choices=STATUS_CHOICES, required=False)
    percent = forms.IntegerField(
        label="完成进度（%）", min_value=0, max_value=100, required=False, widget=forms.NumberInput(attrs={"size": 4})
    )
    progress = _text("进展情况", rows=5)
    problems = _text("存在问题", rows=3)
    next_steps = _text("下步计划", rows=3)
    propose_close = forms.BooleanField(label="建议办结（任务已全部完成，请方案管理员办结）", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if "submit" in self.data and not cleaned.get("status"):
            self.add_error("status", "报送前请选择进展状态。")
        return cleaned


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "通过"), ("return", "退回")])
    reason = forms.CharField(label="意见或退回原因", required=False, max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "退回时请写明原因，填报单位会看到。")
        return cleaned


class ContributionForm(forms.Form):
    text = _text("配合工作情况", rows=4, required=True)


class AttachmentForm(forms.Form):
    file = forms.FileField(label="附件")


class DeadlineForm(forms.Form):
    kind = forms.ChoiceField(
        label="完成时限",
        choices=[("date", "指定日期"), ("ongoing", "长期坚持（无完成日期）"), ("text", "恢复按原文推定")],
        widget=forms.RadioSelect,
    )
    due_on = _date("日期", required=False)
    reason = forms.CharField(label="变更原因", max_length=200, required=False)
    version = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == "date" and not cleaned.get("due_on"):
            self.add_error("due_on", "请填写日期。")
        return cleaned


class CloseForm(forms.Form):
    note = forms.CharField(label="办结说明", max_length=500, required=False)
    report = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReopenForm(forms.Form):
    reason = forms.CharField(label="重新打开的原因", max_length=200)


class ChaseForm(forms.Form):
    agency = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(label="催办内容", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class InstructionForm(forms.Form):
    leader = forms.CharField(
        label="批示领导", max_length=50, widget=forms.TextInput(attrs={"placeholder": "如 张市长"})
    )
    given_on = _date("批示日期")
    text = forms.CharField(label="批示内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class OrderForm(forms.Form):
    """A 督办通知单's request and the date by which the units are to act."""

    DEFAULT_REQUEST = "请于办理时限前报送进展情况，说明未按期报送或完成的原因和下步措施。"
    REPLY_DAYS = 5

    request = forms.CharField(label="督办要求", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    reply_by = _date("办理时限")

    @classmethod
    def fresh(cls, today) -> "OrderForm":
        """The form as a page first shows it: the usual request, five days to act."""
        return cls(initial={"request": cls.DEFAULT_REQUEST, "reply_by": today + timedelta(days=cls.REPLY_DAYS)})
