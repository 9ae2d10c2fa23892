//! The corridor over time against independent truths: the M_t/G/∞ queue, Poisson means
//! per period, a dated capacity change at an M/M/1, a starting backlog at a
//! deterministic server, and a deterministic overload.
//!
//! Tolerances: a period's mean over replications is compared with the exact value
//! within four of its standard errors (the Student-t half-width over t(0.975, n−1)).
//! With about 20 periods per check, a correct engine fails one of them with
//! probability below 0.2% for a random seed (and the seeds here are fixed); each
//! check also requires the standard errors to be small, so it cannot pass by being
//! imprecise. Deterministic cases must match a hand calculation exactly.

use corridor::report::timeseries_rows;
use corridor::schema::TimeseriesRow;
use corridor::sim::Measure;
use corridor::stats::t_quantile_975;

use crate::support::run_text;

/// The streaming statistics of a kept run.
fn stats(
    model: &corridor::sim::Model,
    out: &corridor::montecarlo::RunOutput,
) -> corridor::summary::RunStats {
    corridor::summary::RunStats::of(model, out, corridor::summary::Keep::Nothing)
}

/// A line a→b, and a terminal `a` and `b` when asked: `station` is the resource table
/// of `a` (or empty), `travel` the travel time of the line.
fn network(station: &str, travel: &str) -> String {
    crate::support::line_network(station, travel, "")
}

/// The rows of one measure of one entity, in period order.
fn series<'a>(rows: &'a [TimeseriesRow], entity: &str, measure: Measure) -> Vec<&'a TimeseriesRow> {
    let out: Vec<_> = rows
        .iter()
        .filter(|r| r.entity == entity && r.measure == measure)
        .collect();
    assert!(!out.is_empty(), "no rows of {entity} {measure:?}");
    out
}

fn std_err(r: &TimeseriesRow) -> f64 {
    (r.ci95_high - r.ci95_low) / 2.0 / t_quantile_975(r.replications - 1)
}

#[track_caller]
fn assert_within_4se(what: &str, r: &TimeseriesRow, exact: f64, max_se: f64) {
    let se = std_err(r);
    assert!(
        se < max_se,
        "{what} at {}: standard error {se} too large",
        r.period_start
    );
    assert!(
        (r.mean - exact).abs() <= 4.0 * se + 1e-9,
        "{what} at {}: {} vs exact {exact} ({:.2} standard errors)",
        r.period_start,
        r.mean,
        (r.mean - exact) / se
    );
}

/// Weekly rates by date of the M_t/G/∞ test: low, a surge, then a trickle.
const RATES: [(f64, f64); 3] = [(0.0, 7.0), (30.0, 35.0), (60.0, 3.5)];

fn lambda_per_day(t: f64) -> f64 {
    RATES
        .iter()
        .rev()
        .find(|(d, _)| *d <= t)
        .map_or(0.0, |(_, w)| w / 7.0)
}

/// A line with no capacity limit is an infinite-server queue. With travel times
/// uniform on [2, 6] days and Poisson arrivals at rate λ(t), the number on the line at
/// t is Poisson with mean m(t) = ∫₀ᵗ λ(t−u) P(S > u) du (Eick, Massey and Whitt 1993),
/// computed here by the midpoint rule on a fine grid. The offered trains of a period
/// are Poisson with mean ∫ λ over the period.
#[test]
fn an_unlimited_line_matches_the_mt_g_infinity_queue() {
    let net = network("", r#"{ dist = "uniform", min = 2, max = 6 }"#);
    let rates: String = RATES
        .iter()
        .map(|(d, w)| format!("[[flow.rate]]\nfrom = {d}\ntrains_per_week = {w}\n"))
        .collect();
    let sc = format!(
        r#"
name = "mtginf"
network = "net.toml"
horizon_days = 90
warmup_days = 0
replications = 400
seed = 11
period = 5

[[flow]]
id = "f"
from = "a"
to = "b"
train = {{ wagons = 10 }}
{rates}
"#
    );
    let (_, out, model) = run_text(&net, &sc);
    let rows = timeseries_rows("mtginf", &model, &stats(&model, &out));
    let survival = |u: f64| ((6.0 - u) / 4.0).clamp(0.0, 1.0);
    let m = |t: f64| {
        let n = 20_000;
        let h = t / n as f64;
        (0..n)
            .map(|i| {
                let u = (i as f64 + 0.5) * h;
                lambda_per_day(t - u) * survival(u) * h
            })
            .sum::<f64>()
    };
    let on_line = series(&rows, "f", Measure::InSystemAtEnd);
    for r in &on_line {
        let end = r.period_start_day + r.period_days;
        assert_within_4se("trains on the line", r, m(end), 0.3);
    }
    let offered = series(&rows, "f", Measure::Offered);
    for r in &offered {
        let (a, b) = (r.period_start_day, r.period_start_day + r.period_days);
        let n = 10_000;
        let h = (b - a) / n as f64;
        let mean: f64 = (0..n)
            .map(|i| lambda_per_day(a + (i as f64 + 0.5) * h) * h)
            .sum();
        assert_within_4se("offered trains", r, mean, 0.3);
    }
    // The surge is visible: the line holds about 5 × 4 = 20 trains at its height.
    assert!(on_line.iter().any(|r| r.mean > 15.0));
}

/// An M/M/1 station whose service rate doubles on day 1000 (a dated override of
/// `service_days`): λ = 0.8/day; mean service 1 day before (ρ = 0.8, Wq = ρ/(μ−λ) = 4
/// days), 0.5 days after (ρ = 0.4, Wq = 0.4/1.2 = 1/3 day). Waits by period, well before
/// and well after the change, match the old and the new M/M/1; their average over the
/// periods is compared within four times the average standard error (the standard
/// error of an average of correlated periods is at most the average of theirs).
#[test]
fn a_dated_capacity_change_switches_between_two_mm1_queues() {
    let net = network(
        r#"resource = { servers = 1, service_days = { dist = "exponential", mean = 1.0 } }"#,
        "0",
    );
    let sc = r#"
name = "mm1"
network = "net.toml"
horizon_days = 2000
warmup_days = 0
replications = 200
seed = 5
period = 50

[[flow]]
id = "f"
from = "a"
to = "b"
trains_per_week = 5.6
train = { wagons = 10 }

[[override]]
target = "a"
param = "service_days"
value = { dist = "exponential", mean = 0.5 }
from = 1000
"#;
    let (_, out, model) = run_text(&net, sc);
    let rows = timeseries_rows("mm1", &model, &stats(&model, &out));
    let waits = series(&rows, "a", Measure::WaitMeanDays);
    let check = |from: f64, to: f64, exact: f64| {
        let sel: Vec<_> = waits
            .iter()
            .filter(|r| r.period_start_day >= from && r.period_start_day + r.period_days <= to)
            .collect();
        let mean = sel.iter().map(|r| r.mean).sum::<f64>() / sel.len() as f64;
        let se = sel.iter().map(|r| std_err(r)).sum::<f64>() / sel.len() as f64;
        assert!(se < 0.15 * exact, "standard error {se} too large");
        assert!(
            (mean - exact).abs() < 4.0 * se,
            "waits from day {from} to {to}: {mean:.3} vs M/M/1 {exact:.3} (se {se:.3})"
        );
    };
    // The queue at ρ = 0.8 relaxes in about 1/(μ(1−√ρ)²) ≈ 90 days: skip 300.
    check(300.0, 1000.0, 4.0);
    check(1200.0, 2000.0, 1.0 / 3.0);
}

/// A deterministic one-server terminal at `a` (fixed `service` days) fed by a
/// timetabled flow `f` of `per_week` trains from `offset` days on, with `extra`
/// scenario text, over `horizon` days by 1-day periods: the summary and the rows.
fn one_server(
    service: f64,
    per_week: f64,
    offset: f64,
    horizon: f64,
    extra: &str,
) -> (corridor::summary::Summary, Vec<TimeseriesRow>) {
    let net = network(
        &format!("resource = {{ servers = 1, service_days = {service} }}"),
        "0",
    );
    let sc = format!(
        r#"
name = "one-server"
network = "net.toml"
horizon_days = {horizon}
warmup_days = 0
replications = 2
seed = 1
period = 1

[[flow]]
id = "f"
from = "a"
to = "b"
trains_per_week = {per_week}
arrivals = "timetable"
offset_days = {offset}
train = {{ wagons = 50 }}
{extra}
"#
    );
    let (s, out, model) = run_text(&net, &sc);
    let rows = timeseries_rows("one-server", &model, &stats(&model, &out));
    (s, rows)
}

/// Twelve trains wait at a one-server terminal with a fixed 0.35-day service and no
/// other arrivals. By the end of day d, ⌊d / 0.35⌋ have left (one more is in service
/// while any remain), so 9, 6, 3, 0 wait at the ends of days 1–4; the terminal is empty
/// at 12 × 0.35 = 4.2 days; over day 1 the queue averages (11 × 0.35 + 10 × 0.35 + 9 ×
/// 0.3) = 10.05 trains, and 2, 3, 3, 3, 1 trains are delivered in days 1–5.
#[test]
fn a_starting_backlog_clears_as_a_hand_calculation_says() {
    // No other arrivals: the first timetabled train comes after the horizon.
    let backlog = "\n[[backlog]]\nflow = \"f\"\nat = \"a\"\ntrains = 12\n";
    let (s, rows) = one_server(0.35, 0.1, 100.0, 6.0, backlog);
    let means = |entity: &str, m: Measure| -> Vec<f64> {
        series(&rows, entity, m).iter().map(|r| r.mean).collect()
    };
    assert_eq!(
        means("a", Measure::WaitingAtEnd),
        [9.0, 6.0, 3.0, 0.0, 0.0, 0.0]
    );
    assert_eq!(
        means("f", Measure::Delivered),
        [2.0, 3.0, 3.0, 3.0, 1.0, 0.0]
    );
    assert_eq!(
        means("f", Measure::InSystemAtEnd),
        [10.0, 7.0, 4.0, 1.0, 0.0, 0.0]
    );
    let q = means("a", Measure::QueueTrains);
    assert!((q[0] - 10.05).abs() < 1e-6, "{}", q[0]);
    assert!((means("a", Measure::QueueWagons)[0] - 502.5).abs() < 1e-4);
    // Backlog trains are not offered in the window, and not part of its transit figures.
    assert_eq!(s.flows[0].offered_trains_per_week.mean, 0.0);
}

/// Trains every 0.5 days (the first at 0.25) at a one-server terminal with a fixed
/// 1-day service: λ − μ = 1 train a day, so exactly d trains wait at the end of day d.
#[test]
fn a_deterministic_overload_grows_its_backlog_by_lambda_minus_mu() {
    let (_, rows) = one_server(1.0, 14.0, 0.25, 30.0, "");
    for r in series(&rows, "a", Measure::WaitingAtEnd) {
        let d = r.period_start_day + r.period_days;
        assert_eq!(r.mean, d, "day {d}");
    }
}

/// The ferry of [`crate::support::NET`] (two vessels) with one vessel for part of a
/// 200-day run (`when`: `until = D` or `from = D`): its utilisation and waits per
/// 50-day period.
fn fleet_series(when: &str) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let sc = format!(
        r#"
name = "fleet"
network = "net.toml"
horizon_days = 200
warmup_days = 0
replications = 20
seed = 3
period = 50

[[flow]]
from = "a"
to = "e"
trains_per_week = 2
train = {{ wagons = 50, teu = 100, tonnes = 1400 }}

[[override]]
target = "ferry"
param = "ferry.vessels"
value = 1
{when}
"#
    );
    let (_, out, model) = run_text(crate::support::NET, &sc);
    let rows = timeseries_rows("fleet", &model, &stats(&model, &out));
    let means = |m: Measure| -> Vec<f64> {
        series(&rows, "ferry (c->d)", m)
            .iter()
            .map(|r| r.mean)
            .collect()
    };
    (
        means(Measure::Utilization),
        means(Measure::WaitMeanDays),
        means(Measure::QueueTrains),
    )
}

/// A vessel that joins the fleet on a date (one vessel until day 100, two after)
/// halves the fleet's utilisation for the same demand and shortens the queue.
#[test]
fn dated_vessels_join_the_fleet() {
    let (util, _, queue) = fleet_series("until = 100");
    assert!(
        util[1] > 1.6 * util[3],
        "one vessel ({:.2}), then two ({:.2})",
        util[1],
        util[3]
    );
    assert!(queue[1] > queue[3]);
}

/// A vessel that leaves on a date (two until day 100, one after) does so when next
/// idle: utilisation doubles and trains wait longer after the date.
#[test]
fn dated_vessels_leave_the_fleet() {
    let (util, wait, _) = fleet_series("from = 100");
    assert!(util[3] > 1.6 * util[1], "{} vs {}", util[3], util[1]);
    assert!(wait[3] > 1.5 * wait[1], "{} vs {}", wait[3], wait[1]);
}

/// Mistakes in dated inputs are located and explained.
#[test]
fn dated_inputs_are_checked() {
    use crate::support::{NET, scenario_problems};
    let base = r#"
name = "t"
network = "net.toml"
horizon_days = 100
warmup_days = 0
replications = 2
seed = 1
"#;
    let flow = "\n[[flow]]\nid = \"f\"\nfrom = \"a\"\nto = \"e\"\ntrains_per_week = 2\ntrain = { wagons = 50 }\n";
    let cases = [
        (
            "\n[[override]]\ntarget = \"a\"\nparam = \"servers\"\nvalue = 3\nfrom = \"2024-05-01\"\n",
            "but the scenario has no `start_date`",
        ),
        (
            "\n[[override]]\ntarget = \"a\"\nparam = \"servers\"\nvalue = 3\nfrom = 50\nuntil = 20\n",
            "`until` (day 20) must be after `from` (day 50)",
        ),
        (
            "\n[[override]]\ntarget = \"a\"\nparam = \"handling_usd_per_teu\"\nvalue = 3\nfrom = 50\n",
            "cannot change on a date",
        ),
        (
            "\n[[backlog]]\nflow = \"g\"\nat = \"a\"\ntrains = 3\n",
            "unknown flow `g`",
        ),
        (
            "\n[[backlog]]\nflow = \"f\"\nat = \"e\"\ntrains = 3\n",
            "passes `e` before its destination",
        ),
        ("\nstart_date = \"2024-02-30\"\n", "`start_date`"),
        ("\nperiod = \"fortnight\"\n", "unknown period `fortnight`"),
    ];
    for (extra, expected) in cases {
        // Top-level keys must come before the first table.
        let text = if extra.contains('[') {
            format!("{base}{flow}{extra}")
        } else {
            format!("{base}{extra}{flow}")
        };
        let p = scenario_problems(NET, &text);
        assert!(p.contains(expected), "{extra}: {p}");
        assert!(p.contains("sc.toml:"), "located: {p}");
    }
    let twice = format!(
        "{base}start_date = \"2024-01-01\"\n{flow}[[flow.rate]]\nfrom = \"2024-02-01\"\ntrains_per_week = 3\n"
    );
    assert!(scenario_problems(NET, &twice).contains("gives its volume twice"));
}

/// The shipped dated scenario end to end: `timeseries.csv` carries dates, one period per
/// month of 2024, and reads back through its type; the manifest records the calendar,
/// the dated overrides and the flows' profiles and reads back too; the charts exist.
#[test]
fn the_dated_2024_scenario_writes_dated_results() {
    use corridor::schema::{Manifest, TimeseriesRow, from_csv, from_json};
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path().join("r");
    let scenario = crate::support::root().join("scenarios/middle-corridor-2024-replay.toml");
    let o = crate::support::corridor(
        dir.path(),
        &[
            "run",
            scenario.to_str().unwrap(),
            "--replications",
            "3",
            "--out",
            out.to_str().unwrap(),
            "-q",
        ],
    );
    assert!(o.status.success(), "{:?}", crate::support::text(&o));
    let text = std::fs::read_to_string(out.join("timeseries.csv")).unwrap();
    let rows: Vec<TimeseriesRow> = from_csv(&text).unwrap();
    let mut starts: Vec<&str> = rows.iter().map(|r| r.period_start.as_str()).collect();
    starts.dedup();
    assert_eq!(starts.len(), 12);
    assert_eq!(starts[0], "2024-01-01");
    assert_eq!(starts[4], "2024-05-01");
    assert!(rows.iter().all(|r| !r.in_warmup && r.replications <= 3));
    let february = rows
        .iter()
        .find(|r| r.period_start == "2024-02-01")
        .unwrap();
    assert_eq!(february.period_days, 29.0);
    let m: Manifest = from_json(&std::fs::read_to_string(out.join("manifest.json")).unwrap())
        .expect("the manifest reads back");
    let s = &m.scenarios[0];
    assert_eq!(s.start_date.as_deref(), Some("2024-01-01"));
    assert_eq!(s.period.as_deref(), Some("month"));
    assert_eq!(s.dated_overrides.len(), 3);
    assert_eq!(s.dated_overrides[0].until_day, Some(140.0)); // 20 May 2024
    assert!(s.flows[0].profile.is_some() && s.flows[3].profile.is_none());
    for chart in ["backlog", "transit_by_departure", "deliveries"] {
        assert!(out.join(format!("{chart}.png")).is_file(), "{chart}");
    }
}

/// The date of an upgrade is a sweep parameter (`from:ID`): moved to day 0, a dated
/// override gives exactly the run of the same override without a date; moved later,
/// the upgrade helps less.
#[test]
fn the_date_of_an_upgrade_sweeps() {
    use corridor::experiment::{apply_sweep, parse_param};
    use corridor::input;
    use std::path::Path;
    let sc = |when: &str| {
        format!(
            r#"
name = "upgrade"
network = "net.toml"
horizon_days = 200
warmup_days = 0
replications = 10
seed = 3

[[flow]]
from = "a"
to = "e"
trains_per_week = 2
train = {{ wagons = 50, teu = 100, tonnes = 1400 }}

[[override]]
id = "second-vessel"
target = "ferry"
param = "ferry.vessels"
value = 1
{when}
"#
        )
    };
    let load = |text: &str| {
        let net = input::parse_network(crate::support::NET).unwrap();
        input::parse_scenario(text, Path::new("sc.toml"), net).unwrap()
    };
    // One vessel until the upgrade (`until`), two after: sweep the day it ends.
    let (dated, net) = load(&sc("until = 150"));
    assert!(parse_param("from:nope", &dated, &net).is_err());
    let (never, never_net) = load(&sc(""));
    let run = |s: &corridor::scenario::Scenario, n: &corridor::network::Network| {
        let (summary, _, _) = crate::support::run_loaded(s, n, Some(1));
        corridor::schema::to_json(&summary)
    };
    // A one-vessel fleet for the whole run, dated or not, is the same run.
    let (whole, _) = load(&sc("until = 200"));
    assert_eq!(run(&whole, &net), run(&never, &never_net));
    // Moving the start of the one-vessel period to day 150 leaves two vessels until then.
    let late = parse_param("from:second-vessel", &dated, &net).unwrap();
    let (moved, n2) = apply_sweep(&dated, &net, late, 100.0).unwrap();
    assert_eq!(moved.dated[0].from_day, 100.0);
    assert!(
        apply_sweep(&dated, &net, late, 150.0).is_err(),
        "from must stay before until"
    );
    let wait = |s: &corridor::scenario::Scenario, n: &corridor::network::Network| {
        let (summary, _, _) = crate::support::run_loaded(s, n, Some(1));
        summary.overall.transit_days.mean
    };
    assert!(wait(&moved, &n2) < wait(&dated, &net));
}
