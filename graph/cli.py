"""The ``kg`` command: a thin layer over the functions the notebooks call.

Domain errors become CLI errors here and nowhere else: bad input or a broken graph exits 1
with the file, line and a hint; bad command-line arguments exit 2.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from .errors import ExposureKGError
from .pipeline import BuildError, build
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
@_domain_errors
def build_command(paths: tuple[Path, ...], out_dir: Path, quiet: bool, no_validate: bool, no_extract: bool) -> None:
    """Build the graph from PATHS (default: data/) into --out.

    Writes graph.trig (one named graph per source) and graph.ttl (their union). Nothing in
    --out changes unless the whole build succeeds.
    """
    show = not quiet and sys.stderr.isatty()

    def progress(reader: Reader, batch: Batch) -> None:
        if show:
            counts = ", ".join(f"{n} {what}" for what, n in batch.counts.items())
            click.echo(f"  {reader.name:<10} {batch.file}: {counts}", err=True)

    try:
        result = build(list(paths) or [Path("data")], out_dir, check=not no_validate, progress=progress,
                       extract=not no_extract)
    except BuildError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if not quiet:
        sources = len({b.source.id for b in result.batches})
        click.echo(f"built {len(result.dataset)} triples from {sources} source(s) in {len(result.batches)} file(s)",
                   err=True)
        for output in result.outputs:
            click.echo(f"  wrote {output}", err=True)
        for source, how in result.extraction:
            click.echo(f"  {how} {source}" + (" (unchanged, from the cache)" if how == "cached" else ""), err=True)
    for batch in result.batches:
        for warning in batch.warnings:
            click.echo(f"warning: {batch.file}: {warning}", err=True)


@main.command("validate")
@click.argument("graph_file", required=False, type=click.Path(path_type=Path))
@_domain_errors
def validate_command(graph_file: Path | None) -> None:
    """Check GRAPH (default out/graph.trig) against the SHACL shapes.

    Prints each violation as focus node, path and message; exits 1 if there is any.
    """
    from .store import open_graph
    from .validate import validate

    violations = validate(open_graph(graph_file))
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
@click.option("--graph", "graph_file", type=click.Path(path_type=Path), help="Graph file (default out/graph.trig).")
@_domain_errors
def query_command(query: str | None, list_queries: bool, params: tuple[str, ...], fmt: str,
                  graph_file: Path | None) -> None:
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
    result = run_query(open_graph(graph_file), target, parsed)
    click.echo(format_result(result, fmt), nl=False)


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
    from .pipeline import write_atomic

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


if __name__ == "__main__":  # pragma: no cover
    main()
