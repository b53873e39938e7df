"""A user's page in the admin names the agencies he works for and the plans he coordinates: inlines the agencies
and plans apps add, so that accounts imports neither."""

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


def test_a_users_admin_page_shows_his_agencies_and_his_plans(cast, client):
    client.force_login(cast.administrator)
    page = BeautifulSoup(client.get(f"/admin/auth/user/{cast.lead_staff.pk}/change/").content, "html.parser")
    headings = [h.get_text(strip=True) for h in page.select(".inline-group h2")]
    assert headings == ["所属单位（单位用户）", "负责的方案（方案管理员）"]
    assert cast.lead.name in page.select(".inline-group")[0].get_text()
