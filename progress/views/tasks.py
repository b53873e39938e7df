"""A task's 督办 page (deadline, milestones, reports over rounds, 办结, 催办), and what coordinators do on it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from plans.models import Duty, Task
from progress.access import DraftReader, get_task_for_coordinator, reader_required
from progress.forms import ChaseForm, CloseForm, DeadlineForm, InstructionForm, OrderForm, ReopenForm
from progress.models import Chase, Closure, Milestone, Report
from progress.reading.status import Status
from progress.reading.tracking import Board, board, collectives, tasks_with_facts, with_facts
from progress.reminding import chases as chasing
from progress.views.common import form_problems, next_url, soon_days, today
from progress.writing import deadlines as timelines
from progress.writing import instructions
from progress.writing import reports as reporting

REPORT_LIMIT = 100
LOG_LIMIT = 50


@reader_required
def task_progress(request, task_id: int):
    task = get_object_or_404(Task.objects.select_related("plan__region", "section"), pk=task_id)
    return render(request, "progress/task.html", task_context(request, task))


def task_context(request, task: Task, **forms) -> dict:
    """The task's 督办 page; `forms` shows a refused form again as it was posted (instruction_form, order_form)."""
    deadline = timelines.deadline_of(task)
    duties = list(with_facts(Duty.objects.filter(task=task), today()).select_related("agency").order_by("position"))
    facts = list(tasks_with_facts(Task.objects.filter(pk=task.pk)))
    # Nothing of a plan not under 督办 is late or owed: its reports and closure stay readable, without status.
    statuses = board(facts, duties, today(), soon_days()) if task.plan.is_supervised else Board({}, {})
    reports = list(
        Report.objects.filter(task=task)
        .select_related("round", "agency", "submitted_by")
        .order_by("-due_on", "agency__sort_key")[:REPORT_LIMIT]
    )
    closure = Closure.objects.filter(task=task).select_related("closed_by").first()
    can_coordinate = task.plan.is_editable_by(request.user)
    readable = DraftReader(request.user, task.plan, coordinates=can_coordinate)
    for report in reports:
        report.readable = readable(report)
    proposing = next((r for r in reports if r.propose_close and r.is_submitted), None)
    context = {
        "task": task,
        "plan": task.plan,
        "deadline": deadline,
        "status": statuses.task_status.get(task.pk, Status.NORMAL if task.plan.is_supervised else None),
        "reporters": [(d, statuses.duty_status.get(d.pk)) for d in duties],
        "collectives": list(collectives(Duty.objects.filter(task=task)).select_related("agency").order_by("position")),
        "milestones": list(Milestone.objects.filter(task=task)),
        "reports": reports,
        "closure": closure,
        "proposing": proposing,
        "chases": list(Chase.objects.filter(task=task).select_related("agency", "sent_by")[:LOG_LIMIT]),
        "deadline_history": list(
            deadline.history.select_related("history_user").order_by("-history_date", "-history_id")[:LOG_LIMIT]
        ),
        "can_coordinate": can_coordinate,
        "close_form": CloseForm(initial={"report": getattr(proposing, "pk", None)}) if can_coordinate else None,
        "instructions": list(task.instructions.all()),
        "instruction_form": InstructionForm(initial={"given_on": today()}) if can_coordinate else None,
        "order_form": OrderForm.fresh(today()) if can_coordinate else None,
        "reopen_form": ReopenForm() if can_coordinate else None,
    }
    return context | forms


@require_http_methods(["GET", "POST"])
def deadline_edit(request, task_id: int):
    task = get_task_for_coordinator(request, task_id, "修改完成时限")
    deadline = timelines.deadline_of(task)

    def fresh_form(reason: str = "") -> DeadlineForm:
        kind = "ongoing" if deadline.ongoing else "date"
        return DeadlineForm(
            initial={
                "kind": kind,
                "due_on": deadline.due_on,
                "version": timelines.version_of(deadline),
                "reason": reason,
            }
        )

    form, conflict, status = fresh_form(), "", 200
    if request.method == "POST":
        form, status = DeadlineForm(request.POST), 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["kind"] == "text":
                    changed = timelines.restore_text(task, request.user, reason=data["reason"], version=data["version"])
                else:
                    changed = timelines.set_deadline(
                        task,
                        request.user,
                        due_on=data["due_on"],
                        ongoing=data["kind"] == "ongoing",
                        reason=data["reason"],
                        version=data["version"],
                    )
            except timelines.StaleDeadline as stale:
                conflict, status = str(stale), 409
                deadline.refresh_from_db()
                form = fresh_form(data["reason"])
            else:
                deadline.refresh_from_db()
                if changed:
                    messages.success(request, f"完成时限已改为：{deadline.label}")
                else:
                    messages.info(request, "完成时限没有变化，未作保存。")
                return redirect("progress:task", task.pk)
    context = {"task": task, "plan": task.plan, "deadline": deadline, "form": form, "conflict": conflict}
    return render(request, "progress/deadline_edit.html", context, status=status)


@require_POST
def task_close(request, task_id: int):
    task = get_task_for_coordinator(request, task_id, "办结任务")
    form = CloseForm(request.POST)
    if form.is_valid():
        report = (
            Report.objects.filter(task=task, pk=form.cleaned_data["report"]).first()
            if form.cleaned_data["report"]
            else None
        )
        try:
            reporting.close_task(task, request.user, note=form.cleaned_data["note"], report=report)
        except reporting.ReportError as problem:
            messages.error(request, str(problem))
        else:
            messages.success(request, f"已办结：{task.heading}")
    else:
        messages.error(request, "办结说明不能超过 500 字。")
    return redirect(next_url(request, reverse("progress:task", args=[task.pk])))


@require_POST
def instruction_add(request, task_id: int):
    """A coordinator records a leader's instruction (领导批示); the task's units find it in their 待办."""
    task = get_task_for_coordinator(request, task_id, "登记领导批示")
    form = InstructionForm(request.POST)
    if not form.is_valid():
        # The page again with what was typed, never an empty form.
        messages.error(request, f"领导批示没有登记：{form_problems(form)}")
        return render(request, "progress/task.html", task_context(request, task, instruction_form=form), status=400)
    instructions.record(task, request.user, **form.cleaned_data)
    messages.success(request, f"已登记{form.cleaned_data['leader']}的批示，并通知本任务的责任单位。")
    return redirect(reverse("progress:task", args=[task.pk]) + "#instructions")


@require_POST
def task_reopen(request, task_id: int):
    task = get_task_for_coordinator(request, task_id, "重新打开已办结的任务")
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请写明重新打开的原因。")
    else:
        try:
            reporting.reopen_task(task, request.user, reason=form.cleaned_data["reason"])
        except reporting.ReportError as problem:
            messages.error(request, str(problem))
        else:
            messages.success(request, f"已重新打开：{task.heading}")
    return redirect("progress:task", task.pk)


@require_POST
def chase(request, task_id: int):
    """催办 one unit of the task: the message goes to its staff by e-mail and is logged."""
    task = get_task_for_coordinator(request, task_id, "催办")
    form = ChaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写催办内容（不超过 1000 字）。")
        return redirect(next_url(request, reverse("progress:task", args=[task.pk])))
    duty = get_object_or_404(Duty.objects.select_related("agency"), task=task, agency_id=form.cleaned_data["agency"])
    record = chasing.chase(task, duty.agency, request.user, form.cleaned_data["message"])
    if record.recipients:
        count = len(record.recipients.splitlines())
        messages.success(request, f"已向{duty.agency.name}的 {count} 位用户发送催办邮件，并已记录。")
    else:
        messages.info(request, f"已记录催办；{duty.agency.name}还没有填写邮箱的用户，邮件未发出。")
    return redirect(next_url(request, reverse("progress:task", args=[task.pk])))
