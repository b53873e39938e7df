"""Editing in a real browser, as the issue's done-when asks.

An administrator (made with `createsuperuser`, as the README says) signs in through the Chinese
sign-in page, changes a unit's role on a task, finds the change in 变更记录 and reverts it; adds a
unit by typing its pinyin initials; then, in 000, splits the alias 区发改局 off 区发展和改革局 and
merges it back, and re-ingests all the seed plans, after which every edit is still there.

These tests change the server's data, so this module runs after test_browse.py (pytest runs
files in name order) and leaves 000's agencies as it found them.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ADMIN_PASSWORD, ADMIN_USERNAME

pytestmark = pytest.mark.browser

SHIFENG_PLAN = "株洲市石峰区碳达峰实施方案"
XIANGTAN_PLAN = "湘潭市碳达峰实施方案"
FGJ = "区发展和改革局"
FGJ_SHORT = "区发改局"
FGJ_FULL = "株洲市石峰区发展和改革局"
SHIFENG = "株洲市石峰区"
FGJ_DUTIES = 32
ROLE_TEXT = {"lead": "牵头", "cooperating": "配合", "joint": "共同负责"}


def sign_in(page: Page, next_path: str) -> None:
    page.goto(f"/accounts/login/?next={next_path}")
    expect(page.locator("h1")).to_have_text("登录")
    page.get_by_label("用户名").fill(ADMIN_USERNAME)
    page.get_by_label("密码").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#account .account-name")).to_have_text(ADMIN_USERNAME)


def plan_by_title(api, title: str) -> dict:
    return next(p for p in api("/api/plans/")["plans"] if p["title"] == title)


def tasks_of(api, plan_id: int) -> list[dict]:
    return api(f"/api/plans/{plan_id}/")["tasks"]


def duty_roles(api, plan_id: int, task_id: int) -> dict[str, str]:
    task = next(t for t in tasks_of(api, plan_id) if t["id"] == task_id)
    return {d["agency"]: d["role"] for d in task["duties"]}


def test_edit_a_duty_see_it_in_the_history_and_revert_it(page: Page, api, shot):
    plan = plan_by_title(api, XIANGTAN_PLAN)
    task = next(t for t in tasks_of(api, plan["id"]) if len(t["duties"]) >= 2 and t["duties"][1]["role"] != "lead")
    duty = task["duties"][1]
    before = ROLE_TEXT[duty["role"]]

    sign_in(page, f"/tasks/{task['id']}/")
    expect(page).to_have_url(re.compile(rf"/tasks/{task['id']}/$"))
    page.locator("#edit-duties").click()
    expect(page.locator("h1")).to_contain_text("编辑分工")
    row = page.locator("tr.unit-row", has_text=duty["agency"])
    row.locator("select").select_option("joint" if duty["role"] != "joint" else "lead")
    page.get_by_label("变更原因").fill("按专题会议纪要调整")
    shot("edit-form")
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(re.compile(rf"/tasks/{task['id']}/$"))
    expect(page.locator(".messages")).to_contain_text("已保存")
    changed = page.locator("#history tr.change").first
    expect(changed.locator(".what")).to_contain_text(duty["agency"].removeprefix("湘潭市"))
    expect(changed.locator(".reason")).to_have_text("按专题会议纪要调整")
    expect(changed.locator(".who")).to_have_text(ADMIN_USERNAME)
    assert duty_roles(api, plan["id"], task["id"])[duty["agency"]] != duty["role"]
    shot("history")

    changed.get_by_role("link", name="撤销…").click()
    expect(page.locator("#revert-parts li")).to_have_count(1)
    shot("revert-confirm")
    page.get_by_role("button", name="确认撤销").click()
    expect(page.locator(".messages")).to_contain_text("撤销")
    expect(page.locator("#history tr.change").first.locator(".reason")).to_contain_text("撤销：")
    expect(page.locator("#duties li", has_text=duty["agency"]).locator(".chip")).to_have_text(before)
    assert duty_roles(api, plan["id"], task["id"])[duty["agency"]] == duty["role"]
    shot("reverted")


def test_add_a_unit_by_pinyin_initials(page: Page, api, shot):
    plan = plan_by_title(api, XIANGTAN_PLAN)
    task = next(t for t in tasks_of(api, plan["id"]) if "湘潭市财政局" not in {d["agency"] for d in t["duties"]})
    sign_in(page, f"/tasks/{task['id']}/edit/")
    field = page.locator("tr.add-row input").first
    field.press_sequentially("sczj", delay=50)  # 市财政局
    options = page.locator("#agency-options option")
    expect(options.first).to_be_attached()
    values = [options.nth(i).get_attribute("value") for i in range(options.count())]
    assert "湘潭市财政局" in values, values
    field.fill("湘潭市财政局")
    page.locator("tr.add-row select").first.select_option("cooperating")
    shot("add-unit")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#duties li", has_text="湘潭市财政局").locator(".chip")).to_have_text("配合")
    assert duty_roles(api, plan["id"], task["id"])["湘潭市财政局"] == "cooperating"


def open_agency(page: Page, name: str, region: str) -> None:
    page.goto(f"/agencies/?q={name}")
    page.locator("li.agency-item", has=page.locator(".agency-region", has_text=region)).get_by_role(
        "link", name=name, exact=True
    ).click()
    expect(page.locator("h1")).to_have_text(f"{region}{name.removeprefix('区')}")


def test_split_an_alias_off_and_merge_it_back_then_reingest(page: Page, api, manage, shot):
    shifeng = plan_by_title(api, SHIFENG_PLAN)
    sign_in(page, "/agencies/")
    open_agency(page, FGJ, SHIFENG)
    fgj_url = page.url
    expect(page.locator("#result-count")).to_contain_text(str(FGJ_DUTIES))
    expect(page.locator("header.page-header")).to_contain_text(f"方案中也写作：{FGJ_SHORT}")

    # Split: the alias becomes an agency of its own and takes its one duty with it.
    page.get_by_role("link", name="编辑单位").click()
    alias_row = page.locator("tr.alias-row", has_text=FGJ_SHORT)
    expect(alias_row.locator(".alias-written")).to_have_text("1 项")
    alias_row.locator("input[name=reason]").fill("区发改局是另一单位")
    alias_row.locator("button.alias-split").click()
    expect(page.locator(".messages")).to_contain_text("拆分为独立单位")
    expect(page.locator("#agency-name")).to_have_text(FGJ_SHORT)
    shot("split")
    page.goto(fgj_url)
    expect(page.locator("#result-count")).to_contain_text(str(FGJ_DUTIES - 1))

    # Merge it back: one agency with both names and all its duties.
    open_agency(page, FGJ_SHORT, SHIFENG)
    expect(page.locator("#result-count")).to_contain_text("1")
    page.get_by_role("link", name="合并到…").click()
    page.locator("#id_into").select_option(label=FGJ)
    page.get_by_role("button", name="查看将移动的内容").click()
    expect(page.locator("#count-moves")).to_contain_text("1 项")
    page.get_by_label("变更原因").fill("确认是同一单位")
    shot("merge-preview")
    page.get_by_role("button", name="确认合并").click()
    expect(page).to_have_url(fgj_url)
    expect(page.locator("#result-count")).to_contain_text(str(FGJ_DUTIES))
    expect(page.locator("header.page-header")).to_contain_text(f"方案中也写作：{FGJ_SHORT}")

    # Both steps are in the agency's history.
    page.get_by_role("link", name="变更记录").click()
    history = page.locator("#agency-history")
    expect(history).to_contain_text("拆分")
    expect(history).to_contain_text("并入")
    expect(history).to_contain_text("确认是同一单位")
    shot("agency-history")

    # A duty edit that stays, then all seeds re-ingested: every edit is intact.
    task = next(
        t
        for t in tasks_of(api, shifeng["id"])
        if any(d["agency"] == FGJ_FULL and d["role"] == "cooperating" for d in t["duties"])
    )
    page.goto(f"/tasks/{task['id']}/edit/")
    page.locator("tr.unit-row", has_text=FGJ_FULL).locator("select").select_option("lead")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("已保存")

    manage("ingest_plans", "fixtures/plans/")

    page.goto(fgj_url)
    expect(page.locator("#result-count")).to_contain_text(str(FGJ_DUTIES))
    expect(page.locator("header.page-header")).to_contain_text(f"方案中也写作：{FGJ_SHORT}")
    page.goto(f"/agencies/?q={FGJ_SHORT}")
    shifeng_items = page.locator("li.agency-item", has=page.locator(".agency-region", has_text=SHIFENG))
    expect(shifeng_items.get_by_role("link", name=FGJ, exact=True)).to_have_count(1)
    expect(shifeng_items.get_by_role("link", name=FGJ_SHORT, exact=True)).to_have_count(0)
    assert duty_roles(api, shifeng["id"], task["id"])[FGJ_FULL] == "lead"
    page.goto(f"/tasks/{task['id']}/")
    expect(page.locator("#history")).to_contain_text("配合→牵头")
    shot("after-reingest")


def test_upload_a_plan_preview_it_and_confirm(page: Page, api, shot, tmp_path):
    from tests.factories import TIANXIN_PLAN  # text only; the browser tests never query the ORM

    path = tmp_path / "天心区碳达峰实施方案.txt"
    path.write_text(TIANXIN_PLAN, encoding="utf-8")
    titles_before = {p["title"] for p in api("/api/plans/")["plans"]}
    sign_in(page, "/plans/upload/")
    expect(page.locator("h1")).to_contain_text("上传")
    page.locator("#upload-form input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.locator("#upload-target")).to_contain_text("将新建方案《长沙市天心区碳达峰实施方案》")
    expect(page.locator("#new-agencies")).to_be_visible()
    shot("preview")
    assert {p["title"] for p in api("/api/plans/")["plans"]} == titles_before  # nothing stored yet
    page.locator("#confirm-upload").click()
    expect(page.locator("h1")).to_contain_text("长沙市天心区碳达峰实施方案")
    expect(page.locator(".messages")).to_contain_text("已导入")
    assert "长沙市天心区碳达峰实施方案" in {p["title"] for p in api("/api/plans/")["plans"]}
    shot("stored")
