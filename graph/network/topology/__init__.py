"""The projection's topology as arrays beside an Oxigraph store: exposure without re-reading the graph.

Reading the topology out of an on-disk Oxigraph store costs seconds per million triples (every
``rdf:type`` and relationship end decoded from RocksDB), at every command. So a build that
writes a store also writes, once, what :func:`graph.network.project` gives with
``sources=False`` as compact arrays beside it: node IRIs, classes and countries; edge ends,
kinds, relations, relationship IRIs, dates, shares and confidences; the measures, their
targets and the lists. Three modules, one concern each:

- :mod:`graph.network.topology.arrays`: the arrays, read from a store (or a projection);
- :mod:`graph.network.topology.file`: the file they are saved to (``DIR/kg-topology.npz``,
  with the store's fingerprint) and read back from, stale files refused;
- :mod:`graph.network.topology.view`: :class:`~graph.network.topology.view.Topology`, the
  arrays read back as the projection the network code reads, answering
  :func:`graph.network.paths` (and the ownership rules) like the projection it was made from.

Examples
--------
>>> import tempfile, pyoxigraph as ox
>>> from graph.network.topology.file import load_topology, write_topology
>>> folder = tempfile.mkdtemp()
>>> store = ox.Store(folder)
>>> kg = "https://w3id.org/exposure-kg/ontology#"
>>> store.bulk_load(input=f'''
... <https://e.org/a> a <{kg}Company> ; <http://www.w3.org/2000/01/rdf-schema#label> "A" .
... <https://e.org/b> a <{kg}Company> ; <http://www.w3.org/2000/01/rdf-schema#label> "B" .
... <https://e.org/r> a <{kg}SupplyRelationship> ; <{kg}supplier> <https://e.org/a> ;
...     <{kg}customer> <https://e.org/b> .''', format=ox.RdfFormat.TURTLE)
>>> path = write_topology(store, folder)
>>> G = load_topology(store, folder)
>>> [(G.nodes[u]["label"], G.nodes[v]["label"], d["kind"]) for u, v, d in G.edges(data=True)]
[('A', 'B', 'supply')]
"""
