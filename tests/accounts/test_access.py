"""Anonymous reading switched by a setting, production settings, and text escaped everywhere."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from agencies.models import Agency
from plans.models import Duty
from tests.pages import get_page, text

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = "<script>alert(1)</script>"


def test_anonymous_visitors_read_everything_when_the_setting_is_on(settings, cast):
    settings.ANONYMOUS_READ = True
    client = Client()
    for url in ["/", f"/plans/{cast.plan.pk}/", f"/tasks/{cast.task.pk}/", f"/agencies/{cast.lead.pk}/", "/api/plans/"]:
        assert client.get(url).status_code == 200, url


def test_with_the_setting_off_visitors_are_asked_to_sign_in_first(settings, cast):
    settings.ANONYMOUS_READ = False
    client = Client()
    for url in ["/", f"/plans/{cast.plan.pk}/", f"/agencies/{cast.lead.pk}/export.xlsx", "/search/?q=发改"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    api = client.get("/api/plans/")
    assert api.status_code == 401 and api.json() == {"error": "请先登录（authentication required）"}
    assert client.get("/accounts/login/").status_code == 200  # the way in stays open
    client.force_login(cast.outsider)
    assert client.get(f"/plans/{cast.plan.pk}/").status_code == 200


def production_env(**extra) -> dict:
    environ = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "ANONYMOUS_READ", "DJANGO_SETTINGS_MODULE"}}
    environ.update(
        DJANGO_SETTINGS_MODULE="config.production",
        SECRET_KEY="k3Yp-0rd3r-bY-Gu4ngzh0u-2026-z9xQ7vLw2mNc8RtB5sHd1jKf6",
        ALLOWED_HOSTS="plans.example.gov.cn",
        DEBUG="1",  # production ignores it
        **extra,
    )
    return environ


def test_check_deploy_is_clean_with_the_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_close_the_site_and_secure_the_cookies():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.ANONYMOUS_READ, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=production_env(), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "True", "True", "True"]


def test_text_from_plans_and_users_is_escaped_on_every_page(cast, client, administrator):
    agency = Agency.objects.create(region=cast.plan.region, name=SCRIPT)
    Duty.objects.create(
        task=cast.task, agency=agency, role=Duty.Role.COOPERATING, source=Duty.Source.MANUAL, position=99
    )
    client.force_login(administrator)
    for url in [
        f"/tasks/{cast.task.pk}/",
        f"/agencies/{agency.pk}/",
        f"/agencies/?region={cast.plan.region.code}",
        f"/plans/{cast.plan.pk}/",
        f"/plans/{cast.plan.pk}/matrix/",
        "/search/?q=script",
    ]:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert SCRIPT not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
    assert SCRIPT in text(get_page(client, f"/agencies/{agency.pk}/"), "h1")  # shown as text


@pytest.mark.parametrize(
    "url",
    ["/search/?q=a%00b", "/agencies/?q=a%00b", "/agencies/autocomplete/?q=a%00b", "/agencies/1/?plan=1%00"],
)
def test_control_characters_in_a_query_are_dropped_not_a_server_error(url, cast):
    client = Client()
    client.force_login(cast.administrator)
    response = client.get(url)
    assert response.status_code in {200, 404}
    assert "\x00" not in response.wsgi_request.GET.get("q", "")
