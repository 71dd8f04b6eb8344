"""The app runs: every page, both languages, no exception, the right language."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from yiwu import ROOT
from yiwu.i18n import BREAK_HINT, heading
from yiwu.loaders import read_chapter, read_table

CHAPTERS = list(read_table("chapters").sort_values("order")["id"])
HAN = re.compile(r"[\u4e00-\u9fff]")
TIMEOUT = 60


def run_home(lang=None, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=TIMEOUT)
    if lang:
        at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def _chapter_script(chapter_id: str, lang: str) -> None:
    import streamlit as st

    from yiwu.story import render_chapter

    st.session_state["lang"] = lang
    render_chapter(chapter_id)


def run_chapter(chapter_id: str, lang: str) -> AppTest:
    return AppTest.from_function(_chapter_script, args=(chapter_id, lang), default_timeout=TIMEOUT).run()


def texts(at: AppTest) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.title] + [e.value for e in at.header]
    parts += [e.value for e in at.subheader] + [e.value for e in at.caption]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_home_renders_in_each_language(lang):
    at = run_home(lang)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.query_params["lang"] == [lang] or at.query_params["lang"] == lang
    title = at.title[0].value
    assert bool(HAN.search(title)) == (lang == "zh")
    # Each headline figure shows its value, formatted from data/facts.csv.
    from yiwu.story import fact_text, markdown_literal

    shown = "\n".join(m.value for m in at.markdown)
    values = [fact_text(f, lang) for f in ("products", "categories", "market_entities", "trade_partners",
                                           "trade_2025", "jobs")]
    assert all(markdown_literal(v) in shown for v in values), "a headline figure is missing"
    cited = [c.value for c in at.caption if c.value.startswith(("Source", "来源"))]
    assert len(cited) >= len(values), "a headline figure has no source"


def test_home_links_every_chapter():
    at = run_home("en")
    links = at.get("page_link")
    hrefs = " ".join(str(link.proto.page) + " " + str(link.proto.label) for link in links)
    for cid in CHAPTERS:
        title = read_chapter(cid, "en").title
        assert title in hrefs, f"home has no link to {cid}"


@pytest.mark.parametrize("bad", ["fr", "<script>alert(1)</script>", "x" * 5000, ""])
def test_unknown_language_falls_back_without_echoing_it(bad):
    at = run_home(bad)
    assert not at.exception
    assert at.query_params["lang"] in ("zh", ["zh"])
    assert "<script>" not in texts(at)


def test_default_language_is_chinese():
    at = run_home()
    assert not at.exception
    assert HAN.search(at.title[0].value)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("cid", CHAPTERS)
def test_every_chapter_renders(cid, lang):
    at = run_chapter(cid, lang)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    chapter = read_chapter(cid, lang)
    assert chapter.title in at.title[0].value.replace(BREAK_HINT, "")
    headers = [h.value.replace(BREAK_HINT, "") for h in at.header]
    for section in chapter.sections:
        assert any(section.title.split("{{")[0].strip()[:10] in h for h in headers), section.id
    body = texts(at)
    assert "{{" not in body, "an unreplaced placeholder is on screen"
    if lang == "zh":
        assert len(HAN.findall(body)) > 200
    else:
        assert len(HAN.findall(body)) < 0.05 * len(body)


@pytest.mark.parametrize("lang, other, label", [("zh", "en", "English"), ("en", "zh", "中文")])
def test_the_language_link_opens_the_same_page_and_step_in_the_other_language(lang, other, label):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    at.query_params["step"] = "7"
    at.query_params["junk"] = "<b>x</b>"
    at.query_params["notes"] = "<script>alert(1)</script>"
    at.switch_page("pages/present.py")
    at.run()
    assert not at.exception, at.exception
    link = next(x.proto for x in at.get("page_link") if x.proto.label == label)
    assert link.page.endswith("present")
    params = dict(p.split("=", 1) for p in link.query_string.split("&"))
    assert params == {"step": "7", "lang": other}  # the step kept; unknown and hostile parameters dropped


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sources_chapter_explains_every_glossary_term_with_its_sources(lang):
    from yiwu.loaders import read_strings, read_words
    from yiwu.sources import cite

    strings = read_strings(lang)
    shown = "\n\n".join(m.value for m in run_chapter("sources", lang).markdown)
    for term in read_words("glossary", lang).values():
        # Chinese sets the dash solid (——), English spaced ( — ).
        line = f"**{term['term']}**" + ("\u2014\u2014" if lang == "zh" else " \u2014 ") + term["long"]
        assert line in shown, term["term"]
        after = shown.split(line, 1)[1].split("\n\n", 2)[1]
        assert after == f":small[{cite(term['sources'], lang)}]", term["term"]
        assert after[len(":small["):].startswith((strings["source.one"].split("{")[0],
                                                  strings["source.many"].split("{")[0]))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sources_chapter_lists_every_source_by_grade(lang):
    """Each grade is an expander named with its count; opened, it lists every source with its link."""
    from yiwu.loaders import read_strings

    sources = read_table("sources")
    strings = read_strings(lang)
    at = run_chapter("sources", lang)
    assert not at.exception
    boxes = {g: next(e for e in at.expander if e.label.startswith(strings[f"sources.grade_{g}"]))
             for g in ("A", "B", "C")}
    for grade, box in boxes.items():
        n = int((sources["grade"] == grade).sum())
        assert box.label.endswith(f"\uff08{n}\uff09" if lang == "zh" else f" ({n})"), box.label
        assert not box.markdown, "a source list is built before it is opened"
        at.session_state[f"sources-{grade}"] = True
    at.run()
    listed = "\n".join(m.value for e in at.expander if e.label in {b.label for b in boxes.values()}
                       for m in e.markdown)
    for r in sources.itertuples():
        assert (getattr(r, f"outlet_{lang}") or r.outlet_en) in listed, r.id
        # Each title in the page's language (the Chinese page listed English titles).
        assert getattr(r, f"title_{lang}") in listed, r.id
        if r.url:
            assert f"]({r.url})" in listed, r.id
    # A report read in the news compilation says so; a source whose address
    # was lost says that: one "no link (this, or that)" left the reader guessing.
    unlinked = sources[sources["url"] == ""]
    assert unlinked["id"].str.startswith("seed-").any() and not unlinked["id"].str.startswith("seed-").all()
    for r in unlinked.itertuples():
        want = strings["sources.in_compilation" if r.id.startswith("seed-") else "sources.no_link"]
        line = next(x for x in listed.splitlines() if getattr(r, f"title_{lang}") in x)
        assert line.endswith(want), (r.id, line)
        # Said once: five titles also ended in "(link incomplete)".
        assert not re.search(r"link incomplete|链接不完整", line[: -len(want)]), (r.id, line)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_sections_source_line_sits_where_its_writer_put_it(lang):
    """The six-markets section cites its outlets before the six cards, not 2,000 px below them."""
    from yiwu.sources import cite

    at = run_chapter("generations", lang)
    section = next(s for s in read_chapter("generations", lang).sections if s.id == "six-markets")
    line = cite(section.cited, lang)
    order = [("caption", e.value) if e.type == "caption" else ("subheader", e.value)
             for e in at.main if e.type in ("caption", "subheader")]
    at_line = order.index(("caption", line))
    first_card = next(i for i, (kind, _) in enumerate(order) if kind == "subheader")
    assert at_line < first_card, "the section's source line comes after the generation cards"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_generation_card_says_once_what_the_sources_do_not_give(lang):
    """The fourth card read "Stalls: not known from the sources · Area: not known from the sources"."""
    from yiwu.loaders import read_strings

    unknown = read_strings(lang)["gen.unknown"]
    cards = [m.value for m in run_chapter("generations", lang).markdown if unknown in m.value]
    assert cards, "no card says what is unknown"
    assert all(c.count(unknown) == 1 for c in cards), [c for c in cards if c.count(unknown) > 1]


def test_the_contents_give_each_chapter_one_reading_time_in_both_languages():
    """Reform read "about 3 min" in English and "约 2 分钟" in Chinese: each language rounded its own estimate."""
    minutes = {}
    for lang, pattern in (("en", r"about\s(\d+)\smin"), ("zh", r"约\s(\d+)\s分钟")):
        captions = [c.value for c in run_home(lang).caption]
        minutes[lang] = [int(m[1]) for c in captions if (m := re.search(pattern, c))]
        # On a phone "about" and "3 min" stood on different lines: the spaces do not break.
        assert all(re.search(pattern.replace(r"\s", "\u00a0"), c) for c in captions if re.search(pattern, c))
    assert len(minutes["en"]) == len(read_table("chapters"))
    assert minutes["zh"] == minutes["en"]


# A heading's runs of characters between its punctuation and its break hints.
_RUNS = re.compile(r"[\u200b\s，、：；。！？“”（）·]+")


def test_a_chinese_heading_can_wrap_on_a_phone_without_breaking_a_word():
    """On a phone "根脉：没有港 / 口的丘陵县" split 港口. Chinese headings break only at their
    punctuation and at break hints (assets/app.css), so every run between them must fit a
    390 px phone's line: eight characters of a chapter's title (h1), nine of a section's (h2)."""
    for cid in CHAPTERS:
        chapter = read_chapter(cid, "zh")
        for text, most in [(chapter.title, 8)] + [(s.title, 9) for s in chapter.sections]:
            marked = heading(text, "zh")
            assert marked.replace(BREAK_HINT, "") == text
            runs = [r for r in _RUNS.split(marked) if r]
            assert max(map(len, runs)) <= most, f"{cid}: “{text}” has a run too long for a phone: {runs}"
    assert heading("根脉：没有港口的丘陵县", "zh") == "根脉：没有港口的\u200b丘陵县"
    assert heading("Roots: a hill county with no port", "en") == "Roots: a hill county with no port"
