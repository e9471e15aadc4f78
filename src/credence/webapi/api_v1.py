"""HTTP API: who the caller is and which roles they hold."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from credence.accounts.models import Role
from credence.webapi.auth import signed_in
from credence.webapi.problems import errors

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    roles: list[str]


@router.get("/me", response={200: MeOut, **errors(401, 403)}, auth=signed_in)
def me(request: HttpRequest) -> MeOut:
    user = request.user
    assert user.is_authenticated  # signed_in lets no anonymous caller through
    return MeOut(
        id=user.pk,
        email=user.email,
        full_name=user.full_name,
        # the roles as granted (the program office may act in every role besides)
        roles=[role.value for role in Role if user.has_role(role)],
    )
