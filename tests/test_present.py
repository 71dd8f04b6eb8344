"""Presentation mode: the steps, the step in the URL, the keys' buttons, the notes."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from yiwu import ROOT
from yiwu.i18n import BREAK_HINT
from yiwu.loaders import LANGS, read_chapter, read_strings, read_table
from yiwu.present import (
    CLOSING,
    DEFAULT_MINUTES,
    Step,
    budget,
    build_steps,
    closing_from,
    parse_step,
    read_notes,
    wants_notes,
)
from yiwu.sources import cited_names

CHAPTERS = list(read_table("chapters").sort_values("order")["id"])
HAN = re.compile(r"[\u4e00-\u9fff]")
TIMEOUT = 60


def steps_for(lang: str) -> list[Step]:
    strings = read_strings(lang)
    return build_steps([read_chapter(c, lang) for c in CHAPTERS], strings["app.title"], closing_from(strings))


def all_notes(lang: str) -> dict:
    notes = {}
    for cid in (*CHAPTERS, CLOSING):
        notes.update(read_notes(cid, lang))
    return notes


# ---------------------------------------------------------------- steps as data

@pytest.mark.parametrize("lang", LANGS)
def test_the_story_fits_25_to_40_steps(lang):
    steps = steps_for(lang)
    assert 25 <= len(steps) <= 40, f"{len(steps)} steps: too many or too few for one lesson"
    assert [s.number for s in steps] == list(range(1, len(steps) + 1))


def test_both_languages_step_through_the_same_sections():
    zh, en = steps_for("zh"), steps_for("en")
    assert [(s.chapter_id, s.section_id) for s in zh] == [(s.chapter_id, s.section_id) for s in en]
    assert [s.visual for s in zh] == [s.visual for s in en]


@pytest.mark.parametrize("lang", LANGS)
def test_steps_are_drawn_from_the_chapters(lang):
    steps = steps_for(lang)
    sections = [(c, s) for c in CHAPTERS for s in read_chapter(c, lang).sections]
    assert len(steps) == len(sections) + 2, "one step per section, plus the title and closing steps"
    for step, (cid, section) in zip(steps[1:-1], sections, strict=True):
        assert step.chapter_id == cid and step.headline == section.title
        assert step.lines == (section.lead,), "a step shows its section's lead, not a copy"
        assert step.visual is None or step.visual.kind in ("chart", "map", "figures", "glossary", "sources")
    # The title step lists every chapter as the lesson's agenda.
    assert steps[0].role == "opening" and len(steps[0].lines) == len(CHAPTERS)


@pytest.mark.parametrize("lang", LANGS)
def test_the_lesson_ends_with_questions_for_the_class(lang):
    """The last step is a discussion, not the list of sources: End lands on it."""
    strings = read_strings(lang)
    last = steps_for(lang)[-1]
    assert last.role == "closing" and last.section_id == CLOSING
    assert last.headline == strings["present.closing_title"]
    assert len(last.lines) == 3, "three questions"
    assert last.lines[0] == "1. " + strings["present.closing_q1"]
    assert all(line.rstrip().endswith(("?", "\uff1f", ".", "\u3002")) for line in last.lines)
    # The same step in the other language, question for question.
    other = steps_for("en" if lang == "zh" else "zh")[-1]
    assert len(other.lines) == len(last.lines)


def test_the_questions_are_read_in_their_number_order():
    strings = {"present.closing_title": "T", "present.closing_q10": "ten?", "present.closing_q2": "two?",
               "present.closing_q1": "one?", "present.closing_quiz": "not a question"}
    assert closing_from(strings) == ("T", ("one?", "two?", "ten?"))
    assert closing_from({"app.title": "x"}) == ("", ())
    assert build_steps([], "T", closing_from({}))[-1].role == "opening", "no questions, no closing step"


def test_a_long_list_block_becomes_one_compact_visual():
    # The six generation cards do not fit on a slide; the step that holds them
    # shows a single chart instead. A glossary shows its terms only and a
    # source list its count per grade; the contents show nothing.
    from yiwu.content import Block
    from yiwu.present import step_visual

    assert step_visual((Block("md", "x"), Block("generations"))).kind == "chart"
    assert step_visual((Block("md", "x"), Block("glossary"), Block("sources"))) == Block("glossary", args=("slide",))
    assert step_visual((Block("sources"),)) == Block("sources", args=("slide",))
    assert step_visual((Block("md", "x"), Block("toc"))) is None
    assert step_visual((Block("figures", args=("a",)), Block("chart", args=("b",)))).kind == "figures"


@pytest.mark.parametrize("raw, expected", [
    ("7", 7), (" 7 ", 7), ("1", 1), ("999", "last"), ("-5", 1), ("0", 1), ("abc", 1), ("", 1), (None, 1),
    ("3.7", 4), ("3.2", 3), ("9" * 5000, "last"), ("-" + "9" * 5000, 1), ("<script>alert(1)</script>", 1),
    ("nan", 1), ("inf", 1), ("7abc", 1), (["2", "5"], 5), ([], 1),
])
def test_any_step_value_goes_to_the_nearest_valid_step(raw, expected):
    count = 36
    assert parse_step(raw, count) == (count if expected == "last" else expected)


@pytest.mark.parametrize("raw, shown", [("1", True), ("true", True), (None, False), ("0", False), ("", False),
                                        ("<b>1</b>", False)])
def test_notes_need_an_explicit_notes_1(raw, shown):
    assert wants_notes(raw) is shown


# ---------------------------------------------------------------- notes and time

@pytest.mark.parametrize("cid", CHAPTERS)
def test_presenter_notes_match_the_sections_in_both_languages(cid):
    ids = {s.id for s in read_chapter(cid, "en").sections}
    zh, en = read_notes(cid, "zh"), read_notes(cid, "en")
    assert set(zh) == set(en), "notes exist in one language only"
    assert set(en) <= ids, f"notes for sections that do not exist: {set(en) - ids}"
    for sid in en:
        assert zh[sid].minutes == en[sid].minutes, f"{sid}: the two languages plan different times"
        assert HAN.search(zh[sid].say) and not HAN.search(en[sid].ask)


def test_every_step_has_presenter_notes():
    steps, notes = steps_for("en"), all_notes("en")
    missing = [s.section_id for s in steps if s.section_id and s.section_id not in notes]
    assert not missing, f"steps without presenter notes: {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_no_two_slides_share_a_headline(lang):
    """Two slides titled "The Global Digital Trade Center" read as the same slide twice."""
    seen = {}
    for step in steps_for(lang):
        seen.setdefault(step.headline, []).append(step.number)
    assert not {h: n for h, n in seen.items() if len(n) > 1}


SHOWN = {"en": {"on screen": "figure", "on the map": "map"}, "zh": {"屏幕上": "figure", "在地图上": "map"}}


@pytest.mark.parametrize("lang", LANGS)
def test_presenter_notes_point_only_at_what_the_slide_shows(lang):
    """A note that says "the figure on screen" or "on the map" is on a slide that shows one.

    Notes written against a whole chapter sent the teacher to a figure or a
    map that the slide (the section's lead and first visual) does not have.
    """
    notes = all_notes(lang)
    wrong = []
    for step in steps_for(lang):
        note = notes.get(step.section_id)
        if note is None:
            continue
        shows = {"figure"} if step.facts or step.visual else set()
        if step.visual is not None and step.visual.kind == "map":
            shows.add("map")
        for phrase, needs in SHOWN[lang].items():
            if phrase in note.say and needs not in shows:
                wrong.append((step.number, step.section_id, phrase))
    assert not wrong, f"notes point at what the slide does not show: {wrong}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_time_budget_fits_a_lesson_and_runs_up(lang):
    steps, notes = steps_for(lang), all_notes(lang)
    plans = [budget(steps, notes, n) for n in range(1, len(steps) + 1)]
    total = plans[-1].total
    assert 25 <= total <= 45, f"the lesson takes {total} min; the plan is a 45-minute lesson"
    assert all(p.total == total for p in plans)
    assert plans[-1].done == total
    assert [p.done for p in plans] == sorted(p.done for p in plans)
    assert plans[0].done < plans[len(plans) // 2].done < total


def test_steps_without_notes_are_counted_and_flagged():
    steps = steps_for("en")
    plan = budget(steps, {}, len(steps))
    assert plan.total == round(len(steps) * DEFAULT_MINUTES)
    assert set(plan.estimated) == {s.number for s in steps if s.section_id}


def test_a_broken_notes_file_names_the_section(tmp_path):
    from yiwu.loaders import DataError

    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "roots.toml").write_text('[no-port]\nsay = "x"\nask = "y"\nminutes = "two"\n')
    with pytest.raises(DataError) as err:
        read_notes("roots", "en", base=tmp_path)
    assert err.value.row == "no-port" and err.value.column == "minutes"
    assert read_notes("nowhere", "en", base=tmp_path) == {}


# ---------------------------------------------------------------- the page (AppTest)

def open_present(lang: str, **params) -> AppTest:
    """The /present page through the router, with the given URL parameters."""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    at.run()
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("pages/present.py")
    return at.run()


def step_in_url(at: AppTest) -> str:
    value = at.query_params["step"]
    return value[-1] if isinstance(value, list) else value


def headline(at: AppTest) -> str:
    return at.title[0].value.replace(BREAK_HINT, "")


def page_text(at: AppTest) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.header] + [e.value for e in at.caption]
    parts += [e.value for e in at.title] + [e.value for e in at.subheader] + [e.value for e in at.info]
    return "\n".join(str(p) for p in parts).replace(BREAK_HINT, "")


@pytest.mark.parametrize("lang", LANGS)
def test_a_shared_link_opens_its_step_in_its_language(lang):
    steps = steps_for(lang)
    at = open_present(lang, step="7")
    assert not at.exception, at.exception
    assert step_in_url(at) == "7"
    assert headline(at) == steps[6].headline
    assert f"7 / {len(steps)}" in page_text(at)
    assert bool(HAN.search(headline(at))) == (lang == "zh")
    assert "{{" not in page_text(at), "an unreplaced placeholder is on screen"


def test_the_buttons_move_one_step_and_keep_the_url_in_step():
    steps = steps_for("en")
    at = open_present("en", step="2")
    at.button(key="present-next").click().run()
    assert step_in_url(at) == "3" and headline(at) == steps[2].headline
    at.button(key="present-next").click().run()
    at.button(key="present-prev").click().run()
    assert step_in_url(at) == "3"
    at.button(key="present-last").click().run()
    assert step_in_url(at) == str(len(steps)) and headline(at) == steps[-1].headline
    assert at.button(key="present-next").disabled, "there is no step after the last"
    at.button(key="present-first").click().run()
    assert step_in_url(at) == "1" and at.button(key="present-prev").disabled
    assert not at.exception


def test_arrow_keys_are_bound_to_the_buttons():
    at = open_present("en", step="5")
    shortcuts = {b.key: b.proto.shortcut for b in at.button}
    assert shortcuts["present-prev"].lower() == "left" and shortcuts["present-next"].lower() == "right"
    assert shortcuts["present-first"].lower() == "home" and shortcuts["present-last"].lower() == "end"


@pytest.mark.parametrize("raw, expected", [("999", "last"), ("-5", "1"), ("abc", "1"), ("3.7", "4"),
                                           ("9" * 3000, "last"), ("<script>alert(1)</script>", "1")])
def test_a_bad_step_in_the_url_lands_on_a_real_step_without_echoing_it(raw, expected):
    count = len(steps_for("en"))
    at = open_present("en", step=raw)
    assert not at.exception, at.exception
    assert not at.error
    assert step_in_url(at) == (str(count) if expected == "last" else expected)
    text = page_text(at)
    assert "<script>" not in text and "9" * 50 not in text and "abc" not in text


@pytest.mark.parametrize("lang", LANGS)
def test_notes_are_hidden_by_default_and_shown_with_notes_1(lang):
    strings = read_strings(lang)
    steps, notes = steps_for(lang), all_notes(lang)
    at = open_present(lang, step="4")
    assert f"**{strings['present.notes_title']}**" not in page_text(at)
    assert notes[steps[3].section_id].ask not in page_text(at)
    assert notes[steps[3].section_id].say not in page_text(at)

    at = open_present(lang, step="4", notes="1")
    text = page_text(at)
    note = notes[steps[3].section_id]
    assert f"**{strings['present.notes_title']}**" in text
    assert note.ask in text and note.say in text
    plan = budget(steps, notes, 4)
    assert strings["present.time"].format(minutes=f"{note.minutes:g}", done=plan.done, total=plan.total) in text
    at.button(key="present-next").click().run()
    assert at.query_params["notes"] in ("1", ["1"]), "moving on keeps the notes open"
    assert notes[steps[4].section_id].ask in page_text(at)


def test_every_step_renders_in_both_languages():
    for lang in LANGS:
        steps = steps_for(lang)
        at = open_present(lang, step="1")
        for n in range(1, len(steps) + 1):
            if n > 1:
                at.button(key="present-next").click().run()
            assert not at.exception, (lang, n, at.exception)
            assert not at.error, (lang, n, [e.value for e in at.error])
            assert "{{" not in headline(at)
            if "{{" not in steps[n - 1].headline:
                assert headline(at) == steps[n - 1].headline
            charts = len(at.get("vega_lite_chart")) + len(at.get("deck_gl_json_chart"))
            assert charts <= 1, f"step {n} shows {charts} charts or maps"
            # A slide names the sources of its section's claims and quotes, as the chapter does
            # (the statues of Niansanli and China Youth Daily's lessons showed none). Beside a
            # chart or map, the drawing's own sources stand in their place.
            step = steps[n - 1]
            if not (step.visual and step.visual.kind in ("chart", "map")):
                captions = " ".join(c.value for c in at.caption)
                missing = [name for name in cited_names(step.cited, lang) if name not in captions]
                assert not missing, f"{lang} step {n}: sources not named: {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_a_key_term_on_a_step_opens_its_explanation(lang):
    from yiwu.loaders import read_words

    term = read_words("glossary", lang)["four-permits"]
    n = next(s.number for s in steps_for(lang) if s.section_id == "four-permissions")
    at = open_present(lang, step=str(n))
    boxes = [e for e in at.expander if term["term"] in e.label]
    assert boxes, "the step's key-terms box does not name the term"
    assert any(term["short"] in m.value for m in boxes[0].markdown)


@pytest.mark.parametrize("lang", LANGS)
def test_the_last_step_asks_the_class_and_points_to_the_sources(lang):
    strings = read_strings(lang)
    steps = steps_for(lang)
    at = open_present(lang, step=str(len(steps)))
    assert not at.exception, at.exception
    assert headline(at) == strings["present.closing_title"]
    text = page_text(at)
    for n in (1, 2, 3):
        assert strings[f"present.closing_q{n}"] in text
    assert strings["present.closing_sources"] in text
    assert not [e for e in at.expander if e.label.startswith(strings["terms.label"])], "a key-terms box under questions"
    links = {(e.proto.label, e.proto.page) for e in at.get("page_link")}
    assert any(label == strings["present.closing_link"] and page.endswith("sources") for label, page in links), links
    # The teacher's notes for it are its own, with a real time, not "no notes yet".
    at = open_present(lang, step=str(len(steps)), notes="1")
    note = read_notes(CLOSING, lang)[CLOSING]
    assert note.ask in page_text(at) and not at.info


@pytest.mark.parametrize("lang", LANGS)
def test_the_key_terms_slide_lists_every_term_and_the_sources_slide_counts_them(lang):
    from yiwu.loaders import read_words

    strings = read_strings(lang)
    steps = steps_for(lang)
    at = open_present(lang, step=str(next(s.number for s in steps if s.section_id == "key-terms")))
    assert not at.exception, at.exception
    shown = re.sub(r"\\(.)", r"\1", "\n".join(m.value for m in at.markdown))  # Markdown escapes off
    terms = [w["term"] for w in read_words("glossary", lang).values()]
    assert all(term in shown for term in terms), [t for t in terms if t not in shown]
    assert not any(w["long"] in shown for w in read_words("glossary", lang).values()), "the slide lists, the chapter explains"

    at = open_present(lang, step=str(next(s.number for s in steps if s.section_id == "source-list")))
    assert not at.exception, at.exception
    grades = read_table("sources")["grade"].value_counts()
    shown = re.sub(r"\\(.)", r"\1", "\n".join(m.value for m in at.markdown))
    for grade in ("A", "B", "C"):
        assert strings[f"sources.grade_{grade}"] in shown
        assert strings["sources.count"].format(n=int(grades[grade])) in shown
