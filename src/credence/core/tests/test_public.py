"""One setting builds every absolute link (decision 0033): the helper, the default when
nothing is set, the system checks, and every mail the demo sends."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from credence.core import checks
from credence.core.management.commands.serve import links_note
from credence.core.public import (
    mail_subject,
    public_domain,
    public_host,
    public_url,
    public_url_problem,
    use_local_address,
)
from credence.credentials import api as credentials_api
from credence.demo.data import demo_populate

PUBLIC = "http://127.0.0.1:8111"
URL = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s\"'<>]+", re.IGNORECASE)


def test_links_are_built_from_the_public_url_alone(settings):
    settings.CREDENCE_PUBLIC_URL = PUBLIC

    assert public_url("/certificates/CRD-1/") == "http://127.0.0.1:8111/certificates/CRD-1/"
    assert public_url() == "http://127.0.0.1:8111/"
    assert (public_domain(), public_host()) == ("127.0.0.1:8111", "127.0.0.1")
    with pytest.raises(ValueError):
        public_url("certificates/")  # a relative path would glue onto the port
    assert mail_subject("Your excellence refund") == "[Credence] Your excellence refund"


def test_a_local_server_records_its_address_for_every_process(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("CREDENCE_PUBLIC_URL", raising=False)
    monkeypatch.delenv("CREDENCE_ISSUER_DOMAIN", raising=False)
    settings.PUBLIC_URL_FILE = tmp_path / "var" / "public_url"

    assert use_local_address(host="127.0.0.1", port=8111) == PUBLIC
    assert settings.PUBLIC_URL_FILE.read_text() == PUBLIC + "\n"  # what settings read
    assert (settings.CREDENCE_PUBLIC_URL, settings.CREDENCE_ISSUER_DOMAIN) == (
        PUBLIC,
        "127.0.0.1:8111",
    )


def test_a_public_address_set_explicitly_stays(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("CREDENCE_PUBLIC_URL", "https://certs.example.org")
    settings.CREDENCE_PUBLIC_URL = "https://certs.example.org"
    settings.PUBLIC_URL_FILE = tmp_path / "public_url"

    assert use_local_address(host="127.0.0.1", port=8111) == "https://certs.example.org"
    assert not settings.PUBLIC_URL_FILE.exists()


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://certs.example.org", ""),
        ("http://127.0.0.1:8111", ""),
        ("certs.example.org", "http:// or https://"),
        ("ftp://certs.example.org", "http:// or https://"),
        ("https://certs.example.org/credence", "no path"),
        ("https://certs.example.org?x=1", "no path"),
        ("https://user:secret@certs.example.org", "password"),
    ],
)
def test_what_may_be_the_public_url(url, problem):
    assert (problem in public_url_problem(url)) and bool(public_url_problem(url)) == bool(problem)


def test_a_public_url_that_cannot_work_stops_the_system_check(settings):
    settings.CREDENCE_PUBLIC_URL = "certs.example.org"
    (error,) = checks.check_public_url()
    assert error.id == "credence.E001" and "certs.example.org" in error.msg


def test_an_https_site_with_an_http_public_url_is_named_by_the_deployment_check(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.CREDENCE_PUBLIC_URL = "http://certs.example.org"
    ids = {message.id for message in checks.check_public_url_for_deployment()}
    assert "credence.W002" in ids


def settings_public_url(tmp_path: Path, **env: str) -> str:
    """CREDENCE_PUBLIC_URL as a fresh process reads it from ``env`` (settings are read once)."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"CREDENCE_PUBLIC_URL", "CREDENCE_ISSUER_DOMAIN", "ALLOWED_HOSTS", "PORT"}
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.CREDENCE_PUBLIC_URL)",
        ],
        env=clean
        | {"DJANGO_SETTINGS_MODULE": "credence.settings", "CREDENCE_VAR_DIR": str(tmp_path)}
        | env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_unset_the_public_url_is_the_local_servers_own_or_the_first_allowed_host(tmp_path):
    # A local server speaks plain HTTP on a port: no "https://127.0.0.1/..." that opens nothing.
    assert settings_public_url(tmp_path) == "http://127.0.0.1:8000"
    assert settings_public_url(tmp_path, PORT="8111") == "http://127.0.0.1:8111"
    assert settings_public_url(tmp_path, ALLOWED_HOSTS="certs.example.org,localhost") == (
        "https://certs.example.org"
    )
    assert settings_public_url(tmp_path, CREDENCE_PUBLIC_URL="https://c.example.org/") == (
        "https://c.example.org"
    )
    (tmp_path / "public_url").write_text("http://127.0.0.1:8123\n")  # what `credence demo` keeps
    assert settings_public_url(tmp_path, PORT="8111") == "http://127.0.0.1:8123"


@pytest.mark.django_db
def test_every_mail_the_demo_sends_names_the_product_and_links_only_to_the_public_url(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.CREDENCE_KEYS_DIR = tmp_path / "keys"
    settings.CREDENCE_PUBLIC_URL = PUBLIC
    settings.CREDENCE_ISSUER_DOMAIN = "127.0.0.1:8111"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # the worker's mails (booking confirmations, reminders) sent at once, as the worker would
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    today = date(2026, 3, 10)
    call_command("program", "load", verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):  # mails go out on commit
        with time_machine.travel("2026-03-10 10:00:00+01:00", tick=False):
            demo_populate(today)
            credentials_api.credentials_issue_all()
        # then, over the years, every demo certificate's expiry reminders
        for days in range(0, 6 * 366, 30):
            day = str(today + timedelta(days=days))
            call_command("credentials", "remind", "--today", day, stdout=io.StringIO())

    sent = mail.outbox
    subjects = {message.subject for message in sent}
    assert {
        "[Credence] Your excellence refund",
        "[Credence] Your partial-credit claim was received",
    } <= subjects
    assert any(subject.startswith("[Credence] Your certificate ") for subject in subjects)
    links = []
    for message in sent:
        assert message.subject.startswith("[Credence] "), message.subject
        texts = [message.body] + [str(content) for _, content, _ in message.attachments]
        for text in texts:
            links += URL.findall(text.replace("\r\n ", ""))  # calendar lines are folded
    assert links
    # the one link elsewhere: LinkedIn's "add to profile", whose certificate link is ours
    linkedin = "https://www.linkedin.com/profile/add?"
    shared = [link for link in links if link.startswith(linkedin)]
    assert shared and all(f"certUrl={quote(PUBLIC, safe='')}%2F" in link for link in shared)
    strays = [link for link in links if not link.startswith((PUBLIC + "/", linkedin))]
    assert not strays


def test_no_code_builds_a_link_from_the_request():
    """A link built from the request names the host that reached the server (a loopback
    address, a proxy's upstream), not the public site: links come from core.public. Checking
    a redirect target against the request's own host is no link, and allowed."""
    package = Path(__file__).resolve().parents[2]
    offenders = [
        f"{path.relative_to(package)}:{number}: {line.strip()}"
        for path in package.rglob("*.py")
        if "tests" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"build_absolute_uri|get_host\(\)|HTTP_HOST|SERVER_NAME", line)
        and "url_has_allowed_host_and_scheme" not in line
    ]
    assert not offenders, offenders


@pytest.mark.parametrize(
    ("public", "port", "said"),
    [
        ("http://127.0.0.1:8000", 8000, False),
        ("http://127.0.0.1:8000", 8111, True),  # a demo set up on 8000, served on 8111
        ("http://localhost", 8111, True),
        ("https://certs.example.org", 8111, False),  # behind a proxy: the public site's own
    ],
)
def test_serve_says_when_its_links_would_open_another_local_server(public, port, said):
    note = links_note(public, port)
    assert bool(note) is said
    if said:
        assert f"credence demo --port {port}" in note
