"""Plan files on disk: which files a path names, and reading one for the loader."""

from __future__ import annotations

from pathlib import Path

from agencies.models import Region

from ..parsing import PlanFormatError
from ..parsing.readers import REFUSED, sniff, too_large
from .loader import ingest_bytes
from .results import IngestResult

# A folder's text files are plans only by these names: a README.md or a .csv beside the plans is not one.
TEXT_SUFFIXES = {".txt", ".text", ""}


def plan_files(paths: list[str | Path]) -> tuple[list[Path], list[Path]]:
    """The plan files named, and the folders' files skipped for their content (a picture, a workbook).

    A folder gives every file in it, in name order, that its content shows to be a document (Word, PDF,
    web page …) whatever its name, and its .txt files; other text files (README.md) are left alone. A
    file named is always taken, so one that cannot be read is refused with the reason."""
    files: list[Path] = []
    skipped: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")):
                kind = _kind(child)
                if kind in REFUSED:
                    skipped.append(child)
                elif kind != "text" or child.suffix.lower() in TEXT_SUFFIXES:
                    files.append(child)
        elif path.is_file():
            files.append(path)
        else:
            raise PlanFormatError(str(path), "文件或文件夹不存在；请检查路径是否写对")
    return files, skipped


def _kind(path: Path) -> str:
    try:
        if too_large(path.stat().st_size, path.name):
            return "too large"  # taken, so that the ingest refuses it with the limit
        return sniff(path.read_bytes(), path.name)
    except OSError:
        return "unreadable"  # taken, so that the ingest says why it cannot be read


def ingest_file(
    path: Path, *, dry_run: bool = False, lead_convention: str | None = None, region: Region | None = None
) -> IngestResult:
    try:
        if error := too_large(path.stat().st_size, path.name):
            raise error  # before reading a byte of it
        data = path.read_bytes()
    except OSError as exc:
        raise PlanFormatError(path.name, "无法读取文件（没有读取权限，或文件正被其他程序占用）；请检查后重试") from exc
    return ingest_bytes(
        data,
        path.name,
        dry_run=dry_run,
        lead_convention=lead_convention,
        region=region,
        region_chosen_by="--region 指定",
    )
