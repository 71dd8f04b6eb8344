"""Accessibility, checked in the browser: heading order, contrast in both themes, the keyboard."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import _watched_page, assert_titled_with_headings_in_order, open_page, wait_for_app
from yiwu.i18n import streamlit_labels
from yiwu.loaders import read_strings
from yiwu.quiz import read_quiz

# WCAG relative luminance and contrast of an element's text against the first
# opaque background behind it.
CONTRAST = """(selector) => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = c => { const v = c.slice(0, 3).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const background = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor);
                               if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) return c; } return [255, 255, 255]; };
  // Semi-transparent text (Streamlit greys captions with alpha) is blended over its background.
  // So is text under an ancestor with opacity below 1.
  const opacity = el => { let o = 1; for (; el; el = el.parentElement) o *= Number(getComputedStyle(el).opacity); return o; };
  const blend = (fg, bg, o) => { const a = (fg.length === 4 ? fg[3] : 1) * o; return [0, 1, 2].map(i => fg[i] * a + bg[i] * (1 - a)); };
  // Chart text is SVG: its colour is its fill, with the fill's own opacity.
  const text = e => (e instanceof SVGElement ? e.textContent : e.innerText).trim();
  const colour = e => { const st = getComputedStyle(e); if (!(e instanceof SVGElement)) return rgb(st.color);
                        const c = rgb(st.fill); return [c[0], c[1], c[2], (c.length === 4 ? c[3] : 1) * Number(st.fillOpacity)]; };
  return Array.from(document.querySelectorAll(selector)).filter(e => text(e)).slice(0, 20).map(e => {
    const bg = background(e), fg = blend(colour(e), bg, opacity(e));
    const a = lum(fg), b = lum(bg);
    return [text(e).slice(0, 40), (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), fg.map(Math.round), bg];
  });
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_teachers_notes_keep_one_title_and_headings_in_order(browser_page, app_url, lang):
    """The presentation with the teacher's notes above the slide. (Every page on its own is
    checked in test_pages_e2e.test_page_renders_in_language, which opens each one already.)"""
    open_page(browser_page, app_url, "present", lang, step=7, notes=1)
    assert_titled_with_headings_in_order(browser_page, "notes", lang)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_keeps_its_contrast_in_light_and_dark_themes(browser, app_url, scheme):
    context, page = _watched_page(browser, viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        for path in ("roots", "numbers"):
            open_page(page, app_url, path, "en")
            if path == "numbers":
                page.wait_for_selector('[data-testid="stVegaLiteChart"] svg .role-axis-label text', timeout=30_000)
            # Body text, captions (sources), sidebar links, the language link and chart text.
            for selector, minimum in (('[data-testid="stMain"] [data-testid="stMarkdownContainer"] p', 4.5),
                                      ('[data-testid="stCaptionContainer"] p', 4.5),
                                      ('[data-testid="stSidebarNav"] a span', 4.5),
                                      ('[data-testid="stPageLink"] p', 4.5),
                                      # a chart's axis and legend text
                                      ('[data-testid="stVegaLiteChart"] :is(.role-axis-label, .role-axis-title, '
                                       '.role-legend-label, .role-legend-title) text', 4.5)):
                if selector.startswith('[data-testid="stVegaLiteChart"]') and path != "numbers":
                    continue
                found = page.evaluate(CONTRAST, selector)
                assert found, f"{path}: nothing matches {selector}"
                worst = min(found, key=lambda x: x[1])
                assert worst[1] >= minimum, f"{scheme} {path}: “{worst[0]}” has contrast {worst[1]:.2f}"
        # The six-markets map stands on the page's own background: its years and
        # scale label must read on it (the white numbers sit on the dots, not measured).
        open_page(page, app_url, "generations", "en")
        page.wait_for_selector('[data-testid="stVegaLiteChart"] svg .role-mark text', timeout=30_000)
        page.evaluate("""() => document.querySelectorAll('[data-testid="stVegaLiteChart"] .role-mark text').forEach(
            t => { if (/^(1[89]|20)\\d\\d$|km/.test(t.textContent.trim())) t.setAttribute('data-on-page', ''); })""")
        found = page.evaluate(CONTRAST, "text[data-on-page]")
        assert any("km" in f[0] for f in found) and len(found) >= 7, f"map text not found: {found}"
        worst = min(found, key=lambda x: x[1])
        assert worst[1] >= 4.5, f"{scheme} six-markets map: “{worst[0]}” has contrast {worst[1]:.2f}"
    finally:
        context.close()


def test_the_keyboard_reaches_the_language_link_and_every_chapter(browser_page, app_url):
    open_page(browser_page, app_url, "roots", "en")
    reached = []
    for _ in range(60):
        browser_page.keyboard.press("Tab")
        reached.append(browser_page.evaluate(
            "() => [document.activeElement.tagName, (document.activeElement.innerText || '').trim()]"))
    texts = [text for tag, text in reached if tag == "A"]
    assert any(t.endswith("中文") for t in texts), "the language link is not reachable by keyboard"
    nav = browser_page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
    missing = [n for n in nav if n.strip() not in texts]
    assert not missing, f"sidebar links the keyboard never reaches: {missing}"


def _fonts_drawing(page, selector: str) -> list[str]:
    """The fonts the browser really drew an element's own text with (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return [f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]]


def test_the_page_declares_its_language_and_chinese_is_drawn_in_simplified_glyphs(phone_page, app_url):
    """A screen reader picks its voice from <html lang>, and the browser its CJK glyph forms."""
    open_page(phone_page, app_url, "roots", "zh")
    phone_page.wait_for_function("() => document.documentElement.lang === 'zh-Hans'", timeout=10_000)
    # The first paragraph of body text that holds Chinese text of its own (not only in a <strong>).
    phone_page.evaluate("""() => Array.from(document.querySelectorAll('[data-testid="stMain"] p')).find(
        p => Array.from(p.childNodes).some(n => n.nodeType === 3 && /[\\u4e00-\\u9fff]/.test(n.data)))
        .setAttribute('data-font-probe', '')""")
    fonts = _fonts_drawing(phone_page, "[data-font-probe]")
    # Digits and Latin letters come from Streamlit's own font; the Chinese from a CJK one.
    cjk = [f for f in fonts if "CJK" in f]
    assert cjk and all(f.endswith(" SC") for f in cjk), \
        f"Chinese text drawn with {fonts}: not (only) a simplified-Chinese font"
    phone_page.get_by_role("link", name="English", exact=True).first.click()
    wait_for_app(phone_page)
    phone_page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=10_000)
    phone_page.get_by_role("link", name="中文", exact=True).first.click()
    wait_for_app(phone_page)
    phone_page.wait_for_function("() => document.documentElement.lang === 'zh-Hans'", timeout=10_000)


def _ax_nodes(page) -> list[tuple[str, str]]:
    """(role, name) of every node a screen reader meets (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    return [(n.get("role", {}).get("value", ""), str(n.get("name", {}).get("value", "")))
            for n in nodes if not n.get("ignored")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_screen_reader_hears_each_charts_description_not_its_marks(browser_page, app_url, lang):
    # Vega named every mark from raw data ("mid: 1997; ink: #FFFFFF") and
    # every axis in English ("X-axis titled '年份' …"), 60 names on one page.
    for path in ("generations", "world", "numbers"):
        open_page(browser_page, app_url, path, lang)
        browser_page.wait_for_selector('[data-testid="stVegaLiteChart"] svg', timeout=30_000)
        browser_page.wait_for_timeout(500)
        nodes = _ax_nodes(browser_page)
        charts = [name for role, name in nodes if role == "graphics-document"]
        assert charts and all(charts), f"{path}: a chart without a description: {charts}"
        if lang == "zh":
            assert all(re.search(r"[\u4e00-\u9fff]", name) for name in charts), f"{path}: {charts}"
        inner = [(role, name) for role, name in nodes
                 if role in ("graphics-symbol", "graphics-object") and name.strip()]
        assert not inner, f"{path}: chart parts read aloud: {inner[:5]}"


def test_changing_an_answer_keeps_the_keyboard_on_the_question(browser_page, app_url):
    open_page(browser_page, app_url, "roots", "en")
    quiz = read_quiz("roots", "en")
    browser_page.get_by_text(read_strings("en")["quiz.open"].format(n=len(quiz.questions))).click()
    wait_for_app(browser_page)
    group = browser_page.get_by_role("radiogroup").first
    # The question is the group's name, without Markdown's asterisks.
    assert group.get_attribute("aria-label") == f"1. {quiz.questions[0].prompt}"
    group.get_by_role("radio").first.focus()
    for key in ("Space", "ArrowDown", "ArrowDown", "ArrowUp"):
        browser_page.keyboard.press(key)
        browser_page.wait_for_timeout(300)
        wait_for_app(browser_page)
        where = browser_page.evaluate(
            "() => [document.activeElement.tagName, !!document.activeElement.closest('[role=radiogroup]')]")
        assert where == ["INPUT", True], f"after {key} the focus is on {where}"


OPACITY = "e => { let o = 1; for (; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity); return o; }"


def test_keyboard_focus_shows_on_links_and_on_a_charts_toolbar(browser_page, app_url):
    open_page(browser_page, app_url, "numbers", "zh")
    browser_page.wait_for_selector('[data-testid="stVegaLiteChart"] svg', timeout=30_000)
    links, toolbar, main_seen = [], None, None
    outline = """e => { const s = getComputedStyle(e);
        return [e.getAttribute('aria-label') || e.innerText.trim().slice(0, 20), s.outlineStyle,
                parseFloat(s.outlineWidth)]; }"""
    for _ in range(40):
        browser_page.keyboard.press("Tab")
        el = browser_page.evaluate_handle("() => document.activeElement")
        testid = el.evaluate("e => e.getAttribute('data-testid') || ''")
        if el.evaluate("e => !!e.closest('[data-testid=stElementToolbar]')"):
            toolbar = el.evaluate(OPACITY)
            links.append(el.evaluate(outline))  # its first button
            # on top, where the eye sees it: not under the chart's drawing
            on_top = el.evaluate("""e => { const r = e.getBoundingClientRect();
                const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                return !!hit && e.contains(hit); }""")
            break
        # The links, and the main area, which takes the focus to scroll by keyboard:
        # its mark goes round the content, whose top edge is in sight below the header.
        if testid in ("stSidebarNavLink", "stPageLink-NavLink"):
            links.append(el.evaluate(outline))
        elif testid == "stMain":
            # Streamlit's own frame (a sticky ::before below the header), made solid.
            shadow, top = el.evaluate("""e => { const s = getComputedStyle(e, '::before');
                return [s.boxShadow, parseFloat(s.top)]; }""")
            solid = re.fullmatch(r"rgb\(\d+, \d+, \d+\) 0px 0px 0px (\d+(\.\d+)?)px inset", shadow)
            links.append(["main area", "solid" if solid else shadow, float(solid[1]) if solid else 0])
            header = browser_page.locator('[data-testid="stHeader"]').bounding_box()
            main_seen = top >= header["y"] + header["height"] - 1
    assert len(links) >= 12, links
    assert main_seen, "the main area's focus mark lies under the header"
    faint = [link for link in links if link[1] == "none" or link[2] < 2]
    assert not faint, f"no visible focus outline on: {faint}"
    assert toolbar is not None, "the keyboard never reached a chart's toolbar"
    assert toolbar > 0.99, f"a chart's toolbar takes the focus while invisible (opacity {toolbar:.2f})"
    assert on_top, "a chart's focused toolbar button lies under the chart"


def test_on_a_phone_the_keyboard_skips_the_closed_sidebar_and_reaches_it_once_opened(phone_page, app_url):
    page = phone_page
    open_page(page, app_url, "roots", "zh")
    focused = []
    for _ in range(6):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("""() => { const a = document.activeElement, r = a.getBoundingClientRect();
            return [a.getAttribute('data-testid') || a.tagName, Math.round(r.right), Math.round(r.left)]; }"""))
    hidden = [f for f in focused if f[1] <= 0 or f[2] >= 390]
    assert not hidden, f"the keyboard lands off screen: {hidden} (all: {focused})"
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    link = page.locator('[data-testid="stSidebarNavLink"]').first
    link.wait_for(state="visible", timeout=10_000)
    # once it has slid in, its links are on screen and take the focus
    page.wait_for_function("""() => document.querySelector('[data-testid="stSidebarNavLink"]')
                                    .getBoundingClientRect().left >= 0""", timeout=10_000)
    link.focus()
    assert page.evaluate("() => document.activeElement.getAttribute('data-testid')") == "stSidebarNavLink"


def _streamlit_words_heard(page, english: set[str]) -> list[str]:
    """Names a screen reader hears that are Streamlit's English words ("Main menu", "Shortcut Home", "Help for 年份")."""
    return sorted({name for _, name in _ax_nodes(page)
                   if name in english or name.startswith(("Shortcut ", "Help for "))})


def test_streamlits_own_words_follow_the_pages_language(browser_page, app_url):
    # Streamlit writes its menu, sidebar buttons, chart toolbar, tooltips and
    # screen-reader labels in English only; a Chinese page had them all in English.
    page = browser_page
    english = set(streamlit_labels("zh"))
    zh = {k: v for k, v in read_strings("zh").items() if k.startswith("streamlit.")}
    for path in ("generations", "present", "world"):
        open_page(page, app_url, path, "zh")
        heard = _streamlit_words_heard(page, english)
        assert not heard, f"{path}: a screen reader hears Streamlit's English: {heard}"
    open_page(page, app_url, "generations", "zh")
    page.wait_for_selector('[data-testid="stVegaLiteChart"] svg', timeout=30_000)
    names = {name for _, name in _ax_nodes(page)}
    # (a chart's toolbar keeps only its picture download: test_charts_e2e)
    for key in ("main_menu", "sidebar", "app_pages", "download_png"):
        assert zh[f"streamlit.{key}"] in names, f"no {zh[f'streamlit.{key}']!r} among {sorted(names)[:40]}"
    # What the eye meets: a toolbar button's tooltip and the main menu.
    page.locator('[data-testid="stVegaLiteChart"]').first.hover()
    page.locator('[data-testid="stBaseButton-elementToolbar"]:visible').first.hover()
    tip = page.locator('[data-testid="stTooltipContent"]')
    tip.wait_for(state="visible", timeout=10_000)
    assert tip.inner_text().strip() == zh["streamlit.download_png"]
    page.mouse.move(5, 5)
    page.locator('[data-testid="stMainMenuButton"]').click()
    menu = page.locator('[data-testid="stMainMenuPopover"]')
    menu.wait_for(state="visible", timeout=10_000)
    text = menu.inner_text()
    assert zh["streamlit.print"] in text and "Print" not in text, text
    assert zh["streamlit.made_with"].strip() in text and "Made with" not in text, text
    page.keyboard.press("Escape")
    # The language link is read in the language it names.
    link_lang = """(name) => Array.from(document.querySelectorAll('[data-testid="stPageLink"] p'))
        .filter(p => p.textContent.trim() === name).map(p => p.closest('[lang]').getAttribute('lang'))"""
    assert set(page.evaluate(link_lang, "English")) == {"en"}
    # Switched to English, Streamlit's own words come back.
    page.get_by_role("link", name="English", exact=True).first.click()
    wait_for_app(page)
    page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=10_000)
    names = {name for _, name in _ax_nodes(page)}
    assert {"Main menu", "Download as PNG"} <= names, sorted(names)[:40]
    assert not names & set(zh.values()), names & set(zh.values())
    page.wait_for_function("""() => Array.from(document.querySelectorAll('[data-testid="stPageLink"] p'))
        .some(p => p.textContent.trim() === '中文' && p.getAttribute('lang') === 'zh-Hans')""", timeout=10_000)
