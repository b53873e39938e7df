"""The random-pool benchmark on the seeds and the corpus rather than the national data set: a database of its own
(BENCH_SEEDS_DATABASE_URL, default plans_seeds on 127.0.0.1) made afresh with the five seed plans and the corpus's
plans loaded by `ingest_plans`, then `scripts/bench_random_pool.py` on it, kept fragments in each worker's memory,
with and without a writer saving every --write-every seconds (default 0.5).

    .venv/bin/python scripts/bench_pool_seeds.py [--write-every 0.5] [--seconds 30]

The database is dropped and made again each run unless it holds plans whose file this script did not load.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
FOLDERS = (ROOT / "fixtures" / "plans", ROOT / "tests" / "corpus" / "dev" / "plans")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write-every", default="0.5")
    parser.add_argument("--seconds", default="30")
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_SEEDS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/plans_seeds")
    from bench_scale import recreate

    refuse_foreign_plans(database_url, {path.name for folder in FOLDERS for path in folder.iterdir()})
    recreate(database_url, made_here="%")  # every plan's file checked by name just above
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "bench-secret-key", "DEBUG": "0"}
    env.setdefault("ALLOWED_HOSTS", "localhost")
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*manage, "ingest_plans", *map(str, FOLDERS), "--jobs", "2", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    pool = [sys.executable, "scripts/bench_random_pool.py", "--only", "cache on", "--no-search"]
    pool += ["--write-every", args.write_every, "--seconds", args.seconds]
    subprocess.run(pool, cwd=ROOT, env={**os.environ, "BENCH_SCALE_DATABASE_URL": database_url}, check=True)


def refuse_foreign_plans(database_url: str, known: set[str]) -> None:
    """Stop before dropping a database that holds a plan whose file is not one of FOLDERS'."""
    import psycopg

    try:
        with psycopg.connect(database_url) as connection:
            names = {name for (name,) in connection.execute("SELECT source_name FROM plans_plan")}
    except (psycopg.errors.UndefinedTable, psycopg.OperationalError):
        return  # no database or no tables yet
    foreign = names - known
    if foreign:
        sys.exit(f"{database_url} holds {len(foreign)} plans this benchmark did not load: not dropping it")


if __name__ == "__main__":
    main()
