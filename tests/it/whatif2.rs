//! What-ifs in a few lines (issue 16): `extends` chains, `--set`, `add`, overrides of
//! several targets, and flow groups (`group`, `--param demand:GROUP`, `--group`).

use std::fs;
use std::path::Path;

use corridor::input;
use corridor::network::{Network, Target};

use crate::support::{NET, corridor, text};

/// A base scenario on [`NET`] in `base/`, with one flow and one override.
const BASE: &str = r#"name = "base"
network = "../net/net.toml"
horizon_days = 200
warmup_days = 20
replications = 4
seed = 7

[[flow]]
id = "f1"
from = "a"
to = "e"
trains_per_week = 5
train = { wagons = 50, teu = 100, tonnes = 1400 }

[[override]]
target = "a"
param = "servers"
value = 3
"#;

/// Extends [`BASE`]: replaces `f1`, adds `f2`, adds a ferry.
const MID: &str = r#"extends = "../base/base.toml"
replications = 3

[[flow]]
id = "f1"
from = "a"
to = "e"
trains_per_week = 2
train = { wagons = 50, teu = 100, tonnes = 1400 }

[[flow]]
id = "f2"
from = "b"
to = "e"
trains_per_week = 1
train = { wagons = 40 }

[[override]]
target = "ferry"
param = "ferry.vessels"
add = 1
"#;

/// Extends [`MID`], from another folder: one override for two targets.
const TOP: &str = r#"extends = "mid/mid.toml"
seed = 9

[[override]]
targets = ["a", "b"]
param = "servers"
factor = 2
"#;

fn chain_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    for (path, text) in [
        ("net/net.toml", NET),
        ("base/base.toml", BASE),
        ("mid/mid.toml", MID),
        ("top.toml", TOP),
    ] {
        let p = dir.path().join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    dir
}

fn servers(network: &Network, id: &str) -> u32 {
    let n = network.node_id(id).unwrap();
    network.node(n).station.as_ref().unwrap().servers
}

fn vessels(network: &Network) -> u32 {
    let Some(Target::Leg(l)) = network.target("ferry") else {
        panic!("no ferry leg");
    };
    network.leg(l).ferry.as_ref().unwrap().vessels
}

#[test]
fn a_chain_inherits_replaces_flows_by_id_and_adds_overrides_in_order() {
    let dir = chain_dir();
    let (s, n) = input::load_scenario(&dir.path().join("top.toml")).expect("the chain loads");
    // A file that extends another and gives no name is named after itself.
    assert_eq!(s.name, "top");
    assert_eq!((s.run.replications, s.run.seed), (3, 9));
    assert_eq!(s.run.horizon_days, 200.0);
    let flows: Vec<(&str, f64)> = s
        .flows
        .iter()
        .map(|f| (f.id.as_str(), f.trains_per_week))
        .collect();
    assert_eq!(flows, [("f1", 2.0), ("f2", 1.0)]);
    // Base's a = 3, then x2 from the top file; b 1 x2; the ferry 2 + 1.
    assert_eq!(servers(&n, "a"), 6);
    assert_eq!(servers(&n, "b"), 2);
    assert_eq!(vessels(&n), 3);
    assert_eq!(s.overrides.len(), 4);
    let bases: Vec<String> = s
        .bases
        .iter()
        .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
        .collect();
    assert_eq!(bases, ["mid/mid.toml", "mid/../base/base.toml"]);
    // The network is resolved from the base that names it.
    assert!(s.network_path.ends_with("base/../net/net.toml"));
}

#[test]
fn a_cycle_is_refused_where_it_closes() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.toml"), "extends = \"b.toml\"\n").unwrap();
    fs::write(
        dir.path().join("b.toml"),
        "seed = 1\nextends = \"a.toml\"\n",
    )
    .unwrap();
    let o = corridor(dir.path(), &["validate", "a.toml"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("`extends` makes a cycle: a.toml -> b.toml -> a.toml"),
        "{err}"
    );
    assert!(err.contains("b.toml:2:11"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_chain_deeper_than_the_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..=input::MAX_EXTENDS_DEPTH {
        let next = format!("extends = \"s{}.toml\"\n", i + 1);
        fs::write(dir.path().join(format!("s{i}.toml")), next).unwrap();
    }
    let o = corridor(dir.path(), &["validate", "s0.toml"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("at most 16 files"), "{err}");
    assert!(err.contains("s15.toml:1:11"), "{err}");
}

#[test]
fn an_error_in_a_base_is_shown_in_the_base_file() {
    let dir = chain_dir();
    let bad = BASE.replace("to = \"e\"", "to = \"ee\"");
    fs::write(dir.path().join("base/base.toml"), bad).unwrap();
    // The replaced f1 of mid.toml is fine; put the bad flow under another id.
    let bad_mid = MID.replace(
        "[[flow]]\nid = \"f1\"\nfrom = \"a\"\nto = \"e\"\ntrains_per_week = 2",
        "[[flow]]\nid = \"f3\"\nfrom = \"a\"\nto = \"e\"\ntrains_per_week = 2",
    );
    fs::write(dir.path().join("mid/mid.toml"), bad_mid).unwrap();
    let o = corridor(dir.path(), &["validate", "top.toml"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("unknown node `ee`"), "{err}");
    assert!(err.contains("base/base.toml:11:6"), "{err}");
    assert!(err.contains("to = \"ee\""), "{err}");
    assert!(err.contains("did you mean `e`?"), "{err}");
    assert!(!err.contains("top.toml:"), "{err}");
}

#[test]
fn a_missing_base_is_located_at_its_extends() {
    let dir = chain_dir();
    fs::write(
        dir.path().join("top.toml"),
        TOP.replace("mid/mid.toml", "mid/mdi.toml"),
    )
    .unwrap();
    let o = corridor(dir.path(), &["validate", "top.toml"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("cannot read the base scenario `mid/mdi.toml`"),
        "{err}"
    );
    assert!(err.contains("top.toml:1:11"), "{err}");
    assert!(
        err.contains("mid.toml"),
        "the nearest file is suggested: {err}"
    );
}

fn with_sets(sets: &[&str]) -> Network {
    let dir = chain_dir();
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let (s, n) = input::load_scenario_with(&dir.path().join("top.toml"), &sets).expect("loads");
    assert_eq!(s.sets, sets);
    n
}

#[test]
fn set_takes_absolute_added_and_scaled_values_after_the_files() {
    assert_eq!(vessels(&with_sets(&["ferry.ferry.vessels=5"])), 5);
    assert_eq!(vessels(&with_sets(&["ferry.ferry.vessels=+2"])), 5);
    assert_eq!(vessels(&with_sets(&["ferry.ferry.vessels=x3"])), 9);
    assert_eq!(vessels(&with_sets(&["ferry.ferry.vessels=*2"])), 6);
    let n = with_sets(&["a.servers=-1", "a.servers=x2"]);
    assert_eq!(servers(&n, "a"), 10, "(6 - 1) x 2, in the order given");
}

#[test]
fn a_bad_set_names_the_flag_and_the_nearest_name() {
    let dir = chain_dir();
    let run = |set: &str| {
        let o = corridor(
            dir.path(),
            &["run", "top.toml", "--quiet", "--no-plots", "--set", set],
        );
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{set}: {err}");
        assert!(err.contains("--set:1:"), "{err}");
        assert!(err.contains(&format!("--set {set}")), "{err}");
        err
    };
    assert!(run("feri.ferry.vessels=+2").contains("did you mean `ferry`?"));
    assert!(run("ferry.ferry.vesels=+2").contains("did you mean `ferry.vessels`?"));
    assert!(run("ferry.ferry.vessels=many").contains("`many` is not a number"));
    assert!(run("ferry=3").contains("is not TARGET.PARAM"));
    assert!(run("ferry.ferry.vessels=+0.5").contains("whole number"));
}

#[test]
fn the_manifest_records_the_chain_and_the_flags() {
    let dir = chain_dir();
    let o = corridor(
        dir.path(),
        &[
            "run",
            "top.toml",
            "--quiet",
            "--no-plots",
            "--out",
            "out",
            "--set",
            "ferry.ferry.vessels=+1",
        ],
    );
    assert!(o.status.success(), "{}", text(&o).1);
    let m: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("out/manifest.json")).unwrap())
            .unwrap();
    let s = &m["scenarios"][0];
    assert_eq!(s["set"], serde_json::json!(["ferry.ferry.vessels=+1"]));
    let extends = s["extends"].as_array().expect("the chain");
    assert_eq!(extends.len(), 2);
    assert!(
        extends[1]["file"]
            .as_str()
            .unwrap()
            .ends_with("base/base.toml")
    );
    assert_eq!(
        extends[1]["sha256"].as_str().unwrap(),
        corridor::report::manifest::sha256_hex(BASE.as_bytes())
    );
    let last = s["overrides"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["change"], serde_json::json!({ "add": 1.0 }));
}

fn override_problem(body: &str) -> String {
    let dir = chain_dir();
    fs::write(
        dir.path().join("top.toml"),
        format!("extends = \"mid/mid.toml\"\n\n[[override]]\n{body}"),
    )
    .unwrap();
    let o = corridor(dir.path(), &["validate", "top.toml"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{body}: {err}");
    err
}

#[test]
fn add_and_several_targets_are_checked() {
    let e = override_problem("target = \"a\"\nparam = \"service_days\"\nadd = 1\n");
    assert!(e.contains("cannot be changed by `add`"), "{e}");
    let e = override_problem("target = \"a\"\nparam = \"servers\"\nadd = 1\nvalue = 2\n");
    assert!(
        e.contains("exactly one of `value`, `factor` and `add`"),
        "{e}"
    );
    let e = override_problem("target = \"a\"\ntargets = [\"b\"]\nparam = \"servers\"\nadd = 1\n");
    assert!(e.contains("`target` or `targets`, not both"), "{e}");
    let e = override_problem("targets = [\"a\", \"bb\"]\nparam = \"servers\"\nadd = 1\n");
    assert!(e.contains("unknown node or leg `bb`"), "{e}");
    assert!(
        e.contains("top.toml:4:17"),
        "located at the id in the list: {e}"
    );
    let e = override_problem("target = []\nparam = \"servers\"\nadd = 1\n");
    assert!(e.contains("the list of targets is empty"), "{e}");
}

/// Two groups: `g1` (two timetabled flows from `a`) and `g2` (one Poisson flow from
/// `b`), with station `a` the busiest resource, used by `g1` alone.
const GROUPS: &str = r#"name = "groups"
network = "net.toml"
horizon_days = 300
warmup_days = 20
replications = 6
seed = 3

[[flow]]
id = "f1"
group = "g1"
from = "a"
to = "e"
trains_per_week = 3
arrivals = "timetable"
train = { wagons = 50 }

[[flow]]
id = "f2"
group = "g2"
from = "b"
to = "e"
trains_per_week = 2
train = { wagons = 50 }

[[flow]]
id = "f3"
group = "g1"
from = "a"
to = "d"
trains_per_week = 1
arrivals = "timetable"
train = { wagons = 50 }

[[override]]
target = "a"
param = "service_days"
value = 1.2

[[override]]
target = "ferry"
param = "ferry.vessels"
value = 40
"#;

fn groups_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("net.toml"), NET).unwrap();
    fs::write(dir.path().join("groups.toml"), GROUPS).unwrap();
    dir
}

fn curve(dir: &Path, out: &str) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(dir.join(out).join("curve.json")).unwrap()).unwrap()
}

#[test]
fn a_group_demand_sweep_leaves_other_groups_offered_trains_unchanged() {
    let dir = groups_dir();
    let o = corridor(
        dir.path(),
        &[
            "sweep",
            "groups.toml",
            "--param",
            "demand:g1",
            "--values",
            "1,2",
            "--quiet",
            "--no-plots",
            "--out",
            "sw",
        ],
    );
    assert!(o.status.success(), "{}", text(&o).1);
    let c = curve(dir.path(), "sw");
    assert_eq!(c["param"], "demand:g1");
    let points = c["points"].as_array().unwrap();
    let flow = |p: &serde_json::Value, id: &str| -> f64 {
        p["flows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .unwrap()["offered_trains_per_week"]["mean"]
            .as_f64()
            .unwrap()
    };
    // The other group's trains are the same trains (its own random stream).
    assert_eq!(flow(&points[0], "f2"), flow(&points[1], "f2"));
    // The curve's offered load is the group's alone.
    for p in points {
        let g1 = flow(p, "f1") + flow(p, "f3");
        let offered = p["offered_trains_per_week"]["mean"].as_f64().unwrap();
        assert!((offered - g1).abs() < 1e-9, "{offered} vs {g1}");
    }
    // Timetabled trains: 4 a week, then 8, to within one train per flow in the
    // 280-day window (2 x 7 / 280 = 0.05 a week).
    let g1 = |p: &serde_json::Value| flow(p, "f1") + flow(p, "f3");
    assert!((g1(&points[0]) - 4.0).abs() <= 0.05, "{}", g1(&points[0]));
    assert!((g1(&points[1]) - 8.0).abs() <= 0.05, "{}", g1(&points[1]));
}

#[test]
fn capacity_of_a_group_counts_its_trains_and_binds_on_a_resource_they_use() {
    let dir = groups_dir();
    let o = corridor(
        dir.path(),
        &[
            "capacity",
            "groups.toml",
            "--group",
            "g2",
            "--quiet",
            "--no-plots",
            "--out",
            "cap",
        ],
    );
    assert!(o.status.success(), "{}", text(&o).1);
    let c = curve(dir.path(), "cap");
    assert_eq!(c["param"], "demand:g2");
    let pc = &c["practical_capacity"];
    // Station `a` is used by g1 only, so it may not be g2's bottleneck: that is one
    // of the resources on g2's route b -> c -> d -> e.
    let binding = pc["bottleneck"].as_str().unwrap_or("none");
    assert!(["b", "b-c", "ferry", "d-e"].contains(&binding), "{pc}");
    // The capacity is of g2's trains: the offered load of the probe at the found
    // factor is g2's (2 a week x the factor), not g1's 4 a week on top.
    let value = pc["value"].as_f64().unwrap();
    let estimate = pc["point_estimate"].as_f64().unwrap();
    assert!(
        (estimate / value - 2.0).abs() < 0.2,
        "capacity {estimate} at factor {value}"
    );
    let o = corridor(dir.path(), &["capacity", "groups.toml", "--group", "g3"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("unknown flow group `g3`"), "{err}");
}

#[test]
fn the_schema_has_the_new_fields() {
    let o = corridor(Path::new("."), &["schema", "scenario"]);
    assert!(o.status.success());
    let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(s["properties"]["extends"].is_object(), "{s}");
    let defs = &s["$defs"];
    for key in ["add", "targets", "target", "factor", "value"] {
        assert!(defs["OverrideSpec"]["properties"][key].is_object(), "{key}");
    }
    // `target` may be one id or a list, and may be left out for `targets`.
    let required = defs["OverrideSpec"]["required"].as_array().unwrap();
    assert!(!required.iter().any(|r| r == "target"), "{required:?}");
    assert!(defs["TargetList"].to_string().contains("array"));
    assert!(defs["FlowSpec"]["properties"]["group"].is_object());
}

#[test]
fn a_sweep_table_may_name_a_group_and_its_transit_is_the_groups() {
    let dir = groups_dir();
    let file = format!("{GROUPS}\n[sweep]\nparam = \"demand:g2\"\nvalues = [1, 2]\n");
    fs::write(dir.path().join("groups.toml"), file).unwrap();
    let o = corridor(
        dir.path(),
        &[
            "sweep",
            "groups.toml",
            "--quiet",
            "--no-plots",
            "--out",
            "sw",
        ],
    );
    assert!(o.status.success(), "{}", text(&o).1);
    let c = curve(dir.path(), "sw");
    assert_eq!(c["param"], "demand:g2");
    for p in c["points"].as_array().unwrap() {
        // The point's transit times are f2's alone.
        let f2 = p["flows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == "f2")
            .unwrap();
        assert_eq!(p["transit_days"]["trains"], f2["transit_days"]["trains"]);
        assert_eq!(p["transit_days"]["p95"], f2["transit_days"]["p95"]);
        // A group of one flow: its per-replication means are the flow's, so the
        // means over replications are the same numbers.
        assert_eq!(p["transit_days"]["mean"], f2["transit_days"]["mean"]);
        assert_eq!(
            p["offered_trains_per_week"]["mean"],
            f2["offered_trains_per_week"]["mean"]
        );
    }
    let bad = format!("{GROUPS}\n[sweep]\nparam = \"demand:g9\"\nvalues = [1]\n");
    fs::write(dir.path().join("groups.toml"), bad).unwrap();
    let o = corridor(dir.path(), &["validate", "groups.toml"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("unknown flow group `g9`"), "{err}");
}

/// A group's sweep in shards merges to the files of one machine (the merge folds the
/// partials with each flow's figures, as the group's curve needs), and at every point
/// the group's bottleneck is a resource its trains use, binding in a share of the
/// replications.
#[test]
fn a_sharded_group_sweep_merges_to_the_bytes_of_one_machine() {
    let dir = groups_dir();
    let sweep = |extra: &[&str]| {
        let mut args = vec![
            "sweep",
            "groups.toml",
            "--param",
            "demand:g2",
            "--values",
            "1,4",
            "--tolerance",
            "0.05",
            "--quiet",
            "--no-plots",
        ];
        args.extend(extra);
        let o = corridor(dir.path(), &args);
        assert!(o.status.success(), "{}", text(&o).1);
    };
    sweep(&["--out", "one"]);
    for i in [1, 0] {
        sweep(&["--shard", &format!("{i}/2"), "--out", "parts"]);
    }
    let o = corridor(
        dir.path(),
        &["merge", "parts", "--out", "merged", "--quiet", "--no-plots"],
    );
    assert!(o.status.success(), "{}", text(&o).1);
    for name in [
        "curve.json",
        "curve.csv",
        "curve_resources.csv",
        "curve_flows.csv",
        "replications.csv",
    ] {
        let a = fs::read(dir.path().join("one").join(name)).unwrap();
        let b = fs::read(dir.path().join("merged").join(name)).unwrap();
        assert!(a == b, "{name} differs between one machine and the merge");
    }
    let c = curve(dir.path(), "one");
    assert_eq!(c["param"], "demand:g2");
    for p in c["points"].as_array().unwrap() {
        let b = &p["bottleneck"];
        let id = b["id"].as_str().unwrap();
        assert!(["b", "b-c", "ferry", "d-e"].contains(&id), "{b}");
        let share = b["binding_share"].as_f64().unwrap();
        assert!(share > 0.0 && share <= 1.0, "{b}");
    }
}
