"""Classroom presentation: the story step by step, large enough for a projector.

The URL holds the step and the language (``/present?step=7&lang=zh``), so a
link resumes a lesson and a reload keeps the step; ``&notes=1`` adds the
presenter notes, for the teacher's own window. The ← and → keys move.
"""

import json

import streamlit as st

from yiwu.classroom import present_css, presenter_notes, story_steps, terms_row
from yiwu.i18n import current_lang, heading, t
from yiwu.loaders import DataError, chapter_registry
from yiwu.nav import leave_legacy_mpa, link
from yiwu.present import parse_step, wants_notes
from yiwu.sources import cite
from yiwu.story import fact_sources, fill_facts, render_block, show_data_error

STATUS_SCRIPT = """<script>
(function () {
  let region = document.getElementById("yiwu-step-status");
  if (!region) {
    region = document.createElement("div");
    region.id = "yiwu-step-status";
    region.setAttribute("role", "status");
    region.style.cssText = "position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap";
    document.body.appendChild(region);
  }
  region.textContent = __STATUS__;
  // The slide and the presenter notes, two windows of one browser, move
  // together. A window that moves writes its step to localStorage; the other
  // hears of it (the storage event) and follows: a click on its own Next or
  // Back for one step, else a reload at that step. A window on its way to
  // the other's step writes nothing until it gets there, so two windows
  // never pull each other back and forth.
  const step = __STEP__, key = "yiwu-present-step";
  const moved = window.__yiwuStep !== undefined && window.__yiwuStep !== step;
  window.__yiwuStep = step;
  if (moved && window.__yiwuRemote === undefined) {
    try { localStorage.setItem(key, JSON.stringify({step: step, at: Date.now()})); } catch (e) { /* private mode */ }
  } else if (window.__yiwuRemote === step) {
    window.__yiwuRemote = undefined;  // caught up with the other window
  }
  if (!window.__yiwuSync) {
    window.__yiwuSync = true;
    const follow = function (raw) {
      let to;
      try { to = JSON.parse(raw || "null").step; } catch (e) { return; }
      if (!Number.isInteger(to) || to === window.__yiwuStep || !window.location.pathname.endsWith("/present")) return;
      window.__yiwuRemote = to;
      const button = document.querySelector(to === window.__yiwuStep + 1 ? ".st-key-present-next button"
        : to === window.__yiwuStep - 1 ? ".st-key-present-prev button" : null);
      if (button && !button.disabled) { button.click(); return; }
      try { sessionStorage.setItem(key, "follow"); } catch (e) { /* private mode */ }
      const url = new URL(window.location.href);
      url.searchParams.set("step", String(to));
      window.location.replace(url.toString());
    };
    window.addEventListener("storage", function (e) { if (e.key === key) follow(e.newValue); });
    // A key or a click of the teacher's own in this window puts it in charge again.
    const mine = function (e) { if (e.isTrusted) window.__yiwuRemote = undefined; };
    document.addEventListener("keydown", mine, true);
    document.addEventListener("pointerdown", mine, true);
    // Reloaded to follow: the other window may have moved on while this one loaded.
    let reloaded = false;
    try { reloaded = sessionStorage.getItem(key) === "follow"; sessionStorage.removeItem(key); } catch (e) { /* private mode */ }
    if (reloaded) { try { follow(localStorage.getItem(key)); } catch (e) { /* private mode */ } }
  }
  if (!window.__yiwuPickerLetsGo) {
    window.__yiwuPickerLetsGo = true;
    // A click on a slide's picker (a year, a generation) leaves the keyboard
    // with the page, so the arrow keys move the slides again: the picker kept
    // them for itself. A keyboard reader in the picker (Space or Enter: a
    // click without a pointer, detail 0) keeps its arrow keys.
    document.addEventListener("click", function (e) {
      const group = e.detail && e.target.closest &&
        e.target.closest('[data-testid="stMain"] [data-testid="stButtonGroup"]');
      if (group && window.location.pathname.endsWith("/present")) {
        setTimeout(function () {
          if (group.contains(document.activeElement)) { document.activeElement.blur(); }
        }, 0);
      }
    }, true);
  }
})();
</script>"""

leave_legacy_mpa()  # a shared link may be the first visit after the server starts
st.html(present_css())
lang = current_lang()

try:
    chapter_ids = [ch["id"] for ch in chapter_registry()]
    steps = list(story_steps(lang))
except DataError as err:
    show_data_error(err, lang)
    st.stop()

count = len(steps)
current = parse_step(st.query_params.get("step"), count)
if st.query_params.get("step") != str(current):
    st.query_params["step"] = str(current)  # never keep (or echo) a bad value
step = steps[current - 1]


def move(to: str) -> None:
    # Read the URL again rather than trusting the step drawn: two quick key
    # presses must move two steps.
    now = parse_step(st.query_params.get("step"), count)
    target = {"first": 1, "prev": now - 1, "next": now + 1, "last": count}[to]
    st.query_params["step"] = str(max(1, min(count, target)))
    st.query_params.pop("gen", None)  # a generation picked on the timeline slide belongs to that slide


kicker = (t("present.kicker", lang, n=step.chapter_number, title=step.chapter_title) if step.chapter_id
          else t("present.closing_kicker" if step.role == "closing" else "present.opening", lang))
with st.container(horizontal=True, vertical_alignment="center", gap="small", key="present-nav"):
    st.button("⇤", key="present-first", help=t("present.first", lang), shortcut="Home",
              on_click=move, args=("first",), disabled=current == 1)
    st.button(t("present.prev", lang), key="present-prev", shortcut="Left",
              on_click=move, args=("prev",), disabled=current == 1)
    st.markdown(f"**{t('present.counter', lang, n=current, total=count)}**", width="content")
    st.button(t("present.next", lang), key="present-next", shortcut="Right",
              on_click=move, args=("next",), disabled=current == count, type="primary")
    st.button("⇥", key="present-last", help=t("present.last", lang), shortcut="End",
              on_click=move, args=("last",), disabled=current == count)
    st.caption(kicker, width="content")
st.progress(current / count)
# A screen reader says the new step when it changes. A live region is heard
# only when its text changes, not when it is replaced, and Streamlit replaces
# an element's HTML on every step; so a small script keeps one status region
# (out of sight) on the page and sets its text. The text goes in as JSON,
# never as markup. The script sits in the hidden sidebar: it takes no room.
status = t("present.status", lang, n=current, total=count, headline=fill_facts(step.headline, lang))
script = STATUS_SCRIPT.replace("__STEP__", str(current))
st.sidebar.html(script.replace("__STATUS__", json.dumps(status).replace("</", "<\\/")), unsafe_allow_javascript=True)

show_notes = wants_notes(st.query_params.get("notes"))
if show_notes:
    # The notes window is the teacher's own screen: notes first, slide below.
    presenter_notes(steps, current, chapter_ids, lang)

with st.container(key="present-step"):
    st.title(heading(fill_facts(step.headline, lang), lang), anchor=False)  # the page's one h1
    # A chart or map sits beside the text; figure cards, the key terms and
    # the count of sources need the full width, so they go underneath.
    beside = step.visual is not None and step.visual.kind in ("chart", "map")
    if beside:
        # Three boxes laid out by present_css: on a wide screen the text, with
        # the chart's notes (legend, key events, sources) under it, beside the
        # chart, so together they fit a projector; on a phone, one after the
        # other: text, chart, notes.
        with st.container(key="present-split"):
            text = st.container(key="slide-text")
            visual = st.container(key="slide-visual")
            notes = st.container(key="slide-notes")
    else:
        text, visual, notes = st.container(), st.container(), None
    with text, st.container(key="present-lines"):
        if step.role == "section":
            for line in step.lines:
                st.markdown(fill_facts(line, lang))
        elif step.role == "closing":
            st.markdown(t("present.closing_intro", lang))
            st.markdown("\n".join(step.lines))
        else:
            st.markdown(t("present.agenda", lang, n=len(step.lines)))
            half = (len(step.lines) + 1) // 2
            for col, lines in zip(st.columns(2), (step.lines[:half], step.lines[half:]), strict=True):
                col.markdown("\n".join(lines))
    with text:
        # The sources of the step's figures, and of the section's claims and quotes, as in the
        # chapter. Beside a chart or map its own sources stand in their place: there the
        # section's would push the chart's notes below a 1280 x 720 screen.
        shown_sources = [*fact_sources(step.facts), *(() if beside else step.cited)]
        if shown_sources:
            st.caption(cite(shown_sources, lang))
        if step.role == "closing":
            st.caption(t("present.closing_sources", lang))
        # Key terms on the slide open their explanation, as in the chapters
        # (not under the closing questions: there the class explains them).
        if step.role == "section":
            terms_row(" ".join((step.headline, *step.lines)), lang, key="present-terms")
    if step.visual is not None:
        with visual:
            render_block(step.visual, lang, compact=True, aside=notes)

with st.container(horizontal=True, gap="medium", key="present-footer"):
    if show_notes:
        link("present", lang, label=t("present.notes_hide", lang), icon=":material/visibility_off:", step=current)
    else:
        # A plain link opens a new tab: the notes go on the teacher's screen.
        st.markdown(f"[:material/open_in_new: {t('present.notes_link', lang)}](present?step={current}&lang={lang}&notes=1)",
                    width="content")
    if step.chapter_id:
        link(step.chapter_id, lang, label=t("present.read_chapter", lang), icon=":material/menu_book:")
    elif step.role == "closing":
        # The chapter whose step shows the list of sources.
        sources_at = next((s.chapter_id for s in steps if s.visual and s.visual.kind == "sources"), None)
        if sources_at:
            link(sources_at, lang, label=t("present.closing_link", lang), icon=":material/menu_book:")
    link("home", lang, label=t("present.exit", lang), icon=":material/home:")
with st.container(key="present-keys"):  # a phone has no arrow keys: hidden there (present_css)
    st.caption(t("present.keys", lang))
