"""Login throttling (docs/security.md): django-axes locks an (e-mail, IP) pair out after
AXES_FAILURE_LIMIT failed logins through allauth's real login form, for the cool-off."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from credence.accounts.models import User
from credence.accounts.throttling import client_ip, login_of

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase"


@pytest.fixture(autouse=True)
def _fresh_allauth_rate_limits():
    # allauth's per-IP limit lives in the cache; other tests' failures must not count here.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ada():
    return User.objects.create_user(
        email="ada@example.invalid", password=PASSWORD, full_name="Ada Lovelace"
    )


def log_in(client, password, email="ada@example.invalid", ip="192.0.2.10"):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


def fail_until_locked(client, email="ada@example.invalid", ip="192.0.2.10"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = log_in(client, "wrong password, guessed", email=email, ip=ip)
    return response


def test_a_wrong_password_is_refused_and_counted(client, ada):
    response = log_in(client, "not the password")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "ada@example.invalid",
        "192.0.2.10",
        1,
    )


def test_after_the_limit_even_the_right_password_is_refused_with_the_lockout_page(client, ada):
    fail_until_locked(client)

    response = log_in(client, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert "Too many failed logins" in html
    assert "15 minutes" in html


def test_the_lockout_page_answers_in_the_visitors_language(client, ada):
    fail_until_locked(client)

    response = client.post(
        reverse("account_login"),
        {"login": "ada@example.invalid", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.10",
        HTTP_ACCEPT_LANGUAGE="de",
    )

    assert response.status_code == 429
    # The page's own sentences are gettext messages; the catalog's German comes with the
    # project's translation pass. The layout around them already speaks German.
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert ">Anmelden</a>" in html


def test_after_the_cool_off_the_right_password_works_again(client, ada):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        fail_until_locked(client)
        assert log_in(client, PASSWORD).status_code == 429

        clock.shift(settings.AXES_COOLOFF_TIME - timedelta(seconds=30))
        assert log_in(client, PASSWORD).status_code == 429

        clock.shift(timedelta(minutes=20))
        response = log_in(client, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(ada.pk)


def test_the_lockout_is_per_address_and_connection(client, ada):
    fail_until_locked(client, ip="192.0.2.10")

    # the same account from another connection, and another account from the locked one
    assert log_in(client, PASSWORD, ip="198.51.100.7").status_code == 302
    client.logout()
    User.objects.create_user(email="grace@example.invalid", password=PASSWORD, full_name="Grace")
    assert log_in(client, PASSWORD, email="grace@example.invalid").status_code == 302


def test_the_address_counts_case_insensitively(client, ada):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong", email="ADA@Example.invalid")

    assert log_in(client, PASSWORD).status_code == 429


def test_force_login_bypasses_the_throttle_as_tests_need(client, ada):
    fail_until_locked(client)
    client.force_login(ada)

    assert client.get(reverse("learning:my-path")).status_code == 200


def test_login_of_reads_allauths_email_credential_and_form_field(rf):
    assert login_of(None, {"email": " Ada@Example.Invalid "}) == "ada@example.invalid"
    request = rf.post("/accounts/login/", {"login": "Grace@Example.invalid"})
    assert login_of(request, None) == "grace@example.invalid"
    assert login_of(rf.get("/"), None) == ""


def test_client_ip_trusts_forwarded_for_only_behind_a_trusted_proxy(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")

    settings.CREDENCE_TRUST_PROXY = False
    assert client_ip(request) == "10.0.0.2"
    settings.CREDENCE_TRUST_PROXY = True
    # the client forged the first hop; the proxy appended the real one
    assert client_ip(request) == "203.0.113.5"
