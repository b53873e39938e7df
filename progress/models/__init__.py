"""The progress app's models (督办), one module per part; all are importable from `progress.models`.

deadline.py   Deadline (完成时限), Milestone (yearly targets), Closure (办结)
rounds.py     RoundSchedule (monthly, quarterly, half-yearly), ReportingRound (e.g. 2026年第1季度)
report.py     Report (per round, task and reporting agency), Contribution (a cooperating agency's part),
              Attachment
notices.py    ReminderLog (what send_reminders sent, once per period), Chase (催办)
imports.py    ReportImport (an agency's round sheet sent back)
inbox.py      InboxItem (待办: what 督办 tells a person in the app)
instructions.py Instruction (领导批示 on a task)
orders.py     SupervisionOrder (督办通知单) and its items
"""

from progress.models.deadline import Closure, Deadline, Milestone
from progress.models.imports import ReportImport
from progress.models.inbox import InboxItem
from progress.models.instructions import Instruction
from progress.models.notices import Chase, ReminderLog
from progress.models.orders import SupervisionOrder, SupervisionOrderItem
from progress.models.report import OPEN_STATES, SUBMITTED_STATES, Attachment, Contribution, Report
from progress.models.rounds import ReportingRound, RoundSchedule

__all__ = [
    "OPEN_STATES",
    "SUBMITTED_STATES",
    "Attachment",
    "Chase",
    "Closure",
    "Contribution",
    "Deadline",
    "InboxItem",
    "Instruction",
    "Milestone",
    "ReminderLog",
    "Report",
    "ReportImport",
    "ReportingRound",
    "RoundSchedule",
    "SupervisionOrder",
    "SupervisionOrderItem",
]
