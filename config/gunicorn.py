"""gunicorn's settings for production and `make serve`: gunicorn -c config/gunicorn.py config.wsgi

Each can be changed from the environment (below) or on the command line, which wins over this file.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Synchronous workers, two a core and one more (gunicorn's advice): one request per worker at a time, and
# a worker waiting for PostgreSQL leaves its core to another. More cores or machines: see README, Deployment.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Loaded once in the master and forked: less memory, faster restarts. Django opens no connection at import.
preload_app = True
# The longest request is a large Excel export (50,000 rows in about 10 s).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# A worker is replaced after this many requests, so a slow leak never grows for long.
max_requests = 5000
max_requests_jitter = 500
# No control socket: its default path is one per user, so a second server on the machine (another site, a
# benchmark, CI) would take it over. Workers are managed with signals (README, Deployment).
control_socket_disable = True
# The worker heartbeat in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# One line per request and per event, on standard output; Django's own log lines go there too.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
# The proxy in front (README, Deployment) may set X-Forwarded-For and X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server):
    """In the master, with the app loaded and before the workers fork: do once what each worker would do on its
    first requests (the URL patterns, the Chinese translations, every template compiled), then put those
    objects and the app's (some 300,000) out of the garbage collector's sight, so that the collections a
    request's allocations trigger in a worker do not walk them every time. Nothing here opens a connection
    to the database, which must not be shared across the fork."""
    import gc
    from pathlib import Path

    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 (imports the views and compiles the patterns)
    translation.activate(settings.LANGUAGE_CODE)
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(folder).rglob("*.html")):
            get_template(str(path.relative_to(folder)))
    translation.deactivate()
    gc.freeze()
