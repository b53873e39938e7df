"""Correcting an upload's preview in a real browser, then confirming it.

An administrator uploads a 石峰区 plan whose clauses name 区财政和金融工作局, a spelling 石峰区 has no agency of.
In the preview he corrects the title, switches the lead rule to 推定首列单位牵头, and maps the new name onto
区财政局, which the preview suggests; he saves, sees the preview follow, confirms, and finds all three on the
plan page. The preview is also taken at phone width.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_browse import PHONE
from tests.browser.test_editing import plan_by_title, sign_in, tasks_of
from tests.browser.test_upload_region import upload

pytestmark = pytest.mark.browser

WRITTEN = "区财政和金融工作局"
PLAN = f"""株洲市石峰区碳达峰专项行动方案

一、重点任务
1.发展新能源。建设屋顶分布式光伏。（区发展和改革局、{WRITTEN}按职责分工负责）
2.推动节能降碳。推广高效节能设备。（区工业和信息化局牵头，{WRITTEN}配合）
"""
CORRECTED = "株洲市石峰区碳达峰专项行动方案（2023—2030年）"


def test_correct_the_title_the_lead_rule_and_a_new_agency_in_the_preview_and_confirm(page: Page, api, shot, tmp_path):
    sign_in(page, "/plans/upload/")
    upload(page, tmp_path, "石峰区专项行动方案.txt", PLAN)
    expect(page.locator("#upload-target")).to_contain_text("将新建方案《株洲市石峰区碳达峰专项行动方案》")
    row = page.locator("#new-agencies tr.new-agency", has_text=WRITTEN)
    expect(row.locator("select option")).to_contain_text(["新建单位", "对应到 株洲市石峰区财政局"])
    shot("preview")

    page.get_by_label("方案标题").fill(CORRECTED)
    page.get_by_label("未写明时推定首列单位牵头", exact=False).check()
    row.get_by_label(f"“{WRITTEN}”的处理").select_option(label="对应到 株洲市石峰区财政局")
    page.locator("#save-corrections").click()

    expect(page.locator(".messages")).to_contain_text("已保存更正（标题、牵头认定规则、单位对应）")
    expect(page.locator("#upload-target")).to_contain_text(f"将新建方案《{CORRECTED}》")
    expect(page.locator("#upload-convention")).to_have_text("未写明时推定首列单位牵头")
    expect(page.locator("#mapped-count")).to_contain_text("1 个已对应到已有单位")
    first = page.locator("#preview-tasks tr.preview-task").first
    expect(first.locator(".chip-lead.chip-inferred")).to_contain_text("区发展和改革局")
    expect(first.locator(".chip")).to_contain_text(["区发展和改革局", "区财政局"])
    shot("corrected")
    page.set_viewport_size(PHONE)
    shot("corrected-phone")
    page.set_viewport_size({"width": 1366, "height": 900})

    page.locator("#confirm-upload").click()

    expect(page.locator("h1")).to_contain_text(CORRECTED)
    expect(page.locator(".messages")).to_contain_text(f"已导入《{CORRECTED}》")
    expect(page.locator(".messages")).to_contain_text("新建单位 1 个，对应到已有单位 1 个")
    expect(page.locator(".chip", has_text="区财政局").first).to_be_visible()
    expect(page.locator(".chip", has_text=WRITTEN)).to_have_count(0)
    shot("stored")
    plan = plan_by_title(api, CORRECTED)
    assert plan["region"] == "株洲市石峰区"
    duties = {d["agency"]: d["role"] for d in tasks_of(api, plan["id"])[0]["duties"]}
    assert duties == {"株洲市石峰区发展和改革局": "lead", "株洲市石峰区财政局": "cooperating"}
