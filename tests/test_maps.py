"""The maps: data, decks, texts and the view, without a browser.

The default view of the world map is compared with a reviewed fixture,
tests/fixtures/map_world_en.json. After a deliberate change to the map or its
data, regenerate it, look at the diff, and commit it with the change:

    UPDATE_MAP_FIXTURES=1 python -m pytest tests/test_maps.py -q
    git diff tests/fixtures/map_world_en.json
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from yiwu import ROOT, charts, map_view, maps
from yiwu.loaders import LANGS, DataError, read_table, read_words
from yiwu.sources import source_name

FIXTURE = ROOT / "tests" / "fixtures" / "map_world_en.json"
WORLD_FILE = ROOT / "static" / "land-110m.json"
HAN = re.compile(r"[\u4e00-\u9fff]")
ROUTES = read_table("routes")
PLACES = read_table("places")


def deck_json(lang="en", year=2025, layers=maps.LAYERS, view="wide") -> dict:
    routes, places = map_view.world_frames(lang)
    return json.loads(maps.world_deck(routes, places, year=year, layers=layers, view=view).to_json())


def layer(deck: dict, layer_id: str) -> dict:
    return next(x for x in deck["layers"] if x["id"] == layer_id)


def labels_of(deck: dict) -> list[dict]:
    """Every label on the map (one text layer per side of the dots)."""
    return [t for x in deck["layers"] if x["id"].startswith("labels") for t in x["data"]]


def drawn_routes(deck: dict) -> set[str]:
    return {p["id"] for lid in ("rail", "sea") for p in layer(deck, lid)["data"]}


def drawn_points(deck: dict) -> set[str]:
    return {p["id"] for p in layer(deck, "places")["data"]}


# ---------------------------------------------------------------- data

def test_every_route_and_place_has_words_in_both_languages():
    for lang in ("en", "zh"):
        assert set(read_words("routes", lang)) >= set(ROUTES["id"])
        assert set(read_words("places", lang)) >= set(PLACES["id"])


def test_cross_references_hold():
    map_view.check(ROUTES, PLACES)  # raises DataError naming file, row and column


def test_a_waypoint_that_does_not_exist_is_reported_with_its_row():
    broken = ROUTES.copy()
    broken.loc[broken.index[0], "waypoints"] = "yiwu-west;atlantis"
    with pytest.raises(DataError) as err:
        map_view.check(broken, PLACES)
    assert err.value.row == broken["_row"].iloc[0] and err.value.column == "waypoints"
    assert "atlantis" in err.value.message


def test_an_illustrative_point_cannot_be_a_documented_stop():
    broken = ROUTES.copy()
    i = broken.index[broken["id"] == "yiwu-madrid"][0]
    broken.loc[i, "via"] = "alashankou;warsaw"
    with pytest.raises(DataError, match="illustrative"):
        map_view.check(broken, PLACES)


def test_route_figures_agree_with_the_fact_table():
    """A length or a number of days is stored twice only here; the two must agree."""
    facts = read_table("facts").set_index("id")
    pairs = {"yiwu-madrid": ("madrid_km", "madrid_days"), "yiwu-tehran": ("tehran_km", "tehran_days"),
             "yiwu-london": ("london_km", "london_days"), "yiwu-riga": ("riga_km", None),
             "yiwu-mazar": ("mazar_km", None)}
    routes = ROUTES.set_index("id")
    for route_id, (km, days) in pairs.items():
        assert routes.loc[route_id, "length_km"] == facts.loc[km, "value"], route_id
        if days:
            assert routes.loc[route_id, "days"] == facts.loc[days, "value"], route_id


def test_unsourced_routes_are_left_out():
    """Yiwu–Vilnius and the sea lanes to Mombasa, Lagos and Dakar have no source."""
    names = " ".join(w["name"] for lang in ("en", "zh") for w in read_words("routes", lang).values())
    for place in ("Vilnius", "Mombasa", "Lagos", "维尔纽斯", "蒙巴萨", "拉各斯"):
        assert place not in names
    ends = {r.split(";")[-1] for r in ROUTES["waypoints"]}
    assert "story-senegal" not in ends and "dakar" not in ends


def test_world_file_is_small_closed_and_does_not_cross_the_antimeridian():
    world = json.loads(WORLD_FILE.read_text())
    rings = [ring for f in world["features"] for poly in f["geometry"]["coordinates"] for ring in poly]
    assert len(rings) > 100  # continents and islands, not a stub
    assert WORLD_FILE.stat().st_size < 200_000
    for ring in rings:
        assert ring[0] == ring[-1]
        # A jump of more than 180° between neighbours paints a stripe across the map.
        assert all(abs(a[0] - b[0]) < 180 for a, b in zip(ring, ring[1:]))
    lats = [p[1] for ring in rings for p in ring]
    assert min(lats) > -60  # no Antarctica
    lons = [p[0] for ring in rings for p in ring]
    assert max(lons) > 180  # eastern Russia and Fiji are drawn next to Asia


def test_world_file_provenance_is_recorded():
    text = (ROOT / "assets" / "README.md").read_text()
    assert "land-110m.json" in text and "Natural Earth" in text and "world-atlas" in text
    assert (ROOT / "tools" / "build_world.py").exists()


# ---------------------------------------------------------------- the deck

def test_world_deck_has_land_routes_places_and_labels():
    deck = deck_json()
    ids = [x["id"] for x in deck["layers"]]
    assert ids[:4] == ["land", "sea", "rail", "places"] and all(i.startswith("labels") for i in ids[4:])
    assert layer(deck, "land")["data"] == maps.WORLD_URL
    assert "yiwu" in drawn_points(deck)
    yiwu = read_words("places", "en")["yiwu"]["name"]
    assert yiwu in {t["name"] for t in labels_of(deck)}  # Yiwu is always labelled


def test_nothing_in_the_deck_points_outside_the_app():
    for lang in ("en", "zh"):
        text = json.dumps(deck_json(lang))
        assert not re.search(r"https?://", text), "an outside URL in the deck"
        deck = json.loads(text)
        assert "mapProvider" not in deck
        style = deck["mapStyle"]
        assert style.startswith("data:application/json")
        style = json.loads(unquote(style.split(",", 1)[1]))
        assert style["version"] == 8 and style["sources"] == {}
        assert [x["type"] for x in style["layers"]] == ["background"]


def test_each_route_appears_in_the_year_of_its_first_run():
    for year in range(1982, 2026):
        expected = set(ROUTES.loc[ROUTES["since"] <= year, "id"])
        assert drawn_routes(deck_json(year=year)) == expected, year
    # What a reader checks against the story: in 2015 only the 2014 lines (and
    # the older sea-rail shuttle and sea lane) are there; Madrid came in 2014.
    rail_2015 = {p["id"] for p in layer(deck_json(year=2015), "rail")["data"]}
    assert {"yiwu-almaty", "yiwu-madrid"} <= rail_2015
    assert not rail_2015 & {"yiwu-tehran", "yiwu-riga", "yiwu-london", "yiwu-vientiane"}
    assert "yiwu-madrid" not in drawn_routes(deck_json(year=2013))
    assert drawn_routes(deck_json(year=2025)) == set(ROUTES["id"])


def test_before_any_route_only_yiwu_is_shown_and_the_traders_stories_only_today():
    """The stories come from a 2026 report: pinned on the map of 1982 they read as traders of 1982."""
    deck = deck_json(year=1982)
    assert drawn_routes(deck) == set()
    kinds = dict(zip(PLACES["id"], PLACES["kind"]))
    assert {kinds[p] for p in drawn_points(deck)} == {"city"}
    stories = {p for p, k in kinds.items() if k == "story"}
    assert stories and stories <= drawn_points(deck_json(year=map_view.YEARS[1]))
    assert not stories & drawn_points(deck_json(year=2024))


def test_layer_switches_hide_what_they_name():
    only_rail = deck_json(layers={"rail"})
    assert layer(only_rail, "sea")["data"] == []
    kinds = dict(zip(PLACES["id"], PLACES["kind"]))
    assert not {kinds[p] for p in drawn_points(only_rail)} & {"hub", "story"}
    only_stories = deck_json(layers={"stories"})
    assert drawn_routes(only_stories) == set()
    assert {kinds[p] for p in drawn_points(only_stories)} == {"city", "story"}
    hubs = deck_json(layers={"markets"})
    assert {"dubai-market", "kigali-hub"} <= drawn_points(hubs)


def test_illustrative_points_only_shape_lines():
    deck = deck_json()
    shapes = set(PLACES.loc[PLACES["illustrative"] == "yes", "id"])
    assert not drawn_points(deck) & shapes
    labels = {t["name"] for t in labels_of(deck)}
    words = read_words("places", "en")
    assert not labels & {words[s]["name"] for s in shapes}


def test_sea_lanes_look_different_from_rail():
    deck = deck_json()
    rail, sea = layer(deck, "rail"), layer(deck, "sea")
    assert rail["getColor"] != sea["getColor"]
    assert {"@@type": "PathStyleExtension", "dash": True} in sea["extensions"]
    assert all(p["dash"] != [0, 0] for p in sea["data"])


def test_chinese_labels_can_be_drawn():
    deck = deck_json("zh")
    texts = [x for x in deck["layers"] if x["@@type"] == "TextLayer"]
    needed = {c for t in labels_of(deck) for c in t["name"]}
    for x in texts:
        # deck.gl draws only the characters in its atlas: a Chinese glyph
        # missing from the set draws as nothing.
        assert needed <= set(x["characterSet"]), sorted(needed - set(x["characterSet"]))
        assert x["sizeUnits"] == "pixels"
    assert len({x["characterSet"] for x in texts}) == 1, "one shared font atlas, not one per layer"
    assert len(labels_of(deck)) >= 10
    assert all(HAN.search(t["name"]) for t in labels_of(deck))


def test_tooltip_gives_first_run_length_days_crossings_and_source():
    routes, _ = map_view.world_frames("en")
    madrid = routes.set_index("id").loc["yiwu-madrid"]
    for part in ("18 Nov 2014", "13,052 km", "about 21 days", "Alashankou", "Irun", "Source"):
        assert part in madrid["tip"]
    routes_zh, _ = map_view.world_frames("zh")
    madrid_zh = routes_zh.set_index("id").loc["yiwu-madrid"]
    for part in ("2014年11月18日", "13052公里", "约21天", "阿拉山口", "来源"):
        assert part in madrid_zh["tip"]
    # A route without a documented first run says so instead of inventing one.
    sea = routes.set_index("id").loc["ningbo-jebel-ali"]
    assert sea["first_run"] == "" and "no first-run date" in sea["tip"]


def test_stories_are_pinned_at_capitals_and_say_so():
    _, places = map_view.world_frames("en")
    stories = places[places["kind"] == "story"].set_index("id")
    assert set(stories.index) == {"story-senegal", "story-yemen", "story-uganda"}
    for note in stories["note"]:
        assert "capital" in note
    assert "100" in stories.loc["story-senegal", "note"]  # the fact, filled in from facts.csv
    assert all("Huanqiu" in s or "环球" in s for s in stories["source"])


def test_phone_view_is_wider_than_desktop():
    assert deck_json(view="phone")["initialViewState"]["zoom"] < deck_json()["initialViewState"]["zoom"]


def test_alt_text_and_table_follow_the_year():
    routes, places = map_view.world_frames("en")
    words = map_view.labels("en")
    alt = maps.world_alt(routes, places, words, year=2015, layers=maps.LAYERS, lang="en")
    assert "2015" in alt and "Madrid" in alt and "London" not in alt
    table = maps.route_table(routes, words, year=2025)
    assert len(table) == len(ROUTES)
    assert list(table.columns[:3]) == [words["table.from"], words["table.to"], words["table.first_run"]]
    assert len(maps.route_table(routes, words, year=2015)) == int((ROUTES["since"] <= 2015).sum())


def test_default_view_matches_the_reviewed_fixture():
    deck = deck_json("en")
    if os.environ.get("UPDATE_MAP_FIXTURES"):
        FIXTURE.write_text(json.dumps(deck, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    expected = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert deck == expected, "the default map changed: review it and regenerate the fixture (see the module docstring)"


def markets_spec(lang: str = "en") -> tuple[dict, list[dict]]:
    """The markets chart's spec and its layers, each with its rows."""
    gens = read_table("generations")
    frame = gens[["generation", "year", "lat", "lon"]].copy()
    frame["name"] = [f"market {g}" for g in gens["generation"]]
    frame["label"] = [str(y) for y in gens["year"]]
    words = map_view.labels(lang)
    spec = charts.markets_chart(frame, {"title": words["markets.title"], "km": words["markets.km"],
                                        "tt.name": words["markets.name"],
                                        "tt.year": words["markets.year"], "description": "alt"}).to_dict()
    layers = [{**x, "rows": spec["datasets"][x["data"]["name"]]} for x in spec["layer"]]
    return spec, layers


def test_markets_chart_numbers_the_six_generations_in_order():
    gens = read_table("generations").sort_values("generation")
    spec, layers = markets_spec()
    numbers = next(x for x in layers if x["encoding"].get("text", {}).get("field") == "n")
    assert [r["n"] for r in numbers["rows"]] == [str(g) for g in gens["generation"]]
    years = [r["label"] for x in layers if x["encoding"].get("text", {}).get("field") == "label"
             and x["rows"][0]["label"] != "1 km" for r in x["rows"]]
    assert sorted(years) == sorted(str(y) for y in gens["year"])  # every dot has its year, once
    moves = next(x for x in layers if x["mark"].get("strokeDash"))
    assert moves["encoding"]["order"]["field"] == "order"  # the dashed line follows the moves in time
    assert [r["generation"] for r in sorted(moves["rows"], key=lambda r: r["order"])] == list(gens["generation"])
    assert spec["projection"]["type"] == "mercator"  # same scale in every direction, so the bar holds
    assert all("url" not in x["data"] for x in layers)  # nothing to fetch: it draws offline


def test_a_market_year_goes_where_neither_the_line_nor_a_dot_is():
    # Three markets 300 m apart from west to east, joined by the line: the
    # middle year has a dot on either side, so it goes above or below its dot.
    m = pd.DataFrame({"lat": [29.3] * 3, "lon": [120.0, 120.003, 120.006], "label": ["1982", "1984", "1986"]})
    spots = charts.year_spots(m, charts.km_bar(29.29, 120.0))
    for frame in charts.MARKETS_FRAMES:
        first, middle, last = (s[f"align_{frame}"] + "/" + s[f"baseline_{frame}"] for s in spots)
        assert middle.split("/")[1] in ("top", "bottom"), frame
        assert (first, last) == ("right/middle", "left/middle"), frame  # outward, clear of the line


def test_market_years_read_their_side_from_the_data():
    spec, layers = markets_spec()
    years = next(x for x in layers if x["encoding"].get("text", {}).get("field") == "label"
                 and "align_wide" in x["rows"][0])
    for key in ("align", "baseline", "dx", "dy"):
        assert years["mark"][key] == {"expr": charts.by_width(*(f"datum.{key}_{f}" for f in ("narrow", "medium", "wide")))}
    assert {r["align_wide"] for r in years["rows"]} >= {"left", "right"}  # not all on one side


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markets_scale_bar_is_one_kilometre_long(lang):
    _, layers = markets_spec(lang)
    bar = next(x for x in layers if x["mark"]["type"] == "line" and not x["mark"].get("strokeDash"))
    (a, b) = [(r["lat"], r["lon"]) for r in bar["rows"]]
    # Haversine distance between the bar's ends.
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    assert 2 * 6371.0 * math.asin(math.sqrt(h)) == pytest.approx(1.0, rel=0.01)
    label = next(x for x in layers if x["mark"]["type"] == "text" and x["rows"] == bar["rows"][:1])
    assert label["rows"][0]["label"] == map_view.labels(lang)["markets.km"]


# ---------------------------------------------------------------- the view

def _view_script(name: str, lang: str) -> None:
    import streamlit as st

    from yiwu import map_view

    st.session_state["lang"] = lang
    map_view.render(name, lang)


def run_view(name: str, lang: str) -> AppTest:
    return AppTest.from_function(_view_script, args=(name, lang), default_timeout=60).run()


def tables_shown(at: AppTest) -> list[str]:
    """The data tables on the page (Markdown tables, see yiwu.markdown)."""
    return [m.value for m in at.markdown if m.value.startswith("| ")]


def view_buttons(at: AppTest):
    """The "still overview / interactive map" buttons of the world map."""
    return next(b for b in at.button_group if b.label == map_view.labels("en")["view"]
                or b.label == map_view.labels("zh")["view"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_world_view_renders_map_controls_and_text_alternative(lang):
    at = run_view("world", lang)
    assert not at.exception
    intro = map_view.labels(lang)["alt.intro"].format(year=2025)
    # First the still overview (a Vega chart), not the deck.gl map.
    assert not at.get("deck_gl_json_chart")
    overview = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert overview["description"].startswith(intro)
    years = at.button_group[0]
    assert years.label == map_view.labels(lang)["year"] and years.value == 2025
    # Only years in which the map changes, from the first market to now.
    assert list(years.options) == [str(y) for y in map_view.map_years(*map_view.world_frames(lang))]
    # The select box and the route table wait until their expanders are opened.
    assert not at.selectbox and not tables_shown(at)
    at.session_state["map_world_details"] = True
    at.session_state["map_world_table"] = True
    at.run()
    assert at.selectbox[0].value is None and len(tables_shown(at)) == 1
    captions = " ".join(c.value for c in at.caption)
    assert map_view.labels(lang)["notes.hidden"] in captions
    # Under the map, where its sources are: the two boxes, named by their real titles.
    words = map_view.labels(lang)
    assert words["notes.sources"] in captions
    assert words["details"] in words["notes.sources"] and words["table.title"] in words["notes.sources"]
    # The second button brings the interactive map, with the same text alternative.
    buttons = view_buttons(at)
    assert buttons.value == "still" and buttons.format_func("interactive") == map_view.labels(lang)["interactive"]
    buttons.set_value("interactive").run()
    assert not at.exception
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1 and not at.get("vega_lite_chart")
    assert charts[0].proto.alt.startswith(intro)


@pytest.mark.parametrize("width", [410, 702])
def test_the_interactive_map_is_framed_for_the_width_the_browser_reports(width):
    """A slide on a 1024 px projector (410 px of map) opens wider than a laptop's column."""
    at = run_view("world", "en")
    view_buttons(at).set_value("interactive").run()
    # Before the browser has measured the map: the view for the user agent.
    first = json.loads(at.get("deck_gl_json_chart")[0].proto.json)["initialViewState"]
    assert first["zoom"] == maps.VIEWS["wide"]["zoom"]
    at.session_state["map_world_width"] = width  # what the probe stores (AppTest runs no JavaScript)
    at.run()
    view = json.loads(at.get("deck_gl_json_chart")[0].proto.json)["initialViewState"]
    fitted = maps.fit_view(map_view.world_frames("en")[1], width, map_view.HEIGHT["wide"])
    assert view["zoom"] == fitted["zoom"] and view["longitude"] == fitted["longitude"]
    assert (view["zoom"] < first["zoom"]) == (width < 680)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_choosing_a_route_shows_its_card_with_source(lang):
    at = run_view("world", lang)
    at.session_state["map_world_details"] = True
    at.run()
    at.selectbox[0].select("yiwu-london").run()
    assert not at.exception
    words = read_words("routes", lang)
    text = " ".join(m.value for m in at.markdown)
    assert words["yiwu-london"]["name"] in text
    assert ("12,000 km" if lang == "en" else "12000公里") in text
    assert any(source_name("bbci", lang) in c.value for c in at.caption)


def test_the_story_key_shows_only_with_the_stories_pins():
    """The pins are on the 2025 map only; on 2014's, a key for them explained nothing on the map."""
    story = map_view.labels("en")["legend.story"]
    at = run_view("world", "en")
    assert any(story in h.proto.body for h in at.get("html"))
    at.button_group[0].set_value(2014).run()
    assert not any(story in h.proto.body for h in at.get("html"))


def test_moving_the_year_back_shrinks_the_network():
    at = run_view("world", "en")
    assert at.button_group[0].value == 2025
    at.button_group[0].set_value(2014).run()
    assert overview_routes(map_view.world_overview_spec("en", 2014, maps.LAYERS, 500, "")) == \
        set(ROUTES.loc[ROUTES["since"] <= 2014, "id"])
    assert json.loads(at.get("vega_lite_chart")[0].proto.spec)["description"].startswith(
        map_view.labels("en")["alt.intro"].format(year=2014))
    view_buttons(at).set_value("interactive").run()
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert drawn_routes(deck) == set(ROUTES.loc[ROUTES["since"] <= 2014, "id"])


# ---------------------------------------------------------------- the overview

def overview_spec(lang="en", year=2025, layers=maps.LAYERS) -> dict:
    routes, places = map_view.world_frames(lang)
    scene = maps.world_scene(routes, places, year=year, layers=layers)
    return maps.world_chart(scene, map_view._land(), description="map").to_dict()


def overview_rows(spec: dict, mark: str) -> list[dict]:
    """The rows of every layer drawn with ``mark`` (line, circle, text)."""
    out = []
    for x in spec["layer"]:
        kind = x["mark"]["type"] if isinstance(x["mark"], dict) else x["mark"]
        if kind == mark and "name" in x.get("data", {}):
            out += spec["datasets"][x["data"]["name"]]
    return out


def overview_routes(spec: dict) -> set[str]:
    return {r["key"].rsplit("-", 1)[0] for r in overview_rows(spec, "line")}


@pytest.mark.parametrize("year, layers", [(2025, maps.LAYERS), (2014, maps.LAYERS), (1982, maps.LAYERS),
                                          (2025, ("rail",)), (2025, ("sea", "stories"))])
def test_overview_draws_what_the_interactive_map_draws(year, layers):
    spec, deck = overview_spec(year=year, layers=layers), deck_json(year=year, layers=layers)
    assert overview_routes(spec) == drawn_routes(deck)
    assert {r["id"] for r in overview_rows(spec, "circle")} == drawn_points(deck)
    # The labels of the desktop frame are the deck's labels.
    wide = {r["name"] for r in overview_rows(spec, "text") if r["view"] == "wide"}
    assert wide == {t["name"] for t in labels_of(deck)}


def test_overview_is_complete_offline_and_frames_the_same_view():
    spec = overview_spec("zh")
    text = json.dumps({k: v for k, v in spec.items() if k != "$schema"}, ensure_ascii=False)
    assert '"url"' not in text and not re.search(r"https?://", text), "the overview loads something"
    land = [x for x in spec["layer"] if x.get("data", {}).get("values", {}).get("type") == "FeatureCollection"]
    assert len(land) == 1, "the land is not drawn from data sent with the chart"
    # The desktop frame is the deck's initial view: same centre and zoom.
    wide = maps.VIEWS["wide"]
    scale = 512 * 2 ** wide["zoom"] / (2 * math.pi)
    assert f"{round(scale, 3)}" in spec["projection"]["scale"]["expr"]
    assert f"[{wide['longitude']}, {wide['latitude']}]" in spec["projection"]["center"]["expr"]
    # Sea legs are dashed, rail lines solid, each in its own colour.
    line = next(x for x in spec["layer"] if x["mark"]["type"] == "line")
    dash = dict(zip(line["encoding"]["strokeDash"]["scale"]["domain"],
                    map(tuple, line["encoding"]["strokeDash"]["scale"]["range"])))
    colour = dict(zip(line["encoding"]["color"]["scale"]["domain"], line["encoding"]["color"]["scale"]["range"]))
    assert dash["rail"] == (1, 0) and dash["sea"] != (1, 0)
    assert colour["rail"] != colour["sea"]
    # Chinese labels, with no text left untranslated.
    names = {r["name"] for r in overview_rows(spec, "text")}
    assert names and all(HAN.search(n) for n in names)


def test_the_still_map_takes_a_narrower_frame_where_the_wide_one_would_cut_a_dot():
    """Between 520 and 620 px (a 950 px window with the sidebar open, a slide on a 1280 px projector)
    Senegal fell off the wide frame; the phone's frame then left most of Europe's labels out."""
    spec = overview_spec()
    switch, mid_at = map(int, re.fullmatch(r"width < (\d+) \? \(width < (\d+) \? .*",
                                           spec["projection"]["scale"]["expr"]).groups())
    assert spec["projection"]["center"]["expr"].startswith(f"width < {switch} ? (width < {mid_at} ?")
    assert 356 < mid_at < switch
    dots = overview_rows(spec, "circle")

    def edges(view: str, width: int) -> tuple[float, float]:
        """Room left of the westernmost dot and right of the easternmost, in pixels, dots' radii included."""
        v = maps.VIEWS[view]
        centre = maps._screen(v["longitude"], v["latitude"], v["zoom"])[0]
        xs = [(maps._screen(d["lon"], d["lat"], v["zoom"])[0] - centre + width / 2, math.sqrt(d["size"] / math.pi))
              for d in dots]
        return min(x - r for x, r in xs), min(width - x - r for x, r in xs)

    for width in (switch, switch + 80, 700):
        assert min(edges("wide", width)) >= 0, f"a dot is cut at {width} px"
    assert min(edges("wide", switch - 40)) < 0, "the wide frame would do a little narrower: the switch is too late"
    for width in (mid_at, switch - 1):
        assert min(edges("mid", width)) >= 0, f"a dot is cut in the mid frame at {width} px"
    for width in (356, mid_at - 1):
        assert min(edges("phone", width)) >= 0, f"a dot is cut in the phone frame at {width} px"
    # A slide's map on a 1280 px projector (about 620 px) names London, as the chapter does.
    mid_labels = {r["name"] for r in overview_rows(spec, "text") if r["view"] == "mid"}
    assert "London" in mid_labels and len(mid_labels) > len({r["name"] for r in overview_rows(spec, "text")
                                                              if r["view"] == "phone"})


@pytest.mark.parametrize("year", [2025, 2014])
def test_both_languages_name_the_same_places_in_each_frame_of_the_overview(year):
    """Each language's label widths chose alone: the English phone map named Mohan, the Chinese one London."""
    named = {}
    for lang in ("zh", "en"):
        spec = map_view.world_overview_spec(lang, year, tuple(sorted(maps.LAYERS)), 500, "")
        named[lang] = {view: {r["id"] for r in overview_rows(spec, "text") if r["view"] == view} for view in maps.VIEWS}
    assert named["zh"] == named["en"]
    assert all(named["en"].values())
    if year == 2025:  # the first train to London ran in 2017
        assert "london" in named["en"]["wide"] & named["en"]["mid"]


@pytest.mark.parametrize("view", ["phone", (410, 340), "wide"])
def test_the_interactive_map_names_the_same_places_in_both_languages(view):
    """The deck's first view, like the overview, names a place only where its label fits in both languages."""
    frame = view if isinstance(view, str) else maps.fit_view(PLACES, *view)
    named = {}
    for lang in ("zh", "en"):
        routes, places = map_view.world_frames(lang)
        deck = maps.world_deck(routes, places, year=2025, view=frame,
                               partner=map_view.partner_labels(lang, 2025, maps.LAYERS))
        named[lang] = {t["id"] for t in labels_of(json.loads(deck.to_json()))}
    assert named["zh"] == named["en"] and "yiwu" in named["en"]


def test_a_broken_file_of_the_other_language_leaves_this_ones_overview_whole(monkeypatch):
    from yiwu.loaders import DataError

    frames = map_view.world_frames

    def broken_zh(lang):
        if lang == "zh":
            raise DataError(Path("data/words/zh/places.toml"), "broken", "london", "name")
        return frames(lang)

    monkeypatch.setattr(map_view, "world_frames", broken_zh)
    spec = map_view.world_overview_spec.__wrapped__("en", 2025, tuple(sorted(maps.LAYERS)), 500, "")
    assert {r["id"] for r in overview_rows(spec, "text") if r["view"] == "wide"} >= {"yiwu", "london"}


@pytest.mark.parametrize("view", list(maps.VIEWS))
def test_overview_labels_sit_beside_their_dots(view):
    """A label's map position, projected back, is its dot plus the chosen offset."""
    zoom = maps.VIEWS[view]["zoom"]
    spec = overview_spec()
    rows = [r for r in overview_rows(spec, "text") if r["view"] == view]
    assert rows
    for r in rows:
        x, y = maps._screen(r["label_lon"], r["label_lat"], zoom)
        dot_x, dot_y = maps._screen(r["lon"], r["lat"], zoom)
        assert abs(x - dot_x - r["offset"][0]) < 0.5 and abs(y - dot_y - r["offset"][1]) < 0.5, r["name"]


def test_overview_labels_take_their_side_of_the_dot_from_the_data():
    """Two text layers (halo, text) whose alignment comes from each row, as the deck's anchors say."""
    spec = overview_spec()
    texts = [x for x in spec["layer"] if x["mark"]["type"] == "text"]
    assert len(texts) == 2
    assert all(x["mark"]["align"] == {"expr": "datum.align"} and x["mark"]["baseline"] == {"expr": "datum.base"}
               for x in texts)
    rows = overview_rows(spec, "text")
    assert {(r["anchor"], r["align"]) for r in rows} <= {("start", "left"), ("end", "right"), ("middle", "center")}
    assert {(r["baseline"], r["base"]) for r in rows} <= {("center", "middle"), ("bottom", "bottom"), ("top", "top")}
    assert len({r["align"] for r in rows}) > 1, "every label on the same side: the test shows nothing"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markets_view_renders(lang):
    at = run_view("markets", lang)
    assert not at.exception
    charts_ = at.get("vega_lite_chart")
    assert len(charts_) == 1 and not at.get("deck_gl_json_chart")
    spec = json.loads(charts_[0].proto.spec)
    assert spec["description"].startswith(map_view.labels(lang)["markets.alt"].split("{")[0])
    assert "{" not in spec["description"]


def test_unknown_map_name_is_a_friendly_note():
    at = run_view("moon", "en")
    assert not at.exception and len(at.info) == 1


# Interactive maps as a browser reports them: a slide on a 1024 px projector,
# a window of 800 px with the sidebar open, a phone, a slide at 1280 px, a laptop.
FITTED = [(410, 340), (447, 500), (356, 330), (618, 340), (702, 500)]


@pytest.mark.parametrize("width, height", FITTED)
def test_the_interactive_map_opens_with_every_place_in_sight(width, height):
    frame = maps.fit_view(PLACES, width, height)
    cx, cy = maps._screen(frame["longitude"], frame["latitude"], frame["zoom"])
    left, top, right, bottom = maps.FIT_PAD
    for p in PLACES.itertuples(index=False):
        x, y = maps._screen(p.lon, p.lat, frame["zoom"])
        x, y = x - cx + width / 2, y - cy + height / 2
        assert left - 0.5 <= x <= width - right + 0.5 and top - 0.5 <= y <= height - bottom + 0.5, p.id
    # Never closer than the wide view the labels were made for; that view where it fits.
    assert frame["zoom"] <= maps.VIEWS["wide"]["zoom"]
    if width >= 680 and height >= 500:
        assert frame["zoom"] == maps.VIEWS["wide"]["zoom"]
    else:
        assert frame["zoom"] < maps.VIEWS["wide"]["zoom"]


@pytest.mark.parametrize("lang, view", [("zh", "wide"), ("en", "wide"), ("zh", "phone"), ("en", "phone"),
                                        *((lang, size) for lang in LANGS for size in FITTED)])
def test_labels_do_not_overlap_and_stay_inside_the_first_view(lang, view):
    frame = maps.VIEWS[view] if isinstance(view, str) else maps.fit_view(PLACES, *view)
    deck = deck_json(lang, view=frame)
    assert read_words("places", lang)["yiwu"]["name"] in {t["name"] for t in labels_of(deck)}
    cx, cy = maps._screen(frame["longitude"], frame["latitude"], frame["zoom"])
    boxes = []
    for t in labels_of(deck):
        x, y = maps._screen(t["lon"], t["lat"], frame["zoom"])
        x, y = x - cx + t["offset"][0], y - cy + t["offset"][1]
        w, h = charts.text_width(t["name"], t["size"]), t["size"]
        left = {"start": x, "end": x - w, "middle": x - w / 2}[t["anchor"]]
        top = {"center": y - h / 2, "bottom": y - h, "top": y}[t["baseline"]]
        boxes.append((t["name"], left, top, left + w, top + h))
        assert -frame["width"] / 2 <= left and left + w <= frame["width"] / 2, t["name"]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            # Touching by up to a pixel is allowed, as in maps.place_labels: the
            # estimated widths run a little long.
            overlap = a[1] < b[3] - 1 and b[1] < a[3] - 1 and a[2] < b[4] - 1 and b[2] < a[4] - 1
            assert not overlap, f"labels {a[0]} and {b[0]} overlap"


@pytest.mark.parametrize("lang", LANGS)
def test_the_laptop_map_names_the_laos_railways_border_crossing(lang):
    # "Mohan" was left out in English: its label's box touched the Dubai label's
    # by half a pixel of padding.
    names = {t["name"] for t in labels_of(deck_json(lang, view="wide"))}
    assert read_words("places", lang)["mohan"]["name"] in names


def test_the_year_buttons_are_the_years_the_map_changes():
    routes, places = map_view.world_frames("en")
    years = map_view.map_years(routes, places)
    assert years[0] == 1982 and years[-1] == 2025 and years == sorted(set(years))
    for before, after in zip(years, years[1:]):
        # Between two listed years nothing new appears ...
        assert drawn_routes(deck_json(year=after - 1)) == drawn_routes(deck_json(year=before))
        assert drawn_points(deck_json(year=after - 1)) == drawn_points(deck_json(year=before))
    # ... and each year listed between the first and the last adds a line or a place.
    changes = {y for y in range(1983, 2026) if (drawn_routes(deck_json(year=y)), drawn_points(deck_json(year=y)))
               != (drawn_routes(deck_json(year=y - 1)), drawn_points(deck_json(year=y - 1)))}
    assert set(years[1:-1]) <= changes <= set(years)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_markets_map_is_titled_and_its_key_names_every_market_in_order(lang):
    """The map writes only numbers and years: its key under it names each market."""
    frame = map_view.markets_frame(lang)
    key = map_view.markets_key(frame, lang)
    words = read_words("generations", lang)
    spots = [key.index(f"**{g}**\u00a0{words[str(g)]['name']}") for g in range(1, 7)]
    assert spots == sorted(spots), key
    assert all(str(y) in key for y in read_table("generations")["year"])
    assert map_view.markets_spec(lang)["title"]["text"] == map_view.labels(lang)["markets.title"]


@pytest.mark.parametrize(("year", "layers"), [(2025, maps.LAYERS), (2014, maps.LAYERS), (2025, ("sea",)),
                                              (2025, ("markets", "stories")), (1982, ("rail",))])
def test_a_slide_lists_the_sources_of_what_the_map_draws(year, layers):
    """The sources beside the map on a slide: those of each drawn route and dot, none else."""
    routes, places = map_view.world_frames("en")
    scene = maps.world_scene(routes, places, year=year, layers=layers)
    drawn_routes = {p["id"] for p in scene["paths"]}
    drawn_places = {p["id"] for p in scene["points"]}
    expected = {s for ids in ROUTES[ROUTES["id"].isin(drawn_routes)]["source_ids"] for s in ids}
    expected |= {s for ids in PLACES[PLACES["id"].isin(drawn_places)]["source_ids"] for s in ids}
    listed = maps.scene_sources(routes, places, year=year, layers=layers)
    assert len(listed) == len(set(listed)), "a source is listed twice"
    assert set(listed) == expected
    assert "yiwu" in drawn_places and expected  # the Yiwu dot is always drawn, with its sources


def _drawn_marks(scene: dict) -> set[tuple[str, str]]:
    """Each kind of line and dot the map draws, as (swatch kind, colour) of the key."""
    lines = {"rail": ("line", maps.RAIL), "sea": ("dash", maps.SEA), "road": ("dots", maps.SEA)}
    marks = {(lines[p["leg"]][0], map_view._hex(lines[p["leg"]][1])) for p in scene["paths"]}
    for p in scene["points"]:
        if p["fill"] == maps.WHITE:  # a ring in the line's colour
            marks.add(("ring", map_view._hex(p["line"])))
        else:
            size = "big" if p["radius"] >= 10 else "small" if p["radius"] <= 5 else "dot"
            marks.add((size, map_view._hex(p["fill"])))
    return marks


@pytest.mark.parametrize("layers", [maps.LAYERS] + [(layer,) for layer in maps.LAYERS], ids="-".join)
def test_the_map_key_shows_every_kind_of_line_and_dot_drawn_and_nothing_else(layers):
    """A reader saw small orange and blue dots (stops, Dar es Salaam) that the key did not explain."""
    routes, places = map_view.world_frames("en")
    for year in map_view.map_years(routes, places):
        scene = maps.world_scene(routes, places, year=year, layers=layers)
        keys = maps.legend_keys(routes, places, year=year, layers=layers)
        assert sorted(map_view.LEGEND_MARKS[k] for k in keys) == sorted(_drawn_marks(scene)), (year, keys)
