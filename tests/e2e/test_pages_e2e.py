"""Every page in a real browser, in both languages, on a desktop and a phone."""

import io
import re

import pytest
from pypdf import PdfReader

from tests.e2e.conftest import (
    _watched_page,
    assert_titled_with_headings_in_order,
    broken_chinese_words,
    emulate_media,
    open_page,
    start_server,
    stop_server,
    switch_language,
    wait_for_app,
)
from yiwu.i18n import streamlit_labels
from yiwu.loaders import read_chapter, read_strings, read_table
from yiwu.quiz import read_quiz

CHAPTERS = read_table("chapters").sort_values("order")
PAGES = [("", "home")] + [(r.url_path, r.id) for r in CHAPTERS.itertuples()] + [
    ("numbers", "numbers"), ("present", "present")]
HAN = re.compile(r"[\u4e00-\u9fff]")
STREAMLIT_ZH = streamlit_labels("zh")  # Streamlit's English words -> the Chinese page's


def main_text(page) -> str:
    """What the page says, as read: the break hints in Chinese headings are drawn as nothing."""
    return page.inner_text('[data-testid="stMain"]').replace("\u200b", "")


def assert_healthy(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, main_text(page)[:2000]
    errors = page.locator('[data-testid="stAlertContentError"]')
    assert errors.count() == 0, errors.first.inner_text()
    assert not page.requests_outside, f"requests left the machine: {page.requests_outside}"
    assert not page.console_errors, page.console_errors
    undrawn = page.evaluate("""() => {
        const out = [];
        document.querySelectorAll('[data-testid="stVegaLiteChart"]').forEach((c, i) => {
            if (!c.querySelector('svg, canvas')) out.push('chart ' + i); });
        document.querySelectorAll('[data-testid="stDeckGlJsonChart"]').forEach((c, i) => {
            if (!c.querySelector('canvas')) out.push('map ' + i); });
        return out; }""")
    assert not undrawn, f"not drawn: {undrawn}"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path, page_id", PAGES, ids=[p[1] for p in PAGES])
def test_page_renders_in_language(browser_page, app_url, path, page_id, lang):
    open_page(browser_page, app_url, path, lang)
    assert_healthy(browser_page)
    assert_titled_with_headings_in_order(browser_page, page_id, lang)  # for screen readers
    text = main_text(browser_page)
    han = len(HAN.findall(text))
    if lang == "zh":
        assert han > 30, f"{page_id}: the Chinese page shows little Chinese"
    else:
        assert han < 0.05 * len(text), f"{page_id}: the English page shows {han} Chinese characters"
    if page_id in set(CHAPTERS["id"]):
        assert read_chapter(page_id, lang).title in text
    assert f"lang={lang}" in browser_page.url
    if lang == "en":  # a Chinese name in English text stays whole, and keeping it whole widens nothing
        words = '[data-testid="stMain"] [data-testid="stMarkdownContainer"]'
        assert not broken_chinese_words(browser_page, words), f"{page_id}: a Chinese word broken across lines"
        browser_page.set_viewport_size({"width": 390, "height": 844})
        browser_page.wait_for_timeout(600)
        assert not broken_chinese_words(browser_page, words), f"{page_id}: a Chinese word broken on a phone"
        overflow = browser_page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{page_id}: the English page is {overflow}px wider than a 390px phone"
        tall = browser_page.evaluate(TALL_HEADINGS)
        assert not tall, f"{page_id}: headings of three lines or more on a phone: {tall}"


@pytest.mark.parametrize("path, page_id", PAGES, ids=[p[1] for p in PAGES])
def test_no_sideways_scrolling_on_a_phone(phone_page, app_url, path, page_id):
    open_page(phone_page, app_url, path, "zh")
    assert_healthy(phone_page)
    overflow = phone_page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{page_id}: the page is {overflow}px wider than a 390px phone"
    tall = phone_page.evaluate(TALL_HEADINGS)
    assert not tall, f"{page_id}: headings of three lines or more on a phone: {tall}"
    lone = phone_page.evaluate(LONE_ENDS)
    assert not lone, f"{page_id}: headings that end with one character on a line of its own: {lone}"
    # No heading breaks inside a word: only at its punctuation and its break hints
    # (the runs of characters between them), as "根脉：没有港 / 口的丘陵县" did.
    words = broken_chinese_words(phone_page, '[data-testid="stMain"] :is(h1, h2, h3, h4)')
    assert not words, f"{page_id}: headings broken inside these runs of characters: {words}"


# Titles and section headings that take three lines or more: Streamlit's 47 px
# titles did on a phone ("Lessons: what Yiwu's story is said to teach"), and a
# heading's unseen link icon wrapped onto a line of its own.
TALL_HEADINGS = """() => Array.from(document.querySelectorAll('[data-testid="stMain"] :is(h1, h2)')).map(h => {
  const range = document.createRange();
  range.selectNodeContents(h);
  const lines = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.bottom)));
  const icon = h.querySelector('[data-testid="stHeaderActionElements"]');
  const box = icon && icon.getBoundingClientRect();
  if (box && box.width) lines.add(Math.round(box.bottom));
  return [h.textContent.trim(), lines.size];
}).filter(([, n]) => n > 2)"""


# Headings whose last line holds a single letter or character (punctuation aside), as
# "改革：给长得快 / 的市场换件“大 / 衣”" did on a phone.
LONE_ENDS = """() => Array.from(document.querySelectorAll('[data-testid="stMain"] :is(h1, h2, h3, h4)')).filter(h => {
  const chars = [];  // [top, height] of each letter or character drawn
  const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      if (!/[\\p{L}\\p{N}]/u.test(node.data[i])) continue;
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getBoundingClientRect();
      if (rect.width) chars.push([rect.top, rect.height]);
    }
  }
  // Lines in reading order: a character more than half a line below the line's first starts a new one.
  const lines = [];
  for (const [top, height] of chars) {
    const line = lines[lines.length - 1];
    if (line && top - line.top < height / 2) line.count += 1;
    else lines.push({top: top, count: 1});
  }
  return lines.length > 1 && lines[lines.length - 1].count < 2;
}).map(h => h.innerText.trim())"""


def test_switching_language_keeps_the_page(browser_page, app_url):
    open_page(browser_page, app_url, "generations", "zh")
    zh_title = read_chapter("generations", "zh").title
    assert zh_title in main_text(browser_page)
    switch_language(browser_page, "en")
    assert "/generations" in browser_page.url and "lang=en" in browser_page.url
    assert read_chapter("generations", "en").title in main_text(browser_page)


def test_language_survives_navigation(browser_page, app_url):
    open_page(browser_page, app_url, "", "en")
    first = read_chapter(CHAPTERS["id"].iloc[0], "en").title
    browser_page.get_by_role("link", name=re.compile(re.escape(first))).first.click()
    wait_for_app(browser_page)
    assert "lang=en" in browser_page.url
    assert first in main_text(browser_page)
    # The sidebar navigation clears the URL; the session keeps the language.
    browser_page.locator('[data-testid="stSidebarNav"] a').nth(2).click()
    wait_for_app(browser_page)
    assert "lang=en" in browser_page.url
    assert not HAN.search(browser_page.title())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_chapter_link_is_usable_on_a_fresh_server(browser, lang):
    """The first visit after a start is often a shared chapter link.

    Streamlit's legacy pages/ mode answers it with a "Page not found" dialog
    that makes the page inert; the router closes it.
    """
    proc, url = start_server()
    try:
        context, page = _watched_page(browser, viewport={"width": 1280, "height": 900})
        page.goto(f"{url}/world?lang={lang}")
        wait_for_app(page)
        page.wait_for_timeout(1500)
        for title in ("Page not found", STREAMLIT_ZH["Page not found"]):  # closed, in either language
            assert page.get_by_text(title).count() == 0
        assert read_chapter("world", lang).title in main_text(page)
        other = {"en": "zh", "zh": "en"}[lang]
        switch_language(page, other)
        assert "/world" in page.url and f"lang={other}" in page.url
        context.close()
    finally:
        stop_server(proc)


def test_a_class_arriving_at_once_on_a_fresh_server_gets_routed_pages(browser):
    """Readers who open the app at the same moment after it wakes up.

    Streamlit's legacy pages/ mode is one flag for the whole server: every run
    started before the first router turned it off answered a chapter with a
    "Page not found" dialog that nothing closed, and ran a file of pages/ (the
    numbers) without the router: no language link.
    """
    proc, url = start_server()
    paths = ["roots?lang=zh", "breakthrough?lang=en", "present?lang=en&step=2", "world?lang=en",
             "numbers?lang=zh", "generations?lang=zh"]
    contexts = []
    try:
        readers = []
        for _ in paths:
            context, page = _watched_page(browser, viewport={"width": 1280, "height": 800})
            contexts.append(context)
            readers.append(page)
        for page, path in zip(readers, paths, strict=True):  # all at once: each only starts loading
            page.goto(f"{url}/{path}", wait_until="commit")
        for page in readers:
            wait_for_app(page, 60_000)
        readers[0].wait_for_timeout(3000)  # a stale dialog would still be open by now
        for page, path in zip(readers, paths, strict=True):
            assert page.get_by_role("dialog").count() == 0, f"{path}: a dialog stays open"
            assert page.locator(".st-key-lang-switch a").count(), f"{path}: not routed (no language link)"
            assert not page.console_errors, f"{path}: {page.console_errors}"
    finally:
        for context in contexts:
            context.close()
        stop_server(proc)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_mistyped_address_is_explained_in_the_pages_language(browser_page, app_url, lang):
    """Streamlit opens the home page and says the page does not exist: in Chinese on a Chinese page."""
    page = browser_page
    page.goto(f"{app_url}/wrld?lang={lang}")
    wait_for_app(page)
    dialog = page.get_by_role("dialog")
    dialog.wait_for(timeout=10_000)
    english = ("Page not found", "The page that you have requested does not seem to exist. Running the app's main page.")
    expected = english if lang == "en" else tuple(STREAMLIT_ZH[e] for e in english)
    page.wait_for_function("t => document.querySelector('[role=dialog]').innerText.includes(t)", arg=expected[0])
    text = dialog.inner_text()
    assert all(e in text for e in expected), text
    if lang == "zh":
        assert not re.search(r"[A-Za-z]{3,}", text), f"English left in the dialog: {text}"
    dialog.get_by_role("button").first.click()  # its one button closes it, on the home page
    assert page.get_by_role("dialog").count() == 0
    assert read_strings(lang)["app.title"] in main_text(page)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_contents_look_like_links(browser_page, app_url, lang):
    """Each chapter in the home page's contents is a link, and is drawn like one (underlined)."""
    open_page(browser_page, app_url, "", lang)
    entries = browser_page.locator('.st-key-toc [data-testid="stPageLink"] a')
    assert entries.count() == len(CHAPTERS)
    for i in range(entries.count()):
        style = entries.nth(i).locator("p").evaluate("p => getComputedStyle(p).textDecorationLine")
        assert "underline" in style, f"contents entry {i + 1} is not underlined ({style})"


PRINTED = """() => {
  const shown = e => e && getComputedStyle(e).display !== 'none' && e.getBoundingClientRect().width > 0;
  const main = document.querySelector('[data-testid="stMain"]');
  return {
    sidebar: shown(document.querySelector('[data-testid="stSidebar"]')),
    titleLeft: Math.round(document.querySelector('h1').getBoundingClientRect().left),
    mainWidth: Math.round(main.getBoundingClientRect().width),
    links: Array.from(main.querySelectorAll('[data-testid="stPageLink"]')).filter(shown)
      .map(l => [l.innerText.trim(), !!l.closest('.st-key-toc')]),
  };
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_printed_chapter_takes_the_whole_sheet_without_screen_only_links(browser_page, app_url, lang):
    # A teacher printing a handout got an empty sidebar column on every sheet,
    # the sidebar's links on the first, and links that do nothing on paper.
    page = browser_page
    open_page(page, app_url, "generations", lang)
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    emulate_media(page, "print")
    printed = page.evaluate(PRINTED)
    assert not printed["sidebar"], printed
    assert printed["titleLeft"] < 100 and printed["mainWidth"] > 700, printed
    assert printed["links"] == [], f"screen-only links on paper: {printed['links']}"
    assert page.locator('[data-testid="stVegaLiteChart"] svg').count() >= 1
    # The home page keeps its contents, which say what each chapter holds.
    open_page(page, app_url, "", lang)
    printed = page.evaluate(PRINTED)
    assert len(printed["links"]) == len(CHAPTERS) and all(toc for _, toc in printed["links"]), printed["links"]



def printed_sheets(page) -> list[str]:
    """The text on each A4 sheet the browser prints."""
    return [sheet.extract_text().strip() for sheet in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages]


ON_PAPER = """sel => Array.from(document.querySelectorAll(sel)).map(e => e.checkVisibility({
  contentVisibilityAuto: true, opacityProperty: true, visibilityProperty: true}))"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_printed_chapter_is_a_worksheet(browser_page, app_url, lang):
    """Key terms print open; the questions print once opened, without the screen-only
    parts around them; and no sheet comes out blank."""
    page = browser_page
    open_page(page, app_url, "roots", lang)
    terms = '[class*="st-key-terms-"] [data-testid="stExpanderDetails"] p'
    heading = 'h2#questions-roots'
    emulate_media(page, "print")
    assert page.evaluate(ON_PAPER, terms) and all(page.evaluate(ON_PAPER, terms)), "folded key terms left off paper"
    # Folded questions are not on the page: no heading with nothing under it.
    assert page.evaluate(ON_PAPER, heading) == [False]
    sheets = printed_sheets(page)
    assert all(sheets), f"blank sheets: {[i + 1 for i, s in enumerate(sheets) if not s]} of {len(sheets)}"

    emulate_media(page, "screen")
    page.locator('.st-key-quiz-open-roots summary').click()
    wait_for_app(page)
    page.locator('[data-testid="stTextArea"] textarea').wait_for()
    page.wait_for_timeout(1000)  # the opened box's widgets settle before printing
    emulate_media(page, "print")
    assert page.evaluate(ON_PAPER, heading) == [True]
    radios = page.evaluate(ON_PAPER, '[data-testid="stRadio"]')
    assert len(radios) == len(read_quiz("roots", lang).questions) and all(radios)
    assert page.evaluate(ON_PAPER, '[data-testid="stTextArea"] textarea') == [True], "no room to write"
    for screen_only in ('[data-testid="stDownloadButton"]', '.st-key-keep-answers [data-testid="stCaptionContainer"]',
                        '.st-key-reading-progress summary'):
        shown = page.evaluate(ON_PAPER, screen_only)
        assert shown and not any(shown), f"on paper: {screen_only}"
    sheets = printed_sheets(page)
    assert all(sheets), f"blank sheets: {[i + 1 for i, s in enumerate(sheets) if not s]} of {len(sheets)}"
