"""Offline language detection for the texts of records (lingua, limited to likely languages)."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

LANGUAGES = (Language.ENGLISH, Language.SPANISH, Language.FRENCH, Language.PORTUGUESE)
MINIMUM_LETTERS = 12
SAMPLE_CHARACTERS = 200

# Function words of each language that are not (common) words of the other three, so that
# one of them in a text is evidence for its language only. Data, kept small: closed-class words
# (articles, prepositions, pronouns, auxiliaries) frequent in evaluation records. Words two of
# the languages share (de, la, en, que, para, a, o, no, as, ou, mais, on, un, dos) are left out.
_FUNCTION_WORDS: dict[str, str] = {
    word: language
    for language, words in (
        ("en", "the and of to in is are was were be been being for with that this these those should"
               " from have has had by which their there they them it its at will would could not can"
               " must also such into than then when where while what who through between about other"
               " only both each after before during within"),
        ("es", "el los las del y con al su sus una es más lo ha han muy pero fue debe deben según"
               " también cuando donde hay así esto estos estas dicho dicha"),
        ("fr", "le les des du et est une au aux dans pour avec sur qui ce cette ces sont été pas ne il"
               " ils elle leur leurs doit doivent ont être par aussi ainsi afin lors selon notamment"
               " auprès très dont était peut"),
        ("pt", "os da das do em um uma não com ao aos pelo pela pelos pelas são é e na nas deve devem"
               " foi seu sua seus suas também isso essa esse muito"),
    )
    for word in words.split()
}
# The fast path answers only with at least this many function words, all of one language, making
# up at least this share of the sample's letters. lingua weighs the letters of all words, so
# function words alone mislead it where the other words look like another language: English
# titles of Latinate words ("Final independent evaluation of the ILO programme on formalisation of
# the informal economy in Côte d'Ivoire": lingua says fr) and short texts of acronyms. Among the
# texts checked (see `_by_function_words`), every disagreement had a share below 0.18.
FAST_MINIMUM_WORDS = 4
FAST_MINIMUM_SHARE = 0.2
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*LANGUAGES).with_preloaded_language_models().build()


def preload() -> None:
    """Load the language models now rather than on first use (e.g. before forking workers)."""
    _detector()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text is too short to tell.

    The first `SAMPLE_CHARACTERS` characters decide: more cost time and do not change the answer
    for the single-language texts of evaluation records (from 150 on, none of the record texts
    in the tests, nor of 4,005 synthetic ones, was given another language than from 300).
    """
    sample = text[:SAMPLE_CHARACTERS]
    letters = (c for c in sample if c.isalpha())
    if next(islice(letters, MINIMUM_LETTERS - 1, None), None) is None:
        return None
    language = _by_function_words(sample)
    if language is not None:
        return language
    language = _detector().detect_language_of(sample)
    return language.iso_code_639_1.name.lower() if language else None


def _by_function_words(sample: str) -> str | None:
    """The language of a sample whose function words leave no doubt, else None (ask lingua).

    A cheap first pass (~8 µs a sample against lingua's ~150 µs): it must give lingua's answer whenever it gives
    one, which the conservative thresholds above secured on every text of the real export
    sample, the tests' records and a 2,000-record synthetic corpus (tests/test_language.py).
    Only lowercase words count: acronyms (OS, EM) and names are no function words.
    """
    language: str | None = None
    hits = hit_letters = letters = 0
    for word in _WORD.findall(sample):
        letters += len(word)
        if word.islower() and (found := _FUNCTION_WORDS.get(word)) is not None:
            if language is not None and found != language:
                return None
            language = found
            hits += 1
            hit_letters += len(word)
    if hits >= FAST_MINIMUM_WORDS and hit_letters >= FAST_MINIMUM_SHARE * letters:
        return language
    return None
