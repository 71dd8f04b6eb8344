"""Hostile input and broken data, as a browser meets them."""

import shutil

import pytest

from tests.e2e.conftest import ROOT, _watched_page, open_page, start_server, stop_server, wait_for_app
from yiwu.loaders import read_strings

XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'
PARAMS = ("lang", "step", "gen", "series", "notes", "whatever")
# Each query sets every parameter at once, so one load checks them all.
QUERIES = [
    {p: XSS for p in PARAMS},
    {p: "9" * 4000 for p in PARAMS},
    {"lang": "fr", "step": "-5", "gen": "0", "series": "nope", "notes": "2", "whatever": "1"},
    {"lang": "-1", "step": "99999999999999999999", "gen": "99", "series": "", "notes": "yes"},
    {"step": "abc", "gen": "3.7"},
    {"step": "3.7", "gen": "-2"},
]
PAGES = ["", "roots", "generations", "world", "numbers", "present"]


@pytest.mark.parametrize("path", PAGES)
def test_hostile_query_parameters_render_normally(browser_page, app_url, path):
    from urllib.parse import urlencode

    for query in QUERIES:
        browser_page.goto(f"{app_url}/{path}?{urlencode(query)}")
        wait_for_app(browser_page)
        where = f"/{path}?{str(query)[:80]}"
        assert browser_page.locator('[data-testid="stException"]').count() == 0, where
        assert browser_page.locator('[data-testid="stAlertContentError"]').count() == 0, where
        assert browser_page.evaluate("() => window.__pwned") is None, f"script ran: {where}"
        text = browser_page.inner_text('[data-testid="stMain"]')
        assert "onerror" not in text and "<script" not in text, f"markup echoed: {where}"
        assert "9" * 200 not in text, f"raw value echoed: {where}"
        assert len(text) > 50, f"blank page: {where}"
    assert not browser_page.requests_outside


@pytest.fixture(scope="module")
def broken_app(tmp_path_factory):
    """A copy of the app whose facts table has a figure with no source."""
    copy = tmp_path_factory.mktemp("broken") / "app"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", "tests", "bench", "__pycache__"))
    facts = copy / "data" / "facts.csv"
    lines = facts.read_text(encoding="utf-8").splitlines()
    cells = lines[3].split(",")
    cells[5] = ""  # source_ids of the third figure
    lines[3] = ",".join(cells)
    facts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc, url = start_server(cwd=copy)
    yield url
    stop_server(proc)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_broken_data_file_gives_a_clear_message_and_the_rest_works(browser_page, broken_app, lang):
    open_page(browser_page, broken_app, "", lang)
    assert browser_page.locator('[data-testid="stException"]').count() == 0
    alert = browser_page.locator('[data-testid="stAlertContentError"]').first.inner_text()
    assert "data/facts.csv" in alert and "source_ids" in alert
    assert ("row 4" in alert) if lang == "en" else ("第 4 行" in alert)
    # A chapter that uses no figure still reads normally.
    open_page(browser_page, broken_app, "sources", lang)
    assert browser_page.locator('[data-testid="stException"]').count() == 0
    assert len(browser_page.inner_text('[data-testid="stMain"]')) > 500


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_lost_connection_is_explained_in_the_pages_language(browser, lang):
    """A phone that loses its signal, or a server that stops, gets Streamlit's
    connection message; a Chinese page had it in English only."""
    words = {k: v for k, v in read_strings(lang).items() if k.startswith("streamlit.")}
    proc, url = start_server()
    try:
        context, page = _watched_page(browser, viewport={"width": 390, "height": 800})
        page.goto(f"{url}/roots?lang={lang}")
        wait_for_app(page)
    finally:
        stop_server(proc)
    dialog = page.locator('[data-testid="stDialog"]')
    dialog.wait_for(state="visible", timeout=30_000)
    text = dialog.inner_text()
    assert words["streamlit.connection_error"] in text and words["streamlit.not_responding"] in text, text
    status = page.locator('[data-testid="stConnectionStatus"]').inner_text()
    assert status.lower() == words["streamlit.connecting"].lower(), status
    context.close()


def test_a_request_to_another_machine_is_caught_and_fails_at_once(browser_page, app_url):
    """The guard behind every 'no request leaves the machine' check: it sees such a
    request, and the request fails at once, as with no internet, instead of hanging."""
    import time

    open_page(browser_page, app_url, "roots", "en")
    start = time.monotonic()
    outcome = browser_page.evaluate(
        "() => fetch('https://fonts.googleapis.com/css2?family=Noto+Sans').then(() => 'reached', () => 'failed')")
    assert outcome == "failed"
    assert time.monotonic() - start < 5
    assert browser_page.requests_outside == ["https://fonts.googleapis.com/css2?family=Noto+Sans"]
