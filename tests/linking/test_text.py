"""Folding text for name matching, with the offsets that map matches back to the source."""

import pytest

from kg.linking.text import fold, fold_with_offsets


@pytest.mark.parametrize(("text", "folded", "offsets"), [
    ("ONU Mujeres", "onu mujeres", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    ("  Réfugiés\n\t y  ", "refugies y", [2, 3, 4, 5, 6, 7, 8, 9, 10, 13]),
    ("Organi\u00adzación", "organizacion", [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12]),  # soft hyphen dropped
    ("a \u200b b", "a b", [0, 1, 4]),  # a word of invisible characters is no word
    ("l\u2019OIT`s", "l'oit's", [0, 1, 2, 3, 4, 5, 6]),
    ("ONU\u2013Hábitat", "onu-habitat", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    ("Stra\u00dfe \ufb01n", "strasse fin", [0, 1, 2, 3, 4, 4, 5, 6, 7, 7, 8]),  # ß and the ligature ﬁ: two letters
    ("", "", []),
])
def test_fold_with_offsets(text, folded, offsets):
    assert fold_with_offsets(text) == (folded, offsets)
    assert fold(text) == folded
