"""The result and the interview as a person meets them on a phone (390 x 844) in Chromium:
the emergency's one action on the first screen with one number, the short result within three
screens, "don't know" to red flags beside the urgency, JavaScript off, Back, a stale tab, the
error pages; axe-core on every page."""

from __future__ import annotations

import re

import pytest
from browser_helpers import answer_question, check_axe, checklist_rows, current_finding, marked, no_horizontal_scroll

from thighdx.knowledge.loader import load_kb

pytestmark = pytest.mark.usefixtures("browser_ready")
SCREEN = 844
NUMBER = re.compile(r"\b(112|911|999)\b")
WORDS = {
    "en": {"present": "Yes", "absent": "No", "unknown": "Don't know", "start": "Start",
           "age": "How old are you?", "female": "Female", "male": "Male"},
    "tr": {"present": "Evet", "absent": "Hayır", "unknown": "Bilmiyorum", "start": "Başla",
           "age": "Kaç yaşındasınız?", "female": "Kadın", "male": "Erkek"},
}


def start(page, lang: str, age: str, sex: str, description: str = "", number: str | None = None) -> None:
    words = WORDS[lang]
    page.goto(f"/?lang={lang}")
    page.get_by_label(words["age"]).fill(age)
    page.get_by_label(words[sex], exact=True).check()
    if description:
        page.locator("#description").fill(description)
    if number:
        page.locator("#number").select_option(number)
    page.get_by_role("button", name=words["start"]).click()


def walk(page, lang: str, choose, stop=lambda finding, choice: False, axe: str | None = None, limit: int = 40) -> None:
    """Answer until the result (or `stop`), by clicking the buttons a person would click."""
    for _ in range(limit):
        if current_finding(page) is None and checklist_rows(page) is None:
            break
        if axe:
            check_axe(page, axe)
        if any(stop(finding, choice) for finding, choice in answer_question(page, lang, choose)):
            break


def bottom(page, selector: str) -> float:
    """How far down the page (CSS px from its top) the element ends."""
    return page.evaluate("(s) => { const r = document.querySelector(s).getBoundingClientRect(); return r.bottom + window.scrollY; }",
                         selector)


def text_outside_numbers_list(page) -> str:
    return page.evaluate("""() => {
        const main = document.querySelector('main').cloneNode(true);
        main.querySelectorAll('.numbers-by-country').forEach(e => e.remove());
        return main.textContent + ' ' + [...main.querySelectorAll('a[href]')].map(a => a.getAttribute('href')).join(' ');
    }""")


@pytest.mark.parametrize(("lang", "number"), [("en", "911"), ("tr", "112"), ("en", "999")])
def test_emergency_result_first_screen_is_the_call(web, lang: str, number: str) -> None:
    kb = load_kb()
    page = web
    start(page, lang, "58", "male", number=number)
    said_yes: list[str] = []

    def red(finding: str) -> str:  # yes to the first warning sign asked, no to everything else
        if kb.findings[finding].red_flag and not said_yes:
            said_yes.append(finding)
        return "present" if finding in said_yes else "absent"

    walk(page, lang, red, stop=lambda f, c: c == "present")
    if current_finding(page) or checklist_rows(page):  # finishing the questions is offered, not required
        assert page.locator(".settled").is_visible()
        page.locator(".stop-button").click()
    assert "/result" in page.url
    page.evaluate("() => window.scrollTo(0, 0)")
    call = page.locator(".emergency-hero .call-button")
    assert call.get_attribute("href") == f"tel:{number}"
    assert number in call.inner_text()
    box = call.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= SCREEN, box
    # nothing but the action and the call on the first screen
    assert page.locator(".emergency-hero").bounding_box()["height"] >= SCREEN * 0.7
    # one number everywhere; other countries' numbers only in their own list
    assert set(NUMBER.findall(text_outside_numbers_list(page))) == {number}
    assert "{number}" not in page.content()
    assert page.locator(".numbers-by-country").count() == 1
    no_horizontal_scroll(page)
    check_axe(page, f"emergency result ({lang})")


def test_result_short_first_within_three_screens(web) -> None:
    page = web
    start(page, "en", "27", "male", "Sudden sharp pain at the back of my thigh while sprinting. I felt a pop.")
    walk(page, "en", lambda f: "absent", axe="question (result walk)")
    assert "/result" in page.url and page.locator(".emergency-hero").count() == 0
    for selector in ("#urgency-title", ".do-now", ".causes"):
        assert bottom(page, selector) <= 3 * SCREEN, (selector, bottom(page, selector))
    assert 2 <= page.locator(".cause").count() <= 3
    for text in page.locator(".likelihood").all_inner_texts():
        assert re.fullmatch(r"(About \d+|Fewer than 1|More than 9) in 10 people with these answers", text.strip()), text
    # the rest opens on demand, without script
    details = page.locator("details.why-causes")
    assert not details.locator("p").first.is_visible()
    details.locator("summary").click()
    assert details.locator("p").first.is_visible()
    no_horizontal_scroll(page)
    check_axe(page, "result (short first)")


def test_dont_know_to_red_flags_is_not_ruled_out_next_to_the_urgency(web) -> None:
    kb = load_kb()
    page = web
    start(page, "en", "35", "female", "Aching at the back of my thigh after a long day sitting at my desk.")
    walk(page, "en", lambda f: "unknown" if kb.findings[f].red_flag else "absent")
    assert "/result" in page.url
    assert page.locator(".emergency-hero").count() == 0
    note = page.locator(".urgency .not-ruled-out")
    assert note.is_visible() and "Not ruled out" in note.inner_text()
    assert "call 112" in note.inner_text() or "call 911" in note.inner_text()
    assert bottom(page, ".urgency .not-ruled-out") <= 2 * SCREEN
    check_axe(page, "result (not ruled out)")


def test_interview_and_result_work_without_javascript(chromium, server) -> None:
    context = chromium.new_context(base_url=server, java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        start(page, "tr", "44", "female", "Uzun süre oturunca uyluğumun arkası ağrıyor.")
        assert "soru kaldı" in page.locator("#progress-label").inner_text()
        walk(page, "tr", lambda f: "absent")
        assert "/result" in page.url
        details = page.locator("details.all-causes")
        details.locator("summary").click()
        assert details.locator("li").first.is_visible()
    finally:
        context.close()


def test_browser_back_shows_the_earlier_answer(web) -> None:
    page = web
    start(page, "en", "33", "male", "Pain at the back of my thigh.")
    rows = checklist_rows(page)
    assert rows, "the warning signs come first, on one page"
    answer_question(page, "en", lambda f: "unknown" if f == rows[0] else "absent")
    assert "/q/2" in page.url
    page.wait_for_load_state("load")
    page.go_back(wait_until="load")  # the browser's own Back: the checklist with the answers given
    assert "/q/1" in page.url and checklist_rows(page) == rows
    assert marked(page) == {f: "unknown" if f == rows[0] else "absent" for f in rows}
    page.wait_for_load_state("load")
    page.go_forward(wait_until="load")
    while checklist_rows(page):  # on to the first single question
        answer_question(page, "en", lambda f: "absent")
    step = int(page.url.rsplit("/q/", 1)[1])
    first = current_finding(page)
    page.get_by_role("button", name="Don't know", exact=True).click()
    second = current_finding(page) or checklist_rows(page)
    assert second != first and page.url.endswith(f"/q/{step + 1}")
    page.wait_for_load_state("load")
    page.go_back(wait_until="load")  # the browser's own Back
    assert page.url.endswith(f"/q/{step}") and current_finding(page) == first
    assert page.locator(".choice.chosen").get_attribute("value") == "unknown"
    assert "Your answer was: Don't know." in page.locator(".earlier-answer").inner_text()
    check_axe(page, "earlier question")
    page.wait_for_load_state("load")
    page.go_forward(wait_until="load")
    assert (current_finding(page) or checklist_rows(page)) == second
    # the same answer again goes on; nothing changes
    page.wait_for_load_state("load")
    page.go_back(wait_until="load")
    page.get_by_role("button", name="Don't know", exact=True).click()
    assert (current_finding(page) or checklist_rows(page)) == second and page.url.endswith(f"/q/{step + 1}")


def test_a_stale_tab_is_told_not_dropped(web) -> None:
    page = web
    start(page, "en", "50", "female")
    other = page.context.new_page()
    other.goto(page.url)  # the same checklist in a second tab
    rows = checklist_rows(page)
    assert rows and checklist_rows(other) == rows
    answer_question(page, "en", lambda f: "absent")
    with other.expect_response(lambda r: r.url.endswith("/screen")) as response:
        answer_question(other, "en", lambda f: "present" if f == rows[0] else "absent")
    assert response.value.status == 409
    notice = other.locator("#notice")
    assert notice.is_visible() and "Your answer was not recorded" in notice.inner_text()
    now = lambda p: current_finding(p) or checklist_rows(p)
    assert now(other) == now(page) != rows  # the question asked now
    other.goto(page.url.rsplit("/q/", 1)[0] + "/q/1")
    assert marked(other) == {f: "absent" for f in rows}  # the stale "yes" was not applied
    check_axe(other, "stale answer")
    other.close()


def test_error_pages_and_favicon(web) -> None:
    page = web
    response = page.goto("/no-such-page?lang=tr")
    assert response is not None and response.status == 404
    assert page.locator("html").get_attribute("lang") == "tr"
    assert page.get_by_role("heading", name="Sayfa bulunamadı").is_visible()
    check_axe(page, "not found page (tr)")
    icon = page.request.get("/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"] == "image/x-icon"
    api = page.request.get("/api/v1/nothing")
    assert api.status == 404 and api.headers["content-type"].startswith("application/problem+json")
