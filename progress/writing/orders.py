"""Issuing a 督办通知单: numbered per year, its items kept as sent, and each unit chased at once (催办 records, its
待办, and e-mail where it has an address): for one task, or in bulk for every unit late in a round."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Max

from agencies.models import Agency
from plans.models import Plan, Task
from progress.models import Chase, InboxItem, Report, ReportingRound, SupervisionOrder, SupervisionOrderItem
from progress.models.deadline import label_of_task
from progress.reading.tracking import reporting
from progress.writing import inbox

ATTEMPTS = 3  # two coordinators numbering a notice at the same moment: the later one takes the next number


class OrderError(Exception):
    """A notice that cannot be issued; the message says why."""


@dataclass(frozen=True)
class Entry:
    task: Task
    agency: Agency
    situation: str = ""


def late_in_round(round: ReportingRound, today: date) -> list[Entry]:
    """Every unit whose report in the round is still open after its due date, in outline order."""
    if not round.is_past_due(today):
        return []
    reports = (
        Report.objects.filter(round=round)
        .open()
        .select_related("task__deadline", "agency__region")
        .defer("task__body", "task__clause_text", "task__clause_note")
        .in_outline_order()
    )
    return [Entry(r.task, r.agency, f"{round.name}进展逾期未报送") for r in reports]


def for_task(task: Task, today: date) -> list[Entry]:
    """The task's reporting units (collectives report through them)."""
    deadline = getattr(task, "deadline", None)
    late = deadline is not None and deadline.is_past(today)
    duties = reporting(task.duties.all()).select_related("agency__region").order_by("position")
    return [Entry(task, d.agency, "已过完成时限，尚未办结" if late else "") for d in duties]


def issue(
    plan: Plan, user, entries: list[Entry], *, request: str, reply_by: date, today: date, round=None
) -> SupervisionOrder:
    if not entries:
        raise OrderError("没有需要督办的单位。")
    if not request.strip():
        raise OrderError("请写明督办要求。")
    if reply_by < today:
        raise OrderError("办理时限不能早于今天。")
    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                return _issue(plan, user, entries, request.strip(), reply_by, today, round)
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _issue(plan, user, entries, request, reply_by, today, round) -> SupervisionOrder:
    last = SupervisionOrder.objects.filter(year=today.year).aggregate(n=Max("serial"))["n"] or 0
    order = SupervisionOrder.objects.create(
        plan=plan,
        round=round,
        year=today.year,
        serial=last + 1,
        issued_on=today,
        reply_by=reply_by,
        request=request,
        issued_by=user,
    )
    SupervisionOrderItem.objects.bulk_create(
        SupervisionOrderItem(
            order=order,
            task=e.task,
            agency=e.agency,
            task_label=e.task.heading[:300],
            agency_name=e.agency.full_name[:200],
            deadline=label_of_task(e.task),
            situation=e.situation[:100],
            position=i,
        )
        for i, e in enumerate(entries)
    )
    by_agency: dict[int, list[Entry]] = {}
    for entry in entries:
        by_agency.setdefault(entry.agency.pk, []).append(entry)
    staff = inbox.staff(by_agency)
    text = f"{order.number}（{plan}）\n督办要求：{request}\n办理时限：{reply_by:%Y年%m月%d日}"
    Chase.objects.bulk_create(
        Chase(
            plan=plan,
            task=e.task,
            agency=e.agency,
            message=f"{order.number}：{request}",
            recipients="\n".join(u.email for u in staff.get(e.agency.pk, []) if u.email),
            sent_by=user,
        )
        for e in entries
    )
    inbox.deliver_all(
        inbox.item(
            u,
            InboxItem.Kind.NOTICE,
            f"督办通知单 {order.number}：{len(by_agency[agency_id])} 项",
            text,
            order.get_absolute_url(),
            f"order:{order.pk}:{agency_id}",
        )
        for agency_id, users in staff.items()
        for u in users
    )
    transaction.on_commit(lambda: _email(order, by_agency, staff, text))
    return order


def _email(order: SupervisionOrder, by_agency: dict[int, list[Entry]], staff: dict[int, list], text: str) -> None:
    """One e-mail per unit with addresses: its items and the request; the notice itself is on the site."""
    for agency_id, entries in by_agency.items():
        to = [u.email for u in staff.get(agency_id, []) if u.email]
        if not to:
            continue
        lines = "\n".join(
            f"{i}. {e.task.ref} {e.task.heading}（{e.situation or '请按要求办理'}）" for i, e in enumerate(entries, 1)
        )
        body = f"{text}\n\n督办事项：\n{lines}\n\n通知单：{settings.SITE_URL}{order.get_absolute_url()}\n"
        EmailMessage(f"【督办通知单】{order.number}", body, to=to).send(fail_silently=True)
