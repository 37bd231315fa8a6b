"""Stores and queries: files, Oxigraph, rdflib and SPARQL servers; named queries."""
