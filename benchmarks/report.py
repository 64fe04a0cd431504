"""The benchmarks' result tables as Markdown, for the terminal and docs/benchmarks.md."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence


def markdown_table(rows: Iterable[Mapping[str, object]], columns: Sequence[str]) -> str:
    """A Markdown table of the given columns, one line per row."""
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(row[c]) for c in columns) + " |" for row in rows]
    return "\n".join(lines)
