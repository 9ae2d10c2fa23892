//! The `corridor` command end to end: exit codes, messages, outputs, atomic writes.

use std::fs;

use crate::support::{NET, SCENARIO, corridor, root, text};

fn workdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    fs::write(dir.path().join("net.toml"), NET).unwrap();
    fs::write(dir.path().join("sc.toml"), SCENARIO).unwrap();
    dir
}

#[test]
fn validate_summarises_good_files() {
    let dir = workdir();
    let o = corridor(dir.path(), &["validate", "net.toml", "sc.toml"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.contains("ok  net.toml: network \"test\": 5 nodes (2 with a resource), 4 legs (rail 3, sea 1, road 0)"), "{out}");
    assert!(out.contains("ok  sc.toml: scenario \"test\""), "{out}");
    assert!(
        out.contains("1 flow offering 5.0 block trains/week"),
        "{out}"
    );
}

#[test]
fn validate_shows_file_line_column_and_the_offending_text() {
    let dir = workdir();
    fs::write(
        dir.path().join("bad.toml"),
        SCENARIO.replace("to = \"e\"", "to = \"ee\""),
    )
    .unwrap();
    let o = corridor(dir.path(), &["validate", "net.toml", "bad.toml"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(out.contains("ok  net.toml"), "{out}");
    assert!(err.contains("unknown node `ee`"), "{err}");
    assert!(err.contains("bad.toml:11:6"), "{err}");
    assert!(err.contains("to = \"ee\""), "{err}");
    assert!(err.contains("did you mean `e`?"), "{err}");
    assert!(err.contains("1 of 2 files have problems"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_missing_file_gets_the_nearest_name() {
    let dir = workdir();
    let o = corridor(dir.path(), &["validate", "sc.tom"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(err.contains("cannot read sc.tom"), "{err}");
    assert!(
        err.contains("did you mean `./sc.toml`?") || err.contains("did you mean `sc.toml`?"),
        "{err}"
    );
}

#[test]
fn a_missing_network_file_points_at_the_scenario_line() {
    let dir = workdir();
    fs::write(
        dir.path().join("sc2.toml"),
        SCENARIO.replace("net.toml", "nett.toml"),
    )
    .unwrap();
    let o = corridor(dir.path(), &["validate", "sc2.toml"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains("cannot read network file `nett.toml`"),
        "{err}"
    );
    assert!(err.contains("sc2.toml:3:11"), "{err}");
    assert!(err.contains("net.toml"), "{err}");
}

#[test]
fn a_file_of_neither_kind_is_explained() {
    let dir = workdir();
    fs::write(dir.path().join("x.toml"), "answer = 42\n").unwrap();
    let o = corridor(dir.path(), &["validate", "x.toml"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains("cannot tell whether this is a network or a scenario file"),
        "{err}"
    );
}

#[test]
fn run_writes_results_atomically_and_prints_a_table() {
    let dir = workdir();
    let o = corridor(
        dir.path(),
        &["run", "sc.toml", "--replications", "3", "--out", "res"],
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        out.contains("test: 3 replications of 200 days (20 warm-up)"),
        "{out}"
    );
    assert!(out.contains("a->e"), "{out}");
    let res = dir.path().join("res");
    for f in [
        "summary.json",
        "flows.csv",
        "resources.csv",
        "replications.csv",
    ] {
        let bytes = fs::read(res.join(f)).unwrap_or_else(|_| panic!("{f} written"));
        assert!(!bytes.is_empty(), "{f} is empty");
    }
    let leftovers: Vec<_> = fs::read_dir(&res)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(res.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["replications"], 3);
    assert_eq!(summary["seed"], 7);
    for key in ["offered_trains", "delivered_trains"] {
        assert!(summary["overall"][key]["mean"].is_number(), "{key}");
        assert!(summary["overall"][key]["ci95"].is_array(), "{key}");
    }
    assert!(summary["overall"]["transit_days"]["p95"].is_number());
    assert_eq!(summary["flows"][0]["from"], "a");
    assert!(summary["flows"][0]["routes"][0]["nodes"].is_array());
    let ids: Vec<&str> = summary["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"a") && ids.contains(&"ferry") && ids.contains(&"a-b"),
        "{ids:?}"
    );
}

#[test]
fn run_rejects_bad_arguments_clearly() {
    let dir = workdir();
    let o = corridor(dir.path(), &["run", "sc.toml", "--warmup-days", "300"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("the warm-up (300 days) must be shorter than the horizon (200 days)"),
        "{err}"
    );
    let o = corridor(dir.path(), &["run", "sc.toml", "--replications", "0"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("--replications"), "{err}");
    let o = corridor(dir.path(), &["run", "sc.toml", "--horizon-days", "nan"]);
    let (_, err) = text(&o);
    assert!(!o.status.success());
    assert!(
        err.contains("--horizon-days must be a positive number of days"),
        "{err}"
    );
    assert!(
        !dir.path().join("results").exists(),
        "nothing is written after an error"
    );
}

#[test]
fn schema_prints_both_file_kinds() {
    let o = corridor(&root(), &["schema"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(v["network"]["title"], "corridor network file");
    assert_eq!(v["scenario"]["title"], "corridor scenario file");
    assert!(v["network"]["properties"]["leg"].is_object());
    let o = corridor(&root(), &["schema", "scenario"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert!(v["properties"]["flow"].is_object());
}

#[test]
fn routes_lists_legs_modes_and_costs() {
    let dir = workdir();
    let o = corridor(dir.path(), &["routes", "sc.toml", "--k", "2"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        out.contains("a =rail=> b =rail=> c =sea=> d =rail=> e"),
        "{out}"
    );
    assert!(out.contains("rail-sea-rail"), "{out}");
    let o = corridor(dir.path(), &["routes", "sc.toml", "--flow", "a->x"]);
    let (_, err) = text(&o);
    assert!(!o.status.success());
    assert!(err.contains("no flow `a->x`"), "{err}");
}
