"""Plans through the web: what an uploaded file would store (a dry run), and storing it once a person confirms.

What a person corrects in the preview (the region, the title, the lead rule, the agencies the text would create)
is kept on the upload by the functions here, and both the preview and the confirmation read it from there.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from agencies.duplicates import likely_same
from agencies.models import Agency
from lib import naming

from ..models import PlanUpload
from ..stamps import ingest_stamp
from .loader import ingest_bytes
from .results import IngestResult, NewAgency

# Existing agencies offered for each new name in the preview.
SUGGESTIONS = 5
# How long a preview is kept when nothing changes (an administrator reads it, corrects it, comes back).
PREVIEW_SECONDS = 3600


class StaleChoices(Exception):
    """The conflicts changed since the administrator chose; nothing was stored."""


def preview_upload(upload: PlanUpload) -> IngestResult:
    """What confirming the upload would do, with every manual change kept; the database is left as it was.

    A dry run stores the whole plan and rolls it back (seconds for a plan of thousands of tasks), so its result is
    kept in the cache for as long as neither the upload's corrections nor the data it read have changed
    (plans.stamps); a view of the preview page, or a correction posted and shown again, then costs one query.
    The confirmation never uses it: it stores the plan afresh under the plan's lock.
    """
    key = _preview_key(upload)
    result = cache.get(key)
    if result is None:
        result = ingest_bytes(
            bytes(upload.data),
            upload.file_name,
            dry_run=True,
            lead_convention=upload.lead_convention,
            readable=upload.readable(),
            **_corrections(upload),
        )
        cache.set(key, result, PREVIEW_SECONDS)
    return result


def _preview_key(upload: PlanUpload) -> str:
    state = (
        upload.pk,
        upload.created_at.isoformat() if upload.created_at else "",
        upload.checksum,
        upload.converted is not None,
        upload.lead_convention,
        upload.region_id,
        upload.title,
        upload.state,
        sorted((name, entry["id"]) for name, entry in upload.agency_mapping.items()),
        ingest_stamp(),
    )
    return "upload-preview:" + hashlib.sha256(repr(state).encode()).hexdigest()


def apply_upload(upload: PlanUpload, user, choices: dict[str, str]) -> IngestResult:
    """Store an uploaded plan with the administrator's choices, all or nothing.

    Raises StaleChoices, storing nothing, when a conflict or kept task needs a choice the form did
    not carry (the plan changed since the preview), or an agency a name was mapped onto is gone.
    """
    with transaction.atomic():
        status = upload.locked_status()
        if status != PlanUpload.Status.PENDING:
            raise StaleChoices(f"“{upload.file_name}”{PlanUpload.Status(status).label}，没有再次导入。")
        result = ingest_bytes(
            bytes(upload.data),
            upload.file_name,
            lead_convention=upload.lead_convention,
            choices=choices,
            user=user,
            readable=upload.readable(),
            **_corrections(upload),
        )
        if result.decision_keys - set(choices):
            raise StaleChoices("方案在预览之后有改动，需要处理的冲突已不同。请重新核对后再确认。")
        if result.unmapped:
            names = "、".join(f"“{name}”" for name in result.unmapped)
            raise StaleChoices(f"{names}所对应的已有单位已不存在（可能已被合并）。请在预览中重新选择后再确认。")
        upload.resolutions = _resolutions(result, choices)
        upload.agency_mapping = {new.name: _mapping_entry(new.agency, new=new.created) for new in result.new_agencies}
        upload.plan = result.plan
        upload.mark_applied(user, "resolutions", "agency_mapping", "plan")
    return result


def choose_region(upload: PlanUpload, region) -> bool:
    """Keep the region a person chose for a pending upload; the preview and the confirmation use it.

    Agencies mapped under the old region belong to it: the names are read in the new one, so the mapping goes
    (True when there was one).
    """
    dropped = bool(upload.agency_mapping) and region != upload.region
    upload.region = region
    if dropped:
        upload.agency_mapping = {}
    upload.save(update_fields=["region", "agency_mapping"])
    return dropped


def correct_upload(
    upload: PlanUpload, *, title: str, lead_convention: str, agency_mapping: dict, state: str = ""
) -> list[str]:
    """Keep what a person corrected in the preview of a pending upload; what changed, as labels (none: nothing).

    `title` is blank for the text's own; `agency_mapping` is {written name: agency} for the names mapped onto
    existing agencies, the others to be created.
    """
    mapping = {name: _mapping_entry(agency) for name, agency in agency_mapping.items()}
    wanted = {"title": title, "lead_convention": lead_convention, "agency_mapping": mapping, "state": state}
    labels = {"title": "标题", "lead_convention": "牵头认定规则", "agency_mapping": "单位对应", "state": "方案状态"}
    changed = [field for field, value in wanted.items() if getattr(upload, field) != value]
    for field in changed:
        setattr(upload, field, wanted[field])
    if changed:
        upload.save(update_fields=changed)
    return [labels[field] for field in changed]


@dataclass
class AgencyRow:
    """A name the text would make a new agency of, with the existing agencies of its region it may mean."""

    new: NewAgency
    suggestions: list[Agency]
    region_agencies: list[Agency]
    stale: bool = False  # a person mapped it onto an agency that is gone

    @property
    def key(self) -> str:
        """The name's field in the correction form: the same in every preview, whatever characters it has."""
        return "agency-" + hashlib.sha1(self.new.name.encode()).hexdigest()[:10]

    @property
    def mapped_to(self) -> Agency | None:
        return None if self.new.created else self.new.agency

    def find(self, text: str) -> Agency | None:
        """The agency of the region with this name, full name or alias."""
        name = naming.normalise(text)
        for agency in self.region_agencies:
            if name in (agency.name, agency.full_name) or any(a.name == name for a in agency.aliases.all()):
                return agency
        return None


def agency_rows(result: IngestResult) -> list[AgencyRow]:
    """The preview's new names, each with the agencies of its region, likeliest first. Two queries."""
    regions = {new.region.pk for new in result.new_agencies}
    by_region: dict[int, list[Agency]] = defaultdict(list)
    if regions:
        agencies = Agency.objects.filter(region_id__in=regions).select_related("region").prefetch_related("aliases")
        for agency in agencies.order_by("sort_key", "name"):
            by_region[agency.region_id].append(agency)
    rows = []
    for new in result.new_agencies:
        # A rolled-back agency of a dry run is not among them; a mapped one is offered first.
        suggested = likely_same(new.name, by_region[new.region.pk], SUGGESTIONS)
        if not new.created:
            suggested = [new.agency, *(a for a in suggested if a.pk != new.agency.pk)]
        rows.append(AgencyRow(new, suggested, by_region[new.region.pk], stale=new.name in result.unmapped))
    return rows


def _corrections(upload: PlanUpload) -> dict:
    """What a person corrected on the upload, as the loader takes it; his region wins over what the text implies."""
    corrections = {
        "title": upload.title,
        "agency_mapping": {n: e["id"] for n, e in upload.agency_mapping.items()},
        "state": upload.state,
    }
    if upload.region_id:
        corrections |= {"region": upload.region, "region_chosen_by": "上传人选定"}
    return corrections


def _mapping_entry(agency: Agency, new: bool = False) -> dict:
    """An agency as the upload keeps it: the id to use, and the name to show even after it is merged away."""
    return {"id": agency.pk, "name": agency.full_name, "new": new}


def _resolutions(result: IngestResult, choices: dict[str, str]) -> dict:
    """The choices as stored on the upload, each with what it was about, so the record reads on its own."""
    stored = {}
    for c in result.conflicts:
        stored[c.key] = {
            "choice": choices[c.key],
            "task": c.task_ref,
            "agency": c.agency_name,
            "text": c.text_label,
            "manual": c.manual_label,
        }
    for t in result.kept_tasks:
        stored[t.key] = {"choice": choices[t.key], "task": t.ref, "heading": t.heading}
    return stored
