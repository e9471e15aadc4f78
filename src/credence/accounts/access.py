"""The one access layer for views and API handlers (docs/permissions.md, decision 0020).

Roles are predicates over the user (the `rules` package); object permissions are predicates
over (user, object) registered per app in ``credence/<app>/permissions.py`` and checked with
``user.has_perm("<app>.<verb>_<thing>", obj)``. Views never test roles or owners by hand:

* ``@role_required(Role.X)`` guards a page that shows no one's object in particular;
* ``access_object(...)`` (wrapped by each app's ``access_<thing>(request, pk)``) fetches an
  object and checks the permission in one step.

Who counts as the program office is decided here once: the staff role, or a superuser (who can
do anything through /admin/ anyway). Django's ``is_staff`` flag alone grants nothing outside
/admin/, and /admin/ itself also wants the office (``admin_site_permission``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404

from credence.accounts.models import Role, User

View = Callable[..., HttpResponseBase]


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind ``login_required``, ``role_required`` or ``staff_only``:
    its user is signed in, never anonymous."""

    user: User


M = TypeVar("M", bound=Model)


_ROLES_READ = "_credence_roles"


def _roles(user: Any) -> frozenset[str]:
    """The names of the user's roles, read in one query and kept on this user object: a page
    asks up to a dozen times (the view, the menu, the template's checks). A role granted or
    withdrawn through this object drops what was kept (``forget_roles``, on every change
    of ``user.groups``); a request always starts from a fresh user object."""
    kept = getattr(user, _ROLES_READ, None)
    if kept is None:
        kept = frozenset(user.groups.values_list("name", flat=True))
        setattr(user, _ROLES_READ, kept)
    return kept


def forget_roles(instance: Any, **_: Any) -> None:
    """Receiver of ``m2m_changed`` on ``User.groups``: the roles kept on that object go."""
    instance.__dict__.pop(_ROLES_READ, None)


def _holds(role: Role) -> rules.Predicate:
    @rules.predicate(name=f"holds_{role.value}")
    def holds(user: Any) -> bool:
        return bool(getattr(user, "pk", None)) and role.value in _roles(user)

    return holds


@rules.predicate
def _is_active_superuser(user: Any) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


is_candidate = _holds(Role.CANDIDATE)
is_proctor = _holds(Role.PROCTOR)
is_examiner = _holds(Role.EXAMINER)
is_author = _holds(Role.AUTHOR)
is_office = _is_active_superuser | _holds(Role.STAFF)

_ROLE_PREDICATES = {
    Role.CANDIDATE: is_candidate,
    Role.PROCTOR: is_proctor,
    Role.EXAMINER: is_examiner,
    Role.AUTHOR: is_author,
    Role.STAFF: is_office,
}


def has_any_role(user: Any, *roles: Role) -> bool:
    """Whether ``user`` holds one of ``roles``; the program office holds every role."""
    return bool(is_office(user)) or any(_ROLE_PREDICATES[role](user) for role in roles)


def role_required(*roles: Role) -> Callable[[View], View]:
    """Anonymous visitors go to the login page; signed-in users without one of ``roles`` get
    403 (the page itself is no secret). The program office is let through everywhere."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not has_any_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


staff_only = role_required(Role.STAFF)


def access_object(
    request: HttpRequest,
    queryset: type[M] | QuerySet[M],
    permission: str,
    *,
    hidden: bool = True,
    **lookup: Any,
) -> M:
    """Fetch the object and check ``permission`` on it in one step.

    ``hidden=True`` (the default) answers 404 to a user who may not see it, so that another
    person's invoice, claim or test is indistinguishable from one that does not exist.
    ``hidden=False`` answers 403: for objects whose existence is no secret to this user (a
    public certificate, a published session, the candidate's own submission)."""
    obj = get_object_or_404(queryset, **lookup)
    if not request.user.has_perm(permission, obj):
        raise Http404 if hidden else PermissionDenied
    return obj


def require_permission(request: HttpRequest, permission: str, obj: Any) -> None:
    """403 unless the user has ``permission`` on an object they already know exists."""
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def admin_site_permission(request: HttpRequest) -> bool:
    """Django's admin: active users with ``is_staff`` who are also the program office (staff
    role or superuser). Authors work in the item bank's own pages (/items/), not here. A stray
    ``is_staff`` flag on a candidate, proctor, examiner or author opens nothing."""
    return may_use_admin(request.user)


def may_use_admin(user: Any) -> bool:
    return bool(user.is_active and user.is_staff and is_office(user))
