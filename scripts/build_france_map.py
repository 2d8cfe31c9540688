"""Build core/geodata/france.json: the régions and départements of France
(the five overseas ones as insets) as SVG path strings, for the directory's map.

Source: the "départements avec outre-mer" file of gregoiredavid/france-geojson, itself
IGN ADMIN EXPRESS COG 2018 (tracés) and INSEE COG (codes), under the Licence Ouverte /
Open Licence of Etalab (commercial use allowed, attribution required: see CREDIT).

    git clone https://github.com/gregoiredavid/france-geojson  (or download the one file)
    python scripts/build_france_map.py france-geojson/departements-avec-outre-mer.geojson

The simplification is mapshaper's (npm, MPL-2.0), run through ``npx`` so that borders
shared by two départements stay shared; set MAPSHAPER to a mapshaper binary to use
another copy. Régions are the dissolved départements (core.geo says which is where), so
the two layers agree. Nothing downloaded is committed: only the output.
"""

from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.geo import DEPARTMENT_REGION  # noqa: E402

OUTPUT = ROOT / "core" / "geodata" / "france.json"
# Shown after "Outlines:" under the map (the licence asks for the source and its date).
CREDIT = (
    "IGN – ADMIN EXPRESS COG 2018 et INSEE, via france-geojson (Grégoire David), "
    "Licence Ouverte / Open Licence (Etalab)"
)
CREDIT_URL = "https://github.com/gregoiredavid/france-geojson"

# The drawing: metropolitan France in a 1000-wide box, the five overseas départements in a
# row of equal boxes under it (as on the maps of INSEE and every French atlas).
WIDTH = 1000
METRO_HEIGHT = 960
INSET_SIZE = 180
INSET_GAP = (WIDTH - 5 * INSET_SIZE) // 4
INSET_TOP = METRO_HEIGHT + 20
HEIGHT = INSET_TOP + INSET_SIZE
MARGIN = 8

# Tolerance of the simplification, in metres, per group: about one unit of the drawing at
# each group's own scale (an inset zooms an island several times).
GROUPS: dict[str, tuple[str, ...] | None] = {
    "metro": None,
    "971": ("971",),
    "972": ("972",),
    "973": ("973",),
    "974": ("974",),
    "976": ("976",),
    # Paris and its inner ring, too small on the mainland map: zoomed in a box in the
    # Channel's corner (drawn again, for the pointer; the mainland shapes stay the links).
    "zoom": ("75", "92", "93", "94"),
}
INTERVALS = {
    "metro": 1800, "971": 300, "972": 220, "973": 1500, "974": 250, "976": 120, "zoom": 120,
}  # fmt: skip
ZOOM_BOX = (MARGIN, MARGIN, 170)  # x, y, size: the empty corner above Brittany
INSET_ORDER = ("971", "972", "973", "974", "976")


def mapshaper_command() -> list[str]:
    if binary := os.environ.get("MAPSHAPER"):
        return [binary]
    return ["npx", "--yes", "mapshaper@0.6.121"]


def simplify(source: Path, workdir: Path) -> dict[str, tuple[dict, dict]]:
    """Per group: (départements, régions) as GeoJSON in WGS84, simplified together."""
    regions_csv = workdir / "regions.csv"
    with regions_csv.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "region"])
        writer.writerows(sorted(DEPARTMENT_REGION.items()))
    overseas = set(INSET_ORDER)
    out: dict[str, tuple[dict, dict]] = {}
    for group, codes in GROUPS.items():
        wanted = sorted(codes) if codes else sorted(set(DEPARTMENT_REGION) - overseas)
        expression = "[" + ",".join(f"'{code}'" for code in wanted) + "].indexOf(code) > -1"
        deps_out = workdir / f"{group}-deps.json"
        regs_out = workdir / f"{group}-regs.json"
        subprocess.run(  # noqa: S603 (a build script run by hand on a file we chose)
            [
                *mapshaper_command(),
                "-i", str(source),
                "-filter", expression,
                "-join", str(regions_csv), "keys=code,code", "string-fields=code,region",
                "-simplify", f"interval={INTERVALS[group]}", "weighted", "keep-shapes",
                "-filter-slivers",
                "-o", str(deps_out), "format=geojson", "precision=0.00001",
                "-dissolve", "region", "copy-fields=region",
                "-o", str(regs_out), "format=geojson", "precision=0.00001",
            ],
            check=True,
        )  # fmt: skip
        out[group] = (json.loads(deps_out.read_text()), json.loads(regs_out.read_text()))
    return out


def lambert93(lon: float, lat: float) -> tuple[float, float]:
    """Lambert conformal conic with Lambert-93's parallels, on a sphere (enough here)."""
    phi1, phi2, phi0, lam0 = map(math.radians, (44.0, 49.0, 46.5, 3.0))
    n = math.log(math.cos(phi1) / math.cos(phi2)) / math.log(
        math.tan(math.pi / 4 + phi2 / 2) / math.tan(math.pi / 4 + phi1 / 2)
    )
    f = math.cos(phi1) * math.tan(math.pi / 4 + phi1 / 2) ** n / n
    rho = f / math.tan(math.pi / 4 + math.radians(lat) / 2) ** n
    rho0 = f / math.tan(math.pi / 4 + phi0 / 2) ** n
    theta = n * (math.radians(lon) - lam0)
    return rho * math.sin(theta), -(rho0 - rho * math.cos(theta))


def rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def fit(features: list[dict], project, box: tuple[float, float, float, float]):
    """A function placing projected points in box (x, y, w, h), keeping proportions."""
    points = [
        project(lon, lat)
        for feature in features
        for ring in rings(feature["geometry"])
        for lon, lat in ring
    ]
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    x, y, w, h = box
    scale = min(w / (max_x - min_x), h / (max_y - min_y))
    off_x = x + (w - (max_x - min_x) * scale) / 2
    off_y = y + (h - (max_y - min_y) * scale) / 2

    def place(lon: float, lat: float) -> tuple[int, int]:
        px, py = project(lon, lat)
        # y grows downwards in SVG: project returns -northing.
        return round(off_x + (px - min_x) * scale), round(off_y + (py - min_y) * scale)

    return place


def path(geometry: dict, place) -> str:
    parts = []
    for ring in rings(geometry):
        points: list[tuple[int, int]] = []
        for lon, lat in ring:
            point = place(lon, lat)
            if not points or points[-1] != point:
                points.append(point)
        if len(points) > 1 and points[0] == points[-1]:
            points.pop()
        if len(points) < 3:
            continue
        start, rest = points[0], points[1:]
        moves = [f"M{start[0]} {start[1]}"]
        previous = start
        # Relative moves are shorter: "l3-2" rather than "L512 388".
        deltas = []
        for point in rest:
            dx, dy = point[0] - previous[0], point[1] - previous[1]
            deltas.append(f"{dx}" + (f"-{-dy}" if dy < 0 else f" {dy}"))
            previous = point
        moves.append("l" + " ".join(deltas).replace(" -", "-"))
        parts.append("".join(moves) + "z")
    return "".join(parts)


def main(source: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        groups = simplify(source, Path(tmp))
    departments: dict[str, str] = {}
    regions: dict[str, str] = {}
    insets = []
    zoom: dict[str, str] = {}
    metro_box = (MARGIN, MARGIN, WIDTH - 2 * MARGIN, METRO_HEIGHT - 2 * MARGIN)
    for group, (deps, regs) in groups.items():
        if group == "metro":
            place = fit(deps["features"], lambda lon, lat: lambert93(lon, lat), metro_box)
        elif group == "zoom":
            x, y, size = ZOOM_BOX
            box = (x + MARGIN, y + MARGIN, size - 2 * MARGIN, size - 2 * MARGIN)
            place = fit(deps["features"], lambda lon, lat: lambert93(lon, lat), box)
            for feature in deps["features"]:
                zoom[feature["properties"]["code"]] = path(feature["geometry"], place)
            continue
        else:
            features = deps["features"]
            lat0 = math.radians(
                sum(lat for f in features for r in rings(f["geometry"]) for _l, lat in r)
                / sum(len(r) for f in features for r in rings(f["geometry"]))
            )
            x = INSET_ORDER.index(group) * (INSET_SIZE + INSET_GAP)
            box = (x + MARGIN, INSET_TOP + MARGIN, INSET_SIZE - 2 * MARGIN, INSET_SIZE - 2 * MARGIN)
            cos_lat0 = math.cos(lat0)
            place = fit(features, lambda lon, lat, c=cos_lat0: (lon * c, -lat), box)
            insets.append({"code": group, "x": x, "y": INSET_TOP, "size": INSET_SIZE})
        for feature in deps["features"]:
            departments[feature["properties"]["code"]] = path(feature["geometry"], place)
        for feature in regs["features"]:
            regions[feature["properties"]["region"]] = path(feature["geometry"], place)
    missing = set(DEPARTMENT_REGION) - set(departments)
    if missing:
        raise SystemExit(f"départements missing from the source: {sorted(missing)}")
    data = {
        "credit": CREDIT,
        "credit_url": CREDIT_URL,
        "width": WIDTH,
        "height": HEIGHT,
        "insets": insets,
        "zoom": {"x": ZOOM_BOX[0], "y": ZOOM_BOX[1], "size": ZOOM_BOX[2], "departments": zoom},
        "regions": dict(sorted(regions.items())),
        "departments": dict(sorted(departments.items())),
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{OUTPUT.relative_to(ROOT)}: {OUTPUT.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]))
