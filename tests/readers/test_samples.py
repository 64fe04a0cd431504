"""Every file of the bundled sample corpus reads to exactly what tests/data/sample_expectations.json says."""

import pytest

from kg.readers import read_records
from tests.conftest import corpus_sources

SOURCES = {s.path.name: s for s in corpus_sources()}


def test_every_sample_file_has_expectations(sample_expectations):
    assert set(SOURCES) == set(sample_expectations["files"])


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_sample_file_reads_as_expected(name, sample_expectations):
    source = SOURCES[name]
    records = list(read_records(source.key, source.read(), source.form))
    expected = sample_expectations["files"][name]["evaluations"]
    assert [type(r).__name__ for r in records] == ["EvaluationRecord"] * len(expected)
    for record, want in zip(records, expected):
        assert int(record.eval_number) == want["eval_number"]
        assert [int(r.url.rstrip("/").rsplit("/", 1)[1]) for r in record.recommendations] == want["recommendation_ids"]
        assert [loc.country for loc in record.locations] == want["countries"]
        written = {str(int(r.url.rsplit("/", 1)[1])): r.project_symbols for r in record.recommendations}
        assert written == want["project_symbols_as_written"]
        assert record.unknown_keys == ()


def test_sample_totals(sample_expectations):
    records = [r for s in SOURCES.values() for r in read_records(s.key, s.read(), s.form)]
    assert len(SOURCES) == sample_expectations["totals"]["files"]
    assert len({r.eval_number for r in records}) == sample_expectations["totals"]["evaluations"]
    assert sum(len(r.recommendations) for r in records) == sample_expectations["totals"]["recommendations"]
