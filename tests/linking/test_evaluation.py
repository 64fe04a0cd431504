"""The labelled set: its shape, the targets the linker must meet on it, and `kg linking-report`."""

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.linking import evaluation
from kg.linking.evaluation import (
    DEFAULT_SET,
    LABELLED_SETS,
    TARGET_PRECISION,
    TARGET_RECALL,
    Counts,
    EvaluationSetError,
    evaluate,
    load_evaluation_set,
)

TEXTS = load_evaluation_set()


@pytest.fixture(scope="module")
def report(matcher, countries):
    return evaluate(TEXTS, matcher, countries)


def test_the_set_is_large_enough_and_balanced():
    languages = Counter(item.language for item in TEXTS)
    assert len(TEXTS) >= 40 and set(languages) == {"en", "es", "fr"}
    assert min(languages.values()) >= len(TEXTS) // 3
    assert sum(len(item.mentions) for item in TEXTS) >= 120
    assert sum(len(item.negatives) for item in TEXTS) >= 25
    assert len({item.id for item in TEXTS}) == len(TEXTS)


def test_precision_and_recall_targets(report):
    assert report.overall.precision >= TARGET_PRECISION, report.misses
    assert report.overall.recall >= TARGET_RECALL, report.misses
    for language, counts in report.by_language.items():
        assert counts.precision >= TARGET_PRECISION and counts.recall >= TARGET_RECALL, language


def test_every_country_spelling_resolves(report):
    assert report.countries and report.unresolved_countries == []


def test_no_mention_inside_a_word_and_no_hard_negative_linked(report):
    assert report.inside_words == []
    assert report.negatives_linked == []
    assert report.targets_met


def test_scores():
    counts = Counts(correct=8, found=10, labelled=16)
    assert (counts.precision, counts.recall, round(counts.f1, 4)) == (0.8, 0.5, 0.6154)
    assert (Counts().precision, Counts().recall) == (1.0, 1.0)


def test_wrong_offsets_are_reported_with_file_and_line(tmp_path):
    item = json.loads(DEFAULT_SET.read_text("utf-8").splitlines()[0])
    item["mentions"][0]["start"] += 1
    path = tmp_path / "set.jsonl"
    path.write_text("\n" + json.dumps(item) + "\n", "utf-8")
    with pytest.raises(EvaluationSetError, match=r"set.jsonl:2: text\[8:10\] is"):
        load_evaluation_set(path)


def test_linking_report_command(tmp_path):
    result = CliRunner().invoke(main, ["linking-report"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "overall" in result.output and "unhcr" in result.output and "kfw" in result.output
    assert "targets (precision 0.97, recall 0.95) met" in result.output
    assert "== ours (invented): evaluation_set.jsonl" in result.output
    assert "== real (ILO export sample): real_set.jsonl" in result.output
    summary = result.output.splitlines()[-2:]
    assert summary[0].startswith("ours (invented): evaluation_set.jsonl: 54 texts, ")
    assert summary[1].startswith("real (ILO export sample): real_set.jsonl: ")
    assert all(line.endswith("targets met") for line in summary)

    item = {"id": "x", "language": "en", "text": "Work with UNHCR and the Ministry.", "countries": [],
            "mentions": [{"organization": "iom", "surface": "Ministry", "start": 24, "end": 32}]}
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(item) + "\n", "utf-8")
    result = CliRunner().invoke(main, ["linking-report", "--set", str(path)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "x: missed iom 'Ministry' at 24" in result.output and "NOT met" in result.output


def test_linking_report_fails_when_either_bundled_set_misses_a_target(tmp_path, monkeypatch):
    item = {"id": "x", "language": "en", "text": "Work with the Ministry.",
            "mentions": [{"organization": "iom", "surface": "Ministry", "start": 14, "end": 22}]}
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(item) + "\n", "utf-8")
    monkeypatch.setattr(evaluation, "LABELLED_SETS", (LABELLED_SETS[0], evaluation.LabelledSet("bad", path)))
    result = CliRunner().invoke(main, ["linking-report"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == ("bad: bad.jsonl: 1 texts, 1 mentions, precision 1.000, recall 0.000, "
                                              "F1 0.000, targets NOT met")
