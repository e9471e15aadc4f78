"""The browser harness notices a Content Security Policy violation, so that every journey's
clean run means no page of it broke the policy (conftest.watch_csp)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_inline_script_and_style_are_blocked_and_reported(
    browser: Browser, live_server, csp_watch
):
    context = browser.new_context(base_url=str(live_server))
    page = context.new_page()
    violations = csp_watch(page)
    page.goto("/")

    page.evaluate(
        """() => {
            const style = document.createElement("style");
            style.textContent = "body { background: red; }";
            document.head.appendChild(style);
            const script = document.createElement("script");
            script.textContent = "window.injected = true;";
            document.head.appendChild(script);
        }"""
    )
    page.wait_for_timeout(200)

    assert page.evaluate("() => window.injected === undefined")
    assert any("style-src" in v for v in violations), violations
    assert any("script-src" in v for v in violations), violations
    context.close()
