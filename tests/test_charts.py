"""Charts: every chart built in both languages and read back from its Vega-Lite spec.

What a reader would notice: a chart that shows fewer or other values than its
table, an English word on a Chinese chart, a partial year drawn like a full
year, a missing source, text too small for a projector, a colour that
colour-blind readers cannot tell apart, a shared link (?gen=3, ?series=) that
does not open the same view.
"""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from yiwu import ROOT, chart_view, charts, markdown
from yiwu.i18n import dash
from yiwu.loaders import read_chapter, read_table, read_words
from yiwu.sources import cite

LANGS = ("zh", "en")
HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}
# The research notes sit beside the repository (../shared), in CI as here.
SHARED_SERIES = Path(__file__).resolve().parents[2] / "shared" / "facts" / "series.csv"
TIMEOUT = 60


# ---------------------------------------------------------------- helpers

def layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def marks(spec: dict) -> list[str]:
    return [lay["mark"]["type"] if isinstance(lay["mark"], dict) else lay["mark"] for lay in layers(spec)]


def dataset(spec: dict, layer: dict) -> list[dict]:
    data = layer.get("data", spec.get("data"))
    if "values" in data:
        return data["values"]
    return spec["datasets"][data["name"]]


def words_on_chart(spec: dict) -> list[str]:
    """Every text a reader sees on the chart itself: title, axis and legend titles, tooltips."""
    out = []
    title = spec.get("title")
    out.append(title["text"] if isinstance(title, dict) else title)
    for lay in layers(spec):
        for channel, enc in lay.get("encoding", {}).items():
            items = enc if isinstance(enc, list) else [enc]
            for item in items:
                if not isinstance(item, dict):
                    continue
                if item.get("title"):
                    out.append(item["title"])
                for key in ("axis", "legend"):
                    if isinstance(item.get(key), dict) and item[key].get("title"):
                        out.append(item[key]["title"])
                scale = item.get("scale") or {}
                if channel in ("color", "shape", "strokeDash") and isinstance(scale.get("domain"), list):
                    out += [str(d) for d in scale["domain"]]
    return [str(w) for w in out if w]


def growth(name: str, lang: str, log=None):
    view = chart_view.build_series(name, lang, log=log)
    return view, view.chart.to_dict()


def point_layer(spec: dict) -> dict:
    return next(lay for lay in layers(spec) if marks({"layer": [lay]})[0] == "point")


# ---------------------------------------------------------------- the data

def test_series_table_has_a_series_for_every_growth_chart():
    rows = read_table("series")
    assert set(rows["series"]) == set(chart_view.SERIES)
    for lang in LANGS:
        words = read_words("series", lang)
        for name in chart_view.SERIES:
            assert words[name]["takeaway"].strip(), f"{name} has no one-sentence takeaway in {lang}"


@pytest.mark.skipif(not SHARED_SERIES.exists(), reason="the shared fact base is not on this machine")
def test_every_charted_value_is_a_verified_figure_of_the_fact_base():
    """No figure is invented: each value is in the research notes, with a 'verified' status."""
    with SHARED_SERIES.open(encoding="utf-8") as f:
        shared = list(csv.DictReader(f))
    for row in read_table("series").itertuples():
        value = float(row.value)  # stored in the fact base's own units (亿元, 万户, trains)
        found = [s for s in shared if re.sub(r"[^0-9.]", "", s["value"].split("(")[0]) and
                 abs(float(re.sub(r"[^0-9.]", "", s["value"])) - value) < 1e-6 and
                 str(row.year) in s["year"]]
        if not found:
            # A few figures sit in the note of a verified row (exports next to a total).
            as_text = (re.escape(f"{value:g}"), re.escape(f"{value / 10:g}") + " bn")
            found = [s for s in shared if str(row.year) in s["year"] and
                     any(re.search(rf"(?<![\d.]){t}(?![\d])", re.sub(r"(?<=\d),(?=\d{3})", "", s["note"]))
                             for t in as_text)]
        assert found, f"{row.id}: {row.value} for {row.year} is not in {SHARED_SERIES}"
        assert all(s["status"].startswith("verified") for s in found), f"{row.id} is not a verified figure"


def test_threshold_and_partial_rows_are_flagged_in_the_data():
    rows = read_table("series")
    # The ">3000" export figure for 2020 is a threshold, never a plain value.
    exports_2020 = rows[(rows["series"] == "trade") & (rows["measure"] == "exports") & (rows["year"] == 2020)]
    assert list(exports_2020["kind"]) == ["threshold"]
    # A period shorter than a year is always marked partial.
    short = rows[rows["period"].str.contains("/")]
    assert len(short) and set(short["kind"]) == {"partial"}


# ---------------------------------------------------------------- words

@pytest.mark.parametrize("code, lang, expected", [
    ("2017-01/11", "en", "Jan–Nov 2017"), ("2017-01/11", "zh", "2017年1–11月"),
    ("2015-12", "en", "Dec 2015"), ("2026-early", "zh", "2026年初"),
    ("2014-11-18", "en", "18 Nov 2014"), ("2019", "zh", "2019年"), ("whenever", "en", "whenever"),
])
def test_periods_read_naturally_in_each_language(code, lang, expected):
    assert charts.period_label(code, chart_view.base_labels(lang)) == expected


@pytest.mark.parametrize("code, lang, expected", [
    ("2017-01/11", "en", "Jan–Nov"), ("2021-01/06", "zh", "1–6月"), ("2015-12", "en", "Dec 2015")])
def test_a_part_years_months_read_on_their_own(code, lang, expected):
    assert charts.span_label(code, chart_view.base_labels(lang)) == expected


def test_nearby_events_get_different_rows_of_badges():
    lanes = charts.event_lanes([2011, 2013, 2014, 2024, 2025])
    assert lanes[0] != lanes[1] and lanes[3] != lanes[4]


def test_a_line_never_bridges_missing_years_as_if_they_were_known():
    frame = pd.DataFrame({"kind": ["value"] * 4, "measure_label": ["m"] * 4, "year": [2019, 2021, 2022, 2023],
                          "value": [1.0, 2.0, 3.0, 4.0]})
    seg = charts.line_segments(frame, "yearly", "gap")
    kinds = seg.drop_duplicates("segment")["gap"].tolist()
    assert kinds == ["gap", "yearly", "yearly"]


def test_a_line_never_passes_over_a_milestone_of_its_own_measure():
    """Yiwu's exports were dashed from 2019 to 2023 past their own 2020 milestone (and through
    the total's 2021 point): no segment crosses a year where its measure has another kind of value."""
    frame = pd.DataFrame({"kind": ["value", "threshold", "value", "value", "value"],
                          "measure_label": ["m", "m", "m", "m", "n"], "year": [2019, 2020, 2023, 2024, 2021],
                          "value": [1.0, 2.0, 3.0, 4.0, 5.0]})
    seg = charts.line_segments(frame, "yearly", "gap")
    assert seg.groupby("segment")["year"].agg(tuple).tolist() == [(2023, 2024)]
    _, spec = growth("trade", "en")
    line = next(x for x in layers(spec) if x["mark"]["type"] == "line")
    exports = [r for r in dataset(spec, line) if r["measure_label"] == "Exports"]
    assert not [r for r in exports if r["year"] in (2019, 2023)], exports


# ---------------------------------------------------------------- growth charts

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", chart_view.SERIES)
def test_growth_chart_draws_every_value_of_its_table(name, lang):
    view, spec = growth(name, lang)
    assert {"line", "point"} <= set(marks(spec))
    rows = read_table("series")
    rows = rows[rows["series"] == name]
    points = dataset(spec, point_layer(spec))
    assert len(points) == len(rows) == len(view.table)
    # The values drawn are the table's values (in the reader's unit).
    value_col = next(c for c in view.table.columns if c.startswith(("Value", "数值（")))
    assert sorted(round(p["value"], 6) for p in points) == sorted(round(v, 6) for v in view.table[value_col])
    # Only full-year values are joined by the line.
    line = next(lay for lay in layers(spec) if marks({"layer": [lay]})[0] == "line")
    line_years = {(r["measure_label"], r["year"]) for r in dataset(spec, line)}
    full = {(p["measure_label"], p["year"]) for p in points if p["kind"] == "value"}
    assert line_years <= full


def axis_years(spec: dict) -> list[list[int]]:
    """The years a growth chart's axis may label: one list, or a wide chart's and a narrow one's."""
    values = point_layer(spec)["encoding"]["x"]["axis"]["values"]
    if isinstance(values, list):
        return [values]
    narrow, wide = re.fullmatch(r"width \* \d+ / [\d.]+ < [\d.]+ \? (\[.*\]) : (\[.*\])", values["expr"]).groups()
    return [json.loads(narrow), json.loads(wide)]


@pytest.mark.parametrize("name", chart_view.SERIES)
def test_the_newest_and_the_oldest_value_have_their_years_on_the_axis(name):
    """The turnover chart's axis stopped at 2020, beside its values for the first half of 2021."""
    view, spec = growth(name, "en")
    years = [int(p["year"]) for p in dataset(spec, point_layer(spec))]
    for ticks in axis_years(spec):
        # The oldest value's year too: trains from 2019, entities from 2015 (the year slide 26 quotes).
        assert ticks[0] == min(years) and ticks[-1] == max(years) and ticks == sorted(ticks)
        assert len(ticks) <= 9, "more year labels than a phone has room for"


def test_a_narrow_chart_labels_fewer_years():
    """On a phone the turnover axis had its labels so close that Vega hid every other one, 2021 too."""
    _, spec = growth("turnover", "en")
    narrow, wide = axis_years(spec)
    assert len(narrow) <= 5 < len(wide)


@pytest.mark.parametrize("name", ["gdp", "turnover"])
def test_a_long_axis_labels_round_years_between_its_ends(name):
    """The GDP axis read 2002, 2009, 2014, 2019, 2024: a reader counts in fives."""
    view, spec = growth(name, "en")
    ticks = axis_years(spec)[-1]  # the wide chart's
    assert len(ticks) >= 5 and all(year % 5 == 0 for year in ticks[1:-1]), ticks
    steps = {b - a for a, b in zip(ticks[1:-2], ticks[2:-1], strict=True)}
    assert len(steps) == 1, f"uneven steps between the ends: {ticks}"


def area(value: dict, width: float) -> float:
    """A point's area from its Vega expression ("width < 400 ? 100 : 150") at a plot ``width``."""
    m = re.fullmatch(r"width < (\d+) \? (\d+) : (\d+)", value["expr"])
    assert m, value
    return float(m[2] if width < float(m[1]) else m[3])


def test_two_measures_at_one_value_both_stay_in_sight():
    """Exports and the total of Jan-Nov 2017 (208.1 and 211.3 billion yuan) lay on one another."""
    view, spec = growth("trade", "en")
    layer = point_layer(spec)
    size, order = layer["encoding"]["size"], layer["encoding"]["order"]
    # A point on another measure's point is drawn smaller, and on top of it.
    assert size["condition"]["test"] == order["condition"]["test"] == "(datum.inner === 1)"
    for width in (300, 700):  # a phone's plot and a laptop's
        assert area(size["condition"]["value"], width) < area(size["value"], width)
    assert order["condition"]["value"] > order["value"]
    # On a phone's narrow plot every point is smaller (the turnover's 2002-2011 points covered one another).
    assert area(size["value"], 300) < area(size["value"], 700)
    drawn = dataset(spec, layer)
    y2017 = {p["measure_label"]: p["inner"] for p in drawn if p["year"] == 2017}
    assert sorted(y2017.values()) == [0, 1], "the two 2017 values are not one inside the other"
    assert not [p for p in drawn if p["year"] == 2023 and p["inner"]], "a point apart from others is shrunk"
    # Only where values meet: the trains chart's five counters keep one size (no counter looks ranked).
    _, trains = growth("trains", "en")
    assert not [p for p in dataset(trains, point_layer(trains)) if p["inner"]]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", chart_view.SERIES)
def test_growth_chart_speaks_the_readers_language(name, lang):
    view, spec = growth(name, lang)
    texts = words_on_chart(spec) + [view.takeaway, view.alt, spec["description"]]
    for text in texts:
        if lang == "zh":
            assert not LATIN_WORD.search(text), f"English on the Chinese {name} chart: {text!r}"
        else:
            assert not HAN.search(text), f"Chinese on the English {name} chart: {text!r}"
    assert any(HAN.search(t) for t in texts) == (lang == "zh")
    for p in dataset(spec, point_layer(spec)):
        for field in ("period_label", "value_label", "kind_label", "measure_label", "source"):
            assert p[field], f"{name}: a point has no {field}"
            if lang == "en":
                assert not HAN.search(p[field]), f"{name}: {field} {p[field]!r} on an English tooltip"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", chart_view.SERIES)
def test_a_partly_verified_value_is_marked_on_the_chart_as_its_caption_says(name, lang):
    """The 2020 trains looked as sure as the rest: each value that is not verified carries the
    mark the "read with care" line names, and no verified value does."""
    view, spec = growth(name, lang)
    rows = read_table("series")
    doubtful = {(int(r.year), float(r.value)) for r in rows[rows["series"] == name].itertuples()
                if r.status != "verified"}
    texts = [lay for lay in layers(spec) if marks({"layer": [lay]})[0] == "text"
             and lay["mark"].get("text") == charts.CARE_MARK]
    if not doubtful:
        assert not texts and not view.caveats, name
        return
    assert len(texts) == 1
    # At the points themselves (values in the unit the chart shows), one mark per doubtful value.
    drawn = {(int(p["year"]), p["value"]) for p in dataset(spec, texts[0])}
    points = {(int(p["year"]), p["value"]) for p in dataset(spec, point_layer(spec))}
    assert drawn <= points and len(drawn) == len(doubtful), (drawn, doubtful)
    assert sorted(y for y, _ in drawn) == sorted(y for y, _ in doubtful)
    assert f"\\{charts.CARE_MARK}" in view.caveats  # the caption names the mark (escaped for Markdown)
    # In its value's colour: two close values (2006) each keep their own mark.
    assert texts[0]["encoding"]["color"]["field"] == point_layer(spec)["encoding"]["color"]["field"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", chart_view.SERIES)
def test_a_part_year_value_says_which_months_beside_its_point(name, lang):
    """A hollow 2021 point below the full 2015 one read as a fall: each part-year period is written
    on the chart ("Jan–Jun", "1–6月"), once, at its lowest point; full-year values get no such text."""
    view, spec = growth(name, lang)
    part = [p for p in dataset(spec, point_layer(spec)) if p["kind"] == "partial"]
    texts = [lay for lay in layers(spec) if marks({"layer": [lay]})[0] == "text"
             and lay["encoding"].get("text", {}).get("field") == "span_label"]
    if not part:
        assert not texts, f"{name}: months written on a chart with no part-year value"
        return
    assert len(texts) == 1
    written = dataset(spec, texts[0])
    periods = {p["period_label"] for p in part}
    assert len(written) == len(periods)
    for row in written:
        same = [p for p in part if p["period_label"] == row["period_label"]]
        assert row["value"] == min(p["value"] for p in same) and row["year"] == same[0]["year"]
        months = re.fullmatch(r"(\w+)–(\w+)" if lang == "en" else r"(\d+)–(\d+)月", row["span_label"])
        assert months, row["span_label"]
        assert all(m in row["period_label"] for m in months.groups())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", chart_view.SERIES)
def test_growth_chart_names_its_sources(name, lang):
    view, spec = growth(name, lang)
    rows = read_table("series")
    wanted = {sid for ids in rows[rows["series"] == name]["source_ids"] for sid in ids}
    assert wanted == set(view.source_ids)
    line = cite(view.source_ids, lang)
    assert line.startswith("来源" if lang == "zh" else "Source")
    assert all(p["source"] for p in dataset(spec, point_layer(spec)))


@pytest.mark.parametrize("lang", LANGS)
def test_a_weak_source_says_so_where_it_is_cited(lang):
    """Grade C sources (aggregators, machine translations) are marked in every source line, not only
    in the Sources chapter; a strong one is not."""
    from yiwu.loaders import read_strings
    from yiwu.sources import whole

    words = read_strings(lang)["source.weak"]
    weak = whole(words)
    # The mark never breaks across lines: no space, and a word joiner between Chinese characters.
    assert " " not in weak and weak.replace("\u2060", "").replace("\u00a0", " ") == words
    assert lang == "en" or weak.count("\u2060") == len(words) - 1
    grades = dict(zip(read_table("sources")["id"], read_table("sources")["grade"], strict=True))
    for name in chart_view.SERIES:
        view, _ = growth(name, lang)
        for sid in view.source_ids:
            line = cite([sid], lang)
            assert (weak in line) == (grades[sid] == "C"), line
            assert words not in line, f"a breakable mark: {line}"
    assert "C" in {grades[sid] for name in chart_view.SERIES for sid in growth(name, lang)[0].source_ids}


def test_partial_years_are_hollow_and_milestones_are_triangles():
    view, spec = growth("trade", "en")
    shape = point_layer(spec)["encoding"]["shape"]["scale"]
    by_label = dict(zip(shape["domain"], shape["range"], strict=True))
    partial = chart_view._strings("en")["kind.partial"]
    threshold = chart_view._strings("en")["kind.threshold"]
    value = chart_view._strings("en")["kind.value"]
    assert by_label[partial] == charts.RING and by_label[threshold] == "triangle-up"
    assert by_label[value] == "circle"
    # and the legend says so, in words
    assert partial in words_on_chart(spec) and threshold in words_on_chart(spec)


def test_turnover_starts_on_a_log_scale_and_offers_linear():
    view, spec = growth("turnover", "en")
    y = point_layer(spec)["encoding"]["y"]
    assert view.log_offered and y["scale"]["type"] == "log"
    assert "log" in y["axis"]["title"]
    _, linear = growth("turnover", "en", log=False)
    assert point_layer(linear)["encoding"]["y"]["scale"]["type"] == "linear"


def test_series_within_one_order_of_magnitude_get_no_log_choice():
    for name in ("trade", "entities", "trains"):
        view, spec = growth(name, "zh", log=True)
        assert not view.log_offered
        assert point_layer(spec)["encoding"]["y"]["scale"]["type"] == "linear"


@pytest.mark.parametrize("name", chart_view.SERIES)
def test_a_growth_chart_marks_only_its_own_key_events_lettered_from_a(name):
    events = read_table("events")
    view, spec = growth(name, "en")
    years = view.frame["year"]
    mine = events[events["charts"].map(lambda c: name in c)
                  & (events["year"] >= years.min()) & (events["year"] <= years.max())]
    assert list(view.events["id"]) == list(mine.sort_values(["year", "date"])["id"])
    # The list under the chart explains its badges: A, B, … with no gaps.
    assert list(view.events["badge"]) == [chr(ord("A") + i) for i in range(len(mine))]
    badges = [lay for lay in layers(spec) if marks({"layer": [lay]})[0] == "circle"]
    drawn = sorted(r["badge"] for lay in badges for r in dataset(spec, lay))
    assert drawn == sorted(view.events["badge"])


def test_key_events_bear_on_what_each_chart_counts():
    """The trains chart shows no trade-reform plan; the trade chart shows it."""
    assert "reform-2024" not in set(growth("trains", "en")[0].events["id"])
    assert "reform-2024" in set(growth("trade", "en")[0].events["id"])
    assert list(chart_view.events_frame("en", "timeline")["id"]) == list(
        read_table("events").sort_values(["year", "date"])["id"])


def test_trains_label_the_counting_basis():
    view, spec = growth("trains", "en")
    colour = point_layer(spec)["encoding"]["color"]
    assert len(colour["scale"]["domain"]) >= 3, "the trains chart must show whose count each value is"
    assert colour["legend"] is not None


# ---------------------------------------------------------------- the look

def test_one_theme_with_projector_sizes_and_a_colour_blind_safe_palette():
    import altair as alt

    assert alt.theme.active == charts.THEME
    config = chart_view.build_series("trade", "en").chart.to_dict()["config"]
    assert config["axis"]["labelFontSize"] >= 13 and config["axis"]["titleFontSize"] >= 13
    assert config["legend"]["labelFontSize"] >= 13 and config["title"]["fontSize"] >= 14
    assert set(config["range"]["category"]) <= OKABE_ITO - {"#F0E442"}
    # Text follows the light or dark theme: axis and legend text takes the
    # page's text colour (not Streamlit's faint grey), the title Streamlit's.
    for part in ("axis", "legend"):
        assert config[part]["labelColor"] == config[part]["titleColor"] == "currentColor"
    assert "color" not in config["title"]


@pytest.mark.parametrize("name", chart_view.CHARTS)
def test_charts_fill_the_width_and_use_safe_colours(name):
    spec = (chart_view.build_timeline("zh").chart if name == "timeline"
            else chart_view.build_series(name, "zh").chart).to_dict()
    assert spec["width"] == "container", "a fixed width would scroll sideways on a phone"
    colours = set(re.findall(r'"(#[0-9A-Fa-f]{6})"', json.dumps({k: v for k, v in spec.items() if k != "datasets"})))
    colours |= {c for rows in spec.get("datasets", {}).values() for r in rows for c in r.values()
                if isinstance(c, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}", c)}
    allowed = OKABE_ITO | {"#FFFFFF", charts.BADGE_FILL, charts.RULE_COLOR} | set(charts.GEN_TINTS.values())
    assert colours <= allowed, colours - allowed
    assert "#F0E442" not in colours


# ---------------------------------------------------------------- timeline

@pytest.mark.parametrize("lang", LANGS)
def test_timeline_shows_six_generations_and_the_key_events(lang):
    view = chart_view.build_timeline(lang)
    spec = view.chart.to_dict()
    assert marks(spec)[:2] == ["rect", "text"]
    bands = dataset(spec, layers(spec)[0])
    gens = read_table("generations")
    assert len(bands) == len(gens) == 6
    assert all(b["end"] > b["start"] for b in bands)
    assert min(b["start"] for b in bands) == 1982 and max(b["end"] for b in bands) in (2025, 2026)
    events = read_table("events")
    badges = [lay for lay in layers(spec) if marks({"layer": [lay]})[0] == "circle"]
    assert sum(len(dataset(spec, lay)) for lay in badges) == len(events)
    assert {1982, 1984, 1988, 2002, 2011, 2013, 2014, 2024, 2025} <= set(events["year"])
    for text in words_on_chart(spec) + [spec["description"]] + [b["name"] for b in bands]:
        assert bool(HAN.search(text)) == (lang == "zh") or text.isdigit(), text
    # Its year labels are openings of generations (a 2012 among them read as a regular step).
    ticks = layers(spec)[0]["encoding"]["x"]["axis"]["values"]
    assert set(ticks) <= set(gens["year"]) and min(ticks) == 1982 and max(ticks) == max(gens["year"])


def test_timeline_selection_is_a_click_on_a_generation():
    spec = chart_view.build_timeline("en", selected=3).chart.to_dict()
    param = spec["params"][0]
    assert param["name"] == "pick" and param["select"]["fields"] == ["generation"]
    assert param["value"] == [{"generation": 3}]
    assert "value" not in chart_view.build_timeline("en", selected=99).chart.to_dict()["params"][0]


def test_a_click_on_an_event_picks_the_generation_it_falls_in():
    """A dashed rule crosses band 5 at 2014: a click on it picked nothing and emptied the choice."""
    spec = chart_view.build_timeline("en", selected=3).chart.to_dict()
    bands = dataset(spec, layers(spec)[0])
    span = {b["generation"]: (b["start"], b["end"]) for b in bands}
    events = [row for layer in layers(spec) for row in dataset(spec, layer) if "badge_y" in row]
    assert events
    for row in events:
        start, end = span[row["generation"]]
        assert start <= row["year"] < end or (row["year"] == end == max(e for _, e in span.values())), row


def test_the_chosen_generation_stands_out():
    spec = chart_view.build_timeline("zh", selected=3).chart.to_dict()
    bands = {b["generation"]: b["fill"] for b in dataset(spec, layers(spec)[0])}
    assert bands[3] == charts.GEN_COLORS[3]
    assert all(fill == charts.GEN_TINTS[n] for n, fill in bands.items() if n != 3)
    plain = chart_view.build_timeline("zh").chart.to_dict()
    assert {b["fill"] for b in dataset(plain, layers(plain)[0])} == set(charts.GEN_COLORS.values())


# ---------------------------------------------------------------- in the app

def _render(name: str, lang: str) -> None:
    import streamlit as st

    from yiwu import chart_view

    st.session_state["lang"] = lang
    chart_view.render(name, lang)


def _numbers(lang: str) -> None:
    import streamlit as st

    from yiwu import chart_view

    st.session_state["lang"] = lang
    chart_view.explorer(lang)


def _chapter(chapter_id: str, lang: str) -> None:
    import streamlit as st

    from yiwu.story import render_chapter

    st.session_state["lang"] = lang
    render_chapter(chapter_id)


def shown_table(at) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the one Markdown table the page shows (cells as written)."""
    tables = [m.value for m in at.markdown if m.value.startswith("| ")]
    assert len(tables) == 1, f"{len(tables)} tables shown"
    cells = [[c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in tables[0].splitlines()]
    return cells[0], cells[2:]


def spec_of(element) -> dict:
    return json.loads(element.proto.spec)


def chart_blocks(chapter_id: str) -> list[str]:
    chapter = read_chapter(chapter_id, "en")
    blocks = list(chapter.intro) + [b for section in chapter.sections for b in section.blocks]
    return [b.args[0] for b in blocks if b.kind == "chart" and b.args]


STORY_CHARTS = [(cid, name) for cid in read_table("chapters").sort_values("order")["id"]
                for name in chart_blocks(cid)]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("chapter_id, name", STORY_CHARTS, ids=[f"{c}-{n}" for c, n in STORY_CHARTS])
def test_each_chart_of_the_story_is_on_its_chapter(chapter_id, name, lang):
    at = AppTest.from_function(_chapter, args=(chapter_id, lang), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    specs = [spec_of(c) for c in at.get("vega_lite_chart")]
    titles = [s["title"]["text"] if isinstance(s.get("title"), dict) else s.get("title") for s in specs]
    want = (chart_view.build_timeline(lang) if name == "timeline" else chart_view.build_series(name, lang))
    assert want.chart.to_dict()["title"]["text"] in titles
    captions = [c.value for c in at.caption]
    assert any(c.startswith(("来源", "Source")) for c in captions)


@pytest.mark.parametrize("lang", LANGS)
def test_a_long_list_of_sources_waits_behind_one_click_and_a_short_one_stays_a_line(lang):
    """The timeline's 25 sources filled a third of a phone between the chart and its key events."""
    from yiwu.loaders import read_strings
    from yiwu.sources import cited_names

    strings = read_strings(lang)
    view = chart_view.build_timeline(lang)
    count = len(cited_names(view.source_ids, lang))
    assert count > chart_view.LONG_SOURCES
    at = AppTest.from_function(_render, args=("timeline", lang), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    box = next(e for e in at.expander if e.label == strings["source.list"].format(n=count))
    assert [c.value for c in box.caption] == [cite(view.source_ids, lang)], "the list is the whole source line"
    assert cite(view.source_ids, lang) not in [c.value for c in at.main.caption if c not in box.caption]

    short = chart_view.build_series("trade", lang)
    assert len(cited_names(short.source_ids, lang)) <= chart_view.LONG_SOURCES
    at = AppTest.from_function(_render, args=("trade", lang), default_timeout=TIMEOUT).run()
    assert cite(short.source_ids, lang) in [c.value for c in at.caption]
    assert not [e for e in at.expander if e.label.startswith(strings["source.list"].split("(")[0].split("\uff08")[0])]


@pytest.mark.parametrize("lang", LANGS)
def test_timeline_card_follows_the_link(lang):
    at = AppTest.from_function(_render, args=("timeline", lang), default_timeout=TIMEOUT)
    at.query_params["gen"] = "4"
    at.run()
    assert not at.exception, at.exception
    # The card's title numbers its generation as the picker does ("4 · 1992" / "第4代 · 1992").
    first = {"en": "{n}. ", "zh": "\u7b2c{n}\u4ee3 · "}[lang]
    cards = [s.value for s in at.subheader]
    assert len(cards) == 1 and cards[0].startswith(first.format(n=4)), cards
    assert spec_of(at.get("vega_lite_chart")[0])["params"][0]["value"] == [{"generation": 4}]
    # choosing another generation updates the card and the link
    at.segmented_control[0].set_value(2).run()
    assert [s.value for s in at.subheader][0].startswith(first.format(n=2))
    assert at.query_params["gen"] in ("2", ["2"])


@pytest.mark.parametrize("bad", ["abc", "99", "0", "-1", "2.5", "<script>alert(1)</script>", "", "x" * 3000])
def test_a_hostile_generation_in_the_link_is_ignored(bad):
    at = AppTest.from_function(_render, args=("timeline", "en"), default_timeout=TIMEOUT)
    at.query_params["gen"] = bad
    at.run()
    assert not at.exception, at.exception
    assert not at.subheader, "no card should open for a value that is not a generation"
    assert "gen" not in at.query_params
    assert len(at.get("vega_lite_chart")) == 1


def test_unknown_chart_name_is_a_warning_not_a_crash():
    at = AppTest.from_function(_render, args=("nonsense", "en"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.warning and "nonsense" in at.warning[0].value


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", chart_view.SERIES)
def test_numbers_page_shows_chart_table_and_sources_of_the_series_in_the_link(name, lang):
    at = AppTest.from_function(_numbers, args=(lang,), default_timeout=TIMEOUT)
    at.query_params["series"] = name
    at.run()
    assert not at.exception, at.exception
    view = chart_view.build_series(name, lang)
    spec = spec_of(at.get("vega_lite_chart")[0])
    assert spec["title"]["text"] == view.title
    header, rows = shown_table(at)
    assert len(rows) == len(view.table) and header == [markdown.literal(c) for c in view.table.columns]
    source_col = header.index("来源" if lang == "zh" else "Source")
    assert all(row[source_col] for row in rows), "a value without its source"
    assert any(c.value == cite(view.source_ids, lang) for c in at.caption)
    assert at.get("download_button"), "the table can be downloaded"


def test_numbers_page_falls_back_to_trade_for_an_unknown_series():
    at = AppTest.from_function(_numbers, args=("en",), default_timeout=TIMEOUT)
    at.query_params["series"] = "../../etc/passwd"
    at.run()
    assert not at.exception
    assert spec_of(at.get("vega_lite_chart")[0])["title"]["text"] == chart_view.build_series("trade", "en").title
    assert "series" not in at.query_params


@pytest.mark.parametrize("lang", LANGS)
def test_downloaded_table_has_headers_in_the_readers_language(lang):
    view = chart_view.build_series("trains", lang)
    header = view.table.to_csv(index=False).splitlines()[0]
    assert bool(HAN.search(header)) == (lang == "zh")
    assert not LATIN_WORD.search(header.replace("CSV", "")) or lang == "en"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", chart_view.SERIES)
def test_downloaded_numbers_read_as_on_the_page(name, lang):
    """Whole numbers without a trailing ".0" (528, not 528.0), every value kept, and a
    status a reader can read ("Verified"), not a code."""
    view = chart_view.build_series(name, lang)
    text = chart_view.csv_bytes(view.table).decode("utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    col = next(i for i, h in enumerate(rows[0]) if h == view.table.columns[2])
    values = [r[col] for r in rows[1:]]
    assert not [v for v in values if v.endswith(".0")], values
    assert [float(v) for v in values] == pytest.approx(list(view.table.iloc[:, 2].astype(float)))
    status = {r[-1] for r in rows[1:]}
    assert not status & {"verified", "partly verified"}, status
    if lang == "en":
        assert all(s[:1].isupper() for s in status), status


@pytest.mark.parametrize(("lang", "period"), [("zh", "2017年\u200b1–\u206011月"), ("en", "Jan–\u2060Nov 2017")])
def test_a_part_years_months_stay_together_in_the_table_but_not_in_the_download(lang, period):
    """On a phone the table's period column drew "2017年1– / 11月": its range keeps its dash
    with both ends, and a Chinese date breaks after the year instead. The marks are for
    the page only: a spreadsheet gets the plain text."""
    view = chart_view.build_series("trade", lang)
    shown = chart_view.table_markdown(view.table)
    first_cells = [line.split("|")[1].strip() for line in shown.splitlines()[2:]]
    assert period in first_cells, first_cells[:2]
    assert not re.search(r"\d\\?-\d", shown), "a date that may break at its hyphen (2023- / 02-22)"
    downloaded = chart_view.csv_bytes(view.table).decode("utf-8-sig")
    assert not set(downloaded) & {"\u2060", "\u200b", "\u00a0"}  # (a weak source's mark had them too)
    assert period.replace("\u2060", "").replace("\u200b", "") in downloaded


def test_numbers_page_runs_as_a_page():
    at = AppTest.from_file(str(ROOT / "pages" / "numbers.py"), default_timeout=TIMEOUT)
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception, at.exception
    assert len(at.get("vega_lite_chart")) == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_band_numbers_stand_clear_of_the_event_lines(lang):
    spec = chart_view.build_timeline(lang).chart.to_dict()
    numbers = next(x for x in spec["layer"] if x["mark"]["type"] == "text" and x["encoding"]["text"]["field"] == "number")
    rows = spec["datasets"][numbers["data"]["name"]]
    years = [int(y) for y in chart_view.events_frame(lang, "timeline")["year"]]
    for r in rows:
        assert r["start"] <= r["mid"] <= r["end"]
        if r["end"] - r["start"] >= 3:  # room beside the lines: the number keeps a year clear of each
            assert all(abs(r["mid"] - y) >= 1 for y in years), (r["generation"], r["mid"], years)
    # A band narrower than its number on a phone hides it rather than spill over its neighbours.
    assert "scale('x', datum.end) - scale('x', datum.start)" in numbers["mark"]["opacity"]["expr"]


def test_timeline_badges_cannot_be_read_as_generation_numbers():
    """The bands carry the generations' numbers 1-6; an event's badge "5" over the fifth band read as its label."""
    spec = chart_view.build_timeline("en").chart.to_dict()
    texts = {x["encoding"]["text"]["field"]: spec["datasets"][x["data"]["name"]]
             for x in spec["layer"] if x["mark"]["type"] == "text"}
    bands = {str(r["number"]) for r in texts["number"]}
    badges = [r["badge"] for r in texts["badge"]]
    assert bands == {str(n) for n in range(1, 7)}
    assert len(badges) >= 5 and badges == [chr(ord("A") + i) for i in range(len(badges))]
    assert not bands & set(badges)
    assert charts.badge_letters(28)[25:] == ["Z", "AA", "AB"]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(chart_view.SERIES))
def test_the_chart_caption_explains_only_the_marks_it_draws(name, lang):
    """Hollow points and triangles are explained on the charts that have them, and only there."""
    view = chart_view.build_series(name, lang)
    strings = chart_view._strings(lang)
    kinds = set(view.frame["kind"])
    for kind in ("partial", "threshold"):
        assert (strings[f"alt_{kind}"] in view.described) == (kind in kinds), \
            f"{name}: caption and chart disagree about {kind} values"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_partly_verified_value_shows_its_caveat_under_the_chart(lang):
    """The facts' rule: a value that is not fully verified is shown with its caveat, in sight."""
    rows, notes = read_table("series"), read_words("series", lang)["notes"]
    shown = 0
    for name in chart_view.SERIES:
        view = chart_view.build_series(name, lang)
        for r in rows[rows["series"] == name].itertuples():
            if r.status != "verified" and notes.get(r.id):
                assert notes[r.id] in view.caveats and notes[r.id] in view.alt, (name, r.id)
                # Bold that ends on a full-width colon before a digit stays literal "**" in Markdown.
                assert not re.search(r"[\uff1a\u3002\uff0c]\*\*\w", view.caveats), view.caveats
                shown += 1
            elif notes.get(r.id):
                assert notes[r.id] not in view.caveats, (name, r.id)  # only the caveats, not every note
        # Each caveat once: two values of one year with the same note (2006) do not repeat it.
        for r in view.frame.itertuples():
            if r.status != "verified" and r.note:
                assert view.caveats.count(f"{r.period_label}{dash(lang)}{r.note}") == 1, view.caveats
    assert shown >= 3  # the 2002 turnover and GDP reposts, the 2024 GDP jump


def legend_titles(spec: dict) -> list[str]:
    """The titles of the legends Vega draws in a chart, in the order they are stacked."""
    found = []
    for lay in layers(spec):
        for channel in ("color", "shape", "strokeDash"):
            enc = lay.get("encoding", {}).get(channel)
            if enc and enc.get("legend") is not None and enc["legend"]["title"] not in [t for _, t in found]:
                found.append((enc["legend"]["legendY"], enc["legend"]["title"]))
    return [t for _, t in sorted(found)]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", chart_view.SERIES)
def test_on_a_slide_a_growth_charts_legends_are_text_that_says_the_same(name, lang):
    """Vega's legends, stacked under a slide's plot, took more room than the plot itself. A
    slide draws none and shows the same legends as text; the plot gets their room."""
    chapter, spec = growth(name, lang)
    slide = chart_view.build_series(name, lang, height=chart_view.COMPACT_HEIGHT)
    slide_spec = slide.chart.to_dict()
    assert legend_titles(spec) == [title for _, title, _ in chapter.legends]
    assert legend_titles(slide_spec) == [], f"{name}: Vega legends on a slide"
    assert slide.legends == chapter.legends
    assert slide_spec["height"] > 170 and slide_spec["padding"]["bottom"] < 20
    # Every entry of every legend, in the chart's own colours; every measure the chart draws.
    text_html = chart_view.legend_html(slide.legends)
    for _, title, entries in slide.legends:
        assert html.escape(title) in text_html
        for _, colour, text in entries:
            assert html.escape(text) in text_html and colour in text_html
    drawn = set(chapter.frame["measure_label"])
    measures = next((entries for key, _, entries in slide.legends if key == "color"), [])
    assert {text for _, _, text in measures} == (drawn if len(drawn) > 1 else set())
    # Only the kinds of line it draws (the entities chart listed a solid line it has not).
    labels = chart_view.base_labels(lang)
    lines = set(charts.line_segments(chapter.frame, labels["line.yearly"], labels["line.gap"])["gap"])
    dash = next((entries for key, _, entries in slide.legends if key == "dash"), None)
    assert dash is None or {text for _, _, text in dash} == lines, (dash, lines)
    if name == "entities":
        assert dash and [text for _, _, text in dash] == [labels["line.gap"]]


@pytest.mark.parametrize("name", chart_view.SERIES)
def test_a_slides_chart_has_larger_axis_text_than_a_chapters(name):
    """A slide is read from the back of a classroom: its axes and title are larger than on the page."""
    slide = chart_view.series_spec(name, "en", False, chart_view.COMPACT_HEIGHT)["config"]
    page = chart_view.series_spec(name, "en", False)["config"]
    for key in ("labelFontSize", "titleFontSize"):
        assert slide["axis"][key] >= 16 and slide["axis"][key] > page["axis"][key]
    assert slide["title"]["fontSize"] > page["title"]["fontSize"]


def _hoverable_marks(spec: dict, path: str = "") -> list[tuple[str, str]]:
    """(path, mark) of every mark that would show Vega's default tooltip: its raw field names."""
    out = []
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for i, sub in enumerate(spec.get(key, [])):
            out += _hoverable_marks(sub, f"{path}/{key}{i}")
    mark = spec.get("mark")
    if mark is not None:
        kind = mark if isinstance(mark, str) else mark["type"]
        silent = isinstance(mark, dict) and mark.get("tooltip", "unset") in (None, False)
        # a tooltip built by an expression (yiwu.charts.tooltip_expr) names its rows itself
        worded = isinstance(mark, dict) and "expr" in (mark.get("tooltip") or {})
        tooltip = spec.get("encoding", {}).get("tooltip")
        if tooltip is None and not silent and not worded:
            out.append((path, kind))
        for item in tooltip if isinstance(tooltip, list) else [tooltip] if tooltip else []:
            assert item.get("title"), f"{path} ({kind}): a tooltip row without a title: {item}"
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hovering_any_mark_shows_words_not_raw_field_names(lang):
    """An event's dashed rule showed "year 2025 / badge_y 34", in English on a Chinese page, to a
    reader aiming at the point it passes; a growth chart's line showed its fields too."""
    from yiwu import map_view, maps

    specs = {name: chart_view.series_spec(name, lang, log=False) for name in chart_view.SERIES}
    specs |= {f"{name} (slide)": chart_view.series_spec(name, lang, log=False, height=chart_view.COMPACT_HEIGHT)
              for name in chart_view.SERIES}
    specs["timeline"] = chart_view.timeline_spec(lang, None)
    specs["markets"] = map_view.markets_spec(lang)
    specs["world"] = map_view.world_overview_spec(lang, maps.LATEST_YEAR, tuple(maps.LAYERS), 500, "")
    loud = {name: found for name, spec in specs.items() if (found := _hoverable_marks(spec))}
    assert not loud, f"marks with Vega's default tooltip: {loud}"


def _y_axes(spec: dict) -> list[dict]:
    """Every y axis a chart spec sets, in any layer."""
    found = []
    for sub in spec.get("layer", []):
        found += _y_axes(sub)
    y = spec.get("encoding", {}).get("y", {})
    if isinstance(y.get("axis"), dict) and y["axis"].get("title"):
        found.append(y["axis"])
    return found


@pytest.mark.parametrize("name", chart_view.SERIES)
def test_a_chinese_axis_writes_numbers_and_its_unit_as_the_text_does(name):
    """The Chinese text writes 2081亿元, the axis wrote 2,081 beside a unit turned on its side."""
    for lang, comma, level in (("zh", False, True), ("en", True, False)):
        axes = _y_axes(chart_view.series_spec(name, lang, log=False))
        assert axes, name
        for axis in axes:
            assert ("," in axis["format"]) is comma, (lang, axis)
            assert (axis.get("titleAngle") == 0) is level, (lang, axis)
