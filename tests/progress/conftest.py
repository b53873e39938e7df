import pytest

from .support import open_round, report_of


@pytest.fixture
def round(cast):
    """A round of the cast's plan (seed 000), due in ten days, covering every task."""
    return open_round(cast.plan, cast.coordinator, name="2026年第1季度")


@pytest.fixture
def report(round, cast):
    """The cast's lead agency's report on the cast's task in that round."""
    return report_of(round, cast.task, cast.lead)
