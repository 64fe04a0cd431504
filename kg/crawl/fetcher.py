"""HTTP for the crawler: one httpx client, paced per host, with retries, redirects and limits.

A fetch either ends with a page (a new body stored in the cache, or the cached one confirmed by
a 304) or raises `CrawlError` with the reason. Connection errors, timeouts, broken bodies, 429
and 5xx are retried with exponential back-off and jitter, honouring `Retry-After`; redirects are
followed by hand so that each hop is paced, checked against robots.txt, counted and loop-checked.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import timezone
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from kg.crawl.cache import Cache, CachedPage, utc_now
from kg.crawl.links import is_web_url, normalize_url
from kg.crawl.options import CrawlOptions
from kg.crawl.ratelimit import HostRateLimiter
from kg.errors import CrawlError, RobotsDisallowed
from kg.readers import FORM_BY_MEDIA_TYPE

PAGE_MEDIA_TYPES = frozenset(FORM_BY_MEDIA_TYPE)
ACCEPT = "text/html, application/xhtml+xml, application/json;q=0.9, text/plain;q=0.8"
REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class Validators:
    """What a cached response lets us ask the server: "send it only if it changed"."""

    etag: str | None = None
    last_modified: str | None = None

    @classmethod
    def of(cls, page: CachedPage | None) -> Validators | None:
        if page is None or not (page.etag or page.last_modified):
            return None
        return cls(page.etag, page.last_modified)

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class Fetched:
    """A fetch that ended with a page: a new body (`status` 200, `sha256` set) or a 304."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    sha256: str | None

    @property
    def media_type(self) -> str | None:
        return media_type(self.headers.get("content-type"))

    def as_cached(self, previous: CachedPage | None) -> CachedPage:
        """The cache entry this fetch leaves: the new body, or the previous one confirmed by a 304."""
        now = utc_now()
        if self.sha256 is None and previous is not None:
            return replace(
                previous,
                etag=self.headers.get("etag", previous.etag),
                last_modified=self.headers.get("last-modified", previous.last_modified),
                checked_at=now,
            )
        assert self.sha256 is not None, "a 304 answers a conditional request, which needs a cached page"
        return CachedPage(
            url=self.url, sha256=self.sha256, status=self.status, media_type=self.media_type,
            etag=self.headers.get("etag"), last_modified=self.headers.get("last-modified"),
            final_url=self.final_url, fetched_at=now, checked_at=now, headers=self.headers,
        )


def media_type(content_type: str | None) -> str | None:
    """`text/html; charset=utf-8` → `text/html`."""
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def retry_after(value: str | None, clock: Callable[[], float] = time.time) -> float | None:
    """Seconds a `Retry-After` header asks for (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - clock())


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.3g} MB"


class _Retryable(Exception):
    """A failure worth trying again."""

    def __init__(self, reason: str, status: int | None = None, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.wait = wait


def _anywhere(url: str) -> str | None:
    return None


class Fetcher:
    """Fetches pages into a cache, politely; safe to share between threads."""

    def __init__(self, options: CrawlOptions, cache: Cache, limiter: HostRateLimiter | None = None) -> None:
        self.options = options
        self.cache = cache
        self._closed = threading.Event()
        self.limiter = limiter or HostRateLimiter(options.rate, sleep=self._sleep)
        self.client = httpx.Client(
            headers={"User-Agent": options.user_agent, "Accept": ACCEPT},
            timeout=options.timeout,
            follow_redirects=False,
            limits=httpx.Limits(max_connections=options.concurrency, max_keepalive_connections=options.concurrency),
        )

    def close(self) -> None:
        """Stop: waiting fetches give up at once, and the connections are closed."""
        self._closed.set()
        self.client.close()

    def _sleep(self, seconds: float) -> None:
        self._closed.wait(seconds)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def fetch(
        self,
        url: str,
        validators: Validators | None = None,
        refusal: Callable[[str], str | None] = _anywhere,
        media_types: Collection[str] | None = PAGE_MEDIA_TYPES,
    ) -> Fetched:
        """GET `url` (and its redirects) with retries; raises `CrawlError` when it cannot be had.

        `refusal` is asked before every hop and gives the reason a URL must not be fetched
        (robots.txt), or None; `media_types` are the types kept, None for any.
        """
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._follow(url, validators, refusal, media_types)
            except _Retryable as failure:
                if attempt > self.options.retries:
                    tries = "1 attempt" if attempt == 1 else f"{attempt} attempts"
                    raise CrawlError(url, f"{failure.reason} (gave up after {tries})", failure.status) from None
                delay = failure.wait if failure.wait is not None else self._backoff(attempt)
                if delay > self.options.max_wait:
                    raise CrawlError(
                        url, f"{failure.reason}; the server asks to wait {delay:g} s, more than the"
                        f" {self.options.max_wait:g} s limit (crawl_max_wait)", failure.status,
                    ) from None
                if failure.wait is not None:
                    self.limiter.pause(urlsplit(url).netloc, delay)
                else:
                    self._sleep(delay)

    def _backoff(self, attempt: int) -> float:
        """Exponential back-off with jitter: half the doubled delay, plus up to as much again."""
        ceiling = min(self.options.backoff * 2.0 ** (attempt - 1), self.options.max_wait)
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def _follow(
        self,
        url: str,
        validators: Validators | None,
        refusal: Callable[[str], str | None],
        media_types: Collection[str] | None,
    ) -> Fetched:
        chain = [url]
        current = url
        deadline = time.monotonic() + self.options.page_deadline
        while True:
            if self._closed.is_set():
                raise CrawlError(url, "the crawl was stopped")
            reason = refusal(current)
            if reason is not None:
                raise RobotsDisallowed(url, reason + (f" (redirected to {current})" if current != url else ""))
            self.limiter.wait(urlsplit(current).netloc)
            if self._closed.is_set():
                raise CrawlError(url, "the crawl was stopped")
            headers = validators.headers() if validators else {}
            try:
                with self.client.stream("GET", current, headers=headers) as response:
                    if response.status_code in REDIRECTS and "location" in response.headers:
                        target = urljoin(current, response.headers["location"])
                        current = self._next_hop(url, chain, target)
                        continue
                    return self._receive(url, current, response, validators, media_types, deadline)
            except httpx.TimeoutException as error:
                raise _Retryable(f"timed out after {self.options.timeout:g} s ({type(error).__name__})") from error
            except (httpx.NetworkError, httpx.RemoteProtocolError) as error:
                raise _Retryable(f"connection failed ({type(error).__name__}: {error})") from error
            except httpx.HTTPError as error:
                raise CrawlError(url, f"{type(error).__name__}: {error}") from error

    def _next_hop(self, url: str, chain: list[str], target: str) -> str:
        if not is_web_url(target):
            raise CrawlError(url, f"redirected to {target}, which is not an http(s) URL")
        target = normalize_url(target)
        if urlsplit(target).netloc != urlsplit(url).netloc and not self.options.cross_host_redirects:
            raise CrawlError(url, f"redirected to {target}, on another host (crawl_cross_host_redirects is off)")
        if target in chain:
            raise CrawlError(url, "redirect loop: " + " → ".join([*chain[chain.index(target):], target]))
        if len(chain) > self.options.max_redirects:
            raise CrawlError(url, f"more than {self.options.max_redirects} redirects (crawl_max_redirects)")
        chain.append(target)
        return target

    def _receive(
        self,
        url: str,
        final_url: str,
        response: httpx.Response,
        validators: Validators | None,
        media_types: Collection[str] | None,
        deadline: float,
    ) -> Fetched:
        status = response.status_code
        headers = dict(response.headers.items())
        if status == 304 and validators is not None:
            return Fetched(url, final_url, status, headers, None)
        if status == 429 or status >= 500:
            wait = retry_after(response.headers.get("retry-after"))
            raise _Retryable(f"HTTP {status} {response.reason_phrase}".rstrip(), status, wait)
        if status != 200:
            raise CrawlError(url, f"HTTP {status} {response.reason_phrase}".rstrip(), status)
        kind = media_type(response.headers.get("content-type"))
        if media_types is not None and kind is not None and kind not in media_types:
            raise CrawlError(url, f"not a page: {kind} (only HTML, text and JSON are kept)", status)
        limit = self.options.max_page_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise CrawlError(url, f"{_megabytes(int(declared))} declared, over the {_megabytes(limit)} limit"
                                  " (crawl_max_page_mb); not downloaded", status)
        blob = self.cache.blob_writer()
        try:
            for chunk in response.iter_bytes():  # as the bytes come, to see the deadline pass
                blob.write(chunk)
                if blob.size > limit:
                    raise CrawlError(url, f"over the {_megabytes(limit)} limit (crawl_max_page_mb);"
                                          f" stopped after {_megabytes(blob.size)}", status)
                if time.monotonic() > deadline:
                    raise CrawlError(url, f"not received in full within {self.options.page_deadline:g} s"
                                          f" (crawl_page_deadline); stopped after {blob.size:,} bytes", status)
            sha256 = blob.commit()
        except BaseException:
            blob.discard()
            raise
        return Fetched(url, final_url, status, headers, sha256)
