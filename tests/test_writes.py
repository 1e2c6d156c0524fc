"""Token writes in a killable worker process (hckg_web.runtime.writes, issue 17): a write past the limit is
stopped with 503 and leaves the store byte-identical; errors keep their class and status, never 500."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hckg.gate.validate import ValidationFailed
from hckg_web.runtime.writes import WriteRunner, WriteStopped
from helpers import sorted_nquads

RUNAWAY_UPDATE = ("INSERT { GRAPH <https://w3id.org/hckg/graph/loads/runaway> { ?a <http://schema.org/name> \"x\" } } "
                  "WHERE { GRAPH ?g1 { ?a ?b ?c } GRAPH ?g2 { ?d ?e ?f } GRAPH ?g3 { ?h ?i ?j } }")
HEADER = "name,type,lead_institution,partners,city,province,topsectors,societal_challenge,start_year,website,source_url\n"
BAD_YEAR = ("INSERT DATA { GRAPH <https://w3id.org/hckg/graph/loads/edits> { "
            "<https://w3id.org/hckg/id/community/rdm-centre-of-expertise> <https://w3id.org/hckg/def#startYear> "
            "\"3020\"^^<http://www.w3.org/2001/XMLSchema#gYear> } }")
BAD = "Synthetic Zuid,Fieldlab,,,Atlantis,Atlantis,Energie,Energietransitie,2021,,https://example.org/zuid\n"


def _files(store: Path) -> dict[str, bytes]:
    """Every file of the store directory the link points at, with its bytes."""
    target = store.resolve()
    return {str(p.relative_to(target)): p.read_bytes() for p in sorted(target.rglob("*")) if p.is_file()}


@pytest.fixture
def runner():
    running = WriteRunner(timeout_s=60.0, wait_s=60.0)
    running.start(wait=True)
    yield running
    running.close()


def test_a_runaway_update_is_stopped_at_the_limit_and_the_store_is_byte_identical(private):
    runner = WriteRunner(timeout_s=3.0, wait_s=30.0)
    runner.start(wait=True)
    before, files = sorted_nquads(private.store_path), _files(private.store_path)
    target = private.store_path.resolve()
    started = time.monotonic()
    with pytest.raises(WriteStopped, match="HCKG_WRITE_TIMEOUT") as stopped:
        runner.run("apply_update", private, RUNAWAY_UPDATE)
    assert stopped.value.http_status == 503
    assert time.monotonic() - started < 3.0 + 2.0
    assert runner.stopped == 1
    runner.close()
    assert private.store_path.resolve() == target and _files(private.store_path) == files
    assert sorted_nquads(private.store_path) == before


def test_refusals_keep_their_class_and_status_and_the_worker_serves_the_next_write(private, runner, tmp_path):
    table = tmp_path / "zuid.csv"
    table.write_text(HEADER + BAD, encoding="utf-8")
    with pytest.raises(Exception) as unreadable:
        runner.run("load_file", private, table, "https://w3id.org/hckg/graph/loads/zuid", True)
    assert type(unreadable.value).__name__ == "SourceError" and unreadable.value.http_status == 400
    assert "zuid.csv:2" in str(unreadable.value) and "Atlantis" in str(unreadable.value)
    with pytest.raises(ValidationFailed) as refused:
        runner.run("apply_update", private, BAD_YEAR)
    assert refused.value.violations and refused.value.http_status == 400
    with pytest.raises(Exception) as syntax:
        runner.run("apply_update", private, "INSERT DATA { <")
    assert getattr(syntax.value, "http_status", 500) == 400


def test_an_error_that_is_not_hckgs_own_answers_400_never_500(private, runner):
    before = sorted_nquads(private.store_path)
    with pytest.raises(Exception) as refused:
        runner.run("apply_update", private, 12345)  # a TypeError inside the engine
    assert refused.value.http_status == 400 and "store unchanged" in str(refused.value)
    assert sorted_nquads(private.store_path) == before


def test_a_write_that_waits_past_its_turn_answers_503_and_writes_nothing(private):
    runner = WriteRunner(timeout_s=4.0, wait_s=0.5)
    runner.start(wait=True)
    try:
        import threading

        first = threading.Thread(target=lambda: pytest.raises(WriteStopped, runner.run, "apply_update", private,
                                                              RUNAWAY_UPDATE))
        first.start()
        time.sleep(0.2)
        with pytest.raises(WriteStopped, match="HCKG_WRITE_WAIT"):
            runner.run("drop_graph", private, "https://w3id.org/hckg/graph/loads/none")
        first.join()
    finally:
        runner.close()


def test_close_stops_a_running_write_at_once(private):
    import threading

    runner = WriteRunner(timeout_s=60.0, wait_s=5.0)
    runner.start(wait=True)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            runner.run("apply_update", private, RUNAWAY_UPDATE)
        except WriteStopped as err:
            errors.append(err)

    thread = threading.Thread(target=write)
    thread.start()
    time.sleep(1.0)
    started = time.monotonic()
    runner.close()
    thread.join(10)
    assert not thread.is_alive() and time.monotonic() - started < 5
    assert errors and "shutting down" in str(errors[0])
