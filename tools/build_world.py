"""Build the offline world outline for the maps: static/land-110m.json.

Input: ``land-110m.json`` from npm's ``world-atlas`` package (version 2), a
TopoJSON redistribution of Natural Earth's 1:110m land polygons (public
domain). Output: a small GeoJSON FeatureCollection that the app serves itself
(``server.enableStaticServing``), so the map needs no tile server.

    cd /tmp && npm pack world-atlas@2 && tar xzf world-atlas-2.*.tgz
    python tools/build_world.py /tmp/package/land-110m.json

Pure Python, no dependencies. What it does, and why:

- decodes the quantized, delta-encoded TopoJSON arcs into longitude/latitude;
- keeps land only, no country borders: Natural Earth draws some borders and
  territories differently from the official maps used in Chinese classrooms,
  and the story needs coastlines, not borders;
- mends rings that cross the antimeridian (eastern Russia, Fiji): deck.gl
  draws a straight segment between -180 and 180, which paints a stripe across
  the whole map. Each ring is made continuous and moved to the 180–200° side,
  next to Asia, where a map centred on Eurasia shows it;
- drops Antarctica (it cannot be drawn in Web Mercator without stripes and
  plays no part in the story);
- rounds coordinates to 0.01° (about 1 km; the 1:110m data is coarser than
  that) and removes points that the rounding makes repeat.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "land-110m.json"
DIGITS = 2


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat points of every arc (TopoJSON 1.0 quantized arcs)."""
    sx, sy = topology["transform"]["scale"]
    tx, ty = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """Join a ring's arcs; a negative index ~i means arc i reversed."""
    ring: list[tuple[float, float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def mend_antimeridian(ring: list[tuple[float, float]]) -> list[tuple[float, float]] | None:
    """A ring without jumps across ±180°, or None for a ring around a pole."""
    out = [ring[0]]
    offset = 0.0
    for (lon0, _), (lon1, lat1) in zip(ring, ring[1:], strict=False):
        step = lon1 - lon0
        if step > 180:
            offset -= 360
        elif step < -180:
            offset += 360
        out.append((lon1 + offset, lat1))
    if abs(out[-1][0] - out[0][0]) > 180:
        return None  # it went once around the globe: Antarctica
    lons = [lon for lon, _ in out]
    # A ring that crosses -180°, or a piece that Natural Earth cut off at
    # -180° (Wrangel Island), belongs beside its eastern half, next to Asia.
    if min(lons) < -180 or (min(lons) <= -179.99 and max(lons) < -150):
        out = [(lon + 360, lat) for lon, lat in out]
    return out


def clean(ring: list[tuple[float, float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for lon, lat in ring:
        p = [round(lon, DIGITS), round(lat, DIGITS)]
        if not out or p != out[-1]:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def build(topology: dict) -> dict:
    arcs = decode_arcs(topology)
    polygons = []
    for geometry in topology["objects"]["land"]["geometries"]:
        parts = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for part in parts:
            rings = []
            for indices in part:
                mended = mend_antimeridian(ring_points(indices, arcs))
                if mended is None or max(lat for _, lat in mended) < -60:
                    if not rings:
                        break  # the outer ring is Antarctic: drop the whole polygon
                    continue
                ring = clean(mended)
                if len(ring) >= 4:
                    rings.append(ring)
                elif not rings:
                    break  # an outer ring too small to draw takes its holes with it
            if rings:
                polygons.append(rings)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPolygon", "coordinates": polygons}}
    ]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path, help="land-110m.json from the world-atlas npm package")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    world = build(json.loads(args.source.read_text(encoding="utf-8")))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(world, separators=(",", ":"))
    args.out.write_text(text, encoding="utf-8")
    rings = sum(len(p) for p in world["features"][0]["geometry"]["coordinates"])
    print(f"{args.out.relative_to(ROOT)}: {rings} rings, {len(text) / 1024:.0f} KB")


if __name__ == "__main__":
    main()
