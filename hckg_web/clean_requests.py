"""Refuse request lines no route can honour (bad UTF-8, NUL and other control bytes, oversized query
strings) with 400 or 414 before routing, so no handler meets them and answers 500.

The server decodes ``%ff%fe`` to replacement characters and ``%00`` to a NUL that later breaks an IRI,
a file name or an XML answer; here the raw bytes are checked once, for every route.
"""

from __future__ import annotations

import json
import re
from typing import Any, Awaitable, Callable
from urllib.parse import unquote_to_bytes

from hckg.errors import HckgError
from hckg.iris import BadIri, checked_iri

MAX_QUERY_STRING = 1_000_000
"""Bytes of query string accepted (a long SPARQL query fits; more goes by POST)."""
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters no parameter of HCKG takes (tab and line breaks are fine in a query)."""
_PATH_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class BadRequest(HckgError):
    """A request line HCKG cannot read: bad UTF-8 or control characters in the path or a parameter."""


class TooLong(HckgError):
    http_status = 414


def _decoded(raw: bytes, what: str, plus: bool = False) -> str:
    if plus:
        raw = raw.replace(b"+", b" ")
    try:
        return unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError as err:
        raise BadRequest(f"{what} is not UTF-8 once percent-decoded (byte {err.start}); encode it as UTF-8") from None


def check_request_line(raw_path: bytes, query_string: bytes) -> None:
    """Raise BadRequest or TooLong for a path or query string no route can take."""
    path = _decoded(raw_path, "the path")
    if _PATH_CONTROL.search(path):
        raise BadRequest(f"the path {path[:80]!r} holds a control character (NUL, line break ...); no resource has one")
    if len(query_string) > MAX_QUERY_STRING:
        raise TooLong(f"the query string has {len(query_string)} bytes; this server takes {MAX_QUERY_STRING} "
                      "(send a long query by POST)")
    for part in query_string.split(b"&"):
        name, _, value = part.partition(b"=")
        key = _decoded(name, "a parameter name", plus=True)
        text = _decoded(value, f"parameter {key[:40]!r}", plus=True)
        if _CONTROL.search(key) or _CONTROL.search(text):
            raise BadRequest(f"parameter {key[:40]!r} holds a control character (NUL ...); no parameter takes one")


def iri_parameter(name: str, value: str) -> str:
    """``value`` when it is a usable IRI, else a 400 naming the parameter."""
    from hckg.errors import BadParameter

    try:
        return checked_iri(value)
    except BadIri as err:
        raise BadParameter(name, value, str(err)) from None


class CleanRequests:
    """ASGI middleware: ``check_request_line`` on every HTTP request, answering the error as JSON."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            raw = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "surrogateescape")
            try:
                check_request_line(raw, scope.get("query_string", b""))
            except HckgError as error:
                from .app import error_body

                body = json.dumps(error_body(error)).encode()
                await send({"type": "http.response.start", "status": error.http_status,
                            "headers": [(b"content-type", b"application/json"),
                                        (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
