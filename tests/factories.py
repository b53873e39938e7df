"""Synthetic plan texts and small helpers shared by the database tests.

Synthetic plans name their own districts (长沙市天心区, 株洲市荷塘区) so they never
collide with the five seeds in fixtures/plans/.
"""

from pathlib import Path

from agencies.models import Agency, AgencyAlias, Region
from plans.models import AppendixRow, AppendixUnit, Duty, IngestWarning, KeyProject, Plan, Section, Target, Task

SEED_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "plans"
SEED_FILES = sorted(SEED_DIR.glob("*.txt"))

# Every table an ingest writes to; comparing these before and after shows whether it changed anything.
INGESTED_MODELS = (
    Plan,
    Section,
    Task,
    Duty,
    Agency,
    AgencyAlias,
    Target,
    AppendixRow,
    AppendixUnit,
    KeyProject,
    IngestWarning,
)

# A small district plan: a stated lead, a joint clause, and an alias (区发改局) of a unit named in full.
TIANXIN_PLAN = """\
长沙市天心区碳达峰实施方案

一、总体要求
坚持系统观念，统筹发展和减排。

二、主要目标
到2025年，非化石能源消费比重达到22%左右。

三、重点任务
（一）推进能源绿色低碳转型
1.大力发展新能源。加快分布式光伏建设。（区发展和改革局牵头，区住房和城乡建设局、区自然资源局按职责分工负责）
2.严格控制煤炭消费。推动煤电节能降碳改造。（区发展和改革局、区工业和信息化局按职责分工负责）
（二）推进节能降碳增效
3.全面提升节能管理能力。推行用能预算管理。（区工业和信息化局牵头，区发改局、区财政局按职责分工负责）
"""

# No clause names a lead: the units are jointly responsible unless the plan reads the first as lead.
HETANG_JOINT_PLAN = """\
株洲市荷塘区碳达峰实施方案

一、主要目标
到2025年，单位地区生产总值能耗比2020年下降14%。

二、重点任务
（一）推进能源绿色低碳转型
1.大力发展可再生能源。推进屋顶光伏建设。（区发展和改革局、区住房和城乡建设局、区自然资源局按职责分工负责）
2.加快构建新型电力系统。建设坚强智能电网。（区发展和改革局、国网株洲供电公司按职责分工负责）
"""


def model_counts() -> dict[str, int]:
    """Rows in every table an ingest touches, by model name."""
    return {model.__name__: model.objects.count() for model in INGESTED_MODELS}


def seed_plan(prefix: str) -> Plan:
    """The seeded plan whose file name starts with `prefix` (000 … 004)."""
    return Plan.objects.select_related("region").get(source_name__startswith=prefix)


def region(full_name: str) -> Region:
    return Region.objects.get(full_name=full_name)


def duty_rows(plan: Plan) -> list[tuple[str, str, str, bool, str, str]]:
    """(task ref, agency, role, inferred, as written, source) of every duty of a plan, in outline order."""
    return list(
        Duty.objects.filter(task__plan=plan)
        .order_by("task__position", "position", "agency__name")
        .values_list("task__ref", "agency__name", "role", "inferred", "as_written", "source")
    )
