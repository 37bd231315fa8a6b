"""The read-only SPARQL endpoint: the app and its routes, the query guard, the workers."""
