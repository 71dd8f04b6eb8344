"""Reading alone: questions with feedback, the answers file, progress, glossary terms."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from yiwu.classroom import section_text, terms_in
from yiwu.loaders import LANGS, DataError, read_chapter, read_strings, read_table, read_words
from yiwu.quiz import answers_markdown, read_quiz


def dash_for(lang: str) -> str:
    """Chinese sets the dash solid (——), English spaced ( — )."""
    return "\u2014\u2014" if lang == "zh" else " \u2014 "

CHAPTERS = list(read_table("chapters").sort_values("order")["id"])
QUIZZED = [c for c in CHAPTERS if read_quiz(c, "en")]
TIMEOUT = 60
QUOTES = re.compile(r"[“”‘’\"'「」『』]")


# ---------------------------------------------------------------- questions as data

def test_the_story_chapters_end_with_questions():
    # Every chapter but the sources ends with questions.
    assert set(CHAPTERS) - set(QUIZZED) <= {"sources"}, f"chapters without questions: {set(CHAPTERS) - set(QUIZZED)}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("cid", QUIZZED)
def test_each_explanation_points_back_to_the_chapter(cid, lang):
    quiz = read_quiz(cid, lang)
    assert 1 <= len(quiz.questions) <= 3
    assert quiz.discuss, "no discussion prompt"
    titles = [QUOTES.sub("", s.title) for s in read_chapter(cid, lang).sections]
    for q in quiz.questions:
        explain = QUOTES.sub("", q.explain)
        assert any(title in explain for title in titles), f"{q.id}: the explanation names no section"


def test_quizzes_that_disagree_across_languages_are_refused(tmp_path):
    for lang, answer in (("en", 1), ("zh", 2)):
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "roots.toml").write_text(
            f'[[question]]\nid = "q"\nprompt = "p"\noptions = ["a", "b", "c"]\nanswer = {answer}\nexplain = "e"\n')
    with pytest.raises(DataError, match="differ"):
        read_quiz("roots", "en", base=tmp_path)
    assert read_quiz("nowhere", "en", base=tmp_path) is None


def test_an_answer_out_of_range_names_the_question(tmp_path):
    for lang in LANGS:
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "roots.toml").write_text(
            '[[question]]\nid = "q7"\nprompt = "p"\noptions = ["a", "b"]\nanswer = 2\nexplain = "e"\n')
    with pytest.raises(DataError) as err:
        read_quiz("roots", "zh", base=tmp_path)
    assert err.value.row == "q7" and err.value.column == "answer"


# ---------------------------------------------------------------- the answers file

@pytest.mark.parametrize("lang", LANGS)
def test_the_answers_file_holds_questions_choices_verdicts_and_notes(lang):
    strings = read_strings(lang)
    roots, other = read_quiz(QUIZZED[0], lang), read_quiz(QUIZZED[1], lang)
    right, wrong = roots.questions[0], roots.questions[1]
    wrong_choice = next(i for i in range(len(wrong.options)) if i != wrong.answer)
    entries = [("Roots title", roots), ("Other title", other)]
    text = answers_markdown(entries, {right.id: right.answer, wrong.id: wrong_choice},
                            {QUIZZED[0]: "My town has a river port.\nAnd a market."}, lang)
    assert strings["quiz.file_title"] in text
    assert "Roots title" in text and "Other title" not in text, "only chapters answered are in the file"
    assert right.prompt in text and right.options[right.answer] in text
    assert wrong.prompt in text and wrong.options[wrong_choice] in text
    dash = dash_for(lang)
    assert f"{wrong.options[wrong_choice]}{dash}{strings['quiz.file_wrong']}" in text
    assert f"{right.options[right.answer]}{dash}{strings['quiz.file_right']}" in text
    assert wrong.options[wrong.answer] in text, "a wrong answer shows the right one"
    assert roots.discuss in text and "> My town has a river port." in text and "> And a market." in text
    assert roots.questions[2].prompt not in text, "an unanswered question is left out"
    if lang == "zh":
        # Chinese punctuation in a Chinese file: "我的答案：盐", "**讨论**：…".
        assert ": " not in text and "\uff1a" in text, [line for line in text.splitlines() if ": " in line]


def test_an_empty_answers_file_says_so():
    for lang in LANGS:
        text = answers_markdown([("T", read_quiz(QUIZZED[0], lang))], {}, {}, lang)
        assert read_strings(lang)["quiz.file_empty"] in text


# ---------------------------------------------------------------- glossary terms in place

@pytest.mark.parametrize("lang", LANGS)
def test_every_glossary_term_opens_somewhere_in_the_story(lang):
    glossary = read_words("glossary", lang)
    found = {t for cid in CHAPTERS for s in read_chapter(cid, lang).sections for t in terms_in(section_text(s), glossary)}
    assert set(glossary) == found, f"terms never found in the {lang} text: {set(glossary) - found}"


def test_each_section_explains_the_same_key_terms_in_both_languages():
    # A reader switching language mid-chapter finds the same key-terms box under each section.
    zh, en = read_words("glossary", "zh"), read_words("glossary", "en")
    for cid in CHAPTERS:
        for a, b in zip(read_chapter(cid, "zh").sections, read_chapter(cid, "en").sections, strict=True):
            assert terms_in(section_text(a), zh) == terms_in(section_text(b), en), f"{cid}, section {a.id}"


def test_terms_match_whole_words_in_english_and_anywhere_in_chinese():
    glossary = {"four": {"term": "Four Permissions", "match": ["Four Permissions", "四个允许"]},
                "cart": {"term": "Cart", "match": ["cart"]}}
    assert terms_in("the four permissions of 1982", glossary) == ["four"]
    assert terms_in("1982年提出的“四个允许”让……", glossary) == ["four"]
    assert terms_in("a cartload of goods", glossary) == []
    assert terms_in("Carts and four permissionsx", glossary) == []


# ---------------------------------------------------------------- a chapter's end in the app

def _chapter_app(lang: str) -> None:
    import streamlit as st

    from yiwu.story import render_chapter

    st.session_state["lang"] = lang
    render_chapter(st.session_state.get("chapter", "roots"))


def run_chapter(lang: str, chapter: str = "roots", questions: bool = True) -> AppTest:
    """A chapter in the app; ``questions`` opens its questions as a reader's click would."""
    at = AppTest.from_function(_chapter_app, args=(lang,), default_timeout=TIMEOUT)
    at.session_state["chapter"] = chapter
    at.run()
    return open_questions(at, chapter) if questions else at


def open_questions(at: AppTest, chapter: str) -> AppTest:
    at.session_state[f"quiz-open-{chapter}"] = True
    return at.run()


@pytest.mark.parametrize("lang", LANGS)
def test_questions_wait_behind_one_click_with_their_count(lang):
    at = run_chapter(lang, questions=False)
    assert not at.radio and not at.text_area, "the questions were built before the reader asked"
    n = len(read_quiz("roots", lang).questions)
    label = read_strings(lang)["quiz.open"].format(n=n)
    assert any(e.proto.label == label for e in at.get("expander"))
    open_questions(at, "roots")
    assert len(at.radio) == n and len(at.text_area) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_picking_an_answer_gives_instant_feedback(lang):
    strings = read_strings(lang)
    quiz = read_quiz("roots", lang)
    at = run_chapter(lang)
    assert not at.success and not at.warning, "feedback before any answer"
    q = quiz.questions[0]
    at.radio[0].set_value(q.answer).run()
    assert len(at.success) == 1 and strings["quiz.right"] in at.success[0].value
    assert q.explain in at.success[0].value

    wrong = next(i for i in range(len(q.options)) if i != q.answer)
    at.radio[0].set_value(wrong).run()
    assert not at.success and len(at.warning) == 1
    assert q.options[q.answer] in at.warning[0].value and q.explain in at.warning[0].value
    assert not at.exception
    if lang == "zh":
        assert "\u3002 " not in at.warning[0].value, "a space after a Chinese full stop"


def test_answers_and_notes_survive_reading_another_chapter():
    at = run_chapter("en")
    at.radio[1].set_value(1).run()
    at.text_area[0].input("Our town has a big river.").run()
    at.session_state["chapter"] = "breakthrough"
    at.run()
    assert not at.radio, "an unanswered chapter's questions start closed"
    open_questions(at, "breakthrough")
    assert read_quiz("breakthrough", "en").questions[0].prompt in at.radio[0].label
    at.session_state["chapter"] = "roots"
    at.run()  # answered here before: the questions open by themselves
    assert at.radio[1].value == 1
    assert at.text_area[0].value == "Our town has a big river."
    assert len(at.warning) + len(at.success) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_a_chapter_shows_where_the_reader_is_and_links_on(lang):
    strings = read_strings(lang)
    at = run_chapter(lang, "breakthrough")
    n, total = CHAPTERS.index("breakthrough") + 1, len(CHAPTERS)
    position = strings["reading.position"].format(n=n, total=total)
    assert at.caption[0].value.startswith(position + " · "), "the chapter does not say where it sits"
    labels = [link.proto.label for link in at.get("page_link")]
    prev_title = read_chapter(CHAPTERS[n - 2], lang).nav
    next_title = read_chapter(CHAPTERS[n], lang).nav
    assert strings["reading.prev"].format(title=prev_title) in labels
    assert strings["reading.next"].format(title=next_title) in labels
    assert strings["reading.present"] in labels
    assert len(at.get("download_button")) == 1
    assert at.get("download_button")[0].proto.label == strings["quiz.download"]


def test_the_reading_list_marks_chapters_opened_and_answered():
    at = run_chapter("en", "roots")
    at.radio[0].set_value(0).run()
    at.session_state["chapter"] = "breakthrough"
    at.run()
    strings = read_strings("en")
    summary = strings["reading.summary"].format(opened=2, total=len(CHAPTERS), answered=1)
    assert any(summary in e.proto.label for e in at.get("expander"))
    labels = [link.proto.label for link in at.get("page_link")]
    assert not any(strings["reading.mark_opened"] in label for label in labels)  # built when opened
    at.session_state["reading-progress"] = True
    at.run()
    labels = [link.proto.label for link in at.get("page_link")]
    assert any(strings["reading.mark_answered"] in label and "Roots" in label for label in labels)
    assert any(strings["reading.mark_opened"] in label and "Breakthrough" in label for label in labels)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("chapter", ["roots", "lessons"])
def test_a_term_is_explained_once_per_chapter_under_its_first_use(chapter, lang):
    # Roots uses the rattle drum in two sections in a row, lessons uses three
    # terms again after the section that explained them: one box each, once.
    glossary = read_words("glossary", lang)
    first_use: dict[str, int] = {}
    for i, section in enumerate(read_chapter(chapter, lang).sections):
        for term_id in terms_in(section_text(section), glossary):
            first_use.setdefault(term_id, i)
    at = run_chapter(lang, chapter, questions=False)
    label = read_strings(lang)["terms.label"]
    boxes = [e for e in at.expander if e.label.startswith(label)]
    names = [name.strip() for e in boxes for name in e.label.split("\uff1a" if lang == "zh" else ": ", 1)[1].split(" · ")]
    # every term the chapter uses, once, under the section that first uses it
    assert names == [glossary[term_id]["term"] for term_id in first_use]
    assert len(boxes) == len(set(first_use.values()))


@pytest.mark.parametrize("lang", LANGS)
def test_key_terms_open_under_the_section_that_uses_them(lang):
    glossary = read_words("glossary", lang)
    chapter = read_chapter("breakthrough", lang)
    expected = {glossary[t]["term"] for s in chapter.sections for t in terms_in(section_text(s), glossary)}
    at = run_chapter(lang, "breakthrough")
    label = read_strings(lang)["terms.label"]
    boxes = [e for e in at.expander if e.label.startswith(label)]
    assert boxes, "no key-terms box under any section"
    labels = {name.strip() for e in boxes for name in e.label.split("\uff1a" if lang == "zh" else ": ", 1)[1].split(" · ")}
    assert glossary["four-permits"]["term"] in labels
    assert labels == expected
    source_words = tuple(read_strings(lang)[k].split("{")[0] for k in ("source.one", "source.many"))
    for box in boxes:
        text = "\n\n".join(m.value for m in box.markdown)
        names = box.label.split("\uff1a" if lang == "zh" else ": ", 1)[1].split(" · ")
        for name in names:
            entry = next(g for g in glossary.values() if g["term"] == name)
            assert f"**{name}**{dash_for(lang)}{entry['short']}" in text and entry["long"] in text
        # each term's explanation ends with its sources, in small type
        blocks = text.split("\n\n")
        sources = [b for b in blocks if b.startswith(":small[")]
        assert len(sources) == len(names), "a term's explanation names no source"
        assert all(b[len(":small["):].startswith(source_words) and b.endswith("]") for b in sources)
