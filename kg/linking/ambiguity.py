"""Acronyms that also mean something else, and the context that tells whether an organization is meant.

A gazetteer acronym matches case-sensitively as a whole word, which settles most of them
("UNHCR", "OIM"). A few are also words written in capitals ("AU", "CE", "UN" in French
headings; "CAN", "WHO" in English ones) or other acronyms ("PMA", the least developed
countries; "Sida" and "SIDA" in "VIH/SIDA"; "WB", the West Bank; "EEC", once the European
Economic Community). Each of those has a rule here, and each rule is exercised by hard negatives
in the labelled sets of `tests/linking/` or by `tests/linking/test_organizations.py`.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

_I = re.IGNORECASE


@dataclass(frozen=True)
class AcronymRule:
    """When one ambiguous acronym names its organization, another organization, or nothing.

    `not_after` is searched in the text just before the acronym (anchor it with `$`),
    `not_before` is matched at the text just after it; `other_sense` anywhere in the text means
    the other sense is in use; `needs` must occur somewhere in the text for the organization to
    be meant; `elsewhere` pairs a context with the slug of the organization the acronym then names.
    """

    acronym: str
    also_a_word: bool = False
    not_after: re.Pattern[str] | None = None
    not_before: re.Pattern[str] | None = None
    other_sense: re.Pattern[str] | None = None
    needs: re.Pattern[str] | None = None
    elsewhere: tuple[tuple[re.Pattern[str], str], ...] = ()

    def decide(self, context: "TextContext", start: int, end: int, slug: str) -> str | None:
        """The slug of the organization the acronym names at text[start:end], or None."""
        text = context.text
        for pattern, other in self.elsewhere:
            if context.contains(pattern):
                return other
        if self.needs is not None and not context.contains(self.needs):
            return None
        if self.other_sense is not None and context.contains(self.other_sense):
            return None
        if self.not_after is not None and self.not_after.search(text, max(0, start - CONTEXT_CHARS), start):
            return None
        if self.not_before is not None and self.not_before.match(text, end):
            return None
        if self.also_a_word and in_capitals(text, start, end, context.acronyms):
            return None
        return slug


class TextContext:
    """A text being searched and the known acronyms; whole-text tests are made once per text."""

    def __init__(self, text: str, acronyms: Collection[str]) -> None:
        self.text = text
        self.acronyms = acronyms
        self._contains: dict[re.Pattern[str], bool] = {}

    def contains(self, pattern: re.Pattern[str]) -> bool:
        if pattern not in self._contains:
            self._contains[pattern] = pattern.search(self.text) is not None
        return self._contains[pattern]


CONTEXT_CHARS = 60
_DOLLARS = re.compile(r"\s?\$")
_AIDS_BEFORE = re.compile(r"(?:(?:VIH|HIV)\s*[/\-–]\s*|(?:VIH|HIV)\s+(?:y|et|and|e|o|ou|or)\s+(?:el\s+|le\s+|du\s+)?"
                          r"|\b(?:el|del|al|le|du|au|contra|contre|against)\s+)$", _I)
_AIDS_AFTER = re.compile(r"\s*[/\-–]\s*(?:VIH|HIV)\b", _I)
_VIH = re.compile(r"\bVIH\b")
_ENGLISH = re.compile(r"\b(?:the|and|with|which)\b")  # words that tell an English text

ACRONYM_RULES: dict[str, AcronymRule] = {rule.acronym: rule for rule in (
    # Words in capital letters: French "au", "ce", "un", "uns"; English "can", "who", "bad",
    # "bid", "echo"; Spanish "seco" ("CORREDOR SECO").
    AcronymRule("AU", also_a_word=True, not_before=_DOLLARS),
    AcronymRule("CAN", also_a_word=True, not_before=_DOLLARS),
    AcronymRule("CE", also_a_word=True, other_sense=re.compile(r"comit[ée]s? d['’]entreprise", _I)),
    AcronymRule("UN", also_a_word=True),
    AcronymRule("UNS", also_a_word=True),
    AcronymRule("WHO", also_a_word=True),
    AcronymRule("BAD", also_a_word=True),
    AcronymRule("BID", also_a_word=True),
    AcronymRule("ECHO", also_a_word=True),
    AcronymRule("SECO", also_a_word=True),
    # "BIT" is the ILO in French headings too ("LE BIT DOIT..."); it is ruled out only in the
    # English "A BIT" and in texts on bilateral investment treaties (BITs).
    AcronymRule("BIT", not_after=re.compile(r"(?<!\w)A\s+$"), other_sense=re.compile(
        r"bilateral investment treat|trait[ée]s bilat[ée]raux d['’]investissement|tratados bilaterales de inversi", _I)),
    # "Sida" and "SIDA" are also AIDS in Spanish and French ("VIH/SIDA", "la lucha contra el Sida");
    # English texts of the ILO write the agency either way ("approval from SIDA (donor)").
    *(AcronymRule(form, not_after=_AIDS_BEFORE, not_before=_AIDS_AFTER, other_sense=_VIH) for form in ("Sida", "SIDA")),
    # "PMA" is WFP in Spanish, and the least developed countries in Spanish and French.
    AcronymRule(
        "PMA",
        not_after=re.compile(r"\b(?:los|las|les|des|aux|ces|estos|estas|esos|dichos|sus|leurs|nos|nuestros|otros|autres"
                      r"|dem[aá]s|un|una|chaque|cada|varios|plusieurs|pa[ií]s|pa[ií]ses|pays)\s+$", _I),
        other_sense=re.compile(r"menos\s+adelantad|moins\s+avanc|least\s+developed", _I),
    ),
    # A bare "ITC" is the ILO's Turin centre in a training context or after "the ILO's", the
    # International Trade Centre in a text on trade ("ITC tools" in a project on trade and
    # employment; "trade unions" do not count), and left unlinked when the text does not tell.
    AcronymRule(
        "ITC",
        elsewhere=((re.compile(r"Tur[ií]n|\bITC[-/]?ILO\b|\bCIF[-/]OIT\b|training cent(?:re|er)|\bILO['’]s\s+ITC\b"
                        r"|centro internacional de formaci[oó]n|centre international de formation", _I), "itcilo"),),
        needs=re.compile(r"international trade cent(?:re|er)|centro de comercio internacional|centre du commerce international"
                  r"|\bexport|UNCTAD|CNUCED|\bWTO\b|\bOMC\b|comercio internacional|commerce international"
                  r"|\btrade\b(?![\s-]+union)", _I),
    ),
    # "DOL" is also the Department of Labour of South Africa, New Zealand and others.
    AcronymRule("DOL", needs=re.compile(r"United States|U\.\s?S\.|\bUS\b|\bUSA\b|USDOL|\bILAB\b|Estados Unidos|EE\.\s?UU\."
                                 r"|[ÉE]tats-Unis")),
    # "WB" is also the West Bank ("WB and Gaza").
    AcronymRule("WB", not_before=re.compile(r"\s*(?:and|&|/|y|et)\s*Gaza", _I),
                other_sense=re.compile(r"West Bank|Cisjordani[ae]", _I)),
    # "OIE" is also the World Organisation for Animal Health (Office international des épizooties).
    AcronymRule("OIE", other_sense=re.compile(r"sanidad animal|sant[ée] animale|animal health|[ée]pizoot", _I)),
    # "EEC" is also the former European Economic Community; the Eurasian Economic Commission is
    # meant only in a text on Eurasia.
    AcronymRule("EEC", needs=re.compile(r"Eura?sia|Euroasi|eurasiat", _I)),
    # The IFC's Spanish and French acronyms name it only in Spanish and French texts; in English
    # ones "SFI" and "CFI" are other things ("the pilot nature of some interventions such as the SFI").
    AcronymRule("SFI", other_sense=_ENGLISH),
    AcronymRule("CFI", other_sense=_ENGLISH),
    # "CAF" is also France's family allowance funds (caisses d'allocations familiales).
    AcronymRule("CAF", other_sense=re.compile(r"allocations familiales", _I)),
)}

_WORD_BEFORE = re.compile(r"([^\W\d_]+)(?:[^\w\n]|\d)*$")
_WORD_AFTER = re.compile(r"(?:[^\w\n]|\d)*([^\W\d_]+)")


def in_capitals(text: str, start: int, end: int, acronyms: Collection[str]) -> bool:
    """Whether text[start:end] sits in all-capital text such as a heading.

    True when the nearest word on each side (on the same line) is written in capitals or
    absent, and at least one of them is a capitalized word that is not a known acronym.
    """
    before = _WORD_BEFORE.search(text, max(0, start - CONTEXT_CHARS), start)
    after = _WORD_AFTER.match(text, end)
    words = [m.group(1) for m in (before, after) if m is not None]
    if not words or not all(word.isupper() for word in words):
        return False
    return any(word not in acronyms for word in words)


_ADDRESS_BEFORE = re.compile(r"(?:[^\W_]\.|@|://|\d/)$")
_ADDRESS_AFTER = re.compile(r"\.[^\W_]|@|/\d")


def in_code_or_address(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is part of a project symbol ("RLA/19/03/USA"), a domain or an e-mail."""
    return bool(_ADDRESS_BEFORE.search(text, max(0, start - 3), start) or _ADDRESS_AFTER.match(text, end))
