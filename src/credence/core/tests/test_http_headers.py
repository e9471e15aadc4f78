"""Every kind of answer carries the security headers (docs/security.md): pages for each kind of
visitor, JSON, a static file and an error page; with CREDENCE_HTTPS also HSTS and secure
cookies. `check --deploy` is clean for an HTTPS deployment configured by the environment."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase"

STRICT_CSP = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}


@pytest.fixture
def program():
    call_command("program", "load", verbosity=0)


def user_with(role: Role) -> User:
    user = User.objects.create_user(f"{role}@example.invalid", PASSWORD, full_name=str(role))
    user_assign_role(user=user, role=role, acting_user=None)
    return user


def representative_answers(client, secure=False):
    """(name, response) for each kind of answer the site gives."""
    get = lambda path: client.get(path, secure=secure)  # noqa: E731
    answers = [
        ("home", get(reverse("home"))),
        ("login", get(reverse("account_login"))),
        ("json", get(reverse("credentials:did-document"))),
        ("static file", get("/static/credence/site.css")),
        ("not found", get("/no-such-page/")),
    ]
    client.force_login(user_with(Role.CANDIDATE))
    answers.append(("candidate page", get(reverse("learning:my-path"))))
    client.force_login(user_with(Role.STAFF))
    answers.append(("staff page", get(reverse("billing:office"))))
    return answers


def assert_policy_headers(name, response):
    csp = {part.strip() for part in response["Content-Security-Policy"].split(";")}
    assert csp >= STRICT_CSP, name
    assert not any("unsafe" in part for part in csp), name
    assert response["X-Frame-Options"] == "DENY", name
    assert response["X-Content-Type-Options"] == "nosniff", name
    assert response["Referrer-Policy"] == "same-origin", name
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", name
    assert "camera=()" in response["Permissions-Policy"], name


def test_every_kind_of_answer_carries_the_policy_headers(client, program):
    answers = representative_answers(client)

    statuses = {name: response.status_code for name, response in answers}
    assert statuses == {
        "home": 200,
        "login": 200,
        "json": 200,
        "static file": 200,
        "not found": 404,
        "candidate page": 200,
        "staff page": 200,
    }
    for name, response in answers:
        assert_policy_headers(name, response)
        assert "Strict-Transport-Security" not in response, name  # plain HTTP: no HSTS


@pytest.fixture
def https(settings):
    """What CREDENCE_HTTPS=1 switches on (settings.py), set before the client's first request
    builds the middleware."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True


def test_over_https_every_answer_also_carries_hsts(client, program, https):
    for name, response in representative_answers(client, secure=True):
        assert_policy_headers(name, response)
        assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains"), (
            name
        )


def test_over_https_plain_http_is_redirected(client, https):
    response = client.get(reverse("home"))

    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_over_https_session_and_csrf_cookies_are_secure_httponly_and_lax(client, https):
    User.objects.create_user("ada@example.invalid", PASSWORD, full_name="Ada")
    form = client.get(reverse("account_login"), secure=True)
    csrf = form.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"

    login = client.post(
        reverse("account_login"),
        {"login": "ada@example.invalid", "password": PASSWORD},
        secure=True,
    )

    assert login.status_code == 302
    session = login.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    # the cookie ends with the browser unless "remember me"; the server ends it after 12 h
    stored = Session.objects.get(session_key=session.value)
    assert stored.expire_date - timezone.now() <= timedelta(hours=12)
    assert stored.expire_date - timezone.now() > timedelta(hours=11, minutes=59)


def deployment_environment(tmp_path, **settings: str) -> dict[str, str]:
    """This process's environment as a deployment would have it: without what the test run
    itself sets (the browser tests allow async-unsafe calls, which a deployment must not)."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name
        not in {
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "CREDENCE_HTTPS",
            "HTTPS",
            "CREDENCE_PUBLIC_URL",
            "CREDENCE_ISSUER_DOMAIN",
        }
    }
    return env | {
        "SECRET_KEY": "a-deployment-secret-" + "k" * 60,
        "CREDENCE_VAR_DIR": str(tmp_path),
        "DEBUG": "0",
        **settings,
    }


def test_check_deploy_is_clean_for_an_https_deployment_from_the_environment(tmp_path):
    env = deployment_environment(
        tmp_path,
        CREDENCE_HTTPS="1",
        ALLOWED_HOSTS="credence.example.org",
        CREDENCE_PUBLIC_URL="https://credence.example.org",
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            "--settings",
            "credence.settings",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_names_what_is_missing_without_https(tmp_path):
    env = deployment_environment(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--settings", "credence.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    # the switch matters: without it the deployment check lists the HTTPS settings it lacks
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stdout + result.stderr
    # and that every mailed link would name a guessed address (decision 0033)
    assert "credence.W001" in result.stdout + result.stderr


INLINE = re.compile(
    r"""\sstyle\s*=|<style\b|\son[a-z]+\s*=|javascript:|<script(?![^>]*\bsrc=)(?![^>]*application/json)""",
    re.IGNORECASE,
)


def test_no_template_needs_inline_script_or_style():
    """The policy allows no inline script, style or handler; the browser tests catch what
    the journeys visit, this catches the pages they do not."""
    root = Path(settings.PACKAGE_DIR)
    offenders = [
        f"{path.relative_to(root)}: {match.group(0).strip()}"
        for path in root.rglob("*.html")
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
