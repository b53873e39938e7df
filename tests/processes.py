"""The project in other processes, for tests that need real commits or a real server: manage.py, a free port,
and waiting for a server to answer."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def project_env(*drop: str, **settings: str) -> dict[str, str]:
    """This environment for a child process: without the test run's settings module (and `drop`), with `settings`."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", *drop}}
    env.update(settings)
    return env


def manage(env: dict[str, str], *args: str, timeout: int = 600) -> str:
    """Run manage.py in the project; fail the test with its output unless it succeeds. Returns its stdout."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_answering(url: str, server: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    """Ask `url` until the server answers; fail with its log if it exits or takes longer than `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).close()  # noqa: S310 (our own server)
            return
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.2)
