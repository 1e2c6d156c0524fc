"""hckg_web.render.answers: a worker's answer as the pages show it, each IRI with its label from the store."""

from __future__ import annotations

import json

from hckg_web.render.answers import answer_of
from hckg_web.runtime.workers import Outcome

FRYSLAN = "https://w3id.org/hckg/id/province/PV21"


def solutions(rows: list[dict[str, object]], variables: list[str]) -> Outcome:
    body = json.dumps({"head": {"vars": variables}, "results": {"bindings": rows}}).encode()
    return Outcome("solutions", "json", "application/sparql-results+json", body, len(rows))


def test_a_select_answer_keeps_its_terms_and_labels_its_iris(store, settings):
    rows = [{"p": {"type": "uri", "value": FRYSLAN}, "n": {"type": "literal", "value": "3"}},
            {"p": {"type": "uri", "value": "https://example.org/unlabelled"}}]
    answer = answer_of(solutions(rows, ["p", "n"]), store, settings.queries_dir)
    assert (answer.kind, answer.variables, answer.rows) == ("solutions", ["p", "n"], rows)
    assert answer.labels == {FRYSLAN: "Fryslân"}


def test_boolean_and_graph_answers_need_no_labels(store):
    yes = Outcome("boolean", "json", "application/sparql-results+json", b'{"head": {}, "boolean": true}', 1)
    assert answer_of(yes, store).boolean is True
    turtle = Outcome("graph", "ttl", "text/turtle", f"<{FRYSLAN}> a <x:y> .".encode(), 1, truncated=True)
    shown = answer_of(turtle, store)
    assert (shown.kind, shown.text, shown.truncated, shown.labels) == ("graph", f"<{FRYSLAN}> a <x:y> .", True, {})
