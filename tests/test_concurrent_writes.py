"""8 concurrent token PUTs of distinct graphs, 20 trials (issue 17): every acknowledged graph is present
afterwards, and every refusal is a 503 that wrote nothing. The writes are synthetic communities."""

from __future__ import annotations

import sys

import pytest

from hckg.config import PROJECT_ROOT
from server_helpers import WRITE_TOKEN, start, stop

pytestmark = pytest.mark.slow  # 160 writes through a server (~3-8 min on a loaded 2-core machine)

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
from fair_serving import concurrent_writes  # noqa: E402

TRIALS = 20


def test_concurrent_writes_of_distinct_graphs_are_all_kept_or_refused_with_503(private):
    server = start(str(private.store_path))
    try:
        port = int(server.url.rsplit(":", 1)[1])
        result = concurrent_writes(port, TRIALS, writers=8, token=WRITE_TOKEN, tag="test")
    finally:
        stop(server)
    assert result.trials == TRIALS
    assert result.acknowledged + result.refused_503 == 8 * TRIALS, result.other[:3]
    assert result.acknowledged_missing == []
    assert result.refused_but_written == []
    assert result.acknowledged > 0
