from __future__ import annotations

import pytest

from credence.accounts.models import User


@pytest.mark.django_db
def test_an_address_longer_than_150_characters_is_a_valid_login():
    email = "a" * 60 + "@" + "b" * 120 + ".example"
    user = User.objects.create_user(email, "long-enough-password", full_name="Long Address")
    user.refresh_from_db()
    assert user.username == email and len(email) > 150
