"""Text normalisation for matching names: case, accents, apostrophes, dashes and spacing ignored."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"}
_DASHES = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"}
_EQUIVALENTS = str.maketrans({**_APOSTROPHES, **_DASHES})
_WORD = re.compile(r"\S+")  # \s is what str.isspace() calls space


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name, with runs of spaces as one space."""
    return fold_with_offsets(text)[0]


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of its source character.

    Typographic apostrophes and dashes become `'` and `-`; invisible format characters (soft
    hyphens, zero-width spaces) are dropped, so a name split by them still matches.
    """
    if " ".join(text.split()) == text:  # single spaces: the usual text folds in one pass
        folded = text.translate(_FOLDS)
        if _RESIZED.isdisjoint(text):
            return folded, list(range(len(text)))
    out: list[str] = []
    offsets: list[int] = []
    previous_end = 0
    for word in _WORD.finditer(text):
        start, end = word.span()
        folded = word.group().translate(_FOLDS)
        if _RESIZED.isdisjoint(word.group()):
            positions: Iterable[int] = range(start, end)
        else:
            pieces = [_FOLDS[ord(char)] for char in word.group()]
            positions = [index for index, piece in enumerate(pieces, start) for _ in piece]
        if folded:
            if out:  # a run of spaces is one space, at the first of them
                out.append(" ")
                offsets.append(previous_end)
            out.append(folded)
            offsets.extend(positions)
            previous_end = end
    return "".join(out), offsets


class _CharacterFolds(dict[int, str]):
    """A `str.translate` table giving each character's fold, worked out when first met."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = _folded_char(char)
        if len(folded) != 1:
            _RESIZED.add(char)  # before the table has it, for other threads that find it there
        self[code] = folded
        return folded


_FOLDS = _CharacterFolds()
_RESIZED: set[str] = set()  # characters met whose fold is not one character: "ß", "ﬁ", soft hyphen


def _folded_char(char: str) -> str:
    if unicodedata.category(char) == "Cf":
        return ""
    decomposed = unicodedata.normalize("NFKD", char.translate(_EQUIVALENTS).casefold())
    return "".join(piece for piece in decomposed if not unicodedata.combining(piece))
