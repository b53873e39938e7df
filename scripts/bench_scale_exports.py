"""The 50,000-row 任务清单 export three ways, for scripts/bench_scale.py: each runs in a fresh process.

* project: the download view itself (/agencies/<id>/export.xlsx) through django.test.Client, the file read
  to the end;
* django-import-export: a ModelResource with the same ten columns over the same rows (its xlsx format), as a
  Django developer would write it: related fields by lookup, the units by role from the prefetched duties,
  pages of 2,000 rows;
* openpyxl write-only: the same rows from the same queryset, appended as plain values to a write-only sheet.

The two library variants get the queryset the view used to run (plan, section and region joined, the task's
duties and targets prefetched, the plan's source text left out), so they compare the writing and not the
fetching. django-import-export is in requirements-dev.txt for this comparison only.
"""

from __future__ import annotations

import io
import resource
import time

VARIANTS = ("project", "django-import-export", "openpyxl write-only loop")


def export_agency():
    from bench_scale_texts import EXPORT_AGENCY

    from agencies.models import Agency

    agency = Agency.objects.get(name=EXPORT_AGENCY)
    return agency, agency.duties.count()


def _rss_mib() -> float:
    """This process's peak resident size. On Linux from VmHWM, which starts afresh with the process's own
    memory: ru_maxrss keeps the peak of the process it was forked from, here the benchmark itself."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _queryset(agency_id: int):
    from django.db.models import Prefetch

    from plans.models import Duty, Target

    return (
        Duty.objects.filter(agency_id=agency_id)
        .with_role_rank()
        .select_related("task__plan__region", "task__section")
        .defer("task__plan__source_text")
        .prefetch_related(
            Prefetch("task__duties", queryset=Duty.objects.select_related("agency").order_by("position")),
            Prefetch("task__targets", queryset=Target.objects.order_by("position")),
        )
        .order_by("role_rank", "task__plan__region__code", "task__plan_id", "task__position")
    )


def _units(duty, role: str) -> str:
    return "、".join(d.agency.name for d in duty.task.duties.all() if d.role == role)


def _targets(duty) -> str:
    return "\n".join(f"{t.label}：{t.text}" for t in duty.task.targets.all())


def _row(number: int, duty) -> list:
    task = duty.task
    return [
        number,
        str(task.plan),
        str(task.section),
        task.title,
        task.body,
        duty.get_role_display(),
        _units(duty, "lead"),
        _units(duty, "cooperating"),
        _units(duty, "joint"),
        _targets(duty),
    ]


def project(agency_id: int) -> int:
    from django.test import Client

    response = Client().get(f"/agencies/{agency_id}/export.xlsx")
    assert response.status_code == 200, response.status_code
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def import_export(agency_id: int) -> int:
    from import_export import fields, resources

    from plans.models import Duty

    class TaskListResource(resources.ModelResource):
        number = fields.Field(column_name="序号")
        plan = fields.Field(column_name="所属方案", attribute="task__plan")
        section = fields.Field(column_name="章节", attribute="task__section")
        task = fields.Field(column_name="重点任务", attribute="task__title")
        body = fields.Field(column_name="任务内容", attribute="task__body")
        role = fields.Field(column_name="本单位职责")
        leads = fields.Field(column_name="牵头单位")
        cooperating = fields.Field(column_name="配合单位")
        joint = fields.Field(column_name="共同负责单位")
        targets = fields.Field(column_name="目标与时限")

        class Meta:
            model = Duty
            fields = ("number", "plan", "section", "task", "body", "role", "leads", "cooperating", "joint", "targets")
            export_order = fields
            # As its documentation advises for long exports: it pages a prefetching queryset, and reads and
            # sorts the whole list again for every page (100 rows by default, eight minutes for 50,000 here).
            chunk_size = 2000

        def __init__(self):
            super().__init__()
            self.counter = 0

        def dehydrate_number(self, duty):
            self.counter += 1
            return self.counter

        def dehydrate_role(self, duty):
            return duty.get_role_display()

        def dehydrate_leads(self, duty):
            return _units(duty, "lead")

        def dehydrate_cooperating(self, duty):
            return _units(duty, "cooperating")

        def dehydrate_joint(self, duty):
            return _units(duty, "joint")

        def dehydrate_targets(self, duty):
            return _targets(duty)

    from import_export.formats.base_formats import XLSX

    dataset = TaskListResource().export(_queryset(agency_id))
    return len(XLSX().export_data(dataset))


def openpyxl_loop(agency_id: int) -> int:
    from openpyxl import Workbook

    from plans.spreadsheets.export.task_list import COLUMNS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("任务清单")
    sheet.append([column.header for column in COLUMNS])
    for number, duty in enumerate(_queryset(agency_id).iterator(chunk_size=2000), 1):
        sheet.append(_row(number, duty))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return len(buffer.getvalue())


def run_variant(variant: str, agency_id: int) -> dict:
    run = {"project": project, "django-import-export": import_export, "openpyxl write-only loop": openpyxl_loop}
    # Django and the apps loaded, one query run: what the process holds before the export starts.
    from plans.models import Duty

    Duty.objects.filter(agency_id=agency_id).exists()
    baseline = _rss_mib()
    start = time.perf_counter()
    size = run[variant](agency_id)
    return {
        "seconds": time.perf_counter() - start,
        "peak_rss_mib": _rss_mib(),
        "baseline_rss_mib": baseline,
        "bytes": size,
    }
