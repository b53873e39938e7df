"""Filling in, submitting, reviewing and closing: the writer's contract (progress.writing.reports)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone

from progress.models import Attachment, Closure, Contribution, Report
from progress.reading.attachments import AttachmentError
from progress.writing import reports as reporting

from .support import fill, move_due_date

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
PDF = b"%PDF-1.7\n" + b"0" * 100


def test_a_draft_can_be_saved_again_and_again_then_submitted(report, cast):
    fill(report, cast.lead_staff, progress="草稿一", submit=False)
    fill(report, cast.lead_staff, progress="草稿二", submit=False)
    report.refresh_from_db()
    assert (report.state, report.progress, report.version, report.submitted_at) == ("draft", "草稿二", 2, None)
    fill(report, cast.lead_staff, status="lagging", progress="受资金影响滞后")
    report.refresh_from_db()
    assert (report.state, report.status, report.submitted_by) == ("submitted", "lagging", cast.lead_staff)
    assert report.first_submitted_at == report.submitted_at and report.on_time


def test_submitting_needs_a_status(report, cast):
    with pytest.raises(reporting.ReportError, match="请选择进展状态"):
        fill(report, cast.lead_staff, status="")
    assert Report.objects.get(pk=report.pk).state == "pending"


def test_a_submitted_report_is_locked_until_returned_then_accepted(report, cast):
    fill(report, cast.lead_staff)
    with pytest.raises(reporting.ReportError, match="等待审核"):
        fill(report, cast.lead_staff, progress="改一下")
    report.refresh_from_db()
    with pytest.raises(reporting.ReportError, match="写明原因"):
        reporting.review(report, cast.coordinator, accept=False, reason=" ", version=report.version)
    reporting.review(report, cast.coordinator, accept=False, reason="请补充资金到位情况", version=report.version)
    report.refresh_from_db()
    assert (report.state, report.return_reason, report.reviewed_by) == (
        "returned",
        "请补充资金到位情况",
        cast.coordinator,
    )
    fill(report, cast.lead_staff, progress="资金已到位 80%", submit=False)
    assert Report.objects.get(pk=report.pk).state == "returned"  # still returned, with its reason, until resubmitted
    fill(report, cast.lead_staff, progress="资金已到位 80%")
    report.refresh_from_db()
    assert (report.state, report.return_reason) == ("submitted", "")
    reporting.review(report, cast.coordinator, accept=True, version=report.version)
    report.refresh_from_db()
    assert report.state == "accepted"
    with pytest.raises(reporting.ReportError, match="已审核通过"):
        fill(report, cast.lead_staff, progress="再改")


def test_only_a_submitted_report_can_be_reviewed(report, cast):
    with pytest.raises(reporting.ReportError, match="只有已报送"):
        reporting.review(report, cast.coordinator, accept=True, version=report.version)


def test_a_form_opened_before_another_save_is_refused(report, cast):
    opened = report.version
    fill(report, cast.lead_staff, progress="甲填的", submit=False)
    data = reporting.ReportInput("in_progress", 10, "乙填的", "", "")
    with pytest.raises(reporting.StaleReport, match="lead-staff"):
        reporting.save(report, cast.administrator, data, submit=True, version=opened)
    assert Report.objects.get(pk=report.pk).progress == "甲填的"


def test_every_step_is_in_the_history_with_who_and_why(report, cast):
    fill(report, cast.lead_staff, submit=False)
    fill(report, cast.lead_staff)
    report.refresh_from_db()
    reporting.review(report, cast.coordinator, accept=False, reason="数据不全", version=report.version)
    rows = report.history.order_by("history_id").values_list("history_user__username", "history_change_reason", "state")
    assert list(rows) == [
        ("lead-staff", "保存草稿", "draft"),
        ("lead-staff", "报送", "submitted"),
        ("coordinator", "退回：数据不全", "returned"),
    ]


def test_a_late_submission_is_recorded_as_late(report, cast):
    move_due_date(report.round, timezone.localdate() - timedelta(days=1))
    fill(report, cast.lead_staff)
    assert Report.objects.get(pk=report.pk).on_time is False


def test_cooperating_units_add_their_part_while_the_lead_can_still_change_the_report(report, cast):
    reporting.contribute(report, cast.cooperating, cast.cooperating_staff, "已完成配套资金申报")
    reporting.contribute(report, cast.cooperating, cast.cooperating_staff, "已完成配套资金申报和拨付")
    contribution = Contribution.objects.get(report=report, agency=cast.cooperating)
    assert (contribution.text, contribution.updated_by) == ("已完成配套资金申报和拨付", cast.cooperating_staff)
    assert contribution.history.count() == 2
    fill(report, cast.lead_staff)
    with pytest.raises(reporting.ReportError, match="已报送"):
        reporting.contribute(report, cast.cooperating, cast.cooperating_staff, "补充")


def test_an_attachment_is_checked_stored_and_only_marked_when_removed(report, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("进展材料.pdf", PDF, content_type="application/pdf")
    attachment = reporting.attach(report, cast.lead_staff, upload, 20 * MB)
    assert (attachment.name, attachment.size, attachment.content_type) == ("进展材料.pdf", len(PDF), "application/pdf")
    assert attachment.file.read() == PDF
    reporting.remove_attachment(attachment, cast.lead_staff)
    attachment.refresh_from_db()
    assert attachment.removed_by == cast.lead_staff and (tmp_path / attachment.file.name).exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("脚本.exe", b"MZ" + b"0" * 10, "不支持该类型"),
        ("伪装.pdf", b"<html>" + b"0" * 10, "内容与扩展名 .pdf 不符"),
        ("空.pdf", b"", "空文件"),
        ("太大.pdf", PDF + b"0" * MB, "太大"),
    ],
)
def test_a_file_of_another_kind_an_empty_or_a_large_one_is_refused_with_its_name(report, cast, name, data, message):
    upload = SimpleUploadedFile(name, data)
    with pytest.raises(AttachmentError, match=f"“{name}”.*{message}"):
        reporting.attach(report, cast.lead_staff, upload, MB)
    assert not Attachment.objects.exists()


def test_a_locked_report_takes_no_attachment(report, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fill(report, cast.lead_staff)
    with pytest.raises(reporting.ReportError):
        reporting.attach(report, cast.lead_staff, SimpleUploadedFile("a.pdf", PDF), MB)


def test_closing_and_reopening_a_task_is_recorded(cast, report):
    fill(report, cast.lead_staff, status="completed", close=True)
    closure = reporting.close_task(cast.task, cast.coordinator, note="已全部完成", report=report)
    with pytest.raises(reporting.ReportError, match="已办结"):
        reporting.close_task(cast.task, cast.coordinator)
    with pytest.raises(reporting.ReportError, match="原因"):
        reporting.reopen_task(cast.task, cast.coordinator, reason="")
    reporting.reopen_task(cast.task, cast.coordinator, reason="复核发现未完成")
    assert not Closure.objects.filter(task=cast.task).exists()
    rows = Closure.history.filter(id=closure.pk).order_by("history_id")
    assert list(rows.values_list("history_type", "history_change_reason")) == [
        ("+", "办结：已全部完成"),
        ("-", "重新打开：复核发现未完成"),
    ]


@pytest.mark.parametrize(
    "fields",
    [
        {"state": "submitted"},  # submitted with no time, no status
        {"state": "returned"},  # returned with no reason
        {"percent": 120},
        {"status": "finished"},
    ],
    ids=["submitted-incomplete", "returned-no-reason", "percent", "status"],
)
def test_the_database_refuses_an_inconsistent_report(round, cast, fields):
    with pytest.raises(IntegrityError):
        Report.objects.create(round=round, task=cast.task, agency=cast.cooperating, **fields)


def test_the_database_keeps_one_report_per_round_task_and_unit(round, cast):
    with pytest.raises(IntegrityError):
        Report.objects.create(round=round, task=cast.task, agency=cast.lead)
