"""Hostile 分工表 uploads: each is refused (or read within bounds) quickly and in little memory, with a message
naming the file, and the database stays as it was."""

import time
import tracemalloc

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile

from lib.spreadsheets.problems import WorkbookError
from plans.models import DivisionImport, Duty
from plans.spreadsheets.division_import.workbook import read_division
from tests.factories import seed_plan
from tests.pages import text

from .hostile_workbooks import HOSTILE

pytestmark = pytest.mark.reliability

# Generous bounds, to catch a blow-up (minutes, gigabytes) even on a busy CI machine, not to time the reader.
SECONDS = 30
PEAK_MB = 80


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_workbook_is_read_within_bounds(name):
    make, refusal = HOSTILE[name]
    data = make()
    assert len(data) < 5 * 1024 * 1024
    tracemalloc.start()
    started = time.perf_counter()
    try:
        if refusal is None:
            division = read_division(data)
            assert [row.title for row in division.rows[:2]] == ["任务0", "任务1"]
        else:
            with pytest.raises(WorkbookError, match=refusal):
                read_division(data)
    finally:
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < SECONDS, f"{name}: {elapsed:.1f} s"
    assert peak < PEAK_MB * 1024 * 1024, f"{name}: {peak / 1024 / 1024:.0f} MB"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, (_, refusal) in HOSTILE.items() if refusal))
def test_the_upload_page_refuses_it_naming_the_file_and_stores_nothing(name, administrator_client):
    make, refusal = HOSTILE[name]
    plan = seed_plan("000")
    before = (DivisionImport.objects.count(), list(Duty.objects.values_list("pk", "role", "source").order_by("pk")))
    upload = SimpleUploadedFile(f"{name}.xlsx", make())
    response = administrator_client.post(f"/plans/{plan.pk}/import/", {"workbook": upload})
    assert response.status_code == 400
    message = text(BeautifulSoup(response.content, "html.parser"), "#import-error")
    assert f"{name}.xlsx" in message and refusal in message
    assert (
        DivisionImport.objects.count(),
        list(Duty.objects.values_list("pk", "role", "source").order_by("pk")),
    ) == before
