"""Hostile plan files and 分工表 workbooks through the readers: what each costs to read, and what becomes of it.

    .venv/bin/python scripts/hostile_files.py            # the table of every file (make hostile-files)
    .venv/bin/python scripts/hostile_files.py --json NAME  # one file, as JSON (what the tests run)

Each file is made in memory (tests/reliability/hostile_files.py, hostile_workbooks.py) and read in a fresh
process as the loader reads it: plain text in the process, the other formats in the bounded child process
(plans.parsing.readers.sandbox), a .doc/.wps converted by LibreOffice first, a workbook by the 分工表 import.
Seconds are the reading alone (not making the file); peak memory is the largest resident set of the processes
that read it (this one and its children), so it includes some 50 to 100 MB of Python and libraries.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def files() -> dict[str, tuple[str, object, str | None]]:
    """name → (file name, maker, refusal words or None when the file must be read as its plan)."""
    from tests.reliability import hostile_files, hostile_workbooks

    found = dict(hostile_files.HOSTILE) | dict(hostile_files.CONVERTED)
    for name, (make, words) in hostile_workbooks.HOSTILE.items():
        found[f"xlsx_{name}"] = (f"{name}.xlsx", make, words)
    for name, (make, words) in hostile_files.WORKBOOKS.items():
        found[name] = (f"{name}.xlsx", make, words)
    return found


def read(data: bytes, file_name: str) -> str:
    """What reading the file came to: the refusal's message, or what was read."""
    from lib.spreadsheets.reading import SpreadsheetError
    from plans.parsing import PlanFormatError, parse_plan
    from plans.parsing.readers import CONVERTED, SANDBOXED, convert, read_source, sandbox, sniff
    from plans.spreadsheets.division_import.workbook import read_division

    try:
        if file_name.endswith(".xlsx"):
            return f"读取：{len(read_division(data).rows)} 行"
        kind = sniff(data, file_name) if data.strip() else "text"
        if kind in SANDBOXED:
            converted = kind in CONVERTED
            if converted:
                data = convert(data, file_name)
            parsed = sandbox.run(file_name, data, False, converted).value
        else:
            parsed = parse_plan(read_source(data, file_name), file_name)
        return f"读取：{parsed.title}，{len(parsed.tasks)} 项任务"
    except (PlanFormatError, SpreadsheetError) as error:
        return f"拒绝：{error}"


def measure(name: str) -> dict:
    """Make the file and read it, in this process (fresh: the peaks are this file's alone)."""
    file_name, make, refusal = files()[name]
    data = make()
    started = time.perf_counter()
    outcome = read(data, file_name)
    seconds = time.perf_counter() - started
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return {
        "name": name,
        "file": file_name,
        "bytes": len(data),
        "seconds": round(seconds, 2),
        "peak_mb": round(peak / 1024),
        "outcome": outcome,
        "expected": refusal,
    }


def measure_apart(name: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--json", name], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--json", metavar="NAME", help="one file, printed as JSON")
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(args.json), ensure_ascii=False))
        return
    from plans.parsing.readers import soffice_path

    print("| file | size | outcome | seconds | peak MiB |")
    print("| --- | --- | --- | --- | --- |")
    for name, (file_name, _, _) in files().items():
        if file_name.endswith((".doc", ".wps")) and name.startswith("doc_truncated") and soffice_path() is None:
            print(f"| `{name}` ({file_name}) | | skipped: LibreOffice is not installed | | |")
            continue
        row = measure_apart(name)
        size = f"{row['bytes'] / 1024 / 1024:.1f} MB" if row["bytes"] >= 100_000 else f"{row['bytes'] / 1024:.0f} KB"
        outcome = row["outcome"].split("：", 1)
        message = outcome[1].split(": ", 1)[-1]
        for end in ("，超出读取上限", "；", "：请", "，请"):
            message = message.split(end)[0]
        shown = f"{outcome[0]}：{message}"
        print(f"| `{name}` ({file_name}) | {size} | {shown} | {row['seconds']:.2f} | {row['peak_mb']} |", flush=True)


if __name__ == "__main__":
    main()
