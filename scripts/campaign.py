#!/usr/bin/env python3
"""Adversarial campaign: mutate the shipped network and scenario files and run every
mutant through `corridor validate`, and the mutants that validate through `corridor run`,
each under a time and memory limit; print the table of the figures to reach.

    python3 scripts/campaign.py --validate 20000 --run 5000 --jobs 2

Needs a release build (`cargo build --release`). Every mutant is reproducible from
`--seed` and its number. A mutant is a copy of `networks/` and `scenarios/` in a
temporary folder with one or a few edits to one file: a number replaced by an extreme
value, a string or key changed, a line deleted, duplicated or swapped, bytes inserted
(invalid UTF-8 too) or the file truncated.

Classes of outcome: `valid` (exit 0), `rejected` (exit 1, the file is refused),
`usage` (exit 2), `panic` (exit 101 or "panicked" on stderr), `abort` (killed by a
signal other than the timeout's: abort, segfault, out-of-memory kill), `oom` (an
allocation failure message), `hang` (over the time limit), `other` (any other exit).

Outputs of `run` are checked: no NaN or infinity anywhere in JSON or CSV, no null in
JSON where a number stands (nulls are allowed only for optional fields and for the
mean, interval and percentiles of an empty sample), every share (`utilization`,
`closed_share`, `route_share`) within [0, 1]; and every tenth run is repeated with
two threads and must give byte-identical summary.json and CSV files.
"""

import argparse
import concurrent.futures as cf
import csv
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "corridor"
FILES = [
    "networks/middle-corridor.toml",
    "networks/reference/ferry.toml",
    "networks/reference/jackson3.toml",
    "scenarios/middle-corridor-2024.toml",
    "scenarios/middle-corridor-2030.toml",
    "scenarios/reference/ferry.toml",
    "scenarios/reference/jackson3.toml",
]
# Which scenario to validate and run for a mutated network.
SCENARIO_OF = {
    "networks/middle-corridor.toml": "scenarios/middle-corridor-2024.toml",
    "networks/reference/ferry.toml": "scenarios/reference/ferry.toml",
    "networks/reference/jackson3.toml": "scenarios/reference/jackson3.toml",
}
EXTREMES = [
    "0", "-1", "-0.0", "1e-300", "1e-9", "0.0001", "1e308", "1.7976931348623157e308",
    "2147483648", "4294967296", "9223372036854775807", "-9223372036854775808",
    "1e8", "1e6", "1e12", "nan", "inf", "-inf", "0.5", "3", "1000", "65535", "1e-3",
    "99999999999999999999", "0.000001", "7", "1.5", "100000", "10000001",
]
STRINGS = ["", "..", ".", "/", "../x", "a b", "x" * 300, "é", "\\u0000", "nul\\t",
           "kuryk", "alat", "aktau", "poisson", "timetable", "seasonal", "exponential",
           "uniform", "lognormal", "when_full", "split", "adaptive", "sea", "rail", "road"]
JUNK = [b"\xff", b"\xc3", b"\x00", b"[[", b"]", b"=", b"\"", b"{", b"\n[x]\n", b"#", b"'''"]
NUM = re.compile(rb"(?<![A-Za-z_\-.\d])-?\d+(\.\d+)?([eE][-+]?\d+)?(?![A-Za-z_\d])")
STR = re.compile(rb'"([^"\\\n]*)"')
KEY = re.compile(rb"^(\s*)([a-z_]+)(\s*=)", re.M)

LIMIT_S = 20
LIMIT_AS = 2 * 1024 ** 3
SHARE_KEYS = ("utilization", "closed_share", "route_share")
NULL_OK = {"from", "to", "capacity_per_day", "gauge_mm", "ferry", "teu_per_sailing",
           "weather", "gauge_change", "resource", "precision", "saturated", "note"}
EMPTY_SAMPLE = {"mean", "ci95", "p50", "p95"}


def mutate(data: bytes, rng: random.Random, numeric_only: bool) -> bytes:
    """One to three edits of a file's bytes."""
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        op = "num" if numeric_only else rng.choice(
            ["num", "num", "num", "num", "str", "key", "del", "dup", "swap", "junk",
             "trunc", "flip"])
        if op == "num":
            nums = [m for m in NUM.finditer(data)]
            if nums:
                m = rng.choice(nums)
                v = rng.choice(EXTREMES)
                if rng.random() < 0.3:
                    x = float(m.group(0))
                    v = repr(x * rng.choice([10, 100, 1000, 0.1, 0.01, 1e6, -1]))
                data = data[:m.start()] + v.encode() + data[m.end():]
        elif op == "str":
            strs = list(STR.finditer(data))
            if strs:
                m = rng.choice(strs)
                v = rng.choice(STRINGS + [s.group(1).decode(errors="replace") for s in strs[:50]])
                if rng.random() < 0.3 and m.group(1):
                    b = bytearray(m.group(1))
                    i = rng.randrange(len(b))
                    b[i] = rng.choice(b"abcdefghijklmnopqrstuvwxyz-_.")
                    v = b.decode(errors="replace")
                data = data[:m.start()] + b'"' + v.encode() + b'"' + data[m.end():]
        elif op == "key":
            keys = list(KEY.finditer(data))
            if keys:
                m = rng.choice(keys)
                k = bytearray(m.group(2))
                i = rng.randrange(len(k))
                if rng.random() < 0.5:
                    del k[i]
                else:
                    k[i] = rng.choice(b"abcdefghijklmnopqrstuvwxyz_")
                data = data[:m.start(2)] + bytes(k) + data[m.end(2):]
        elif op in ("del", "dup", "swap"):
            lines = data.split(b"\n")
            i = rng.randrange(len(lines))
            if op == "del":
                del lines[i]
            elif op == "dup":
                lines.insert(i, lines[i])
            else:
                j = rng.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
            data = b"\n".join(lines)
        elif op == "junk":
            i = rng.randrange(len(data) + 1)
            data = data[:i] + rng.choice(JUNK) + data[i:]
        elif op == "trunc":
            data = data[:rng.randrange(len(data) + 1)]
        else:
            if data:
                i = rng.randrange(len(data))
                data = data[:i] + bytes([rng.randrange(256)]) + data[i + 1:]
    return data


def limits():
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_AS, LIMIT_AS))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def execute(args, cwd):
    t0 = time.monotonic()
    try:
        p = subprocess.run([str(BIN)] + args, cwd=cwd, capture_output=True,
                           timeout=LIMIT_S, preexec_fn=limits,
                           env={"NO_COLOR": "1", "PATH": os.environ.get("PATH", "")})
    except subprocess.TimeoutExpired:
        return "hang", b"", time.monotonic() - t0
    err = p.stderr
    if p.returncode == 101 or b"panicked" in err:
        cls = "panic"
    elif b"memory allocation" in err or b"out of memory" in err:
        cls = "oom"
    elif p.returncode < 0:
        cls = "abort"
    else:
        cls = {0: "valid", 1: "rejected", 2: "usage"}.get(p.returncode, "other")
    return cls, err, time.monotonic() - t0


def problems(stderr: bytes):
    """(located, with hint) for every problem reported."""
    text = stderr.decode(errors="replace")
    blocks = re.split(r"\n(?=Error: |error: )", "\n" + text)
    out = []
    for b in blocks:
        b = b.strip("\n")
        if not (b.startswith("Error: ") or b.startswith("error: ")):
            continue
        body = b.split("\n")
        body = [line for line in body if not re.match(r"\d+ problems? found|\d+ of \d+ files", line)]
        b = "\n".join(body)
        located = bool(re.search(r"╭─\[ .*:\d+:\d+ \]", b))
        labels = re.findall(r"╰─+ (.*)", b)
        hint = ("Help:" in b or "help:" in b or any(label.strip() != "here" for label in labels))
        out.append((located, hint, "" if located and hint else b[:160]))
    return out


def check_outputs(out: Path):
    """Problems in the files of a results folder: (bad numbers, shares out of [0, 1])."""
    bad, shares = [], []

    def walk(x, key, parent):
        if isinstance(x, dict):
            for k, v in x.items():
                walk(v, k, x)
                if any(s in k for s in SHARE_KEYS):
                    m = v.get("mean") if isinstance(v, dict) else v
                    if isinstance(m, (int, float)) and not (0.0 <= m <= 1.0):
                        shares.append(f"{k}={m}")
        elif isinstance(x, list):
            for v in x:
                walk(v, key, parent)
        elif x is None:
            # The mean, interval and percentiles of an empty sample have no value.
            empty = isinstance(parent, dict) and (
                parent.get("trains", 0) in (0, None)
                or (parent.get("delivered_trains") or {}).get("mean") == 0)
            sample = key in EMPTY_SAMPLE or key.startswith("transit_days_")
            if key not in NULL_OK and not (sample and (empty or key in ("mean", "ci95"))):
                bad.append(f"null at {key}")
        elif isinstance(x, float) and (x != x or x in (float("inf"), float("-inf"))):
            bad.append(f"{x} at {key}")

    for f in sorted(out.iterdir()):
        if f.suffix == ".json":
            text = f.read_text(errors="replace")
            if re.search(r"\b(NaN|-?Infinity)\b", text):
                bad.append(f"NaN/Infinity in {f.name}")
            try:
                walk(json.loads(text), "", None)
            except ValueError as e:
                bad.append(f"{f.name}: {e}")
        elif f.suffix == ".csv":
            with f.open(newline="", errors="replace") as fh:
                rows = list(csv.reader(fh))
            head = rows[0] if rows else []
            for row in rows[1:]:
                for h, cell in zip(head, row):
                    if cell.strip().lower() in ("nan", "inf", "-inf", "infinity", "-infinity", "null"):
                        bad.append(f"{cell} in {f.name}:{h}")
                    if h in ("utilization_mean", "closed_share_mean", "route_share") and cell:
                        try:
                            if not 0.0 <= float(cell) <= 1.0:
                                shares.append(f"{f.name}:{h}={cell}")
                        except ValueError:
                            pass
    return bad, shares


def one(i, seed, numeric_only, work, do_run):
    rng = random.Random(f"{seed}:{i}:{numeric_only}")
    target = rng.choice(FILES)
    d = Path(tempfile.mkdtemp(dir=work))
    try:
        for f in FILES:
            (d / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / f, d / f)
        data = (ROOT / target).read_bytes()
        (d / target).write_bytes(mutate(data, rng, numeric_only))
        scen = SCENARIO_OF.get(target, target)
        vfile = target if rng.random() < 0.5 else scen
        cls, err, secs = execute(["validate", vfile], d)
        res = {"i": i, "file": target, "validate": cls, "vsecs": secs,
               "problems": problems(err) if cls == "rejected" else [],
               "detail": err[-300:].decode(errors="replace") if cls not in ("valid", "rejected") else ""}
        if cls == "valid" and do_run:
            vcls, _, _ = (cls, None, None) if vfile == scen else execute(["validate", scen], d)
            if vcls == "valid":
                out = d / "out1"
                rcls, rerr, rsecs = execute(
                    ["run", scen, "--replications", "2", "--threads", "1", "--no-plots",
                     "--quiet", "--out", str(out)], d)
                res.update(run=rcls, rsecs=rsecs, saturated=b"saturated" in rerr)
                if rcls == "valid" and out.is_dir():
                    res["bad"], res["shares"] = check_outputs(out)
                    if i % 10 == 0:
                        out2 = d / "out2"
                        c2, _, _ = execute(
                            ["run", scen, "--replications", "2", "--threads", "2",
                             "--no-plots", "--quiet", "--out", str(out2)], d)
                        same = c2 == "valid" and all(
                            (out / f.name).read_bytes() == f.read_bytes()
                            for f in out2.iterdir() if f.name != "manifest.json")
                        res["threads_same"] = same
                elif rcls not in ("valid", "rejected"):
                    res["detail"] = rerr[-300:].decode(errors="replace")
        return res
    finally:
        shutil.rmtree(d, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--validate", type=int, default=20000, help="mutants through validate (at least)")
    ap.add_argument("--run", type=int, default=5000, help="mutants through run (at least)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--log", type=Path, default=None, help="write every outcome as JSON lines")
    a = ap.parse_args()
    if not BIN.exists():
        sys.exit(f"build first: cargo build --release ({BIN} missing)")
    work = Path(tempfile.mkdtemp(prefix="corridor-campaign-"))
    results = []
    t0 = time.monotonic()
    runs = 0
    i = 0
    log = a.log.open("w") if a.log else None
    with cf.ThreadPoolExecutor(a.jobs) as pool:
        pending = set()
        while True:
            while len(pending) < 4 * a.jobs and (i < a.validate or runs + len(pending) < a.run):
                # After the first `validate` mutants, only numeric edits (which validate
                # more often) until enough have been run.
                numeric = i >= a.validate or i % 3 == 0
                pending.add(pool.submit(one, i, a.seed, numeric, work, True))
                i += 1
            if not pending:
                break
            done, pending = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            for f in done:
                r = f.result()
                results.append(r)
                runs += "run" in r
                if log:
                    log.write(json.dumps(r) + "\n")
            if len(results) % 1000 == 0:
                print(f"  {len(results)} mutants, {runs} runs, {time.monotonic() - t0:.0f} s", file=sys.stderr)
    shutil.rmtree(work, ignore_errors=True)
    report(results, time.monotonic() - t0, a)


def report(results, secs, a):
    from collections import Counter
    v = Counter(r["validate"] for r in results)
    rr = [r for r in results if "run" in r]
    rc = Counter(r["run"] for r in rr)
    probs = [p for r in results for p in r["problems"]]
    located = sum(1 for p in probs if p[0])
    hinted = sum(1 for p in probs if p[1])
    bad = [r for r in rr if r.get("bad")]
    shares = [r for r in rr if r.get("shares")]
    th = [r for r in rr if "threads_same" in r]
    failures = lambda c: c["panic"] + c["abort"] + c["oom"] + c["hang"] + c["other"]
    rows = [
        ("mutants through validate", len(results), ">= 20,000"),
        ("  valid / rejected / usage", f"{v['valid']} / {v['rejected']} / {v['usage']}", ""),
        ("  panics, aborts, OOM, hangs, other", f"{v['panic']}, {v['abort']}, {v['oom']}, {v['hang']}, {v['other']}", "0"),
        ("mutants through run", len(rr), ">= 5,000"),
        ("  finished / rejected / saturated", f"{rc['valid']} / {rc['rejected']} / {sum(1 for r in rr if r.get('saturated'))}", ""),
        ("  panics, aborts, OOM, hangs, other", f"{rc['panic']}, {rc['abort']}, {rc['oom']}, {rc['hang']}, {rc['other']}", "0"),
        ("  outputs with NaN, inf or null numbers", len(bad), "0"),
        ("  outputs with a share outside [0, 1]", len(shares), "0"),
        ("  thread-invariant (1 vs 2 threads)", f"{sum(1 for r in th if r['threads_same'])} of {len(th)}", "all"),
        ("problems reported in rejections", len(probs), ""),
        ("  located (FILE:LINE:COL)", f"{100 * located / max(1, len(probs)):.1f}%", ">= 95%"),
        ("  with a hint", f"{100 * hinted / max(1, len(probs)):.1f}%", ">= 80%"),
        ("slowest validate / run (s)", f"{max((r['vsecs'] for r in results), default=0):.2f} / {max((r['rsecs'] for r in rr), default=0):.2f}", f"< {LIMIT_S}"),
    ]
    print(f"\ncampaign: seed {a.seed}, {a.jobs} jobs, limits {LIMIT_S} s and {LIMIT_AS // 1024 ** 3} GB per process, {secs:.0f} s\n")
    print(f"| {'figure':<42} | {'measured':<28} | {'target':<10} |")
    print(f"|{'-' * 44}|{'-' * 30}|{'-' * 12}|")
    for name, val, target in rows:
        print(f"| {name:<42} | {str(val):<28} | {target:<10} |")
    for r in [r for r in results if r["validate"] not in ("valid", "rejected")][:5] + \
             [r for r in rr if r["run"] not in ("valid", "rejected")][:5] + bad[:5] + shares[:5]:
        print(f"\nexample failure, mutant {r['i']} of {r['file']}: {r.get('detail') or r.get('bad') or r.get('shares')}")
    ok = (failures(v) == 0 and failures(rc) == 0 and not bad and not shares
          and located >= 0.95 * len(probs) and hinted >= 0.8 * len(probs)
          and all(r["threads_same"] for r in th))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
