"""Session expiry (docs/security.md): a login ends after CREDENCE_SESSION_IDLE_SECONDS without a
request, and after SESSION_COOKIE_AGE whatever happens."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from credence.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada():
    return User.objects.create_user("ada@example.invalid", "x" * 12, full_name="Ada")


def signed_in(client) -> bool:
    response = client.get(reverse("learning:my-path"))
    return response.status_code == 200


def test_a_login_survives_short_pauses(client, ada):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(ada)
        assert signed_in(client)
        for _ in range(4):  # four pauses just under the idle limit: 8 h in all
            clock.shift(timedelta(seconds=settings.CREDENCE_SESSION_IDLE_SECONDS - 60))
            assert signed_in(client)


def test_a_login_ends_after_the_idle_timeout(client, ada):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(ada)
        assert signed_in(client)

        clock.shift(timedelta(seconds=settings.CREDENCE_SESSION_IDLE_SECONDS + 1))
        response = client.get(reverse("learning:my-path"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_a_login_ends_after_the_session_age_however_active(client, ada):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(ada)
        assert signed_in(client)
        step = timedelta(seconds=settings.CREDENCE_SESSION_IDLE_SECONDS - 60)
        elapsed = timedelta()
        while elapsed <= timedelta(seconds=settings.SESSION_COOKIE_AGE):
            clock.shift(step)
            elapsed += step
            still = signed_in(client)
        assert not still
