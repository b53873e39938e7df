"""督办 in a real browser, as the issue's done-when asks.

A coordinator of seed 002 (株洲市碳达峰实施方案) opens a reporting round; the staff of 市发展改革委 fill two
reports, one as 滞后; the staff of a cooperating unit (市生态环境局) adds its part; the coordinator returns
one report with a reason and, once it is sent again, accepts it; the dashboard shows the counts in their
colours; the 进展台账 downloads; and the reminder command, in a dry run, lists the reports the other
agencies still owe.

The accounts are made with `manage.py shell` against the server's database, as an administrator would
make them in the admin. Runs after test_editing.py (pytest runs files in name order).
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.conftest import ROOT, SERVER_ENV

pytestmark = pytest.mark.browser

PLAN = "株洲市碳达峰实施方案"
LEAD = "市发展改革委"
COOPERATING = "市生态环境局"
FIRST = "1. 大力发展可再生能源"  # led by 市发展改革委, 市生态环境局 cooperating
SECOND = "2. 控制化石能源消费总量"
PASSWORD = "督办测试-Pass-2026"
RED = "rgb(164, 50, 12)"
GREEN = "rgb(29, 107, 79)"

ACCOUNTS = f"""
from django.contrib.auth import get_user_model
from agencies.models import Agency
from plans.models import Plan
User = get_user_model()
plan = Plan.objects.get(title="{PLAN}", is_draft=False)
def account(name, email):
    user, _ = User.objects.get_or_create(username=name, defaults={{"email": email}})
    user.set_password("{PASSWORD}")
    user.save()
    return user
plan.coordinators.add(account("zz-coordinator", "coordinator@zhuzhou.example.gov.cn"))
Agency.objects.get(region=plan.region, name="{LEAD}").members.add(account("zz-fgw", "fgw@zhuzhou.example.gov.cn"))
Agency.objects.get(region=plan.region, name="{COOPERATING}").members.add(account("zz-sthjj", ""))
"""


def manage(*args: str) -> str:
    """Run manage.py against the browser server's database; its standard output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=SERVER_ENV, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout


def sign_in(page: Page, username: str, next_path: str = "/") -> None:
    page.goto("/")
    logout = page.locator("#account").get_by_role("button", name="退出")
    if logout.count():
        logout.click()
    page.goto(f"/accounts/login/?next={next_path}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#account .account-name")).to_have_text(username)


def card(page: Page, heading: str):
    return page.locator(f'article.report-card[data-task="{heading}"]')


def test_a_round_from_opening_to_the_ledger_and_the_reminders(page: Page, api, shot, tmp_path):
    manage("shell", "-c", ACCOUNTS)
    plan = next(p for p in api("/api/plans/")["plans"] if p["title"] == PLAN)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    due = today + timedelta(days=10)

    # The coordinator opens a round for every task of the plan, from the plan's 督办 tab.
    sign_in(page, "zz-coordinator", f"/plans/{plan['id']}/")
    page.locator("#progress-tab").click()
    page.locator("#open-round").click()
    page.get_by_label("轮次名称").fill("浏览器测试轮次")
    page.get_by_label("周期开始", exact=True).fill(f"{today - timedelta(days=80):%Y-%m-%d}")
    page.get_by_label("周期结束", exact=True).fill(f"{today - timedelta(days=1):%Y-%m-%d}")
    page.get_by_label("报送截止日").fill(f"{due:%Y-%m-%d}")
    shot("open-round")
    page.get_by_role("button", name="开启").click()
    expect(page.locator(".messages")).to_contain_text("已开启“浏览器测试轮次”")
    round_url = page.url
    assert re.search(r"/progress/rounds/\d+/$", round_url)

    # The cooperating unit's staff find the lead's report on their due page and add their part.
    sign_in(page, "zz-sthjj", "/agencies/mine/")
    expect(page.locator("#progress-awaiting")).to_contain_text("需要本单位填写配合工作情况")
    page.locator("#progress-due-link").click()
    contribution = page.locator(f'#cooperating article[data-task="{FIRST}"]')
    contribution.locator("textarea").fill("已完成光伏项目环评批复 3 项")
    contribution.get_by_role("button", name="保存配合工作情况").click()
    expect(page.locator(".messages")).to_contain_text(f"已保存{COOPERATING}的配合工作情况")

    # The lead's staff land on their 我的任务, see what is due and fill two of the forms.
    sign_in(page, "zz-fgw", "/agencies/mine/")
    expect(page.locator("#progress-due")).to_contain_text("浏览器测试轮次")
    page.locator("#progress-due-link").click()
    expect(page.locator("h1")).to_contain_text("待报送的进展")
    first = card(page, FIRST)
    expect(first).to_contain_text(f"{COOPERATING}（配合）：已完成光伏项目环评批复 3 项")
    first.get_by_label("进展状态").select_option("in_progress")
    first.get_by_label("完成进度（%）").fill("40")
    first.get_by_label("进展情况").fill("新增分布式光伏装机 5 万千瓦")
    first.get_by_label("下步计划").fill("推进集中式光伏项目开工")
    first.get_by_role("button", name="报送").click()
    expect(page.locator(".messages")).to_contain_text(f"已报送：{FIRST}")
    second = card(page, SECOND)
    second.get_by_label("进展状态").select_option("lagging")
    second.get_by_label("进展情况").fill("煤炭消费压减进度慢于计划")
    second.get_by_label("存在问题").fill("重点企业替代项目资金未到位")
    shot("due-forms")
    second.get_by_role("button", name="报送").click()
    expect(page.locator(".messages")).to_contain_text(f"已报送：{SECOND}")
    expect(card(page, FIRST)).to_have_count(0)  # submitted: no longer due

    # The coordinator returns the first report with a reason.
    sign_in(page, "zz-coordinator", round_url + "?state=submitted")
    expect(page.locator("#round-reports tbody tr")).to_have_count(2)
    page.locator("#round-reports").get_by_role("link", name=FIRST).click()
    expect(page.locator("#report-content")).to_contain_text("新增分布式光伏装机 5 万千瓦")
    expect(page.locator("#contributions")).to_contain_text("已完成光伏项目环评批复 3 项")
    page.get_by_label("意见或退回原因").fill("请补充集中式光伏项目的投资完成额")
    page.get_by_role("button", name="退回").click()
    expect(page.locator("#report-state")).to_have_text("已退回")
    report_url = page.url

    # The lead's staff see the reason, complete the report and send it again.
    sign_in(page, "zz-fgw", "/agencies/mine/")
    page.locator("#progress-due-link").click()
    first = card(page, FIRST)
    expect(first.locator(".return-reason")).to_contain_text("请补充集中式光伏项目的投资完成额")
    first.get_by_label("进展情况").fill("新增分布式光伏装机 5 万千瓦；集中式光伏完成投资 2.3 亿元")
    first.get_by_role("button", name="报送").click()
    expect(page.locator(".messages")).to_contain_text(f"已报送：{FIRST}")

    # The coordinator accepts it; its record keeps every step.
    sign_in(page, "zz-coordinator", report_url)
    page.get_by_role("button", name="通过").click()
    expect(page.locator("#report-state")).to_have_text("已通过")
    expect(page.locator("#report-history")).to_contain_text("退回：请补充集中式光伏项目的投资完成额")
    shot("report")

    # The dashboard: counts by status, each chip in its colour (and mark and word for printing).
    page.goto(f"/progress/plans/{plan['id']}/")
    lagging = page.locator('#status-counts li[data-status="lagging"]')
    expect(lagging.locator(".count")).not_to_have_text("0")
    expect(lagging.locator(".status")).to_have_text("▼滞后")
    expect(lagging.locator(".status")).to_have_css("border-top-color", RED)
    expect(page.locator('#status-counts li[data-status="overdue"] .status')).to_have_css("background-color", RED)
    expect(page.locator('#status-counts li[data-status="completed"] .status')).to_have_css("background-color", GREEN)
    expect(page.locator('#status-counts li[data-status="normal"] .status')).to_have_css("color", GREEN)
    counts = [int(n) for n in page.locator("#status-counts .count").all_inner_texts()]
    assert sum(counts) == len(api(f"/api/plans/{plan['id']}/")["tasks"])
    expect(page.locator("#progress-chart g.bar")).to_have_count(1)
    expect(page.locator('#progress-chart rect[data-series="lagging"]')).to_have_attribute("data-value", "1")
    expect(page.locator("#missing tr.missing-row").first).to_be_visible()
    shot("dashboard")

    # The 进展台账 downloads, with what was reported.
    with page.expect_download() as info:
        page.locator("#ledger-xlsx").click()
    download = info.value
    assert download.suggested_filename == f"{PLAN}-浏览器测试轮次-进展台账-{today:%Y%m%d}.xlsx"
    path = tmp_path / "ledger.xlsx"
    download.save_as(path)
    rows = {
        (row[1], row[2]): row
        for row in load_workbook(io.BytesIO(path.read_bytes())).active.iter_rows(min_row=4, values_only=True)
        if isinstance(row[0], int)
    }
    # 是否按期, 状态, 完成进度, 进展情况 (with the cooperating unit's part), …, 审核意见.
    assert rows[(FIRST, LEAD)][6] == "推进中" and "2.3 亿元" in rows[(FIRST, LEAD)][8]
    assert f"【{COOPERATING}】已完成光伏项目环评批复 3 项" in rows[(FIRST, LEAD)][8]
    assert rows[(SECOND, LEAD)][6] == "滞后"

    # After the due date, the reminders' dry run lists the reports the other agencies still owe.
    output = manage("send_reminders", "--dry-run", "--today", f"{due + timedelta(days=1):%Y-%m-%d}")
    assert f"将发送「【督办提醒】{PLAN}：" in output
    missing = [line for line in output.splitlines() if line.startswith("  逾期未报送的进展报告：")]
    assert missing
    submitted = (f"{LEAD}：浏览器测试轮次「{FIRST}」", f"{LEAD}：浏览器测试轮次「{SECOND}」")
    assert not [line for line in missing if line.endswith(submitted)]
    assert {line.split("：")[1] for line in missing} - {LEAD}  # other agencies' reports
    assert "试运行" in output and "未发送、未记录" in output


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_nothing_typed_is_lost_to_an_attachment_a_wrong_value_or_a_conflict(page: Page, shot):
    """Issue 22: the text typed beside an attachment is kept as a draft when the file goes up; a wrong value shows
    the form again with the text in it; a report someone saved meanwhile (409) shows what was typed."""
    sign_in(page, "zz-fgw", "/agencies/mine/")
    page.locator("#progress-due-link").click()
    first = page.locator("article.report-card").first
    heading = first.get_attribute("data-task")
    first.get_by_label("进展情况").fill("完成屋顶光伏普查，形成项目清单")
    first.locator('input[type="file"]').set_input_files(
        {"name": "进展说明.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    first.get_by_role("button", name="上传附件").click()
    expect(page.locator(".messages")).to_contain_text("已保存草稿，并上传附件“进展说明.pdf”")
    again = card(page, heading)
    expect(again.get_by_label("进展情况")).to_have_value("完成屋顶光伏普查，形成项目清单")
    expect(again.locator(".attachment-list")).to_contain_text("进展说明.pdf")
    shot("attachment-keeps-text")

    # A wrong value the server refuses (the browser's own check switched off, as an old browser would not make
    # it): the form comes back with everything typed in it, the file not taken.
    again.locator("form.report-form").evaluate("form => { form.noValidate = true; }")
    edit_path = again.locator("form.report-form").get_attribute("action")
    page.problems.expect(400, edit_path)
    page.problems.expect(409, edit_path)
    again.get_by_label("完成进度（%）").fill("150")
    again.get_by_label("进展情况").fill("完成屋顶光伏普查；新增项目 12 个")
    again.locator('input[type="file"]').set_input_files(
        {"name": "补充说明.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    again.get_by_role("button", name="上传附件").click()
    expect(page.locator(".messages")).to_contain_text("附件未上传：请先改正表中标出的问题")
    expect(page.get_by_label("进展情况")).to_have_value("完成屋顶光伏普查；新增项目 12 个")
    expect(page.get_by_label("完成进度（%）")).to_have_value("150")

    # A conflict: someone saves the report in another window; what this window typed is shown, not dropped.
    edit_url = page.url
    other = page.context.new_page()
    other.goto(edit_url)
    other.get_by_label("完成进度（%）").fill("30")
    other.get_by_label("进展情况").fill("另一窗口保存的内容")
    other.get_by_role("button", name="保存草稿").click()
    expect(other.locator(".messages")).to_contain_text("已保存草稿")
    other.close()
    page.get_by_label("完成进度（%）").fill("60")
    page.get_by_label("进展情况").fill("本窗口填写、尚未保存的内容")
    page.get_by_role("button", name="上传附件").click()
    expect(page.locator("#edit-conflict")).to_be_visible()
    expect(page.locator("#typed")).to_contain_text("本窗口填写、尚未保存的内容")
    shot("conflict-keeps-text")


def test_typed_text_survives_an_expired_session(page: Page, shot):
    """What is typed into a report form is kept in the browser (static/js/keep-typed.js) until it is saved: a
    session that expires while it is typed sends 保存草稿 to sign in, and the form offers the text back afterwards."""
    sign_in(page, "zz-fgw", "/agencies/mine/")
    page.locator("#progress-due-link").click()
    first = page.locator("article.report-card").first
    heading = first.get_attribute("data-task")
    form = first.locator("form.report-form")
    edit_path = form.get_attribute("action")
    stored = f"typed:{form.get_attribute('data-keep-typed')}"
    typed = "会话过期前填写：完成 3 个整县屋顶光伏试点的并网验收"
    page.wait_for_load_state("load")  # the deferred script listens from then on, as it does for a person typing
    first.get_by_label("进展情况").fill(typed)
    page.wait_for_function("([key, text]) => (localStorage.getItem(key) || '').includes(text)", arg=[stored, typed])

    # The session expires while he types. Only the session cookie goes, as when it times out: the CSRF cookie lives
    # a year, and with it gone too Django would refuse the post as forged (页面已过期) before looking at the session.
    page.context.clear_cookies(name="sessionid")
    page.problems.expect(403, edit_path)
    first.get_by_role("button", name="保存草稿").click()
    # The test server lets visitors read (ANONYMOUS_READ), so the post answers 无权操作 with a link to sign in;
    # with ANONYMOUS_READ off, Django's LoginRequiredMiddleware sends him to the same sign-in page at once.
    expect(page.locator("h1")).to_have_text("无权操作")
    page.locator(".narrow-form").get_by_role("link", name="登录").click()
    expect(page.locator("h1")).to_have_text("登录")
    assert urlsplit(page.url).path == "/accounts/login/"
    assert parse_qs(urlsplit(page.url).query)["next"] == [edit_path]
    page.get_by_label("用户名").fill("zz-fgw")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    # Back on the report's form: the text is not in it, but the form offers it back.
    expect(page).to_have_url(re.compile(re.escape(edit_path) + "$"))
    field = page.get_by_label("进展情况")
    notice = page.locator(".typed-notice")
    expect(notice).to_be_visible()
    expect(notice).to_have_attribute("role", "status")
    expect(notice).to_contain_text("输入但未保存的内容。")
    expect(field).not_to_have_value(typed)
    shot("notice")
    notice.get_by_role("button", name="恢复未保存的内容").click()
    expect(notice).to_have_count(0)
    expect(field).to_have_value(typed)

    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".messages")).to_contain_text(f"已保存草稿：{heading}")
    expect(page.locator("#report-content")).to_contain_text(typed)

    # Saved: the form opens with the text and no notice, and what the browser kept is dropped; reloaded, the same.
    page.goto(edit_path)
    expect(page.get_by_label("进展情况")).to_have_value(typed)
    page.wait_for_function("key => localStorage.getItem(key) === null", arg=stored)
    expect(page.locator(".typed-notice")).to_have_count(0)
    page.reload()
    expect(page.get_by_label("进展情况")).to_have_value(typed)
    page.wait_for_load_state("load")  # deferred scripts have run
    expect(page.locator(".typed-notice")).to_have_count(0)


LATE_ROUND = f"""
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils.timezone import localdate
from plans.models import Plan
from progress.models import Report, ReportingRound
from progress.writing import rounds
plan = Plan.objects.get(title="{PLAN}", is_draft=False)
due = localdate() - timedelta(days=5)
spec = rounds.RoundSpec("逾期测试轮次", due - timedelta(days=90), due - timedelta(days=10), due)
round = rounds.open_round(plan, get_user_model().objects.get(username="zz-coordinator"), spec)
print(round.pk)
"""


def test_a_notice_to_every_late_unit_and_the_units_inbox(page: Page, shot):
    """Issue 22: the coordinator sends one 督办通知单 to every unit late in a round; it prints on one A4 page; the
    unit's staff find it, with the round's opening, in their 待办, counted in the header."""
    manage("shell", "-c", ACCOUNTS)
    round_id = manage("shell", "-c", LATE_ROUND).strip().splitlines()[-1]
    sign_in(page, "zz-coordinator", f"/progress/rounds/{round_id}/")
    page.locator("#round-order summary").click()
    page.locator("#round-order").get_by_role("button", name="发出督办通知单").click()
    expect(page.locator(".messages")).to_contain_text("已发出督办通知单")
    expect(page.locator("#order-number")).to_have_text(re.compile(r"督办〔\d{4}〕\d+号"))
    expect(page.locator("#order-units")).to_contain_text(LEAD)
    page.emulate_media(media="print")
    shot("order-print")
    page.emulate_media(media="screen")

    sign_in(page, "zz-fgw", "/progress/")
    badge = page.locator("#inbox-link .inbox-count")
    expect(badge).to_be_visible()
    page.locator("#inbox-link").click()
    expect(page.locator("#inbox-items")).to_contain_text("督办通知单")
    expect(page.locator("#inbox-items")).to_contain_text("新的报送轮次")
    shot("inbox")
    page.locator("#inbox-items .inbox-item", has_text="督办通知单").locator("a").first.click()
    expect(page.locator("#order-number")).to_be_visible()
