"""A live server and Debian's chromium for the browser tests (Playwright's sync API).

The app is the test app with CSRF on, as in production, served by werkzeug in a thread on a
free port of 127.0.0.1. Playwright's own browsers are never downloaded: the tests drive
/usr/bin/chromium, and skip without it unless VETTING_REQUIRE_SERVICES=1 demands it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def session(csrf_app: Flask) -> Iterator[Session]:
    """The served application's own sessionmaker (the default `session` is the CSRF-off app's)."""
    from vetting.extensions import db

    with db.sessionmaker() as s:
        yield s


@pytest.fixture
def browser(live_server: str) -> Iterator[object]:
    """Function-scoped on purpose: Playwright's sync API keeps an asyncio loop running in this
    thread while it lives, and popping a Flask app context (which runs the database
    extension's async teardown through asgiref) fails under a running loop. So a test builds
    its world first (fixtures listed before `page`), the browser starts after, and it stops
    before the app fixture pops its context."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("VETTING_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_server(csrf_app: Flask) -> Iterator[str]:
    """Serve the app; returns its base URL. The world is built through `csrf_app`'s session."""
    server = make_server("127.0.0.1", 0, csrf_app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    # The default test config names the host "localhost"; requests to 127.0.0.1:<port>
    # would then match no route, so the server's own address becomes the server name.
    csrf_app.config["SERVER_NAME"] = f"127.0.0.1:{server.server_port}"
    csrf_app.config["BASE_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base_url
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def page(browser, live_server: str, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh browser context per test; a screenshot goes to /tmp when the test fails."""
    context = browser.new_context(base_url=live_server)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        path = Path("/tmp") / f"vetting-browser-{request.node.name}.png"
        tab.screenshot(path=str(path), full_page=True)
        print(f"screenshot of the failure: {path}")
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Keep each phase's report on the test item, so the `page` fixture knows of a failure."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
