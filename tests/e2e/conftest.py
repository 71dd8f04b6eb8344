"""Browser tests: the real app in a real (headless) Chromium.

The server is started once per session on a free port. Chromium is Debian's
(/usr/bin/chromium): Playwright cannot download a browser here. Every page
records the requests that try to leave the machine; tests assert there are
none, and such a request fails at once (no other machine's name resolves), so
a slow network cannot hang a test.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from yiwu.i18n import HTML_LANGS, LANG_NAMES
from yiwu.loaders import read_chapter, read_strings, read_table
from yiwu.present import build_steps, closing_from

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# A data table: a Markdown table (yiwu.chart_view.show_table).
TABLE = '[data-testid="stMarkdownContainer"] > table'
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    # deck.gl needs WebGL: software rendering through SwiftShader.
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    # Pages painted on the CPU, not through SwiftShader's software GPU: the e2e suite ran
    # about a tenth faster on this 2-core machine (A/B runs of the same tests, noisy).
    "--disable-gpu-rasterization",
    # No name resolves but this machine's: a request to another fails at once (see _watch_requests).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]


def steps_for(lang: str):
    """The presentation's steps in ``lang``, as the page builds them."""
    chapters = read_table("chapters").sort_values("order")["id"]
    strings = read_strings(lang)
    return build_steps([read_chapter(c, lang) for c in chapters], strings["app.title"], closing_from(strings))


def _require_browser() -> None:
    # Skipping silently in CI would hide a broken install, so CI fails instead.
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"Chromium not found at {CHROMIUM}; the README test command installs it")
    pytest.skip(f"Chromium not found at {CHROMIUM}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(script: str = "streamlit_app.py", cwd: Path = ROOT, port: int | None = None,
                 extra: tuple[str, ...] = ()) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run` and wait for /_stcore/health, as Streamlit's own e2e tests do."""
    port = port or free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
           "--server.headless", "true", "--server.address", "127.0.0.1",
           "--browser.gatherUsageStats", "false", *extra]
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("streamlit exited: " + proc.stderr.read().decode(errors="replace"))
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not become healthy in 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def app_url():
    proc, url = start_server()
    yield url
    stop_server(proc)


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob", "about") or parsed.hostname in LOCAL_HOSTS


def _watch_requests(page) -> None:
    """Record every request (and websocket) the page makes to another machine.

    Listening, not routing: a route on every request turns off the browser's
    cache, so each page view fetched all of Streamlit's scripts again. The
    browser cannot reach another machine anyway (``--host-resolver-rules``),
    so such a request fails at once instead of hanging a test.
    """
    page.requests_outside = []

    def seen(url: str) -> None:
        if not _is_local(url):
            page.requests_outside.append(url)

    page.on("request", lambda request: seen(request.url))
    page.on("websocket", lambda socket: seen(socket.url))


def _watched_page(browser, **context_options):
    """A page in a fresh context that records script errors and outside requests."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.console_errors = []
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    _watch_requests(page)
    return context, page


@pytest.fixture
def browser_page(browser):
    context, page = _watched_page(browser, viewport={"width": 1280, "height": 900}, locale="en-US")
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context, page = _watched_page(browser, viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True, locale="zh-CN")
    yield page
    context.close()


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait until the script has run and nothing is still loading."""
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]',
                           timeout=timeout)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                           timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=timeout)
    page.wait_for_timeout(300)


def open_page(page, app_url: str, path: str = "", lang: str = "en", **params) -> None:
    query = "&".join([f"lang={lang}"] + [f"{k}={v}" for k, v in params.items()])
    page.goto(f"{app_url}/{path}?{query}")
    wait_for_app(page)


def switch_language(page, to: str, timeout: float = 30_000) -> None:
    """Click the link to the page in language ``to`` and wait until the page has been drawn in it.

    The click starts a rerun a moment later: waiting for the script alone could
    return before that rerun began, on the old page. The page declares its new
    language at the start of the rerun, so the wait is for that, then for the run.
    """
    page.get_by_role("link", name=LANG_NAMES[to], exact=True).first.click()
    page.wait_for_function(f"() => document.documentElement.lang === {HTML_LANGS[to]!r}", timeout=timeout)
    wait_for_app(page, timeout)


def emulate_media(page, media: str) -> None:
    """Switch to print or screen styles and wait two frames for the browser to apply them.

    Right after the switch, Chromium may not yet have laid out what the new media
    shows: on a loaded machine about one in ten checks saw folded key terms still
    hidden on paper, and all shown two frames later. A reader printing never sees
    that gap, so the tests wait it out rather than assert on it.
    """
    page.emulate_media(media=media)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


HEADINGS = """() => Array.from(document.querySelectorAll(
  '[data-testid="stMain"] :is(h1, h2, h3, h4, h5, h6)')).map(h => [Number(h.tagName[1]), h.innerText.trim()])"""


def assert_titled_with_headings_in_order(page, page_id: str, lang: str) -> None:
    """The browser tab names the page and the app; one h1 comes first; no heading skips a level."""
    # Streamlit sets the tab's title a moment after the run (on a loaded machine once later
    # than the run's end): wait up to 5 s for it, then say what the tab shows.
    ending = " · " + read_strings(lang)["app.title"]
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function("(ending) => document.title.endsWith(ending)", arg=ending, timeout=5_000)
    except PlaywrightTimeout:
        pass  # the assertion below names what the tab shows
    assert page.title().endswith(ending), page.title()
    levels = page.evaluate(HEADINGS)
    assert [lvl for lvl, _ in levels].count(1) == 1, f"{page_id}: not exactly one h1: {levels[:3]}"
    assert levels[0][0] == 1, f"{page_id}: the first heading is not the title"
    for (a, text_a), (b, text_b) in zip(levels, levels[1:], strict=False):
        assert b - a <= 1, f"{page_id}: “{text_a}” (h{a}) is followed by “{text_b}” (h{b})"


def broken_chinese_words(page, selector: str) -> list[str]:
    """Runs of Chinese characters that a line break splits, in the elements matching ``selector``.

    Chinese text breaks between any two characters; a Chinese name inside
    English text must not ("(兴商建 / 县)").
    """
    return page.evaluate("""(selector) => {
        const broken = [];
        for (const el of document.querySelectorAll(selector)) {
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                for (const m of node.data.matchAll(/[\u4e00-\u9fff]{2,}/g)) {
                    const range = document.createRange();
                    range.setStart(node, m.index);
                    range.setEnd(node, m.index + m[0].length);
                    const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
                    if (tops.size > 1) broken.push(m[0]);
                }
            }
        }
        return broken;
    }""", selector)
