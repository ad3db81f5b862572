"""HTTP/1.1 connections that send a response's head and body in one write.

uvicorn writes the status line and headers as soon as the application starts its answer, and the
body in a second write. On a connection that waits for each answer before sending the next
request, every write is a system call and a wake-up of the reader; two of them per answer cost
more than the diagnosis itself. This protocol holds a write until the next one (usually the body,
a few microseconds later) and sends both together; a write that nothing follows is sent at the end
of the current turn of the event loop, so nothing waits longer than the code already running.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class PairedWrites:
    """A transport wrapper that joins each write with the one after it (see the module docstring).

    Everything but writing and closing goes straight to the wrapped transport, so flow control,
    addresses and reading are unchanged.
    """

    __slots__ = ("_flush_scheduled", "_held", "_loop", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None
        self._flush_scheduled = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        held = self._held
        if held is None:
            self._held = bytes(data)
            if not self._flush_scheduled:
                self._flush_scheduled = True
                self._loop.call_soon(self._flush)
        else:
            self._held = None
            self._transport.write(b"".join((held, data)))

    def writelines(self, chunks: Any) -> None:
        self.write(b"".join(chunks))

    def _flush(self) -> None:
        self._flush_scheduled = False
        held, self._held = self._held, None
        if held is not None and not self._transport.is_closing():
            self._transport.write(held)

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def write_eof(self) -> None:
        self._flush()
        self._transport.write_eof()

    def abort(self) -> None:
        self._held = None
        self._transport.abort()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + (len(self._held) if self._held is not None else 0)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class HttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, writing through `PairedWrites`."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(PairedWrites(transport, self.loop))  # type: ignore[arg-type]
