"""Which links a crawl follows: URL normalisation, link extraction, and the link patterns.

A link is followed when it stays on the start URL's host and its `path?query` matches one of
the patterns in full: record patterns name the pages whose records are kept, index patterns the
listing pages (pagination included) whose links are followed in turn. An index page's standard
pagination link (`<a rel="next">`, `<link rel="next">`) is an index page whatever its URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup

from kg.errors import ConfigError

DEFAULT_PORTS = {"http": 80, "https": 443}


class PageKind(str, Enum):
    """What a crawled URL is: an index whose links are followed, or a record page to keep."""

    INDEX = "index"
    RECORD = "record"


def normalize_url(url: str) -> str:
    """One spelling per URL: lower-case scheme and host, no default port, no fragment, `/` path."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    netloc = host if parts.port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{parts.port}"
    if parts.username:
        netloc = f"{parts.username}{':' + parts.password if parts.password else ''}@{netloc}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in DEFAULT_PORTS and bool(parts.hostname)


@dataclass(frozen=True)
class PageLinks:
    """The links of a page, absolute and normalised, and those of them marked `rel="next"`."""

    links: tuple[str, ...]
    next: frozenset[str] = frozenset()


def extract_links(page_url: str, content: bytes) -> PageLinks:
    """Every http(s) link of an HTML page (`<a href>`, `<link href>`), in order, once each."""
    soup = BeautifulSoup(content, "lxml")
    base_tag = soup.find("base", href=True)
    base = urljoin(page_url, str(base_tag["href"])) if base_tag else page_url
    links: dict[str, None] = {}
    next_pages: set[str] = set()
    for element in soup.find_all(["a", "link"], href=True):
        href = str(element["href"]).strip()
        if not href or href.startswith("#"):
            continue
        absolute = urljoin(base, href)
        if is_web_url(absolute):
            url = normalize_url(absolute)
            links.setdefault(url, None)
            if "next" in (rel.lower() for rel in element.get_attribute_list("rel") if rel):
                next_pages.add(url)
    return PageLinks(tuple(links), frozenset(next_pages))


def _compile(patterns: Iterable[str], what: str) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as error:
            raise ConfigError(f"{what} pattern {pattern!r} is not a valid regular expression ({error})") from error
    return tuple(compiled)


@dataclass(frozen=True)
class LinkPatterns:
    """Regular expressions matched in full against a URL's `path?query`."""

    records: tuple[re.Pattern[str], ...]
    indexes: tuple[re.Pattern[str], ...]

    @classmethod
    def compile(cls, records: Iterable[str], indexes: Iterable[str]) -> LinkPatterns:
        return cls(_compile(records, "record"), _compile(indexes, "index"))

    def kind(self, url: str) -> PageKind | None:
        """Record page, index page, or None for a link the crawl does not follow."""
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        if any(p.fullmatch(target) for p in self.records):
            return PageKind.RECORD
        if any(p.fullmatch(target) for p in self.indexes):
            return PageKind.INDEX
        return None

    def follow(self, start_url: str, found: PageLinks) -> list[tuple[str, PageKind]]:
        """The links of an index page on the start URL's host that match a pattern, with their
        kind, and its next page (`rel="next"`) as an index page if it matches none."""
        host = urlsplit(start_url).netloc
        chosen = []
        for link in found.links:
            kind = self.kind(link) or (PageKind.INDEX if link in found.next else None)
            if kind is not None and urlsplit(link).netloc == host:
                chosen.append((link, kind))
        return chosen
