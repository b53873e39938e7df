"""The agency index and each agency's duty list, read from the rendered pages."""

import pytest

from agencies.models import Agency
from plans.models import Duty
from tests.factories import TIANXIN_PLAN, region, seed_plan
from tests.pages import get_page, text, texts

pytestmark = pytest.mark.django_db

# Measured, then pinned; none grows with the number of agencies, duties or plans.
# The index browses by region since the national data set: the region and its ancestors, the regions under it,
# agencies counted by region (navigation and the total for the pages), the page of agencies, their duties counted.
INDEX_QUERIES = 5
INDEX_SEARCH_QUERIES = 2  # the best matches, their duties counted
# agency, its aliases, the data version (fragments), its duties counted by plan, section and role (role counts,
# the plans to filter by and the number of rows, which used to be three queries), the page's rows, their tasks'
# duties, their targets; with a plan chosen, that plan's sections to filter by too. A list longer than its page
# reads its page's ids first, then those rows (plans.tables.DutyRows).
DUTY_LIST_QUERIES = 7
DUTY_LIST_OF_PAGES_QUERIES = 8
DUTY_LIST_IN_A_PLAN_QUERIES = DUTY_LIST_OF_PAGES_QUERIES + 1  # as the test asks it: 52 rows, in pages
HUNAN = "/agencies/?region=430000"


def agency(region_name: str, name: str) -> Agency:
    return Agency.objects.get(region=region(region_name), name=name)


def duties_url(a: Agency, query: str = "") -> str:
    return f"/agencies/{a.pk}/{query}"


def task_ids(soup) -> list[int]:
    return [int(a["href"].rstrip("/").rsplit("/", 1)[1]) for a in soup.select("#duty-table td.task a")]


# --- Index --------------------------------------------------------------------------------------------------------


def test_the_index_opens_at_the_only_province_with_agencies(client):
    response = client.get("/agencies/")
    assert (response.status_code, response["Location"]) == (302, HUNAN)


def test_the_index_groups_a_regions_agencies_by_region_with_their_counts(client):
    soup = get_page(client, HUNAN)
    regions = texts(soup, "h2.region-name")
    assert "株洲市石峰区" in regions and "长沙市开福区" in regions
    assert len(soup.select("li.agency-item")) == 100  # a page
    assert "湖南省及下辖地区的单位共 152 个" in text(soup, "main")
    assert Agency.objects.count() == 152
    bureau = agency("株洲市石峰区", "区发展和改革局")
    item = soup.select_one(f'li.agency-item a[href="/agencies/{bureau.pk}/"]').parent
    assert text(item, ".count-lead") == f"牵 {bureau.duties.filter(role='lead').count()}"
    assert text(item, ".count-cooperating") == f"配 {bureau.duties.filter(role='cooperating').count()}"


def test_the_index_drills_down_to_a_district_with_counts_and_pages(client):
    soup = get_page(client, HUNAN)
    counts = dict(zip(texts(soup, ".region-children a"), texts(soup, ".region-children .count"), strict=True))
    assert counts == {"长沙市": "23", "株洲市": "57", "湘潭市": "47", "怀化市": "25"}
    assert "第 1 / 2 页" in text(soup, "nav.pagination")
    second = get_page(client, f"{HUNAN}&page=2")
    assert len(second.select("li.agency-item")) == 52
    district = get_page(client, "/agencies/?region=430204")
    assert texts(district, ".region-path li") == ["全国", "湖南省", "株洲市", "石峰区"]
    assert texts(district, "h2.region-name") == ["株洲市石峰区"]
    assert len(district.select("li.agency-item")) == Agency.objects.filter(region=region("株洲市石峰区")).count()


def test_the_index_of_several_provinces_shows_the_provinces_to_choose_from(client, ingest_text):
    ingest_text(TIANXIN_PLAN.replace("长沙市天心区", "北京市东城区"))
    soup = get_page(client, "/agencies/")
    assert texts(soup, ".region-children a") == ["北京市", "湖南省"]
    assert soup.select("li.agency-item") == []


def test_the_index_lists_a_kind_in_pinyin_order(client):
    soup = get_page(client, "/agencies/?region=430204")
    section = soup.select_one(f"#region-{region('株洲市石峰区').code}")
    departments = next(h for h in section.select("h3.kind-name") if h.get_text() == "政府部门")
    names = texts(departments.find_next_sibling("ul"), "a.agency-link")
    assert names[0] == "区财政局"
    assert names.index("区发展和改革局") < names.index("区住房和城乡建设局")


def test_searching_the_index_by_initials_ranks_the_matches(client):
    soup = get_page(client, "/agencies/?q=fgj")
    items = soup.select("#agency-results li.agency-item")
    assert [text(i, ".agency-region") for i in items[:3]] == ["株洲市石峰区", "长沙市开福区", "怀化市鹤城区"]
    assert all(text(i, "a.agency-link") == "区发展和改革局" for i in items[:3])


def test_a_search_that_finds_nothing_says_so(client):
    soup = get_page(client, "/agencies/?q=不存在的单位")
    assert "没有找到" in text(soup, "#agency-results")


def test_the_index_runs_a_fixed_number_of_queries(client, ingest_text, django_assert_num_queries):
    with django_assert_num_queries(INDEX_QUERIES):
        client.get(HUNAN)
    ingest_text(TIANXIN_PLAN)
    for url in (HUNAN, f"{HUNAN}&page=2", "/agencies/?region=430204"):
        with django_assert_num_queries(INDEX_QUERIES):
            client.get(url)
    with django_assert_num_queries(INDEX_SEARCH_QUERIES):
        client.get("/agencies/?q=fgj")


# --- Duty list: the definition of done ----------------------------------------------------------------------------


def test_shifengs_development_bureau_lists_exactly_the_tasks_that_name_it_led_first(client):
    bureau = agency("株洲市石峰区", "区发展和改革局")
    soup = get_page(client, duties_url(bureau))
    assert text(soup, "h1") == "株洲市石峰区发展和改革局"
    expected = set(Duty.objects.filter(agency=bureau).values_list("task_id", flat=True))
    assert len(expected) == 32
    assert sorted(task_ids(soup)) == sorted(expected)
    assert "区发改局" in text(soup, ".page-header")  # the alias it was also written as
    roles = texts(soup, "#duty-table td.role")
    leads = roles.count("牵头")
    assert leads > 0 and roles[:leads] == ["牵头"] * leads
    assert set(texts(soup, "#duty-table td.plan")) == {str(seed_plan("000"))}


def test_the_task_written_with_the_short_form_is_in_the_list(client):
    bureau = agency("株洲市石峰区", "区发展和改革局")
    short = Duty.objects.get(agency=bureau, as_written="区发改局")
    assert short.task_id in task_ids(get_page(client, duties_url(bureau)))


def test_zhuzhous_development_commission_lists_all_its_31_tasks(client):
    commission = agency("株洲市", "市发展改革委")
    soup = get_page(client, duties_url(commission))
    assert len(set(task_ids(soup))) == 31
    assert set(texts(soup, "#duty-table td.plan")) == {str(seed_plan("002"))}


def test_the_same_name_in_another_regions_plan_never_appears(client):
    shifeng = agency("株洲市石峰区", "区发展和改革局")
    kaifu = agency("长沙市开福区", "区发展和改革局")
    listed = set(task_ids(get_page(client, duties_url(shifeng))))
    assert listed.isdisjoint(Duty.objects.filter(agency=kaifu).values_list("task_id", flat=True))


# --- Duty list: content, filters, sorting, paging -----------------------------------------------------------------


def test_role_counts_at_the_top_match_the_duties(client):
    bureau = agency("株洲市石峰区", "区发展和改革局")
    soup = get_page(client, duties_url(bureau))
    for role in ("lead", "cooperating", "joint"):
        assert text(soup, f'#role-counts [data-role="{role}"] .count') == str(bureau.duties.filter(role=role).count())
    assert "共 32 项任务" in text(soup, "#result-count")


def test_other_units_are_shown_with_their_roles_but_not_the_agency_itself(client):
    bureau = agency("株洲市石峰区", "区发展和改革局")
    soup = get_page(client, duties_url(bureau))
    row = soup.select_one("#duty-table tbody tr")
    task = Duty.objects.get(agency=bureau, task_id=task_ids(soup)[0]).task
    others = task.duties.exclude(agency=bureau).order_by("position")
    chips = row.select("td.others a.chip")
    assert [c["href"] for c in chips] == [f"/agencies/{d.agency_id}/" for d in others]
    assert [c["class"][1] for c in chips] == [f"chip-{d.role}" for d in others]


def test_a_tasks_dated_targets_are_shown(client):
    forestry = agency("株洲市石峰区", "区自然资源局")
    soup = get_page(client, duties_url(forestry))
    assert "到2025年 ：森林覆盖率达到31.87%" in text(soup, "#duty-table td.targets")


def test_filtering_by_role_keeps_only_that_role(client):
    bureau = agency("株洲市石峰区", "区发展和改革局")
    soup = get_page(client, duties_url(bureau, "?role=cooperating"))
    roles = texts(soup, "#duty-table td.role")
    assert roles and set(roles) == {"配合"}
    assert len(roles) == bureau.duties.filter(role="cooperating").count()
    assert f"符合筛选条件的任务 {len(roles)} 项" in text(soup, "#result-count")
    assert soup.select_one('select[name="role"] option[selected]')["value"] == "cooperating"


def test_filtering_by_plan_and_section(client):
    company = Agency.objects.get(name="国网株洲供电公司")
    city = seed_plan("002")
    soup = get_page(client, duties_url(company, f"?plan={city.pk}"))
    assert set(texts(soup, "#duty-table td.plan")) == {str(city)}
    duty = company.duties.filter(task__plan=city).select_related("task__section").first()
    soup = get_page(client, duties_url(company, f"?section={duty.task.section_id}"))
    assert set(texts(soup, "#duty-table td.section")) == {str(duty.task.section)}


def test_the_filter_offers_only_the_plans_and_sections_the_agency_appears_in(client):
    company = Agency.objects.get(name="国网株洲供电公司")
    soup = get_page(client, duties_url(company))
    plans = texts(soup, 'select[name="plan"] option')
    assert plans == ["全部方案", str(seed_plan("002")), str(seed_plan("000"))]  # by region code: city first
    assert texts(soup, 'select[name="section"] option') == ["全部章节"]  # sections once a plan is chosen
    city = seed_plan("002")
    soup = get_page(client, duties_url(company, f"?plan={city.pk}"))
    sections = city.sections.filter(tasks__duties__agency=company).distinct().order_by("position")
    assert texts(soup, 'select[name="section"] option')[1:] == [str(s) for s in sections]
    # A section chosen alone brings its plan's sections.
    soup = get_page(client, duties_url(company, f"?section={sections[0].pk}"))
    assert soup.select_one('select[name="section"] option[selected]')["value"] == str(sections[0].pk)


def test_an_agency_named_in_very_many_plans_offers_the_first_two_hundred_and_the_chosen_one(client, monkeypatch):
    from plans import filters

    monkeypatch.setattr(filters, "MAX_PLAN_CHOICES", 1)
    company = Agency.objects.get(name="国网株洲供电公司")
    assert texts(get_page(client, duties_url(company)), 'select[name="plan"] option') == [
        "全部方案",
        str(seed_plan("002")),
    ]
    shifeng = seed_plan("000")
    soup = get_page(client, duties_url(company, f"?plan={shifeng.pk}"))
    assert soup.select_one('select[name="plan"] option[selected]').get_text() == str(shifeng)
    assert len(task_ids(soup)) == company.duties.filter(task__plan=shifeng).count()


def test_an_invalid_filter_value_is_reported_and_ignored(client):
    bureau = agency("株洲市石峰区", "区发展和改革局")
    soup = get_page(client, duties_url(bureau, "?role=boss&plan=abc"))
    assert "筛选条件无效" in text(soup, "p.error")
    assert len(task_ids(soup)) == 32


def test_sorting_by_task_gives_outline_order(client):
    bureau = agency("株洲市石峰区", "区发展和改革局")
    soup = get_page(client, duties_url(bureau, "?sort=task"))
    expected = list(Duty.objects.filter(agency=bureau).order_by("task__position").values_list("task_id", flat=True))
    assert task_ids(soup) == expected


def test_sorting_by_role_descending_puts_cooperating_first(client):
    bureau = agency("株洲市石峰区", "区发展和改革局")
    roles = texts(get_page(client, duties_url(bureau, "?sort=-role")), "#duty-table td.role")
    assert roles[0] == "配合" and roles[-1] == "牵头"


def test_long_lists_are_paged(client):
    collective = agency("湘潭市", "各县市区")  # 52 duties
    soup = get_page(client, duties_url(collective))
    assert len(task_ids(soup)) == 50
    assert "第 1 / 2 页" in text(soup, "nav.pagination")
    second = get_page(client, duties_url(collective, "?page=2"))
    assert len(task_ids(second)) == 2


@pytest.mark.parametrize("query", ["?page=99", "?page=abc", "?per_page=0", "?per_page=-5&page=0"])
def test_odd_paging_values_fall_back_to_a_valid_page(client, query):
    collective = agency("湘潭市", "各县市区")
    assert task_ids(get_page(client, duties_url(collective, query)))


def test_per_page_lets_a_long_list_print_on_one_page(client):
    collective = agency("湘潭市", "各县市区")
    soup = get_page(client, duties_url(collective, "?per_page=100"))
    assert len(task_ids(soup)) == 52
    assert soup.select_one("nav.pagination") is None


def test_an_unknown_agency_is_a_404(client):
    soup = get_page(client, "/agencies/999999/", status=404)
    assert text(soup, "h1") == "页面不存在"


def test_the_duty_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    few = Agency.objects.get(name="国网株洲供电公司")
    many = agency("湘潭市", "各县市区")
    for url, queries in (
        (duties_url(few), DUTY_LIST_QUERIES),
        (duties_url(many), DUTY_LIST_OF_PAGES_QUERIES),  # 52 duties, 50 to a page
        (duties_url(many, "?page=2"), DUTY_LIST_OF_PAGES_QUERIES),
    ):
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200
    in_a_plan = duties_url(many, f"?role=joint&plan={seed_plan('001').pk}&sort=-task")
    with django_assert_num_queries(DUTY_LIST_IN_A_PLAN_QUERIES):
        assert client.get(in_a_plan).status_code == 200
