"""How texts and searches become index terms: words, case and diacritic folding, stemming by language.

A text in English, Spanish or French is indexed by the stems of its words, by its language's
Snowball stemmer, which let `protections` find `protection` and `migraciones` find `migración`; a
text in another language by its words. Either way the terms are folded: lowercased, without
diacritics, after stemming (Snowball's rules know the accented suffixes), so `migracion` and
`Migración` give one term.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import Stemmer

STEMMED_LANGUAGES = {"en": "english", "es": "spanish", "fr": "french"}
WORD = re.compile(r"\w+")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})


def fold(text: str) -> str:
    """The text lowercased, without diacritics: `Migración` → `migracion`, `Œuvre` → `oeuvre`."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return decomposed if decomposed.isascii() else decomposed.translate(_without_combining_marks())


@lru_cache(maxsize=1)
def _without_combining_marks() -> dict[int, None]:
    """A `str.translate` table deleting the combining marks (accents...) of the Basic Multilingual Plane."""
    return {code: None for code in range(0x10000) if unicodedata.combining(chr(code))}


@lru_cache(maxsize=None)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(STEMMED_LANGUAGES[language])


def words(text: str) -> list[str]:
    """The words of a text, as written."""
    return WORD.findall(text)


def word_spans(text: str) -> Iterator[re.Match[str]]:
    """The words of a text with their places in it (for highlighting)."""
    return WORD.finditer(text)


def stems(words_: list[str], language: str) -> list[str]:
    """Each word's index term in a language: its Snowball stem, folded."""
    lowered = [word.casefold() for word in words_]
    return [fold(stem) for stem in _stemmer(language).stemWords(lowered)]


def analyzed(text: str, language: str | None) -> str:
    """A text's index terms, separated by spaces: its words' stems in `language`, or its words
    for a language not stemmed; folded."""
    found = words(text.casefold())
    if language in STEMMED_LANGUAGES:
        found = _stemmer(language).stemWords(found)
    return fold(" ".join(found))


def query_stems(word: str, language: str) -> set[str]:
    """The index terms a searched word may match in a language: the stem of the word as typed and
    of the word folded, which differ where a suffix's accent was left out (`educacion`)."""
    return {stems([word], language)[0], stems([fold(word)], language)[0]}
