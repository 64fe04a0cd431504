"""The `kg` command: parses options and hands over to the library; no logic of its own."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from kg import __version__
from kg.build import Builder, BuildReport
from kg.errors import EvalKGError
from kg.iris import Iris
from kg.query import FORMATS, run_query, serialize, table_rows
from kg.settings import Settings, load_settings
from kg.sources import find_sources, sample_sources
from kg.stats import class_counts
from kg.store import StoreDirectory
from kg.validate import union_graph, validate_graph

HELP = Settings.help_texts()
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
      kg build --store store            # the bundled sample corpus
      kg build records/ --store store   # your saved record pages
      kg query --store store 'SELECT * WHERE { ?s a ek:Evaluation } LIMIT 5'
    """


@main.command()
@click.argument("sources", nargs=-1)
@store_option
@click.option("--strict", is_flag=True, help="Exit with status 1 on any error, not only when nothing was ingested.")
@click.option("--max-source-mb", type=float, default=None, help=HELP["max_source_mb"])
@click.option("--base-iri", default=None, help=HELP["base_iri"] + " [env KG_BASE_IRI]")
@click.pass_context
def build(ctx: click.Context, sources: tuple[str, ...], store: str | None, strict: bool,
          max_source_mb: float | None, base_iri: str | None) -> None:
    """Ingest record files, folders or globs (.txt, .html, .json, .jsonl) into the store.

    With no SOURCES, ingests the bundled sample corpus. Unchanged sources are skipped, changed
    ones replace their graph; the store changes only if the build completes. Bad records are
    listed with their file and reason, and the rest is ingested.
    """
    settings = _settings(ctx, store=store, max_source_mb=max_source_mb, base_iri=base_iri)
    if sources:
        found, problems = find_sources(sources)
    else:
        found, problems = sample_sources(), []
    for problem in problems:
        console.print(f"[red]error[/red] {problem}")
    builder = Builder(StoreDirectory(settings.store), Iris(settings.base_iri),
                      int(settings.max_source_mb * 1_000_000))
    with Progress(TextColumn("[bold]building"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), TextColumn("{task.description}"),
                  console=console, transient=True) as progress:
        task = progress.add_task("", total=len(found))
        report = builder.build(found, on_source=lambda s: progress.update(task, advance=1, description=s.key))
    _print_report(report, settings.store)
    nothing = report.ingested == 0 and report.unchanged == 0
    if nothing or (strict and (report.errors or problems)):
        sys.exit(1)


def _print_report(report: BuildReport, store: str) -> None:
    for error in report.errors:
        console.print(f"[red]error[/red] {error}", highlight=False)
    for warning in report.warnings:
        console.print(f"[yellow]warning[/yellow] {warning}", highlight=False)
    if report.unknown_keys:
        keys = ", ".join(f"{k} ({n})" for k, n in sorted(report.unknown_keys.items()))
        console.print(f"[yellow]warning[/yellow] unknown keys kept out of the graph: {keys}", highlight=False)
    state = "store updated" if report.store_changed else "store unchanged"
    click.echo(
        f"{report.sources} sources: {report.ingested} ingested, {report.unchanged} unchanged, "
        f"{report.failed} failed; {report.records} records, {report.recommendations} recommendations; "
        f"{report.quads_written} quads written; {len(report.errors)} errors; {state} ({store})"
    )


@main.command()
@click.argument("keys", nargs=-1, required=True)
@store_option
@click.pass_context
def drop(ctx: click.Context, keys: tuple[str, ...], store: str | None) -> None:
    """Remove the graphs of sources, named by the key `kg build` gave them (their path or URL)."""
    settings = _settings(ctx, store=store)
    builder = Builder(StoreDirectory(settings.store), Iris(settings.base_iri))
    dropped = builder.drop(keys)
    for key in sorted(set(keys) - set(dropped)):
        console.print(f"[yellow]warning[/yellow] {key}: no such source in the store")
    click.echo(f"{len(dropped)} sources dropped")


@main.command()
@click.argument("query")
@store_option
@click.option("--format", "format_name", type=click.Choice(FORMATS), default="table", show_default=True,
              help="json/xml/csv/tsv for SELECT and ASK (SPARQL 1.1 results), turtle/ntriples for "
                   "CONSTRUCT and DESCRIBE, table for people.")
@click.pass_context
def query(ctx: click.Context, query: str, store: str | None, format_name: str) -> None:
    """Run a SPARQL QUERY (text, @FILE or - for standard input) over all graphs.

    The prefixes ek, rdf, rdfs, owl, xsd, skos, dcterms, schema, prov, org, void and dcat are
    predeclared.
    """
    settings = _settings(ctx, store=store)
    text = sys.stdin.read() if query == "-" else Path(query[1:]).read_text("utf-8") if query.startswith("@") else query
    try:
        results = run_query(StoreDirectory(settings.store).open_read_only(), text)
        if format_name != "table":
            sys.stdout.buffer.write(serialize(results, format_name))
            return
        columns, rows = table_rows(results)
    except (SyntaxError, ValueError, OSError) as error:
        raise click.ClickException(f"query failed: {error}") from error
    table = Table(*columns, show_lines=False)
    for row in rows:
        table.add_row(*row)
    Console().print(table, highlight=False)


@main.command()
@store_option
@click.pass_context
def stats(ctx: click.Context, store: str | None) -> None:
    """Count the resources of each class, and the store's triples and graphs."""
    settings = _settings(ctx, store=store)
    counts = class_counts(StoreDirectory(settings.store).open_read_only())
    table = Table("class", "count")
    for name, count in counts.items():
        table.add_row(name, str(count))
    Console().print(table)


@main.command()
@store_option
@click.pass_context
def validate(ctx: click.Context, store: str | None) -> None:
    """Check the store against the SHACL shapes (ontology/shapes.ttl); exit 1 on violations."""
    settings = _settings(ctx, store=store)
    result = validate_graph(union_graph(StoreDirectory(settings.store).open_read_only()))
    if result.conforms:
        click.echo("conforms: the store satisfies every shape")
        return
    click.echo(result.report)
    click.echo(f"{result.violations} violations")
    sys.exit(1)


@main.command("settings")
def show_settings() -> None:
    """List every setting with its environment variable and meaning."""
    for name, text in HELP.items():
        click.echo(f"{name:18} KG_{name.upper():20} {text}")


def run() -> None:
    """Entry point: EvalKGError becomes a one-line message and exit status 2."""
    try:
        main()
    except EvalKGError as error:
        console.print(f"[red]error[/red] {error}", highlight=False)
        sys.exit(2)


if __name__ == "__main__":
    run()
