"""Reading a plan file in a child process that cannot take the caller with it: bounded CPU time, memory and time.

The readers' counters (bounds.py) refuse what they can see coming; what they cannot (a PDF's fonts and
geometry, a parser's own appetite) is held by the process: the child runs `python -m
plans.parsing.readers.sandbox` with RLIMIT_CPU and RLIMIT_AS set before it reads a byte, and the caller kills
its whole process group when it runs past WALL_SECONDS. A web worker or the task worker that asks for a file
to be read is left as it was whatever the file does; the answer (the parsed plan) comes back pickled.

Starting the child costs about 0.3 s (Python and the readers' libraries), which is why plain text, read in a
fraction of that within its bounds, is read in the caller (plans.ingestion.reading).
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import resource
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ..structures import PlanFormatError
from .bounds import CPU_SECONDS, MAX_DEPTH, MEMORY_MB, WALL_SECONDS, refuse

logger = logging.getLogger(__name__)

# The directory `plans` is in: the child imports the readers from there, whatever the caller's working directory.
ROOT = Path(__file__).resolve().parents[3]
CORE_LIMIT = (0, 0)  # a child killed for its CPU time must not leave a core file of hundreds of MB


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int = CPU_SECONDS
    memory_mb: int = MEMORY_MB
    wall_seconds: float = WALL_SECONDS


@dataclass
class Answer:
    """What the child returned, and what reading cost it (peak resident memory; None when it was killed)."""

    value: object
    seconds: float
    peak_mb: float | None


def read_plan_file(data: bytes, name: str, first_listed_leads: bool, converted: bool):
    """Read and parse a plan file (run in the child): a ParsedPlan, or PlanFormatError naming the file."""
    from .. import parse_plan  # the parser is above the readers; only the child needs both at once
    from . import read_converted, read_source

    source = read_converted(data, name) if converted else read_source(data, name)
    return parse_plan(source, name, first_listed_leads=first_listed_leads)


def run(name: str, data: bytes, *args, limits: Limits = Limits()) -> Answer:
    """read_plan_file(data, name, *args) in a child process within `limits`.

    Raises PlanFormatError naming the file when the reader refuses it, or when reading runs past a limit of
    the process (the message names the limit).
    """
    started = time.perf_counter()
    payload = pickle.dumps((data, name, args, limits), protocol=pickle.HIGHEST_PROTOCOL)
    child = subprocess.Popen(
        [sys.executable, "-m", __name__],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        # Its own process group, so that a timeout kills whatever it started too.
        start_new_session=True,
    )
    try:
        out, err = child.communicate(payload, timeout=limits.wall_seconds)
    except subprocess.TimeoutExpired:
        _kill_group(child)
        raise PlanFormatError(name, _past(f"{limits.wall_seconds:g} 秒")) from None
    finally:
        _kill_group(child)
    seconds = time.perf_counter() - started
    try:
        kind, *rest = pickle.loads(out)
    except Exception:
        kind, rest = "died", []
    if kind == "ok":
        value, peak_mb = rest
        return Answer(value, seconds, peak_mb)
    if kind == "refused":
        source_name, message, line, where, _peak = rest
        raise PlanFormatError(source_name, message, line, where)
    if kind == "depth":
        raise refuse(name, f"文件的结构嵌套过深（超过 {MAX_DEPTH} 层）")
    if kind == "memory" or child.returncode in (-signal.SIGSEGV, -signal.SIGABRT, -signal.SIGBUS):
        # Out of its address space, Python raises MemoryError; a C library may crash instead.
        raise PlanFormatError(name, _past(f"{limits.memory_mb} MB 内存"))
    if child.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise PlanFormatError(name, _past(f"{limits.cpu_seconds} 秒 CPU 时间"))
    # A reader's own failure: the person is told the file could not be read, the log says why.
    detail = rest[0] if kind == "error" else err.decode(errors="replace")[-2000:]
    logger.error("Reading %s in a child process failed (exit %s): %s", name, child.returncode, detail)
    raise PlanFormatError(name, "读取这个文件时出错，无法读取；请在 Word/WPS 中打开后另存为 .docx 或 PDF 再上传")


def _past(limit: str) -> str:
    return f"读取时超过 {limit}的上限，已停止；文件可能已损坏或异常复杂，请在 Word/WPS 中另存为 .docx 或 PDF 后再上传"


def _kill_group(child: subprocess.Popen) -> None:
    # Gone already when the child exited and started nothing that outlived it.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, signal.SIGKILL)
    child.wait()


def _limit_self(limits: Limits) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, CORE_LIMIT)
    # SIGXCPU at the soft limit ends the process; SIGKILL a second later if something caught it.
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _main() -> None:
    data, name, args, limits = pickle.load(sys.stdin.buffer)
    _limit_self(limits)
    try:
        answer = ("ok", read_plan_file(data, name, *args), _peak_mb())
    except PlanFormatError as error:
        answer = ("refused", error.source_name, error.message, error.line, error.where, _peak_mb())
    except MemoryError:
        answer = ("memory", _peak_mb())
    except RecursionError:
        answer = ("depth", _peak_mb())  # nesting the readers' counters did not see
    except Exception as error:  # a reader's own failure
        import traceback

        answer = ("error", "".join(traceback.format_exception(error))[-2000:])
    del data
    sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _main()
