"""The result page shows every exercise with its two drawings, alt text, dose in words, progression and stop rule."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from thighdx.knowledge.loader import load_kb

KB = load_kb()


def result_page(client: TestClient, lang: str, text: str, age: int = 28, sex: str = "male") -> tuple[str, str]:
    """Start an interview through the API (its answers so far come from the text) and open its result page."""
    created = client.post("/api/v1/interviews", json={"age": age, "sex": sex, "language": lang, "text": text})
    assert created.status_code == 201, created.text
    body = created.json()
    client.cookies.clear()
    client.cookies.set("thighdx_secret", body["secret"])
    page = client.get(f"/interview/{body['id']}/result", params={"lang": lang})
    assert page.status_code == 200, page.text
    return body["id"], page.text


def test_every_exercise_on_the_result_has_pictures_with_alt_text(client: TestClient) -> None:
    for lang, text in (("en", "Sudden sharp pain at the back of my thigh while sprinting, it feels like a pulled hamstring."),
                       ("tr", "Koşarken uyluğumun arkasında ani keskin bir ağrı oldu, arka adale çekmesi gibi.")):
        _, html = result_page(client, lang, text)
        articles = re.findall(r'<article class="exercise" id="exercise-([a-z_]+)">(.*?)</article>', html, re.DOTALL)
        assert articles, "no exercises on the result"
        for exercise_id, body in articles:
            images = re.findall(r'<img src="/static/exercises/([a-z_]+)-(start|end)\.svg" alt="([^"]+)"', body)
            assert [(i, p) for i, p, _ in images] == [(exercise_id, "start"), (exercise_id, "end")], exercise_id
            exercise = KB.exercises[exercise_id]
            assert [a for _, _, a in images] == [exercise.alt.start.get(lang), exercise.alt.end.get(lang)]
            assert 'class="dose"' in body and "sets:" not in body and "set:" not in body
        for exercise_id, _ in articles:
            for position in ("start", "end"):
                svg = client.get(f"/static/exercises/{exercise_id}-{position}.svg")
                assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
        assert ("How to progress" in html and "When to stop" in html) if lang == "en" else \
            ("Nasıl ilerletilir" in html and "Ne zaman bırakılır" in html)
