"""The server's OpenAPI document is valid (openapi-spec-validator) and declares what the handlers read."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator

from hckg.config import Settings
from hckg_web import create_app


@pytest.fixture(scope="module")
def document(settings: Settings) -> dict[str, Any]:
    return create_app(settings).openapi()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, item in document["paths"].items() for method, op in item.items()
            if method in ("get", "put", "post", "delete", "patch", "head", "options")]


def test_the_document_has_no_validation_errors(document: dict[str, Any]) -> None:
    errors = [error.message for error in OpenAPIV31SpecValidator(document).iter_errors()]
    assert errors == []


def test_every_operation_id_is_unique(document: dict[str, Any]) -> None:
    ids = Counter(op.get("operationId") for _, _, op in operations(document))
    assert None not in ids and [i for i, n in ids.items() if n > 1] == []


def test_the_sparql_operations_declare_their_protocol_parameters(document: dict[str, Any]) -> None:
    get = {p["name"] for p in document["paths"]["/sparql"]["get"]["parameters"]}
    post = document["paths"]["/sparql"]["post"]
    assert {"query", "default-graph-uri", "named-graph-uri", "format"} <= get
    assert {"using-graph-uri", "using-named-graph-uri"} <= {p["name"] for p in post["parameters"]}
    assert {"application/sparql-query", "application/sparql-update", "application/x-www-form-urlencoded"} <= set(
        post["requestBody"]["content"])


def test_every_path_parameter_is_declared(document: dict[str, Any]) -> None:
    for path, method, op in operations(document):
        declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
        wanted = {piece[1:-1].split(":")[0] for piece in path.split("/") if piece.startswith("{")}
        assert wanted <= declared, f"{method.upper()} {path}"
