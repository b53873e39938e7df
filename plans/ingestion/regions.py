"""The region a plan is stored under: the one a person chose, else the one its text implies, else a question.

A plan is never refused for its region. A person's choice (ingest_plans --region, the upload preview) wins;
without one, agencies.inference reads the clues the parser found; a plan already stored under this title keeps
its region; and when nothing settles it, RegionQuestion names the candidates so the person can choose.
"""

from __future__ import annotations

from agencies.inference import RegionFinding, infer_region
from agencies.models import Region

from ..models import Plan
from ..parsing import ParsedPlan, PlanFormatError
from ..parsing.structures import WarningCode


class RegionQuestion(PlanFormatError):
    """The text does not settle the plan's region: nothing is stored until a person chooses one."""

    def __init__(self, source_name: str, finding: RegionFinding):
        self.finding = finding
        super().__init__(source_name, finding.question())

    @property
    def candidates(self) -> list[Region]:
        return self.finding.candidates


def settle_region(parsed: ParsedPlan, chosen: Region | None = None, chosen_by: str = "人工指定") -> RegionFinding:
    """The plan's region and how it was found. A region the text points to without settling it is taken with a
    region_guessed warning; raises RegionQuestion only when neither a person nor the text can say (a true tie)."""
    if chosen is not None:
        return RegionFinding(chosen, chosen_by)
    finding = infer_region(parsed.region_clues, parsed.text)
    if finding.settled and not finding.doubt:
        return finding
    stored = list(Plan.objects.filter(title=parsed.title, is_draft=parsed.is_draft).select_related("region")[:2])
    if len(stored) == 1:
        # Read again, a plan a person once placed stays where he put it.
        return RegionFinding(stored[0].region, f"已导入的同名方案（{stored[0].region_clue or '人工指定'}）")
    if finding.settled:
        others = "、".join(r.full_name for r in finding.candidates)
        also = f"；其他可能：{others}" if others else ""
        parsed.warn(
            WarningCode.REGION_GUESSED,
            f"文本未写明所属行政区，按{finding.doubt}推定为“{finding.region.full_name}”{also}，请核对",
            parsed.title_line,
        )
        return finding
    raise RegionQuestion(parsed.source_name, finding)
