"""领导批示: recorded by a plan's coordinator, with history, and told to every unit of the task in its 待办."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from agencies.models import Agency
from lib.history import Change
from plans.models import Task
from progress.models import InboxItem, Instruction
from progress.writing import inbox


def record(task: Task, user, *, leader: str, given_on: date, text: str) -> Instruction:
    with transaction.atomic():
        instruction = Change(user, "登记领导批示").save(
            Instruction(task=task, leader=leader.strip(), given_on=given_on, text=text.strip(), recorded_by=user)
        )
        units = task.duties.exclude(agency__kind=Agency.Kind.COLLECTIVE).values_list("agency_id", flat=True)
        for users in inbox.staff(units).values():
            inbox.deliver(
                users,
                InboxItem.Kind.INSTRUCTION,
                f"领导批示：{task.plan}「{task.heading}」",
                instruction.line,
                f"/progress/tasks/{task.pk}/",
                f"instruction:{instruction.pk}",
            )
    return instruction
