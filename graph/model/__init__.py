"""The model every stage shares: the ontology, RDF terms, statements and name keys."""
