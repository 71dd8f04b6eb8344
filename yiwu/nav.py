"""The app's pages, built from the chapter registry, and links between them.

Chapters are not files of their own: each row of ``data/chapters.csv`` becomes
an ``st.Page`` that lays out that chapter, so adding a chapter needs no code.
Every link carries ``lang`` along, because changing page clears the URL.
"""

from __future__ import annotations

import streamlit as st

from yiwu import ROOT
from yiwu.i18n import t
from yiwu.loaders import DataError, load_chapter, load_table


def leave_legacy_mpa() -> None:
    """Make sure the router runs, even on the first visit after the server starts.

    Because a ``pages/`` folder sits next to the entry file, Streamlit runs the
    first session of a new server in its legacy multipage mode: it may run a
    file from ``pages/`` directly, without the router (no language, no
    navigation). ``st.navigation`` switches that mode off for good; until it
    has, rerun so the router handles the page.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def in_legacy_mpa() -> bool:
    """True only in the first session after the server starts (see below)."""
    from streamlit.runtime.pages_manager import PagesManager

    return bool(PagesManager.uses_pages_directory)


# In that first session Streamlit's legacy mode has already told the browser
# "Page not found" for a chapter's address (chapters are not files in pages/),
# although the router then shows the right chapter. This closes that stale
# dialog. It runs in a same-origin iframe and fetches nothing.
_CLOSE_STALE_DIALOG = """<script>
(function () {
  const doc = window.parent.document;
  let tries = 0;
  const timer = setInterval(function () {
    const dialog = Array.from(doc.querySelectorAll('[role="dialog"]'))
      .find(function (d) { return d.innerText.indexOf("Page not found") !== -1; });
    if (dialog) {
      const close = dialog.querySelector('button[aria-label="Close"]');
      if (close) { close.click(); } else {
        doc.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape", bubbles: true}));
      }
    }
    if (dialog || ++tries > 50) { clearInterval(timer); }
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


def pages(lang: str) -> dict[str, st.Page]:
    """Every page of the app by id, in reading order."""
    out = {"home": st.Page(str(ROOT / "pages" / "home.py"), title=t("nav.home", lang),
                           url_path="home", default=True)}
    for _, ch in load_table("chapters").sort_values("order").iterrows():
        out[ch["id"]] = st.Page(_chapter_runner(ch["id"]), title=chapter_title(ch["id"], lang),
                                url_path=ch["url_path"])
    out["numbers"] = st.Page(str(ROOT / "pages" / "numbers.py"), title=t("nav.numbers", lang),
                             url_path="numbers")
    out["present"] = st.Page(str(ROOT / "pages" / "present.py"), title=t("nav.present", lang),
                             url_path="present")
    return out


def navigation(lang: str):
    all_pages = pages(lang)
    chapter_ids = list(load_table("chapters").sort_values("order")["id"])
    sections = {
        t("nav.start", lang): [all_pages["home"]],
        t("nav.story", lang): [all_pages[c] for c in chapter_ids],
        t("nav.tools", lang): [all_pages["numbers"], all_pages["present"]],
    }
    return st.navigation(sections)


def link(page_id: str, lang: str, label: str | None = None, icon: str | None = None, **params) -> None:
    page = pages(lang)[page_id]
    st.page_link(page, label=label or page.title, icon=icon,
                 query_params={"lang": lang, **params})


def chapter_links(lang: str) -> None:
    """The table of contents: every chapter, with its summary and reading time."""
    for _, ch in load_table("chapters").sort_values("order").iterrows():
        try:
            chapter = load_chapter(ch["id"], lang)
        except DataError:
            link(ch["id"], lang)
            continue
        link(ch["id"], lang, label=t("toc.entry", lang, n=int(ch["order"]), title=chapter.title))
        st.caption(t("toc.meta", lang, summary=chapter.summary, minutes=chapter.minutes))
