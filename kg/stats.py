"""Counts per class of the ontology, for `kg stats` and the dataset description."""

from __future__ import annotations

from pyoxigraph import Store

from kg.namespaces import EK

CLASSES = (
    "Evaluation", "Recommendation", "LessonLearned", "GoodPractice", "Country", "Region", "Project",
    "Organization", "Person", "AdminUnit", "TechnicalUnit", "Theme", "Category", "ResponseStatus",
    "ProgressStatus", "EvaluationType", "EvaluationTiming", "EvaluationNature", "Mention",
)


def class_counts(store: Store) -> dict[str, int]:
    """Distinct resources per evalkg class, then triples and named graphs."""
    counts: dict[str, int] = {}
    for name in CLASSES:
        rows = store.query(
            f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{EK[name].value}> }}"
        )
        counts[f"ek:{name}"] = int(next(iter(rows))["n"].value)
    counts["triples"] = int(next(iter(store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    counts["named graphs"] = sum(1 for _ in store.named_graphs())
    return counts
