"""Sign-up through allauth's real form: the account, its role, its password hash, its audit."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from credence import settings as shipped
from credence.accounts.models import Role, User
from credence.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase"


def sign_up(client, **overrides):
    data = {
        "full_name": "  Ada   Lovelace ",
        "email": "Ada@Example.invalid",
        "password1": PASSWORD,
        "password2": PASSWORD,
    } | overrides
    return client.post(reverse("account_signup"), data)


def test_the_role_migration_makes_a_group_for_every_role():
    # The migration's own function, run on an empty table: a transactional test that ran
    # before this one (random order) flushes the tables, and the groups migrate made with them.
    from django.apps import apps

    migration = importlib.import_module("credence.accounts.migrations.0002_role_groups")
    Group.objects.all().delete()
    migration.create_role_groups(apps, None)
    migration.create_role_groups(apps, None)  # again: changes nothing
    assert Group.objects.count() == len(Role.values)
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_signup_creates_a_candidate_with_an_argon2_hash_and_an_audit_row(client):
    response = sign_up(client)

    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "ada@example.invalid"
    assert user.full_name == "Ada Lovelace"
    assert user.has_role(Role.CANDIDATE)
    assert user.password.startswith("argon2")
    assert user.check_password(PASSWORD)
    events = AuditEvent.objects.filter(subject_user=user)
    assert set(events.values_list("action", flat=True)) == {"user.registered", "role.assigned"}
    assert all(event.actor == user for event in events)
    assert events.get(action="role.assigned").after == {"roles": ["candidate"]}


def test_signup_signs_the_candidate_in_and_sends_them_to_my_path(client):
    response = sign_up(client)

    assert response.url == reverse("learning:my-path")
    assert client.get(response.url).status_code == 200


def test_signup_needs_a_full_name(client):
    response = sign_up(client, full_name="   ")

    assert response.status_code == 200
    assert not User.objects.exists()
    assert not AuditEvent.objects.exists()
    assert "full_name" in response.context["form"].errors


def test_the_signup_page_asks_for_the_full_name_first_with_a_label(client):
    html = client.get(reverse("account_signup")).content.decode()

    assert '<label for="id_full_name">' in html
    assert html.index('name="full_name"') < html.index('name="email"')


def test_the_confirmation_mail_links_to_the_public_url_and_its_link_confirms(
    client, mailoutbox, settings
):
    from allauth.account.models import EmailAddress

    # The request reaches the server as "testserver"; the mail must name the public address.
    settings.CREDENCE_PUBLIC_URL = "http://127.0.0.1:8111"
    # an address no other test signs up with: allauth limits confirmation mails per address
    # (in the cache, which outlives a test), so a reused one may get no mail
    sign_up(client, email="grace@example.invalid")

    (mail,) = mailoutbox
    assert mail.subject == "[Credence] Please Confirm Your Email Address"
    link = next(word for word in mail.body.split() if "/accounts/confirm-email/" in word)
    assert link.startswith("http://127.0.0.1:8111/accounts/confirm-email/")
    assert "testserver" not in mail.body
    page = client.get(link.removeprefix("http://127.0.0.1:8111"))
    assert page.status_code == 200
    client.post(link.removeprefix("http://127.0.0.1:8111"))
    assert EmailAddress.objects.get(email="grace@example.invalid").verified


def test_production_hashes_passwords_with_django_argon2_at_its_own_cost():
    # the suite swaps in a cheaper Argon2 (root conftest); the settings it ships must not
    assert shipped.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
