"""Every mail allauth sends for Credence (sign-up confirmation, an address that already has an
account, password reset for a known and an unknown address)
links only to CREDENCE_PUBLIC_URL, whatever host the request came in on, and is titled
"[Credence] ..." (decision 0033)."""

from __future__ import annotations

import re

import pytest
from allauth.account.adapter import get_adapter
from allauth.core import context as allauth_context
from django.core.cache import cache
from django.urls import reverse

from credence.accounts.models import User

pytestmark = pytest.mark.django_db

PUBLIC = "https://certs.example.test"
PASSWORD = "a long and unusual passphrase"
URL = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture(autouse=True)
def public_site(settings):
    settings.CREDENCE_PUBLIC_URL = PUBLIC
    cache.clear()  # allauth limits mails per address and per IP in the cache


def links(mail) -> list[str]:
    return URL.findall(mail.body + "".join(body for body, _ in getattr(mail, "alternatives", [])))


def test_every_account_mail_names_the_product_and_links_only_to_the_public_url(client, mailoutbox):
    host = {"HTTP_HOST": "127.0.0.1"}  # what a local request carries: no port, no scheme
    signup = {"full_name": "Grace Hopper", "password1": PASSWORD, "password2": PASSWORD}
    client.post(reverse("account_signup"), signup | {"email": "grace@example.invalid"}, **host)
    client.logout()
    client.post(reverse("account_reset_password"), {"email": "grace@example.invalid"}, **host)
    client.post(reverse("account_reset_password"), {"email": "nobody@example.invalid"}, **host)

    subjects = [mail.subject for mail in mailoutbox]
    assert subjects == [
        "[Credence] Please Confirm Your Email Address",
        "[Credence] Password Reset Email",
        "[Credence] Unknown Account",
    ]
    for mail in mailoutbox:
        assert "127.0.0.1" not in mail.subject + mail.body
        assert links(mail), mail.subject
        for link in links(mail):
            assert link.startswith(PUBLIC + "/accounts/"), (mail.subject, link)
        assert "Credence" in mail.body and "certs.example.test" in mail.body


def test_the_mail_to_an_address_that_has_an_account_links_to_the_public_url(rf, mailoutbox):
    # allauth sends it, instead of saying the address is taken, once verification is
    # mandatory (ACCOUNT_EMAIL_VERIFICATION; the platform's is optional for now)
    request = rf.post(reverse("account_signup"), HTTP_HOST="127.0.0.1")
    with allauth_context.request_context(request):
        get_adapter(request).send_account_already_exists_mail("grace@example.invalid")

    (mail,) = mailoutbox
    assert mail.subject == "[Credence] Account Already Exists"
    assert links(mail) == [PUBLIC + "/accounts/password/reset/"]


def test_the_mailed_password_reset_link_sets_a_new_password(client, mailoutbox):
    User.objects.create_user("ada@example.invalid", PASSWORD, full_name="Ada Lovelace")
    client.post(reverse("account_reset_password"), {"email": "ada@example.invalid"})
    (link,) = [u for u in links(mailoutbox[0]) if "/password/reset/key/" in u]

    form = client.get(link.removeprefix(PUBLIC), follow=True)
    assert form.status_code == 200
    new = "another long and unusual passphrase"
    done = client.post(form.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert done.status_code == 302
    assert User.objects.get(email="ada@example.invalid").check_password(new)
