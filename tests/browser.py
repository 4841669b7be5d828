"""Headless Chromium harness for the report pages: open a page as a user would and report what went wrong.

Uses Debian's Chromium through Python playwright; never downloads a browser (`playwright install` is not run).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("HCSM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# Hostile test data sets this global if the page ever runs it.
PWNED_FLAG = "__pwned"
# Schemes a self-contained offline page may load from; anything else is blocked and reported.
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

_JS_CHARTS = """() => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  return {
    drawn: plots.filter(p => p.querySelector('.main-svg')).length,
    containers: document.querySelectorAll('.plotly-graph-div').length,
  };
}"""
_JS_ALL_DRAWN = """() => [...document.querySelectorAll('.plotly-graph-div')]
  .every(d => d.classList.contains('js-plotly-plot') && d.querySelector('.main-svg'))"""
_JS_LINKS = "() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"


@dataclass
class PageReport:
    url: str
    title: str = ""
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    charts_drawn: int = 0
    plot_containers: int = 0
    links: list[str] = field(default_factory=list)
    pwned: bool = False
    text: str = ""
    probe: object = None  # what the caller's JavaScript probe returned

    @property
    def problems(self) -> list[str]:
        """Everything a clean page must not have, as readable lines for an assertion message."""
        found = [f"console error: {e}" for e in self.console_errors]
        found += [f"page error: {e}" for e in self.page_errors]
        found += [f"failed request: {e}" for e in self.failed_requests]
        found += [f"external request: {e}" for e in self.external_requests]
        if self.charts_drawn != self.plot_containers:
            found.append(f"{self.charts_drawn} of {self.plot_containers} charts drawn")
        if self.pwned:
            found.append("injected script ran")
        return found


def browser_problem() -> str | None:
    """Why the browser checks cannot run here, or None when they can."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium not found at {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "python package playwright is not installed"
    return None


def require_browser() -> None:
    """Skip locally when Chromium is missing, but fail under CI: CI must never skip browser checks silently."""
    problem = browser_problem()
    if problem is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"browser checks cannot run in CI: {problem}", pytrace=False)
    pytest.skip(problem)


class Chromium:
    """One headless Chromium with a fresh, empty profile; render() many pages, then close."""

    def __enter__(self) -> Chromium:
        require_browser()
        from playwright.sync_api import sync_playwright

        self._profile = tempfile.TemporaryDirectory(prefix="hcsm-chromium-")
        self._playwright = sync_playwright().start()
        try:
            self._context = self._playwright.chromium.launch_persistent_context(
                self._profile.name,
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1280, "height": 900},
            )
        except BaseException:
            self._playwright.stop()
            self._profile.cleanup()
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            self._context.close()
        finally:
            self._playwright.stop()
            self._profile.cleanup()

    def render(self, path: Path, screenshot: Path | None = None, *, timeout_ms: int = 15_000,
               probe: str | None = None, width: int | None = None) -> PageReport:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        url = Path(path).resolve().as_uri()
        report = PageReport(url)
        page = self._context.new_page()
        if width is not None:
            page.set_viewport_size({"width": width, "height": 900})
        page.on("console", lambda msg: msg.type == "error" and report.console_errors.append(msg.text))
        page.on("pageerror", lambda err: report.page_errors.append(str(err)))
        page.on("requestfailed", lambda req: report.failed_requests.append(f"{req.url} ({req.failure})"))
        page.on("response", lambda res: res.status >= 400 and report.failed_requests.append(f"{res.url} ({res.status})"))

        def guard(route) -> None:
            if route.request.url.startswith(LOCAL_SCHEMES):
                route.continue_()
            else:
                report.external_requests.append(route.request.url)
                route.abort()

        page.route("**/*", guard)
        try:
            page.goto(url, wait_until="load", timeout=timeout_ms)
            try:
                page.wait_for_function(_JS_ALL_DRAWN, timeout=timeout_ms)
            except PlaywrightTimeout:
                pass  # the report says how many charts were drawn; the test decides
            charts = page.evaluate(_JS_CHARTS)
            report.charts_drawn, report.plot_containers = charts["drawn"], charts["containers"]
            report.title = page.title()
            report.links = page.evaluate(_JS_LINKS)
            report.pwned = bool(page.evaluate(f"() => Boolean(window.{PWNED_FLAG})"))
            report.text = page.inner_text("body")
            if probe is not None:
                report.probe = page.evaluate(probe)
            if screenshot is not None:
                page.screenshot(path=str(screenshot), full_page=True)
        finally:
            page.close()
        return report


def render(path: Path, screenshot: Path | None = None) -> PageReport:
    """Open one page in a fresh headless Chromium and report console errors, failures, charts, links and injection."""
    with Chromium() as browser:
        return browser.render(path, screenshot)
