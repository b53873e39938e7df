"""What the national data set of scripts/bench_scale_data.py is made of: the names of bureaus, sections and the
special agencies, the seed plans' task texts, and the regions that get a plan."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "fixtures" / "plans"

PLANS_IN_ALL = 3000
TASKS_PER_PLAN = 50
SECTIONS_PER_PLAN = 8
BIG_PLAN_TASKS = {1: 300, 2: 3000}
BIG_TASKS_PER_SECTION = 10
BIG_SECTIONS_PER_PART = 30
STAGE_ONE_PLANS = 60
BATCH_PLANS = 100

# A district's bureaus, written relative to the district (区… / 县… / 市…). The first leads most.
DEPARTMENTS = (
    "发展和改革局",
    "工业和信息化局",
    "财政局",
    "自然资源局",
    "住房和城乡建设局",
    "交通运输局",
    "农业农村局",
    "商务局",
    "科学技术局",
    "市场监督管理局",
    "城市管理局",
    "统计局",
    "教育局",
    "机关事务服务中心",
    "应急管理局",
    "水利局",
    "林业局",
    "文化旅游广电体育局",
    "人力资源和社会保障局",
    "民政局",
    "卫生健康局",
    "司法局",
    "审计局",
    "政务服务中心",
    "委宣传部",
)
# Written forms kept as aliases of two bureaus in every region.
ALIASES = (("发改局", "发展和改革局"), ("住建局", "住房和城乡建设局"))
PROVINCE_DEPARTMENTS = (
    "省发展和改革委员会",
    "省工业和信息化厅",
    "省财政厅",
    "省自然资源厅",
    "省生态环境厅",
    "省住房和城乡建设厅",
    "省交通运输厅",
    "省农业农村厅",
    "省商务厅",
    "省科学技术厅",
    "省市场监督管理局",
    "省统计局",
    "省教育厅",
    "省机关事务管理局",
    "省应急管理厅",
    "省水利厅",
    "省林业局",
    "省能源局",
    "省国资委",
    "省地方金融监督管理局",
)
BIG_PROVINCE = "湖南省"
BIG_AGENCY = "省发展和改革委员会"
EXPORT_REGION = "北京市"
EXPORT_AGENCY = "国家电网有限公司"
SECTION_TITLES = (
    "推进能源绿色低碳转型",
    "推进节能降碳增效",
    "推动工业领域碳达峰",
    "推进城乡建设绿色低碳发展",
    "推动交通运输绿色低碳",
    "推进循环经济助力降碳",
    "推进绿色低碳科技创新",
    "巩固提升生态系统碳汇能力",
)
CHINESE_NUMBERS = "一二三四五六七八九十"


@dataclass(frozen=True)
class TaskText:
    title: str
    body: str


def task_texts() -> list[TaskText]:
    """The tasks of the five seed plans, read by the project's parser, without their duty clauses."""
    from plans.parsing.document import parse_plan

    texts = []
    for path in sorted(SEED_DIR.glob("*.txt")):
        for task in parse_plan(path.read_bytes(), path.name).tasks:
            body = task.body
            if task.clause is not None:
                body = body.replace(f"（{task.clause.text}）", "").replace(task.clause.text, "")
            if task.title and len(body) > 40:
                texts.append(TaskText(task.title[:200], body))
    return texts


def seed_sources() -> list[tuple[str, str]]:
    """(region name written in the seed, text) of each seed plan, for plausible source texts."""
    names = ("株洲市石峰区", "株洲市荷塘区", "株洲市", "长沙市开福区", "怀化市鹤城区")
    return [(names[i], p.read_text(encoding="utf-8")) for i, p in enumerate(sorted(SEED_DIR.glob("*.txt")))]


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 42 → 四十二, 300 → 三百 (1–999)."""
    if n >= 100:
        hundreds, rest = divmod(n, 100)
        tail = "" if not rest else ("零" if rest < 10 else "") + chinese_number(rest)
        return CHINESE_NUMBERS[hundreds - 1] + "百" + tail
    tens, ones = divmod(n, 10)
    digits = "零" + CHINESE_NUMBERS[:9]
    if not tens:
        return digits[ones]
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")


def regular_regions():
    """County-level regions, 湖南省's first, then cities: one plan each, the first being the typical plan."""
    from agencies.models import Region

    counties = list(Region.objects.filter(level=Region.Level.COUNTY).select_related("parent__parent"))
    cities = list(Region.objects.filter(level=Region.Level.CITY).select_related("parent"))

    def province(region):
        return region.parent.parent if region.level == Region.Level.COUNTY else region.parent

    regions = [r for r in counties + cities if province(r) is not None and r.full_name]
    regions.sort(key=lambda r: (province(r).name != BIG_PROVINCE, r.level == Region.Level.CITY, r.code))
    return regions


def prefix_for(region) -> str:
    """How the region's own bodies are written: 区发展和改革局, 县…, 市…."""
    for suffix, prefix in (("区", "区"), ("县", "县"), ("旗", "县")):
        if region.name.endswith(suffix):
            return prefix
    return "市"
