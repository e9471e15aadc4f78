"""Signing in through the login form, for the journeys whose people are the program office
and one candidate (the fixture ``office_and_ada`` in conftest.py)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

PASSWORD = "a long and unusual passphrase"


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile(r"^(Log in|Sign In)$")).click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
