"""催办: a coordinator chases one unit on one task. The message goes by e-mail to the unit's staff and is logged."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from agencies.models import Agency
from plans.models import Task
from progress.models import Chase
from progress.writing import inbox


def chase(task: Task, agency: Agency, user, text: str) -> Chase:
    """Log the 催办 and e-mail it to the unit's active staff who have an address. Returns the record."""
    recipients = list(
        agency.members.filter(is_active=True).exclude(email="").order_by("pk").values_list("email", flat=True)
    )
    record = Chase.objects.create(
        plan_id=task.plan_id,
        task=task,
        agency=agency,
        message=text.strip(),
        recipients="\n".join(recipients),
        sent_by=user,
    )
    if recipients:
        context = {"chase": record, "task": task, "agency": agency, "site_url": settings.SITE_URL, "sender": user}
        email = EmailMultiAlternatives(
            subject=f"【催办】{task.plan}「{task.heading}」",
            body=render_to_string("progress/email/chase.txt", context),
            to=recipients,
        )
        email.attach_alternative(render_to_string("progress/email/chase.html", context), "text/html")
        email.send()
    inbox.chased(record)  # in the app too: staff without an address see it, and so does everyone who has one
    return record
