"""RDF/XML is never ill-formed: a property it cannot name is refused with the reason (issue 17)."""

from __future__ import annotations

import xml.dom.minidom

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from kg.iris import Iris
from kg.rdfxml import writable
from kg.settings import Settings
from kg.sources import find_sources
from kg.store import StoreDirectory, with_default_copies
from server.app import create_app
from tests.conftest import CORPUS

IRIS = Iris()


@pytest.mark.parametrize(("iri", "ok"), [
    ("https://w3id.org/evalkg/ontology#text", True), ("http://purl.org/dc/terms/title", True),
    ("http://example.org/x-1", True), ("http://example.org/1", False), ("http://example.org/p/", False),
    ("http://example.org/a#", False), ("urn:x:1", False), ("title", False),
])
def test_which_properties_rdf_xml_can_write(iri, ok):
    assert writable(iri) is ok


def test_a_resource_with_a_property_rdf_xml_cannot_name_is_refused_in_rdf_xml_only(tmp_path, builder_factory):
    builder = builder_factory(tmp_path / "store")
    builder.build(find_sources([str(CORPUS / "ilo-evaluation-3590.json")])[0])
    evaluation = IRIS.evaluation(3590)
    odd = Quad(evaluation, NamedNode("http://example.org/1"), Literal("written by an update"), NamedNode("http://example.org/g"))
    with StoreDirectory(tmp_path / "store").new_generation() as store:
        store.extend(with_default_copies([odd]))
    del store
    client = create_app(Settings(store=str(tmp_path / "store"), dumps=str(tmp_path / "none"))).test_client()
    refused = client.get("/id/evaluation/3590.rdf")
    assert refused.status_code == 406
    xml.dom.minidom.parseString(refused.data)  # even the refusal is well-formed XML
    assert b"RDF/XML cannot write the property <http://example.org/1> (its IRI does not end in an XML name)" in refused.data
    turtle = client.get("/id/evaluation/3590.ttl")
    assert turtle.status_code == 200 and b"<http://example.org/1>" in turtle.data
    country = client.get("/id/country/TZA.rdf")  # a resource without such a property
    assert country.status_code == 200
    xml.dom.minidom.parseString(country.data)
