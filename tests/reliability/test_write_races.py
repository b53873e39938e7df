"""Writers of one plan serialise on the plan's row: a re-ingest never deletes an edit committed while it ran.

The interleaving is made with real locks on PostgreSQL, no code patched: a third connection holds a lock on one of
the plan's sections, so the re-ingest stops where it rewrites the outline, after it decided which tasks to keep and
before it deletes the others. An edit of a task the new text drops is tried then. Before the plan lock, the edit
committed at once and the re-ingest then deleted the task with it; now the edit waits for the re-ingest and is
told the task is gone.

These tests commit for real (other connections must see the rows), so they make their own plan in a district no
other test uses and delete it afterwards. SQLite needs no such test: there every transaction takes the write lock
when it begins (config/settings.py), which the load script (scripts/load_test.py) exercises.
"""

import threading
import time
from datetime import date

import pytest
from django.db import connection, transaction

from agencies.models import Agency, Region
from plans.assignments import lock_plan
from plans.editing import EditError, UnitEdit, apply_task_edit
from plans.history import current_duties, version_of
from plans.ingestion import ingest_bytes
from plans.models import Duty, Plan, Section, TaskNote
from plans.notes import NOTE_FIELDS, save_note
from progress.models import Closure, Deadline
from progress.writing.deadlines import deadline_of, set_deadline
from progress.writing.deadlines import version_of as deadline_version
from progress.writing.reports import close_task

pytestmark = pytest.mark.reliability

REGION = "株洲市渌口区"  # no other test writes a plan here
V1 = """\
株洲市渌口区碳达峰实施方案

一、重点任务
（一）推进能源绿色低碳转型
1.大力发展新能源。加快分布式光伏建设。（区发展和改革局牵头，区住房和城乡建设局配合）
2.严格控制煤炭消费。推动煤电节能降碳改造。（区工业和信息化局牵头，区财政局配合）
3.全面提升节能管理能力。推行用能预算管理。（区统计局牵头，区财政局配合）
"""
V2 = V1.replace("3.全面提升节能管理能力。推行用能预算管理。（区统计局牵头，区财政局配合）\n", "")


def _in_thread(target, results: dict, key: str) -> threading.Thread:
    def run():
        try:
            results[key] = target()
        except Exception as error:  # the test reads what each writer ended with
            results[key] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _waiting_on_locks() -> int:
    with connection.cursor() as cursor:
        # The test's connection is inside a transaction, which would otherwise see the first snapshot of the view.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0]


def _run_apart(target):
    """What `target` returns, run on a connection of its own: it commits, whatever the test's connection does."""
    results: dict = {}
    _in_thread(target, results, "result").join(60)
    if isinstance(results.get("result"), Exception):
        raise results["result"]
    return results.get("result")


def _remove_the_district():
    Plan.objects.filter(region__full_name=REGION).delete()
    Agency.objects.filter(region=Region.objects.get(full_name=REGION)).delete()


@pytest.fixture
def committed_plan(db):
    """V1 stored for real; removed with everything made in its district afterwards.

    The test's own connection stays in the transaction the `db` fixture rolls back (so the test database is set
    up even when these tests run alone); the plan is written and removed on connections of their own.
    """
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises whole transactions (see the module docstring)")
    plan = _run_apart(lambda: ingest_bytes(V1.encode(), "lukou.txt").plan)
    try:
        yield plan
    finally:
        _run_apart(_remove_the_district)


def test_an_edit_waits_for_a_re_ingest_of_its_plan_and_is_never_silently_deleted(committed_plan):
    task = committed_plan.tasks.get(ref="1.1.3")  # the task V2 drops
    duties = current_duties(task)
    lead = next(d for d in duties if d.role == Duty.Role.LEAD)
    units = [UnitEdit(d.pk, Duty.Role.COOPERATING if d == lead else d.role, False, n) for n, d in enumerate(duties, 1)]
    version = version_of(duties)

    locked, release, results = threading.Event(), threading.Event(), {}

    def hold_a_section():
        with transaction.atomic():
            Section.objects.select_for_update().filter(plan=committed_plan).order_by("position").first()
            locked.set()
            release.wait(20)

    holder = _in_thread(hold_a_section, results, "holder")
    assert locked.wait(10)
    reingest = _in_thread(lambda: ingest_bytes(V2.encode(), "lukou.txt"), results, "reingest")
    deadline = time.monotonic() + 10
    while _waiting_on_locks() < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _waiting_on_locks() >= 1, "the re-ingest should be waiting on the section lock"

    edit = _in_thread(lambda: apply_task_edit(task, None, units, [], "并发修改", version), results, "edit")
    edit.join(2)
    committed_while_the_re_ingest_ran = not edit.is_alive()
    release.set()
    for thread in (holder, reingest, edit):
        thread.join(30)

    assert not isinstance(results["reingest"], Exception), results["reingest"]
    assert not committed_while_the_re_ingest_ran, "the edit must wait for the re-ingest of its plan"
    outcome = results["edit"]
    if isinstance(outcome, Exception):
        assert isinstance(outcome, EditError) and "删除" in str(outcome)
    else:
        # Acknowledged: then it must still be there.
        assert Duty.objects.filter(pk=lead.pk, role=Duty.Role.COOPERATING, source=Duty.Source.MANUAL).exists()


def _waits_for_the_plan(plan, write) -> tuple[bool, object]:
    """Run `write` while another connection holds the plan's row lock: (whether it waited, what it returned)."""
    locked, release, results = threading.Event(), threading.Event(), {}

    def hold_the_plan():
        with transaction.atomic():
            lock_plan(plan.pk)
            locked.set()
            release.wait(20)

    holder = _in_thread(hold_the_plan, results, "holder")
    assert locked.wait(10)
    writer = _in_thread(write, results, "writer")
    writer.join(2)
    waited = writer.is_alive()
    release.set()
    for thread in (holder, writer):
        thread.join(30)
    return waited, results["writer"]


DUE = date(2026, 12, 31)


@pytest.mark.parametrize("writer", ["note", "deadline", "closure"])
def test_notes_deadlines_and_closures_take_the_plan_lock_first_like_every_writer_of_a_plan(writer, committed_plan):
    """A person's note, deadline or closing (办结) waits while a re-ingest or an edit holds the plan: written in the
    same lock order as they (plan, task, row), a re-ingest sees it before deciding which tasks to keep, and it
    never holds the task's row while waiting for the plan (the deadlock an edit and a note met under load)."""
    task = committed_plan.tasks.get(ref="1.1.1")
    agency = task.duties.first().agency
    write = {
        "note": lambda: save_note(task, agency, None, dict.fromkeys(NOTE_FIELDS, "负责人"), version=""),
        "deadline": lambda: set_deadline(
            task, None, due_on=DUE, ongoing=False, reason="人工设定", version=deadline_version(deadline_of(task))
        ),
        "closure": lambda: close_task(task, None, note="已完成"),
    }[writer]
    waited, outcome = _waits_for_the_plan(committed_plan, write)
    assert not isinstance(outcome, Exception), outcome
    assert waited, f"the {writer} must wait for the plan's lock"
    assert {
        "note": lambda: TaskNote.objects.filter(task=task, agency=agency, contact_person="负责人").exists(),
        "deadline": lambda: Deadline.objects.filter(task=task, due_on=DUE, source="manual").exists(),
        "closure": lambda: Closure.objects.filter(task=task).exists(),
    }[writer]()
