def test_seed_build_has_the_article_graph(seed_graph):
    from graph.builder.rdf import source_iri

    names = {str(g.identifier) for g in seed_graph.graphs()}
    assert str(source_iri("lesechos-2019-10-08")) in names
