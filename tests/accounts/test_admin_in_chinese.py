"""The admin a 系统管理员 uses reads in Chinese, whatever language his browser asks for: every app and model heading,
the third-party apps' too (locale/zh_Hans), the selection widget's buttons, and the rows of a user's memberships."""

import re

import pytest

from agencies.models import Agency
from tests.pages import get_page

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def english_browser(administrator_client):
    administrator_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en-US,en;q=0.9"
    return administrator_client


def test_every_heading_of_the_admin_index_is_chinese(english_browser):
    page = get_page(english_browser, "/admin/")
    headings = [h.get_text(strip=True) for h in page.select("#content-main caption, #content-main th[scope=row]")]
    assert len(headings) > 20
    assert "登录安全" in headings and "登录失败记录" in headings and "后台任务" in headings
    assert [h for h in headings if not CHINESE.search(h)] == []


@pytest.mark.parametrize("url", ["/admin/axes/accessattempt/", "/admin/axes/accesslog/"])
def test_the_third_party_lists_have_chinese_columns(english_browser, url):
    from axes.models import AccessAttempt, AccessLog

    AccessAttempt.objects.create(username="x", ip_address="10.0.0.1", user_agent="test", failures_since_start=3)
    AccessLog.objects.create(username="x", ip_address="10.0.0.1", user_agent="test")
    page = get_page(english_browser, url)
    columns = [th.get_text(strip=True) for th in page.select("#result_list thead th") if th.get_text(strip=True)]
    assert columns and [c for c in columns if not CHINESE.search(c)] == []
    assert CHINESE.search(page.h1.get_text())


def test_the_background_tasks_page_is_chinese(english_browser):
    page = get_page(english_browser, "/admin/django_tasks_database/dbtaskresult/")
    assert "后台任务" in page.h1.get_text()


def test_the_selection_widget_speaks_chinese(english_browser):
    catalogue = english_browser.get("/admin/jsi18n/").content.decode()
    assert "\\u5168\\u9009%s" in catalogue or "全选%s" in catalogue  # 全选%s: Choose all %s


def test_a_new_account_is_asked_for_its_email_and_memberships_read_by_name(english_browser, django_user_model):
    page = get_page(english_browser, "/admin/auth/user/add/")
    assert page.select_one("input[name=email]") is not None
    user = django_user_model.objects.create_user("staff", "staff@example.gov.cn", password=None)
    agency = Agency.objects.order_by("pk").first()
    agency.members.add(user)
    text = get_page(english_browser, f"/admin/auth/user/{user.pk}/change/").get_text()
    assert "object (" not in text
    assert agency.full_name in text
