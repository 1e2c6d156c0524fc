"""What the CLI prints and how it fails: the two consoles and the one error wrapper.

Results go to stdout, messages to stderr. A command raises ``HckgError`` and the group it belongs to
turns it into one red line and the error's exit code (``HckgError.exit_code``): no command catches
the errors it cannot do anything about.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any, Callable, Iterator

from typing import TYPE_CHECKING

import click
import typer
from rich.console import Console
from typer.core import TyperGroup

from ..errors import HckgError

if TYPE_CHECKING:  # pyoxigraph, rdflib and pyshacl are imported by the functions that use them (issue 17)
    from ..formats import QueryAnswer
    from ..gate.validate import ValidationFailed, Violation

out = Console()
err = Console(stderr=True)


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress bar on stderr for a long step, fed as ``progress(label, done, total)``.

    Drawn only when stderr is a terminal: a script or a pipe gets the one summary line, never bar
    frames or escape codes.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(description, total=None)

        def progress(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done, total=total)

        yield progress


def fail(error: HckgError) -> typer.Exit:
    """Print ``error`` on stderr; the Exit carries its exit code."""
    err.print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
    return typer.Exit(error.exit_code)


def fail_with_violations(error: HckgError) -> typer.Exit:
    """``fail``, and the first 20 violations of a refused write, one a line."""
    from ..gate.validate import ValidationFailed

    exit_ = fail(error)
    if isinstance(error, ValidationFailed):
        for v in error.violations[:20]:
            err.print(f"  {v.focus} {v.path or ''} {v.value or ''}: {v.messages.get('en', '')}", highlight=False,
                      soft_wrap=True)
    return exit_


class Commands(TyperGroup):
    """A command group whose commands' HckgErrors become a message and an exit code (``fail``)."""

    report = staticmethod(fail)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except HckgError as error:
            raise self.report(error) from None


class PubsCommands(Commands):
    """The `hckg pubs` group: a refused write also lists its violations."""

    report = staticmethod(fail_with_violations)


def print_answer(answer: QueryAnswer, fmt: str) -> None:
    """An answer on stdout: a rich table (SELECT), true/false (ASK), or ``fmt`` (Turtle for a graph in a table)."""
    import pyoxigraph as ox
    from rich.table import Table

    from ..formats import rows_of, write_answer

    if fmt == "table":
        if isinstance(answer, ox.QuerySolutions):
            variables, rows = rows_of(answer)
            table = Table(*variables, show_lines=False)
            for row in rows:
                table.add_row(*row)
            out.print(table)
            err.print(f"{len(rows)} row(s)")
            return
        if isinstance(answer, ox.QueryBoolean):
            out.print("true" if bool(answer) else "false")
            return
        fmt = "ttl"
    write_answer(answer, fmt, sys.stdout.buffer)
    sys.stdout.flush()


def print_violations(violations: list[Violation], fmt: str, lang: str) -> None:
    """Violations on stdout as text, JSON or a SHACL report in Turtle, in ``lang``."""
    from ..gate.validate import to_report_graph

    if fmt == "json":
        out.print_json(data=[{**asdict(v), "message": v.message(lang)} for v in violations])
    elif fmt == "ttl":
        sys.stdout.write(to_report_graph(violations).serialize(format="turtle"))
    else:
        for v in violations:
            out.print(v.describe(lang), highlight=False, soft_wrap=True)


def refused(error: ValidationFailed, where: str = "") -> typer.Exit:
    """A write the gate refused: the violations on stdout, the verdict on stderr, exit 1."""
    print_violations(error.violations, "text", "en")
    err.print(f"[bold red]error:[/] {where}{len(error.violations)} violation(s); nothing written", highlight=False)
    return typer.Exit(1)
