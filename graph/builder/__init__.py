"""The build: statements to named graphs, and the whole flow from data/ to out/."""
