"""Password rules (docs/security.md): Django's validators, at least 12 characters, applied by
allauth's sign-up and password-change forms; nothing is stored when a password is refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from credence.accounts.models import User
from credence.demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

GOOD = "a long and unusual passphrase"


def sign_up(client, password):
    return client.post(
        reverse("account_signup"),
        {
            "full_name": "Ada Lovelace",
            "email": "ada.lovelace@example.invalid",
            "password1": password,
            "password2": password,
        },
    )


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("Qx7!mR2#pL9", "too short"),  # 11 characters
        ("123456789012345", "entirely numeric"),
        ("manchesterunited", "too common"),
        ("ada.lovelace@example", "too similar"),
    ],
)
def test_signup_refuses_a_weak_password_and_stores_nothing(client, password, why):
    response = sign_up(client, password)

    assert response.status_code == 200
    assert not User.objects.exists()
    errors = " ".join(response.context["form"].errors.get("password1", []))
    assert why in errors.lower()


def test_signup_takes_a_twelve_character_password(client):
    response = sign_up(client, "Qx7!mR2#pL9z")

    assert response.status_code == 302
    assert User.objects.get().check_password("Qx7!mR2#pL9z")


def test_password_change_applies_the_same_rules(client):
    user = User.objects.create_user(email="ada@example.invalid", password=GOOD, full_name="Ada")
    client.force_login(user)

    weak = client.post(
        reverse("account_change_password"),
        {"oldpassword": GOOD, "password1": "short1!", "password2": "short1!"},
    )
    assert weak.status_code == 200
    assert "password1" in weak.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(GOOD)

    strong = client.post(
        reverse("account_change_password"),
        {"oldpassword": GOOD, "password1": GOOD + " two", "password2": GOOD + " two"},
    )
    assert strong.status_code == 302
    user.refresh_from_db()
    assert user.check_password(GOOD + " two")


def test_the_demo_password_would_pass_the_rules():
    from django.contrib.auth.password_validation import validate_password

    validate_password(DEMO_PASSWORD)  # raises ValidationError if `credence demo` broke them
