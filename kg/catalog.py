"""The store's record of the sources it was built from, as `kg sources` lists it."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Store

from kg.iris import Iris


@dataclass(frozen=True)
class SourceEntry:
    """One source: its key, when it was last ingested, what it gave, and its content hash."""

    key: str
    graph: str
    ingested: str
    records: int | None
    triples: int | None
    errors: int
    sha256: str


def source_entries(store: Store, iris: Iris) -> list[SourceEntry]:
    """Every source whose graph the store holds, by key (the reference data left out)."""
    rows = store.query(f"""
        PREFIX ek: <https://w3id.org/evalkg/ontology#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX void: <http://rdfs.org/ns/void#>
        SELECT ?graph ?key ?time ?records ?triples ?errors ?sha WHERE {{
          GRAPH <{iris.metadata_graph.value}> {{
            ?graph a ek:SourceDocument ; dcterms:source ?key ; prov:generatedAtTime ?time ;
                   ek:errorCount ?errors ; ek:sha256 ?sha .
            OPTIONAL {{ ?graph ek:recordCount ?records }} OPTIONAL {{ ?graph void:triples ?triples }}
          }}
          FILTER(?graph != <{iris.reference_graph.value}>)
          FILTER EXISTS {{ GRAPH ?graph {{ ?s ?p ?o }} }}
        }} ORDER BY ?key""")
    return [
        SourceEntry(
            key=row["key"].value, graph=row["graph"].value, ingested=row["time"].value,
            records=int(row["records"].value) if row["records"] else None,
            triples=int(row["triples"].value) if row["triples"] else None,
            errors=int(row["errors"].value), sha256=row["sha"].value,
        )
        for row in rows
    ]
