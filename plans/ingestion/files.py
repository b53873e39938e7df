"""Plan files on disk: which files a path names, and reading one for the loader."""

from __future__ import annotations

from pathlib import Path

from agencies.models import Region

from ..parsing import PlanFormatError
from .loader import ingest_bytes
from .results import IngestResult

PLAN_SUFFIXES = {".txt", ".text"}


def plan_files(paths: list[str | Path]) -> list[Path]:
    """The plan files named, folders expanded to their .txt files in name order."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in PLAN_SUFFIXES)
        elif path.is_file():
            files.append(path)
        else:
            raise PlanFormatError(str(path), "文件不存在（no such file or folder）")
    return files


def ingest_file(
    path: Path, *, dry_run: bool = False, lead_convention: str | None = None, region: Region | None = None
) -> IngestResult:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlanFormatError(path.name, f"无法读取文件（cannot read the file: {exc.strerror}）") from exc
    return ingest_bytes(
        data,
        path.name,
        dry_run=dry_run,
        lead_convention=lead_convention,
        region=region,
        region_chosen_by="--region 指定",
    )
