"""Maps: pure functions from frames and labels to a ``pydeck.Deck`` and its still overview.

No Streamlit here. :mod:`yiwu.map_view` loads the tables, picks the words of
the reader's language and lays the map out; this module turns them into card
texts, a route table, alt text, the scene (:func:`world_scene`) and its two
drawings, the deck and a Vega-Lite overview, so all of it can be tested
without a browser.

Offline by design: the land outline is a file the app serves itself
(``static/land-110m.json``, see ``tools/build_world.py``) and the map style is
a ``data:`` URL holding a single background layer, so neither a tile server nor
a style server is asked for anything. (``map_style=None`` would make Streamlit
fetch CARTO's style.)
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from urllib.parse import quote

import altair as alt
import pandas as pd
import pydeck as pdk

from yiwu.charts import text_width
from yiwu.i18n import fmt_value

# Served by Streamlit from static/ (server.enableStaticServing). Relative to the
# page, so it works under any host, port or base path.
WORLD_URL = "app/static/land-110m.json"

# Okabe–Ito colours; land and sea muted so the routes carry the colour.
OCEAN = "#cfe3ee"
LAND = [232, 228, 218]
COAST = [180, 172, 152]
RAIL = [213, 94, 0]  # #D55E00
SEA = [0, 114, 178]  # #0072B2
HUB = [0, 158, 115]  # #009E73
STORY = [204, 121, 167]  # #CC79A7
INK = [20, 20, 20]
WHITE = [255, 255, 255]

LAYERS = ("rail", "sea", "markets", "stories")
LEG_GROUP = {"rail": "rail", "sea": "sea", "road": "sea"}
# Dash pattern per kind of leg, in multiples of the line width. Rail is solid.
DASH = {"rail": [0, 0], "sea": [4, 3], "road": [1, 2]}
# pydeck reads a bare string as a JavaScript expression; literal strings need quotes.
PX = '"pixels"'
FONT = "'Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, Helvetica Neue, Arial, sans-serif'"


def style_url(background: str) -> str:
    """A map style that draws only a background colour and loads nothing."""
    style = {"version": 8, "name": "plain", "sources": {},
             "layers": [{"id": "background", "type": "background",
                         "paint": {"background-color": background}}]}
    return "data:application/json;charset=utf-8," + quote(json.dumps(style, separators=(",", ":")))


def split_ids(value) -> list[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return []
    return [v.strip() for v in str(value).split(";") if v.strip()]


def _blank(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) or value == ""


# ---------------------------------------------------------------- words

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec")


def fmt_date(value, lang: str) -> str:
    """"18 Nov 2014" / "2014年11月18日"; a year or a month alone stays as precise as it is."""
    if _blank(value):
        return ""
    parts = [int(p) for p in str(value).split("-")]
    if lang == "zh":
        return "".join(f"{n}{unit}" for n, unit in zip(parts, ("年", "月", "日"), strict=False))
    if len(parts) == 1:
        return str(parts[0])
    if len(parts) == 2:
        return f"{_MONTHS[parts[1] - 1]} {parts[0]}"
    return f"{parts[2]} {_MONTHS[parts[1] - 1]} {parts[0]}"


def _join(names: Iterable[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(names)


def legs(waypoints: list[str], mode: str, transfer: str | None) -> list[tuple[str, list[str]]]:
    """A route's legs: (kind of leg, place ids). A rail+sea route turns to sea at its transfer."""
    first, _, second = mode.partition("+")
    if not transfer or transfer not in waypoints or not second:
        return [(first, waypoints)]
    i = waypoints.index(transfer)
    return [(first, waypoints[: i + 1]), (second, waypoints[i:])]


def route_info(routes: pd.DataFrame, places: pd.DataFrame, route_words: Mapping[str, dict],
               place_words: Mapping[str, dict], labels: Mapping[str, str], lang: str) -> pd.DataFrame:
    """One row per route with every text a reader sees: card, tooltip, table.

    ``routes`` may carry a ``source`` column (the "Source: …" line, made by the
    view with :func:`yiwu.sources.cite`) and ``source_names`` (the names alone,
    for the table); ``labels`` are the ``map.*`` strings
    of the language without the prefix.
    """
    kinds = dict(zip(places["id"], places["kind"], strict=True))

    def name(pid: str) -> str:
        return place_words[pid]["name"]

    rows = []
    for r in routes.itertuples(index=False):
        words = route_words[r.id]
        points = split_ids(r.waypoints)
        via = split_ids(r.via)
        crossings = [p for p in via if kinds.get(p) == "border"]
        stops = [p for p in via if kinds.get(p) != "border"]
        shaped = [p for p in points[1:-1] if p not in via]
        length = "" if _blank(r.length_km) else fmt_value(r.length_km, "km", r.length_q or "", lang)
        days = "" if _blank(r.days) else fmt_value(r.days, "days", r.days_q or "", lang)
        first_run = fmt_date(r.first_run, lang)
        when = (labels["tip.first_run"].format(date=first_run) if first_run
                else labels["tip.since"].format(year=int(r.since)))
        source = getattr(r, "source", "") or ""
        tip = [when]
        if length or days:
            tip.append(" · ".join(x for x in (length, days) if x))
        if crossings:
            tip.append(labels["tip.crossings"].format(names=_join(map(name, crossings), lang)))
        if source:
            tip.append(source)
        rows.append({
            "id": r.id, "mode": r.mode, "since": int(r.since), "waypoints": points, "via": via,
            "transfer": None if _blank(r.transfer) else r.transfer,
            "name": words["name"], "from": name(points[0]), "to": name(points[-1]),
            "first_run": first_run, "arrived": fmt_date(r.arrived, lang),
            "length": length, "days": days,
            "crossings": _join(map(name, crossings), lang),
            "stops": _join(map(name, stops), lang),
            "shaped": _join(map(name, shaped), lang),
            "path": words.get("path", ""), "cargo": words.get("cargo", ""),
            "note": words.get("note", ""), "source": source,
            "source_names": getattr(r, "source_names", "") or source,
            "tip": "\n".join(tip),
        })
    return pd.DataFrame(rows)


# Marker look per kind of place: radius in pixels, fill, outline.
_MARKER = {
    "city": (10, INK, WHITE),
    "terminus": (5, RAIL, WHITE),
    "border": (4, WHITE, RAIL),
    "stop": (3, RAIL, WHITE),
    "seaport": (5, SEA, WHITE),
    "hub": (7, HUB, WHITE),
    "story": (7, STORY, WHITE),
}
# Which label wins when two would overlap, and how big each is.
_LABEL = {"city": (100, 17), "hub": (80, 13), "story": (70, 13), "terminus": (60, 13),
          "seaport": (40, 12), "border": (30, 12), "stop": (20, 11)}


def place_info(places: pd.DataFrame, place_words: Mapping[str, dict], labels: Mapping[str, str],
               lang: str) -> pd.DataFrame:
    """One row per place with its name, card note and tooltip."""
    rows = []
    for p in places.itertuples(index=False):
        words = place_words[p.id]
        source = getattr(p, "source", "") or ""
        tip = [words.get("note", "")] if words.get("note") else []
        if p.coord == "approx" and p.kind != "shape":
            tip.append(labels["tip.approx"])
        if source:
            tip.append(source)
        rows.append({
            "id": p.id, "kind": p.kind, "lat": float(p.lat), "lon": float(p.lon),
            "since": None if _blank(p.since) else int(p.since),
            "illustrative": p.illustrative == "yes", "coord": p.coord,
            "name": words["name"], "note": words.get("note", ""), "source": source,
            "tip": "\n".join(tip), "source_ids": tuple(getattr(p, "source_ids", ()) or ()),
        })
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- the world map

# The map's latest year (its year buttons run from 1982 to it). The traders'
# stories come from a 2026 report: they are pinned on the map of this year
# only. On the map of 1982 they read as traders of that time.
LATEST_YEAR = 2025
STORIES_FROM = LATEST_YEAR


def visible_routes(routes: pd.DataFrame, year: int) -> pd.DataFrame:
    """Routes whose first run (or, without one, the year they are shown from) is on or before ``year``."""
    return routes[routes["since"] <= year]


def _shown_places(routes: pd.DataFrame, places: pd.DataFrame, year: int, layers: set[str]):
    """Place ids to draw, and the kind of leg that reaches each route's end."""
    shown, arrival = {"yiwu"}, {}
    for r in visible_routes(routes, year).itertuples(index=False):
        via = set(r.via)
        for kind, ids in legs(r.waypoints, r.mode, r.transfer):
            arrival[ids[-1]] = kind
            if LEG_GROUP[kind] in layers:
                shown.update({ids[0], ids[-1]} | (via & set(ids)))
    for p in places.itertuples(index=False):
        if p.since is not None and not pd.isna(p.since) and p.since > year:
            shown.discard(p.id)
        elif p.kind == "hub" and "markets" in layers:
            shown.add(p.id)
        elif p.kind == "story" and "stories" in layers and year >= STORIES_FROM:
            shown.add(p.id)
        elif p.kind == "border" and p.since is not None and not pd.isna(p.since) and "rail" in layers:
            shown.add(p.id)  # a crossing known only from later trains (Khorgos)
    kinds = dict(zip(places["id"], places["kind"], strict=True))
    return {p for p in shown if kinds.get(p) not in ("shape", "rail_station", None)}, arrival


def _screen(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """Web Mercator pixels at a zoom level (only differences between points matter)."""
    scale = 512 * 2**zoom
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return scale * (lon + 180) / 360, scale * (1 - y / math.pi) / 2


def _shift(t: Mapping, zoom: float) -> tuple[float, float]:
    x, y = _screen(t["lon"], t["lat"], zoom)
    return x + t["offset"][0], y + t["offset"][1]


def _unscreen(x: float, y: float, zoom: float) -> dict[str, float]:
    """The longitude and latitude at Web Mercator pixels (the inverse of :func:`_screen`)."""
    scale = 512 * 2**zoom
    lat = math.degrees(2 * math.atan(math.exp(math.pi * (1 - 2 * y / scale))) - math.pi / 2)
    return {"label_lon": round(x / scale * 360 - 180, 4), "label_lat": round(lat, 4)}


# Where a label may go beside its dot: text anchor, baseline, direction of the offset.
_SPOTS = (("start", "center", (1, 0)), ("end", "center", (-1, 0)),
          ("middle", "bottom", (0, -1)), ("middle", "top", (0, 1)))


def place_labels(texts: list[dict], view: Mapping[str, float]) -> list[dict]:
    """Labels that fit at the initial zoom, most important first; the rest are left out.

    deck.gl's CollisionFilterExtension would do this in the browser, but it
    fails together with label backgrounds and side anchors (the labels vanish),
    so the choice is made here: each label tries the right, left, top and
    bottom of its dot and takes the first spot that overlaps no label already
    placed and no dot, inside the initial frame (``view``: centre, zoom and the
    map's size in pixels). A dropped label's place keeps its dot and tooltip.
    """
    zoom = view["zoom"]
    cx, cy = _screen(view["longitude"], view["latitude"], zoom)
    frame = (cx - view["width"] / 2 + 4, cy - view["height"] / 2 + 4,
             cx + view["width"] / 2 - 4, cy + view["height"] / 2 - 4)
    buttons = (frame[2] - 44, frame[1], frame[2], frame[1] + 84)  # the zoom buttons, top right
    dots = [buttons]
    for t in texts:
        x, y = _screen(t["lon"], t["lat"], zoom)
        r = t["radius"] + 1
        dots.append((x - r, y - r, x + r, y + r))
    boxes, out = [], []

    def spot(t: dict, obstacles: list) -> tuple | None:
        x, y = _screen(t["lon"], t["lat"], zoom)
        w, h, gap = text_width(t["name"], t["size"]), t["size"] + 4, t["radius"] + 4
        for anchor, baseline, (dx, dy) in _SPOTS:
            left = x + gap if dx > 0 else x - gap - w if dx < 0 else x - w / 2
            top = y - h / 2 if dy == 0 else y - gap - h if dy < 0 else y + gap
            box = (left, top, left + w, top + h)
            inside = frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1] and box[3] <= frame[3]
            # Boxes may touch by up to a pixel: each holds 2 px of padding above
            # and below its text, and the estimated widths run a little long.
            if inside and not any(box[0] < b[2] - 1 and b[0] < box[2] - 1 and box[1] < b[3] - 1 and b[1] < box[3] - 1
                                  for b in obstacles):
                return box, anchor, baseline, [dx * gap, dy * gap]
        return None

    for i, t in enumerate(sorted(texts, key=lambda t: -t["priority"])):
        # The most important label (Yiwu) may cover a small dot rather than go missing.
        found = spot(t, boxes + dots) or (spot(t, boxes + dots[:1]) if i == 0 else None)
        if found:
            box, anchor, baseline, offset = found
            boxes.append(box)
            out.append({"id": t.get("id"), "name": t["name"], "lon": t["lon"], "lat": t["lat"], "size": t["size"],
                        "anchor": anchor, "baseline": baseline, "offset": offset})
    return out


def shared_labels(candidates: list[dict], partner: list[dict] | None, view: Mapping[str, float]) -> list[dict]:
    """:func:`place_labels`, keeping only the places whose labels fit in both languages.

    ``partner`` is the other language's candidates (the same places, by
    ``id``). Each language's label widths decided alone which labels fit, so
    the English phone map named Mohan and the Chinese one London: a class that
    switches language saw other places named.
    """
    if not partner:
        return place_labels(candidates, view)
    keep = {t["id"] for t in candidates}
    while True:
        placed = [place_labels([t for t in texts if t["id"] in keep], view) for texts in (candidates, partner)]
        both = {t["id"] for t in placed[0]} & {t["id"] for t in placed[1]}
        if both == keep:
            return placed[0]
        keep = both


def label_layers(texts: list[dict], prefix: str = "labels") -> list[pdk.Layer]:
    """Labels placed by :func:`place_labels`, drawn on a white box.

    One text layer per side of the dot: deck.gl's text anchor cannot be an
    accessor here (the layer fails with "Illegal attribute … instanceIconDefs").
    """
    # One character set for every label layer: deck.gl then draws one font
    # atlas and shares it, where "auto" made a separate atlas per layer (eight
    # of them, slow to build for Chinese). A 40 px atlas is plenty for labels
    # of 12-16 px and quicker to build than the default 64 px.
    characters = json.dumps("".join(sorted({c for t in texts for c in t["name"]})), ensure_ascii=False)
    return [
        pdk.Layer(
            "TextLayer", [t for t in texts if t["anchor"] == anchor and t["baseline"] == baseline],
            id=f"{prefix}-{anchor}-{baseline}", pickable=False, get_position=["lon", "lat"],
            get_text="name", get_size="size", size_units=PX, get_color=INK,
            get_text_anchor=f'"{anchor}"', get_alignment_baseline=f'"{baseline}"', get_pixel_offset="offset",
            character_set=characters, font_settings={"fontSize": 40}, font_family=FONT, font_weight=600,
            background=True, get_background_color=[255, 255, 255, 215], background_padding=[3, 1, 3, 1])
        for anchor, baseline, _ in _SPOTS
    ]


# The map's key, in order: what each entry stands for is drawn only when the map shows it.
LEGEND = ("yiwu", "rail", "stop", "border", "sea", "road", "port", "hub", "story")


def _key_of(kind: str, arrival: str | None) -> str:
    """The key entry of a place of ``kind`` reached by a leg of kind ``arrival``."""
    if kind == "terminus" and LEG_GROUP.get(arrival or "rail") == "sea":
        return "port"  # a route's end reached by sea is drawn as a port (Dar es Salaam)
    return {"city": "yiwu", "terminus": "stop", "seaport": "port"}.get(kind, kind)


def legend_keys(routes: pd.DataFrame, places: pd.DataFrame, *, year: int, layers: Iterable[str]) -> list[str]:
    """The key entries (``LEGEND``) for what the map draws for ``year`` and ``layers``.

    Every kind of line and dot on the map has one, and there is none for what
    the map leaves out (the traders' pins before 2025, the sea lanes switched off).
    """
    layers = set(layers)
    drawn = {kind for r in visible_routes(routes, year).itertuples(index=False)
             for kind, _ in legs(r.waypoints, r.mode, r.transfer) if LEG_GROUP[kind] in layers}
    shown, arrival = _shown_places(routes, places, year, layers)
    drawn |= {_key_of(p.kind, arrival.get(p.id)) for p in places.itertuples(index=False) if p.id in shown}
    return [key for key in LEGEND if key in drawn]


def world_scene(routes: pd.DataFrame, places: pd.DataFrame, *, year: int,
                layers: Iterable[str] = LAYERS, view: str | Mapping[str, float] = "wide",
                partner: list[dict] | None = None) -> dict[str, list[dict]]:
    """What the world map draws for one year and a set of switched-on groups.

    ``view`` is a name in ``VIEWS`` or a frame from :func:`fit_view`;
    ``partner``: the other language's label candidates (:func:`shared_labels`).

    ``paths`` (one per leg of a route), ``points`` (the places) and ``texts``
    (the labels that fit, placed by :func:`place_labels`). Both renderings,
    the deck.gl map and the Vega overview, draw this same scene.
    """
    layers = set(layers)
    coords = {p.id: [round(p.lon, 3), round(p.lat, 3)] for p in places.itertuples(index=False)}
    paths = []
    for r in visible_routes(routes, year).itertuples(index=False):
        for kind, ids in legs(r.waypoints, r.mode, r.transfer):
            if LEG_GROUP[kind] not in layers:
                continue
            paths.append({"id": r.id, "name": r.name, "tip": r.tip, "leg": kind,
                          "path": [coords[i] for i in ids], "dash": DASH[kind]})
    shown, arrival = _shown_places(routes, places, year, layers)
    points, texts = [], []
    for p in places.itertuples(index=False):
        if p.id not in shown:
            continue
        radius, fill, line = _MARKER[p.kind]
        if _key_of(p.kind, arrival.get(p.id)) == "port":
            fill = SEA
        points.append({"id": p.id, "name": p.name, "tip": p.tip, "lon": coords[p.id][0],
                       "lat": coords[p.id][1], "radius": radius, "fill": fill, "line": line})
        priority, size = _LABEL[p.kind]
        texts.append({"id": p.id, "name": p.name, "lon": coords[p.id][0], "lat": coords[p.id][1],
                      "size": size, "priority": priority, "radius": radius})
    points.sort(key=lambda d: d["radius"])  # big markers (Yiwu) on top
    return {"paths": paths, "points": points, "texts": shared_labels(texts, partner, _frame(view)),
            "candidates": texts}


def scene_sources(routes: pd.DataFrame, places: pd.DataFrame, *, year: int, layers: Iterable[str]) -> list[str]:
    """The source ids of what the map draws for ``year`` and ``layers``, in order, each once.

    A route counts when one of its legs is drawn, a place when its dot is
    (as in :func:`world_scene`); ``routes`` and ``places`` carry ``source_ids``.
    """
    layers = set(layers)
    ids: list[str] = []
    for r in visible_routes(routes, year).itertuples(index=False):
        if any(LEG_GROUP[kind] in layers for kind, _ in legs(r.waypoints, r.mode, r.transfer)):
            ids.extend(r.source_ids)
    shown, _ = _shown_places(routes, places, year, layers)
    for p in places.itertuples(index=False):
        if p.id in shown:
            ids.extend(p.source_ids)
    return list(dict.fromkeys(ids))


def world_layers(routes: pd.DataFrame, places: pd.DataFrame, *, year: int,
                 layers: Iterable[str] = LAYERS, view: str | Mapping[str, float] = "wide",
                 world_url: str = WORLD_URL, partner: list[dict] | None = None) -> list[pdk.Layer]:
    """The layers of the world map for one year and a set of switched-on groups."""
    scene = world_scene(routes, places, year=year, layers=layers, view=view, partner=partner)
    paths = scene["paths"]
    land = pdk.Layer(
        "GeoJsonLayer", world_url, id="land", pickable=False, stroked=True, filled=True,
        get_fill_color=LAND, get_line_color=COAST, line_width_min_pixels=0.6,
        line_width_units=PX, get_line_width=0.6)
    sea = pdk.Layer(
        "PathLayer", [p for p in paths if LEG_GROUP[p["leg"]] == "sea"], id="sea", pickable=True,
        get_path="path", get_color=SEA, get_width=3, width_units=PX, width_min_pixels=2,
        cap_rounded=True, joint_rounded=True, get_dash_array="dash", dash_justified=True,
        extensions=[{"@@type": "PathStyleExtension", "dash": True}])
    rail = pdk.Layer(
        "PathLayer", [p for p in paths if p["leg"] == "rail"], id="rail", pickable=True,
        get_path="path", get_color=RAIL, get_width=3, width_units=PX, width_min_pixels=2,
        cap_rounded=True, joint_rounded=True)
    dots = pdk.Layer(
        "ScatterplotLayer", scene["points"], id="places", pickable=True, get_position=["lon", "lat"],
        get_radius="radius", radius_units=PX, get_fill_color="fill", get_line_color="line",
        stroked=True, line_width_units=PX, get_line_width=2)
    names = label_layers(scene["texts"])
    return [land, sea, rail, dots, *names]


def _hex(rgb: list[int]) -> str:
    return "#" + "".join(f"{c:02X}" for c in rgb[:3])


# Vega's text alignment for each side a label may take (see _SPOTS).
_ALIGN = {"start": "left", "end": "right", "middle": "center"}
_BASELINE = {"center": "middle", "bottom": "bottom", "top": "top"}


# A map tooltip: the place or route as its heading ("title" is the key the
# chart's tooltip shows as a heading), then its lines under a key that shows
# nothing (a zero-width space: an empty title would show the field's name).
# assets/app.css keeps the lines apart.
TOOLTIP = [alt.Tooltip("name:N", title="title"), alt.Tooltip("tip:N", title="\u200b")]


def world_chart(scene: Mapping[str, list[dict]], land: dict, *, height: int = 500,
                description: str = "", partner: list[dict] | None = None) -> alt.LayerChart:
    """The same scene as a still Vega-Lite map: the overview shown before the interactive one.

    The frame is the deck's initial view (centre and zoom of ``VIEWS``); where
    the chart is too narrow for it to hold every dot and line
    (:func:`frame_from`), the mid frame (a slide on a 1280 px projector),
    and narrower still the phone's; with the labels that fit that frame;
    same colours, dashes and labels, with tooltips; no zoom or pan. ``land``
    is the GeoJSON of ``static/land-110m.json``, sent with the chart so that
    the map is complete when the chart is drawn. ``partner``: the other
    language's label candidates, so both languages name the same places
    (:func:`shared_labels`).
    """
    wide_at, mid_at = frame_from(scene, "wide"), frame_from(scene, "mid")
    # The phone's frame is no taller than its view: on a narrow map the routes
    # span about 300 px, and a 500 px map showed an empty band of ocean under them.
    heights = {name: min(height, VIEWS[name]["height"]) if name == "phone" else height for name in VIEWS}

    def pick(f) -> str:
        """A Vega expression: ``f`` of the name of the frame the chart's width takes."""
        return f"width < {wide_at} ? (width < {mid_at} ? {f('phone')} : {f('mid')}) : {f('wide')}"

    # deck.gl's world is 512 * 2**zoom pixels wide; d3's is 2π * scale.
    projection = {"type": "mercator",
                  "scale": alt.expr(pick(lambda v: round(512 * 2 ** VIEWS[v]["zoom"] / (2 * math.pi), 3))),
                  "center": alt.expr(pick(lambda v: f"[{VIEWS[v]['longitude']}, {VIEWS[v]['latitude']}]")),
                  "translate": alt.expr("[width / 2, height / 2]")}
    sea_bg = alt.Chart(alt.sphere()).mark_geoshape(fill=OCEAN, stroke=None, clip=True, tooltip=None)
    ground = alt.Chart(alt.Data(values=land, format=alt.DataFormat(type="json"))).mark_geoshape(
        fill=_hex(LAND), stroke=_hex(COAST), strokeWidth=0.6, clip=True, tooltip=None)
    rows = [{"key": f"{p['id']}-{i}", "name": p["name"], "tip": p["tip"],
             "leg": p["leg"], "order": j, "lon": lon, "lat": lat}
            for i, p in enumerate(scene["paths"]) for j, (lon, lat) in enumerate(p["path"])]
    geo = {"longitude": "lon:Q", "latitude": "lat:Q"}
    tooltip = TOOLTIP
    layers = [sea_bg, ground]
    if rows:
        layers.append(alt.Chart(pd.DataFrame(rows)).mark_line(
            strokeWidth=3, strokeCap="round", strokeJoin="round", clip=True).encode(
            **geo, detail="key:N", order="order:Q",
            color=alt.Color("leg:N", scale=alt.Scale(domain=list(DASH), range=[_hex(RAIL), _hex(SEA), _hex(SEA)]),
                            legend=None),
            strokeDash=alt.StrokeDash("leg:N", scale=alt.Scale(domain=list(DASH), range=[[1, 0], [12, 9], [3, 6]]),
                                      legend=None),
            tooltip=tooltip))
    if scene["points"]:
        points = pd.DataFrame([{**p, "fill": _hex(p["fill"]), "line": _hex(p["line"]),
                                "size": round(math.pi * p["radius"] ** 2)} for p in scene["points"]])
        layers.append(alt.Chart(points).mark_circle(opacity=1, strokeWidth=2, clip=True).encode(
            **geo, size=alt.Size("size:Q", scale=None), color=alt.Color("fill:N", scale=None),
            stroke=alt.Stroke("line:N", scale=None), order="size:Q", tooltip=tooltip))
    # The labels that fit each frame. A label's pixel offset from its dot is
    # turned into a position on the map (each frame is fixed), and its side of
    # the dot is data (align, base) read by the mark: two text layers in all,
    # the halo and the text, instead of two per side. Every layer is a spec
    # the browser compiles and a dataflow it runs.
    labels = pd.DataFrame([{**t, "view": name, "align": _ALIGN[t["anchor"]], "base": _BASELINE[t["baseline"]],
                            **_unscreen(*_shift(t, view["zoom"]), view["zoom"])}
                           for name, view in VIEWS.items()
                           for t in shared_labels(scene["candidates"], partner, {**view, "height": heights[name]})])
    if len(labels):
        text = {"align": alt.expr("datum.align"), "baseline": alt.expr("datum.base"),
                "font": FONT.strip("'"), "fontWeight": 600}
        # A label tells what its dot tells, looked up from the dots' rows (the
        # same dataset, sent once): without a tooltip of its own, the chart's
        # default one listed the label's raw fields (label_lon, size…).
        enc = {"longitude": "label_lon:Q", "latitude": "label_lat:Q", "text": "name:N",
               "size": alt.Size("size:Q", scale=None), "tooltip": TOOLTIP}
        tips = alt.LookupData(points, key="name", fields=["tip"])
        shown = f"datum.view === ({pick(repr)})"
        # A white halo under each label, as the deck draws a white box.
        for mark in ({"stroke": "#FFFFFF", "strokeWidth": 4, "strokeJoin": "round"}, {"color": _hex(INK)}):
            layers.append(alt.Chart(labels).transform_filter(shown).transform_lookup(
                lookup="name", from_=tips).mark_text(**text, **mark).encode(**enc))
    tall = alt.param(name="height", expr=pick(lambda v: str(heights[v])))
    return alt.layer(*layers).project(**projection).add_params(tall).properties(
        width="container", description=description)


# Initial views: a desktop column (~700 px) and a phone (~356 px) both show
# Yiwu, Europe, the Gulf and East Africa; the still overview has a mid frame too. Width and height (the map's size in
# pixels, see map_view.HEIGHT) only decide which labels fit.
VIEWS = {
    "wide": {"latitude": 30.0, "longitude": 58.0, "zoom": 1.45, "width": 700, "height": 500},
    # The still overview only: a map 520-620 px wide, such as a slide's on a
    # 1280 px projector (fit_view's frame for 520 x 340 px).
    "mid": {"latitude": 29.9, "longitude": 59.8, "zoom": 1.15, "width": 520, "height": 340},
    "phone": {"latitude": 27.0, "longitude": 54.0, "zoom": 0.72, "width": 356, "height": 330},
}

# Room around the outermost places for their dots and labels, in pixels (left,
# top, right, bottom): Yiwu's label stands right of the easternmost dots.
FIT_PAD = (16, 24, 64, 24)


def _frame(view: str | Mapping[str, float]) -> Mapping[str, float]:
    return VIEWS[view] if isinstance(view, str) else view


def frame_from(scene: Mapping[str, list[dict]], view: str) -> int:
    """The narrowest still map, in pixels, whose frame ``view`` shows every dot and line of ``scene``.

    With ``FIT_PAD`` beside the westernmost and easternmost of them. Below it
    the still map takes the next narrower frame: a fixed switch at 520 px cut
    Senegal off in maps 520-620 px wide (a window of about 950 px with the
    sidebar open).
    """
    coords = [(p["lon"], p["lat"]) for p in scene["points"]] + [xy for p in scene["paths"] for xy in p["path"]]
    if not coords:
        return 0
    zoom = VIEWS[view]["zoom"]
    centre = _screen(VIEWS[view]["longitude"], VIEWS[view]["latitude"], zoom)[0]
    dx = [_screen(lon, lat, zoom)[0] - centre for lon, lat in coords]
    left, _, right, _ = FIT_PAD
    return math.ceil(max(2 * (left - min(dx)), 2 * (max(dx) + right)))


def fit_view(places: pd.DataFrame, width: float, height: float) -> dict[str, float]:
    """The interactive map's first view for a map of this size: every place in sight.

    From Senegal to Ningbo and from Riga to Dar es Salaam, with ``FIT_PAD``
    around them, but never closer than the wide view, whose zoom the labels
    were made for. A narrow column (a window of 800 px with the sidebar open,
    a slide on a 1024 px projector) gets a wider view, where ``VIEWS['wide']``
    left Madrid and Yiwu off its edges.
    """
    left, top, right, bottom = FIT_PAD
    x0, y0 = _screen(places["lon"].min(), places["lat"].max(), 0)
    x1, y1 = _screen(places["lon"].max(), places["lat"].min(), 0)
    zoom = min(math.log2(max(width - left - right, 1) / (x1 - x0)),
               math.log2(max(height - top - bottom, 1) / (y1 - y0)), VIEWS["wide"]["zoom"])
    if zoom == VIEWS["wide"]["zoom"]:  # room to spare: the wide view itself, as the still overview frames it
        return {**VIEWS["wide"], "width": width, "height": height}
    scale = 2**zoom
    centre = _unscreen((x0 * scale - left + x1 * scale + right) / 2, (y0 * scale - top + y1 * scale + bottom) / 2, zoom)
    return {"latitude": float(centre["label_lat"]), "longitude": float(centre["label_lon"]),
            "zoom": round(float(zoom), 3), "width": width, "height": height}


def _deck(layers: list[pdk.Layer], view: dict, background: str, tooltip: bool = True) -> pdk.Deck:
    zoom = view["zoom"]
    return pdk.Deck(
        layers=layers,
        initial_view_state=pdk.ViewState(**view, min_zoom=max(zoom - 3, 0.3), max_zoom=zoom + 5),
        # Wheel-zoom off: on a long story page the wheel should scroll the page.
        views=[pdk.View(type="MapView", controller={"scrollZoom": False, "dragRotate": False,
                                                    "touchRotate": False})],
        map_provider=None,
        map_style=style_url(background),
        tooltip={"html": "<b>{name}</b><br/>{tip}",
                 "style": {"whiteSpace": "pre-line", "maxWidth": "280px", "fontSize": "14px",
                           "backgroundColor": "#ffffff", "color": "#141414",
                           "border": "1px solid #999", "lineHeight": "1.35"}} if tooltip else False,
    )


def world_deck(routes: pd.DataFrame, places: pd.DataFrame, *, year: int,
               layers: Iterable[str] = LAYERS, view: str | Mapping[str, float] = "wide",
               world_url: str = WORLD_URL, partner: list[dict] | None = None) -> pdk.Deck:
    """The trade-route map: frames from :func:`route_info` and :func:`place_info`.

    ``view`` is a name in ``VIEWS`` or a frame from :func:`fit_view`; ``partner``
    the other language's label candidates, so both name the same places.
    """
    frame = {k: v for k, v in _frame(view).items() if k in ("latitude", "longitude", "zoom")}
    return _deck(world_layers(routes, places, year=year, layers=layers, view=view, world_url=world_url,
                              partner=partner), frame, OCEAN)


def world_alt(routes: pd.DataFrame, places: pd.DataFrame, labels: Mapping[str, str], *,
              year: int, layers: Iterable[str], lang: str) -> str:
    """A sentence or two saying what the map shows, for screen readers."""
    layers = set(layers)
    seen = visible_routes(routes, year)
    parts = [labels["alt.intro"].format(year=year)]
    rail = seen[seen["mode"].str.startswith("rail")]
    sea = seen[seen["mode"].str.startswith("sea")]
    if "rail" in layers and len(rail):
        parts.append(labels["alt.rail"].format(n=len(rail), names=_join(rail["to"], lang)))
    if "sea" in layers and len(sea):
        parts.append(labels["alt.sea"].format(n=len(sea), names=_join(sea["to"], lang)))
    if not len(seen):
        parts.append(labels["alt.none"])
    shown, _ = _shown_places(routes, places, year, layers)
    hubs = places[places["id"].isin(shown) & (places["kind"] == "hub")]
    stories = places[places["id"].isin(shown) & (places["kind"] == "story")]
    if len(hubs):
        parts.append(labels["alt.hubs"].format(names=_join(hubs["name"], lang)))
    if len(stories):
        parts.append(labels["alt.stories"].format(names=_join(stories["name"], lang)))
    return ("" if lang == "zh" else " ").join(parts)


def route_table(routes: pd.DataFrame, labels: Mapping[str, str], *, year: int) -> pd.DataFrame:
    """The routes on the map as a table: the text alternative a reader can scan."""
    seen = visible_routes(routes, year).sort_values(["since", "id"])
    dash = "–"
    return pd.DataFrame({
        labels["table.from"]: seen["from"],
        labels["table.to"]: seen["to"],
        labels["table.first_run"]: [f or labels["table.since"].format(year=s)
                                    for f, s in zip(seen["first_run"], seen["since"], strict=True)],
        labels["table.length"]: seen["length"].replace("", dash),
        labels["table.days"]: seen["days"].replace("", dash),
        labels["table.crossings"]: seen["crossings"].replace("", dash),
        labels["table.source"]: seen["source_names"],
    }).reset_index(drop=True)
