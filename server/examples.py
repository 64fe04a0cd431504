"""The example queries of the query UI, kept as `.rq` files in server/static/examples/.

Each file starts with a comment line giving its title and one describing it; the PREFIX lines
for the evalkg prefixes it uses are added here, so the files stay short and the prefixes are
declared in one place (kg.namespaces).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.namespaces import PREFIXES

EXAMPLES_DIR = Path(__file__).parent / "static" / "examples"


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    description: str
    query: str


def with_prefixes(body: str) -> str:
    """The query with PREFIX declarations for the evalkg prefixes it uses."""
    used = [p for p in PREFIXES if re.search(rf"(?<![\w:<]){re.escape(p)}:", body)]
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in used) + body


@cache
def examples() -> tuple[Example, ...]:
    """The example queries, in the order of their file names."""
    found = []
    for path in sorted(EXAMPLES_DIR.glob("*.rq")):
        lines = path.read_text("utf-8").splitlines()
        title, description = (line.lstrip("# ").strip() for line in lines[:2])
        body = "\n".join(lines[2:]).strip() + "\n"
        found.append(Example(path.stem, title, description, with_prefixes(body)))
    return tuple(found)


def default_query() -> str:
    """What the editor shows first: every evalkg prefix and a query to start from."""
    prefixes = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    return prefixes + "\nSELECT ?evaluation ?title WHERE {\n  ?evaluation a ek:Evaluation ;\n" \
                      "              dcterms:title ?title .\n}\nLIMIT 20\n"
