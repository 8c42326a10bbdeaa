"""Geopandas side of the "overlay" benchmark section (scripts/bench/overlay.ts).

A persistent worker: reads one JSON command per line on stdin, answers one JSON line.
  {"cmd": "load", "name": N, "source": ..., "target": ..., "reproject": EPSG or null}
      source/target: {"file": path, "json": true}  -> GeoJSON read with json + shapely (exact
      coordinates, CRS given by "crs") or {"file": path} -> geopandas.read_file.
  {"cmd": "run", "name": N}   -> one timed geopandas.overlay(how="intersection") + .area
  {"cmd": "pairs", "name": N} -> the pairs of the last run: sid, tid, area
Only the overlay and the area are timed, never file reading or reprojection.
"""
import gc, json, sys, time, warnings
warnings.filterwarnings("ignore")
import geopandas as gpd
import shapely
import shapely.geos
from shapely.geometry import shape

frames = {}
last = {}

def read(spec, col):
    if spec.get("json"):
        with open(spec["file"]) as f:
            fc = json.load(f)
        geoms = [shape(ft["geometry"]) for ft in fc["features"]]
        g = gpd.GeoDataFrame({col: range(len(geoms))}, geometry=geoms, crs=spec.get("crs"))
    else:
        g = gpd.read_file(spec["file"])
        g = gpd.GeoDataFrame({col: range(len(g))}, geometry=g.geometry.values, crs=g.crs)
    if spec.get("to_crs"):
        g = g.to_crs(spec["to_crs"])
    return g

def overlay(name):
    a, b = frames[name]
    o = gpd.overlay(a, b, how="intersection", keep_geom_type=True)
    return o, o.area.values

print(json.dumps({"ready": True, "geopandas": gpd.__version__, "shapely": shapely.__version__,
                  "geos": ".".join(map(str, shapely.geos.geos_version))}), flush=True)
for line in sys.stdin:
    m = json.loads(line)
    name = m.get("name")
    if m["cmd"] == "load":
        frames[name] = (read(m["source"], "sid"), read(m["target"], "tid"))
        o, ar = overlay(name)  # warm-up
        print(json.dumps({"n": len(o)}), flush=True)
    elif m["cmd"] == "run":
        gc.collect()
        t = time.perf_counter()
        o, ar = overlay(name)
        ms = (time.perf_counter() - t) * 1000
        last[name] = (o, ar)
        print(json.dumps({"ms": ms, "n": len(o)}), flush=True)
    elif m["cmd"] == "pairs":
        o, ar = last[name]
        print(json.dumps({"sid": o["sid"].tolist(), "tid": o["tid"].tolist(), "area": ar.tolist()}), flush=True)
