"""Keeping a rendered fragment: the part of a page that costs the queries and the rendering, shared by every
reader until the data version moves (fragments.versions).

A fragment must depend only on the data and on the parts of its key: never on the user (what he may do is
rendered outside it, or is a part of the key) and never on a CSRF token.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.safestring import SafeString, mark_safe

from . import versions

_UNREAD = object()
# This process's reads of kept fragments since it started: /healthz shows them (the hit rate a deployment sizes its
# cache by). Counted here, not in the cache, so that counting costs no round trip to a shared one.
STATS = {"hits": 0, "misses": 0}


def stats() -> dict:
    """Hits, misses and the hit rate (%, None before the first read) of this process."""
    reads = STATS["hits"] + STATS["misses"]
    return {**STATS, "hit_rate": round(100 * STATS["hits"] / reads, 1) if reads else None}


def data_version(request, scope: str | None = None, task: int | None = None) -> tuple | None:
    """The versions this request reads at (the data version and its scope's, see versions.current), taken once,
    before its first fragment reads any data."""
    version = getattr(request, "_data_version", _UNREAD)
    if version is _UNREAD:
        version = versions.current(scope=scope, task=task) if settings.FRAGMENTS_KEPT else None
        request._data_version = version
    return version


def reads_kept_fragments(view=None, *, plan: str | None = None, task: str | None = None, agencies: bool = False):
    """Take the versions before the view reads anything, so that no fragment is kept under newer ones: the data
    version and the scope's, named by the URL's argument `plan` (a plan's pages) or `task` (a task's, by its plan),
    or the agencies' (an agency's 任务清单)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if plan:
                version = data_version(request, scope=versions.plan_scope(kwargs[plan]))
            elif task:
                version = data_version(request, task=kwargs[task])
            else:
                version = data_version(request, scope=versions.AGENCIES if agencies else None)
            etag = _etag(request, version)
            if etag and etag in request.headers.get("If-None-Match", ""):
                unchanged = HttpResponseNotModified()
                unchanged["ETag"] = etag
                return unchanged
            response = view(request, *args, **kwargs)
            if etag and response.status_code == 200:
                response["ETag"] = etag
                patch_cache_control(response, private=True, no_cache=True)  # ask again each time: 304 or the page
            return response

        return wrapper

    return decorate(view) if view is not None else decorate


def _etag(request, version: tuple | None) -> str | None:
    """The page's entity tag for a reader who is not signed in: the page is then the URL's at these versions and
    nothing else (a signed-in user's page also shows notes and 督办, which move no version), so a browser that
    has it gets 304 until a write moves them."""
    if version is None or request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return None
    seen = f"{version[0]}.{version[1]}:{request.get_full_path()}:{getattr(request, 'LANGUAGE_CODE', '')}"
    return f'W/"{hashlib.blake2b(seen.encode(), digest_size=12).hexdigest()}"'


def kept(request, name: str, parts: tuple, render: Callable[[], str | dict]) -> SafeString | dict:
    """The fragment `name` for `parts` at the request's data version: from the cache, or rendered and kept.

    `render` gives HTML, or a dict of HTML strings and plain values (several fragments built from one read), or
    anything else that pickles (kept as it is: an API answer's status and bytes).
    """
    version = data_version(request)
    if version is None:
        return _safe(render())
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    key = f"fragment:{name}:{version[0]}.{version[1]}:{digest}"
    cache = caches[settings.FRAGMENTS_CACHE]
    rendered = cache.get(key)
    if rendered is None:
        STATS["misses"] += 1
        rendered = render()
        cache.set(key, rendered)
    else:
        STATS["hits"] += 1
    return _safe(rendered)


def _safe(rendered):
    # Our own templates' output, kept as they rendered it (escaped there).
    if isinstance(rendered, dict):
        return {name: mark_safe(value) if isinstance(value, str) else value for name, value in rendered.items()}  # noqa: S308
    return mark_safe(rendered) if isinstance(rendered, str) else rendered  # noqa: S308
