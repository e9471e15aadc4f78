"""Role checks for views: ``@role_required(Role.STAFF)`` instead of a decorator per app."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from credence.accounts.models import Role

View = Callable[..., HttpResponse]


def role_required(*roles: Role) -> Callable[[View], View]:
    """Anonymous visitors go to the login page; signed-in users without one of ``roles`` get
    403. The program office (staff role) is let through everywhere."""
    allowed = {role.value for role in roles} | {Role.STAFF.value}

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.groups.filter(name__in=allowed).exists():
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


staff_only = role_required(Role.STAFF)
