"""The i-eval Discovery record schema, and the one place where flattened forms regain nesting.

Text renderings and many HTML pages flatten the record into a stream of keys and values:
`location: country: Peru region: Americas country: Ecuador ...`. The schema below says which
keys nest under which list, and a key seen again inside the current list item starts the next
item, so `rebuild` turns the flat stream back into the nested record that JSON gives directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Union

from kg.records import EvaluationRecord, Location, RecommendationRecord, ThemeRecord


@dataclass(frozen=True)
class ListOf:
    """A key whose value is a list of items, each item holding the keys of `fields`."""

    fields: "Schema"


Schema = Mapping[str, Union[None, ListOf]]

LOCATION: Schema = {"country": None, "region": None}
THEME: Schema = {"theme": None, "category": None}
RECOMMENDATION: Schema = {
    "date": None,
    "themes": ListOf(THEME),
    "action_plan": None,
    "management_response": None,
    "progress": None,
    "admin_units": None,
    "title": None,
    "project_symbols": None,
    "url": None,
    "information_source": None,
}
EVALUATION: Schema = {
    "eval_number": None,
    "eval_url": None,
    "location": ListOf(LOCATION),
    "eval_title": None,
    "recommendations": ListOf(RECOMMENDATION),
}

KNOWN_KEYS: frozenset[str] = frozenset(
    key for schema in (EVALUATION, RECOMMENDATION, LOCATION, THEME) for key in schema
)
_KEY_SHAPE = re.compile(r"^[a-z][a-z0-9_]*$")


def normalize_key(label: str) -> str:
    """`Eval number:` and `eval-number` both name the key `eval_number`."""
    return re.sub(r"[\s\-]+", "_", label.strip().rstrip(":").strip().lower())


def looks_like_key(label: str) -> bool:
    """Whether a flattened line such as `eval_number:` is a key rather than a value."""
    stripped = label.strip()
    if not stripped.endswith(":"):
        return False
    name = stripped[:-1].strip()
    return name in KNOWN_KEYS or bool(_KEY_SHAPE.match(name))


@dataclass(frozen=True)
class Key:
    """A key token of a flattened record."""

    name: str


@dataclass(frozen=True)
class Value:
    """A value token of a flattened record."""

    text: str


Token = Union[Key, Value]


@dataclass
class _Frame:
    schema: Schema
    items: list[dict[str, Any]]
    is_list: bool
    current: dict[str, Any] = field(default_factory=dict)

    def start_item(self) -> dict[str, Any]:
        self.current = {}
        self.items.append(self.current)
        return self.current


def rebuild(tokens: Iterable[Token]) -> tuple[dict[str, Any], list[str]]:
    """Nest a flat key/value stream by the schema; return the record and its unknown keys."""
    top: dict[str, Any] = {}
    stack = [_Frame(EVALUATION, [top], is_list=False, current=top)]
    unknown: list[str] = []
    target: list[str] | None = None
    for token in tokens:
        if isinstance(token, Value):
            if target is not None:
                target.append(token.text)
            continue
        depth = next(
            (i for i in range(len(stack) - 1, -1, -1) if token.name in stack[i].schema), None
        )
        if depth is None:
            unknown.append(token.name)
            target = None
            continue
        del stack[depth + 1 :]
        frame = stack[-1]
        if frame.is_list and (not frame.items or token.name in frame.current):
            frame.start_item()
        spec = frame.schema[token.name]
        if isinstance(spec, ListOf):
            items: list[dict[str, Any]] = frame.current.setdefault(token.name, [])
            stack.append(_Frame(spec.fields, items, is_list=True))
            target = None
        else:
            target = frame.current.setdefault(token.name, [])
    return top, unknown


def _text(value: Any) -> str | None:
    """One string from a scalar, a list of value lines, or nothing."""
    if value is None:
        return None
    if isinstance(value, list):
        parts = [_text(v) for v in value]
        joined = "\n".join(p for p in parts if p)
        return joined or None
    if isinstance(value, dict):
        return None
    text = str(value).strip()
    return text or None


def _items(value: Any) -> list[Mapping[str, Any]]:
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, Mapping)]
    return []


def _unknown(data: Mapping[str, Any], schema: Schema, path: str) -> Iterator[str]:
    for key, value in data.items():
        if key not in schema:
            yield f"{path}{key}"
        elif isinstance(schema[key], ListOf):
            for item in _items(value):
                yield from _unknown(item, schema[key].fields, f"{path}{key}.")  # type: ignore[union-attr]


def to_record(data: Mapping[str, Any], source: str, unknown: Iterable[str] = ()) -> EvaluationRecord:
    """Turn a nested record (from JSON or `rebuild`) into a typed `EvaluationRecord`."""
    recommendations = tuple(
        RecommendationRecord(
            url=_text(rec.get("url")),
            title=_text(rec.get("title")),
            date=_text(rec.get("date")),
            themes=tuple(
                ThemeRecord(theme=_text(t.get("theme")), category=_text(t.get("category")))
                for t in _items(rec.get("themes"))
            ),
            action_plan=_text(rec.get("action_plan")),
            management_response=_text(rec.get("management_response")),
            progress=_text(rec.get("progress")),
            admin_units=_text(rec.get("admin_units")),
            project_symbols=_text(rec.get("project_symbols")),
            information_source=_text(rec.get("information_source")),
        )
        for rec in _items(data.get("recommendations"))
    )
    return EvaluationRecord(
        source=source,
        eval_number=_text(data.get("eval_number")),
        eval_url=_text(data.get("eval_url")),
        eval_title=_text(data.get("eval_title")),
        locations=tuple(
            Location(country=_text(loc.get("country")), region=_text(loc.get("region")))
            for loc in _items(data.get("location"))
        ),
        recommendations=recommendations,
        unknown_keys=tuple(sorted(set(unknown) | set(_unknown(data, EVALUATION, "")))),
    )


def record_from_tokens(tokens: Iterable[Token], source: str) -> EvaluationRecord:
    """Rebuild a flattened key/value stream into a typed record."""
    nested, unknown = rebuild(tokens)
    return to_record(nested, source, unknown)
