"""Measure how long the Excel 任务清单 export of a long list takes, and how much memory it needs.

Needs no database: it builds --rows rows of plain data (TaskListRow, what the
view makes from an agency's duties) with text as long as real plans have, and
writes them with plans.spreadsheets.export.task_list.export, the code the download runs:

    .venv/bin/python scripts/bench_export.py [--rows 50000] [--repeat 3]

Prints the time to build the rows, the export time (median, min and max of
--repeat runs), the file size, the peak memory Python allocated during one
export beyond the rows themselves (tracemalloc), and the process's peak
resident size (ru_maxrss), all as numbers.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plans.spreadsheets.export.task_list import TaskListRow, export  # noqa: E402  (after the path is set)

AGENCY = "株洲市石峰区发展和改革局"
PLANS = ("株洲市石峰区碳达峰实施方案", "株洲市碳达峰实施方案", "湘潭市碳达峰实施方案")
SECTIONS = (
    "（一）推进能源结构低碳转型",
    "（二）推进节能降碳增效",
    "（三）推动工业领域碳达峰",
    "（四）推进城乡建设绿色低碳",
)
TITLES = (
    "大力发展新能源",
    "严格控制煤炭消费",
    "全面提升节能管理能力",
    "推进建筑用能结构优化",
    "加快绿色交通基础设施建设",
)
UNITS = (
    "区发展和改革局",
    "区工业和信息化局",
    "区住房和城乡建设局",
    "区自然资源局",
    "区财政局",
    "区交通运输局",
    "生态环境石峰分局",
    "国网株洲供电公司",
)
ROLES = ("牵头", "配合", "共同负责", "牵头（推定）")
# About the length of a task in the seed plans (150–400 characters).
SENTENCE = "推动煤电节能降碳改造、灵活性改造、供热改造“三改联动”，加快分布式光伏建设，提升可再生能源消纳能力。"


def build_rows(count: int) -> list[TaskListRow]:
    rows = []
    for i in range(count):
        role = ROLES[i % len(ROLES)]
        units = UNITS[i % 3 : i % 3 + 2 + i % 4]
        rows.append(
            TaskListRow(
                plan=PLANS[i % len(PLANS)],
                section=SECTIONS[i % len(SECTIONS)],
                task=f"{i % 9 + 1}. {TITLES[i % len(TITLES)]}",
                body=SENTENCE * (2 + i % 4) + f"（第{i + 1}项）",
                role=role,
                leads=units[:1] if role != "共同负责" else (),
                cooperating=units[1:] if role != "共同负责" else (),
                joint=units if role == "共同负责" else (),
                targets=tuple(f"到{2025 + 5 * k}年：非化石能源消费比重达到{20 + k}%左右" for k in range(i % 3)),
            )
        )
    return rows


def mib(size: float) -> str:
    return f"{size / 1024 / 1024:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    day = date(2026, 11, 21)

    tracemalloc.start()
    start = time.perf_counter()
    rows = build_rows(args.rows)
    build_seconds = time.perf_counter() - start
    rows_bytes = tracemalloc.get_traced_memory()[0]
    # One traced export: tracing slows Python down, so its time is not the one reported.
    tracemalloc.reset_peak()
    export(AGENCY, rows, exported_on=day)
    export_peak = tracemalloc.get_traced_memory()[1] - rows_bytes
    tracemalloc.stop()

    times, size = [], 0
    for _ in range(args.repeat):
        start = time.perf_counter()
        size = len(export(AGENCY, rows, exported_on=day))
        times.append(time.perf_counter() - start)

    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    print(f"rows                      {args.rows}")
    print(f"build rows s              {build_seconds:.2f}")
    print(f"rows in memory MiB        {mib(rows_bytes)}")
    median = statistics.median(times)
    print(f"export s (median of {args.repeat})    {median:.2f}  (min {min(times):.2f}, max {max(times):.2f})")
    print(f"rows per second           {args.rows / median:.0f}")
    print(f"file MiB                  {mib(size)}")
    print(f"export peak MiB           {mib(export_peak)}  (tracemalloc, beyond the rows)")
    print(f"process peak RSS MiB      {mib(rss)}  (ru_maxrss)")


if __name__ == "__main__":
    main()
