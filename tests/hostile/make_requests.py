"""Writes tests/hostile/requests.yaml: the committed corpus of hostile requests (issue 17).

Run once after editing the families below (`python tests/hostile/make_requests.py`) and commit both.
Placeholders the test fills in: ``{listener}`` (a local port that counts connections). Big bodies are
written as parts ``{repeat: TEXT, times: N}`` so the YAML stays small.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

OUT = Path(__file__).with_name("requests.yaml")
L = "http://127.0.0.1:{listener}"
G = "https://w3id.org/hckg/graph/loads/hostile"
C = "https://w3id.org/hckg/id/community/"
UPDATE = {"Content-Type": "application/sparql-update"}
QUERY = {"Content-Type": "application/sparql-query"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
TTL = {"Content-Type": "text/turtle"}
entries: list[dict[str, Any]] = []


def add(name: str, method: str, path: str, *, body: Any = None, headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None, token: bool = False, expect: list[int] | None = None) -> None:
    entry: dict[str, Any] = {"name": name, "method": method, "path": path}
    if params:
        entry["params"] = params
    if headers:
        entry["headers"] = headers
    if body is not None:
        entry["body"] = body
    if token:
        entry["token"] = True
    if expect:
        entry["expect"] = expect
    entries.append(entry)


def rep(text: str, times: int) -> dict[str, Any]:
    return {"repeat": text, "times": times}


# -- LOAD: never fetched with the defaults (403), whatever the spelling ------------------------------
loads = [
    f"LOAD <{L}/x> INTO GRAPH <{G}>",
    f"LOAD SILENT <{L}/x>",
    "LOAD SILENT <http://169.254.169.254/latest/meta-data/>",
    "LOAD <http://169.254.169.254/latest/meta-data/iam/> INTO GRAPH <https://w3id.org/hckg/graph/loads/meta>",
    f"load <{L}/lower>",
    f"LoAd <{L}/mixed>",
    f"LOAD<{L}/nospace>",
    f"LOAD\n\t<{L}/tabs>",
    f"# a comment\nLOAD <{L}/after-comment> # LOAD",
    f"PREFIX x: <{L}/> LOAD x:prefixed",
    f"INSERT DATA {{ }} ; LOAD <{L}/second-operation>",
    f"LOAD <{L}/x> INTO GRAPH <https://w3id.org/hckg/graph/ontology>",
    "LOAD <file:///etc/passwd> INTO GRAPH <https://w3id.org/hckg/graph/loads/passwd>",
    f"LOAD <{L.replace('http', 'https')}/tls>",
    f"LOAD SILENT <{L}/x> INTO GRAPH <{G}> ; LOAD SILENT <{L}/y>",
    f"LOAD <{L}/x.rdf> INTO GRAPH <https://w3id.org/hckg/graph/meta>",
]
for i, text in enumerate(loads):
    add(f"load-{i:02}", "POST", "/sparql", body=text, headers=UPDATE, token=True, expect=[403])
add("load-form", "POST", "/sparql", body={"form": {"update": f"LOAD <{L}/form>"}}, headers=FORM, token=True,
    expect=[403])
add("load-get", "GET", "/sparql", params={"update": f"LOAD <{L}/get>"}, token=True, expect=[400, 403])  # updates: POST only
add("load-no-token", "POST", "/sparql", body=f"LOAD <{L}/no-token>", headers=UPDATE, expect=[403])
add("load-nested-in-nothing", "POST", "/sparql", body=f"LOAD <{L}/a> ; LOAD <{L}/b> ; LOAD <{L}/c>",
    headers=UPDATE, token=True, expect=[403])

# -- SERVICE: no federation with the defaults ---------------------------------------------------------
services = [
    f"SELECT * {{ SERVICE <{L}/sparql> {{ ?s ?p ?o }} }}",
    f"SELECT * {{ SERVICE SILENT <{L}/sparql> {{ ?s ?p ?o }} }}",
    f"ASK {{ service <{L}/lower> {{ }} }}",
    f"SELECT * {{ ?s ?p ?o OPTIONAL {{ SERVICE <{L}/opt> {{ ?s ?q ?r }} }} }} LIMIT 1",
    f"SELECT * {{ BIND(<{L}/var> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{L}/c> {{ ?s ?p ?o }} }}",
    "SELECT * { SERVICE <http://169.254.169.254/latest/meta-data/> { ?s ?p ?o } }",
]
for i, text in enumerate(services):
    add(f"service-get-{i:02}", "GET", "/sparql", params={"query": text}, expect=[403])
add("service-post", "POST", "/sparql", body=services[0], headers=QUERY, expect=[403])
add("service-in-update", "POST", "/sparql", headers=UPDATE, token=True, expect=[403],
    body=f"INSERT {{ GRAPH <{G}> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{L}/u> {{ ?s ?p ?o }} }}")
add("service-editor", "GET", "/editor", params={"plain": "1", "query": services[0]}, expect=[403])

# -- Parser bombs: deep nesting and long operator chains, refused before parsing (400) ---------------
bombs = {
    "braces": ["ASK ", rep("{", 50_000)],
    "braces-closed": ["ASK ", rep("{", 5_000), rep("}", 5_000)],
    "parens-filter": ["ASK { FILTER(", rep("(", 100_000), "1", rep(")", 100_000), ") }"],
    "not-chain": ["ASK { FILTER(", rep("!", 20_000), "true) }"],
    "plus-chain": ["ASK { FILTER(", rep("1+", 20_000), "1) }"],
    "and-chain": ["ASK { FILTER(", rep("true&&", 20_000), "true) }"],
    "times-chain": ["ASK { FILTER(", rep("1*", 20_000), "1) }"],
    "path-sequence": ["ASK { ?s ", rep("<http://p>/", 20_000), "<http://p> ?o }"],
    "path-alternative": ["ASK { ?s ", rep("<http://p>|", 20_000), "<http://p> ?o }"],
    "blank-node-brackets": ["ASK { ?s <http://p> ", rep("[ <http://p> ", 10_000), rep("]", 10_000), " }"],
    "collections": ["ASK { ?s <http://p> ", rep("(", 20_000), rep(")", 20_000), " }"],
    "unions": ["ASK { ", rep("{} UNION ", 20_000), "{} }"],
    "optionals": ["ASK { ", rep("OPTIONAL { ", 3_000), rep("}", 3_000), " }"],
    "subselects": ["SELECT * { ", rep("{ SELECT * WHERE ", 2_000), "{}", rep("}", 2_000), " }"],
    "minus": ["ASK { ", rep("MINUS { ?s ?p ?o } ", 20_000), "}"],
}
for name, parts in bombs.items():
    add(f"bomb-{name}", "POST", "/sparql", body=parts, headers=QUERY, expect=[400])
add("bomb-get", "GET", "/sparql", params={"query": ["ASK ", rep("{", 20_000)]}, expect=[400])
add("bomb-form", "POST", "/sparql", body={"form": {"query": ["ASK { FILTER(", rep("(", 50_000), "1) }"]}},
    headers=FORM, expect=[400])
add("bomb-update-braces", "POST", "/sparql", body=["INSERT DATA ", rep("{", 50_000)], headers=UPDATE, token=True,
    expect=[400])
add("bomb-update-where", "POST", "/sparql", headers=UPDATE, token=True, expect=[400],
    body=[f"DELETE {{ GRAPH <{G}> {{ ?s ?p ?o }} }} WHERE {{ FILTER(", rep("!", 20_000), "true) }"])
add("bomb-update-no-token", "POST", "/sparql", body=["INSERT DATA ", rep("{", 50_000)], headers=UPDATE,
    expect=[400, 403])
add("bomb-editor", "GET", "/editor", params={"plain": "1", "query": ["ASK ", rep("{", 20_000)]}, expect=[400])
add("bomb-ten-in-a-row-1", "POST", "/sparql", body=["ASK ", rep("{", 50_000)], headers=QUERY, expect=[400])
add("bomb-ten-in-a-row-2", "POST", "/sparql", body=["ASK ", rep("{", 50_000)], headers=QUERY, expect=[400])
add("bomb-ten-in-a-row-3", "POST", "/sparql", body=["ASK ", rep("{", 50_000)], headers=QUERY, expect=[400])

# -- NUL bytes and bad UTF-8 in paths: 400 or 404, never 500 ----------------------------------------
paths = [
    "/id/province/PV20%00x", "/id/province/%ff%fe", "/id/province/PV20%3E%20%3Chttp://x%3E",
    "/api/queries/label-search.csv%00", "/id/%00", "/id/province/%c3%28", "/id/province/%e0%80%80",
    "/id/province/%ed%a0%80", "/id/province/%f4%90%80%80", "/id/province/PV20%0d%0aSet-Cookie:%20x=1",
    "/def%00", "/dumps/%00", "/dumps/hckg.ttl.gz%00", "/dumps/%ff.ttl.gz", "/dumps/..%2f..%2fetc%2fpasswd",
    "/static/%ff", "/static/..%2f..%2f..%2fetc%2fpasswd", "/queries/%00", "/queries/%ff%fe",
    "/api/queries/%00", "/api/queries/label-search%ff", "/rdf-graphs%00", "/sparql%ff",
    "/id/province/PV20%22%3E%3Cscript%3E", "/id/province/%7B%7D", "/id/province/a%5Cb",
    "/id/province/%60cmd%60", "/id/province/%20", "/id/province/PV20%23frag%00",
    "/api/links/%00/accept", "/api/links/%ff/reject",
]
for i, path in enumerate(paths):
    method = "POST" if path.startswith("/api/links/") else "GET"
    add(f"path-{i:02}", method, path, token=method == "POST", expect=[400, 403, 404, 405])

# -- NUL bytes and bad UTF-8 in parameters --------------------------------------------------------------
raw_queries = [
    "/sparql?query=ASK%20%7B%7D%00", "/sparql?query=%ff%fe", "/sparql?query=ASK%7B%7D&format=%00",
    "/sparql?query=ASK%7B%7D&default-graph-uri=%00", "/sparql?query=ASK%7B%7D&named-graph-uri=%c3%28",
    "/rdf-graphs?graph=%00", "/rdf-graphs?graph=https://w3id.org/hckg/graph/meta%00",
    "/rdf-graphs?graph=%ff", "/api/queries/label-search?text=%00", "/api/queries/label-search?text=%ff%fe",
    "/api/queries/label-search?%00=x", "/api/queries/label-search?%ff=x", "/search?q=%00", "/search?q=%c0%af",
    "/editor?plain=1&query=%00", "/editor?plain=1&query=%ff", "/api/links?status=%00", "/queries/label-search?text=%00",
    "/id/province/PV20?format=%00", "/def?format=%ff", "/.well-known/void?format=%00", "/map?challenge=%00",
    "/network?resource=%ff", "/quality?lang=%00", "/monitor?community=%00",
]
for i, path in enumerate(raw_queries):
    add(f"param-{i:02}", "GET", path, expect=[400, 404, 406])
add("param-put-graph-nul", "PUT", "/rdf-graphs?graph=https://w3id.org/hckg/graph/loads/x%00", headers=TTL,
    token=True, body="", expect=[400])
add("param-delete-graph-bad-utf8", "DELETE", "/rdf-graphs?graph=%ff%fe", token=True, expect=[400])

# -- Bad IRIs in graph= and dataset parameters: 400 ----------------------------------------------------
bad_iris = ["a b <c>", "<>", "no-scheme", "http://[::1", "http://x/>", 'http://x/"', "http://x/{y}",
            "http://x/a b", "http://x/\\", "javascript:alert(1)>", "urn:x\t", "", " ", "http://x/^", "http://x/|"]
for i, iri in enumerate(bad_iris):
    add(f"iri-get-{i:02}", "GET", "/rdf-graphs", params={"graph": iri}, expect=[400, 404])
for i, iri in enumerate(bad_iris[:6]):
    add(f"iri-put-{i:02}", "PUT", "/rdf-graphs", params={"graph": iri}, headers=TTL, token=True,
        body=f"<{C}x> a <https://w3id.org/hckg/def#Fieldlab> .", expect=[400])
    add(f"iri-delete-{i:02}", "DELETE", "/rdf-graphs", params={"graph": iri}, token=True, expect=[400])
for i, iri in enumerate(bad_iris[:5]):
    add(f"iri-dataset-{i:02}", "GET", "/sparql", params={"query": "ASK {}", "default-graph-uri": iri}, expect=[400])
add("iri-named-graph", "GET", "/sparql", params={"query": "ASK {}", "named-graph-uri": "a b"}, expect=[400])

# -- Huge parameters ------------------------------------------------------------------------------------
add("huge-query-string", "GET", "/sparql", params={"query": ["ASK {} #", rep("x", 1_100_000)]},
    expect=[400, 414])  # uvicorn itself refuses request lines this long (400)
add("huge-text-param", "GET", "/api/queries/label-search", params={"text": [rep("x", 200_000)]},
    expect=[200, 400])
add("huge-graph-param", "GET", "/rdf-graphs", params={"graph": ["http://x/", rep("a", 100_000)]}, expect=[404])
add("huge-format", "GET", "/sparql", params={"query": "ASK {}", "format": [rep("x", 10_000)]},
    expect=[200, 400, 406])
add("many-params", "GET", "/api/queries/label-search?" + "&".join(f"p{i}=1" for i in range(3000)),
    expect=[400])
add("huge-accept", "GET", "/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/x" + "," * 5000},
    expect=[200, 406])
add("huge-post-query", "POST", "/sparql", body=["ASK {} #", rep("x", 2_000_000)], headers=QUERY, expect=[200, 400])
add("huge-update-comment", "POST", "/sparql", body=["#", rep("x", 2_000_000)], headers=UPDATE, token=True,
    expect=[204, 400])
add("duplicate-query", "GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", expect=[400])
add("query-and-update", "GET", "/sparql", params={"query": "ASK {}", "update": "CLEAR ALL"}, expect=[400, 403])

# -- Content types -----------------------------------------------------------------------------------------
for i, ctype in enumerate(["text/plain", "application/json", "", "multipart/form-data; boundary=x",
                           "application/sparql-query; charset=latin-1", "application/xml"]):
    media = ctype.split(";")[0]
    add(f"ctype-sparql-{i:02}", "POST", "/sparql", body="ASK {}", headers={"Content-Type": ctype} if ctype else None,
        expect=([400] if "charset=latin-1" in ctype else [200]) if media == "application/sparql-query" else [415])
for i, ctype in enumerate(["text/html", "application/octet-stream", "application/x-www-form-urlencoded", "",
                           "image/png", "text/turtle2; charset=utf-8"]):
    add(f"ctype-put-{i:02}", "PUT", "/rdf-graphs", params={"graph": G}, token=True,
        headers={"Content-Type": ctype} if ctype else None, body="<http://x/s> <http://x/p> <http://x/o> .",
        expect=[400, 415])
add("ctype-volgsysteem-xml", "POST", "/volgsysteem", headers={"Content-Type": "application/xml"}, token=True,
    body="<x/>", expect=[400, 415])

# -- Bodies: bad encodings, bombs, entities, NUL, formula-start labels --------------------------------
add("body-turtle-bad-utf8", "PUT", "/rdf-graphs", params={"graph": G}, headers=TTL, token=True,
    body={"latin1": f'<{C}x> <http://schema.org/name> "caf\xe9" .'}, expect=[400])
add("body-turtle-syntax", "PUT", "/rdf-graphs", params={"graph": G}, headers=TTL, token=True,
    body="<http://x/s> <http://x/p> .", expect=[400])
add("body-ntriples-deep", "PUT", "/rdf-graphs", params={"graph": G}, token=True,
    headers={"Content-Type": "application/n-triples"}, body=["<http://x/s> <http://x/p> ", rep("(", 50_000)],
    expect=[400])
add("body-turtle-deep-collections", "PUT", "/rdf-graphs", params={"graph": G}, headers=TTL, token=True,
    body=["<http://x/s> <http://x/p> ", rep("(", 50_000), rep(")", 50_000), " ."], expect=[400])
add("body-turtle-deep-blank-nodes", "PUT", "/rdf-graphs", params={"graph": G}, headers=TTL, token=True,
    body=["<http://x/s> <http://x/p> ", rep("[ <http://x/p> ", 50_000), rep("]", 50_000), " ."], expect=[400])
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
          + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(7))
          + ']><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:s="http://schema.org/">'
          '<rdf:Description rdf:about="https://w3id.org/hckg/id/community/x"><s:name>&h;</s:name>'
          "</rdf:Description></rdf:RDF>")
add("body-rdfxml-billion-laughs", "PUT", "/rdf-graphs", params={"graph": G}, token=True,
    headers={"Content-Type": "application/rdf+xml"}, body=LAUGHS, expect=[400])
add("body-rdfxml-external-dtd", "PUT", "/rdf-graphs", params={"graph": G}, token=True,
    headers={"Content-Type": "application/rdf+xml"}, expect=[400],
    body=f'<?xml version="1.0"?><!DOCTYPE r SYSTEM "{L}/x.dtd"><rdf:RDF '
         'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>')
add("body-rdfxml-external-entity", "PUT", "/rdf-graphs", params={"graph": G}, token=True,
    headers={"Content-Type": "application/rdf+xml"}, expect=[400],
    body=f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "{L}/e">]><rdf:RDF '
         'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:s="http://schema.org/">'
         '<rdf:Description rdf:about="http://x/s"><s:name>&e;</s:name></rdf:Description></rdf:RDF>')
add("body-rdfxml-file-entity", "PUT", "/rdf-graphs", params={"graph": G}, token=True,
    headers={"Content-Type": "application/rdf+xml"}, expect=[400],
    body='<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><rdf:RDF '
         'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:s="http://schema.org/">'
         '<rdf:Description rdf:about="http://x/s"><s:name>&e;</s:name></rdf:Description></rdf:RDF>')
add("body-jsonld-remote-context", "PUT", "/rdf-graphs", params={"graph": G}, token=True,
    headers={"Content-Type": "application/ld+json"}, expect=[400],
    body='{"@context": "' + L + '/context.jsonld", "@id": "http://x/s", "name": "x"}')
add("body-jsonld-deep", "PUT", "/rdf-graphs", params={"graph": G}, token=True,
    headers={"Content-Type": "application/ld+json"}, expect=[400], body=[rep("[", 50_000), rep("]", 50_000)])
add("body-nul-literal-update", "POST", "/sparql", headers=UPDATE, token=True, expect=[400],
    body=f'INSERT DATA {{ GRAPH <{G}> {{ <{C}rdm-centre-of-expertise> <http://www.w3.org/2004/02/skos/core#altLabel> '
         '"a\\u0000b" } }')
add("body-nul-literal-turtle", "PUT", "/rdf-graphs", params={"graph": G}, headers=TTL, token=True, expect=[400], body=f'<{C}x> a <https://w3id.org/hckg/def#Fieldlab> ; '
                     '<http://www.w3.org/2000/01/rdf-schema#label> "x\\u0000y"@nl .')
for i, label in enumerate(['=HYPERLINK("http://evil.example/x","click")', "+SUM(1,2)", "@SUM(1)",
                           "=cmd|' /C calc'!A0", "\\u0007bell"]):
    add(f"formula-update-{i}", "POST", "/sparql", headers=UPDATE, token=True, expect=[400],
        body=f'INSERT DATA {{ GRAPH <{G}> {{ <{C}rdm-centre-of-expertise> '
             f'<http://www.w3.org/2004/02/skos/core#altLabel> """{label}"""@nl }} }}')
add("formula-csv", "PUT", "/rdf-graphs", params={"graph": G}, headers={"Content-Type": "text/csv"}, token=True,
    expect=[400],
    body="name,type,lead_institution,partners,city,province,topsectors,societal_challenge,start_year,website,"
         'source_url\n"=HYPERLINK(""http://evil.example/x"",""click"")",Fieldlab,,,Groningen,Groningen,Energie,'
         "Energietransitie,2021,,https://example.org/x\n")

# -- Writes the gate must refuse: ontology terms, foreign untyped subjects, protected graphs ---------
add("write-ontology-term-label", "POST", "/sparql", headers=UPDATE, token=True, expect=[400, 403],
    body=f'INSERT DATA {{ GRAPH <{G}> {{ <https://w3id.org/hckg/def#Province> '
         '<http://www.w3.org/2000/01/rdf-schema#label> "Hacked"@nl } }')
add("write-foreign-subject-update", "POST", "/sparql", headers=UPDATE, token=True, expect=[400],
    body=f'INSERT DATA {{ GRAPH <{G}> {{ <http://evil.example/x> <http://evil.example/p> "junk" }} }}')
add("write-foreign-subject-put", "PUT", "/rdf-graphs", params={"graph": G}, headers=TTL, token=True, expect=[400], body='<http://evil.example/x> <http://evil.example/p> "junk" .')
add("write-ontology-graph-update", "POST", "/sparql", headers=UPDATE, token=True, expect=[400, 403],
    body='INSERT DATA { GRAPH <https://w3id.org/hckg/graph/ontology> { <http://x/s> <http://x/p> "x" } }')
add("write-meta-graph-put", "PUT", "/rdf-graphs", params={"graph": "https://w3id.org/hckg/graph/meta"},
    headers=TTL, token=True, body="<http://x/s> <http://x/p> <http://x/o> .", expect=[400, 403])
add("write-drop-ontology", "DELETE", "/rdf-graphs", params={"graph": "https://w3id.org/hckg/graph/ontology"},
    token=True, expect=[400, 403])
add("write-drop-unknown", "DELETE", "/rdf-graphs", params={"graph": "https://w3id.org/hckg/graph/loads/none"},
    token=True, expect=[400, 404])
add("write-clear-all", "POST", "/sparql", headers=UPDATE, token=True, body="CLEAR ALL", expect=[400, 403])
add("write-drop-all", "POST", "/sparql", headers=UPDATE, token=True, body="DROP ALL", expect=[400, 403])
add("write-update-syntax", "POST", "/sparql", headers=UPDATE, token=True, body="INSERT DATA { <", expect=[400])
add("write-update-bad-iri", "POST", "/sparql", headers=UPDATE, token=True, expect=[400],
    body="INSERT DATA { GRAPH <a b> { <http://x/s> <http://x/p> <http://x/o> } }")
add("write-update-bad-utf8", "POST", "/sparql", headers=UPDATE, token=True, expect=[400],
    body={"latin1": 'INSERT DATA { GRAPH <https://w3id.org/hckg/graph/loads/h> { <http://x/s> <http://x/p> "\xff" } }'})
add("query-bad-utf8-body", "POST", "/sparql", headers=QUERY, body={"latin1": 'ASK { ?s ?p "caf\xe9" }'}, expect=[400])
add("write-link-unknown", "POST", "/api/links/no-such-link/accept", token=True, expect=[400, 404])
add("write-link-nul-by", "POST", "/api/links/no-such-link/reject?by=%00", token=True, expect=[400])
add("write-volgsysteem-empty", "POST", "/volgsysteem", headers=FORM, token=True, body={"form": {}}, expect=[400])

# -- Without the token, or with a wrong one: 403 and nothing runs -------------------------------------
for i, (method, path, body, headers) in enumerate([
    ("POST", "/sparql", "CLEAR ALL", UPDATE),
    ("POST", "/sparql", f"LOAD <{L}/x>", UPDATE),
    ("PUT", f"/rdf-graphs?graph={G}", "<http://x/s> <http://x/p> <http://x/o> .", TTL),
    ("DELETE", "/rdf-graphs?graph=https://w3id.org/hckg/graph/ontology", None, None),
    ("POST", "/volgsysteem", "community=x", FORM),
    ("POST", "/api/links/x/accept", None, None),
]):
    add(f"no-token-{i}", method, path, body=body, headers=headers, expect=[403])
    add(f"wrong-token-{i}", method, path, body=body, headers={**(headers or {}), "Authorization": "Bearer nope"},
        expect=[403])
add("token-basic-scheme", "POST", "/sparql", body="CLEAR ALL",
    headers={**UPDATE, "Authorization": "Basic dGVzdA=="}, expect=[403])
add("token-huge", "POST", "/sparql", body="CLEAR ALL", headers={**UPDATE, "Authorization": "Bearer " + "x" * 10_000},
    expect=[403])

# -- Odd methods and headers -------------------------------------------------------------------------
add("method-patch", "PATCH", "/rdf-graphs", params={"graph": G}, token=True, expect=[405])
add("method-delete-sparql", "DELETE", "/sparql", token=True, expect=[405])
add("accept-garbage", "GET", "/sparql", params={"query": "ASK {}"}, headers={"Accept": ";;;q=x,,*/*;q=abc"},
    expect=[200, 406])
add("accept-none", "GET", "/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"}, expect=[406])
add("format-unknown", "GET", "/id/province/PV20", params={"format": "exe"}, expect=[200, 400, 406])
add("saved-query-traversal", "GET", "/api/queries/..%2f..%2fpyproject", expect=[404])
add("saved-query-bad-suffix", "GET", "/api/queries/label-search.exe", expect=[404])

class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


OUT.write_text("# Hostile requests (issue 17), written by make_requests.py; each must answer below 500.\n"
               + yaml.dump(entries, Dumper=_NoAliases, sort_keys=False, allow_unicode=False, width=120), encoding="utf-8")
print(f"{len(entries)} requests -> {OUT}")
