"""The 督办 settings read the environment and refuse bad values with the variable's name."""

import re
import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[2]


def start_up(monkeypatch, **env) -> dict:
    for name, value in {"DEBUG": "1", **env}.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "config" / "settings.py"))


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on"),
        ({"PROGRESS_REMINDER_PERIOD": "year"}, "PROGRESS_REMINDER_PERIOD='year'"),
    ],
)
def test_bad_mail_and_reminder_settings_stop_start_up(monkeypatch, env, message):
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        start_up(monkeypatch, **env)


def test_mail_goes_to_the_console_in_development_and_smtp_is_configured_from_the_environment(monkeypatch):
    assert start_up(monkeypatch)["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    settings = start_up(
        monkeypatch,
        DEBUG="0",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="example.org",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="465",
        EMAIL_USE_SSL="1",
        MEDIA_ROOT="/srv/media",
    )
    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (settings["EMAIL_HOST"], settings["EMAIL_PORT"], settings["EMAIL_USE_SSL"]) == (
        "smtp.example.org",
        465,
        True,
    )
    assert str(settings["MEDIA_ROOT"]) == "/srv/media"
