"""What a store's quads are, by kind: `python -m benchmarks.quad_audit STORE [--records N]`.

Each quad of a source graph is put in one kind by its subject and predicate: the records' own
facts (evaluations, recommendations, lessons, good practices: literals and their classes),
their links to other resources, their labels, the descriptions of shared resources (countries,
regions, concepts, projects, units, people, agencies; those the reference graph also describes
counted apart), and the agency-mention reification. The metadata graph, the reference graph and
the default graph (the merge) are counted whole. `--records` divides each count by the records
built, for the per-record table of docs/benchmarks.md ("What a record costs").
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

from pyoxigraph import DefaultGraph, Literal, NamedNode

from kg.iris import DEFAULT_BASE_IRI, Iris
from kg.namespaces import EK, RDF, RDFS
from kg.store import StoreDirectory

RECORD_KINDS = ("evaluation/", "recommendation/", "lesson/", "good-practice/")


def audit(store: StoreDirectory, iris: Iris = Iris()) -> dict[str, int]:
    """Quads per kind (see the module's docstring)."""
    opened = store.open_read_only()
    reference = iris.reference_graph
    described_in_reference = {q.subject for q in opened.quads_for_pattern(None, None, None, reference)}
    counts: Counter[str] = Counter()
    default = DefaultGraph()
    for quad in opened:
        graph = quad.graph_name
        if graph == default:
            counts["default-graph copies"] += 1
        elif graph == reference:
            counts["reference graph"] += 1
        elif graph == iris.metadata_graph:
            counts["metadata (provenance)"] += 1
        else:
            counts[_kind(quad.subject, quad.predicate, quad.object, described_in_reference)] += 1
    return dict(counts)


def _kind(subject: NamedNode, predicate: NamedNode, obj: object, in_reference: set[object]) -> str:
    value = subject.value
    if "/mention/" in value or predicate == EK.hasMention:
        return "mention reification"
    rest = value[len(DEFAULT_BASE_IRI):] if value.startswith(DEFAULT_BASE_IRI) else value
    if rest.startswith(RECORD_KINDS):
        if predicate == RDFS.label:
            return "record labels"
        if isinstance(obj, Literal) or predicate == RDF.type:
            return "record facts"
        return "record links"
    if subject in in_reference:
        return "shared, also in the reference graph"
    return "shared: " + rest.split("/", 1)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--records", type=int, help="divide by this many records")
    args = parser.parse_args()
    counts = audit(StoreDirectory(args.store))
    total = sum(counts.values())
    print("| kind | quads | per record |" if args.records else "| kind | quads |")
    print("|---|---|---|" if args.records else "|---|---|")
    for kind, number in sorted(counts.items(), key=lambda item: -item[1]) + [("total", total)]:
        per = f" {number / args.records:.1f} |" if args.records else ""
        print(f"| {kind} | {number} |{per}")
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
