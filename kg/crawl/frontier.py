"""The crawl state: which URLs a crawl has found and how each one ended, kept in the cache.

A crawl is a row of `crawls`; its URLs are rows of `frontier`, `pending` until visited. The
state is written in the same transaction as the page it concerns, so a crawl killed at any point
resumes from exactly what was recorded: `begin` continues the unfinished crawl of the same
start URL, and only a finished crawl makes the next one start afresh.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from kg.crawl.cache import Cache, utc_now
from kg.crawl.links import PageKind

_SCHEMA = """
CREATE TABLE IF NOT EXISTS crawls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    start_url TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE TABLE IF NOT EXISTS frontier (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    crawl_id INTEGER NOT NULL REFERENCES crawls(id),
    url TEXT NOT NULL,
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT 'pending',
    reason TEXT,
    UNIQUE (crawl_id, url)
);
"""


class Outcome(str, Enum):
    """How the visit of a URL ended."""

    PENDING = "pending"
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    FAILED = "failed"
    DISALLOWED = "disallowed"


@dataclass(frozen=True)
class Entry:
    """One URL of a crawl and how its visit ended."""

    url: str
    kind: PageKind
    outcome: Outcome = Outcome.PENDING
    reason: str | None = None


class Frontier:
    """The URLs of one crawl, persisted in the cache's database."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        cache.create_tables(_SCHEMA)
        self.crawl_id = 0

    def begin(self, start_url: str, kind: PageKind = PageKind.INDEX) -> int:
        """Continue the unfinished crawl from `start_url`, or start a new one; returns URLs already done."""
        with self.cache.transaction() as db:
            row = db.execute(
                "SELECT id FROM crawls WHERE start_url = ? AND finished_at IS NULL ORDER BY id DESC LIMIT 1",
                (start_url,),
            ).fetchone()
            if row is None:
                self.crawl_id = db.execute(
                    "INSERT INTO crawls (start_url, started_at) VALUES (?, ?)", (start_url, utc_now())
                ).lastrowid or 0
                self.add([(start_url, kind)])
                return 0
            self.crawl_id = row[0]
        return sum(1 for e in self.entries() if e.outcome is not Outcome.PENDING)

    def add(self, urls: Iterable[tuple[str, PageKind]]) -> None:
        """Queue URLs not seen yet in this crawl (call inside a transaction)."""
        self.cache.db.executemany(
            "INSERT OR IGNORE INTO frontier (crawl_id, url, kind) VALUES (?, ?, ?)",
            [(self.crawl_id, url, kind.value) for url, kind in urls],
        )

    def settle(self, url: str, outcome: Outcome, reason: str | None = None) -> None:
        """Record how a visit ended (call inside a transaction)."""
        self.cache.db.execute(
            "UPDATE frontier SET outcome = ?, reason = ? WHERE crawl_id = ? AND url = ?",
            (outcome.value, reason, self.crawl_id, url),
        )

    def pending(self, limit: int, busy: Iterable[str] = ()) -> list[Entry]:
        """The next URLs to visit, oldest first, leaving out those being visited."""
        busy = set(busy)
        rows = self.cache.query(
            "SELECT url, kind FROM frontier WHERE crawl_id = ? AND outcome = 'pending' ORDER BY seq LIMIT ?",
            (self.crawl_id, limit + len(busy)),
        )
        return [Entry(url, PageKind(kind)) for url, kind in rows if url not in busy][:limit]

    def counts(self) -> tuple[int, int]:
        """URLs done and URLs known in this crawl."""
        done, total = self.cache.query(
            "SELECT SUM(outcome != 'pending'), COUNT(*) FROM frontier WHERE crawl_id = ?", (self.crawl_id,)
        )[0]
        return done or 0, total

    def entries(self) -> list[Entry]:
        rows = self.cache.query(
            "SELECT url, kind, outcome, reason FROM frontier WHERE crawl_id = ? ORDER BY seq", (self.crawl_id,)
        )
        return [Entry(url, PageKind(kind), Outcome(outcome), reason) for url, kind, outcome, reason in rows]

    def finish(self) -> None:
        with self.cache.transaction() as db:
            db.execute("UPDATE crawls SET finished_at = ? WHERE id = ?", (utc_now(), self.crawl_id))
