"""Charts: pure functions from tidy frames and translated labels to Altair charts.

Nothing here calls Streamlit. A chart function takes frames that already hold
the reader's words (see :mod:`yiwu.chart_view`, which loads and translates) and
a dict of labels, and returns an ``alt.Chart``; the tests build every chart
and read its ``to_dict()``. The app's one Altair theme is registered here.

Colours are Okabe–Ito (safe for colour-blind readers) without the yellow,
which disappears on white. Text colours are left to Streamlit's chart theme,
which follows the reader's light or dark setting; the few colours set here
(bands, badges) carry their own contrasting ink.
"""

from __future__ import annotations

import json
import math
import re
import string

import altair as alt
import pandas as pd

# Okabe–Ito, ordered so that the first two lines of a chart differ most.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000")
# One colour per market generation, and the ink that reads on it (contrast ≥ 4.5).
GEN_COLORS = {1: "#E69F00", 2: "#56B4E9", 3: "#009E73", 4: "#0072B2", 5: "#D55E00", 6: "#CC79A7"}
GEN_INK = {1: "#000000", 2: "#000000", 3: "#000000", 4: "#FFFFFF", 5: "#000000", 6: "#000000"}


def tint(color: str, share: float = 0.55) -> str:
    """``color`` mixed with white: an opaque pale version that reads on light and dark pages."""
    rgb = [int(color[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * share):02X}" for c in rgb)


# When one generation is chosen the others turn pale (opaque, so black ink stays
# readable on a dark page too, which fading with opacity would not allow).
GEN_TINTS = {n: tint(c) for n, c in GEN_COLORS.items()}
# Event badges: a mid-dark grey with a white ring shows on light and dark pages.
BADGE_FILL = "#555555"
RULE_COLOR = "#888888"

KINDS = ("value", "partial", "threshold")
# A partial-year value is a ring: a circle with a hole (the inner circle runs the
# other way round), so it reads as hollow in the chart and in the legend alike.
RING = "M-1,0A1,1,0,1,1,1,0A1,1,0,1,1,-1,0ZM-0.55,0A0.55,0.55,0,1,0,0.55,0A0.55,0.55,0,1,0,-0.55,0Z"
KIND_SHAPES = {"value": "circle", "partial": RING, "threshold": "triangle-up"}
POINT_SIZE, POINT_SIZE_INNER = 150, 60  # a point, and one drawn inside another's (charts.coinciding)
NARROW_PLOT = 400  # a plot narrower than this (pixels) is on a phone: smaller points (point_size)

THEME = "yiwu"
HEIGHT = 300  # plot height of a growth chart, in pixels
FONT_SIZE = 14  # axis and legend text: readable on a projector
SLIDE_FONT_SIZE, SLIDE_TITLE_SIZE = 17, 21  # a growth chart's axes and title on a slide, for the back row
TEXT_COLOUR = {"labelColor": "currentColor", "titleColor": "currentColor"}


@alt.theme.register(THEME, enable=True)
def yiwu_theme() -> alt.theme.ThemeConfig:
    """Sizes and palette only: Streamlit fills in colours for light or dark."""
    return {
        "config": {
            # A screen reader reads each chart's description (its text
            # alternative, in the page's language), not every mark and axis:
            # Vega names those from raw data fields ("mid: 1997; ink:
            # #FFFFFF") and in English ("X-axis titled …"). The titles are
            # left out where they are made (Title(aria=False)): the
            # description begins with what the title says.
            "aria": False,
            "mark": {"aria": False},
            "title": {"fontSize": 18, "subtitleFontSize": 15, "anchor": "start", "offset": 14},
            # Axis and legend text in the page's text colour ("currentColor":
            # charts are SVG), not Streamlit's grey (#808495, 3.7:1 on white,
            # below WCAG AA), so it passes in the light and the dark theme.
            "axis": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE, "labelLimit": 180,
                     "titlePadding": 8, "labelPadding": 4, **TEXT_COLOUR},
            "legend": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE, "orient": "bottom",
                       "direction": "vertical", "labelLimit": 330, "symbolSize": 140,
                       "symbolStrokeWidth": 2, "titleLimit": 330, **TEXT_COLOUR},
            "range": {"category": list(PALETTE)},
            "text": {"fontSize": FONT_SIZE},
            "point": {"size": 110, "strokeWidth": 2.5},
            "line": {"strokeWidth": 3},
            "view": {"continuousHeight": 320},
        }
    }


# ---------------------------------------------------------------- words

_PERIOD = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<early>early)|-(?P<m1>\d{2})(?:/(?P<m2>\d{2})|-(?P<d>\d{2}))?)?$")


def period_label(code: str, labels: dict[str, str]) -> str:
    """``2017-01/11`` → "Jan–Nov 2017" / "2017年1–11月"; ``2026-early`` → "early 2026".

    Also ``2019`` (a year), ``2015-12`` (a month) and ``2014-11-18`` (a day).
    ``labels`` holds the patterns ``period.year``, ``period.month``,
    ``period.months``, ``period.day``, ``period.early`` and the month names ``months``
    (comma-separated). An unknown code is shown as it is.
    """
    m = _PERIOD.match(str(code).strip())
    if not m:
        return str(code)
    months = [s.strip() for s in labels["months"].split(",")]
    y = m["y"]
    if m["early"]:
        return labels["period.early"].format(y=y)
    if m["m2"]:
        return labels["period.months"].format(y=y, m1=months[int(m["m1"]) - 1], m2=months[int(m["m2"]) - 1])
    if m["d"]:
        return labels["period.day"].format(y=y, m=months[int(m["m1"]) - 1], d=int(m["d"]))
    if m["m1"]:
        return labels["period.month"].format(y=y, m=months[int(m["m1"]) - 1])
    return labels["period.year"].format(y=y)


def span_label(code: str, labels: dict[str, str]) -> str:
    """The months of a part year alone: ``2017-01/11`` → "Jan–Nov" / "1–11月" (pattern ``period.span``).

    Any other code gets its full :func:`period_label`.
    """
    m = _PERIOD.match(str(code).strip())
    if not m or not m["m2"] or m["early"]:
        return period_label(code, labels)
    months = [s.strip() for s in labels["months"].split(",")]
    return labels["period.span"].format(m1=months[int(m["m1"]) - 1], m2=months[int(m["m2"]) - 1])


def number_text(value: float, lang: str) -> str:
    """At most two decimals, trailing zeros dropped; thousands separated in English."""
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "") if lang == "zh" else text


def event_lanes(years, gap: int = 3) -> list[int]:
    """A lane (0 or 1) for each event so that badges of nearby years do not overlap."""
    last = {0: None, 1: None}
    lanes = []
    for year in years:
        free = [lane for lane, prev in last.items() if prev is None or year - prev >= gap]
        lane = free[0] if free else 0
        last[lane] = year
        lanes.append(lane)
    return lanes


# ---------------------------------------------------------------- pieces

def badge_letters(n: int) -> list[str]:
    """The badges of ``n`` key events in time order: A, B, … Z, then AA, AB, …"""
    letters = string.ascii_uppercase
    return [letters[i] if i < 26 else letters[i // 26 - 1] + letters[i % 26] for i in range(n)]


def _event_layers(events: pd.DataFrame, labels: dict, x_scale: alt.Scale, top: float, bottom: float | str,
                  lane_step: float = 22, slide: bool = False) -> list[alt.Chart]:
    """Lettered badges at the top of a chart and dashed rules down to ``bottom``.

    Badges sit at fixed pixel heights (one row per lane), so they never move
    the chart's own y scale; ``bottom`` is a pixel height or ``"height"``.
    """
    if events is None or events.empty:
        return []
    ev = events.copy()
    ev["badge_y"] = [top + lane_step * lane for lane in event_lanes(list(ev["year"]))]
    tooltip = [alt.Tooltip("label:N", title=labels["tt.event"]),
               alt.Tooltip("date_label:N", title=labels["tt.date"])]
    # One layer per kind of mark, every lane in it: the height is a pixel
    # value read from the data (no scale). Each layer costs the browser time
    # to compile and run, so not one set of layers per lane.
    base = alt.Chart(ev).encode(x=alt.X("year:Q", scale=x_scale), y=alt.Y("badge_y:Q", scale=None))
    return [
        # The rule says what it marks too: without a tooltip of its own, Vega showed its raw fields
        # ("year 2025, badge_y 34") to a reader aiming at a point it passes.
        base.mark_rule(strokeDash=[4, 4], color=RULE_COLOR, strokeWidth=1.5).encode(
            y2=alt.value(bottom), tooltip=tooltip),
        # On a slide, read from the back of a classroom, a larger letter (14 px, not 12) in a larger badge.
        base.mark_circle(size=400 if slide else 320, opacity=1, stroke="#FFFFFF", strokeWidth=1.5,
                         fill=BADGE_FILL).encode(tooltip=tooltip),
        base.mark_text(color="#FFFFFF", fontSize=14 if slide else 12, fontWeight="bold", baseline="middle").encode(
            text="badge:N", tooltip=tooltip),
    ]


# ---------------------------------------------------------------- growth charts

class LegendStack:
    """Legends placed one under another below the plot (Vega puts them side by side)."""

    # Measured in the browser: a row of point symbols takes 29 px, a row of line
    # symbols 19 px, a title 24 px (at the theme's 14 px labels).
    ROW, LINE_ROW, TITLE, GAP = 30, 20, 24, 12

    def __init__(self, top: float):
        self.y = top

    def add(self, title: str, entries: list[str], lines: bool = False, **kwargs) -> alt.Legend:
        legend = alt.Legend(title=title, orient="none", legendX=0, legendY=self.y, direction="vertical", **kwargs)
        self.y += self.TITLE + (self.LINE_ROW if lines else self.ROW) * len(entries) + self.GAP
        return legend

    def padding(self, height: float) -> dict:
        """The chart's padding, with room at the bottom for the legends (Vega does not count them)."""
        return {"left": 5, "right": 5, "top": 5, "bottom": max(self.y - height - 40, 5)}


# The symbol of each kind of value, in a legend drawn outside the chart (see growth_legends).
KIND_SYMBOLS = {"value": "point", "partial": "hollow", "threshold": "triangle"}


def growth_legends(data: pd.DataFrame, labels: dict) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """What a growth chart's legends say: ``[(encoding, title, [(symbol, colour, text), …]), …]``.

    The measures by colour, the kinds of value by shape, the kinds of line
    drawn; a legend of colours or shapes that would have one entry says
    nothing the title does not, so it is left out. The chart draws them below
    its plot; a slide draws them as text under the chart
    (``labels["legends_outside"]``), in less room, and gives the plot the rest.
    """
    measures, kinds = labels["measure_domain"], labels["kind_domain"]
    segments = line_segments(data, labels["line.yearly"], labels["line.gap"])
    has_gap = bool(len(segments)) and (segments["gap"] == labels["line.gap"]).any()
    legends = []
    if len(measures) > 1:
        legends.append(("color", labels["measure_title"],
                        [("point", c, m) for m, c in zip(measures, labels["measure_colors"], strict=True)]))
    if len(kinds) > 1:
        legends.append(("kind", labels["kind_title"], [(KIND_SYMBOLS[i], RULE_COLOR, k) for i, k in
                                                        zip(labels["kind_ids"], kinds, strict=True)]))
    if has_gap:  # the kinds of line the chart draws (the entities chart has only dashed ones)
        drawn = set(segments["gap"])
        legends.append(("dash", labels["line.title"],
                        [(symbol, RULE_COLOR, labels[key]) for symbol, key in (("line", "line.yearly"), ("dash", "line.gap"))
                         if labels[key] in drawn]))
    return legends


def line_segments(data: pd.DataFrame, yearly: str, gap: str) -> pd.DataFrame:
    """The line of each measure, cut into segments between consecutive full-year values.

    A segment that skips years (no figure was found in between) is marked
    ``gap`` and drawn dashed, so the line never pretends to know those years.
    No segment crosses a year in which its measure has a milestone or a
    part-year value: that point stands on its own. (Yiwu's exports, dashed from
    2019 to 2023 past their 2020 milestone, ran through the total's 2021 point,
    as if exports had been the whole of trade that year.)
    """
    full = data[data["kind"] == "value"].sort_values(["measure_label", "year"])
    other = data[data["kind"] != "value"].groupby("measure_label")["year"].agg(lambda ys: set(ys.astype(int)))
    rows = []
    for measure, group in full.groupby("measure_label", sort=False):
        points = list(zip(group["year"].astype(int), group["value"].astype(float), strict=True))
        for i, ((y0, v0), (y1, v1)) in enumerate(zip(points, points[1:], strict=False)):
            if any(y0 < y < y1 for y in other.get(measure, ())):
                continue
            kind = gap if y1 - y0 > 1 else yearly
            for year, value in ((y0, v0), (y1, v1)):
                rows.append({"segment": f"{measure}/{i}", "measure_label": measure, "year": year,
                             "value": value, "gap": kind})
    return pd.DataFrame(rows, columns=["segment", "measure_label", "year", "value", "gap"])


def _period_labels(data: pd.DataFrame, x: alt.X, y: alt.Y, slide: bool = False) -> alt.Chart:
    """The months a part-year value covers ("Jan–Jun"; its year is on the axis), beside its ring.

    A hollow point on its own can read as a fall from the full year before
    it. One label per period, level with the lowest ring of that period and
    just right of it: clear of the dashed line of a key event in that year,
    which runs through the ring. At the chart's right edge Vega's fit makes
    room for it.
    """
    part = data[data["kind"] == "partial"]
    low = part.loc[part.groupby("period_label")["value"].idxmin()]
    return alt.Chart(low).mark_text(fontSize=15 if slide else 12, baseline="middle", align="left", dx=11,
                                    color="currentColor",
                                    tooltip=None).encode(x=x, y=y, text="span_label:N")


CARE_MARK = "*"  # beside a value that is only partly verified; the caption under the chart says why


def _care_marks(data: pd.DataFrame, x: alt.X, y: alt.Y, color: alt.Color) -> alt.Chart:
    """An asterisk above and left of each partly verified value, as in the "read with care" line.

    Drawn like any other value, a partly verified one looked as sure as the
    rest (the 2020 trains). Above and left: the right is where a part-year
    value's months stand. In its value's colour, so that two close values
    (2006: one market and all of them) each keep their own.
    """
    care = data[data["status"] != "verified"]
    return alt.Chart(care).mark_text(text=CARE_MARK, fontSize=22, fontWeight="bold", baseline="middle",
                                     align="right", dx=-6, dy=-11, tooltip=None).encode(x=x, y=y, color=color)


def coinciding(data: pd.DataFrame, measures: list[str], height_of, near: float = 0.03) -> list[int]:
    """1 for a point drawn within ``near`` of the plot's height from an earlier measure's point of its year, else 0."""
    rank = {m: i for i, m in enumerate(measures)}
    spots = list(zip(data["year"].astype(int), data["measure_label"].map(rank),
                     (height_of(float(v)) for v in data["value"]), strict=True))
    return [int(any(y2 == y and r2 < r and abs(h2 - h) < near for y2, r2, h2 in spots)) for y, r, h in spots]


def year_ticks(first: int, last: int, most: int = 8) -> list[int]:
    """Years to label on a chart's axis: the first and the last value's, and steps counted back from the last.

    Vega's own ticks fell on even years: the turnover chart's axis ended at
    2020 beside a value of 2021. The step (1, 2, 5, 10 or 20 years) is the
    smallest that gives at most ``most`` labels, which fit a phone. Steps of
    one or two years count back from the last; longer steps fall on round
    years (2005, 2010, ...), as a reader counts (the GDP axis read 2002, 2009,
    2014, 2019, 2024). An end year takes the place of a step that would crowd it.
    """
    step = next((s for s in (1, 2, 5, 10) if (last - first) // s + 1 <= most), 20)
    if step <= 2:
        ticks = list(range(last, first - 1, -step))[::-1]
    else:
        ticks = list(range(-(-first // step) * step, last + 1, step)) or [first]
        if last - ticks[-1] < 0.6 * step:
            ticks[-1] = last
        else:
            ticks.append(last)
    if ticks[0] != first:
        if ticks[0] - first < 0.6 * step:
            ticks[0] = first
        else:
            ticks.insert(0, first)
    return ticks


def year_labels(first: int, last: int, pad: float, font_size: float) -> list[int] | alt.ExprRef:
    """The years an axis labels, chosen by the chart's width when a phone cannot hold them all.

    On a 390 px phone the turnover axis (1986, 1990, ... 2015, 2021) had its
    labels too close together, so Vega hid every other one, 2021 with them.
    Where the closest two labels of ``year_ticks`` would stand nearer than
    a label's width and a space (a year of four digits is about two font
    sizes wide), the axis shows at most five years instead.
    """
    wide, narrow = year_ticks(first, last), year_ticks(first, last, most=5)
    if wide == narrow:
        return wide
    closest = min(b - a for a, b in zip(wide, wide[1:], strict=False))
    room = 2.5 * font_size
    return alt.ExprRef(f"width * {closest} / {last - first + 2 * pad} < {room} ? {narrow} : {wide}")


def tooltip_expr(fields: list[tuple[str, str]], optional: list[tuple[str, str]] = ()) -> alt.ExprRef:
    """A mark's tooltip as a Vega expression: rows of (title, field), then each ``optional``
    row only when its field is not empty (an encoded tooltip shows every row, empty or not)."""
    def rows(pairs):
        return ", ".join(f"{json.dumps(title, ensure_ascii=False)}: datum[{json.dumps(field)}]"
                         for title, field in pairs)
    expr = f"{{{rows(fields)}}}"
    for title, field in optional:
        expr = f"datum[{json.dumps(field)}] ? {{{rows(list(fields) + [(title, field)])}}} : {expr}"
    return alt.ExprRef(expr)


def _upright_title(labels: dict) -> dict:
    """A y axis title written level, above the axis, its end at the axis line (Chinese units)."""
    if not labels.get("y_upright"):
        return {}
    return {"titleAngle": 0, "titleAnchor": "end", "titleAlign": "right", "titleBaseline": "bottom",
            "titleX": 0, "titleY": -6}


def point_size(size: float) -> str:
    """A Vega expression for a point's area: ``size``, and two thirds of it on a phone's narrow
    plot, where the turnover chart's points of 2002-2011 covered one another."""
    return f"width < {NARROW_PLOT} ? {round(size * 2 / 3)} : {size}"


def growth_chart(frame: pd.DataFrame, events: pd.DataFrame, labels: dict, log: bool = False) -> alt.LayerChart:
    """A yearly series: lines through full-year values, points for every value.

    ``frame`` has one row per value with the columns ``year``, ``value``
    (in the unit shown), ``kind`` (value / partial / threshold),
    ``measure_label``, ``kind_label``, ``period_label``, ``span_label``, ``value_label``,
    ``status_label``, ``source`` and ``note``. Partial-year values are hollow
    and "passed this level" milestones are triangles; neither is joined by the
    line, because neither is a full-year figure. ``events`` (``year``,
    ``badge``, ``label``, ``date_label``) are drawn as lettered badges.
    """
    data = frame.copy()
    years = data["year"].astype(int)
    x_min, x_max = int(years.min()), int(years.max())
    pad = 0.6 if x_max > x_min else 1
    # And 8 px more at each end: on a phone the turnover chart's 35 years left
    # its 1986 triangle on the y axis, over the "1" beside it.
    x_scale = alt.Scale(domain=[x_min - pad, x_max + pad], nice=False, zero=False, padding=8)
    font_size = SLIDE_FONT_SIZE if labels.get("legends_outside") else FONT_SIZE
    x_axis = alt.Axis(format="d", values=year_labels(x_min, x_max, pad, font_size), title=labels["x_title"],
                      labelOverlap=True, grid=False)

    values = data["value"].astype(float)
    height = labels.get("height", HEIGHT)
    # Keep the top of the plot free for the event badges (one or two rows of them).
    lanes = (max(event_lanes(list(events["year"]))) + 1) if len(events) else 0
    free = (12 + 22 * lanes + 6) / height if lanes else 0.06
    lo, hi = float(values.min()), float(values.max())
    if log:
        lo_d = lo / 1.6
        span = math.log10(hi) - math.log10(lo_d)
        hi_d = 10 ** (math.log10(hi) + span * free / (1 - free))
        ticks = [10.0 ** k for k in range(math.ceil(math.log10(lo_d)), math.floor(math.log10(hi_d)) + 1)]
        y_scale = alt.Scale(type="log", domain=[lo_d, hi_d], nice=False)
        y_axis = alt.Axis(title=labels["y_title"], format=labels.get("y_format", ",~r"), values=ticks, labelOverlap=True,
                          **_upright_title(labels))

        def height_of(v):
            return (math.log10(v) - math.log10(lo_d)) / (math.log10(hi_d) - math.log10(lo_d))
    else:
        y_top = hi / (1 - free) * 1.03
        y_scale = alt.Scale(type="linear", domain=[0, y_top], nice=False, zero=True)
        y_axis = alt.Axis(title=labels["y_title"], format=labels.get("y_format", ",~r"), tickCount=5, labelOverlap=True,
                          **_upright_title(labels))

        def height_of(v):
            return v / y_top

    measures = labels["measure_domain"]
    colors = alt.Scale(domain=measures, range=labels["measure_colors"])
    kinds = labels["kind_domain"]  # translated kind labels, in KINDS order, only those present
    kind_ids = labels["kind_ids"]
    shapes = alt.Scale(domain=kinds, range=[KIND_SHAPES[k] for k in kind_ids])
    # A value's tooltip, its note row only where it has a note (an empty "Note" looked unfinished).
    tooltip = tooltip_expr([(labels[f"tt.{key}"], field) for key, field in (
        ("measure", "measure_label"), ("period", "period_label"), ("value", "value_label"),
        ("kind", "kind_label"), ("status", "status_label"), ("source", "source"))],
        optional=[(labels["tt.note"], "note")])
    x = alt.X("year:Q", scale=x_scale, axis=x_axis)
    y = alt.Y("value:Q", scale=y_scale, axis=y_axis)
    data["inner"] = coinciding(data, measures, height_of)
    base = alt.Chart(data)

    segments = line_segments(data, labels["line.yearly"], labels["line.gap"])
    # The legends are stacked under the plot, one below the other, so that they
    # fit a phone (side by side they would be cut off); on a slide they are
    # drawn beside the chart instead (growth_legends).
    shown = {} if labels.get("legends_outside") else {key: (title, [e[2] for e in entries])
                                                     for key, title, entries in growth_legends(data, labels)}
    stack = LegendStack(top=height + 52)
    color_legend = stack.add(*shown["color"]) if "color" in shown else None
    kind_legend = (stack.add(*shown["kind"], symbolFillColor=RULE_COLOR, symbolStrokeColor=RULE_COLOR)
                   if "kind" in shown else None)
    dash_legend = (stack.add(*shown["dash"], lines=True, symbolStrokeColor=RULE_COLOR, symbolStrokeWidth=2.5)
                   if "dash" in shown else None)
    color = alt.Color("measure_label:N", scale=colors, title=labels["measure_title"], legend=color_legend)
    dashes = [(kind, pattern) for kind, pattern in ((labels["line.yearly"], [1, 0]), (labels["line.gap"], [5, 5]))
              if kind in set(segments["gap"])] or [(labels["line.yearly"], [1, 0])]  # (no line at all)
    dash = alt.StrokeDash("gap:N", title=labels["line.title"], legend=dash_legend,
                          scale=alt.Scale(domain=[k for k, _ in dashes], range=[p for _, p in dashes]))
    # The points carry the tooltips; the line none (else Vega showed its raw fields).
    line = alt.Chart(segments).mark_line(tooltip=None).encode(x=x, y=y, color=color, strokeDash=dash,
                                                              detail="segment:N")
    # Where two measures' values of one year nearly coincide (exports and the
    # total in Jan-Nov 2017, the two turnovers of Jan-Jun 2021), the later
    # measure's point is smaller and drawn on top: both stay in sight, one
    # inside the other. Elsewhere every point has the same size.
    inner = alt.datum.inner == 1
    size = alt.condition(inner, alt.value(alt.expr(point_size(POINT_SIZE_INNER))),
                         alt.value(alt.expr(point_size(POINT_SIZE))))
    order = alt.condition(inner, alt.value(1), alt.value(0))
    points = base.mark_point(filled=True, opacity=1, tooltip=tooltip).encode(
        x=x, y=y, color=color,
        shape=alt.Shape("kind_label:N", scale=shapes, title=labels["kind_title"], legend=kind_legend),
        size=size, order=order)
    slide = bool(labels.get("legends_outside"))
    layers = _event_layers(events, labels, x_scale, top=12, bottom="height", slide=slide) + [line, points]
    if (data["kind"] == "partial").any():
        # A ring's hole is not part of it: the pointer at its centre reached
        # whatever lay below (the 2025 exports showed the key event whose rule
        # runs through them). An unseen disc over each ring takes the pointer.
        layers.append(base.transform_filter(alt.datum.kind == "partial").mark_point(
            filled=True, shape="circle", opacity=0, tooltip=tooltip).encode(x=x, y=y, size=size, order=order))
        layers.append(_period_labels(data, x, y, slide))
    if "status" in data and (data["status"] != "verified").any():
        layers.append(_care_marks(data, x, y, color))
    # fit-x: the height is the plot's own. Legends placed by hand do not count
    # towards the chart's size, so the bottom padding makes room for them.
    chart = alt.layer(*layers).properties(
        title=alt.Title(labels["title"], aria=False), width="container", height=height,
        description=labels["description"], autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
        padding=stack.padding(height))
    if labels.get("legends_outside"):  # a slide, read from the back of a classroom: larger axis text
        chart = chart.configure_axis(labelFontSize=SLIDE_FONT_SIZE, titleFontSize=SLIDE_FONT_SIZE).configure_title(
            fontSize=SLIDE_TITLE_SIZE)
    return chart


# ---------------------------------------------------------------- timeline

TIMELINE_HEIGHT = 190
_BAND_TOP, _BAND_BOTTOM = 64, 160


def _clear_middle(start: float, end: float, event_years) -> float:
    """Where a band's number goes: the middle of the widest stretch of the band that no event line crosses."""
    cuts = sorted({start, end, *(y for y in event_years if start < y < end)})
    a, b = max(zip(cuts, cuts[1:], strict=False), key=lambda ab: ab[1] - ab[0])
    return (a + b) / 2


def generation_of(year: float, gens: pd.DataFrame) -> int:
    """The generation whose band holds ``year`` (its start inclusive, its end not; the last takes its end)."""
    inside = gens[(gens["start"] <= year) & (year < gens["end"])]
    if inside.empty:
        inside = gens[gens["start"] <= year].tail(1) if year >= gens["start"].min() else gens.head(1)
    return int(inside["generation"].iloc[0])


def timeline_chart(gens: pd.DataFrame, events: pd.DataFrame, labels: dict,
                   selected: int | None = None) -> alt.LayerChart:
    """The six market generations as coloured bands, key events as lettered badges.

    ``gens`` has ``generation``, ``start``, ``end``, ``name``, ``years_label``
    and ``when``; ``events`` has ``year``, ``badge``, ``label`` and
    ``date_label``. Clicking a band selects its generation (the selection
    parameter is called ``pick`` and holds the field ``generation``);
    ``selected`` pre-selects one, so a shared link shows the same chart.
    """
    g = gens.copy()
    g["mid"] = [_clear_middle(a, b, events["year"]) for a, b in zip(g["start"], g["end"], strict=True)]
    chosen = g["generation"] == selected if selected is not None else pd.Series(True, index=g.index)
    g["fill"] = [GEN_COLORS[n] if on else GEN_TINTS[n] for n, on in zip(g["generation"], chosen, strict=True)]
    g["ink"] = [GEN_INK[n] if on else "#000000" for n, on in zip(g["generation"], chosen, strict=True)]
    g["number"] = g["generation"].astype(str)
    lo = int(g["start"].min())
    hi = int(g["end"].max())
    x_scale = alt.Scale(domain=[lo, hi], nice=False, zero=False)
    x_axis = alt.Axis(format="d", tickMinStep=1, title=labels["x_title"], labelOverlap=True,
                      values=labels.get("x_ticks"), grid=False)
    if selected is not None:
        pick = alt.selection_point(name="pick", fields=["generation"], on="click", clear="dblclick",
                                   value=[{"generation": int(selected)}])
    else:
        pick = alt.selection_point(name="pick", fields=["generation"], on="click", clear="dblclick")
    tooltip = [alt.Tooltip("title:N", title=labels["tt.generation"]),
               alt.Tooltip("years_label:N", title=labels["tt.years"]),
               alt.Tooltip("when:N", title=labels["tt.when"])]
    g["title"] = g["name"]
    base = alt.Chart(g)
    bands = base.mark_rect(cursor="pointer", stroke="#FFFFFF", strokeWidth=1).encode(
        x=alt.X("start:Q", scale=x_scale, axis=x_axis), x2="end:Q",
        y=alt.value(_BAND_TOP), y2=alt.value(_BAND_BOTTOM),
        color=alt.Color("fill:N", scale=None),
        tooltip=tooltip).add_params(pick)
    # A number goes inside its band where the band is wide enough for it.
    # The newest band is one year wide, too narrow on a slide or a phone, so
    # its number then stands just right of it, on the page (the page's text
    # colour, in either theme). Vega's fit leaves room for it at the chart's
    # right edge; only the last band has such a mark, as only it can need one.
    fits = "scale('x', datum.end) - scale('x', datum.start) >= 14"
    middle = alt.value((_BAND_TOP + _BAND_BOTTOM) / 2)
    numbers = base.mark_text(fontSize=16, fontWeight="bold", baseline="middle", cursor="pointer",
                             opacity=alt.expr(f"{fits} ? 1 : 0")).encode(
        x="mid:Q", y=middle, text="number:N", color=alt.Color("ink:N", scale=None), tooltip=tooltip)
    last = int(g["generation"].max())
    beside = base.transform_filter(alt.datum.generation == last).mark_text(
        fontSize=16, fontWeight="bold", baseline="middle", align="left", dx=3, cursor="pointer",
        color="currentColor", opacity=alt.expr(f"{fits} ? 0 : 1")).encode(
        x="end:Q", y=middle, text="number:N", tooltip=tooltip)
    # An event's rule crosses the band of its year and its badge stands over
    # it: a click on either picks that band's generation, as a click beside
    # them does (without the field a click there emptied the choice).
    ev = events.copy()
    ev["generation"] = [generation_of(year, g) for year in ev["year"]]
    layers = [bands, numbers, beside] + _event_layers(ev, labels, x_scale, top=14, bottom=_BAND_BOTTOM,
                                                          lane_step=24)
    return alt.layer(*layers).properties(
        title=alt.Title(labels["title"], aria=False), width="container", height=TIMELINE_HEIGHT,
        description=labels["description"], autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


# ---------------------------------------------------------------- markets map

MARKET_FILL = PALETTE[0]
# The chart's height: on a phone the width sets the scale, so a shorter chart
# leaves no empty band above and below the dots; a slide's column keeps the phone's.
MARKETS_HEIGHT = {"wide": 380, "medium": 240, "narrow": 240}
KM_PER_DEGREE_LAT = 110.57


def km_bar(lat: float, lon: float) -> pd.DataFrame:
    """Two points 1 km apart on the parallel ``lat``, starting at ``lon``."""
    km_lon = 1 / (111.32 * math.cos(math.radians(lat)))  # degrees of longitude in 1 km
    return pd.DataFrame({"lon": [lon, lon + km_lon], "lat": [lat, lat]})


# The chart's three sizes: the plot's width and height in pixels and a dot's
# radius. "wide" is a laptop or projector, where the height sets the scale;
# "narrow" a 390 px phone, where the width does (Vega's fit also leaves room
# for the years beside the outermost dots, hence the small width); "medium" a
# column of about 400 px, as a slide's on a 1024 px projector (it had the
# phone's small dots).
MARKETS_FRAMES = {"wide": (620.0, 350.0, 13.0), "medium": (218.0, 400.0, 11.0), "narrow": (170.0, 210.0, 9.0)}
# The plot's width (Vega's ``width``: the chart's less its padding and the labels beyond its
# edges) below which it takes each frame: about 150 on a 390 px phone, 240 on a slide on a
# 1024 px projector, 540 on a 1280 one and 620 in a chapter.
MARKETS_WIDTHS = {"narrow": 200, "medium": 420}


def by_width(narrow, medium, wide) -> str:
    """A Vega expression with one value for each of the markets map's frames, chosen by its width."""
    return (f"width < {MARKETS_WIDTHS['narrow']} ? {narrow} : "
            f"width < {MARKETS_WIDTHS['medium']} ? {medium} : {wide}")


# Where a year may go beside its dot, in order of preference: Vega's align and
# baseline, and the direction of the offset from the dot's centre.
_YEAR_SPOTS = (("left", "middle", (1, 0)), ("right", "middle", (-1, 0)),
               ("center", "bottom", (0, -1)), ("center", "top", (0, 1)),
               ("left", "bottom", (0.7, -0.7)), ("right", "bottom", (-0.7, -0.7)),
               ("left", "top", (0.7, 0.7)), ("right", "top", (-0.7, 0.7)))


def text_width(text: str, size: float) -> float:
    """A label's width in pixels, with a little room: CJK characters are square, others about 0.62 em."""
    return sum(size if ord(ch) > 0x2E80 else 0.62 * size for ch in text) + 8


def _overlap(a: tuple, b: tuple) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _spot_box(x: float, y: float, w: float, h: float, gap: float, spot: tuple) -> tuple:
    """The box (left, top, right, bottom) of a w × h label at ``spot`` beside a dot at (x, y)."""
    align, baseline, (ux, uy) = spot
    ax, ay = x + ux * gap, y + uy * gap
    left = ax if align == "left" else ax - w if align == "right" else ax - w / 2
    top = ay - h / 2 if baseline == "middle" else ay - h if baseline == "bottom" else ay
    return left, top, left + w, top + h


def year_spots(markets: pd.DataFrame, bar: pd.DataFrame) -> list[dict]:
    """For each market, in row order, the side of its dot its year goes on, at each of MARKETS_FRAMES.

    A small map is a small Mercator map, so kilometres east and south stand in
    for pixels. Each year, in order, takes the first spot of _YEAR_SPOTS that
    no part of the dashed line crosses and that covers no dot, no year already
    placed and neither the scale bar nor its label; if none is free, the spot
    that covers least. Returns, per row, ``align_<frame>``, ``baseline_<frame>``,
    ``dx_<frame>`` and ``dy_<frame>`` for Vega's text mark.
    """
    points = pd.concat([markets[["lon", "lat"]], bar[["lon", "lat"]]])
    west, north = float(points["lon"].min()), float(points["lat"].max())
    east_km = 111.32 * math.cos(math.radians(float(markets["lat"].min())))

    def km(frame: pd.DataFrame) -> list[tuple[float, float]]:
        return [((lon - west) * east_km, (north - lat) * KM_PER_DEGREE_LAT)
                for lon, lat in zip(frame["lon"], frame["lat"], strict=True)]

    span_x, span_y = (max(c) for c in zip(*km(points), strict=True))
    out: list[dict] = [{} for _ in range(len(markets))]
    for frame, (width, height, radius) in MARKETS_FRAMES.items():
        scale = min(width / span_x, height / span_y)
        dots = [(x * scale, y * scale) for x, y in km(markets)]
        line = [(a[0] + (b[0] - a[0]) * k / 40, a[1] + (b[1] - a[1]) * k / 40)
                for a, b in zip(dots, dots[1:], strict=False) for k in range(41)]
        (bx0, by), (bx1, _) = ((x * scale, y * scale) for x, y in km(bar))
        boxes = [(x - radius, y - radius, x + radius, y + radius) for x, y in dots]
        boxes.append((bx0, by - 24, bx1 + 40, by + 3))  # the bar and its label above it
        gap, h = radius + 3, FONT_SIZE + 2
        for i, (x, y) in enumerate(dots):
            w = text_width(str(markets["label"].iloc[i]), FONT_SIZE)
            costs = []
            for spot in _YEAR_SPOTS:
                box = _spot_box(x, y, w, h, gap, spot)
                crossed = sum(box[0] <= p[0] <= box[2] and box[1] <= p[1] <= box[3] for p in line)
                covered = sum(_overlap(box, b) for j, b in enumerate(boxes) if j != i)
                costs.append((1000 * crossed + covered, box, spot))
            _, box, (align, baseline, (ux, uy)) = min(costs, key=lambda c: c[0])  # the first of equals
            boxes.append(box)
            out[i].update({f"align_{frame}": align, f"baseline_{frame}": baseline,
                           f"dx_{frame}": round(ux * gap, 1), f"dy_{frame}": round(uy * gap, 1)})
    return out


def markets_chart(markets: pd.DataFrame, labels: dict) -> alt.LayerChart:
    """Yiwu's six market generations as numbered dots joined in order, with a 1 km bar.

    ``markets`` has one row per generation: generation, lat, lon, name and
    label (the opening year, shown beside the dot). ``labels`` holds
    ``title``, ``km`` (the bar's label), ``tt.name``, ``tt.year`` and ``description``.
    A Mercator projection fitted to the dots keeps distances true in every
    direction at any width, so the bar measures the whole picture. There is
    no street map (none works offline), so the dots stand on plain ground.
    Each year is placed clear of the line and the dots (:func:`year_spots`),
    and on a phone the chart is shorter (``MARKETS_HEIGHT``).
    """
    m = markets.sort_values("generation").reset_index(drop=True).copy()
    m["n"] = m["generation"].astype(int).astype(str)
    m["order"] = range(len(m))
    south, east = float(m["lat"].min()), float(m["lon"].max())
    span = float(m["lat"].max()) - south
    bar = km_bar(south - span * 0.08, east - 1 / (111.32 * math.cos(math.radians(south))))
    bar["label"] = labels["km"]
    geo = {"longitude": "lon:Q", "latitude": "lat:Q"}
    tooltip = [alt.Tooltip("name:N", title=labels["tt.name"]), alt.Tooltip("label:N", title=labels["tt.year"])]
    # Only the dots, their numbers and years have a tooltip: a mark without one
    # got the chart's default, a list of the row's raw fields (lon, lat, label).
    moves = alt.Chart(m).mark_line(color=RULE_COLOR, strokeDash=[5, 4], strokeWidth=2, tooltip=None).encode(
        **geo, order="order:Q")
    # On a phone the first three markets lie a few pixels apart: smaller dots.
    dots = alt.Chart(m).mark_circle(size=alt.expr(by_width(260, 380, 520)), opacity=1, color=MARKET_FILL,
                                    stroke="#FFFFFF", strokeWidth=alt.expr(by_width(1, 1.5, 2))).encode(
        **geo, tooltip=tooltip)
    numbers = alt.Chart(m).mark_text(fontSize=alt.expr(by_width(11, 12, 14)), fontWeight="bold", color="#FFFFFF",
                                     baseline="middle").encode(**geo, text="n:N", tooltip=tooltip)
    # Each year sits on the side of its dot that the dashed line, the other
    # dots and years and the scale bar leave free, at each size the chart is
    # drawn (year_spots); the mark reads its side from the row.
    spots = year_spots(m, bar)
    m = m.join(pd.DataFrame(spots, index=m.index))
    side = {key: alt.expr(by_width(*(f"datum.{key}_{frame}" for frame in ("narrow", "medium", "wide"))))
            for key in ("align", "baseline", "dx", "dy")}
    # The years and the bar's label stand on the page itself: the page's text colour, in either theme.
    years = alt.Chart(m).mark_text(fontSize=FONT_SIZE, align=side["align"], baseline=side["baseline"],
                                   dx=side["dx"], dy=side["dy"], color="currentColor").encode(
        **geo, text="label:N", tooltip=tooltip)
    scale = alt.Chart(bar).mark_line(color=RULE_COLOR, strokeWidth=3, tooltip=None).encode(**geo)
    scale_label = alt.Chart(bar.head(1)).mark_text(fontSize=13, align="left", dy=-10, tooltip=None,
                                                       color="currentColor").encode(**geo, text="label:N")
    height = alt.param(name="height", expr=by_width(*(MARKETS_HEIGHT[f] for f in ("narrow", "medium", "wide"))))
    return alt.layer(moves, scale, scale_label, dots, numbers, years).project(type="mercator").add_params(
        height).properties(title=alt.Title(labels["title"], aria=False), width="container",
        description=labels["description"],
        padding={"left": 20, "right": 60, "top": 20, "bottom": 10})
