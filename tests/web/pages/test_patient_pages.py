"""The patient pages over HTTP (in-process): flow, languages, emergency banner, bad input."""

from __future__ import annotations

from fastapi.testclient import TestClient
from page_helpers import csrf_of, finding_of, start

from thighdx.knowledge.loader import load_kb


def answer(client: TestClient, path: str, choice: str, finding: str | None = None):
    page = client.get(path)
    assert page.status_code == 200, page.text
    return client.post(f"{path}/answer", data={"csrf": csrf_of(page.text), "finding": finding or finding_of(page.text),
                                               "choice": choice})


def walk(client: TestClient, path: str, choose=lambda finding: "absent", limit: int = 60) -> str:
    """Answer until the result page; returns its HTML."""
    for _ in range(limit):
        page = client.get(path)
        if page.status_code == 303:
            assert page.headers["location"] == f"{path}/result"
            break
        finding = finding_of(page.text)
        response = client.post(f"{path}/answer", data={"csrf": csrf_of(page.text), "finding": finding,
                                                       "choice": choose(finding)})
        assert response.status_code == 303, response.text
    result = client.get(f"{path}/result")
    assert result.status_code == 200, result.text
    return result.text


def test_start_page_in_both_languages(client: TestClient) -> None:
    en = client.get("/", params={"lang": "en"})
    assert en.status_code == 200
    assert '<html lang="en">' in en.text and "How old are you?" in en.text
    assert "thighdx_form" in en.headers.get("set-cookie", "")
    tr = client.get("/", params={"lang": "tr"})
    assert '<html lang="tr">' in tr.text and "Kaç yaşındasınız?" in tr.text
    # the language choice sticks in a cookie
    again = client.get("/")
    assert '<html lang="tr">' in again.text


def test_emergency_number_follows_the_locale(client: TestClient) -> None:
    us = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})
    assert '<option value="911" selected>' in us.text
    gb = client.get("/", headers={"accept-language": "en-GB"})
    assert '<option value="999" selected>' in gb.text
    tr = client.get("/", headers={"accept-language": "tr-TR"})
    assert '<option value="112" selected>' in tr.text


def test_full_interview_to_the_result(client: TestClient) -> None:
    path = start(client, description="Sharp pain at the back of my thigh while sprinting, I felt a pop.")
    html = walk(client, path, choose=lambda f: "unknown" if f.startswith("x") else "absent")
    for text in ("Your results", "Likely causes", "What to do now", "Summary for your doctor", "Warning signs"):
        assert text in html
    summary = client.get(f"{path}/summary")
    assert summary.status_code == 200 and "thighdx summary for your doctor" in summary.text
    assert 'media="print"' in summary.text


def test_turkish_interview_and_switch(client: TestClient) -> None:
    path = start(client, lang="tr", sex="male", age="52")
    page = client.get(path)
    assert "Evet" in page.text and "Bilmiyorum" in page.text and "Soru 1" in page.text
    switched = client.get(path, params={"lang": "en"})
    assert "Don&#39;t know" in switched.text or "Don't know" in switched.text
    html = walk(client, path)
    assert "Olası nedenler" in html or "Likely causes" in html


def test_back_withdraws_the_last_answer(client: TestClient) -> None:
    path = start(client)
    first = finding_of(client.get(path).text)
    assert answer(client, path, "absent").status_code == 303
    assert finding_of(client.get(path).text) != first
    # a stale page (the browser's own back button) cannot change an answer silently
    stale = answer(client, path, "present", finding=first)
    assert stale.status_code in (409, 422) and "page was out of date" in stale.text
    assert answer(client, path, "absent", finding=first).status_code == 303  # the same answer again is harmless
    page = client.get(path)
    back = client.post(f"{path}/back", data={"csrf": csrf_of(page.text)})
    assert back.status_code == 303
    assert finding_of(client.get(path).text) == first


def test_emergency_banner_appears_at_once(client: TestClient) -> None:
    kb = load_kb()
    path = start(client, age="61", sex="male")
    for _ in range(30):
        page = client.get(path)
        assert page.status_code == 200
        finding = finding_of(page.text)
        choice = "present" if kb.findings[finding].red_flag else "absent"
        response = client.post(f"{path}/answer", data={"csrf": csrf_of(page.text), "finding": finding, "choice": choice})
        assert response.status_code == 303
        if choice == "present":
            break
    else:
        raise AssertionError("no red-flag question was asked")
    nxt = client.get(path)
    if nxt.status_code == 303:
        nxt = client.get(nxt.headers["location"])
    assert 'class="emergency"' in nxt.text and 'href="tel:112"' in nxt.text
    result = client.get(f"{path}/result")
    assert 'class="emergency"' in result.text and "Emergency: get help now" in result.text


def test_form_tampering_is_refused_with_a_clear_4xx(client: TestClient, app) -> None:
    path = start(client)
    page = client.get(path)
    csrf, finding = csrf_of(page.text), finding_of(page.text)
    cases = [
        ({"csrf": csrf, "finding": "no_such_finding", "choice": "present"}, 422, "not for the question being asked"),
        ({"csrf": csrf, "finding": finding, "choice": "maybe"}, 422, "yes, no or don"),
        ({"csrf": "forged", "finding": finding, "choice": "present"}, 403, "did not come from this site"),
        ({"finding": finding, "choice": "present"}, 403, "did not come from this site"),
    ]
    kb = load_kb()
    other = next(f for f in kb.findings if f != finding)
    cases.append(({"csrf": csrf, "finding": other, "choice": "present"}, (409, 422), "not for the question being asked"))
    for data, status, text in cases:
        response = client.post(f"{path}/answer", data=data)
        assert response.status_code in (status if isinstance(status, tuple) else (status,)), (data, response.status_code)
        assert text in response.text.replace("&#39;", "'")
        assert "text/html" in response.headers["content-type"]
    # nothing was recorded
    assert finding_of(client.get(path).text) == finding


def test_another_persons_interview_is_not_shown(app) -> None:
    with TestClient(app, follow_redirects=False) as alice, TestClient(app, follow_redirects=False) as mallory:
        path = start(alice, description="pain behind my thigh")
        # no secret at all
        for url in (path, f"{path}/result", f"{path}/summary"):
            response = mallory.get(url)
            assert response.status_code == 403 and "browser where it was started" in response.text
        # Mallory's own secret on Alice's interview
        own = start(mallory)
        mallory.cookies.set("thighdx_secret", mallory.cookies.get("thighdx_secret", path=own), path=path)
        for url in (path, f"{path}/result", f"{path}/summary"):
            response = mallory.get(url)
            assert response.status_code == 404 and "could not be found" in response.text
        page = mallory.get(own)
        response = mallory.post(f"{path}/answer", data={"csrf": csrf_of(page.text), "finding": finding_of(page.text),
                                                         "choice": "present"})
        assert response.status_code in (403, 404)
        # unknown and malformed ids
        assert mallory.get("/interview/AAAAAAAAAAAAAAAAAAAAAA").status_code in (403, 404)
        assert mallory.get("/interview/%3Cscript%3E").status_code in (403, 404)


def test_start_form_errors(client: TestClient) -> None:
    page = client.get("/")
    csrf = csrf_of(page.text)
    bad = client.post("/start", data={"csrf": csrf, "age": "abc", "sex": "robot"})
    assert bad.status_code == 422
    assert "whole number from 0 to 120" in bad.text and "choose male or female" in bad.text
    assert 'aria-invalid="true"' in bad.text
    assert client.post("/start", data={"csrf": csrf, "age": "130", "sex": "male"}).status_code == 422
    assert client.post("/start", data={"age": "30", "sex": "male"}).status_code == 403
    assert client.post("/start", data={"csrf": csrf, "age": "30", "sex": "male", "lang": "de"}).status_code == 303


def test_pages_set_no_store_and_never_500(client: TestClient) -> None:
    path = start(client)
    for url in ("/", path, f"{path}/result", f"{path}/summary", "/interview/x", "/interview/" + "a" * 500):
        response = client.get(url)
        assert response.status_code < 500
    assert client.get(path).headers["cache-control"] == "no-store"
