from functools import partial

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from agencies.models import Region
from plans.ingestion.files import plan_files
from plans.ingestion.parallel import ingest_files
from plans.ingestion.reports import failed_file, report_file
from plans.ingestion.statistics import StatisticsKeeper
from plans.models import Plan
from plans.parsing import PlanFormatError


class Command(BaseCommand):
    help = (
        "读取实施方案（Word .docx/.doc、WPS、PDF、网页、纯文本；文件或文件夹），存入方案、章节、任务和职责分工。"
        " A folder gives every file in it that is readable by its content; .doc/.wps need LibreOffice."
        " Each plan is stored in its own transaction: a file that cannot be read is refused with its name and"
        " line and changes nothing, while the other files still load. Running it twice changes nothing; a"
        " changed file updates what came from its text and keeps every manual change: where the text now says"
        " otherwise than a person decided, the conflict is printed and the manual side kept (the web upload"
        " lets an administrator choose). Units are resolved"
        " relative to the plan's region (区… is the plan's district, 市… its city); written variants become"
        " aliases of one agency. Without 牵头 the listed units are jointly responsible, unless"
        " --lead-convention first_listed reads the first unit as an inferred lead. The plan's region comes from"
        " its text (issuer, 文号, title, 我区/全省); --region overrides it, and a file whose text does not settle"
        " it is skipped with the candidates named."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="方案文件或文件夹")
        parser.add_argument("--dry-run", action="store_true", help="只显示将会存入的内容，不写数据库")
        parser.add_argument(
            "--lead-convention",
            choices=Plan.LeadConvention.values,
            default=Plan.LeadConvention.STATED,
            help="未写明牵头单位时的认定规则（默认 stated：共同负责）",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="同时读取和存入的进程数（默认 1）；首次导入大量方案时可设为 CPU 核数",
        )
        parser.add_argument(
            "--region",
            help="方案所属行政区：名称（株洲市石峰区、石峰区、全国）或行政区划代码（430204），优先于从文本推断的行政区",
        )

    def handle(self, *args, paths, dry_run, lead_convention, verbosity, region=None, jobs=1, **options):
        chosen = self._region(region) if region else None
        try:
            files, skipped = plan_files(paths)
        except PlanFormatError as exc:
            raise CommandError(str(exc)) from exc
        for path in skipped:
            self.stdout.write(f"跳过 {path.name}：不是可读取的方案文件")
        if not files:
            raise CommandError(f"没有找到方案文件（no readable plan files in {', '.join(paths)}）")
        failures = []
        statistics = StatisticsKeeper()
        if jobs < 1:
            raise CommandError(f"--jobs {jobs}：进程数至少为 1")
        if connection.in_atomic_block:
            jobs = 1  # called inside a transaction (a test, a script): other processes could neither see nor join it
        reading = {"dry_run": dry_run, "lead_convention": lead_convention, "region": chosen, "verbosity": verbosity}
        load = partial(report_file, **reading)
        for _path, report in ingest_files(files, jobs, load, failed_file):
            for stream, style, line in report.lines:
                out = self.stderr if stream == "stderr" else self.stdout
                out.write(getattr(self.style, style)(line) if style else line)
            if report.failure:
                failures.append(report.failure)
            elif not dry_run:
                statistics.plan_stored(report.status)
        if failures:
            raise CommandError(f"{len(failures)} 个文件未导入：\n" + "\n".join(failures))

    def _region(self, text: str) -> Region:
        """The one region --region names, by name or code; anything else stops before a file is read."""
        found = list(Region.objects.find(text)[:11])
        if len(found) == 1:
            return found[0]
        if not found:
            raise CommandError(f"--region {text}：找不到这个行政区；请写行政区名称（如 株洲市石峰区、全国）或 6 位代码")
        listed = "、".join(f"{r.full_name}（{r.code}）" for r in found[:10])
        raise CommandError(f"--region {text}：有多个行政区符合：{listed}；请写全称或代码")
