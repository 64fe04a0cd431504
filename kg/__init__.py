"""evalkg: a knowledge graph of public evaluation records, with a SPARQL endpoint."""

__version__ = "0.1.0"
