"""The `hckg` command: a thin typer + rich adapter over the core.

Results go to stdout, messages to stderr. Exit codes: 0 success, 1 bad input (data, query,
parameter), 2 usage (unknown command or option, missing file).
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Callable, Optional

import typer
from .names import EXPORT_FORMATS, RDF_FORMATS, RESULT_FORMATS
from .render import Commands, err, out, print_answer, print_violations, progress_bar, refused
from ..config import Settings
from ..errors import SourceError

if TYPE_CHECKING:
    from ..gate.validate import Violation

# Everything heavier (rdflib, pyoxigraph, pyshacl, networkx, rich tables, the gate, the reports) is imported
# inside the command that needs it: `hckg --help` and a refused `hckg validate` start in a fraction of a
# second (issue 17); tests/test_cli_startup.py keeps it so.

app = typer.Typer(
    help="HCKG: the knowledge graph of the Roadmap Human Capital Topsectoren 2020-2023.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=Commands,
)

FORMAT_HELP = "table, " + ", ".join(RESULT_FORMATS) + " (SELECT/ASK); " + ", ".join(RDF_FORMATS) + " (CONSTRUCT/DESCRIBE)"


def _settings() -> Settings:
    return Settings.from_env()


@app.command()
def build() -> None:
    """Rebuild the store from data/ and ontology/ (atomically: a failed build keeps the old store)."""
    from ..gate.build import build as build_store
    from ..store.open import is_remote

    settings = _settings()
    with progress_bar("building") as progress:
        report = build_store(settings, progress)
    where = settings.endpoint if is_remote(settings) else report.store_path
    err.print(f"built {where}: {report.triples} triples in {report.graphs} graphs ({report.seconds:.1f} s)")


@app.command()
def stats() -> None:
    """Triples, named graphs and resources per class."""
    from rich.table import Table

    from ..reports.stats import summarise
    from ..store.open import open_configured_store

    summary = summarise(open_configured_store(_settings()))
    out.print(f"[bold]{summary.triples}[/] triples in [bold]{len(summary.graphs)}[/] named graphs")
    graphs = Table("named graph", "triples")
    for g in summary.graphs:
        graphs.add_row(g.iri, str(g.triples))
    out.print(graphs)
    classes = Table("class", "resources")
    for iri, n in summary.classes:
        classes.add_row(iri.replace("https://w3id.org/hckg/def#", "hckg:"), str(n))
    out.print(classes)


@app.command()
def queries(
    name: Optional[str] = typer.Argument(None, help="Show one saved query in full, with the valid values of its parameters."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, or ttl/jsonld/nt: the catalogue as RDF."),
) -> None:
    """List the saved queries with their parameters (or describe the catalogue as RDF)."""
    from rich.table import Column, Table

    from ..formats import RDF_FORMATS
    from ..queries.catalog import get_query, load_catalog
    from ..queries.catalog_rdf import catalog_graph
    from ..queries.running import enumerate_values, is_switch
    from ..store.open import open_configured_store

    settings = _settings()
    if fmt != "table":
        if fmt not in ("ttl", "jsonld", "nt"):
            raise typer.BadParameter(f"{fmt!r}; use table, ttl, jsonld or nt", param_hint="--format")
        catalog = load_catalog(settings.queries_dir)
        if name:
            catalog = {k: v for k, v in catalog.items() if k == name}
        sys.stdout.write(catalog_graph(catalog).serialize(format=RDF_FORMATS[fmt].rdflib))
        return
    if name:
        query = get_query(settings.queries_dir, name)
        out.print(f"[bold]{query.name}[/]: {query.summary}")
        if query.description:
            out.print(query.description)
        store = open_configured_store(settings)
        for p in query.parameters:
            need = "required" if p.required else f"default {p.default}" if p.default else "optional"
            repeat = "" if is_switch(p) else "; repeat it for several values: any of them"
            out.print(f"  --param {p.name}=…  ({p.kind}, {need}{repeat})")
            for term, label in enumerate_values(store, p):
                out.print(f"      {label}" + ("" if label == term.value else f"  {term.value}"), highlight=False)
        return
    catalog = load_catalog(settings.queries_dir)
    # One line per query at any width (80 columns included): the summary is cut, `hckg queries NAME` has it all.
    widest = max((len(name) for name in catalog), default=4)
    table = Table(Column("name", no_wrap=True, style="bold", min_width=widest),
                  Column("summary", no_wrap=True, overflow="ellipsis"),
                  box=None, show_header=False, pad_edge=False)
    for q in catalog.values():
        table.add_row(q.name, q.summary)
    out.print(table)
    err.print(f"{len(catalog)} saved queries; `hckg queries NAME` shows one in full, with its parameters", highlight=False)


def _parse_params(pairs: list[str]) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"{pair!r} is not key=value", param_hint="--param")
        values.setdefault(key.strip(), []).append(value)
    return values


@app.command()
def query(
    name: str = typer.Argument(..., help="Saved query name (file stem in queries/)."),
    param: list[str] = typer.Option([], "--param", "-p", help="key=value; repeat for each parameter."),
    fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP),
) -> None:
    """Run a saved query with parameters bound as RDF terms."""
    from ..queries.catalog import get_query
    from ..queries.running import bind, run_bound
    from ..reports.caveat import caveat_for
    from ..store.open import open_configured_store

    settings = _settings()
    values = _parse_params(param)
    _check_format(fmt)
    store = open_configured_store(settings)
    bound = bind(store, get_query(settings.queries_dir, name), values)
    print_answer(run_bound(store, bound), fmt)
    caveat = caveat_for(store, settings.queries_dir, name, values)
    if caveat is not None:
        # After the table for a reader; on stderr for csv/json/tsv, so a piped answer stays parseable.
        (out if fmt == "table" else err).print(caveat.text(), soft_wrap=True, highlight=False)


@app.command()
def sparql(
    query_or_file: str = typer.Argument(..., help="SPARQL text, the path of a .rq/.sparql file, or - to read stdin."),
    fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP),
) -> None:
    """Run any SPARQL query over the union of all named graphs."""
    from ..store.open import open_configured_store

    _check_format(fmt)
    print_answer(open_configured_store(_settings()).query(query_text(query_or_file)), fmt)


def query_text(given: str) -> str:
    """The query a SPARQL argument stands for: stdin for ``-``, a file's text when it names an existing file,
    else the argument itself (a name too long for the file system, or with a NUL, is just query text)."""
    if given == "-":
        return sys.stdin.read()
    try:
        is_file = Path(given).is_file()
    except (OSError, ValueError):
        is_file = False
    return Path(given).read_text(encoding="utf-8") if is_file else given


def _check_format(fmt: str) -> None:
    if fmt != "table" and fmt not in RESULT_FORMATS and fmt not in RDF_FORMATS:
        raise typer.BadParameter(f"{fmt!r}; use one of {FORMAT_HELP}", param_hint="--format")


def _screen(path: Path) -> None:
    """Refuse an RDF/XML file that declares a DTD or entities (a "billion laughs" bomb) before the gate is
    imported: rdflib and pyshacl take a second or more to load, the check takes microseconds (issue 17).
    The gate refuses the file again when it parses it (``hckg.ingest.sources``); a file that cannot be read
    here is left to the gate, which names the problem."""
    from ..ingest.rdfxml import is_rdfxml, refuse_dtd

    if is_rdfxml(path):
        try:
            data = path.read_bytes()
        except OSError:
            return
        refuse_dtd(path, data)


def _write_to(out_file: Optional[Path], write: Callable[[BinaryIO], None]) -> bool:
    """Write bytes to ``out_file``, or to stdout when it is None; True when a file was written."""
    if out_file is None:
        write(sys.stdout.buffer)
        sys.stdout.flush()
        return False
    with out_file.open("wb") as f:
        write(f)
    return True


@app.command("export")
def export_command(
    fmt: str = typer.Option("ttl", "--format", "-f", help="One of " + ", ".join(EXPORT_FORMATS) + "."),
    out_file: Optional[Path] = typer.Option(None, "--out", "-o", help="File to write (default: stdout)."),
) -> None:
    """Dump the whole graph: ttl/nt/jsonld merge all graphs, trig/nq keep the named graphs."""
    from ..reports.export import export
    from ..store.open import open_configured_store

    if fmt not in EXPORT_FORMATS:
        raise typer.BadParameter(f"{fmt!r}; use one of {', '.join(EXPORT_FORMATS)}", param_hint="--format")
    store = open_configured_store(_settings())
    if _write_to(out_file, lambda f: export(store, fmt, f)):
        err.print(f"wrote {out_file}")


@app.command()
def validate(
    paths: list[Path] = typer.Argument(..., help="RDF files or project CSV tables to check against the shapes."),
    fmt: str = typer.Option("text", "--format", "-f", help="text, json or ttl (the report as RDF)."),
    lang: str = typer.Option("en", "--lang", help="Language of the messages: nl or en."),
) -> None:
    """Check files with the store's content and the ontology; exit 0 conforms, 1 violations, 2 unreadable."""
    if fmt not in ("text", "json", "ttl") or lang not in ("nl", "en"):
        raise typer.BadParameter("--format is text, json or ttl; --lang is nl or en")
    settings = _settings()
    found: list[Violation] = []
    for path in paths:
        if not path.is_file():
            err.print(f"[bold red]error:[/] {path}: no such file", highlight=False)
            raise typer.Exit(2)
        try:
            _screen(path)
            from ..gate.write import validate_file  # after the screen: a bomb is refused without loading the gate

            _, violations = validate_file(settings, path)
        except SourceError as error:
            err.print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
            raise typer.Exit(2 if error.unreadable else 1)
        found.extend(violations)
    print_violations(found, fmt, lang)
    err.print(f"{len(found)} violation(s) in {len(paths)} file(s)")
    raise typer.Exit(1 if found else 0)


@app.command()
def load(
    path: Path = typer.Argument(..., help="An RDF file or a project CSV table (recognised by its header)."),
    graph: Optional[str] = typer.Option(None, "--graph", help="Named graph IRI (default: graph/loads/<file stem>)."),
    replace: bool = typer.Option(False, "--replace", help="Replace the graph if it exists."),
    synthetic: bool = typer.Option(False, "--synthetic",
                                   help="Label the graph hckg:SyntheticData (test or demo data, not real)."),
) -> None:
    """Validate a file with the store's content and write it as one named graph, or write nothing."""
    if not path.is_file():
        raise typer.BadParameter(f"{path}: no such file", param_hint="PATH")
    _screen(path)
    from ..gate.validate import ValidationFailed  # after the screen: a bomb is refused without loading the gate
    from ..gate.write import load_file

    try:
        with progress_bar(f"loading {path.name}") as progress:
            report = load_file(_settings(), path, graph, replace, synthetic=synthetic, progress=progress)
    except ValidationFailed as error:
        raise refused(error, f"{path}: ")
    verb = "replaced" if report.replaced else "loaded"
    err.print(f"{verb} {report.graph}: {report.triples} triples", highlight=False)


@app.command()
def graphs() -> None:
    """List the named graphs with their provenance."""
    from rich.table import Column, Table

    from ..reports.provenance import graph_records
    from ..store.open import open_configured_store

    rows = graph_records(open_configured_store(_settings()))
    table = Table(Column("graph", no_wrap=True), "triples", "source file", "loaded at", "kind")
    for r in rows:
        table.add_row(r.iri, str(r.triples), r.source_file, r.loaded_at, r.kind)
    out.print(table)


QUALITY_FORMATS = ("table", "csv", "json", "ttl", "jsonld", "nt")


@app.command()
def quality(
    fmt: str = typer.Option("table", "--format", "-f", help=", ".join(QUALITY_FORMATS) + " (ttl/jsonld/nt: DQV measurements)."),
    lang: str = typer.Option("en", "--lang", help="Language of labels: en or nl."),
) -> None:
    """Completeness of the loaded data: values per property and class, coverage, sources, identifiers, graphs."""
    from rich.table import Column, Table

    from ..reports.quality import DIMENSIONS, measure, to_csv, to_json, to_rdf
    from ..store.open import open_configured_store

    if fmt not in QUALITY_FORMATS or lang not in ("en", "nl"):
        raise typer.BadParameter(f"--format is one of {', '.join(QUALITY_FORMATS)}; --lang is en or nl")
    report = measure(open_configured_store(_settings()), lang)
    if fmt in ("ttl", "jsonld", "nt"):
        sys.stdout.write(to_rdf(report, fmt))
        return
    if fmt == "csv":
        sys.stdout.write(to_csv(report))
        return
    if fmt == "json":
        sys.stdout.write(to_json(report))
        return
    for dimension, (en, nl) in DIMENSIONS.items():
        measures = [m for m in report.measures if m.dimension == dimension]
        if not measures:
            continue
        if dimension == "provenance":
            table = Table(Column("named graph (graph/…)", no_wrap=True), "source file", Column("triples", justify="right"),
                          Column("loaded at", no_wrap=True), title=nl if lang == "nl" else en)
            for m in measures:
                table.add_row(m.subject.rsplit("/graph/", 1)[-1], m.subject_label, str(m.count), m.loaded_at)
        else:
            numbers = [Column(name, justify="right", no_wrap=True) for name in ("count", "of", "share")]
            table = Table(Column("subject", min_width=12), "metric", *numbers, title=nl if lang == "nl" else en)
            previous = ""
            for m in measures:
                ratio = m.ratio
                table.add_row("" if m.subject_label == previous else m.subject_label, m.metric.label(lang), str(m.count),
                              "" if m.total is None else str(m.total), "" if ratio is None else f"{ratio * 100:.1f}%")
                previous = m.subject_label
        out.print(table)
    err.print(f"{len(report.measures)} measure(s), computed at {report.generated_at}", highlight=False)


@app.command()
def drop(graph: str = typer.Argument(..., help="IRI of the named graph to remove.")) -> None:
    """Remove one named graph and its provenance record (not the ontology or meta graph)."""
    from ..gate.write import drop_graph

    drop_graph(_settings(), graph)
    err.print(f"dropped {graph}", highlight=False)


@app.command("reason")
def reason_command() -> None:
    """Check that the ontology plus all data are consistent under HermiT (needs Java)."""
    from ..reports.reason import reason
    from ..store.open import open_configured_store

    store = open_configured_store(_settings())
    graphs_ = [g.iri for g in store.graphs() if g.iri != "https://w3id.org/hckg/graph/meta"]
    report = reason(store.as_rdflib(graphs_))
    out.print(f"consistent: {report.triples} triples, {len(report.unsatisfiable)} unsatisfiable classes")
    for iri in report.unsatisfiable:
        out.print(f"  unsatisfiable: {iri}")
    if report.unsatisfiable:
        raise typer.Exit(1)


@app.command()
def analyse(
    fmt: str = typer.Option("summary", "--format", "-f", help="summary, or graphml, gexf, csv (the graph itself)."),
    out_file: Optional[Path] = typer.Option(None, "--out", "-o", help="File to write (default: stdout)."),
    top: int = typer.Option(10, "--top", help="Rows per measure in the summary."),
) -> None:
    """Network measures of communities, organisations, topsectors, challenges, provinces; or the graph as a file."""
    # Imported here: networkx takes a noticeable part of a second to import, and only this command needs it.
    from rich.table import Table

    from ..reports.analytics import EXPORT_FORMATS as GRAPH_FORMATS, analyse as analyse_graph, build_graph, write_graph
    from ..store.open import open_configured_store

    if fmt != "summary" and fmt not in GRAPH_FORMATS:
        raise typer.BadParameter(f"{fmt!r}; use summary, {', '.join(GRAPH_FORMATS)}", param_hint="--format")
    graph = build_graph(open_configured_store(_settings()))
    if fmt != "summary":
        if _write_to(out_file, lambda f: write_graph(graph, fmt, f)):
            err.print(f"wrote {out_file}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges", highlight=False)
        return
    result = analyse_graph(graph, top)
    plural = {"community": "communities", "keyTechnology": "key technologies", "challenge": "challenges"}
    out.print("Network: " + ", ".join(f"{n} {plural.get(k, k + 's')}" for k, n in result.nodes.items())
              + f"; {sum(result.edges.values())} edges (" + ", ".join(f"{k} {n}" for k, n in result.edges.items()) + ")")
    table = Table("organisation", "betweenness", "communities", "topsectors", title="Organisations that bridge "
                  "topsectors (betweenness on the community-organisation graph)")
    for b in result.bridges[:top]:
        table.add_row(b.label, f"{b.betweenness:.3f}", str(b.communities), ", ".join(b.topsectors))
    out.print(table)
    table = Table("topsector", "topsector", "communities", title="Topsectors that share communities")
    for p in result.cooccurrence[:top]:
        table.add_row(p.first_label, p.second_label, str(p.communities))
    out.print(table)
    table = Table("province", "communities", "organisations", "components", "largest (communities)",
                  title="Province networks: communities joined through shared organisations")
    for r in result.provinces:
        table.add_row(r.label, str(r.communities), str(r.organisations), str(r.components), str(r.largest))
    out.print(table)
    table = Table("challenge", "serving", "no lead recorded", "lead institutions", "largest lead", "single lead",
                  title="Lead institutions per challenge (serving: named in the source or led by the community's topsector)")
    for c in result.challenges:
        first = f"{c.leads[0][0]} ({c.leads[0][1]})" if c.leads else ""
        table.add_row(c.label, str(c.serving), str(c.without_lead), str(len(c.leads)), first, "yes" if c.single else "no")
    out.print(table)
    table = Table("challenge", "province", "serving", "no lead recorded", "the one lead institution",
                  title="Challenge and province pairs that depend on a single lead institution")
    for c in result.single_lead_regions:
        table.add_row(c.label, c.province_label, str(c.serving), str(c.without_lead), c.leads[0][0])
    out.print(table)
    table = Table("kind", "node", "edges", title="Most connected (degree)")
    for kind, leaders in result.leaders.items():
        for leader in leaders:
            table.add_row(kind, leader.label, str(leader.degree))
    out.print(table)


@app.command("monitor")
def monitor_command(
    fmt: str = typer.Option("table", "--format", "-f", help="table, json or csv."),
) -> None:
    """Progress toward the roadmap's targets; every figure names the saved query that computes it."""
    from rich.table import Column, Table

    from ..reports.monitor import FORMATS as MONITOR_FORMATS, monitor, to_csv, to_json
    from ..store.open import open_configured_store

    if fmt not in MONITOR_FORMATS:
        raise typer.BadParameter(f"{fmt!r}; use one of {', '.join(MONITOR_FORMATS)}", param_hint="--format")
    settings = _settings()
    result = monitor(open_configured_store(settings), settings.queries_dir)
    if fmt != "table":
        sys.stdout.write(to_json(result) + "\n" if fmt == "json" else to_csv(result))
        return
    for section in result.sections:
        out.print(f"\n[bold]{section.title}[/]: {section.statement}  [dim](target: {section.target_query})[/]",
                  highlight=False)
        rows = result.rows(section.key)
        measures = list(dict.fromkeys(f.measure for f in rows))
        groups: dict[tuple[str, str], dict[str, object]] = {}
        sources: dict[tuple[str, str], set[str]] = {}
        details: dict[tuple[str, str], str] = {}
        for f in rows:
            key = (f.dimension, f.label)
            groups.setdefault(key, {})[f.measure] = f.value
            sources.setdefault(key, set()).add(f.query)
            if f.detail:
                details[key] = f.detail
        extra = ["detail"] if details else []
        table = Table("dimension", "value", *measures, *extra, Column("query", overflow="fold"))
        for (dimension, label), values in groups.items():
            shown = [details.get((dimension, label), "")] if details else []
            table.add_row(dimension, label, *(str(values.get(m, "")) for m in measures), *shown,
                          ", ".join(sorted(sources[(dimension, label)])))
        out.print(table)
        for note in section.notes:
            out.print(f"  - {note}", highlight=False)


@app.command()
def serve(
    host: Optional[str] = typer.Option(None, "--host", help="Address to listen on (default: HCKG_HOST, 127.0.0.1)."),
    port: Optional[int] = typer.Option(None, "--port", min=0, max=65535,
                                       help="Port to listen on (default: HCKG_PORT, 8000)."),
) -> None:
    """Serve the endpoint, saved-query API, linked data and pages; build the store first if it is stale."""
    from ..gate.build import store_is_stale
    from ..gate.lock import remove_leftovers_at_start
    from ..store.open import is_remote, open_configured_store

    settings = _settings()
    settings = replace(settings, host=host or settings.host, port=settings.port if port is None else port)
    if is_remote(settings):
        empty = not open_configured_store(settings).graphs()
        if empty:
            err.print(f"{settings.endpoint} holds no graphs yet: building into it first")
            build()
    elif store_is_stale(settings.store_path, [settings.data_dir, settings.ontology_dir, settings.shapes_dir]):
        err.print("the store is missing or older than the sources: building it first")
        build()
    else:
        remove_leftovers_at_start(settings)
    root = f"http://{settings.host}:{settings.port}"
    err.print(f"home page  {root}/\nSPARQL     {root}/sparql\nAPI docs   {root}/docs", highlight=False)
    import uvicorn  # the web layer is loaded by uvicorn from its import string: hckg/ stays free of FastAPI

    # h11 even where httptools is installed: httptools refuses request targets over 64 KiB before any route, and a
    # GET query string may have 1 MB (hckg_web/clean_requests.py, tests/hostile/requests.yaml: huge-graph-param).
    uvicorn.run("hckg_web:create_app", factory=True, host=settings.host, port=settings.port, http="h11")


volgsysteem_app = typer.Typer(help="The volgsysteem (tracking system) of learning communities.", no_args_is_help=True)
app.add_typer(volgsysteem_app, name="volgsysteem")


@volgsysteem_app.command("add")
def volgsysteem_add(
    community: str = typer.Option(..., "--community", help="The community's IRI, key or exact name."),
    status: str = typer.Option(..., "--status", help="in-voorbereiding, gestart, lopend, geborgd or gestopt (or a label)."),
    on: str = typer.Option(..., "--date", help="Date of the account, YYYY-MM-DD."),
    source: list[str] = typer.Option(..., "--source", help="http(s) IRI the record rests on (repeatable)."),
    start_year: str = typer.Option("", "--start-year", help="Start year the record reports."),
    example: Optional[list[str]] = typer.Option(None, "--example", help="An example (repeatable)."),
    bottleneck: Optional[list[str]] = typer.Option(None, "--bottleneck", help="A knelpunt (repeatable)."),
    solution: Optional[list[str]] = typer.Option(None, "--solution", help="A solution (repeatable)."),
    outcome: Optional[list[str]] = typer.Option(None, "--result", help="A result (repeatable)."),
    lang: str = typer.Option("nl", "--lang", help="Language of the texts: nl or en."),
    replace: bool = typer.Option(False, "--replace", help="Replace the record of that community and date."),
) -> None:
    """Add one dated record about a community through the validation gate (its own named graph).

    Bulk records are Turtle files for `hckg load`; this command is for one account at a time.
    """
    from ..gate.validate import ValidationFailed
    from ..volgsysteem.records import RecordInput, add_record, parse_date, split_values

    try:
        given = RecordInput(community, status, parse_date(on), split_values(source), start_year,
                            split_values(example), split_values(bottleneck), split_values(solution),
                            split_values(outcome), lang)
        report = add_record(_settings(), given, replace)
    except ValidationFailed as error:
        raise refused(error)
    verb = "replaced" if report.replaced else "added"
    err.print(f"{verb} {report.graph}: {report.triples} triples", highlight=False, soft_wrap=True)


from .pubs import app as pubs_app  # noqa: E402  (the publication commands, issue 7)

app.add_typer(pubs_app, name="pubs")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
