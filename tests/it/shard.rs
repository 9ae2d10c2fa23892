//! Sharded runs: `run --shard i/N` and `sweep --shard i/N` with `merge` give the files
//! of a one-machine run, byte for byte, and the merge refuses gaps, duplicates and
//! mismatched partials.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::{NET, SCENARIO, corridor, root, text};

/// The environment variables `--shard auto/N` reads; cleared so the tests do not
/// depend on running inside an array job.
const INDEX_VARIABLES: [&str; 6] = [
    "SLURM_ARRAY_TASK_ID",
    "JOB_COMPLETION_INDEX",
    "AWS_BATCH_JOB_ARRAY_INDEX",
    "PBS_ARRAY_INDEX",
    "SGE_TASK_ID",
    "LSB_JOBINDEX",
];

/// Runs `corridor` in `dir` with one array-index variable set (or none).
fn corridor_env(dir: &Path, args: &[&str], var: Option<(&str, &str)>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_corridor"));
    cmd.args(args).current_dir(dir).env("NO_COLOR", "1");
    for v in INDEX_VARIABLES {
        cmd.env_remove(v);
    }
    if let Some((k, v)) = var {
        cmd.env(k, v);
    }
    cmd.output().expect("the corridor binary runs")
}

fn ok(o: &Output) {
    let (out, err) = text(o);
    assert!(o.status.success(), "stdout:\n{out}\nstderr:\n{err}");
}

fn failure(o: &Output) -> String {
    let (out, err) = text(o);
    assert!(!o.status.success(), "expected a failure; stdout:\n{out}");
    err
}

/// Asserts that two results folders hold the same files with the same bytes, the
/// manifest apart from when, how fast and by which command it was made.
fn assert_same_folder(a: &Path, b: &Path) {
    let names = |d: &Path| {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let (na, nb) = (names(a), names(b));
    assert_eq!(na, nb, "the folders hold different files");
    assert!(na.contains(&"manifest.json".to_string()));
    for name in &na {
        let (x, y) = (
            std::fs::read(a.join(name)).unwrap(),
            std::fs::read(b.join(name)).unwrap(),
        );
        if name == "manifest.json" {
            let strip = |bytes: &[u8]| {
                let mut v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
                let m = v.as_object_mut().unwrap();
                for k in ["created_utc", "wall_seconds", "command"] {
                    assert!(m.remove(k).is_some(), "manifest without {k}");
                }
                v
            };
            assert_eq!(strip(&x), strip(&y), "manifest.json differs");
        } else {
            assert!(
                x == y,
                "{name} differs between the one-machine run and the merge"
            );
        }
    }
}

#[test]
fn four_shards_merge_to_the_bytes_of_one_machine_charts_included() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = root().join("scenarios/middle-corridor-2024.toml");
    let scenario = scenario.to_str().unwrap();
    let settings = [
        "--replications",
        "10",
        "--horizon-days",
        "150",
        "--warmup-days",
        "20",
        "--seed",
        "11",
        "--threads",
        "2",
        "--quiet",
    ];
    let run = |extra: &[&str]| {
        let mut args = vec!["run", scenario];
        args.extend(settings);
        args.extend(extra);
        ok(&corridor(dir.path(), &args));
    };
    run(&["--out", "one"]);
    // 10 replications in 4 shards: 2, 3, 2 and 3 replications. Run out of order.
    for i in [3, 0, 2, 1] {
        run(&["--shard", &format!("{i}/4"), "--out", "parts"]);
    }
    ok(&corridor(
        dir.path(),
        &["merge", "parts", "--out", "merged", "--quiet"],
    ));
    assert_same_folder(&dir.path().join("one"), &dir.path().join("merged"));
    assert!(
        dir.path().join("one/transit.png").exists(),
        "charts were drawn"
    );
}

#[test]
fn auto_shards_with_an_automatic_warmup_merge_exactly_and_bad_sets_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("net.toml"), NET).unwrap();
    std::fs::write(d.join("sc.toml"), SCENARIO).unwrap();
    let base = [
        "run",
        "sc.toml",
        "--replications",
        "7",
        "--warmup-days",
        "auto",
        "--threads",
        "1",
        "--no-plots",
        "--quiet",
    ];
    fn with<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
        let mut v = base.to_vec();
        v.extend(extra);
        v
    }
    ok(&corridor_env(d, &with(&base, &["--out", "one"]), None));
    // Each scheduler's variable, counting from 0 or from 1.
    for (var, value) in [
        ("SLURM_ARRAY_TASK_ID", "0"),
        ("SGE_TASK_ID", "2"),
        ("JOB_COMPLETION_INDEX", "2"),
    ] {
        ok(&corridor_env(
            d,
            &with(&base, &["--shard", "auto/3", "--out", "parts"]),
            Some((var, value)),
        ));
    }
    let merge = |args: &[&str]| corridor_env(d, args, None);
    ok(&merge(&[
        "merge",
        "parts",
        "--out",
        "merged",
        "--no-plots",
        "--quiet",
    ]));
    assert_same_folder(&d.join("one"), &d.join("merged"));
    let manifest = std::fs::read_to_string(d.join("merged/manifest.json")).unwrap();
    assert!(manifest.contains("MSER-5"), "the warm-up choice is kept");

    // A gap: shard 1 missing.
    std::fs::create_dir(d.join("gap")).unwrap();
    for i in [0, 2] {
        let name = format!("shard-0000{i}-of-00003.shard.json");
        std::fs::copy(d.join("parts").join(&name), d.join("gap").join(&name)).unwrap();
    }
    let err = failure(&merge(&["merge", "gap", "--out", "x"]));
    assert!(err.contains("1 of 3 shards missing: 1"), "{err}");
    // A duplicate: the same shard under another name.
    std::fs::copy(
        d.join("parts/shard-00000-of-00003.shard.json"),
        d.join("copy.shard.json"),
    )
    .unwrap();
    let err = failure(&merge(&["merge", "parts", "copy.shard.json", "--out", "x"]));
    assert!(
        err.contains("shard 0 of 3 is given twice") && err.contains("copy.shard.json"),
        "{err}"
    );
    // A shard of another seed.
    ok(&corridor_env(
        d,
        &with(&base, &["--shard", "1/3", "--seed", "99", "--out", "other"]),
        None,
    ));
    let err = failure(&merge(&[
        "merge",
        "gap",
        "other/shard-00001-of-00003.shard.json",
        "--out",
        "x",
    ]));
    assert!(
        err.contains("come from different runs: the seed is 7") && err.contains("other"),
        "{err}"
    );
    // A truncated file.
    let whole = std::fs::read(d.join("parts/shard-00001-of-00003.shard.json")).unwrap();
    std::fs::write(d.join("cut.shard.json"), &whole[..whole.len() / 2]).unwrap();
    let err = failure(&merge(&["merge", "gap", "cut.shard.json", "--out", "x"]));
    assert!(
        err.contains("cut.shard.json: not a corridor partial result"),
        "{err}"
    );
    assert!(!d.join("x").exists(), "a refused merge writes nothing");
    // Nothing to merge, and shard options that make no sense.
    let err = failure(&merge(&["merge", "one"]));
    assert!(err.contains("no partial results"), "{err}");
    let err = failure(&corridor_env(d, &with(&base, &["--shard", "auto/3"]), None));
    assert!(err.contains("none is set"), "{err}");
    let err = failure(&corridor_env(
        d,
        &with(&base, &["--shard", "auto/3"]),
        Some(("SLURM_ARRAY_TASK_ID", "3")),
    ));
    assert!(err.contains("only 3 shards"), "{err}");
    let err = failure(&corridor_env(d, &with(&base, &["--shard", "3/3"]), None));
    assert!(err.contains("below N"), "{err}");
}

/// A demand sweep in 3 shards merges to the folder of one machine, refinement
/// included (the merge runs the bisection probes, which need every replication).
#[test]
fn three_sweep_shards_merge_to_the_bytes_of_one_machine() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = root().join("scenarios/middle-corridor-2024.toml");
    let scenario = scenario.to_str().unwrap();
    let settings = [
        "--param",
        "demand",
        "--values",
        "1,2.5",
        "--tolerance",
        "0.05",
        "--replications",
        "7",
        "--horizon-days",
        "90",
        "--warmup-days",
        "15",
        "--seed",
        "5",
        "--quiet",
        "--no-plots",
        // One thread, so the merge (on more) must copy the shards' count.
        "--threads",
        "1",
    ];
    let sweep = |extra: &[&str]| {
        let mut args = vec!["sweep", scenario];
        args.extend(settings);
        args.extend(extra);
        ok(&corridor(dir.path(), &args));
    };
    sweep(&["--out", "one"]);
    // 7 replications in 3 shards (2, 2 and 3), run out of order.
    for i in [2, 0, 1] {
        sweep(&["--shard", &format!("{i}/3"), "--out", "parts"]);
    }
    ok(&corridor(
        dir.path(),
        &["merge", "parts", "--out", "merged", "--quiet", "--no-plots"],
    ));
    assert_same_folder(&dir.path().join("one"), &dir.path().join("merged"));
    let curve = std::fs::read_to_string(dir.path().join("one/curve.json")).unwrap();
    assert!(
        curve.contains("\"probed_values\": [\n"),
        "the sweep was refined: {curve}"
    );
    // A sweep shard and a run shard are not parts of one run.
    let mut args = vec!["run", scenario];
    args.extend(&settings[6..]);
    args.extend(["--shard", "1/3", "--out", "runparts"]);
    ok(&corridor(dir.path(), &args));
    std::fs::copy(
        dir.path().join("runparts/shard-00001-of-00003.shard.json"),
        dir.path().join("run1.shard.json"),
    )
    .unwrap();
    let err = failure(&corridor(
        dir.path(),
        &[
            "merge",
            "parts/shard-00000-of-00003.shard.json",
            "parts/shard-00002-of-00003.shard.json",
            "run1.shard.json",
            "--out",
            "x",
        ],
    ));
    assert!(err.contains("kind of run"), "{err}");
}

/// A comparison in 2 shards merges to the folder of one machine: every scenario's
/// replications are split the same way, so the pairing survives.
#[test]
fn two_compare_shards_merge_to_the_bytes_of_one_machine() {
    let dir = tempfile::tempdir().unwrap();
    let base = root().join("scenarios/middle-corridor-2024.toml");
    let alt = root().join("scenarios/middle-corridor-2030.toml");
    let (base, alt) = (base.to_str().unwrap(), alt.to_str().unwrap());
    let settings = [
        "--replications",
        "5",
        "--horizon-days",
        "80",
        "--warmup-days",
        "10",
        "--seed",
        "3",
        "--quiet",
        "--no-plots",
        "--threads",
        "1",
    ];
    let compare = |extra: &[&str]| {
        let mut args = vec!["compare", base, alt];
        args.extend(settings);
        args.extend(extra);
        ok(&corridor(dir.path(), &args));
    };
    compare(&["--out", "one"]);
    for i in [1, 0] {
        compare(&["--shard", &format!("{i}/2"), "--out", "parts"]);
    }
    ok(&corridor(
        dir.path(),
        &["merge", "parts", "--out", "merged", "--quiet", "--no-plots"],
    ));
    assert_same_folder(&dir.path().join("one"), &dir.path().join("merged"));
    assert!(dir.path().join("one/compare.json").exists());
}
