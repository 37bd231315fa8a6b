"""The ``kg`` command: a thin layer over the functions the notebooks call.

Domain errors become CLI errors here and nowhere else: bad input or a broken graph exits 1
with the file, line and a hint; bad command-line arguments exit 2.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from .errors import BuildError, ExposureKGError
from .pipeline import build
from .sources import Batch, Reader

__all__ = ["main"]


def _domain_errors(func):
    """Turn the package's errors into a message on stderr and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ExposureKGError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)

    return wrapper


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{value!r} is not name=value", param_hint="--param")
        params[name.strip()] = text
    return params


def _spec_option(ctx, param, value):
    if value is None:
        return None
    from .store import parse_spec
    from .errors import StoreError

    try:
        return parse_spec(value)
    except StoreError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


def _store_spec(graph, store):
    """One store spec from --graph (a file or a spec) and --store (the engine or a store)."""
    from .store import StoreSpec

    if store is None:
        return graph
    bare_oxigraph = store.kind == "file" and store.location == "oxigraph"
    if graph is None:
        return None if bare_oxigraph else store
    if store.kind == "memory" or bare_oxigraph:
        engine = "memory" if store.kind == "memory" else "file"
        if graph.kind != "file":
            raise click.UsageError(f"--store {store.kind} reads a graph file; --graph names {graph}")
        return StoreSpec(engine, graph.location)
    raise click.UsageError(f"--store {store} names a whole store: give --graph only with "
                           "--store memory or --store oxigraph")


_GRAPH_HELP = ("The graph: a file (.trig, .ttl, .nt, .nq, .jsonld), oxigraph:DIR, memory[:FILE] "
               "or sparql:URL (default out/graph.trig).")
_STORE_HELP = ("Where the graph lives: oxigraph:DIR, sparql:URL, or the engine for --graph's file: "
               "oxigraph (default) or memory (rdflib's own store).")


@click.group()
@click.version_option(package_name="exposure-kg")
def main() -> None:
    """exposure-kg: a knowledge graph of sanctions and export-control exposure."""


@main.command("build")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(path_type=Path),
              help="Folder for graph.trig and graph.ttl.")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines, even on a terminal.")
@click.option("--no-validate", is_flag=True, help="Skip the SHACL check (large graphs).")
@click.option("--no-extract", is_flag=True, help="Leave out the statements extracted from articles.")
@click.option("--store", "store", callback=_spec_option, metavar="SPEC",
              help="Also load the graph into a store: oxigraph:DIR or sparql:URL (each source's graph is replaced).")
@_domain_errors
def build_command(paths: tuple[Path, ...], out_dir: Path, quiet: bool, no_validate: bool, no_extract: bool,
                  store=None) -> None:
    """Build the graph from PATHS (default: data/) into --out.

    Writes graph.trig (one named graph per source) and graph.ttl (their union). Nothing in
    --out changes unless the whole build succeeds.
    """
    show = not quiet and sys.stderr.isatty()

    def progress(reader: Reader, batch: Batch) -> None:
        if show:
            counts = ", ".join(f"{n} {what}" for what, n in batch.counts.items())
            click.echo(f"  {reader.name:<10} {batch.file}: {counts}", err=True)

    if store is not None and store.kind not in ("oxigraph", "sparql"):
        raise click.BadParameter(f"{str(store)!r}: a build loads into oxigraph:DIR or sparql:URL "
                                 "(files go to --out)", param_hint="--store")
    try:
        result = build(list(paths) or [Path("data")], out_dir, check=not no_validate, progress=progress,
                       extract=not no_extract)
    except BuildError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if not quiet:
        _print_counts(result.batches)
        sources = len({b.source.id for b in result.batches})
        click.echo(f"built {len(result.dataset)} triples from {sources} source(s) in {len(result.batches)} file(s)",
                   err=True)
        for output in result.outputs:
            click.echo(f"  wrote {output}", err=True)
        for source, how in result.extraction:
            click.echo(f"  {how} {source}" + (" (unchanged, from the cache)" if how == "cached" else ""), err=True)
    for batch in result.batches:
        if "read" in batch.counts:
            continue  # tables' warnings are printed with their counts
        for warning in batch.warnings:
            click.echo(f"warning: {batch.file}: {warning}", err=True)
    if store is not None:
        from .store import save_graph

        trig = next((p for p in result.outputs if p.suffix == ".trig"), None)
        quads = save_graph(result.dataset, store, file=trig)
        if not quiet:
            click.echo(f"  loaded {quads} quads into {store}", err=True)


@main.command("validate")
@click.argument("graph_file", required=False, callback=_spec_option)
@click.option("--graph", "graph_option", callback=_spec_option, metavar="SPEC", help=_GRAPH_HELP)
@click.option("--store", "store", callback=_spec_option, metavar="SPEC", help=_STORE_HELP)
@_domain_errors
def validate_command(graph_file, graph_option=None, store=None) -> None:
    """Check GRAPH (default out/graph.trig) against the SHACL shapes.

    Prints each violation as focus node, path and message; exits 1 if there is any.
    """
    from .store import open_graph, snapshot
    from .validate import validate

    if graph_file is not None and graph_option is not None:
        raise click.UsageError("give the graph as an argument or with --graph, not both")
    violations = validate(snapshot(open_graph(_store_spec(graph_file or graph_option, store))))
    for violation in violations:
        click.echo(str(violation))
    if violations:
        click.echo(f"{len(violations)} violation(s)", err=True)
        sys.exit(1)
    click.echo("the graph conforms to the shapes", err=True)


@main.command("query")
@click.argument("query", required=False)
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and their parameters.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--graph", "graph_file", callback=_spec_option, metavar="SPEC", help=_GRAPH_HELP)
@click.option("--store", "store", callback=_spec_option, metavar="SPEC", help=_STORE_HELP)
@_domain_errors
def query_command(query: str | None, list_queries: bool, params: tuple[str, ...], fmt: str,
                  graph_file=None, store=None) -> None:
    """Run a named query (see --list), a .rq file, or SPARQL text given as QUERY."""
    from .sparql import format_result, get_query, named_queries, run_query
    from .store import open_graph

    if list_queries:
        for named in named_queries().values():
            click.echo(f"{named.name}\n    {named.description}")
            for param in named.params:
                default = f" (default {param.default})" if param.default else ""
                click.echo(f"    --param {param.name}=<{param.type}>  {param.help}{default}")
        return
    if not query:
        raise click.UsageError("give a query name, a .rq file or SPARQL text; or --list")
    parsed = _parse_params(params)
    if query.lstrip().upper().startswith(("SELECT", "PREFIX", "BASE", "ASK", "CONSTRUCT", "DESCRIBE")):
        target = query
    elif query.endswith(".rq") and Path(query).is_file():
        target = Path(query).read_text(encoding="utf-8")
    else:
        target = get_query(query)
    result = run_query(open_graph(_store_spec(graph_file, store)), target, parsed)
    click.echo(format_result(result, fmt), nl=False)


@main.command("render")
@click.option("--graph", "graph_file", type=click.Path(path_type=Path), help="Graph file (default out/graph.trig).")
@click.option("--out", "out_file", type=click.Path(path_type=Path),
              help="HTML file to write (default out/graph.html, or out/exposure.html with --exposure).")
@click.option("--focus", metavar="NAME_OR_IRI",
              help="Show this entity and its neighbours only (with --exposure: the paths through it).")
@click.option("--hops", type=click.IntRange(min=0), default=1, show_default=True,
              help="Radius of the --focus neighbourhood (with --exposure: the longest exposure path).")
@click.option("--exposure", is_flag=True,
              help="Show the exposure paths: listed entities, the exposed entities and the edges between.")
@click.option("--country", default="US", show_default=True,
              help="With --exposure: ISO code of the exposed entities ('any' for every country).")
@click.option("--class", "classes", multiple=True, metavar="CLASS",
              help="Keep only entities of this class, such as Company (with --exposure: the exposed ones). Repeatable.")
@click.option("--relation", "relations", multiple=True, metavar="KIND",
              help="With --exposure: an edge kind the paths may use (repeatable).")
@click.option("--measure", metavar="CLASS_OR_LIST",
              help="With --exposure: only measures of this class or on this list.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
              help="With --exposure: only measures and relationships in force that day.")
@click.option("--measures/--no-measures", default=None,
              help="Draw the measures that target the entities shown, with their targets edges "
                   "[default: yes, but no with --exposure, where the listed ring and tooltips name them].")
@click.option("--isolated", is_flag=True,
              help="Also draw entities that take part in no relationship (most listed parties).")
@click.option("--max-nodes", type=click.IntRange(min=1), default=5000, show_default=True,
              help="Refuse to draw views larger than this; focus instead.")
@_domain_errors
def render_command(graph_file: Path | None, out_file: Path | None, focus: str | None, hops: int,
                   exposure: bool, country: str, classes: tuple[str, ...], relations: tuple[str, ...],
                   measure: str | None, as_of: str | None, measures: bool | None, isolated: bool,
                   max_nodes: int) -> None:
    """Draw the graph, a focus, some classes or the exposure paths as one HTML file.

    The page is self-contained: it opens offline, fetches nothing, and the same graph always
    gives the same bytes.
    """
    from datetime import date

    from .errors import ArgumentError, ResolutionError
    from .network import exposure as find_exposure
    from .network import project
    from .render import build_label, exposure_edges, exposure_paths, find_node, render
    from .store import DEFAULT_GRAPH, open_graph

    options = {"hops": "--hops", "country": "--country", "classes": "--class", "focus": "--focus",
               "relations": "--relation", "measure": "--measure", "as_of": "--as-of"}
    if not exposure and (relations or measure or as_of):
        raise click.UsageError("--relation, --measure and --as-of choose exposure paths: add --exposure")
    day = None
    if as_of is not None:
        try:
            day = date.fromisoformat(as_of)
        except ValueError:
            raise click.BadParameter(f"{as_of!r} is not a date as YYYY-MM-DD", param_hint="--as-of") from None
    G = project(open_graph(graph_file))
    out = out_file or Path("out") / ("exposure.html" if exposure else "graph.html")
    settings: dict = {"focus": focus, "hops": hops, "classes": classes, "isolated": isolated}
    if not exposure and not isolated and focus is None:
        alone = sum(1 for n in G if G.degree(n) == 0)
        if alone:
            click.echo(f"leaving out {alone:,} of {G.number_of_nodes():,} entities that take part in no "
                       "relationship (--isolated draws them)", err=True)
    try:
        if exposure:
            if hops < 1:
                raise ArgumentError("hops", f"an exposure path is at least 1 hop long, not {hops}")
            records = find_exposure(G, hops=hops, country=country, classes=list(classes) or None,
                                    relations=list(relations) or None, measure=measure, as_of=day)
            if focus is not None:
                centre = find_node(G, focus)
                records = [r for r in records if any(centre in p for p in exposure_paths([r]))]
            paths = exposure_paths(records)
            if not paths:
                click.echo("no exposure path matches: the page shows none", err=True)
            where = "any country" if country.lower() == "any" else country.upper()
            title = (f"exposure-kg: exposure paths of at most {hops} hop{'s' if hops != 1 else ''} "
                     f"to entities in {where}" + (f" through {G.nodes[centre].get('label') or centre}"
                                                   if focus is not None else "")
                     + (f" over {', '.join(sorted(relations))}" if relations else "")
                     + (f", as of {as_of}" if as_of else ""))
            settings = {"highlight_paths": paths, "highlight_edges": exposure_edges(records),
                        "paths_only": True, "title": title}
        render(G, out, build=build_label(graph_file or DEFAULT_GRAPH),
               measures=not exposure if measures is None else measures, max_nodes=max_nodes, **settings)
    except ResolutionError as exc:
        raise click.BadParameter(str(exc), param_hint="--focus") from None
    except ArgumentError as exc:
        raise click.BadParameter(str(exc), param_hint=options.get(exc.param, exc.param)) from None
    click.echo(f"wrote {out}", err=True)


@main.command("extract")
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--lang", type=click.Choice(["fr", "en", "auto"]), default=None,
              help="The texts' language (default: the article's metadata, else auto).")
@click.option("--format", "fmt", type=click.Choice(["json", "trig", "ttl"]), default="json", show_default=True)
@click.option("--out", "out_file", type=click.Path(path_type=Path), help="Write here instead of standard output.")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
              help="Curated sources for the gazetteer (default: data/ if it exists).")
@click.option("--issued", default=None, help="Publication date (YYYY-MM-DD) of plain .txt files, for relative dates.")
@click.option("--ner", type=click.Choice(["auto", "rules", "spacy"]), default="auto", show_default=True,
              help="Find new names by rules only, or with spaCy too (the 'extract' extra).")
@_domain_errors
def extract_command(articles: tuple[Path, ...], lang: str | None, fmt: str, out_file: Path | None,
                    data_dir: Path | None, issued: str | None, ner: str) -> None:
    """Extract entities, measures and relationships from ARTICLES (.article.yaml or .txt).

    Every statement comes with its evidence: the quote, its character span in the stored
    text, a confidence, method "extracted" and the extractor's name.
    """
    from datetime import date

    from .extract.cli_support import known_batches, read_articles
    from .extract.output import extractions_to_json, extractions_to_rdf
    from .files import write_atomic

    day = None
    if issued is not None:
        try:
            day = date.fromisoformat(issued)
        except ValueError:
            raise click.BadParameter(f"{issued!r} is not a date; write YYYY-MM-DD", param_hint="--issued") from None
    use_spacy = {"auto": None, "rules": False, "spacy": True}[ner]
    if use_spacy:
        from .extract.ner import spacy_status

        if spacy_status() is None:
            raise click.UsageError("--ner spacy needs the 'extract' extra: pip install 'exposure-kg[extract]'")
    known = known_batches(data_dir)
    extractions = read_articles(list(articles), known, lang=lang, issued=day, use_spacy=use_spacy)
    for extraction in extractions:
        for warning in extraction.warnings:
            click.echo(f"warning: {extraction.source.file}: {warning}", err=True)
    if fmt == "json":
        data = extractions_to_json(extractions).encode("utf-8")
    else:
        data = extractions_to_rdf(extractions, known, "trig" if fmt == "trig" else "turtle")
    if out_file is not None:
        write_atomic(out_file, data)
        click.echo(f"wrote {out_file}", err=True)
    else:
        click.echo(data.decode("utf-8"), nl=False)


@main.command("evaluate")
@click.argument("gold", nargs=-1, type=click.Path(path_type=Path))
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
              help="Curated sources for the gazetteer (default: data/ if it exists).")
@click.option("--holdout", is_flag=True, help="Leave each text's own curated facts out of the gazetteer.")
@click.option("--ner", type=click.Choice(["auto", "rules", "spacy"]), default="auto", show_default=True)
@click.option("--errors", "show_errors", is_flag=True, help="List every missed and wrong entity and relation.")
@_domain_errors
def evaluate_command(gold: tuple[Path, ...], data_dir: Path | None, holdout: bool, ner: str, show_errors: bool) -> None:
    """Score the extractor against GOLD annotations (default: tests/gold/*.gold.yaml).

    Prints precision, recall and F1 for entities and for relations, per text and overall.
    """
    from .extract.cli_support import known_batches
    from .extract.evaluate import evaluate, format_table, load_gold

    files = list(gold) or sorted(Path("tests/gold").glob("*.gold.yaml"))
    if not files:
        raise click.UsageError("no gold files: name some, or run from the project folder (tests/gold/)")
    golds = [load_gold(path) for path in files]
    use_spacy = {"auto": None, "rules": False, "spacy": True}[ner]
    scores, extractions = evaluate(golds, known_batches(data_dir), use_spacy=use_spacy, holdout=holdout)
    used = ", ".join(sorted({e.extractor for e in extractions}))
    click.echo(f"extractor: {used}" + (" (held out: each text's own curated facts)" if holdout else ""))
    click.echo(format_table(scores), nl=False)
    if show_errors:
        for each in scores:
            click.echo(f"\n{each.name}")
            for label, items in (("missed entity", each.missed_entities), ("wrong entity", each.wrong_entities),
                                 ("missed relation", each.missed_relations), ("wrong relation", each.wrong_relations)):
                for item in items:
                    click.echo(f"  {label}: {item if isinstance(item, str) else ' '.join(item)}")


@main.command("exposure")
@click.option("--graph", "graph_file", type=click.Path(path_type=Path), help="Graph file (default out/graph.trig).")
@click.option("--hops", default=1, show_default=True, type=int, help="Longest path, in relationships (>= 1).")
@click.option("--country", default="US", show_default=True,
              help="ISO code of the exposed entities ('any' for every country).")
@click.option("--class", "classes", multiple=True, metavar="C", help="kg: class of the exposed entities (repeatable).")
@click.option("--relation", "relations", multiple=True, metavar="KIND",
              help="Edge kind a path may use (repeatable): partner, supply, ownership, position, subsidiary.")
@click.option("--measure", metavar="CLASS_OR_LIST", help="Only measures of this class or on this list.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Only measures and relationships in force that day.")
@click.option("--nearest", is_flag=True, help="One row per exposed entity, with its nearest listed entity.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "md"]), default="table",
              show_default=True)
@click.option("--save", "saves", multiple=True, type=click.Path(path_type=Path), metavar="FILE",
              help="Also write the results to FILE (.csv, .json or .md; repeatable).")
@_domain_errors
def exposure_command(graph_file: Path | None, hops: int, country: str, classes: tuple[str, ...],
                     relations: tuple[str, ...], measure: str | None, as_of: str | None, nearest: bool,
                     fmt: str, saves: tuple[Path, ...]) -> None:
    """Entities within --hops of a listed entity, by shortest paths, with every source."""
    from datetime import date

    from .errors import ArgumentError
    from .network import exposure, format_exposure, project
    from .store import open_graph

    options = {"hops": "--hops", "country": "--country", "classes": "--class", "relations": "--relation",
               "measure": "--measure", "as_of": "--as-of"}
    if hops < 1:
        raise click.BadParameter(f"must be at least 1, not {hops}", param_hint="--hops")
    suffixes = {".csv": "csv", ".json": "json", ".md": "md"}
    for save in saves:
        if save.suffix.lower() not in suffixes:
            raise click.BadParameter(f"{str(save)!r} does not end in .csv, .json or .md", param_hint="--save")
    day = None
    if as_of is not None:
        try:
            day = date.fromisoformat(as_of)
        except ValueError:
            raise click.BadParameter(f"{as_of!r} is not a date as YYYY-MM-DD", param_hint="--as-of") from None
    G = project(open_graph(graph_file))
    try:
        records = exposure(G, hops=hops, country=country, classes=list(classes) or None,
                           relations=list(relations) or None, measure=measure, as_of=day, nearest=nearest)
    except ArgumentError as exc:
        raise click.BadParameter(str(exc), param_hint=options.get(exc.param, exc.param)) from None
    where = "anywhere" if country.lower() == "any" else f"in {country.upper()}"
    empty = (f"no exposure found: no entity {where} within {hops} hop{'s' if hops != 1 else ''} "
             f"of a listed entity{f' as of {as_of}' if as_of else ''}")
    if not records and fmt in ("csv", "json"):
        click.echo(empty, err=True)
    click.echo(format_exposure(records, fmt, empty=empty), nl=False)
    for save in saves:
        from .files import write_atomic

        write_atomic(save, format_exposure(records, suffixes[save.suffix.lower()], empty=empty))
        click.echo(f"  wrote {save}", err=True)


def _print_counts(batches: list[Batch]) -> None:
    """Each warning, then rows read, kept and skipped per table file (bad rows, not bad builds)."""
    tables = [b for b in batches if "read" in b.counts]
    for batch in tables:
        for warning in batch.warnings:
            click.echo(f"warning: {warning}", err=True)
    if tables:
        width = max(len(b.file) for b in tables)
        click.echo(f"{'file':<{width}}  {'read':>6}  {'kept':>6}  {'skipped':>7}", err=True)
        for b in sorted(tables, key=lambda b: b.file):
            click.echo(f"{b.file:<{width}}  {b.counts['read']:>6}  {b.counts['kept']:>6}  {b.counts['skipped']:>7}",
                       err=True)


@main.command("resolve")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--report", is_flag=True, help="List every merge with its reason, and every near miss.")
@click.option("--threshold", type=click.FloatRange(0, 100), default=None,
              help="Report near misses from this score (0-100; default 90).")
@_domain_errors
def resolve_command(paths: tuple[Path, ...], report: bool, threshold: float | None) -> None:
    """Resolve the names in PATHS (default: data/) into entities, without building the graph.

    Obeys resolution/decisions.yaml under each data folder (confirm or forbid pairs).
    """
    from .ontology import load_ontology
    from .resolve import NEAR_MISS_SCORE, find_decisions, resolve
    from .sources import read_sources

    folders = list(paths) or [Path("data")]
    batches = read_sources(folders)
    result = resolve(batches, load_ontology(), find_decisions(folders),
                     near_miss_score=NEAR_MISS_SCORE if threshold is None else threshold)
    if report:
        click.echo(result.report(), nl=False)
    entities = len({iri for iri in result.by_key.values()})
    click.echo(f"{len(result.by_key)} statements -> {entities} nodes; {len(result.log)} merges, "
               f"{len(result.near_misses)} near misses", err=True)


@main.command("export")
@click.option("--format", "fmt", required=True,
              type=click.Choice(["ftm", "graphml", "gexf", "jsonld", "nt", "nq"]),
              help="ftm: FollowTheMoney JSON lines; graphml/gexf: for Gephi; jsonld, nt, nq: RDF.")
@click.option("--graph", "graph_file", type=click.Path(path_type=Path), help="Graph file (default out/graph.trig).")
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Write here (atomically) instead of standard output.")
@_domain_errors
def export_command(fmt: str, graph_file: Path | None, out_file: Path | None) -> None:
    """Export the built graph as FollowTheMoney, GraphML, GEXF, JSON-LD, N-Triples or N-Quads.

    FtM output is validated with the followthemoney library when it is installed
    (pip install 'exposure-kg[ftm]').
    """
    import json

    from .export import export, validate_ftm
    from .files import write_atomic
    from .store import open_graph

    data = export(open_graph(graph_file), fmt)
    if fmt == "ftm":
        try:
            import followthemoney  # noqa: F401
        except ImportError:
            click.echo("note: followthemoney is not installed; the FtM output was not validated", err=True)
        else:
            count = validate_ftm(json.loads(line) for line in data.decode("utf-8").splitlines())
            click.echo(f"validated {count} FollowTheMoney entities", err=True)
    if out_file is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        write_atomic(out_file, data)
        click.echo(f"wrote {out_file}", err=True)


@main.command("serve")
@click.option("--graph", "graph_file", callback=_spec_option, metavar="SPEC",
              help="A graph file or oxigraph:DIR (default out/graph.trig).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback exposes the endpoint to the network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query may run before it is stopped (503).")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(min=1),
              help="Most rows or triples in one answer (413 past it).")
@click.option("--max-body", default=64 * 1024, show_default=True, type=click.IntRange(min=256),
              help="Most bytes in a request body (413 past it).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Query worker processes, each with its own copy of the graph.")
@click.option("--allow-service", is_flag=True, help="Let SERVICE clauses query other endpoints.")
@_domain_errors
def serve_command(graph_file, host: str, port: int, timeout: float, max_rows: int, max_body: int,
                  workers: int, allow_service: bool) -> None:
    """Serve the graph read-only as a SPARQL 1.1 endpoint at /sparql, with a query page at /.

    Needs the 'serve' extra (pip install 'exposure-kg[serve]').
    """
    try:
        from .serve import Settings, create_app
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise click.UsageError(f"kg serve needs the 'serve' extra: pip install 'exposure-kg[serve]' ({exc})")
    import uvicorn

    settings = Settings(timeout=timeout, max_rows=max_rows, max_body=max_body, workers=workers,
                        allow_service=allow_service)
    app = create_app(graph_file, settings)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}: the endpoint is reachable from the network", err=True)
    click.echo(f"SPARQL endpoint on http://{host}:{port}/sparql (query page at /); Ctrl-C stops it", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


if __name__ == "__main__":  # pragma: no cover
    main()
