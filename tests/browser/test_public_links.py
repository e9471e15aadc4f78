"""Links people get by mail work when followed, in a real browser against the live server
(decision 0033): with CREDENCE_PUBLIC_URL set to the server's address, a new candidate signs
up, reads the confirmation mail (titled "[Credence] ...", naming no host) and opens its link;
then asks for a new password, opens the mailed link, sets it and logs in with it."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "grace@example.invalid"
PASSWORD = "a long and unusual passphrase"
NEW_PASSWORD = "another long and unusual passphrase"
URL = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture
def public_site(settings, live_server) -> str:
    settings.CREDENCE_PUBLIC_URL = live_server.url
    call_command("program", "load", verbosity=0)
    cache.clear()  # allauth limits mails per address and per IP in the cache
    mail.outbox.clear()
    return live_server.url


def mailed_links(public: str) -> list[str]:
    """The links of the one mail sent since the last call, after checking its subject."""
    (message,) = mail.outbox
    mail.outbox.clear()
    assert message.subject.startswith("[Credence] ")
    host = public.split("://", 1)[1]
    assert host not in message.subject and "127.0.0.1" not in message.subject
    links = URL.findall(message.body)
    assert links and all(link.startswith(public + "/") for link in links), links
    return links


def test_the_mailed_links_open_in_the_browser(page: Page, public_site: str):
    page.goto("/accounts/signup/")
    page.get_by_label("Full name").fill("Grace Hopper")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My path")

    (confirm,) = [u for u in mailed_links(public_site) if "/accounts/confirm-email/" in u]
    page.goto(confirm)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Email Address")
    page.get_by_role("main").get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("main")).not_to_contain_text("expired or is invalid")
    assert EmailAddress.objects.get(email=EMAIL).verified

    page.get_by_role("button", name="Log out").click()
    page.goto("/accounts/password/reset/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_role("main").get_by_role("button", name="Reset My Password").click()
    (reset,) = [u for u in mailed_links(public_site) if "/accounts/password/reset/key/" in u]
    page.goto(reset)
    expect(page.get_by_role("heading", level=1)).to_have_text("Change Password")
    page.get_by_label("New Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New Password (again)").fill(NEW_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Change Password").click()
    expect(page.get_by_role("main")).to_contain_text("Your password is now changed.")

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
