"""Reports and contributions follow their agency when it is merged, and show in the agency's 变更记录."""

import pytest

from agencies import dependants, merging
from agencies.history import agency_history
from agencies.models import Agency
from plans.models import Duty
from progress.agency_records import ProgressRecords
from progress.models import Contribution, Report
from progress.writing import reports as reporting

from .support import fill, open_round, report_of

pytestmark = pytest.mark.django_db


def test_progress_registers_its_rows_about_agencies():
    assert any(isinstance(d, ProgressRecords) for d in dependants.dependants())


def _split_off_alias(cast, administrator):
    """A unit split off the cast's lead through one of its aliases, with a duty of its own on another task."""
    alias = cast.lead.aliases.first() or merging.add_alias(cast.lead, "区测试简称局", user=administrator)
    return merging.split_alias(alias, user=administrator).agency


def test_a_merge_moves_reports_and_contributions_and_records_it(cast, administrator):
    region = cast.plan.region
    other = Agency.objects.create(region=region, name="区测试合并局")
    task = Duty.objects.filter(task__plan=cast.plan, role="lead").exclude(agency=cast.lead).first().task
    Duty.objects.create(task=task, agency=other, role="joint", source="manual")
    round = open_round(cast.plan, cast.coordinator, task_ids=[task.pk, cast.task.pk])
    theirs = report_of(round, task, other)
    other.members.add(cast.outsider)
    fill(theirs, cast.outsider, progress="被合并单位的报告")
    reporting.contribute(report_of(round, cast.task, cast.lead), cast.cooperating, cast.cooperating_staff, "配合")

    merging.merge_agencies(other, cast.lead, user=administrator, reason="机构改革")
    moved = Report.objects.get(pk=theirs.pk)
    assert moved.agency == cast.lead and moved.progress == "被合并单位的报告"
    entries = [e.description for e in agency_history(cast.lead.pk, region.pk)]
    assert any(d.startswith("进展报告") and "移入（自 区测试合并局）" in d for d in entries)


def test_when_both_had_a_report_the_one_further_along_is_kept_with_the_others_text(cast, administrator):
    region = cast.plan.region
    other = Agency.objects.create(region=region, name="区测试合并局")
    Duty.objects.create(task=cast.task, agency=other, role="joint", source="manual")
    round = open_round(cast.plan, cast.coordinator, task_ids=[cast.task.pk])
    other.members.add(cast.outsider)
    reporting.contribute(report_of(round, cast.task, cast.lead), cast.cooperating, cast.cooperating_staff, "甲")
    reporting.contribute(report_of(round, cast.task, other), cast.cooperating, cast.cooperating_staff, "乙")
    fill(report_of(round, cast.task, other), cast.outsider, progress="已报送的", submit=True)
    fill(report_of(round, cast.task, cast.lead), cast.lead_staff, progress="草稿里的", submit=False)

    merging.merge_agencies(other, cast.lead, user=administrator)
    kept = Report.objects.get(round=round, task=cast.task)
    assert (kept.agency, kept.state) == (cast.lead, "submitted")
    assert kept.progress == "已报送的\n草稿里的"
    assert Contribution.objects.get(report=kept).text in {"甲\n乙", "乙\n甲"}
    assert Report.history.filter(history_type="-", history_change_reason__startswith="单位合并").count() == 1


def test_a_split_leaves_reports_with_the_agency_whose_staff_wrote_them(cast, administrator, round):
    fill(report_of(round, cast.task, cast.lead), cast.lead_staff)
    before = Report.objects.filter(agency=cast.lead).count()
    new = _split_off_alias(cast, administrator)
    assert Report.objects.filter(agency=cast.lead).count() == before
    assert not Report.objects.filter(agency=new).exists()
