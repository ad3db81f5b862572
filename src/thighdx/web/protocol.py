"""HTTP/1.1 connections that send what a turn of the event loop wrote in one write.

uvicorn writes an answer's status line and headers as soon as the application starts it, and the
body in a second write, each a system call that wakes the client at once. Under load that means two
wake-ups per answer and an event loop that handles one request per turn. This protocol holds what
is written to a connection until the end of the loop's current turn and then sends it in one
write: the client wakes once per answer, and the loop serves every request that is ready before it
writes. Nothing waits longer than the code already running; a large answer is sent as soon as it
passes `FLUSH_BYTES`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

FLUSH_BYTES = 256 * 1024


class TurnWrites:
    """A transport wrapper that sends each connection's writes of one loop turn together.

    Everything but writing and closing goes straight to the wrapped transport, so flow control,
    addresses and reading are unchanged.
    """

    __slots__ = ("_held", "_held_bytes", "_loop", "_scheduled", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: list[bytes] = []
        self._held_bytes = 0
        self._scheduled = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self._held.append(bytes(data))
        self._held_bytes += len(data)
        if self._held_bytes >= FLUSH_BYTES:
            self.flush()
        elif not self._scheduled:
            self._scheduled = True
            self._loop.call_soon(self._end_of_turn)

    def writelines(self, chunks: Any) -> None:
        self.write(b"".join(chunks))

    def _end_of_turn(self) -> None:
        self._scheduled = False
        self.flush()

    def flush(self) -> None:
        """Send what is held now."""
        if not self._held:
            return
        data = self._held[0] if len(self._held) == 1 else b"".join(self._held)
        self._held.clear()
        self._held_bytes = 0
        if not self._transport.is_closing():
            self._transport.write(data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def abort(self) -> None:
        self._held.clear()
        self._held_bytes = 0
        self._transport.abort()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + self._held_bytes

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class HttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, writing through `TurnWrites`."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(TurnWrites(transport, self.loop))  # type: ignore[arg-type]
