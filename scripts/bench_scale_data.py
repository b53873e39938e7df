"""The national data set for scripts/bench_scale.py, written straight into the database in bulk.

Not through the loader (being rewritten; saving row by row it would take longer than the measurements). Each
plan is stored as the loader stores one (source text, parts, sections, tasks with their clause, its region's
agencies with aliases, duties, targets, warnings), its task texts those of the seeds (bench_scale_texts.py).

`build(stage)` writes one stage. Stage 1 is small; stage 2 adds the rest, so a page can be measured on both
and its query count compared. The objects the benchmark looks at exist from stage 1 on and grow in stage 2:

* the typical plan: the first regular plan (a district of 湖南省), 50 tasks, and its 区发展和改革局;
* the big plan: 湖南省's own plan, 300 tasks in stage 1 and 3,000 in stage 2, ten to a section;
* the big agency: 湖南省's 省发展和改革委员会, lead on most of the big plan and named in every 湖南省 plan
  (thousands of duties);
* the export agency: 国家电网有限公司, cooperating on every third task of every regular plan (50,000 duties at
  3,000 plans), whose 任务清单 is the 50,000-row export.
"""

from __future__ import annotations

import hashlib
from datetime import date

from bench_scale_texts import (
    ALIASES,
    BATCH_PLANS,
    BIG_AGENCY,
    BIG_PLAN_TASKS,
    BIG_PROVINCE,
    BIG_SECTIONS_PER_PART,
    BIG_TASKS_PER_SECTION,
    CHINESE_NUMBERS,
    DEPARTMENTS,
    EXPORT_AGENCY,
    EXPORT_REGION,
    PLANS_IN_ALL,
    PROVINCE_DEPARTMENTS,
    SECTION_TITLES,
    SECTIONS_PER_PLAN,
    STAGE_ONE_PLANS,
    TASKS_PER_PLAN,
    chinese_number,
    prefix_for,
    regular_regions,
    seed_sources,
    task_texts,
)


class Builder:
    """Writes the data set in batches of plans, each batch a handful of bulk inserts."""

    def __init__(self):
        self.texts = task_texts()
        self.sources = seed_sources()
        self._pinyin: dict[str, tuple[str, str]] = {}

    # --- Agencies ------------------------------------------------------------------------------------------------

    def _keys(self, name: str) -> tuple[str, str]:
        from lib import pinyin

        if name not in self._pinyin:
            self._pinyin[name] = (pinyin.sort_key(name), pinyin.initials(name))
        return self._pinyin[name]

    def agency(self, region, name: str):
        from agencies.models import Agency
        from lib import naming

        sort_key, initials = self._keys(name)
        return Agency(
            region=region,
            name=name,
            kind=naming.classify(name),
            full_name=naming.qualify(name, region.full_name, region.name),
            sort_key=sort_key,
            initials=initials,
        )

    def special_agency(self, region_name: str, name: str):
        from agencies.models import Agency, Region

        region = Region.objects.get(level=Region.Level.PROVINCE, name=region_name)
        existing = Agency.objects.filter(region=region, name=name).first()
        if existing:
            return existing
        agency = self.agency(region, name)
        agency.save()
        return agency

    # --- Plans ---------------------------------------------------------------------------------------------------

    def source_text(self, region, size: int) -> str:
        written, text = self.sources[region.pk % len(self.sources)]
        text = text.replace(written, region.full_name)
        while len(text.encode()) < size:
            text += text
        return text[: size // 3]

    def plan(self, region, index: int, title: str, source_size: int):
        from plans.models import Plan

        text = self.source_text(region, source_size)
        year = 2021 + index % 4
        return Plan(
            title=title,
            region=region,
            issuer=f"{region.full_name}人民政府",
            doc_number=f"{region.name[:2]}政发〔{year}〕{index % 40 + 1}号",
            issued_on=date(year, index % 12 + 1, index % 28 + 1),
            is_draft=index % 10 == 9,
            source_name=f"scale_{region.code}.txt",
            checksum=hashlib.sha256(text.encode()).hexdigest(),
            source_text=text,
        )

    def add_regular_plans(self, regions, first_index: int, big_agency, export_agency) -> None:
        from django.db import transaction

        for start in range(0, len(regions), BATCH_PLANS):
            with transaction.atomic():
                batch = regions[start : start + BATCH_PLANS]
                self._regular_batch(batch, first_index + start, big_agency, export_agency)

    def _regular_batch(self, regions, first_index: int, big_agency, export_agency) -> None:
        from agencies.models import Agency, AgencyAlias
        from plans.models import IngestWarning, Plan, Section, Target, Task

        plans = Plan.objects.bulk_create(
            [self.plan(r, first_index + i, f"{r.full_name}碳达峰实施方案", 53_000) for i, r in enumerate(regions)]
        )
        agencies = Agency.objects.bulk_create([self.agency(r, prefix_for(r) + d) for r in regions for d in DEPARTMENTS])
        by_region = {r.pk: agencies[i * len(DEPARTMENTS) : (i + 1) * len(DEPARTMENTS)] for i, r in enumerate(regions)}
        aliases = []
        for region in regions:
            prefix = prefix_for(region)
            by_name = {a.name: a for a in by_region[region.pk]}
            for short, long in ALIASES:
                agency = by_name[prefix + long]
                aliases.append(
                    AgencyAlias(
                        agency=agency, region=region, name=prefix + short, initials=self._keys(prefix + short)[1]
                    )
                )
        AgencyAlias.objects.bulk_create(aliases)

        parts, sections = [], []
        for plan in plans:
            for n, title in enumerate(("总体要求", "主要目标", "重点任务", "保障措施")):
                body = self.texts[(plan.pk + n) % len(self.texts)].body if n != 2 else ""
                parts.append(
                    Section(
                        plan=plan,
                        level=1,
                        number=f"{CHINESE_NUMBERS[n]}、",
                        title=title,
                        body=body,
                        position=n if n < 3 else 3 + SECTIONS_PER_PLAN,
                        line=10 + n,
                    )
                )
        Section.objects.bulk_create(parts)
        tasks_part = {p.plan_id: p for p in parts if p.title == "重点任务"}
        for plan in plans:
            for s, title in enumerate(SECTION_TITLES[:SECTIONS_PER_PLAN]):
                sections.append(
                    Section(
                        plan=plan,
                        parent=tasks_part[plan.pk],
                        level=2,
                        number=f"（{CHINESE_NUMBERS[s]}）",
                        title=title,
                        position=3 + s,
                        line=20 + s,
                    )
                )
        Section.objects.bulk_create(sections)

        tasks = []
        for p, plan in enumerate(plans):
            own = sections[p * SECTIONS_PER_PLAN : (p + 1) * SECTIONS_PER_PLAN]
            for t in range(TASKS_PER_PLAN):
                section_index = t * SECTIONS_PER_PLAN // TASKS_PER_PLAN
                section = own[section_index]
                number = sum(1 for u in range(t) if u * SECTIONS_PER_PLAN // TASKS_PER_PLAN == section_index) + 1
                text = self.texts[(plan.pk * 7 + t) % len(self.texts)]
                tasks.append(
                    Task(
                        plan=plan,
                        section=section,
                        ref=f"3.{section_index + 1}.{number}",
                        number=str(number),
                        title=text.title,
                        body=text.body,
                        position=t,
                        line=30 + t,
                    )
                )
        Task.objects.bulk_create(tasks)

        duties, targets, warnings = [], [], []
        for p, plan in enumerate(plans):
            own_agencies = by_region[plan.region_id]
            in_big_province = plan.region.parent_id and self._province_name(plan.region) == BIG_PROVINCE
            for t, task in enumerate(tasks[p * TASKS_PER_PLAN : (p + 1) * TASKS_PER_PLAN]):
                units = self._units(t, own_agencies)
                if t % 3 == 0:
                    units.append((export_agency, "cooperating"))
                if in_big_province and t % 5 == 1:
                    units.append((big_agency, "cooperating"))
                duties += self._duties(task, units)
                clause = self._clause(units)
                task.clause_text = clause
                task.body = f"{task.body}（{clause}）"
                if t % 4 == 0:
                    targets.append(
                        Target(
                            plan=plan,
                            task=task,
                            label="到2025年",
                            year=2025,
                            text=f"到2025年，第{t + 1}项任务完成阶段目标",
                            position=10 + t,
                        )
                    )
            targets += [
                Target(plan=plan, label="到2025年", year=2025, text="非化石能源消费比重达到22%左右", position=0),
                Target(
                    plan=plan,
                    label="到2030年",
                    year=2030,
                    text="单位地区生产总值二氧化碳排放比2005年下降65%以上",
                    position=1,
                ),
            ]
            warnings += [
                IngestWarning(
                    plan=plan,
                    code="alias_matched",
                    message=f"“{prefix_for(plan.region)}发改局”按别名归入“{prefix_for(plan.region)}发展和改革局”",
                    line=40,
                    position=0,
                ),
                IngestWarning(plan=plan, code="unplaced_text", message="附件说明未能归入任何任务", line=90, position=1),
            ]
        Task.objects.bulk_update(tasks, ["clause_text", "body"], batch_size=1000)
        self._insert_duties(duties)
        Target.objects.bulk_create(targets)
        IngestWarning.objects.bulk_create(warnings)

    @staticmethod
    def _province_name(region) -> str:
        node = region
        while node.parent_id is not None:
            node = node.parent
        return node.name

    def _units(self, t: int, agencies) -> list[tuple[object, str]]:
        """A task's units: a lead (the 发改局 on two tasks in five) and five cooperating, or three jointly."""
        n = len(agencies)
        if t % 9 == 8:
            return [(agencies[(t + k * 3) % n], "joint") for k in range(3)]
        lead = agencies[0] if t % 5 in (0, 2) else agencies[1 + t % (n - 1)]
        others = []
        for k in range(1, n):
            candidate = agencies[(t * 3 + k * 5) % n]
            if candidate is not lead and candidate not in others:
                others.append(candidate)
            if len(others) == 5:
                break
        return [(lead, "lead")] + [(a, "cooperating") for a in others]

    @staticmethod
    def _clause(units) -> str:
        leads = [a.name for a, role in units if role == "lead"]
        others = [a.name for a, role in units if role != "lead"]
        if leads:
            return f"{'、'.join(leads)}牵头，{'、'.join(others)}按职责分工负责"
        return f"{'、'.join(others)}按职责分工负责"

    @staticmethod
    def _duties(task, units):
        from plans.models import Duty

        return [
            Duty(task=task, agency=agency, role=role, as_written=agency.name, position=position)
            for position, (agency, role) in enumerate(units)
        ]

    @staticmethod
    def _insert_duties(duties) -> None:
        from plans.models import Duty

        Duty.objects.bulk_create(duties, batch_size=5000)

    # --- The big plan --------------------------------------------------------------------------------------------

    def big_plan(self, tasks: int, big_agency):
        """湖南省's plan with `tasks` tasks (grown to that number if it exists), ten to a section."""
        from django.db import transaction

        from agencies.models import Agency
        from plans.models import Plan, Section, Task

        region = big_agency.region
        with transaction.atomic():
            plan = Plan.objects.filter(region=region).first()
            if plan is None:
                plan = self.plan(region, 0, f"{region.full_name}碳达峰实施方案", 586_000)
                plan.save()
                Agency.objects.bulk_create(
                    [self.agency(region, n) for n in PROVINCE_DEPARTMENTS if n != BIG_AGENCY],
                    ignore_conflicts=True,
                )
            agencies = [big_agency, *Agency.objects.filter(region=region).exclude(pk=big_agency.pk).order_by("pk")]
            existing = plan.tasks.count()
            sections_needed = -(-tasks // BIG_TASKS_PER_SECTION)
            parts = {s.position: s for s in plan.sections.filter(level=1)}
            subsections = list(plan.sections.filter(level=2).order_by("position"))
            new_parts = []
            for s in range(len(subsections), sections_needed):
                part_index = s // BIG_SECTIONS_PER_PART
                position = part_index * (BIG_SECTIONS_PER_PART + 1)
                if position not in parts:
                    parts[position] = Section(
                        plan=plan,
                        level=1,
                        number=f"{chinese_number(part_index + 1)}、",
                        title=f"第{part_index + 1}部分重点任务",
                        position=position,
                        line=position,
                    )
                    new_parts.append(parts[position])
            Section.objects.bulk_create(new_parts)
            new_sections = []
            for s in range(len(subsections), sections_needed):
                part_index, item = divmod(s, BIG_SECTIONS_PER_PART)
                part = parts[part_index * (BIG_SECTIONS_PER_PART + 1)]
                new_sections.append(
                    Section(
                        plan=plan,
                        parent=part,
                        level=2,
                        number=f"（{chinese_number(item + 1)}）",
                        title=f"{SECTION_TITLES[s % len(SECTION_TITLES)]}（第{s + 1}组）",
                        position=part.position + 1 + item,
                        line=part.position + 1 + item,
                    )
                )
            subsections += Section.objects.bulk_create(new_sections)
            new_tasks, duties = [], []
            for t in range(existing, tasks):
                s, item = divmod(t, BIG_TASKS_PER_SECTION)
                text = self.texts[t % len(self.texts)]
                lead = agencies[0] if t % 5 != 4 else agencies[1 + t % (len(agencies) - 1)]
                others = [agencies[1 + (t + k * 3) % (len(agencies) - 1)] for k in range(5)]
                units = [(lead, "lead")] + [(a, "cooperating") for a in dict.fromkeys(others) if a is not lead][:4]
                clause = self._clause(units)
                new_tasks.append(
                    Task(
                        plan=plan,
                        section=subsections[s],
                        ref=f"{s + 1}.{item + 1}",
                        number=str(item + 1),
                        title=text.title,
                        body=f"{text.body}（{clause}）",
                        clause_text=clause,
                        position=t,
                        line=1000 + t,
                    )
                )
                duties.append(units)
            Task.objects.bulk_create(new_tasks)
            pairs = zip(new_tasks, duties, strict=True)
            self._insert_duties([duty for task, units in pairs for duty in self._duties(task, units)])
        return plan


def build(stage: int, log=print) -> None:
    """Write stage 1 (the special objects and 60 plans) or stage 2 (the rest: 3,000 plans in all)."""
    import time

    from plans.models import Plan

    builder = Builder()
    big_agency = builder.special_agency(BIG_PROVINCE, BIG_AGENCY)
    export_agency = builder.special_agency(EXPORT_REGION, EXPORT_AGENCY)
    start = time.perf_counter()
    builder.big_plan(BIG_PLAN_TASKS[stage], big_agency)
    log(f"  big plan: {BIG_PLAN_TASKS[stage]} tasks ({time.perf_counter() - start:.0f} s)")
    regions = regular_regions()
    done = Plan.objects.exclude(region=big_agency.region).count()
    total = STAGE_ONE_PLANS if stage == 1 else PLANS_IN_ALL - 1
    todo = regions[done:total]
    for start_at in range(0, len(todo), 500):
        chunk = todo[start_at : start_at + 500]
        start = time.perf_counter()
        builder.add_regular_plans(chunk, done + start_at, big_agency, export_agency)
        log(f"  plans {done + start_at + 1}–{done + start_at + len(chunk)} ({time.perf_counter() - start:.0f} s)")
