"""The app's pages, built from the chapter registry, and links between them.

Chapters are not files of their own: each row of ``data/chapters.csv`` becomes
an ``st.Page`` that lays out that chapter, so adding a chapter needs no code.
Every link carries ``lang`` along, because changing page clears the URL.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

from yiwu import ROOT
from yiwu.i18n import t
from yiwu.loaders import DataError, chapter_minutes, chapter_registry, load_chapter

ROUTER = "streamlit_app.py"  # the entry file, which routes every page


def _run_by_legacy_mpa() -> bool:
    """True while this run was started in Streamlit's legacy multipage mode.

    The mode is a flag of the whole server, read when a run starts: a run that
    started in it goes through Streamlit's ``_mpa_v1`` to the end, even after
    another session's router has turned the flag off. So the run's own call
    stack says which mode it is in. (Forty readers opening the app at once
    after it wakes up: the flag alone missed every session but the first.)
    """
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "_mpa_v1" and frame.f_globals.get("__name__", "").startswith("streamlit."):
            return True
        frame = frame.f_back
    return False


def _run_by_router() -> bool:
    """True when the entry file (the router) is running this page."""
    frame = sys._getframe(1)
    while frame is not None:
        if Path(frame.f_code.co_filename).name == ROUTER:
            return True
        frame = frame.f_back
    return False


def leave_legacy_mpa() -> None:
    """Make sure the router runs, even on the first visits after the server starts.

    Because a ``pages/`` folder sits next to the entry file, Streamlit runs the
    first sessions of a new server in its legacy multipage mode: it may run a
    file from ``pages/`` directly, without the router (no language, no
    navigation). ``st.navigation`` switches that mode off for good; until it
    has, or while a run started in that mode, rerun so the router handles the page.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory or (_run_by_legacy_mpa() and not _run_by_router()):
        PagesManager.uses_pages_directory = False
        st.rerun()


def in_legacy_mpa() -> bool:
    """True in a run that Streamlit started in its legacy multipage mode (see below)."""
    from streamlit.runtime.pages_manager import PagesManager

    return bool(PagesManager.uses_pages_directory) or _run_by_legacy_mpa()


# In that first session Streamlit's legacy mode has already told the browser
# "Page not found" for a chapter's address (chapters are not files in pages/),
# although the router then shows the right chapter. This closes that stale
# dialog. It runs in a same-origin iframe and fetches nothing.
_CLOSE_STALE_DIALOG = """<script>
(function () {
  // The frame itself is no place for the keyboard or a screen reader.
  const frame = window.frameElement;
  if (frame) { frame.tabIndex = -1; frame.setAttribute("aria-hidden", "true"); }
  const doc = window.parent.document;
  let tries = 0;
  const timer = setInterval(function () {
    // Its title in English, or in the page's language once relabel.js has been: read on each
    // try, since relabel.js may arrive after this frame (a Chinese dialog then stayed open).
    const titles = ["Page not found", (window.parent.__yiwuLabels || {})["Page not found"]].filter(Boolean);
    const dialog = Array.from(doc.querySelectorAll('[role="dialog"]'))
      .find(function (d) { return titles.some(function (t) { return d.innerText.indexOf(t) !== -1; }); });
    if (dialog) {
      // Its one button closes it ("Close", or "关闭" once relabel.js has been).
      const close = dialog.querySelector("button");
      if (close) { close.click(); } else {
        doc.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape", bubbles: true}));
      }
    }
    if (dialog || ++tries > 150) { clearInterval(timer); }  // 15 s: a crowd's first runs are slow
  }, 100);
})();
</script>"""


def close_stale_page_not_found() -> None:
    import streamlit.components.v1 as components

    components.html(_CLOSE_STALE_DIALOG, height=0)


def _chapter_runner(chapter_id: str):
    def run() -> None:
        from yiwu.story import render_chapter

        render_chapter(chapter_id)

    run.__name__ = f"chapter_{chapter_id.replace('-', '_')}"
    return run


def chapter_title(chapter_id: str, lang: str) -> str:
    try:
        return load_chapter(chapter_id, lang).nav
    except DataError:
        return chapter_id


def page(page_id: str, lang: str) -> st.Page:
    """One page of the app, by id ("home", a chapter id, "numbers", "present")."""
    if page_id in _TOOL_PAGES:
        return st.Page(str(ROOT / "pages" / f"{page_id}.py"), title=t(f"nav.{page_id}", lang),
                       url_path=page_id, default=page_id == "home")
    for ch in chapter_registry():
        if ch["id"] == page_id:
            return st.Page(_chapter_runner(page_id), title=chapter_title(page_id, lang),
                           url_path=ch["url_path"])
    raise KeyError(page_id)


_TOOL_PAGES = ("home", "numbers", "present")


def pages(lang: str) -> dict[str, st.Page]:
    """Every page of the app by id, in reading order."""
    ids = ["home", *(ch["id"] for ch in chapter_registry()), "numbers", "present"]
    return {page_id: page(page_id, lang) for page_id in ids}


def navigation(lang: str):
    all_pages = pages(lang)
    sections = {
        t("nav.start", lang): [all_pages["home"]],
        t("nav.story", lang): [all_pages[ch["id"]] for ch in chapter_registry()],
        t("nav.tools", lang): [all_pages["numbers"], all_pages["present"]],
    }
    return st.navigation(sections)


def link(page_id: str, lang: str, label: str | None = None, icon: str | None = None, **params) -> None:
    target = page(page_id, lang)
    st.page_link(target, label=label or target.title, icon=icon,
                 query_params={"lang": lang, **params})


# Streamlit draws a page link as plain text; in the contents it must look like a link.
_TOC_STYLE = """<style>
.st-key-toc [data-testid="stPageLink"] p { font-weight: 600; text-decoration: underline;
  text-underline-offset: 0.2em; text-decoration-thickness: 1px; }
</style>"""


def chapter_links(lang: str) -> None:
    """The table of contents: every chapter, with its summary and reading time."""
    st.html(_TOC_STYLE)  # style only: Streamlit puts it out of the page's flow
    with st.container(key="toc"):
        for ch in chapter_registry():
            try:
                chapter = load_chapter(ch["id"], lang)
            except DataError:
                link(ch["id"], lang)
                continue
            link(ch["id"], lang, label=t("toc.entry", lang, n=int(ch["order"]), title=chapter.title))
            st.caption(t("toc.meta", lang, summary=chapter.summary, minutes=chapter_minutes(chapter)))
