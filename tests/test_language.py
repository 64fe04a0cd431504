import pytest

from kg.language import MINIMUM_LETTERS, SAMPLE_CHARACTERS, detect_language


@pytest.mark.parametrize(("text", "language"), [
    ("Fortalecer la coordinación con los socios nacionales.", "es"),
    ("Strengthen the coordination with the national partners.", "en"),
    ("Renforcer la coordination avec les partenaires nationaux.", "fr"),
])
def test_language_of_a_sentence(text, language):
    assert detect_language(text) == language


def test_twelve_letters_are_enough():
    assert MINIMUM_LETTERS == len("theemployers")
    assert detect_language("2023: the employers (3)") == "en"
    assert detect_language("2023: the employer (3)") is None


def test_too_few_letters_tell_no_language():
    eleven_letters = "2023 / " + "a" * (MINIMUM_LETTERS - 1) + " 42 (3)"
    assert detect_language(eleven_letters) is None
    assert detect_language("12345 67890 " * 40) is None


def test_only_the_letters_of_the_sample_count():
    sentence = "the partners and the national coordination"
    assert detect_language("1. " * (SAMPLE_CHARACTERS // 3) + sentence) is None
    assert detect_language("1. " * 10 + sentence) == "en"
