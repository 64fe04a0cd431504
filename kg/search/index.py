"""The text index: an SQLite FTS5 database inside each store generation, kept in step with it.

Every store generation (`kg.store`) carries its own `search.sqlite`, written before the
generation goes live; so a killed build leaves the old index with the old store, and a server
reading a generation reads the index of that generation. A new generation's index starts as a
copy of the live one and takes only the difference: texts gone are deleted, new texts analyzed
and added (the analysis and FTS5's inserts are most of the cost); the facets are rebuilt.

SQLite's FTS5 ships with Python, ranks by BM25, answers phrases, prefixes and boolean searches,
and keeps the index in one file beside the store; the language analysis (`kg.search.analysis`)
is ours, so each text is stemmed by its own language's rules. Searches go from the texts matched
to their resources (`owners`) and their facet values (`facets`) by integer ids: those tables are
narrow, and rebuilt with the facets on each update.

What the index reads of a store (`is_input`: texts, kinds, facet values, dates) is gathered into a
working table first, from the store or, for the build of a store from nothing, from an N-Quads
file of those quads the build wrote as it loaded them (`write_inputs`): reading a freshly loaded
store back, before its compaction, takes longer than the rest of the index.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store, parse, serialize

from kg.namespaces import DCTERMS, EK, RDF, RDFS, SKOS
from kg.search import analysis
from kg.search.analysis import STEMMED_LANGUAGES

INDEX_FILE = "search.sqlite"
SCHEMA_VERSION = "4"  # with the analysis: an index of another version is rebuilt, not updated
OPTIMIZE_SHARE = 0.1  # merge the index into one segment when this share of its texts changed; else
# FTS5 merges its segments as it goes

KINDS: dict[NamedNode, str] = {
    EK.Evaluation: "evaluation",
    EK.Recommendation: "recommendation",
    EK.LessonLearned: "lesson",
    EK.GoodPractice: "good-practice",
}
TEXT_PROPERTIES: dict[NamedNode, str] = {
    DCTERMS.title: "title",
    **{EK[name]: name for name in ("text", "actionPlan", "comments", "context", "challenges", "success",
                                   "administrativeIssues", "causeEffect", "indicators", "replication")},
}
# facet → the property whose objects are its values, on the resource itself
OWN_FACETS: dict[str, NamedNode] = {
    "theme": EK.theme,
    "agency": EK.mentions,
    "response": EK.managementResponse,
    "progress": EK.progress,
    "country": EK.coversCountry,
    "region": EK.coversRegion,
    "funder": EK.fundedBy,
}
EVALUATION_FACETS = ("country", "region", "funder", "year")  # an item has its evaluation's
DATES = (DCTERMS.date, EK.completionDate, EK.plannedCompletionDate)  # the first a resource has gives its year
FACETS = ("kind", "region", "country", "theme", "agency", "funder", "year", "response", "progress")
WITHIN = (EK.inRegion, SKOS.broader)  # a country's region, a region's wider one
INPUT_PREDICATES: frozenset[NamedNode] = frozenset(
    {*TEXT_PROPERTIES, *OWN_FACETS.values(), *DATES, *WITHIN, EK.ofEvaluation})
"""The predicates of the triples the index reads, besides `rdf:type` with a class of `KINDS`."""

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE texts(
    id INTEGER PRIMARY KEY, doc TEXT NOT NULL, field TEXT NOT NULL, lang TEXT NOT NULL, text TEXT NOT NULL);
CREATE INDEX texts_by_doc ON texts(doc, field, lang);
CREATE VIRTUAL TABLE fts USING fts5(
    stems_en, stems_es, stems_fr, words, content='', tokenize='unicode61 remove_diacritics 0');
CREATE TABLE docs(id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, evaluation TEXT,
    label TEXT, lang TEXT);
CREATE TABLE owners(text_id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL, lang TEXT NOT NULL);
CREATE TABLE facet_values(id INTEGER PRIMARY KEY, facet TEXT NOT NULL, value TEXT NOT NULL, UNIQUE(facet, value));
CREATE TABLE facets(doc_id INTEGER NOT NULL, value_id INTEGER NOT NULL, PRIMARY KEY(doc_id, value_id)) WITHOUT ROWID;
CREATE INDEX facets_by_value ON facets(value_id, doc_id);
CREATE TABLE labels(iri TEXT NOT NULL, lang TEXT NOT NULL, label TEXT NOT NULL,
    PRIMARY KEY(iri, lang, label)) WITHOUT ROWID;
"""
_COLUMNS = ("stems_en", "stems_es", "stems_fr", "words")
_BATCH = 2000
CACHE_KIB = 64 * 1024  # SQLite's page cache while writing the index


def index_path(generation: Path) -> Path:
    return generation / INDEX_FILE


def index_is_current(generation: Path) -> bool:
    """Whether a store generation has a text index of this version."""
    return _version_of(index_path(generation)) == SCHEMA_VERSION


def is_input(quad: Quad) -> bool:
    """Whether the index reads this quad's triple."""
    predicate = quad.predicate
    return predicate in INPUT_PREDICATES or (predicate == RDF.type and quad.object in KINDS)


def write_inputs(quads: Iterable[Quad], out: BinaryIO) -> None:
    """Write to `out`, as N-Quads, those of `quads` the index reads."""
    serialize((quad for quad in quads if is_input(quad)), out, RdfFormat.N_QUADS)


def update_index(store: Store, path: Path, previous: Path | None, inputs: Path | None = None) -> IndexChange:
    """Write the index of `store` at `path`, from a copy of `previous` (the live generation's
    index) when it exists and is of this version; else from nothing. `inputs`, if given, is an
    N-Quads file holding every quad of `store` that `is_input` (in any graph, any number of
    times): the index reads those from it rather than from the store. The file is on disk when
    this returns, before its generation can go live."""
    if previous is not None and _version_of(previous) == SCHEMA_VERSION:
        shutil.copyfile(previous, path)
        connection = _connect(path)
    else:
        path.unlink(missing_ok=True)
        connection = _connect(path)
        connection.executescript(_SCHEMA)
        connection.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
    connection.execute("BEGIN")  # one transaction for the update
    try:
        with connection:
            _gather(connection, _inputs_in_store(store) if inputs is None
                    else parse(path=inputs, format=RdfFormat.N_QUADS))
            _write_documents(connection)
            change = _sync_texts(connection)
            _write_owners(connection)
            _write_facets(connection)
            _write_labels(connection, store)
            connection.execute("DROP TABLE triples")
        if change.added + change.removed > OPTIMIZE_SHARE * change.total:
            connection.execute("INSERT INTO fts(fts) VALUES ('optimize')")  # one segment: the fastest to search
    finally:
        connection.close()
    with open(path, "rb") as written:
        os.fsync(written.fileno())
    return change


@dataclass(frozen=True)
class IndexChange:
    """How many texts an update added and removed, and how many the index holds."""

    added: int
    removed: int
    total: int


def _version_of(path: Path) -> str | None:
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    # The file is in a staging generation until it goes live: a crash discards it whole.
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    # Working tables (every text of the store, at a build) go to temporary files, not memory.
    connection.execute("PRAGMA temp_store = FILE")
    connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    return connection


def _row(quad: Quad) -> tuple[str, str, str, str | None]:
    """A triple as the working table holds it: `lang` is None for a resource, "" for a literal
    without a language."""
    obj = quad.object
    return quad.predicate.value, quad.subject.value, obj.value, (obj.language or "") if isinstance(obj, Literal) else None


def _gather(connection: sqlite3.Connection, inputs: Iterable[Quad]) -> None:
    """The working table of the triples the index reads (a triple may come more than once, from
    several graphs: what reads the table allows for it)."""
    connection.execute("CREATE TEMP TABLE triples(p TEXT NOT NULL, s TEXT NOT NULL, o TEXT NOT NULL, lang TEXT)")
    connection.executemany("INSERT INTO triples VALUES (?, ?, ?, ?)", map(_row, inputs))
    connection.execute("CREATE INDEX temp.triples_by_p ON triples(p)")  # not `o`: texts would be keys


def _inputs_in_store(store: Store) -> Iterator[Quad]:
    """The quads of the store's default graph the index reads (`is_input`)."""
    for predicate in INPUT_PREDICATES:
        yield from store.quads_for_pattern(None, predicate, None, DefaultGraph())
    for cls in KINDS:
        yield from store.quads_for_pattern(None, RDF.type, cls, DefaultGraph())


def _write_documents(connection: sqlite3.Connection) -> None:
    """The resources searched (evaluations and their items), their kind and evaluation."""
    connection.execute("DELETE FROM docs")
    for cls, kind in KINDS.items():
        connection.execute("INSERT OR IGNORE INTO docs(iri, kind) SELECT s, ? FROM triples"
                           " WHERE p = ? AND o = ? ORDER BY s", (kind, RDF.type.value, cls.value))
    connection.execute("CREATE TEMP TABLE item_of(doc TEXT PRIMARY KEY, evaluation TEXT) WITHOUT ROWID")
    connection.execute("INSERT INTO item_of SELECT s, MIN(o) FROM triples WHERE p = ? GROUP BY s",
                       (EK.ofEvaluation.value,))
    connection.execute("UPDATE docs SET evaluation = (SELECT evaluation FROM item_of WHERE item_of.doc = docs.iri)"
                       " WHERE kind != 'evaluation'")
    connection.execute("DROP TABLE item_of")


def _sync_texts(connection: sqlite3.Connection) -> IndexChange:
    """Make the texts of the index those of the store's documents: delete the gone, add the new."""
    connection.execute("CREATE TEMP TABLE current(doc TEXT, field TEXT, lang TEXT, text TEXT)")
    for predicate, field_name in TEXT_PROPERTIES.items():
        connection.execute("INSERT INTO current SELECT DISTINCT s, ?, lang, o FROM triples"
                           " WHERE p = ? AND lang IS NOT NULL", (field_name, predicate.value))
    connection.execute("DELETE FROM current WHERE doc NOT IN (SELECT iri FROM docs)")
    connection.execute("CREATE INDEX temp.current_by_doc ON current(doc, field, lang)")
    connection.execute(
        "CREATE TEMP TABLE gone AS SELECT id FROM texts t WHERE NOT EXISTS (SELECT 1 FROM current c"
        " WHERE c.doc = t.doc AND c.field = t.field AND c.lang = t.lang AND c.text = t.text)")
    connection.execute(
        "CREATE TEMP TABLE new AS SELECT doc, field, lang, text FROM current c WHERE NOT EXISTS (SELECT 1 FROM texts t"
        " WHERE c.doc = t.doc AND c.field = t.field AND c.lang = t.lang AND c.text = t.text)"
        " ORDER BY doc, field, lang, text")  # new texts' ids in this order, however the triples were gathered
    connection.execute("DROP TABLE current")
    removed = 0
    gone = connection.execute("SELECT t.id, t.text, t.lang FROM gone g JOIN texts t ON t.id = g.id")
    while batch := gone.fetchmany(_BATCH):
        # The index keeps no copy of its terms: a text's are analyzed again to delete them.
        connection.executemany("INSERT INTO fts(fts, rowid, " + ", ".join(_COLUMNS) + ")"
                               " VALUES ('delete', ?, ?, ?, ?, ?)",
                               ((rowid, *analyzed(text, lang)) for rowid, text, lang in batch))
        removed += len(batch)
    connection.execute("DELETE FROM texts WHERE id IN (SELECT id FROM gone)")
    connection.execute("DROP TABLE gone")
    new = connection.execute("SELECT doc, field, lang, text FROM new ORDER BY rowid")
    added = 0
    next_id = connection.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM texts").fetchone()[0]
    while batch := new.fetchmany(_BATCH):
        rows = [(next_id + i, *row, *analyzed(row[3], row[2])) for i, row in enumerate(batch)]
        next_id += len(rows)
        connection.executemany("INSERT INTO texts VALUES (?, ?, ?, ?, ?)", (row[:5] for row in rows))
        connection.executemany("INSERT INTO fts(rowid, " + ", ".join(_COLUMNS) + ") VALUES (?, ?, ?, ?, ?)",
                               ((row[0], *row[5:]) for row in rows))
        added += len(rows)
    connection.execute("DROP TABLE new")
    connection.execute("UPDATE docs SET (label, lang) = (SELECT text, lang FROM texts WHERE texts.doc = docs.iri"
                       " AND field IN ('title', 'text') ORDER BY field = 'title' DESC LIMIT 1)")
    total = connection.execute("SELECT COUNT(*) FROM texts").fetchone()[0]
    return IndexChange(added, removed, total)


def _write_owners(connection: sqlite3.Connection) -> None:
    """Which resource each text is of, by id, and the text's language."""
    connection.execute("DELETE FROM owners")
    connection.execute("INSERT INTO owners SELECT t.id, d.id, t.lang FROM texts t JOIN docs d ON d.iri = t.doc")


def analyzed(text: str, language: str) -> tuple[str | None, str | None, str | None, str | None]:
    """A text's index columns: its terms in the column of its language, `words` for a language not stemmed."""
    base = language.split("-")[0].lower()
    column = f"stems_{base}" if base in STEMMED_LANGUAGES else "words"
    terms = analysis.analyzed(text, base)
    return tuple(terms if name == column else None for name in _COLUMNS)  # type: ignore[return-value]


def _write_facets(connection: sqlite3.Connection) -> None:
    """Each document's facet values: its kind, its own, its evaluation's, its year."""
    # appended to as found, indexed once full, duplicates dropped at the end: far faster than a key
    connection.execute("CREATE TEMP TABLE found(doc TEXT, facet TEXT, value TEXT)")
    connection.execute("INSERT INTO found SELECT iri, 'kind', kind FROM docs")
    for facet, predicate in OWN_FACETS.items():
        connection.execute("INSERT INTO found SELECT s, ?, o FROM triples WHERE p = ?", (facet, predicate.value))
    connection.execute("CREATE TEMP TABLE dated(doc TEXT, year TEXT, rank INTEGER)")
    for rank, predicate in enumerate(DATES):
        connection.execute("INSERT INTO dated SELECT s, substr(o, 1, 4), ? FROM triples WHERE p = ? AND lang IS NOT NULL",
                           (rank, predicate.value))
    # the year of the first date property the resource has (of its dates by it, the earliest)
    connection.execute("INSERT INTO found SELECT doc, 'year', substr(MIN(rank || year), 2) FROM dated GROUP BY doc")
    connection.execute("DROP TABLE dated")
    connection.execute("DELETE FROM found WHERE doc NOT IN (SELECT iri FROM docs)")
    connection.execute("CREATE INDEX temp.found_by_doc ON found(doc, facet)")
    _write_regions(connection)
    connection.execute(
        "INSERT INTO found SELECT d.iri, f.facet, f.value FROM docs d JOIN found f ON f.doc = d.evaluation"
        " WHERE f.facet IN (" + ", ".join("?" * len(EVALUATION_FACETS)) + ")"
        " AND (f.facet != 'year' OR NOT EXISTS (SELECT 1 FROM found y WHERE y.doc = d.iri AND y.facet = 'year'))",
        EVALUATION_FACETS)
    connection.execute("DELETE FROM facets")
    connection.execute("DELETE FROM facet_values")
    connection.execute("INSERT INTO facet_values(facet, value) SELECT DISTINCT facet, value FROM found"
                       " ORDER BY facet, value")
    connection.execute("INSERT OR IGNORE INTO facets SELECT d.id, v.id FROM found f JOIN docs d ON d.iri = f.doc"
                       " JOIN facet_values v ON v.facet = f.facet AND v.value = f.value")
    connection.execute("DROP TABLE found")


def _write_regions(connection: sqlite3.Connection) -> None:
    """An evaluation is in the regions of the countries it covers, and in the regions around those."""
    connection.execute("CREATE TEMP TABLE within(place TEXT, region TEXT, PRIMARY KEY(place, region)) WITHOUT ROWID")
    connection.execute("INSERT OR IGNORE INTO within SELECT s, o FROM triples WHERE p IN (?, ?)",
                       tuple(predicate.value for predicate in WITHIN))
    connection.execute(
        "WITH RECURSIVE around(doc, region) AS ("
        " SELECT f.doc, w.region FROM found f JOIN within w ON w.place = f.value"
        " WHERE f.facet IN ('country', 'region')"
        " UNION SELECT a.doc, w.region FROM around a JOIN within w ON w.place = a.region)"
        " INSERT INTO found SELECT doc, 'region', region FROM around")
    connection.execute("DROP TABLE within")


def _write_labels(connection: sqlite3.Connection, store: Store) -> None:
    """The labels, in every language, of the facet values that are resources."""
    connection.execute("DELETE FROM labels")
    values = [row[0] for row in connection.execute("SELECT DISTINCT value FROM facet_values WHERE facet NOT IN"
                                                   " ('kind', 'year')")]
    rows = []
    for value in values:
        node = NamedNode(value)
        for predicate in (SKOS.prefLabel, RDFS.label):
            for quad in store.quads_for_pattern(node, predicate, None, DefaultGraph()):
                if isinstance(quad.object, Literal):
                    rows.append((value, quad.object.language or "", quad.object.value))
            if rows and rows[-1][0] == value:
                break
    connection.executemany("INSERT OR IGNORE INTO labels VALUES (?, ?, ?)", rows)
