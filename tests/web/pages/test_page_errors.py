"""Result page content (one number, short first, only what the person said), the question page's
honesty (progress, why we ask in the page language), HTML error pages and the favicon."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from page_helpers import answer_page, current, start

from thighdx.knowledge.loader import load_kb

NUMBER = re.compile(r"\b(112|911|999)\b")


def _answer_until(client: TestClient, path: str, choose, stop=lambda finding, choice: False, limit: int = 60) -> str:
    """Answer until the result (or `stop`); returns the result page's HTML."""
    for _ in range(limit):
        where = client.get(path)
        if where.headers["location"].endswith("/result"):
            break
        page = client.get(where.headers["location"])
        response, sent = answer_page(client, path, page.text, choose)
        assert response.status_code == 303, response.text
        if any(stop(finding, choice) for finding, choice in sent):
            break
    result = client.get(f"{path}/result")
    assert result.status_code == 200, result.text
    return result.text


def _outside_numbers_list(html: str) -> str:
    main = html[html.index("<main"):html.index("</main>")]
    return re.sub(r'<details class="more numbers-by-country">.*?</details>', "", main, flags=re.DOTALL)


def test_emergency_result_uses_the_chosen_number_only(client: TestClient) -> None:
    kb = load_kb()
    path = start(client, age="58", sex="male", number="911")
    said_yes: list[str] = []

    def red(finding: str) -> str:  # yes to one red flag (the first one asked), no to the rest
        if kb.findings[finding].red_flag and not said_yes:
            said_yes.append(finding)
        return "present" if finding in said_yes else "absent"

    html = _answer_until(client, path, red, stop=lambda f, c: c == "present")
    assert "emergency-hero" in html and 'href="tel:911"' in html and "Call 911" in html
    assert "{number}" not in html
    rest = _outside_numbers_list(html)
    assert set(NUMBER.findall(rest)) == {"911"}, sorted(set(NUMBER.findall(rest)))
    assert 'class="more numbers-by-country"' in html  # other countries' numbers, in their own list
    # the reason once; finishing the questions offered, not required
    assert html.count('class="reason"') <= 1
    assert "Finish the questions (optional)" in html
    # every page of the interview fills the placeholder with the same number
    question = client.get(f"{path}/q/1")
    assert "{number}" not in question.text and set(NUMBER.findall(_outside_numbers_list(question.text))) <= {"911"}


def test_result_short_first_with_causes_in_ten_and_details_on_demand(client: TestClient) -> None:
    path = start(client, description="Sharp pain at the back of my thigh while sprinting, I felt a pop.")
    html = _answer_until(client, path, lambda f: "absent")
    main = html[html.index("<main"):html.index("</main>")]
    order = [main.index(x) for x in ('id="urgency-title"', 'id="now-title"', 'id="causes-title"', 'id="warning-title"',
                                     '<details class="more')]
    assert order == sorted(order), "urgency, what to do now, causes and warning signs come before the details"
    assert "people with these answers" in main
    assert 1 <= main.count('class="cause"') <= 3
    assert "<meter" not in main  # neutral bars, not traffic-light meters
    for summary in ("Why these causes", "All the causes we considered"):
        assert f"<summary>{summary}</summary>" in main


def test_explanations_cite_only_what_the_person_said(client: TestClient) -> None:
    """"Don't know" to everything: nothing is said to fit; no denied finding is cited."""
    kb = load_kb()
    path = start(client, age="45", sex="female")
    html = _answer_until(client, path, lambda f: "unknown")
    block = html[html.index('class="more why-causes"'):]
    block = block[:block.index("</details>")]
    assert "Nothing you told us points to this in particular" in block
    assert "What you told us that fits" not in block
    # no-answers: a finding answered no is never cited as fitting
    path = start(client, age="30", sex="male", description="pain at the back of my thigh after sprinting")
    html = _answer_until(client, path, lambda f: "absent")
    block = html[html.index('class="more why-causes"'):]
    block = block[:block.index("</details>")]
    said = re.findall(r"What you told us that fits: (.*?)\.</p>", block)
    labels = {kb.findings[f].label.get("en") for f in kb.findings}
    for line in said:
        for label in line.split("; "):
            assert label in labels


def test_dont_know_to_red_flags_is_not_ruled_out_next_to_the_urgency(client: TestClient) -> None:
    kb = load_kb()
    path = start(client, age="40", sex="female", description="ache at the back of my thigh after gardening")
    choose = lambda f: "unknown" if kb.findings[f].red_flag else "absent"
    html = _answer_until(client, path, choose)
    urgency = html[html.index('id="urgency-title"'):]
    urgency = urgency[:urgency.index("</section>")]
    if "emergency-hero" not in html:
        assert "Not ruled out:" in urgency and "call 112" in urgency


def test_progress_is_the_engines_estimate_and_why_follows_the_language(client: TestClient) -> None:
    path = start(client)
    page = current(client, path)
    assert re.search(r"About \d+ more question", page.text)
    assert "of about" not in page.text
    why_en = re.search(r'<details class="why">.*?<p>(.*?)</p>', page.text, re.DOTALL)
    assert why_en, "why we ask is shown"
    turkish = client.get(f"{path}/q/1", params={"lang": "tr"})
    why_tr = re.search(r'<details class="why">.*?<p>(.*?)</p>', turkish.text, re.DOTALL)
    assert why_tr and why_tr.group(1) != why_en.group(1), "why we ask is kept, in the page's language"
    assert "Bunu neden soruyoruz" in turkish.text


def test_error_pages_are_html_in_the_persons_language(client: TestClient) -> None:
    response = client.get("/no/such/page", params={"lang": "tr"})
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]
    assert '<html lang="tr">' in response.text and "Sayfa bulunamadı" in response.text
    english = client.get("/nothing-here", params={"lang": "en"})
    assert english.status_code == 404 and "Page not found" in english.text and "<h1>" in english.text
    wrong_method = client.put("/")
    assert wrong_method.status_code == 405 and "text/html" in wrong_method.headers["content-type"]
    # the API keeps its JSON problems
    api = client.get("/api/v1/nothing")
    assert api.status_code == 404 and api.headers["content-type"].startswith("application/problem+json")


def test_favicon(client: TestClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.headers["content-type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"
    assert 'rel="icon"' in client.get("/").text
