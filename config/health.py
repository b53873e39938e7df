"""/healthz: whether this server can answer, for load balancers, systemd and uptime checks."""

import logging
import os

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from fragments import kept

logger = logging.getLogger(__name__)


@login_not_required  # answers whether or not the site is open to anonymous readers
@never_cache
@require_GET
def healthz(request):
    """200 when the database answers a query, 503 when it does not. One query; no session, no template. Also this
    worker's reads of kept fragments (hits, misses, hit rate) and its process id, by which a deployment sizes its
    cache (a benchmark adds up each worker's counts)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.error("health check: the database does not answer: %s", error)
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "pid": os.getpid(), "fragments": kept.stats()})
