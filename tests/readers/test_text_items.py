"""Text renderings of every item kind: a list key seen again starts a new item, and keys with
no evaluation and no item are an error naming them."""

from kg.errors import ReadError
from kg.readers import read_records
from kg.records import LessonRecord


def test_a_list_key_seen_again_starts_a_new_item_and_loses_none():
    text = "\n".join([
        "- eval_number:", "- 7", "- lessons_learned:", "- description:", "- L1", "- url:", "- https://x.example/lessons/1",
        "- lessons_learned:", "- context:", "- C2", "- url:", "- https://x.example/lessons/2",
    ])
    (record,) = read_records("t", text.encode(), "text")
    assert record.lessons == (
        LessonRecord(url="https://x.example/lessons/1", description="L1"),
        LessonRecord(url="https://x.example/lessons/2", context="C2"),
    )
    assert record.unknown_keys == ()


def test_text_before_any_key_is_reported_not_dropped():
    (record,) = read_records("t", b"- Draft, do not cite\n- eval_number:\n- 7\n", "text")
    assert record.eval_number == "7"
    assert record.unknown_keys == ("text without a key ('Draft, do not cite')",)


def test_keys_without_an_evaluation_or_item_are_an_error_naming_them():
    (error,) = read_records("t", b"- location:\n- country:\n- Peru\n", "text")
    assert isinstance(error, ReadError)
    assert error.reason == "no evaluation and no recommendation, lesson or good practice; found only location, country"
