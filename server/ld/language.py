"""The reader's languages (`?lang=`, then Accept-Language, then English) and labels chosen by them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from pyoxigraph import Literal

FALLBACK = "en"
UI_LANGUAGES = ("en", "es", "fr")
_TAG = re.compile(r"^[a-z]{1,8}(-[a-z0-9]{1,8})*$")


def valid_tag(tag: str | None) -> str | None:
    """A language tag, lower-cased, or None when it is not one (so it is safe to echo and query)."""
    tag = (tag or "").strip().lower().replace("_", "-")
    return tag if _TAG.match(tag) else None


def preferred_languages(explicit: str | None, accepted: Iterable[str]) -> tuple[str, ...]:
    """Tags in the order to try: `?lang=`, the Accept-Language ones by quality, each followed by
    its shorter forms (`es-pe`, `es`), and English last."""
    ordered: list[str] = []
    for tag in [explicit, *accepted, FALLBACK]:
        tag = valid_tag(tag)
        while tag:
            if tag not in ordered:
                ordered.append(tag)
            tag = tag.rpartition("-")[0]
    return tuple(ordered)


def ui_language(languages: Sequence[str]) -> str:
    """The first of the reader's languages the interface is written in."""
    return next((tag for tag in languages if tag in UI_LANGUAGES), FALLBACK)


def rank(literal: Literal, languages: Sequence[str]) -> tuple[int, str]:
    """How well a literal's language suits the reader: its position among their languages
    (untagged and `und` right after them, any other language last), then its tag."""
    tag = (literal.language or "").lower()
    for position, wanted in enumerate(languages):
        if tag == wanted or tag.startswith(wanted + "-"):
            return position, tag
    return (len(languages) if not tag or tag == "und" else len(languages) + 1), tag


def pick(literals: Iterable[Literal], languages: Sequence[str]) -> Literal | None:
    """The literal in the reader's most preferred language; untagged ones next, then any other."""
    return min(literals, key=lambda literal: (rank(literal, languages), literal.value), default=None)


def speaks(tag: str | None, language: str) -> bool:
    """Whether text tagged `tag` is in `language` (`es-PE` is Spanish)."""
    tag = (tag or "").lower()
    return tag == language or tag.startswith(language + "-")
