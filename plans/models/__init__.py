"""The plans app's models, one module per part of a plan; all are importable from `plans.models`.

plan.py       Plan, Section (the outline), IngestWarning
task.py       Task, Target (dated targets)
duty.py       Duty (agency + role on a task), RemovedDuty (a person took a unit off a task)
appendix.py   AppendixRow, AppendixUnit (重点事项清单), KeyProject (重点项目清单)
notes.py      TaskNote (what an agency's staff keep on a task)
lifecycle.py  PlanStateChange (who changed a plan's state, 执行中 / 已完成 / 仅作参考)
records.py    PlanUpload and DivisionImport, on one UploadRecord base (WorkbookUpload for workbooks)
"""

from .appendix import AppendixRow, AppendixUnit, KeyProject
from .duty import Duty, RemovedDuty, attach_duty_counts, with_duty_counts
from .lifecycle import PlanStateChange
from .notes import TaskNote
from .plan import IngestWarning, Plan, Section
from .records import DivisionImport, PlanUpload, UploadRecord, WorkbookUpload
from .task import Target, Task

__all__ = [
    "AppendixRow",
    "AppendixUnit",
    "DivisionImport",
    "Duty",
    "IngestWarning",
    "KeyProject",
    "Plan",
    "PlanStateChange",
    "PlanUpload",
    "RemovedDuty",
    "Section",
    "Target",
    "Task",
    "TaskNote",
    "UploadRecord",
    "WorkbookUpload",
    "attach_duty_counts",
    "with_duty_counts",
]
