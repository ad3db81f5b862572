"""Full interviews in real headless Chromium, in English and Turkish, with axe-core on every page."""

from __future__ import annotations

import re

import pytest
from browser_helpers import CLINICIAN, check_axe, current_finding, no_horizontal_scroll

from thighdx.knowledge.loader import load_kb

pytestmark = pytest.mark.usefixtures("browser_ready")
WORDS = {
    "en": {"yes": "Yes", "no": "No", "unknown": "Don't know", "start": "Start", "back": "Back"},
    "tr": {"yes": "Evet", "no": "Hayır", "unknown": "Bilmiyorum", "start": "Başla", "back": "Geri"},
}


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
        finding = current_finding(page)
        if finding is None:
            break
        assert page.locator("#progress-label").is_visible()
        check_axe(page, axe_name)
        asked.append(finding)
        page.get_by_role("button", name=WORDS[lang][choose(finding)], exact=True).click()
    assert "/result" in page.url, f"did not reach the result page: {page.url}"
    return asked


def test_english_interview_to_the_result(web) -> None:
    page = web
    page.goto("/?lang=en")
    check_axe(page, "start")
    no_horizontal_scroll(page)
    fill_start(page, "en", "34", "female", "Sudden sharp pain at the back of my thigh while sprinting. I felt a pop.")
    # why we ask, back
    first = current_finding(page)
    page.get_by_text("Why we ask").click()
    assert page.locator("details.why p").is_visible()
    page.get_by_role("button", name="No", exact=True).click()
    assert current_finding(page) != first
    page.get_by_role("link", name="Back").click()
    assert current_finding(page) == first
    assert page.locator(".choice.chosen").get_attribute("value") == "absent"  # the earlier answer is shown

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


def test_turkish_interview_with_the_language_switch(web) -> None:
    page = web
    page.goto("/?lang=en")
    page.get_by_role("link", name="Türkçe").click()
    assert page.locator("html").get_attribute("lang") == "tr"
    assert page.get_by_role("heading", name="Uyluğun arkasında ağrı").is_visible()
    check_axe(page, "start (tr)")
    fill_start(page, "tr", "47", "male", "Uzun süre oturunca kalçamdan uyluğun arkasına yayılan ağrı var.")
    assert page.get_by_role("button", name="Evet", exact=True).is_visible()
    assert "soru kaldı" in page.locator("#progress-label").inner_text()
    # switch to English mid-interview and back again
    page.get_by_role("link", name="English").click()
    assert page.get_by_role("button", name="Yes", exact=True).is_visible()
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
    words, expected = WORDS[lang], EMERGENCY[lang]
    page = web
    page.goto(f"/?lang={lang}")
    fill_start(page, lang, "58", "male", number=expected["number"])
    for _ in range(30):
        finding = current_finding(page)
        assert finding is not None, "the interview ended before a red flag was asked"
        assert page.locator(".emergency").count() == 0
        red = kb.findings[finding].red_flag
        page.get_by_role("button", name=words["yes"] if red else words["no"], exact=True).click()
        if red and page.locator(".emergency").count():
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
    if current_finding(page):
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
        first = current_finding(page)
        page.locator("summary", has_text="Why we ask").click()
        assert page.locator("details.why p").is_visible()
        page.get_by_role("button", name="No", exact=True).click()
        page.get_by_role("button", name="Don't know", exact=True).click()
        page.get_by_role("link", name="Back").click()
        page.get_by_role("link", name="Back").click()
        assert current_finding(page) == first
        assert page.locator(".choice.chosen").get_attribute("value") == "absent"
        page.get_by_role("button", name="Yes", exact=True).click()  # changes the first answer
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
    patient.get_by_role("button", name="No", exact=True).click()

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
        assert page.get_by_role("heading", name="Interviews").is_visible()
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
