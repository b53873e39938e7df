"""Agency staff keep notes on their tasks: who handles it (具体负责人, 电话) and how it stands (工作备注).

Notes are working material, shown only to signed-in users; each agency's staff
(and administrators) write their own agency's note, never another's.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import roles
from agencies.models import Agency

from .models import Task, TaskNote


class TaskNoteForm(forms.ModelForm):
    class Meta:
        model = TaskNote
        fields = ["contact_person", "contact_phone", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3, "maxlength": 2000})}

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if len(note) > 2000:
            raise forms.ValidationError("工作备注最多 2000 字。")
        return note


def notes_context(request, task: Task) -> dict:
    """The task's notes for the task page, and a form for each agency on it the user writes for.

    Nothing for visitors who have not signed in, so the public page's query count stays as it was.
    """
    if not roles.is_signed_in(request.user):
        return {}
    notes = {n.agency_id: n for n in TaskNote.objects.filter(task=task).select_related("updated_by")}
    agencies = {d.agency_id: d.agency for d in task.duties.all()}  # prefetched by the task page
    writable = set(
        Agency.objects.annotatable_by(request.user).filter(pk__in=[*agencies, *notes]).values_list("pk", flat=True)
    )
    missing = [pk for pk in notes if pk not in agencies]
    if missing:
        # A note outlives its duty (a unit removed from the task keeps what its staff wrote).
        agencies.update({a.pk: a for a in Agency.objects.filter(pk__in=missing).select_related("region")})
    rows = []
    for agency_id, agency in agencies.items():
        note = notes.get(agency_id)
        if note is None and agency_id not in writable:
            continue
        form = TaskNoteForm(instance=note, prefix=f"note-{agency_id}") if agency_id in writable else None
        rows.append({"agency": agency, "note": note, "form": form})
    return {"note_rows": rows}


@require_POST
def task_note(request, task_id: int, agency_id: int):
    task = get_object_or_404(Task, pk=task_id)
    agency = get_object_or_404(Agency, pk=agency_id)
    if not Agency.objects.annotatable_by(request.user).filter(pk=agency.pk).exists():
        raise PermissionDenied("只有本单位的用户和系统管理员可以填写本单位的工作备注。")
    note = TaskNote.objects.filter(task=task, agency=agency).first()
    if note is None and not task.duties.filter(agency=agency).exists():
        raise Http404("该单位不承担此项任务。")
    form = TaskNoteForm(request.POST, instance=note, prefix=f"note-{agency.pk}")
    if not form.is_valid():
        context = {"task": task, "plan": task.plan, "agency": agency, "form": form}
        return render(request, "plans/task_note_form.html", context, status=400)
    with transaction.atomic():
        note = form.save(commit=False)
        note.task, note.agency, note.updated_by = task, agency, request.user
        note._change_reason = "填写工作备注"
        note.save()
    messages.success(request, f"已保存{agency.name}的工作备注。")
    return redirect(f"{task.get_absolute_url()}#notes")
