"""Apps that keep rows about agencies plug into splits, merges and the edit pages through agencies.dependants,
so that agencies never imports them."""

from collections import Counter

import pytest

from agencies import dependants, merging
from agencies.dependants import AgencyDependant, MergePart
from agencies.models import Agency
from plans.agency_records import PlanRecords
from tests.factories import region

pytestmark = pytest.mark.django_db


class Recorder(AgencyDependant):
    key = "recorder"
    usage_label = "记录"

    def __init__(self):
        self.calls = []

    def usage(self, agency_ids):
        return Counter(dict.fromkeys(agency_ids, 2))

    def split(self, source, agency, name, change):
        self.calls.append(("split", source.name, agency.name, change.reason))
        return {"记录": 2}

    def preview_merge(self, source, target):
        return MergePart(self.key, [("count-records", "记录", "2 项")], summary="移入记录 2 项")

    def merge(self, part, source, target, change):
        self.calls.append(("merge", source.name, target.name, change.reason))


@pytest.fixture
def recorder(monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(dependants, "_registry", [*dependants.dependants(), recorder])
    return recorder


def test_the_plans_app_registers_its_rows():
    assert any(isinstance(d, PlanRecords) for d in dependants.dependants())


def test_a_split_and_a_merge_ask_every_dependant_with_the_reason(recorder, administrator):
    shifeng = region("株洲市石峰区")
    bureau = Agency.objects.create(region=shifeng, name="区测试管理局")
    alias = merging.add_alias(bureau, "区测管局", user=administrator)
    result = merging.split_alias(alias, user=administrator, reason="两个单位")
    assert result.moved["记录"] == 2
    plan = merging.merge_agencies(result.agency, bureau, user=administrator)
    assert ("count-records", "记录", "2 项") in plan.rows
    assert recorder.calls == [
        ("split", "区测试管理局", "区测管局", "拆分单位：区测管局 从 区测试管理局 拆分为独立单位（两个单位）"),
        ("merge", "区测管局", "区测试管理局", "单位合并：区测管局 并入 区测试管理局"),
    ]


def test_the_duplicates_page_counts_each_dependants_rows(recorder, administrator_client):
    shifeng = region("株洲市石峰区")
    Agency.objects.create(region=shifeng, name="区科学技术局")
    Agency.objects.create(region=shifeng, name="区科技局")
    page = administrator_client.get("/agencies/duplicates/").content.decode()
    assert "记录 2 项" in page and "职责 0 项" in page
