"""Presentation mode in a real browser: arrow keys, the URL, a projector, a phone.

Screenshots go to $SCREENSHOT_DIR when it is set (to look at them), else to a
temporary folder.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.conftest import broken_chinese_words, open_page, start_server, steps_for, stop_server, wait_for_app
from yiwu.loaders import read_strings

HAN = re.compile(r"[\u4e00-\u9fff]")
HEADLINE = ".st-key-present-step h1"


def step_index(lang: str, section_id: str) -> int:
    return next(s.number for s in steps_for(lang) if s.section_id == section_id)


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def url_params(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}


def wait_for_step(page, n: int) -> None:
    page.wait_for_url(re.compile(rf"[?&]step={n}(&|$)"), timeout=15_000)
    wait_for_app(page)


def headline(page) -> str:
    return page.locator(HEADLINE).inner_text().replace("\u200b", "").strip()


def test_arrow_keys_move_between_steps_and_the_url_follows(browser_page, app_url):
    page, steps = browser_page, steps_for("en")
    open_page(page, app_url, "present", "en", step=3)
    assert headline(page) == steps[2].headline
    page.keyboard.press("ArrowRight")
    wait_for_step(page, 4)
    assert headline(page) == steps[3].headline
    page.keyboard.press("ArrowRight")
    wait_for_step(page, 5)
    page.keyboard.press("ArrowLeft")
    wait_for_step(page, 4)
    page.keyboard.press("End")
    wait_for_step(page, len(steps))
    assert headline(page) == steps[-1].headline
    page.keyboard.press("ArrowRight")  # nothing after the last step
    page.wait_for_timeout(500)
    wait_for_app(page)
    assert url_params(page)["step"] == str(len(steps))
    page.keyboard.press("Home")
    wait_for_step(page, 1)
    assert url_params(page)["lang"] == "en"
    assert not page.requests_outside and not page.console_errors


@pytest.mark.parametrize("section, pick", [("eurasia-trains", "2014"), ("six-markets", r"3 · 1986")],
                         ids=["map year", "generation"])
def test_the_arrow_keys_still_move_after_a_click_on_a_slides_picker(browser_page, app_url, section, pick):
    """A teacher clicks a year or a generation on a slide, then presses →.

    The picker kept the arrow keys for itself: → moved to its next button
    and the slide stayed. A keyboard reader in the picker keeps them.
    """
    page = browser_page
    n = step_index("en", section)
    open_page(page, app_url, "present", "en", step=n)
    buttons = page.locator('[data-testid="stMain"] [data-testid="stButtonGroup"] button[role="radio"]')
    buttons.filter(has_text=re.compile("^" + pick + "$")).first.click()
    wait_for_app(page)
    page.wait_for_timeout(300)
    page.keyboard.press("ArrowRight")
    wait_for_step(page, n + 1)
    assert headline(page) == steps_for("en")[n].headline
    # With the keyboard, the picker's arrow keys are its own.
    open_page(page, app_url, "present", "en", step=n)
    buttons.first.focus()
    page.keyboard.press("Space")
    wait_for_app(page)
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(800)
    assert url_params(page)["step"] == str(n)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(1280, 720), (390, 844)], ids=["projector", "phone"])
def test_a_generation_picked_on_a_slide_shows_its_whole_card(request, app_url, shots, lang, size):
    """A teacher clicks a generation on the timeline slide, or a student taps it on a phone: the
    card opens under the picker and the page scrolls to it, so the whole card is on screen (it
    opened below a 1280x720 screen, and far below on a phone)."""
    page = request.getfixturevalue("phone_page" if size[0] < 640 else "browser_page")
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_page(page, app_url, "present", lang, step=step_index(lang, "six-markets"))
    buttons = page.locator('[data-testid="stMain"] [data-testid="stButtonGroup"] button[role="radio"]')
    buttons.nth(2).click()
    page.wait_for_selector(".st-key-timeline-card h3", timeout=15_000)
    wait_for_app(page)
    page.wait_for_timeout(1200)  # the smooth scroll
    page.screenshot(path=str(shots / f"present-{lang}-card-{size[0]}.png"))
    card = page.locator(".st-key-timeline-card")
    assert re.search(r"3\. 1986|\u7b2c3\u4ee3", card.locator("h3").inner_text()), card.locator("h3").inner_text()
    box = card.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= size[1] + 1, f"the card is not all on screen: {box}"
    buttons.nth(4).click()  # a second pick scrolls too
    page.wait_for_function("() => /5\\. 2002|\u7b2c5\u4ee3/.test(document.querySelector('.st-key-timeline-card h3')?.innerText)",
                           timeout=15_000)
    page.wait_for_timeout(1200)
    box = card.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= size[1] + 1, f"the second card is not on screen: {box}"
    if size[0] >= 640:  # the next step forgets the generation picked here
        n = step_index(lang, "six-markets")
        page.keyboard.press("ArrowRight")
        wait_for_step(page, n + 1)
        assert "gen" not in url_params(page), page.url


def test_reloading_keeps_the_step_and_the_language(browser_page, app_url):
    page, steps = browser_page, steps_for("zh")
    open_page(page, app_url, "present", "zh", step=7)
    page.get_by_role("button", name=read_strings("zh")["present.next"]).click()
    wait_for_step(page, 8)
    page.reload()
    wait_for_app(page)
    assert url_params(page) | {"lang": "zh", "step": "8"} == url_params(page)
    assert headline(page) == steps[7].headline


def test_the_language_switch_keeps_the_step(browser_page, app_url):
    page = browser_page
    open_page(page, app_url, "present", "en", step=7)
    page.get_by_role("link", name="中文", exact=True).click()
    page.wait_for_url(re.compile(r"lang=zh"), timeout=15_000)
    wait_for_app(page)
    assert url_params(page)["step"] == "7"
    assert headline(page) == steps_for("zh")[6].headline


@pytest.mark.parametrize("raw, expected", [("999", "last"), ("-5", "1"), ("abc", "1"), ("3.7", "4"),
                                           ("%3Cb%3Ehi%3C%2Fb%3E", "1"), ("9" * 2000, "last")])
def test_a_bad_step_in_a_link_lands_on_a_real_step(browser_page, app_url, raw, expected):
    page, count = browser_page, len(steps_for("en"))
    open_page(page, app_url, "present", "en", step=raw)
    want = str(count) if expected == "last" else expected
    wait_for_step(page, int(want))
    main = page.inner_text('[data-testid="stMain"]')
    assert "<b>hi" not in main and "abc" not in main and "9" * 30 not in main
    assert page.locator('[data-testid="stException"]').count() == 0


def test_notes_show_only_in_the_teachers_window(browser_page, app_url):
    page, strings = browser_page, read_strings("en")
    open_page(page, app_url, "present", "en", step=4)
    assert page.locator(".st-key-present-notes").count() == 0
    open_page(page, app_url, "present", "en", step=4, notes=1)
    notes = page.locator(".st-key-present-notes")
    assert notes.count() == 1
    assert strings["present.ask"] in notes.inner_text()
    assert re.search(r"\d+ of \d+ min", notes.inner_text()), "the running time budget is missing"
    page.keyboard.press("ArrowRight")
    wait_for_step(page, 5)
    assert url_params(page).get("notes") == "1", "moving on closed the notes"


def test_the_notes_window_and_the_slide_move_together(browser_page, app_url):
    """The teacher presses → on the projector, or in the notes on their laptop: both windows
    (one browser) show the same step, one step at a time or a jump, and then stay there."""
    slide, steps = browser_page, steps_for("en")
    notes = slide.context.new_page()
    open_page(slide, app_url, "present", "en", step=5)
    open_page(notes, app_url, "present", "zh", step=5, notes=1)  # each window keeps its language
    slide.bring_to_front()
    slide.keyboard.press("ArrowRight")
    wait_for_step(slide, 6)
    wait_for_step(notes, 6)
    assert notes.locator(".st-key-present-notes").count() == 1 and url_params(notes)["lang"] == "zh"
    notes.bring_to_front()
    notes.keyboard.press("ArrowRight")
    wait_for_step(notes, 7)
    notes.keyboard.press("ArrowRight")
    wait_for_step(notes, 8)
    wait_for_step(slide, 8)
    assert headline(slide) == steps[7].headline
    slide.bring_to_front()
    slide.keyboard.press("End")  # a jump: the notes window reloads at the last step
    wait_for_step(slide, len(steps))
    wait_for_step(notes, len(steps))
    assert url_params(notes).get("notes") == "1"
    slide.wait_for_timeout(2500)  # and nobody pulls the other back
    assert url_params(slide)["step"] == url_params(notes)["step"] == str(len(steps))
    assert not slide.console_errors
    notes.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("section", ["four-permissions", "six-markets", "eurasia-trains", "digital-trade-center"])
def test_a_step_reads_from_the_back_of_the_room(browser_page, app_url, shots, lang, section):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 720})
    n = step_index(lang, section)
    open_page(page, app_url, "present", lang, step=n)
    page.wait_for_timeout(800)  # charts settle
    page.screenshot(path=str(shots / f"present-{lang}-{section}-1280x720.png"))
    px = page.evaluate("""() => {
        const size = s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize);
        return {h: size('.st-key-present-step h1'), p: size('.st-key-present-lines p'),
                body: parseFloat(getComputedStyle(document.body).fontSize)};
    }""")
    assert px["h"] >= 2.3 * px["body"] and px["h"] >= 38, f"headline only {px['h']}px"
    assert px["p"] >= 1.5 * px["body"] and px["p"] >= 24, f"lines only {px['p']}px"
    # Everything that makes the step is on screen without scrolling.
    drawings = '[data-testid="stVegaLiteChart"], [data-testid="stDeckGlJsonChart"]'
    visual = [drawings] if page.locator(drawings).count() else []  # a chart or map is on screen too
    for selector in (".st-key-present-nav", HEADLINE, ".st-key-present-lines p", *visual):
        box = page.locator(selector).first.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= 720, f"{selector} is off screen"
    assert f"{n} / {len(steps_for(lang))}" in page.locator(".st-key-present-nav").inner_text()
    assert not page.locator('[data-testid="stSidebar"]').is_visible(), "the sidebar takes room on a projector"
    other = "中文" if lang == "en" else "English"
    switch = page.get_by_role("link", name=other, exact=True)
    assert switch.is_visible(), "no language switch"
    # The switch sits in the header's row, so the slide starts a row higher; on its left
    # half, away from the menu and from where Streamlit shows "Running…" and
    # "Connecting" (the two were drawn over each other at every step).
    header = page.locator('[data-testid="stHeader"]').bounding_box()
    box, menu = switch.bounding_box(), page.locator('[data-testid="stMainMenu"]').bounding_box()
    assert box["y"] + box["height"] <= header["y"] + header["height"], f"switch below the header: {box}"
    assert box["x"] + box["width"] <= menu["x"], f"switch over the menu: {box} {menu}"
    assert box["x"] + box["width"] <= header["x"] + header["width"] / 2, f"switch by the status: {box}"
    assert page.locator(".st-key-present-nav").bounding_box()["y"] < header["height"] + 30
    # The links under a slide (notes, the chapter, leave) sit in the header's row after the
    # switch, on a 1280x720 and a 1024x768 projector: under a chart slide they ran off screen.
    for width, height in ((1280, 720), (1024, 768)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(200)
        header = page.locator('[data-testid="stHeader"]').bounding_box()
        menu, box = page.locator('[data-testid="stMainMenu"]').bounding_box(), switch.bounding_box()
        links = page.locator(".st-key-present-footer a").all()
        assert len(links) == 3, f"{len(links)} links under the slide"
        for a in links:
            link_box = a.bounding_box()
            name = f"{a.inner_text()!r} at {width}px"
            assert link_box["y"] >= 0 and link_box["y"] + link_box["height"] <= header["y"] + header["height"], name
            assert link_box["x"] >= box["x"] + box["width"] + 8, f"{name} covers the language switch"
            # Streamlit draws "Running…" and its Stop button in the 100 px before the menu.
            assert link_box["x"] + link_box["width"] <= menu["x"] - 120, f"{name} runs into the status"
    if lang == "zh":
        assert HAN.search(headline(page))
    assert not page.requests_outside and not page.console_errors


def test_the_slide_keeps_its_full_width_from_step_to_step(browser_page, app_url):
    """The layout must not flip between wide and narrow as the teacher moves on (buttons jumped under the pointer)."""
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, app_url, "present", "zh", step=8)
    widths, lefts = [], []
    for n in range(8, 13):
        if n > 8:
            page.locator(".st-key-present-next button").click()
            wait_for_step(page, n)
            page.wait_for_timeout(300)  # a layout change would land by now
        widths.append(page.locator(".st-key-present-step").bounding_box()["width"])
        lefts.append(page.locator(".st-key-present-next button").bounding_box()["x"])
    assert min(widths) >= 1000, f"slide widths by step: {widths}"
    assert max(lefts) - min(lefts) <= 2, f"the Next button moved sideways: {lefts}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_screen_reader_is_told_the_new_step(browser_page, app_url, lang):
    """One status region, out of sight, keeps its place and changes its text from step to step.

    A live region is heard when its text changes, not when it is replaced.
    """
    page = browser_page
    steps = steps_for(lang)
    open_page(page, app_url, "present", lang, step=8)
    page.wait_for_selector("#yiwu-step-status[role=status]", state="attached")
    status = page.locator("#yiwu-step-status").element_handle()
    template = read_strings(lang)["present.status"]
    assert status.inner_text() == template.format(n=8, total=len(steps), headline=steps[7].headline)
    page.locator(".st-key-present-next button").click()
    wait_for_step(page, 9)
    page.wait_for_function("([s, h]) => !s.isConnected || s.innerText.includes(h)", arg=[status, steps[8].headline])
    assert status.evaluate("s => s.isConnected"), "the status element was replaced, not updated"
    assert status.inner_text() == template.format(n=9, total=len(steps), headline=steps[8].headline)
    box = status.bounding_box()
    assert box is None or (box["width"] <= 1 and box["height"] <= 1), f"the status line shows: {box}"


CHART_SLIDES = [(s.number, s.visual.args[0]) for s in steps_for("en")
                if s.visual is not None and s.visual.kind == "chart"]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(1280, 720), (1024, 768)])
def test_every_chart_slide_shows_its_plot_axes_and_legends_on_a_projector(browser_page, app_url, shots, lang, size):
    """On a projector a chart on a slide shows its whole plot, its axis titles and every legend, with no scrolling."""
    page = browser_page
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    assert len(CHART_SLIDES) >= 4
    for n, name in CHART_SLIDES:
        open_page(page, app_url, "present", lang, step=n)
        page.wait_for_selector('[data-testid="stVegaLiteChart"] svg .role-axis-title text', timeout=15_000)
        page.screenshot(path=str(shots / f"present-{lang}-chart-{name}-{width}x{height}.png"))
        # A growth chart's legends are text under its plot (.st-key-slide-legends): an entry
        # and each legend's title; Vega draws none there.
        edges = page.evaluate("""() => {
            const boxes = sel => Array.from(document.querySelectorAll(sel)).map(e => e.getBoundingClientRect());
            const axes = boxes('[data-testid="stVegaLiteChart"] svg .role-axis-title text');
            const legend = boxes('[data-testid="stVegaLiteChart"] svg .role-legend-label text, '
                                 + '[data-testid="stVegaLiteChart"] svg .role-legend-title text, '
                                 + '.st-key-slide-legends span[style*="nowrap"], .st-key-slide-legends b');
            const chart = document.querySelector('[data-testid="stVegaLiteChart"]').getBoundingClientRect();
            return {axes: Math.max(...axes.map(b => b.bottom)), legend: Math.max(0, ...legend.map(b => b.bottom)),
                    right: Math.max(0, ...legend.map(b => b.right)), legends: legend.length,
                    edge: Math.min(chart.right, window.innerWidth),
                    plot: Math.max(0, ...boxes('[data-testid="stVegaLiteChart"] svg .role-axis-grid').map(b => b.height)),
                    vega: document.querySelectorAll('[data-testid="stVegaLiteChart"] svg .role-legend').length};
        }""")
        # The chart's sources are on screen, beside it, under its key events: the whole line,
        # or the box that holds a long list (the trade chart's ten ran below 720 px).
        sources = sources_boxes(page)
        assert sources and sources[-1][1] <= height, f"step {n} ({name}): its sources run below the screen ({sources})"
        assert edges["axes"] <= height, f"step {n} ({name}): an axis title is below the screen ({edges})"
        assert edges["legend"] <= height, f"step {n} ({name}): a legend runs below the screen ({edges})"
        assert edges["right"] <= edges["edge"] + 1, f"step {n} ({name}): a legend is cut at the right ({edges})"
        if name in ("trade", "trains"):
            assert edges["legends"] >= 5, f"step {n} ({name}): legends missing ({edges})"
        # A growth chart: its legends as text, and a taller plot in their room (its gridlines
        # spanned 150 px with Vega's legends under it).
        if name != "timeline":
            assert edges["vega"] == 0 and edges["plot"] >= 180, f"step {n} ({name}): {edges}"
        if name == "timeline":  # the generation picker shows all six choices, none cut at the column's edge
            cut = page.evaluate("""() => Array.from(document.querySelectorAll('[data-testid="stButtonGroup"]')).flatMap(
                g => Array.from(g.querySelectorAll('button')).filter(
                    b => b.getBoundingClientRect().right > g.getBoundingClientRect().right + 1).map(b => b.innerText))""")
            assert not cut, f"step {n}: picker options cut off: {cut}"


VISUAL_SLIDES = [(s.number, f"{s.visual.kind} {s.visual.args[0]}") for s in steps_for("en")
                 if s.visual is not None and s.visual.kind in ("chart", "map")]
DRAWING = '[data-testid="stVegaLiteChart"], [data-testid="stDeckGlJsonChart"]'


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_figures_notes_sit_beside_it_on_a_projector_and_after_it_on_a_phone(browser_page, app_url, shots, lang):
    """The legend, key events and sources of a slide's chart or map: on a projector under the
    slide's text, beside the drawing, starting on screen; on a phone after a chart, and just
    before the world map (its legend and layer choices, not after its cards and table)."""
    page = browser_page
    assert len(VISUAL_SLIDES) >= 6
    for n, name in VISUAL_SLIDES:
        # One view of each slide, on a projector, then on a smaller one, then on a phone: the
        # layout follows the window's width alone (as when a window is resized or a phone turned).
        page.set_viewport_size({"width": 1280, "height": 720})
        open_page(page, app_url, "present", lang, step=n)
        for width, height in ((1280, 720), (1024, 768), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(700)  # the drawing is laid out again for its new width
            notes = page.locator(".st-key-slide-notes").bounding_box()
            drawing = page.locator(DRAWING).first.bounding_box()
            text = page.locator(".st-key-present-lines").bounding_box()
            assert notes and drawing and notes["height"] > 20, f"step {n} ({name}): no notes beside the {name}"
            if width > 640:
                page.screenshot(path=str(shots / f"present-{lang}-notes-{n}-{width}.png"))
                assert notes["x"] + notes["width"] <= drawing["x"], f"step {n} ({name}): notes not beside it"
                assert notes["y"] >= text["y"] + text["height"], f"step {n} ({name}): notes not under the text"
                assert notes["y"] + 40 <= height, f"step {n} ({name}): the notes start below the screen"
                # Every key event is on screen beside the chart, in both languages and on
                # either projector: a teacher points at a lettered marker and the class reads what it was.
                bottoms = page.eval_on_selector_all(
                    ".st-key-slide-events li", "items => items.map(li => li.getBoundingClientRect().bottom)")
                off = [i + 1 for i, bottom in enumerate(bottoms) if bottom > height]
                assert not off, f"step {n} ({name}): key events {off} of {len(bottoms)} are below the screen"
                # So is the line that explains the chart's asterisks ("Read with care").
                care = page.eval_on_selector_all(
                    ".st-key-slide-notes [data-testid='stCaptionContainer']",
                    "cs => cs.filter(c => c.innerText.includes('*')).map(c => c.getBoundingClientRect().bottom)")
                assert all(bottom <= height for bottom in care), f"step {n} ({name}): caveats below the screen {care}"
                if name.startswith("map"):  # a map's sources too, beside it, whole (the world's ended below 720 px)
                    sources = sources_boxes(page)
                    assert sources and sources[-1][1] <= height, f"step {n}: its sources run off screen ({sources})"
                if name == "map world":  # its layer and view choices too, beside the map, on screen
                    for group in page.locator(".st-key-slide-notes [data-testid='stButtonGroup']").all():
                        box = group.bounding_box()
                        assert box["y"] + box["height"] <= height, f"step {n}: a map control is off screen ({box})"
                    assert page.locator(".st-key-slide-notes [data-testid='stButtonGroup']").count() == 2
            elif name == "map world":  # the map's legend and choices just before the map
                assert notes["y"] + notes["height"] <= drawing["y"], f"step {n}: the map's legend is not above it"
                assert drawing["y"] - (notes["y"] + notes["height"]) < 60, f"step {n}: the legend is far from the map"
            else:
                assert notes["y"] >= drawing["y"] + drawing["height"], f"step {n} ({name}): notes before the {name}"
            if width <= 640:  # its table after its notes, as in the chapters (the markets' key followed it)
                table = page.locator(".st-key-present-split [class*='_table']").first.bounding_box()
                assert table and table["y"] >= notes["y"] + notes["height"], f"step {n} ({name}): table before notes"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_key_terms_and_the_closing_questions_fit_a_projector(browser_page, app_url, shots, lang):
    """The lesson ends on questions for the class; the key-terms slide lists every term, on screen."""
    from yiwu.loaders import read_words

    page, strings = browser_page, read_strings(lang)
    terms = len(read_words("glossary", lang))
    last = len(steps_for(lang))
    for width, height in ((1280, 720), (1024, 768)):
        page.set_viewport_size({"width": width, "height": height})
        open_page(page, app_url, "present", lang, step=step_index(lang, "key-terms"))
        page.screenshot(path=str(shots / f"present-{lang}-key-terms-{width}x{height}.png"))
        items = page.locator(".st-key-slide-terms li")
        assert items.count() == terms
        # A Chinese term stays whole, in English text and on the Chinese slide.
        assert not broken_chinese_words(page, ".st-key-slide-terms li"), "a Chinese term is broken across lines"
        # Large enough for the back row: the Chinese terms were body-sized (half the slide empty), the
        # English 18 px with a fifth of a 1280x720 slide empty.
        size = page.eval_on_selector(".st-key-slide-terms li", "li => parseFloat(getComputedStyle(li).fontSize)")
        assert size >= (21 if lang == "zh" else 20 if width == 1280 else 17), f"the terms are {size}px"
        for i in range(terms):
            box = items.nth(i).bounding_box()
            assert box and 0 <= box["y"] and box["y"] + box["height"] <= height, f"term {i + 1} off screen"
        page.keyboard.press("End")
        wait_for_step(page, last)
        page.screenshot(path=str(shots / f"present-{lang}-closing-{width}x{height}.png"))
        assert headline(page) == strings["present.closing_title"]
        questions = page.locator(".st-key-present-lines ol > li")
        assert questions.count() == 3
        for i in range(3):
            box = questions.nth(i).bounding_box()
            assert box and box["y"] + box["height"] <= height, f"question {i + 1} off screen"
        link_box = page.get_by_role("link", name=strings["present.closing_link"]).bounding_box()
        assert link_box and link_box["y"] + link_box["height"] <= height, "the link to the sources is off screen"
        assert nav_rows(page) == 1, "the last step's top bar wraps onto a second line"
        page.keyboard.press("Home")
        wait_for_step(page, 1)
        assert nav_rows(page) == 1, "the first step's top bar wraps onto a second line"
    assert not page.requests_outside and not page.console_errors


def sources_boxes(page) -> list[list[float]]:
    """The top and bottom of the source lines (or the box of a long list) beside a slide's chart or map."""
    return page.evaluate("""() => Array.from(document.querySelectorAll(
        '.st-key-slide-notes [data-testid="stCaptionContainer"], .st-key-slide-notes summary'))
        .filter(e => /^(Sources?\\b|来源)/.test(e.innerText.replace(/^keyboard_arrow_\\w+\\s*/, '').trim()))
        .map(e => [e.getBoundingClientRect().top, e.getBoundingClientRect().bottom])""")


def nav_rows(page) -> int:
    """How many lines the step's top bar (buttons, counter, where the step belongs) takes."""
    tops = page.evaluate("""() => Array.from(document.querySelectorAll('.st-key-present-nav > *'))
        .map(e => e.getBoundingClientRect()).filter(b => b.height > 0).map(b => b.top + b.height / 2)""")
    return 1 + sum(1 for a, b in zip(sorted(tops), sorted(tops)[1:]) if b - a > 20)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_step_fits_a_phone(phone_page, app_url, shots, lang):
    page = phone_page
    open_page(page, app_url, "present", lang, step=step_index(lang, "six-markets"))
    page.wait_for_timeout(800)
    page.screenshot(path=str(shots / f"present-{lang}-six-markets-390.png"))
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the step is {overflow}px wider than the phone"
    assert page.locator(".st-key-present-next button").is_visible()
    assert page.locator(".st-key-present-next button").bounding_box()["y"] < 844
    assert not page.get_by_text(read_strings(lang)["present.keys"]).is_visible(), "a keyboard hint on a phone"


def test_a_shared_link_is_routed_even_on_a_fresh_server(browser):
    # A teacher's link is often the first visit after the app wakes up; with a
    # pages/ folder, Streamlit would run the page without the router then.
    proc, url = start_server()
    try:
        page = browser.new_page()
        page.goto(f"{url}/present?step=7&lang=zh")
        wait_for_app(page)
        assert headline(page) == steps_for("zh")[6].headline
        assert page.get_by_role("link", name="English", exact=True).count() == 1, "no language switch on a fresh server"
    finally:
        stop_server(proc)
