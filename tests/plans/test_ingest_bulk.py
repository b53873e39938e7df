"""The loader writes in bulk: the statements of one ingest do not grow with the plan's sections, tasks or the
bureaus it names for the first time, and every new agency and alias still gets its history row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.models import Agency, AgencyAlias
from plans.ingestion import ingest_bytes
from plans.models import Duty, Section, Task
from tests.factories import region

pytestmark = pytest.mark.django_db

BUREAUS = (
    "发展和改革局", "工业和信息化局", "财政局", "自然资源局", "住房和城乡建设局", "交通运输局", "农业农村局",
    "商务局", "科学技术局", "市场监督管理局", "城市管理局", "统计局", "教育局", "应急管理局", "水利局", "林业局",
)  # fmt: skip


def plan_text(county: str, sections: int, tasks_per_section: int) -> bytes:
    """A county plan of `sections` sections under one part, each task led by its own bureau and one cooperating.

    The cooperating bureau is written in short (县发改局) on every task and in full (县发展和改革局) where it
    leads the first: the usual spelling becomes the agency's name, the other its alias.
    """
    lines = [f"{county}碳达峰实施方案", "", "一、重点任务"]
    number = 0
    for s in range(sections):
        lines.append(f"（{'一二三四五六七八九十'[s]}）第{s + 1}项行动")
        for _ in range(tasks_per_section):
            lead = BUREAUS[number % len(BUREAUS)]
            number += 1
            lines.append(
                f"{number}．推进第{number}项重点工作，完善相关制度。（牵头单位：县{lead}；配合单位：县发改局）"
            )
    return "\n".join(lines).encode()


def ingest_counting(text: bytes, county) -> int:
    with CaptureQueriesContext(connection) as queries:
        ingest_bytes(text, f"{county.name}.txt", region=county)
    return len(queries)


def test_a_first_ingest_takes_as_many_statements_for_many_sections_tasks_and_new_bureaus_as_for_few():
    small_county, large_county = region("湘潭市湘潭县"), region("衡阳市衡阳县")
    small = ingest_counting(plan_text("湘潭县", sections=1, tasks_per_section=2), small_county)
    large = ingest_counting(plan_text("衡阳县", sections=8, tasks_per_section=4), large_county)
    assert Task.objects.filter(plan__region=large_county, is_section=False).count() == 32
    assert Section.objects.filter(plan__region=large_county).count() == 9
    assert Agency.objects.filter(region=large_county).count() == len(BUREAUS)
    assert small == large


def test_every_agency_and_alias_a_bulk_ingest_creates_has_its_history_row():
    county = region("衡阳市衡阳县")
    ingest_bytes(plan_text("衡阳县", sections=4, tasks_per_section=4), "衡阳县.txt", region=county)
    agencies = Agency.objects.filter(region=county)
    assert agencies.count() == len(BUREAUS)
    assert {h.id for h in Agency.history.filter(region=county, history_type="+")} == {a.id for a in agencies}
    alias = AgencyAlias.objects.get(region=county, name="县发展和改革局")
    assert alias.agency.name == "县发改局" and alias.initials == "xfzhggj"
    assert AgencyAlias.history.filter(id=alias.id, history_type="+").count() == 1
    # The derived names are written as Agency.save writes them.
    bureau = agencies.get(name="县财政局")
    assert bureau.full_name == "衡阳市衡阳县财政局" and bureau.initials == "xczj"
    assert Duty.objects.filter(task__plan__region=county, agency__name="县发改局").count() == 16
