"""Agency staff keep notes on their tasks: who handles it (具体负责人, 电话) and how it stands (工作备注).

Notes are working material, shown only to signed-in users; each agency's staff
(and administrators) write their own agency's note, never another's.
"""

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.views.decorators.http import require_POST

from accounts import roles
from agencies.access import get_agency_for_staff
from agencies.models import Agency

from ..forms import TaskNoteForm
from ..models import Task, TaskNote
from ..notes import StaleNote, save_note


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
    agency = get_agency_for_staff(request, agency_id, "填写本单位的工作备注")
    note = TaskNote.objects.filter(task=task, agency=agency).first()
    if note is None and not task.duties.filter(agency=agency).exists():
        raise Http404("该单位不承担此项任务。")
    form = TaskNoteForm(request.POST, instance=note, prefix=f"note-{agency.pk}")
    context = {"task": task, "plan": task.plan, "agency": agency, "form": form}
    if not form.is_valid():
        return render(request, "plans/task_note_form.html", context, status=400)
    try:
        save_note(task, agency, request.user, form.cleaned_data, version=form.cleaned_data["version"])
    except IntegrityError:  # someone wrote the agency's first note on this task at the same moment
        return _conflict(request, context, TaskNote.objects.filter(task=task, agency=agency).first())
    except StaleNote as stale:
        return _conflict(request, context, stale.current)
    messages.success(request, f"已保存{agency.name}的工作备注。")
    return redirect(f"{task.get_absolute_url()}#notes")


def _conflict(request, context: dict, current: TaskNote | None):
    """409: nothing saved; the note as it is now in the form, and what the user typed beside it, to copy from."""
    typed = context["form"].cleaned_data
    who = ""
    if current is not None:
        author = current.updated_by
        name = (author.get_full_name() or author.get_username()) if author else "系统"
        when = formats.date_format(timezone.localtime(current.updated_at), "DATETIME_FORMAT")
        who = f"（最近一次由 {name} 于 {when} 修改）"
    context.update(
        form=TaskNoteForm(instance=current, prefix=context["form"].prefix),
        conflict=f"此备注已被他人修改{who}，你的修改没有保存。下面是当前的备注，你填写的内容列在下方，请核对后重新保存。",
        typed=typed,
    )
    return render(request, "plans/task_note_form.html", context, status=409)
