"""Shared fixtures: the five seed plans ingested once per test session, synthetic plans, and a cast of users.

Tests that use the database run inside a transaction that is rolled back, so
the seeds stay as loaded and whatever a test ingests on top of them goes away.
Tests must therefore not use `transactional_db`, which would flush the seeds.
"""

from pathlib import Path

import pytest

from plans.ingestion import IngestResult, ingest_file
from tests.factories import SEED_FILES


def pytest_configure(config):
    from django.conf import settings

    # Real password hashing takes a quarter of a second per password by design; tests check behaviour, not cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, migrated (regions loaded) and holding the five seed plans."""
    assert len(SEED_FILES) == 5, f"expected five seed plans, found {[p.name for p in SEED_FILES]}"
    with django_db_blocker.unblock():
        for path in SEED_FILES:
            ingest_file(path)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches (the upload previews, the kept fragments): the database rolls back after
    a test, a cache in memory would not."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def write_plan(tmp_path):
    """Write a plan text to a file under tmp_path: write_plan(text, name=..., encoding=...) -> Path."""

    def write(text: str | bytes, name: str = "plan.txt", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
        return path

    return write


@pytest.fixture
def ingest_text(db, write_plan):
    """Write a synthetic plan to tmp_path and ingest it: ingest_text(text, name=..., **ingest_kwargs)."""

    def ingest(text: str | bytes, name: str = "plan.txt", encoding: str = "utf-8", **kwargs) -> IngestResult:
        return ingest_file(write_plan(text, name, encoding), **kwargs)

    return ingest


@pytest.fixture
def administrator(db, django_user_model):
    """A superuser: may see and change everything in the admin."""
    return django_user_model.objects.create_superuser("administrator", "admin@example.com", password=None)


@pytest.fixture
def outsider(db, django_user_model):
    """An active user with an account but no staff status: the admin is closed to them."""
    return django_user_model.objects.create_user("outsider", "outsider@example.com", password=None)


@pytest.fixture
def administrator_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def outsider_client(client, outsider):
    client.force_login(outsider)
    return client


@pytest.fixture
def cast(db, django_user_model):
    """The fixed cast for permission tests, around one task of seed 000 with a lead and a cooperating unit.

    administrator: a superuser; coordinator: coordinates plan 000; other_coordinator: coordinates
    plan 001 only; lead_staff / cooperating_staff: members of the task's lead / a cooperating agency;
    outsider: signed in, no role; anonymous: None. `task`, `plan`, `lead`, `cooperating` are the objects.
    """
    from types import SimpleNamespace

    from plans.models import Duty
    from tests.factories import seed_plan

    plan = seed_plan("000")
    duty = (
        Duty.objects.filter(task__plan=plan, role=Duty.Role.LEAD, task__duties__role=Duty.Role.COOPERATING)
        .select_related("task", "agency")
        .order_by("task__position")
        .first()
    )
    task, lead = duty.task, duty.agency
    cooperating = task.duties.filter(role=Duty.Role.COOPERATING).select_related("agency").first().agency

    def user(name, **extra):
        return django_user_model.objects.create_user(name, f"{name}@example.com", password=None, **extra)

    administrator = django_user_model.objects.create_superuser("cast-admin", "cast-admin@example.com", password=None)
    coordinator = user("coordinator")
    plan.coordinators.add(coordinator)
    other_coordinator = user("other-coordinator")
    seed_plan("001").coordinators.add(other_coordinator)
    lead_staff = user("lead-staff")
    lead.members.add(lead_staff)
    cooperating_staff = user("cooperating-staff")
    cooperating.members.add(cooperating_staff)
    return SimpleNamespace(
        plan=plan,
        task=task,
        lead=lead,
        cooperating=cooperating,
        administrator=administrator,
        coordinator=coordinator,
        other_coordinator=other_coordinator,
        lead_staff=lead_staff,
        cooperating_staff=cooperating_staff,
        outsider=user("cast-outsider"),
        anonymous=None,
    )
