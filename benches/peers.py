#!/usr/bin/env python3
"""Side-by-side speed of corridor and the peer implementations (SimPy, Ciw) on the
reference models, measured in one sitting. Medians of --repeat runs.

Usage (from the repository root, after `cargo build --release`):
    python3 -m pip install simpy==4.1.2 ciw==3.2.7     # once
    python3 benches/peers.py --peers DIR --repeat 3     # DIR: the peer scripts

Writes benches/results/peers.csv and prints a Markdown table for BENCHMARKS.md;
`python3 benches/charts.py` then draws benches/results/peers.svg.
Every tool times only its simulation (the peers time inside the program; corridor's
manifest.json records the wall time of the replications), on one thread, for a
100,000-day horizon with a 1,000-day warm-up.
"""
import argparse, csv, json, os, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "corridor")


def corridor(model, days, seed):
    out = tempfile.mkdtemp(prefix="corridor-peer-")
    scenario = os.path.join(ROOT, "scenarios", "reference", f"{model}.toml")
    subprocess.run([BIN, "run", scenario, "--replications", "1", "--threads", "1",
                    "--horizon-days", str(days), "--warmup-days", "1000", "--seed", str(seed),
                    "--out", out, "--quiet", "--no-plots"], check=True)
    manifest = json.load(open(os.path.join(out, "manifest.json")))
    summary = json.load(open(os.path.join(out, "summary.json")))
    trains = summary["overall"]["offered_trains"]["mean"] * days / (days - 1000)
    wall = manifest["wall_seconds"]
    if model == "jackson3":
        mean = summary["overall"]["transit_days"]["mean"]
    else:
        mean = summary["resources"][0]["wait_days"]["mean"]
    return dict(tool="corridor " + manifest["corridor_version"], wall_s=wall,
                trains_per_s=trains / wall, mean_days=mean,
                events_per_replication=summary["events_per_replication"])


def peer(peers, script, days, seed):
    out = subprocess.run([sys.executable, os.path.join(peers, script), "--days", str(days),
                          "--seed", str(seed)], check=True, capture_output=True, text=True).stdout
    rec = json.loads(out.strip().splitlines()[-1])
    mean = rec.get("mean_sojourn_days", rec.get("mean_wait_days"))
    return dict(tool=rec["tool"], wall_s=rec["wall_s"], trains_per_s=rec["trains_per_s"], mean_days=mean)


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--peers", required=True, help="the folder of the peer scripts (simpy_*.py, ciw_*.py)")
    a.add_argument("--repeat", type=int, default=3, help="runs of each peer")
    a.add_argument("--corridor-repeat", type=int, default=7, help="runs of corridor (each takes well under a second)")
    a.add_argument("--days", type=float, default=100000)
    a.add_argument("--skip-ciw", action="store_true", help="Ciw takes about a minute and 1.4 GB")
    args = a.parse_args()
    cases = [("jackson3", "corridor", None), ("jackson3", "simpy", "simpy_jackson3.py"),
             ("ferry", "corridor", None), ("ferry", "simpy", "simpy_ferry.py")]
    if not args.skip_ciw:
        cases.append(("jackson3", "ciw", "ciw_jackson3.py"))
    rows = []
    for model, kind, script in cases:
        runs = []
        for r in range(args.corridor_repeat if script is None else args.repeat):
            rec = corridor(model, args.days, r + 1) if script is None else peer(args.peers, script, args.days, r + 1)
            runs.append(rec)
            print(f"{model} {rec['tool']}: {rec['wall_s']:.3f} s, {rec['trains_per_s']:,.0f} trains/s", file=sys.stderr)
        med = statistics.median(x["trains_per_s"] for x in runs)
        rows.append(dict(model=model, tool=runs[0]["tool"], runs=len(runs),
                         wall_s_median=statistics.median(x["wall_s"] for x in runs),
                         trains_per_s_median=med,
                         mean_days_median=statistics.median(x["mean_days"] for x in runs)))
    os.makedirs(os.path.join(ROOT, "benches", "results"), exist_ok=True)
    path = os.path.join(ROOT, "benches", "results", "peers.csv")
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    print("| model | implementation | wall s (median) | trains/s (median) | ratio to SimPy | mean days |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        simpy = next(x for x in rows if x["model"] == r["model"] and x["tool"].startswith("simpy"))
        ratio = r["trains_per_s_median"] / simpy["trains_per_s_median"]
        print(f"| {r['model']} | {r['tool']} | {r['wall_s_median']:.3f} | {r['trains_per_s_median']:,.0f} | "
              f"{ratio:.1f}x | {r['mean_days_median']:.5f} |")
    print(f"\nwritten {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
