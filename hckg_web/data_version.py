"""``X-HCKG-Data-Version`` on every answer, added as the response starts.

A plain ASGI middleware: Starlette's ``BaseHTTPMiddleware`` (``@app.middleware("http")``) runs the
route in a task group behind memory streams and took about a sixth of the server's own time per
request (py-spy, docs/benchmarks-issue16.md). The version is the open store's (one ``readlink`` on the
event loop); only when the store has to be opened (after a swap, or for a remote engine) does the
look-up go to a thread.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Protocol

from starlette.concurrency import run_in_threadpool

from hckg.errors import HckgError

DATA_VERSION = "X-HCKG-Data-Version"
_HEADER = DATA_VERSION.lower().encode("latin-1")

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class Versioned(Protocol):
    def version(self) -> str: ...


async def current_version(live: Versioned) -> str | None:
    """The data version of ``live``, or None before the first build (the answer itself says so)."""
    known = getattr(live, "known_version", None)
    version = known() if known is not None else None
    if version is not None:
        return version
    try:
        return await run_in_threadpool(live.version)
    except HckgError:
        return None


class DataVersionHeader:
    """ASGI middleware: adds the data version to the headers of every HTTP answer."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], live: Versioned) -> None:
        self.app = app
        self.live = live

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start":
                version = await current_version(self.live)
                if version is not None:
                    headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != _HEADER]
                    message = {**message, "headers": [*headers, (_HEADER, version.encode("latin-1"))]}
            await send(message)

        await self.app(scope, receive, send_with_version)
