"""Load generator, run as its own process: `python -m benchmarks.load PLAN.json` prints results as JSON.

The plan names a base URL, the requests of the mix (method, path, headers, name), the
concurrency levels and the seconds per level, and may name the server's process (`server_pid`):
each level then reports the CPU time the server's process tree and this generator spent per
request (`server_cpu_us`, `client_cpu_us`), which tells, on a machine whose cores both share,
how much of the throughput each side's CPU allows. Each of `concurrency` threads keeps one HTTP/1.1
connection open and cycles through the mix from its own starting point, so every level sends
the same mix; redirects (the linked-data 303 from /id/... to its page) are followed on the same
connection and timed as part of the request; a request counts as an error unless it ends in a
2xx status with its whole body. With `unique`, every request is made one of a kind, so that no
answer can be reused: a comment is appended to a query (`query=...` ends the path), a parameter
`u=` to any other URL.
"""

from __future__ import annotations

import http.client
import itertools
import json
import sys
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from benchmarks.measure import tree_cpu_seconds

TIMEOUT_SECONDS = 60.0
MAX_REDIRECTS = 3
_TAGS = itertools.count()  # what makes a request unique: never the same twice in a run


@dataclass(frozen=True)
class Request:
    name: str
    path: str
    headers: dict[str, str]


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of `values` (0.0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def _same_server_path(location: str) -> str:
    """The path (and query) of a redirect target, which is on the same server."""
    parts = urlsplit(location)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def one_of_a_kind(path: str, tag: str) -> str:
    """`path` made unique by `tag`: a comment after the query it ends with, else a parameter."""
    if "?query=" in path:
        return path + quote(f"\n#{tag}")
    return path + ("&" if "?" in path else "?") + f"u={tag}"


def _worker(base: str, mix: list[Request], start: int, until: float, out: list[tuple[str, float, bool]],
            unique: bool = False) -> None:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT_SECONDS)
    index = start
    while time.perf_counter() < until:
        request = mix[index % len(mix)]
        index += 1
        began = time.perf_counter()
        try:
            path, redirects = one_of_a_kind(request.path, str(next(_TAGS))) if unique else request.path, 0
            while True:
                connection.request("GET", path, headers=request.headers)
                response = connection.getresponse()
                response.read()
                location = response.getheader("Location")
                if response.status not in (301, 302, 303, 307, 308) or not location or redirects == MAX_REDIRECTS:
                    break
                path, redirects = _same_server_path(location), redirects + 1
            ok = 200 <= response.status < 300
        except (OSError, http.client.HTTPException):
            ok = False
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT_SECONDS)
        out.append((request.name, time.perf_counter() - began, ok))
    connection.close()


def run_level(base: str, mix: list[Request], concurrency: int, seconds: float, unique: bool = False,
              server_pid: int | None = None) -> dict:
    """Drive the mix at one concurrency for `seconds`; throughput, latency percentiles, errors, and
    the CPU time per request of this process and (given `server_pid`) of the server's process tree."""
    results: list[list[tuple[str, float, bool]]] = [[] for _ in range(concurrency)]
    server_cpu = tree_cpu_seconds(server_pid) if server_pid else 0.0
    client_cpu = time.process_time()
    began = time.perf_counter()
    until = began + seconds
    threads = [threading.Thread(target=_worker, args=(base, mix, i * 7, until, results[i], unique))
               for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    client_cpu = time.process_time() - client_cpu
    server_cpu = tree_cpu_seconds(server_pid) - server_cpu if server_pid else 0.0
    done = [r for rs in results for r in rs]
    latencies = [latency for _, latency, _ in done]
    by_query: dict[str, list[float]] = {}
    for name, latency, _ in done:
        by_query.setdefault(name, []).append(latency)
    return {
        "concurrency": concurrency,
        "requests": len(done),
        "errors": sum(1 for _, _, ok in done if not ok),
        "seconds": round(elapsed, 2),
        "throughput": round(len(done) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
        "p50_ms_by_query": {name: round(percentile(v, 0.5) * 1000, 2) for name, v in sorted(by_query.items())},
        "client_cpu_us": round(client_cpu / max(len(done), 1) * 1e6, 1),
        **({"server_cpu_us": round(server_cpu / max(len(done), 1) * 1e6, 1)} if server_pid else {}),
    }


def main() -> None:
    plan = json.loads(open(sys.argv[1], encoding="utf-8").read())
    mix = [Request(**r) for r in plan["mix"]]
    unique, server_pid = plan.get("unique", False), plan.get("server_pid")
    run_level(plan["base"], mix, 2, plan.get("warmup_seconds", 2.0), unique)
    levels = [run_level(plan["base"], mix, c, plan["seconds"], unique, server_pid) for c in plan["concurrency"]]
    json.dump(levels, sys.stdout)


if __name__ == "__main__":
    main()
