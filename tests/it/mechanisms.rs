//! Each mechanism of the engine against a hand calculation: road legs as trucks, rail
//! headways, scheduled and random closures, arrival processes, adaptive routing.

use corridor::stats::{Estimate, t_quantile_975};

use crate::support::{root, run_text};

/// Two nodes joined by one leg; `leg` is the body of the `[[leg]]` table.
fn two_nodes(a_resource: &str, leg: &str) -> String {
    format!(
        r#"
[[node]]
id = "a"
lat = 40.0
lon = 50.0
kind = "road_terminal"
{a_resource}

[[node]]
id = "b"
lat = 41.0
lon = 51.0
kind = "road_terminal"

[[leg]]
from = "a"
to = "b"
{leg}
"#
    )
}

fn scenario(horizon: f64, warmup: f64, reps: u64, flow: &str, extra: &str) -> String {
    format!(
        r#"
name = "t"
network = "net.toml"
horizon_days = {horizon}
warmup_days = {warmup}
replications = {reps}
seed = 11

[[flow]]
from = "a"
to = "b"
{flow}
{extra}
"#
    )
}

/// A 100-TEU train on a road leg with 2 TEU per truck and 100 trucks a day needs 50
/// trucks: the last leaves 49/100 day after the first, then drives one day.
#[test]
fn a_road_leg_moves_a_train_as_trucks() {
    let net = two_nodes(
        "",
        "mode = \"road\"\nlength_km = 500\ntravel_days = 1\ncapacity_trucks_per_day = 100\nteu_per_truck = 2",
    );
    let sc = scenario(
        100.0,
        10.0,
        1,
        "trains_per_week = 1\narrivals = \"timetable\"\ntrain = { wagons = 50, teu = 100 }",
        "",
    );
    let (s, _, _) = run_text(&net, &sc);
    let t = &s.overall.transit_days;
    assert!((t.mean - 1.49).abs() < 1e-6, "mean {}", t.mean);
    assert!(
        (t.p50.unwrap() - 1.49).abs() / 1.49 < 0.004,
        "p50 {:?}",
        t.p50
    );
    // Occupied: 0.5 day per train, one train a week.
    assert!(
        (s.resources[0].utilization.mean - 0.5 / 7.0).abs() < 0.01,
        "{:?}",
        s.resources[0].utilization
    );
}

/// Trains every 0.625 day on a line with 2 trains a day (headway 0.5 day) never wait,
/// and occupy the line 0.5 / 0.625 = 80% of the time.
#[test]
fn a_rail_headway_limits_entries_without_blocking_travel() {
    let net = two_nodes(
        "",
        "mode = \"rail\"\nlength_km = 500\ntravel_days = 1\ncapacity_trains_per_day = 2\ngauge_mm = 1520",
    );
    let sc = scenario(
        1010.0,
        10.0,
        1,
        "trains_per_week = 11.2\narrivals = \"timetable\"\ntrain = { wagons = 50 }",
        "",
    );
    let (s, _, _) = run_text(&net, &sc);
    assert!(
        (s.overall.transit_days.mean - 1.0).abs() < 1e-9,
        "{:?}",
        s.overall.transit_days
    );
    let line = &s.resources[0];
    assert!(
        (line.utilization.mean - 0.8).abs() < 1e-3,
        "{:?}",
        line.utilization
    );
    assert!(line.wait_days.mean.abs() < 1e-9, "{:?}", line.wait_days);
    // Trains faster than the headway queue: every 0.4 day against 0.5.
    let sc = scenario(
        1010.0,
        10.0,
        1,
        "trains_per_week = 17.5\narrivals = \"timetable\"\ntrain = { wagons = 50 }",
        "",
    );
    let (s, _, _) = run_text(&net, &sc);
    assert!(
        (s.resources[0].utilization.mean - 1.0).abs() < 1e-3,
        "{:?}",
        s.resources[0].utilization
    );
    assert!(
        s.resources[0].wait_days.mean > 10.0,
        "the queue grows: {:?}",
        s.resources[0].wait_days
    );
}

/// A station closed from day 100 to 110 holds the ten trains that arrive meanwhile
/// (at 100.5, ..., 109.5) and releases them at 110: waits 9.5 + 8.5 + ... + 0.5 = 50
/// days, plus 0 + 0.01 + ... + 0.09 = 0.45 day queueing for the one server after it
/// reopens; 190 trains arrive in the window.
#[test]
fn a_scheduled_closure_holds_traffic_and_releases_it() {
    let net = two_nodes(
        "resource = { servers = 1, service_days = 0.01 }",
        "mode = \"road\"\nlength_km = 5\ntravel_days = 0.1",
    );
    let sc = scenario(
        200.0,
        10.0,
        1,
        "trains_per_week = 7\narrivals = \"timetable\"\noffset_days = 0.5\ntrain = { wagons = 1, teu = 2 }",
        "[[disruption]]\ntarget = \"a\"\nstart_day = 100\nduration_days = 10\n",
    );
    let (s, _, _) = run_text(&net, &sc);
    let station = s.resources.iter().find(|r| r.id == "a").unwrap();
    assert!(
        (station.wait_days.mean - 50.45 / 190.0).abs() < 1e-6,
        "{:?}",
        station.wait_days
    );
    assert!(
        (station.closed_share.mean - 10.0 / 190.0).abs() < 1e-9,
        "{:?}",
        station.closed_share
    );
    assert_eq!(s.overall.offered_trains.mean, 190.0);
    assert_eq!(s.overall.delivered_trains.mean, 190.0);
}

/// Random closures starting as a Poisson process (12 a year) and lasting 5 days each,
/// overlapping freely: the leg is closed when at least one is under way, with
/// probability 1 - exp(-12 * 5 / 365) (the M/G/infinity busy probability).
#[test]
fn random_closures_match_the_m_g_infinity_formula() {
    let net = two_nodes("", "mode = \"road\"\nlength_km = 5\ntravel_days = 0.1");
    let sc = scenario(
        40_365.0,
        365.0,
        20,
        "trains_per_week = 1\ntrain = { wagons = 1 }",
        "[[disruption]]\ntarget = \"a-b\"\nper_year = 12\nduration_days = 5\n",
    );
    let (s, _, _) = run_text(&net, &sc);
    let closed = &s.resources[0].closed_share;
    let exact = 1.0 - (-12.0 * 5.0 / 365.0f64).exp();
    let se = closed.half_width() / t_quantile_975(19);
    assert!(se < 0.01 * exact, "se {se}");
    assert!(
        (closed.mean - exact).abs() < 3.0 * se,
        "{} vs {exact} (se {se})",
        closed.mean
    );
}

/// Seasonal factors [2, 2, ..., 2, 0, ..., 0] (first half of the year, then nothing)
/// double the rate in January to June: over the first 181 days a flow of 7 trains a
/// week offers 2 x 181 trains on average.
#[test]
fn seasonal_arrivals_follow_the_monthly_factors() {
    let net = two_nodes("", "mode = \"road\"\nlength_km = 5\ntravel_days = 0.1");
    let flow = "trains_per_week = 7\narrivals = \"seasonal\"\nseasonal = [2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0]\ntrain = { wagons = 1 }";
    let (s, _, _) = run_text(&net, &scenario(181.0, 0.0, 40, flow, ""));
    let e = &s.overall.offered_trains;
    let se = e.half_width() / t_quantile_975(39);
    assert!(
        (e.mean - 362.0).abs() < 3.0 * se,
        "{} vs 362 (se {se})",
        e.mean
    );
    // July to December: nothing.
    let (s, _, _) = run_text(&net, &scenario(365.0, 182.0, 5, flow, ""));
    assert_eq!(s.overall.offered_trains.mean, 0.0);
}

/// A timetable of 3.5 trains a week is one train every 2 days: 50 in 100 days.
#[test]
fn timetabled_arrivals_are_evenly_spaced() {
    let net = two_nodes("", "mode = \"road\"\nlength_km = 5\ntravel_days = 0.1");
    let (s, _, _) = run_text(
        &net,
        &scenario(
            110.0,
            10.0,
            3,
            "trains_per_week = 3.5\narrivals = \"timetable\"\ntrain = { wagons = 1 }",
            "",
        ),
    );
    assert_eq!(
        s.overall.offered_trains,
        Estimate {
            mean: 50.0,
            ci95: Some([50.0, 50.0])
        }
    );
}

/// Adaptive trains avoid a closed Caspian port: with Kuryk (or Aktau) closed for the
/// whole run, no China train bound for Baku crosses from it, while without the
/// closure some do. Ten trains a week fit through either port alone (Aktau's berths
/// take about 13 a week, its 70k TEU a year), so nearly all get through.
#[test]
fn adaptive_traffic_avoids_a_closed_port() {
    let net = std::fs::read_to_string(root().join("networks/middle-corridor.toml")).unwrap();
    let base = r#"
name = "adaptive"
network = "../networks/middle-corridor.toml"
horizon_days = 395
warmup_days = 30
replications = 10
seed = 5

[[flow]]
from = "xian"
to = "alat"
trains_per_week = 10
train = { wagons = 50, teu = 99, tonnes = 1400 }
route = "adaptive"
alternatives = 6
"#;
    let share_via = |s: &corridor::summary::Summary, port: &str| -> f64 {
        s.flows[0]
            .routes
            .iter()
            .filter(|r| r.nodes.iter().any(|n| n == port))
            .map(|r| r.share)
            .sum()
    };
    let (open, _, _) = run_text(&net, base);
    for port in ["kuryk", "aktau"] {
        let closed_sc = format!(
            "{base}\n[[disruption]]\ntarget = \"{port}\"\nstart_day = 0\nduration_days = 1000\n"
        );
        let (closed, _, _) = run_text(&net, &closed_sc);
        assert_eq!(
            share_via(&closed, port),
            0.0,
            "trains still cross from closed {port}"
        );
        let others: f64 = ["kuryk", "aktau", "turkmenbashi"]
            .iter()
            .filter(|p| **p != port)
            .map(|p| share_via(&closed, p))
            .sum();
        assert!(
            (others - 1.0).abs() < 1e-9,
            "closed {port}: other ports carry {others}"
        );
        assert!(closed.flows[0].delivered_trains.mean > 0.9 * closed.flows[0].offered_trains.mean);
    }
    assert!(
        share_via(&open, "kuryk") > 0.0 && share_via(&open, "aktau") > 0.0,
        "both ports used when open"
    );
}
