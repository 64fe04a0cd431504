"""robots.txt, read once per crawl and origin (revalidated through the cache like any page).

Following RFC 9309: a robots.txt that does not exist (any 4xx) allows everything; one that cannot
be had (5xx, network failure, after retries) forbids everything. A `Crawl-delay` for our user
agent slows the pace for that host.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from kg.crawl.cache import Cache
from kg.crawl.fetcher import Fetcher, Validators
from kg.errors import CrawlError


@dataclass(frozen=True)
class _Policy:
    parser: RobotFileParser | None
    allow_all: bool = False
    unreachable: str | None = None


class Robots:
    """The robots.txt policies of the origins a crawl touches; safe to share between threads."""

    def __init__(self, fetcher: Fetcher, cache: Cache, user_agent: str) -> None:
        self.fetcher = fetcher
        self.cache = cache
        self.user_agent = user_agent
        self._policies: dict[str, _Policy] = {}
        self._lock = threading.Lock()

    def refusal(self, url: str) -> str | None:
        """Why robots.txt forbids fetching `url`, or None when it may be fetched."""
        parts = urlsplit(url)
        policy = self._policy(f"{parts.scheme}://{parts.netloc}")
        if policy.unreachable is not None:
            return policy.unreachable
        if policy.allow_all or policy.parser is None or policy.parser.can_fetch(self.user_agent, url):
            return None
        return "disallowed by robots.txt"

    def _policy(self, origin: str) -> _Policy:
        with self._lock:
            if origin not in self._policies:
                self._policies[origin] = self._load(origin)
            return self._policies[origin]

    def _load(self, origin: str) -> _Policy:
        url = f"{origin}/robots.txt"
        previous = self.cache.page(url)
        try:
            fetched = self.fetcher.fetch(url, Validators.of(previous), media_types=None)
        except CrawlError as error:
            if error.status is not None and 400 <= error.status < 500:
                return _Policy(None, allow_all=True)
            return _Policy(None, unreachable=f"{url} cannot be had ({error.reason}), so nothing on"
                                             " the host may be fetched (RFC 9309)")
        page = fetched.as_cached(previous)
        with self.cache.transaction():
            self.cache.save_page(page)
        parser = RobotFileParser(url)
        parser.parse(self.cache.read_blob(page.sha256).decode("utf-8", errors="replace").splitlines())
        delay = parser.crawl_delay(self.user_agent)
        if delay:
            self.fetcher.limiter.slow_down(urlsplit(origin).netloc, float(delay))
        return _Policy(parser)
