#!/usr/bin/env python3
"""Charts of the benchmark tables, as SVG, with the standard library only.

Usage (from the repository root, after peers.py and/or scaling.py):
    python3 benches/charts.py [benches/results]

Reads peers.csv and scaling.csv from the folder (each chart is drawn if its table is
there) and writes peers.svg and scaling.svg beside them:

- peers: block trains simulated per second by corridor and the peer simulators on each
  reference model, on a log scale, with the ratio to SimPy;
- scaling: wall time and simulation time (left axis, seconds) and peak memory (right
  axis, MB) of `corridor run` against the horizon, the replications, the threads and
  the network size, on log scales where the values span a factor of ten, with a dotted
  line growing in proportion to the work from the first simulation time (for threads:
  falling as one over the threads).
"""
import csv, math, os, sys

W, H = 1600, 1000
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
SERIES = ["#0072b2", "#e69f00", "#009e73", "#d55e00"]
INK, MUTED, GRID = "#222222", "#555555", "#e1e1e1"
MODELS = {"jackson3": "jackson3: three M/M/c stations in tandem",
          "ferry": "ferry: a timetabled batch crossing"}
EXPERIMENTS = [("horizon", "Horizon", "Simulated years"),
               ("replications", "Replications", "Replications"),
               ("threads", "Threads", "Threads"),
               ("nodes", "Network size", "Network nodes")]


class Svg:
    def __init__(self):
        self.parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
                      f'viewBox="0 0 {W} {H}"><rect width="{W}" height="{H}" fill="white"/>']

    def text(self, x, y, s, size=19, color=INK, anchor="start", bold=False, rotate=False):
        s = s.replace("&", "&amp;").replace("<", "&lt;")
        extra = ' font-weight="bold"' if bold else ""
        if rotate:
            extra += f' transform="rotate(-90 {x:.1f} {y:.1f})"'
        self.parts.append(f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
                          f'fill="{color}" text-anchor="{anchor}" dominant-baseline="middle"{extra}>{s}</text>')

    def line(self, pts, color, width=2.0, dash=None):
        d = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        extra = f' stroke-dasharray="{dash}" stroke-linecap="round"' if dash else ""
        self.parts.append(f'<polyline points="{d}" fill="none" stroke="{color}" stroke-width="{width}"{extra}/>')

    def rect(self, x, y, w, h, color):
        self.parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{color}"/>')

    def marker(self, x, y, shape, color, r=7):
        if shape == "square":
            self.parts.append(f'<rect x="{x-r:.1f}" y="{y-r:.1f}" width="{2*r}" height="{2*r}" '
                              f'fill="{color}" stroke="white" stroke-width="2"/>')
        elif shape == "diamond":
            self.parts.append(f'<polygon points="{x},{y-r*1.3} {x+r*1.3},{y} {x},{y+r*1.3} {x-r*1.3},{y}" '
                              f'fill="{color}" stroke="white" stroke-width="2"/>')
        else:
            self.parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{color}" stroke="white" stroke-width="2"/>')

    def header(self, title, lines):
        self.text(28, 40, title, 29, bold=True)
        for i, line in enumerate(lines):
            self.text(28, 82 + 28 * i, line, 19, MUTED)
        return 82 + 28 * len(lines) + 10

    def save(self, path):
        with open(path, "w") as f:
            f.write("\n".join(self.parts + ["</svg>\n"]))


def number(v):
    if v >= 100 or v == int(v):
        return f"{v:,.0f}"
    return f"{v:.3g}"


class Axis:
    """A linear or log axis from lo to hi, mapped onto pixels a..b."""

    def __init__(self, values, a, b, log=None, zero=False):
        positive = [v for v in values if v > 0] or [1.0]
        self.log = log if log is not None else max(positive) / min(positive) >= 10
        lo, hi = (min(positive), max(positive)) if self.log else (min(values), max(values))
        if self.log:
            self.lo, self.hi = 10 ** math.floor(math.log10(lo)), 10 ** math.ceil(math.log10(hi))
            if self.hi == self.lo:
                self.hi *= 10
            self.ticks = [10 ** k for k in range(round(math.log10(self.lo)), round(math.log10(self.hi)) + 1)]
        else:
            lo = 0 if zero else lo
            step = 10 ** math.floor(math.log10(max(hi - lo, 1e-9) / 4))
            step *= next(m for m in (1, 2, 5, 10) if (hi - lo) / (m * step) <= 5)
            self.lo, self.hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
            if self.hi == self.lo:
                self.hi += step
            n = round((self.hi - self.lo) / step)
            self.ticks = [self.lo + k * step for k in range(n + 1)]
        self.a, self.b = a, b

    def __call__(self, v):
        if self.log:
            t = (math.log10(max(v, 1e-300)) - math.log10(self.lo)) / (math.log10(self.hi) - math.log10(self.lo))
        else:
            t = (v - self.lo) / (self.hi - self.lo)
        return self.a + t * (self.b - self.a)


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def peers(rows, out):
    svg = Svg()
    top = svg.header("Speed beside peer simulators", [
        "Block trains simulated per second on the reference models (medians of several runs, one thread,",
        "simulation time only), on a log scale: longer is faster. The ratio to SimPy on the same model follows each bar."])
    models = list(dict.fromkeys(r["model"] for r in rows))
    left, right, bottom = 200, W - 300, H - 110
    x = Axis([float(r["trains_per_s_median"]) for r in rows], left, right, log=True)
    n = len(rows) + len(models)
    slot = (bottom - top) / n
    for t in x.ticks:
        svg.line([(x(t), top), (x(t), bottom)], GRID, 1)
        svg.text(x(t), bottom + 22, number(t), 18, MUTED, "middle")
    svg.text((left + right) / 2, bottom + 70, "Block trains simulated per second (log scale)", 21, INK, "middle")
    svg.line([(left, top), (left, bottom), (right, bottom)], MUTED, 2)
    y = top
    for model in models:
        title = MODELS.get(model, model)
        svg.rect(20, y + slot * 0.6 - 16, 12 * len(title), 32, "white")
        svg.text(28, y + slot * 0.6, title, 20, bold=True)
        y += slot
        own = [r for r in rows if r["model"] == model]
        simpy = next((float(r["trains_per_s_median"]) for r in own if r["tool"].startswith("simpy")), None)
        for i, r in enumerate(own):
            v = float(r["trains_per_s_median"])
            svg.rect(left, y + slot * 0.2, x(v) - left, slot * 0.6, SERIES[i % len(SERIES)])
            svg.text(left - 10, y + slot / 2, r["tool"], 18, INK, "end")
            if r["tool"].startswith("simpy"):
                note = "the SimPy reference"
            else:
                note = f"{v / simpy:.3g}× SimPy" if simpy else ""
            svg.text(x(v) + 10, y + slot / 2, f"{v:,.0f} trains/s" + (f", {note}" if note else ""), 18, MUTED)
            y += slot
    svg.save(out)


def scaling(rows, out):
    svg = Svg()
    top = svg.header("Scaling: time and memory", [
        "Cost of corridor run as the work grows: wall time of the whole process and time spent simulating (left axis,",
        "seconds), and peak resident memory (right axis, MB). Log scales where values span a factor of ten or more. The dotted",
        "line grows in proportion to the work from the first simulation time (for threads: falls as one over the threads)."])
    legend = [("wall time (s)", SERIES[0], "circle", None), ("simulation time (s)", SERIES[1], "square", None),
              ("peak memory (MB, right axis)", SERIES[2], "diamond", "10 6"), ("proportional to the work", MUTED, None, "2 6")]
    for i, (name, color, shape, dash) in enumerate(legend):
        x0 = 40 + i * 390
        svg.line([(x0, top), (x0 + 44, top)], color, 3, dash)
        if shape:
            svg.marker(x0 + 22, top, shape, color)
        svg.text(x0 + 56, top, name, 19)
    top += 40
    panels = [(e, t, xt, sorted((r for r in rows if r["experiment"] == e), key=lambda r: float(r["x"])))
              for e, t, xt in EXPERIMENTS]
    panels = [p for p in panels if p[3]]
    pw, ph = (W - 60) / 2, (H - top - 20) / 2
    for k, (experiment, title, x_title, own) in enumerate(panels):
        ox, oy = 20 + (k % 2) * pw, top + (k // 2) * ph
        left, right, upper, bottom = ox + 110, ox + pw - 100, oy + 45, oy + ph - 90
        svg.text(ox + 8, oy + 15, title, 21, bold=True)
        xs = [float(r["x"]) for r in own]
        wall = [float(r["wall_s"]) for r in own]
        sim = [float(r["simulation_s"]) for r in own]
        mem = [float(r["peak_mb"]) for r in own]
        x0, s0 = xs[0], sim[0]
        prop = [s0 * x0 / v if experiment == "threads" else s0 * v / x0 for v in xs]
        x = Axis(xs, left, right)
        if not x.log and len(xs) <= 6 and all(v == int(v) for v in xs):
            x.lo, x.hi, x.ticks = xs[0], xs[-1], xs
        y = Axis(wall + sim + prop, bottom, upper, zero=True)
        m = Axis(mem, bottom, upper, log=False, zero=True)
        for t in x.ticks:
            svg.line([(x(t), upper), (x(t), bottom)], GRID, 1)
            svg.text(x(t), bottom + 20, number(t), 17, MUTED, "middle")
        for t in y.ticks:
            svg.line([(left, y(t)), (right, y(t))], GRID, 1)
            svg.text(left - 10, y(t), number(t), 17, MUTED, "end")
        for t in m.ticks:
            svg.text(right + 10, m(t), number(t), 17, MUTED)
        svg.text((left + right) / 2, bottom + 58, x_title, 20, INK, "middle")
        svg.text(ox + 28, (upper + bottom) / 2, "Time (s)", 20, INK, "middle", rotate=True)
        svg.text(right + 82, (upper + bottom) / 2, "Peak memory (MB)", 20, INK, "middle", rotate=True)
        svg.line([(x(a), y(b)) for a, b in zip(xs, prop)], MUTED, 3, "2 6")
        for values, axis, (_, color, shape, dash) in [(wall, y, legend[0]), (sim, y, legend[1]), (mem, m, legend[2])]:
            # Zero (a time below the table's resolution) has no place on a log axis.
            pts = [(x(a), axis(b)) for a, b in zip(xs, values) if b > 0 or not axis.log]
            svg.line(pts, color, 3, dash)
            for px, py in pts:
                svg.marker(px, py, shape, color)
        svg.line([(left, upper), (left, bottom), (right, bottom), (right, upper)], MUTED, 2)
    svg.save(out)


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
    drawn = False
    for name, draw in [("peers", peers), ("scaling", scaling)]:
        path = os.path.join(folder, f"{name}.csv")
        if os.path.isfile(path):
            draw(read(path), os.path.join(folder, f"{name}.svg"))
            print(os.path.join(folder, f"{name}.svg"))
            drawn = True
    if not drawn:
        sys.exit(f"{folder} holds neither peers.csv nor scaling.csv: run benches/peers.py or benches/scaling.py first")


if __name__ == "__main__":
    main()
