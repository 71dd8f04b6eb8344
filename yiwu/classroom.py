"""What helps a reader learn: glossary terms in place, questions, reading progress.

Everything the reader does here (answers, notes, chapters opened) is kept only
in their own session (``st.session_state``); nothing is stored on the server
or sent anywhere. The "download my answers" button is how a reader keeps it.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet

import streamlit as st

from yiwu import lazy
from yiwu.content import Chapter, Section
from yiwu.i18n import colon, dash, sentences, t
from yiwu.loaders import DataError, chapter_minutes, chapter_registry, load_chapter, load_strings, load_words, shared
from yiwu.present import CLOSING, DEFAULT_MINUTES, Note, Step, budget, read_notes
from yiwu.quiz import Quiz, answers_markdown, read_quiz
from yiwu.sources import cite

STATE = "classroom"


def progress_state() -> dict:
    """The reader's own record: chapters opened, answers chosen, notes written."""
    state = st.session_state.setdefault(STATE, {})
    state.setdefault("opened", [])
    state.setdefault("answers", {})
    state.setdefault("notes", {})
    return state


# ---------------------------------------------------------------- glossary

def _pattern(needle: str) -> re.Pattern:
    # Latin words match whole words, any case ("Four Permissions" but not
    # "forecourt"); Chinese terms match anywhere, as Chinese has no spaces.
    body = re.escape(needle.strip())
    if re.search(r"[A-Za-z]", needle):
        return re.compile(rf"(?<![A-Za-z]){body}(?![A-Za-z])", re.IGNORECASE)
    return re.compile(body)


def section_text(section: Section) -> str:
    return "\n".join([section.title] + [b.text for b in section.blocks if b.kind == "md"])


def terms_in(text: str, glossary: dict[str, dict]) -> list[str]:
    """Ids of the glossary terms whose ``match`` strings occur in ``text``, in glossary order."""
    found = []
    for term_id, entry in glossary.items():
        needles = entry.get("match") or [entry.get("term", "")]
        if isinstance(needles, str):
            needles = [needles]
        if any(n and n.strip() and _pattern(n).search(text) for n in needles):
            found.append(term_id)
    return found


def after_section(section: Section, lang: str, explained: set[str]) -> None:
    """The key terms a section uses, in one small expander under it.

    A term is explained under the first section of the chapter that uses it,
    as a textbook defines a word once; ``explained`` holds the ids already
    shown on this page and gains this section's.
    """
    explained.update(terms_row(section_text(section), lang, key=f"terms-{section.id}", skip=explained))


def terms_row(text: str, lang: str, key: str, skip: AbstractSet[str] = frozenset()) -> list[str]:
    """One expander ("Key terms in this section: 四个允许 · …") explaining the glossary terms in ``text``.

    One expander, not a popover per term: it needs no extra script file and
    no tooltip, and on a phone it opens in place instead of over the text.
    Inside, one Markdown element: a collapsed expander still draws what it
    holds, and three elements per term made the lessons chapter ≈0.07× of an
    empty page slower in one A/B (bench/README.md). Sources are in small
    type, in the text colour.
    """
    try:
        glossary = load_words("glossary", lang)
    except DataError:
        # The glossary chapter shows the error in full; repeating it under
        # every section would bury the story.
        return []
    ids = [term_id for term_id in terms_in(text, glossary) if term_id not in skip]
    if not ids:
        return []
    names = " · ".join(glossary[term_id]["term"] for term_id in ids)
    parts = []
    for term_id in ids:
        entry = glossary[term_id]
        parts.append(f"**{entry['term']}**{dash(lang)}{entry.get('short', '')}")
        if entry.get("long"):
            parts.append(entry["long"])
        if entry.get("sources"):
            parts.append(":small[" + cite(entry["sources"], lang) + "]")
    with st.expander(t("terms.label", lang) + colon(lang) + names, icon=":material/menu_book:", key=key):
        st.markdown("\n\n".join(parts))
    return ids


# ---------------------------------------------------------------- progress

def _chapter_ids() -> list[str]:
    return [ch["id"] for ch in chapter_registry()]


def before_chapter(chapter: Chapter, lang: str) -> str:
    """Note the chapter as opened; return where it sits: "Chapter 3 of 8"."""
    ids = _chapter_ids()
    state = progress_state()
    if chapter.id not in state["opened"]:
        state["opened"].append(chapter.id)
    return t("reading.position", lang, n=ids.index(chapter.id) + 1, total=len(ids))


@shared
def load_quiz(chapter_id: str, lang: str) -> Quiz | None:
    return read_quiz(chapter_id, lang)


def quiz_block(chapter: Chapter, lang: str) -> None:
    """The chapter's questions with instant feedback, and the discussion prompt."""
    try:
        quiz = load_quiz(chapter.id, lang)
    except DataError as err:
        from yiwu.story import show_data_error

        show_data_error(err, lang)
        return
    if quiz is None:
        return
    state = progress_state()
    # One box for the heading and the questions, so that a printout leaves
    # both out while the questions are folded away (assets/app.css).
    with st.container(key=f"questions-{chapter.id}"):
        _quiz_box(chapter, quiz, state, lang)


def _quiz_box(chapter: Chapter, quiz: Quiz, state: dict, lang: str) -> None:
    st.header(t("quiz.heading", lang), anchor=f"questions-{chapter.id}", divider="gray")
    # The questions open on request: built up front they made every chapter
    # slower to appear (bench/README.md). They open by themselves once the
    # reader has answered something here.
    started = any(q.id in state["answers"] for q in quiz.questions) or bool(state["notes"].get(chapter.id))
    # ``expanded`` is part of the expander's identity: it must not change
    # while the reader is on the page, or the first answer would rebuild the
    # box and everything in it (a keyboard reader's focus fell to the top of
    # the page). It is decided when the box first shows on a visit.
    key, first = f"quiz-open-{chapter.id}", f"quiz-started-{chapter.id}"
    if key not in st.session_state or first not in st.session_state:
        st.session_state[first] = started
    with lazy.expander(t("quiz.open", lang, n=len(quiz.questions)), key=key,
                       expanded=st.session_state[first], icon=":material/quiz:") as opened:
        if opened:
            questions(chapter, quiz, state, lang)


def questions(chapter: Chapter, quiz: Quiz, state: dict, lang: str) -> None:
    for n, q in enumerate(quiz.questions, start=1):
        with st.container(border=True, key=f"question-{q.id}"):
            # The reader's earlier answer (kept across pages and languages)
            # goes into the widget's state, not into ``index``: a new index
            # made Streamlit build the radio group anew on every answer, and
            # a keyboard reader's focus fell back to the top of the page.
            key = f"quiz-{q.id}"
            if key not in st.session_state and q.id in state["answers"]:
                st.session_state[key] = state["answers"][q.id]
            # A plain label: it is also the group's name for a screen reader,
            # which read Markdown's asterisks aloud. assets/app.css sets it bold.
            choice = st.radio(f"{n}. {q.prompt}", range(len(q.options)), index=None, key=key,
                              format_func=lambda i, q=q: q.options[i])
            if choice is None:
                continue
            state["answers"][q.id] = choice
            if q.is_right(choice):
                st.success(sentences(lang, t("quiz.right", lang), q.explain), icon=":material/check_circle:")
            else:
                st.warning(sentences(lang, t("quiz.wrong", lang, answer=q.options[q.answer]), q.explain),
                           icon=":material/lightbulb:")
    if quiz.discuss:
        st.subheader(t("quiz.discuss", lang), anchor=f"discuss-{chapter.id}")
        st.markdown(quiz.discuss)
        note = st.text_area(t("quiz.discuss_label", lang), value=state["notes"].get(chapter.id, ""),
                            key=f"discuss-{chapter.id}", placeholder=t("quiz.discuss_placeholder", lang))
        state["notes"][chapter.id] = note or ""
    download_answers(lang)


def download_answers(lang: str) -> None:
    """One button that saves every answer and note of this session as a file."""
    state = progress_state()
    entries = []
    for cid in _chapter_ids():
        try:
            quiz = load_quiz(cid, lang)
            if quiz is not None:
                entries.append((load_chapter(cid, lang).title, quiz))
        except DataError:
            continue
    data = answers_markdown(entries, state["answers"], state["notes"], lang)
    # Only for the screen: a printout leaves the button and its note out.
    with st.container(key="keep-answers"):
        st.download_button(t("quiz.download", lang), data=data.encode("utf-8"), file_name=t("quiz.file_name", lang),
                           mime="text/markdown", on_click="ignore", icon=":material/download:",
                           help=t("quiz.download_help", lang), key="download-answers")
        st.caption(t("quiz.kept", lang))


def answered_chapters(state: dict, lang: str) -> set[str]:
    done = set()
    for cid in _chapter_ids():
        try:
            quiz = load_quiz(cid, lang)
        except DataError:
            continue
        if quiz and (any(q.id in state["answers"] for q in quiz.questions) or state["notes"].get(cid)):
            done.add(cid)
    return done


def reading_progress(chapter: Chapter, lang: str) -> None:
    """Every chapter with what the reader has done with it in this session."""
    from yiwu.nav import link

    state = progress_state()
    ids = _chapter_ids()
    answered = answered_chapters(state, lang)
    opened = [c for c in ids if c in state["opened"]]
    label = t("reading.heading", lang) + " · " + t("reading.summary", lang, opened=len(opened), total=len(ids),
                                                    answered=len(answered))
    with lazy.expander(label, key="reading-progress", icon=":material/explore:") as opened:
        for n, cid in enumerate(ids if opened else [], start=1):
            try:
                ch = load_chapter(cid, lang)
            except DataError:
                continue
            entry = t("reading.entry", lang, n=n, title=ch.nav, minutes=chapter_minutes(ch))
            if cid in answered:
                icon, entry = ":material/check_circle:", f"{entry} · {t('reading.mark_answered', lang)}"
            elif cid in state["opened"]:
                icon, entry = ":material/menu_book:", f"{entry} · {t('reading.mark_opened', lang)}"
            else:
                icon = ":material/radio_button_unchecked:"
            if cid == chapter.id:
                entry = f"**{entry}**"
            link(cid, lang, label=entry, icon=icon)


def after_chapter(chapter: Chapter, lang: str) -> None:
    """The end of a chapter: questions, the reader's progress, previous and next."""
    quiz_block(chapter, lang)
    # Only for the screen: a printout ends with the questions (assets/app.css).
    with st.container(key="chapter-end"):
        _chapter_end(chapter, lang)


def _chapter_end(chapter: Chapter, lang: str) -> None:
    from yiwu.nav import chapter_title, link

    ids = _chapter_ids()
    i = ids.index(chapter.id)
    st.divider()
    reading_progress(chapter, lang)
    left, right = st.columns(2)
    with left:
        if i > 0:
            link(ids[i - 1], lang, label=t("reading.prev", lang, title=chapter_title(ids[i - 1], lang)), icon=":material/arrow_back:")
        else:
            link("home", lang, label=t("reading.home", lang), icon=":material/home:")
    with right:
        if i + 1 < len(ids):
            link(ids[i + 1], lang, label=t("reading.next", lang, title=chapter_title(ids[i + 1], lang)), icon=":material/arrow_forward:")
        else:
            link("home", lang, label=t("reading.home", lang), icon=":material/home:")
    step = first_step(chapter.id, lang)
    if step:
        link("present", lang, label=t("reading.present", lang), icon=":material/co_present:", step=step)


def first_step(chapter_id: str, lang: str) -> int | None:
    """The presentation step where a chapter begins, for a "present this" link."""
    try:
        steps = story_steps(lang)
    except DataError:
        return None
    return next((step.number for step in steps if step.chapter_id == chapter_id), None)


@shared
def story_steps(lang: str) -> tuple[Step, ...]:
    """Every step of the presentation in ``lang``, made once (the chapters do not change)."""
    from yiwu.present import build_steps, closing_from

    chapters = [load_chapter(cid, lang) for cid in _chapter_ids()]
    return tuple(build_steps(chapters, t("app.title", lang), closing_from(load_strings(lang))))


# ---------------------------------------------------------------- presentation

@shared
def load_notes(chapter_id: str, lang: str) -> dict[str, Note]:
    return read_notes(chapter_id, lang)


def presenter_notes(steps: list[Step], current: int, chapter_ids: list[str], lang: str) -> None:
    """The teacher's notes for step ``current``: what to say, what to ask, the time."""
    from yiwu.story import show_data_error

    step = steps[current - 1]
    with st.container(border=True, key="present-notes"):
        try:
            notes = {sid: note for cid in (*chapter_ids, CLOSING) for sid, note in load_notes(cid, lang).items()}
        except DataError as err:
            show_data_error(err, lang)
            notes = {}
        note = notes.get(step.section_id or "")
        plan = budget(steps, notes, current)
        minutes = f"{note.minutes if note else DEFAULT_MINUTES:g}"
        # Bold text, not a heading: the notes stand above the slide's title,
        # the page's one h1. No icons in the text: a screen reader reads
        # their English names ("edit_note icon") even on a Chinese page.
        st.markdown(f"**{t('present.notes_title', lang)}**")
        st.markdown(t("present.time", lang, minutes=minutes, done=plan.done, total=plan.total))
        if note:
            st.markdown(note.say)
            st.markdown(f"**{t('present.ask', lang)}** {note.ask}")
        elif step.role != "opening":
            st.info(t("present.no_notes", lang))
        else:
            st.markdown(t("present.opening_notes", lang))
        if plan.estimated:
            st.caption(t("present.time_estimated", lang, minutes=f"{DEFAULT_MINUTES:g}"))


def present_css() -> str:
    """Styles for the presentation page only: no sidebar, type for the back row.

    Scoped to the page's keyed containers (``st-key-present-*``), so nothing
    else in the app changes size; the sidebar rule lives only while the
    presentation page is on screen.
    """
    return """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 4.5rem !important; }
.st-key-present-step h1 { font-size: 2.6rem; line-height: 1.2; padding-top: 0; }
.st-key-present-nav [data-testid="stCaptionContainer"] { font-size: 1.05rem; }
.st-key-present-lines p, .st-key-present-lines li { font-size: 1.7rem; line-height: 1.45; }
.st-key-present-nav p { font-size: 1.3rem; }
/* The generation picker wraps in a slide's column instead of hiding its last options. */
.st-key-present-step [data-testid="stButtonGroup"] > div { flex-wrap: wrap; }
/* The counter keeps one width from "1 / 41" to "41 / 41", so the buttons after it stay under the pointer. */
.st-key-present-nav strong { display: inline-block; min-width: 4.2em; text-align: center; font-variant-numeric: tabular-nums; }
.st-key-present-notes p, .st-key-present-notes li { font-size: 1.15rem; }
/* The sources slide's cards: the count, large, then what its grade means. */
[class*="st-key-slide-grade-"] p:first-child { font-size: 2rem; font-weight: 600; line-height: 1.2; margin-bottom: 0.4rem; }
[class*="st-key-slide-grade-"] p:nth-child(2) { font-size: 1.15rem; line-height: 1.4; }
/* The key terms on their slide, for the class to explain: larger than body text (and as large as a
   1024-wide projector's three columns allow), in as many columns of at least 15em as fit (three
   on a projector, one on a phone). */
.st-key-slide-terms ul { columns: 15em 3; column-gap: 2.5rem; margin-top: 0; }
.st-key-slide-terms li { font-size: min(1.45rem, 1.75vw); line-height: 1.35; break-inside: avoid; margin-top: 0; margin-bottom: 0.35rem; }
/* Chinese terms are a few characters each: larger, for the back row (at the English size they
   filled half the slide), in three columns, in a size at which the longest (ten characters)
   fits its column whole on a 1024-wide projector. The page's language is set by yiwu.i18n. */
:root:lang(zh) .st-key-slide-terms ul { columns: 3; }
:root:lang(zh) .st-key-slide-terms li { font-size: min(1.6rem, 2.1vw); line-height: 1.3; }
/* The language link sits in the header's row (the page has no sidebar button there), so the
   slide starts one row higher: more of a chart's notes stay on a 1280x720 screen. It stands at
   the slide's left edge: by the menu, Streamlit's "Running…" and "Connecting" took its place
   and the two were drawn over each other at every step. */
[data-testid="stLayoutWrapper"]:has(> .st-key-lang-switch) { position: fixed; top: 1.2rem; left: 5rem;
  z-index: 999991; width: auto !important; }
@media (max-width: 640px) {
  [data-testid="stLayoutWrapper"]:has(> .st-key-lang-switch) { left: 1rem; }
}
/* The notes link looks like the page links beside it (it opens a new window, so it is no page
   link) and stands level with them. */
.st-key-present-footer { align-items: center; }
.st-key-present-footer [data-testid="stMarkdownContainer"] { margin-bottom: 0; }
.st-key-present-footer [data-testid="stMarkdownContainer"] p { margin: 0; padding-left: 0.5rem; font-size: 0.875rem; }
.st-key-present-footer [data-testid="stMarkdownContainer"] a { color: inherit; text-decoration: none; }
.st-key-present-footer [data-testid="stMarkdownContainer"] a:hover { text-decoration: underline; }
/* On a projector the links under a slide (presenter notes, the chapter, leave) join the header's
   row after the language link: under a chart slide they sat below a 1280x720 screen. They end
   well before the menu's end of the row, where Streamlit shows "Running…". */
@media (min-width: 1000px) {
  [data-testid="stLayoutWrapper"]:has(> .st-key-present-footer) { position: fixed; top: 1.2rem; left: 11rem;
    z-index: 999991; width: auto !important; }
  .st-key-present-footer { flex-wrap: nowrap; }
}
/* A slide with a chart or map (pages/present.py): the text, and the chart's notes under it,
   beside the chart. On a phone the three boxes follow one another: text, chart, notes. */
@media (min-width: 641px) {
  .st-key-present-split { display: grid; grid-template-columns: minmax(0, 5fr) minmax(0, 7fr);
    grid-template-rows: auto 1fr; column-gap: 3rem; row-gap: 1rem; align-items: start; }
  .st-key-present-split > :has(.st-key-slide-text) { grid-area: 1 / 1; }
  .st-key-present-split > :has(.st-key-slide-visual) { grid-area: 1 / 2 / 3 / 3; }
  .st-key-present-split > :has(.st-key-slide-notes) { grid-area: 2 / 1; }
}
/* A 1024-wide projector: the text's column as wide as the chart's, so the key events wrap less. */
@media (min-width: 641px) and (max-width: 1100px) {
  .st-key-present-split { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); column-gap: 2rem; }
}
/* A chart's key events beside it: one line each where they fit, so the list stays on screen. */
.st-key-slide-events li { margin-top: 0; margin-bottom: 0; line-height: 1.4; }
.st-key-slide-events li p { margin: 0; }
/* On a short wide screen (a 1280x720 or 1024x768 projector) the lead beside a chart is a little
   smaller (still 1.5 times the body text) and the notes a little tighter, so the chart's key
   events under it stay on a 1280x720 screen in English too. */
@media (min-width: 641px) and (max-height: 860px) {
  .st-key-present-split { row-gap: 0.75rem; }
  .st-key-present-split .st-key-present-lines p { font-size: 1.5rem; line-height: 1.3; }
  .st-key-slide-events li, .st-key-slide-events li p { font-size: 0.95rem; line-height: 1.3; }
  .st-key-slide-events [data-testid="stMarkdownContainer"] > p { margin-bottom: 0.3rem; }
  .st-key-slide-events ul { margin-top: 0; margin-bottom: 0.4rem; }
  .st-key-slide-terms li { font-size: min(1.3rem, 1.75vw); line-height: 1.3; margin-bottom: 0.25rem; }
  /* The world map's key, layer and view choices and sources beside it: closer together, so
     its sources stay on a 1280x720 screen under a key of three lines. */
  .st-key-slide-notes [data-testid="stVerticalBlock"] { gap: 0.6rem; }
  /* A long source list's box (the timeline's, under nine key events) a row lower than Streamlit's. */
  .st-key-slide-notes [data-testid="stExpander"] summary { padding-top: 0.3rem; padding-bottom: 0.3rem; min-height: 0; }
  .st-key-map_world_legend [data-testid="stHtml"] > div { line-height: 1.5 !important; }
}
@media (max-width: 640px) {
  .st-key-present-first, .st-key-present-last, .st-key-present-keys { display: none; }
  /* A map's legend and layer choices just before the map, not after its cards and table. */
  .st-key-present-split > :has(.st-key-slide-text) { order: -2; }
  .st-key-present-split:has(.st-key-map_world_legend) > :has(.st-key-slide-notes) { order: -1; }
  /* A chart's or map's table after its notes (key, events, sources), as in the chapters: the
     drawing's box lets its parts join the slide's column, and the table's box goes last. */
  .st-key-present-split > :has(> .st-key-slide-visual), .st-key-slide-visual { display: contents; }
  .st-key-slide-visual > [class*="_table"] { order: 1; }
  .st-key-present-step h1 { font-size: 1.8rem; }
  .st-key-present-lines p, .st-key-present-lines li { font-size: 1.25rem; }
  .st-key-slide-terms li { font-size: 1.05rem; }
  :root:lang(zh) .st-key-slide-terms ul { columns: 1; }
  :root:lang(zh) .st-key-slide-terms li { font-size: 1.25rem; }
}
</style>"""
