"""Materialise the OWL RL entailments queries need into ``graph/inferred``.

Subclass, subproperty, inverse and transitive-property rules run as SPARQL CONSTRUCTs
(``queries/internal/infer-*.rq``) over the asserted graphs (every graph except the inferred and
provenance graphs and the scratch graphs), and what they entail that no graph holds yet is
``graph/inferred``. Queries can then ask for ``hckg:LearningCommunity`` and find Centres of Expertise
without a reasoner at query time.

Evaluation is semi-naive: each rule file names its data premises (``#+ premises:``), and after the
first round a rule reads at least one premise from what the earlier rounds found, not from the whole
store. The same step makes a load incremental: a small graph added next to the others, with no class
or property axioms in it, only adds what its own triples entail (``materialise(store, added=graph)``);
a replaced or dropped graph, a large one, or a schema change recomputes everything. The result is the
same graph either way (``tests/test_infer.py`` compares them).

Results stay out of Python: a round's CONSTRUCT is serialised by the engine into a file next to the
store and bulk-loaded back from there, so no entailed triple becomes a Python object or string.
"""

from __future__ import annotations

import re
import tempfile
from datetime import datetime, timezone
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, VOID, XSD

from ..queries.catalog import load_query
from ..iris import GRAPH, HCKG, META_GRAPH, SCRATCH
from ..queries.running import internal
from ..store.base import InferenceRule, Store, StoreCopy, holds_at_least
from ..store.oxigraph import file_mentions, in_parallel

INFERRED_GRAPH = GRAPH["inferred"]
DELTA_GRAPH = SCRATCH + "infer-delta"
"""What the last round found: the premises of the next round (removed when inference ends)."""
REMOVED_GRAPH = SCRATCH + "infer-removed"
"""What a replaced or dropped graph held, while the entailments resting on it are taken back."""
OVERDELETED_GRAPH = SCRATCH + "infer-overdeleted"
"""The inferred triples that may rest on what was removed (``_retract``)."""
RETRACT_MAX = 5_000
"""Most triples ``_retract`` checks one by one; more, and the whole graph is recomputed instead."""
RULES = ("infer-subclass.rq", "infer-subproperty.rq", "infer-inverse.rq", "infer-transitive.rq")
MAX_ROUNDS = 64
"""Enough for part-of chains 2^64 long: each round at least doubles the chains the transitive rule closes."""
LOCAL_SHARE = 10
"""An added graph is inferred on its own while it holds at most 1/LOCAL_SHARE of the store's triples; a
larger one is cheaper to recompute with the rest than to keep apart in a scratch graph."""
RULE_PREDICATES = (RDFS.subClassOf, RDFS.subPropertyOf, OWL.inverseOf)
"""The schema the rules read besides their premises (and ``a owl:TransitiveProperty``): a graph holding
one of these changes what the rest of the store entails, so adding it recomputes everything."""


Rule = InferenceRule


@cache
def rules() -> tuple[Rule, ...]:
    """The rule files, split into template, body and premises; a malformed one is an error naming it."""
    found = []
    for name in RULES:
        saved = load_query(internal(name))
        match = re.fullmatch(r"(?s)(.*?)\bCONSTRUCT\s*\{([^{}]*)\}\s*WHERE\s*\{(.*)\}\s*", saved.sparql)
        if match is None:
            raise ValueError(f"{name}: an inference rule must read CONSTRUCT {{ template }} WHERE {{ pattern }} "
                             "with a flat template")
        prologue, template, body = match.groups()
        # the file's comments are for its reader: an engine gets the query alone
        prologue = "".join(line for line in prologue.splitlines(keepends=True) if not line.lstrip().startswith("#"))
        premises = tuple(saved.decorators.get("premises") or ())
        if not premises or any(body.count(p) != 1 for p in premises):
            raise ValueError(f"{name}: '#+ premises:' must list the data patterns, each once in the WHERE clause")
        found.append(Rule(name, template, body, premises, prologue, saved.decorators.get("closed") is True))
    return tuple(found)


def derived_from(store: Store) -> list[str]:
    """The graphs inference reads: the project's graphs but its own output and the provenance records
    (the gate's scratch graph ``urn:hckg:gate-focus`` is not one of them)."""
    names = store.graph_names()
    return [g for g in names if not g.startswith(SCRATCH) and g not in (str(INFERRED_GRAPH), str(META_GRAPH))]


def _from(rule: Rule, graphs: list[str], everything: bool = False) -> str:
    """``rule`` with at least one premise read from ``graphs``, keeping only what no graph holds yet.

    ``everything``: ``graphs`` are every asserted graph (the first round of a recompute). Then a rule whose
    template has the predicate of one of its premises (the subclass rule: ``?s a ?super`` from ``?s a
    ?class``) drops what a graph holds with ``MINUS``, which Oxigraph hashes once, instead of one look-up
    per finding (``FILTER NOT EXISTS``): at 1M triples 1.8 s against 3.7 s for the 197k types. The same
    answer: both sides bind every variable of the template. Only then: ``MINUS`` reads every triple its
    pattern matches, which for a template with a variable predicate is the whole store (1-1.6 s for a
    rule that finds nothing), and for a small premise graph far more than the look-ups."""
    branches = [rule.body.replace(premise, f"GRAPH <{graph}> {{ {premise} }}")
                for graph in graphs for premise in rule.premises]
    union = " UNION ".join(f"{{ {branch} }}" for branch in branches)
    held = (f"MINUS {{ {rule.template} }}" if everything and _hashable(rule)
            else f"FILTER NOT EXISTS {{ {rule.template} }}")
    return f"{rule.prologue}CONSTRUCT {{ {rule.template} }} WHERE {{ {union} {held} }}"


def _hashable(rule: Rule) -> bool:
    """Whether the template is one triple ``?x <p> ?y`` with a premise's predicate ``<p>`` (``_from``)."""
    words = rule.template.strip().rstrip(".").split()
    if len(words) != 3 or not (words[0].startswith("?") and words[2].startswith("?")):
        return False
    return rule.produces is not None and rule.produces in rule.predicates


def _fed(rule: Rule, by_rule: dict[str, Path]) -> bool:
    """Whether a round's findings (an N-Triples file per rule) can be premises of ``rule`` next round.

    A closed rule learns nothing from its own findings, and a premise with a fixed predicate only from
    findings with that predicate (a byte search: a literal holding the IRI only costs a wasted query).
    At 1M synthetic triples this spares the subclass rule a second pass over 197k inferred types.
    """
    feeding = [path for name, path in by_rule.items() if not (rule.closed and name == rule.name)]
    if None in rule.predicates:
        return any(path.stat().st_size for path in feeding)
    return any(file_mentions(path, f" <{predicate}> ".encode()) for path in feeding for predicate in rule.predicates)


def changes_rules(store: Store, graph: str) -> bool:
    """True when ``graph`` holds a statement the rules read as schema: adding it is no local change."""
    predicates = " ".join(f"<{p}>" for p in RULE_PREDICATES)
    return bool(store.query(f"ASK {{ GRAPH <{graph}> {{ {{ ?s ?p ?o VALUES ?p {{ {predicates} }} }} UNION "
                            f"{{ ?s a <{OWL.TransitiveProperty}> }} }} }}"))


def _small(store: Store, graph: str) -> bool:
    """Whether ``graph`` is small beside the store (``LOCAL_SHARE``) and holds no schema the rules read."""
    return holds_at_least(store, store.graph_size(graph) * LOCAL_SHARE) and not changes_rules(store, graph)


def keep_removed(store: StoreCopy, graph: str) -> str | None:
    """Before ``graph`` is replaced or dropped in a copy of the embedded store: its triples, kept in the
    scratch graph ``REMOVED_GRAPH`` for ``materialise(removed=...)``, when it is small enough for that to
    pay; None otherwise (a remote engine, a large graph, no such graph: inference recomputes)."""
    if not store.updates_on_a_copy or not store.graph_exists(graph) or not _small(store, graph):
        return None
    store.update(f"COPY <{graph}> TO <{REMOVED_GRAPH}>")
    return REMOVED_GRAPH


def materialise(store: StoreCopy, added: str | None = None, removed: str | None = None,
                known_size: int | None = None) -> int:
    """Bring ``graph/inferred`` of ``store`` (writable) up to date; returns its size in triples.

    With ``added``, the name of a graph just written next to an up-to-date inferred graph, holding no
    schema (``changes_rules``) and small beside the store (``LOCAL_SHARE``), only that graph's
    consequences are added. With ``removed``, the scratch graph ``keep_removed`` filled with what a
    replaced or dropped graph held, the entailments that rested on it are taken back first (``_retract``:
    delete and rederive), so a Graph Store PUT or a drop of a small graph does not recompute a 1M store.
    Otherwise everything is recomputed. Not one transaction (bulk loads): for a copy of the store or a
    fresh one only. ``removed`` is gone from the store afterwards. ``known_size``, the inferred graph's size
    before (its provenance record), spares the local path counting it afterwards (0.2-0.7 s at 1M): what
    was deleted and added is counted instead.
    """
    in_engine = store.materialise_rules(rules(), str(INFERRED_GRAPH), MAX_ROUNDS)
    if in_engine is not None:  # a staged remote store runs the same rules inside the engine (hckg.store.remote)
        return in_engine
    inferred = str(INFERRED_GRAPH)
    changed = [g for g in (added, removed) if g is not None]
    local = bool(changed) and store.graph_exists(inferred) and all(_small(store, g) for g in changed)
    rederived: list[str] = []
    size = known_size
    if local and removed is not None:
        retracted = _retract(store, removed)
        local = retracted is not None
        rederived, deleted = retracted or ([], 0)
        size = None if size is None else size - deleted + len(rederived)
    if removed is not None:
        store.remove_graph(removed)
    if local and added is not None:
        # What the new graph asserts is no longer an entailment of the others: the graph holds it now.
        if size is not None:
            size -= _count(store, f"GRAPH <{added}> {{ ?s ?p ?o }} FILTER EXISTS {{ GRAPH <{inferred}> {{ ?s ?p ?o }} }}")
        store.update(f"DELETE {{ GRAPH <{inferred}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{added}> {{ ?s ?p ?o }} "
                     f"GRAPH <{inferred}> {{ ?s ?p ?o }} }}")
    if local:
        premises = [str(added)] if added is not None else []
        if rederived:
            lines = "".join(line + " .\n" for line in rederived).encode("utf-8")
            store.add_ntriples(inferred, lines)
            store.add_ntriples(DELTA_GRAPH, lines)
            premises.append(DELTA_GRAPH)
    else:
        store.remove_graph(inferred)
        premises = derived_from(store)
        size = None
    store.add_ntriples(inferred, b"")
    active = list(rules())
    # Each round's findings go to files next to the store and are bulk-loaded from there; named for the
    # copy (``<copy>.infer-*``) so that a killed write's are removed with it (hckg.store.leftovers).
    scratch = dict(prefix=f"{store.path.name}.infer-", dir=store.path.parent) if store.path else {}
    with tempfile.TemporaryDirectory(**scratch) as tmp:  # type: ignore[call-overload]
        for round_ in range(MAX_ROUNDS if premises else 0):
            outputs = {rule.name: Path(tmp) / f"{round_}-{rule.name}.nt" for rule in active}
            everything = not local and round_ == 0
            in_parallel(lambda rule: store.construct_to_file(_from(rule, premises, everything), outputs[rule.name]),
                        active)
            found = {name: path for name, path in outputs.items() if path.stat().st_size}
            if not found:
                break
            for path in found.values():
                store.add_ntriples_file(inferred, path)
            active = [rule for rule in rules() if _fed(rule, found)]
            if local:  # the next round reads what this one found, kept apart in a scratch graph
                store.remove_graph(DELTA_GRAPH)
                for path in found.values():
                    store.add_ntriples_file(DELTA_GRAPH, path)
                premises = [DELTA_GRAPH]
                if size is not None:  # new to the store (NOT EXISTS), each once in the delta graph
                    size += store.graph_size(DELTA_GRAPH)
            else:  # the inferred graph began empty: it holds this round's findings and the earlier ones
                premises = [inferred]
            for path in outputs.values():
                path.unlink()
    store.remove_graph(DELTA_GRAPH)
    return store.graph_size(inferred) if size is None else size


def _count(store: Store, pattern: str) -> int:
    answer = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
    return int(next(iter(answer))["n"].value)  # type: ignore[index,arg-type,call-overload]


def _overdelete_query(rule: Rule, delta: str) -> str:
    """``rule`` with a premise read from ``delta``: inferred triples it entails that are not yet marked."""
    branches = [rule.body.replace(premise, f"GRAPH <{delta}> {{ {premise} }}") for premise in rule.premises]
    union = " UNION ".join(f"{{ {branch} }}" for branch in branches)
    return (f"{rule.prologue}CONSTRUCT {{ {rule.template} }} WHERE {{ {union} "
            f"FILTER EXISTS {{ GRAPH <{INFERRED_GRAPH}> {{ {rule.template} }} }} "
            f"FILTER NOT EXISTS {{ GRAPH <{OVERDELETED_GRAPH}> {{ {rule.template} }} }} }}")


def _triples(store: Store, graph: str) -> list[ox.Triple]:
    answer = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert isinstance(answer, ox.QueryTriples)
    return list(answer)


def _still_entailed(rule: Rule, triple: ox.Triple) -> str | None:
    """An ASK whether ``rule`` entails ``triple`` in one step from what the store holds now and no graph
    asserts it (its template's variables replaced by the triple's terms); None when the template cannot
    produce it."""
    words = rule.template.strip().rstrip(".").split()
    if len(words) != 3:
        return None
    body = rule.body
    for word, term in zip(words, (triple.subject, triple.predicate, triple.object)):
        if word.startswith("?"):
            body = re.sub(re.escape(word) + r"\b", lambda _: str(term), body)  # noqa: B023
        elif (str(RDF.type) if word == "a" else word[1:-1]) != getattr(term, "value", None):
            return None
    return f"{rule.prologue}ASK {{ {body} FILTER NOT EXISTS {{ {triple} }} }}"


def _retract(store: StoreCopy, removed: str) -> tuple[list[str], int] | None:
    """Take back from the inferred graph what may rest on the triples of ``removed`` (delete and rederive).

    Overdelete: every inferred triple some rule entails with a premise from ``removed``, round after
    round from what the last round marked, is deleted. Rederive: each deleted triple, and each removed
    one, that a rule still entails in one step from what is left (and no graph asserts) is returned as
    N-Triples lines, for the caller to add and to propagate like a new graph's triples, with the number of
    triples deleted. Returns None
    (recompute instead) when a marked triple has a blank node (an ASK cannot name it) or there are more
    than ``RETRACT_MAX`` of them. Call it while ``removed`` is still in the store.
    """
    inferred = str(INFERRED_GRAPH)
    delta, marked = removed, 0
    store.remove_graph(OVERDELETED_GRAPH)
    with tempfile.TemporaryDirectory(prefix="hckg-retract-", dir=store.path.parent if store.path else None) as tmp:
        for round_ in range(MAX_ROUNDS):
            outputs = {rule.name: Path(tmp) / f"{round_}-{rule.name}.nt" for rule in rules()}
            in_parallel(lambda rule: store.construct_to_file(_overdelete_query(rule, delta), outputs[rule.name]),
                        list(rules()))
            found = [path for path in outputs.values() if path.stat().st_size]
            if not found:
                break
            store.remove_graph(DELTA_GRAPH)
            for path in found:
                store.add_ntriples_file(OVERDELETED_GRAPH, path)
                store.add_ntriples_file(DELTA_GRAPH, path)
            delta = DELTA_GRAPH
            marked = store.graph_size(OVERDELETED_GRAPH)
            if marked > RETRACT_MAX:
                break
    store.remove_graph(DELTA_GRAPH)
    candidates = _triples(store, OVERDELETED_GRAPH) + _triples(store, removed)
    if marked > RETRACT_MAX or len(candidates) > RETRACT_MAX or any(
            isinstance(term, ox.BlankNode) for t in candidates for term in t):
        store.remove_graph(OVERDELETED_GRAPH)
        return None
    store.update(f"DELETE {{ GRAPH <{inferred}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{OVERDELETED_GRAPH}> {{ ?s ?p ?o }} }}")
    store.remove_graph(OVERDELETED_GRAPH)
    store.remove_graph(removed)  # what is left must not see the removed triples
    kept = []
    for triple in dict.fromkeys(candidates):
        asks = [ask for rule in rules() if (ask := _still_entailed(rule, triple)) is not None]
        if any(store.query(ask) for ask in asks):
            kept.append(str(triple))
    return kept, marked


def provenance_record(store: Store, triples: int, synthetic: bool = False) -> rdflib.Graph:
    """The ``graph/meta`` description of the inferred graph: derived from every asserted graph, and
    synthetic when one of them is (``hckg load --synthetic``): its entailments are then partly made up."""
    g = rdflib.Graph()
    s = INFERRED_GRAPH
    at = Literal(datetime.now(timezone.utc).isoformat(timespec="seconds"), datatype=XSD.dateTime)
    g.add((s, RDF.type, PROV.Entity))
    g.add((s, RDF.type, VOID.Dataset))
    g.add((s, DCTERMS.title, Literal("OWL RL entailments (subclass, subproperty, inverse, transitive)", lang="en")))
    g.add((s, VOID.triples, Literal(triples, datatype=XSD.integer)))
    g.add((s, HCKG.provenanceKind, HCKG.SyntheticData if synthetic else HCKG.RealData))
    g.add((s, PROV.generatedAtTime, at))
    for source in derived_from(store):
        g.add((s, PROV.wasDerivedFrom, URIRef(source)))
    return g
