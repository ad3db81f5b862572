"""Transport limits on a real `thighdx serve`: an aborted upload is the client's doing (no 5xx in
metrics or logs), a body sent too slowly is cut off, oversized headers are refused."""

from __future__ import annotations

import re
import socket
import time

AUTH = {"Authorization": "Bearer metrics-token-for-tests"}  # conftest.METRICS_TOKEN


def _raw(port: int, head: bytes, body: bytes = b"") -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(head + body)
    return sock


def _server_errors(text: str) -> float:
    return sum(float(v) for v in re.findall(r'thighdx_http_requests_total\{[^}]*status="5\d\d"\} (\S+)', text))


def test_an_aborted_upload_is_a_client_error_not_a_server_error(make_server) -> None:  # type: ignore[no-untyped-def]
    server = make_server()
    for _ in range(5):
        sock = _raw(server.port, b"POST /api/v1/interviews HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                 b"Content-Length: 1000\r\n\r\n", b'{"age": 3')
        time.sleep(0.2)
        sock.close()
    time.sleep(1.0)
    with server.client() as client:
        text = client.get("/metrics", headers=AUTH).text
    assert _server_errors(text) == 0, text
    assert re.search(r'thighdx_http_requests_total\{[^}]*status="499"\} 5\.0', text), text
    log = server.log.read_text()
    assert '"request_aborted"' in log and '"status": 500' not in log and '"level": "error"' not in log


def test_a_body_sent_too_slowly_is_cut_off(make_server) -> None:  # type: ignore[no-untyped-def]
    server = make_server({"THIGHDX_BODY_TIMEOUT_SECONDS": "1"})
    started = time.monotonic()
    sock = _raw(server.port, b"POST /api/v1/interviews HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                             b"Content-Length: 100\r\n\r\n", b'{"age"')
    answer = sock.recv(4096)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 408"), answer
    assert time.monotonic() - started < 5


def test_oversized_headers_are_refused(make_server) -> None:  # type: ignore[no-untyped-def]
    server = make_server()
    with server.client() as client:
        many = {f"x-h{i}": "1" for i in range(200)}
        assert client.get("/api/v1/conditions", headers=many).status_code == 431
        assert client.get("/api/v1/conditions", headers={"x-big": "a" * 20000}).status_code == 431
        assert client.get("/api/v1/conditions", headers={"x-fine": "a" * 1000}).status_code == 200
