"""The crawl cache: raw response bodies stored by content, and what is known of each URL.

Layout of a cache directory:

    LOCK            held by the one `kg crawl` using the directory
    index.sqlite    `pages`: URL → body hash, status, media type, validators, times, headers;
                    the crawl state (`kg.crawl.frontier`) lives in the same database
    blobs/ab/ab…    response bodies, named by their SHA-256
    tmp/            bodies being downloaded; renamed into `blobs/` only when complete

Every change is a SQLite transaction and every blob appears by an atomic rename, so a crawl
killed at any point leaves a consistent cache.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import IO

from kg.errors import CrawlError

DATABASE = "index.sqlite"
LOCK = "LOCK"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    status INTEGER NOT NULL,
    media_type TEXT,
    etag TEXT,
    last_modified TEXT,
    final_url TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    checked_at TEXT NOT NULL,
    headers TEXT NOT NULL,
    records INTEGER,
    problems TEXT NOT NULL DEFAULT '[]'
);
"""


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class CachedPage:
    """The last good response for a URL: where its body is and how to revalidate it.

    `fetched_at` is when the body was last downloaded, `checked_at` when the server last
    confirmed it; `records` and `problems` say what the readers made of it (record pages only).
    """

    url: str
    sha256: str
    status: int
    media_type: str | None
    etag: str | None
    last_modified: str | None
    final_url: str
    fetched_at: str
    checked_at: str
    headers: dict[str, str]
    records: int | None = None
    problems: tuple[str, ...] = ()


class BlobWriter:
    """A body being downloaded: written to `tmp/`, hashed on the way, then stored by content."""

    def __init__(self, cache: Cache) -> None:
        self._cache = cache
        self._file: IO[bytes] = tempfile.NamedTemporaryFile(dir=cache.directory / "tmp", delete=False)
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes) -> None:
        self._file.write(chunk)
        self._hash.update(chunk)
        self.size += len(chunk)

    def commit(self) -> str:
        """Store the body; returns its SHA-256."""
        self._file.close()
        sha256 = self._hash.hexdigest()
        target = self._cache.blob_path(sha256)
        target.parent.mkdir(exist_ok=True)
        os.replace(self._file.name, target)
        return sha256

    def discard(self) -> None:
        self._file.close()
        Path(self._file.name).unlink(missing_ok=True)


class Cache:
    """An open cache directory, locked against other crawls; thread-safe."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        try:
            for sub in ("blobs", "tmp"):
                (self.directory / sub).mkdir(parents=True, exist_ok=True)
            self._lock_file = open(self.directory / LOCK, "a+b")
        except OSError as error:
            raise CrawlError(str(self.directory), f"cannot use the folder as a crawl cache ({error})") from error
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            self._lock_file.close()
            raise CrawlError(
                str(self.directory), "another `kg crawl` is using this cache; wait for it or use another --cache"
            ) from error
        shutil.rmtree(self.directory / "tmp")
        (self.directory / "tmp").mkdir()
        self._guard = threading.RLock()
        self.db = sqlite3.connect(self.directory / DATABASE, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.create_tables(_SCHEMA)

    def close(self) -> None:
        with self._guard:
            self.db.close()
        fcntl.flock(self._lock_file, fcntl.LOCK_UN)
        self._lock_file.close()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def create_tables(self, script: str) -> None:
        """Run a schema script: `CREATE TABLE IF NOT EXISTS ...`, or `ALTER TABLE` for a cache made
        by an earlier version."""
        with self._guard:
            self.db.executescript(script)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic change of the database; other threads wait for it."""
        with self._guard:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def query(self, sql: str, parameters: tuple[object, ...] = ()) -> list[tuple]:  # type: ignore[type-arg]
        with self._guard:
            return self.db.execute(sql, parameters).fetchall()

    def blob_path(self, sha256: str) -> Path:
        return self.directory / "blobs" / sha256[:2] / sha256

    def blob_writer(self) -> BlobWriter:
        return BlobWriter(self)

    def read_blob(self, sha256: str) -> bytes:
        return self.blob_path(sha256).read_bytes()

    def page(self, url: str) -> CachedPage | None:
        """What the cache holds for a URL, if its body is still there."""
        rows = self.query(f"SELECT {_COLUMNS} FROM pages WHERE url = ?", (url,))
        if not rows:
            return None
        page = _page(rows[0])
        return page if self.blob_path(page.sha256).is_file() else None

    def save_page(self, page: CachedPage) -> None:
        """Record a response (call inside `transaction()`)."""
        self.db.execute(
            f"INSERT OR REPLACE INTO pages ({_COLUMNS}) VALUES ({', '.join('?' * len(_FIELDS))})",
            (
                page.url, page.sha256, page.status, page.media_type, page.etag, page.last_modified,
                page.final_url, page.fetched_at, page.checked_at, json.dumps(page.headers),
                page.records, json.dumps(list(page.problems)),
            ),
        )


_FIELDS = (
    "url", "sha256", "status", "media_type", "etag", "last_modified", "final_url", "fetched_at",
    "checked_at", "headers", "records", "problems",
)
_COLUMNS = ", ".join(_FIELDS)


def _page(row: tuple) -> CachedPage:  # type: ignore[type-arg]
    values = dict(zip(_FIELDS, row))
    values["headers"] = json.loads(values["headers"])
    values["problems"] = tuple(json.loads(values["problems"]))
    return CachedPage(**values)
