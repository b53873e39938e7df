"""What `manage.py ingest_plans` prints for one file, made where the file is loaded (in a worker process when
several load at once), so that only plain text travels back to the command."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from agencies.models import Region

from ..parsing import PlanFormatError
from .files import ingest_file
from .regions import RegionQuestion
from .results import IngestResult

logger = logging.getLogger(__name__)


@dataclass
class FileReport:
    status: str = ""  # created | updated | unchanged; empty when the file was refused
    failure: str = ""  # the refusal, for the command's closing summary
    lines: list[tuple[str, str, str]] = field(default_factory=list)  # (stdout | stderr, style or "", text)

    def say(self, text: str, style: str = "") -> None:
        self.lines.append(("stdout", style, text))


def report_file(
    path: Path, *, dry_run: bool, lead_convention: str | None, region: Region | None, verbosity: int
) -> FileReport:
    """Load one file and say what happened to it, or why it was refused."""
    report = FileReport()
    try:
        result = ingest_file(path, dry_run=dry_run, lead_convention=lead_convention, region=region)
    except RegionQuestion as question:
        report.failure = str(question)
        report.lines.append(("stderr", "ERROR", _question(question)))
        return report
    except PlanFormatError as exc:
        report.failure = str(exc)
        report.lines.append(("stderr", "ERROR", f"拒绝导入 {exc}"))
        return report
    report.status = result.status
    verb = {"created": "新建", "updated": "更新", "unchanged": "未变化"}[result.status]
    prefix = "[dry-run] " if dry_run else ""
    report.say(
        f"{prefix}{result.source_name}: {verb} 《{result.plan}》 任务 {result.tasks}，职责 {result.duties}，"
        f"新建单位 {len(result.agencies_created)}，提示 {len(result.warnings)}"
    )
    if result.status == "updated" and result.changes:
        c = result.changes
        report.say(
            f"  变更：任务新增 {c.tasks_added}、修改 {c.tasks_changed}、删除 {c.tasks_removed}；"
            f"职责新增 {c.duties_added}、修改 {c.duties_changed}、删除 {c.duties_removed}"
        )
    if result.region_source and result.status != "unchanged":
        report.say(f"  行政区：{result.plan.region}（依据：{result.region_source}）")
    if verbosity >= 2:
        for name in result.agencies_created:
            report.say(f"  新建单位：{name}")
    # An unchanged plan's warnings were listed when it was stored; the count is enough now.
    for warning in result.warnings if result.status != "unchanged" else []:
        # A PDF's page and line, a Word paragraph: where the user finds it in his file.
        where = warning.where or (f"第{warning.line}行" if warning.line else "")
        where = f"{where} " if where else ""
        report.say(f"  提示[{warning.code.value}] {where}{warning.message}")
    _decisions(report, result)
    return report


def failed_file(path: Path, error: Exception) -> FileReport:
    """A file whose loading broke in a way no refusal foresaw: said with its name, logged with the traceback, and
    the batch goes on (the command exits non-zero at the end). Nothing of it was stored: its transaction rolled
    back."""
    logger.error("导入 %s 时出错", path, exc_info=error)
    reason = f"{type(error).__name__}: {error}".strip()
    report = FileReport(failure=f"{path.name}：导入时出错（{reason}），该文件未导入")
    report.lines.append(("stderr", "ERROR", f"导入失败 {report.failure}；其余文件继续导入，详情见日志"))
    return report


def _question(question: RegionQuestion) -> str:
    """What to do when the text does not settle the region: the candidates and the option that chooses."""
    lines = [f"未导入 {question}"]
    example = question.candidates[0].code if question.candidates else "430204"
    for region in question.candidates:
        lines.append(f"  候选：{region.full_name}（--region {region.code}）")
    lines.append(f"  请加 --region 指定行政区（名称或代码）后重新导入该文件，如 --region {example}")
    return "\n".join(lines)


def _decisions(report: FileReport, result: IngestResult) -> None:
    """Conflicts with manual changes and kept tasks: the command always keeps the manual side."""
    for c in result.conflicts:
        where = f"第{c.line}行 " if c.line else ""
        report.say(
            f"  冲突 {result.source_name} {where}任务 {c.task_ref}「{c.task_heading}」{c.agency_name}："
            f"{c.text_label}，{c.manual_label}；已保留人工修改",
            "WARNING",
        )
    for t in result.kept_tasks:
        report.say(
            f"  保留任务 {result.source_name} 原第{t.line}行 任务 {t.ref}「{t.heading}」："
            f"新文本中已无此任务，因{'、'.join(t.reasons)}而保留",
            "WARNING",
        )
