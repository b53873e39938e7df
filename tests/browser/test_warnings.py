"""The plan page's ingestion warnings in a real browser: an administrator sees them grouped by kind and marks one
已核对; it folds away under 已核对 1 条 and the count of those to check goes down. A reader sees none
(tests/browser/test_browse.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_browse import PHONE
from tests.browser.test_editing import plan_by_title, sign_in

pytestmark = pytest.mark.browser

KAIFU = "长沙市开福区碳达峰实施方案"


def test_an_administrator_reads_the_warnings_by_kind_and_marks_one_checked(page: Page, api, shot):
    plan = plan_by_title(api, KAIFU)
    sign_in(page, f"/plans/{plan['id']}/")
    panel = page.locator("details#warnings")
    expect(panel.locator("> summary")).to_have_text("导入提示：待核对 3 条")
    groups = panel.locator("details.warning-group")
    expect(groups.locator("summary .group-label")).to_have_text(["附件与正文不一致", "连写单位已拆分", "按别名归并"])
    fused = panel.locator("details.warning-group-fused_split li.warning")
    expect(fused.locator(".line")).to_have_text("第81行")
    shot("plan-warnings")
    page.set_viewport_size(PHONE)
    shot("plan-warnings-phone")
    page.set_viewport_size({"width": 1366, "height": 900})

    fused.get_by_role("button", name="已核对").click()

    expect(page.locator(".messages")).to_contain_text("已核对：第81行")
    expect(panel.locator("> summary")).to_have_text("导入提示：待核对 2 条，已核对 1 条")
    checked = page.locator("details#checked-warnings")
    expect(checked.locator("summary")).to_have_text("已核对 1 条")
    expect(checked.locator("li.warning")).not_to_be_visible()
    checked.locator("summary").click()
    expect(checked.locator("li.warning .warning-text")).to_contain_text("区机关事务中心市生态环境局开福分局")
    shot("plan-warnings-checked")

    # Taken back, so the shared browser database is as the other tests expect it.
    checked.get_by_role("button", name="撤销核对").click()
    expect(panel.locator("> summary")).to_have_text("导入提示：待核对 3 条")
