"""`hckg pubs ...`: the publication commands, a thin typer adapter over ``hckg.pubs``.

Registered in ``hckg/cli/app.py`` with one ``add_typer`` line. Results to stdout, messages to stderr;
exit 0 success, 1 bad input (the message names the file and entry or line), 2 usage.
"""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Optional

import typer
from .names import DEFAULT_MIN_TRUST, EVAL_DIR, LINK_STATUSES as STATUSES
from .render import PubsCommands, err, out, progress_bar

from ..config import Settings

# The linker (scikit-learn, rdflib, the gate) is imported inside each command: `hckg --help` stays fast (issue 17).

app = typer.Typer(help="Publications of the NWO research programme, linked to learning communities.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False, cls=PubsCommands)
FORMATS = ("table", "csv", "json")
COLUMNS = ("doi", "title", "target_name", "target", "trust", "method", "evidence")


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise typer.BadParameter(f"{fmt!r}; use one of {', '.join(FORMATS)}", param_hint="--format")


def _emit(rows: list[dict[str, object]], columns: tuple[str, ...], fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        from rich.table import Column, Table

        table = Table(*(Column(c, overflow="fold") for c in columns))
        for row in rows:
            table.add_row(*(str(row.get(c, "")) for c in columns))
        out.print(table)
        err.print(f"{len(rows)} row(s)")


@app.command("import")
def import_(
    files: list[Path] = typer.Argument(..., help="BibTeX (.bib), RIS (.ris), CSL-JSON, Crossref or OpenAlex works JSON (.json)."),
    skip_bad: bool = typer.Option(False, "--skip-bad", help="Import the good records and report the bad ones."),
    graph: Optional[str] = typer.Option(None, "--graph", help="Named graph IRI (one file only); default graph/pubs/<file stem>."),
    replace: bool = typer.Option(False, "--replace", help="Replace a graph imported before from a file of the same name."),
    synthetic: bool = typer.Option(False, "--synthetic", help="Mark the graphs hckg:SyntheticData (test or demo records)."),
) -> None:
    """Import publication files through the validation gate, one named graph per file, deduplicated."""
    from ..pubs.importer import import_files

    with progress_bar("importing") as progress:
        report = import_files(Settings.from_env(), files, skip_bad=skip_bad, graph=graph, replace=replace,
                              synthetic=synthetic, progress=progress)
    for f in report.files:
        err.print(f"imported {f.path} → {f.graph}: {f.new} new, {f.duplicates} already known, {f.triples} triples",
                  highlight=False)
    for bad in report.bad:
        err.print(f"[yellow]skipped:[/] {bad}", highlight=False, soft_wrap=True)
    if not report.files:
        err.print("nothing imported")


@app.command("suggest")
def suggest_(
    fmt: str = typer.Option("table", "--format", help="table, csv or json."),
    min_trust: float = typer.Option(DEFAULT_MIN_TRUST, "--min-trust", min=0.0, max=1.0, help="Leave out suggestions below this trust."),
    write: bool = typer.Option(False, "--write", help="Store the suggestions as links (status suggested) through the gate."),
) -> None:
    """Suggest links from publications to learning communities, best first per publication."""
    from ..pubs import cues, profiles
    from ..pubs.links import write_suggestions
    from ..pubs.suggest import suggest
    from ..store.open import open_configured_store

    _check_format(fmt)
    settings = Settings.from_env()
    store = open_configured_store(settings)
    communities = profiles.communities(store)
    found = suggest(profiles.publications(store), communities, profiles.grants(store), min_trust,
                    profiles.lexicon(store), facts=cues.facts(store, communities))
    store.close()
    _emit([asdict(s) for s in found], COLUMNS, fmt)
    if write:
        added, kept = write_suggestions(settings, found)
        err.print(f"stored {added} new link(s) as suggested; {kept} were stored before (status kept)")


def _decide(link: str, status: str, who: Optional[str]) -> None:
    from ..pubs.decide import decide

    iri = decide(Settings.from_env(), link, status, who)
    err.print(f"{status} {iri}", highlight=False)


@app.command()
def accept(link: str = typer.Argument(..., help="Link IRI or its key (after id/link/)."),
           by: Optional[str] = typer.Option(None, "--by", help="Who decides; default user@host.")) -> None:
    """Accept a suggested link: it becomes a fact the saved queries use."""
    _decide(link, "accepted", by)


@app.command()
def reject(link: str = typer.Argument(..., help="Link IRI or its key (after id/link/)."),
           by: Optional[str] = typer.Option(None, "--by", help="Who decides; default user@host.")) -> None:
    """Reject a link: it is kept (so it is not suggested again) but never used as a fact."""
    _decide(link, "rejected", by)


@app.command("link")
def link_(publication: str = typer.Argument(..., help="Publication IRI (id/publication/...)."),
          target: str = typer.Argument(..., help="IRI of a learning community, organisation, challenge or key technology."),
          evidence: str = typer.Option("", "--evidence", help="Why; stored as the link's evidence."),
          by: Optional[str] = typer.Option(None, "--by", help="Who links; default user@host.")) -> None:
    """Link a publication by hand (method ManualLink, trust 1), accepted at once; checked by the gate."""
    from ..pubs.decide import link_by_hand

    iri = link_by_hand(Settings.from_env(), publication, target, evidence, by)
    err.print(f"linked and accepted {iri}", highlight=False)


@app.command()
def links(status: Optional[str] = typer.Option(None, "--status", help="suggested, accepted or rejected."),
          fmt: str = typer.Option("table", "--format", help="table, csv or json.")) -> None:
    """List stored links with their status and last decision."""
    from ..pubs.links import list_links
    from ..store.open import open_configured_store

    _check_format(fmt)
    if status is not None and status not in STATUSES:
        raise typer.BadParameter(f"{status!r}; use one of {', '.join(STATUSES)}", param_hint="--status")
    found = list_links(open_configured_store(Settings.from_env()), status)
    _emit([asdict(l) for l in found], ("iri", "doi", "target_name", "trust", "method", "status", "decided_by",
                                       "decided_at") if fmt == "table" else tuple(asdict(found[0]) if found else ("iri",)), fmt)


@app.command("eval")
def eval_(eval_dir: Path = typer.Option(EVAL_DIR, "--set", help="Folder with publication files (*.json, *.bib, *.ris, *.xml), *.ttl grants and labels.csv (or hckg_community fields in the .bib files)."),
          fmt: str = typer.Option("table", "--format", help="table, csv or json.")) -> None:
    """First right, precision@1, recall and the methods behind the answers on a labelled set (labels.csv or hckg_community fields)."""
    from rich.table import Table

    from ..pubs.evaluate import curve, run

    _check_format(fmt)
    found, labels = run(Settings.from_env(), eval_dir)
    results = curve(found, labels)
    rows = [{"threshold": r.threshold, "precision_at_1": round(r.precision_at_1, 3), "recall": round(r.recall, 3),
             "answered": r.answered, "correct": r.correct, "expected": r.expected, "found": r.found,
             "first_right": r.correct, "records": len(labels)}
            for r in results]
    default = next(r for r in results if r.threshold == DEFAULT_MIN_TRUST)
    anything = next(r for r in results if r.threshold == 0.0)
    if fmt != "table":
        if fmt == "json":
            sys.stdout.write(json.dumps({"records": len(labels), "default_threshold": DEFAULT_MIN_TRUST, "curve": rows,
                                         "methods": {f"{m}/{v}": n for (m, v), n in sorted(default.methods.items())},
                                         "cues": {f"{c}/{m}": n for (c, m), n in sorted(default.cues.items())}},
                                        indent=1) + "\n")
        else:
            _emit(rows, tuple(rows[0]), "csv")
        return
    out.print(f"[bold]{len(labels)} labelled records[/] ({default.expected} expect a community); "
              f"default threshold {DEFAULT_MIN_TRUST}: precision@1 {default.precision_at_1:.3f}, recall {default.recall:.3f}")
    out.print(f"first right: {default.correct}/{len(labels)} at {DEFAULT_MIN_TRUST} (precision above it "
              f"{default.correct}/{default.answered} = {default.precision_at_1:.3f}); {anything.correct}/{len(labels)} at 0")
    methods = sorted({m for m, _ in default.methods})
    table = Table("method of the answer", "right", "wrong")
    for m in methods:
        table.add_row(m, str(default.methods[(m, "right")]), str(default.methods[(m, "wrong")]))
    out.print(table)
    cues = sorted({c for c, _ in default.cues})
    answer_methods = sorted({m for _, m in default.cues})
    table = Table("cue in the record", *answer_methods)
    for c in cues:
        table.add_row(c, *(str(default.cues[(c, m)]) for m in answer_methods))
    out.print(table)
    _emit(rows, tuple(rows[0]), "table")
