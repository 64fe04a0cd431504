"""The `kg` command as users run it: build, query in every format, stats, validate, errors."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import signal
import sys
import time

import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.build import _Writer
from kg.cli import main
from kg.settings import Settings
from kg.store import StoreDirectory
from tests.conftest import CORPUS, DATA, SEED

RUNNER = CliRunner()
BASE = "https://w3id.org/evalkg/id/"


def kg(*args: str):
    return RUNNER.invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("cli") / "store")
    result = kg("build", "--store", path, str(CORPUS))
    assert result.exit_code == 0, result.output
    assert "16 sources: 16 ingested, 0 unchanged, 0 failed; 20 records, 30 recommendations" in result.output
    return path


def test_build_without_sources_ingests_the_bundled_real_sample(tmp_path):
    result = kg("build", "--store", str(tmp_path / "store"))
    assert result.exit_code == 0, result.output
    assert ("2 sources: 2 ingested, 0 unchanged, 0 failed; 391 records, 199 recommendations, "
            "250 lessons learned, 135 good practices;") in result.output
    rows = _json_rows(str(tmp_path / "store"), "SELECT (COUNT(?e) AS ?n) WHERE { ?e a ek:Evaluation }")
    assert rows == [{"n": "248"}]  # the export sample's 247 and the seed's 3471


def _json_rows(store: str, query: str) -> list[dict[str, str]]:
    result = kg("query", "--store", store, "--format", "json", query)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def test_management_response_of_16089(store):
    rows = _json_rows(store, f"SELECT ?label WHERE {{ <{BASE}recommendation/16089> ek:managementResponse/skos:prefLabel ?label }}")
    assert rows == [{"label": "Completed"}]


def test_recommendations_per_country(store):
    rows = _json_rows(store, """SELECT ?code (COUNT(DISTINCT ?r) AS ?n) WHERE {
        ?e ek:coversCountry/ek:isoAlpha3 ?code ; ek:hasRecommendation ?r } GROUP BY ?code ORDER BY ?code""")
    counts = {row["code"]: int(row["n"]) for row in rows}
    assert counts["PER"] == 2 and counts["ECU"] == 4  # 3471 (seen on two pages) and 3433
    assert counts["BOL"] == 2 and counts["PSE"] == 2
    assert len(counts) == 43  # every distinct country name of the sample resolved


def test_projects_an_agency_appears_with(store):
    rows = _json_rows(store, f"""SELECT DISTINCT ?symbol WHERE {{
        ?r ek:mentions <{BASE}organization/unhcr> ; ek:project/ek:projectSymbol ?symbol }} ORDER BY ?symbol""")
    symbols = [row["symbol"] for row in rows]
    assert "RLA/19/03/USA" in symbols and "COL/19/02/USA" in symbols


def test_csv_tsv_and_table_formats(store):
    query = f"SELECT ?n WHERE {{ <{BASE}evaluation/3471> ek:evaluationNumber ?n }}"
    assert list(csv.reader(io.StringIO(kg("query", "--store", store, "--format", "csv", query).output))) == [["n"], ["3471"]]
    assert kg("query", "--store", store, "--format", "tsv", query).output.splitlines() == ["?n", "3471"]
    table = kg("query", "--store", store, query).output
    assert "3471" in table and "n" in table


def test_construct_in_every_rdf_format(store):
    query = f"CONSTRUCT {{ ?r ek:ofEvaluation ?e }} WHERE {{ ?r ek:ofEvaluation ?e FILTER(?e = <{BASE}evaluation/3471>) }}"
    for name, fmt in (("turtle", "turtle"), ("ntriples", "nt"), ("nquads", "nquads"), ("jsonld", "json-ld"),
                      ("rdfxml", "xml")):
        result = kg("query", "--store", store, "--format", name, query)
        assert result.exit_code == 0, result.output
        assert len(Graph().parse(data=result.output, format=fmt)) == 2, name


@pytest.mark.parametrize("format_name", ["json", "xml", "csv", "tsv", "table"])
def test_every_format_ends_with_a_line_break(store, format_name):
    for query in ("ASK { ?s ?p ?o }", "SELECT ?e WHERE { ?e ek:evaluationNumber 3471 }"):
        output = kg("query", "--store", store, "--format", format_name, query).output
        assert output.endswith("\n") and not output.endswith("\n\n\n"), (format_name, query)


def test_tables_show_iris_whole_or_as_prefixed_names(store):
    output = kg("query", "--store", store, f"SELECT ?t WHERE {{ <{BASE}recommendation/16089> a ?t }}").output
    assert "ek:Recommendation" in output and "ontology#" not in output
    evaluations = kg("query", "--store", store, "SELECT ?e WHERE { ?e ek:evaluationNumber 3471 }").output
    assert f"{BASE}evaluation/3471" in evaluations.replace("│", "").replace("\n", "").replace(" ", "")


def test_a_query_past_its_time_limit_is_stopped_and_says_so(store):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.monotonic()
    result = kg("query", "--store", store, "--timeout", "1", runaway)
    assert time.monotonic() - started < 5
    assert result.exit_code == 1
    assert "the query ran past its time limit of 1 s (--timeout) and was stopped" in result.output


@pytest.mark.slow
def test_ctrl_c_stops_a_query_at_once(store):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "query", "--store", store, runaway],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)  # well into the query
    process.send_signal(signal.SIGINT)
    started = time.monotonic()
    _, stderr = process.communicate(timeout=10)
    assert time.monotonic() - started < 2
    assert process.returncode == 130 and "query stopped (Ctrl+C)" in stderr


def test_a_query_that_crashes_the_engine_is_an_error_not_a_crash_of_kg(store, tmp_path):
    deep = tmp_path / "deep.rq"
    deep.write_text("SELECT * WHERE " + "{" * 10_000 + "}" * 10_000)
    result = kg("query", "--store", store, f"@{deep}")
    assert result.exit_code == 1 and "query failed:" in result.output


def test_format_that_does_not_fit_the_query_form_is_a_clear_error(store):
    result = kg("query", "--store", store, "--format", "turtle", "ASK { ?s ?p ?o }")
    assert result.exit_code == 1
    assert "a SELECT or ASK result is printed as json, xml, csv, tsv or table" in result.output
    construct = kg("query", "--store", store, "--format", "csv", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1")
    assert "a CONSTRUCT or DESCRIBE result is printed as turtle, ntriples, nquads, jsonld, rdfxml or table" in construct.output


@pytest.mark.parametrize(("query", "message"), [
    ("SELEC *", "unknown keyword SELEC at line 1, column 1"),
    ("SELECT * WHERE { ?s ?p ?o }\nLIMT 4", "unknown keyword LIMT at line 2, column 1"),
    ("SELECT * WHERE { ?s foo:bar ?o }", "unknown prefix foo: in foo:bar at line 1, column 21; declare it with "
     "PREFIX foo: <...> (predeclared: dcat, dcterms, ek, org, owl, prov, rdf, rdfs, schema, skos, void, xsd)"),
    ("SELECT * WHERE { ?s ?p ?o ", "the query ends too early, at line 1, column 27; '{' at line 1, column 16 is not"
     ' closed: expected "," or "." or ";" or "{" or "{|" or "}" or "~"'),
    ("ASK { ?s ?p ?o ) }", "')' at line 1, column 16 closes nothing ('{' at line 1, column 5 is still open)"),
    ('ASK { ?s ek:text "no end }', "the string opened at line 1, column 18 is not closed"),
    ("SELECT * WHERE { ?s ?p ?o } ORDER ?o", "syntax error at the end of the query (line 1, column 37): expected BY"),
])
def test_a_syntax_error_says_in_words_what_and_where(store, query, message):
    result = kg("query", "--store", store, query)
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: query failed: {message}"


def test_stats_and_validate(store):
    stats = kg("stats", "--store", store).output
    assert "ek:Evaluation" in stats and "19" in stats and "ek:Recommendation" in stats
    result = kg("validate", "--store", store)
    assert result.exit_code == 0 and "conforms" in result.output


def test_exit_status_on_bad_input(tmp_path):
    folder = tmp_path / "bad"
    shutil.copytree(DATA / "bad", folder)
    store = str(tmp_path / "store")
    lenient = kg("build", "--store", store, str(folder))
    assert lenient.exit_code == 0 and "truncated.json" in lenient.output
    strict = kg("build", "--store", str(tmp_path / "s2"), "--strict", str(folder))
    assert strict.exit_code == 1
    nothing = kg("build", "--store", str(tmp_path / "s3"), str(folder / "empty.txt"), str(tmp_path / "missing.json"))
    assert nothing.exit_code == 1
    assert "missing.json: no such file, folder or matching glob" in nothing.output
    no_sources = kg("build", "--store", str(tmp_path / "s4"), str(tmp_path / "missing.json"), str(tmp_path / "m*.txt"))
    assert no_sources.exit_code == 1
    assert "no sources to build; store unchanged" in no_sources.output
    assert not (tmp_path / "s4").exists()  # not even created


def test_a_build_the_system_fails_is_reported_and_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("")
    not_a_folder = kg("build", "--store", str(tmp_path / "a-file" / "store"))
    assert not_a_folder.exit_code == 1
    assert "build failed: [Errno 20] Not a directory" in not_a_folder.output
    assert "store unchanged" in not_a_folder.output

    store = tmp_path / "store"
    assert kg("build", "--store", str(store), str(CORPUS / "ilo-evaluation-3399.html")).exit_code == 0
    generation = StoreDirectory(store).current_generation()

    def failing_flush(writer):
        raise OSError("IO error: While open a file for random read: 001746.sst: Too many open files")

    monkeypatch.setattr(_Writer, "flush", failing_flush)
    failed = kg("build", "--store", str(store), str(CORPUS))
    assert failed.exit_code == 1
    assert "build failed: IO error: While open a file for random read: 001746.sst: Too many open files" in failed.output
    assert f"store unchanged ({store})" in failed.output
    assert StoreDirectory(store).current_generation() == generation
    assert not list(store.glob("*.staging"))


def test_missing_store_is_a_one_line_error():
    completed = subprocess.run([sys.executable, "-m", "kg.cli", "stats", "--store", "/nonexistent/store"],
                               capture_output=True, text=True)
    assert completed.returncode == 2
    assert "no evalkg store here; create it with `kg build --store /nonexistent/store`" in completed.stderr


def test_an_error_of_the_system_is_a_one_line_error(store, tmp_path):
    (tmp_path / "a-file").write_text("")
    completed = subprocess.run([sys.executable, "-m", "kg.cli", "dump", "--store", store,
                                "--out", str(tmp_path / "a-file" / "dumps")], capture_output=True, text=True)
    assert completed.returncode == 1
    assert completed.stderr.strip() == f"error [Errno 20] Not a directory: '{tmp_path / 'a-file' / 'dumps'}'"


def test_a_build_of_text_imports_neither_the_crawler_nor_the_html_libraries(tmp_path):
    """The HTML libraries and httpx take a tenth of a second or more each to import: only `kg crawl`
    and HTML sources need them, so a build of other sources does not wait for them."""
    check = """
import sys
from kg.cli import run
sys.argv = ["kg", "build", "--workers", "1", "--store", sys.argv[1], sys.argv[2]]
try:
    run()
except SystemExit:
    pass
print(sorted(name for name in ("bs4", "cssselect", "httpx", "soupsieve") if name in sys.modules))
"""
    completed = subprocess.run([sys.executable, "-c", check, str(tmp_path / "store"), str(SEED)],
                               capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert "1 ingested" in completed.stdout
    assert completed.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("command", ["build", "query", "stats", "validate", "drop", "settings"])
def test_every_command_has_help(command):
    result = kg(command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output and "--help" in result.output


def test_every_setting_is_documented():
    listed = kg("settings").output
    for name, text in Settings.help_texts().items():
        assert text and f"KG_{name.upper()}" in listed and text in listed


def test_settings_show_each_default_and_current_value_but_never_the_token(monkeypatch):
    monkeypatch.setenv("KG_QUERY_TIMEOUT", "12.5")
    monkeypatch.setenv("KG_UPDATE_TOKEN", "s3cret")
    listed = kg("settings").output
    assert "query_timeout  KG_QUERY_TIMEOUT\n  default: 30.0\n  current: 12.5  (changed)\n" in listed
    assert "max_rows  KG_MAX_ROWS\n  default: 10000\n  current: 10000\n" in listed
    assert "current: (set)  (changed)" in listed and "s3cret" not in listed


def test_serve_says_whether_updates_are_on_and_whether_its_dumps_belong_to_the_store(tmp_path, monkeypatch):
    import server.serving

    monkeypatch.setattr(server.serving, "serve", lambda settings, debug, on_ready: on_ready("http://127.0.0.1:8000"))
    monkeypatch.chdir(tmp_path)
    assert kg("build", "--store", "store", str(CORPUS / "ilo-evaluation-3590.json")).exit_code == 0
    assert kg("dump", "--store", "store", "--out", "dumps").exit_code == 0
    served = kg("serve", "--store", "store")
    assert "updates: off (no update token set)" in served.output
    assert f"dumps: {tmp_path / 'dumps'} at http://127.0.0.1:8000/dumps/" in served.output
    assert kg("build", "--store", "store", str(CORPUS / "ilo-evaluation-3725.json")).exit_code == 0
    stale = kg("serve", "--store", "store")  # a new generation: the dumps are of the one before
    assert ("dumps: none published: " f"{tmp_path / 'dumps'} holds no dumps of this store's live generation"
            " (kg dump --store store --out dumps writes them)") in stale.output
    monkeypatch.setenv("KG_UPDATE_TOKEN", "t")
    monkeypatch.setenv("KG_DUMPS", "elsewhere")
    on = kg("serve", "--store", "store")
    assert "updates: enabled for requests bearing the update token" in on.output
    assert "dumps: none (elsewhere is not a folder; kg dump writes them)" in on.output


def test_a_port_in_use_is_one_line_at_once(tmp_path):
    import socket as sockets

    with sockets.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        result = kg("serve", "--store", str(tmp_path), "--port", str(port))
        assert time.monotonic() - started < 2
    assert result.exit_code == 1
    assert result.output == f"Error: cannot listen on 127.0.0.1:{port}: Address already in use (another server there? choose --port)\n"


def test_rdf_xml_that_cannot_name_a_property_is_an_error_not_broken_xml(store):
    result = kg("query", "--store", store, "--format", "rdfxml", "CONSTRUCT { <http://e/s> <http://e/1> 1 } WHERE {}")
    assert result.exit_code == 1
    assert "RDF/XML cannot write the property <http://e/1>; choose turtle, ntriples or jsonld" in result.output


def test_kg_query_refuses_nesting_past_the_configured_limit(store, monkeypatch):
    monkeypatch.setenv("KG_MAX_NESTING", "10")
    deep = "SELECT * WHERE " + "{" * 12 + " ?s ?p ?o " + "}" * 12
    result = kg("query", "--store", store, deep)
    assert result.exit_code == 1 and "max_nesting" in result.output
    monkeypatch.setenv("KG_MAX_NESTING", "1000")
    assert kg("query", "--store", store, deep).exit_code == 0
