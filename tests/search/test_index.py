"""The index stays in step with its store: an update from the previous generation's index equals
one built from nothing, through `kg build`, `kg drop`, writes and a killed build."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import Literal, NamedNode, Quad

import kg.search.index
from kg.build import Builder
from kg.cli import main
from kg.iris import DEFAULT_BASE_IRI, Iris
from kg.namespaces import DCTERMS, EK, RDF, RDFS, XSD
from kg.resources import sample_dir
from kg.search.index import SCHEMA_VERSION, index_path, update_index, write_inputs
from kg.sources import find_sources
from kg.store import StoreDirectory
from tests.conftest import CORPUS
from tests.search.conftest import E1, L2, R1, THEME, make_store, statements

L3 = "https://w3id.org/evalkg/id/lesson/23"


def contents(path: Path) -> dict[str, set[tuple]]:
    """What an index holds, whatever the ids its rows were given."""
    with sqlite3.connect(path) as db:
        return {
            "texts": set(db.execute("SELECT doc, field, lang, text FROM texts")),
            # what the full-text index finds, by itself (a text left in it would be counted)
            "fts": {term: db.execute("SELECT COUNT(*) FROM fts WHERE fts MATCH ?", (term,)).fetchone()[0]
                    for term in ("words : social", "words : nota", "words : cocoa", "stems_es : fortalec",
                                 "stems_en : child", "stems_fr : dialogu", "words : migracion")},
            "docs": set(db.execute("SELECT iri, kind, evaluation, label, lang FROM docs")),
            "owners": set(db.execute("SELECT t.doc, t.field, t.text, d.iri, o.lang FROM owners o"
                                     " JOIN texts t ON t.id = o.text_id JOIN docs d ON d.id = o.doc_id")),
            "facets": set(db.execute("SELECT d.iri, v.facet, v.value FROM facets f JOIN docs d ON d.id = f.doc_id"
                                     " JOIN facet_values v ON v.id = f.value_id")),
            "labels": set(db.execute("SELECT * FROM labels")),
        }


def test_an_update_from_the_previous_index_equals_an_index_built_from_nothing(tmp_path):
    before = statements()
    update_index(make_store(before), tmp_path / "before.sqlite", None)
    changed = [s for s in before if not (s[0] == L2 or (s[0] == R1 and s[1] in (EK.text, EK.theme)))]
    changed += [(R1, EK.text, Literal("Fortalecer el diálogo social", language="es")),
                (L3, RDF.type, EK.LessonLearned), (L3, EK.text, Literal("Cocoa cooperatives grew", language="en"))]
    after = make_store(changed)

    change = update_index(after, tmp_path / "updated.sqlite", tmp_path / "before.sqlite")
    update_index(after, tmp_path / "fresh.sqlite", None)

    assert (change.added, change.removed, change.total) == (2, 2, 7)
    assert contents(tmp_path / "updated.sqlite") == contents(tmp_path / "fresh.sqlite")
    assert (R1, "theme", THEME) not in contents(tmp_path / "updated.sqlite")["facets"]
    assert update_index(after, tmp_path / "again.sqlite", tmp_path / "updated.sqlite").added == 0


def dumped(path: Path) -> list[str]:
    """An index, statement by statement, its ids and full-text segments included."""
    with sqlite3.connect(path) as db:
        return list(db.iterdump())


def test_an_index_read_from_a_file_of_its_inputs_is_the_one_read_from_the_store(tmp_path):
    store = make_store(statements())
    update_index(store, tmp_path / "from-store.sqlite", None)
    # as a build writes them: in source graphs, a triple in two of them, in no particular order,
    # other quads among them (`write_inputs` leaves those out)
    graphs = [NamedNode("https://w3id.org/evalkg/graph/source/" + name) for name in ("a", "b")]
    quads = [Quad(q.subject, q.predicate, q.object, graphs[n % 2]) for n, q in enumerate(store)]
    quads += [Quad(q.subject, q.predicate, q.object, graphs[1]) for q in store if q.predicate == EK.text]
    quads.append(Quad(NamedNode(E1), DCTERMS.source, Literal("records/e1.json"), graphs[0]))
    inputs = tmp_path / "inputs.nq"
    with open(inputs, "wb") as out:
        write_inputs(reversed(quads), out)

    labels_only = make_store([statement for statement in statements() if statement[1] == RDFS.label])
    change = update_index(labels_only, tmp_path / "from-file.sqlite", None, inputs)

    assert (change.added, change.removed, change.total) == (7, 0, 7)
    assert dumped(tmp_path / "from-file.sqlite") == dumped(tmp_path / "from-store.sqlite")
    assert b"records/e1.json" not in inputs.read_bytes()


def test_of_two_dates_of_the_first_date_property_the_earliest_gives_the_year(tmp_path):
    dates = [(R1, EK.completionDate, Literal(day, datatype=XSD.date)) for day in ("2023-01-02", "2021-12-31")]
    update_index(make_store(statements() + dates), tmp_path / "i.sqlite", None)
    assert (R1, "year", "2021") in contents(tmp_path / "i.sqlite")["facets"]
    assert (R1, "year", "2023") not in contents(tmp_path / "i.sqlite")["facets"]


@pytest.mark.parametrize("sources", [[str(sample_dir() / "ieval-export-sample.xlsx")], [str(CORPUS)]],
                         ids=["real export sample", "test corpus"])
def test_a_build_from_nothing_indexes_what_it_loaded_without_reading_the_store(tmp_path, monkeypatch, sources):
    def not_read(*args: object) -> None:
        raise AssertionError("a build from nothing read the index's inputs from the store")

    monkeypatch.setattr(kg.search.index, "_inputs_in_store", not_read)
    directory = StoreDirectory(tmp_path / "store")
    found, problems = find_sources(sources)
    assert not problems
    report = Builder(directory, Iris(DEFAULT_BASE_IRI), workers=2).build(found)
    assert report.records and not report.errors
    monkeypatch.undo()

    update_index(directory.open_read_only(), tmp_path / "from-store.sqlite", None)
    assert dumped(index_path(directory.live_generation())) == dumped(tmp_path / "from-store.sqlite")


def test_a_build_onto_a_store_reads_the_index_inputs_from_the_store(tmp_path, records, monkeypatch):
    store = str(tmp_path / "store")
    _kg("build", str(records / "ilo-evaluation-3502.txt"), "--store", store, "--workers", "1")
    read: list[object] = []
    gather = kg.search.index._inputs_in_store
    monkeypatch.setattr(kg.search.index, "_inputs_in_store", lambda *args: read.append(args) or gather(*args))
    _kg("build", str(records), "--store", store, "--workers", "1")
    assert len(read) == 1
    assert _found(store, "Tanzania") == {TANZANIA}


def test_an_index_of_another_version_is_rebuilt_whole(tmp_path):
    store = make_store(statements())
    update_index(store, tmp_path / "old.sqlite", None)
    with sqlite3.connect(tmp_path / "old.sqlite") as db:
        db.execute("UPDATE meta SET value = 'old' WHERE key = 'schema'")
        db.execute("DELETE FROM texts")
    change = update_index(store, tmp_path / "new.sqlite", tmp_path / "old.sqlite")
    assert change.added == change.total == 7
    with sqlite3.connect(tmp_path / "new.sqlite") as db:
        assert db.execute("SELECT value FROM meta").fetchone() == (SCHEMA_VERSION,)


def _kg(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _found(store: str, text: str) -> set[str]:
    return {hit["iri"] for hit in json.loads(_kg("search", text, "--store", store, "--format", "json"))["results"]}


@pytest.fixture
def records(tmp_path) -> Path:
    folder = tmp_path / "records"
    folder.mkdir()
    for name in ("ilo-evaluation-3433.json", "ilo-evaluation-3502.txt", "ilo-evaluation-3590.json"):
        shutil.copy(CORPUS / name, folder / name)
    return folder


TANZANIA = "https://w3id.org/evalkg/id/evaluation/3590"
BANGLADESH = "https://w3id.org/evalkg/id/evaluation/3502"


def test_rebuilds_and_drops_keep_the_index_in_step(tmp_path, records):
    store = str(tmp_path / "store")
    _kg("build", str(records), "--store", store, "--workers", "1")
    assert _found(store, "Tanzania") == {TANZANIA}
    assert _found(store, '"fair recruitment initiative"') == {BANGLADESH}

    data = json.loads((records / "ilo-evaluation-3590.json").read_text("utf-8"))
    data["eval_title"] = "Independent evaluation of the cocoa programme in Zanzibar"
    (records / "ilo-evaluation-3590.json").write_text(json.dumps(data), "utf-8")
    _kg("build", str(records), "--store", store, "--workers", "1")
    assert _found(store, "Zanzibar") == {TANZANIA}
    assert TANZANIA not in _found(store, "covid")

    _kg("drop", "records/ilo-evaluation-3502.txt", "--store", store)
    assert _found(store, '"fair recruitment initiative"') == set()
    assert _found(store, "Zanzibar") == {TANZANIA}
    live = StoreDirectory(store).live_generation()
    rebuilt = tmp_path / "rebuilt.sqlite"
    update_index(StoreDirectory(store).open_read_only(), rebuilt, None)
    assert contents(index_path(live)) == contents(rebuilt)


def test_a_write_to_the_store_is_searchable_in_its_generation(tmp_path, records):
    store = str(tmp_path / "store")
    _kg("build", str(records / "ilo-evaluation-3502.txt"), "--store", store, "--workers", "1")
    with StoreDirectory(store).new_generation() as writable:
        writable.update("INSERT DATA { <https://w3id.org/evalkg/id/lesson/9> a ek:LessonLearned ;"
                        ' ek:text "Tripartite cocoa boards worked"@en }', prefixes={"ek": EK.iri})
    assert _found(store, "cocoa") == {"https://w3id.org/evalkg/id/lesson/9"}


_KILLED_WHILE_INDEXING = """
import os, signal, sys
import kg.store
from kg.cli import main
original = kg.store.update_index
def update_then_die(*args, **kwargs):
    original(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)
kg.store.update_index = update_then_die
main(["build", sys.argv[1], "--store", sys.argv[2], "--workers", "1"])
"""


def test_a_build_killed_after_indexing_leaves_the_old_index_with_the_old_store(tmp_path, records):
    store = str(tmp_path / "store")
    _kg("build", str(records / "ilo-evaluation-3502.txt"), "--store", store, "--workers", "1")
    live = StoreDirectory(store).live_generation()
    before = contents(index_path(live))

    killed = subprocess.run([sys.executable, "-c", _KILLED_WHILE_INDEXING, str(records), store],
                            capture_output=True, cwd=tmp_path)
    assert killed.returncode == -signal.SIGKILL
    staging = list(Path(store).glob("gen-*.staging"))
    assert staging and index_path(staging[0]).is_file()  # the killed build had written its index

    assert StoreDirectory(store).live_generation() == live
    assert contents(index_path(live)) == before
    assert _found(store, "Tanzania") == set()
    _kg("build", str(records), "--store", store, "--workers", "1")
    assert _found(store, "Tanzania") == {TANZANIA}
    assert not list(Path(store).glob("gen-*.staging"))
    assert os.path.isfile(index_path(StoreDirectory(store).live_generation()))


def test_a_build_with_nothing_to_read_still_indexes_a_generation_without_an_index(tmp_path, records):
    store = str(tmp_path / "store")
    source = str(records / "ilo-evaluation-3502.txt")
    _kg("build", source, "--store", store, "--workers", "1")
    index_path(StoreDirectory(store).live_generation()).unlink()  # as in a store built before the index
    assert "store updated" in _kg("build", source, "--store", store, "--workers", "1")
    assert _found(store, '"fair recruitment initiative"') == {BANGLADESH}
    assert "store unchanged" in _kg("build", source, "--store", store, "--workers", "1")
