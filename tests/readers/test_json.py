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


def test_json_lines_split_at_line_feeds_only_so_texts_may_hold_any_line_separator():
    separators = "\u2028 \u2029 \x85 \x0b \x0c \x1c"
    title = f"1. Keep {separators} every character"
    lines = [json.dumps({**RECORD, "recommendations": [{"url": "https://x/recommendations/1", "title": title}]},
                        ensure_ascii=False), json.dumps({**RECORD, "eval_number": 2})]
    first, second = read_records("r.jsonl", "\r\n".join(lines).encode(), "jsonl")
    assert first.recommendations[0].title == title
    assert second.eval_number == "2"


def test_lessons_and_good_practices_read_from_json():
    data = {**RECORD, "lessons_learned": [{"url": "https://x/lessons/7", "description": "Start early.",
                                           "themes": [{"theme": "Gender", "category": "Design"}],
                                           "challenges": "Late funds.", "success": "Local ownership.",
                                           "context": "Rural areas.", "administrative_issues": "Staffing.",
                                           "comments": "None."}],
            "good_practices": [{"description": "Peer coaching.", "cause_effect": "More uptake.",
                                "indicators": "300 trained.", "replication": "Any region.", "context": "Cities.",
                                "links": "DWCP outcome 2", "url": "https://x/good-practices/8"}]}
    (record,) = read_records("r.json", json.dumps(data).encode(), "json")
    (lesson,) = record.lessons
    (practice,) = record.good_practices
    assert (lesson.url, lesson.description, lesson.challenges, lesson.success, lesson.context,
            lesson.administrative_issues, lesson.comments) == (
        "https://x/lessons/7", "Start early.", "Late funds.", "Local ownership.", "Rural areas.", "Staffing.", "None.")
    assert lesson.themes[0].category == "Design"
    assert (practice.description, practice.cause_effect, practice.indicators, practice.replication,
            practice.context, practice.links, practice.url) == (
        "Peer coaching.", "More uptake.", "300 trained.", "Any region.", "Cities.", "DWCP outcome 2",
        "https://x/good-practices/8")
    assert record.unknown_keys == ()


def test_fields_of_the_wrong_type_are_each_an_error_of_their_record():
    data = {**RECORD, "eval_title": {"en": "Final evaluation"}, "location": 4,
            "recommendations": "1. Do it", "lessons_learned": [{"url": "https://x/lessons/7", "themes": ["Gender"]}]}
    record, *errors = read_records("r.json", json.dumps(data).encode(), "json")
    assert (record.eval_number, record.eval_title, record.locations, record.recommendations) == ("9001", None, (), ())
    assert [(e.source, e.reason) for e in errors] == [
        ("r.json", "field eval_title is an object; expected text"),
        ("r.json", "field location is a number; expected a list of objects"),
        ("r.json", "field recommendations is text; expected a list of objects"),
        ("r.json", "field lessons_learned[0].themes[0] is text; expected an object"),
    ]


def test_a_json_lines_record_of_the_wrong_type_names_its_line():
    lines = [json.dumps(RECORD), json.dumps({**RECORD, "eval_number": [1, {"n": 2}]})]
    items = list(read_records("r.jsonl", "\n".join(lines).encode(), "jsonl"))
    assert [(type(i).__name__, getattr(i, "reason", None)) for i in items] == [
        ("EvaluationRecord", None), ("EvaluationRecord", None),
        ("ReadError", "field eval_number is a list; expected text")]
    assert items[2].source == "r.jsonl:2"


def test_an_object_with_no_evaluation_and_no_item_is_an_error_naming_its_keys():
    (error,) = read_records("r.json", json.dumps({"title": "A page", "links": []}).encode(), "json")
    assert isinstance(error, ReadError)
    assert error.reason == "no evaluation and no item in the object (its keys: links, title)"
