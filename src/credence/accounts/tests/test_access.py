from __future__ import annotations

import itertools

import pytest
import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credence.accounts.access import access_object, has_any_role, is_office, role_required
from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role, user_remove_role

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


def test_a_superuser_is_the_program_office_and_the_is_staff_flag_alone_is_not():
    superuser = User.objects.create_superuser("root@example.invalid", "x" * 12, full_name="Root")
    flagged = User.objects.create_user(
        "flag@example.invalid", "x" * 12, full_name="Flag", is_staff=True
    )

    assert console(_request(superuser)).content == b"console"
    with pytest.raises(PermissionDenied):
        console(_request(flagged))


def test_a_role_granted_later_counts_at_once():
    person = _person("candidate")
    assert not has_any_role(person, Role.PROCTOR)

    user_assign_role(user=person, role=Role.PROCTOR, acting_user=None)

    assert has_any_role(person, Role.PROCTOR)


def test_a_role_withdrawn_is_gone_at_once_and_a_page_reads_the_roles_once(
    django_assert_num_queries,
):
    person = _person("proctor")
    with django_assert_num_queries(1):
        # the view, the menu and the template ask again and again: one query in all
        assert has_any_role(person, Role.PROCTOR)
        assert not has_any_role(person, Role.EXAMINER, Role.AUTHOR)
        assert not is_office(person)

    user_remove_role(user=person, role=Role.PROCTOR, acting_user=None)

    assert not has_any_role(person, Role.PROCTOR)
    user_assign_role(user=person, role=Role.CANDIDATE, acting_user=None)
    assert has_any_role(person, Role.CANDIDATE)
    person.groups.clear()  # any change of the groups through this object is seen
    assert not has_any_role(person, Role.CANDIDATE)


def test_access_object_hides_what_is_not_yours_and_refuses_what_you_know():
    owner, other = _person("candidate"), _person("author")
    hidden, known = "accounts.walk_hidden", "accounts.walk_known"
    is_self = rules.predicate(lambda user, obj: user.pk == obj.pk)
    rules.add_perm(hidden, is_self)
    rules.add_perm(known, is_self)
    try:
        assert access_object(_request(owner), User, hidden, pk=owner.pk) == owner
        with pytest.raises(Http404):
            access_object(_request(other), User, hidden, pk=owner.pk)
        with pytest.raises(PermissionDenied):
            access_object(_request(other), User, known, hidden=False, pk=owner.pk)
        with pytest.raises(Http404):  # no such object: 404 whatever the permission
            access_object(_request(owner), User, hidden, pk=owner.pk + 1000)
    finally:
        rules.remove_perm(hidden)
        rules.remove_perm(known)


def test_the_admin_wants_the_office_and_the_is_staff_flag(client):
    candidate = User.objects.create_user(
        "cand@example.invalid", "x" * 12, full_name="Cand", is_staff=True
    )
    office = _person("staff")
    office.is_staff = True
    office.save()

    client.force_login(candidate)
    refused = client.get("/admin/")
    assert refused.status_code == 302 and refused["Location"].startswith("/admin/login/")

    client.force_login(office)
    assert client.get("/admin/").status_code == 200

    # authors work in the item bank's pages (/items/), not in the admin, even with the flag
    author = _person("author")
    author.is_staff = True
    author.save()
    client.force_login(author)
    refused = client.get("/admin/items/item/")
    assert refused.status_code == 302 and refused["Location"].startswith("/admin/login/")


_people = itertools.count()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(granted=st.sets(st.sampled_from(list(Role))), superuser=st.booleans())
def test_a_role_is_held_when_granted_or_by_the_office(granted, superuser):
    n = next(_people)
    user = User.objects.create_user(
        f"p{n}@example.invalid", "x" * 12, full_name=f"P{n}", is_superuser=superuser
    )
    for role in granted:
        user_assign_role(user=user, role=role, acting_user=None)
    office = superuser or Role.STAFF in granted

    assert bool(is_office(user)) is office
    for role in Role:
        assert has_any_role(user, role) is (office or role in granted)
