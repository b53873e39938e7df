"""Signing in and out in Chinese, the lockout after repeated failures, passwords, and where users land."""

import json
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from accounts import roles
from agencies.models import Agency
from tests.accounts.test_access import ROOT, production_env
from tests.pages import get_page, get_page_from, text, texts

pytestmark = pytest.mark.django_db

PASSWORD = "碳达峰-staff-2026"
NEW_PASSWORD = "绿色低碳-Transition-42"


def with_password(user, password=PASSWORD):
    user.set_password(password)
    user.save()
    return user


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password, **extra})


def test_the_sign_in_page_is_in_chinese_and_carries_a_csrf_token():
    client = Client(enforce_csrf_checks=True)
    soup = get_page(client, "/accounts/login/")
    assert text(soup, "h1") == "登录"
    assert texts(soup, "form.stacked-form label") == ["用户名", "密码"]
    assert soup.select_one("form.stacked-form input[name=csrfmiddlewaretoken]") is not None
    assert "连续 5 次输入错误的密码，账号将暂时锁定一小时" in text(soup, "main")
    # Without the token the form is refused, with a page in Chinese.
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_agency_staff_land_on_their_own_agencys_duty_list(cast):
    with_password(cast.lead_staff)
    client = Client()
    response = sign_in(client, "lead-staff")
    assert response.status_code == 302 and response["Location"] == "/agencies/mine/"
    response = client.get("/agencies/mine/")
    assert response.status_code == 302 and response["Location"] == f"/agencies/{cast.lead.pk}/"
    soup = get_page(client, response["Location"])
    assert text(soup, "h1") == cast.lead.full_name
    assert text(soup, "#account .account-name") == "lead-staff"


def test_sign_in_returns_to_the_page_asked_for(cast):
    with_password(cast.lead_staff)
    response = sign_in(Client(), "lead-staff", next=f"/tasks/{cast.task.pk}/")
    assert response["Location"] == f"/tasks/{cast.task.pk}/"
    # Never to another site.
    response = sign_in(Client(), "lead-staff", next="https://evil.example/")
    assert response["Location"] == "/agencies/mine/"


def test_a_user_of_several_agencies_chooses_and_others_land_where_they_work(cast, client):
    cast.cooperating.members.add(cast.lead_staff)
    client.force_login(cast.lead_staff)
    soup = get_page(client, "/agencies/mine/")
    assert texts(soup, "#my-agencies a") == sorted(
        [cast.lead.full_name, cast.cooperating.full_name],
        key=lambda name: texts(soup, "#my-agencies a").index(name),
    )
    assert len(texts(soup, "#my-agencies a")) == 2

    client.force_login(cast.coordinator)
    assert client.get("/agencies/mine/")["Location"] == f"/plans/{cast.plan.pk}/"

    client.force_login(cast.outsider)
    response = client.get("/agencies/mine/", follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "尚未关联单位或方案" in text(get_page_from(response), ".messages")

    assert Client().get("/agencies/mine/")["Location"] == "/accounts/login/?next=/agencies/mine/"


def test_a_wrong_password_is_refused_in_chinese(cast):
    with_password(cast.lead_staff)
    response = sign_in(Client(), "lead-staff", password="wrong-password")
    assert response.status_code == 200
    error = text(get_page_from(response), "form .errorlist")
    assert "正确的" in error and "密码" in error
    assert "_auth_user_id" not in response.wsgi_request.session


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(cast, settings):
    with_password(cast.lead_staff)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "lead-staff", password="wrong-password").status_code == 200
    response = sign_in(client, "lead-staff", password="wrong-password")
    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()
    response = sign_in(client, "lead-staff")  # the right password no longer helps
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="lead-staff").failures_since_start >= settings.AXES_FAILURE_LIMIT
    # An administrator lifts the lock.
    call_command("axes_reset_username", "lead-staff")
    assert sign_in(client, "lead-staff").status_code == 302


def test_signing_out_is_a_post_and_ends_the_session(cast, client):
    client.force_login(cast.lead_staff)
    soup = get_page(client, "/")
    form = soup.select_one("#account form")
    assert form["method"] == "post" and form["action"] == "/accounts/logout/"
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("password", ["12345678", "password123", "lead-staff1", "短"])
def test_weak_passwords_are_refused(cast, password):
    with pytest.raises(ValidationError):
        validate_password(password, cast.lead_staff)
    validate_password("碳达峰责任分工-2026-春", cast.lead_staff)


def test_changing_a_password_applies_the_validators_in_chinese(cast, client):
    with_password(cast.lead_staff)
    client.force_login(cast.lead_staff)
    soup = get_page(client, "/accounts/password/")
    assert text(soup, "h1") == "修改密码"
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "密码" in text(get_page_from(response), ".errorlist")
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "绿色低碳-Transition-42",
            "new_password2": "绿色低碳-Transition-42",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/password/done/"


def test_createsuperuser_makes_the_first_administrator(monkeypatch, django_user_model):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "首任管理员-Password-2026")
    call_command("createsuperuser", "--noinput", "--username", "first-admin", "--email", "admin@example.gov.cn")
    user = django_user_model.objects.get(username="first-admin")
    assert roles.is_administrator(user)


def test_the_choice_of_agencies_runs_a_fixed_number_of_queries(cast, client, django_assert_num_queries):
    client.force_login(cast.lead_staff)
    cast.cooperating.members.add(cast.lead_staff)
    # session, user, his agencies with their counts, the reports they owe (progress), and his own and his groups'
    # permissions (the header's menu)
    with django_assert_num_queries(6):
        assert client.get("/agencies/mine/").status_code == 200
    for agency in Agency.objects.filter(region=cast.plan.region).exclude(pk__in=[cast.lead.pk, cast.cooperating.pk])[
        :10
    ]:
        agency.members.add(cast.lead_staff)
    with django_assert_num_queries(6):
        soup = get_page(client, "/agencies/mine/")
    assert len(soup.select("#my-agencies a")) == 12


# --- Behind a proxy, and many user names from one address ----------------------------------------------------------


def attempt(username, password=PASSWORD, **meta):
    """A sign-in from a new browser; `meta` is what the request's headers and peer say (REMOTE_ADDR, …)."""
    return Client().post("/accounts/login/", {"username": username, "password": password}, **meta)


def test_behind_a_proxy_the_lockout_is_for_the_client_not_the_proxy(cast, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    with_password(cast.lead_staff)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("lead-staff", password="wrong", HTTP_X_FORWARDED_FOR="6.6.6.6", **proxy)
    assert attempt("lead-staff", password="wrong", HTTP_X_FORWARDED_FOR="6.6.6.6", **proxy).status_code == 429
    # The real user comes through the same proxy from another address, and is let in.
    assert attempt("lead-staff", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"6.6.6.6"}


def test_an_address_the_client_made_up_is_not_trusted(cast, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    attempt("lead-staff", password="wrong", HTTP_X_FORWARDED_FOR="1.1.1.1, 6.6.6.6", REMOTE_ADDR="10.0.0.2")
    attempt("lead-staff", password="wrong", HTTP_X_FORWARDED_FOR="not-an-address", REMOTE_ADDR="10.0.0.2")
    assert sorted(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["10.0.0.2", "6.6.6.6"]


def test_many_user_names_from_one_address_stop_that_address_only(cast, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    with_password(cast.lead_staff)
    for n in range(6):
        assert attempt(f"guess-{n}", password="wrong", REMOTE_ADDR="6.6.6.6").status_code == 200
    refused = attempt("lead-staff", REMOTE_ADDR="6.6.6.6")
    assert refused.status_code == 429 and "address-locked" in refused.content.decode()
    assert attempt("lead-staff", REMOTE_ADDR="203.0.113.7").status_code == 302


@pytest.mark.parametrize("name", ["a" * 256, "a\x00b"])
def test_a_user_name_no_account_can_have_is_refused_not_a_server_error(name):
    response = attempt(name, password="wrong")
    assert response.status_code == 200
    assert "_auth_user_id" not in response.wsgi_request.session
    assert all(len(n) <= 150 and "\x00" not in n for n in AccessAttempt.objects.values_list("username", flat=True))


# The server set-up the README documents, run as written: config.production behind nginx (BEHIND_TLS_PROXY=1 and
# nothing about proxy counts), every request arriving from the proxy on loopback with the client in X-Forwarded-For.
PROXIED_SIGN_INS = """
import json
import django
django.setup()
from django.conf import settings
# Static files are not collected here; how their names are found has nothing to do with signing in.
plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
settings.STORAGES = {**settings.STORAGES, "staticfiles": plain}
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

call_command("migrate", verbosity=0)
get_user_model().objects.create_user("lead-staff", password="碳达峰责任分工-2026-春")

def attempt(client_address, username, password):
    response = Client().post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_HOST="plans.example.gov.cn",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_X_FORWARDED_FOR=client_address,
    )
    return response.status_code

sprayed = [attempt("6.6.6.6", f"guess-{n}", "wrong") for n in range(6)]
print(json.dumps({
    "sprayed": sprayed,
    "attacker_again": attempt("6.6.6.6", "lead-staff", "碳达峰责任分工-2026-春"),
    "real_user": attempt("203.0.113.7", "lead-staff", "碳达峰责任分工-2026-春"),
}))
"""


def test_the_documented_proxy_deployment_locks_out_the_attacker_not_everyone(tmp_path):
    env = production_env(
        BEHIND_TLS_PROXY="1",
        AXES_ADDRESS_FAILURE_LIMIT="5",  # fewer wrong passwords than the default 30, the same rule
        DATABASE_URL=f"sqlite:///{tmp_path / 'proxied.sqlite3'}",
    )
    env.pop("TRUSTED_PROXY_COUNT", None)
    result = subprocess.run(
        [sys.executable, "-c", PROXIED_SIGN_INS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stdout + result.stderr
    statuses = json.loads(result.stdout.strip().splitlines()[-1])
    assert statuses["sprayed"][:5] == [200] * 5  # the form again, with its error
    assert statuses["attacker_again"] == 429  # the spraying address may not try again
    assert statuses["real_user"] == 302  # another client behind the same proxy signs in
