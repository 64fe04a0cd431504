"""Reader for the flattened text rendering of a record page (`- key:` / `- value` lines)."""

from __future__ import annotations

from collections.abc import Iterator

from kg.errors import ReadError
from kg.readers.decoding import decode_text, lines
from kg.readers.schema import Key, Token, Value, looks_like_key, normalize_key, record_from_tokens
from kg.records import EvaluationRecord

PAGE_CHROME = frozenset({"back to index", "skip to top", "back to top", "skip to content"})


def tokenize(text: str) -> Iterator[Token]:
    """Key and value tokens of a text rendering; unprefixed lines continue the previous value."""
    pending: list[str] = []
    seen_key = False
    for raw in lines(text):
        line = raw.strip()
        if not line or line.lower() in PAGE_CHROME:
            continue
        if line.startswith("- ") or line == "-":
            if pending:
                yield Value("\n".join(pending))
                pending = []
            item = line[2:].strip()
            if looks_like_key(item):
                seen_key = True
                yield Key(normalize_key(item))
            elif item:
                pending = [item]
        elif seen_key:
            pending.append(line)
    if pending:
        yield Value("\n".join(pending))


def read_text(source: str, content: bytes) -> Iterator[EvaluationRecord]:
    """Yield the one record of a text rendering."""
    tokens = list(tokenize(decode_text(source, content)))
    record = record_from_tokens(tokens, source)
    if record.eval_number is None and not record.items and not record.eval_title:
        keys = ", ".join(dict.fromkeys(t.name for t in tokens if isinstance(t, Key)))
        if not keys:
            raise ReadError(source, "no `- key:` / `- value` record lines found")
        raise ReadError(source, f"no evaluation and no recommendation, lesson or good practice; found only {keys}")
    yield record
