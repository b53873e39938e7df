"""What a real city plan made of its units: no false 不像单位名称 on bodies written in their usual short forms,
enterprises of the plan's region named as such, one collective for the ways a plan writes "the relevant
departments", and an office in brackets resolved to the body that houses it. Read from the rows a small text plan
stores."""

import pytest

from agencies.models import Agency, AgencyAlias
from lib import naming
from plans.models import Duty
from tests.factories import region

pytestmark = pytest.mark.django_db

# The shape of the 苏州 plan the issue was filed on: banks, customs, the federation of commerce and a state
# asset company written as the city writes them; collectives and an office in brackets.
SUZHOU_PLAN = """\
苏州市碳达峰实施方案

一、总体要求
坚持系统观念，统筹发展和减排。

二、重点任务
（一）推进能源绿色低碳转型
1.大力发展新能源。加快分布式光伏建设。（市发改委牵头，人行苏州市分行、市工商联按职责分工负责）
2.严格控制煤炭消费。推动煤电节能降碳改造。（市发改委、苏州海关、苏州资管、能源集团按职责分工负责）
（二）推进节能降碳增效
3.全面提升节能管理能力。推行用能预算管理。（市工信局牵头，各有关部门、相关单位按职责分工负责）
4.加强人才支撑。引进高层次人才。（市委组织部〈人才办〉牵头，市各有关部门、有关单位按职责分工负责）
5.完善人才政策。优化人才服务。（市委组织部（人才办）、市人社局按职责分工负责）
6.健全组织保障。加强干部培训。（市委组织部、天心阁按职责分工负责）
"""


@pytest.fixture
def suzhou(ingest_text):
    return ingest_text(SUZHOU_PLAN, "suzhou.txt").plan


def agency_of(plan, written: str) -> Agency:
    return Duty.objects.select_related("agency").get(task__plan=plan, as_written=written).agency


# --- 1. False alarms ----------------------------------------------------------------------------------------------


def test_bodies_in_their_usual_short_forms_raise_no_warning_and_only_the_odd_name_does(suzhou):
    assert list(suzhou.warnings.filter(code="unknown_unit").values_list("message", flat=True)) == [
        "“天心阁”不像单位名称，请核对"
    ]


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("人行苏州市分行", Agency.Kind.FINANCIAL),
        ("市工商联", Agency.Kind.DEPARTMENT),
        ("苏州海关", Agency.Kind.BRANCH),
        ("苏州资管", Agency.Kind.ENTERPRISE),
        ("能源集团", Agency.Kind.ENTERPRISE),
        ("天心阁", Agency.Kind.OTHER),
    ],
)
def test_each_body_is_stored_with_its_kind(suzhou, written, kind):
    assert agency_of(suzhou, written).kind == kind


def test_an_agency_stored_as_other_before_is_no_warning_once_its_name_reads_as_a_body(ingest_text):
    # An earlier version of the rules stored 苏州资管 as 其他; the name is what the warning is about.
    Agency.objects.create(region=region("苏州市"), name="苏州资管", kind=Agency.Kind.OTHER)
    plan = ingest_text(SUZHOU_PLAN, "suzhou.txt").plan
    assert not plan.warnings.filter(message__contains="苏州资管").exists()


# --- 4. Odd agencies ----------------------------------------------------------------------------------------------


def test_a_company_group_named_with_no_place_is_the_plans_regions(suzhou):
    group = agency_of(suzhou, "能源集团")
    assert group.region == region("苏州市")
    assert group.full_name == "苏州市能源集团"


def test_the_ways_of_writing_the_relevant_departments_are_one_collective_agency(suzhou):
    ours = {agency_of(suzhou, written) for written in ("各有关部门", "市各有关部门")}
    assert len(ours) == 1
    (collective,) = ours
    assert collective.kind == Agency.Kind.COLLECTIVE
    assert collective.region == region("苏州市")
    assert Agency.objects.filter(region=region("苏州市"), name__contains="有关部门").count() == 1


def test_the_relevant_units_however_written_are_one_collective_agency(suzhou):
    units = {agency_of(suzhou, written) for written in ("相关单位", "有关单位")}
    assert len(units) == 1
    assert units.pop().kind == Agency.Kind.COLLECTIVE


def test_an_office_in_brackets_resolves_to_the_body_that_houses_it_and_the_duty_keeps_the_bracket(suzhou):
    department = Agency.objects.get(region=region("苏州市"), name="市委组织部")
    assert department.kind == Agency.Kind.PARTY
    assert not Agency.objects.filter(region=region("苏州市"), name__contains="人才办").exists()
    written = set(Duty.objects.filter(task__plan=suzhou, agency=department).values_list("as_written", flat=True))
    assert written == {"市委组织部〈人才办〉", "市委组织部（人才办）", "市委组织部"}
    assert set(AgencyAlias.objects.filter(agency=department).values_list("name", flat=True)) == {
        "市委组织部〈人才办〉",
        "市委组织部（人才办）",
    }


def test_an_office_in_brackets_named_alone_makes_the_agency_of_its_body(ingest_text):
    text = SUZHOU_PLAN.replace("市委组织部、天心阁", "市人社局")
    text = text.replace("市委组织部（人才办）、", "")
    plan = ingest_text(text, "suzhou.txt").plan
    lead = agency_of(plan, "市委组织部〈人才办〉")
    assert (lead.name, lead.full_name) == ("市委组织部", "苏州市委组织部")


def test_a_re_ingest_finds_the_same_agencies_and_creates_none(suzhou, ingest_text):
    before = Agency.objects.count()
    result = ingest_text(SUZHOU_PLAN.replace("加强干部培训", "加强干部教育培训"), "suzhou.txt")
    assert result.status == "updated" and result.agencies_created == []
    assert Agency.objects.count() == before


# --- The name rules behind them ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("市委组织部（人才办）", "市委组织部"),
        ("市委组织部〈人才办〉", "市委组织部"),
        ("省编办〈省审改办〉", "省编办"),
        ("社区（村）", "社区（村）"),
        ("乡镇（街道）", "乡镇（街道）"),
        ("相关区人民政府〈含开发区〉", "相关区人民政府〈含开发区〉"),
        ("马栏山（长沙）视频文创管理委员会", "马栏山（长沙）视频文创管理委员会"),
        ("区发展和改革局", "区发展和改革局"),
    ],
)
def test_parent_body_takes_off_an_office_in_brackets_only(name, body):
    assert naming.parent_body(name) == body


def test_collective_keys_fold_the_ways_of_writing_one_group_and_leave_single_bodies_alone():
    key = naming.collective_key
    assert key("各有关部门") == key("市各有关部门") == key("相关部门")
    assert naming.collective_key("相关单位") == naming.collective_key("有关单位")
    assert naming.collective_key("各有关部门") != naming.collective_key("有关单位")
    assert naming.collective_key("各重点园区管委会") != naming.collective_key("各园区管委会")
    assert naming.collective_key("区发展和改革局") == ""


# --- 2. A blanket sentence ----------------------------------------------------------------------------------------


def test_a_blanket_sentence_in_the_safeguards_gives_every_task_a_duty_of_the_counties(ingest_text):
    sentence = "各县级市（区）人民政府负责本地区各项任务的落实"
    text = SUZHOU_PLAN + f"\n三、保障措施\n（一）加强组织领导。{sentence}。\n"
    plan = ingest_text(text, "suzhou.txt").plan
    counties = Agency.objects.get(region=region("苏州市"), name="各县级市（区）人民政府")
    assert counties.kind == Agency.Kind.COLLECTIVE
    duties = Duty.objects.filter(task__plan=plan, agency=counties)
    assert duties.count() == plan.tasks.exclude(clause_text="").count() == 6
    assert set(duties.values_list("source", "as_written")) == {(Duty.Source.NOTE, "各县级市（区）人民政府")}
    (warning,) = plan.warnings.filter(code="blanket_note")
    assert warning.line == 17 and f"“{sentence}”" in warning.message
