"""The structure the code keeps as it grows (README, Layout): which package may import which, the one writer of
manual changes, the one place that stamps history, the access helpers, and modules small enough to read."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "agencies", "plans", "progress", "fragments")
MAX_LINES = 400


def sources(*folders: str) -> list[Path]:
    return sorted(
        path for folder in folders for path in (ROOT / folder).rglob("*.py") if "migrations" not in path.parts
    )


def imported(path: Path) -> set[str]:
    """Every module a file imports, absolute, relative imports resolved against the file's package."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module
            names.add(module)
            names |= {f"{module}.{alias.name}" for alias in node.names}
    return names


def importing(paths: list[Path], prefixes: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}: {name}"
        for path in paths
        for name in sorted(imported(path))
        if name.split(".")[0] in prefixes
    ]


def test_agencies_never_imports_plans():
    assert importing(sources("agencies"), ("plans",)) == []


def test_plans_and_agencies_never_import_progress():
    # 督办 is built on plans: plans announces (plans.signals) and progress listens, never the other way.
    assert importing(sources("plans", "agencies"), ("progress",)) == []


def test_the_deadline_reader_and_the_status_rules_are_pure_python():
    pure = [
        ROOT / "progress" / "reading" / name
        for name in ("deadlines.py", "status.py", "periods.py", "charts.py", "attachments.py")
    ]
    assert importing(pure, ("django", *APPS)) == []


def test_progress_readers_never_import_its_writers():
    # reading/ answers questions (status, dashboards, ledgers); writing/ and reminding/ change rows and call it.
    assert [line for line in importing(sources("progress/reading"), ("progress",)) if ".writing" in line] == []


def test_fragments_imports_no_app():
    # Kept fragments know nothing of what they hold: the views of the apps decide what to keep and under what key.
    assert importing(sources("fragments"), APPS[:-1]) == []


def test_lib_imports_no_app():
    assert importing(sources("lib"), APPS) == []


def test_accounts_roles_import_no_app():
    # Everything builds on the roles, so they may not build on anything.
    assert importing([ROOT / "accounts" / "roles.py", ROOT / "accounts" / "access.py"], APPS[1:-1]) == []


def test_accounts_imports_no_app_not_even_for_its_admin():
    # The memberships shown on a user's admin page are the other apps' rows: each adds its own inline.
    assert importing(sources("accounts"), APPS[1:]) == []


def test_the_exports_read_the_outline_from_its_read_model_not_a_page_module():
    assert [n for n in importing(sources("plans/spreadsheets"), ("plans",)) if "plans.outline" in n] == []


# What progress may take from plans: its models, its writers (assignments, notes), its labels, its signals and the
# registry of what apps keep about tasks. Spreadsheet and upload tooling is lib's; views, pages and parsing are plans'
# own.
PLANS_FRONT_DOOR = (
    "plans.models",
    "plans.assignments",
    "plans.notes",
    "plans.labels",
    "plans.signals",
    "plans.task_records",
)


def test_progress_takes_from_plans_only_its_models_writers_labels_and_signals():
    back_doors = [
        line
        for line in importing(sources("progress"), ("plans",))
        if not line.split(": ")[1].startswith(PLANS_FRONT_DOOR) and line.split(": ")[1] != "plans"
    ]
    assert back_doors == []


def test_no_spreadsheet_module_of_plans_is_imported_by_progress():
    imported_names = [line.split(": ")[1] for line in importing(sources("progress"), ("plans",))]
    assert [name for name in imported_names if "spreadsheets" in name] == []


def test_no_two_apps_import_each_other():
    uses = {app: {name.split(": ")[1].split(".")[0] for name in importing(sources(app), APPS)} - {app} for app in APPS}
    cycles = sorted((a, b) for a in APPS for b in uses[a] if a in uses.get(b, set()) and a < b)
    assert cycles == []


def test_the_parser_is_pure_python():
    found = importing(sources("plans/parsing"), ("django", *APPS))
    assert [line for line in found if ": plans.parsing" not in line] == []


def test_no_source_module_is_over_400_lines():
    long = {
        str(path.relative_to(ROOT)): n
        for path in sources(*APPS, "lib", "config")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


# Writes of what people decide: a RemovedDuty made, changed or deleted, a duty made manual.
_REMOVAL_WRITE = re.compile(
    r"RemovedDuty\.objects[^\n]*\.(create|update_or_create|get_or_create|bulk_create|update|delete)\("
)
_MANUAL_WRITE = re.compile(r"source\s*=\s*Duty\.Source\.MANUAL(?!\))|\.source\s*=\s*Duty\.Source\.MANUAL")


@pytest.mark.parametrize("pattern", [_REMOVAL_WRITE, _MANUAL_WRITE], ids=["removal", "manual"])
def test_only_the_one_writer_writes_removals_and_manual_duties(pattern):
    writers = {
        str(path.relative_to(ROOT)) for path in sources(*APPS) if pattern.search(path.read_text(encoding="utf-8"))
    }
    assert writers <= {"plans/assignments.py"}


def test_only_a_change_stamps_history_rows():
    stamping = re.compile(r"\._(history_user|change_reason)\s*=")
    assert [
        str(path.relative_to(ROOT)) for path in sources(*APPS, "lib") if stamping.search(path.read_text("utf-8"))
    ] == ["lib/history.py"]


def test_views_load_and_authorise_through_the_access_helpers():
    # A view neither re-asks a queryset about one object nor refuses by itself: the helpers do both.
    checks = re.compile(r"\.(editable_by|annotatable_by)\([^)]*\)\.filter\(pk=|raise PermissionDenied")
    views = [*sources("plans/views"), *sources("progress/views"), ROOT / "agencies" / "views.py"]
    assert [str(p.relative_to(ROOT)) for p in views if checks.search(p.read_text("utf-8"))] == []


def test_templates_ask_roles_not_permissions():
    asking = re.compile(r"perms\.|user\.is_staff|user\.is_superuser")
    templates = sorted((ROOT / "templates").rglob("*.html"))
    assert [str(t.relative_to(ROOT)) for t in templates if asking.search(t.read_text("utf-8"))] == []
