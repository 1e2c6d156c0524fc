"""SIGTERM stops the server within 5 s while a runaway query and a runaway write are running (issue 17)."""

from __future__ import annotations

import signal
import threading
import time

import httpx
import pytest

from server_helpers import WRITE_TOKEN, start, stop

pytestmark = pytest.mark.slow  # starts its own server process

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
RUNAWAY_UPDATE = ("INSERT { GRAPH <https://w3id.org/hckg/graph/loads/runaway> { ?a <http://schema.org/name> \"x\" } } "
                  "WHERE { GRAPH ?g1 { ?a ?b ?c } GRAPH ?g2 { ?d ?e ?f } GRAPH ?g3 { ?h ?i ?j } }")


def test_sigterm_stops_the_server_within_5_s_during_a_runaway_query_and_write(private):
    server = start(str(private.store_path), env={"HCKG_TIMEOUT": "600", "HCKG_WRITE_TIMEOUT": "600"})
    answers: list[int] = []

    def send(method: str, **kw: object) -> None:
        try:
            answers.append(httpx.request(method, server.url + "/sparql", timeout=60, **kw).status_code)  # type: ignore[arg-type]
        except httpx.HTTPError:
            answers.append(-1)  # the connection closed: the server is gone, which is what this test wants

    threads = [
        threading.Thread(target=send, args=("GET",), kwargs={"params": {"query": RUNAWAY}}),
        threading.Thread(target=send, args=("POST",), kwargs={"content": RUNAWAY_UPDATE, "headers": {
            "Content-Type": "application/sparql-update", "Authorization": f"Bearer {WRITE_TOKEN}"}}),
    ]
    try:
        for thread in threads:
            thread.start()
        time.sleep(2.0)  # both are now running in their worker processes
        started = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(10)
        took = time.monotonic() - started
    finally:
        if server.process.poll() is None:
            stop(server)
    for thread in threads:
        thread.join(10)
    assert took < 5.0, f"the server took {took:.1f} s to stop"
    assert all(code in (503, -1) for code in answers), answers
