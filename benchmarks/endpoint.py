"""Endpoint benchmark: `kg serve` against `oxigraph serve-read-only` on the same store, side by side.

`python -m benchmarks.endpoint --store STORE --seconds 20 --out results/endpoint.json`

Two fixed mixes of domain queries (`mix`: the light one of lookups, ASK, DESCRIBE and the
linked-data page as HTML and Turtle; the heavy one of every query), each as it is (the same
requests again and again: repeats) and with every request made unique (a comment appended to
the query, a parameter to a page's URL: no answer can be reused), are driven at each concurrency
by a load generator in a separate process (`benchmarks.load`) against
- `kg serve --store STORE --workers 2` (gunicorn; queries go to its query processes), and
- `oxigraph serve-read-only --location COPY` of a copy of the live generation; its default graph
  is evalkg's stored merge of the named graphs, so the same query text means the same thing
  (with `--union-default-graph` it would count each statement once per graph holding it: the
  default graph's copy and each source's, so a lookup returned each row twice or more). oxigraph
  has no linked-data pages: it gets the DESCRIBE of the page's resource as Turtle in their place.
Both servers run throughout; each combination of mix, repeats and concurrency is driven against
kg serve and then oxigraph, and each row gives the CPU time per request of the server's process
tree and of the load generator (`server_cpu_us`, `client_cpu_us`; all three share the cores). Query parameters (evaluations, countries, projects, organizations)
are drawn from the store itself before the servers start, deterministically.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from benchmarks.report import markdown_table
from kg.store import StoreDirectory

PREFIXES = """PREFIX ek: <https://w3id.org/evalkg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
SELECT_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
TURTLE = "text/turtle"
COLUMNS = ("server", "mix", "repeats", "concurrency", "requests", "errors", "throughput", "p50_ms", "p99_ms",
           "lookup_p50_ms", "x_oxigraph", "server_cpu_us", "client_cpu_us")
LIGHT = ("lookup-evaluation", "lookup-by-number", "recommendations-of-evaluation", "ask-country", "describe-project")
PAGES = (("page-evaluation-html", ".html", "text/html"), ("page-evaluation-ttl", ".ttl", TURTLE))
ROUNDS = 3  # each parametrised query appears this many times, with different parameters
TITLE_WORDS = ("social", "empleo", "travail")
TEXT_PATTERNS = ("^2\\\\.", "UNICEF", "coordina")  # SPARQL string escapes: "^2\\." is the regex ^2\.


def parameters(store_dir: Path, count: int = ROUNDS) -> dict[str, list[str]]:
    """Evaluations, countries, projects and organizations to ask about, spread over the store."""
    store = StoreDirectory(store_dir).open_read_only()

    def pick(query: str) -> list[str]:
        values = [row[0].value for row in store.query(PREFIXES + query)]
        step = max(1, len(values) // count)
        return values[::step][:count]

    return {
        "evaluation": pick("SELECT ?e WHERE { ?e a ek:Evaluation } ORDER BY ?e"),
        "country": pick("SELECT DISTINCT ?c WHERE { ?e ek:coversCountry ?c } ORDER BY ?c"),  # the reference types them all
        "project": pick("SELECT ?p WHERE { ?p a ek:Project } ORDER BY ?p"),
        "organization": pick("SELECT DISTINCT ?o WHERE { ?r ek:mentions ?o } ORDER BY ?o"),
    }


def queries(p: dict[str, list[str]], index: int) -> list[tuple[str, str, str]]:
    """The mix's SPARQL queries (name, text, Accept), the `index`-th set of parameters."""
    e, c, pr, o = (p[k][index % len(p[k])] for k in ("evaluation", "country", "project", "organization"))
    number, word, pattern = e.rsplit("/", 1)[1], TITLE_WORDS[index % 3], TEXT_PATTERNS[index % 3]
    return [
        ("lookup-evaluation", f"SELECT ?p ?o WHERE {{ <{e}> ?p ?o }}", SELECT_JSON),
        ("lookup-by-number", "SELECT ?e ?t WHERE { ?e ek:evaluationNumber "
         f"{number} ; dcterms:title ?t }}", SELECT_JSON),
        ("recommendations-of-evaluation", "SELECT ?r ?label ?theme WHERE { "
         f"<{e}> ek:hasRecommendation ?r . ?r rdfs:label ?label OPTIONAL {{ ?r ek:theme ?theme }} }}", SELECT_JSON),
        ("evaluations-in-country", "SELECT ?e ?t WHERE { "
         f"?e ek:coversCountry <{c}> ; dcterms:title ?t }} ORDER BY ?e LIMIT 100", SELECT_JSON),
        ("projects-in-country", "SELECT DISTINCT ?project WHERE { "
         f"?e ek:coversCountry <{c}> ; ek:evaluatesProject ?project }} LIMIT 200", SELECT_JSON),
        ("project-evaluations-agencies", "SELECT DISTINCT ?e ?org WHERE { "
         f"?e ek:evaluatesProject <{pr}> ; ek:hasRecommendation ?r . OPTIONAL {{ ?r ek:mentions ?org }} }}",
         SELECT_JSON),
        ("agency-countries", "SELECT ?country (COUNT(DISTINCT ?r) AS ?n) WHERE { "
         f"?r ek:mentions <{o}> ; ek:ofEvaluation ?e . ?e ek:coversCountry ?country }} "
         "GROUP BY ?country ORDER BY DESC(?n) LIMIT 20", SELECT_JSON),
        ("count-by-region", "SELECT ?region (COUNT(DISTINCT ?e) AS ?n) WHERE { "
         "?e ek:coversCountry ?c . ?c ek:inRegion ?region } GROUP BY ?region", SELECT_JSON),
        ("top-themes", "SELECT ?theme (COUNT(?r) AS ?n) WHERE { ?r ek:theme ?theme } "
         "GROUP BY ?theme ORDER BY DESC(?n) LIMIT 10", SELECT_JSON),
        ("donor-of-projects-in-country", "SELECT ?donor (COUNT(DISTINCT ?project) AS ?n) WHERE { "
         f"?e ek:coversCountry <{c}> ; ek:evaluatesProject ?project . ?project ek:donor ?donor }} "
         "GROUP BY ?donor", SELECT_JSON),
        ("text-filter-title", "SELECT ?e ?t WHERE { ?e a ek:Evaluation ; dcterms:title ?t "
         f"FILTER(CONTAINS(LCASE(STR(?t)), \"{word}\")) }} LIMIT 50",
         SELECT_JSON),
        ("text-filter-recommendation", "SELECT ?r WHERE { ?r a ek:Recommendation ; ek:text ?t "
         f"FILTER(REGEX(?t, \"{pattern}\")) }} LIMIT 50", SELECT_JSON),
        ("construct-evaluation", f"CONSTRUCT {{ <{e}> ?p ?o . ?r ?rp ?ro }} WHERE {{ <{e}> ?p ?o "
         f"OPTIONAL {{ <{e}> ek:hasRecommendation ?r . ?r ?rp ?ro }} }}", NTRIPLES),
        ("describe-project", f"DESCRIBE <{pr}>", NTRIPLES),
        ("ask-country", f"ASK {{ ?e ek:coversCountry <{c}> }}", SELECT_JSON),
    ]


def mix(p: dict[str, list[str]], sparql_path: str, with_pages: bool, light: bool = False) -> list[dict]:
    """The requests of a mix for one server: each query `ROUNDS` times, and the linked-data page as HTML
    and Turtle (`with_pages`; else the DESCRIBE of its resource as Turtle, under the page's name).
    `light`: the lookups, ASK and DESCRIBE only."""
    requests = []
    for index in range(ROUNDS):
        for name, text, accept in queries(p, index):
            if not light or name in LIGHT:
                requests.append(_query(name, sparql_path, text, accept))
        evaluation = p["evaluation"][index % len(p["evaluation"])]
        for name, extension, media_type in PAGES:
            if with_pages:
                path = "/id/" + evaluation.split("/id/", 1)[1] + extension
                requests.append({"name": name, "path": path, "headers": {"Accept": media_type}})
            else:
                requests.append(_query(name, sparql_path, f"DESCRIBE <{evaluation}>", TURTLE))
    return requests


def _query(name: str, sparql_path: str, text: str, accept: str) -> dict:
    return {"name": name, "path": f"{sparql_path}?query={quote(PREFIXES + text)}", "headers": {"Accept": accept}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds:g} s")


def drive(base: str, requests: list[dict], concurrency: list[int], seconds: float, unique: bool,
          server_pid: int) -> list[dict]:
    """Run the load generator in its own process against `base`, served by the process `server_pid`."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as plan:
        json.dump({"base": base, "mix": requests, "concurrency": concurrency, "seconds": seconds, "unique": unique,
                   "server_pid": server_pid}, plan)
    try:
        out = subprocess.run([sys.executable, "-m", "benchmarks.load", plan.name], capture_output=True, text=True,
                             check=True, cwd=Path(__file__).parent.parent)
    finally:
        Path(plan.name).unlink()
    return json.loads(out.stdout)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def check_answers(base_kg: str, base_ox: str, requests_kg: list[dict], requests_ox: list[dict]) -> list[str]:
    """Names of the SELECT/ASK queries whose JSON results differ in size between the two servers."""
    differ = []
    for kg_request, ox_request in zip(requests_kg, requests_ox):
        if kg_request["headers"]["Accept"] != SELECT_JSON:
            continue
        answers = []
        for base, request in ((base_kg, kg_request), (base_ox, ox_request)):
            with urllib.request.urlopen(urllib.request.Request(base + request["path"], headers=request["headers"])) as r:
                body = json.loads(r.read())
            answers.append(body.get("boolean", len(body.get("results", {}).get("bindings", []))))
        if answers[0] != answers[1]:
            differ.append(f"{kg_request['name']}: {answers[0]} vs {answers[1]}")
    return differ


def run(store_dir: Path, concurrency: list[int], seconds: float, kg_workers: int, work: Path,
        mixes: list[str], repeats: list[str]) -> dict:
    """Measure both servers on the store; return the rows and the check of their answers."""
    p = parameters(store_dir)
    plans = {name: (mix(p, "/sparql", True, name == "light"), mix(p, "/query", False, name == "light"))
             for name in mixes}
    rows: list[dict] = []
    kg_port, ox_port = free_port(), free_port()
    kg_base, ox_base = f"http://127.0.0.1:{kg_port}", f"http://127.0.0.1:{ox_port}"
    copy = work / "oxigraph-store"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(StoreDirectory(store_dir).live_generation(), copy)
    kg = subprocess.Popen([str(Path(sys.executable).with_name("kg")), "serve", "--store", str(store_dir),
                           "--workers", str(kg_workers), "--port", str(kg_port)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    oxigraph = subprocess.Popen([str(Path(sys.executable).with_name("oxigraph")), "serve-read-only", "--location",
                                 str(copy), "--bind", f"127.0.0.1:{ox_port}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(kg_base + "/healthz", kg)
        wait_until_up(ox_base + "/query?query=ASK%7B%7D", oxigraph)
        differ = check_answers(kg_base, ox_base, *plans["heavy" if "heavy" in plans else mixes[0]])
        for name, (kg_requests, ox_requests) in plans.items():
            for mode in repeats:
                unique = mode == "unique"
                for server, base, requests, process in (("kg serve", kg_base, kg_requests, kg),
                                                        ("oxigraph serve-read-only", ox_base, ox_requests, oxigraph)):
                    rows += [{"server": server, "mix": name, "repeats": mode, **level,
                              "lookup_p50_ms": level["p50_ms_by_query"].get("lookup-evaluation")}
                             for level in drive(base, requests, concurrency, seconds, unique, process.pid)]
    finally:
        stop(kg)
        stop(oxigraph)
        shutil.rmtree(copy, ignore_errors=True)
    oxigraph_throughput = {(r["mix"], r["repeats"], r["concurrency"]): r["throughput"]
                           for r in rows if r["server"] != "kg serve"}
    for row in rows:
        row["x_oxigraph"] = round(row["throughput"] / oxigraph_throughput[row["mix"], row["repeats"],
                                                                          row["concurrency"]], 2)
    return {"rows": rows, "answers_differ": differ, "mix": {name: [r["name"] for r in kg_requests]
                                                            for name, (kg_requests, _) in plans.items()}}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="an evalkg store directory (kg build --store)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds of load per concurrency level")
    parser.add_argument("--kg-workers", type=int, default=2)
    parser.add_argument("--mix", nargs="+", choices=("light", "heavy"), default=["light", "heavy"])
    parser.add_argument("--repeats", nargs="+", choices=("repeated", "unique"), default=["repeated", "unique"],
                        help="the mix as it is, and/or with every request made unique (no answer reusable)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    result = run(args.store, args.concurrency, args.seconds, args.kg_workers, args.work, args.mix, args.repeats)
    print(markdown_table(result["rows"], COLUMNS))
    if result["answers_differ"]:
        print("answers differ:", *result["answers_differ"], sep="\n  ")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
