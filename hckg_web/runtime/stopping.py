"""SIGTERM stops the server within seconds, whatever its requests are doing.

uvicorn's graceful shutdown waits for every open request, and a request can wait on a runaway query or
a write for minutes. So on SIGTERM the query workers and write workers are killed first (their
requests answer 503 at once, and a killed write leaves the store unchanged), then uvicorn's own
handler runs; if the process is still alive after ``GRACE_S``, it exits hard (the worker processes die
with it: ``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from types import FrameType
from typing import Callable

log = logging.getLogger(__name__)

GRACE_S = 4.0
"""Seconds from SIGTERM to a hard exit when the graceful shutdown has not finished (goal: within 5 s)."""


def stop_promptly_on_sigterm(*closers: Callable[[], None], grace_s: float = GRACE_S) -> bool:
    """Chain a SIGTERM handler in front of the current one (uvicorn's); False when not in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        return False
    previous = signal.getsignal(signal.SIGTERM)

    def on_sigterm(sig: int, frame: FrameType | None) -> None:
        log.info("SIGTERM: stopping query and write workers; exiting within %s s", grace_s)
        threading.Thread(target=_close, args=(closers,), daemon=True, name="hckg-stop").start()
        threading.Thread(target=_exit_after, args=(grace_s,), daemon=True, name="hckg-stop-watchdog").start()
        if callable(previous):
            previous(sig, frame)
        elif previous == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.raise_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, on_sigterm)
    return True


def _close(closers: tuple[Callable[[], None], ...]) -> None:
    for close in closers:
        try:
            close()
        except Exception:  # noqa: BLE001 - stopping the rest matters more than this one's error
            log.exception("while stopping on SIGTERM")


def _exit_after(grace_s: float) -> None:
    time.sleep(grace_s)
    log.warning("the graceful shutdown took longer than %s s; exiting now", grace_s)
    os._exit(0)
