"""Forms of the agency pages. The rules themselves live in agencies.merging; these only read the input."""

from django import forms

from .models import Agency

REASON_MAX_LENGTH = 200


def reason_field() -> forms.CharField:
    return forms.CharField(
        label="变更原因",
        required=False,
        max_length=REASON_MAX_LENGTH,
        help_text="可选，记入变更记录。",
        widget=forms.TextInput(attrs={"placeholder": "如：机构改革后更名"}),
    )


class AgencyForm(forms.Form):
    """Name and kind, changed together; the prefix keeps its fields apart from the alias form's on one page."""

    prefix = "agency"

    name = forms.CharField(label="单位名称", max_length=Agency._meta.get_field("name").max_length)
    kind = forms.ChoiceField(label="单位类型", choices=Agency.Kind.choices)
    reason = reason_field()


class AliasForm(forms.Form):
    prefix = "alias"

    name = forms.CharField(
        label="新增别名", max_length=100, help_text="方案中的另一种写法，如 区发改局；须在本地区未被其他单位使用。"
    )
    reason = reason_field()


class AliasActionForm(forms.Form):
    """The reason given with an alias's remove or split button."""

    reason = reason_field()


class MergeForm(forms.Form):
    """Which agency to merge into. Any id is read, so another region's agency gets the clear refusal, not 'invalid'."""

    into = forms.IntegerField(
        label="并入单位",
        widget=forms.Select,
        error_messages={"required": "请选择要并入的单位。", "invalid": "请选择要并入的单位。"},
    )
    reason = reason_field()

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].widget.choices = [("", "—— 请选择 ——"), *((a.pk, a.name) for a in candidates)]

    def clean_into(self):
        target = Agency.objects.select_related("region").filter(pk=self.cleaned_data["into"]).first()
        if target is None:
            raise forms.ValidationError("请选择要并入的单位。")
        return target


class ContactForm(forms.ModelForm):
    """The agency's contact person, kept by its own staff."""

    class Meta:
        model = Agency
        fields = ["contact_person", "contact_phone"]
