"""Playwright driving Debian's chromium (headless, by executable path); screenshots go to test-artifacts/.

Every page a journey shows is checked by axe-core (axe-playwright-python bundles it): after each action of the
test on a page or a locator that may show a new page, and once more at the end, the page that is showing is
audited once per address, and the test fails on any serious or critical violation of WCAG 2.1 A/AA and of axe's
best practices, and on the lesser rules issue 12 fixed (empty table headers, roles an element may not take,
landmarks without a unique name). `audit(page)` checks the page again at an explicit point (after an htmx swap).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test itself are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE = Axe()
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}
FAILING_IMPACTS = {"serious", "critical"}
ALSO_FAILING = {"empty-table-header", "aria-allowed-role", "landmark-unique", "label", "autocomplete-valid"}
# What a journey does to a page or a locator that may show a new page: the page showing is audited right after.
PAGE_ACTIONS = (
    "goto",
    "reload",
    "go_back",
    "click",
    "fill",
    "select_option",
    "check",
    "press",
    "wait_for_url",
    "wait_for_selector",
    "wait_for_load_state",
    "screenshot",
    "set_input_files",
    "set_viewport_size",
)
LOCATOR_ACTIONS = ("click", "fill", "select_option", "check", "press", "set_input_files")


class Auditor:
    """axe-core over every address a page shows; what it finds is kept for the end of the test."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.audited: set[str] = set()
        self.shown: set[str] = set()
        self.violations: list[str] = []
        self.busy = False
        page.on("framenavigated", lambda frame: self.shown.add(frame.url) if frame == page.main_frame else None)

    def audit(self, again: bool = False) -> None:
        from playwright.sync_api import Error

        url = self.page.url
        if self.busy or not url.startswith("http") or (url in self.audited and not again):
            return
        self.busy = True  # the audit's own calls on the page do not start another audit
        try:
            self.page.wait_for_load_state("load")
            results = AXE.run(self.page, options=AXE_OPTIONS).response
        except Error:
            return  # the page navigated away meanwhile: the next action audits the page it went to
        finally:
            self.busy = False
        self.audited.add(url)
        for rule in results["violations"]:
            if rule["impact"] in FAILING_IMPACTS or rule["id"] in ALSO_FAILING:
                where = "; ".join(str(node["target"][0]) for node in rule["nodes"][:3])
                self.violations.append(f"{url}: {rule['id']} ({rule['impact']}), {len(rule['nodes'])} ×: {where}")

    def unaudited(self) -> set[str]:
        return {url for url in self.shown if url.startswith("http") and url not in self.audited}


def audit(page: Any) -> None:
    """Check the page showing now, also when its address was checked before (after an htmx swap)."""
    page.auditor.audit(again=True)


def _audited_after(original: Callable[..., Any], page_of: Callable[[Any], Any]) -> Callable[..., Any]:
    def action(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)
        auditor = getattr(page_of(self), "auditor", None)
        if auditor is not None:
            auditor.audit()
        return result

    return action


@pytest.fixture
def axe_everywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    from playwright.sync_api import Locator, Page

    for name in PAGE_ACTIONS:
        monkeypatch.setattr(Page, name, _audited_after(getattr(Page, name), lambda page: page))
    for name in LOCATOR_ACTIONS:
        monkeypatch.setattr(Locator, name, _audited_after(getattr(Locator, name), lambda locator: locator.page))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM}: install Debian's chromium package (see .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, axe_everywhere):  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    page.auditor = Auditor(page)
    blocked: list[str] = []  # the Content-Security-Policy refusing something a page needs is a defect
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    yield page
    page.auditor.audit()
    unaudited = page.auditor.unaudited()
    context.close()
    assert not blocked, f"blocked by the Content-Security-Policy: {blocked}"
    assert not page.auditor.violations, "axe-core:\n" + "\n".join(page.auditor.violations)
    assert not unaudited, f"pages shown but not checked by axe-core: {sorted(unaudited)}"


def shot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Save a full-page screenshot as a test artifact."""
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(page.base_url + "/")
