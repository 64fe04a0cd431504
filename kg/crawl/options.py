"""The knobs of a crawl, read once from the settings and checked."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg import __version__
from kg.crawl.links import LinkPatterns
from kg.errors import ConfigError
from kg.settings import Settings

_DEFAULTS = Settings()
TOOL = "evalkg"


def user_agent(contact: str) -> str:
    """A User-Agent naming the tool, its version and whom to contact about the crawl."""
    return f"{TOOL}/{__version__} (+{contact})" if contact else f"{TOOL}/{__version__}"


@dataclass(frozen=True)
class CrawlOptions:
    """Politeness, robustness and scope of a crawl; see `kg settings` for each one's meaning."""

    user_agent: str = user_agent(_DEFAULTS.crawl_contact)
    concurrency: int = _DEFAULTS.crawl_concurrency
    rate: float = _DEFAULTS.crawl_rate
    timeout: float = _DEFAULTS.crawl_timeout
    retries: int = _DEFAULTS.crawl_retries
    backoff: float = _DEFAULTS.crawl_backoff
    max_wait: float = _DEFAULTS.crawl_max_wait
    max_redirects: int = _DEFAULTS.crawl_max_redirects
    max_page_bytes: int = int(_DEFAULTS.crawl_max_page_mb * 1_000_000)
    page_deadline: float = _DEFAULTS.crawl_page_deadline
    max_pages: int = _DEFAULTS.crawl_max_pages
    max_depth: int = _DEFAULTS.crawl_max_depth
    cross_host_redirects: bool = _DEFAULTS.crawl_cross_host_redirects
    patterns: LinkPatterns = field(
        default_factory=lambda: LinkPatterns.compile(_DEFAULTS.crawl_record_patterns, _DEFAULTS.crawl_index_patterns)
    )

    def __post_init__(self) -> None:
        checks = {
            "crawl_concurrency": self.concurrency >= 1,
            "crawl_rate": self.rate > 0,
            "crawl_timeout": self.timeout > 0,
            "crawl_retries": self.retries >= 0,
            "crawl_backoff": self.backoff >= 0,
            "crawl_max_wait": self.max_wait >= 0,
            "crawl_max_redirects": self.max_redirects >= 0,
            "crawl_max_page_mb": self.max_page_bytes > 0,
            "crawl_page_deadline": self.page_deadline > 0,
            "crawl_max_pages": self.max_pages >= 1,
            "crawl_max_depth": self.max_depth >= 0,
        }
        bad = [name for name, ok in checks.items() if not ok]
        if bad:
            raise ConfigError(f"settings {', '.join(bad)}: must be positive (retries, back-off, redirects and depth may be 0)")

    @classmethod
    def from_settings(cls, settings: Settings) -> CrawlOptions:
        return cls(
            user_agent=user_agent(settings.crawl_contact),
            concurrency=settings.crawl_concurrency,
            rate=settings.crawl_rate,
            timeout=settings.crawl_timeout,
            retries=settings.crawl_retries,
            backoff=settings.crawl_backoff,
            max_wait=settings.crawl_max_wait,
            max_redirects=settings.crawl_max_redirects,
            max_page_bytes=int(settings.crawl_max_page_mb * 1_000_000),
            page_deadline=settings.crawl_page_deadline,
            max_pages=settings.crawl_max_pages,
            max_depth=settings.crawl_max_depth,
            cross_host_redirects=settings.crawl_cross_host_redirects,
            patterns=LinkPatterns.compile(settings.crawl_record_patterns, settings.crawl_index_patterns),
        )
