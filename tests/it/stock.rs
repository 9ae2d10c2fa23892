//! Rolling stock and back-pressure (issue 12): train classes with non-preemptive
//! priority against Cobham's formula, at a station and at a line section; class input
//! errors; results without classes unchanged.
//!
//! Tolerances: a class's mean wait over replications is compared with the exact value
//! within four standard errors of the mean over replications (the Student-t half-width
//! over t(0.975, n−1)): a correct engine fails one such check with probability about
//! 6·10⁻⁵ for a random seed (the seeds here are fixed). Each check also requires the
//! standard error to be below 3% of the exact value, so it cannot pass by being
//! imprecise.

use corridor::stats::{Estimate, t_quantile_975};

use crate::support::{run_text, scenario_problems};

/// Replications of the priority checks.
const N: u64 = 40;

#[track_caller]
fn assert_within_4se(what: &str, e: &Estimate, exact: f64) {
    let se = e.half_width() / t_quantile_975(N - 1);
    assert!(
        se < 0.03 * exact,
        "{what}: standard error {se} too large for a test"
    );
    let z = (e.mean - exact) / se;
    eprintln!("{what}: {:.4} (se {se:.4}) vs exact {exact:.4}", e.mean);
    assert!(
        z.abs() < 4.0,
        "{what}: {} vs exact {exact} is {z:.2} standard errors away (se {se})",
        e.mean
    );
}

/// A line a→b: `station` is the resource table of terminal `a` (or empty); the line
/// takes `capacity` (a `capacity_trains_per_day = ...` line, or empty) and no time.
fn network(station: &str, capacity: &str) -> String {
    crate::support::line_network(station, "0", capacity)
}

/// Two Poisson flows a→b, `express` at 0.3 trains a day and `regular` at 0.4, with
/// `classes` (a `classes = [...]` line or empty), over 20,000 days after 500.
fn scenario(classes: &str, express_class: &str, regular_class: &str) -> String {
    format!(
        r#"
name = "prio"
network = "net.toml"
horizon_days = 20500
warmup_days = 500
replications = {N}
seed = 12
{classes}

[[flow]]
id = "express"
from = "a"
to = "b"
trains_per_week = 2.1
train = {{ wagons = 10 }}
{express_class}

[[flow]]
id = "regular"
from = "a"
to = "b"
trains_per_week = 2.8
train = {{ wagons = 10 }}
{regular_class}
"#
    )
}

/// Cobham (1954), non-preemptive priority at one server with Poisson arrivals: class
/// k waits W0 / ((1 − σ_{k−1})(1 − σ_k)), where W0 = Σ λ_i E[S²] / 2 is the mean
/// residual work found in service and σ_k the load of classes 1..k.
fn cobham(lambda: &[f64], second_moment: f64, mean: f64) -> Vec<f64> {
    let w0: f64 = lambda.iter().map(|l| l * second_moment / 2.0).sum();
    let mut sigma = 0.0;
    lambda
        .iter()
        .map(|l| {
            let before = sigma;
            sigma += l * mean;
            w0 / ((1.0 - before) * (1.0 - sigma))
        })
        .collect()
}

/// The mean wait of class `class` at `resource` in a summary.
fn class_wait(s: &corridor::summary::Summary, class: &str, resource: &str) -> Estimate {
    let c = s
        .classes
        .iter()
        .find(|c| c.class == class)
        .unwrap_or_else(|| panic!("class {class} reported"));
    c.resources
        .iter()
        .find(|r| r.resource.contains(resource))
        .unwrap_or_else(|| panic!("class {class} waited at {resource}: {:?}", c.resources))
        .wait_days
}

/// M/M/1 at terminal a (mean service 1 day), express λ1 = 0.3 a day ahead of regular
/// λ2 = 0.4: W0 = λ E[S²]/2 = 0.7 · 2 / 2 = 0.7, so Wq1 = 0.7 / 0.7 = 1 day and
/// Wq2 = 0.7 / (0.7 · 0.3) = 3.333 days (FIFO would give both 2.333).
#[test]
fn two_classes_at_an_mm1_wait_as_cobham_says() {
    let net = network(
        r#"resource = { servers = 1, service_days = { dist = "exponential", mean = 1.0 } }"#,
        "",
    );
    let sc = scenario(
        r#"classes = ["express", "regular"]"#,
        r#"class = "express""#,
        r#"class = "regular""#,
    );
    let (s, _, _) = run_text(&net, &sc);
    let exact = cobham(&[0.3, 0.4], 2.0, 1.0);
    assert!((exact[0] - 1.0).abs() < 1e-12 && (exact[1] - 10.0 / 3.0).abs() < 1e-12);
    assert_within_4se("express wait", &class_wait(&s, "express", "a"), exact[0]);
    assert_within_4se("regular wait", &class_wait(&s, "regular", "a"), exact[1]);
    // The classes are reported in priority order, with their flows.
    assert_eq!(s.classes[0].priority, 1);
    assert_eq!(s.classes[0].flows, ["express"]);
    assert_eq!(s.classes[1].flows, ["regular"]);
    // The resource's own wait is the mix of the two (Kleinrock's conservation law
    // keeps it at the FIFO value λ W0 / (1 − ρ) / λ = 2.333 days).
    let a = s
        .resources
        .iter()
        .find(|r| r.id == "a")
        .expect("a reported");
    assert_within_4se("wait of all trains", &a.wait_days, 0.7 / 0.3);
}

/// A line section of 1 train a day (a deterministic headway of 1 day, E[S²] = 1): an
/// M/D/1 with W0 = 0.7 / 2 = 0.35, so Wq1 = 0.5 and Wq2 = 0.35 / 0.21 = 1.667 days.
/// The flow without `class` takes the last one.
#[test]
fn two_classes_at_a_line_section_wait_as_cobham_says() {
    let net = network("", "capacity_trains_per_day = 1");
    let sc = scenario(
        r#"classes = ["express", "regular"]"#,
        r#"class = "express""#,
        "",
    );
    let (s, _, _) = run_text(&net, &sc);
    let exact = cobham(&[0.3, 0.4], 1.0, 1.0);
    assert_within_4se("express wait", &class_wait(&s, "express", "a"), exact[0]);
    assert_within_4se("regular wait", &class_wait(&s, "regular", "a"), exact[1]);
}

/// One class, or none: the same bytes of results as a scenario without classes (the
/// summary only gains its `classes` block).
#[test]
fn a_single_class_changes_no_figure() {
    let net = network(
        r#"resource = { servers = 1, service_days = { dist = "exponential", mean = 1.0 } }"#,
        "",
    );
    let short = |s: String| s.replace("horizon_days = 20500", "horizon_days = 2500");
    let (plain, plain_out, _) = run_text(&net, &short(scenario("", "", "")));
    let (one, one_out, _) = run_text(
        &net,
        &short(scenario(r#"classes = ["all"]"#, r#"class = "all""#, "")),
    );
    assert!(plain.classes.is_empty());
    assert_eq!(one.classes.len(), 1);
    assert_eq!(plain_out.replications.len(), one_out.replications.len());
    for (a, b) in plain_out.replications.iter().zip(&one_out.replications) {
        assert_eq!(a.events, b.events);
        assert_eq!(a.transit_p95_days.to_bits(), b.transit_p95_days.to_bits());
        for (x, y) in a.resources.iter().zip(&b.resources) {
            assert_eq!(x.wait_sum_days.to_bits(), y.wait_sum_days.to_bits());
        }
        // The one class's waits are all the waits.
        let waits: u64 = b.class_waits[0].iter().map(|w| w.waits).sum();
        assert_eq!(waits, b.resources.iter().map(|r| r.waits).sum::<u64>());
    }
    assert!(corridor::schema::to_json(&one).contains("\"classes\""));
    assert!(!corridor::schema::to_json(&plain).contains("\"classes\""));
}

/// Class mistakes are located and name what is valid.
#[test]
fn class_errors_are_located() {
    let net = network("", "");
    let p = scenario_problems(
        &net,
        &scenario(
            r#"classes = ["express", "regular"]"#,
            r#"class = "expres""#,
            "",
        ),
    );
    assert!(
        p.contains("sc.toml:16:9") && p.contains("unknown train class `expres`"),
        "{p}"
    );
    assert!(p.contains("did you mean `express`?"), "{p}");
    let p = scenario_problems(&net, &scenario("", r#"class = "express""#, ""));
    assert!(p.contains("declare the classes first"), "{p}");
    let p = scenario_problems(&net, &scenario(r#"classes = ["a", "a"]"#, "", ""));
    assert!(p.contains("duplicate train class `a`"), "{p}");
    let p = scenario_problems(&net, &scenario(r#"classes = ["a b"]"#, "", ""));
    assert!(p.contains("class id `a b` contains ` `"), "{p}");
    let many: Vec<String> = (0..17).map(|i| format!("\"c{i}\"")).collect();
    let p = scenario_problems(
        &net,
        &scenario(&format!("classes = [{}]", many.join(", ")), "", ""),
    );
    assert!(p.contains("at most 16 train classes, got 17"), "{p}");
}

/// `corridor run` of a scenario with classes: `summary.json` reads back through its
/// type unchanged, and the shape of its `classes` block is snapshotted.
#[test]
fn the_summary_reports_classes_through_the_schema() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let d = dir.path();
    let net = network(
        r#"resource = { servers = 1, service_days = { dist = "exponential", mean = 1.0 } }"#,
        "capacity_trains_per_day = 2",
    );
    std::fs::write(d.join("net.toml"), net).unwrap();
    let sc = scenario(
        r#"classes = ["express", "regular"]"#,
        r#"class = "express""#,
        "",
    )
    .replace("horizon_days = 20500", "horizon_days = 300")
    .replace("warmup_days = 500", "warmup_days = 30")
    .replace(&format!("replications = {N}"), "replications = 3");
    std::fs::write(d.join("sc.toml"), sc).unwrap();
    let o = crate::support::corridor(d, &["run", "sc.toml", "--out", "run"]);
    assert!(o.status.success(), "{}", crate::support::text(&o).1);
    let path = d.join("run/summary.json");
    crate::schema::json_round_trip::<corridor::schema::Summary>(&path);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let classes = &v["classes"];
    assert_eq!(classes.as_array().map(Vec::len), Some(2));
    let mut out = String::new();
    crate::schema::shape(classes, 0, &mut out);
    insta::assert_snapshot!("summary-classes", out);
}

/// A sweep of a corridor at 500 and 1,000 times its capacity for 10 years, run with
/// its address space limited to 2 GB (`prlimit --as`): it finishes, every point says
/// it saturated (in `curve.json`, with when and where, and in `curve.csv`), meets no
/// criterion, and the sweep went on past the first saturated point.
#[test]
fn a_saturated_sweep_point_is_a_result_within_2_gb() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let d = dir.path();
    let net = network(r#"resource = { servers = 1, service_days = 1.0 }"#, "");
    std::fs::write(d.join("net.toml"), net).unwrap();
    std::fs::write(
        d.join("sc.toml"),
        r#"
name = "overload"
network = "net.toml"
horizon_days = 3650
warmup_days = 0
replications = 2
seed = 1

[[flow]]
from = "a"
to = "b"
trains_per_week = 7000
train = { wagons = 50 }
"#,
    )
    .unwrap();
    let o = std::process::Command::new("prlimit")
        .arg("--as=2147483648")
        .arg(env!("CARGO_BIN_EXE_corridor"))
        .args([
            "sweep",
            "sc.toml",
            "--param",
            "demand",
            "--values",
            "0.5,1",
            "--out",
            "sw",
            "--no-plots",
            "-q",
        ])
        .current_dir(d)
        .env("NO_COLOR", "1")
        .output()
        .expect("prlimit runs");
    let (_, err) = crate::support::text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("saturated"), "{err}");
    let curve: corridor::schema::Curve = corridor::schema::from_json(
        &std::fs::read_to_string(d.join("sw/curve.json")).expect("curve.json"),
    )
    .expect("curve.json reads back");
    assert_eq!(curve.points.len(), 2, "the sweep went on to its next point");
    for p in &curve.points {
        let s = p.saturation.as_ref().expect("the point saturated");
        assert_eq!(s.replications, 2);
        // 500 (1,000) trains arrive a day and one leaves: a million are in the
        // system after about 2,000 (1,000) days, all waiting at `a`.
        let day = 1e6 / (1000.0 * p.value - 1.0);
        assert!(
            (0.9 * day..1.1 * day).contains(&s.first_day),
            "point {}: saturated on day {}",
            p.value,
            s.first_day
        );
        assert_eq!(s.trains_in_system, 1_000_001);
        assert!(
            s.resource.as_deref().is_some_and(|r| r.contains('a')),
            "{s:?}"
        );
        assert!(!p.meets_criteria);
    }
    let rows: Vec<corridor::schema::CurveRow> = corridor::schema::from_csv(
        &std::fs::read_to_string(d.join("sw/curve.csv")).expect("curve.csv"),
    )
    .expect("curve.csv reads back");
    assert!(rows.iter().all(|r| r.saturated_replications == 2));
}

// ----- storage limits -----------------------------------------------------------------

/// The storage figures of node `node` in a summary.
fn storage<'a>(
    s: &'a corridor::summary::Summary,
    node: &str,
) -> &'a corridor::schema::StorageSummary {
    s.storage
        .iter()
        .find(|x| x.node == node)
        .unwrap_or_else(|| panic!("storage of {node} reported: {:?}", s.storage))
}

/// One Poisson flow a→b of 10-wagon trains at `per_week`, over 20,000 days after 500.
fn storage_scenario(per_week: f64, arrivals: &str) -> String {
    format!(
        r#"
name = "store"
network = "net.toml"
horizon_days = 20500
warmup_days = 500
replications = {N}
seed = 21

[[flow]]
id = "f"
from = "a"
to = "b"
trains_per_week = {per_week}
train = {{ wagons = 10 }}
{arrivals}
"#
    )
}

/// An M/M/1 station with room for K = 3 trains in all (30 wagons of 10-wagon trains,
/// the one in service included) that turns away arrivals when full: the M/M/1/K
/// queue. With ρ = λ/μ = 0.8, an arrival finds it full with probability
/// P_K = (1 − ρ)ρ^K / (1 − ρ^(K+1)) = 0.17344 (and, Poisson arrivals seeing time
/// averages, that is also the share of time it is full); the accepted throughput is
/// λ(1 − P_K) = 0.66125 trains a day, and the node holds on average
/// L = ρ/(1 − ρ) − (K + 1)ρ^(K+1)/(1 − ρ^(K+1)) trains.
#[test]
fn a_refusing_store_at_an_mm1_blocks_as_mm1k_says() {
    let net = network(
        "resource = { servers = 1, service_days = { dist = \"exponential\", mean = 1.0 } }\n\
         storage = { wagons = 30, when_full = \"refuse\" }",
        "",
    );
    let (s, out, _) = run_text(&net, &storage_scenario(5.6, ""));
    let (rho, k, lambda) = (0.8f64, 3, 0.8);
    let p_k = (1.0 - rho) * rho.powi(k) / (1.0 - rho.powi(k + 1));
    assert!((p_k - 0.173_441).abs() < 1e-6);
    let l = rho / (1.0 - rho) - f64::from(k + 1) * rho.powi(k + 1) / (1.0 - rho.powi(k + 1));
    let st = storage(&s, "a");
    assert_eq!(
        (st.unit.as_str(), st.limit, st.when_full.as_str()),
        ("wagons", 30.0, "refuse")
    );
    assert_within_4se("blocking probability", &st.refused_share, p_k);
    assert_within_4se("share of time full", &st.full_share, p_k);
    assert_within_4se("wagons at the node", &st.occupancy_mean, 10.0 * l);
    let thr = &s.flows[0].delivered_trains_per_week;
    let per_day = Estimate {
        mean: thr.mean / 7.0,
        ci95: thr.ci95.map(|[a, b]| [a / 7.0, b / 7.0]),
    };
    assert_within_4se("accepted throughput", &per_day, lambda * (1.0 - p_k));
    assert_eq!(st.held_trains, 0, "a refusing node holds nobody");
    assert!(
        s.notices.iter().any(|n| n.starts_with("refused: ")),
        "{:?}",
        s.notices
    );
    // Every train of the window is delivered, refused or still in the system.
    for r in &out.replications {
        let f = &r.flows[0];
        assert!(f.refused > 0);
        assert_eq!(f.offered, f.delivered + f.refused + f.in_system);
        assert_eq!(f.refused, r.stores[0].refused);
    }
}

/// Blocking after service, by hand. Trains of 10 wagons arrive at a every 2 days
/// from day 0; a serves each in exactly 1 day, then the train moves (in no time) to
/// b, which holds one train (10 wagons) and serves it in 3 days. Train 0: a [0, 1],
/// b [1, 4]. Train 1: a [2, 3], held at a (keeping its server) until b empties at 4,
/// b [4, 7]. Train 2: a [4, 5], held until 7, b [7, 10]. Train 3 arrives at 6, waits
/// for a's blocked server until 7, a [7, 8], held until 10, b [10, 13]. Train 4
/// arrives at 8, waits until 10, a [10, 11], held from 11. Over 12 days: 3 trains
/// delivered (days 4, 7, 10), 4 trains held of which 3 holds ended (1 + 2 + 2 = 5
/// days), a's server busy or blocked 1 + 2 + 3 + 3 + 2 = 11 of 12 days, b full from
/// day 1 on (11 of 12 days), and a's queue waits 1 (train 3) and 2 (train 4) days.
#[test]
fn a_full_node_holds_trains_where_they_are_by_hand() {
    let net = r#"
[network]
name = "t"

[[node]]
id = "a"
lat = 40.0
lon = 50.0
kind = "rail_terminal"
resource = { servers = 1, service_days = 1.0 }

[[node]]
id = "b"
lat = 41.0
lon = 51.0
kind = "rail_terminal"
resource = { servers = 1, service_days = 3.0 }
storage = { wagons = 10 }

[[leg]]
from = "a"
to = "b"
mode = "rail"
length_km = 100
travel_days = 0
gauge_mm = 1520
"#;
    let sc = storage_scenario(3.5, "arrivals = \"timetable\"")
        .replace("horizon_days = 20500", "horizon_days = 12")
        .replace("warmup_days = 500", "warmup_days = 0")
        .replace(&format!("replications = {N}"), "replications = 1");
    let (s, out, _) = run_text(net, &sc);
    let r = &out.replications[0];
    let st = &r.stores[0];
    assert_eq!(r.flows[0].delivered, 3);
    assert_eq!(r.flows[0].offered, 6);
    assert_eq!(
        (st.arrivals, st.held, st.holds_ended, st.refused),
        (5, 4, 3, 0)
    );
    assert!((st.hold_sum_days - 5.0).abs() < 1e-9, "{st:?}");
    assert!((st.full_share - 11.0 / 12.0).abs() < 1e-9, "{st:?}");
    assert!(
        (st.held_mean - 6.0 / 12.0).abs() < 1e-9,
        "holds 1+2+2+1 days: {st:?}"
    );
    let a = s.resources.iter().position(|x| x.id == "a").unwrap();
    let ra = &r.resources[a];
    assert!((ra.utilization - 11.0 / 12.0).abs() < 1e-9, "{ra:?}");
    assert_eq!(ra.waits, 5, "trains 0–4 started service at a");
    assert!((ra.wait_sum_days - 3.0).abs() < 1e-9, "{ra:?}");
    assert_eq!(storage(&s, "b").held_trains, 4);
}

/// Storage mistakes are located and say what to give.
#[test]
fn storage_errors_are_located() {
    let with = |storage: &str| {
        crate::support::network_problems(&network(
            &format!("resource = {{ servers = 1, service_days = 1.0 }}\nstorage = {storage}"),
            "",
        ))
    };
    let p = with("{ wagons = 0 }");
    assert!(
        p.contains("net.toml:11:")
            && p.contains("`storage.wagons` must be a whole number of at least 1, got 0"),
        "{p}"
    );
    let p = with("{ wagons = 10, teu = 20 }");
    assert!(p.contains("`storage` gives both `wagons` and `teu`"), "{p}");
    let p = with("{ when_full = \"refuse\" }");
    assert!(
        p.contains("`storage` gives neither `wagons` nor `teu`")
            && p.contains("storage = { wagons = 700 }"),
        "{p}"
    );
    let p = with("{ teu = -1 }");
    assert!(p.contains("`storage.teu`"), "{p}");
    let p = with("{ wagons = 10, when_full = \"drop\" }");
    assert!(p.contains("hold") && p.contains("refuse"), "{p}");
}

/// A ferry port that holds 40 TEU (two 10-wagon trains of 20 TEU): trains that do not
/// fit wait at their origin, the port itself, and its wagons leave the store as they
/// sail. `corridor run` writes `storage.csv` and the `storage` block of
/// `summary.json`, both reading back through their types unchanged; the port never
/// holds more than its limit on average, holds trains, refuses none, and every train
/// is delivered or still in the system.
#[test]
fn a_port_store_in_teu_is_reported_through_the_schema() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let d = dir.path();
    let net = r#"
[network]
name = "port store"

[[node]]
id = "a"
lat = 40.0
lon = 50.0
kind = "sea_port"
storage = { teu = 40 }

[[node]]
id = "b"
lat = 40.0
lon = 51.0
kind = "sea_port"

[[leg]]
id = "sea"
from = "a"
to = "b"
mode = "sea"
length_km = 300
one_way = true

[leg.ferry]
vessels = 1
wagons_per_sailing = 20
departure = { rule = "when_full", max_wait_days = 100000 }
sailing_days = { dist = "exponential", mean = 0.5 }
turnaround_days = 0.2
"#;
    std::fs::write(d.join("net.toml"), net).unwrap();
    let sc = r#"
name = "port"
network = "net.toml"
horizon_days = 400
warmup_days = 20
replications = 4
seed = 5

[[flow]]
id = "f"
from = "a"
to = "b"
trains_per_week = 10
train = { wagons = 10, teu = 20 }
"#;
    std::fs::write(d.join("sc.toml"), sc).unwrap();
    let o = crate::support::corridor(d, &["run", "sc.toml", "--out", "run", "--no-plots"]);
    assert!(o.status.success(), "{}", crate::support::text(&o).1);
    crate::schema::json_round_trip::<corridor::schema::Summary>(&d.join("run/summary.json"));
    crate::schema::csv_round_trip::<corridor::schema::StorageRow>(&d.join("run/storage.csv"));
    let rows: Vec<corridor::schema::StorageRow> =
        corridor::schema::from_csv(&std::fs::read_to_string(d.join("run/storage.csv")).unwrap())
            .unwrap();
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(
        (r.node.as_str(), r.unit.as_str(), r.limit),
        ("a", "teu", 40.0)
    );
    assert!(r.held_trains > 0 && r.refused_trains == 0, "{r:?}");
    assert!(r.occupancy_mean > 0.0 && r.occupancy_mean <= 40.0, "{r:?}");
    assert!(r.full_share_mean > 0.0 && r.full_share_mean < 1.0, "{r:?}");
    let s: corridor::schema::Summary =
        corridor::schema::from_json(&std::fs::read_to_string(d.join("run/summary.json")).unwrap())
            .unwrap();
    let f = &s.flows[0];
    let sum = f.delivered_trains.mean + f.in_system_trains.mean;
    assert!((f.offered_trains.mean - sum).abs() < 1e-9, "{f:?}");
}

// ----- embargoes ----------------------------------------------------------------------

/// Terminal a (no resource) and station b one server, `service` days a train, joined
/// by a line that takes no time.
fn embargo_network(service: &str) -> String {
    format!(
        r#"
[network]
name = "t"

[[node]]
id = "a"
lat = 40.0
lon = 50.0
kind = "rail_terminal"

[[node]]
id = "b"
lat = 41.0
lon = 51.0
kind = "rail_terminal"
resource = {{ servers = 1, service_days = {service} }}

[[leg]]
from = "a"
to = "b"
mode = "rail"
length_km = 100
travel_days = 0
gauge_mm = 1520
"#
    )
}

/// One flow a→b at `per_week`, over `horizon` days without warm-up, with `extra`.
fn embargo_scenario(per_week: f64, horizon: u32, reps: u32, extra: &str) -> String {
    format!(
        r#"
name = "embargo"
network = "net.toml"
horizon_days = {horizon}
warmup_days = 0
replications = {reps}
seed = 8

[[flow]]
id = "f"
from = "a"
to = "b"
trains_per_week = {per_week}
train = {{ wagons = 10 }}
{extra}
"#
    )
}

/// An embargo in front of one FIFO server (M/M/1, ρ = 0.7) that stops dispatching
/// above 3 trains at b and resumes when b is empty: held trains leave at the moment
/// b empties, so b never idles while trains wait, serves them in the same order and
/// draws the same service times. Every train therefore leaves b exactly when it would
/// without the embargo: replication by replication the same trains are delivered
/// with the same transit, and the waiting is only moved upstream: the time trains
/// spent waiting up to the horizon (b's ended and censored waits, plus the embargo's
/// ended and censored holds) is the same. Exact but for the rounding of sums of days.
#[test]
fn an_embargo_moves_waiting_upstream_without_changing_transit() {
    let net = embargo_network(r#"{ dist = "exponential", mean = 1.0 }"#);
    let plain = embargo_scenario(4.9, 3000, 20, "");
    let with = embargo_scenario(
        4.9,
        3000,
        20,
        "[[embargo]]\nnode = \"b\"\nstop_above = 3\nresume_below = 1",
    );
    let (_, a, _) = run_text(&net, &plain);
    let (s, b, _) = run_text(&net, &with);
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * x.abs().max(1.0);
    let mut held = 0;
    for (x, y) in a.replications.iter().zip(&b.replications) {
        let (fx, fy) = (&x.flows[0], &y.flows[0]);
        assert_eq!(fx.delivered, fy.delivered);
        assert!(
            close(fx.transit_sum_days, fy.transit_sum_days),
            "{fx:?} {fy:?}"
        );
        let e = &y.embargoes[0];
        assert!(e.episodes > 0 && e.held > 0, "{e:?}");
        held += e.held;
        let waited = |r: &corridor::sim::ReplicationResult| {
            r.resources
                .iter()
                .map(|q| q.wait_sum_days + q.censored_wait_sum_days)
                .sum::<f64>()
        };
        let moved = waited(y) + e.hold_sum_days + e.censored_hold_sum_days;
        assert!(close(waited(x), moved), "{} vs {moved}", waited(x));
        assert!(waited(y) < waited(x), "some waiting moved upstream");
    }
    let e = &s.embargoes[0];
    assert_eq!((e.node.as_str(), e.unit.as_str()), ("b", "trains"));
    assert_eq!(e.held_trains, held);
    assert!(e.days.mean > 0.0 && e.hold_days.mean > 0.0);
}

/// By hand: a train a day at a from day 0, b serves each in exactly 3 days, embargo
/// above 1 train at b, resuming below 1. Train 0: b [0, 3]. Train 1 reaches b at 1
/// (2 trains there: the embargo begins) and is served [3, 6]. Trains 2–5 are held at
/// a. At 6 train 1 leaves, b is empty, the embargo ends: train 2 goes (b [6, 9]),
/// train 3 goes and makes 2 at b: a second episode begins, so 4 and 5 stay, and
/// train 6 (arriving at 6) is held too. Over 7 days: 2 episodes, 6 days in force
/// (1–6 and 6–7), 5 trains held, holds ended 4 + 3 = 7 days, holds still running
/// 3 + 2 + 1 = 6 days, 2 trains delivered.
#[test]
fn an_embargo_by_hand() {
    let net = embargo_network("3.0");
    let sc = embargo_scenario(
        7.0,
        7,
        1,
        "arrivals = \"timetable\"\n\n[[embargo]]\nnode = \"b\"\nstop_above = 1\nresume_below = 1",
    );
    let (s, out, _) = run_text(&net, &sc);
    let r = &out.replications[0];
    let e = &r.embargoes[0];
    assert_eq!((e.episodes, e.held, e.holds_ended), (2, 5, 2), "{e:?}");
    assert!((e.days - 6.0).abs() < 1e-9, "{e:?}");
    assert!((e.hold_sum_days - 7.0).abs() < 1e-9, "{e:?}");
    assert!((e.censored_hold_sum_days - 6.0).abs() < 1e-9, "{e:?}");
    assert_eq!((r.flows[0].offered, r.flows[0].delivered), (7, 2));
    assert_eq!(s.embargoes[0].held_trains, 5);
}

/// Embargo mistakes are located and name what is valid.
#[test]
fn embargo_errors_are_located() {
    let net = embargo_network("1.0");
    let p = scenario_problems(
        &net,
        &embargo_scenario(
            1.0,
            100,
            1,
            "[[embargo]]\nnode = \"bb\"\nstop_above = 3\nresume_below = 1",
        ),
    );
    assert!(
        p.contains("unknown node `bb`") && p.contains("did you mean `b`?"),
        "{p}"
    );
    let p = scenario_problems(
        &net,
        &embargo_scenario(
            1.0,
            100,
            1,
            "[[embargo]]\nnode = \"b\"\nstop_above = 3\nresume_below = 5",
        ),
    );
    assert!(
        p.contains("`resume_below` must be from 1 to `stop_above` (3), got 5"),
        "{p}"
    );
    let twice = "[[embargo]]\nnode = \"b\"\nstop_above = 3\nresume_below = 1\n";
    let p = scenario_problems(
        &net,
        &embargo_scenario(1.0, 100, 1, &format!("{twice}{twice}")),
    );
    assert!(p.contains("a second embargo at node `b`"), "{p}");
}
