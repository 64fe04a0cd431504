"""What a crawl did, page by page, and its summary."""

from __future__ import annotations

from dataclasses import dataclass

from kg.build import BuildReport
from kg.crawl.frontier import NotFollowed, Outcome
from kg.crawl.links import PageKind

KEPT = frozenset({Outcome.NEW, Outcome.CHANGED, Outcome.UNCHANGED})


@dataclass(frozen=True)
class PageResult:
    """One URL of the crawl: how its visit ended and, for a record page, what the readers found."""

    url: str
    kind: PageKind
    outcome: Outcome
    reason: str | None = None
    records: int | None = None
    problems: tuple[str, ...] = ()


@dataclass
class CrawlReport:
    """Every URL of a crawl with its outcome, and what the build did with the record pages.

    `resumed` counts the URLs an interrupted run had already done when this run took over.
    """

    start_url: str
    pages: list[PageResult]
    resumed: int = 0
    seconds: float = 0.0
    not_followed: NotFollowed = NotFollowed()
    build: BuildReport | None = None

    def count(self, *outcomes: Outcome) -> int:
        return sum(1 for page in self.pages if page.outcome in outcomes)

    @property
    def fetched(self) -> int:
        """Pages whose body was downloaded because it was new or had changed."""
        return self.count(Outcome.NEW, Outcome.CHANGED)

    @property
    def failed(self) -> list[PageResult]:
        return [page for page in self.pages if page.outcome is Outcome.FAILED]

    @property
    def disallowed(self) -> list[PageResult]:
        return [page for page in self.pages if page.outcome is Outcome.DISALLOWED]

    @property
    def record_pages(self) -> list[PageResult]:
        """Record pages the cache holds a good copy of."""
        return [p for p in self.pages if p.kind is PageKind.RECORD and p.outcome in KEPT]

    @property
    def records(self) -> int:
        return sum(page.records or 0 for page in self.record_pages)

    @property
    def unreadable(self) -> list[PageResult]:
        """Record pages the readers found problems in (no record, or broken parts)."""
        return [page for page in self.record_pages if page.problems]

    @property
    def start_failed(self) -> bool:
        """The start page could not be had, so the crawl found nothing to follow."""
        start = next((page for page in self.pages if page.url == self.start_url), None)
        return start is None or start.outcome not in KEPT

    def exit_status(self, strict: bool = False) -> int:
        """1 when the start page could not be had or, with `strict`, when any page or record failed."""
        if self.start_failed:
            return 1
        build_failed = self.build is not None and bool(self.build.errors or self.build.failed)
        return int(strict and bool(self.failed or self.unreadable or build_failed))

    def summary(self) -> str:
        resumed = f"; resumed after {self.resumed} pages done" if self.resumed else ""
        return (
            f"{len(self.pages)} pages: {self.fetched} fetched ({self.count(Outcome.NEW)} new,"
            f" {self.count(Outcome.CHANGED)} changed), {self.count(Outcome.UNCHANGED)} unchanged,"
            f" {len(self.failed)} failed, {len(self.disallowed)} disallowed by robots.txt;"
            f" {self.records} records on {len(self.record_pages)} record pages{resumed}{self._limits()};"
            f" {self.seconds:.1f} s"
        )

    def _limits(self) -> str:
        """What the crawl's limits left out, and which limit did."""
        parts = []
        if self.not_followed.over_pages:
            parts.append(f"{self.not_followed.over_pages} links not followed past the crawl_max_pages limit")
        if self.not_followed.over_depth:
            parts.append(f"{self.not_followed.over_depth} index pages not followed past the crawl_max_depth limit")
        return "".join(f"; {part}" for part in parts)
