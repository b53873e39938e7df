"""The region of an uploaded plan, chosen in a real browser: candidates first, any region by name.

An administrator uploads a plan whose title names 鼓楼区, a district of four cities; the preview asks which
one, he picks 南京市鼓楼区 among the candidates, sees the plan previewed under it and confirms. Then a plan
whose text names no place at all: he types 天心区 and the preview shows it under 长沙市天心区.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_editing import plan_by_title, sign_in

pytestmark = pytest.mark.browser

GULOU_PLAN = (
    "鼓楼区碳达峰实施方案\n\n一、重点任务\n1.发展新能源。我区建设光伏，全区推广。（区发展和改革局按职责分工负责）\n"
)
NOWHERE_PLAN = "某地碳达峰实施方案\n\n一、重点任务\n1.发展新能源。建设光伏。（区发展和改革局按职责分工负责）\n"


def upload(page: Page, tmp_path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    page.goto("/plans/upload/")
    page.locator("#upload-form input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name="上传并预览").click()


def test_choose_the_region_of_an_upload_among_its_candidates_and_confirm(page: Page, api, shot, tmp_path):
    sign_in(page, "/plans/upload/")
    upload(page, tmp_path, "鼓楼区碳达峰实施方案.txt", GULOU_PLAN)
    expect(page.locator("#region-question")).to_contain_text("不能确定方案所属行政区")
    expect(page.locator(".region-candidates label")).to_have_count(4)
    expect(page.locator("#confirm-upload")).to_have_count(0)
    shot("asked")
    page.get_by_label("南京市鼓楼区（320106）").check()
    page.get_by_role("button", name="确定行政区").click()
    expect(page.locator("#upload-region")).to_contain_text("南京市鼓楼区")
    expect(page.locator("#upload-region")).to_contain_text("上传人选定")
    expect(page.locator("#upload-target")).to_contain_text("将新建方案《鼓楼区碳达峰实施方案》（南京市鼓楼区）")
    shot("chosen")
    page.locator("#confirm-upload").click()
    expect(page.locator("h1")).to_contain_text("鼓楼区碳达峰实施方案")
    assert plan_by_title(api, "鼓楼区碳达峰实施方案")["region"] == "南京市鼓楼区"


def test_type_any_region_for_an_upload_whose_text_names_none(page: Page, api, shot, tmp_path):
    sign_in(page, "/plans/upload/")
    upload(page, tmp_path, "某地碳达峰实施方案.txt", NOWHERE_PLAN)
    expect(page.locator("#region-question")).to_contain_text("找不到方案所属行政区的线索")
    page.get_by_label("其他行政区").fill("天心区")
    page.get_by_role("button", name="确定行政区").click()
    expect(page.locator("#upload-region")).to_contain_text("长沙市天心区")
    shot("typed")
    page.get_by_role("button", name="取消这次上传").click()
    expect(page.locator(".messages")).to_contain_text("已取消")
    assert "某地碳达峰实施方案" not in {p["title"] for p in api("/api/plans/")["plans"]}
