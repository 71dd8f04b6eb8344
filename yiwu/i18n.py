"""Languages: which one the reader wants, the interface strings, number formats.

The language lives in three places that must agree: the URL (``?lang=zh``) so a
shared link opens in the same language, the session (so it survives page
changes, which clear the URL), and the picker widget. The URL wins, then the
session, then the browser's locale, then Chinese.
"""

from __future__ import annotations

import json
import math
import re

import streamlit as st

from yiwu import ASSETS
from yiwu.loaders import load_strings, read_text, shared

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
LANG_NAMES = {"zh": "中文", "en": "English"}
# The BCP 47 tag of each language, for the page's <html lang>.
HTML_LANGS = {"zh": "zh-Hans", "en": "en"}


def lang_from_locale(locale: str | None) -> str | None:
    """Map a browser locale such as ``en-GB`` or ``zh-Hant-TW`` to a language."""
    if not locale:
        return None
    code = str(locale).strip().lower()[:2]
    return code if code in LANGS else None


def resolve_lang() -> str:
    """Work out the reader's language and write it back to the session and URL."""
    wanted = st.query_params.get("lang")
    if wanted not in LANGS:
        wanted = st.session_state.get("lang")
    if wanted not in LANGS:
        try:
            wanted = lang_from_locale(st.context.locale)
        except Exception:  # no browser context (tests, scripts)
            wanted = None
    lang = wanted if wanted in LANGS else DEFAULT_LANG
    st.session_state["lang"] = lang
    # Written every time: after a link to the same page (the language link)
    # the browser keeps showing the old address unless it is told again.
    st.query_params["lang"] = lang
    return lang


def current_lang() -> str:
    lang = st.session_state.get("lang")
    return lang if lang in LANGS else resolve_lang()


# The page parameters a language switch carries over, so that the switch
# keeps the reader on the same step, series or generation.
KEPT_PARAMS = ("step", "notes", "series", "gen")


def language_link(lang: str, page) -> None:
    """A link to the same page in the other language (``page`` is the current ``st.Page``).

    A link, not a toggle: it costs the browser nothing a page does not load
    anyway, and a screen reader announces it as what it is. Call it after the
    page has run, so that it carries the parameters the page has checked.
    """
    other = next(x for x in LANGS if x != lang)
    # Only short plain values travel on; the pages check them again anyway.
    params = {k: st.query_params[k] for k in KEPT_PARAMS
              if re.fullmatch(r"[A-Za-z0-9_-]{1,20}", st.query_params.get(k, ""))}
    st.page_link(page, label=LANG_NAMES[other], icon=":material/translate:", help=t("lang.switch", lang),
                 query_params={**params, "lang": other})


def declare_lang(lang: str) -> None:
    """Tell the browser which language the page is in (``<html lang>``).

    Streamlit's page says ``lang="en"`` whatever it shows. Declared, a screen
    reader reads a Chinese page with a Chinese voice, and the browser draws
    it with simplified-Chinese glyphs (on Linux, an undeclared page falls
    back to the Japanese forms of the same characters). The same script
    puts Streamlit's own interface words (its menu, sidebar buttons, chart
    toolbar, tooltips, connection message and screen-reader labels) in the
    page's language (``relabel_script``). It is a constant per language: nothing from the
    reader goes into it. It sits in the sidebar, where its empty box takes
    no room from a page (a hidden or collapsed sidebar still runs it).
    """
    st.sidebar.html(f'<script>document.documentElement.lang = "{HTML_LANGS[lang]}";\n'
                    f"{relabel_script(lang)}</script>{chart_toolbar_css()}", unsafe_allow_javascript=True)


# The buttons of a chart's toolbar that the app's charts leave out (streamlit.toml's keys):
# "Show data" shows the chart's first dataset, its key events with their internal English
# column names, not its values (the table under each chart gives those); "Copy Vega-Lite
# spec" is a developer's tool; full screen stretches only the plot's height, so the legends,
# placed under the plot for its normal height, covered the data and the year axis fell off
# the screen. "Download as PNG" stays. The deck.gl map keeps its full screen.
HIDDEN_CHART_BUTTONS = ("show_data", "copy_spec", "fullscreen")


@shared
def chart_toolbar_css() -> str:
    """A style sheet that hides ``HIDDEN_CHART_BUTTONS`` on Vega-Lite charts, named in every
    language (relabel.js may have put the page's words in place of Streamlit's English)."""
    words = sorted({load_strings(x)[f"streamlit.{k}"] for x in LANGS for k in HIDDEN_CHART_BUTTONS})
    labels = ", ".join(f"[aria-label={json.dumps(w, ensure_ascii=False)}]" for w in words)
    return ('<style>div:has(> [data-testid="stVegaLiteChart"]) > [data-testid="stElementToolbar"] '
            f'[data-testid="stElementToolbarButton"]:has(button:is({labels})) {{ display: none; }}</style>')


def streamlit_labels(lang: str) -> dict[str, str]:
    """Streamlit's own English interface words -> the same words in ``lang``.

    From ``data/strings/<lang>/streamlit.toml``; empty in English.
    """
    english, words = load_strings("en"), load_strings(lang)
    return {english[k]: words[k] for k in english
            if k.startswith("streamlit.") and words.get(k, english[k]) != english[k]}


@shared
def relabel_script(lang: str) -> str:
    """``assets/relabel.js`` with this language's words: it puts them in place of Streamlit's English.

    It also marks the language link with the language it names.
    """
    labels = json.dumps(streamlit_labels(lang), ensure_ascii=False).replace("<", "\\u003c")
    links = json.dumps({LANG_NAMES[x]: HTML_LANGS[x] for x in LANGS if x != lang}, ensure_ascii=False)
    return (read_text(ASSETS / "relabel.js").replace("= LABELS;", f"= {labels};", 1)
            .replace("= LANG_LINKS;", f"= {links};", 1))


def keep_choice(key: str, lang: str, default=None) -> None:
    """Start the widget ``key`` at ``default`` and keep the reader's choice across a language switch.

    Streamlit counts a widget's option names among what makes it that widget,
    so after a switch the same key belongs to a new widget: the world map's
    layers and view fell back to their defaults, and the generation and
    series pickers, given the old value, showed nothing chosen. On the first
    run in a new language the value is put back through the session state,
    which the new widget shows. Create the widget without ``default``.
    """
    seen = f"_lang_of_{key}"
    if key not in st.session_state:
        if default is not None:
            st.session_state[key] = default
    elif st.session_state.get(seen) != lang:
        st.session_state[key] = st.session_state[key]
    st.session_state[seen] = lang


def colon(lang: str) -> str:
    """A label's colon: full width in Chinese, with no space after it."""
    return "\uff1a" if lang == "zh" else ": "


def sentences(lang: str, *parts: str) -> str:
    """Sentences one after another: no space after a Chinese full stop."""
    return ("" if lang == "zh" else " ").join(p.strip() for p in parts if p and p.strip())


# Where a Chinese heading may wrap: after a 的 or before a 与 joining two
# phrases (and, as always, at its punctuation). assets/app.css keeps the rest
# of a Chinese heading's characters together, so a phone breaks
# "根脉：没有港口的 / 丘陵县", not "根脉：没有港 / 口的丘陵县".
_HEADING_BREAK = re.compile(r"(?<=[\u4e00-\u9fff]的)(?=[\u4e00-\u9fff“])|(?<=[\u4e00-\u9fff])(?=与[\u4e00-\u9fff“])")
BREAK_HINT = "\u200b"  # a zero-width space: a place to break, drawn as nothing


def heading(text: str, lang: str) -> str:
    """A heading's text with the places where it may wrap marked (Chinese only)."""
    return _HEADING_BREAK.sub(BREAK_HINT, text) if lang == "zh" else text


# In a table's cells a range keeps its dash with both its ends ("1–11月", "Jan–Nov"), and a date
# its hyphens: a browser may break after either, and a phone's narrow column drew "2017年1– /
# 11月" (a laptop's "2023- / 02-22"). A Chinese date breaks after its year instead
# ("2017年 / 1–11月"), and a name after 的 ("登记在册的 / 经营主体").
_RANGE_DASH = re.compile(r"(?<=\w)–(?=\w)|(?<=\d)-(?=\d)")  # also a date's hyphens (2023-02-22)
_YEAR_THEN = re.compile(r"(?<=\d年)(?=\d)")
WORD_JOINER = "\u2060"  # no break here, drawn as nothing


def table_cell(text: str) -> str:
    """A table cell's text with the places where it may and may not wrap marked (see above)."""
    text = _RANGE_DASH.sub(lambda m: m[0] + WORD_JOINER, text)
    return _HEADING_BREAK.sub(BREAK_HINT, _YEAR_THEN.sub(BREAK_HINT, text))


def dash(lang: str) -> str:
    """The dash between a term and its explanation: ——, set solid, in Chinese; a spaced — in English."""
    return "\u2014\u2014" if lang == "zh" else " \u2014 "


def t(key: str, lang: str | None = None, **values) -> str:
    """The interface string ``key`` in the reader's language.

    A missing key shows the key itself, never an empty label; the tests make
    sure that no key is missing in either language.
    """
    lang = lang or current_lang()
    text = load_strings(lang).get(key)
    if text is None:
        return key
    return text.format(**values) if values else text


# Number formats. Chinese counts in 万 (10^4) and 亿 (10^8); English in
# thousands, millions and billions. Qualifiers say how exact a figure is.
_QUALIFIERS = {
    "en": {"over": "over {}", "nearly": "nearly {}", "about": "about {}", "": "{}"},
    "zh": {"over": "超{}", "nearly": "近{}", "about": "约{}", "": "{}"},
}
_UNITS = {
    "en": {"cny": "{} yuan", "km": "{} km", "days": "{} days", "hours": "{} hours",
           "m2": "{} m²", "teu": "{} TEU", "percent": "{}%", "count": "{}"},
    "zh": {"cny": "{}元", "km": "{}公里", "days": "{}天", "hours": "{}小时",
           "m2": "{}平方米", "teu": "{}标箱", "percent": "{}%", "count": "{}"},
}
UNITS = tuple(_UNITS["en"])
QUALIFIERS = tuple(_QUALIFIERS["en"])


def _trim(x: float, digits: int = 2) -> str:
    text = f"{x:,.{digits}f}" if digits else f"{x:,.0f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_number(value: float, lang: str, *, big: bool = True) -> str:
    """A number in words a reader knows: 2.1 million / 210万, 836.5 billion / 8365亿."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    v = float(value)
    if lang == "zh":
        if big and abs(v) >= 1e8:
            return _trim(v / 1e8).replace(",", "") + "亿"
        if big and abs(v) >= 1e4:
            return _trim(v / 1e4).replace(",", "") + "万"
        return _trim(v).replace(",", "")
    if big and abs(v) >= 1e9:
        return _trim(v / 1e9) + " billion"
    if big and abs(v) >= 1e6:
        return _trim(v / 1e6) + " million"
    return _trim(v)


def fmt_value(value: float, unit: str, qualifier: str, lang: str) -> str:
    """A figure with its unit and qualifier: "over 2.1 million", "超210万"."""
    big = unit not in ("percent", "km", "days", "hours")
    number = fmt_number(value, lang, big=big)
    with_unit = _UNITS[lang].get(unit, "{}").format(number)
    return _QUALIFIERS[lang].get(qualifier or "", "{}").format(with_unit)
