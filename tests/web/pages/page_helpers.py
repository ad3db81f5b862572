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
