"""Every page of the demo, as each role, on a phone: nothing wider than the 390 px screen and no
serious or critical accessibility violation that axe-core (Deque's checker, run in Chromium)
finds (issue 19 item 7).

The walk starts at the home page and follows every link of the site it meets, reading one page
per URL pattern and role (a second certificate or item page adds nothing a first did not
check); admin pages (Django's), downloads and other servers are left out. One browser context
does it all, signed in as each demo person in turn with a session made for them; axe-core is
put into each page by Playwright, so that context bypasses the Content Security Policy (the
checker's script is no part of the site; the CSP itself is tested by every other journey).

axe-core comes from the npm registry at the version and hash pinned in axe/package-lock.json,
installed with ``npm ci`` under var/ as the credential interop tests install their verifier.
The walk also saves the public verification page at 1280 and 390 px to docs/screenshots/, and
reads the home page, the signal guide and that certificate in German, switched to with the
site's language switch: the program's names and the guide's headings are German there.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError

from credence.accounts.models import User
from credence.credentials.models import Certificate
from credence.credentials.tests.interop_node import npm_installed
from credence.demo.data import DOMAIN

pytestmark = [pytest.mark.long, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "axe"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}

# who walks: nobody signed in, then one demo person per role
WALKERS = (
    ("visitor", None),
    ("candidate", f"engineer@{DOMAIN}"),
    ("proctor", f"proctor@{DOMAIN}"),
    ("examiner", f"examiner@{DOMAIN}"),
    ("author", f"author@{DOMAIN}"),
    ("office", f"office@{DOMAIN}"),
)
# not pages: files the browser would download, and the machine-readable documents
_FILES = (".pdf", ".png", ".svg", ".json", ".jsonl", ".ics", ".csv", ".zip", ".txt", ".xml")
_LEFT_OUT = ("/admin/", "/static/", "/media/", "/accounts/logout/", "/credentials/status/")

# The serious and critical violations axe reports, with where (at most three elements each).
_AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.impact} ${v.id} (${v.help}): ` +
      v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
}"""


def axe_script(var_dir: Path) -> Path:
    """axe.min.js, installed under ``var_dir`` from the pinned lock file if it is not yet."""
    if not (shutil.which("node") and shutil.which("npm")):
        pytest.fail(
            "The accessibility check needs Node.js and npm to install axe-core from the npm "
            "registry (Debian: apt-get install nodejs npm).",
            pytrace=False,
        )
    work = npm_installed(AXE, ("package.json", "package-lock.json"), var_dir, "axe-node")
    return work / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def demo(live_server, settings, tmp_path) -> None:
    """`credence demo --no-serve`, in the test's database, issuing as the live server."""
    settings.CREDENCE_KEYS_DIR = tmp_path / "keys"
    settings.PUBLIC_URL_FILE = tmp_path / "public_url"
    address = urlsplit(live_server.url)
    call_command(
        "demo",
        "--no-serve",
        "--host",
        str(address.hostname),
        "--port",
        str(address.port),
        stdout=io.StringIO(),
    )


@pytest.fixture
def checker(browser: Browser, live_server) -> Iterator[BrowserContext]:
    context = browser.new_context(
        base_url=str(live_server), viewport=PHONE, locale="en-US", bypass_csp=True
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


def sign_in(context: BrowserContext, base_url: str, email: str | None) -> None:
    context.clear_cookies()
    if email is None:
        return
    client = Client()
    client.force_login(User.objects.get(email=email))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def pattern_of(path: str) -> str | None:
    """The URL pattern a path of the site answers to; None for what the walk leaves out."""
    if path.startswith(_LEFT_OUT) or path.endswith(_FILES):
        return None
    try:
        return resolve(path).route
    except Resolver404:
        return None


def links(page: Page, origin: str) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all(
        "a[href]:not([download])", "links => links.map(a => a.href)"
    )
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" == origin:
            paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def check(page: Page, axe: Path) -> list[str]:
    """What is wrong with the page on the phone: overflow and axe's serious findings."""
    found = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        wide = page.evaluate(
            """limit => [...document.querySelectorAll("body *")]
              .filter(e => e.getBoundingClientRect().right > limit + 1).slice(0, 3)
              .map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""))""",
            PHONE["width"],
        )
        found.append(f"{width} px wide (widest: {', '.join(wide)})")
    page.add_script_tag(path=str(axe))
    found.extend(page.evaluate(_AXE_RUN))
    return found


def walk(page: Page, origin: str, axe: Path, who: str, seen: set[str]) -> tuple[list[str], int]:
    """Every pattern reachable from the home page that no one before read; the problems found
    and how many pages were read."""
    queue, problems, read = ["/"], [], 0
    while queue:
        path = queue.pop(0)
        try:
            response = page.goto(path)
        except PlaywrightError as error:
            if "Download is starting" in error.message:  # a file, not a page
                continue
            raise
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        read += 1
        problems.extend(f"{who} {path}: {problem}" for problem in check(page, axe))
        for link in links(page, origin):
            pattern = pattern_of(urlsplit(link).path)
            if pattern is not None and pattern not in seen:
                seen.add(pattern)
                queue.append(link)
    return problems, read


def test_every_page_fits_a_phone_and_passes_the_accessibility_check(
    demo, checker: BrowserContext, live_server
):
    axe = axe_script(Path(settings.VAR_DIR))
    origin = str(live_server).rstrip("/")
    page = checker.new_page()
    problems, read, seen = [], {}, {pattern_of("/")}
    # each role reads its home page and what earlier roles did not reach: the same pattern
    # read again as another role is the same template, and the walk must stay short
    for who, email in WALKERS:
        sign_in(checker, origin, email)
        found, read[who] = walk(page, origin, axe, who, seen)
        problems.extend(found)

    # the ML Expert certificate's public page, which people post (the walk read one
    # certificate's page, maybe another)
    certificate = Certificate.objects.get(holder__email=f"engineer@{DOMAIN}", award="ml-expert")
    sign_in(checker, origin, None)
    page.goto(f"/certificates/{certificate.serial}/")
    problems.extend(f"verification page: {p}" for p in check(page, axe))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "verification-page-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    page.screenshot(path=str(SCREENSHOTS / "verification-page-1280.png"), full_page=True)

    # German through the language switch: the program's names, the guide's headings and the
    # certificate in German, on the phone too (longer words, same checks)
    page.set_viewport_size(PHONE)
    page.goto("/")
    page.locator("#language-select").select_option("de")
    page.get_by_role("button", name="Switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    german = {
        "/": "Verantwortungsvolle KI",
        "/guide/": "Die ungeschönte Wahrheit",
        "/guide/about/the-brutal-truth/": "Die meisten KI-Zertifizierungen sind wertlos.",
        "/guide/aws-certified-ai-practitioner/": "Zeigt Bewusstsein, nicht Kompetenz",
        f"/certificates/{certificate.serial}/": "Trainieren, Bewerten und Bereitstellen",
    }
    for path, words in german.items():
        page.goto(path)
        expect(page.get_by_role("main")).to_contain_text(words)
        problems.extend(f"German {path}: {p}" for p in check(page, axe))
    expect(page.get_by_role("main")).not_to_contain_text("Training, Evaluating")

    # the public transparency page, linked from the home page and every certificate's
    assert pattern_of("/transparency/ml-expert/") in seen, "the transparency page was not read"
    # each role reached its own pages (the walk did not stop at a login page)
    assert read["visitor"] >= 5 and read["candidate"] >= 5 and read["office"] >= 5, read
    assert not problems, f"{len(problems)} problem(s) on {sum(read.values())} pages:\n" + "\n".join(
        problems
    )
