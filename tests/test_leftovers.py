"""hckg/store/leftovers.py: copies a killed write left beside the store are removed at the next write
or start; a live writer's copy (in this process or another) and the current store never are."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from hckg.gate.lock import remove_leftovers_at_start, write_lock
from hckg.store.leftovers import remove_leftovers, try_claim
from hckg.store.oxigraph import fresh_store_dir, open_store, remove_copy
from store_bytes import store_bytes


def beside(link: Path) -> set[str]:
    return {p.name for p in link.parent.iterdir() if p.name.startswith(f".{link.name}-")}


def test_a_copy_nobody_claims_is_removed_and_the_current_store_kept(private):
    link = private.store_path
    current = link.resolve()
    dead = link.with_name(f".{link.name}-0123456789ab")
    (dead / "sub").mkdir(parents=True)
    (dead / "sub" / "000001.sst").write_bytes(b"x" * 1000)
    scratch = link.with_name(f".{link.name}-0123456789ab.infer-zz")
    scratch.mkdir()
    stale_link = link.with_name(f".{link.name}-link-deadbeef")
    stale_link.symlink_to(current.name)
    before = store_bytes(link)
    removed = remove_leftovers(link)
    assert {p.name for p in removed} == {dead.name, scratch.name, stale_link.name}
    assert not dead.exists() and not scratch.exists() and not stale_link.is_symlink()
    assert beside(link) == {current.name}  # no lock file left either
    assert store_bytes(link) == before


def test_a_copy_claimed_in_this_process_is_kept(private):
    live = fresh_store_dir(private.store_path)
    try:
        assert remove_leftovers(private.store_path) == []
        assert live.is_dir()
    finally:
        remove_copy(live)
    assert live.name not in beside(private.store_path) and f"{live.name}.lock" not in beside(private.store_path)


def test_a_copy_claimed_by_another_process_is_kept_until_that_process_is_killed(private):
    copy = private.store_path.with_name(f".{private.store_path.name}-feedfacecafe")
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from pathlib import Path
        from hckg.store.leftovers import claim
        copy = Path({str(copy)!r})
        claim(copy)
        copy.mkdir()
        print("ready", flush=True)
        time.sleep(60)
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        assert try_claim(copy) is None
        assert remove_leftovers(private.store_path) == []
        assert copy.is_dir()
        os.kill(holder.pid, signal.SIGKILL)  # kill -9 mid-write: the kernel drops its flock
        holder.wait(10)
        assert [p.name for p in remove_leftovers(private.store_path)] == [copy.name]
        assert not copy.exists() and not copy.with_name(copy.name + ".lock").exists()
    finally:
        holder.kill()
        holder.wait(10)


def test_the_next_write_and_the_start_remove_leftovers(private):
    link = private.store_path
    for name in ("aaaaaaaaaaaa", "bbbbbbbbbbbb"):
        link.with_name(f".{link.name}-{name}").mkdir()
    with write_lock(private):
        assert beside(link) == {link.resolve().name}
    link.with_name(f".{link.name}-cccccccccccc").mkdir()
    remove_leftovers_at_start(private)
    assert beside(link) == {link.resolve().name}


@pytest.mark.slow  # a real hckg load in another process, killed mid-write
def test_a_load_killed_with_sigkill_leaves_a_copy_the_next_write_removes(private, tmp_path):
    big = tmp_path / "big.ttl"
    with big.open("w", encoding="utf-8") as f:  # synthetic: big enough that the copy lives a while
        f.write("@prefix s: <https://example.org/synthetic/> .\n")
        for i in range(300_000):
            f.write(f's:n{i} s:p "synthetic {i}" .\n')
    before = store_bytes(private.store_path)
    env = {**os.environ, "HCKG_STORE": str(private.store_path)}
    load = subprocess.Popen([sys.executable, "-m", "hckg.cli", "load", str(big)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(beside(private.store_path)) < 2:
        time.sleep(0.02)
    time.sleep(0.3)
    load.send_signal(signal.SIGKILL)
    load.wait(10)
    assert len(beside(private.store_path) - {private.store_path.resolve().name}) >= 1  # what the kill left
    assert store_bytes(private.store_path) == before
    with write_lock(private):
        pass
    assert beside(private.store_path) == {private.store_path.resolve().name}
    assert store_bytes(private.store_path) == before


def test_another_store_in_the_same_folder_and_unrelated_names_are_never_touched(private):
    link = private.store_path
    other = link.with_name(f".{link.name}-b-0123456789ab")  # the current folder of a store named "<name>-b"
    other.mkdir()
    unrelated = link.with_name(f".{link.name}-notes")
    unrelated.write_text("kept", encoding="utf-8")
    assert remove_leftovers(link) == []
    assert other.is_dir() and unrelated.read_text(encoding="utf-8") == "kept"
