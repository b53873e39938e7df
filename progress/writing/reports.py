"""The one writer of progress reports and of closing a task (办结).

The contract:
- a reporting unit's staff save a report as a draft as often as they like, and submit it; a submitted report
  is locked (its contributions and attachments too) until the plan's coordinator returns it (退回, with a
  reason) or accepts it (通过);
- a form carries the report's version: a save from a form opened before another save is refused, so nothing
  anyone wrote is silently overwritten;
- a cooperating unit adds its part to the lead's report while the lead can still change it;
- an attachment is never deleted, only marked removed;
- only the coordinator closes a task, and may reopen it;
- every row written gets a history row with the user and a reason (lib.history.Change).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import formats, timezone

from lib.history import Change
from plans.assignments import lock_task
from plans.models import Task
from progress.models import Attachment, Closure, Contribution, Report
from progress.reading import attachments
from progress.writing import inbox


class ReportError(Exception):
    """A change that cannot be made; the message says why, in words for the user."""


class StaleReport(ReportError):
    """Someone saved the report after the form was opened."""


@dataclass(frozen=True)
class ReportInput:
    status: str
    percent: int | None
    progress: str
    problems: str
    next_steps: str
    propose_close: bool = False

    def fields(self) -> dict:
        return {
            "status": self.status,
            "percent": self.percent,
            "progress": self.progress,
            "problems": self.problems,
            "next_steps": self.next_steps,
            "propose_close": self.propose_close,
        }


def _locked(report: Report) -> Report:
    # OF self: the round is read with the report, but only the report is locked (every report of a round would
    # otherwise wait for each other on the round's row).
    return Report.objects.select_for_update(of=("self",)).select_related("round").get(pk=report.pk)


def _user_name(user) -> str:
    if user is None:
        return "其他用户"
    return user.get_full_name() or user.get_username()


def stale_message(report: Report) -> str:
    when = formats.date_format(timezone.localtime(report.updated_at), "DATETIME_FORMAT")
    return (
        f"这份报告已被{_user_name(report.updated_by)}于{when}保存（{report.get_state_display()}），"
        "您的修改未保存。下面是现在的内容，请核对后重新填写。"
    )


def _locked_message(report: Report) -> str:
    if report.state == Report.State.ACCEPTED:
        return "这份报告已审核通过，不能再修改。"
    return "这份报告已报送，正在等待审核；退回后才能修改。"


def save(report: Report, user, data: ReportInput, *, submit: bool, version: int, reason: str = "") -> Report:
    """Save the unit's report as a draft, or submit it. Raises StaleReport or ReportError, writing nothing.

    `reason` goes into the history before the step (报送, 保存草稿), e.g. the file an import came from.
    """
    if submit and not data.status:
        raise ReportError("报送前请选择进展状态。")
    if data.percent is not None and not 0 <= data.percent <= 100:
        raise ReportError("完成进度应在 0 到 100 之间。")
    with transaction.atomic():
        current = _locked(report)
        if current.version != version:
            raise StaleReport(stale_message(current))
        if not current.is_open:
            raise ReportError(_locked_message(current))
        for name, value in data.fields().items():
            setattr(current, name, value)
        current.updated_by = user
        current.version += 1
        if submit:
            now = timezone.now()
            current.state = Report.State.SUBMITTED
            current.submitted_at, current.submitted_by = now, user
            if current.first_submitted_at is None:
                current.first_submitted_at = now
                current.on_time = timezone.localdate(now) <= current.due_on
            current.return_reason = ""
            step = "报送"
        else:
            # A returned report stays returned (with its reason) until it is submitted again.
            if current.state == Report.State.PENDING:
                current.state = Report.State.DRAFT
            step = "保存草稿"
        Change(user, f"{reason}：{step}" if reason else step).save(current)
    return current


def review(report: Report, user, *, accept: bool, reason: str = "", version: int) -> Report:
    """The coordinator accepts a submitted report (通过) or returns it (退回) with a reason."""
    reason = reason.strip()
    if not accept and not reason:
        raise ReportError("退回时请写明原因，填报单位会看到。")
    with transaction.atomic():
        current = _locked(report)
        if current.version != version:
            raise StaleReport(stale_message(current))
        if current.state != Report.State.SUBMITTED:
            raise ReportError(f"只有已报送、待审核的报告才能审核；这份报告{current.get_state_display()}。")
        current.reviewed_at, current.reviewed_by = timezone.now(), user
        current.updated_by = user
        current.version += 1
        if accept:
            current.state, current.review_comment = Report.State.ACCEPTED, reason
            Change(user, f"审核通过{'：' + reason if reason else ''}").save(current)
        else:
            current.state, current.return_reason = Report.State.RETURNED, reason
            Change(user, f"退回：{reason}").save(current)
            inbox.report_returned(current)
    return current


def contribute(report: Report, agency, user, text: str) -> Contribution:
    """A cooperating unit's part in the lead's report, while the lead can still change it."""
    text = text.strip()
    if not text:
        raise ReportError("请填写配合工作情况。")
    with transaction.atomic():
        current = _locked(report)
        if not current.is_open:
            raise ReportError("牵头单位已报送这份报告，配合单位的工作情况不能再修改；如需补充，请联系牵头单位。")
        contribution = Contribution.objects.filter(report=current, agency=agency).first() or Contribution(
            report=current, agency=agency
        )
        contribution.text, contribution.updated_by = text, user
        Change(user, "填写配合工作情况").save(contribution)
    return contribution


def attach(report: Report, user, upload, max_bytes: int) -> Attachment:
    """Attach an uploaded file (Django's UploadedFile) to an open report. Raises AttachmentError or ReportError."""
    head = upload.read(16)
    upload.seek(0)
    content_type = attachments.check(upload.name, upload.size, head, max_bytes)
    with transaction.atomic():
        current = _locked(report)
        if not current.is_open:
            raise ReportError(_locked_message(current))
        attachment = Attachment(
            report=current,
            name=attachments.clean_name(upload.name),
            size=upload.size,
            content_type=content_type,
            uploaded_by=user,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
    return attachment


def remove_attachment(attachment: Attachment, user) -> None:
    """Mark an attachment of an open report removed; the file is kept."""
    with transaction.atomic():
        current = _locked(attachment.report)
        if not current.is_open:
            raise ReportError(_locked_message(current))
        if attachment.removed_at is None:
            attachment.removed_at, attachment.removed_by = timezone.now(), user
            attachment.save(update_fields=["removed_at", "removed_by"])


def close_task(task: Task, user, *, note: str = "", report: Report | None = None) -> Closure:
    """The coordinator closes a task (办结): its status is 已完成 from now on, and rounds no longer cover it."""
    with transaction.atomic():
        lock_task(task)  # the plan first, as every writer of a plan's tasks (plans.assignments.lock_plan)
        if Closure.objects.filter(task=task).exists():
            raise ReportError("该任务已办结。")
        closure = Closure(task=task, closed_by=user, note=note.strip(), report=report)
        Change(user, f"办结{'：' + note.strip() if note.strip() else ''}").save(closure)
    return closure


def reopen_task(task: Task, user, *, reason: str) -> None:
    """Undo a closing: the task is tracked again. The closing stays in the history."""
    reason = reason.strip()
    if not reason:
        raise ReportError("重新打开已办结的任务时请写明原因。")
    with transaction.atomic():
        lock_task(task)
        closure = Closure.objects.select_for_update(of=("self",)).filter(task=task).order_by("pk").first()
        if closure is None:
            raise ReportError("该任务未办结。")
        Change(user, f"重新打开：{reason}").delete(closure)
