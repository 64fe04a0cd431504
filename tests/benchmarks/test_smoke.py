"""CI smoke run of the benchmark scripts at a tiny size: they still work and their outputs are right.

Morph-KGC lives in its own environment (it pins an older pyoxigraph), so this covers the
generator, `kg build` and the bulk-load floor only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.corpus import record
from benchmarks.generate import FORMS, generate
from benchmarks.ingest import COLUMNS, main as ingest_main, run_size
from kg.readers import FORM_BY_SUFFIX, read_records
from kg.records import EvaluationRecord

RECORDS = 50


def _read(folder: Path) -> list[EvaluationRecord]:
    read = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        for item in read_records(path.name, path.read_bytes(), FORM_BY_SUFFIX[path.suffix]):
            assert isinstance(item, EvaluationRecord), item
            read.append(item)
    return read


def test_generator_is_deterministic_and_shaped_like_the_records() -> None:
    assert record(7, 3) == record(7, 3)
    assert record(7, 3) != record(8, 3)
    sample = [record(1, i) for i in range(300)]
    assert {len(r["location"]) for r in sample} <= {1, 2, 3, 4, 5}
    assert {len(r["recommendations"]) for r in sample} == {1, 2, 3, 4, 5, 6}
    assert len({r["eval_number"] for r in sample}) == 300


@pytest.mark.parametrize("form", FORMS)
def test_every_form_reads_back_as_the_same_records(tmp_path: Path, form: str) -> None:
    generate(tmp_path / "json", RECORDS, "json", seed=3)
    generate(tmp_path / form, RECORDS, form, seed=3)
    expected = [(r.eval_number, r.eval_title, r.locations, r.recommendations) for r in _read(tmp_path / "json")]
    got = [(r.eval_number, r.eval_title, r.locations, r.recommendations) for r in _read(tmp_path / form)]
    assert len(got) == RECORDS
    assert got == expected
    assert all(not r.unknown_keys for r in _read(tmp_path / form))


@pytest.mark.slow
def test_ingest_benchmark_runs_and_kg_build_matches_the_floor(tmp_path: Path) -> None:
    rows = run_size(RECORDS, seed=1, work=tmp_path, forms=("json", "text"), morph_python=None)
    by_contender = {(r.contender, r.form): r for r in rows}
    floor = by_contender[("floor: pyoxigraph bulk_load", "json")]
    assert by_contender[("kg build", "json")].quads == floor.quads > RECORDS * 100
    assert by_contender[("kg build", "text")].quads == floor.quads
    assert all(r.seconds > 0 and r.peak_rss_mib > 10 and r.records == RECORDS for r in rows)


@pytest.mark.slow
def test_ingest_report_has_the_expected_columns(tmp_path: Path) -> None:
    out = tmp_path / "ingest.json"
    ingest_main(["--records", "20", "--forms", "jsonl", "--work", str(tmp_path / "work"), "--no-morph",
                 "--out", str(out)])
    rows = json.loads(out.read_text())
    assert [r["contender"] for r in rows] == ["kg build", "floor: pyoxigraph bulk_load"]
    assert all(tuple(r) == COLUMNS for r in rows)
