"""The server's connections over raw loopback sockets: each answer complete and in order, whatever
the way requests arrive (keep-alive, pipelined, HEAD, Connection: close, Expect: 100-continue, a
large answer)."""

from __future__ import annotations

import json
import socket
import time

import pytest

BODY = json.dumps({"age": 30, "sex": "female", "evidence": [{"id": "sudden_onset", "choice_id": "present"}]}).encode()


def post(path: str = "/api/v1/diagnosis", body: bytes = BODY, extra: str = "") -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n{extra}\r\n").encode() + body


def read_response(sock: socket.socket, buffer: bytearray, head_only: bool = False) -> tuple[int, dict[str, str], bytes]:
    """One response from the socket (status, headers, body); leftover bytes stay in `buffer`."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError(f"connection closed mid-response: {bytes(buffer)[:200]!r}")
        buffer += chunk
    head, _, rest = bytes(buffer).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    length = 0 if head_only or status in (100, 204, 304) else int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError("connection closed before the body was complete")
        rest += chunk
    buffer[:] = rest[length:]
    return status, headers, rest[:length]


@pytest.fixture
def server(make_server):  # type: ignore[no-untyped-def]
    return make_server({"THIGHDX_RATE_LIMIT": "0"})


def connect(server) -> socket.socket:  # type: ignore[no-untyped-def]
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def test_keep_alive_answers_every_request_whole(server) -> None:  # type: ignore[no-untyped-def]
    with connect(server) as sock:
        buffer = bytearray()
        for _ in range(5):
            sock.sendall(post())
            status, headers, body = read_response(sock, buffer)
            assert status == 200 and headers["content-type"] == "application/json"
            assert json.loads(body)["conditions"]
        sock.sendall(b"GET /api/v1/conditions/nope HTTP/1.1\r\nHost: test\r\n\r\n")
        status, headers, body = read_response(sock, buffer)
        assert status == 404 and json.loads(body)["status"] == 404
        assert buffer == b""


def test_pipelined_requests_are_answered_in_order(server) -> None:  # type: ignore[no-untyped-def]
    with connect(server) as sock:
        sock.sendall(post() + b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n" + post("/api/v1/triage"))
        buffer = bytearray()
        first, second, third = (read_response(sock, buffer) for _ in range(3))
        assert "conditions" in json.loads(first[2])
        assert json.loads(second[2])["status"] == "ok"
        assert "rules" in json.loads(third[2])


def test_head_gets_headers_only(server) -> None:  # type: ignore[no-untyped-def]
    with connect(server) as sock:
        sock.sendall(b"HEAD /static/css/print.css HTTP/1.1\r\nHost: test\r\n\r\nGET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
        buffer = bytearray()
        status, headers, body = read_response(sock, buffer, head_only=True)
        assert status == 200 and body == b"" and int(headers["content-length"]) > 0
        status, _, body = read_response(sock, buffer)
        assert status == 200 and json.loads(body)["status"] == "ok"


def test_connection_close_ends_after_a_whole_answer(server) -> None:  # type: ignore[no-untyped-def]
    with connect(server) as sock:
        sock.sendall(post(extra="Connection: close\r\n"))
        buffer = bytearray()
        status, _, body = read_response(sock, buffer)
        assert status == 200 and json.loads(body)["conditions"]
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # the server closes its side: recv returns b""
            if sock.recv(1024) == b"":
                break
        else:
            raise AssertionError("the server kept the connection open")


def test_expect_100_continue(server) -> None:  # type: ignore[no-untyped-def]
    with connect(server) as sock:
        head, _, body = post(extra="Expect: 100-continue\r\n").partition(b"\r\n\r\n")
        sock.sendall(head + b"\r\n\r\n")
        buffer = bytearray()
        status, _, _ = read_response(sock, buffer)
        assert status == 100
        sock.sendall(body)
        status, _, answer = read_response(sock, buffer)
        assert status == 200 and json.loads(answer)["conditions"]


def test_a_large_page_arrives_whole(server) -> None:  # type: ignore[no-untyped-def]
    with connect(server) as sock:
        sock.sendall(b"GET /openapi.json HTTP/1.1\r\nHost: test\r\n\r\n")
        buffer = bytearray()
        status, headers, body = read_response(sock, buffer)
        assert status == 200 and len(body) == int(headers["content-length"]) > 10000
        assert json.loads(body)["openapi"]
