"""The names the CLI's help texts and option checks quote, without importing the modules that own them.

Typer reads help texts and defaults when the commands are declared, that is when `hckg` starts; the
owning modules import rdflib, pyoxigraph, pyshacl or scikit-learn, which cost seconds (issue 17:
`hckg validate <bomb>` must be refused in under a second). tests/test_cli_startup.py checks each name
here against its owner, so the two cannot drift apart.
"""

from __future__ import annotations

from ..config import PROJECT_ROOT

RESULT_FORMATS = ("csv", "tsv", "json", "xml")
"""hckg.formats.RESULT_FORMATS: SELECT/ASK answer formats."""
RDF_FORMATS = ("ttl", "nt", "jsonld", "rdfxml", "trig", "nq")
"""hckg.formats.RDF_FORMATS: CONSTRUCT/DESCRIBE graph formats."""
EXPORT_FORMATS = ("ttl", "nt", "jsonld", "trig", "nq")
"""hckg.reports.export.EXPORT_FORMATS."""
MONITOR_FORMATS = ("table", "json", "csv")
"""hckg.reports.monitor.FORMATS."""
DEFAULT_MIN_TRUST = 0.5
"""hckg.pubs.suggest.DEFAULT_MIN_TRUST."""
EVAL_DIR = PROJECT_ROOT / "tests" / "pubs_eval"
"""hckg.pubs.evaluate.EVAL_DIR."""
LINK_STATUSES = ("suggested", "accepted", "rejected")
"""hckg.pubs.links.STATUSES."""
