"""Shared fixtures: the five seed plans ingested once per test session, synthetic plans, and a cast of users.

Tests that use the database run inside a transaction that is rolled back, so
the seeds stay as loaded and whatever a test ingests on top of them goes away.
Tests must therefore not use `transactional_db`, which would flush the seeds.
"""

from pathlib import Path

import pytest

from plans.ingest import IngestResult, ingest_file
from tests.factories import SEED_FILES


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, migrated (regions loaded) and holding the five seed plans."""
    assert len(SEED_FILES) == 5, f"expected five seed plans, found {[p.name for p in SEED_FILES]}"
    with django_db_blocker.unblock():
        for path in SEED_FILES:
            ingest_file(path)


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
