"""Charts placed in the story and on the numbers page.

Each chart comes with the same furniture: a one-sentence takeaway, the chart,
the source line, the lettered key events, a text alternative and the data table.
The ``build_*`` functions load and translate the data and call the pure chart
functions in :mod:`yiwu.charts`; they draw nothing, so the tests can use them.
The ``render*`` functions lay everything out with Streamlit.
"""

from __future__ import annotations

import contextlib
import copy
import html
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

import altair as alt
import pandas as pd
import streamlit as st

from yiwu import ASSETS, DATA, charts, lazy, markdown
from yiwu.i18n import dash, keep_choice, t, table_cell
from yiwu.loaders import CHARTS, DataError, load_strings, load_table, load_words, shared
from yiwu.sources import cite, cited_names, source_name

SERIES = tuple(c for c in CHARTS if c != "timeline")  # the growth series, in the explorer's order
# The unit a reader sees: Chinese counts in 亿 and 万 as the sources do; English
# readers get billions and millions. Stored values are in the first unit.
UNIT_FACTOR = {"cny_100m": {"zh": 1.0, "en": 0.1}, "entities_10k": {"zh": 1.0, "en": 0.01},
               "trains": {"zh": 1.0, "en": 1.0}}
# Colour order of the lines; every measure keeps its colour in every chart.
MEASURES = ("total", "exports", "entities", "platform", "operator", "govreport", "railway", "customs",
            "all_markets", "ccc", "itc", "gdp")
MEASURE_COLORS = {"total": "#0072B2", "exports": "#D55E00", "entities": "#009E73", "platform": "#0072B2",
                  "operator": "#56B4E9", "govreport": "#009E73", "railway": "#D55E00", "customs": "#CC79A7",
                  "all_markets": "#0072B2", "ccc": "#D55E00", "itc": "#009E73", "gdp": "#0072B2"}
LOG_OFFERED = 10.0  # offer a log scale when the largest value is this many times the smallest
LOG_DEFAULT = 100.0  # and start on it when the values span two orders of magnitude
# The timeline's year labels: openings of market generations, not a regular
# step (1982, 1992, 2002, 2012, 2025 read as even steps with an uneven last
# one); 1984 and 1986 would crowd 1982.
TIMELINE_TICKS = [1982, 1992, 2002, 2025]


def _strings(lang: str, prefix: str = "charts.") -> dict[str, str]:
    """All chart strings of a language without the ``charts.`` prefix, unformatted."""
    return {k[len(prefix):]: v for k, v in load_strings(lang).items() if k.startswith(prefix)}


def _names(source_ids, lang: str) -> str:
    """The outlets behind one value, without the "Source:" prefix (for table cells)."""
    return ("；" if lang == "zh" else "; ").join(source_name(i, lang) for i in source_ids)


def base_labels(lang: str) -> dict[str, str]:
    s = _strings(lang)
    labels = {k: v for k, v in s.items() if k.startswith(("tt.", "period.", "months", "line."))}
    labels["x_title"] = s["x_year"]
    # Axis numbers as the text writes them: 10,000 in English, 10000 in Chinese.
    labels["y_format"] = ",~r" if lang == "en" else "~r"
    # A Chinese unit (亿元, 万户) reads upright, above the axis, not turned on its side.
    labels["y_upright"] = lang == "zh"
    return labels


# ---------------------------------------------------------------- events

def events_frame(lang: str, chart: str, lo: int | None = None, hi: int | None = None) -> pd.DataFrame:
    """The key events ``chart`` marks (``events.csv``: charts), within its years.

    They are lettered A, B, … in time order on each chart: the list under a
    chart explains its own badges, so the letters never skip. Letters, not
    numbers: the timeline's bands and the six-markets map number the market
    generations 1 to 6, and a badge "5" over the fifth band read as that band's.
    """
    events = load_table("events").sort_values(["year", "date"]).reset_index(drop=True)
    events = events[events["charts"].map(lambda charts_: chart in charts_)]
    if lo is not None:
        events = events[events["year"] >= lo]
    if hi is not None:
        events = events[events["year"] <= hi]
    words = load_words("events", lang)
    labels = base_labels(lang)
    return pd.DataFrame({
        "id": events["id"].astype(str),
        "year": events["year"].astype(int),
        "badge": charts.badge_letters(len(events)),
        "label": [words[e]["label"] for e in events["id"]],
        "date_label": [charts.period_label(d, labels) for d in events["date"]],
        "source_ids": events["source_ids"],
    }).reset_index(drop=True)


# ---------------------------------------------------------------- growth series

@dataclass
class SeriesView:
    name: str
    chart: alt.LayerChart
    frame: pd.DataFrame  # what the chart draws
    table: pd.DataFrame  # what the reader reads: columns in the reader's language
    events: pd.DataFrame
    title: str
    takeaway: str
    alt: str  # the accessible name: what the chart shows and its takeaway
    described: str  # the visible text alternative under the chart (without the takeaway)
    caveats: str  # the partly verified values and why, as one line of Markdown ("" if none)
    legends: list  # charts.growth_legends: drawn as text under a slide's chart
    source_ids: list[str]
    log_offered: bool
    log: bool


def series_rows(name: str) -> pd.DataFrame:
    rows = load_table("series")
    rows = rows[rows["series"] == name]
    if rows.empty:
        raise DataError(DATA / "series.csv", f"no rows for the series “{name}”", None, "series")
    return rows.sort_values(["year", "measure"]).reset_index(drop=True)


def series_frame(name: str, lang: str) -> pd.DataFrame:
    """The rows of one series in the reader's units and words, ready to chart."""
    rows = series_rows(name)
    s = _strings(lang)
    labels = base_labels(lang)
    notes = load_words("series", lang).get("notes", {})
    factor = rows["unit"].map(lambda u: UNIT_FACTOR[u][lang])
    shown = (rows["value"].astype(float) * factor.astype(float)).round(6)

    def value_label(v: float, unit: str, kind: str) -> str:
        text = s[f"value.{unit}"].format(v=charts.number_text(v, lang))
        return s["over"].format(v=text) if kind == "threshold" else text

    return pd.DataFrame({
        "id": rows["id"].astype(str),
        "year": rows["year"].astype(int),
        "value": shown,
        "unit": rows["unit"].astype(str),
        "kind": rows["kind"].astype(str),
        "measure": rows["measure"].astype(str),
        "measure_label": [s[f"measure.{m}"] for m in rows["measure"]],
        "kind_label": [s[f"kind.{k}"] for k in rows["kind"]],
        "period_label": [charts.period_label(p, labels) for p in rows["period"]],
        "span_label": [charts.span_label(p, labels) for p in rows["period"]],
        "value_label": [value_label(v, u, k) for v, u, k in zip(shown, rows["unit"], rows["kind"], strict=True)],
        "status": rows["status"].astype(str),
        "status_label": [s["status." + st_.replace(" ", "_")] for st_ in rows["status"]],
        "source": [_names(ids, lang) for ids in rows["source_ids"]],
        "source_ids": rows["source_ids"],
        "note": [notes.get(i, "") for i in rows["id"]],
    })


def series_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The reader's table: one row per value, headers in the reader's language.

    The unit goes into the value column's header (a series has one unit), and
    the source comes right after the value, so a phone shows it without much
    scrolling.
    """
    s = _strings(lang)
    unit = s[f"unit.{frame['unit'].iloc[0]}"]
    return pd.DataFrame({
        s["col.period"]: frame["period_label"],
        s["col.measure"]: frame["measure_label"],
        s["col.value_unit"].format(unit=unit): frame["value"],
        s["col.source"]: frame["source"],
        s["col.kind"]: frame["kind_label"],
        s["col.note"]: frame["note"],
        s["col.status"]: frame["status_label"],
    })


PLAIN = str.maketrans({"\u2060": None, "\u200b": None, "\u00a0": " "})


def csv_bytes(table: pd.DataFrame) -> bytes:
    """A table as a CSV file for a spreadsheet: numbers as the page shows them
    (528, not 528.0), in UTF-8 with the byte-order mark Excel needs for Chinese. The page's
    line-break marks (word joiners, zero-width and no-break spaces) stay on the page: a
    spreadsheet gets plain text, which its search and sort find."""
    out = table.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = ["" if pd.isna(v) else f"{v:.6f}".rstrip("0").rstrip(".") for v in out[col]]
        else:
            out[col] = [v.translate(PLAIN) if isinstance(v, str) else v for v in out[col]]
    return out.to_csv(index=False).encode("utf-8-sig")


def log_choice(frame: pd.DataFrame) -> tuple[bool, bool]:
    """(offer a log scale?, start on it?) from how far the values spread."""
    values = frame["value"].astype(float)
    spread = float(values.max()) / max(float(values.min()), 1e-9)
    return spread >= LOG_OFFERED, spread >= LOG_DEFAULT


# A growth chart's plot height on a slide: with its title, its axis and its
# legends (as text, under it) it fits under a slide's headline on a 1280 x 720
# projector. (A slide leaves out the chart's takeaway sentence: the slide's
# own lines make the point.)
COMPACT_HEIGHT = 230


@shared
def build_series(name: str, lang: str, log: bool | None = None, height: int | None = None) -> SeriesView:
    """Everything a growth chart shows, in one language. ``log=None``: the default scale.

    ``height``: the plot's height in pixels, if not the usual one (a slide's).
    """
    if name not in SERIES:
        raise KeyError(name)
    words = load_words("series", lang)[name]
    s = _strings(lang)
    frame = series_frame(name, lang)
    offered, default = log_choice(frame)
    log = bool(default if log is None else log) and offered
    events = events_frame(lang, name, int(frame["year"].min()), int(frame["year"].max()))
    unit = s[f"unit.{frame['unit'].iloc[0]}"]
    measures = [m for m in MEASURES if m in set(frame["measure"])]
    kinds = [k for k in charts.KINDS if k in set(frame["kind"])]
    labels = base_labels(lang) | {
        "title": words["title"],
        "y_title": s["y_title_log" if log else "y_title"].format(unit=unit),
        "measure_title": s["measure_title"],
        "kind_title": s["kind_title"],
        "measure_domain": [s[f"measure.{m}"] for m in measures],
        "measure_colors": [MEASURE_COLORS[m] for m in measures],
        "kind_ids": kinds,
        "kind_domain": [s[f"kind.{k}"] for k in kinds],
    }
    first, last = frame["period_label"].iloc[0], frame["period_label"].iloc[-1]
    sentences = [s["alt"].format(title=words["title"], n=len(frame), start=first, end=last, unit=unit)]
    # Only the marks this chart draws are explained.
    sentences += [s[f"alt_{k}"] for k in ("partial", "threshold") if k in kinds]
    if (charts.line_segments(frame, "", "gap")["gap"] == "gap").any():
        sentences.append(s["alt_gap"])
    sep = "" if lang == "zh" else " "
    described = sep.join(sentences)  # what the chart shows; the takeaway is already on screen
    # A value that is only partly verified is shown with its caveat in sight, on a line of its
    # own under the chart, not only in its tooltip.
    # Two values of one year with the same caveat (2006: one market and all of them) say it once.
    items = list(dict.fromkeys(f"{r.period_label}{dash(lang)}{r.note}" for r in frame.itertuples()
                               if r.status != "verified" and r.note))
    caveats = s["caveats"].format(items=sep.join(items)) if items else ""
    alt_text = sep.join(sentences + [words["takeaway"]] + ([caveats.replace("**", "").replace("\\*", "*")] if caveats else []))
    labels["description"] = alt_text
    if height:  # a slide: the legends as text under the chart, and the plot in their room
        labels |= {"height": height, "legends_outside": True}
    chart = charts.growth_chart(frame, events, labels, log=log)
    source_ids = list(dict.fromkeys(i for ids in frame["source_ids"] for i in ids))
    return SeriesView(name=name, chart=chart, frame=frame, table=series_table(frame, lang), events=events,
                      title=words["title"], takeaway=words["takeaway"], alt=alt_text, described=described,
                      caveats=caveats, legends=charts.growth_legends(frame, labels), source_ids=source_ids,
                      log_offered=offered, log=log)


# ---------------------------------------------------------------- timeline

def generations_frame(lang: str) -> pd.DataFrame:
    """One row per generation: start and end year (the last runs to the next year)."""
    gens = load_table("generations").sort_values("generation").reset_index(drop=True)
    words = load_words("generations", lang)
    s = _strings(lang)
    starts = gens["year"].astype(int).tolist()
    last_year = max(starts) + 1
    ends, years = [], []
    for i, g in gens.iterrows():
        end = g["end_year"]
        if pd.isna(end):
            end = starts[i + 1] if i + 1 < len(starts) else last_year
            years.append(s["timeline.since"].format(start=starts[i]) if i + 1 == len(starts)
                         else s["timeline.years"].format(start=starts[i], end=int(end)))
        else:
            years.append(s["timeline.years"].format(start=starts[i], end=int(end)))
        ends.append(int(end))
    return pd.DataFrame({
        "generation": gens["generation"].astype(int),
        "start": starts,
        "end": ends,
        "name": [words[str(n)]["name"] for n in gens["generation"]],
        "when": [words[str(n)]["when"] for n in gens["generation"]],
        "years_label": years,
        "source_ids": gens["source_ids"],
    })


@dataclass
class TimelineView:
    chart: alt.LayerChart
    gens: pd.DataFrame
    events: pd.DataFrame
    table: pd.DataFrame
    alt: str
    source_ids: list[str]


@shared
def build_timeline(lang: str, selected: int | None = None) -> TimelineView:
    s = _strings(lang)
    gens = generations_frame(lang)
    events = events_frame(lang, "timeline")
    if selected not in set(gens["generation"]):
        selected = None
    labels = base_labels(lang) | {"title": s["timeline.title"], "description": s["timeline.description"],
                                  "x_ticks": TIMELINE_TICKS}
    chart = charts.timeline_chart(gens, events, labels, selected=selected)
    table = pd.DataFrame({
        s["tt.generation"]: [s["timeline.option"].format(n=n, year=y) + " · " + name
                             for n, y, name in zip(gens["generation"], gens["start"], gens["name"], strict=True)],
        s["tt.years"]: gens["years_label"],
        s["tt.when"]: gens["when"],
        s["col.source"]: [_names(ids, lang) for ids in gens["source_ids"]],
    })
    source_ids = list(dict.fromkeys([i for ids in gens["source_ids"] for i in ids] +
                                    [i for ids in events["source_ids"] for i in ids]))
    return TimelineView(chart=chart, gens=gens, events=events, table=table, alt=s["timeline.description"],
                        source_ids=source_ids)


# ---------------------------------------------------------------- layout

@shared
def series_spec(name: str, lang: str, log: bool, height: int | None = None) -> dict:
    return build_series(name, lang, log=log, height=height).chart.to_dict()


@shared
def timeline_spec(lang: str, selected: int | None) -> dict:
    return build_timeline(lang, selected=selected).chart.to_dict()


_READY: OrderedDict[int, tuple[dict, dict]] = OrderedDict()
_READY_MAX = 64  # the fixed charts, and the world overviews most recently drawn
_READY_LOCK = threading.Lock()


def _with_arrow_data(spec: dict) -> dict:
    """``spec`` with its datasets already in Arrow, as Streamlit sends them (made once per spec)."""
    with _READY_LOCK:  # sessions run in threads of their own
        hit = _READY.get(id(spec))
        if hit is not None and hit[0] is spec:
            _READY.move_to_end(id(spec))
            return hit[1]
    from streamlit.dataframe_util import convert_anything_to_arrow_bytes
    from streamlit.elements.vega_charts import _is_geojson_or_topojson_payload

    ready = dict(spec)
    if "datasets" in spec:  # GeoJSON stays as it is, as Streamlit leaves it
        ready["datasets"] = {
            name: rows if _is_geojson_or_topojson_payload(rows) else convert_anything_to_arrow_bytes(rows)
            for name, rows in spec["datasets"].items()}
    with _READY_LOCK:
        _READY[id(spec)] = (spec, ready)
        while len(_READY) > _READY_MAX:
            _READY.popitem(last=False)
    return ready


def show_chart(spec: dict, **kwargs):
    """Draw a Vega-Lite spec made once per chart and language.

    Building an Altair chart and checking it against the Vega-Lite schema took
    most of a chart page's server time, on every rerun (bench/README.md); the
    spec is the same every time, so it is made once and shared. Its datasets
    are turned into Arrow once as well (Streamlit skips data that already is),
    and Streamlit gets a copy, since it rearranges the spec it is given.
    """
    return st.vega_lite_chart(spec=copy.deepcopy(_with_arrow_data(spec)), **kwargs)


def _events_list(events: pd.DataFrame, lang: str) -> None:
    if events.empty:
        return
    s = _strings(lang)
    lines = [s["event_item"].format(n=e.badge, date=e.date_label, label=e.label) for e in events.itertuples()]
    st.markdown(f"**{s['events_title']}**\n\n" + "\n".join(f"- {line}" for line in lines))


def beside(aside):
    """Where a chart's notes go: ``aside`` on a slide (the column under its text), else in place."""
    return aside if aside is not None else contextlib.nullcontext()


def swatch(kind: str, color: str, text: str) -> str:
    """A legend entry as HTML: a symbol in ``color`` and its text, kept on one line.

    ``kind``: line, dash, dots (lines); dot, big, small (a map's markers, edged in
    white), ring (a white ring on the map); point, hollow (a ring with nothing
    inside), triangle (a chart's points).
    """
    if kind == "line":
        mark = f'<span style="display:inline-block;width:26px;border-top:3px solid {color};vertical-align:middle"></span>'
    elif kind in ("dash", "dots"):
        style = "dashed" if kind == "dash" else "dotted"
        mark = f'<span style="display:inline-block;width:26px;border-top:3px {style} {color};vertical-align:middle"></span>'
    elif kind == "ring":
        mark = (f'<span style="display:inline-block;width:9px;height:9px;border-radius:50%;'
                f'border:2px solid {color};background:#fff;vertical-align:middle"></span>')
    elif kind in ("point", "hollow"):
        fill, edge = (color, 0) if kind == "point" else ("transparent", 3)
        mark = (f'<span style="display:inline-block;box-sizing:border-box;width:14px;height:14px;'
                f'border-radius:50%;border:{edge}px solid {color};background:{fill};vertical-align:middle"></span>')
    elif kind == "triangle":
        mark = (f'<span style="display:inline-block;width:0;height:0;border-left:8px solid transparent;'
                f'border-right:8px solid transparent;border-bottom:14px solid {color};vertical-align:middle"></span>')
    else:
        size = {"big": 18, "small": 11}.get(kind, 14)  # the white edge (2 px) included
        mark = (f'<span style="display:inline-block;width:{size}px;height:{size}px;border-radius:50%;'
                f'background:{color};border:2px solid #fff;vertical-align:middle"></span>')
    return f'<span style="white-space:nowrap;margin-right:1em">{mark} {text}</span>'


def legend_html(legends) -> str:
    """:func:`charts.growth_legends` as text: one line per legend, its title first."""
    lines = [f"<div><b>{html.escape(title)}</b>&ensp;"
             + " ".join(swatch(kind, colour, html.escape(text)) for kind, colour, text in entries)
             + "</div>" for _, title, entries in legends]
    return '<div style="line-height:1.65;font-size:0.9em">' + "".join(lines) + "</div>"


# A chart that draws on more sources than this lists them in a small
# expander ("Sources (25)"): the timeline's 25 names filled a third of a
# phone's screen between the chart and its key events. The six-markets map
# (19) does the same; the trade chart's 10 stay a line.
LONG_SOURCES = 12
# Beside a chart on a slide there is less room: under the trade chart's two key
# events its ten sources ran below a 1280 x 720 projector. The trains chart's
# seven fit, with its caveat, under the slide's text.
SLIDE_SOURCES = 8


def sources_line(source_ids, lang: str, limit: int = LONG_SOURCES) -> None:
    """A chart's sources: one line, or a one-click list when there are more than ``limit``."""
    count = len(cited_names(source_ids, lang))
    if count <= limit:
        st.caption(cite(source_ids, lang))
        return
    with st.expander(t("source.list", lang, n=count)):
        st.caption(cite(source_ids, lang))


def _chart_notes(source_ids, events: pd.DataFrame, described: str, lang: str, aside, caveats: str = "",
                 legends=None) -> None:
    """Under a chart: its sources, key events, caveats and text alternative.

    On a slide the events, caveats, sources and text alternative go in
    ``aside``, beside the chart, where the class reads them off it; under
    the chart, the sources ran below a 1280 x 720 projector.
    ``legends`` (a slide's growth chart): its legends as text, under the chart
    (Vega's, stacked one under another, took more room than the plot).
    """
    if legends:
        # st.html, not Markdown with raw HTML: that needs a 184 KB HTML parser script.
        with st.container(key="slide-legends"):
            st.html(legend_html(legends))
    if aside is None:
        sources_line(source_ids, lang)
    with beside(aside):
        if aside is None:
            _events_list(events, lang)
        else:
            with st.container(key="slide-events"):  # set tighter on a slide (present_css)
                _events_list(events, lang)
        # The caveats before the description: on a slide they explain the
        # asterisks the class sees, and must not run below the screen; so
        # must the sources, which come before the description there too.
        if caveats:
            st.caption(caveats)
        if aside is not None:
            sources_line(source_ids, lang, limit=SLIDE_SOURCES)
        st.caption(described)


def _scale_picker(name: str, lang: str, key: str, default_log: bool) -> bool:
    s = _strings(lang)
    keep_choice(key, lang, "log" if default_log else "linear")
    choice = st.segmented_control(s["scale_label"], ["linear", "log"], format_func=lambda v: s[f"scale.{v}"],
                                  required=True, key=key, help=s["scale_help"])
    return choice == "log"


def render_series(name: str, lang: str, *, key_prefix: str = "story", explorer: bool = False,
                  compact: bool = False, aside=None) -> None:
    """A growth chart with its takeaway, scale choice, source, events and table.

    ``compact``: a slide's, which puts the key events, the sources and the text
    alternative in ``aside``, beside the chart, so the chart and its notes fit
    one projector screen.
    """
    view = build_series(name, lang)
    if not compact:
        st.markdown(view.takeaway)
    if view.log_offered:
        log = _scale_picker(name, lang, f"{key_prefix}_scale_{name}", view.log)
        if log != view.log:
            view = build_series(name, lang, log=log)
    # The chart's own ``description`` is its accessible name (Streamlit warns if alt= repeats it).
    show_chart(series_spec(name, lang, view.log, COMPACT_HEIGHT if compact else None), width="stretch",
               key=f"{key_prefix}_chart_{name}")
    _chart_notes(view.source_ids, view.events, view.described, lang, aside, view.caveats,
                 view.legends if compact else None)
    s = _strings(lang)
    if explorer:
        st.header(s["numbers.table"], anchor=False)
        show_table(view.table, wide=(s["col.source"], s["col.note"]), labels=(s["col.measure"],), roomy=True)
        st.download_button(s["download"], csv_bytes(view.table),
                           file_name=f"yiwu-{name}-{lang}.csv", mime="text/csv", key=f"{key_prefix}_csv_{name}")
    else:
        with lazy.expander(s["table"], key=f"{key_prefix}_table_{name}") as opened:
            if opened:
                show_table(view.table, wide=(s["col.source"], s["col.note"]), labels=(s["col.measure"],))


def table_markdown(table: pd.DataFrame) -> str:
    """The page's Markdown of ``table``, its cells marked where a line may and may not break
    (:func:`yiwu.i18n.table_cell`). The marks are for the page only: the CSV download
    (:func:`csv_bytes`) keeps the plain text."""
    return markdown.table(table.apply(lambda col: col.map(lambda v: table_cell(v) if isinstance(v, str) else v)))


def show_table(table: pd.DataFrame, wide: Iterable[str] = (), whole: Iterable[str] = (),
               labels: Iterable[str] = (), roomy: bool = False) -> None:
    """A data table: plain HTML, which screen readers read, drawn as Markdown (see :mod:`yiwu.markdown`).

    On a phone a table of more than three columns is wider than the screen
    and scrolls sideways in its own box (assets/tables.css); a caption above
    it, shown only on narrow screens, says so. ``wide``: the columns of long
    texts (notes, sources), which get more room than the rest; ``whole``:
    columns of names that a Chinese line must not break (德黑兰, not 德黑 / 兰); ``labels``:
    columns of short labels kept whole on a phone, where the table scrolls anyway (进出口总额,
    not 进出口总 / 额); on a laptop they may wrap, so the notes keep their room. ``roomy``: on a
    wide screen the table may be wider than the text column, up to the main area's width (the
    numbers page, where the table is the point; not inside an expander).
    """
    st.html(ASSETS / "tables.css")
    text = table_markdown(table)
    cols, tag = len(table.columns), abs(hash(text)) % 10**8
    if cols > 3:
        with st.container(key=f"table-swipe-{tag}"):
            st.caption(t("charts.table_swipe"))
    # The column count in the key gives the table its least width on a phone;
    # the numbers of the ``wide`` columns are there too (assets/tables.css).
    texts = "".join(f"text{n + 1}-" for n, c in enumerate(table.columns) if c in set(wide))
    texts += "".join(f"whole{n + 1}-" for n, c in enumerate(table.columns) if c in set(whole))
    texts += "".join(f"label{n + 1}-" for n, c in enumerate(table.columns) if c in set(labels))
    texts += "roomy-" if roomy else ""
    with st.container(key=f"table-{cols}-{texts}{tag}"):
        st.markdown(text)


def url_choice(key: str, options, lang: str, default=None) -> None:
    """Keep the widget ``key`` and the URL parameter ``?key=`` in step.

    On the first run of a page visit the widget starts from the URL; a value
    that is not one of ``options`` (a typo, an old link, something hostile) is
    ignored and removed from the URL. Call :func:`to_url` when the value changes.
    The choice survives a language switch (:func:`yiwu.i18n.keep_choice`).
    (Streamlit's own ``bind="query-params"`` writes the option's *label* into
    the URL, which would make links depend on the reader's language.)
    """
    by_text = {str(o): o for o in options}
    raw = st.query_params.get(key)
    if raw is not None and raw not in by_text:
        del st.query_params[key]
        raw = None
    if st.session_state.get(key) not in by_text.values():
        st.session_state[key] = by_text.get(raw, default) if raw is not None else default
    keep_choice(key, lang)


def to_url(key: str) -> None:
    value = st.session_state.get(key)
    if value is None:
        if key in st.query_params:
            del st.query_params[key]
    else:
        st.query_params[key] = str(value)


SCROLL_TO_CARD = """<script>
(function () {  /* pick __PICKS__ */
  let tries = 0;
  const show = function () {
    const card = document.querySelector(".st-key-timeline-card");
    if (card) { card.scrollIntoView({block: "nearest", behavior: "smooth"}); } else if (tries++ < 40) { setTimeout(show, 50); }
  };
  setTimeout(show, 250);
})();
</script>"""


def render_timeline(lang: str, aside=None) -> None:
    """The six generations: a clickable timeline, a picker, and the chosen card.

    The choice lives in the URL (``?gen=3``) so that a link opens on the same
    card. A click on a band and the picker both set it; the card opens under
    the picker and the page scrolls to it. On a slide the key events, the
    sources and the text alternative go in ``aside``.
    """
    from yiwu.story import generation_card

    s = _strings(lang)
    gens = load_table("generations")
    options = sorted(int(n) for n in gens["generation"])
    words = load_words("generations", lang)
    url_choice("gen", options, lang)

    def picked_on_chart() -> None:
        state = st.session_state.get("timeline_chart")
        picked = (state or {}).get("selection", {}).get("pick") or []
        value = picked[0].get("generation") if picked and isinstance(picked[0], dict) else None
        if picked and value is None:
            return  # a mark that is not a generation's: the choice stays
        try:
            value = int(value) if value is not None else None
        except (TypeError, ValueError):
            value = None
        st.session_state["gen"] = value if value in options else None
        picked_in_picker()

    def picked_in_picker() -> None:
        to_url("gen")
        st.session_state["timeline_picks"] = st.session_state.get("timeline_picks", 0) + 1

    chart_slot = st.container()
    start_of = dict(zip(gens["generation"].astype(int), gens["year"].astype(int), strict=True))
    choice = st.segmented_control(s["timeline.pick"], options, key="gen", on_change=picked_in_picker,
                                  format_func=lambda n: s["timeline.option"].format(n=n, year=start_of[n]))
    view = build_timeline(lang, selected=choice)
    with chart_slot:
        show_chart(timeline_spec(lang, choice if choice in options else None), width="stretch",
                   key="timeline_chart", on_select=picked_on_chart, selection_mode="pick")
    if choice in options:
        g = gens[gens["generation"] == choice].iloc[0]
        with st.container(key="timeline-card"):
            generation_card(g, words, lang, anchor=False)
        # A card opened by a click may start below the screen (a slide on a
        # projector, a phone): the page scrolls just enough to show it. The
        # script goes in the sidebar, where it takes no room; the count of
        # picks makes each pick's script new, so it runs again.
        picks = st.session_state.get("timeline_picks", 0)
        if picks > st.session_state.get("timeline_scrolled", 0):
            st.session_state["timeline_scrolled"] = picks
            st.sidebar.html(SCROLL_TO_CARD.replace("__PICKS__", str(picks)), unsafe_allow_javascript=True)
    else:
        st.caption(s["timeline.hint"])
    _chart_notes(view.source_ids, view.events, view.alt, lang, aside)
    with lazy.expander(s["table"], key="timeline_table") as opened:
        if opened:
            show_table(view.table, wide=(s["tt.when"], s["col.source"]))


def explorer(lang: str) -> None:
    """The numbers page: pick a series (kept in the URL as ``?series=``), see it all."""
    words = load_words("series", lang)
    s = _strings(lang)
    st.markdown(s["numbers.intro"])
    url_choice("series", SERIES, lang, default=SERIES[0])
    name = st.segmented_control(s["numbers.pick"], list(SERIES), format_func=lambda n: words[n]["name"],
                                required=True, key="series", on_change=to_url, args=("series",))
    if name not in SERIES:
        name = SERIES[0]
    render_series(name, lang, key_prefix="numbers", explorer=True)


def render(name: str, lang: str, compact: bool = False, aside=None) -> None:
    """The ``{{ chart: name }}`` block; ``compact`` for a slide, its notes in ``aside``."""
    if name == "timeline":
        render_timeline(lang, aside=aside)
    elif name in SERIES:
        render_series(name, lang, compact=compact, aside=aside)
    else:
        st.warning(t("charts.unknown", lang, name=name))
