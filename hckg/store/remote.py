"""The store interface over a remote SPARQL 1.1 engine (Oxigraph server, Virtuoso ...).

Queries and updates go through SPARQLWrapper, uploads through the Graph Store HTTP Protocol when
``HCKG_GSP_ENDPOINT`` is set (plain HTTP: SPARQLWrapper has no GSP API), else through SPARQL Update.
Answers parse into the same pyoxigraph types as the embedded store's, so formatting code serves both.

Every request names its dataset (``default-graph-uri`` = ``named-graph-uri`` = HCKG's graphs)
instead of trusting the engine's default graph, because the engines disagree on it: Virtuoso's
default graph is the union of *all* graphs, its own system graphs included (``virtrdf#``, ``owl#``:
~2,600 triples on a fresh database), and Oxigraph server's ``--union-default-graph`` ignores FROM
clauses in the query text. Naming the dataset also keeps staging graphs invisible to readers.

Writes are staged (``StagedStore``): new graphs go under temporary names, inference and the gate
run on the dataset "store minus the replaced graphs plus the staged ones", and one update request
swaps them in (``DROP SILENT GRAPH <g> ; MOVE SILENT <tmp> TO <g>``). A failure drops the staged
graphs and leaves the live ones as they were. One writer at a time, as with the embedded store.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

import pyoxigraph as ox
import rdflib
from SPARQLWrapper import BASIC, DIGEST, INSERT, JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from ..errors import BadQuery, HckgError
from ..iris import FOCUS_GRAPH, PREFIXES
from ..formats import QueryAnswer
from .chunks import Chunk, file_chunks
from .base import DATASET_FORMATS, GRAPH_SIZES, UNION, GraphInfo, InferenceRule, union_of
from .oxigraph import to_ntriples

log = logging.getLogger(__name__)

STAGING = "urn:hckg:staging:"
"""Prefix of the temporary graphs of a write; never part of the dataset readers see."""
ENGINE_GRAPHS = frozenset({
    # Virtuoso 7.2's own graphs on a fresh database: its RDF views, the OWL and LDP vocabularies.
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
    "urn:activitystreams-owl:map",
    "http://www.w3.org/2000/01/rdf-schema#",
    "urn:rules.skos",
    "virtrdf-label",
})
"""Graphs an engine keeps for itself; never part of HCKG's dataset."""
DATASET_TTL_S = 1.0
"""How long the list of graphs is reused before it is asked again (a graph written by another client
shows within this time)."""
PARALLEL_UPLOADS = 3
"""Requests of one upload in flight at a time (``RemoteStore.upload_chunks``): on 2 cores, 3 kept Virtuoso's
parser and HCKG's serialiser both busy (bench/virtuoso_load.py)."""
GRAPH_NAMES = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
"""Every graph of the engine. Grouped, not ``SELECT DISTINCT ?g``: Virtuoso 7.2.5 answers the grouped form from
its graph index (0.08 s with a 1M graph present) and did not answer the DISTINCT one within 10 minutes."""
_GRAPH_IRI = re.compile(r"(\bGRAPH\s*)<([^<>\s]*)>", re.IGNORECASE)
_BNODE_CHARS = re.compile(r"[^A-Za-z0-9_]")


class EndpointError(HckgError):
    """The remote engine cannot be reached, refuses the credentials or fails; the store is unchanged."""

    http_status = 502


@dataclass(frozen=True)
class Endpoint:
    """Where and how to reach a remote engine (from ``HCKG_ENDPOINT*``)."""

    query_url: str
    update_url: str = ""
    gsp_url: str = ""
    user: str = ""
    password: str = field(default="", repr=False)
    auth: str = "basic"
    timeout_s: float = 300.0

    def __post_init__(self) -> None:
        if self.auth not in ("basic", "digest"):
            raise HckgError(f"HCKG_ENDPOINT_AUTH is {self.auth!r}; use basic or digest")


def _quote_iri(iri: str) -> str:
    if any(c in iri for c in '<>"{}|^`\\ '):
        raise BadQuery(f"not a valid IRI for a graph name: {iri!r}")
    return f"<{iri}>"


_XSD = "http://www.w3.org/2001/XMLSchema#"
DURATIONS = frozenset(_XSD + t for t in ("duration", "yearMonthDuration", "dayTimeDuration"))


def duration_text(value: str, datatype: str) -> str:
    """A duration as an ISO 8601 text in canonical form (as Oxigraph writes it), from Virtuoso's SELECT
    answers, which give a duration of years and months as its number of months ("P4Y" as "48") and one of
    days and time as seconds ("P1DT12H" as "129600.0"); a text that is already ISO 8601 is kept."""
    if value.lstrip("-").startswith("P"):
        return value
    try:
        number = Decimal(value)
    except ArithmeticError:
        return value
    sign, number = ("-" if number < 0 else ""), abs(number)
    months_given = "." not in value and "e" not in value.lower() and datatype != _XSD + "dayTimeDuration"
    if months_given or datatype == _XSD + "yearMonthDuration":
        years, months = divmod(int(number), 12)
        text = (f"{years}Y" if years else "") + (f"{months}M" if months else "")
        return sign + "P" + (text or ("0M" if datatype == _XSD + "yearMonthDuration" else "T0S"))
    days, rest = divmod(number, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    seconds_text = format(seconds.normalize(), "f") if seconds else ""
    time_text = (f"{int(hours)}H" if hours else "") + (f"{int(minutes)}M" if minutes else "") + (
        f"{seconds_text}S" if seconds_text else "")
    text = (f"{int(days)}D" if days else "") + (f"T{time_text}" if time_text else "")
    return sign + "P" + (text or "T0S")


def _clean_results(data: bytes) -> bytes:
    """SPARQL JSON as pyoxigraph reads it: Virtuoso names blank nodes ``nodeID://b1``, not a valid label,
    and writes durations as numbers (``duration_text``)."""
    document = json.loads(data)
    for row in document.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("type") == "bnode":
                term["value"] = _BNODE_CHARS.sub("_", term["value"])
            elif term.get("datatype") in DURATIONS:
                term["value"] = duration_text(term["value"], term["datatype"])
    document.get("head", {}).pop("link", None)
    return json.dumps(document).encode("utf-8")


_PROLOGUE = re.compile(r"\s+|#[^\n]*|(?:PREFIX\s+[^\s:]*:\s*|BASE\s*)<[^<>]*>", re.IGNORECASE)
_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


def query_form(sparql: str) -> str:
    """The query's form (SELECT, CONSTRUCT, DESCRIBE, ASK): the first word after its prologue (comments,
    PREFIX and BASE declarations); SELECT when the text names none (the engine then says what is wrong)."""
    at = 0
    while (skipped := _PROLOGUE.match(sparql, at)) is not None and skipped.end() > at:
        at = skipped.end()
    word = re.match(r"[A-Za-z]+", sparql[at:])
    form = word.group(0).upper() if word else ""
    return form if form in _FORMS else "SELECT"


def _as_query_triples(triples: Iterable[ox.Triple]) -> ox.QueryTriples:
    """Triples as a pyoxigraph CONSTRUCT answer, so callers get the embedded store's type."""
    scratch = ox.Store()
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    answer = scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(answer, ox.QueryTriples)
    return answer


class RemoteStore:
    """A remote SPARQL 1.1 engine behind the ``Store`` interface; see the module docstring."""

    bulk_loads_files = True
    updates_on_a_copy = False
    counts_before_negation = True
    """The gate proves a whole-store check clean by two counts before it lists what breaks it with a MINUS
    (``hckg.gate.checks.run_checks``, ``Check.proof``): Virtuoso 7.2.5 counts fast and negates slowly."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self._dataset: list[str] | None = None
        self._dataset_at = 0.0
        self._only_ours = False
        self._union: bool | None = None

    # -- transport --------------------------------------------------------------------------------

    def _wrapper(self, url: str, text: str) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(url)
        wrapper.setMethod(POST)
        wrapper.setTimeout(int(self.endpoint.timeout_s))
        if self.endpoint.user:
            wrapper.setHTTPAuth(DIGEST if self.endpoint.auth == "digest" else BASIC)
            wrapper.setCredentials(self.endpoint.user, self.endpoint.password)
        wrapper.setQuery(text)
        return wrapper

    def _send(self, wrapper: SPARQLWrapper, url: str) -> tuple[bytes, str]:
        try:
            result = wrapper.query()
            return result.response.read(), result.info().get("content-type", "")
        except SPARQLWrapperException as err:
            message = str(err).split("Response:", 1)[-1].strip()
            if type(err).__name__ == "QueryBadFormed":
                raise BadQuery(f"{url} refused the request: {message[:2000]}") from err
            if type(err).__name__ == "Unauthorized":
                raise EndpointError(f"{url} refused the credentials (HCKG_ENDPOINT_USER, HCKG_ENDPOINT_PASSWORD, "
                                    "HCKG_ENDPOINT_AUTH)") from err
            raise EndpointError(f"{url}: {type(err).__name__}: {message[:2000]}") from err
        except urllib.error.HTTPError as err:
            raise EndpointError(f"{url} answered HTTP {err.code}: {err.read()[:2000].decode('utf-8', 'replace')}") from err
        except (urllib.error.URLError, socket.timeout, ConnectionError) as err:
            raise EndpointError(f"cannot reach the SPARQL endpoint {url}: {err}") from err

    def _ask_engine(self, sparql: str, default_graph: list[str] | None, named_graphs: list[str] | None) -> QueryAnswer:
        url = self.endpoint.query_url
        wrapper = self._wrapper(url, sparql)
        for g in default_graph or ():
            wrapper.addDefaultGraph(g)
        for g in named_graphs or ():
            wrapper.addNamedGraph(g)
        # The form is read here, not guessed by SPARQLWrapper: its comment stripping misses every second line
        # of a comment block, so a query whose comments name INSERT or DELETE was taken for an update.
        wrapper.queryType = query_form(sparql)
        graph_answer = wrapper.queryType in ("CONSTRUCT", "DESCRIBE")
        wrapper.setReturnFormat(TURTLE if graph_answer else JSON)
        if graph_answer:
            # N-Triples, not Turtle: Virtuoso 7.2.5 writes "1.000"^^xsd:decimal as a bare `1` in Turtle, which
            # reads back as an integer (a graph read and written again by `hckg pubs accept` then broke the
            # shape's sh:datatype xsd:decimal). Asked by the Accept header alone, no `format` parameter.
            wrapper.setOnlyConneg(True)
            wrapper.addCustomHttpHeader("Accept", "application/n-triples")
        body, media_type = self._send(wrapper, url)
        try:
            if graph_answer:
                fmt = ox.RdfFormat.from_media_type(media_type.split(";")[0].strip()) or ox.RdfFormat.N_TRIPLES
                return _as_query_triples(q.triple for q in ox.parse(body, fmt))
            return ox.parse_query_results(_clean_results(body), format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as err:
            raise EndpointError(f"{url} sent an answer HCKG cannot read ({media_type}): {err}") from err

    def _post_update(self, sparql: str, using: list[str] | None = None, using_named: list[str] | None = None) -> None:
        url = self.endpoint.update_url or self.endpoint.query_url
        wrapper = self._wrapper(url, sparql)
        # SPARQLWrapper guesses query or update from the text, and its comment stripping misses every second
        # line of a comment block: a comment naming SELECT made it send an update as `query=` (Oxigraph server:
        # 400 "update must be set"). This method only ever sends updates.
        wrapper.queryType = INSERT
        for g in using or ():
            wrapper.addParameter("using-graph-uri", g)
        for g in using_named or ():
            wrapper.addParameter("using-named-graph-uri", g)
        self._send(wrapper, url)
        self._dataset = None

    def upload(self, graph: str, triples: rdflib.Graph) -> None:
        """Write ``triples`` into ``graph`` (empty or absent before): one request, so blank nodes stay one."""
        if not len(triples):
            return
        data = to_ntriples(triples)
        if self.endpoint.gsp_url:
            self._gsp_put(graph, data)
        else:
            # INSERT ... WHERE {} rather than INSERT DATA: Virtuoso refuses blank nodes in INSERT DATA.
            self._post_update(f"INSERT {{ GRAPH {_quote_iri(graph)} {{\n{data.decode('utf-8')}\n}} }} WHERE {{}}")
        self._dataset = None

    def _gsp_put(self, graph: str, data: bytes, method: str = "PUT") -> None:
        """Send N-Triples ``data`` to ``graph`` over the Graph Store Protocol: PUT replaces, POST adds."""
        url = self.endpoint.gsp_url
        target = url + ("&" if "?" in url else "?") + urllib.parse.urlencode({"graph": graph})
        request = urllib.request.Request(target, data=data, method=method,
                                         headers={"Content-Type": "application/n-triples"})
        try:
            self._authorise(request)
            with urllib.request.urlopen(request, timeout=self.endpoint.timeout_s) as answer:
                answer.read()
        except urllib.error.HTTPError as err:
            if err.code == 401:
                raise EndpointError(f"{url} refused the credentials (HCKG_ENDPOINT_USER, HCKG_ENDPOINT_PASSWORD, "
                                    "HCKG_ENDPOINT_AUTH)") from err
            raise EndpointError(f"{url} refused the upload of {graph} (HTTP {err.code}): "
                                f"{err.read()[:2000].decode('utf-8', 'replace')}") from err
        except (urllib.error.URLError, socket.timeout, ConnectionError) as err:
            raise EndpointError(f"cannot reach the Graph Store endpoint {url}: {err}") from err

    def _authorise(self, request: urllib.request.Request) -> None:
        """Put the credentials on ``request`` before its body is sent. Answering with a challenge first
        and the body a second time fails for a large body: Virtuoso sends its 401 and closes the
        connection while the body is still being written (``Broken pipe``, measured at 1M triples). So
        digest asks for its challenge with an empty POST (which adds nothing) and answers it up front."""
        user, password = self.endpoint.user, self.endpoint.password
        if not user:
            return
        if self.endpoint.auth == "basic":
            token = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
            request.add_unredirected_header("Authorization", f"Basic {token}")
            return
        probe = urllib.request.Request(request.full_url, data=b"", method="POST",
                                       headers={"Content-Type": "application/n-triples"})
        try:
            with urllib.request.urlopen(probe, timeout=self.endpoint.timeout_s) as answer:
                answer.read()
                return  # no challenge: the endpoint wants no credentials
        except urllib.error.HTTPError as err:
            if err.code != 401:
                raise
            challenge = err.headers.get("WWW-Authenticate", "")
        scheme, _, params = challenge.partition(" ")
        if scheme.lower() != "digest":
            raise EndpointError(f"{self.endpoint.gsp_url} asks for {scheme or 'no'} authentication, "
                                "not digest (HCKG_ENDPOINT_AUTH)")
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, request.full_url, user, password)
        fields = urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(params)))
        answer_to = urllib.request.HTTPDigestAuthHandler(passwords).get_authorization(request, fields)
        if answer_to is None:
            raise EndpointError(f"{self.endpoint.gsp_url} sent a digest challenge HCKG cannot answer: {challenge}")
        request.add_unredirected_header("Authorization", f"Digest {answer_to}")

    def add_chunk(self, graph: str, chunk: Chunk) -> None:
        """Add one chunk's triples to ``graph`` (a Graph Store POST, else an INSERT): one request."""
        if self.endpoint.gsp_url:
            self._gsp_put(graph, chunk.data, method="POST")
        else:
            # INSERT ... WHERE {} rather than INSERT DATA: Virtuoso refuses blank nodes in INSERT DATA.
            self._post_update(f"INSERT {{ GRAPH {_quote_iri(graph)} {{\n{chunk.data.decode('utf-8')}\n}} }} WHERE {{}}")

    def upload_chunks(self, graph: str, chunks: Iterable[Chunk], parallel: int = PARALLEL_UPLOADS) -> int:
        """Add every chunk to ``graph``, up to ``parallel`` requests at a time while the next chunks are
        serialised (a pipeline). Returns the triples sent; the first failed request's error is raised
        after the others have ended (the caller drops the staged graph)."""
        sent = 0
        with ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="hckg-upload") as pool:
            pending: set[Future[None]] = set()
            try:
                for chunk in chunks:
                    if len(pending) >= parallel:
                        done, pending = wait(pending, return_when=FIRST_COMPLETED)
                        for future in done:
                            future.result()
                    pending.add(pool.submit(self.add_chunk, graph, chunk))
                    sent += chunk.triples
            finally:
                done, _ = wait(pending)
            for future in done:
                future.result()
        self._dataset = None
        return sent

    # -- the Store interface ----------------------------------------------------------------------

    def dataset(self) -> list[str]:
        """HCKG's graphs on the engine: every graph but the engine's own and the staging graphs."""
        if self._dataset is None or time.monotonic() - self._dataset_at > DATASET_TTL_S:
            rows = self._ask_engine(GRAPH_NAMES, None, None)
            assert isinstance(rows, ox.QuerySolutions)
            names = {row["g"].value for row in rows}  # type: ignore[index]
            self._dataset = sorted(g for g in names if g not in ENGINE_GRAPHS and not g.startswith(STAGING))
            self._only_ours = len(self._dataset) == len(names)
            self._dataset_at = time.monotonic()
        return self._dataset

    def _engine_union(self) -> bool:
        """True when the engine's own default graph is the union of its graphs (Oxigraph server with
        ``--union-default-graph``, Virtuoso), found by asking for one triple of a named graph without
        a GRAPH pattern. Once known, it is not asked again."""
        if self._union is None:
            rows = self._ask_engine("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o FILTER(isIRI(?s) && !isBlank(?o)) } } "
                                    "LIMIT 1", None, None)
            found = list(rows)  # type: ignore[arg-type]
            if not found:
                return False  # nothing stored yet: name the dataset until there is something to ask about
            row = found[0]
            self._union = bool(self._ask_engine(f"ASK {{ {row['s']} {row['p']} {row['o']} }}", None, None))
        return self._union

    def _reader_dataset(self) -> list[str] | None:
        """The dataset a read names, or None when the engine's default graph already is exactly it: on
        Oxigraph server a named list of 13 graphs made the gate's checks 5x slower (23 ms vs 4.5 ms)."""
        graphs = self.dataset()
        if self._only_ours and self._engine_union():
            return None
        return graphs

    def query(self, sparql: str, use_default_graph_as_union: bool = True, default_graph: Any = None,
              named_graphs: Any = None) -> QueryAnswer:
        """Run a query over the union of HCKG's graphs (or the given dataset, as ``pyoxigraph.Store.query``)."""
        if default_graph is None and named_graphs is None:
            graphs = self._reader_dataset()
            return self._ask_engine(sparql, graphs, graphs)
        default = [g.value if isinstance(g, ox.NamedNode) else str(g) for g in default_graph or ()]
        named = [g.value if isinstance(g, ox.NamedNode) else str(g) for g in named_graphs or ()]
        # An empty default graph must stay empty: name a graph that holds nothing.
        return self._ask_engine(sparql, default or [STAGING + "empty"], named or [STAGING + "empty"])

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update as the engine receives it (one request)."""
        self._post_update(sparql)

    def replace_graph(self, graph: str, triples: rdflib.Graph) -> None:
        """Stage ``triples`` under a temporary name, then swap them in with one update request."""
        staged = self.staged()
        try:
            staged.replace_graph(graph, triples)
            staged.commit()
        except BaseException:
            staged.discard()
            raise

    def graphs(self) -> list[GraphInfo]:
        rows = self._ask_engine(GRAPH_SIZES, None, None)
        assert isinstance(rows, ox.QuerySolutions)
        counts = {row["g"].value: int(row["n"].value) for row in rows}  # type: ignore[index]
        return [GraphInfo(g, n) for g, n in sorted(counts.items())
                if g not in ENGINE_GRAPHS and not g.startswith(STAGING)]

    def graph_names(self) -> list[str]:
        return self.dataset()

    def graph_exists(self, graph: str) -> bool:
        return graph in self.dataset()

    def remove_graph(self, graph: str) -> None:
        self._post_update(f"DROP SILENT GRAPH {_quote_iri(graph)}")

    def as_rdflib(self, graphs: list[str] | None = None) -> rdflib.Graph:
        """The union of ``graphs`` (default: all of HCKG's graphs) as an rdflib graph."""
        return _as_rdflib(self, graphs)

    def construct_rdflib(self, sparql: str) -> rdflib.Graph:
        return _construct_rdflib(self, sparql)

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad of HCKG's graphs (blank nodes keep their labels within this one answer)."""
        rows = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(rows, ox.QuerySolutions)
        return iter([ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows])  # type: ignore[arg-type,index]

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat) -> None:
        if fmt in DATASET_FORMATS:
            ox.serialize(self.quads(), output, fmt)
            return
        union = self.query(UNION)
        ox.serialize(union, output, fmt, prefixes=PREFIXES)  # type: ignore[arg-type]

    def staged(self, keep_live: bool = True) -> StagedStore:
        """A write in progress: see ``StagedStore``; ``keep_live=False`` starts from an empty dataset (a build)."""
        return StagedStore(self, keep_live)

    def close(self) -> None:
        """Nothing to release: every request is its own connection."""


def _as_rdflib(store: RemoteStore | StagedStore, graphs: list[str] | None) -> rdflib.Graph:
    if graphs is None:
        return _construct_rdflib(store, UNION)
    if not graphs:
        return rdflib.Graph()
    return _construct_rdflib(store, union_of([_quote_iri(g)[1:-1] for g in graphs]))


def _construct_rdflib(store: RemoteStore | StagedStore, sparql: str) -> rdflib.Graph:
    answer = store.query(sparql)
    if not isinstance(answer, ox.QueryTriples):
        raise BadQuery("expected a CONSTRUCT query")
    return rdflib.Graph().parse(data=ox.serialize(answer, format=ox.RdfFormat.N_TRIPLES), format="nt")


class StagedStore:
    """A write to a remote store in progress, seen as a store of its own (what ``hckg.gate.write`` calls a copy).

    Graphs written here go to temporary graphs; ``GRAPH <g>`` in query and update text is pointed at
    the temporary graph (or at nothing, for a removed one), and every request names the staged
    dataset, so the gate and inference see the store as it will be. ``commit`` swaps everything in
    with one update request; ``discard`` drops the temporary graphs.
    """

    bulk_loads_files = True
    updates_on_a_copy = False
    counts_before_negation = True
    path: Path | None = None

    def __init__(self, remote: RemoteStore, keep_live: bool = True) -> None:
        self.remote = remote
        self._id = uuid.uuid4().hex[:12]
        # names, not sizes: counting every triple of a 1M store took Virtuoso 20-80 s per call
        self._live = [g for g in remote.dataset() if g != FOCUS_GRAPH]
        self._removed: set[str] = set() if keep_live else set(self._live)
        self._temp: dict[str, str] = {}

    def _physical(self, graph: str) -> str:
        if graph in self._temp:
            return self._temp[graph]
        if graph in self._removed:
            return f"{STAGING}{self._id}:gone"
        return graph

    def _rewrite(self, sparql: str) -> str:
        return _GRAPH_IRI.sub(lambda m: f"{m.group(1)}<{self._physical(m.group(2))}>", sparql)

    def _dataset(self) -> list[str]:
        kept = [g for g in self._live if g not in self._removed and g not in self._temp]
        return kept + list(self._temp.values()) + [FOCUS_GRAPH]

    def _real_name(self) -> dict[str, str]:
        return {temp: real for real, temp in self._temp.items()}

    def _new_temp(self, graph: str) -> str:
        if graph in self._temp:
            self.remote._post_update(f"DROP SILENT GRAPH <{self._temp[graph]}>")
        temp = f"{STAGING}{self._id}:{len(self._temp)}-{uuid.uuid4().hex[:6]}"
        self._temp[graph] = temp
        self._removed.discard(graph)
        return temp

    def query(self, sparql: str) -> QueryAnswer:
        dataset = self._dataset()
        return self.remote._ask_engine(self._rewrite(sparql), dataset, dataset)

    def update(self, sparql: str) -> None:
        dataset = self._dataset()
        self.remote._post_update(self._rewrite(sparql), dataset, dataset)

    def replace_graph(self, graph: str, triples: rdflib.Graph) -> None:
        self.remote.upload(self._new_temp(_quote_iri(graph)[1:-1]), triples)
        log.info("staged %s: %d triples", graph, len(triples))

    def remove_graph(self, graph: str) -> None:
        if graph in self._temp:
            self.remote._post_update(f"DROP SILENT GRAPH <{self._temp.pop(graph)}>")
        self._removed.add(graph)

    def graph_exists(self, graph: str) -> bool:
        return graph in self._temp or (graph in self._live and graph not in self._removed)

    def graph_names(self) -> list[str]:
        """The graphs of the write as it stands, from its own bookkeeping: asking the engine counted every
        triple of the staged dataset (inference and the gate ask for the names several times per load)."""
        kept = [g for g in self._live if g not in self._removed and g not in self._temp]
        return sorted(kept + list(self._temp))

    def bulk_load_graph(self, graph: str, path: Path, fmt: ox.RdfFormat, base_iri: str) -> None:
        """Stage the triples of an RDF file as ``graph``: parsed here (the engine cannot read this machine's
        disk) and sent as N-Triples chunks, several requests at a time (``RemoteStore.upload_chunks``)."""
        temp = self._new_temp(_quote_iri(graph)[1:-1])
        sent = self.remote.upload_chunks(temp, file_chunks(path, fmt, base_iri))
        log.info("staged %s: %d triples from %s", graph, sent, path)

    def add_ntriples(self, graph: str, data: bytes) -> None:
        """Add N-Triples ``data`` to the staged ``graph`` (one request)."""
        target = self._physical(graph) if graph in self._temp else self._new_temp(graph)
        if data.strip():
            self.remote._post_update(f"INSERT {{ GRAPH <{target}> {{\n{data.decode('utf-8')}\n}} }} WHERE {{}}")

    def add_ntriples_file(self, graph: str, path: Path) -> None:
        self.add_ntriples(graph, path.read_bytes())

    def construct_to_file(self, sparql: str, path: Path) -> int:
        answer = self.query(sparql)
        if not isinstance(answer, ox.QueryTriples):
            raise BadQuery("expected a CONSTRUCT query")
        answer.serialize(str(path), ox.RdfFormat.N_TRIPLES)
        return path.stat().st_size

    def triple_count(self) -> int:
        return sum(g.triples for g in self.graphs())

    def graph_size(self, graph: str) -> int:
        """Triples in one graph, counted alone (not every graph's count, as ``graphs``)."""
        if not self.graph_exists(graph):
            return 0
        physical = self._physical(graph)
        rows = self.remote._ask_engine(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{physical}> {{ ?s ?p ?o }} }}",
                                       None, [physical])
        return int(next(iter(rows))["n"].value)  # type: ignore[call-overload,index]

    def fingerprint(self, graph: str) -> str:
        answer = self.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        assert isinstance(answer, ox.QuerySolutions)
        lines = sorted(f"{row['s']} {row['p']} {row['o']}" for row in answer)
        return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad of the staged dataset, under the graph names it will have after the commit."""
        rows = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(rows, ox.QuerySolutions)
        real = self._real_name()
        return iter([ox.Quad(r["s"], r["p"], r["o"], ox.NamedNode(real.get(r["g"].value, r["g"].value)))  # type: ignore[arg-type,index,union-attr]
                     for r in rows if r["g"].value != FOCUS_GRAPH])  # type: ignore[index,union-attr]

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat) -> None:
        if fmt in DATASET_FORMATS:
            ox.serialize(self.quads(), output, fmt)
            return
        ox.serialize((q.triple for q in self.quads()), output, fmt, prefixes=PREFIXES)

    def staged(self, keep_live: bool = True) -> StagedStore:
        raise HckgError("a staged write is already a copy; commit or discard it first")

    def graphs(self) -> list[GraphInfo]:
        dataset = self._dataset()
        rows = self.remote._ask_engine(GRAPH_SIZES,
                                       dataset, dataset)
        assert isinstance(rows, ox.QuerySolutions)
        real = self._real_name()
        counts = {real.get(row["g"].value, row["g"].value): int(row["n"].value) for row in rows}  # type: ignore[index]
        names = set(counts) | set(self._temp)
        return [GraphInfo(g, counts.get(g, 0)) for g in sorted(names)]

    def as_rdflib(self, graphs: list[str] | None = None) -> rdflib.Graph:
        if graphs is None:
            return _as_rdflib(self, None)
        return _as_rdflib(self, [self._physical(g) for g in graphs])

    def construct_rdflib(self, sparql: str) -> rdflib.Graph:
        return _construct_rdflib(self, sparql)

    def materialise_rules(self, rules: tuple[InferenceRule, ...], graph: str, max_rounds: int) -> int:
        """``hckg.gate.infer``'s rules run inside the engine: each CONSTRUCT becomes an INSERT of what no graph
        holds yet, round after round until nothing is new. No triple crosses the network, blank nodes included.

        Semi-naive, as ``hckg.gate.infer.materialise``: after the first round a rule runs only when the last
        round's findings can feed it (``_fed_by``) and reads one of its premises from what was
        found. At 1M triples on Virtuoso the second round, each rule again over the whole store, took longer
        than the first and found nothing (bench/virtuoso_load.py). "What no graph holds yet" is a MINUS, and in
        the first round the graph being written is left out of the dataset: Virtuoso 7.2.5 took 94 s for the
        subclass rule's 198,588 types as ``FILTER NOT EXISTS`` over a dataset holding the graph it inserts
        into, 15.5 s as this (docs/benchmarks-issue16.md)."""
        self.remove_graph(graph)
        temp = self._new_temp(graph)
        before_rounds = [g for g in self._dataset() if g != temp]
        total, active = 0, list(rules)
        for round_ in range(max_rounds):
            found: list[InferenceRule] = []
            for rule in active:
                started = time.monotonic()
                if round_ == 0:
                    self.remote._post_update(self._rewrite(_insert(rule, temp)), before_rounds, before_rounds)
                else:
                    self.update(_insert(rule, temp, premises_from=temp))
                now = self._count(temp)
                log.info("inference round %d, rule %s: %d new triples in %.1f s", round_, rule.template.strip(),
                         now - total, time.monotonic() - started)
                if now > total:
                    found.append(rule)
                total = now
            if not found:
                break
            active = [rule for rule in rules if _fed_by(rule, found)]
        return total

    def _count(self, physical: str) -> int:
        rows = self.remote._ask_engine(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{physical}> {{ ?s ?p ?o }} }}",
                                       None, [physical])
        return int(next(iter(rows))["n"].value)  # type: ignore[call-overload,index]

    def commit(self) -> None:
        """Swap the staged graphs in and drop the removed ones: one update request, one transaction."""
        steps = [f"DROP SILENT GRAPH <{g}>" for g in sorted(self._removed) if g not in self._temp]
        for real, temp in sorted(self._temp.items()):
            steps += [f"DROP SILENT GRAPH <{real}>", f"MOVE SILENT GRAPH <{temp}> TO GRAPH <{real}>"]
        steps.append(f"DROP SILENT GRAPH <{FOCUS_GRAPH}>")
        self.remote._post_update(" ;\n".join(steps))
        self._temp.clear()
        self._removed.clear()

    def discard(self) -> None:
        """Drop every temporary graph of this write (and the gate's scratch graph); the live ones stay."""
        steps = [f"DROP SILENT GRAPH <{temp}>" for temp in self._temp.values()] + [f"DROP SILENT GRAPH <{FOCUS_GRAPH}>"]
        self._temp.clear()
        try:
            self.remote._post_update(" ;\n".join(steps))
        except HckgError as err:
            log.warning("could not drop the staging graphs of a failed write: %s", err)

    def close(self) -> None:
        """Nothing to flush: ``commit`` or ``discard`` ends the write."""


def _insert(rule: InferenceRule, graph: str, premises_from: str | None = None) -> str:
    """An INSERT into ``graph`` of what ``rule`` entails and no graph of the dataset holds; with
    ``premises_from``, at least one premise read from that graph (a later round of semi-naive evaluation;
    a rule without premises reads everything)."""
    body = rule.body
    if premises_from is not None and rule.premises:
        body = " UNION ".join(f"{{ {rule.body.replace(p, f'GRAPH <{premises_from}> {{ {p} }}')} }}"
                              for p in rule.premises)
    return (f"{rule.prologue}INSERT {{ GRAPH <{graph}> {{ {rule.template} }} }} "
            f"WHERE {{ {{ SELECT * WHERE {{ {body} }} }} MINUS {{ {rule.template} }} }}")


def _fed_by(rule: InferenceRule, finders: list[InferenceRule]) -> bool:
    """Whether what ``finders`` found last round can be a premise of ``rule``: a closed rule learns nothing
    from its own findings, and a premise with a fixed predicate only from a rule that can entail that
    predicate (as ``hckg.gate.infer._fed``, decided from the templates instead of the findings)."""
    wanted = set(rule.predicates) or {None}
    for finder in finders:
        if rule.closed and finder is rule:
            continue
        if None in wanted or finder.produces is None or finder.produces in wanted:
            return True
    return False
