"""Matching a read round sheet to the agency's reports of the round, proposing what it would write, applying it.

Nothing is written until `apply` runs, in one transaction, on an import the user confirmed; it re-reads the
stored workbook and refuses if any report changed since the preview, so nobody's work is overwritten. Each
report is written through progress.writing.reports (as a draft, or submitted when the user asks).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db import transaction

from lib import naming
from lib.spreadsheets.problems import Problem
from progress.models import Report, ReportImport
from progress.spreadsheets.round_sheet import RoundSheet, read_round_sheet
from progress.writing import reports as reporting

STATUS_BY_LABEL = {label: value for value, label in Report.Status.choices}
FIELD_LABELS = {
    "status": "进展状态",
    "percent": "完成进度",
    "progress": "进展情况",
    "problems": "存在问题",
    "next_steps": "下步计划",
}
TEXT_LIMIT = 5000


@dataclass(frozen=True)
class Entry:
    """What the sheet writes into one report, with the report's version when it was read."""

    report_id: int
    version: int
    row: int
    task_title: str
    status: str
    percent: int | None
    progress: str
    problems: str
    next_steps: str
    changed: tuple[str, ...]

    def data(self) -> reporting.ReportInput:
        return reporting.ReportInput(self.status, self.percent, self.progress, self.problems, self.next_steps)

    @property
    def changed_labels(self) -> str:
        return "、".join(FIELD_LABELS[name] for name in self.changed)

    @property
    def status_label(self) -> str:
        """推进中, not in_progress: the status as the sheet and the pages write it."""
        return Report.Status(self.status).label if self.status else ""


@dataclass
class Proposal:
    entries: list[Entry]
    problems: list[Problem]
    sheet: str


def _percent(text: str) -> int | None | str:
    if not text:
        return None
    cleaned = text.rstrip("%％").strip()
    try:
        number = float(cleaned)
    except ValueError:
        return f"完成进度“{text}”不是数字：请填写 0 到 100 的整数。"
    if 0 < number <= 1 and "." in cleaned:
        number *= 100  # Excel shows 0.5 as 50% when the cell is formatted as a percentage
    if not number.is_integer() or not 0 <= number <= 100:
        return f"完成进度“{text}”应为 0 到 100 的整数。"
    return int(number)


def propose(round, agency, sheet: RoundSheet) -> Proposal:
    reports = list(Report.objects.filter(round=round, agency=agency).select_related("task"))
    by_ref = {r.task.ref: r for r in reports}
    by_title: dict[str, list[Report]] = {}
    for report in reports:
        by_title.setdefault(naming.normalise(report.task.title), []).append(report)
    problems = list(sheet.problems)
    entries: list[Entry] = []
    seen: dict[int, int] = {}
    for item in sheet.entries:
        anchor = item.cells["title"]
        report = by_ref.get(item.ref) if item.ref else None
        if report is None:
            found = by_title.get(naming.normalise(item.title), [])
            if len(found) == 1:
                report = found[0]
            else:
                what = f"任务代码“{item.ref}”" if item.ref and not item.title else f"“{item.title or item.ref}”"
                problems.append(Problem(anchor, f"{what}不是本单位在“{round.name}”需要报送的任务。"))
                continue
        if report.pk in seen:
            problems.append(Problem(anchor, f"与第 {seen[report.pk]} 行是同一项任务。"))
            continue
        seen[report.pk] = item.row
        row_ok = True
        status_text = item.values.get("status", "")
        status = STATUS_BY_LABEL.get(status_text, "") if status_text else report.status
        if status_text and not status:
            problems.append(
                Problem(
                    item.cells["status"], f"进展状态“{status_text}”无效：请填写 {'、'.join(STATUS_BY_LABEL)} 之一。"
                )
            )
            row_ok = False
        percent = _percent(item.values["percent"]) if "percent" in item.values else report.percent
        if isinstance(percent, str):
            problems.append(Problem(item.cells["percent"], percent))
            row_ok = False
        texts = {}
        for name in ("progress", "problems", "next_steps"):
            texts[name] = item.values[name] if name in item.values else getattr(report, name)
            if len(texts[name]) > TEXT_LIMIT:
                problems.append(Problem(item.cells[name], f"{FIELD_LABELS[name]}超过 {TEXT_LIMIT} 字。"))
                row_ok = False
        if not row_ok:
            continue
        new = {"status": status, "percent": percent, **texts}
        changed = tuple(name for name, value in new.items() if getattr(report, name) != value)
        if not changed:
            continue
        if not report.is_open:
            problems.append(
                Problem(
                    anchor,
                    f"这项任务的报告{report.get_state_display()}，不能再通过导入修改；如需修改，请等方案管理员退回。",
                )
            )
            continue
        entries.append(Entry(report.pk, report.version, item.row, report.task.heading, changed=changed, **new))
    return Proposal(entries, problems, sheet.sheet)


def read_and_propose(round, agency, data: bytes) -> Proposal:
    return propose(round, agency, read_round_sheet(data))


class StaleImport(Exception):
    """The reports changed between the preview and the confirmation, or cannot take what the sheet says."""


@transaction.atomic
def apply(record: ReportImport, user, *, submit: bool = False) -> list[Entry]:
    """Write the confirmed import's entries, all or nothing: as drafts, or submitted when `submit`."""
    if record.locked_status() != ReportImport.Status.PENDING:
        raise StaleImport("这次导入已经处理过了。")
    proposal = read_and_propose(record.round, record.agency, bytes(record.workbook))
    if proposal.problems or [asdict(e) for e in proposal.entries] != [_stored(row) for row in record.rows]:
        raise StaleImport("这些报告在预览之后已有改动，为免覆盖，请重新上传该文件。")
    if submit:
        unready = [e for e in proposal.entries if not e.status]
        if unready:
            rows = "、".join(str(e.row) for e in unready)
            raise StaleImport(f"第 {rows} 行没有进展状态，不能报送；可以先保存为草稿。")
    reports = Report.objects.in_bulk([e.report_id for e in proposal.entries])
    reason = f"导入进展报送表“{record.file_name}”"
    try:
        for entry in proposal.entries:
            reporting.save(
                reports[entry.report_id], user, entry.data(), submit=submit, version=entry.version, reason=reason
            )
    except reporting.ReportError as error:
        raise StaleImport(str(error)) from error
    record.mark_applied(user)
    return proposal.entries


def _stored(row: dict) -> dict:
    """A stored entry as asdict() gives it (JSON turned the tuple into a list)."""
    return {**row, "changed": tuple(row["changed"])}
