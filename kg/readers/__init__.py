"""Readers turn the bytes of one source into records, one at a time.

Each reader yields `EvaluationRecord`s (an evaluation with the items read with it), or `ReadError`s for the parts it could not read while
going on with the rest; a source that cannot be read at all raises `ReadError`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from kg.errors import ReadError
from kg.readers.jsonfile import read_json, read_json_lines
from kg.readers.text import read_text
from kg.records import EvaluationRecord

Reader = Callable[[str, bytes], Iterable["EvaluationRecord | ReadError"]]


def read_html(source: str, content: bytes) -> Iterable[EvaluationRecord | ReadError]:
    """`kg.readers.html.read_html`, imported when first needed: its libraries (lxml's HTML parser,
    cssselect, Beautiful Soup's encoding detection) take a fifth of a second to import, for nothing
    in a build without HTML."""
    from kg.readers.html import read_html as read

    return read(source, content)


def read_workbook(source: str, content: bytes) -> Iterable[EvaluationRecord | ReadError]:
    """`kg.readers.export.read_workbook`, imported when first needed."""
    from kg.readers.export import read_workbook as read

    return read(source, content)


def read_csv(source: str, content: bytes) -> Iterable[EvaluationRecord | ReadError]:
    """`kg.readers.export.read_csv`, imported when first needed."""
    from kg.readers.export import read_csv as read

    return read(source, content)


READERS: dict[str, Reader] = {
    "text": read_text,
    "html": read_html,
    "json": read_json,
    "jsonl": read_json_lines,
    "xlsx": read_workbook,
    "csv": read_csv,
}
FORM_BY_SUFFIX = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".xlsx": "xlsx",
    ".csv": "csv",
}
FORM_BY_MEDIA_TYPE = {
    "text/plain": "text",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/csv": "csv",
}


def sniff_form(content: bytes) -> str:
    """Guess the form of a source whose name and media type say nothing."""
    if content.startswith(b"PK\x03\x04"):  # a zip archive: an Excel workbook is one
        return "xlsx"
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if head.startswith((b"{", b"[")):
        return "json"
    if head.startswith(b"<") or b"<html" in head:
        return "html"
    return "text"


def read_records(
    source: str, content: bytes, form: str | None = None
) -> Iterator[EvaluationRecord | ReadError]:
    """Records of one source; errors come as values so the rest of the source still counts."""
    reader = READERS[form or sniff_form(content)]
    try:
        yield from reader(source, content)
    except ReadError as error:
        yield error
    except Exception as error:  # a reader bug must not stop the build: report it with the source
        yield ReadError(source, f"unreadable ({type(error).__name__}: {error})")
