"""Settings read the environment and refuse bad values with the variable's name."""

import re
import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def start_up(monkeypatch):
    """Run config/settings.py afresh in this process with the environment given, as start-up does; its names."""

    def run(**env) -> dict:
        for name in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(ROOT / "config" / "settings.py"))

    return run


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DEBUG": "0", "ALLOWED_HOSTS": "example.org"}, "SECRET_KEY must be set"),
        ({"DEBUG": "0", "SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS must be set"),
        ({"DEBUG": "1", "DATABASE_URL": "nosuchdb://nowhere/x"}, "DATABASE_URL is not usable"),
    ],
)
def test_bad_settings_stop_start_up_with_a_message_naming_the_variable(start_up, env, message):
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        start_up(**env)


def test_debug_on_starts_without_a_secret_key_for_local_development(start_up):
    settings = start_up(DEBUG="1")
    assert settings["DEBUG"] is True
    assert settings["SECRET_KEY"]


def test_the_interface_is_chinese_and_times_are_china_time(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
