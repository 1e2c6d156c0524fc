"""Synthetic parser bombs shared by the tests and bench/cli_startup.py (never real data)."""

LAUGHS = "\n".join(
    ['<?xml version="1.0"?>', "<!DOCTYPE rdf:RDF [", ' <!ENTITY lol "lol">']
    + [f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)]
    + ["]>", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"',
       '         xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">',
       '  <rdf:Description rdf:about="https://w3id.org/hckg/id/x"><rdfs:label>&lol9;</rdfs:label></rdf:Description>',
       "</rdf:RDF>", ""])
"""The classic "billion laughs": 10^9 copies of "lol" once the parser expands &lol9;."""
