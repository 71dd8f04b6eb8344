"""Maps placed in the story: controls, map, card, legend, notes, text alternative.

``{{ map: world }}`` shows the trade-route map (rail lines of 义新欧, sea lanes
from Ningbo-Zhoushan, overseas hubs, traders' stories) with year buttons,
layer switches and a card for the route or place the reader picks, on the map
or in a select box (which also works by keyboard and on phones). It opens on
a still Vega-Lite overview; a second button brings the interactive deck.gl map.
``{{ map: markets }}`` shows Yiwu's six market generations.

The overview and the decks are built by the pure functions in :mod:`yiwu.maps`.
"""

from __future__ import annotations

import contextlib
import json
import re

import pandas as pd
import streamlit as st

from yiwu import ROOT, charts, lazy, maps
from yiwu.chart_view import SLIDE_SOURCES, beside, show_chart, show_table, sources_line, swatch
from yiwu.content import FACT
from yiwu.i18n import colon, fmt_number, keep_choice, sentences, t
from yiwu.loaders import DATA, DataError, load_strings, load_table, load_words, shared
from yiwu.sources import cite, source_name

YEARS = (1982, maps.LATEST_YEAR)
HEIGHT = {name: view["height"] for name, view in maps.VIEWS.items()}
COMPACT_HEIGHT = 340  # the map on a slide: with its year buttons on a 1280 × 720 screen
_PHONE = re.compile(r"Mobi|Android|iPhone|iPod", re.IGNORECASE)


def labels(lang: str) -> dict[str, str]:
    """The ``map.*`` strings of a language, without the prefix."""
    return {k[4:]: v for k, v in load_strings(lang).items() if k.startswith("map.")}


def _plain_facts(text: str, lang: str) -> str:
    """``{{fact:id}}`` replaced by the figure as plain text (tooltips cannot show Markdown)."""
    from yiwu.story import fact_text

    return FACT.sub(lambda m: fact_text(m["id"], lang), text)


def _filled(words: dict[str, dict], lang: str) -> dict[str, dict]:
    return {k: {f: _plain_facts(v, lang) if isinstance(v, str) else v for f, v in fields.items()}
            for k, fields in words.items()}


def check(routes: pd.DataFrame, places: pd.DataFrame) -> None:
    """Cross-checks between the two tables; a mistake names the file, row and column."""
    kinds = dict(zip(places["id"], places["kind"], strict=True))
    for p in places.to_dict("records"):
        path, row = DATA / "places.csv", p["_row"]
        if (p["illustrative"] == "yes") != (p["kind"] == "shape"):
            raise DataError(path, "only a “shape” place is illustrative, and every one is", row, "illustrative")
        if p["illustrative"] == "no" and not len(p["source_ids"] or ()):
            raise DataError(path, "a place on the map with no source", row, "source_ids")
    for r in routes.to_dict("records"):
        path, row = DATA / "routes.csv", r["_row"]
        points = maps.split_ids(r["waypoints"])
        for pid in points:
            if pid not in kinds:
                raise DataError(path, f"unknown place “{pid}” (see data/places.csv)", row, "waypoints")
        if len(points) < 2:
            raise DataError(path, "a route needs at least two waypoints", row, "waypoints")
        for col in ("via", "transfer"):
            for pid in maps.split_ids(r[col]):
                if pid not in points:
                    raise DataError(path, f"“{pid}” is not one of the route's waypoints", row, col)
                if kinds[pid] == "shape":
                    raise DataError(path, f"“{pid}” is an illustrative point, not a documented stop", row, col)
        for end in (points[0], points[-1]):
            if kinds[end] == "shape":
                raise DataError(path, f"the route ends at an illustrative point “{end}”", row, "waypoints")
        if r["first_run"] and int(str(r["first_run"])[:4]) != int(r["since"]):
            raise DataError(path, "“since” must be the year of the first run", row, "since")


@shared
def world_frames(lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Routes and places with every text in ``lang``: what :func:`maps.world_deck` draws."""
    routes, places = load_table("routes").copy(), load_table("places").copy()
    check(routes, places)
    words = labels(lang)
    route_words = _filled(load_words("routes", lang), lang)
    place_words = _filled(load_words("places", lang), lang)
    routes["source"] = [cite(ids, lang) for ids in routes["source_ids"]]
    sep = "；" if lang == "zh" else "; "
    routes["source_names"] = [sep.join(source_name(i, lang) for i in ids) for ids in routes["source_ids"]]
    places["source"] = [cite(ids, lang) if len(ids) else "" for ids in places["source_ids"]]
    info = maps.route_info(routes, places, route_words, place_words, words, lang)
    info["load"] = [
        "" if pd.isna(n) else words[f"load.{u}"].format(n=fmt_number(n, lang, big=False))
        for n, u in zip(routes["load"], routes["load_unit"], strict=True)
    ]
    info["source_ids"] = list(routes["source_ids"])
    return info, maps.place_info(places, place_words, words, lang)


def _view() -> str:
    """Phones get a wider initial view, so Yiwu, Europe and Africa all fit on 360 px."""
    try:
        agent = st.context.headers.get("User-Agent", "")
    except Exception:  # no browser (AppTest, scripts)
        agent = ""
    return "phone" if _PHONE.search(agent or "") else "wide"


# The width of the interactive map, measured in the reader's browser. deck.gl
# opens at a fixed zoom, so the server has to know how wide the map is to
# frame every route (maps.fit_view); the user agent only says "phone". The
# probe is mounted only with the interactive map, so the page's first view
# does not wait for it. It reports the width of the box it stands in (the
# map's column), which reruns the page once with the map framed for it, and
# again when that width changes by more than a tenth, but only until the
# reader has touched the map: a new frame would throw away their zoom and
# pan (closing the sidebar, turning a phone).
_PROBE_JS = """
export default function ({ data, parentElement, setStateValue }) {
  const host = parentElement instanceof ShadowRoot ? parentElement.host : parentElement;
  const box = host.closest('[data-testid="stVerticalBlock"]');
  if (!box) return;
  let sent = data || 0, timer = 0, touched = false;
  const report = () => {
    const width = Math.round(box.getBoundingClientRect().width);
    if (width > 0 && Math.abs(width - sent) > sent / 10 && !(touched && sent)) {
      sent = width;
      setStateValue("width", width);
    }
  };
  const touch = (event) => {
    if (event.target.closest && event.target.closest('[data-testid="stDeckGlJsonChart"]')) touched = true;
  };
  const kinds = ["pointerdown", "wheel", "keydown", "touchstart"];
  kinds.forEach((kind) => box.addEventListener(kind, touch, true));
  const observer = new ResizeObserver(() => { clearTimeout(timer); timer = setTimeout(report, 150); });
  observer.observe(box);
  report();
  return () => {
    observer.disconnect(); clearTimeout(timer);
    kinds.forEach((kind) => box.removeEventListener(kind, touch, true));
  };
}
"""


@shared
def _probe():
    import streamlit.components.v2 as components

    return components.component("yiwu_map_width", js=_PROBE_JS)


def _map_width(key: str) -> int | None:
    """The map's width in pixels as the browser last reported it (None before it has)."""
    store = f"map_{key}_width"
    result = _probe()(key=f"map_{key}_probe", data=st.session_state.get(store), height=0,
                      on_width_change=lambda: None)
    width = getattr(result, "width", None)
    if isinstance(width, int | float) and 120 <= width <= 4000:
        st.session_state[store] = int(width)
    return st.session_state.get(store)


def _hex(rgb) -> str:
    return "#" + "".join(f"{c:02X}" for c in rgb)


# How the key draws each entry of ``maps.LEGEND``: a swatch kind and its colour, as on the map.
LEGEND_MARKS = {
    "yiwu": ("big", _hex(maps.INK)), "rail": ("line", _hex(maps.RAIL)), "stop": ("small", _hex(maps.RAIL)),
    "border": ("ring", _hex(maps.RAIL)), "sea": ("dash", _hex(maps.SEA)), "road": ("dots", _hex(maps.SEA)),
    "port": ("small", _hex(maps.SEA)), "hub": ("dot", _hex(maps.HUB)), "story": ("dot", _hex(maps.STORY)),
}


def _legend(words: dict[str, str], keys: list[str]) -> None:
    """The map's key: one entry for each kind of line and dot it draws (``maps.legend_keys``)."""
    items = [swatch(*LEGEND_MARKS[key], words[f"legend.{key}"]) for key in keys]
    # st.html, not Markdown with raw HTML: that needs a 184 KB HTML parser script.
    # On the map's own light land colour, in both themes, as the map is: on a
    # dark page Yiwu's black dot, edged in white, read as a hollow white ring.
    land = _hex(maps.LAND)
    st.html(f'<div style="line-height:2;font-size:0.9em;background:{land};color:#111111;'
            f'padding:0.2em 0.7em;border-radius:0.5rem">' + " ".join(items) + "</div>")


def _picked(state) -> str | None:
    """The id of the route or place picked on the map, if any."""
    try:
        objects = state["selection"]["objects"]
    except (KeyError, TypeError):
        return None
    for items in objects.values():
        for obj in items or []:
            if isinstance(obj, dict) and obj.get("id"):
                return str(obj["id"])
    return None


def _card_route(r: pd.Series, words: dict[str, str], lang: str) -> None:
    unknown = words["card.unknown"]

    def field(name: str, value: str) -> str:
        # The colon stays outside the bold run, so Markdown renders it in Chinese too.
        return f"**{words['card.' + name]}**{colon(lang)}{value}"

    lines = []
    if r["first_run"]:
        when = field("first_run", r["first_run"])
        if r["arrived"]:
            when += " · " + field("arrived", r["arrived"])
    else:
        when = field("since", words["card.since_value"].format(year=r["since"]))
    lines.append(when)
    lines.append(field("length", r["length"] or unknown) + " · " + field("days", r["days"] or unknown))
    for name in ("crossings", "stops", "path"):
        if r[name]:
            lines.append(field(name, r[name]))
    load = words["card.load"] + colon(lang) + r["load"] if r["load"] else ""
    cargo = ("；" if lang == "zh" else "; ").join(x for x in (load, r["cargo"]) if x)
    lines.append(field("cargo", cargo or unknown))
    if r["shaped"]:
        lines.append(field("shaped", r["shaped"]))
    st.markdown(f"#### {r['name']}\n\n" + "  \n".join(lines))
    if r["note"]:
        st.markdown(r["note"])
    st.caption(r["source"])


def _card_place(p: pd.Series, words: dict[str, str]) -> None:
    st.markdown(f"#### {p['name']}")
    if p["note"]:
        st.markdown(p["note"])
    st.caption(words["card.illustrative"] if p["illustrative"] else
               words["card.approx"] if p["coord"] == "approx" else words["card.checked"])
    if p["source"]:
        st.caption(p["source"])


def map_years(routes: pd.DataFrame, places: pd.DataFrame) -> list[int]:
    """1982, every year a line or a market abroad first appears, and 2025."""
    opened = {int(y) for y in routes["since"]} | {int(y) for y in places["since"].dropna()}
    return sorted({*YEARS, *(y for y in opened if YEARS[0] <= y <= YEARS[1])})


def world(lang: str, key: str = "world", compact: bool = False, aside=None) -> None:
    """The trade-route map with its controls; ``compact`` for a slide (see below).

    On a slide the legend and the layer and view choices go in ``aside``, beside the map.
    """
    words = labels(lang)
    routes, places = world_frames(lang)
    view = _view()
    height = COMPACT_HEIGHT if compact else HEIGHT[view]
    # On a slide the map comes first and is shorter, so that it fits a
    # 1280 × 720 projector beside the text; its year buttons follow it. Its
    # legend, then the layer and view choices, go in ``aside``, under the
    # slide's text, where the projector shows them (on a phone that box comes
    # just before the map: present_css).
    drawing = st.container() if compact else contextlib.nullcontext()
    legend_box, side = drawing, contextlib.nullcontext()
    if aside is not None:
        with aside:
            legend_box = st.container(key=f"map_{key}_legend")
        side = aside

    # The years in which the map changes, as buttons: a slider would offer
    # 44 years of which 34 look the same, and it loads a date library too.
    years = map_years(routes, places)
    year_key = f"map_{key}_year"

    # required: clicking the chosen year again, or Space on it, keeps it chosen
    # (a callback that put the default year back showed none chosen).
    year = st.pills(words["year"], years, default=YEARS[1], help=words["year_help"],
                    key=year_key, required=True) or YEARS[1]
    # The layers and the view keep the reader's choice when the language changes.
    keep_choice(f"map_{key}_layers", lang, list(maps.LAYERS))
    # Beside a slide's map the two choices go without their titles (still their names for a
    # screen reader), so the map's sources under them stay on a 1280 x 720 projector.
    titles = "collapsed" if aside is not None else "visible"
    with side:
        shown = st.pills(words["layers"], maps.LAYERS, selection_mode="multi", label_visibility=titles,
                         format_func=lambda k: words[f"layer.{k}"], key=f"map_{key}_layers")
    layers = set(shown or ())

    # A still overview first; the deck.gl map on request. deck.gl is about
    # 3 MB of script and draws with WebGL, which on a phone or a school PC
    # without a graphics card costs more than the rest of the page together
    # (bench/README.md). Both draw the same scene.
    # Two buttons rather than a switch: they use the year buttons' script, where
    # a switch made the page fetch four more files (bench/README.md).
    keep_choice(f"map_{key}_view", lang, "still")
    with side:
        interactive = st.segmented_control(
            words["view"], ("still", "interactive"), format_func=lambda v: words[v], label_visibility=titles,
            required=True, key=f"map_{key}_view", help=words["interactive_help"]) == "interactive"
    if aside is not None:
        # On a slide the map's sources stand beside it, as a chart's do: its
        # notes, under the cards, begin below a 1280 x 720 projector.
        with side:
            sources_line(maps.scene_sources(routes, places, year=year, layers=layers), lang, limit=SLIDE_SOURCES)
    alt_text = maps.world_alt(routes, places, words, year=year, layers=layers, lang=lang)
    gen = st.session_state.get(f"map_{key}_gen", 0)
    with drawing:
        if interactive:
            width = _map_width(key)
            frame = view if width is None else maps.fit_view(places, width, height)
            deck = maps.world_deck(routes, places, year=year, layers=layers, view=frame,
                                   partner=partner_labels(lang, year, layers))
            # A new key whenever the drawn data change: a selection is an index into
            # the layer's data, so an old one would point at the wrong object.
            chart_key = f"map_{key}_deck_{year}_{'-'.join(sorted(layers))}_{gen}"
            state = st.pydeck_chart(deck, height=height, on_select="rerun", selection_mode="single-object",
                                    key=chart_key, alt=alt_text)
        else:
            state = None
            show_chart(world_overview_spec(lang, year, tuple(sorted(layers)), height, alt_text), width="stretch",
                       key=f"map_{key}_overview")
    with legend_box:
        _legend(words, maps.legend_keys(routes, places, year=year, layers=layers))

    # The select box mirrors a pick on the map and works without one. It waits
    # in an expander, which a pick on the map opens: a select box on the first
    # view made every reader's browser fetch about 130 KB more script.
    pick_key, details_key = f"map_{key}_pick", f"map_{key}_details"
    # The card a teacher is showing stays open, on the same route, after a language switch.
    keep_choice(pick_key, lang)
    keep_choice(details_key, lang)
    picked = _picked(state)
    if picked and picked != st.session_state.get(f"map_{key}_last"):
        st.session_state[pick_key] = picked
        st.session_state[details_key] = True
    st.session_state[f"map_{key}_last"] = picked
    pickable = places[~places["kind"].isin(("shape", "rail_station"))]
    options = list(routes.sort_values(["since", "id"])["id"]) + list(pickable["id"])
    names = {**dict(zip(routes["id"], routes["name"], strict=True)),
             **dict(zip(places["id"], places["name"], strict=True))}
    icons = {"rail": "▬", "sea": "┅", "rail+sea": "▬", "sea+road": "┅", "hub": "●", "story": "●"}
    kind_of = {**dict(zip(routes["id"], routes["mode"], strict=True)),
               **dict(zip(places["id"], places["kind"], strict=True))}
    if st.session_state.get(pick_key) not in options:
        st.session_state[pick_key] = None

    def _reset_map_selection() -> None:
        st.session_state[f"map_{key}_gen"] = gen + 1

    with lazy.expander(words["details"], key=details_key, icon=":material/info:") as opened:
        if opened:
            choice = st.selectbox(words["pick"], options,
                                  format_func=lambda i: f"{icons.get(kind_of[i], '•')} {names[i]}",
                                  placeholder=words["pick_placeholder"], help=words["pick_help"], key=pick_key,
                                  on_change=_reset_map_selection)
            if choice in set(routes["id"]):
                _card_route(routes[routes["id"] == choice].iloc[0], words, lang)
            elif choice:
                _card_place(places[places["id"] == choice].iloc[0], words)

    st.caption(sentences(lang, *(words[f"notes.{k}"] for k in ("sources", "illustrative", "hidden", "stories", "base"))))
    with lazy.expander(words["table.title"], key=f"map_{key}_table") as opened:
        if opened:
            table = maps.route_table(routes, words, year=year)
            st.caption(words["route_count"].format(n=len(table), year=year))
            show_table(table, wide=(words["table.source"],), whole=(words["table.from"], words["table.to"]))


@shared
def _land() -> dict:
    return json.loads((ROOT / "static" / "land-110m.json").read_text(encoding="utf-8"))


@shared(maxsize=48)  # every year, set of layers and height would be hundreds of specs
def world_overview_spec(lang: str, year: int, layers: tuple[str, ...], height: int, alt_text: str) -> dict:
    """The still world map as a Vega-Lite spec (see :func:`maps.world_chart`)."""
    routes, places = world_frames(lang)
    scene = maps.world_scene(routes, places, year=year, layers=layers)
    return maps.world_chart(scene, _land(), height=height, description=alt_text,
                            partner=partner_labels(lang, year, layers)).to_dict()


def partner_labels(lang: str, year: int, layers) -> list[dict] | None:
    """The other language's label candidates, so that both name the same places on the map.

    A broken file of the other language must not break this one's map: then None.
    """
    try:
        return maps.world_scene(*world_frames("en" if lang == "zh" else "zh"), year=year,
                                layers=layers)["candidates"]
    except DataError:
        return None


def markets_frame(lang: str) -> pd.DataFrame:
    """One row per market generation: where it stood, its name and opening year."""
    gens = load_table("generations")
    gen_words = load_words("generations", lang)
    frame = gens[["generation", "year", "lat", "lon"]].copy()
    frame["name"] = [gen_words[str(int(g))]["name"] for g in gens["generation"]]
    frame["label"] = [str(int(y)) if lang == "en" else f"{int(y)}年" for y in gens["year"]]
    return frame


def markets_alt(frame: pd.DataFrame, lang: str) -> str:
    return labels(lang)["markets.alt"].format(
        names=("\uff1b" if lang == "zh" else "; ").join(
            f"{int(g)} {n}" for g, n in zip(frame["generation"], frame["name"], strict=True)))


def markets_key(frame: pd.DataFrame, lang: str) -> str:
    """The map's key: each number with its market's name and opening year."""
    entries = [f"**{int(g)}** {name}（{label}）" if lang == "zh" else f"**{int(g)}** {name} ({label})"
               for g, name, label in zip(frame["generation"], frame["name"], frame["label"], strict=True)]
    return " · ".join(entries)


@shared
def markets_spec(lang: str) -> dict:
    """The markets chart as a Vega-Lite spec, made once per language (see chart_view.show_chart)."""
    words, frame = labels(lang), markets_frame(lang)
    return charts.markets_chart(frame, {"title": words["markets.title"], "km": words["markets.km"],
                                        "tt.name": words["markets.name"],
                                        "tt.year": words["markets.year"],
                                        "description": markets_alt(frame, lang)}).to_dict()


def markets(lang: str, compact: bool = False, aside=None) -> None:  # noqa: ARG001 (one size fits a slide)
    # An Altair chart, not a deck.gl map: six dots need no map engine, and the
    # chapter's timeline has already loaded Vega (see bench/README.md).
    words = labels(lang)
    frame = markets_frame(lang)
    show_chart(markets_spec(lang), width="stretch", key="markets_chart")
    with beside(aside):  # on a slide, beside the map
        # The map writes only numbers and years; its key names the markets.
        st.caption(markets_key(frame, lang))
        # The chapter says why dots 1-3 nearly overlap; a slide, short of room, leaves it to the teacher.
        overlap = words["markets.overlap"] if aside is None else ""
        st.caption(sentences(lang, words["markets.legend"], overlap, words["markets.note"]))
        sources_line([s for ids in load_table("generations")["source_ids"] for s in ids], lang)
    with lazy.expander(words["markets.table"], key="markets_table") as opened:
        if opened:
            table = pd.DataFrame({
                words["markets.generation"]: frame["generation"].astype(int),
                words["markets.year"]: frame["year"].astype(int),
                words["markets.name"]: frame["name"],
            })
            show_table(table)


MAPS = {"world": world, "markets": markets}


def render(name: str, lang: str, compact: bool = False, aside=None) -> None:
    draw = MAPS.get(name)
    if draw is None:
        st.info(t("map.coming", lang, name=name))
        return
    draw(lang, compact=compact, aside=aside)  # a DataError is shown in its block by yiwu.story.render_block
