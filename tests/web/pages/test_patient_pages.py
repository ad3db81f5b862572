"""The patient pages over HTTP (in-process): flow, the red-flag checklist on one page, languages,
emergency banner, bad input."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from page_helpers import answer_page, checklist_form, csrf_of, current, finding_of, shown_of, start, step_of

from thighdx.knowledge.loader import load_kb


def answer(client: TestClient, path: str, choice: str, finding: str | None = None, step: str | None = None):
    page = current(client, path)
    assert page.status_code == 200, page.text
    return client.post(f"{path}/answer", data={"csrf": csrf_of(page.text), "finding": finding or finding_of(page.text),
                                               "choice": choice, "step": step or step_of(page.text)})


def walk(client: TestClient, path: str, choose=lambda finding: "absent", limit: int = 60) -> str:
    """Answer until the result page; returns its HTML."""
    for _ in range(limit):
        where = client.get(path)
        assert where.status_code == 303
        if where.headers["location"] == f"{path}/result":
            break
        assert where.headers["location"].startswith(f"{path}/q/")
        page = client.get(where.headers["location"])
        response, _ = answer_page(client, path, page.text, choose)
        assert response.status_code == 303, response.text
    result = client.get(f"{path}/result")
    assert result.status_code == 200, result.text
    return result.text


def to_single_question(client: TestClient, path: str, limit: int = 10):
    """Answer No on checklists until a page asks a single question; returns that page."""
    for _ in range(limit):
        page = current(client, path)
        assert page.status_code == 200, page.text
        if not shown_of(page.text):
            return page
        assert answer_page(client, path, page.text, lambda finding: "absent")[0].status_code == 303
    raise AssertionError("no single question was asked")


def checked(html: str) -> dict[str, str]:
    """The answers ticked on a checklist page."""
    return dict(re.findall(r'name="answer-([a-z0-9_]+)" value="(\w+)" checked', html))


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
    page = current(client, path)
    assert "Evet" in page.text and "Bilmiyorum" in page.text and "Soru 1" in page.text and "soru kaldı" in page.text
    switched = client.get(f"{path}/q/1", params={"lang": "en"})
    assert "Don&#39;t know" in switched.text or "Don't know" in switched.text
    html = walk(client, path)
    assert "Olası nedenler" in html or "Likely causes" in html


def test_the_red_flag_checklist_is_one_page(client: TestClient) -> None:
    kb = load_kb()
    path = start(client)
    page = current(client, path)
    assert page.status_code == 200 and step_of(page.text) == "1"
    rows = shown_of(page.text)
    assert rows and len(rows) > 5, "the warning signs are asked on one page"
    assert sum(kb.findings[f].red_flag for f in rows) > 5
    assert 'name="finding"' not in page.text  # one form for the whole checklist
    assert "A few safety questions that we ask everyone:" in page.text
    for finding in rows:  # each row: a group named by its question, Yes / No / Don't know as labelled radios
        group = re.search(rf'<fieldset class="check-row" id="row-{finding}">\s*<legend>(.*?)</legend>(.*?)</fieldset>',
                          page.text, re.DOTALL)
        assert group, finding
        assert group.group(1) == kb.findings[finding].question.get("en").replace("'", "&#39;")
        radios = re.findall(rf'<label class="check-choice"><input type="radio" name="answer-{finding}" value="(\w+)"> ([^<]+)</label>',
                            group.group(2))
        assert radios == [("present", "Yes"), ("absent", "No"), ("unknown", "Don&#39;t know")], radios
    assert page.text.count('type="submit"') == 2  # Continue, and "Mark all unanswered as No" (a real button)
    assert re.search(r"About \d+ more questions", page.text)
    why = re.search(r'<details class="why">.*?<p>(.*?)</p>', page.text, re.DOTALL)
    assert why and why.group(1) == kb.message("why_screen", "en")  # the engine's reason

    # rows left unanswered: the page comes back naming them, with the answers given still ticked
    data = checklist_form(page.text, lambda f: "absent")
    for finding in rows[2:5]:
        del data[f"answer-{finding}"]
    missing = client.post(f"{path}/screen", data=data)
    assert missing.status_code == 422 and "Please answer these questions too:" in missing.text
    for finding in rows[2:5]:
        text = kb.findings[finding].question.get("en").replace("'", "&#39;")
        assert f'<a href="#row-{finding}">{text}</a>' in missing.text
        assert f'aria-describedby="row-{finding}-error"' in missing.text
    assert set(checked(missing.text)) == set(rows) - set(rows[2:5])
    assert current(client, path).url.path.endswith("/q/1")  # nothing was recorded
    turkish = client.post(f"{path}/screen", params={"lang": "tr"}, data=data)
    assert turkish.status_code == 422 and "Lütfen bu soruları da yanıtlayın:" in turkish.text
    assert kb.findings[rows[2]].question.get("tr").replace("'", "&#39;") in turkish.text
    client.get("/", params={"lang": "en"})

    # "Mark all unanswered as No" ticks No on the open rows and shows the page again to be checked
    data = checklist_form(page.text, lambda f: "unknown")
    for finding in rows[1:]:
        del data[f"answer-{finding}"]
    del data["send"]
    filled = client.post(f"{path}/screen", data={**data, "fill": "absent"})
    assert filled.status_code == 200 and "now marked No" in filled.text
    assert checked(filled.text) == {rows[0]: "unknown", **{f: "absent" for f in rows[1:]}}
    assert current(client, path).url.path.endswith("/q/1")  # still nothing recorded

    # the whole page at once: Yes to one sign, No to the rest
    yes = rows[-1]
    sent = client.post(f"{path}/screen", data=checklist_form(page.text, lambda f: "present" if f == yes else "absent"))
    assert sent.status_code == 303 and sent.headers["location"] == f"{path}/q/2"
    second = client.get(f"{path}/q/2")
    assert second.status_code == 200 and step_of(second.text) == "2"
    assert f'href="{path}/q/1"' in second.text  # Back leads to the checklist
    # Back: the checklist with the earlier answers ticked
    earlier = client.get(f"{path}/q/1")
    assert earlier.status_code == 200 and shown_of(earlier.text) == rows
    assert checked(earlier.text) == {f: "present" if f == yes else "absent" for f in rows}
    assert "Your earlier answers are marked." in earlier.text and 'name="change" value="1"' in earlier.text
    # sent again unchanged: goes on, nothing changes
    again = client.post(f"{path}/screen", data=checklist_form(earlier.text, lambda f: checked(earlier.text)[f]))
    assert again.status_code == 303 and again.headers["location"] == f"{path}/q/2"
    # changed: the whole checklist is answered again, and what follows is asked again
    changed = client.post(f"{path}/screen", data=checklist_form(earlier.text, lambda f: "absent"))
    assert changed.status_code == 303 and changed.headers["location"] == f"{path}/q/2"
    assert checked(client.get(f"{path}/q/1").text) == {f: "absent" for f in rows}
    assert client.get(f"{path}/q/9").headers["location"] == f"{path}/q/2"


def test_a_stale_checklist_is_told_not_dropped(client: TestClient) -> None:
    path = start(client)
    tab_one = current(client, path)
    tab_two = current(client, path)  # the same checklist open in a second tab
    rows = shown_of(tab_one.text)
    assert client.post(f"{path}/screen", data=checklist_form(tab_one.text, lambda f: "absent")).status_code == 303
    # the second tab sends other answers: not applied, and the person is told
    stale = client.post(f"{path}/screen", data=checklist_form(tab_two.text, lambda f: "present"))
    assert stale.status_code == 409 and "Your answer was not recorded" in stale.text
    assert step_of(stale.text) == "2" and shown_of(stale.text) != rows  # the question asked now
    assert checked(client.get(f"{path}/q/1").text) == {f: "absent" for f in rows}
    # the same answers from the second tab are harmless
    same = client.post(f"{path}/screen", data=checklist_form(tab_two.text, lambda f: "absent"))
    assert same.status_code == 303 and same.headers["location"] == f"{path}/q/2"
    # one question of the checklist sent on its own (an old single-question page) is not applied either
    first = client.post(f"{path}/answer", data={"csrf": csrf_of(tab_one.text), "finding": rows[0], "choice": "present",
                                                "step": "1"})
    assert first.status_code == 409 and checked(client.get(f"{path}/q/1").text)[rows[0]] == "absent"


def test_back_shows_the_earlier_answer_and_can_change_it(client: TestClient) -> None:
    path = start(client)
    page = to_single_question(client, path)
    k = int(step_of(page.text))
    first = finding_of(page.text)
    assert answer(client, path, "absent").status_code == 303
    second = current(client, path)
    assert finding_of(second.text) != first and step_of(second.text) == str(k + 1)
    # every step has its own address: the browser's Back shows step k with the answer given
    earlier = client.get(f"{path}/q/{k}")
    assert earlier.status_code == 200 and finding_of(earlier.text) == first
    assert 'value="absent" class="button choice chosen"' in earlier.text and "Your answer was: No." in earlier.text
    assert f'href="{path}/q/{k}"' in second.text  # the app's Back is a link to that address
    # the same answer again goes on without changing anything
    same = client.post(f"{path}/answer", data={"csrf": csrf_of(earlier.text), "finding": first, "choice": "absent",
                                               "step": str(k), "change": "1"})
    assert same.status_code == 303 and same.headers["location"] == f"{path}/q/{k + 1}"
    # another answer changes it: the questions after it are asked again
    changed = client.post(f"{path}/answer", data={"csrf": csrf_of(earlier.text), "finding": first, "choice": "unknown",
                                                  "step": str(k), "change": "1"})
    assert changed.status_code == 303 and changed.headers["location"] in (f"{path}/q/{k + 1}", f"{path}/result")
    again = client.get(f"{path}/q/{k}")
    assert 'value="unknown" class="button choice secondary chosen"' in again.text
    # a step beyond the current one leads back to the current one
    assert client.get(f"{path}/q/40").headers["location"] == f"{path}/q/{k + 1}"
    # the old POST /back shows the earlier step, withdrawing nothing
    page = current(client, path)
    back = client.post(f"{path}/back", data={"csrf": csrf_of(page.text), "step": str(k + 1)})
    assert back.status_code == 303 and back.headers["location"] == f"{path}/q/{k}"


def test_an_answer_from_a_stale_tab_is_told_not_dropped(client: TestClient) -> None:
    path = start(client)
    tab_one = to_single_question(client, path)
    tab_two = current(client, path)  # the same question open in a second tab
    k = int(step_of(tab_one.text))
    first = finding_of(tab_one.text)
    assert answer(client, path, "absent").status_code == 303
    # the second tab answers the same question differently: not applied, and the person is told
    stale = client.post(f"{path}/answer", data={"csrf": csrf_of(tab_two.text), "finding": first, "choice": "present",
                                                "step": step_of(tab_two.text)})
    assert stale.status_code == 409
    assert "Your answer was not recorded" in stale.text and f'value="{first}"' not in stale.text
    assert step_of(stale.text) == str(k + 1)  # the page shows the question asked now
    # the same answer from the second tab is harmless
    same = client.post(f"{path}/answer", data={"csrf": csrf_of(tab_two.text), "finding": first, "choice": "absent",
                                               "step": step_of(tab_two.text)})
    assert same.status_code == 303
    assert 'value="absent" class="button choice chosen"' in client.get(f"{path}/q/{k}").text


def test_emergency_banner_appears_at_once(client: TestClient) -> None:
    kb = load_kb()
    path = start(client, age="61", sex="male")
    said_yes: list[str] = []

    def one_red_flag(finding: str) -> str:  # yes to the first warning sign asked, no to everything else
        if kb.findings[finding].red_flag and not said_yes:
            said_yes.append(finding)
        return "present" if finding in said_yes else "absent"

    for _ in range(30):
        page = current(client, path)
        assert page.status_code == 200
        assert 'class="emergency' not in page.text
        response, _ = answer_page(client, path, page.text, one_red_flag)
        assert response.status_code == 303
        if said_yes:
            break
    else:
        raise AssertionError("no red-flag question was asked")
    nxt = current(client, path)
    assert 'class="emergency' in nxt.text and 'href="tel:112"' in nxt.text
    if 'name="finding"' in nxt.text:  # finishing the questions is offered, not required
        assert "You can stop the questions now" in nxt.text and "More questions (optional)" in nxt.text
    result = client.get(f"{path}/result")
    assert 'class="emergency' in result.text and "Emergency: get help now" in result.text


def test_form_tampering_is_refused_with_a_clear_4xx(client: TestClient, app) -> None:
    path = start(client)
    page = to_single_question(client, path)
    csrf, finding = csrf_of(page.text), finding_of(page.text)
    cases = [
        ({"csrf": csrf, "finding": "no_such_finding", "choice": "present"}, 422, "not for the question being asked"),
        ({"csrf": csrf, "finding": finding, "choice": "maybe"}, 422, "yes, no or don"),
        ({"csrf": "forged", "finding": finding, "choice": "present"}, 403, "did not come from this site"),
        ({"finding": finding, "choice": "present"}, 403, "did not come from this site"),
    ]
    kb = load_kb()
    other = next(f for f in kb.findings if f != finding)
    cases.append(({"csrf": csrf, "finding": other, "choice": "present"}, 409, "Your answer was not recorded"))
    for data, status, text in cases:
        response = client.post(f"{path}/answer", data=data)
        assert response.status_code in (status if isinstance(status, tuple) else (status,)), (data, response.status_code)
        assert text in response.text.replace("&#39;", "'")
        assert "text/html" in response.headers["content-type"]
    # nothing was recorded
    assert finding_of(current(client, path).text) == finding


def test_checklist_tampering_is_refused_with_a_clear_4xx(client: TestClient) -> None:
    path = start(client)
    page = current(client, path)
    good = checklist_form(page.text, lambda f: "absent")
    rows = shown_of(page.text)
    cases = [
        ({**good, "shown": good["shown"] + ",no_such_finding"}, 422, "not for the question being asked"),
        ({**good, "shown": ""}, 422, "not for the question being asked"),
        ({**good, f"answer-{rows[0]}": "maybe"}, 422, "yes, no or don"),
        ({**good, "csrf": "forged"}, 403, "did not come from this site"),
        ({k: v for k, v in good.items() if k != "csrf"}, 403, "did not come from this site"),
        ({**good, "shown": ",".join(rows[1:])}, 409, "Your answer was not recorded"),  # not the checklist asked
        ({**good, "step": "3"}, 409, "Your answer was not recorded"),
    ]
    for data, status, text in cases:
        response = client.post(f"{path}/screen", data=data)
        assert response.status_code == status, (data, response.status_code)
        assert text in response.text.replace("&#39;", "'")
        assert "text/html" in response.headers["content-type"]
    # nothing was recorded
    assert step_of(current(client, path).text) == "1" and not checked(current(client, path).text)


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
        page = current(mallory, own)
        response = mallory.post(f"{path}/screen", data=checklist_form(page.text, lambda f: "present"))
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
    for url in ("/", path, f"{path}/q/1", f"{path}/q/x", f"{path}/q/0", f"{path}/result", f"{path}/summary", "/interview/x",
                "/interview/" + "a" * 500):
        response = client.get(url)
        assert response.status_code < 500
    assert client.get(path).headers["cache-control"] == "no-store"
    assert client.get(f"{path}/q/1").headers["cache-control"] == "no-store"
