"""A plan with 督办 rounds is not deleted, and an attachment's file never outlives its row."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError

from plans.models import Plan
from progress.models import Attachment, Report
from progress.writing import reports as reporting

from .support import fill

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"0" * 64


def test_deleting_a_plan_that_has_reports_is_refused_and_keeps_them(report, cast):
    fill(report, cast.lead_staff, progress="按计划推进")
    reports = Report.objects.filter(round__plan=cast.plan).count()
    with pytest.raises(ProtectedError):
        cast.plan.delete()
    assert Plan.objects.filter(pk=cast.plan.pk).exists()
    assert Report.objects.filter(round__plan=cast.plan).count() == reports


def test_the_admin_refuses_to_delete_such_a_plan_in_chinese(report, cast, admin_client):
    url = f"/admin/plans/plan/{cast.plan.pk}/delete/"
    assert "无法删除 实施方案" in admin_client.get(url).content.decode()
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200 and "无法删除 实施方案" in response.content.decode()
    assert Plan.objects.filter(pk=cast.plan.pk).exists()


def test_an_attachment_deleted_with_its_report_takes_its_file_once_committed(
    report, cast, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    attachment = reporting.attach(report, cast.lead_staff, SimpleUploadedFile("材料.pdf", PDF), 10**6)
    stored = tmp_path / attachment.file.name
    assert stored.read_bytes() == PDF
    with django_capture_on_commit_callbacks(execute=True):
        report.task.delete()  # as a re-ingest does with a task gone from the text
        assert stored.exists()  # not before the deletion has committed
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not stored.exists()
