#!/usr/bin/env python3
"""Time per node visited on generated networks of 100, 1,000 and 10,000 nodes.

Usage (from the repository root, after `cargo build --release`):
    python3 benches/network_size.py [--bin BINARY ...] [--repeat 5]

For each size it generates a corridor (`corridor generate --nodes N --seed 1`), runs
enough replications on one thread for about a second of simulation, and divides the
simulation time (`wall_seconds` of manifest.json) by the nodes visited: offered trains
times the nodes of their routes. Several --bin binaries (e.g. before and after a
change) run interleaved, round by round, so a busy machine slows them alike; each
figure is the best of --repeat rounds. Prints one line per binary and size, with the
ratio to 100 nodes.
"""
import argparse, json, os, subprocess, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZES = [(100, 400), (1000, 8), (10000, 1)]


def nodes_visited(summary):
    """Offered trains times the nodes on their route, summed over replications."""
    total = 0.0
    for f in summary["flows"]:
        n = f["offered_trains"]["mean"] or 0.0
        total += n * sum(r["share"] * len(r["nodes"]) for r in f["routes"])
    return total * summary["replications"]


def run(binary, scenario, reps, out):
    subprocess.run([binary, "run", scenario, "--replications", str(reps), "--threads", "1",
                    "--quiet", "--no-plots", "--out", out], check=True, capture_output=True)
    wall = json.load(open(os.path.join(out, "manifest.json")))["wall_seconds"]
    return wall, nodes_visited(json.load(open(os.path.join(out, "summary.json"))))


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--bin", action="append")
    a.add_argument("--repeat", type=int, default=5)
    args = a.parse_args()
    bins = args.bin or [os.path.join(ROOT, "target", "release", "corridor")]
    scenarios = {}
    for nodes, _ in SIZES:
        d = tempfile.mkdtemp(prefix=f"corridor-nodes{nodes}-")
        subprocess.run([bins[0], "generate", "--nodes", str(nodes), "--seed", "1", "--out", d],
                       check=True, capture_output=True)
        scenarios[nodes] = os.path.join(d, "scenario.toml")
    best = {}
    for _ in range(args.repeat):
        for nodes, reps in SIZES:
            for b in bins:
                out = tempfile.mkdtemp(prefix="corridor-nodes-out-")
                wall, visited = run(b, scenarios[nodes], reps, out)
                ns = wall / visited * 1e9
                key = (b, nodes)
                if key not in best or ns < best[key][0]:
                    best[key] = (ns, wall, visited)
    for b in bins:
        base = best[(b, 100)][0]
        for nodes, reps in SIZES:
            ns, wall, visited = best[(b, nodes)]
            print(f"{b}: {nodes:>6} nodes, {reps:>4} replications, {wall:.3f} s, "
                  f"{visited / 1e6:.2f} M nodes visited, {ns:.1f} ns per node visited "
                  f"({ns / base:.2f}x of 100 nodes)")


if __name__ == "__main__":
    main()
