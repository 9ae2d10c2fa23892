#!/usr/bin/env python3
"""The 2024 validation table: a replay's results folder against what was observed.

    corridor run scenarios/middle-corridor-2024-replay.toml --out results/replay-2024
    python3 scripts/validation_2024.py results/replay-2024

Reads only the folder's files (replications.csv, timeseries.csv, links.csv,
resources.csv, summary.json) and prints a Markdown table: each published 2024 figure
(networks/sources/corridor-2024-observed.md, with its source there) beside the model's
mean and 95% interval. Standard library only.

Intervals: figures summed over flows come from replications.csv (one value per
replication, Student-t); figures summed over months of timeseries.csv add the months'
half-widths, an upper bound on the interval of the sum (months are positively
correlated within a replication, so this is conservative, never too narrow).
"""

import csv
import json
import math
import statistics
import sys
from pathlib import Path

CHINA = ("china-az-import", "china-georgia-transit", "china-turkey")

# Student-t 97.5% quantiles for small samples; 1.96 beyond.
T975 = {2: 12.706, 3: 4.303, 4: 3.182, 5: 2.776, 10: 2.262, 20: 2.093, 30: 2.045, 50: 2.010}


def t975(n):
    best = 1.96
    for k in sorted(T975):
        if n - 1 <= k:
            return T975[k]
    return best


def interval(values):
    """Mean and 95% interval of per-replication values."""
    n = len(values)
    m = statistics.fmean(values)
    if n < 2:
        return m, m, m
    h = t975(n) * statistics.stdev(values) / math.sqrt(n)
    return m, m - h, m + h


def per_replication(rows, flows, column):
    by_rep = {}
    for r in rows:
        if r["flow"] in flows:
            by_rep[r["replication"]] = by_rep.get(r["replication"], 0.0) + float(r[column])
    return list(by_rep.values())


def series(rows, kind, entity, measure):
    """(period_start, mean, half-width) of one measure, in period order."""
    out = []
    for r in rows:
        if r["entity_kind"] == kind and r["entity"] == entity and r["measure"] == measure:
            m = float(r["mean"])
            h = (float(r["ci95_high"]) - float(r["ci95_low"])) / 2 if r["ci95_high"] else 0.0
            out.append((r["period_start"], m, h))
    return out


def cumulative(parts, until):
    """Mean and conservative interval of the sum of several series up to a month."""
    m = h = 0.0
    for s in parts:
        for start, mean, half in s:
            if start < until:
                m += mean
                h += half
    return m, m - h, m + h


def fmt(x, digits=0):
    return f"{x:,.{digits}f}"


def cell(t, digits=0):
    m, lo, hi = t
    return f"{fmt(m, digits)} [{fmt(lo, digits)}, {fmt(hi, digits)}]"


def verdict(t, lo, hi=None):
    """Inside when the observed figure (or range) meets the model's interval."""
    hi = lo if hi is None else hi
    return "inside" if t[1] <= hi and lo <= t[2] else ("model high" if t[1] > hi else "model low")


def main(folder):
    d = Path(folder)
    reps = list(csv.DictReader(open(d / "replications.csv")))
    ts = list(csv.DictReader(open(d / "timeseries.csv")))
    links = {r["leg"]: r for r in csv.DictReader(open(d / "links.csv"))}
    res = {r["resource"]: r for r in csv.DictReader(open(d / "resources.csv"))}
    summary = json.load(open(d / "summary.json"))
    n = summary["replications"]
    flows = {f["id"]: f for f in summary["flows"]}

    rows = []
    offered = interval(per_replication(reps, CHINA, "offered_trains"))
    rows.append(("China trains dispatched, 2024", "358", cell(offered), "input (monthly demand)"))
    received = interval(per_replication(reps, CHINA, "delivered_trains"))
    rows.append(("China trains received by 31 Dec", "287", cell(received), verdict(received, 287)))
    under_way = interval(per_replication(reps, CHINA, "in_system_trains"))
    rows.append(("China trains under way on 31 Dec", "≈71", cell(under_way), verdict(under_way, 71)))

    feeders = series(ts, "ferry", "aktau->alat", "teu_carried")
    kuryk_teu = series(ts, "ferry", "kuryk->alat", "teu_carried")
    aktau = cumulative([feeders], "9999")
    rows.append(("Aktau → Baku containers (TEU)", "55,000", cell(aktau), verdict(aktau, 55000)))
    sea_teu = [feeders, kuryk_teu, series(ts, "ferry", "turkmenbashi->alat", "teu_carried")]
    baku_teu = cumulative(sea_teu, "9999")
    rows.append(("Port of Baku containers (TEU)", "76,775", cell(baku_teu), verdict(baku_teu, 76775)))
    wagons = cumulative(
        [series(ts, "ferry", f, "wagons_carried") for f in ("kuryk->alat", "turkmenbashi->alat")],
        "9999",
    )
    rows.append(("Port of Baku rail wagons", "37,515", cell(wagons), verdict(wagons, 37515)))
    # China trains through the port: import trains delivered there, transit trains
    # that left it (links.csv counts trains per leg; means only).
    through = float(flows["china-az-import"]["delivered_trains"]["mean"])
    for leg in ("alat-alat-jn", "alat-red-bridge"):
        if leg in links:
            through += float(links[leg]["trains_per_year"]) * float(summary["window_days"]) / 365.0
    rows.append(("Port of Baku block trains", "310", fmt(through) + " (mean)", "compare"))

    for label, month, observed in (
        ("TITR containers by 31 Mar (TEU, at Aktau)", "2024-04", 6400),
        ("TITR containers by 30 Jun (TEU)", "2024-07", 19370),
        ("TITR containers by 30 Sep (TEU)", "2024-10", 34600),
        ("TITR containers by 30 Nov (TEU)", "2024-12", 50500),
        ("TITR containers, 2024 (TEU)", "9999", 56500),
    ):
        t = cumulative([feeders, kuryk_teu], month)
        rows.append((label, fmt(observed), cell(t), verdict(t, observed)))

    for station in ("altynkol", "dostyk"):
        r = res[station]
        # Border time = wait + mean service; the mean service from Little's law on
        # the servers (busy servers / arrival rate).
        w = (float(r["wait_days_mean"]), float(r["wait_days_ci95_low"]), float(r["wait_days_ci95_high"]))
        busy = float(r["utilization_mean"]) * float(r["capacity_servers"])
        lam = float(r["arrivals_per_day_mean"])
        service = busy / lam if lam > 0 else 0.0
        hours = tuple(24 * (x + service) for x in w)
        rows.append((f"Kazakh rail border time at {station} (h)", "67.4-69.7", cell(hours, 1), verdict(hours, 67.4, 69.7)))

    util = res["aktau-alat"]
    u = tuple(float(util[k]) for k in ("utilization_mean", "utilization_ci95_low", "utilization_ci95_high"))
    rows.append(("Aktau → Alat feeders, share of capacity used", "≈0.62", cell(u, 2), verdict(u, 0.62)))

    transit = series(ts, "flow", "china-az-import", "transit_mean_days_by_departure")
    for start, mean, half in transit:
        if start[5:7] in ("01", "06", "11"):
            t = (mean, mean - half, mean + half)
            rows.append((f"China → Baku transit, trains leaving {start[:7]} (days)", "8-10 (ADY)", cell(t, 1), verdict(t, 8, 10)))

    print(f"{n} replications of `{summary['scenario']}`\n")
    print("| figure | observed | model: mean [95% interval] | verdict |")
    print("|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
