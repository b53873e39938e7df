"""Production settings: the defaults plus what a server on the internet needs.

Use with DJANGO_SETTINGS_MODULE=config.production, served by gunicorn (config/gunicorn.py). SECRET_KEY,
ALLOWED_HOSTS and DATABASE_URL come from the environment as usual; DEBUG is always off. Static files are
collected (`manage.py collectstatic`) and served by WhiteNoise, compressed and under hashed names.
`manage.py check --deploy` is clean with these settings (a test pins that).
"""

import os

# Read before the defaults load: production never runs with DEBUG on, whatever .env says.
os.environ["DEBUG"] = "0"

from .settings import *  # noqa: E402,F403
from .settings import DATABASES, MIDDLEWARE, env, env_flag  # noqa: E402

# Static files from the app server itself: compressed copies made at collectstatic, names with a hash of the
# content so browsers may keep them for a year. Right after SecurityMiddleware, as WhiteNoise asks.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "whitenoise.middleware.WhiteNoiseMiddleware"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# A gunicorn worker keeps its database connection for ten minutes instead of opening one per request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)

# Closed to visitors who have not signed in, unless the deployment opens it on purpose.
ANONYMOUS_READ = env_flag("ANONYMOUS_READ", default=False)

# Behind HTTPS: cookies only over TLS, HSTS, and plain HTTP redirected.
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The health check answers plain HTTP too: load balancers probe the app server directly.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# A TLS-terminating proxy in front says so in this header; set it only when one does.
BEHIND_TLS_PROXY = env_flag("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind that proxy every request arrives from the proxy's own address: counted by it, thirty wrong passwords from
# anyone would lock everyone out of signing in (django-axes). So a proxy means one trusted proxy by default, and
# the client is the address it appended to X-Forwarded-For; TRUSTED_PROXY_COUNT still says how many there are.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if BEHIND_TLS_PROXY else 0)

# A closed browser ends the session on shared office computers.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
