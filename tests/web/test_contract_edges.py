"""Edges of the HTTP contract (§5) against a real `thighdx serve`: bad input of every kind is a 422
problem naming the field (never a 500), and the invariants of a valid interview step hold."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from thighdx.config import Settings

DIAG = "/api/v1/diagnosis"
LEVELS = {"self_care", "consultation", "consultation_24", "emergency", "emergency_ambulance"}


def assert_problem(response: httpx.Response, status: int, field: str | None = None, says: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["detail"], body
    assert "Traceback" not in response.text and 'File "' not in response.text
    if field is not None:
        assert body.get("field") == field, body
        assert str(body["detail"]).startswith(f"{field}:"), body
    if says is not None:
        assert says in str(body["detail"]), body
    return body


def post_raw(api: httpx.Client, raw: bytes | str, content_type: str | None = "application/json", path: str = DIAG) -> httpx.Response:
    headers = {"content-type": content_type} if content_type else {}
    data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else raw
    return api.post(path, content=data, headers=headers)


# ---- bodies that are not a JSON object -------------------------------------------------------

@pytest.mark.parametrize(
    ("raw", "content_type", "says"),
    [
        ('{"age": 27, "sex": ', "application/json", "malformed JSON at character"),
        ("{bad json", "application/json", "malformed JSON"),
        ("", "application/json", "empty"),
        ("", None, "empty"),
        ("[1, 2]", "application/json", "must be a JSON object"),
        ("null", "application/json", "must be a JSON object"),
        ('"a string"', "application/json", "must be a JSON object"),
        ("27", "application/json", "must be a JSON object"),
        ('{"age": 27, "sex": "male"}', "text/plain", "Content-Type: application/json"),
        ("age=27&sex=male", "application/x-www-form-urlencoded", "Content-Type: application/json"),
        ('{"age": 27, "sex": "male"}', None, "Content-Type: application/json"),
        (b'{"age": 27, "sex": "\xff\xfe"}', "application/json", "UTF-8"),
        ("[" * 20000 + "]" * 20000, "application/json", "nested too deeply"),
        ('{"age": 1' + "0" * 5000 + ', "sex": "male"}', "application/json", "too many digits"),
    ],
)
def test_unreadable_bodies_are_422_with_a_reason(api: httpx.Client, raw: str | bytes, content_type: str | None, says: str) -> None:
    assert_problem(post_raw(api, raw, content_type), 422, "body", says)


@pytest.mark.parametrize("path", ["/api/v1/triage", "/api/v1/explain", "/api/v1/parse", "/api/v1/interviews"])
def test_every_body_endpoint_refuses_malformed_json_the_same_way(api: httpx.Client, path: str) -> None:
    assert_problem(post_raw(api, "{", path=path), 422, "body", "malformed JSON")
    assert_problem(post_raw(api, "[]", path=path), 422, "body", "must be a JSON object")
    assert_problem(post_raw(api, "{}", "text/plain", path=path), 422, "body", "Content-Type")


# ---- wrong types and values ------------------------------------------------------------------

AGE_TEXTS = ["NaN", "Infinity", "-Infinity", "1e309", "-1e309"]


@pytest.mark.parametrize("age", AGE_TEXTS)
@pytest.mark.parametrize("path", [DIAG, "/api/v1/triage", "/api/v1/explain", "/api/v1/interviews"])
def test_non_finite_ages_are_named_as_such(api: httpx.Client, age: str, path: str) -> None:
    assert_problem(post_raw(api, f'{{"age": {age}, "sex": "male"}}', path=path), 422, "age", "finite number")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"age": "27", "sex": "male"}, "age"),
        ({"age": True, "sex": "male"}, "age"),
        ({"age": None, "sex": "male"}, "age"),
        ({"age": [27], "sex": "male"}, "age"),
        ({"age": -1, "sex": "male"}, "age"),
        ({"age": -0.001, "sex": "male"}, "age"),
        ({"age": 120.01, "sex": "male"}, "age"),
        ({"sex": "male"}, "age"),
        ({"age": 27, "sex": "other"}, "sex"),
        ({"age": 27, "sex": "Male"}, "sex"),
        ({"age": 27, "sex": None}, "sex"),
        ({"age": 27, "sex": "male", "language": "de"}, "language"),
        ({"age": 27, "sex": "male", "language": "EN"}, "language"),
        ({"age": 27, "sex": "male", "evidence": {"popping_sensation": "present"}}, "evidence"),
        ({"age": 27, "sex": "male", "evidence": None}, "evidence"),
        ({"age": 27, "sex": "male", "evidence": ["popping_sensation"]}, "evidence.0"),
        ({"age": 27, "sex": "male", "evidence": [{"id": "popping_sensation", "choice_id": 1}]}, "evidence.0.choice_id"),
        ({"age": 27, "sex": "male", "evidence": [{"id": "popping_sensation", "choice_id": True}]}, "evidence.0.choice_id"),
        ({"age": 27, "sex": "male", "evidence": [{"id": "popping_sensation"}]}, "evidence.0.choice_id"),
        ({"age": 27, "sex": "male", "evidence": [{"id": 5, "choice_id": "present"}]}, "evidence.0.id"),
        ({"age": 27, "sex": "male", "evidence": [{"id": "", "choice_id": "present"}]}, "evidence.0.id"),
        ({"age": 27, "sex": "male", "evidence": [{"id": "x" * 81, "choice_id": "present"}]}, "evidence.0.id"),
        ({"age": 27, "sex": "male", "evidence": [{"id": "popping_sensation", "choice_id": "present", "note": 1}]}, "evidence.0.note"),
        ({"age": 27, "sex": "male", "extra": 1}, "extra"),
        ({"age": 27, "sex": "male", "evidence": [{"id": "no_such_finding", "choice_id": "present"}]}, "evidence"),
        ({"age": 27, "sex": "male", "evidence": [{"id": "age", "choice_id": "present"}]}, "evidence"),
    ],
)
def test_wrong_types_and_values_name_the_field(api: httpx.Client, payload: dict[str, Any], field: str) -> None:
    assert_problem(api.post(DIAG, json=payload), 422, field)


def test_the_same_finding_twice(api: httpx.Client) -> None:
    twice = [{"id": "popping_sensation", "choice_id": "present"}, {"id": "popping_sensation", "choice_id": "absent"}]
    body = assert_problem(api.post(DIAG, json={"age": 27, "sex": "male", "evidence": twice}), 422, "evidence")
    assert "popping_sensation" in body["detail"] and "contradictory" in body["detail"]
    # the same answer repeated exactly is not contradictory: it counts once (the schema's x-unique-by: id, source)
    same = api.post(DIAG, json={"age": 27, "sex": "male", "evidence": [twice[0], twice[0]]})
    once = api.post(DIAG, json={"age": 27, "sex": "male", "evidence": [twice[0]]})
    assert same.status_code == 200 and same.json() == once.json()
    # a reading and an answer of the same finding may differ: the answer wins
    both = api.post(DIAG, json={"age": 27, "sex": "male", "evidence": [
        {"id": "popping_sensation", "choice_id": "present", "source": "text"}, twice[1]]})
    assert both.status_code == 200, both.text
    schema = api.get("/openapi.json").json()["components"]["schemas"]["DiagnosisRequest"]["properties"]["evidence"]
    assert schema.get("x-unique-by") == ["id", "source"] and "uniqueItems" not in schema


def test_unusual_combinations_are_scored(api: httpx.Client) -> None:
    ids = [f["id"] for f in api.get("/api/v1/findings").json()]
    for choice in ("present", "absent", "unknown"):
        response = api.post(DIAG, json={"age": 50, "sex": "female", "evidence": [{"id": i, "choice_id": choice} for i in ids]})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["question"] is None or body["question"]["id"] not in ids


# ---- oversized requests ----------------------------------------------------------------------

def test_oversized_requests_are_422_naming_the_body(api: httpx.Client) -> None:
    items = [{"id": "popping_sensation", "choice_id": "present"}] * 10_000
    refused = api.post(DIAG, json={"age": 27, "sex": "male", "evidence": items})
    assert_problem(refused, 422, "body", "larger than")
    # the body was left unread, so the server closes the connection and says so: a client must
    # not send its next request on it
    assert refused.headers.get("connection") == "close"
    assert_problem(api.post(DIAG, json={"age": 27, "sex": "male", "evidence": items[:201]}), 422, "evidence", "at most 200")
    two_mb = json.dumps({"age": 27, "sex": "male", "pad": "a" * 2_000_000}).encode()
    assert_problem(post_raw(api, two_mb), 422, "body", "larger than")

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds on what arrives
        for i in range(0, len(two_mb), 65536):
            yield two_mb[i:i + 65536]

    assert_problem(api.post(DIAG, content=chunks(), headers={"content-type": "application/json"}), 422, "body", "larger than")


def test_long_texts_get_a_clear_cap(api: httpx.Client) -> None:
    hundred_kb = "I felt a pop at the back of my thigh. " * 2700
    assert_problem(api.post("/api/v1/parse", json={"text": hundred_kb}), 422, "body", "text is limited to 5000 characters")
    assert_problem(api.post("/api/v1/parse", json={"text": "a" * 5001}), 422, "text", "at most 5000")
    assert_problem(api.post("/api/v1/interviews", json={"age": 30, "sex": "male", "text": "a" * 5001}), 422, "text")
    # the longest text allowed fits in the body limit even with every character escaped
    widest = json.dumps({"text": "\U0001F600" * 5000, "language": "en"})
    assert api.post("/api/v1/parse", content=widest, headers={"content-type": "application/json"}).status_code == 200


# ---- not found -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("path", "field"),
    [("/api/v1/conditions/nope", "condition_id"), ("/api/v1/conditions/other", "condition_id"), ("/api/v1/conditions/DVT", "condition_id"),
     ("/api/v1/conditions/%C4%B0", "condition_id"), ("/api/v1/findings/nope", "finding_id"), ("/api/v1/findings/age", "finding_id")],
)
def test_unknown_ids_are_404_naming_the_field(api: httpx.Client, path: str, field: str) -> None:
    assert_problem(api.get(path), 404, field)


def test_too_long_ids_and_bad_languages_are_422(api: httpx.Client) -> None:
    assert_problem(api.get("/api/v1/conditions/" + "a" * 81), 422, "condition_id")
    assert_problem(api.get("/api/v1/findings/" + "a" * 81), 422, "finding_id")
    assert_problem(api.get("/api/v1/conditions", params={"language": "de"}), 422, "language")
    assert_problem(api.get("/api/v1/conditions/dvt", params={"language": ""}), 422, "language")


def test_triage_and_explain_bad_input(api: httpx.Client) -> None:
    base = {"age": 40, "sex": "female"}
    assert_problem(api.post("/api/v1/triage", json={**base, "top": 3}), 422, "top")
    assert_problem(api.post("/api/v1/triage", json={**base, "evidence": [{"id": "zzz", "choice_id": "absent"}]}), 422, "evidence")
    for top, says in ((0, "greater than"), (51, "less than"), (1.5, "integer"), ("3", "integer"), (True, "integer")):
        assert_problem(api.post("/api/v1/explain", json={**base, "top": top}), 422, "top", says)
    assert api.post("/api/v1/explain", json={**base, "top": 50}).status_code == 200


# ---- valid steps -----------------------------------------------------------------------------

def check_step(body: dict[str, Any], evidence: list[dict[str, str]], condition_ids: set[str]) -> None:
    probabilities = [c["probability"] for c in body["conditions"]]
    assert probabilities == sorted(probabilities, reverse=True)
    assert all(0 <= p <= 1 for p in probabilities) and 0 <= body["other_probability"] <= 1
    assert {c["id"] for c in body["conditions"]} <= condition_ids
    assert body["triage"]["level"] in LEVELS
    given = {e["id"] for e in evidence}
    question = body["question"]
    if question is not None:
        assert question["id"] not in given
        assert question["type"] == "single" and question["text"]
        assert not {item["id"] for item in question.get("items") or []} & given
    if body["should_stop"]:
        assert question is None


@pytest.mark.parametrize(("age", "sex"), [(0, "female"), (8, "male"), (27, "male"), (45, "female"), (83, "male"), (120, "female")])
@pytest.mark.parametrize("strategy", ["unknown", "absent", "first_item"])
def test_answering_only_the_question_always_ends(api: httpx.Client, age: float, sex: str, strategy: str) -> None:
    condition_ids = {c["id"] for c in api.get("/api/v1/conditions").json()}
    evidence: list[dict[str, str]] = []
    for _ in range(130):
        response = api.post(DIAG, json={"age": age, "sex": sex, "evidence": evidence})
        assert response.status_code == 200, response.text
        body = response.json()
        check_step(body, evidence, condition_ids)
        question = body["question"]
        if body["should_stop"] or question is None:
            return
        items = question.get("items") or []
        answered = items[0]["id"] if strategy == "first_item" and items else question["id"]  # a grouped item answered alone
        evidence.append({"id": answered, "choice_id": "absent" if strategy == "absent" else "unknown"})
    pytest.fail(f"no end after {len(evidence)} answers")


# ---- free text -------------------------------------------------------------------------------

PARSE_TEXTS = [
    ("en", "İİİ sharp pain behind my left thigh, no swelling"),
    ("tr", "İSTANBUL'da koşarken arka bacağımda İĞNE batar gibi ağrı, uyuşma yok. İdrar kaçırma yok."),
    ("tr", "dun mac yaparken arka bacakta pat diye bi ses geldi, cok agriyo, morarma var, sislik yok"),
    ("en", "😀😀 I felt a pop 🦵 at the back of my thigh while sprinting, no swelling 👍"),
    ("en", "I felt a po\u0301p at the back of my thi\u0308gh, no swelling, nu\u0301mbness"),
    ("en", "I felt a pop\r\nat the back of my thigh\r\n\tno swelling\r\nnumbness in my foot"),
    ("en", "<b>I felt a pop</b> &amp; <script>alert(1)</script> no swelling &lt;3"),
    ("en", "ﬁnished a sprint and felt a pop; no swelling ß İ \u200b\u00a0"),
    ("tr", "şişlik yok, uyuşma yok".replace("ş", "s\u0327")),
]


@pytest.mark.parametrize(("language", "text"), PARSE_TEXTS)
def test_parse_offsets_are_code_points_into_the_text_as_sent(api: httpx.Client, language: str, text: str) -> None:
    response = api.post("/api/v1/parse", json={"text": text, "language": language})
    assert response.status_code == 200, response.text
    for mention in response.json()["mentions"]:
        assert text[mention["start"]:mention["end"]] == mention["text"], mention
        assert mention["choice_id"] in {"present", "absent", "unknown"}


def test_parse_finds_phone_typed_turkish_and_empty_text(api: httpx.Client) -> None:
    text = "dun mac yaparken arka bacakta pat diye bi ses geldi, morarma var"
    found = {m["id"] for m in api.post("/api/v1/parse", json={"text": text, "language": "tr"}).json()["mentions"]}
    assert "popping_sensation" in found
    for empty in ("", "   ", "\n\t"):
        assert api.post("/api/v1/parse", json={"text": empty}).json() == {"mentions": []}


# ---- common questions ------------------------------------------------------------------------

def test_faq_edges(api: httpx.Client) -> None:
    assert_problem(api.get("/api/v1/faq", params={"q": ""}), 422, "q")
    assert_problem(api.get("/api/v1/faq", params={"q": "ice " * 200}), 422, "q", "at most 500")
    assert_problem(api.get("/api/v1/faq", params={"q": "ice", "language": "de"}), 422, "language")
    for q in ("😀🦵❓", "what is the capital of France", "   ", "\x00", "a" * 500):
        response = api.get("/api/v1/faq", params={"q": q})
        assert response.status_code == 200, response.text
        assert response.json()["answer"] is None
    for q, language in (("buz mu sıcak mı koymalıyım", "tr"), ("buz mu sicak mi koymaliyim", "tr"), ("should I use ice or heat", "en")):
        body = api.get("/api/v1/faq", params={"q": q, "language": language}).json()
        assert body["answer"] and body["question"] and 0 <= body["confidence"] <= 1


# ---- stateful interviews ---------------------------------------------------------------------

def test_interview_edges(api: httpx.Client) -> None:
    first = api.post("/api/v1/interviews", json={"age": 30, "sex": "male", "text": "I felt a pop while sprinting"}).json()
    other = api.post("/api/v1/interviews", json={"age": 40, "sex": "female"}).json()
    url, mine = f"/api/v1/interviews/{first['id']}", {"X-Interview-Secret": first["secret"]}
    assert api.get(url, headers=mine).status_code == 200
    assert_problem(api.get(url, headers={"X-Interview-Secret": "wrong"}), 404)
    assert_problem(api.get(url, headers={"X-Interview-Secret": other["secret"]}), 404)
    assert_problem(api.get(url, headers={"X-Interview-Secret": ""}), 404)
    assert_problem(api.get(url), 422, "X-Interview-Secret")
    assert_problem(api.get("/api/v1/interviews/nope", headers=mine), 404)
    assert_problem(api.get("/api/v1/interviews/" + "a" * 65, headers=mine), 422, "interview_id")
    assert_problem(api.post(url + "/back", headers=mine), 409, "interview_id")  # nothing to go back to yet

    question = first["state"]["question"]
    not_asked = next(f["id"] for f in api.get("/api/v1/findings").json() if f["id"] != question["id"]
                     and f["id"] not in {i["id"] for i in question.get("items") or []}
                     and f["id"] not in {a["id"] for a in first["state"]["answers"]})
    assert_problem(api.post(url + "/answers", headers=mine, json={"finding_id": not_asked, "choice_id": "present"}), 409, "finding_id")
    assert_problem(api.post(url + "/answers", headers=mine, json={"finding_id": "zzz", "choice_id": "present"}), 422, "finding_id")
    assert_problem(api.post(url + "/answers", headers=mine, json={"finding_id": question["id"], "choice_id": "yes"}), 422, "choice_id")
    assert_problem(post_raw(api, "{", path=url + "/answers"), 422)  # the secret header is missing too: still a 422

    asked = 0
    state = first["state"]
    while state["question"] is not None and not state["finished"]:
        response = api.post(url + "/answers", headers=mine, json={"finding_id": state["question"]["id"], "choice_id": "unknown"})
        assert response.status_code == 200, response.text
        state, asked = response.json(), asked + 1
        assert asked < 130
    body = assert_problem(api.post(url + "/answers", headers=mine, json={"finding_id": not_asked, "choice_id": "present"}), 409, "finding_id")
    assert "no question left" in body["detail"]
    last = state["answers"][-1]
    assert api.post(url + "/answers", headers=mine, json={"finding_id": last["id"], "choice_id": last["choice_id"]}).status_code == 200
    assert api.get(url + "/result", headers=mine).status_code == 200
    assert_problem(api.get(url + "/result", headers=mine, params={"language": "de"}), 422, "language")
    for _ in range(asked):
        assert api.post(url + "/back", headers=mine).status_code == 200
    assert_problem(api.post(url + "/back", headers=mine), 409, "interview_id")  # past the start
    texts = [a for a in api.get(url, headers=mine).json()["answers"] if a["source"] == "text"]
    assert texts  # the free text's answers stay


# ---- rate limit ------------------------------------------------------------------------------

def run_in_own_loop(factory):  # type: ignore[no-untyped-def]
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()


def test_default_rate_limit_covers_200_a_second_for_a_whole_minute() -> None:
    assert Settings.from_env({}).rate_limit >= 200 * 60


def test_default_lets_one_client_send_200_requests_a_second(make_server) -> None:  # type: ignore[no-untyped-def]
    server = make_server()

    async def paced() -> list[int]:
        timeout = httpx.Timeout(60.0)  # a slow machine may queue requests; only a 429 is a failure here
        async with httpx.AsyncClient(base_url=server.url, timeout=timeout, limits=httpx.Limits(max_connections=32)) as client:
            started = time.monotonic()
            tasks = []
            for i in range(600):  # 200 a second for three seconds, on schedule
                delay = started + i / 200 - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(client.get("/api/v1/findings/popping_sensation")))
            return [r.status_code for r in await asyncio.gather(*tasks)]

    codes = run_in_own_loop(paced)
    assert codes.count(429) == 0 and set(codes) == {200}, {c: codes.count(c) for c in set(codes)}


def test_no_traceback_reached_the_server_log(sqlite_server) -> None:  # type: ignore[no-untyped-def]
    with sqlite_server.client() as client:
        assert_problem(post_raw(client, "[" * 50000), 422, "body")
        assert_problem(post_raw(client, b"\x00\x01\x02"), 422, "body")
    log = sqlite_server.log.read_text()
    assert "Traceback" not in log and "unhandled_error" not in log, log[-3000:]
