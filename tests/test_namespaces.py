"""Every ek: term the code uses is defined in ontology/evalkg.ttl, with a label and a comment."""

import re
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

import kg
from kg.namespaces import EK
from kg.resources import ontology_file

ONTOLOGY = Graph().parse(ontology_file("evalkg.ttl"), format="turtle")


def _terms_used_in_code() -> set[str]:
    code = Path(kg.__file__).parent
    used = set()
    for path in code.rglob("*.py"):
        used |= set(re.findall(r"\bEK\.([A-Za-z0-9]+)", path.read_text("utf-8")))
    return used - {"iri"}


def test_terms_used_in_code_are_defined_with_label_and_comment():
    used = _terms_used_in_code()
    assert {"Evaluation", "mentions", "sha256"} <= used
    for name in used:
        term = URIRef(EK.iri + name)
        assert (term, RDFS.label, None) in ONTOLOGY, f"ek:{name} is not defined in the ontology"
        assert (term, RDFS.comment, None) in ONTOLOGY, f"ek:{name} has no rdfs:comment"


def test_every_ontology_term_has_an_english_label():
    for term in set(ONTOLOGY.subjects(RDFS.isDefinedBy, None)):
        labels = [l for l in ONTOLOGY.objects(term, RDFS.label) if getattr(l, "language", None) == "en"]
        assert labels, f"{term} has no English label"
