"""Full interviews in real headless Chromium, in English and Turkish, with axe-core on every page."""

from __future__ import annotations

import re

import pytest
from browser_helpers import (
    AUDITOR,
    CLINICIAN,
    answer_question,
    check_axe,
    checklist_rows,
    current_finding,
    marked,
    no_horizontal_scroll,
)

from thighdx.knowledge.loader import load_kb

pytestmark = pytest.mark.usefixtures("browser_ready")
WORDS = {
    "en": {"yes": "Yes", "no": "No", "unknown": "Don't know", "start": "Start", "back": "Back"},
    "tr": {"yes": "Evet", "no": "Hayır", "unknown": "Bilmiyorum", "start": "Başla", "back": "Geri"},
}
CHOICE = {"yes": "present", "no": "absent", "unknown": "unknown"}


def fill_start(page, lang: str, age: str, sex: str, description: str = "", number: str | None = None) -> None:
    labels = {"en": ("How old are you?", "Female", "Male"), "tr": ("Kaç yaşındasınız?", "Kadın", "Erkek")}[lang]
    page.get_by_label(labels[0]).fill(age)
    page.get_by_label(labels[1] if sex == "female" else labels[2], exact=True).check()
    if description:
        page.locator("#description").fill(description)
    if number:
        page.locator("#number").select_option(number)
    page.get_by_role("button", name=WORDS[lang]["start"]).click()


def answer_all(page, lang: str, choose, axe_name: str, limit: int = 40) -> list[str]:
    """Answer question pages until the result page; axe on each question page. Returns the finding ids asked."""
    asked: list[str] = []
    for _ in range(limit):
        if current_finding(page) is None and checklist_rows(page) is None:
            break
        assert page.locator("#progress-label").is_visible()
        check_axe(page, axe_name)
        asked.extend(f for f, _ in answer_question(page, lang, lambda f: CHOICE[choose(f)]))
    assert "/result" in page.url, f"did not reach the result page: {page.url}"
    return asked


def test_english_interview_to_the_result(web) -> None:
    page = web
    page.goto("/?lang=en")
    check_axe(page, "start")
    no_horizontal_scroll(page)
    fill_start(page, "en", "34", "female", "Sudden sharp pain at the back of my thigh while sprinting. I felt a pop.")
    # the warning signs first, on one page; why we ask, back
    rows = checklist_rows(page)
    assert rows and len(rows) > 5
    page.get_by_text("Why we ask").click()
    assert page.locator("details.why p").is_visible()
    answer_question(page, "en", lambda f: "absent")
    assert "/q/2" in page.url
    page.get_by_role("link", name="Back").click()
    assert checklist_rows(page) == rows
    assert marked(page) == {f: "absent" for f in rows}  # the earlier answers are shown

    asked = answer_all(page, "en", lambda f: "no", "question")
    assert len(asked) >= 3
    page.wait_for_selector("h1")
    assert page.get_by_role("heading", name="Your results").is_visible()
    for heading in ("How urgent is it", "Likely causes", "What to do now", "Summary for your doctor"):
        assert page.get_by_role("heading", name=heading).count() == 1, heading
    assert page.locator(".cause").count() >= 1
    assert "in 10 people with these answers" in page.locator(".likelihood").first.inner_text()
    check_axe(page, "result")
    no_horizontal_scroll(page)
    # the print button is JavaScript's; the printable page works without it
    assert page.locator(".js-print").first.is_visible()

    # every exercise can be followed: a start and an end drawing, each with alt text
    exercises = page.locator("article.exercise")
    for i in range(exercises.count()):
        images = exercises.nth(i).locator("img")
        assert images.count() == 2
        for j in range(2):
            assert len(images.nth(j).get_attribute("alt") or "") > 10
            assert images.nth(j).evaluate("i => i.complete && i.naturalWidth > 0 || i.loading === 'lazy'")

    page.get_by_role("link", name="Printable summary").click()
    assert page.get_by_role("heading", name="Summary for your doctor").is_visible()
    assert "thighdx summary for your doctor" in page.locator(".doctor-summary").inner_text()
    assert re.fullmatch(r"TX-[0-9A-Z]{4}-[0-9A-Z]{4}", page.locator(".summary-reference").inner_text())
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d UTC", page.locator(".summary-date").inner_text())
    assert page.get_by_role("link", name="Download as PDF").get_attribute("href").endswith("/summary.pdf")
    check_axe(page, "summary")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()


def test_the_warning_signs_are_one_checklist_page(web) -> None:
    """The first page asks every warning sign at once on a phone: a group per sign with labelled
    Yes / No / Don't know radios, one Continue; missing rows are named; Back shows the marks."""
    page = web
    page.goto("/?lang=en")
    fill_start(page, "en", "45", "female", "Pain at the back of my thigh for a week.")
    assert page.url.endswith("/q/1")
    rows = checklist_rows(page)
    assert rows and len(rows) > 5
    assert page.get_by_text("A few safety questions that we ask everyone").is_visible()
    assert page.get_by_role("heading", name="Please answer each of these questions").is_visible()
    assert page.get_by_role("group").count() >= len(rows)
    kb = load_kb()
    for finding in rows:  # each sign is a named group of three labelled radios
        group = page.get_by_role("group", name=kb.findings[finding].question.get("en"), exact=True)
        assert group.count() == 1, finding
        assert [group.get_by_role("radio", name=n, exact=True).count() for n in ("Yes", "No", "Don't know")] == [1, 1, 1]
    assert "About" in page.locator("#progress-label").inner_text()
    no_horizontal_scroll(page)
    check_axe(page, "checklist")
    # keyboard: Tab reaches a row's radios, arrow keys choose within the row
    first_row = page.locator(f"#row-{rows[0]}")
    first_row.get_by_role("radio", name="Yes", exact=True).focus()
    page.keyboard.press("ArrowRight")
    assert marked(page) == {rows[0]: "absent"}
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.name") == f"answer-{rows[1]}"
    # sent with rows open: they are named, the answers given stay ticked
    page.get_by_role("button", name="Continue", exact=True).click()
    alert = page.get_by_role("alert")
    assert "Please answer these questions too" in alert.inner_text()
    assert kb.findings[rows[1]].question.get("en") in alert.inner_text()
    assert marked(page) == {rows[0]: "absent"}
    check_axe(page, "checklist with missing answers")
    no_horizontal_scroll(page)
    # the whole checklist on this one page: Don't know to one sign, No to the rest
    answer_question(page, "en", lambda f: "unknown" if f == rows[2] else "absent")
    assert page.url.endswith("/q/2") and checklist_rows(page) != rows
    page.get_by_role("link", name="Back").click()
    assert page.url.endswith("/q/1") and checklist_rows(page) == rows
    assert marked(page) == {f: "unknown" if f == rows[2] else "absent" for f in rows}
    assert "Your earlier answers are marked" in page.locator(".earlier-answer").inner_text()
    check_axe(page, "checklist (earlier answers)")
    # Continue unchanged goes on to the same next step
    page.get_by_role("button", name="Continue", exact=True).click()
    assert page.url.endswith("/q/2")


def test_turkish_interview_with_the_language_switch(web) -> None:
    page = web
    page.goto("/?lang=en")
    page.get_by_role("link", name="Türkçe").click()
    assert page.locator("html").get_attribute("lang") == "tr"
    assert page.get_by_role("heading", name="Uyluğun arkasında ağrı").is_visible()
    check_axe(page, "start (tr)")
    fill_start(page, "tr", "47", "male", "Uzun süre oturunca kalçamdan uyluğun arkasına yayılan ağrı var.")
    assert page.get_by_role("radio", name="Evet", exact=True).first.is_visible()
    assert page.get_by_role("button", name="Devam et", exact=True).is_visible()
    assert "soru kaldı" in page.locator("#progress-label").inner_text()
    # switch to English mid-interview and back again
    page.get_by_role("link", name="English").click()
    assert page.get_by_role("radio", name="Yes", exact=True).first.is_visible()
    page.get_by_role("link", name="Türkçe").click()
    answer_all(page, "tr", lambda f: "unknown" if len(f) % 5 == 0 else "no", "question (tr)")
    assert page.get_by_role("heading", name="Sonuçlarınız").is_visible()
    for heading in ("Ne kadar acil", "Olası nedenler", "Şimdi ne yapmalı", "Doktorunuz için özet"):
        assert page.get_by_role("heading", name=heading).count() == 1, heading
    check_axe(page, "result (tr)")
    page.get_by_role("link", name="Yazdırılabilir özet").click()
    assert "Doktorunuz için thighdx özeti" in page.locator(".doctor-summary").inner_text()
    assert re.fullmatch(r"\d{1,2} \w+ \d{4}, \d\d:\d\d UTC", page.locator(".summary-date").inner_text())
    assert page.locator(".summary-reference").inner_text().startswith("TX-")
    check_axe(page, "summary (tr)")


EMERGENCY = {
    "en": {"number": "911", "title": "Emergency: get help now", "call": "Call 911",
           "results": "Stop the questions and see what to do"},
    "tr": {"number": "112", "title": "Acil durum: hemen yardım alın", "call": "112 numarasını ara",
           "results": "Soruları bırakın ve ne yapmanız gerektiğini görün"},
}


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_emergency_banner_at_once_and_on_the_result(web, lang: str) -> None:
    kb = load_kb()
    expected = EMERGENCY[lang]
    page = web
    page.goto(f"/?lang={lang}")
    fill_start(page, lang, "58", "male", number=expected["number"])
    said_yes: list[str] = []

    def one_red_flag(finding: str) -> str:  # yes to the first warning sign asked, no to everything else
        if kb.findings[finding].red_flag and not said_yes:
            said_yes.append(finding)
        return "present" if finding in said_yes else "absent"

    for _ in range(30):
        assert current_finding(page) or checklist_rows(page), "the interview ended before a red flag was asked"
        assert page.locator(".emergency").count() == 0
        answer_question(page, lang, one_red_flag)
        if said_yes and page.locator(".emergency").count():
            break
    else:
        raise AssertionError("no red flag raised the emergency banner")
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_role("heading", name=expected["title"]).is_visible()
    call = page.get_by_role("link", name=expected["call"])
    assert call.get_attribute("href") == f"tel:{expected['number']}"
    # it comes before any further question on the page
    assert page.evaluate("""() => {
        const banner = document.querySelector('.emergency'), form = document.querySelector('.question-form');
        return !form || Boolean(banner.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING);
    }""")
    check_axe(page, f"question with emergency banner ({lang})")
    if current_finding(page) or checklist_rows(page):
        page.get_by_role("link", name=expected["results"]).click()
    assert "/result" in page.url
    assert page.get_by_role("heading", name=expected["title"]).is_visible()
    check_axe(page, f"result with emergency banner ({lang})")


def test_error_pages_are_clear_and_accessible(web) -> None:
    page = web
    response = page.goto("/interview/AAAAAAAAAAAAAAAAAAAAAA?lang=en")
    assert response is not None and response.status == 403
    assert "can only be opened in the browser where it was started" in page.get_by_role("alert").inner_text()
    check_axe(page, "error page")
    page.context.add_cookies([{"name": "thighdx_clinician", "value": "forged", "url": page.url.split("/interview")[0] + "/clinician"}])
    response = page.goto("/clinician/interviews?lang=tr")
    assert response is not None and response.status == 401
    assert "Oturumunuz geçerli değil" in page.get_by_role("alert").inner_text()
    check_axe(page, "error page (tr)")


def test_works_with_javascript_off(chromium, server) -> None:
    context = chromium.new_context(base_url=server, java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto("/?lang=en")
        fill_start(page, "en", "29", "male")
        rows = checklist_rows(page)
        assert rows
        page.locator("summary", has_text="Why we ask").click()
        assert page.locator("details.why p").is_visible()
        # "Mark all unanswered as No" is a real button: the page comes back with the marks to check
        page.locator(f"#row-{rows[0]}").get_by_role("radio", name="Don't know", exact=True).check()
        page.get_by_role("button", name="Mark all unanswered as No").click()
        assert "now marked No" in page.locator("#notice").inner_text()
        assert marked(page) == {rows[0]: "unknown", **{f: "absent" for f in rows[1:]}}
        page.get_by_role("button", name="Continue", exact=True).click()
        assert "/q/2" in page.url
        answer_question(page, "en", lambda f: "unknown")
        page.get_by_role("link", name="Back").click()
        page.get_by_role("link", name="Back").click()
        assert checklist_rows(page) == rows
        assert marked(page) == {rows[0]: "unknown", **{f: "absent" for f in rows[1:]}}
        page.locator(f"#row-{rows[-1]}").get_by_role("radio", name="Yes", exact=True).check()  # changes an answer
        page.get_by_role("button", name="Continue", exact=True).click()
        results = page.get_by_role("link", name="See the results so far")
        if not results.count():
            results = page.get_by_role("link", name="Stop the questions and see what to do")
        results.click()
        assert "/result" in page.url and page.locator("h1").first.is_visible()
        assert not page.locator(".js-print").first.is_visible()
        page.get_by_role("link", name="Printable summary").click()
        assert "thighdx summary for your doctor" in page.locator(".doctor-summary").inner_text()
    finally:
        context.close()


def test_clinician_view(chromium, server, web) -> None:
    # one interview to look at
    patient = web
    patient.goto("/?lang=en")
    fill_start(patient, "en", "41", "female", "Pain at the back of my thigh after a long run.")
    answer_question(patient, "en", lambda f: "absent")

    context = chromium.new_context(base_url=server, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    try:
        page.goto("/clinician/interviews")
        assert "/clinician/login" in page.url
        check_axe(page, "clinician sign-in")
        page.get_by_label("User name").fill(CLINICIAN[0])
        page.get_by_label("Password").fill("wrong password here")
        page.get_by_role("button", name="Sign in").click()
        assert page.get_by_role("alert").inner_text().startswith("The user name or password is not correct")
        page.get_by_label("Password").fill(CLINICIAN[1])
        page.get_by_role("button", name="Sign in").click()
        assert page.get_by_role("heading", name="Interviews", exact=True).is_visible()
        assert page.locator("table.interviews").is_visible() and not page.locator(".case-cards").is_visible()  # a table when wide
        check_axe(page, "clinician list")
        page.get_by_role("link", name="Open").first.click()
        for heading in ("Probabilities and codes", "Why: findings for and against", "Clinical scores",
                        "The patient's answers, in order"):
            assert page.get_by_role("heading", name=heading).count() == 1, heading
        assert page.get_by_text("Wells score for deep vein thrombosis").count() >= 1
        check_axe(page, "clinician case")
        page.get_by_role("button", name="Sign out").click()
        assert "/clinician/login" in page.url
    finally:
        context.close()


def sign_in_clinician(page, account: tuple[str, str] = CLINICIAN, lang: str = "en") -> None:
    page.goto(f"/clinician/login?lang={lang}")
    labels = {"en": ("User name", "Password", "Sign in"), "tr": ("Kullanıcı adı", "Parola", "Giriş yap")}[lang]
    page.get_by_label(labels[0]).fill(account[0])
    page.get_by_label(labels[1]).fill(account[1])
    page.get_by_role("button", name=labels[2]).click()


RED_FLAG_TEXT = "My calf is swollen and painful and now I have chest pain and I am short of breath."


def test_clinician_view_on_a_phone(chromium, server, web) -> None:
    """The list as cards at 390 x 844 (no sideways scrolling), its filters and search as a plain form,
    the case in clinician wording, the not-found and audit pages, in English and Turkish."""
    patient = web
    patient.goto("/?lang=en")
    fill_start(patient, "en", "52", "male", RED_FLAG_TEXT)
    patient.goto("/?lang=tr")
    fill_start(patient, "tr", "38", "female", "Koşarken uyluğumun arkasında ani bir ağrı oldu.")

    context = chromium.new_context(base_url=server, viewport={"width": 390, "height": 844}, locale="en-US", device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        sign_in_clinician(page)
        assert page.get_by_role("heading", name="Interviews", exact=True).is_visible()
        assert page.locator(".case-cards").is_visible() and not page.locator("table.interviews").is_visible()
        no_horizontal_scroll(page)
        check_axe(page, "clinician list (phone)")

        # most urgent first, only red flags: a plain GET form
        page.get_by_label("Order").select_option(label="Most urgent first")
        page.get_by_label("Only with a red flag answered yes").check()
        page.get_by_role("button", name="Show", exact=True).click()
        assert "sort=urgency" in page.url and "red_flag=1" in page.url
        cards = page.locator(".case-card")
        assert cards.count() >= 1
        first = cards.first.inner_text()
        assert "Chest pain" in first or "chest pain" in first, first
        assert "Ambulance now" in first
        no_horizontal_scroll(page)
        check_axe(page, "clinician list filtered (phone)")

        # search by the reference code as typed by hand: lower case, no dashes
        code = cards.first.locator("h3").inner_text().strip()
        page.get_by_label("Reference code").fill(code.lower().replace("-", ""))
        page.get_by_role("button", name="Show", exact=True).click()
        assert [c.strip() for c in page.locator(".case-card h3").all_inner_texts()] == [code]

        # a bad value: told on the page
        response = page.goto("/clinician/interviews?q=nope&sort=sideways")
        assert response is not None and response.status == 400
        alert = page.get_by_role("alert").inner_text()
        assert "is not a reference code thighdx gives" in alert and "Choose the order from the list" in alert
        no_horizontal_scroll(page)
        check_axe(page, "clinician list with a problem (phone)")

        # the case, in clinician wording, without the patient's disclaimer
        page.goto(f"/clinician/interviews?q={code}")
        page.get_by_role("link", name=f"Open {code}").click()
        assert page.get_by_role("heading", name="Why this level").is_visible()
        main = page.locator("main").inner_text()
        assert "Red flag:" in main and "log LR" not in main and not re.search(r"\d+\.\d%", main)
        assert "This tool gives information" not in page.locator("footer").inner_text()
        no_horizontal_scroll(page)
        check_axe(page, "clinician case (phone)")

        # an unknown case: the clinician's own page
        response = page.goto("/clinician/interviews/AAAAAAAAAAAAAAAAAAAAAA")
        assert response is not None and response.status == 404
        assert page.get_by_role("heading", name="Case not found").is_visible()
        assert page.get_by_role("link", name="Back to the list").count() == 1
        check_axe(page, "clinician not found")

        # Turkish
        page.goto("/clinician/interviews?lang=tr")
        assert page.get_by_role("heading", name="Görüşmeler", exact=True).is_visible()
        assert page.get_by_label("Referans kodu").is_visible()
        no_horizontal_scroll(page)
        check_axe(page, "clinician list (tr)")
        page.locator(".case-card a", has_text="Aç").first.click()
        assert page.get_by_role("heading", name="Bu düzeyin nedeni").is_visible()
        no_horizontal_scroll(page)
        check_axe(page, "clinician case (tr)")
        response = page.goto("/clinician/interviews/AAAAAAAAAAAAAAAAAAAAAA")
        assert response is not None and response.status == 404
        assert page.get_by_role("heading", name="Vaka bulunamadı").is_visible()
    finally:
        context.close()

    # the filters need no script
    context = chromium.new_context(base_url=server, java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        sign_in_clinician(page)
        page.get_by_label("Urgency", exact=True).select_option(label="Ambulance now")
        page.get_by_label("Only unfinished interviews").check()
        page.get_by_role("button", name="Show", exact=True).click()
        assert "level=emergency_ambulance" in page.url and "unfinished=1" in page.url
        assert page.locator(".case-card").count() >= 1
        assert all("Ambulance now" in t for t in page.locator(".case-card").all_inner_texts())
    finally:
        context.close()

    # the auditor starts at the audit log
    context = chromium.new_context(base_url=server, viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    try:
        sign_in_clinician(page, AUDITOR)
        assert page.url.endswith("/clinician/audit")
        assert page.get_by_role("heading", name="Audit log").is_visible()
        assert "read the audit log" in page.locator(".audit-cards").inner_text()
        no_horizontal_scroll(page)
        check_axe(page, "audit log (phone)")
        page.goto("/clinician/audit?lang=tr")
        assert page.get_by_role("heading", name="Denetim kaydı").is_visible()
        check_axe(page, "audit log (tr)")
    finally:
        context.close()
