"""The clinician view on a real `thighdx serve`, SQLite and PostgreSQL: the list's reference codes,
red flags, sorting, filters and search as plain GET parameters (bad values a clear 400 page, never a
500), paging that keeps them; the case page in clinician wording; the audit page for auditors; the
clinician not-found page; the reference codes of interviews stored before they were kept."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from typing import Any

import httpx
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import column as sa_column
from sqlalchemy import insert, select
from sqlalchemy import table as sa_table

from thighdx.config import Settings
from thighdx.store import Store
from thighdx.store.db import MIGRATIONS
from thighdx.store.models import AuditEntry, Interview, Result
from thighdx.web.clinicians import normalize_reference
from thighdx.web.interviews import now, reference_code
from thighdx.web.pages.clinician import PAGE_SIZE, likelihood_ratio

PASSWORD = "correct horse battery"
RED_FLAG_TEXT = {"en": "My calf is swollen and painful and now I have chest pain and I am short of breath.",
                 "tr": "Baldırım şiş ve ağrılı, şimdi göğüs ağrım ve nefes darlığım var."}
PLAIN_TEXT = "pain at the back of my thigh after sprinting"


def _text(html: str) -> str:
    """The page's main content as plain text, one space between words."""
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main))).strip()


def _start(client: httpx.Client, age: int, language: str, text: str) -> tuple[str, str]:
    made = client.post("/api/v1/interviews", json={"age": age, "sex": "male", "language": language, "text": text})
    assert made.status_code == 201, made.text
    return made.json()["id"], made.json()["secret"]


def _signed_in(client: httpx.Client, username: str) -> httpx.Client:
    """Signed in through the sign-in form (the token in its cookie)."""
    page = client.get("/clinician/login")
    token = client.cookies["thighdx_form"]
    assert f'value="{token}"' in page.text
    response = client.post("/clinician/login", data={"csrf": token, "username": username, "password": PASSWORD})
    assert response.status_code == 303, response.text
    assert "thighdx_clinician=" in response.headers["set-cookie"]  # kept by the client for /clinician
    return client


def _references(html: str) -> list[str]:
    """The reference codes of the cards, in the order shown."""
    return re.findall(r'<h3 class="reference">(TX-[0-9A-Z]{4}-[0-9A-Z]{4})</h3>', html)


def test_list_case_audit_and_not_found(make_server, database_env) -> None:  # type: ignore[no-untyped-def]
    server = make_server(database_env)
    store = Store(Settings(data_dir=server.data_dir, database_url=database_env.get("THIGHDX_DATABASE_URL", "")))
    from thighdx.web.clinicians import create_clinician

    create_clinician(store, "dr.demir", PASSWORD)
    create_clinician(store, "auditor", PASSWORD, role="auditor")
    with server.client() as patient, server.client() as doctor, server.client() as auditor:
        plain, secret = _start(patient, 34, "en", PLAIN_TEXT)
        assert patient.get(f"/api/v1/interviews/{plain}/result", headers={"X-Interview-Secret": secret}).status_code == 200
        urgent, _ = _start(patient, 50, "en", RED_FLAG_TEXT["en"])
        turkish, _ = _start(patient, 61, "tr", RED_FLAG_TEXT["tr"])
        codes = {i: reference_code(i) for i in (plain, urgent, turkish)}

        _signed_in(doctor, "dr.demir")
        listing = doctor.get("/clinician/interviews")
        assert listing.status_code == 200
        shown = _text(listing.text)
        assert _references(listing.text) == [codes[turkish], codes[urgent], codes[plain]]  # newest first
        for words in ("Chest pain", "Ambulance now", "See a doctor in the next few days", "Hamstring strain", "finished",
                      "unfinished", "Red flags answered yes"):
            assert words.lower() in shown.lower(), words
        assert listing.text.count('<table class="interviews">') == 1 and 'class="case-cards"' in listing.text
        assert "Most likely cause - " not in shown  # unfinished interviews have a leading cause too

        # sorting and filters, in the database
        by_urgency = doctor.get("/clinician/interviews", params={"sort": "urgency"})
        assert _references(by_urgency.text)[-1] == codes[plain]
        assert set(_references(by_urgency.text)[:2]) == {codes[urgent], codes[turkish]}
        flagged = doctor.get("/clinician/interviews", params={"red_flag": "1"})
        assert set(_references(flagged.text)) == {codes[urgent], codes[turkish]}
        assert _references(doctor.get("/clinician/interviews", params={"unfinished": "on"}).text) == [codes[turkish], codes[urgent]]
        assert _references(doctor.get("/clinician/interviews", params={"level": "consultation"}).text) == [codes[plain]]
        empty = doctor.get("/clinician/interviews", params={"level": "self_care", "red_flag": "1"})
        assert empty.status_code == 200 and "No interview matches these filters." in _text(empty.text)

        # search by reference code, whatever the case and dashes
        code = codes[urgent]
        for typed in (code, code.lower(), code.replace("-", ""), code[3:].lower(), f" tx {code[3:7]} {code[8:]} "):
            found = doctor.get("/clinician/interviews", params={"q": typed})
            assert found.status_code == 200 and _references(found.text) == [code], typed
            assert f'value="{typed.strip()}"' in found.text  # the search is kept in the form

        # bad values: a clear message on the page, never a 500
        for params, message in (({"q": "TX-12"}, "is not a reference code thighdx gives"),
                                ({"sort": "oldest"}, "Choose the order from the list"),
                                ({"level": "urgent'--"}, "Choose the urgency from the list"),
                                ({"red_flag": "maybe"}, "A filter box is either ticked or not"),
                                ({"offset": "-5"}, "The page number in the address is not valid"),
                                ({"offset": "99999999999999999999"}, "The page number in the address is not valid"),
                                ({"q": "x" * 2000}, "is not a reference code thighdx gives")):
            bad = doctor.get("/clinician/interviews", params=params)
            assert bad.status_code == 400, (params, bad.status_code)
            assert "There is a problem with the filters" in bad.text and message in unescape(bad.text), params
            assert _references(bad.text) == []
        turkish_bad = doctor.get("/clinician/interviews", params={"q": "nope", "lang": "tr"})
        assert turkish_bad.status_code == 400 and "thighdx'in verdiği bir referans kodu değil" in unescape(turkish_bad.text)
        assert "Evet denen kırmızı bayraklar" not in turkish_bad.text  # no list under the message
        turkish_list = doctor.get("/clinician/interviews", params={"lang": "tr"})
        assert "Evet denen kırmızı bayraklar" in turkish_list.text and "Göğüs ağrısı".lower() in _text(turkish_list.text).lower()

        # the case in clinician wording: no "you", no patient disclaimer, rounded figures, no rule ids
        case = doctor.get(f"/clinician/interviews/{urgent}", params={"lang": "en"})
        assert case.status_code == 200
        text = _text(case.text)
        footer = case.text.split('<footer class="site-footer">', 1)[1]
        assert "supports clinical judgement" in footer and "This tool does not" not in footer
        for words in ("Why this level", "Red flag: ", "Red flags answered yes: chest pain", "Probabilities and codes",
                      "WHO ICD-10", "SNOMED CT", "The patient's own words", RED_FLAG_TEXT["en"], "has not finished"):
            assert words in text, words
        assert not re.search(r"\b(you|your)\b", text, re.IGNORECASE), re.findall(r".{40}\byour?\b.{40}", text, re.IGNORECASE)[:3]
        assert not re.search(r"\d+\.\d%", text) and "log LR" not in text and "+0.00" not in text
        assert re.search(r"\b\d{1,3}%|<1%", text)
        from thighdx.knowledge.loader import load_kb

        rule_ids = [flag.id for flag in load_kb().triage.red_flags]
        assert not [r for r in rule_ids if r in case.text]
        turkish_case = doctor.get(f"/clinician/interviews/{turkish}", params={"lang": "tr"})
        assert turkish_case.status_code == 200
        assert "Bu düzeyin nedeni" in turkish_case.text and re.search(r"%\d{1,3}\b|%<1", _text(turkish_case.text))

        # an unknown case: the clinician's own not-found page
        for lang, title in (("en", "Case not found"), ("tr", "Vaka bulunamadı")):
            missing = doctor.get("/clinician/interviews/AAAAAAAAAAAAAAAAAAAAAA", params={"lang": lang})
            assert missing.status_code == 404 and title in missing.text
            assert 'class="clinician"' in missing.text and "/clinician/interviews" in missing.text

        # the audit page: auditors only, paged, its own reading recorded
        assert doctor.get("/clinician/audit").status_code == 403
        _signed_in(auditor, "auditor")
        assert auditor.get("/clinician/interviews").headers["location"] == "/clinician/audit"
        assert auditor.get("/clinician/").headers["location"] == "/clinician/audit"
        page = auditor.get("/clinician/audit")
        assert page.status_code == 200
        assert "read the audit log" in page.text and "opened the case" in page.text and codes[urgent] in page.text
        assert "reference search" in page.text and "dr.demir" in page.text
        assert auditor.get("/clinician/audit", params={"offset": "x"}).status_code == 400
        assert "Denetim kaydı" in auditor.get("/clinician/audit", params={"lang": "tr"}).text

        # the same query over the API
        bearer = {"Authorization": "Bearer " + patient.post("/api/v1/clinician/login", json={"username": "dr.demir", "password": PASSWORD}).json()["token"]}
        api = patient.get("/api/v1/clinician/interviews", headers=bearer, params={"sort": "urgency", "red_flag": "true"})
        assert api.status_code == 200 and {row["id"] for row in api.json()} == {urgent, turkish}
        assert all(row["red_flags"] and row["top_condition"] for row in api.json())
        found = patient.get("/api/v1/clinician/interviews", headers=bearer, params={"q": codes[plain].lower().replace("-", "")})
        assert [row["id"] for row in found.json()] == [plain] and found.json()[0]["reference"] == codes[plain]
        for params in ({"q": "TX-12"}, {"sort": "oldest"}, {"level": "urgent"}):
            refused = patient.get("/api/v1/clinician/interviews", headers=bearer, params=params)
            assert refused.status_code == 422, (params, refused.text)
        audit_bearer = {"Authorization": "Bearer " + patient.post("/api/v1/clinician/login", json={"username": "auditor", "password": PASSWORD}).json()["token"]}
        newest = patient.get("/api/v1/clinician/audit", headers=audit_bearer, params={"limit": 3}).json()
        older = patient.get("/api/v1/clinician/audit", headers=audit_bearer, params={"limit": 3, "offset": 3}).json()
        assert len(newest) == len(older) == 3 and newest[0]["action"] == "audit"
    with store.read() as session:
        actions = [a.action for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions.count("audit") == 4 and actions.count("view") >= 2


def test_paging_keeps_the_order_and_filters(make_server) -> None:  # type: ignore[no-untyped-def]
    server = make_server()
    store = Store(Settings(data_dir=server.data_dir))
    from thighdx.web.clinicians import create_clinician

    create_clinician(store, "dr.demir", PASSWORD)
    moment = now()
    with store.write() as session:  # more interviews than a page, stored directly (the engine is not needed to list them)
        session.execute(insert(Interview), [
            {"id": f"paging-{n:04d}", "secret_hash": "-", "created_at": moment, "updated_at": moment, "expires_at": moment + timedelta(days=1),
             "age": 40, "sex": "female", "language": "en", "status": "open", "triage_level": "consultation",
             "reference": reference_code(f"paging-{n:04d}")}
            for n in range(PAGE_SIZE + 5)])
    with server.client() as doctor:
        _signed_in(doctor, "dr.demir")
        first = doctor.get("/clinician/interviews", params={"sort": "urgency", "unfinished": "1"})
        older = re.search(r'<a href="([^"]+)">Older</a>', first.text)
        assert older, "no link to the next page"
        href = unescape(older.group(1))
        assert "sort=urgency" in href and "unfinished=1" in href and f"offset={PAGE_SIZE}" in href
        second = doctor.get(href)
        assert second.status_code == 200 and len(_references(second.text)) == 5
        assert not set(_references(first.text)) & set(_references(second.text))
        newer = re.search(r'<a href="([^"]+)">Newer</a>', second.text)
        assert newer and "sort=urgency" in unescape(newer.group(1))


def _at(store: Store, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()


def test_interviews_stored_before_get_their_reference_codes(tmp_path, database_env) -> None:  # type: ignore[no-untyped-def]
    store = Store(Settings(data_dir=tmp_path, database_url=database_env.get("THIGHDX_DATABASE_URL", "")))
    _at(store, "0007")
    moment = now()
    ids = [f"before-{n}" for n in range(3)]
    with store.engine.begin() as connection:
        # the interviews table as it was at 0007 (the model today has later columns)
        names = ("id", "secret_hash", "created_at", "updated_at", "expires_at", "age", "sex", "language", "status")
        table = sa_table("interviews", *(sa_column(n) for n in names))
        connection.execute(table.insert(), [
            {"id": i, "secret_hash": "-", "created_at": moment, "updated_at": moment, "expires_at": moment, "age": 30,
             "sex": "male", "language": "en", "status": "open"} for i in ids])
        connection.execute(Result.__table__.insert(), [{"interview_id": ids[0], "created_at": moment, "language": "en",
                                                        "triage_level": "consultation", "top_condition": "hamstring_strain", "data": {}}])
    store.migrate()
    with store.read() as session:
        rows = list(session.scalars(select(Interview)))
        assert {i.id: i.reference for i in rows} == {i: reference_code(i) for i in ids}
        assert {i.id: i.top_condition for i in rows} == {ids[0]: "hamstring_strain", ids[1]: None, ids[2]: None}


@pytest.mark.parametrize(("typed", "expected"), [
    ("TX-4K7M-9QPD", "TX-4K7M-9QPD"), ("tx4k7m9qpd", "TX-4K7M-9QPD"), ("4k7m-9qpd", "TX-4K7M-9QPD"),
    ("TX-4K7M-9QPO", "TX-4K7M-9QP0"), ("tx-ll00-oiio", "TX-1100-0110"),
])
def test_reference_codes_are_read_as_typed(typed: str, expected: str) -> None:
    assert normalize_reference(typed) == expected


@pytest.mark.parametrize("typed", ["", "TX", "TX-4K7M-9QP", "TX-4K7M-9QPDX", "TX-4K7M-9QPU", "ЖX-4K7M-9QPD", "AB-4K7M-9QPD"])
def test_other_text_is_no_reference_code(typed: str) -> None:
    from thighdx.errors import InputError

    with pytest.raises(InputError):
        normalize_reference(typed)


def test_likelihood_ratios_read_plainly() -> None:
    import math

    values: dict[float, Any] = {6.5: ("6.5", "6,5"), 14.2: ("14", "14"), 0.043: ("0.043", "0,043"), 0.46: ("0.46", "0,46")}
    for ratio, (en, tr) in values.items():
        assert likelihood_ratio(math.log(ratio), "en") == en and likelihood_ratio(math.log(ratio), "tr") == tr
