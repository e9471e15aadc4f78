from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from credence.accounts.access import role_required
from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role

pytestmark = pytest.mark.django_db


@role_required(Role.PROCTOR)
def console(request):
    return HttpResponse("console")


def _request(user):
    request = RequestFactory().get("/console/")
    request.user = user
    return request


def _person(role):
    user = User.objects.create_user(f"{role}@example.invalid", "x" * 12, full_name=role)
    user_assign_role(user=user, role=Role(role), acting_user=None)
    return user


def test_the_role_and_the_program_office_get_in():
    assert console(_request(_person("proctor"))).content == b"console"
    assert console(_request(_person("staff"))).content == b"console"


def test_another_role_is_forbidden():
    with pytest.raises(PermissionDenied):
        console(_request(_person("candidate")))


def test_anonymous_visitors_are_sent_to_log_in():
    from django.contrib.auth.models import AnonymousUser

    response = console(_request(AnonymousUser()))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
