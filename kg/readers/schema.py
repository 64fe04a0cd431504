"""The i-eval Discovery record schema, and the one place where flattened forms regain nesting.

Text renderings and many HTML pages flatten the record into a stream of keys and values:
`location: country: Peru region: Americas country: Ecuador ...`. The schema below says which
keys nest under which list, and a key seen again inside the current list item starts the next
item, so `rebuild` turns the flat stream back into the nested record that JSON gives directly.
Where a form marks item boundaries itself (a table row per item, a section row), a `Break`
says so, and a list key seen again starts a new item of that list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Union

from kg.records import (
    EvaluationRecord,
    GoodPracticeRecord,
    LessonRecord,
    Location,
    RecommendationRecord,
    ThemeRecord,
)


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
    "comments": None,
    "admin_units": None,
    "title": None,
    "project_symbols": None,
    "url": None,
    "information_source": None,
}
LESSON: Schema = {
    "description": None,
    "themes": ListOf(THEME),
    "context": None,
    "challenges": None,
    "success": None,
    "administrative_issues": None,
    "comments": None,
    "url": None,
}
GOOD_PRACTICE: Schema = {
    "description": None,
    "themes": ListOf(THEME),
    "context": None,
    "cause_effect": None,
    "indicators": None,
    "replication": None,
    "links": None,
    "url": None,
}
EVALUATION: Schema = {
    "eval_number": None,
    "eval_url": None,
    "location": ListOf(LOCATION),
    "eval_title": None,
    "recommendations": ListOf(RECOMMENDATION),
    "lessons_learned": ListOf(LESSON),
    "good_practices": ListOf(GOOD_PRACTICE),
}

KNOWN_KEYS: frozenset[str] = frozenset(
    key for schema in (EVALUATION, RECOMMENDATION, LESSON, GOOD_PRACTICE, LOCATION, THEME) for key in schema
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


@dataclass(frozen=True)
class Break:
    """An item boundary of a flattened record: the next key starts a new item of its list."""


Token = Union[Key, Value, Break]


@dataclass
class _Frame:
    schema: Schema
    items: list[dict[str, Any]]
    is_list: bool
    current: dict[str, Any] = field(default_factory=dict)
    fresh: bool = True

    def start_item(self) -> dict[str, Any]:
        self.current = {}
        self.items.append(self.current)
        self.fresh = False
        return self.current


def rebuild(tokens: Iterable[Token]) -> tuple[dict[str, Any], list[str]]:
    """Nest a flat key/value stream by the schema; return the record and its unknown keys."""
    top: dict[str, Any] = {}
    stack = [_Frame(EVALUATION, [top], is_list=False, current=top)]
    unknown: list[str] = []
    target: list[str] | None = None
    reported = False  # whether values without a target follow an unknown key, reported already
    boundary = False
    for token in tokens:
        if isinstance(token, Value):
            if target is not None:
                target.append(token.text)
            elif not reported:
                unknown.append(f"text without a key ({token.text[:40]!r})")
            continue
        if isinstance(token, Break):
            boundary, target, reported = True, None, False
            continue
        depth = next(
            (i for i in range(len(stack) - 1, -1, -1) if token.name in stack[i].schema), None
        )
        if depth is None:
            unknown.append(token.name)
            target, reported = None, True
            continue
        del stack[depth + 1 :]
        frame = stack[-1]
        if frame.is_list and (frame.fresh or boundary or token.name in frame.current):
            frame.start_item()
        boundary, reported = False, False
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


_JSON_TYPES = {dict: "an object", list: "a list", str: "text", bool: "true or false", type(None): "null"}


def _kind(value: Any) -> str:
    return _JSON_TYPES.get(type(value), "a number")


def _is_scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def type_problems(data: Mapping[str, Any], schema: Schema = EVALUATION, path: str = "") -> Iterator[str]:
    """The fields of a nested record (from JSON) whose values have the wrong type: text (or a
    list of text lines) where the schema has a value, objects where it has a list of items.
    `to_record` would leave such a field out; a reader reports each as an error."""
    for key, value in data.items():
        spec = schema.get(key, ...)
        if spec is ... or value is None:
            continue
        if spec is None:
            if not (_is_scalar(value) or isinstance(value, list) and all(map(_is_scalar, value))):
                yield f"field {path}{key} is {_kind(value)}; expected text"
        elif isinstance(value, Mapping):
            yield from type_problems(value, spec.fields, f"{path}{key}.")  # type: ignore[union-attr]
        elif not isinstance(value, list):
            yield f"field {path}{key} is {_kind(value)}; expected a list of objects"
        else:
            for index, item in enumerate(value):
                if isinstance(item, Mapping):
                    yield from type_problems(item, spec.fields, f"{path}{key}[{index}].")  # type: ignore[union-attr]
                else:
                    yield f"field {path}{key}[{index}] is {_kind(item)}; expected an object"


def _themes(value: Any) -> tuple[ThemeRecord, ...]:
    return tuple(
        ThemeRecord(theme=_text(t.get("theme")), category=_text(t.get("category"))) for t in _items(value)
    )


def _recommendation(data: Mapping[str, Any]) -> RecommendationRecord:
    return RecommendationRecord(
        url=_text(data.get("url")),
        title=_text(data.get("title")),
        date=_text(data.get("date")),
        themes=_themes(data.get("themes")),
        action_plan=_text(data.get("action_plan")),
        management_response=_text(data.get("management_response")),
        progress=_text(data.get("progress")),
        comments=_text(data.get("comments")),
        admin_units=_text(data.get("admin_units")),
        project_symbols=_text(data.get("project_symbols")),
        information_source=_text(data.get("information_source")),
    )


def _lesson(data: Mapping[str, Any]) -> LessonRecord:
    return LessonRecord(
        url=_text(data.get("url")),
        description=_text(data.get("description")),
        themes=_themes(data.get("themes")),
        context=_text(data.get("context")),
        challenges=_text(data.get("challenges")),
        success=_text(data.get("success")),
        administrative_issues=_text(data.get("administrative_issues")),
        comments=_text(data.get("comments")),
    )


def _good_practice(data: Mapping[str, Any]) -> GoodPracticeRecord:
    return GoodPracticeRecord(
        url=_text(data.get("url")),
        description=_text(data.get("description")),
        themes=_themes(data.get("themes")),
        context=_text(data.get("context")),
        cause_effect=_text(data.get("cause_effect")),
        indicators=_text(data.get("indicators")),
        replication=_text(data.get("replication")),
        links=_text(data.get("links")),
    )


def to_record(data: Mapping[str, Any], source: str, unknown: Iterable[str] = ()) -> EvaluationRecord:
    """Turn a nested record (from JSON or `rebuild`) into a typed `EvaluationRecord`."""
    return EvaluationRecord(
        source=source,
        eval_number=_text(data.get("eval_number")),
        eval_url=_text(data.get("eval_url")),
        eval_title=_text(data.get("eval_title")),
        locations=tuple(
            Location(country=_text(loc.get("country")), region=_text(loc.get("region")))
            for loc in _items(data.get("location"))
        ),
        recommendations=tuple(_recommendation(item) for item in _items(data.get("recommendations"))),
        lessons=tuple(_lesson(item) for item in _items(data.get("lessons_learned"))),
        good_practices=tuple(_good_practice(item) for item in _items(data.get("good_practices"))),
        unknown_keys=tuple(sorted(set(unknown) | set(_unknown(data, EVALUATION, "")))),
    )


def record_from_tokens(tokens: Iterable[Token], source: str) -> EvaluationRecord:
    """Rebuild a flattened key/value stream into a typed record."""
    nested, unknown = rebuild(tokens)
    return to_record(nested, source, unknown)
