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
    finished_at TEXT,
    over_pages INTEGER NOT NULL DEFAULT 0,
    over_depth INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS frontier (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    crawl_id INTEGER NOT NULL REFERENCES crawls(id),
    url TEXT NOT NULL,
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT 'pending',
    reason TEXT,
    depth INTEGER NOT NULL DEFAULT 0,
    UNIQUE (crawl_id, url)
);
"""
_ADDED_COLUMNS = {  # columns caches made by earlier versions lack
    "crawls": ("over_pages INTEGER NOT NULL DEFAULT 0", "over_depth INTEGER NOT NULL DEFAULT 0"),
    "frontier": ("depth INTEGER NOT NULL DEFAULT 0",),
}


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
    """One URL of a crawl and how its visit ended; `depth` counts the index pages before it."""

    url: str
    kind: PageKind
    outcome: Outcome = Outcome.PENDING
    reason: str | None = None
    depth: int = 0


@dataclass(frozen=True)
class NotFollowed:
    """Links a crawl found and did not follow because of its limits."""

    over_pages: int = 0
    over_depth: int = 0


class Frontier:
    """The URLs of one crawl, persisted in the cache's database, within the crawl's limits:
    `max_pages` URLs in all, index pages at most `max_depth` links from the start."""

    def __init__(self, cache: Cache, max_pages: int | None = None, max_depth: int | None = None) -> None:
        self.cache = cache
        cache.create_tables(_SCHEMA)
        for table, columns in _ADDED_COLUMNS.items():
            present = {row[1] for row in cache.query(f"PRAGMA table_info({table})")}
            for column in columns:
                if column.split()[0] not in present:
                    cache.create_tables(f"ALTER TABLE {table} ADD COLUMN {column}")
        self.max_pages = max_pages
        self.max_depth = max_depth
        self.crawl_id = 0
        self._known = 0  # URLs of this crawl in the frontier, counted once when it begins

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
        entries = self.entries()
        self._known = len(entries)
        return sum(1 for e in entries if e.outcome is not Outcome.PENDING)

    def add(self, urls: Iterable[tuple[str, PageKind]], depth: int = 0) -> None:
        """Queue URLs not seen yet in this crawl, found `depth` index pages from the start;
        count those the limits leave out (call inside a transaction)."""
        db = self.cache.db
        over_pages = over_depth = 0
        for url, kind in urls:
            too_deep = kind is PageKind.INDEX and self.max_depth is not None and depth > self.max_depth
            too_many = self.max_pages is not None and self._known >= self.max_pages
            if too_deep or too_many:
                known = db.execute("SELECT 1 FROM frontier WHERE crawl_id = ? AND url = ?", (self.crawl_id, url))
                if known.fetchone() is None:
                    over_depth += too_deep
                    over_pages += too_many and not too_deep
                continue
            self._known += db.execute(
                "INSERT OR IGNORE INTO frontier (crawl_id, url, kind, depth) VALUES (?, ?, ?, ?)",
                (self.crawl_id, url, kind.value, depth),
            ).rowcount
        if over_pages or over_depth:
            db.execute("UPDATE crawls SET over_pages = over_pages + ?, over_depth = over_depth + ? WHERE id = ?",
                       (over_pages, over_depth, self.crawl_id))

    def not_followed(self) -> NotFollowed:
        """The links this crawl's limits left out so far."""
        over_pages, over_depth = self.cache.query(
            "SELECT over_pages, over_depth FROM crawls WHERE id = ?", (self.crawl_id,))[0]
        return NotFollowed(over_pages, over_depth)

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
            "SELECT url, kind, depth FROM frontier WHERE crawl_id = ? AND outcome = 'pending' ORDER BY seq LIMIT ?",
            (self.crawl_id, limit + len(busy)),
        )
        return [Entry(url, PageKind(kind), depth=depth) for url, kind, depth in rows if url not in busy][:limit]

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
