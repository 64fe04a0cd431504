"""The `kg` command: parses options and hands over to the library; no logic of its own."""

from __future__ import annotations

import io
import json
import socket
import sys
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import click
from pyoxigraph import Store
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from kg import __version__
from kg.build import Builder, BuildReport
from kg.catalog import source_entries
from kg.deadline import run_with_deadline
from kg.dump import write_dumps, written_for
from kg.errors import EvalKGError
from kg.iris import Iris
from kg.linking.evaluation import TARGET_PRECISION, TARGET_RECALL, LinkingReport, evaluate_set, evaluate_sets
from kg.query import FORMATS, run_query, table_rows, write_results
from kg.search.functions import SearchFunctions
from kg.search.index import FACETS, KINDS, index_path
from kg.search.output import as_csv, as_json, marked_pieces
from kg.search.searching import SearchIndex, SearchRequest, SearchResult
from kg.settings import Settings, load_settings
from kg.sources import Source, find_sources, folder_key, sample_sources
from kg.stats import class_counts
from kg.store import StoreDirectory, generation_id

if TYPE_CHECKING:
    from kg.crawl import CrawlReport

HELP = Settings.help_texts()
KIND_NAMES = tuple(KINDS.values())
console = Console(stderr=True, soft_wrap=True)


def _settings(ctx: click.Context, **flags: object) -> Settings:
    try:
        return load_settings(flags, config_file=ctx.find_root().params.get("config"))
    except EvalKGError as error:
        raise click.UsageError(str(error)) from error


def store_option(function):  # type: ignore[no-untyped-def]
    return click.option("--store", "store", type=click.Path(file_okay=False), default=None,
                        help=HELP["store"] + " [env KG_STORE; default ./store]")(function)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="evalkg")
@click.option("--config", type=click.Path(dir_okay=False, exists=True), default=None,
              help="TOML file of settings (keys as in `kg settings`); flags and KG_* variables override it.")
def main(config: str | None) -> None:
    """evalkg: build a knowledge graph of ILO i-eval Discovery evaluation records, query it,
    serve it as a SPARQL endpoint and linked data, and publish it as dumps.

    \b
    Typical use:
      kg build --store store                    # the bundled real sample of i-eval Discovery
      kg build ieval-export.xlsx --store store  # the site's Excel export
      kg build records/ --store store           # your saved record pages
      kg query --store store 'SELECT * WHERE { ?s a ek:Evaluation } LIMIT 5'
    """


@main.command()
@click.argument("sources", nargs=-1)
@store_option
@click.option("--strict", is_flag=True, help="Exit with status 1 on any error, not only when nothing was ingested.")
@click.option("--max-source-mb", type=float, default=None, help=HELP["max_source_mb"])
@click.option("--base-iri", default=None, help=HELP["base_iri"] + " [env KG_BASE_IRI]")
@click.option("--workers", type=int, default=None, help=HELP["build_workers"] + " [env KG_BUILD_WORKERS]")
@click.option("--force", is_flag=True, help="Read every source again, even those unchanged since the last build.")
@click.option("--prune", is_flag=True,
              help="Drop the graphs of sources that were found in the given folders before and are gone now.")
@click.pass_context
def build(ctx: click.Context, sources: tuple[str, ...], store: str | None, strict: bool,
          max_source_mb: float | None, base_iri: str | None, workers: int | None, force: bool, prune: bool) -> None:
    """Ingest record files, folders or globs (.xlsx, .csv, .txt, .html, .json, .jsonl) into the store.

    With no SOURCES, ingests the bundled sample. Unchanged sources are skipped, changed ones
    replace their graph; the store changes only if the build completes. Bad records are listed
    with their file and reason, and the rest is ingested. A source's key (its graph's name) is
    its file name, or for a file found in a folder the folder's name and its path in it:
    `kg sources` lists them.
    """
    settings = _settings(ctx, store=store, max_source_mb=max_source_mb, base_iri=base_iri, build_workers=workers)
    if sources:
        found, problems = find_sources(sources)
    else:
        found, problems = sample_sources(), []
    for problem in problems:
        console.print(f"[red]error[/red] {escape(problem)}")
    if not found:
        click.echo(f"no sources to build; store unchanged ({settings.store})")
        sys.exit(1)
    folders = [(folder_key(Path(s)), Path(s)) for s in sources if prune and Path(s).is_dir()]
    try:
        report = _build_with_progress(settings, found, force, folders)
    except OSError as error:  # the store's disk or the system failed the build, not a record
        console.print(f"[red]error[/red] build failed: {escape(str(error))}", highlight=False)
        click.echo(f"store unchanged ({settings.store})")
        sys.exit(1)
    _print_report(report, settings.store)
    nothing = report.ingested == 0 and report.unchanged == 0
    if nothing or (strict and (report.errors or problems)):
        sys.exit(1)


def _build_with_progress(
    settings: Settings, sources: Collection[Source], force: bool = False, prune: list[tuple[str, Path]] | None = None
) -> BuildReport:
    """Build `sources` into the configured store, showing its phases: a progress bar on a
    terminal, otherwise a line per phase on standard error with the time it started."""
    builder = Builder(StoreDirectory(settings.store), Iris(settings.base_iri),
                      int(settings.max_source_mb * 1_000_000), settings.build_workers)
    if not console.is_terminal:
        started = time.monotonic()

        def log(phase: str) -> None:
            click.echo(f"build: {phase} ({time.monotonic() - started:.1f} s)", err=True)

        log(f"{len(sources)} sources")
        return builder.build(sources, force=force, prune=prune or (), on_phase=log)
    with Progress(TextColumn("[bold]{task.fields[phase]}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), TextColumn("{task.description}"),
                  console=console, transient=True) as progress:
        task = progress.add_task("", total=len(sources), phase="building")
        return builder.build(sources, on_source=lambda s: progress.update(task, advance=1, description=s.key),
                             force=force, prune=prune or (), on_phase=lambda p: progress.update(task, phase=p))


def _print_report(report: BuildReport, store: str) -> None:
    for error in report.errors:
        console.print(f"[red]error[/red] {escape(str(error))}", highlight=False)
    for warning in report.warnings:
        console.print(f"[yellow]warning[/yellow] {escape(warning)}", highlight=False)
    if report.unknown_keys:
        keys = ", ".join(f"{k} ({n})" for k, n in sorted(report.unknown_keys.items()))
        console.print(f"[yellow]warning[/yellow] unknown keys kept out of the graph: {escape(keys)}", highlight=False)
    if report.pruned:
        click.echo(f"{len(report.pruned)} sources pruned (their files are gone): {', '.join(sorted(report.pruned))}")
    state = "store updated" if report.store_changed else "store unchanged"
    click.echo(
        f"{report.sources} sources: {report.ingested} ingested, {report.unchanged} unchanged, "
        f"{report.failed} failed; {report.records} records, {report.recommendations} recommendations, "
        f"{report.lessons} lessons learned, {report.good_practices} good practices; "
        f"{report.quads_written} quads written; {len(report.errors)} errors; {state} ({store})"
    )


@main.command()
@click.argument("start_url")
@click.option("--cache", "cache", type=click.Path(file_okay=False), default=None,
              help=HELP["crawl_cache"] + " [env KG_CRAWL_CACHE; default ./crawl-cache]")
@click.option("--build", "build_store", is_flag=True, help="Then build the crawled record pages into --store.")
@store_option
@click.option("--strict", is_flag=True,
              help="Exit with status 1 on any failed or unreadable page or build error, not only when the start page cannot be had.")
@click.option("--concurrency", type=int, default=None, help=HELP["crawl_concurrency"] + f" [default {Settings.crawl_concurrency:g}]")
@click.option("--rate", type=float, default=None, help=HELP["crawl_rate"] + f" [default {Settings.crawl_rate:g}]")
@click.option("--timeout", type=float, default=None, help=HELP["crawl_timeout"] + f" [default {Settings.crawl_timeout:g}]")
@click.option("--retries", type=int, default=None, help=HELP["crawl_retries"] + f" [default {Settings.crawl_retries:g}]")
@click.option("--max-page-mb", type=float, default=None, help=HELP["crawl_max_page_mb"] + f" [default {Settings.crawl_max_page_mb:g}]")
@click.option("--max-pages", type=int, default=None, help=HELP["crawl_max_pages"] + f" [default {Settings.crawl_max_pages}]")
@click.option("--max-depth", type=int, default=None, help=HELP["crawl_max_depth"] + f" [default {Settings.crawl_max_depth}]")
@click.option("--contact", default=None, help=HELP["crawl_contact"])
@click.option("--record-pattern", multiple=True, help="Regular expression for record pages (repeatable; replaces the defaults).")
@click.option("--index-pattern", multiple=True, help="Regular expression for index pages (repeatable; replaces the defaults).")
@click.pass_context
def crawl(ctx: click.Context, start_url: str, cache: str | None, build_store: bool, store: str | None, strict: bool,
          concurrency: int | None, rate: float | None, timeout: float | None, retries: int | None,
          max_page_mb: float | None, max_pages: int | None, max_depth: int | None, contact: str | None,
          record_pattern: tuple[str, ...],
          index_pattern: tuple[str, ...]) -> None:
    """Crawl an i-eval Discovery-style site from START_URL, an index page, into a cache of raw pages.

    Follows pagination and links to record pages, politely (robots.txt, rate limit, retries); a
    re-crawl asks only for what changed, and an interrupted crawl resumes when run again. With
    --build, the record pages are then built into the store. Exit status 1 only when the start
    page cannot be had, or with --strict. See docs/crawling.md.
    """
    # Imported here: the crawler's HTTP and HTML libraries would add a tenth of a second to every command.
    from kg.crawl import Cache, Crawler, CrawlOptions, crawled_sources

    settings = _settings(
        ctx, store=store, crawl_cache=cache, crawl_concurrency=concurrency, crawl_rate=rate,
        crawl_timeout=timeout, crawl_retries=retries, crawl_max_page_mb=max_page_mb, crawl_max_pages=max_pages,
        crawl_max_depth=max_depth, crawl_contact=contact,
        crawl_record_patterns=record_pattern or None, crawl_index_patterns=index_pattern or None,
    )
    try:
        options = CrawlOptions.from_settings(settings)
    except EvalKGError as error:
        raise click.UsageError(str(error)) from error
    with Cache(settings.crawl_cache) as crawl_cache:
        with Progress(TextColumn("[bold]crawling"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("{task.description}"), console=console, transient=True,
                      disable=not console.is_terminal) as progress:
            task = progress.add_task("", total=None)
            on_progress = (
                (lambda done, known, url: progress.update(task, completed=done, total=known, description=url))
                if console.is_terminal else _progress_lines("crawl", "pages")
            )
            try:
                report = Crawler(crawl_cache, options).crawl(start_url, on_progress)
            except KeyboardInterrupt:
                console.print("[yellow]interrupted[/yellow]: run the same command again to resume the crawl")
                sys.exit(130)
        _print_crawl_report(report)
        if build_store and report.record_pages:
            sources = crawled_sources(crawl_cache, report)
            report.build = _build_with_progress(settings, sources)
            _print_report(report.build, settings.store)
        elif build_store:
            click.echo(f"nothing to build: the crawl holds no record page; store not touched ({settings.store})")
    sys.exit(report.exit_status(strict))


def _progress_lines(work: str, unit: str, every: float = 5.0) -> Callable[[int, int, str], None]:
    """Progress for output that is not a terminal: a line on standard error at most every
    `every` seconds, and one when all that is known is done."""
    started = time.monotonic()
    last = -every

    def report(done: int, known: int, _current: str) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= every or done == known:
            last = now
            click.echo(f"{work}: {done}/{known} {unit} ({now - started:.1f} s)", err=True)

    return report


def _print_crawl_report(report: CrawlReport) -> None:
    for page in report.failed:
        console.print(f"[red]failed[/red] {escape(page.url)}: {escape(page.reason)}", highlight=False)
    for page in report.disallowed:
        console.print(f"[yellow]skipped[/yellow] {escape(page.url)}: {escape(page.reason)}", highlight=False)
    for page in report.unreadable:
        console.print(f"[yellow]warning[/yellow] {escape(page.url + ': ' + '; '.join(page.problems))}", highlight=False)
    click.echo(f"crawl of {report.start_url}: {report.summary()}")


@main.command()
@click.argument("keys", nargs=-1, required=True)
@store_option
@click.pass_context
def drop(ctx: click.Context, keys: tuple[str, ...], store: str | None) -> None:
    """Remove the graphs of sources, named by the key `kg build` gave them (as `kg sources` lists them)."""
    settings = _settings(ctx, store=store)
    builder = Builder(StoreDirectory(settings.store), Iris(settings.base_iri))
    dropped = builder.drop(keys)
    for key in sorted(set(keys) - set(dropped)):
        console.print(f"[yellow]warning[/yellow] {escape(key)}: no such source in the store")
    click.echo(f"{len(dropped)} sources dropped")


@main.command("sources")
@store_option
@click.pass_context
def sources_(ctx: click.Context, store: str | None) -> None:
    """List the sources the store was built from: key, records, statements, errors, when
    ingested and content hash. `kg drop KEY` removes one; `kg build FOLDER --prune` drops those
    whose files are gone from a folder."""
    settings = _settings(ctx, store=store)
    entries = source_entries(StoreDirectory(settings.store).open_read_only(), Iris(settings.base_iri))
    table = _table("key", "records", "statements", "errors", "ingested", "sha256")
    for entry in entries:
        table.add_row(entry.key, _figure(entry.records), _figure(entry.triples), str(entry.errors),
                      entry.ingested, entry.sha256[:12])
    Console().print(table, highlight=False)
    click.echo(f"{len(entries)} sources")


def _table(*columns: str) -> Table:
    """A table whose cells are shown whole (folded onto more lines), never cut with an ellipsis."""
    table = Table()
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _figure(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


@main.command()
@click.argument("query")
@store_option
@click.option("--format", "format_name", type=click.Choice(FORMATS), default="table", show_default=True,
              help="json/xml/csv/tsv for SELECT and ASK (SPARQL 1.1 results), turtle/ntriples/nquads/jsonld/"
                   "rdfxml for CONSTRUCT and DESCRIBE, table for people (IRIs as prefixed names where one fits).")
@click.option("--timeout", type=float, default=None,
              help=HELP["query_timeout"] + f" [env KG_QUERY_TIMEOUT; default {Settings.query_timeout:g}, as kg serve]")
@click.pass_context
def query(ctx: click.Context, query: str, store: str | None, format_name: str, timeout: float | None) -> None:
    """Run a SPARQL QUERY (text, @FILE or - for standard input) over all graphs.

    The prefixes ek, rdf, rdfs, owl, xsd, skos, dcterms, schema, prov, org, void and dcat are
    predeclared. The query runs in a process of its own, stopped at once by Ctrl+C or when its
    time limit passes.
    """
    settings = _settings(ctx, store=store, query_timeout=timeout)
    text = sys.stdin.read() if query == "-" else Path(query[1:]).read_text("utf-8") if query.startswith("@") else query
    database = StoreDirectory(settings.store).live_generation()
    stdout = Console()

    def evaluate(output: BinaryIO) -> None:
        search = SearchFunctions.of_generation(database)
        results = run_query(Store.read_only(str(database)), text, settings.max_nesting, search)
        if format_name != "table":
            write_results(results, format_name, output)
            search.raise_error()
            return
        columns, rows = table_rows(results)
        table = _table(*columns)
        for row in rows:
            table.add_row(*row)
        search.raise_error()
        _print_to(output, stdout, table)

    _run_stoppable(evaluate, settings.query_timeout, "query")


@main.command()
@click.argument("text")
@store_option
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KIND_NAMES),
              help="Keep resources of this kind (repeat for several).")
@click.option("--lang", "languages", multiple=True, metavar="CODE",
              help="Keep texts in this language (en, es, fr...; repeat for several).")
@click.option("--filter", "filters", multiple=True, metavar="FACET=VALUE",
              help=f"Keep resources with this facet value, an IRI or a year ({', '.join(FACETS[1:])}); "
                   "repeat for several (values of one facet: any of them).")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="Results shown.")
@click.option("--offset", type=click.IntRange(0), default=0, show_default=True, help="Results skipped first.")
@click.option("--format", "format_name", type=click.Choice(("table", "json", "csv")), default="table",
              show_default=True, help="json: an object with `results` (iri, kind, score, snippet...) and `facets`.")
@click.pass_context
def search(ctx: click.Context, text: str, store: str | None, kinds: tuple[str, ...], languages: tuple[str, ...],
           filters: tuple[str, ...], limit: int, offset: int, format_name: str) -> None:
    """Search every text (titles, recommendations, action plans, comments, lessons learned, good
    practices) of the store, best match first.

    \b
    TEXT is searched as in a search box:
      social protection        both words, in any form (protections; in Spanish
                               texts, migraciones finds migración)
      "social dialogue"        the phrase
      migra*                   words that start so
      child OR children        either
      labour -forced           labour, but not forced (also: NOT forced)
    Case and accents do not matter; each text is stemmed in its language (en, es, fr).
    """
    settings = _settings(ctx, store=store)
    database = StoreDirectory(settings.store).live_generation()
    request = SearchRequest(text, kinds, tuple(lang.lower() for lang in languages), _facet_filters(filters),
                            limit, offset)
    stdout = Console()

    def run(output: BinaryIO) -> None:
        result = SearchIndex(index_path(database)).search(request)
        if format_name == "json":
            output.write(json.dumps(as_json(request, result), ensure_ascii=False, indent=2).encode() + b"\n")
        elif format_name == "csv":
            output.write(as_csv(request, result).encode())
        else:
            _print_to(output, stdout, _search_table(request, result))

    _run_stoppable(run, settings.query_timeout, "search")


def _run_stoppable(work: Callable[[BinaryIO], None], timeout: float, what: str) -> None:
    """Run `work` in a process of its own that Ctrl+C or `timeout` stops at once (kg.deadline)."""
    try:
        run_with_deadline(work, timeout, sys.stdout.buffer)
    except EvalKGError as error:
        raise click.ClickException(f"{what} failed: {error}") from error
    except KeyboardInterrupt:
        click.echo(f"{what} stopped (Ctrl+C)", err=True)
        sys.exit(130)


def _facet_filters(filters: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    chosen: dict[str, tuple[str, ...]] = {}
    for item in filters:
        facet, _, value = item.partition("=")
        if facet not in FACETS or not value:
            raise click.BadParameter(f"{item!r} is not FACET=VALUE with a facet of {', '.join(FACETS)}",
                                     param_hint="--filter")
        chosen[facet] = (*chosen.get(facet, ()), value)
    return chosen


def _search_table(request: SearchRequest, result: SearchResult) -> Table:
    table = _table("#", "kind", "score", "resource")
    for rank, hit in enumerate(result.hits, start=request.offset + 1):
        snippet = Text()
        for piece, matched in marked_pieces(hit.snippet):
            snippet.append(piece, style="bold yellow" if matched else None)
        table.add_row(str(rank), hit.kind, f"{hit.score:.2f}", Text.assemble((hit.iri, "cyan"), "\n", snippet))
    shown = f"{request.offset + 1}-{request.offset + len(result.hits)}" if result.hits else "none"
    table.caption = f"{result.total:,} found; {shown} shown"
    return table


def _print_to(output: BinaryIO, terminal: Console, renderable: Table) -> None:
    """Print a table to a child's output, as wide as the terminal the command runs in."""
    with io.TextIOWrapper(output, encoding="utf-8") as lines:
        Console(file=lines, width=terminal.width, force_terminal=terminal.is_terminal).print(renderable,
                                                                                             highlight=False)


@main.command()
@store_option
@click.pass_context
def stats(ctx: click.Context, store: str | None) -> None:
    """Count the resources of each class, and the store's triples and graphs."""
    settings = _settings(ctx, store=store)
    counts = class_counts(StoreDirectory(settings.store).open_read_only())
    table = _table("class", "count")
    for name, count in counts.items():
        table.add_row(name, str(count))
    Console().print(table)


@main.command()
@store_option
@click.pass_context
def validate(ctx: click.Context, store: str | None) -> None:
    """Check the store against the SHACL shapes (ontology/shapes.ttl); exit 1 on violations."""
    from kg.validate import union_graph, validate_graph  # pyshacl and rdflib: imported only to validate

    settings = _settings(ctx, store=store)
    result = validate_graph(union_graph(StoreDirectory(settings.store).open_read_only()))
    if result.conforms:
        click.echo("conforms: the store satisfies every shape")
        return
    click.echo(result.report)
    click.echo(f"{result.violations} violations")
    sys.exit(1)


@main.command()
@store_option
@click.option("--out", "out", type=click.Path(file_okay=False), required=True,
              help="Directory to write the dump files into (created if missing; our files in it are replaced).")
@click.option("--base-iri", default=None, help=HELP["base_iri"] + " [env KG_BASE_IRI]")
@click.pass_context
def dump(ctx: click.Context, store: str | None, out: str, base_iri: str | None) -> None:
    """Write the store as reproducible dumps: evalkg.ttl.gz, evalkg.nq.gz, the ontology and
    shapes, void.ttl and SHA256SUMS.

    The same data gives the same bytes on every run: statements in the store's order, blank
    nodes relabelled canonically, no timestamps (ingest times are left out). Memory stays flat
    however large the store.
    """
    settings = _settings(ctx, store=store, base_iri=base_iri)
    with console.status(f"dumping {settings.store} into {out}"):
        files = write_dumps(StoreDirectory(settings.store).live_generation(), Path(out), Iris(settings.base_iri))
    for file in files:
        click.echo(f"{file.sha256}  {file.byte_size:>12,}  {Path(out) / file.name}")


@main.command()
@store_option
@click.option("--host", default=None, help=HELP["host"] + f" [default {Settings.host}]")
@click.option("--port", type=int, default=None, help=HELP["port"] + f" [default {Settings.port}; 0 picks a free one]")
@click.option("--workers", type=int, default=None, help=HELP["workers"] + f" [default {Settings.workers}]")
@click.option("--query-timeout", type=float, default=None,
              help=HELP["query_timeout"] + f" [default {Settings.query_timeout:g}]")
@click.option("--update-token", default=None,
              help=HELP["update_token"] + " Prefer KG_UPDATE_TOKEN: a flag shows in the process list.")
@click.option("--allow-service", "allow_service", multiple=True,
              help="Host (or host:port) that SERVICE and LOAD may reach; repeatable. [env KG_SERVICE_ALLOWLIST]")
@click.option("--debug", is_flag=True, help="Run Flask's development server (one process, reloads nothing) instead of gunicorn.")
@click.pass_context
def serve(ctx: click.Context, store: str | None, host: str | None, port: int | None, workers: int | None,
          query_timeout: float | None, update_token: str | None, allow_service: tuple[str, ...], debug: bool) -> None:
    """Serve the store: the SPARQL endpoint and its query UI at /sparql, the Graph Store at /graph-store.

    Runs gunicorn with several worker processes that read the store (a build may run meanwhile;
    the server picks up its result). Updates are enabled only with an update token, and then
    only for requests bearing it. Stop with Ctrl+C.
    """
    from server.serving import serve as run_server

    settings = _settings(ctx, store=store, host=host, port=port, workers=workers, query_timeout=query_timeout,
                         update_token=update_token, service_allowlist=allow_service or None)
    _check_port_free(settings.host, settings.port)

    def ready(url: str) -> None:
        click.echo(f"evalkg is serving {settings.store} at {url}/sparql (query UI and endpoint); Ctrl+C stops it")
        click.echo("updates: enabled for requests bearing the update token" if settings.update_token
                   else "updates: off (no update token set)")
        click.echo(f"dumps: {_dumps_state(Path(settings.dumps), StoreDirectory(settings.store), url)}")

    run_server(settings, debug=debug, on_ready=ready)


def _check_port_free(host: str, port: int) -> None:
    """Fail at once, in one line, where the server could not listen (the server would retry)."""
    if port == 0:
        return
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
            probe.bind(address)
    except OSError as error:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {error.strerror or error} (another server there? choose --port)"
        ) from error


def _dumps_state(dumps: Path, store: StoreDirectory, url: str) -> str:
    """Whether the dumps folder holds dumps of the served store's live generation."""
    if not dumps.is_dir():
        return f"none ({dumps} is not a folder; kg dump writes them)"
    if not written_for(dumps, generation_id(store.live_generation())):
        return (f"none published: {dumps.resolve()} holds no dumps of this store's live generation"
                f" (kg dump --store {store.path} --out {dumps} writes them)")
    return f"{dumps.resolve()} at {url}/dumps/"


@main.command("linking-report")
@click.option("--set", "set_path", type=click.Path(dir_okay=False, exists=True), default=None,
              help="Score this labelled set only, JSON Lines as described in tests/linking/README.md "
                   "[default: both bundled sets, 'ours (invented)' and 'real (ILO export sample)'].")
def linking_report(set_path: str | None) -> None:
    """Score partner-agency linking on labelled sets: precision, recall and F1.

    For each set, prints the scores per organization, per language and overall, then every
    mention missed or wrongly found, hard negatives linked, mentions found inside words and
    country spellings that do not resolve; with no --set, both bundled sets, each under its name,
    and a line per set at the end. Exits with status 1 when a target is missed on any set
    (precision 0.97, recall 0.95, every country spelling resolved, no mention inside a word).
    """
    if set_path:
        reports = [(set_path, evaluate_set(Path(set_path)))]
    else:
        reports = [(f"{labelled.name}: {labelled.path.name}", report) for labelled, report in evaluate_sets()]
    for name, report in reports:
        click.echo(f"== {name}")
        _print_linking_report(report)
    if len(reports) > 1:
        for name, report in reports:
            overall = report.overall
            click.echo(f"{name}: {report.texts} texts, {overall.labelled} mentions, precision {overall.precision:.3f}, "
                       f"recall {overall.recall:.3f}, F1 {overall.f1:.3f}, targets {'met' if report.targets_met else 'NOT met'}")
    if not all(report.targets_met for _, report in reports):
        sys.exit(1)


def _print_linking_report(report: LinkingReport) -> None:
    out = Console(soft_wrap=True)
    tables = (("organization", report.by_organization), ("language", report.by_language), ("kind", report.by_kind))
    for title, rows in [(title, rows) for title, rows in tables if rows]:
        table = Table(title, "labelled", "found", "correct", "precision", "recall", "F1")
        for name, counts in [*rows.items(), ("overall", report.overall)]:
            table.add_row(name, str(counts.labelled), str(counts.found), str(counts.correct),
                          f"{counts.precision:.3f}", f"{counts.recall:.3f}", f"{counts.f1:.3f}")
        out.print(table, highlight=False)
    for miss in [*report.misses, *report.negatives_linked, *report.inside_words]:
        span = miss.span
        out.print(f"{miss.text_id}: {miss.kind} {span.organization} {span.surface!r} at {span.start}", highlight=False)
    for spelling, found in report.unresolved_countries:
        out.print(f"country {spelling.name!r} resolves to {found or 'nothing'}, not {spelling.iso_alpha3}", highlight=False)
    overall = report.overall
    resolved = len(report.countries) - len(report.unresolved_countries)
    out.print(f"{report.texts} texts: precision {overall.precision:.3f}, recall {overall.recall:.3f}, "
              f"F1 {overall.f1:.3f}; {resolved}/{len(report.countries)} country spellings resolved; "
              f"{len(report.negatives_linked)} hard negatives linked; {len(report.inside_words)} mentions inside words; "
              f"targets (precision {TARGET_PRECISION}, recall {TARGET_RECALL}) "
              f"{'met' if report.targets_met else 'NOT met'}", highlight=False)


@main.command("settings")
@click.pass_context
def show_settings(ctx: click.Context) -> None:
    """List every setting: its KG_* variable, default, current value (from the environment and
    the --config file) and meaning. The update token's value is never shown."""
    current = _settings(ctx)
    for name, text in HELP.items():
        default, value = getattr(Settings(), name), getattr(current, name)
        shown = ("(set)" if value else "(empty)") if name == "update_token" else _setting_text(value)
        click.echo(f"{name}  KG_{name.upper()}\n  default: {_setting_text(default)}\n"
                   f"  current: {shown}{'' if value == default else '  (changed)'}\n  {text}")


def _setting_text(value: object) -> str:
    return ",".join(value) if isinstance(value, tuple) else str(value)


def run() -> None:
    """Entry point: EvalKGError becomes a one-line message and exit status 2, an error of the
    system (a folder that cannot be made, a full disk) one with exit status 1."""
    try:
        main()
    except EvalKGError as error:
        console.print(f"[red]error[/red] {escape(str(error))}", highlight=False)
        sys.exit(2)
    except OSError as error:
        console.print(f"[red]error[/red] {escape(str(error))}", highlight=False)
        sys.exit(1)


if __name__ == "__main__":
    run()
