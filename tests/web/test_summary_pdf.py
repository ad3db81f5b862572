"""The doctor's summary: a page and a PDF with the date, the reference code, the person's own words, every
answer (don't know too), urgency, coded differential and scores, in the person's language and number format.
The PDF is rendered with pdftoppm and its text layer read with pdftotext."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from thighdx.config import Settings
from thighdx.web.app import create_app
from thighdx.web.clinicians import create_clinician
from thighdx.web.interviews import reference_code
from thighdx.web.summary import long_date, number, percent

POPPLER = shutil.which("pdftoppm") and shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(not POPPLER and not os.environ.get("THIGHDX_REQUIRE_BROWSER"),
                                   reason="poppler-utils (pdftoppm, pdftotext) is not installed")
TEXTS = {
    "en": "Sharp pain at the back of my left thigh for 3 days, it started while sprinting and I felt a pop.",
    "tr": "3 gündür sol uyluğumun arkasında keskin bir ağrı var, koşarken başladı ve bir kopma hissettim.",
}


@pytest.fixture()
def client(tmp_path: Path):
    app = create_app(Settings(data_dir=tmp_path, rate_limit=0))
    with TestClient(app, follow_redirects=False) as c:
        c.app_state = app.state  # type: ignore[attr-defined]
        yield c


def interview(client: TestClient, lang: str, answers: int = 4) -> tuple[str, str]:
    """An interview started from the person's words, with a few answers (every other one "don't know")."""
    created = client.post("/api/v1/interviews", json={"age": 34, "sex": "female", "language": lang, "text": TEXTS[lang]})
    assert created.status_code == 201, created.text
    body = created.json()
    iid, secret, state = body["id"], body["secret"], body["state"]
    for i in range(answers):
        if not state["question"]:
            break
        q = state["question"]
        reply = client.post(f"/api/v1/interviews/{iid}/answers", headers={"X-Interview-Secret": secret},
                            json={"finding_id": q.get("finding_id") or q.get("id"), "choice_id": "unknown" if i % 2 == 0 else "absent"})
        assert reply.status_code == 200, reply.text
        state = reply.json()
    return iid, secret


def pdf_text(pdf: bytes, tmp_path: Path) -> tuple[int, str]:
    """(pages rendered by pdftoppm, the text layer by pdftotext)."""
    path = tmp_path / "summary.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True, timeout=60)
    pages = sorted(tmp_path.glob("page*.png"))
    assert all(p.stat().st_size > 1000 for p in pages)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True, timeout=60).stdout
    return len(pages), text


def test_number_formats_follow_the_language() -> None:
    assert percent(0.94, "en") == "94%" and percent(0.94, "tr") == "%94"
    assert percent(0.001, "en") == "<1%" and percent(0.001, "tr") == "<%1"
    assert percent(0.0, "tr") == "%0"  # only a true zero is zero
    assert number(1.5, "tr") == "1,5" and number(1.5, "en") == "1.5" and number(2.0, "tr") == "2"
    moment = datetime(2026, 12, 2, 14, 5, tzinfo=UTC)
    assert long_date(moment, "en") == "2 December 2026, 14:05 UTC"
    assert long_date(moment, "tr") == "2 Aralık 2026, 14:05 UTC"


def test_reference_code_is_short_stable_and_readable() -> None:
    code = reference_code("u7SwltT_KYHl6lgwWp2OQg")
    assert re.fullmatch(r"TX-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code)
    assert code == reference_code("u7SwltT_KYHl6lgwWp2OQg") != reference_code("u7SwltT_KYHl6lgwWp2OQh")


@needs_poppler
@pytest.mark.parametrize("lang", ["en", "tr"])
def test_pdf_renders_with_date_reference_and_the_persons_words(client: TestClient, tmp_path: Path, lang: str) -> None:
    iid, secret = interview(client, lang)
    response = client.get(f"/api/v1/interviews/{iid}/summary.pdf", headers={"X-Interview-Secret": secret})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf" and response.content.startswith(b"%PDF")
    pages, text = pdf_text(response.content, tmp_path)
    assert 1 <= pages <= 4
    flat = " ".join(text.split())
    result = client.get(f"/api/v1/interviews/{iid}/result", headers={"X-Interview-Secret": secret}).json()
    assert result["reference"] == reference_code(iid) and result["reference"] in flat
    assert long_date(datetime.fromisoformat(result["created_at"]), lang) in flat
    assert " ".join(TEXTS[lang].split()) in flat  # the person's own words, as written
    if lang == "tr":
        assert "Referans" in flat and "Bilmiyorum" in flat and "WHO ICD-10" in flat and "SNOMED CT" in flat
        assert re.search(r"%\d", flat) and not re.search(r"\d%", flat)
    else:
        assert "Reference" in flat and "Don't know" in flat and "ICD-10-CM" in flat
        assert re.search(r"\d%", flat)
    assert not re.search(r"(?<![\d.,])0%|%0(?![\d.,])", flat)


def test_pdf_needs_the_secret_or_a_clinician(client: TestClient, tmp_path: Path) -> None:
    iid, _ = interview(client, "en", answers=1)
    path = f"/api/v1/interviews/{iid}/summary.pdf"
    assert client.get(path).status_code == 401
    assert client.get(path, headers={"X-Interview-Secret": "wrong"}).status_code == 404
    assert client.get(path, headers={"Authorization": "Bearer nope"}).status_code == 401
    create_clinician(client.app_state.store, "dr.kaya", "correct horse battery")  # type: ignore[attr-defined]
    token = client.post("/api/v1/clinician/login", json={"username": "dr.kaya", "password": "correct horse battery"}).json()["token"]
    response = client.get(path, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(f"/api/v1/interviews/{'x' * 22}/summary.pdf", headers={"Authorization": f"Bearer {token}"}).status_code == 404
    create_clinician(client.app_state.store, "auditor", "correct horse battery", role="auditor")  # type: ignore[attr-defined]
    auditor = client.post("/api/v1/clinician/login", json={"username": "auditor", "password": "correct horse battery"}).json()["token"]
    audit = client.get("/api/v1/clinician/audit", headers={"Authorization": f"Bearer {auditor}"}).json()
    assert any(a["action"] == "view" and a["interview_id"] == iid for a in audit)
    rows = client.get("/api/v1/clinician/interviews", headers={"Authorization": f"Bearer {token}"}).json()
    assert rows[0]["reference"] == reference_code(iid)


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_summary_page_carries_date_reference_and_every_answer(client: TestClient, lang: str) -> None:
    iid, secret = interview(client, lang)
    client.cookies.set("thighdx_secret", secret)
    page = client.get(f"/interview/{iid}/summary", params={"lang": lang})
    assert page.status_code == 200, page.text
    html = page.text
    result = client.get(f"/api/v1/interviews/{iid}/result", headers={"X-Interview-Secret": secret}).json()
    assert f'class="summary-reference">{reference_code(iid)}<' in html
    assert f'class="summary-kb">{result["knowledge_base"]["version"]} ({result["knowledge_base"]["hash"][:12]})<' in html
    assert f'class="summary-date">{long_date(datetime.fromisoformat(result["created_at"]), lang)}<' in html
    assert TEXTS[lang].replace("'", "&#39;") in html
    assert html.count('<tr class="answer-') == len(result["answers_given"])
    assert 'class="answer-unknown"' in html
    assert f'href="/interview/{iid}/summary.pdf"' in html
    pdf = client.get(f"/interview/{iid}/summary.pdf", params={"lang": lang})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    client.cookies.clear()
    assert client.get(f"/interview/{iid}/summary.pdf").status_code == 403
