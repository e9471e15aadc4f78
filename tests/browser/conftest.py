"""Harness for browser journeys: pytest-django's live server, driven by Debian's Chromium
through Playwright's sync API. No browser is ever downloaded: the system one is required."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright
from signin import PASSWORD

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role

# Playwright's sync API runs an event loop in this thread; Django would then refuse the
# synchronous ORM calls that fixtures and tests make ("async unsafe"). Nothing here is
# actually concurrent with that loop, so the check is switched off for browser tests.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("CREDENCE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Chromium at {CHROMIUM}, and none is there. Install "
            "Debian's package (sudo apt-get install chromium) or set CREDENCE_CHROMIUM to "
            "the browser's path. Playwright's own browser downloads are not used.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()
    _wait_for_request_threads()


def _wait_for_request_threads(seconds: float = 10) -> None:
    """Wait until the live server's request threads have ended. Each holds a kept-alive
    connection of the browser and closes its database connection only when that ends. The
    test database is dropped right after this fixture, and on PostgreSQL a connection still
    open then made the drop fail ("is being accessed by other users")."""
    deadline = time.monotonic() + seconds
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(max(0, deadline - time.monotonic()))


def watch_csp(page: Page) -> list[str]:
    """Collect the page's Content Security Policy violations (docs/security.md): Chromium
    reports each blocked inline script, style or foreign source on the console."""
    violations: list[str] = []

    def note(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", note)
    return violations


@pytest.fixture
def csp_watch() -> Callable[[Page], list[str]]:
    return watch_csp


@pytest.fixture
def office_and_ada() -> tuple[User, User]:
    """The program office and one candidate, both signing in with ``signin.PASSWORD``."""
    call_command("program", "load", verbosity=0)
    office = User.objects.create_user("office@example.invalid", PASSWORD, full_name="Olivia Office")
    user_assign_role(user=office, role=Role.STAFF, acting_user=None)
    ada = User.objects.create_user("ada@example.invalid", PASSWORD, full_name="Ada Lovelace")
    user_assign_role(user=ada, role=Role.CANDIDATE, acting_user=None)
    return office, ada


@pytest.fixture(scope="session")
def live_server(live_server: object) -> object:
    """pytest-django's live server, with the URLconf imported first. Importing it imports
    every view, numpy and scipy included (psychometrics): seconds on a loaded machine, which a
    test's first page would otherwise pay against the browser's 10 s timeout. The server is a
    thread of this process, so one import serves both."""
    import_module(settings.ROOT_URLCONF)
    return live_server


@pytest.fixture
def page(browser: Browser, live_server: object) -> Iterator[Page]:
    context = browser.new_context(
        base_url=str(live_server), viewport={"width": 1280, "height": 900}, locale="en-US"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    violations = watch_csp(page)
    yield page
    context.close()
    assert not violations, "Content Security Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def screenshot(page: Page) -> Callable[[str], Path]:
    """Save a full-page screenshot to var/screenshots/<name>.png (gitignored) for review."""
    folder = Path(settings.VAR_DIR) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
