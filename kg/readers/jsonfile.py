"""Readers for JSON (one record, or an array of records, per file) and JSON Lines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from kg.errors import ReadError
from kg.readers.decoding import decode_text, lines
from kg.readers.schema import to_record, type_problems
from kg.records import EvaluationRecord


def _records(source: str, data: Any) -> Iterator[EvaluationRecord | ReadError]:
    """The record of one JSON object, then an error for each field of the wrong type (left
    out of the record)."""
    if not isinstance(data, dict):
        raise ReadError(source, f"expected a JSON object, found {type(data).__name__}")
    record = to_record(data, source)
    if record.eval_number is None and record.eval_title is None and not record.items:
        keys = ", ".join(sorted(map(str, data))) or "none"
        raise ReadError(source, f"no evaluation and no item in the object (its keys: {keys})")
    yield record
    for problem in type_problems(data):
        yield ReadError(source, problem)


def read_json(source: str, content: bytes) -> Iterator[EvaluationRecord | ReadError]:
    """Yield the record of a JSON file (or each record of a top-level array)."""
    try:
        data = json.loads(decode_text(source, content))
    except json.JSONDecodeError as exc:
        raise ReadError(source, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")
    for index, item in enumerate(data if isinstance(data, list) else [data]):
        name = f"{source}[{index}]" if isinstance(data, list) else source
        try:
            yield from _records(name, item)
        except ReadError as error:
            yield error


def read_json_lines(source: str, content: bytes) -> Iterator[EvaluationRecord | ReadError]:
    """Yield one record per non-blank line; a broken line is an error for that line only.

    Lines end at `\n` (JSON escapes every line break inside a string, so none is a record's).
    """
    for number, line in enumerate(lines(decode_text(source, content)), start=1):
        if not line.strip():
            continue
        name = f"{source}:{number}"
        try:
            yield from _records(name, json.loads(line))
        except json.JSONDecodeError as exc:
            yield ReadError(name, f"invalid JSON at column {exc.colno}: {exc.msg}")
        except ReadError as error:
            yield error
