from datetime import date

import pytest

from kg.interpret import (
    parse_date,
    parse_integer,
    parse_ordinal,
    parse_related_conclusions,
    split_list,
    trailing_integer,
)


@pytest.mark.parametrize("text", ["2023-04-20 00:00:00.0", "2023-04-20", "20/04/2023", " 20.04.2023 ", "2023-04-20T10:00:00Z"])
def test_dates_in_every_source_form(text):
    assert parse_date(text) == date(2023, 4, 20)


@pytest.mark.parametrize("text", ["", "April 2023", "31/02/2023", "2023-13-01"])
def test_impossible_or_unknown_dates_give_none(text):
    assert parse_date(text) is None


@pytest.mark.parametrize(("text", "numbers"), [
    ("… Vinculado a Conclusión 7, 10 y 11.", [7, 10, 11]),
    ("Linked to conclusions 3 and 4.", [3, 4]),
    ("Lié aux conclusions 2 et 5.", [2, 5]),
    ("Liée à la conclusion 6.", [6]),
    ("Related to conclusion 1; see also conclusion 9", [1, 9]),
    ("Relacionada con las conclusiones 4, 5 y 8", [4, 5, 8]),
    ("The 3 conclusions of the 2 reports", []),
])
def test_related_conclusions(text, numbers):
    assert parse_related_conclusions(text) == numbers


@pytest.mark.parametrize(("text", "ordinal"), [("2. Deben", 2), ("10) Improve", 10), ("Recommendation 4: do", 4), ("Strengthen 2 units", None), ("2023 was", None)])
def test_ordinal_from_the_leading_number(text, ordinal):
    assert parse_ordinal(text) == ordinal


def test_integers_and_trailing_ids():
    assert parse_integer(" 3471 ") == 3471 and parse_integer("3471.0") == 3471 and parse_integer("x1") is None
    assert trailing_integer("https://webapps.ilo.org/ievaldiscovery/recommendations/16089/") == 16089


def test_split_list_on_commas_semicolons_and_lines():
    assert split_list("DWT/CO-Bangkok, ROAP;ROAP\nX") == ["DWT/CO-Bangkok", "ROAP", "X"]
