"""A seeded synthetic sanctions graph in N-Quads, for the SPARQL benchmarks.

Companies (``kg:Company``, materialised ``kg:Organization``) with a label, an alias and a
country, ``kg:suppliesTo`` edges between them (about 2.8 per company), and Entity List
listings (``kg:ExportControlListing``) each targeting ten companies, 1 % of all companies in
all. The ontology rides along in its own graph, as in a real build, so that the named queries
(``rdfs:subClassOf*``) work. Every name is made up ("Company 000042"); nothing here is a fact.

Usage: ``python benchmarks/sparql_graph.py 1000000 out.nq`` (triples, file).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

KG = "https://w3id.org/exposure-kg/ontology#"
KGR = "https://w3id.org/exposure-kg/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
DATE = "http://www.w3.org/2001/XMLSchema#date"
GRAPH = f"<{KGR}source/synthetic>"
COUNTRIES = ["us"] * 6 + ["cn"] * 6 + ["de", "fr", "jp", "kr", "tw", "gb", "in", "nl", "sg", "il"]
#: triples per company: 5 of its own, ~2.8 supply edges, ~0.1 from listings
PER_COMPANY = 7.8


def company_label(i: int) -> str:
    return f"Company {i:06d}"


def generate(triples: int, path: Path, *, seed: int = 7) -> dict:
    """Write about ``triples`` triples (plus the ontology graph) to ``path``; return facts
    the benchmark queries need (a listed company's label, the counts)."""
    from graph.model.ontology import ontology_dir

    rng = random.Random(seed)
    companies = max(100, int(triples / PER_COMPANY))
    listed = rng.sample(range(companies), max(10, companies // 100))
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        def quad(s: str, p: str, o: str) -> None:
            nonlocal written
            out.write(f"{s} <{p}> {o} {GRAPH} .\n")
            written += 1

        for i in range(companies):
            node = f"<{KGR}org/company-{i:06d}>"
            quad(node, RDF_TYPE, f"<{KG}Company>")
            quad(node, RDF_TYPE, f"<{KG}Organization>")
            quad(node, LABEL, f'"{company_label(i)}"')
            quad(node, ALT, f'"company-{i:06d}"')
            quad(node, f"{KG}country", f"<{KGR}country/{rng.choice(COUNTRIES)}>")
        edges = int(companies * 2.8)
        for _ in range(edges):
            a, b = rng.randrange(companies), rng.randrange(companies)
            if a != b:
                quad(f"<{KGR}org/company-{a:06d}>", f"{KG}suppliesTo", f"<{KGR}org/company-{b:06d}>")
        quad(f"<{KGR}org/us-commerce>", RDF_TYPE, f"<{KG}GovernmentBody>")
        quad(f"<{KGR}org/us-commerce>", LABEL, '"United States Department of Commerce"@en')
        for m in range(0, len(listed), 10):
            node = f"<{KGR}measure/synthetic-listing-{m // 10:05d}>"
            quad(node, RDF_TYPE, f"<{KG}ExportControlListing>")
            quad(node, RDF_TYPE, f"<{KG}Measure>")
            quad(node, LABEL, f'"Synthetic Entity List addition {m // 10}"@en')
            quad(node, f"{KG}onList", f"<{KGR}list/entity-list>")
            quad(node, f"{KG}imposedBy", f"<{KGR}org/us-commerce>")
            quad(node, f"{KG}announcedBy", f"<{KGR}org/us-commerce>")
            month = 1 + (m // 10) % 12
            quad(node, f"{KG}announcedOn", f'"2019-{month:02d}-07"^^<{DATE}>')
            for target in listed[m:m + 10]:
                quad(node, f"{KG}targets", f"<{KGR}org/company-{target:06d}>")
    # the ontology, in its own graph, converted by Oxigraph (no rdflib on this path)
    import pyoxigraph as ox

    ontology = ox.Store()
    ontology.load(path=str(ontology_dir() / "exposure-kg.ttl"), format=ox.RdfFormat.TURTLE,
                  to_graph=ox.NamedNode("https://w3id.org/exposure-kg/ontology"))
    with open(path, "ab") as out:
        ontology.dump(out, format=ox.RdfFormat.N_QUADS)
    return {"companies": companies, "listed": len(listed), "edges": edges, "triples": written + len(ontology),
            "listed_label": company_label(listed[0])}


if __name__ == "__main__":
    facts = generate(int(sys.argv[1]), Path(sys.argv[2]))
    print(facts)
