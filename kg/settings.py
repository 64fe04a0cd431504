"""Settings, declared once with their help text, read from flags > `KG_*` environment > TOML > defaults."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from kg.errors import ConfigError
from kg.iris import DEFAULT_BASE_IRI


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


def _memory_mb() -> int:
    """The machine's physical memory in MB (8 GB if the system does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (ValueError, OSError, AttributeError):
        return 8192


@dataclass(frozen=True)
class Settings:
    """Every setting of evalkg. Environment variable: `KG_` + the upper-cased name."""

    store: str = _setting("store", "Directory of the Oxigraph store.")
    base_iri: str = _setting(DEFAULT_BASE_IRI, "Base IRI of the dataset's resources.")
    max_source_mb: float = _setting(20.0, "Largest source file `kg build` reads, in MB.")
    build_workers: int = _setting(
        os.cpu_count() or 1,
        "Processes `kg build` reads and maps sources in (default: the number of CPUs); 1 maps them in its own process.",
    )
    host: str = _setting("127.0.0.1", "Address `kg serve` listens on.")
    port: int = _setting(8000, "Port `kg serve` listens on.")
    workers: int = _setting(2, "Worker processes of `kg serve`.")
    public_url: str = _setting(
        "", "Public base URL of `kg serve` (scheme, host, port and path, e.g. https://kg.example.org/evalkg/): the URLs "
        "it publishes (VoID, service description, redirects, relative IRIs in queries) start with it, whatever a "
        "request's Host header says. Empty: the address `kg serve` prints, http://HOST:PORT/."
    )
    trusted_proxies: int = _setting(
        0, "Reverse proxies in front of `kg serve` whose X-Forwarded-For, -Proto, -Host, -Port and -Prefix headers are "
        "believed (the client's address in the log; the published URLs too while public_url is empty); "
        "0: such headers are ignored."
    )
    threads: int = _setting(4, "Threads of each `kg serve` worker process: the requests it serves at once.")
    max_connections: int = _setting(
        1000, "Connections each `kg serve` worker holds open at once (idle, sending, waiting for an answer or reading "
        "it); each costs memory, not a thread. Further ones wait to be accepted."
    )
    header_timeout: float = _setting(
        10.0, "Seconds a client has to send a request's line and headers, counted from its connection's opening or "
        "the end of its previous response; a connection silent or slower than that is closed."
    )
    body_timeout: float = _setting(
        30.0, "Seconds a client has to send a request's body once its headers have come; a slower one gets 408, "
        "nothing is run or written, and its connection is closed."
    )
    query_processes: int = _setting(
        2, "Query processes of each `kg serve` worker; a query past the time limit is stopped by ending its process."
    )
    query_slots: int = _setting(
        (os.cpu_count() or 1) + 1,
        "Queries and updates `kg serve` evaluates at once, all workers together (default: the number of CPUs + 1); "
        "the rest wait their turn, within their time limit.",
    )
    short_query_slots: int = _setting(
        1, "Query slots kept for short queries, beyond query_slots: a query (or Graph Store read) that finds every "
        "other slot taken runs in one of these, but for at most short_query_timeout, so that runaway queries filling "
        "query_slots cannot keep lookups waiting. Updates and writes never use them. 0: none."
    )
    short_query_timeout: float = _setting(
        2.0, "Seconds a query may run in a slot kept for short queries (short_query_slots) before it is stopped "
        "with 503."
    )
    query_timeout: float = _setting(30.0, "Seconds a SPARQL query may run before it is stopped.")
    query_memory_mb: int = _setting(
        max(256, _memory_mb() // 2 // ((os.cpu_count() or 1) + 1)),
        "Memory (MB of data) one query process may use; a query or write that needs more is stopped with 503 "
        "and changes nothing (default: half the machine's memory shared by the default query_slots; 0: no limit).",
    )
    update_timeout: float = _setting(
        120.0, "Seconds a SPARQL Update or Graph Store write may run before it is stopped and rolled back."
    )
    max_rows: int = _setting(
        10_000, "Most rows (SELECT) or triples (CONSTRUCT, DESCRIBE) a query returns; a cut response says so "
        "in its X-Evalkg-Truncated header."
    )
    max_response_mb: float = _setting(
        50.0, "Largest response body a query or a Graph Store read returns, in MB; a response cut there ends "
        "between two rows or triples and says so in its X-Evalkg-Truncated header."
    )
    max_body_kb: int = _setting(1024, "Largest request body the endpoint accepts, in KB.")
    max_nesting: int = _setting(
        1000, "Deepest nesting of a query or update (brackets, braces and chained operators such as || or UNION) "
        "that is parsed; deeper ones are refused (400) before Oxigraph, which crashes at a few thousand levels."
    )
    answer_cache_mb: float = _setting(
        64.0, "Memory (MB) each `kg serve` worker keeps answers in (GET of queries and pages, reused until a build "
        "or write switches the store's generation; an answer larger than an eighth of it is not kept); 0: none."
    )
    search_max_per_page: int = _setting(
        100, "Most results one page of /search shows or returns (its per_page parameter; default 20)."
    )
    update_token: str = _setting("", "Bearer token enabling SPARQL Update and Graph Store writes; empty disables them.")
    service_allowlist: tuple[str, ...] = _setting(
        (), "Hosts (host or host:port) that SERVICE and LOAD may reach, comma-separated; empty refuses both."
    )
    dumps: str = _setting("dumps", "Directory of the files `kg dump` wrote, which `kg serve` offers at /dumps/.")
    crawl_cache: str = _setting("crawl-cache", "Directory where `kg crawl` keeps raw pages, their metadata and its resumable state.")
    crawl_contact: str = _setting(
        "https://w3id.org/evalkg",
        "Contact (e-mail or URL) the crawler's User-Agent gives site operators; set it to your own.",
    )
    crawl_concurrency: int = _setting(4, "Pages `kg crawl` fetches at the same time.")
    crawl_rate: float = _setting(1.0, "Most requests per second `kg crawl` sends to one host (robots.txt Crawl-delay can lower it).")
    crawl_timeout: float = _setting(30.0, "Seconds `kg crawl` waits to connect or for the next bytes of a response.")
    crawl_retries: int = _setting(4, "Retries of a page after a connection error, timeout, 429 or 5xx.")
    crawl_backoff: float = _setting(1.0, "Seconds before the first retry; doubled for each further retry, with random jitter.")
    crawl_max_wait: float = _setting(120.0, "Longest wait, in seconds, `kg crawl` accepts from Retry-After or back-off before giving a page up.")
    crawl_max_redirects: int = _setting(5, "Most redirects `kg crawl` follows for one page.")
    crawl_max_page_mb: float = _setting(5.0, "Largest page `kg crawl` downloads, in MB; bigger ones are stopped and reported.")
    crawl_page_deadline: float = _setting(
        120.0, "Seconds a page may take to arrive in full, however steadily its bytes come; a slower one is stopped "
        "and reported (the read timeout alone restarts with every byte)."
    )
    crawl_max_pages: int = _setting(
        100_000, "Most pages (index and record pages) one crawl visits; the links past it are not followed, and the "
        "crawl says how many."
    )
    crawl_max_depth: int = _setting(
        1_000, "Most index pages a crawl follows one from another (pagination) from its start; deeper ones are not "
        "followed, and the crawl says how many."
    )
    crawl_cross_host_redirects: bool = _setting(
        False, "Whether `kg crawl` follows a redirect to another host; off, such a page fails with the reason."
    )
    crawl_record_patterns: tuple[str, ...] = _setting(
        (
            r"/ievaldiscovery/recommendations/\d+", r"/ievaldiscovery/eval/\d+", r"/ievaldiscovery/lessons/\d+",
            r"/ievaldiscovery/good-?practices/\d+",
        ),
        "Regular expressions (comma-separated) a link's path?query must match in full to be a record page "
        "(recommendation, evaluation, lesson learned or good practice).",
    )
    crawl_index_patterns: tuple[str, ...] = _setting(
        (r"/ievaldiscovery/(recommendations|evaluations|lessons|good-?practices)?/?(\?(.*&)?page=\d+(&.*)?)?",),
        "Regular expressions (comma-separated) a link's path?query must match in full to be an index page to follow; "
        'an index page\'s rel="next" link is followed whatever its URL.',
    )

    @classmethod
    def help_texts(cls) -> dict[str, str]:
        return {f.name: f.metadata["help"] for f in fields(cls)}


def _coerce(name: str, value: Any, like: Any) -> Any:
    try:
        if isinstance(like, tuple):
            items = value.split(",") if isinstance(value, str) else list(value)
            return tuple(str(i).strip() for i in items if str(i).strip())
        if isinstance(like, bool):
            return str(value).lower() in {"1", "true", "yes", "on"}
        return type(like)(value)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"setting {name}: {value!r} is not a valid {type(like).__name__}") from error


def load_settings(
    flags: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    config_file: str | os.PathLike[str] | None = None,
) -> Settings:
    """Merge the sources of settings; flags given as None count as not given."""
    environ = os.environ if environ is None else environ
    defaults = Settings()
    values: dict[str, Any] = {}
    path = config_file or environ.get("KG_CONFIG")
    if path:
        try:
            with open(Path(path), "rb") as f:
                table = tomllib.load(f)
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(f"config file {path}: {error}") from error
        table = table.get("evalkg", table)
        unknown = set(table) - set(Settings.help_texts())
        if unknown:
            raise ConfigError(f"config file {path}: unknown settings {', '.join(sorted(unknown))}")
        values.update(table)
    for name in Settings.help_texts():
        if (env := environ.get(f"KG_{name.upper()}")) is not None:
            values[name] = env
    values.update({k: v for k, v in (flags or {}).items() if v is not None})
    return Settings(**{k: _coerce(k, v, getattr(defaults, k)) for k, v in values.items()})
