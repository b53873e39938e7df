"""The read-only JSON API: plan list, plan detail, an agency's duties; 404s; a fixed number of queries."""

import pytest

from agencies.models import Agency
from plans.models import Duty, Plan
from plans.views import api
from tests.factories import TIANXIN_PLAN, long_plan, seed_plan

pytestmark = pytest.mark.django_db

# Measured, then pinned. The plan detail runs one query more when the plan has appendix rows
# (their units are prefetched only when there are rows); none grows with the number of tasks or duties.
# Paged since the national data set (README, Read API): each list counts its items (one query more each), and
# an agency's duties are read as the ids of the page first, then those duties (one more).
PLAN_LIST_QUERIES = 2  # count, the page of plans with their counts
# the data version (fragments), plan, tasks counted, the page's tasks, their duties, their targets; page 1:
# sections, goals, appendix rows, projects, warnings
PLAN_DETAIL_QUERIES = 11
PLAN_DETAIL_WITH_APPENDIX_QUERIES = 12
PLAN_DETAIL_LATER_PAGE_QUERIES = 6
PLAN_DETAIL_KEPT_QUERIES = 1  # the data version: the answer is kept until the data changes
AGENCY_DUTIES_QUERIES = 5  # agency, its aliases, its duties counted, the page's ids, those duties

ROLES = {"lead", "cooperating", "joint"}
SOURCES = {"text", "table", "note"}


def plan_url(plan: Plan) -> str:
    return f"/api/plans/{plan.pk}/"


def agency_url(agency: Agency) -> str:
    return f"/api/agencies/{agency.pk}/duties/"


# --- Plan list ----------------------------------------------------------------------------------------------------


def test_the_plan_list_shows_the_five_seeds_with_id_title_region_and_task_count(client):
    response = client.get("/api/plans/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    plans = response.json()["plans"]
    assert len(plans) == 5
    by_title = {p["title"]: p for p in plans}
    assert set(by_title) == set(Plan.objects.values_list("title", flat=True))
    shifeng = by_title["株洲市石峰区碳达峰实施方案"]
    assert shifeng["id"] == seed_plan("000").pk
    assert shifeng["region"] == "株洲市石峰区"
    assert shifeng["region_code"] == "430204"
    assert shifeng["tasks"] == seed_plan("000").tasks.count()
    assert shifeng["is_draft"] is True
    assert by_title["湘潭市碳达峰实施方案"]["doc_number"] == "潭政发〔2023〕9号"
    assert by_title["湘潭市碳达峰实施方案"]["issued_on"] == "2023-05-11"


def test_the_plan_list_is_in_region_code_order(client):
    codes = [p["region_code"] for p in client.get("/api/plans/").json()["plans"]]
    assert codes == sorted(codes)


def test_the_plan_list_counts_each_plans_distinct_agencies(client):
    plans = {p["id"]: p for p in client.get("/api/plans/").json()["plans"]}
    plan = seed_plan("002")
    expected = Duty.objects.filter(task__plan=plan).values("agency").distinct().count()
    assert plans[plan.pk]["agencies"] == expected


def test_the_plan_list_writes_chinese_as_characters_not_escapes(client):
    assert "株洲市石峰区".encode() in client.get("/api/plans/").content


def test_the_plan_list_runs_one_query_however_many_plans(client, ingest_text, django_assert_num_queries):
    with django_assert_num_queries(PLAN_LIST_QUERIES):
        assert len(client.get("/api/plans/").json()["plans"]) == 5
    ingest_text(TIANXIN_PLAN)
    with django_assert_num_queries(PLAN_LIST_QUERIES):
        assert len(client.get("/api/plans/").json()["plans"]) == 6


# --- Plan detail --------------------------------------------------------------------------------------------------


def test_a_plans_detail_lists_its_tasks_with_their_duties(client):
    plan = seed_plan("000")
    data = client.get(plan_url(plan)).json()
    assert data["id"] == plan.pk
    assert data["title"] == "株洲市石峰区碳达峰实施方案"
    assert len(data["tasks"]) == plan.tasks.count()
    task = next(t for t in data["tasks"] if t["ref"] == "3.1.3")
    assert task["clause"].startswith("区发展和改革局牵头")
    assert task["duties"][:2] == [
        {
            "agency": "株洲市石峰区发展和改革局",
            "agency_id": Agency.objects.get(region=plan.region, name="区发展和改革局").pk,
            "role": "lead",
            "inferred": False,
            "as_written": "区发展和改革局",
            "source": "text",
        },
        {
            "agency": "国网株洲供电公司",
            "agency_id": Agency.objects.get(name="国网株洲供电公司").pk,
            "role": "cooperating",
            "inferred": False,
            "as_written": "国网株洲供电公司",
            "source": "text",
        },
    ]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_duty_in_a_plans_detail_has_a_known_role_and_source(client, prefix):
    plan = seed_plan(prefix)
    tasks = client.get(plan_url(plan)).json()["tasks"]
    duties = [d for t in tasks for d in t["duties"]]
    assert len(duties) == Duty.objects.filter(task__plan=plan).count()
    for duty in duties:
        assert set(duty) == {"agency", "agency_id", "role", "inferred", "as_written", "source"}
        assert duty["role"] in ROLES
        assert duty["source"] in SOURCES
        assert isinstance(duty["inferred"], bool)


def test_the_xiangtan_detail_shows_the_blanket_note_duties_as_note(client):
    tasks = client.get(plan_url(seed_plan("001"))).json()["tasks"]
    for task in tasks:
        notes = {d["agency"] for d in task["duties"] if d["source"] == "note"}
        assert notes == {"各县市区", "各园区"}


def test_a_plans_detail_lists_its_warnings_with_code_message_and_line(client):
    warnings = client.get(plan_url(seed_plan("003"))).json()["warnings"]
    codes = [w["code"] for w in warnings]
    assert "fused_split" in codes
    fused = next(w for w in warnings if w["code"] == "fused_split")
    assert "区机关事务中心市生态环境局开福分局" in fused["message"]
    assert isinstance(fused["line"], int)


def test_the_kaifu_detail_includes_its_appendix_rows_and_key_projects(client):
    plan = seed_plan("003")
    data = client.get(plan_url(plan)).json()
    assert len(data["appendix"]) == 38
    assert sum(1 for r in data["appendix"] if r["kind"] == "goal") == 6
    assert all(r["units"] for r in data["appendix"])
    task_ids = {t["id"] for t in data["tasks"]}
    assert all(r["task_id"] in task_ids for r in data["appendix"])
    assert len(data["projects"]) == 20
    assert all(p["name"] for p in data["projects"])
    assert any(r["disagrees_with_text"] for r in data["appendix"]) is plan.appendix_rows.filter(disagrees=True).exists()


def test_a_plan_without_appendices_has_empty_appendix_and_project_lists(client):
    data = client.get(plan_url(seed_plan("002"))).json()
    assert data["appendix"] == []
    assert data["projects"] == []


def test_a_plans_detail_has_its_outline_and_dated_goals(client):
    data = client.get(plan_url(seed_plan("002"))).json()
    assert data["outline"]
    assert {s["level"] for s in data["outline"]} == {1, 2}
    assert data["goals"]
    assert all("year" in g and "text" in g for g in data["goals"])


def test_a_plans_detail_runs_the_same_number_of_queries_for_a_small_plan_and_a_large_one(
    client, ingest_text, django_assert_num_queries
):
    small = ingest_text(TIANXIN_PLAN).plan
    large = seed_plan("001")
    assert Duty.objects.filter(task__plan=large).count() > 40 * Duty.objects.filter(task__plan=small).count()
    with django_assert_num_queries(PLAN_DETAIL_QUERIES):
        assert len(client.get(plan_url(small)).json()["tasks"]) == 3
    with django_assert_num_queries(PLAN_DETAIL_QUERIES):
        assert len(client.get(plan_url(large)).json()["tasks"]) == 52


@pytest.mark.parametrize("prefix", ["000", "002", "004"])
def test_a_plans_detail_query_count_is_pinned_for_every_seed_without_appendix(
    client, prefix, django_assert_num_queries
):
    url = plan_url(seed_plan(prefix))
    with django_assert_num_queries(PLAN_DETAIL_QUERIES):
        assert client.get(url).status_code == 200


def test_a_plans_detail_is_kept_for_each_address_until_the_data_changes(client, django_assert_num_queries):
    plan = seed_plan("001")
    first = client.get(f"/api/plans/{plan.pk}/")
    with django_assert_num_queries(PLAN_DETAIL_KEPT_QUERIES):
        again = client.get(f"/api/plans/{plan.pk}/")
    assert again.content == first.content
    assert again["Content-Type"] == "application/json"
    other_host = client.get(f"/api/plans/{plan.pk}/", HTTP_HOST="localhost").json()
    assert other_host["tasks"] == first.json()["tasks"]
    assert client.get(f"/api/plans/{plan.pk}/?page=9").status_code == 404
    assert client.get(f"/api/plans/{plan.pk}/?page=9").status_code == 404  # kept, status and all


def test_a_plans_detail_with_appendix_rows_runs_one_query_more_for_their_units(client, django_assert_num_queries):
    url = plan_url(seed_plan("003"))
    with django_assert_num_queries(PLAN_DETAIL_WITH_APPENDIX_QUERIES):
        assert len(client.get(url).json()["appendix"]) == 38


# --- An agency's duties -------------------------------------------------------------------------------------------


def test_an_agencys_duties_span_every_plan_that_names_it(client):
    company = Agency.objects.get(name="国网株洲供电公司")
    data = client.get(agency_url(company)).json()
    assert data["agency"]["id"] == company.pk
    assert data["agency"]["region"] == "株洲市"
    assert data["agency"]["kind"] == "enterprise"
    assert len(data["duties"]) == Duty.objects.filter(agency=company).count() == 4
    assert {d["plan_id"] for d in data["duties"]} == {seed_plan("000").pk, seed_plan("002").pk}
    assert {d["plan"] for d in data["duties"]} == {
        "株洲市石峰区碳达峰实施方案（征求意见稿）",
        "株洲市碳达峰实施方案",
    }
    for duty in data["duties"]:
        assert duty["role"] in ROLES
        assert duty["agency_id"] == company.pk
        assert duty["task_id"] and duty["section"]


def test_an_agencys_duties_are_ordered_by_region_then_plan_then_task(client):
    company = Agency.objects.get(name="国网株洲供电公司")
    duties = client.get(agency_url(company)).json()["duties"]
    # 株洲市 (430200) before 株洲市石峰区 (430204).
    assert [d["plan_id"] for d in duties] == sorted(
        [d["plan_id"] for d in duties], key=lambda pk: Plan.objects.get(pk=pk).region.code
    )


def test_an_agencys_duties_list_its_aliases_and_as_written_forms(client):
    bureau = Agency.objects.get(region__full_name="株洲市石峰区", name="区发展和改革局")
    data = client.get(agency_url(bureau)).json()
    assert data["agency"]["full_name"] == "株洲市石峰区发展和改革局"
    assert data["agency"]["aliases"] == ["区发改局"]
    assert len(data["duties"]) == 32
    assert sorted({d["as_written"] for d in data["duties"]}) == ["区发展和改革局", "区发改局"]


def test_an_agencys_duties_run_the_same_number_of_queries_for_few_and_many_duties(client, django_assert_num_queries):
    few = Agency.objects.get(name="国网株洲供电公司")  # 4 duties, 2 plans, no alias
    many = Agency.objects.get(region__full_name="湘潭市", name="各县市区")  # 52 duties
    with django_assert_num_queries(AGENCY_DUTIES_QUERIES):
        assert len(client.get(agency_url(few)).json()["duties"]) == 4
    with django_assert_num_queries(AGENCY_DUTIES_QUERIES):
        assert len(client.get(agency_url(many)).json()["duties"]) == 52


def test_an_agency_without_duties_has_an_empty_list(client, ingest_text):
    plan = ingest_text(TIANXIN_PLAN).plan
    bureau = Agency.objects.get(region=plan.region, name="区财政局")
    Duty.objects.filter(agency=bureau).delete()
    data = client.get(agency_url(bureau)).json()
    assert data["duties"] == []


# --- Pages ----------------------------------------------------------------------------------------------------------


def test_every_list_says_how_many_there_are_and_links_the_next_page(client):
    data = client.get("/api/plans/").json()
    assert (data["count"], data["page"], data["pages"], data["next"], data["previous"]) == (5, 1, 1, None, None)


@pytest.fixture
def pages_of_300(monkeypatch):
    """Pages of 300 tasks, so that a plan of a few hundred tasks shows the paging (the real pages hold 1,000)."""
    monkeypatch.setattr(api, "TASKS_PAGE_SIZE", 300)


def test_a_provincial_plan_of_several_hundred_tasks_comes_whole_on_its_first_page(client, ingest_text):
    plan = ingest_text(long_plan(400)).plan
    first = client.get(plan_url(plan)).json()
    assert (first["count"], first["pages"], len(first["tasks"]), first["next"]) == (400, 1, 400, None)


def test_a_long_plan_is_paged_with_the_outline_on_the_first_page(client, ingest_text, pages_of_300):
    plan = ingest_text(long_plan(650)).plan
    first = client.get(plan_url(plan)).json()
    assert (first["count"], first["pages"], len(first["tasks"])) == (650, 3, 300)
    assert first["next"] == f"http://testserver/api/plans/{plan.pk}/?page=2" and first["previous"] is None
    assert len(first["outline"]) == plan.sections.count() and first["goals"]
    third = client.get(first["next"].replace("page=2", "page=3")).json()
    assert len(third["tasks"]) == 50 and third["next"] is None
    assert third["previous"] == f"http://testserver/api/plans/{plan.pk}/?page=2"
    assert "outline" not in third and third["title"] == plan.title
    refs = [t["ref"] for n in (1, 2, 3) for t in client.get(f"{plan_url(plan)}?page={n}").json()["tasks"]]
    assert refs == list(plan.tasks.order_by("position").values_list("ref", flat=True))


def test_a_later_page_of_a_plan_runs_fewer_queries_and_still_a_fixed_number(
    client, ingest_text, django_assert_num_queries, pages_of_300
):
    plan = ingest_text(long_plan(650)).plan
    for page in (2, 3):
        with django_assert_num_queries(PLAN_DETAIL_LATER_PAGE_QUERIES):
            assert client.get(f"{plan_url(plan)}?page={page}").status_code == 200


def test_an_agencys_duties_are_paged_in_the_same_order(client, ingest_text):
    plan = ingest_text(long_plan(130)).plan
    bureau = Agency.objects.get(region=plan.region, name="区发展和改革局")
    first = client.get(agency_url(bureau)).json()
    second = client.get(first["next"]).json()
    assert (first["count"], len(first["duties"]), len(second["duties"])) == (130, 100, 30)
    assert [d["task_id"] for d in first["duties"] + second["duties"]] == list(
        plan.tasks.order_by("position").values_list("pk", flat=True)
    )
    assert second["agency"] == first["agency"]


def test_the_plan_list_narrows_by_region_and_year_like_the_home_page(client):
    zhuzhou = client.get("/api/plans/?region=430200").json()
    assert {p["region_code"] for p in zhuzhou["plans"]} == {"430200", "430204"} and zhuzhou["count"] == 2
    dated = client.get("/api/plans/?year=2023").json()["plans"]
    assert dated and all(p["issued_on"].startswith("2023") for p in dated)
    assert client.get("/api/plans/?region=999999").status_code == 404


@pytest.mark.parametrize("query", ["?page=2", "?page=0", "?page=abc", "?page=-1"])
def test_a_page_that_is_not_there_is_a_404_with_a_message(client, query):
    response = client.get(f"/api/plans/{query}")
    assert response.status_code == 404
    assert response.json() == {"error": "没有这一页（page out of range）"}


# --- Not found, never a server error -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/plans/999999/",
        "/api/plans/0/",
        "/api/plans/99999999999999999999999999/",
        "/api/plans/abc/",
        "/api/plans/-1/",
        "/api/agencies/999999/duties/",
        "/api/agencies/99999999999999999999999999/duties/",
        "/api/agencies/abc/duties/",
        "/api/nothing/",
    ],
)
def test_an_unknown_id_is_a_404_not_a_server_error(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/api/plans/", "/api/plans/{plan}/", "/api/agencies/{agency}/duties/"])
def test_the_api_refuses_writes_with_405(client, url):
    url = url.format(plan=seed_plan("000").pk, agency=Agency.objects.first().pk)
    assert client.post(url).status_code == 405
    assert client.delete(url).status_code == 405
