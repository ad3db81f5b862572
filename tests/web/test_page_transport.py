"""Requests the service refuses or redirects, on a real `thighdx serve`: a redirect never names the
`Host` it was sent to (only the configured public URL); a page form sent from another site is a 403
page; duplicate JSON keys are a 422 naming the key; refusals on page addresses (413, 408, 429,
a malformed form) are HTML pages in the person's language, while the API keeps JSON."""

from __future__ import annotations

import socket

import httpx

EVIL = "evil.example"


def _form_token(client: httpx.Client) -> str:
    page = client.get("/", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    return str(client.cookies["thighdx_form"])


def _start(client: httpx.Client, headers: dict[str, str]) -> httpx.Response:
    token = _form_token(client)
    return client.post("/start", data={"csrf": token, "age": "34", "sex": "female", "number": "112"}, headers=headers)


def test_redirects_never_name_the_request_host(api: httpx.Client, make_server) -> None:  # type: ignore[no-untyped-def]
    for path in ("/api/v1/conditions/", "/clinician/interviews/", "/static", "/clinician"):
        answer = api.get(path, headers={"Host": EVIL})
        assert 300 <= answer.status_code < 400, (path, answer.status_code)
        location = answer.headers["location"]
        assert location.startswith("/") and not location.startswith("//") and EVIL not in location, (path, location)
    public = make_server({"THIGHDX_PUBLIC_URL": "https://triage.example.org/"})
    with public.client() as client:
        answer = client.get("/api/v1/conditions/", headers={"Host": EVIL})
        assert answer.headers["location"] == "https://triage.example.org/api/v1/conditions"
        assert client.get("/clinician").headers["location"] == "/clinician/interviews"


def test_a_form_from_another_site_is_refused_with_a_page(sqlite_server) -> None:  # type: ignore[no-untyped-def]
    for headers in ({"Origin": f"https://{EVIL}"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"},
                    {"Sec-Fetch-Site": "same-site", "Origin": sqlite_server.url}):
        with sqlite_server.client(follow_redirects=False) as client:
            answer = _start(client, {**headers, "Accept-Language": "tr"})
            assert answer.status_code == 403, headers
            assert answer.headers["content-type"].startswith("text/html")
            assert "başka bir web sitesinden" in answer.text, answer.text[-800:]
            assert client.post("/clinician/login", data={"username": "a", "password": "b"}, headers=headers).status_code == 403
    # the same site, or a client that is not a browser (neither header), gets on with the form
    for headers in ({"Origin": sqlite_server.url}, {"Sec-Fetch-Site": "same-origin", "Origin": sqlite_server.url}, {}):
        with sqlite_server.client(follow_redirects=False) as client:
            answer = _start(client, headers)
            assert answer.status_code == 303 and answer.headers["location"].startswith("/interview/"), (headers, answer.text[-500:])
    # the API is not a page form: a cross-site Origin there is the API's business (no cookies authorise it)
    with sqlite_server.client() as client:
        assert client.get("/api/v1/conditions", headers={"Origin": f"https://{EVIL}"}).status_code == 200


def test_duplicate_json_keys_are_refused_naming_the_key(api: httpx.Client) -> None:
    json = {"Content-Type": "application/json"}
    cases = [
        ("/api/v1/diagnosis", b'{"age": 30, "sex": "male", "age": 31}', "age"),
        ("/api/v1/diagnosis", (b'{"age": 30, "sex": "male", "evidence": [{"id": "smoker", "choice_id": "present"},'
                               b' {"id": "smoker", "choice_id": "absent", "choice_id": "present"}]}'), "evidence.1.choice_id"),
        ("/api/v1/interviews", b'{"age": 30, "sex": "male", "sex": "female"}', "sex"),
        ("/api/v1/parse", b'{"text": "pain", "text": "no pain"}', "text"),
    ]
    for path, body, field in cases:
        answer = api.post(path, content=body, headers=json)
        assert answer.status_code == 422, (path, answer.text)
        problem = answer.json()
        assert problem["field"] == field and repr(field.rsplit(".", 1)[-1]) in problem["detail"], problem
    fhir = api.post("/fhir/Questionnaire/$next-question", content=b'{"resourceType": "Parameters", "resourceType": "Bundle"}',
                    headers={"Content-Type": "application/fhir+json"})
    assert fhir.status_code == 422 and fhir.json()["field"] == "resourceType", fhir.text
    assert api.post("/api/v1/diagnosis", content=b'{"age": 30, "sex": "male"}', headers=json).status_code == 200


def test_refusals_on_pages_are_html_in_the_persons_language(make_server) -> None:  # type: ignore[no-untyped-def]
    server = make_server({"THIGHDX_RATE_LIMIT": "8", "THIGHDX_BODY_TIMEOUT_SECONDS": "1", "THIGHDX_MAX_BODY_BYTES": "2048"})
    tr = {"Accept-Language": "tr"}
    with server.client() as client:
        long = client.post("/start", content=b"age=" + b"1" * 5000, headers={**tr, "Content-Type": "application/x-www-form-urlencoded"})
        assert long.status_code == 413 and long.headers["content-type"].startswith("text/html"), long.text
        assert "çok uzun" in long.text
        api_long = client.post("/api/v1/parse", json={"text": "a" * 5000})
        assert api_long.status_code == 422 and api_long.headers["content-type"] == "application/problem+json"
        broken = client.post("/start", content=b"--x\r\ngarbage", headers={**tr, "Content-Type": "multipart/form-data; boundary=x"})
        assert 400 <= broken.status_code < 500 and broken.headers["content-type"].startswith("text/html"), broken.text
        assert "web_error" not in broken.text
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    sock.sendall(b"POST /start HTTP/1.1\r\nHost: x\r\nAccept-Language: tr\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                 b"Content-Length: 100\r\n\r\nage=3")
    slow = b""
    while b"</html>" not in slow:
        chunk = sock.recv(65536)
        if not chunk:
            break
        slow += chunk
    sock.close()
    assert slow.startswith(b"HTTP/1.1 408") and b"text/html" in slow and "bağlantınızı".encode() in slow, slow[:400]
    with server.client() as client:
        statuses = []
        for _ in range(12):
            answer = client.get("/", headers=tr)
            statuses.append(answer.status_code)
            if answer.status_code == 429:
                break
        assert answer.status_code == 429, statuses
        assert answer.headers["content-type"].startswith("text/html") and int(answer.headers["retry-after"]) > 0
        assert "çok fazla istek" in answer.text
        api_answer = client.get("/api/v1/conditions")
        assert api_answer.status_code == 429 and api_answer.headers["content-type"] == "application/problem+json"
