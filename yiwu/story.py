"""Laying out the story: a chapter's sections, its blocks and their sources.

Pages call :func:`render_chapter`; everything a reader sees in a chapter is
drawn here or by the block functions it calls. A broken data file breaks only
the block or chapter that reads it, shown as a friendly message.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from yiwu import ASSETS, classroom, lazy
from yiwu.content import FACT, Block, Section
from yiwu.i18n import current_lang, dash, fmt_number, fmt_value, heading, t
from yiwu.loaders import DataError, chapter_minutes, load_chapter, load_table, load_words, shared
from yiwu.markdown import literal as markdown_literal
from yiwu.sources import cite


def show_data_error(err: DataError, lang: str) -> None:
    st.error(t("error.data", lang) + "\n\n" + t("error.detail", lang, where=err.where(lang),
                                                   problem=err.message), icon=":material/warning:")


@shared
def _facts_by_id() -> dict[str, pd.Series]:
    return {row["id"]: row for _, row in load_table("facts").iterrows()}


def fact(fact_id: str) -> pd.Series:
    return _facts_by_id()[fact_id]


def fact_text(fact_id: str, lang: str) -> str:
    row = fact(fact_id)
    return fmt_value(row["value"], row["unit"], row["qualifier"], lang)


def fill_facts(text: str, lang: str) -> str:
    """Replace every ``{{fact:id}}`` with the formatted figure, in bold."""
    return FACT.sub(lambda m: f"**{fact_text(m['id'], lang)}**", text)


def fact_sources(fact_ids) -> list[str]:
    return [sid for fid in fact_ids for sid in fact(fid)["source_ids"]]


# ---------------------------------------------------------------- blocks

def figures_block(args: tuple[str, ...], lang: str) -> None:
    """Headline figures as cards: the label, the value in large type, the source.

    Markdown styled by assets/figures.css, not st.metric: the metric widget
    makes a page fetch five more script files (number formatting, sparklines)
    that a figure never uses, about 0.1× of an empty page's time
    (bench/README.md). Not raw HTML either, which needs a 184 KB parser.
    """
    labels = load_words("facts", lang)
    st.html(ASSETS / "figures.css")
    block = abs(hash(args)) % 10**8  # a key per card, for the style sheet to find
    per_row = min(len(args), 3) or 1
    # One st.columns per row, so a phone (where columns stack) keeps the order.
    for start in range(0, len(args), per_row):
        cols = st.columns(per_row)
        for col, fid in zip(cols, args[start:start + per_row], strict=False):
            with col.container(border=True, height="stretch", key=f"figure-{block}-{fid}"):
                row = fact(fid)
                value = fmt_value(row["value"], row["unit"], row["qualifier"], lang)
                st.markdown(f"{markdown_literal(labels[fid]['label'])}\n\n{markdown_literal(value)}")
                st.caption(cite(row["source_ids"], lang))


def _span(lo, hi, lang: str) -> str | None:
    if pd.isna(lo):
        return None
    hi = lo if pd.isna(hi) else hi
    a, b = fmt_number(int(lo), lang), fmt_number(int(hi), lang)
    return a if a == b else f"{a}–{b}"


def generation_card(g, words: dict, lang: str, anchor: bool = True) -> None:
    """One market generation as a card: a row of data/generations.csv and its words.

    Used by the ``{{ generations }}`` block and by the timeline; only the block
    gives the heading an anchor, so a page never has the same anchor twice.
    """
    w = words[str(g["generation"])]
    n = int(g["generation"])
    # Keyed for assets/app.css, which keeps the market's name in a heading whole.
    with st.container(border=True, key=f"gen-card-{n}" if anchor else f"gen-card-picked-{n}"):
        st.subheader(t("gen.card_title", lang, n=n, year=int(g["year"]), name=w["name"]),
                     anchor=f"generation-{n}" if anchor else False)
        stalls = _span(g["stalls_min"], g["stalls_max"], lang)
        area = _span(g["area_m2_min"], g["area_m2_max"], lang)
        if stalls is None and area is None:  # said once for both
            st.markdown(t("gen.facts_unknown", lang, when=w["when"], place=w["place"], unknown=t("gen.unknown", lang)))
        else:
            area = t("gen.area_value", lang, area=area) if area else t("gen.unknown", lang)
            st.markdown(t("gen.facts", lang, when=w["when"], place=w["place"],
                          stalls=stalls or t("gen.unknown", lang), area=area))
        st.markdown(w["changed"])
        if w.get("note"):
            st.caption(w["note"])  # no icon: a screen reader reads "info icon", in English
        st.caption(cite(g["source_ids"], lang))


def generations_block(args: tuple[str, ...], lang: str) -> None:
    gens = load_table("generations")
    words = load_words("generations", lang)
    for _, g in gens.sort_values("generation").iterrows():
        generation_card(g, words, lang)


def glossary_block(args: tuple[str, ...], lang: str) -> None:
    """Every term with its explanation and sources, as one Markdown element (fewer to draw).

    On a slide (``args`` holds "slide") only the terms, as one list that the
    browser sets in as many columns as fit (present_css): the class explains
    them; the explanations are in the chapter.
    """
    if "slide" in args:
        with st.container(key="slide-terms"):
            st.markdown("\n".join(f"- {markdown_literal(term['term'])}"
                                   for term in load_words("glossary", lang).values()))
        return
    st.markdown("\n\n".join(f"**{term['term']}**{dash(lang)}{term['long']}\n\n:small[{cite(term.get('sources', []), lang)}]"
                              for term in load_words("glossary", lang).values()))


# Sources whose id starts so are reports in the 2026 news compilation the app is built on.
SEED_PREFIX = "seed-"


@shared
def _sources_lists(lang: str) -> tuple[tuple[str, str], ...]:
    """Every source as Markdown, one (heading, list) pair per grade."""
    sources = load_table("sources")
    out = []
    for grade in ("A", "B", "C"):
        rows = sources[sources["grade"] == grade]
        lines = []
        for r in rows.itertuples():
            name = getattr(r, f"outlet_{lang}") or r.outlet_en
            title = getattr(r, f"title_{lang}") or r.title_en
            bits = [f"**{name}**"] + [x for x in (r.date, title) if x]
            # The news compilation's reports have no address; another source's was lost.
            where = (f"[{t('sources.link', lang)}]({r.url})" if r.url else
                     t("sources.in_compilation" if r.id.startswith(SEED_PREFIX) else "sources.no_link", lang))
            link = f"{dash(lang)}{where}"
            lines.append("- " + ("\uff0c" if lang == "zh" else ", ").join(bits) + link)
        count = f"\uff08{len(rows)}\uff09" if lang == "zh" else f" ({len(rows)})"  # （60） in Chinese
        out.append((f"{t(f'sources.grade_{grade}', lang)}{count}", "\n".join(lines)))
    return tuple(out)


def sources_block(args: tuple[str, ...], lang: str) -> None:
    """Every source, one expander per grade; a list is built when it is opened.

    On a slide (``args`` holds "slide") a card per grade: its count on top,
    where the three line up, then what the grade means (present_css). The
    list itself is reading, not projecting.
    """
    if "slide" in args:
        grades = load_table("sources")["grade"].value_counts()
        for col, grade in zip(st.columns(3), ("A", "B", "C"), strict=True):
            with col.container(border=True, height="stretch", key=f"slide-grade-{grade}"):
                st.markdown(f"{markdown_literal(t('sources.count', lang, n=int(grades.get(grade, 0))))}\n\n"
                            f"{markdown_literal(t(f'sources.grade_{grade}', lang))}")
        return
    for grade, (label, lines) in zip(("A", "B", "C"), _sources_lists(lang), strict=True):
        with lazy.expander(label, key=f"sources-{grade}", expanded=False) as opened:
            if opened:
                st.markdown(lines)


def toc_block(args: tuple[str, ...], lang: str) -> None:
    from yiwu.nav import chapter_links

    chapter_links(lang)


def chart_block(args: tuple[str, ...], lang: str, compact: bool = False, aside=None) -> None:
    from yiwu import chart_view

    chart_view.render(args[0] if args else "", lang, compact=compact, aside=aside)


def map_block(args: tuple[str, ...], lang: str, compact: bool = False, aside=None) -> None:
    from yiwu import map_view

    map_view.render(args[0] if args else "world", lang, compact=compact, aside=aside)


BLOCKS: dict[str, Callable[[tuple[str, ...], str], None]] = {
    "figures": figures_block,
    "generations": generations_block,
    "glossary": glossary_block,
    "sources": sources_block,
    "toc": toc_block,
    "chart": chart_block,
    "map": map_block,
    "cited": lambda args, lang: None,  # drawn in the section's source line (render_section)
}


def render_block(block: Block, lang: str, compact: bool = False, aside=None) -> None:
    """One block of a chapter; ``compact`` lays a map or chart out for a slide.

    ``aside``: on a slide, the column beside the chart or map, where its notes
    (legend, key events, sources, text alternative) go.
    """
    try:
        if block.kind == "md":
            st.markdown(fill_facts(block.text, lang))
        elif block.kind in ("map", "chart"):
            BLOCKS[block.kind](block.args, lang, compact=compact, aside=aside)
        else:
            BLOCKS[block.kind](block.args, lang)
    except DataError as err:
        show_data_error(err, lang)


def render_section(section: Section, lang: str, explained: set[str]) -> None:
    try:
        title = fill_facts(section.title, lang)
    except DataError:
        title = FACT.sub("…", section.title)
    st.header(heading(title, lang), anchor=section.id, divider="gray")
    def source_line() -> None:
        # One line: the sources of the section's figures, then those of its claims and quotes.
        try:
            st.caption(cite([*fact_sources(section.facts), *section.cited], lang))
        except DataError as err:
            show_data_error(err, lang)

    drawn = False
    for block in section.blocks:
        if block.kind == "cited":  # the line goes where the writer put it, next to what it covers
            if not drawn:
                source_line()
                drawn = True
        else:
            render_block(block, lang)
    if section.facts and not drawn:
        source_line()
    classroom.after_section(section, lang, explained)


def render_chapter(chapter_id: str) -> None:
    lang = current_lang()
    try:
        chapter = load_chapter(chapter_id, lang)
    except DataError as err:
        st.title(t("error.title", lang))
        show_data_error(err, lang)
        return
    st.title(heading(chapter.title, lang))
    position = classroom.before_chapter(chapter, lang)
    st.caption(position + " · " + t("chapter.meta", lang, minutes=chapter_minutes(chapter), summary=chapter.summary))
    for block in chapter.intro:
        render_block(block, lang)
    explained: set[str] = set()  # key terms already explained on this page
    for section in chapter.sections:
        render_section(section, lang, explained)
    classroom.after_chapter(chapter, lang)
