"""督办通知单: issued by a plan's coordinator for one task or for every unit late in a round, printed on A4 and
exported to Excel."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from lib.workbooks import dated_filename, xlsx_response
from plans.models import Plan
from progress.access import get_round_for_coordinator, get_task_for_coordinator, reader_required
from progress.forms import OrderForm
from progress.models import SupervisionOrder
from progress.spreadsheets.orders import order_workbook
from progress.views.common import form_problems, today
from progress.views.tasks import task_context
from progress.writing import orders

LIST_LIMIT = 100


def _issue(request, plan, entries, round=None, *, refused=None):
    """The notice issued (a redirect to it), or the message why not and `refused(form)`'s page, or None."""
    form = OrderForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"督办通知单没有发出：{form_problems(form)}")
        return refused(form) if refused else None
    try:
        order = orders.issue(plan, request.user, entries, today=today(), round=round, **form.cleaned_data)
    except orders.OrderError as problem:
        messages.error(request, f"督办通知单没有发出：{problem}")
        return None
    units = len({e.agency.pk for e in entries})
    messages.success(request, f"已发出督办通知单 {order.number}：{units} 个单位、{len(entries)} 项，已同时催办。")
    return redirect(order)


@require_POST
def round_order(request, round_id: int):
    """Every unit still owing its report after the round's due date, in one notice: bulk 催办."""
    round = get_round_for_coordinator(request, round_id, "发督办通知单")
    return _issue(request, round.plan, orders.late_in_round(round, today()), round) or redirect(round)


@require_POST
def task_order(request, task_id: int):
    task = get_task_for_coordinator(request, task_id, "发督办通知单")

    def refused(form):  # the task page again with what was typed in the form
        return render(request, "progress/task.html", task_context(request, task, order_form=form), status=400)

    entries = orders.for_task(task, today())
    return _issue(request, task.plan, entries, refused=refused) or redirect("progress:task", task.pk)


def _order(order_id: int) -> SupervisionOrder:
    return get_object_or_404(SupervisionOrder.objects.select_related("plan__region", "issued_by"), pk=order_id)


@reader_required
def order_detail(request, order_id: int):
    """The notice as printed: A4, its number and date, the units, what is asked and by when."""
    order = _order(order_id)
    items = list(order.items.all())
    units = list(dict.fromkeys(item.agency_name for item in items))
    return render(request, "progress/order.html", {"order": order, "items": items, "units": units})


@reader_required
def order_xlsx(request, order_id: int):
    order = _order(order_id)
    content = order_workbook(order, list(order.items.all()), exported_on=today())
    return xlsx_response(content, dated_filename(f"督办通知单-{order.number}", today()))


@reader_required
def plan_orders(request, plan_id: int):
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=plan_id)
    listed = list(SupervisionOrder.objects.filter(plan=plan).select_related("issued_by")[:LIST_LIMIT])
    return render(request, "progress/orders.html", {"plan": plan, "orders": listed})
