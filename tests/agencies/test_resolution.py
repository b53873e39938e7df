"""Which Agency rows the seeds' unit names land on, and the resolver's rules applied to the database."""

from collections import Counter

import pytest

from agencies.models import Agency, AgencyAlias
from agencies.resolution import AgencyResolver
from plans.models import Duty, IngestWarning, Task
from tests.factories import region, seed_plan

pytestmark = pytest.mark.django_db


def agency(region_full_name: str, name: str) -> Agency:
    return Agency.objects.get(region__full_name=region_full_name, name=name)


def plans_with_duties_of(agency: Agency) -> set[str]:
    return {name[:3] for name in Duty.objects.filter(agency=agency).values_list("task__plan__source_name", flat=True)}


# --- Names are relative to the plan's region ----------------------------------------------------------------------


def test_the_district_development_bureau_of_three_district_plans_is_three_agencies_in_three_regions():
    bureaus = {
        prefix: Duty.objects.filter(task__plan=seed_plan(prefix), agency__name="区发展和改革局")
        .values_list("agency_id", "agency__region__full_name")
        .distinct()
        .get()
        for prefix in ("000", "003", "004")
    }
    assert len({agency_id for agency_id, _ in bureaus.values()}) == 3
    assert {prefix: where for prefix, (_, where) in bureaus.items()} == {
        "000": "株洲市石峰区",
        "003": "长沙市开福区",
        "004": "怀化市鹤城区",
    }


def test_the_zhuzhou_power_company_is_one_agency_of_zhuzhou_city_with_duties_in_the_city_and_district_plans():
    company = Agency.objects.get(name="国网株洲供电公司")
    assert company.region == region("株洲市")
    assert plans_with_duties_of(company) == {"000", "002"}


def test_a_city_unit_named_in_a_district_plan_belongs_to_the_parent_city():
    branch = Agency.objects.get(name="市生态环境局开福分局")
    assert branch.region == region("长沙市")
    assert plans_with_duties_of(branch) == {"003"}


def test_units_named_after_their_place_belong_to_that_place():
    assert Agency.objects.get(name="韶山市人民政府").region == region("湘潭市韶山市")
    assert Agency.objects.get(name="长沙金霞经济开发区管理委员会").region == region("长沙市")


def test_collective_addressees_belong_to_the_plans_own_region():
    assert Agency.objects.get(name="各县市区人民政府").region == region("株洲市")
    assert Agency.objects.get(name="各街道").region == region("长沙市开福区")


# --- Written variants land on one agency --------------------------------------------------------------------------


def test_the_short_form_of_the_shifeng_development_bureau_is_an_alias_of_it():
    bureau = agency("株洲市石峰区", "区发展和改革局")
    alias = AgencyAlias.objects.get(name="区发改局")
    assert alias.agency == bureau
    assert alias.region == bureau.region
    assert not Agency.objects.filter(name="区发改局").exists()


def test_the_one_duty_written_with_the_short_form_lands_on_the_full_bureau():
    bureau = agency("株洲市石峰区", "区发展和改革局")
    written = Counter(
        Duty.objects.filter(task__plan=seed_plan("000"), agency=bureau).values_list("as_written", flat=True)
    )
    assert written == {"区发展和改革局": 31, "区发改局": 1}
    duty = Duty.objects.get(agency=bureau, as_written="区发改局")
    assert duty.role == Duty.Role.COOPERATING
    assert duty.task.clause_text == "区科技和工业信息化局牵头，区发改局、区市场监管局按职责分工负责"


def test_the_three_spellings_of_the_shifeng_ecology_branch_are_one_agency():
    branch = agency("株洲市石峰区", "生态环境石峰分局")
    assert set(branch.aliases.values_list("name", flat=True)) == {"生态环境局石峰分局", "生态环境石峰局"}
    written = set(Duty.objects.filter(agency=branch).values_list("as_written", flat=True))
    assert written == {"生态环境石峰分局", "生态环境局石峰分局", "生态环境石峰局"}
    assert not Agency.objects.filter(name__in=["生态环境局石峰分局", "生态环境石峰局"]).exists()


def test_the_malanshan_committee_with_either_brackets_and_with_or_without_the_word_park_is_one_agency():
    matches = Agency.objects.filter(name__startswith="马栏山")
    assert matches.count() == 1
    committee = matches.get()
    assert committee.kind == Agency.Kind.ZONE
    written = set(Duty.objects.filter(agency=committee).values_list("as_written", flat=True))
    assert "马栏山(长沙)视频文创管理委员会" in written
    assert "马栏山（长沙）视频文创园管理委员会" in written


def test_the_two_orders_of_the_huaihua_hecheng_power_company_are_one_agency():
    company = agency("怀化市鹤城区", "国网怀化供电鹤城分公司")
    assert list(company.aliases.values_list("name", flat=True)) == ["国网怀化鹤城供电分公司"]
    written = set(Duty.objects.filter(agency=company).values_list("as_written", flat=True))
    assert written == {"国网怀化供电鹤城分公司", "国网怀化鹤城供电分公司"}


@pytest.mark.parametrize(
    ("full", "short"),
    [("区人力资源社会保障局", "区人社局"), ("区机关事务服务中心", "区机关事务中心"), ("区政府金融办", "区金融办")],
)
def test_other_shifeng_short_forms_are_aliases_of_the_full_names(full, short):
    assert AgencyAlias.objects.get(name=short, region=region("株洲市石峰区")).agency.name == full


def test_every_alias_merge_is_reported_as_a_warning_on_its_plan():
    messages = IngestWarning.objects.filter(plan=seed_plan("000"), code=IngestWarning.Code.ALIAS_MATCHED)
    assert messages.count() == 6
    assert any("“区发改局”按别名归入“区发展和改革局”" in w.message for w in messages)


def test_all_park_committees_and_key_park_committees_stay_two_collective_agencies():
    every = agency("株洲市", "各园区管委会")
    key = agency("株洲市", "各重点园区管委会")
    assert every != key
    assert every.kind == key.kind == Agency.Kind.COLLECTIVE
    assert not AgencyAlias.objects.filter(agency__in=[every, key]).exists()


def test_the_zhuzhou_development_commission_has_exactly_thirty_one_distinct_tasks():
    commission = agency("株洲市", "市发展改革委")
    tasks = Task.objects.filter(plan=seed_plan("002"), duties__agency=commission).distinct()
    assert tasks.count() == 31
    assert Duty.objects.filter(agency=commission).count() == 31


# --- A fused pair of units ----------------------------------------------------------------------------------------


def test_a_fused_pair_of_units_gives_two_duties_on_its_task_and_a_warning():
    fused = "区机关事务中心市生态环境局开福分局"
    task = Task.objects.get(plan=seed_plan("003"), clause_text__contains=fused)
    # Each half is written as its part of the run.
    halves = ["区机关事务中心", "市生态环境局开福分局"]
    duties = Duty.objects.filter(task=task, as_written__in=halves).select_related("agency__region")
    assert sorted((d.agency.name, d.agency.region.full_name) for d in duties) == [
        ("区机关事务中心", "长沙市开福区"),
        ("市生态环境局开福分局", "长沙市"),
    ]
    warning = IngestWarning.objects.get(plan=seed_plan("003"), code=IngestWarning.Code.FUSED_SPLIT)
    assert fused in warning.message
    assert warning.line == task.line + 1  # 003 writes the task title on its own line and the clause below it
    assert not Agency.objects.filter(name=fused).exists()


# --- A blanket note -----------------------------------------------------------------------------------------------


def test_the_xiangtan_blanket_note_gives_every_task_from_the_first_clause_on_to_counties_and_parks():
    plan = seed_plan("001")
    first_clause = plan.tasks.exclude(clause_text="").order_by("position").first()
    covered = plan.tasks.filter(position__gte=first_clause.position)
    assert covered.count() == 52
    for name in ("各县市区", "各园区"):
        unit = agency("湘潭市", name)
        duties = Duty.objects.filter(agency=unit)
        assert set(duties.values_list("task_id", flat=True)) == set(covered.values_list("id", flat=True))
        assert set(duties.values_list("source", "role", "inferred")) == {(Duty.Source.NOTE, Duty.Role.JOINT, False)}
    assert "不再逐项列出" in first_clause.clause_note
    assert plan.warnings.filter(code=IngestWarning.Code.BLANKET_NOTE).count() == 1


# --- Roles --------------------------------------------------------------------------------------------------------


def test_a_clause_with_a_lead_gives_the_lead_and_cooperating_units_in_written_order():
    task = Task.objects.get(plan=seed_plan("000"), ref="3.1.3")
    assert task.clause_text.startswith("区发展和改革局牵头，国网株洲供电公司")
    assert list(task.duties.order_by("position").values_list("agency__name", "role")) == [
        ("区发展和改革局", "lead"),
        ("国网株洲供电公司", "cooperating"),
        ("区科技和工业信息化局", "cooperating"),
        ("高新区田心片区管委会", "cooperating"),
        ("经开区管委会", "cooperating"),
    ]


def test_a_clause_with_two_leads_gives_two_lead_duties():
    task = Task.objects.get(plan=seed_plan("002"), ref="3.3.2")
    assert task.clause_text.startswith("市发展改革委、市工业和信息化局牵头")
    assert set(task.duties.filter(role=Duty.Role.LEAD).values_list("agency__name", flat=True)) == {
        "市发展改革委",
        "市工业和信息化局",
    }
    assert set(task.duties.exclude(role=Duty.Role.LEAD).values_list("role", flat=True)) == {"cooperating"}


@pytest.mark.parametrize("prefix", ["001", "004"])
def test_a_plan_that_never_names_a_lead_gives_only_joint_duties(prefix):
    duties = Duty.objects.filter(task__plan=seed_plan(prefix))
    assert duties.exists()
    assert set(duties.values_list("role", flat=True)) == {Duty.Role.JOINT}


def test_a_clause_naming_a_lead_is_the_only_way_to_a_lead_in_the_shifeng_plan():
    plan = seed_plan("000")
    lead_tasks = Task.objects.filter(plan=plan, duties__role=Duty.Role.LEAD).distinct()
    assert all("牵头" in t.clause_text for t in lead_tasks)
    joint_tasks = Task.objects.filter(plan=plan, duties__role=Duty.Role.JOINT).distinct()
    assert joint_tasks.exists()
    assert not any("牵头" in t.clause_text for t in joint_tasks)


# --- Kinds --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("region_full_name", "name", "kind"),
    [
        ("株洲市石峰区", "区委宣传部", Agency.Kind.PARTY),
        ("株洲市石峰区", "经开区管委会", Agency.Kind.ZONE),
        ("株洲市", "国网株洲供电公司", Agency.Kind.ENTERPRISE),
        ("湘潭市", "人民银行市中心支行", Agency.Kind.FINANCIAL),
        ("湘潭市韶山市", "韶山市人民政府", Agency.Kind.GOVERNMENT),
        ("株洲市", "各县市区人民政府", Agency.Kind.COLLECTIVE),
        ("株洲市石峰区", "生态环境石峰分局", Agency.Kind.BRANCH),
        ("株洲市石峰区", "区发展和改革局", Agency.Kind.DEPARTMENT),
    ],
)
def test_each_agency_is_stored_with_the_kind_of_body_its_name_denotes(region_full_name, name, kind):
    assert agency(region_full_name, name).kind == kind


# --- The resolver on its own --------------------------------------------------------------------------------------


def test_resolving_a_known_short_form_in_the_same_region_adds_no_agency_and_no_alias():
    shifeng = region("株洲市石峰区")
    before = (Agency.objects.count(), AgencyAlias.objects.count())
    result = AgencyResolver(shifeng).resolve(["区发改局", "区发展和改革局", "生态环境石峰局"])
    assert result.created == []
    assert result.agencies["区发改局"] == result.agencies["区发展和改革局"] == agency("株洲市石峰区", "区发展和改革局")
    assert result.agencies["生态环境石峰局"] == agency("株洲市石峰区", "生态环境石峰分局")
    assert (Agency.objects.count(), AgencyAlias.objects.count()) == before


def test_resolving_a_new_variant_of_a_known_name_stores_it_as_an_alias_of_that_region():
    shifeng = region("株洲市石峰区")
    result = AgencyResolver(shifeng).resolve(["区发展改革局"])
    bureau = agency("株洲市石峰区", "区发展和改革局")
    assert result.agencies["区发展改革局"] == bureau
    assert result.aliased == [("区发展改革局", bureau)]
    assert AgencyAlias.objects.get(name="区发展改革局").region == shifeng


def test_the_same_short_form_in_another_district_is_another_agency():
    tianxin = region("长沙市天心区")
    result = AgencyResolver(tianxin).resolve(["区发改局"])
    created = result.agencies["区发改局"]
    assert result.created == [created]
    assert created.region == tianxin
    assert created != agency("株洲市石峰区", "区发展和改革局")


def test_a_different_bureau_sharing_characters_is_not_taken_for_an_abbreviation():
    shifeng = region("株洲市石峰区")
    result = AgencyResolver(shifeng).resolve(["区科技局"])
    assert result.agencies["区科技局"] != agency("株洲市石峰区", "区科技和工业信息化局")
    assert len(result.created) == 1


def test_the_more_usual_spelling_becomes_the_name_and_the_rarer_an_alias():
    tianxin = region("长沙市天心区")
    result = AgencyResolver(tianxin).resolve(["区发改局", "区发展和改革局", "区发展和改革局"])
    bureau = result.agencies["区发改局"]
    assert bureau.name == "区发展和改革局"
    assert list(bureau.aliases.values_list("name", flat=True)) == ["区发改局"]


def test_a_name_that_does_not_look_like_a_body_is_kept_but_reported_unknown():
    result = AgencyResolver(region("长沙市天心区")).resolve(["某某某某"])
    assert result.unknown == ["某某某某"]
    assert result.agencies["某某某某"].kind == Agency.Kind.OTHER


# --- A person's mapping of new names (the upload preview) -------------------------------------------------------


def test_a_mapped_name_lands_on_the_chosen_agency_and_becomes_its_alias_recorded_under_the_person(administrator):
    shifeng = region("株洲市石峰区")
    finance = agency("株洲市石峰区", "区财政局")
    before = Agency.objects.count()
    result = AgencyResolver(shifeng).resolve(
        ["区财政事务中心"], {"区财政事务中心": finance.pk}, user=administrator, reason="上传“a.txt”时对应到本单位"
    )
    assert result.agencies["区财政事务中心"] == finance
    assert (result.created, result.mapped, result.unmapped) == ([], [("区财政事务中心", finance)], [])
    assert Agency.objects.count() == before
    alias = finance.aliases.get(name="区财政事务中心")
    recorded = alias.history.get()
    assert (recorded.history_user, recorded.history_change_reason) == (
        administrator,
        "新增别名：区财政事务中心（上传“a.txt”时对应到本单位）",
    )


def test_a_mapped_name_read_again_without_the_mapping_resolves_the_same_way():
    shifeng = region("株洲市石峰区")
    finance = agency("株洲市石峰区", "区财政局")
    AgencyResolver(shifeng).resolve(["区财政事务中心"], {"区财政事务中心": finance.pk})
    again = AgencyResolver(shifeng).resolve(["区财政事务中心"])
    assert again.agencies["区财政事务中心"] == finance and again.created == []


def test_a_mapping_onto_an_agency_of_another_region_is_not_followed():
    zhuzhou_finance = agency("株洲市", "市财政局")
    result = AgencyResolver(region("株洲市石峰区")).resolve(["区财政事务中心"], {"区财政事务中心": zhuzhou_finance.pk})
    assert result.unmapped == ["区财政事务中心"] and result.mapped == []
    assert result.created == [result.agencies["区财政事务中心"]]
    assert not zhuzhou_finance.aliases.filter(name="区财政事务中心").exists()


def test_a_mapping_of_a_name_another_agency_already_has_is_not_followed():
    shifeng = region("株洲市石峰区")
    finance = agency("株洲市石峰区", "区财政局")
    result = AgencyResolver(shifeng).resolve(["区发改局"], {"区发改局": finance.pk})
    assert result.agencies["区发改局"] == agency("株洲市石峰区", "区发展和改革局")
    assert result.unmapped == ["区发改局"]
