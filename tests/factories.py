"""Synthetic plan texts and small helpers shared by the database tests.

Synthetic plans name their own districts (长沙市天心区, 株洲市荷塘区) so they never
collide with the five seeds in fixtures/plans/.
"""

from pathlib import Path

from django.db.models import Q

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


CHINESE_DIGITS = "零一二三四五六七八九"


def long_plan(tasks: int, region: str = "长沙市天心区", per_section: int = 10) -> str:
    """A district plan (the format of TIANXIN_PLAN) with `tasks` tasks, `per_section` to a section (at most 99).

    Section numbers run （一） to （九十九）, so up to 990 tasks at ten to a section. 区发展和改革局 leads every
    task, and 区财政局 and one more bureau cooperate.
    """
    bureaus = ("区工业和信息化局", "区住房和城乡建设局", "区自然资源局", "区交通运输局")
    lines = [
        f"{region}碳达峰实施方案",
        "",
        "一、主要目标",
        "到2025年，非化石能源消费比重达到22%左右。",
        "",
        "二、重点任务",
    ]
    for n in range(tasks):
        section, item = divmod(n, per_section)
        if item == 0:
            tens, ones = divmod(section + 1, 10)
            number = (
                (CHINESE_DIGITS[tens] if tens > 1 else "")
                + ("十" if tens else "")
                + (CHINESE_DIGITS[ones] if ones or not tens else "")
            )
            lines.append(f"（{number}）推进第{section + 1}组低碳行动")
        other = bureaus[n % len(bureaus)]
        lines.append(
            f"{item + 1}.实施第{n + 1}项行动。推动绿色低碳转型。（区发展和改革局牵头，区财政局、{other}按职责分工负责）"
        )
    return "\n".join(lines) + "\n"


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


def grow(plans: int, agencies_per_plan: int = 3, province: str = "湖南省") -> list[Plan]:
    """`plans` more small plans, one per county of `province` (then its cities) without a plan yet, written in bulk.

    Each has a part, a section, two tasks and its own `agencies_per_plan` bureaus, the first leading both tasks
    and the others cooperating: enough to fill the lists, written in a few statements however many.
    """
    from lib import naming, pinyin

    taken = Plan.objects.values_list("region_id", flat=True)
    regions = list(
        Region.objects.filter(Q(parent__parent__name=province) | Q(parent__name=province))
        .exclude(pk__in=taken)
        .order_by("-level", "code")[:plans]
    )
    assert len(regions) == plans, f"only {len(regions)} regions of {province} without a plan"
    made = Plan.objects.bulk_create(
        Plan(region=r, title=f"{r.full_name}碳达峰实施方案", source_name=f"grown_{r.code}.txt", checksum=r.code)
        for r in regions
    )
    parts = Section.objects.bulk_create(
        Section(plan=p, level=1, number="一、", title="重点任务", position=0, line=1) for p in made
    )
    sections = Section.objects.bulk_create(
        Section(plan=p, parent=part, level=2, number="（一）", title="节能降碳", position=1, line=2)
        for p, part in zip(made, parts, strict=True)
    )
    tasks = Task.objects.bulk_create(
        Task(
            plan=p,
            section=s,
            ref=f"1.1.{n}",
            number=str(n),
            title=f"任务{n}",
            body="推进节能降碳。",
            position=n,
            line=n,
        )
        for p, s in zip(made, sections, strict=True)
        for n in (1, 2)
    )
    names = [f"区第{k + 1}局" for k in range(agencies_per_plan)]
    bureaus = Agency.objects.bulk_create(
        Agency(
            region=r,
            name=name,
            full_name=naming.qualify(name, r.full_name, r.name),
            sort_key=pinyin.sort_key(name),
            initials=pinyin.initials(name),
        )
        for r in regions
        for name in names
    )
    duties = []
    for i, task in enumerate(tasks):
        own = bureaus[(i // 2) * agencies_per_plan : (i // 2 + 1) * agencies_per_plan]
        duties += [
            Duty(task=task, agency=a, role="lead" if k == 0 else "cooperating", position=k) for k, a in enumerate(own)
        ]
    Duty.objects.bulk_create(duties)
    return made
