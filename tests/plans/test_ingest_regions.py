"""What the loader stores for plans of every level: the region and how it was found, national bodies under 全国,
measures linked to the task they belong to, and leads set by a rule the plan states."""

import pytest

from agencies.models import Agency, Region
from plans.ingestion.regions import RegionQuestion
from plans.models import Duty, IngestWarning, Plan, Task
from tests.factories import model_counts

pytestmark = pytest.mark.django_db

NATIONAL_PLAN = """\
国务院关于促进综合保税区
高水平开放高质量发展的若干意见
国发〔2019〕3号

一、主要任务
（一）统筹两个市场。
1.拓展两个市场。推广试点。（税务总局、财政部、海关总署负责，排在第一位的部门为牵头部门，下同）
2.释放企业产能。允许承接委托加工。（海关总署、商务部负责）推进内销便利。（商务部负责）
国务院
2019年1月12日
"""

PROVINCE_PLAN = """\
湖南省进一步构建充电基础设施体系的实施意见

一、重点任务
(一)编制规划。强化顶层设计。(责任单位:省发展改革委、国家能源局、各电网企业)
"""


def test_a_national_plan_is_stored_under_quan_guo_with_the_clue_and_its_bodies_are_national(ingest_text):
    plan = ingest_text(NATIONAL_PLAN).plan
    national = Region.objects.national()
    assert (plan.region, plan.region_clue) == (national, "发文机关“国务院”（第1行）")
    assert (plan.title, plan.issuer, plan.doc_number) == (
        "国务院关于促进综合保税区高水平开放高质量发展的若干意见",
        "国务院",
        "国发〔2019〕3号",
    )
    assert set(Agency.objects.filter(duties__task__plan=plan).values_list("region", flat=True)) == {national.pk}


def test_leads_set_by_the_plans_own_rule_are_stated_not_inferred_and_each_task_shows_the_rule(ingest_text):
    plan = ingest_text(NATIONAL_PLAN).plan
    first = Task.objects.get(plan=plan, number="1")
    assert sorted(Duty.objects.filter(task=first).values_list("agency__name", "role", "inferred")) == [
        ("海关总署", "cooperating", False),
        ("税务总局", "lead", False),
        ("财政部", "cooperating", False),
    ]
    assert first.lead_rule == "第7行“排在第一位的部门为牵头部门，下同”"
    [warning] = IngestWarning.objects.filter(plan=plan, code=IngestWarning.Code.STATED_RULE)
    assert (warning.line, "3 条条款" in warning.message) == (7, True)


def test_a_further_clause_in_an_items_text_is_stored_as_a_task_under_the_item(ingest_text):
    plan = ingest_text(NATIONAL_PLAN).plan
    item = Task.objects.get(plan=plan, number="2")
    [measure] = item.measures.all()
    assert (measure.number, measure.title, measure.ref) == ("2.2", "推进内销便利", "1.1.2.2")
    assert list(Duty.objects.filter(task=measure).values_list("agency__name", "role")) == [("商务部", "lead")]


def test_the_api_gives_each_tasks_parent_and_lead_rule_and_the_plans_region_clue(client, ingest_text):
    plan = ingest_text(NATIONAL_PLAN).plan
    data = client.get(f"/api/plans/{plan.pk}/").json()
    assert (data["region"], data["region_code"], data["region_clue"]) == ("全国", "000000", "发文机关“国务院”（第1行）")
    by_number = {t["number"]: t for t in data["tasks"]}
    assert by_number["2.2"]["parent_id"] == by_number["2"]["id"]
    assert by_number["2"]["parent_id"] is None
    assert by_number["2"]["lead_rule"] == "第7行“排在第一位的部门为牵头部门，下同”"


def test_a_provinces_plan_keeps_its_bodies_in_the_province_and_national_ones_under_quan_guo(ingest_text):
    plan = ingest_text(PROVINCE_PLAN).plan
    assert plan.region.full_name == "湖南省"
    regions = dict(Agency.objects.filter(duties__task__plan=plan).values_list("name", "region__full_name"))
    assert regions == {"省发展改革委": "湖南省", "国家能源局": "全国", "各电网企业": "湖南省"}
    assert Agency.objects.get(name="省发展改革委").full_name == "湖南省发展改革委"


def test_the_task_page_links_a_measure_to_its_item_and_shows_the_stated_rule(client, ingest_text):
    plan = ingest_text(NATIONAL_PLAN).plan
    measure = Task.objects.get(plan=plan, number="2.2")
    page = client.get(measure.get_absolute_url()).content.decode()
    assert f'href="/tasks/{measure.parent_id}/"' in page
    first = Task.objects.get(plan=plan, number="1")
    assert (
        "牵头单位按方案的规定认定：第7行“排在第一位的部门为牵头部门，下同”"
        in client.get(first.get_absolute_url()).content.decode()
    )


def test_a_plan_without_a_region_is_never_stored_until_one_is_chosen(ingest_text):
    before = model_counts()
    with pytest.raises(RegionQuestion) as question:
        ingest_text(NATIONAL_PLAN.replace("国务院", "某某委").replace("国发", "某发"))
    assert question.value.candidates == []
    assert model_counts() == before
    chosen = Region.objects.get(code="430000")
    plan = ingest_text(NATIONAL_PLAN.replace("国务院", "某某委").replace("国发", "某发"), region=chosen).plan
    assert (plan.region, plan.region_clue) == (chosen, "--region 指定")
    assert Plan.objects.filter(pk=plan.pk).exists()
