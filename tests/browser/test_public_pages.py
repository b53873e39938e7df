"""What a reader sees: home, a plan, a task, an agency's duty list, the matrix and an upload preview, each saved
as a full-page screenshot at desktop (1280 px) and phone (390 px) width, and checked where a page used to look
broken: the phone header on one line, nothing but a table's own scroller wider than the phone, the matrix
headers in one vertical line each, every page printing on A4.

Screenshots: artifacts/screenshots/test_screenshots_of_the_public_pages-<page>-<width>.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_browse import OVERFLOWING, PHONE, SHIFENG_PLAN, _is, _pdf_page_sizes
from tests.browser.test_editing import sign_in
from tests.browser.test_upload_region import upload

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
A4 = (595.3, 841.9)
PREVIEW_PLAN = """株洲市石峰区碳达峰专项行动方案

一、重点任务
1.发展新能源。建设屋顶分布式光伏。（区发展和改革局牵头，区财政局配合）
2.推动节能降碳。推广高效节能设备。（区工业和信息化局牵头，区发展和改革局配合）
"""


def _fits(page: Page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width + 1, f"{page.url} is {scroll_width}px wide at {width}px: {page.evaluate(OVERFLOWING)}"


def _shoot(page: Page, shot, name: str) -> None:
    """The page at desktop and phone width; at phone width it must not scroll sideways."""
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        shot(f"{name}-{label}")
    _fits(page, PHONE["width"])
    page.set_viewport_size(DESKTOP)


def _prints_on_a4(page: Page, path, landscape: bool = False) -> None:
    """The page printed as Chromium prints it, saved beside the screenshots: every sheet A4, no screen header."""
    page.emulate_media(media="print")
    expect(page.locator("header.site-header")).to_be_hidden()
    sizes = _pdf_page_sizes(page.pdf(path=str(path), prefer_css_page_size=True))
    page.emulate_media(media="screen")
    expected = (A4[1], A4[0]) if landscape else A4
    assert sizes and all(_is(size, expected) for size in sizes), (page.url, sizes)


def test_screenshots_of_the_public_pages(page: Page, shot, api, tmp_path, screenshot_dir):
    page.set_viewport_size(DESKTOP)
    plan = next(p for p in api("/api/plans/")["plans"] if p["title"] == SHIFENG_PLAN)
    detail = api(f"/api/plans/{plan['id']}/")
    task = detail["tasks"][0]
    agency_id = task["duties"][0]["agency_id"]

    page.goto("/")
    _shoot(page, shot, "home")
    _prints_on_a4(page, screenshot_dir / "print-home.pdf")
    page.set_viewport_size(PHONE)
    header = page.locator("header.site-header .header-row").bounding_box()
    assert header["height"] < 56, f"the header wraps at phone width: {header}"
    for link in ("首页", "责任单位", "搜索", "登录"):
        expect(page.locator("header.site-header").get_by_role("link", name=link, exact=True)).to_be_in_viewport()
    expect(page.locator("form#site-search")).to_be_hidden()
    first_plan = page.locator("#plan-list tbody tr").first.bounding_box()
    assert first_plan["width"] <= PHONE["width"], first_plan
    expect(page.locator("#plan-list thead")).to_be_hidden()
    page.set_viewport_size(DESKTOP)

    page.goto(f"/plans/{plan['id']}/")
    _shoot(page, shot, "plan")
    _prints_on_a4(page, screenshot_dir / "print-plan.pdf")

    page.goto(f"/tasks/{task['id']}/")
    _shoot(page, shot, "task")
    _prints_on_a4(page, screenshot_dir / "print-task.pdf")

    page.goto(f"/agencies/{agency_id}/")
    _shoot(page, shot, "duties")
    _prints_on_a4(page, screenshot_dir / "print-duties.pdf")

    page.goto(f"/plans/{plan['id']}/matrix/")
    # Every agency header is one vertical line: no wider than a column of one character.
    widths = page.locator("#matrix thead th.agency a").evaluate_all("links => links.map(a => a.offsetWidth)")
    assert widths and max(widths) <= 22, widths
    _shoot(page, shot, "matrix")
    _prints_on_a4(page, screenshot_dir / "print-matrix.pdf", landscape=True)

    sign_in(page, "/plans/upload/")
    upload(page, tmp_path, "石峰区专项行动方案.txt", PREVIEW_PLAN)
    expect(page.locator("#upload-target")).to_contain_text("将新建方案")
    # Signed in, with every editor's link: still one line at phone width, 退出 in view, the links scrolling.
    page.set_viewport_size(PHONE)
    assert page.locator("header.site-header .header-row").bounding_box()["height"] < 56
    expect(page.locator("#account").get_by_role("button", name="退出")).to_be_in_viewport()
    page.set_viewport_size(DESKTOP)
    assert page.locator("header.site-header .header-row").bounding_box()["height"] < 70  # one row at 1280 too
    _shoot(page, shot, "upload-preview")
    _prints_on_a4(page, screenshot_dir / "print-upload-preview.pdf")
