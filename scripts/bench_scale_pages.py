"""The pages scripts/bench_scale.py measures, their query counts in-process, and the printed table."""

from __future__ import annotations

import math
from dataclasses import dataclass

EDITOR = "bench-admin"
HISTORY_EDITS = {1: 5, 2: 20}  # changes in the typical task's 变更记录 after each stage


@dataclass(frozen=True)
class Url:
    label: str  # stable across stages and runs
    path: str
    kind: str = "page"  # page, api, export, health
    signed_in: bool = False
    kept: bool = False  # keeps fragments (fragments.kept): measured kept and built in full


def objects() -> dict:
    """The objects the pages show: the typical plan, task and agency, the big plan and agency (bench_scale_data)."""
    from bench_scale_texts import BIG_AGENCY, BIG_PROVINCE

    from agencies.models import Agency, Region
    from plans.models import Plan

    big_agency = Agency.objects.get(region__level=Region.Level.PROVINCE, region__name=BIG_PROVINCE, name=BIG_AGENCY)
    plans = Plan.objects.only("id", "region_id")
    typical = plans.exclude(region=big_agency.region_id).order_by("pk").first()
    region = Region.objects.select_related("parent").get(pk=typical.region_id)
    return {
        "plan": typical.pk,
        "task": typical.tasks.order_by("position").values_list("pk", flat=True).first(),
        "agency": Agency.objects.filter(region=region).order_by("pk").values_list("pk", flat=True).first(),
        "region": region.code,
        "city": region.parent.code,
        "province": big_agency.region.code,
        "big_plan": plans.get(region=big_agency.region_id).pk,
        "big_agency": big_agency.pk,
    }


def urls() -> list[Url]:
    o = objects()
    typical_duties = f"/agencies/{o['agency']}/"
    big_duties = f"/agencies/{o['big_agency']}/"
    return [
        Url("/", "/"),
        Url("/?region=<province>", f"/?region={o['province']}"),
        Url("/?region=<city>&year=2023", f"/?region={o['city']}&year=2023"),
        Url("/search/?q=fgj", "/search/?q=fgj"),
        Url("/search/?q=光伏", "/search/?q=%E5%85%89%E4%BC%8F"),
        Url("/agencies/", "/agencies/"),
        Url("/agencies/?region=<county>", f"/agencies/?region={o['region']}"),
        Url("/agencies/?q=fgj", "/agencies/?q=fgj"),
        Url("/agencies/<typical>/", typical_duties, kept=True),
        Url("/agencies/<big>/", big_duties, kept=True),
        Url("/agencies/<big>/?page=60", f"{big_duties}?page=60", kept=True),
        Url("/agencies/<big>/?role=lead&sort=-task", f"{big_duties}?role=lead&sort=-task", kept=True),
        Url("/plans/<typical>/", f"/plans/{o['plan']}/", kept=True),
        Url("/plans/<typical>/matrix/", f"/plans/{o['plan']}/matrix/", kept=True),
        Url("/plans/<big>/", f"/plans/{o['big_plan']}/", kept=True),
        Url("/plans/<big>/matrix/", f"/plans/{o['big_plan']}/matrix/", kept=True),
        Url("/tasks/<typical>/", f"/tasks/{o['task']}/", kept=True),
        Url("/tasks/<typical>/ (signed in)", f"/tasks/{o['task']}/", signed_in=True, kept=True),
        Url("/tasks/<typical>/edit/", f"/tasks/{o['task']}/edit/", signed_in=True),
        Url("/agencies/<typical>/history/", f"{typical_duties}history/", signed_in=True),
        Url("/agencies/autocomplete/?q=fgj", f"/agencies/autocomplete/?q=fgj&plan={o['plan']}", signed_in=True),
        Url("/api/plans/", "/api/plans/", "api"),
        Url("/api/plans/<typical>/", f"/api/plans/{o['plan']}/", "api", kept=True),
        Url("/api/plans/<big>/", f"/api/plans/{o['big_plan']}/", "api", kept=True),
        Url("/api/agencies/<typical>/duties/", f"/api/agencies/{o['agency']}/duties/", "api"),
        Url("/api/agencies/<big>/duties/", f"/api/agencies/{o['big_agency']}/duties/", "api"),
        Url("/healthz", "/healthz", "health"),
        Url("/agencies/<typical>/export.xlsx", f"{typical_duties}export.xlsx", "export"),
        Url("/agencies/<big>/export.xlsx", f"{big_duties}export.xlsx", "export"),
        Url("/plans/<big>/division.xlsx", f"/plans/{o['big_plan']}/division.xlsx", "export"),
        Url("/plans/<big>/matrix.xlsx", f"/plans/{o['big_plan']}/matrix.xlsx", "export"),
    ]


def editor():
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=EDITOR).first()
    return user or get_user_model().objects.create_superuser(EDITOR, "bench@example.com", password=None)


def grow_history(stage: int) -> None:
    """More changes in the typical task's 变更记录, through the edit service, so its pages grow with the data."""
    from bench_pages import grow_history as edit

    from plans.models import Task

    task = Task.objects.get(pk=objects()["task"])
    done = HISTORY_EDITS.get(stage - 1, 0)
    edit(task, editor(), edits=HISTORY_EDITS[stage] - done)


def analyse() -> None:
    """Fresh planner statistics and visibility map, as autovacuum keeps them on a server that has settled."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def count_queries(pages: list[Url]) -> dict[str, int | None]:
    """SQL queries of one request to each page (None if it does not answer 200), through django.test.Client.

    A page that keeps fragments is counted twice: built in full (labelled BUILT), as the first visit after a
    change builds it, and then from its kept fragments, as every later visit until the next change reads it.
    """
    from django.test import override_settings

    counts = {}
    with override_settings(FRAGMENTS_KEPT=False):
        built = _count([url for url in pages if url.kept])
    counts.update({built_label(label): n for label, n in built.items()})
    counts.update(_count(pages))
    return counts


BUILT = " (built)"


def built_label(label: str) -> str:
    return label + BUILT


def _count(pages: list[Url]) -> dict[str, int | None]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    anonymous, signed_in = Client(), Client()
    signed_in.force_login(editor())
    counts = {}
    for url in pages:
        client = signed_in if url.signed_in else anonymous
        client.get(url.path)  # a first request fills the caches a server keeps between requests
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url.path)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
        counts[url.label] = len(captured) if response.status_code == 200 else None
    return counts


def session_cookie() -> str:
    """A signed-in session for the editor, as the sign-in page would make it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    user = editor()
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def describe_data() -> str:
    from agencies.models import Agency, AgencyAlias
    from plans.models import Duty, Plan, Task

    o = objects()
    return (
        f"data: {Plan.objects.count():,} plans, {Task.objects.count():,} tasks, {Duty.objects.count():,} duties, "
        f"{Agency.objects.count():,} agencies, {AgencyAlias.objects.count():,} aliases; "
        f"<big> plan {Task.objects.filter(plan=o['big_plan']).count():,} tasks, "
        f"<big> agency {Duty.objects.filter(agency=o['big_agency']).count():,} duties, "
        f"<typical> plan {Task.objects.filter(plan=o['plan']).count()} tasks, "
        f"<typical> agency {Duty.objects.filter(agency=o['agency']).count()} duties"
    )


def print_table(pages: list[Url], counts: dict, results: dict) -> bool:
    """The table; True if any page answered anything but 200.

    app ms and db ms: CPU milliseconds per request of gunicorn's workers and of PostgreSQL, measured from /proc
    around each page's run; on a machine shared with other work they say what the latencies cannot.
    """
    print()
    print(
        f"{'page':<44} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'KiB':>8} "
        f"{'app ms':>7} {'db ms':>6}  note"
    )
    failed = False
    labels = [label for url in pages for label in ((url.label, built_label(url.label)) if url.kept else (url.label,))]
    for label in labels:
        r = results.get(label)
        if r is None:
            continue
        note = "" if r.ok else f"statuses {r.statuses} {r.errors[:1]}"
        if label.endswith(".xlsx"):
            note = f"{r.clients} clients " + note
        failed |= not r.ok
        queries = counts.get(label)
        print(
            f"{label:<44} {queries if queries is not None else '—':>7} {fmt(r.percentile(50)):>8} "
            f"{fmt(r.percentile(95)):>8} {fmt(r.per_second):>7} {r.size / 1024:>8.1f} "
            f"{fmt(r.cpu_ms(r.app_cpu_s)):>7} {fmt(r.cpu_ms(r.db_cpu_s)):>6}  {note}".rstrip()
        )
    return failed


def fmt(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.1f}" if value < 1000 else f"{value:,.0f}"


def report_query_counts(counts: dict[int, dict]) -> bool:
    """Print the pages whose query count differs between the stages; True if any does."""
    changed = [
        f"QUERY COUNT CHANGED with the data: {label}: {counts[1][label]} → {counts[2][label]}"
        for label in counts[2]
        if counts[1].get(label) != counts[2][label]
    ]
    print("\n".join(changed) or f"query counts the same at 60 and 3,000 plans for all {len(counts[2])} pages")
    return bool(changed)
