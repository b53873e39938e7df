"""Reporting rounds: opened by a plan's coordinators (by hand or on a schedule), read by signed-in users."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from plans.models import Duty, Task
from progress.access import DraftReader, get_plan_for_coordinator, get_round_for_coordinator, reader_required
from progress.forms import OrderForm, RoundForm, ScheduleForm
from progress.models import OPEN_STATES, Closure, Report, ReportingRound, RoundSchedule
from progress.reading.tracking import reporting
from progress.views.common import positive_int, today
from progress.writing import rounds

PAGE_SIZE = 200


@require_http_methods(["GET", "POST"])
def round_open(request, plan_id: int):
    plan = get_plan_for_coordinator(request, plan_id, "开启报送轮次")
    if not plan.is_supervised:
        messages.error(request, f"本方案状态为“{plan.get_state_display()}”，未纳入督办，不能开启报送轮次。")
        return redirect("progress:plan", plan.pk)
    schedule = RoundSchedule.objects.filter(plan=plan, active=True).first()
    spec = rounds.suggested(today(), schedule.months if schedule else 3, schedule.due_after_days if schedule else 10)
    tasks = (
        Task.objects.filter(plan=plan, duties__in=reporting(Duty.objects.filter(task__plan=plan)))
        .exclude(pk__in=Closure.objects.values("task"))
        .distinct()
        .order_by("position")
    )
    initial = {
        "name": spec.name,
        "period_start": spec.period_start,
        "period_end": spec.period_end,
        "due_on": spec.due_on,
        "repeat": schedule.frequency if schedule else "",
        "due_after_days": schedule.due_after_days if schedule else 10,
    }
    form = RoundForm(request.POST or None, initial=initial, task_choices=[(str(t.pk), t.heading) for t in tasks])
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            spec = rounds.RoundSpec(
                data["name"], data["period_start"], data["period_end"], data["due_on"], data["note"]
            )
            try:
                opened = rounds.open_round(plan, request.user, spec, task_ids=form.task_ids())
            except rounds.RoundError as problem:
                form.add_error(None, str(problem))
            else:
                if data["repeat"] or schedule:
                    rounds.set_schedule(
                        plan,
                        request.user,
                        frequency=data["repeat"] or None,
                        due_after_days=data["due_after_days"] or 10,
                    )
                count = opened.reports.count()
                messages.success(request, f"已开启“{opened.name}”，共 {count} 份进展报告待各单位填报。")
                return redirect(opened)
    return render(request, "progress/round_open.html", {"plan": plan, "form": form}, status=status)


@require_POST
def schedule(request, plan_id: int):
    plan = get_plan_for_coordinator(request, plan_id, "设置定期报送")
    form = ScheduleForm(request.POST)
    if form.is_valid():
        repeat = form.cleaned_data["repeat"] or None
        rounds.set_schedule(plan, request.user, frequency=repeat, due_after_days=form.cleaned_data["due_after_days"])
        label = dict(RoundSchedule.Frequency.choices).get(repeat)
        messages.success(request, f"已设置为{label}报送。" if label else "已停止定期报送。")
    else:
        messages.error(
            request, "定期报送的设置无效：" + "；".join(e for errors in form.errors.values() for e in errors)
        )
    return redirect("progress:plan", plan.pk)


STATE_FILTERS = {
    "open": OPEN_STATES,
    "submitted": (Report.State.SUBMITTED,),
    "returned": (Report.State.RETURNED,),
    "accepted": (Report.State.ACCEPTED,),
}


@reader_required
def round_detail(request, round_id: int):
    round = get_object_or_404(ReportingRound.objects.select_related("plan__region", "opened_by"), pk=round_id)
    reports = Report.objects.filter(round=round)
    state_counts = dict(reports.values_list("state").annotate(n=Count("pk")).order_by())
    chosen = request.GET.get("state", "")
    listed = reports.filter(state__in=STATE_FILTERS[chosen]) if chosen in STATE_FILTERS else reports
    listed = listed.select_related("task", "agency", "submitted_by").defer(
        "task__body", "task__clause_text", "task__clause_note"
    )
    page = Paginator(listed.in_outline_order(), PAGE_SIZE).get_page(positive_int(request.GET.get("page"), 1))
    can_coordinate = round.plan.is_editable_by(request.user)
    readable = DraftReader(request.user, round.plan, coordinates=can_coordinate)
    for report in page:
        report.readable = readable(report)
    context = {
        "round": round,
        "plan": round.plan,
        "page": page,
        "state": chosen,
        "counts": {
            "total": sum(state_counts.values()),
            "open": sum(state_counts.get(s, 0) for s in OPEN_STATES),
            "submitted": state_counts.get(Report.State.SUBMITTED, 0),
            "returned": state_counts.get(Report.State.RETURNED, 0),
            "accepted": state_counts.get(Report.State.ACCEPTED, 0),
        },
        "past_due": round.is_past_due(today()),
        "can_coordinate": can_coordinate,
        "order_form": OrderForm.fresh(today()) if can_coordinate else None,
    }
    return render(request, "progress/round_detail.html", context)


@require_POST
def round_sync(request, round_id: int):
    round = get_round_for_coordinator(request, round_id, "补充报送单位")
    added = rounds.sync_round(round)
    if added:
        messages.success(request, f"已按现在的分工补充 {added} 份进展报告。")
    else:
        messages.info(request, "各任务的牵头和共同负责单位都已在本轮中，无需补充。")
    return redirect(round)
