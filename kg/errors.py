"""The one exception hierarchy of evalkg: every error names the input that caused it."""

from __future__ import annotations


class EvalKGError(Exception):
    """Base of every error evalkg raises on purpose."""


class ReadError(EvalKGError):
    """A source (file, page) could not be read as a record."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class MappingError(EvalKGError):
    """A record was read but cannot become RDF (a required field is missing or malformed)."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class StoreError(EvalKGError):
    """The store directory is missing, locked or not an evalkg store."""


class DumpError(EvalKGError):
    """A dump file could not be written."""


class ConfigError(EvalKGError):
    """A setting has an invalid value."""


class CrawlError(EvalKGError):
    """A page could not be fetched, or a crawl cannot run (bad start URL, cache in use).

    `status` is the HTTP status that ended the fetch, when there was one.
    """

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status


class RobotsDisallowed(CrawlError):
    """robots.txt forbids fetching the URL (or a URL it redirects to)."""
