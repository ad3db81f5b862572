"""Helpers shared by the page tests."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token in the form"
    return found.group(1)


def finding_of(html: str) -> str:
    found = re.search(r'name="finding" value="([^"]+)"', html)
    assert found, "no question on the page"
    return found.group(1)


def start(client: TestClient, age: str = "34", sex: str = "female", lang: str = "en", description: str = "",
          number: str = "112") -> str:
    """Start an interview through the form; returns the interview path."""
    page = client.get("/", params={"lang": lang})
    assert page.status_code == 200
    response = client.post("/start", data={"csrf": csrf_of(page.text), "lang": lang, "age": age, "sex": sex,
                                           "description": description, "number": number})
    assert response.status_code == 303, response.text
    path = response.headers["location"]
    assert path.startswith("/interview/") and path.endswith("/q/1"), path  # the first question's own address
    return path.removesuffix("/q/1")


def step_of(html: str) -> str:
    found = re.search(r'name="step" value="([^"]+)"', html)
    assert found, "no step in the form"
    return found.group(1)


def current(client: TestClient, path: str):
    """The page the interview's address leads to now (the current question's step, or the result)."""
    response = client.get(path)
    assert response.status_code == 303, response.text
    return client.get(response.headers["location"])


def shown_of(html: str) -> list[str] | None:
    """The rows of a checklist page (a question and its grouped items on one page), or None."""
    found = re.search(r'name="shown" value="([^"]+)"', html)
    return found.group(1).split(",") if found else None


def checklist_form(html: str, choose) -> dict[str, str]:
    """The form a person sends from a checklist page, choosing each row's answer."""
    rows = shown_of(html)
    assert rows, "no checklist on the page"
    data = {"csrf": csrf_of(html), "shown": ",".join(rows), "step": step_of(html), "send": "1"}
    if 'name="change" value="1"' in html:
        data["change"] = "1"
    data.update({f"answer-{f}": choose(f) for f in rows})
    return data


def answer_page(client: TestClient, path: str, html: str, choose):
    """Answer the question page shown (a single question or a checklist) as `choose` says, finding by
    finding; returns the response and the (finding, choice) pairs sent."""
    rows = shown_of(html)
    if rows:
        data = checklist_form(html, choose)
        return client.post(f"{path}/screen", data=data), [(f, data[f"answer-{f}"]) for f in rows]
    finding = finding_of(html)
    choice = choose(finding)
    return client.post(f"{path}/answer", data={"csrf": csrf_of(html), "finding": finding, "choice": choice,
                                               "step": step_of(html)}), [(finding, choice)]
