"""Loading many plan files with several processes, as a first provincial or national load wants.

Each worker is a fork of the command's process with its own database connection; it reads, parses and stores whole
plans, each in its own transaction, exactly as one process would. Plans of one region can name the same new
agency: when two workers create it at once, PostgreSQL lets one commit and refuses the other (a unique name, or a
deadlock between their row locks). Such a plan changed nothing, and it is loaded again at the end, alone, when it
finds the agency the other made. SQLite lets one writer in at a time, so there the workers only parse side by side.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from django.db import IntegrityError, OperationalError, connections

T = TypeVar("T")


class _Clashed:
    """A worker's answer for a plan another worker's commit got in the way of."""


def ingest_files(
    paths: Iterable[Path],
    jobs: int,
    ingest: Callable[[Path], T],
    failed: Callable[[Path, Exception], T] | None = None,
) -> Iterator[tuple[Path, T]]:
    """(path, ingest(path)) for each path, in the order given (those loaded again at the end last); `jobs`
    processes at once when more than one.

    `ingest` is a module-level function (or a partial of one) whose answer pickles: it runs in the workers. A file
    whose ingest raises is answered failed(path, error) when `failed` is given, and the other files go on: one bad
    file, whatever went wrong with it, never stops a batch. Without `failed` the error stops the batch.
    """
    paths = list(paths)
    if jobs <= 1 or len(paths) <= 1:
        yield from ((path, _alone(ingest, failed, path)) for path in paths)
        return
    clashed = []
    # The workers inherit this process's memory, never its connections: each opens its own.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(min(jobs, len(paths)), initializer=connections.close_all) as pool:
        for path, answer in zip(paths, pool.imap(_Worker(ingest, failed), paths), strict=True):
            if isinstance(answer, _Clashed):
                clashed.append(path)
            else:
                yield path, answer
    for path in clashed:
        yield path, _alone(ingest, failed, path)


def _alone(ingest: Callable[[Path], T], failed: Callable[[Path, Exception], T] | None, path: Path) -> T:
    if failed is None:
        return ingest(path)
    try:
        return ingest(path)
    except Exception as error:  # any failure is this file's; the batch goes on
        return failed(path, error)


class _Worker:
    def __init__(self, ingest: Callable[[Path], T], failed: Callable[[Path, Exception], T] | None):
        self.ingest = ingest
        self.failed = failed

    def __call__(self, path: Path):
        try:
            return self.ingest(path)
        except (IntegrityError, OperationalError):
            # Rolled back: the plan is tried again alone once the other workers have finished (and, if it fails
            # alone too, answered failed there).
            return _Clashed()
        except Exception as error:
            if self.failed is None:
                raise
            return self.failed(path, error)
