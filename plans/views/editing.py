"""Editing a task's units, reverting a change from its 变更记录, and what the task page needs for both.

Administrators and the plan's coordinators only (plans.access): 403 for everyone else, 404 for
unknown ids. The rules are in plans.editing and plans.history.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts import roles

from .. import editing, history
from ..access import get_task_for_editor
from ..forms import TaskEditForm
from ..models import Task


@require_http_methods(["GET", "POST"])
def task_edit(request, task_id: int):
    task = get_task_for_editor(request, task_id)
    autocomplete_url = f"{reverse('plans:agency-autocomplete')}?plan={task.plan_id}"
    form = TaskEditForm(task, history.current_duties(task), request.POST or None, autocomplete_url=autocomplete_url)
    conflict, status = "", 200
    if request.method == "POST":
        # Checked before validation: a form built for units someone has since removed cannot validate.
        if request.POST.get("version") != form.fields["version"].initial:
            conflict = history.stale_message(task)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                done = editing.apply_task_edit(
                    task, request.user, form.units(), form.additions, data["reason"], data["version"]
                )
            except editing.StaleEdit as stale:
                conflict = str(stale)
            except editing.EditError as problem:
                form.add_error(None, str(problem))
                status = 400
            else:
                if not done:
                    messages.info(request, "没有任何变更，未作保存。")
                    return redirect("plans:task-edit", task.pk)
                messages.success(request, "已保存分工变更：" + "；".join(done))
                return redirect(task)
        else:
            status = 400
        if conflict:
            # Nothing was saved: show the units as they are now, keeping the reason the user typed.
            form = TaskEditForm(
                task,
                history.current_duties(task),
                initial={"reason": request.POST.get("reason", "")[:200]},
                autocomplete_url=autocomplete_url,
            )
            status = 409
    context = {"task": task, "plan": task.plan, "form": form, "conflict": conflict}
    return render(request, "plans/task_edit.html", context, status=status)


@require_POST
def duty_revert(request, task_id: int, history_id: int):
    task = get_task_for_editor(request, task_id)
    return _reverted(request, task, lambda: history.revert_change(task, request.user, history_id))


@require_http_methods(["GET", "POST"])
def change_revert(request, task_id: int, key: str):
    """Undo one save as a whole: GET shows what it would undo and asks to confirm, POST undoes it."""
    task = get_task_for_editor(request, task_id)
    try:
        group = history.change_group(task, key)
    except history.UnknownChange:
        raise Http404("本任务的变更记录中没有这一项。") from None
    if request.method == "GET":
        return render(request, "plans/change_revert.html", {"task": task, "plan": task.plan, "group": group})
    return _reverted(request, task, lambda: history.revert_group(task, request.user, key))


def _reverted(request, task: Task, revert):
    """Run an undo, say how it went, and go back to the task's 变更记录."""
    try:
        description = revert()
    except history.UnknownChange:
        raise Http404("本任务的变更记录中没有这一项。") from None
    except history.EditError as problem:
        messages.error(request, f"未能撤销：{problem}")
    else:
        messages.success(request, f"已撤销：{description}")
    return redirect(f"{task.get_absolute_url()}#history")


def editing_context(request, task: Task) -> dict:
    """For the task page: whether the user may edit, and the 变更记录.

    The record names the accounts that made each change, so it is shown to signed-in users
    only; anonymous readers (when the site allows them) see the page as before.
    """
    context = {"can_edit": task.is_editable_by(request.user), "show_history": roles.is_signed_in(request.user)}
    if context["show_history"]:
        context["history"] = history.task_history(task)
    return context
