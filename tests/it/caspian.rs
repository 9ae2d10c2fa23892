//! The Caspian crossing as it operates (issue 11): vessel classes, deadweight and the
//! load factor (dated and monthly).
//!
//! Tolerances: a mean over replications is compared with the exact value within four
//! standard errors of the mean over replications (the Student-t half-width divided by
//! t(0.975, n-1)); each test also requires that standard error to be small, so the test
//! cannot pass by being imprecise.

use corridor::stats::{Estimate, t_quantile_975};

use crate::support::run_text;

/// Wagons arrive one per train, Poisson at `LAMBDA` per day, at a one-way ferry of 12
/// vessels that leave when full (no time limit); a vessel is back 0.2 day after it
/// sails, far less than the 0.5-0.7 day a batch takes to fill, so one is always in port.
const LAMBDA: f64 = 10.0;

/// Deck 10 wagons; deadweight 600 t; each wagon 20 t tare + 40 t cargo = 60 t, so with
/// load factor f the weight room takes floor(10 f) wagons.
fn network(ferry_extra: &str) -> String {
    format!(
        r#"
[network]
name = "caspian test"

[[node]]
id = "a"
lat = 40.0
lon = 50.0
kind = "sea_port"

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
departure = {{ rule = "when_full", max_wait_days = 100000 }}
sailing_days = 0.1
turnaround_days = 0.1
{ferry_extra}

[[leg.ferry.classes]]
count = 12
wagons = 10
deadweight_t = 600
tare_t_per_wagon = 20
"#
    )
}

fn scenario(horizon: f64, warmup: f64, reps: u64, extra: &str) -> String {
    format!(
        r#"
name = "caspian"
network = "net.toml"
horizon_days = {horizon}
warmup_days = {warmup}
replications = {reps}
seed = 11

[[flow]]
from = "a"
to = "b"
trains_per_week = {}
train = {{ wagons = 1, teu = 2, tonnes = 40 }}
{extra}
"#,
        LAMBDA * 7.0
    )
}

fn std_err(e: &Estimate, n: u64) -> f64 {
    e.half_width() / t_quantile_975(n - 1)
}

/// Every sailing after the warm-up of every replication carried exactly `n` wagons.
#[track_caller]
fn assert_batches(out: &corridor::montecarlo::RunOutput, n: u64) {
    for r in &out.replications {
        let port = &r.resources[0];
        assert!(port.sailings > 100, "too few sailings: {}", port.sailings);
        assert_eq!(
            port.wagons,
            n * port.sailings,
            "replication {}: {} wagons on {} sailings, not batches of {n}",
            r.index,
            port.wagons,
            port.sailings
        );
    }
}

/// Leaving when full at load factor f = 0.75: batches of floor(f K) = 7 wagons exactly,
/// and the mean wait of a wagon (n - 1) / (2 lambda) = 0.3 day (the i-th of a batch
/// waits for the n - i arrivals after it, each 1/lambda apart on average).
#[test]
fn load_factor_gives_batches_of_floor_fk_and_their_wait() {
    const N: u64 = 10;
    let (s, out, _) = run_text(
        &network("load_factor = 0.75"),
        &scenario(5_100.0, 100.0, N, ""),
    );
    assert_batches(&out, 7);
    let port = &s.resources[0];
    let exact = (7.0 - 1.0) / (2.0 * LAMBDA);
    let se = std_err(&port.wait_days, N);
    assert!(se / exact < 0.01, "standard error {se} too large");
    let z = (port.wait_days.mean - exact) / se;
    assert!(
        z.abs() < 4.0,
        "mean wait {} vs exact {exact}: {z:.2} standard errors",
        port.wait_days.mean
    );
}

/// The load factor through the dated-override machinery: `ferry.load_factor` = 0.5
/// for the whole run gives batches of 5; the same override ending at the warm-up
/// leaves batches of 7 (f = 0.75) after it, exactly.
#[test]
fn a_dated_load_factor_sets_the_batch() {
    let over = |when: &str| {
        format!(
            "[[override]]\ntarget = \"sea\"\nparam = \"ferry.load_factor\"\nvalue = 0.5\n{when}\n"
        )
    };
    let (_, out, _) = run_text(
        &network("load_factor = 0.75"),
        &scenario(400.0, 100.0, 2, &over("from = 0")),
    );
    assert_batches(&out, 5);
    let (_, out, _) = run_text(
        &network("load_factor = 0.75"),
        &scenario(400.0, 100.0, 2, &over("until = 100")),
    );
    assert_batches(&out, 7);
}

/// Monthly load factors: the year's twelve factors all 0.75 give the bytes of a plain
/// load factor of 0.75; factors 0.5 in January to June and 0.75 in July to December
/// give a mean wait weighted by the wagons of each half: (181 * 0.2 + 184 * 0.3) / 365
/// day. The two changes a year each alter at most the one batch loading then (7
/// wagons, each wait off by at most 0.1 day on average), a bias of at most
/// 2 * 7 * 0.1 / (365 * lambda) = 3.8e-4 day, added to the tolerance.
#[test]
fn monthly_load_factors_weight_the_wait() {
    let (s1, _, _) = run_text(
        &network("load_factor = 0.75"),
        &scenario(800.0, 100.0, 2, ""),
    );
    let (s2, _, _) = run_text(
        &network(
            "load_factor_by_month = [0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75]",
        ),
        &scenario(800.0, 100.0, 2, ""),
    );
    assert_eq!(
        format!("{:?}", s1.resources),
        format!("{:?}", s2.resources),
        "twelve equal monthly factors differ from the plain factor"
    );
    const N: u64 = 10;
    let (s, _, _) = run_text(
        &network(
            "load_factor_by_month = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75]",
        ),
        &scenario(365.0 * 11.0, 365.0, N, ""),
    );
    let port = &s.resources[0];
    let exact = (181.0 * 0.2 + 184.0 * 0.3) / 365.0;
    let se = std_err(&port.wait_days, N);
    assert!(se / exact < 0.01, "standard error {se} too large");
    let bias = 2.0 * 7.0 * 0.1 / (365.0 * LAMBDA);
    assert!(
        (port.wait_days.mean - exact).abs() < 4.0 * se + bias,
        "mean wait {} vs exact {exact} (se {se}, bias bound {bias})",
        port.wait_days.mean
    );
}

/// A mixed fleet: one class of 10 wagons with no deadweight and one of 4 wagons; the
/// vessels sail in turn, so batches alternate 10, 4, 10, 4 ... and the mean batch is 7
/// within one batch over the run (a vessel loads first come first served). A third
/// vessel added by `ferry.vessels` is of the last class.
#[test]
fn vessel_classes_each_load_their_own_deck() {
    let net = network("").replace(
        "[[leg.ferry.classes]]\ncount = 12\nwagons = 10\ndeadweight_t = 600\ntare_t_per_wagon = 20\n",
        "[[leg.ferry.classes]]\ncount = 1\nwagons = 10\n\n[[leg.ferry.classes]]\ncount = 1\nwagons = 4\n",
    )
    .replace("turnaround_days = 0.1", "turnaround_days = 0.05")
    .replace("sailing_days = 0.1", "sailing_days = 0.05");
    let (_, out, _) = run_text(&net, &scenario(300.0, 50.0, 1, ""));
    let port = &out.replications[0].resources[0];
    let mean = port.wagons as f64 / port.sailings as f64;
    assert!(
        (mean - 7.0).abs() <= 6.0 / port.sailings as f64 + 1e-9,
        "mean batch {mean} on {} sailings",
        port.sailings
    );
    // `ferry.vessels = 3` adds a vessel of the last class: batches 10, 4, 4 in turn.
    let more = "[[override]]\ntarget = \"sea\"\nparam = \"ferry.vessels\"\nvalue = 3\n";
    let (_, out, _) = run_text(&net, &scenario(300.0, 50.0, 1, more));
    let port = &out.replications[0].resources[0];
    let mean = port.wagons as f64 / port.sailings as f64;
    assert!(
        (mean - 6.0).abs() <= 8.0 / port.sailings as f64 + 1e-9,
        "mean batch {mean} on {} sailings",
        port.sailings
    );
}

/// Bad fleets are refused with located messages.
#[test]
fn bad_classes_and_load_factors_are_refused() {
    let cases = [
        (network("load_factor = 1.5"), "load_factor"),
        (network("load_factor = 0"), "load_factor"),
        (
            network("load_factor_by_month = [1, 1, 1]"),
            "needs 12 monthly factors",
        ),
        (
            network("vessels = 3"),
            "takes its vessels, wagons and TEU from the classes",
        ),
        (
            network("").replace("deadweight_t = 600", "deadweight_t = -1"),
            "deadweight_t",
        ),
        (
            network("load_factor = 0.9").replace("deadweight_t = 600\n", ""),
            "acts on a vessel's deadweight",
        ),
        (network("").replace("count = 12", "count = 0"), "count"),
    ];
    for (net, want) in cases {
        let p = crate::support::network_problems(&net);
        assert!(p.contains(want), "wanted `{want}` in:\n{p}");
        assert!(p.contains("net.toml:"), "no location in:\n{p}");
    }
    // A wagon that can never board by weight is refused, not left waiting forever.
    let net = corridor::input::parse_network(&network("load_factor = 0.05")).expect("network");
    let (sc, net) = corridor::input::parse_scenario(
        &scenario(100.0, 10.0, 1, ""),
        std::path::Path::new("sc.toml"),
        net,
    )
    .expect("scenario");
    let e = corridor::sim::Model::new(&net, &sc).expect_err("refused");
    assert!(e.to_string().contains("could never sail"), "{e}");
}

/// `links.csv` by hand: one train a day (timetable, first at day 0.5) of 20 wagons,
/// 40 TEU and 1,200 t from `r` by rail to `a`, then by a ferry of 20-wagon decks that
/// leaves when full, so each train is one sailing. The 365-day window [10, 375) sees
/// the 365 trains of days 10.5 ... 374.5, each delivered 0.2 day later: 365 trains,
/// 7,300 wagons, 14,600 TEU and 438,000 t a year on both legs, and 365 sailings of 20
/// wagons (a full deck) on the ferry.
#[test]
fn the_link_table_by_hand() {
    let net = network("")
        .replace(
            "[[leg.ferry.classes]]\ncount = 12\nwagons = 10\ndeadweight_t = 600\ntare_t_per_wagon = 20\n",
            "[[leg.ferry.classes]]\ncount = 4\nwagons = 20\n",
        )
        .replace(
            "[[leg]]\nid = \"sea\"",
            "[[node]]\nid = \"r\"\nlat = 41.0\nlon = 50.0\nkind = \"rail_terminal\"\n\n[[leg]]\nid = \"land\"\nfrom = \"r\"\nto = \"a\"\nmode = \"rail\"\nlength_km = 100\ntravel_days = 0.1\ngauge_mm = 1520\n\n[[leg]]\nid = \"sea\"",
        );
    let sc = scenario(375.0, 10.0, 2, "")
        .replace("from = \"a\"", "from = \"r\"")
        .replace(
            "train = { wagons = 1, teu = 2, tonnes = 40 }",
            "arrivals = \"timetable\"\noffset_days = 0.5\ntrain = { wagons = 20, teu = 40, tonnes = 1200 }",
        )
        .replace(&format!("trains_per_week = {}", LAMBDA * 7.0), "trains_per_week = 7");
    let net = corridor::input::parse_network(&net).unwrap_or_else(|p| panic!("{p:?}"));
    let (sc, net) = corridor::input::parse_scenario(&sc, std::path::Path::new("sc.toml"), net)
        .unwrap_or_else(|p| panic!("{p:?}"));
    let (_, out, model) = crate::support::run_loaded(&sc, &net, None);
    let stats = corridor::summary::RunStats::of(&model, &out, corridor::summary::Keep::Nothing);
    let rows = corridor::report::links::link_rows("t", &net, &model, &stats);
    assert_eq!(rows.len(), 2, "{rows:?}");
    for r in &rows {
        assert_eq!(r.trains_per_year, 365.0, "{r:?}");
        assert_eq!(r.wagons_per_year, 7_300.0, "{r:?}");
        assert_eq!(r.teu_per_year, 14_600.0, "{r:?}");
        assert_eq!(r.tonnes_per_year, 438_000.0, "{r:?}");
    }
    assert_eq!(
        (rows[0].leg.as_str(), rows[0].sailings_per_year),
        ("land", None)
    );
    let sea = &rows[1];
    assert_eq!((sea.from.as_str(), sea.to.as_str()), ("a", "b"));
    assert_eq!(sea.sailings_per_year, Some(365.0));
    assert_eq!(sea.ferry_wagons_per_year, Some(7_300.0));
    assert_eq!(sea.wagons_per_sailing, Some(20.0));
    assert_eq!(sea.deck_wagons, Some(20.0));
    assert_eq!(sea.deck_fill, Some(1.0));
    assert_eq!(sea.load_factor, Some(1.0));
    // And it is written, through its schema type, in every run folder.
    let text = corridor::report::links::links_csv("t", &net, &model, &stats);
    let back: Vec<corridor::schema::LinkRow> =
        corridor::schema::from_csv(&text).expect("links.csv reads back");
    assert_eq!(corridor::schema::to_csv(back), text);
}
