"""The SPARQL 1.1 Service Description of the endpoint, as RDF triples."""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from kg.namespaces import DCTERMS, EK, RDF, RDFS, Namespace
from kg.settings import Settings
from server import formats

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")

RESULT_FORMATS = {
    formats.JSON_RESULTS: FORMATS.SPARQL_Results_JSON,
    formats.XML_RESULTS: FORMATS.SPARQL_Results_XML,
    formats.CSV: FORMATS.SPARQL_Results_CSV,
    formats.TSV: FORMATS.SPARQL_Results_TSV,
    formats.TURTLE: FORMATS.Turtle,
    formats.N_TRIPLES: FORMATS["N-Triples"],
    formats.N_QUADS: FORMATS["N-Quads"],
    formats.RDF_XML: FORMATS.RDF_XML,
    formats.JSON_LD: FORMATS["JSON-LD"],
}
# The text index's functions (kg.search.functions), documented in the README.
SEARCH_FUNCTIONS = {
    EK.score: "ek:score(?resource, \"search\" [, \"language\"]): the resource's BM25 score for the full-text "
              "search, unbound when the search does not find it.",
    EK.matches: "ek:matches(?resource, \"search\" [, \"language\"]): whether the full-text search finds the resource.",
    EK.snippet: "ek:snippet(?resource, \"search\" [, \"language\"]): the resource's best-matching text around the "
                "matched words, as an HTML fragment with the words in <mark>.",
}
SD_PREFIXES = {"sd": SD.iri, "ek": EK.iri, "formats": FORMATS.iri, "dcterms": DCTERMS.iri, "rdfs": RDFS.iri}


def service_description(endpoint: str, settings: Settings) -> list[Triple]:
    """What the endpoint at `endpoint` offers: languages, formats, features and its limits."""
    service = NamedNode(endpoint)
    dataset, default_graph = BlankNode("dataset"), BlankNode("defaultGraph")  # named: the same request, the same bytes
    triples = [
        Triple(service, RDF.type, SD.Service),
        Triple(service, SD.endpoint, service),
        Triple(service, DCTERMS.title, Literal("evalkg SPARQL endpoint", language="en")),
        Triple(service, RDFS.comment, Literal(_limits(settings), language="en")),
        Triple(service, SD.supportedLanguage, SD.SPARQL11Query),
        Triple(service, SD.feature, SD.UnionDefaultGraph),
        Triple(service, SD.defaultEntailmentRegime, ENTAILMENT.Simple),
        Triple(service, SD.defaultDataset, dataset),
        Triple(dataset, RDF.type, SD.Dataset),
        Triple(dataset, SD.defaultGraph, default_graph),
        Triple(default_graph, RDF.type, SD.Graph),
        Triple(default_graph, RDFS.comment,
               Literal("The default graph is the merge of all named graphs, unless the request names a dataset.",
                       language="en")),
    ]
    triples += [Triple(service, SD.resultFormat, term) for term in RESULT_FORMATS.values()]
    triples += [Triple(service, SD.extensionFunction, function) for function in SEARCH_FUNCTIONS]
    if settings.update_token:
        triples.append(Triple(service, SD.supportedLanguage, SD.SPARQL11Update))
    if settings.service_allowlist:
        triples.append(Triple(service, SD.feature, SD.BasicFederatedQuery))
    for function, comment in SEARCH_FUNCTIONS.items():
        triples += [Triple(function, RDF.type, SD.Function),
                    Triple(function, RDFS.comment, Literal(comment, language="en"))]
    return triples


def _limits(settings: Settings) -> str:
    reach = (f"SERVICE and LOAD reach only {', '.join(settings.service_allowlist)}." if settings.service_allowlist
             else "SERVICE and LOAD are refused.")
    return (f"Queries run at most {settings.query_timeout:g} s and return at most {settings.max_rows} rows "
            "(a cut response has the header X-Evalkg-Truncated: true). Updates need the server's bearer token. "
            + reach)
