"""Start a real `kg serve` (gunicorn, several workers) on 127.0.0.1 for tests, and stop it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

STARTUP_SECONDS = 60
_ADDRESS = re.compile(r"at (http://127\.0\.0\.1:\d+)/sparql")


@dataclass
class Server:
    url: str  # http://127.0.0.1:PORT
    log: Path  # the server's stderr: gunicorn's log and the access log
    process: subprocess.Popen

    @property
    def endpoint(self) -> str:
        return self.url + "/sparql"

    def log_text(self) -> str:
        return self.log.read_text("utf-8", errors="replace")


@contextmanager
def running_server(store: Path, workdir: Path, *flags: str, env: dict[str, str] | None = None) -> Iterator[Server]:
    """`kg serve --store STORE --port 0 FLAGS` until the block ends; KG_* variables from `env` only."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    environ.update(env or {})
    out, log = workdir / "serve.out", workdir / "serve.log"
    with open(out, "wb") as stdout, open(log, "wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--host", "127.0.0.1", "--port", "0",
             *flags],
            stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, env=environ, cwd=workdir,
        )
    try:
        url = _wait_for_address(process, out, log)
        server = Server(url, log, process)
        _wait_until_healthy(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for_address(process: subprocess.Popen, out: Path, log: Path) -> str:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if match := _ADDRESS.search(out.read_text("utf-8", errors="replace")):
            return match.group(1)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    raise RuntimeError(f"kg serve did not start:\n{out.read_text()}\n{log.read_text()}")


def _wait_until_healthy(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            if httpx.get(server.url + "/healthz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"kg serve never became healthy:\n{server.log_text()}")


@dataclass
class Recorder:
    """An HTTP server on a loopback port that records every request it gets."""

    url: str
    hits: list[str] = field(default_factory=list)


@contextmanager
def recording_server() -> Iterator[Recorder]:
    """A loopback HTTP server answering every request with empty SPARQL JSON results, and recording it."""
    recorder = Recorder("")

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            recorder.hits.append(f"{self.command} {self.path}")
            body = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    recorder.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        httpd.shutdown()
        httpd.server_close()
