"""Checking a graph against the SHACL shapes, compiled to SPARQL."""
