"""kg.syntax: errors in words, read in time linear in the query, quoting little of it."""

from __future__ import annotations

import time

import pytest
from pyoxigraph import Store

from kg.namespaces import PREFIXES
from kg.syntax import explain


def _explained(query: str) -> str:
    with pytest.raises(SyntaxError) as raised:
        Store().query(query, prefixes=PREFIXES)
    return explain(query, str(raised.value), PREFIXES)


@pytest.mark.parametrize("run", ["a." * 56_000, "a" * 112_000, "ek:" + "a" * 112_000, "a-" * 56_000])
def test_a_long_run_of_name_characters_is_read_at_once_and_quoted_short(run):
    query = "#load\nASK { " + run
    started = time.monotonic()
    message = _explained(query)
    assert time.monotonic() - started < 1  # 45 s when each start of the run was scanned again
    assert len(message) < 300


def test_a_long_unknown_word_is_quoted_with_how_much_more_there_is():
    assert _explained("ASK { " + "x" * 1000 + " }") == (
        f"unknown keyword {'x' * 60}… (940 more characters) at line 1, column 7")
