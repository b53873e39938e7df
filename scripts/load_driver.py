"""A small HTTP load driver: N client threads asking one URL over loopback for a fixed time.

Threads and http.client from the standard library: at the rates measured here (hundreds of requests a second)
the client costs a few per cent of one core, and it can send a session cookie and report exactly the figures
the benchmark prints (p50, p95, requests per second, response size, statuses).
"""

from __future__ import annotations

import http.client
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    url: str
    clients: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warmups: int = 0
    # Filled in by the caller when it measures them: CPU seconds of the server and the database for the run.
    app_cpu_s: float = 0.0
    db_cpu_s: float = 0.0

    def cpu_ms(self, seconds: float) -> float:
        """CPU milliseconds per request (timed and warm-up requests alike) of `seconds` spent in the run."""
        answered = self.requests + self.warmups
        return 1000 * seconds / answered if answered else math.nan

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    def percentile(self, p: float) -> float:
        """Nearest rank, as the page benchmark computes it."""
        if not self.latencies_ms:
            return math.nan
        ordered = sorted(self.latencies_ms)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else math.nan

    @property
    def size(self) -> int:
        return max(self.sizes) if self.sizes else 0

    @property
    def ok(self) -> bool:
        return not self.errors and set(self.statuses) == {200}


def _get(connection: http.client.HTTPConnection, url: str, headers: dict) -> tuple[int, int]:
    connection.request("GET", url, headers=headers)
    response = connection.getresponse()
    size = len(response.read())
    if response.will_close:
        connection.close()  # gunicorn's sync workers close after each response; the next request reconnects
    return response.status, size


def run(
    host: str,
    port: int,
    url: str,
    *,
    clients: int = 8,
    seconds: float = 5.0,
    warmup: int = 1,
    cookie: str = "",
    timeout: float = 300.0,
) -> LoadResult:
    """Each client first asks `warmup` times untimed, then as often as it can until `seconds` have passed.

    A request started before the deadline is waited for, so a slow page still gives one figure per client;
    requests per second is the timed requests over the time from the start to the last answer.
    """
    headers = {"Host": host, "Accept-Encoding": "identity"}
    if cookie:
        headers["Cookie"] = cookie
    result = LoadResult(url, clients, 0.0, warmups=clients * warmup)
    lock = threading.Lock()

    def client(_number: int, ready: Callable[[], object], in_time: Callable[[], bool]) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        try:
            for _ in range(warmup):
                _get(connection, url, headers)
        except Exception as error:  # a failed warm-up still reaches the barrier, so the run goes on
            with lock:
                result.errors.append(f"warm-up: {error!r}")
        ready()
        latencies, sizes, statuses = [], [], {}
        while in_time():
            start = time.perf_counter()
            try:
                status, size = _get(connection, url, headers)
            except Exception as error:
                connection.close()
                with lock:
                    result.errors.append(repr(error))
                break
            latencies.append((time.perf_counter() - start) * 1000)
            sizes.append(size)
            statuses[status] = statuses.get(status, 0) + 1
        with lock:
            result.latencies_ms += latencies
            result.sizes += sizes
            for status, n in statuses.items():
                result.statuses[status] = result.statuses.get(status, 0) + n
        connection.close()

    result.seconds = run_clients(clients, seconds, client)
    return result


def run_clients(
    clients: int, seconds: float, client: Callable[[int, Callable[[], object], Callable[[], bool]], None]
) -> float:
    """`clients` threads, each running client(number, ready, in_time): it calls ready() once set up (all are
    released together, and the clock starts then) and asks in_time() before each timed request. Returns the seconds
    from the start to the last client's end: a request started before the deadline is waited for."""
    deadline = [0.0]
    finished = []
    lock = threading.Lock()

    def start_the_clock() -> None:
        # Runs once, before any client is released, so every client sees the deadline.
        deadline[0] = time.perf_counter() + seconds

    ready = threading.Barrier(clients + 1, action=start_the_clock)

    def in_time() -> bool:
        return time.perf_counter() < deadline[0]

    def body(number: int) -> None:
        try:
            client(number, ready.wait, in_time)
        finally:
            with lock:
                finished.append(time.perf_counter())

    threads = [threading.Thread(target=body, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    began = deadline[0] - seconds
    for thread in threads:
        thread.join()
    return (max(finished) if finished else time.perf_counter()) - began
