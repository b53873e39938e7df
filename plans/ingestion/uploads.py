"""Plans through the web: what an uploaded file would store (a dry run), and storing it once a person confirms."""

from __future__ import annotations

from django.db import transaction

from ..models import PlanUpload
from .loader import ingest_bytes
from .results import IngestResult


class StaleChoices(Exception):
    """The conflicts changed since the administrator chose; nothing was stored."""


def preview_upload(upload: PlanUpload) -> IngestResult:
    """What confirming the upload would do, with every manual change kept; the database is left as it was."""
    return ingest_bytes(
        bytes(upload.data),
        upload.file_name,
        dry_run=True,
        lead_convention=upload.lead_convention,
        readable=upload.readable(),
        **_region(upload),
    )


def apply_upload(upload: PlanUpload, user, choices: dict[str, str]) -> IngestResult:
    """Store an uploaded plan with the administrator's choices, all or nothing.

    Raises StaleChoices, storing nothing, when a conflict or kept task needs a choice the form did
    not carry (the plan changed since the preview).
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
            **_region(upload),
        )
        if result.decision_keys - set(choices):
            raise StaleChoices("方案在预览之后有改动，需要处理的冲突已不同。请重新核对后再确认。")
        upload.resolutions = _resolutions(result, choices)
        upload.plan = result.plan
        upload.mark_applied(user, "resolutions", "plan")
    return result


def choose_region(upload: PlanUpload, region) -> None:
    """Keep the region a person chose for a pending upload; the preview and the confirmation use it."""
    upload.region = region
    upload.save(update_fields=["region"])


def _region(upload: PlanUpload) -> dict:
    """The region a person chose for the upload, if he did: it wins over what the text implies."""
    return {"region": upload.region, "region_chosen_by": "上传人选定"} if upload.region_id else {}


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
