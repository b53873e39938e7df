"""Settings for the responsibility-matrix app.

Everything that differs between a laptop and a server comes from the
environment (or a `.env` file beside manage.py). Bad values stop start-up with
a message naming the variable instead of running with a silent default.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_flag(name: str, default: bool) -> bool:
    """Read a boolean, refusing anything that is not clearly yes or no."""
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off.")


DEBUG = env_flag("DEBUG", default=False)

# A fixed key is acceptable only for local development; production must set one.
_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "django_tables2",
    "simple_history",
    "config.apps.AxesConfig",
    "django_tasks",
    "config.apps.TasksDatabaseConfig",
    "accounts",
    # Rendered fragments of the busiest pages kept until the data changes; before the apps that render them.
    "fragments",
    "agencies",
    "plans",
    # 督办 (deadlines, progress reports, reminders): built on plans, which never imports it.
    "progress",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # No NUL or other control characters in query-string and form values: PostgreSQL refuses them.
    "lib.middleware.CleanInputMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: decides whether an anonymous visitor may read (ANONYMOUS_READ).
    "accounts.middleware.AnonymousReadMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change in the history tables.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # `roles`: what the user is (administrator, signed in); templates ask this, not permissions.
                "accounts.context_processors.roles",
                # `site_name`: what the site calls itself (SITE_NAME).
                "config.context_processors.site",
            ],
        },
    },
]

# What the site calls itself: the header, page titles, the admin, e-mails and the workbooks it writes. It reads any
# 实施方案, 分工方案, 工作要点 or 任务清单, so the default names what it does; a deployment names it for its office.
SITE_NAME = env.str("SITE_NAME", default="任务分工与督办")
SITE_SUBTITLE = env.str("SITE_SUBTITLE", default="各级实施方案、分工方案、工作要点的任务与责任单位")

# Our table template: the library's own markup with Chinese pagination and a scroll wrapper for phones.
DJANGO_TABLES2_TEMPLATE = "includes/table.html"

WSGI_APPLICATION = "config.wsgi.application"

# An agency's page is its 任务清单, which the plans app serves: agencies itself knows nothing of plans.
ABSOLUTE_URL_OVERRIDES = {
    "agencies.agency": lambda agency: reverse("plans:agency-duties", args=[agency.pk]),
}

# SQLite beside the code by default; PostgreSQL (or anything else Django
# supports) through DATABASE_URL, e.g. postgres://user:pass@127.0.0.1:5432/plans
_database_url = env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
_scheme = _database_url.split("://", 1)[0] if "://" in _database_url else ""
# django-environ accepts unknown schemes and leaves Django to fail later with a vaguer message.
if _scheme not in environ.Env.DB_SCHEMES:
    raise ImproperlyConfigured(
        f"DATABASE_URL is not usable: scheme {_scheme!r} is not one of postgres://, postgresql://, sqlite:///, ..."
    )
DATABASES = {"default": env.db_url_config(_database_url)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serving a web site: readers do not wait for writers (WAL), a writer waits its turn instead of
    # failing with "database is locked" (timeout, seconds), and every transaction takes the write lock when it
    # begins (IMMEDIATE), so two writers never both read and then both try to write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env.int("SQLITE_TIMEOUT", default=20),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# Seconds a connection is kept for the next request (0: one per request). config/production.py keeps them;
# each is checked before reuse, so a restarted database costs one failed check, not an error page.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Behind a pooler in transaction mode (PgBouncer) a server-side cursor cannot outlive its transaction.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_flag("DISABLE_SERVER_SIDE_CURSORS", default=False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler pays off on long analytical queries; on this app's short ones it cost up to
    # 0.3 s a request at national scale, compiling queries that then ran in milliseconds.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()

# Fragments of the plan page and matrix, the duty list, the task page and the plan API's answers are kept in this
# cache, keyed by a data version that every committed write moves (fragments.versions). Each process keeps its own
# (LocMemCache): a gunicorn worker renders a fragment once per version. FRAGMENTS_KEPT=0 renders every page in full.
FRAGMENTS_KEPT = env_flag("FRAGMENTS_KEPT", default=True)
FRAGMENTS_CACHE = "fragments"
# One cache for every worker of a deployment when FRAGMENTS_REDIS_URL names a Redis server (redis://host:6379/1):
# a page one worker built serves all of them, and Redis's own memory limit (maxmemory, allkeys-lru) sizes it.
# Without it, as under `make run`, each worker keeps its own in memory.
FRAGMENTS_REDIS_URL = env.str("FRAGMENTS_REDIS_URL", default="")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    FRAGMENTS_CACHE: (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": FRAGMENTS_REDIS_URL,
            "KEY_PREFIX": "plans",
            "TIMEOUT": env.int("FRAGMENTS_TIMEOUT", default=3600),
        }
        if FRAGMENTS_REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "fragments",
            # A page of 100 tasks is up to 150 KiB: 500 of them at most 75 MiB a worker, usually far less.
            "TIMEOUT": env.int("FRAGMENTS_TIMEOUT", default=3600),
            "OPTIONS": {"MAX_ENTRIES": env.int("FRAGMENTS_MAX_ENTRIES", default=500)},
        }
    ),
}

# --- Accounts ---------------------------------------------------------------------------------------------------

LOGIN_URL = "login"
# "我的任务": agency staff land on their own agency's duty list, everyone else on the home page.
LOGIN_REDIRECT_URL = "plans:mine"
LOGOUT_REDIRECT_URL = "plans:home"

# Whether visitors who have not signed in may read plans, duty lists and exports. On for the
# seed demo; config/production.py turns it off unless ANONYMOUS_READ=1 is set there.
ANONYMOUS_READ = env_flag("ANONYMOUS_READ", default=True)

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out user is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Lockout (django-axes): five wrong passwords for one user name from one address lock that
# pair for an hour; an administrator can lift it early with `manage.py axes_reset_username`.
# Converting a .doc/.wps upload (LibreOffice) runs as a task: `manage.py db_worker` runs the queue stored in
# the database. TASKS_IMMEDIATE=1 runs each task inside the request instead (no worker; the upload then waits).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_flag("TASKS_IMMEDIATE", default=False)
            else "django_tasks_db.DatabaseBackend"
        )
    }
}
# LibreOffice's program, found on PATH by default; a path that does not exist means .doc/.wps are refused.
SOFFICE = env.str("SOFFICE", default="soffice")

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# What an attempt records as the user name: never longer than a user name can be, never with a NUL in it.
AXES_USERNAME_CALLABLE = "accounts.requests.username"
# Behind a reverse proxy, the client's address is the one the proxy appended to X-Forwarded-For; set this to the
# number of proxies in front of the app (each appending the address it received from). 0: use the peer address.
# config.production makes it 1 when BEHIND_TLS_PROXY is set, unless this says otherwise.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.requests.client_ip"
# Password spraying: wrong passwords from one address for many user names. Past this many in the cool-off
# period, that address may not try again until it ends (accounts.views.LoginView), whatever the user name.
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=30)

SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# dumpdata --natural-foreign keeps working after agencies are merged (history rows keep the ids of agencies gone).
SERIALIZATION_MODULES = {"json": "lib.serializers"}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# Chinese for the admin pages of third-party apps that ship none (locale/zh_Hans, made by `make messages`).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

# Files people upload (progress report attachments), through Django's storage. The app serves them itself,
# to signed-in users only: never let the web server publish MEDIA_ROOT.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = env.str("MEDIA_URL", default="/media/")

# --- E-mail (督办 reminders and 催办) -----------------------------------------------------------------------------
# The console in development (each message printed where runserver runs); SMTP from the environment otherwise.
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_flag("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on; choose one.")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"{SITE_NAME} <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where links in e-mails point: the address people open the site at.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- 督办 --------------------------------------------------------------------------------------------------------
# 临期: a deadline or a report due within this many days.
PROGRESS_DUE_SOON_DAYS = env.int("PROGRESS_DUE_SOON_DAYS", default=14)
# Largest attachment of a progress report, in MB.
PROGRESS_ATTACHMENT_MAX_MB = env.int("PROGRESS_ATTACHMENT_MAX_MB", default=20)
# The same reminder goes to the same person at most once in this period: day, week or month.
PROGRESS_REMINDER_PERIOD = env.str("PROGRESS_REMINDER_PERIOD", default="week")
if PROGRESS_REMINDER_PERIOD not in {"day", "week", "month"}:
    raise ImproperlyConfigured(f"PROGRESS_REMINDER_PERIOD={PROGRESS_REMINDER_PERIOD!r}: use day, week or month.")

# One line per event on standard output (config/logging.py): Django's own handlers go, so that its records reach
# the root's one handler once, runserver's request lines ("django.server") among them.
LOG_LEVEL = env.str("LOG_LEVEL", default="WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "client_errors": {"()": "config.logging.ClientErrorsWithoutTraceback"},
        "client_errors_once": {"()": "config.logging.ClientErrorsOnceUnderTheDevelopmentServer"},
    },
    "formatters": {
        "line": {"()": "config.logging.OneLineFormatter", "format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
            "filters": ["client_errors", "client_errors_once"],
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # The development server's line per request (200s are INFO); gunicorn keeps its own access log instead.
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}
