"""The SPARQL tokenizer: the tokens it finds, and time linear in the text whatever the text."""

from __future__ import annotations

import time

import pytest

from server.lexer import LexError, tokenize


def kinds(text: str) -> list[tuple[str, str]]:
    return [(token.kind, token.text) for token in tokenize(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("ex:a", [("PNAME", "ex:a")]),
    ("a.b:c", [("PNAME", "a.b:c")]),
    ("a.:b", [("WORD", "a"), ("PUNCT", "."), ("PNAME", ":b")]),  # a prefix cannot end with a dot
    ("a.a b:", [("WORD", "a"), ("PUNCT", "."), ("WORD", "a"), ("PNAME", "b:")]),
    ("é.é:x", [("PNAME", "é.é:x")]),
    ("ex:a. ?s", [("PNAME", "ex:a"), ("PUNCT", "."), ("VAR", "?s")]),
    ("x-1:y", [("PNAME", "x-1:y")]),
    (":x", [("PNAME", ":x")]),
])
def test_prefixed_names(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


def test_a_character_outside_every_token_is_an_error() -> None:
    with pytest.raises(LexError, match="'é' at line 2, column 3"):
        list(tokenize("ASK {\n  é.é }"))


@pytest.mark.parametrize("unit", ["a.", "é.", "a-", "ex:a.", "_:a.", "1.", "?a<", "<a ", "''''", "a.a:"])
def test_time_is_linear_in_the_text(unit: str) -> None:
    """A quarter megabyte of any of these took minutes when a prefix was scanned again from every name in it."""
    text = "ASK { " + unit * (256 * 1024 // len(unit))
    started = time.monotonic()
    try:
        for _ in tokenize(text):
            pass
    except LexError:
        pass
    assert time.monotonic() - started < 5
