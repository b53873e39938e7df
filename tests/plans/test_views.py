"""The plan pages read from the rendered HTML: home, search, plan outline, task, matrix."""

import pytest

from agencies.models import Agency
from plans.models import Duty, Plan, Task
from plans.views import browse as views
from tests.factories import HETANG_JOINT_PLAN, TIANXIN_PLAN, long_plan, seed_plan
from tests.pages import get_page, text, texts

pytestmark = pytest.mark.django_db

# Measured, then pinned; none grows with the number of plans, tasks or duties.
# Home navigates by region and year since the national data set: regions, plans counted by region and year (the
# navigation, the year choices and the total for the pages), the page of plans; with a region chosen, that
# region and its ancestors first.
HOME_QUERIES = 3
HOME_IN_A_REGION_QUERIES = 4
SEARCH_QUERIES = 2  # agencies, tasks
# A page of whole sections at a time since the national data set: plan, the data version (fragments), the
# sections with their task counts; the page's tasks, their duties, their targets (on the first page with the
# plan's goals) and appendix rows (on the first page with the rows no task holds); on the first page the
# projects. A plan of one page is counted from the duties read, a bigger one by a query. The warnings are for
# editors only (tests/plans/test_warnings.py counts their page).
PLAN_QUERIES = 8
PLAN_OF_PAGES_QUERIES = 9  # the first page of a plan of more than one: its duties counted by a query
PLAN_WITH_APPENDIX_QUERIES = 9  # the appendix rows' units, read only when there are rows
PLAN_LATER_PAGE_QUERIES = 8  # no goals or projects; the duties counted
MATRIX_QUERIES = 5  # plan, the data version, the sections with their task counts, the page's tasks, their duties
TASK_QUERIES = 7  # task, the data version, its duties, appendix rows, targets, previous, next
TASK_WITH_APPENDIX_QUERIES = 8


def task_where(plan: Plan, **filters) -> Task:
    return Task.objects.filter(plan=plan, **filters).order_by("position").first()


# --- Home and navigation ------------------------------------------------------------------------------------------


def test_home_lists_the_plans_with_their_facts_and_counts(client):
    soup = get_page(client, "/")
    rows = soup.select("#plan-list tbody tr")
    assert len(rows) == 5
    city = seed_plan("002")
    row = next(r for r in rows if text(r, "a.plan-link") == city.title)
    cells = texts(row, "td")
    assert cells[1:5] == ["株洲市", "株洲市人民政府", "株政发〔2023〕9号", "2023年7月1日"]
    assert cells[5] == str(city.tasks.count())
    assert cells[6] == str(Agency.objects.filter(duties__task__plan=city).distinct().count())
    assert row.select_one("a.plan-link")["href"] == f"/plans/{city.pk}/"


def test_home_marks_the_draft(client):
    soup = get_page(client, "/")
    draft = next(r for r in soup.select("#plan-list tbody tr") if "石峰区" in text(r, "a.plan-link"))
    assert text(draft, ".badge-draft") == "征求意见稿"


def test_every_page_has_the_navigation_and_a_search_box(client):
    for url in ("/", "/agencies/?region=430000", f"/plans/{seed_plan('000').pk}/", "/search/?q=光伏"):
        soup = get_page(client, url)
        assert texts(soup, "#site-nav a")[:2] == ["首页", "责任单位"]
        assert soup.select_one('form#site-search input[name="q"]') is not None
        assert soup.html["lang"] == "zh-CN"


def test_pages_below_home_have_breadcrumbs(client):
    task = task_where(seed_plan("002"))
    soup = get_page(client, f"/tasks/{task.pk}/")
    crumbs = texts(soup, "nav.breadcrumbs li")
    assert crumbs[0] == "首页" and crumbs[1] == str(task.plan) and crumbs[-1] == task.heading
    assert get_page(client, "/").select_one("nav.breadcrumbs") is None


def test_home_runs_a_fixed_number_of_queries_however_many_plans(client, ingest_text, django_assert_num_queries):
    with django_assert_num_queries(HOME_QUERIES):
        client.get("/")
    ingest_text(TIANXIN_PLAN)
    with django_assert_num_queries(HOME_QUERIES):
        assert len(get_page(client, "/").select("#plan-list tbody tr")) == 6
    with django_assert_num_queries(HOME_IN_A_REGION_QUERIES):
        assert len(get_page(client, "/?region=430000&year=2023").select("#plan-list tbody tr")) == 2


def region_links(soup) -> dict[str, str]:
    return {a.get_text(strip=True): a["href"] for a in soup.select("nav.region-nav .region-children a")}


def test_home_drills_down_from_province_to_city_to_district_with_counts(client):
    soup = get_page(client, "/")
    assert region_links(soup) == {"湖南省": "?region=430000"}
    assert text(soup, "nav.region-nav .region-children .count") == "5"
    province = get_page(client, "/?region=430000")
    counts = dict(zip(texts(province, ".region-children a"), texts(province, ".region-children .count"), strict=True))
    assert counts == {"长沙市": "1", "株洲市": "2", "湘潭市": "1", "怀化市": "1"}
    city = get_page(client, "/?region=430200")
    assert texts(city, ".region-path li") == ["全国", "湖南省", "株洲市"]
    assert text(city, ".region-path [aria-current]") == "株洲市"
    assert texts(city, "#plan-list a.plan-link") == ["株洲市碳达峰实施方案", "株洲市石峰区碳达峰实施方案"]
    assert region_links(city) == {"石峰区": "?region=430204"}
    assert text(city, "#plans-heading") == "株洲市实施方案（2）"


def test_home_narrows_by_year_and_keeps_the_region(client):
    soup = get_page(client, "/?region=430000")
    years = {a.get_text(): a["href"] for a in soup.select("nav.year-filter a")}
    assert years["2023"] == "?region=430000&year=2023"
    dated = get_page(client, "/?region=430000&year=2023")
    plans = Plan.objects.filter(issued_on__year=2023)
    assert sorted(texts(dated, "#plan-list a.plan-link")) == sorted(p.title for p in plans)
    assert text(dated, "nav.year-filter [aria-current]") == "2023"


def test_an_unknown_region_is_a_404_and_a_nonsense_year_is_ignored(client):
    get_page(client, "/?region=999999", status=404)
    assert len(get_page(client, "/?year=abc").select("#plan-list tbody tr")) == 5


def test_home_pages_fifty_plans_at_a_time(client, settings, monkeypatch):
    monkeypatch.setattr(views, "PLANS_PER_PAGE", 2)
    soup = get_page(client, "/?page=3")
    assert len(soup.select("#plan-list tbody tr")) == 1
    assert "第 3 / 3 页" in text(soup, "nav.pagination")
    assert soup.select_one('nav.pagination a[rel="prev"]')["href"] == "?page=2"
    assert len(get_page(client, "/?page=99").select("#plan-list tbody tr")) == 1  # the last page


# --- Search -------------------------------------------------------------------------------------------------------


def test_search_finds_agencies_by_initials_and_tasks_by_words(client):
    soup = get_page(client, "/search/?q=fgj")
    assert "区发展和改革局" in texts(soup, "#agency-results a.agency-link")
    soup = get_page(client, "/search/?q=光伏")
    titles = texts(soup, "#task-results a.task-link")
    assert titles and len(titles) == Task.objects.filter(body__contains="光伏").count()


def test_search_without_a_query_explains_what_to_type(client):
    soup = get_page(client, "/search/")
    assert "拼音首字母" in text(soup, "main")


def test_search_shows_at_most_fifty_of_many_and_says_there_are_more(client):
    assert Task.objects.search("区").count() > 50
    soup = get_page(client, "/search/?q=区")
    assert len(soup.select("#task-results a.task-link")) == 50
    assert text(soup, "#task-results h2") == "任务（50 项以上）"
    assert "只列出前 50 项" in text(soup, "#task-results")


def test_search_gives_the_exact_number_when_all_fit(client):
    soup = get_page(client, "/search/?q=光伏")
    assert text(soup, "#task-results h2") == f"任务（{Task.objects.search('光伏').count()}）"


def test_search_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    for query in ("fgj", "区", "光伏"):  # few results, more than the page shows, some
        with django_assert_num_queries(SEARCH_QUERIES):
            client.get(f"/search/?q={query}")


# --- Plan page ----------------------------------------------------------------------------------------------------


def test_the_plan_page_shows_the_outline_in_order_with_every_task(client):
    plan = seed_plan("000")
    soup = get_page(client, f"/plans/{plan.pk}/")
    assert text(soup, "h1").startswith(plan.title)
    tasks = soup.select("#outline article.task")
    assert [t["id"] for t in tasks] == [
        f"task-{pk}" for pk in plan.tasks.order_by("position").values_list("pk", flat=True)
    ]
    headings = texts(soup, "#outline h2")
    assert headings[:3] == [s.heading for s in plan.sections.filter(level=1).order_by("position")[:3]]


def test_the_plan_page_shows_each_tasks_units_as_chips_by_role(client):
    plan = seed_plan("000")
    task = task_where(plan, clause_text__contains="牵头")
    soup = get_page(client, f"/plans/{plan.pk}/")
    chips = soup.select(f"#task-{task.pk} .task-main a.chip")
    duties = list(task.duties.select_related("agency").order_by("position"))
    assert [c.get_text(strip=True)[1:] for c in chips] == [d.agency.name for d in duties]
    assert [c["class"][1] for c in chips] == [f"chip-{d.role}" for d in duties]
    assert {"chip-lead", "chip-cooperating"} <= {c["class"][1] for c in chips}


def test_joint_units_have_their_own_chip_style(client):
    plan = seed_plan("004")  # no clause names a lead
    soup = get_page(client, f"/plans/{plan.pk}/")
    classes = {c["class"][1] for c in soup.select("#outline .task-main a.chip")}
    assert classes == {"chip-joint"}


def test_an_inferred_lead_looks_different_from_a_stated_one(client, ingest_text):
    plan = ingest_text(HETANG_JOINT_PLAN, lead_convention=Plan.LeadConvention.FIRST_LISTED).plan
    soup = get_page(client, f"/plans/{plan.pk}/")
    inferred = soup.select("#outline a.chip.chip-lead.chip-inferred")
    assert len(inferred) == plan.tasks.count()
    assert "推定" in inferred[0]["title"]
    assert "首列单位为牵头单位" in text(soup, "p.note")


def test_the_plan_page_shows_its_editors_the_ingestion_warnings_with_their_lines(administrator_client):
    plan = seed_plan("003")
    soup = get_page(administrator_client, f"/plans/{plan.pk}/")
    items = soup.select("details#warnings li.warning")
    assert len(items) == plan.warnings.count()
    fused = plan.warnings.get(code="fused_split")
    group = soup.select_one("details.warning-group-fused_split")
    assert text(group, ".group-label") == "连写单位已拆分"
    assert text(group, "li .line") == f"第{fused.line}行"


def test_the_appendix_rows_sit_beside_the_tasks_they_repeat(client):
    plan = seed_plan("003")
    soup = get_page(client, f"/plans/{plan.pk}/")
    asides = soup.select("#outline article.task aside.appendix-row")
    assert len(asides) == plan.appendix_rows.filter(task__isnull=False).count() == 38
    row = plan.appendix_rows.get(title="推动产业园区循环发展")
    aside = soup.select_one(f"#task-{row.task_id} aside.appendix-row")
    assert "disagrees" in aside["class"]
    assert "名称与正文不同" in text(aside, ".aside-title")
    assert len(soup.select("aside.appendix-row.disagrees")) == 1


def test_the_key_projects_are_listed(client):
    plan = seed_plan("003")
    soup = get_page(client, f"/plans/{plan.pk}/")
    assert len(soup.select("#projects tbody tr")) == plan.projects.count() == 20


def test_the_plan_page_links_to_its_matrix_once_as_a_tab(client):
    plan = seed_plan("001")
    soup = get_page(client, f"/plans/{plan.pk}/")
    links = soup.select(f'main a[href="/plans/{plan.pk}/matrix/"]')
    assert [(link.get_text(strip=True), link.parent.name) for link in links] == [("责任矩阵", "nav")]
    assert "tabs" in links[0].parent["class"]


def test_an_unknown_plan_is_a_404(client):
    get_page(client, "/plans/999999/", status=404)
    get_page(client, "/plans/999999/matrix/", status=404)


def test_the_plan_page_runs_a_fixed_number_of_queries(client, ingest_text, django_assert_num_queries):
    small = ingest_text(TIANXIN_PLAN).plan
    big = ingest_text(long_plan(250, region="株洲市荷塘区"), name="big.txt").plan
    for plan in (small, seed_plan("001"), seed_plan("000")):
        with django_assert_num_queries(PLAN_QUERIES):
            client.get(f"/plans/{plan.pk}/")
    with django_assert_num_queries(PLAN_OF_PAGES_QUERIES):
        client.get(f"/plans/{big.pk}/")
    with django_assert_num_queries(PLAN_LATER_PAGE_QUERIES):
        client.get(f"/plans/{big.pk}/?page=2")
    with_appendix = seed_plan("003")
    with django_assert_num_queries(PLAN_WITH_APPENDIX_QUERIES):
        client.get(f"/plans/{with_appendix.pk}/")


def test_a_big_plan_is_shown_a_hundred_tasks_at_a_time_by_whole_sections(client, ingest_text):
    plan = ingest_text(long_plan(250)).plan
    soup = get_page(client, f"/plans/{plan.pk}/")
    assert len(soup.select("#outline article.task")) == 100
    assert "第 1 / 3 页，第 1–100 项任务" in text(soup, "nav.pagination")
    assert text(soup, "#outline h3") == "（一）推进第1组低碳行动"
    third = get_page(client, f"/plans/{plan.pk}/?page=3")
    assert len(third.select("#outline article.task")) == 50
    assert [h.replace(" ", "") for h in texts(third, "#outline h2")] == ["二、重点任务（续）"]  # the part, for context
    assert third.select_one("#goals, section.goals") is None  # the goals are on the first page
    shown = [a["id"] for n in (1, 2, 3) for a in get_page(client, f"/plans/{plan.pk}/?page={n}").select("article.task")]
    assert shown == [f"task-{pk}" for pk in plan.tasks.order_by("position").values_list("pk", flat=True)]


def test_the_contents_of_a_big_plan_link_every_section_to_its_page(client, ingest_text):
    plan = ingest_text(long_plan(250)).plan
    soup = get_page(client, f"/plans/{plan.pk}/?page=2")
    lines = soup.select("#contents li")
    assert len(lines) == plan.sections.count()
    last = plan.sections.order_by("position").last()
    assert lines[-1].select_one("a")["href"] == f"?page=3#section-{last.pk}"
    assert get_page(client, f"/plans/{seed_plan('000').pk}/").select_one("#contents") is None  # one page: no need


# --- Task page ----------------------------------------------------------------------------------------------------


def test_the_task_page_highlights_the_duty_clause_in_the_full_text(client):
    task = task_where(seed_plan("000"), clause_text__contains="牵头")
    soup = get_page(client, f"/tasks/{task.pk}/")
    assert text(soup, "h1") == task.heading
    assert text(soup, "mark.clause") == task.clause_text
    assert text(soup, ".body-text").replace(" ", "") == task.body.replace(" ", "")


def test_the_task_page_lists_the_duties_linking_each_agency(client):
    task = task_where(seed_plan("000"), clause_text__contains="牵头")
    soup = get_page(client, f"/tasks/{task.pk}/")
    items = soup.select("#duties li")
    duties = list(task.duties.select_related("agency").order_by("position"))
    assert [i.select_one("a.agency-link")["href"] for i in items] == [f"/agencies/{d.agency_id}/" for d in duties]
    assert [i.select_one(".chip").get_text(strip=True) for i in items] == [d.role_label for d in duties]


def test_the_task_page_shows_a_unit_written_differently(client):
    duty = Duty.objects.get(as_written="区发改局")
    soup = get_page(client, f"/tasks/{duty.task_id}/")
    assert "原文写作“区发改局”" in text(soup, "#duties")


def test_the_task_page_gives_the_source_file_and_line(client):
    task = task_where(seed_plan("002"))
    soup = get_page(client, f"/tasks/{task.pk}/")
    assert text(soup, "#task-source") == f"来源：{task.plan.source_label} 第 {task.line} 行"


def test_the_task_page_shows_its_appendix_row_and_the_disagreement(client):
    row = seed_plan("003").appendix_rows.get(title="推动产业园区循环发展")
    soup = get_page(client, f"/tasks/{row.task_id}/")
    assert "名称与正文不同" in text(soup, "section.appendix-row")


def test_the_task_page_links_to_the_previous_and_next_task(client):
    plan = seed_plan("001")
    first, second = plan.tasks.order_by("position")[:2]
    soup = get_page(client, f"/tasks/{second.pk}/")
    assert soup.select_one('a[rel="prev"]')["href"] == f"/tasks/{first.pk}/"
    assert soup.select_one("nav.pager") is not None
    assert get_page(client, f"/tasks/{first.pk}/").select_one('nav.pager a[rel="prev"]') is None


def test_an_unknown_task_is_a_404(client):
    get_page(client, "/tasks/999999/", status=404)


def test_the_task_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    for prefix in ("000", "001", "004"):
        task = task_where(seed_plan(prefix), duties__isnull=False)
        with django_assert_num_queries(TASK_QUERIES):
            client.get(f"/tasks/{task.pk}/")
    row = seed_plan("003").appendix_rows.first()
    with django_assert_num_queries(TASK_WITH_APPENDIX_QUERIES):
        client.get(f"/tasks/{row.task_id}/")


# --- Matrix -------------------------------------------------------------------------------------------------------


def test_the_matrix_has_a_row_per_task_and_a_column_per_agency(client):
    plan = seed_plan("001")
    soup = get_page(client, f"/plans/{plan.pk}/matrix/")
    agencies = Agency.objects.filter(duties__task__plan=plan).distinct()
    assert len(soup.select("#matrix thead th.agency")) == agencies.count() > 40
    assert len(soup.select("#matrix tbody th.task")) == plan.tasks.count()


def test_the_matrix_cells_mark_each_duty(client):
    plan = seed_plan("000")
    soup = get_page(client, f"/plans/{plan.pk}/matrix/")
    columns = [a["href"] for a in soup.select("#matrix thead th.agency a")]
    marks = {"lead": "牵", "cooperating": "配", "joint": "共"}
    seen = set()
    for row in soup.select("#matrix tbody tr:not(.section-row)"):
        task_id = int(row.select_one("th.task a")["href"].rstrip("/").rsplit("/", 1)[1])
        for href, cell in zip(columns, row.select("td:not(.total)"), strict=True):
            if cell.get_text(strip=True):
                seen.add((task_id, int(href.rstrip("/").rsplit("/", 1)[1]), cell.get_text(strip=True)))
    expected = {(d.task_id, d.agency_id, marks[d.role]) for d in Duty.objects.filter(task__plan=plan)}
    assert seen == expected


def test_the_matrix_orders_agencies_by_how_much_they_lead(client):
    plan = seed_plan("000")
    soup = get_page(client, f"/plans/{plan.pk}/matrix/")
    first = soup.select_one("#matrix thead th.agency")
    assert (first.get_text(strip=True), first["title"]) == ("区发改局", "株洲市石峰区发展和改革局")


def test_the_matrix_totals_per_agency_and_per_task(client):
    plan = seed_plan("000")
    soup = get_page(client, f"/plans/{plan.pk}/matrix/")
    grand = soup.select_one("#matrix tfoot tr.grand")
    per_agency = [int(x) for x in texts(grand, "td")]
    assert per_agency[-1] == sum(per_agency[:-1]) == Duty.objects.filter(task__plan=plan).count()
    bureau = Agency.objects.get(region__full_name="株洲市石峰区", name="区发展和改革局")
    assert per_agency[0] == 32 == bureau.duties.count()
    per_task = [int(x) for x in texts(soup, "#matrix tbody td.total")]
    assert sum(per_task) == per_agency[-1]
    lead_row = soup.select("#matrix tfoot tr")[0]
    assert texts(lead_row, "th") == ["牵头"]
    assert texts(lead_row, "td")[0] == str(bureau.duties.filter(role="lead").count())


def test_the_matrix_runs_a_fixed_number_of_queries(client, ingest_text, django_assert_num_queries):
    small = ingest_text(TIANXIN_PLAN).plan
    big = ingest_text(long_plan(250, region="株洲市荷塘区"), name="big.txt").plan
    for url in (
        f"/plans/{small.pk}/matrix/",
        f"/plans/{seed_plan('001').pk}/matrix/",
        f"/plans/{big.pk}/matrix/?page=3",
    ):
        with django_assert_num_queries(MATRIX_QUERIES):
            client.get(url)


def test_the_matrix_of_a_big_plan_is_paged_like_its_outline(client, ingest_text):
    plan = ingest_text(long_plan(250)).plan
    soup = get_page(client, f"/plans/{plan.pk}/matrix/?page=2")
    assert len(soup.select("#matrix tbody th.task")) == 100
    assert "本页第 101–200 项任务（全方案 250 项）" in text(soup, ".page-header")
    assert soup.select_one('nav.pagination a[rel="next"]')["href"] == "?page=3"


def test_a_sentence_stating_two_targets_is_shown_once(client):
    task = Task.objects.get(plan=seed_plan("000"), title="加快绿色低碳智慧交通基础设施建设")
    stored = list(task.targets.values_list("label", "text"))
    assert len(stored) > len(set(stored))  # the parser stores one target per value
    soup = get_page(client, f"/tasks/{task.pk}/")
    shown = texts(soup, "ul.targets li")
    assert len(shown) == len(set(stored)) == len(set(shown))
