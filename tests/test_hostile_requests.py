"""The committed corpus of hostile requests (tests/hostile/requests.yaml, issue 17) against a served store
with a write token: no answer is 5xx, none changes the store, and none makes the server connect anywhere."""

from __future__ import annotations

import shutil
import socket
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
import yaml

from hckg.store.oxigraph import fresh_store_dir, swap_in
from server_helpers import WRITE_TOKEN, start, stop

pytestmark = pytest.mark.slow  # a server process and 223 requests (~3 min)

CORPUS = Path(__file__).parent / "hostile" / "requests.yaml"
ENTRIES: list[dict[str, Any]] = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))


class Listener:
    """A local TCP port that counts the connections made to it (none should be)."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.socket.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


@pytest.fixture(scope="module")
def listener() -> Listener:
    return Listener()


@pytest.fixture(scope="module")
def hostile_server(store, tmp_path_factory):  # type: ignore[no-untyped-def]
    """A server with a write token over a private copy of the built store (the corpus tries to change it)."""
    path = tmp_path_factory.mktemp("hostile") / "store"
    fresh = fresh_store_dir(path)
    shutil.rmtree(fresh)
    store.backup(fresh)
    swap_in(fresh, path)
    running = start(str(path), env={"HCKG_WRITE_TIMEOUT": "60", "HCKG_WORKERS": "2"})
    yield running
    stop(running)


def _text(value: Any, port: int) -> str:
    if isinstance(value, list):
        return "".join(_text(part, port) for part in value)
    if isinstance(value, dict) and "repeat" in value:
        return str(value["repeat"]) * int(value["times"])
    return str(value).replace("{listener}", str(port))


RAW_URL = 60_000
"""Longer URLs go by a plain socket: httpx refuses URLs (and query strings) over 64 kB."""


def build_request(entry: dict[str, Any], base: str, port: int) -> httpx.Request | tuple[str, str, dict[str, str], bytes]:
    """The corpus entry as an HTTP request: the path is sent as written (percent escapes kept)."""
    url = base + _text(entry["path"], port)
    if entry.get("params"):
        url += ("&" if "?" in url else "?") + urlencode({k: _text(v, port) for k, v in entry["params"].items()})
    headers = {k: _text(v, port) for k, v in (entry.get("headers") or {}).items()}
    if entry.get("token"):
        headers["Authorization"] = f"Bearer {WRITE_TOKEN}"
    body = entry.get("body")
    content: bytes | None = None
    if isinstance(body, dict) and "form" in body:
        content = urlencode({k: _text(v, port) for k, v in body["form"].items()}).encode()
    elif isinstance(body, dict) and "latin1" in body:
        content = _text(body["latin1"], port).encode("latin-1")
    elif body is not None:
        content = _text(body, port).encode("utf-8")
    if len(url) > RAW_URL:
        return entry["method"], url, headers, content or b""
    return httpx.Request(entry["method"], httpx.URL(url), headers=headers, content=content)


def send_raw(method: str, url: str, headers: dict[str, str], body: bytes) -> int:
    """Send one request over a plain socket; its status code."""
    rest = url.split("://", 1)[1]
    host, _, target = rest.partition("/")
    name, _, port = host.partition(":")
    head = f"{method} /{target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {len(body)}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    with socket.create_connection((name, int(port)), timeout=60) as conn:
        conn.sendall(head.encode("latin-1") + b"\r\n" + body)
        status_line = conn.makefile("rb").readline()
    return int(status_line.split()[1])


def _version(client: httpx.Client) -> str:
    return client.get("/sparql", params={"query": "ASK {}"}).headers["x-hckg-data-version"]


def test_the_corpus_is_big_and_its_names_are_unique():
    names = [e["name"] for e in ENTRIES]
    assert len(names) >= 150 and len(set(names)) == len(names)


OUTCOMES: dict[str, int] = {}


@pytest.mark.parametrize("entry", [pytest.param(e, id=e["name"]) for e in ENTRIES])
def test_a_hostile_request_is_answered_below_500_and_changes_nothing(entry, hostile_server, listener):
    with httpx.Client(base_url=hostile_server.url, timeout=60) as client:
        before, connections = _version(client), listener.connections
        request = build_request(entry, hostile_server.url, listener.port)
        if isinstance(request, tuple):
            answer = httpx.Response(send_raw(*request))
        else:
            answer = client.send(request)
        OUTCOMES[entry["name"]] = answer.status_code
        assert answer.status_code < 500, answer.text[:500]
        assert listener.connections == connections, "the request made the server connect to the listener"
        if entry.get("expect"):
            assert answer.status_code in entry["expect"], answer.text[:500]
        assert _version(client) == before, "the store changed"


def test_no_request_of_the_corpus_made_the_server_connect_anywhere(listener):
    assert OUTCOMES, "run with the corpus tests"
    assert listener.connections == 0
