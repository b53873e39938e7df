from django.core.management.base import BaseCommand, CommandError

from agencies.models import Region
from plans.ingestion.files import ingest_file, plan_files
from plans.ingestion.regions import RegionQuestion
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
            "--region",
            help="方案所属行政区：名称（株洲市石峰区、石峰区、全国）或行政区划代码（430204），优先于从文本推断的行政区",
        )

    def handle(self, *args, paths, dry_run, lead_convention, verbosity, region=None, **options):
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
        for path in files:
            try:
                result = ingest_file(path, dry_run=dry_run, lead_convention=lead_convention, region=chosen)
            except RegionQuestion as question:
                failures.append(str(question))
                self.stderr.write(self.style.ERROR(self._question(question)))
                continue
            except PlanFormatError as exc:
                failures.append(str(exc))
                self.stderr.write(self.style.ERROR(f"拒绝导入 {exc}"))
                continue
            verb = {"created": "新建", "updated": "更新", "unchanged": "未变化"}[result.status]
            prefix = "[dry-run] " if dry_run else ""
            self.stdout.write(
                f"{prefix}{result.source_name}: {verb} 《{result.plan}》 任务 {result.tasks}，职责 {result.duties}，"
                f"新建单位 {len(result.agencies_created)}，提示 {len(result.warnings)}"
            )
            if result.status == "updated" and result.changes:
                c = result.changes
                self.stdout.write(
                    f"  变更：任务新增 {c.tasks_added}、修改 {c.tasks_changed}、删除 {c.tasks_removed}；"
                    f"职责新增 {c.duties_added}、修改 {c.duties_changed}、删除 {c.duties_removed}"
                )
            if result.region_source and result.status != "unchanged":
                self.stdout.write(f"  行政区：{result.plan.region}（依据：{result.region_source}）")
            if verbosity >= 2:
                for name in result.agencies_created:
                    self.stdout.write(f"  新建单位：{name}")
            # An unchanged plan's warnings were listed when it was stored; the count is enough now.
            for warning in result.warnings if result.status != "unchanged" else []:
                # A PDF's page and line, a Word paragraph: where the user finds it in his file.
                where = warning.where or (f"第{warning.line}行" if warning.line else "")
                where = f"{where} " if where else ""
                self.stdout.write(f"  提示[{warning.code.value}] {where}{warning.message}")
            self._report_decisions(result)
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

    def _question(self, question: RegionQuestion) -> str:
        """What to do when the text does not settle the region: the candidates and the option that chooses."""
        lines = [f"未导入 {question}"]
        example = question.candidates[0].code if question.candidates else "430204"
        for region in question.candidates:
            lines.append(f"  候选：{region.full_name}（--region {region.code}）")
        lines.append(f"  请加 --region 指定行政区（名称或代码）后重新导入该文件，如 --region {example}")
        return "\n".join(lines)

    def _report_decisions(self, result):
        """Conflicts with manual changes and kept tasks: the command always keeps the manual side."""
        for c in result.conflicts:
            where = f"第{c.line}行 " if c.line else ""
            self.stdout.write(
                self.style.WARNING(
                    f"  冲突 {result.source_name} {where}任务 {c.task_ref}「{c.task_heading}」{c.agency_name}："
                    f"{c.text_label}，{c.manual_label}；已保留人工修改"
                )
            )
        for t in result.kept_tasks:
            self.stdout.write(
                self.style.WARNING(
                    f"  保留任务 {result.source_name} 原第{t.line}行 任务 {t.ref}「{t.heading}」："
                    f"新文本中已无此任务，因{'、'.join(t.reasons)}而保留"
                )
            )
