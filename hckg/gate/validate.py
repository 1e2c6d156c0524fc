"""The validation gate: new data is checked against the SHACL shapes together with the ontology
and what the store already holds, and nothing is written unless it conforms.

Each violation is a dataclass that names the focus node, path, value, shape, severity and the
message in Dutch and English, plus the file and line it came from when the source is a CSV table.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyshacl
import rdflib
from rdflib.namespace import RDF, SH

from ..errors import HckgError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Violation:
    """One SHACL result, in the terms a user can act on."""

    focus: str
    path: str | None
    value: str | None
    severity: str
    shape: str | None
    messages: dict[str, str] = field(default_factory=dict)
    """Message per language tag ('nl', 'en', '' for untagged)."""
    source: str | None = None
    line: int | None = None

    def message(self, lang: str = "en") -> str:
        return self.messages.get(lang) or self.messages.get("") or next(iter(self.messages.values()), "")

    def describe(self, lang: str = "en") -> str:
        where = f"{self.source}:{self.line}: " if self.source and self.line else f"{self.source}: " if self.source else ""
        parts = [f"{where}{self.severity} on <{self.focus}>"]
        if self.path:
            parts.append(f"path <{self.path}>")
        if self.value is not None:
            parts.append(f"value {self.value!r}")
        return ", ".join(parts) + f": {self.message(lang)}"


class ValidationFailed(HckgError):
    """Data that breaks the shapes; nothing was written."""

    def __init__(self, source: str, violations: list[Violation]) -> None:
        self.source = source
        self.violations = violations
        super().__init__(f"{source}: {len(violations)} violation(s) of the shapes or rules; store unchanged\n"
                         + "\n".join("  " + v.describe() for v in violations[:20])
                         + ("\n  ..." if len(violations) > 20 else ""))


def load_shapes(shapes_dir: Path) -> rdflib.Graph:
    """Every ``*.ttl`` of the shapes folder as one shapes graph."""
    shapes = rdflib.Graph()
    for path in sorted(shapes_dir.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


def _term(node: rdflib.term.Node | None) -> str | None:
    if node is None:
        return None
    return str(node)


def _path(report: rdflib.Graph, result: rdflib.term.Node) -> str | None:
    path = report.value(result, SH.resultPath)
    if path is None:
        return None
    if isinstance(path, rdflib.URIRef):
        return str(path)
    return "(complex path)"


def _messages(report: rdflib.Graph, result: rdflib.term.Node, shapes: rdflib.Graph | None) -> dict[str, str]:
    """Result messages by language.

    pySHACL fills in the ``{?var}`` templates of ``sh:sparql`` messages but drops their language
    tags; each untagged text gets back the language of the template it matches in the shapes graph.
    """
    texts = [m for m in report.objects(result, SH.resultMessage) if isinstance(m, rdflib.Literal)]
    found = {m.language: str(m) for m in texts if m.language}
    untagged = [str(m) for m in texts if not m.language]
    templates: list[rdflib.Literal] = []
    if shapes is not None and untagged:
        for source in (report.value(result, SH.sourceConstraint), report.value(result, SH.sourceShape)):
            if source is not None:
                templates += [m for m in shapes.objects(source, SH.message) if isinstance(m, rdflib.Literal)]
    for text in untagged:
        lang = next((t.language for t in templates if t.language and _template_matches(str(t), text)), "")
        found.setdefault(lang or "", text)
    return found


def _template_matches(template: str, text: str) -> bool:
    pattern = "".join(".*" if part.startswith("{") else re.escape(part)
                      for part in re.split(r"(\{[?$][A-Za-z_][A-Za-z0-9_]*\})", template))
    return re.fullmatch(pattern, text, flags=re.S) is not None


def violations_of(report: rdflib.Graph, origins: dict[str, tuple[str, int | None]] | None = None,
                  shapes: rdflib.Graph | None = None) -> list[Violation]:
    """The results of a pySHACL report graph as Violations, sorted by focus node and path."""
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = _term(report.value(result, SH.focusNode)) or ""
        messages = _messages(report, result, shapes)
        severity = report.value(result, SH.resultSeverity)
        source, line = (origins or {}).get(focus, (None, None))
        found.append(
            Violation(
                focus=focus,
                path=_path(report, result),
                value=_term(report.value(result, SH.value)),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                shape=_term(report.value(result, SH.sourceShape)),
                messages=messages,
                source=source,
                line=line,
            )
        )
    return unique_sorted(found)


def unique_sorted(found: list[Violation]) -> list[Violation]:
    """One violation per focus, path, value, shape and severity, in file, line and focus order."""
    unique = {(v.focus, v.path, v.value, v.shape, v.severity): v for v in found}
    return sorted(unique.values(), key=lambda v: (v.source or "", v.line or 0, v.focus, v.path or "", v.value or ""))


def check(data: rdflib.Graph, shapes: rdflib.Graph, ontology: rdflib.Graph,
          origins: dict[str, tuple[str, int | None]] | None = None) -> list[Violation]:
    """Validate ``data`` (mixed with ``ontology`` for class hierarchy) against ``shapes``."""
    if len(shapes) == 0:
        return []
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none", allow_warnings=True, advanced=True
    )
    found = violations_of(report, origins, shapes)
    return [v for v in found if v.severity == "Violation"] if not conforms else []


def to_report_graph(violations: list[Violation]) -> rdflib.Graph:
    """The violations as a SHACL validation report in RDF, so a pipeline can store it."""
    g = rdflib.Graph()
    g.bind("sh", SH)
    report = rdflib.BNode()
    g.add((report, RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, rdflib.Literal(not violations)))
    for v in violations:
        r = rdflib.BNode()
        g.add((report, SH.result, r))
        g.add((r, RDF.type, SH.ValidationResult))
        g.add((r, SH.focusNode, rdflib.URIRef(v.focus)))
        g.add((r, SH.resultSeverity, SH[v.severity]))
        if v.path and v.path.startswith(("http://", "https://")):
            g.add((r, SH.resultPath, rdflib.URIRef(v.path)))
        if v.shape and v.shape.startswith(("http://", "https://")):
            g.add((r, SH.sourceShape, rdflib.URIRef(v.shape)))
        if v.value is not None:
            g.add((r, SH.value, rdflib.Literal(v.value)))
        for lang, text in v.messages.items():
            g.add((r, SH.resultMessage, rdflib.Literal(text, lang=lang or None)))
    return g
