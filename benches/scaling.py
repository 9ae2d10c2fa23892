#!/usr/bin/env python3
"""How cost grows with the work: wall time and peak memory of `corridor run` against
the horizon, the replications, the threads and the network size.

Usage (from the repository root, after `cargo build --release`):
    python3 benches/scaling.py            # about two minutes on 2 cores
    python3 benches/charts.py      # draws benches/results/scaling.svg

Writes benches/results/scaling.csv (one row per measurement: experiment, x, wall
seconds of the whole process, seconds of simulation from manifest.json, peak resident
memory from GNU time, trains, events) and prints a summary. Each point is the median of
--repeat runs.
"""
import argparse, csv, json, os, re, statistics, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "corridor")
SCENARIO = os.path.join(ROOT, "scenarios", "middle-corridor-2024.toml")


def measure(args):
    """Runs `corridor run ARGS` under GNU time; returns (wall, sim seconds, peak MB, summary)."""
    out = tempfile.mkdtemp(prefix="corridor-scaling-")
    cmd = ["/usr/bin/time", "-f", "%e %M", BIN, "run", *args, "--out", out, "--quiet", "--no-plots"]
    p = subprocess.run(cmd, check=True, capture_output=True, text=True)
    wall, kb = p.stderr.strip().splitlines()[-1].split()
    manifest = json.load(open(os.path.join(out, "manifest.json")))
    summary = json.load(open(os.path.join(out, "summary.json")))
    return float(wall), manifest["wall_seconds"], int(kb) / 1024, summary


def mean_route_nodes(summary):
    """Nodes on the route of the average delivered train."""
    total, weight = 0.0, 0.0
    for f in summary["flows"]:
        n = f["delivered_trains"]["mean"] or 0.0
        for r in f["routes"]:
            total += n * r["share"] * len(r["nodes"])
            weight += n * r["share"]
    return total / weight if weight else float("nan")


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--repeat", type=int, default=3)
    args = a.parse_args()
    rows = []

    def point(experiment, x, run_args):
        ms = [measure(run_args) for _ in range(args.repeat)]
        s = ms[0][3]
        reps = s["replications"]
        row = dict(experiment=experiment, x=x,
                   wall_s=statistics.median(m[0] for m in ms),
                   simulation_s=statistics.median(m[1] for m in ms),
                   peak_mb=statistics.median(m[2] for m in ms),
                   trains=s["overall"]["offered_trains"]["mean"] * reps,
                   events=s["events_per_replication"] * reps,
                   mean_route_nodes=mean_route_nodes(s))
        rows.append(row)
        print(f"{experiment:<12} x={x:<8} wall {row['wall_s']:.2f} s, simulation {row['simulation_s']:.3f} s, "
              f"peak {row['peak_mb']:.1f} MB, {row['events']:.0f} events", file=sys.stderr)

    for f in [1, 3, 10, 30, 100]:
        point("horizon", f, [SCENARIO, "--replications", "10", "--threads", "1",
                             "--horizon-days", str(30 + 365 * f), "--warmup-days", "30"])
    for n in [1, 10, 100, 1000, 10000]:
        point("replications", n, [SCENARIO, "--replications", str(n), "--threads", "2"])
    for t in [1, 2]:
        point("threads", t, [SCENARIO, "--replications", "1000", "--threads", str(t)])
    for n in [10, 100, 1000, 10000]:
        d = tempfile.mkdtemp(prefix=f"corridor-gen{n}-")
        subprocess.run([BIN, "generate", "--nodes", str(n), "--out", d], check=True, capture_output=True)
        point("nodes", n, [os.path.join(d, "scenario.toml"), "--replications", "1", "--threads", "1"])

    os.makedirs(os.path.join(ROOT, "benches", "results"), exist_ok=True)
    path = os.path.join(ROOT, "benches", "results", "scaling.csv")
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    print(f"written {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
