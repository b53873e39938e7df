"""clean_uploads deletes uploads nobody confirmed, after a while, and never an applied one."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from plans.models import DivisionImport, PlanUpload
from tests.factories import seed_plan

pytestmark = pytest.mark.django_db


def upload(status: str, days_old: int) -> PlanUpload:
    applied_at = timezone.now() if status == PlanUpload.Status.APPLIED else None
    record = PlanUpload.objects.create(
        file_name=f"{status}.txt", checksum="0" * 64, data=b"x", status=status, applied_at=applied_at
    )
    PlanUpload.objects.filter(pk=record.pk).update(created_at=timezone.now() - timedelta(days=days_old))
    return record


def test_old_pending_and_cancelled_uploads_go_applied_and_recent_ones_stay():
    old_pending, old_cancelled = upload("pending", 40), upload("cancelled", 40)
    old_applied, new_pending = upload("applied", 40), upload("pending", 2)
    division = DivisionImport.objects.create(plan=seed_plan("000"), file_name="a.xlsx", checksum="0", workbook=b"")
    DivisionImport.objects.filter(pk=division.pk).update(created_at=timezone.now() - timedelta(days=40))
    out = io.StringIO()
    call_command("clean_uploads", "--dry-run", stdout=out)
    assert "将删除 2 条" in out.getvalue() and PlanUpload.objects.count() == 4
    call_command("clean_uploads", stdout=io.StringIO())
    assert set(PlanUpload.objects.values_list("pk", flat=True)) == {old_applied.pk, new_pending.pk}
    assert not DivisionImport.objects.filter(pk=division.pk).exists()
    assert not PlanUpload.objects.filter(pk__in=[old_pending.pk, old_cancelled.pk]).exists()
