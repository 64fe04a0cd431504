import json

from kg.errors import ReadError
from kg.readers import read_records
from kg.records import Location

RECORD = {
    "eval_number": 9001,
    "eval_title": "Final evaluation",
    "location": [{"country": "Peru", "region": "Americas"}],
    "recommendations": [{"url": "https://x/recommendations/1", "title": "1. Do it", "themes": [{"theme": "T"}]}],
}


def test_json_record_exact_fields():
    (record,) = read_records("r.json", json.dumps(RECORD).encode(), "json")
    assert record.eval_number == "9001"
    assert record.locations == (Location("Peru", "Americas"),)
    assert record.recommendations[0].title == "1. Do it"
    assert record.recommendations[0].themes[0].theme == "T"


def test_json_lines_keep_going_after_a_broken_line():
    lines = [json.dumps(RECORD), '{"eval_number": 2, ', json.dumps({**RECORD, "eval_number": 3})]
    items = list(read_records("r.jsonl", "\n".join(lines).encode(), "jsonl"))
    assert [type(i).__name__ for i in items] == ["EvaluationRecord", "ReadError", "EvaluationRecord"]
    assert items[1].source == "r.jsonl:2"
    assert "invalid JSON" in items[1].reason


def test_truncated_json_is_one_clear_error():
    (error,) = read_records("t.json", b'{"eval_number": 1, "location": [', "json")
    assert isinstance(error, ReadError)
    assert error.source == "t.json" and error.reason.startswith("invalid JSON at line 1")


def test_nested_unknown_keys_are_reported_with_their_path():
    data = {**RECORD, "donor": "x", "recommendations": [{"url": "u/1", "colour": "red"}]}
    (record,) = read_records("r.json", json.dumps(data).encode(), "json")
    assert record.unknown_keys == ("donor", "recommendations.colour")
