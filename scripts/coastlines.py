#!/usr/bin/env python3
"""Extract the map's land polygons from Natural Earth (world-atlas TopoJSON).

Usage: python3 scripts/coastlines.py LAND_TOPOJSON > assets/coastlines/land.txt

LAND_TOPOJSON is `land-50m.json` of the npm package world-atlas 2.0.2 (Natural
Earth 4.1.0 land, 1:50m), e.g. from `npm pack world-atlas@2.0.2` and
`tar xzf world-atlas-2.0.2.tgz package/land-50m.json`. The script decodes the
TopoJSON arcs, keeps the rings that touch the map's box (BOX below, which holds
every node of the shipped networks with a margin), clips them to the box
(Sutherland-Hodgman), simplifies them (Douglas-Peucker, TOLERANCE degrees), drops
rings smaller than MIN_AREA square degrees and writes one ring a line:

    outer|hole lon,lat lon,lat ...

with two decimals (about a kilometre), after a line `box LON0 LAT0 LON1 LAT1`. Outer rings are land; holes (the Caspian Sea
is one) are water inside land. Only the standard library is used; the output is
the same on every run.
"""

import json
import sys

BOX = (18.0, 28.0, 118.0, 56.0)  # lon0, lat0, lon1, lat1
TOLERANCE = 0.02
MIN_AREA = 0.05


def decode(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring(arcs, indices):
    pts = []
    for i in indices:
        a = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(a if not pts else a[1:])
    return pts


def clip(pts, box):
    lon0, lat0, lon1, lat1 = box
    edges = [
        (lambda p: p[0] >= lon0, lambda p, q: cut_x(p, q, lon0)),
        (lambda p: p[0] <= lon1, lambda p, q: cut_x(p, q, lon1)),
        (lambda p: p[1] >= lat0, lambda p, q: cut_y(p, q, lat0)),
        (lambda p: p[1] <= lat1, lambda p, q: cut_y(p, q, lat1)),
    ]
    for inside, cut in edges:
        out = []
        for k, q in enumerate(pts):
            p = pts[k - 1]
            if inside(q):
                if not inside(p):
                    out.append(cut(p, q))
                out.append(q)
            elif inside(p):
                out.append(cut(p, q))
        pts = out
        if not pts:
            break
    return pts


def cut_x(p, q, x):
    t = (x - p[0]) / (q[0] - p[0])
    return (x, p[1] + t * (q[1] - p[1]))


def cut_y(p, q, y):
    t = (y - p[1]) / (q[1] - p[1])
    return (p[0] + t * (q[0] - p[0]), y)


def simplify(pts, tol):
    if len(pts) < 3:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        i, j = stack.pop()
        (ax, ay), (bx, by) = pts[i], pts[j]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        best, at = 0.0, None
        for k in range(i + 1, j):
            px, py = pts[k]
            if norm == 0:
                d = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            else:
                d = abs(dy * px - dx * py + bx * ay - by * ax) / norm
            if d > best:
                best, at = d, k
        if at is not None and best > tol:
            keep[at] = True
            stack += [(i, at), (at, j)]
    return [p for p, k in zip(pts, keep) if k]


def area(pts):
    return abs(
        sum(p[0] * q[1] - q[0] * p[1] for p, q in zip(pts, pts[1:] + pts[:1]))
    ) / 2


def main():
    topo = json.load(open(sys.argv[1]))
    arcs = decode(topo)
    lines = []
    for geometry in topo["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            for n, indices in enumerate(polygon):
                pts = clip(ring(arcs, indices), BOX)
                if len(pts) < 3:
                    continue
                # Split at the start so that the closing point stays fixed.
                pts = simplify(pts + pts[:1], TOLERANCE)[:-1]
                if len(pts) < 3 or area(pts) < MIN_AREA:
                    continue
                kind = "outer" if n == 0 else "hole"
                coords = " ".join(f"{x:.2f},{y:.2f}" for x, y in pts)
                lines.append(f"{kind} {coords}")
    sys.stdout.write(
        "# Natural Earth 4.1.0 land 1:50m (public domain), via world-atlas 2.0.2; "
        "made by scripts/coastlines.py\n"
    )
    sys.stdout.write("box " + " ".join(f"{v:g}" for v in BOX) + "\n")
    for line in lines:
        sys.stdout.write(line + "\n")


if __name__ == "__main__":
    main()
