"""The clinician list shows each interview's reference code (the one on the summary and the PDF) and links its PDF."""

from __future__ import annotations

from fastapi.testclient import TestClient
from page_helpers import csrf_of

from thighdx.web.clinicians import create_clinician
from thighdx.web.interviews import reference_code

PASSWORD = "correct horse battery"


def test_clinician_list_shows_the_reference_code_and_the_pdf(app) -> None:
    create_clinician(app.state.store, "dr.aydin", PASSWORD)
    with TestClient(app, follow_redirects=False) as patient, TestClient(app, follow_redirects=False) as doctor:
        created = patient.post("/api/v1/interviews", json={"age": 41, "sex": "male", "language": "tr",
                                                           "text": "iki haftadır sağ uyluğumun arkası ağrıyor"})
        iid, secret = created.json()["id"], created.json()["secret"]
        assert doctor.get(f"/clinician/interviews/{iid}/summary.pdf").status_code == 401
        page = doctor.get("/clinician/login")
        signed = doctor.post("/clinician/login", data={"csrf": csrf_of(page.text), "username": "dr.aydin", "password": PASSWORD})
        assert signed.status_code == 303
        listing = doctor.get("/clinician/interviews")
        assert listing.status_code == 200
        code = reference_code(iid)
        assert f'<th scope="row" class="reference">{code}</th>' in listing.text and f'<h3 class="reference">{code}</h3>' in listing.text
        assert f'href="/clinician/interviews/{iid}/summary.pdf"' in listing.text
        case = doctor.get(f"/clinician/interviews/{iid}")
        assert f'<span class="case-id">{code}</span>' in case.text and f'href="/clinician/interviews/{iid}/summary.pdf"' in case.text
        pdf = doctor.get(f"/clinician/interviews/{iid}/summary.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and code in pdf.headers["content-disposition"]
        patient.cookies.set("thighdx_secret", secret)
        summary = patient.get(f"/interview/{iid}/summary", params={"lang": "tr"})
        assert summary.status_code == 200 and code in summary.text and "iki haftadır sağ uyluğumun arkası ağrıyor" in summary.text
        assert "Taraf" in summary.text and "sağ (kişinin kendi sözleriyle)" in summary.text
        assert "yaklaşık 2 hafta" in summary.text
