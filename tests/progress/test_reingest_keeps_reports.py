"""A re-ingest whose new text drops a task never deletes what people reported on it: the task is kept, as a task
with notes or hand-made duties is, and the upload's choice says why."""

import pytest

from plans.ingestion import ingest_bytes
from progress.models import Report
from tests.factories import SEED_FILES

pytestmark = pytest.mark.django_db


def test_a_task_with_a_progress_report_is_kept_when_the_new_text_drops_it(cast, report):
    text = SEED_FILES[0].read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if cast.task.title and cast.task.title in line)
    result = ingest_bytes(text.replace(line + "\n", "").encode(), SEED_FILES[0].name)

    assert [(k.task_id, k.reasons) for k in result.kept_tasks] == [(cast.task.id, ["督办进展报告 1 份"])]
    assert Report.objects.filter(pk=report.pk, task=cast.task).exists()
