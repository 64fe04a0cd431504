"""Text normalisation for matching names: case, accents, apostrophes, dashes and spacing ignored."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"}
_DASHES = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"}
_EQUIVALENTS = str.maketrans({**_APOSTROPHES, **_DASHES})


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name, with runs of spaces as one space."""
    return fold_with_offsets(text)[0]


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of its source character.

    Typographic apostrophes and dashes become `'` and `-`; invisible format characters (soft
    hyphens, zero-width spaces) are dropped, so a name split by them still matches.
    """
    out: list[str] = []
    offsets: list[int] = []
    previous_space = True
    for index, char in enumerate(text):
        if char.isspace():
            if not previous_space:
                out.append(" ")
                offsets.append(index)
            previous_space = True
            continue
        pieces = _folded_char(char)
        if pieces:
            previous_space = False
            out.append(pieces)
            offsets.extend([index] * len(pieces))
    if out and out[-1] == " ":
        out.pop()
        offsets.pop()
    return "".join(out), offsets


@lru_cache(maxsize=4096)
def _folded_char(char: str) -> str:
    if unicodedata.category(char) == "Cf":
        return ""
    decomposed = unicodedata.normalize("NFKD", char.translate(_EQUIVALENTS).casefold())
    return "".join(piece for piece in decomposed if not unicodedata.combining(piece))
