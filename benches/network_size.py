#!/usr/bin/env python3
"""Time per node visited on generated networks of 100, 1,000 and 10,000 nodes.

Usage (from the repository root, after `cargo build --release`):
    python3 benches/network_size.py [--bin target/release/corridor] [--repeat 3]

For each size it generates a corridor (`corridor generate --nodes N --seed 1`), runs
enough replications on one thread for about a second of simulation, and divides the
simulation time (`wall_seconds` of manifest.json) by the nodes visited: delivered and
offered trains times the nodes of their routes, as in benches/scaling.py. Prints one
line per size with the best of --repeat runs, and the ratio to 100 nodes.
"""
import argparse, json, os, subprocess, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZES = [(100, 400), (1000, 8), (10000, 1)]


def nodes_visited(summary):
    """Offered trains times the nodes on their route, summed over replications."""
    reps = summary["replications"]
    total = 0.0
    for f in summary["flows"]:
        n = f["offered_trains"]["mean"] or 0.0
        nodes = sum(r["share"] * len(r["nodes"]) for r in f["routes"])
        total += n * nodes
    return total * reps


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "corridor"))
    a.add_argument("--repeat", type=int, default=3)
    args = a.parse_args()
    base = None
    for nodes, reps in SIZES:
        d = tempfile.mkdtemp(prefix=f"corridor-nodes{nodes}-")
        subprocess.run([args.bin, "generate", "--nodes", str(nodes), "--seed", "1", "--out", d],
                       check=True, capture_output=True)
        best = None
        for _ in range(args.repeat):
            out = os.path.join(d, "out")
            subprocess.run([args.bin, "run", os.path.join(d, "scenario.toml"), "--replications",
                            str(reps), "--threads", "1", "--quiet", "--no-plots", "--out", out],
                           check=True, capture_output=True)
            wall = json.load(open(os.path.join(out, "manifest.json")))["wall_seconds"]
            best = wall if best is None else min(best, wall)
        summary = json.load(open(os.path.join(d, "out", "summary.json")))
        visited = nodes_visited(summary)
        ns = best / visited * 1e9
        base = base or ns
        print(f"{nodes:>6} nodes: {reps:>4} replications, {best:.3f} s, "
              f"{visited / 1e6:.2f} M nodes visited, {ns:.1f} ns per node visited "
              f"({ns / base:.2f}x of 100 nodes)")


if __name__ == "__main__":
    main()
