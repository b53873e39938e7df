"""Browsing the site in a real browser: home, search, an agency's duty list and its filter, a task, a plan and
its matrix, and the duty list at phone width.

The server holds the five seed plans (see conftest.py). Expected numbers come from the seeds through the JSON
API, never the ORM. Each test saves a full-page screenshot of every page it visits under artifacts/screenshots/.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

pytestmark = pytest.mark.browser

SEED_TITLES = [
    "株洲市石峰区碳达峰实施方案",
    "湘潭市碳达峰实施方案",
    "株洲市碳达峰实施方案",
    "长沙市开福区碳达峰实施方案",
    "怀化市鹤城区碳达峰实施方案",
]
SHIFENG_PLAN = "株洲市石峰区碳达峰实施方案"
SHIFENG_FGJ = "株洲市石峰区发展和改革局"
FGJ_SHORT = "区发展和改革局"
# The three district plans each have a 区发展和改革局; "fgj" are its pinyin initials (发改局).
FGJ_REGIONS = ["株洲市石峰区", "长沙市开福区", "怀化市鹤城区"]
SHIFENG_FGJ_DUTIES = 32
ROLE_TEXT = {"lead": "牵头", "cooperating": "配合", "joint": "共同负责"}
PHONE = {"width": 390, "height": 844}
AUTO_SUBMIT_GRACE_MS = 2_000  # how long a filter form's own change handler gets to submit it


# --- Helpers -----------------------------------------------------------------------------------------------------


def path_re(path_pattern: str) -> re.Pattern:
    """A URL regex for a path on the test server, query string allowed."""
    return re.compile(rf"^https?://[^/]+{path_pattern}(\?.*)?$")


def expect_breadcrumbs(page: Page) -> None:
    expect(page.locator("nav.breadcrumbs").first).to_be_visible()


def count_of(page: Page, selector: str) -> int:
    """The first whole number in the text of selector (e.g. `#result-count` "共 32 条" -> 32)."""
    locator = page.locator(selector).first
    expect(locator).to_have_text(re.compile(r"\d"))
    text = locator.inner_text()
    match = re.search(r"\d+", text.replace(",", ""))
    assert match, f"no number in {selector}: {text!r}"
    return int(match.group())


@pytest.fixture(scope="module")
def shifeng_fgj(api) -> dict:
    """株洲市石峰区发展和改革局 from the JSON API: its id and duties (the expected numbers)."""
    plans = api("/api/plans/")["plans"]
    plan = next(p for p in plans if p["title"] == SHIFENG_PLAN)
    detail = api(f"/api/plans/{plan['id']}/")
    agency_id = next(d["agency_id"] for t in detail["tasks"] for d in t["duties"] if d["agency"] == SHIFENG_FGJ)
    duties = api(f"/api/agencies/{agency_id}/duties/")
    assert len(duties["duties"]) == SHIFENG_FGJ_DUTIES, "the seed data changed; update SHIFENG_FGJ_DUTIES"
    return {
        "id": agency_id,
        "url": f"/agencies/{agency_id}/",
        "plan_id": plan["id"],
        "plan": detail,
        "duties": duties["duties"],
        "roles": Counter(d["role"] for d in duties["duties"]),
    }


# --- The harness itself ------------------------------------------------------------------------------------------


def test_the_server_serves_the_admin_login_with_its_static_files(page: Page, shot):
    """The server is up with DEBUG off, its admin styles load (--insecure) and nothing errors."""
    response = page.goto("/admin/login/")
    assert response is not None and response.status == 200
    expect(page.locator("#site-name")).to_contain_text("任务分工与督办 管理后台")
    expect(page.locator("input[name=username]")).to_be_visible()
    # The admin stylesheet was served: the header has its coloured background, not the default transparent one.
    background = page.locator("#header").evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background
    shot("login")


# --- (a) Home ----------------------------------------------------------------------------------------------------


def test_home_lists_the_five_seed_plans_with_navigation(page: Page, shot):
    page.goto("/")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("h1")).not_to_be_empty()

    nav = page.locator("nav#site-nav")
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="首页", exact=True)).to_be_visible()
    agencies_link = nav.get_by_role("link", name="责任单位", exact=True)
    expect(agencies_link).to_be_visible()
    expect(agencies_link).to_have_attribute("href", re.compile(r"/agencies/$"))

    expect(page.locator("form#site-search input[name=q]")).to_be_visible()

    rows = page.locator("table#plan-list tbody tr")
    expect(rows).to_have_count(len(SEED_TITLES))
    links = page.locator("table#plan-list a.plan-link")
    expect(links).to_have_count(len(SEED_TITLES))
    link_texts = links.all_inner_texts()
    for title in SEED_TITLES:
        assert any(title in text for text in link_texts), f"{title} not among the plan links {link_texts}"
    for href in [link.get_attribute("href") for link in links.all()]:
        assert href and re.search(r"/plans/\d+/$", href), f"plan link to {href!r}"
    shot("home")


def test_site_search_from_home_finds_agencies_and_tasks(page: Page, shot):
    page.goto("/")
    shot("home")
    search = page.locator("form#site-search input[name=q]")
    search.fill("发展和改革局")
    search.press("Enter")
    expect(page).to_have_url(path_re(r"/search/"))
    assert "q=" in page.url
    expect_breadcrumbs(page)
    agency_links = page.locator("section#agency-results a.agency-link")
    expect(agency_links.filter(has_text="发展和改革局").first).to_be_visible()
    for href in agency_links.evaluate_all("links => links.map(a => a.href)"):
        assert re.search(r"/agencies/\d+/$", href), f"agency link {href!r}"
    shot("agencies")

    # A task title: 石峰区's first task is 大力发展可再生能源.
    search = page.locator("form#site-search input[name=q]")
    search.fill("可再生能源")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?(.*&)?q=%E5%8F%AF"))
    task_links = page.locator("section#task-results a.task-link")
    expect(task_links.filter(has_text="大力发展可再生能源").first).to_be_visible()
    for href in task_links.evaluate_all("links => links.map(a => a.href)"):
        assert re.search(r"/tasks/\d+/$", href), f"task link {href!r}"
    shot("tasks")


# --- (b) Agency search by pinyin initials ------------------------------------------------------------------------


def test_agency_search_by_pinyin_initials_finds_the_district_development_bureaus(page: Page, shot):
    page.goto("/agencies/")
    expect_breadcrumbs(page)
    expect(page.locator("li.agency-item").first).to_be_visible()
    expect(page.locator("h2.region-name").filter(has_text="株洲市石峰区").first).to_be_visible()
    shot("index")

    form = page.locator("form#agency-search")
    form.locator("input[name=q]").fill("fgj")
    form.locator("input[name=q]").press("Enter")
    expect(page).to_have_url(path_re(r"/agencies/"))
    assert re.search(r"[?&]q=fgj(&|$)", page.url), page.url

    results = page.locator("ol#agency-results li.agency-item")
    expect(results.first).to_be_visible()
    bureaus = results.filter(has=page.locator("a.agency-link", has_text=FGJ_SHORT))
    for region in FGJ_REGIONS:
        expect(
            bureaus.filter(has=page.locator(".agency-region", has_text=region)),
            f"{FGJ_SHORT} of {region} among the results for fgj",
        ).to_have_count(1)
    # Ranked: the best match is a 发展和改革局, not some agency that merely contains the letters.
    expect(results.first.locator("a.agency-link")).to_contain_text("发展和改革局")
    shot("results")


# --- (c) An agency's duty list -----------------------------------------------------------------------------------


def test_click_through_to_the_shifeng_development_bureau_and_see_its_32_duties(page: Page, shot, shifeng_fgj):
    page.goto("/agencies/?q=fgj")
    item = (
        page.locator("ol#agency-results li.agency-item")
        .filter(has=page.locator(".agency-region", has_text="株洲市石峰区"))
        .filter(has=page.locator("a.agency-link", has_text=FGJ_SHORT))
    )
    expect(item).to_have_count(1)
    shot("results")
    item.locator("a.agency-link").click()

    expect(page).to_have_url(path_re(re.escape(shifeng_fgj["url"])))
    expect(page.locator("h1")).to_contain_text(SHIFENG_FGJ)
    expect_breadcrumbs(page)

    rows = page.locator("table#duty-table tbody tr")
    expect(rows).to_have_count(SHIFENG_FGJ_DUTIES)
    expect(page.locator("#result-count")).to_contain_text(str(SHIFENG_FGJ_DUTIES))
    # Led duties first.
    expect(rows.first.locator("td.role")).to_contain_text("牵头")

    counts = {role: count_of(page, f"#role-counts [data-role={role}] .count") for role in ROLE_TEXT}
    assert sum(counts.values()) == SHIFENG_FGJ_DUTIES, f"role counts {counts} do not add up to {SHIFENG_FGJ_DUTIES}"
    assert counts == {role: shifeng_fgj["roles"][role] for role in ROLE_TEXT}, (
        f"role counts shown {counts}, the API says {dict(shifeng_fgj['roles'])}"
    )

    roles = [text.strip() for text in rows.locator("td.role").all_inner_texts()]
    shown = Counter(next((r for r, t in ROLE_TEXT.items() if t in text), text) for text in roles)
    assert shown == Counter(counts), f"roles in the table {dict(shown)} differ from the counts shown {counts}"
    # Led duties first: no 牵头 row after the first row that is not 牵头.
    leads = ["牵头" in text for text in roles]
    assert leads == sorted(leads, reverse=True), f"牵头 rows are not first: {roles}"

    # Every duty is in the one plan, and every task links to its task page.
    outside = [text for text in rows.all_inner_texts() if SHIFENG_PLAN not in text]
    assert not outside, f"rows that do not name {SHIFENG_PLAN}: {outside}"
    expect(page.locator("table#duty-table tbody td.task a")).to_have_count(SHIFENG_FGJ_DUTIES)
    for href in page.locator("table#duty-table tbody td.task a").evaluate_all("links => links.map(a => a.href)"):
        assert re.search(r"/tasks/\d+/$", href), f"task link {href!r}"
    shot("duties")


# --- (d) Filter by role ------------------------------------------------------------------------------------------


def test_filter_the_duty_list_to_cooperating_duties(page: Page, shot, shifeng_fgj):
    page.goto(shifeng_fgj["url"])
    expect(page.locator("table#duty-table tbody tr")).to_have_count(SHIFENG_FGJ_DUTIES)
    cooperating = count_of(page, "#role-counts [data-role=cooperating] .count")
    assert cooperating == shifeng_fgj["roles"]["cooperating"] > 0
    shot("all")

    form = page.locator("form#duty-filter")
    form.locator("select[name=role]").select_option("cooperating")
    # The page may submit the form itself on change (JavaScript); let that navigation finish, if there is
    # one, so the click below lands on a settled page and starts exactly one navigation of its own.
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_url(re.compile(r"[?&]role=cooperating(&|$)"), timeout=AUTO_SUBMIT_GRACE_MS)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"[?&]role=cooperating(&|$)"))
    expect(form.locator("select[name=role]")).to_have_value("cooperating")

    rows = page.locator("table#duty-table tbody tr")
    expect(rows).to_have_count(cooperating)
    roles = rows.locator("td.role").all_inner_texts()
    assert all("配合" in text for text in roles), f"rows that are not 配合 after filtering: {roles}"
    assert count_of(page, "#result-count") == cooperating
    shot("cooperating")


# --- (e) A task ----------------------------------------------------------------------------------------------------


def test_open_a_task_from_the_duty_list(page: Page, shot, shifeng_fgj):
    page.goto(shifeng_fgj["url"])
    first = page.locator("table#duty-table tbody tr").first
    expect(first.locator("td.role")).to_contain_text("牵头")
    shot("duties")
    first.locator("td.task a").click()

    expect(page).to_have_url(path_re(r"/tasks/\d+/"))
    task_id = int(re.search(r"/tasks/(\d+)/", page.url).group(1))
    task = next((t for t in shifeng_fgj["plan"]["tasks"] if t["id"] == task_id), None)
    assert task is not None, f"task {task_id} is not in {SHIFENG_PLAN} (API)"
    duty = next(d for d in task["duties"] if d["agency_id"] == shifeng_fgj["id"])
    assert duty["role"] == "lead", f"the first row of the list was not a lead duty: {duty}"

    expect_breadcrumbs(page)
    expect(page.locator("h1")).to_contain_text(task["title"])
    clause = page.locator("mark.clause")
    expect(clause.first).to_be_visible()
    expect(clause.first).to_contain_text(duty["as_written"])  # 区发展和改革局, as the plan writes it

    duties = page.locator("ul#duties li")
    expect(duties).to_have_count(len(task["duties"]))
    ours_link = f'a.agency-link[href$="/agencies/{shifeng_fgj["id"]}/"]'
    ours = duties.locator(ours_link)
    expect(ours).to_have_count(1)
    expect(ours).to_contain_text("发展和改革局")
    ours_item = duties.filter(has=page.locator(ours_link))
    expect(ours_item).to_contain_text("牵头")

    source = page.locator("#task-source")
    expect(source).to_contain_text(f"{SHIFENG_PLAN}.txt")  # the seed's hash-named file, by the plan's title
    expect(source).to_contain_text(str(task["line"]))
    shot("task")


# --- (f) A plan and its matrix -----------------------------------------------------------------------------------


def test_open_a_plan_and_its_responsibility_matrix(page: Page, shot, shifeng_fgj):
    plan = shifeng_fgj["plan"]
    page.goto("/")
    shot("home")
    page.locator("table#plan-list a.plan-link", has_text=SHIFENG_PLAN).click()

    expect(page).to_have_url(path_re(rf"/plans/{plan['id']}/"))
    expect_breadcrumbs(page)
    expect(page.locator("h1")).to_contain_text(SHIFENG_PLAN)
    tasks = page.locator("#outline article.task")
    expect(tasks).to_have_count(len(plan["tasks"]))
    # The first task (大力发展可再生能源) shows its lead as a lead chip linking to the agency.
    first_task = plan["tasks"][0]
    article = tasks.filter(has_text=first_task["title"]).first
    lead_chip = article.locator(f'a.chip.chip-lead[href$="/agencies/{shifeng_fgj["id"]}/"]')
    expect(lead_chip).to_have_count(1)
    expect(lead_chip).to_contain_text("发展和改革局")
    expect(article.locator("a.chip.chip-cooperating")).to_have_count(
        sum(d["role"] == "cooperating" for d in first_task["duties"])
    )
    chips_by_role = Counter(d["role"] for t in plan["tasks"] for d in t["duties"])
    for role, n in chips_by_role.items():
        expect(page.locator(f"#outline a.chip.chip-{role}"), f"{role} chips").to_have_count(n)
    # The ingestion warnings are for the plan's editors (tests/browser/test_warnings.py); a reader sees none.
    assert plan["warnings"]
    expect(page.locator("#warnings")).to_have_count(0)
    shot("plan")

    page.locator("nav.tabs a", has_text="责任矩阵").click()
    expect(page).to_have_url(path_re(rf"/plans/{plan['id']}/matrix/"))
    expect_breadcrumbs(page)
    matrix = page.locator("table#matrix")
    expect(matrix).to_be_visible()
    headers = matrix.locator("thead th.agency")
    expect(headers.first).to_be_visible()
    assert headers.count() >= 1
    expect(headers.filter(has_text="区发改局")).not_to_have_count(0)  # 区发展和改革局 by its short form
    expect(matrix.locator("tbody tr").first).to_be_visible()

    lead_cells = matrix.locator(".cell-lead")
    expect(lead_cells.first).to_have_text(re.compile(r"^\s*牵\s*$"))
    for cls, mark in (("cell-lead", "牵"), ("cell-cooperating", "配"), ("cell-joint", "共")):
        texts = matrix.locator(f"tbody .{cls}").all_inner_texts()
        assert all(text.strip() == mark for text in texts), f".{cls} cells not all {mark}: {set(texts)}"
    assert matrix.locator("tbody .cell-lead").count() == chips_by_role["lead"]

    totals = matrix.locator("tfoot")
    expect(totals).to_be_attached()
    expect(totals.locator("td, th").filter(has_text=re.compile(r"\d")).first).to_be_visible()
    shot("matrix")


# --- (g) Phone width ---------------------------------------------------------------------------------------------

# Elements whose right edge passes the viewport and are not inside a .table-scroll: the overflow culprits.
OVERFLOWING = """
() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.table-scroll')) continue;
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1) {
      const id = el.id ? '#' + el.id : '';
      const cls = el.classList.length ? '.' + [...el.classList].join('.') : '';
      out.push(`${el.tagName.toLowerCase()}${id}${cls} right=${Math.round(box.right)}`);
    }
  }
  return out.slice(0, 15);
}
"""


def test_duty_list_fits_a_phone_screen(page: Page, shot, shifeng_fgj):
    page.set_viewport_size(PHONE)
    page.goto(shifeng_fgj["url"])
    expect(page.locator("h1")).to_contain_text(SHIFENG_FGJ)
    expect(page.locator("table#duty-table tbody tr")).to_have_count(SHIFENG_FGJ_DUTIES)
    shot("phone")

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"] + 1, (
        f"the page is {scroll_width}px wide at {PHONE['width']}px; overflowing outside .table-scroll: "
        f"{page.evaluate(OVERFLOWING)}"
    )


# --- Printing ----------------------------------------------------------------------------------------------------


def _pdf_page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height in points of every page's MediaBox (Chromium writes them uncompressed)."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    return [(float(x1) - float(x0), float(y1) - float(y0)) for x0, y0, x1, y1 in boxes]


A4 = (595.3, 841.9)  # points


def _is(size: tuple[float, float], expected: tuple[float, float]) -> bool:
    return abs(size[0] - expected[0]) < 2 and abs(size[1] - expected[1]) < 2


def test_the_duty_list_prints_on_a4_without_the_screen_controls(page: Page, shifeng_fgj, screenshot_dir):
    page.goto(shifeng_fgj["url"])
    page.emulate_media(media="print")
    for hidden in ("header.site-header", "nav.breadcrumbs", "form#duty-filter"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator("table#duty-table tbody tr")).to_have_count(SHIFENG_FGJ_DUTIES)
    expect(page.locator("table#duty-table thead")).to_have_css("display", "table-header-group")
    pdf = page.pdf(path=str(screenshot_dir / "duty-list-print.pdf"), prefer_css_page_size=True, print_background=False)
    sizes = _pdf_page_sizes(pdf)
    assert sizes and all(_is(size, A4) for size in sizes), sizes


def test_the_matrix_prints_on_a4_landscape(page: Page, shifeng_fgj, screenshot_dir):
    page.goto(f"/plans/{shifeng_fgj['plan_id']}/matrix/")
    pdf = page.pdf(path=str(screenshot_dir / "matrix-print.pdf"), prefer_css_page_size=True)
    sizes = _pdf_page_sizes(pdf)
    assert sizes and all(_is(size, (A4[1], A4[0])) for size in sizes), sizes
