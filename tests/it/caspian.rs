//! The Caspian crossing as it operates (issue 11): vessel classes, deadweight and the
//! load factor (dated and monthly), seasonal storms, vessel availability, shared decks.
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

/// Seasonal closure rates (closures per year while each month lasts), January first.
const MONTHLY_RATES: [f64; 12] = [
    60.0, 50.0, 40.0, 25.0, 10.0, 4.0, 2.0, 6.0, 15.0, 30.0, 45.0, 55.0,
];
/// Length of one closure (days), fixed and shorter than any month.
const CLOSURE_DAYS: f64 = 3.0;
/// First day of each month of the 365-day year without a start date, and the end.
const MONTH_STARTS: [f64; 13] = [
    0., 31., 59., 90., 120., 151., 181., 212., 243., 273., 304., 334., 365.,
];

/// Replications of `ferry_extra` (ferry weather) and `scenario_extra` (disruptions)
/// whose window is month `m` less its first `CLOSURE_DAYS` days: each replication's
/// share of that window the crossing was closed.
fn closed_shares(ferry_extra: &str, scenario_extra: &str, m: usize, reps: u64) -> Vec<f64> {
    let sc = format!(
        r#"
name = "seasons"
network = "net.toml"
horizon_days = {}
warmup_days = {}
replications = {reps}
seed = 5

[[flow]]
from = "a"
to = "b"
trains_per_week = 1
train = {{ wagons = 1, teu = 2, tonnes = 40 }}
{scenario_extra}
"#,
        MONTH_STARTS[m + 1],
        MONTH_STARTS[m] + CLOSURE_DAYS,
    );
    let (_, out, _) = run_text(&network(ferry_extra), &sc);
    out.replications
        .iter()
        .map(|r| r.resources[0].closed_share)
        .collect()
}

/// Mean and standard error of the mean.
fn mean_se(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let var = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

/// Seasonal storms: closures start as a Poisson process whose rate is that of the
/// calendar month, and each lasts `d` = 3 days. An instant t is closed exactly when a
/// closure started in (t - d, t], which happens with probability 1 - exp(-integral of
/// the rate over (t - d, t]). For t in month m at least d days after its first day,
/// that interval lies inside month m, so the probability is 1 - exp(-r_m d / 365)
/// exactly (the first d days of a month also see the previous month's rate; they are
/// left out of the window). The mean over replications of the share of the window
/// closed is the mean of that probability over the window: the same figure. Checked
/// for every month, within 4 standard errors of the mean over 2,000 replications (the
/// standard error, from the replications' spread, must also be below 0.01, so that
/// neighbouring months, 0.03 to 0.05 apart in the stormy season, are told apart).
#[test]
fn seasonal_weather_closes_each_month_at_its_own_rate() {
    let rates = MONTHLY_RATES.map(|r| r.to_string()).join(", ");
    let weather = format!(
        "[leg.ferry.weather]\nclosures_per_year_by_month = [{rates}]\nclosure_days = {CLOSURE_DAYS}\n"
    );
    for (m, rate) in MONTHLY_RATES.iter().enumerate() {
        let x = closed_shares(&weather, "", m, 2000);
        let (mean, se) = mean_se(&x);
        let exact = 1.0 - (-rate * CLOSURE_DAYS / 365.0).exp();
        eprintln!("month {m}: closed {mean:.5} (se {se:.5}) vs exact {exact:.5}");
        assert!(se < 0.01, "month {m}: standard error {se} too large");
        assert!(
            (mean - exact).abs() < 4.0 * se,
            "month {m}: closed {mean} vs exact {exact} ({:.2} standard errors)",
            (mean - exact) / se
        );
    }
}

/// Random disruptions with monthly rates: the same exact figure as the weather's,
/// checked for a stormy and a calm month (a disruption of the sea leg closes its
/// port), with the same tolerance.
#[test]
fn seasonal_disruptions_close_each_month_at_its_own_rate() {
    let rates = MONTHLY_RATES.map(|r| r.to_string()).join(", ");
    let disruption = format!(
        "[[disruption]]\ntarget = \"sea\"\nper_year_by_month = [{rates}]\nduration_days = {CLOSURE_DAYS}\n"
    );
    for m in [1, 6] {
        let x = closed_shares("", &disruption, m, 2000);
        let (mean, se) = mean_se(&x);
        let exact = 1.0 - (-MONTHLY_RATES[m] * CLOSURE_DAYS / 365.0).exp();
        eprintln!("month {m}: closed {mean:.5} (se {se:.5}) vs exact {exact:.5}");
        assert!(se < 0.01, "month {m}: standard error {se} too large");
        assert!(
            (mean - exact).abs() < 4.0 * se,
            "month {m}: closed {mean} vs exact {exact} ({:.2} standard errors)",
            (mean - exact) / se
        );
    }
}

/// Bad monthly rates are refused with located messages.
#[test]
fn bad_monthly_closure_rates_are_refused() {
    let cases = [
        (
            "[leg.ferry.weather]\nclosures_per_year_by_month = [1, 2]\nclosure_days = 3\n",
            "needs 12 monthly rates",
        ),
        (
            "[leg.ferry.weather]\nclosures_per_year_by_month = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]\nclosure_days = 3\n",
            "all zero",
        ),
        (
            "[leg.ferry.weather]\nclosures_per_year_by_month = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1]\nclosure_days = 3\n",
            "one of them -1",
        ),
        (
            "[leg.ferry.weather]\nclosures_per_year = 4\nclosures_per_year_by_month = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\nclosure_days = 3\n",
            "not both",
        ),
        (
            "[leg.ferry.weather]\nclosure_days = 3\n",
            "needs `closures_per_year` or `closures_per_year_by_month`",
        ),
    ];
    for (extra, want) in cases {
        let p = crate::support::network_problems(&network(extra));
        assert!(p.contains(want), "wanted `{want}` in:\n{p}");
        assert!(p.contains("net.toml:"), "no location in:\n{p}");
    }
    let p = crate::support::scenario_problems(
        &network(""),
        &scenario(
            100.0,
            10.0,
            1,
            "[[disruption]]\ntarget = \"sea\"\nper_year = 2\nper_year_by_month = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\nduration_days = 3\n",
        ),
    );
    assert!(p.contains("exactly one of"), "{p}");
    assert!(p.contains("sc.toml:"), "no location in:\n{p}");
}

/// Vessel availability, absences per vessel per year and their length (days).
const ABSENCES_PER_YEAR: f64 = 6.0;
const ABSENCE_DAYS: f64 = 20.0;

/// Vessel availability by renewal theory: two vessels of a one-way service timetabled
/// once a day (first at day 0.5), with sailing and turnaround of 0 days, so a vessel is
/// idle in port at every instant but that of a sailing and an absence starts the
/// moment it falls due. Each vessel alternates between service, exponential of mean
/// 365 / R days, and absence, D days; by renewal-reward its long-run share of time in
/// service is a = 1 / (1 + R D / 365) = 365 / 485. The two are independent and a
/// sailing is lost exactly when both are absent, so the long-run share of sailings lost
/// is (1 - a)^2 = (120 / 485)^2. Window: 7,300 days (7,300 sailings) after a warm-up
/// of 1,000 days (twelve cycles; the renewal processes start in service at day 0).
/// Each figure is compared within 4 standard errors of the mean over 200 replications,
/// and its standard error must be below 1% of the figure (a) or 5% (lost share).
#[test]
fn vessel_absences_follow_renewal_theory() {
    let net = network(&format!(
        "[leg.ferry.availability]\nabsences_per_year = {ABSENCES_PER_YEAR}\nabsence_days = {ABSENCE_DAYS}\n"
    ))
    .replace(
        "departure = { rule = \"when_full\", max_wait_days = 100000 }",
        "departure = { rule = \"timetable\", every_days = 1, first_days = 0.5 }",
    )
    .replace("sailing_days = 0.1", "sailing_days = 0")
    .replace("turnaround_days = 0.1", "turnaround_days = 0")
    .replace("count = 12", "count = 2");
    const REPS: u64 = 200;
    const WINDOW: f64 = 7_300.0;
    let sc = scenario(1_000.0 + WINDOW, 1_000.0, REPS, "").replace(
        &format!("trains_per_week = {}", LAMBDA * 7.0),
        "trains_per_week = 1",
    );
    let (s, out, _) = run_text(&net, &sc);
    let available: Vec<f64> = out
        .replications
        .iter()
        .map(|r| 1.0 - r.resources[0].vessel_days_absent / (2.0 * WINDOW))
        .collect();
    let lost: Vec<f64> = out
        .replications
        .iter()
        .map(|r| r.resources[0].sailings_without_vessel as f64 / WINDOW)
        .collect();
    let a = 1.0 / (1.0 + ABSENCES_PER_YEAR * ABSENCE_DAYS / 365.0);
    for (what, x, exact, rel) in [
        ("share of vessel-time in service", &available, a, 0.01),
        ("share of sailings lost", &lost, (1.0 - a) * (1.0 - a), 0.05),
    ] {
        let (mean, se) = mean_se(x);
        eprintln!("{what}: {mean:.5} (se {se:.5}) vs exact {exact:.5}");
        assert!(se < rel * exact, "{what}: standard error {se} too large");
        assert!(
            (mean - exact).abs() < 4.0 * se,
            "{what}: {mean} vs exact {exact} ({:.2} standard errors)",
            (mean - exact) / se
        );
    }
    // summary.json carries the service's figures per year, only for such a service.
    let port = &s.resources[0];
    let absent = port
        .vessel_days_absent_per_year
        .expect("vessel-days absent");
    assert!((absent.mean - 2.0 * (1.0 - a) * 365.0).abs() < 0.05 * 2.0 * 365.0 * (1.0 - a));
    assert!(port.sailings_without_vessel_per_year.is_some());
    let (plain, _, _) = run_text(&network(""), &scenario(200.0, 10.0, 1, ""));
    assert!(plain.resources[0].vessel_days_absent_per_year.is_none());
    let p = crate::support::network_problems(&network(
        "[leg.ferry.availability]\nabsences_per_year = 0\nabsence_days = 5\n",
    ));
    assert!(
        p.contains("absences_per_year") && p.contains("net.toml:"),
        "{p}"
    );
}

/// A group's practical capacity in TEU per year: the trains per week found, times the
/// group's TEU per train (its flows' mean weighted by their trains per week: 3 trains
/// of 80 TEU and 1 of 40 a week make 70), times 365 / 7; the interval alike. The
/// other group's trains (10 TEU) do not enter the mean.
#[test]
fn a_group_capacity_in_teu_per_year() {
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::write(dir.path().join("net.toml"), network("")).unwrap();
    let sc = r#"
name = "teu"
network = "net.toml"
horizon_days = 200
warmup_days = 20
replications = 4
seed = 2

[[flow]]
id = "big"
group = "g"
from = "a"
to = "b"
trains_per_week = 3
train = { wagons = 1, teu = 80, tonnes = 40 }

[[flow]]
id = "small"
group = "g"
from = "a"
to = "b"
trains_per_week = 1
train = { wagons = 1, teu = 40, tonnes = 40 }

[[flow]]
id = "other"
group = "h"
from = "a"
to = "b"
trains_per_week = 5
train = { wagons = 1, teu = 10, tonnes = 40 }
"#;
    std::fs::write(dir.path().join("sc.toml"), sc).unwrap();
    let o = crate::support::corridor(
        dir.path(),
        &[
            "capacity",
            "sc.toml",
            "--group",
            "g",
            "--quiet",
            "--no-plots",
            "--out",
            "cap",
        ],
    );
    assert!(o.status.success(), "{}", crate::support::text(&o).1);
    let c: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("cap").join("curve.json")).unwrap(),
    )
    .unwrap();
    let pc = &c["practical_capacity"];
    let trains = pc["offered_trains_per_week"]["mean"].as_f64().unwrap();
    let teu = pc["teu_per_year"]["mean"].as_f64().unwrap();
    let exact = trains * 70.0 * 365.0 / 7.0;
    assert!(
        (teu - exact).abs() <= 1e-9 * exact,
        "{teu} vs {exact}: {pc}"
    );
    if let Some(ci) = pc["offered_trains_per_week"]["ci95"].as_array() {
        let lo = ci[0].as_f64().unwrap() * 70.0 * 365.0 / 7.0;
        let got = pc["teu_per_year"]["ci95"][0].as_f64().unwrap();
        assert!(
            (got - lo).abs() <= 1e-9 * lo.abs().max(1.0),
            "{got} vs {lo}"
        );
    }
}

/// Shared decks by hand: one vessel of 10 wagons, timetabled once a day at k + 0.5
/// and back 0.2 day later; a train of 6 wagons arrives at k + 0.25 and road units,
/// 1.5 wagons each, at k / 3 (three a day, none at a sailing time). Rail first: the 6
/// wagons board, the 4 wagons of deck left take floor(4 / 1.5) = 2 road units (the
/// others queue), so a year of the window [10, 375) sees 365 sailings, 2,190 wagons
/// and 730 road units. Road first: the 3 road units that came since the last sailing
/// (at most floor(10 / 1.5) = 6 fit) take ceil(4.5) = 5 wagons of deck, so 5 of the 6
/// wagons board (the train waits and the wagons queue): 1,825 wagons and 1,095 road
/// units.
#[test]
fn shared_decks_by_hand() {
    let road_net = |loading: &str| {
        network(&format!(
            "[leg.ferry.road]\nunits_per_day = 3\nwagon_equivalents = 1.5\narrivals = \"timetable\"\nloading = \"{loading}\"\n"
        ))
        .replace(
            "departure = { rule = \"when_full\", max_wait_days = 100000 }",
            "departure = { rule = \"timetable\", every_days = 1, first_days = 0.5 }",
        )
        .replace("count = 12", "count = 1")
    };
    let sc = scenario(375.0, 10.0, 1, "")
        .replace(
            "train = { wagons = 1, teu = 2, tonnes = 40 }",
            "arrivals = \"timetable\"\noffset_days = 0.25\ntrain = { wagons = 6, teu = 12, tonnes = 240 }",
        )
        .replace(&format!("trains_per_week = {}", LAMBDA * 7.0), "trains_per_week = 7");
    for (loading, wagons, road) in [
        ("rail_first", 2_190.0, 730.0),
        ("road_first", 1_825.0, 1_095.0),
    ] {
        let net =
            corridor::input::parse_network(&road_net(loading)).unwrap_or_else(|p| panic!("{p:?}"));
        let (sc, net) = corridor::input::parse_scenario(&sc, std::path::Path::new("sc.toml"), net)
            .unwrap_or_else(|p| panic!("{p:?}"));
        let (_, out, model) = crate::support::run_loaded(&sc, &net, None);
        let stats = corridor::summary::RunStats::of(&model, &out, corridor::summary::Keep::Nothing);
        let rows = corridor::report::links::link_rows("t", &net, &model, &stats);
        let sea = &rows[0];
        assert_eq!(sea.sailings_per_year, Some(365.0), "{loading}: {sea:?}");
        assert_eq!(
            sea.ferry_wagons_per_year,
            Some(wagons),
            "{loading}: {sea:?}"
        );
        assert_eq!(sea.road_units_per_year, Some(road), "{loading}: {sea:?}");
    }
    // Without road units the column is empty.
    let plain = network("").replace(
        "departure = { rule = \"when_full\", max_wait_days = 100000 }",
        "departure = { rule = \"timetable\", every_days = 1, first_days = 0.5 }",
    );
    let net = corridor::input::parse_network(&plain).unwrap_or_else(|p| panic!("{p:?}"));
    let (sc, net) = corridor::input::parse_scenario(&sc, std::path::Path::new("sc.toml"), net)
        .unwrap_or_else(|p| panic!("{p:?}"));
    let (_, out, model) = crate::support::run_loaded(&sc, &net, None);
    let stats = corridor::summary::RunStats::of(&model, &out, corridor::summary::Keep::Nothing);
    let rows = corridor::report::links::link_rows("t", &net, &model, &stats);
    assert_eq!(rows[0].road_units_per_year, None);
    // Bad road tables are refused with located messages.
    for (extra, want) in [
        (
            "[leg.ferry.road]\nunits_per_day = 3\nwagon_equivalents = 11\n",
            "does not fit the smallest deck of this ferry (10 wagons)",
        ),
        (
            "[leg.ferry.road]\nunits_per_day = 3\nwagon_equivalents = 1\ntonnes_per_unit = 700\n",
            "heavier than the deadweight of every vessel class (600 t at most)",
        ),
        (
            "[leg.ferry.road]\nunits_per_day = 3\nwagon_equivalents = 0\n",
            "wagon_equivalents",
        ),
    ] {
        let p = crate::support::network_problems(&network(extra));
        assert!(
            p.contains(want) && p.contains("net.toml:"),
            "wanted `{want}` in:\n{p}"
        );
    }
    let p = crate::support::network_problems(&road_net("trucks_first"));
    assert!(p.contains("unknown `loading` `trucks_first`"), "{p}");
}

/// Shared decks on a vessel that departs when full, by hand: one vessel of 10 wagons,
/// back in port 0.2 day after it sails; a train of 5 wagons at k + 0.5 and road units
/// of 5/3 wagon each at k / 3 (evenly spaced). From day 1 on, the vessel is back at
/// k + 0.2 and takes the road unit of k + 1/3 (deck used ceil(5/3) = 2), the train's 5
/// wagons (7), the road unit of k + 2/3 (5 + ceil(10/3) = 9) and the one of k + 1: 5 +
/// 5 = 10, a full deck, so it sails at k + 1 every day. The window [10, 375) sees 365
/// sailings, 1,825 wagons and 1,095 road units in either loading order, and every
/// train waits 0.5 day. Without the road units the same vessel waits for a second
/// train to fill its ten wagons.
#[test]
fn shared_decks_when_full_by_hand() {
    let sc = scenario(375.0, 10.0, 1, "")
        .replace(
            "train = { wagons = 1, teu = 2, tonnes = 40 }",
            "arrivals = \"timetable\"\noffset_days = 0.5\ntrain = { wagons = 5, teu = 10, tonnes = 200 }",
        )
        .replace(&format!("trains_per_week = {}", LAMBDA * 7.0), "trains_per_week = 7");
    for (loading, road, sailings, wagons) in [
        ("rail_first", Some(1_095.0), 365.0, 1_825.0),
        ("road_first", Some(1_095.0), 365.0, 1_825.0),
        // Full at every second train (k + 0.5, k odd): 182 sailings of 10 wagons.
        ("", None, 182.0, 1_820.0),
    ] {
        let extra = if loading.is_empty() {
            String::new()
        } else {
            format!(
                "[leg.ferry.road]\nunits_per_day = 3\nwagon_equivalents = 1.6666666666666667\narrivals = \"timetable\"\nloading = \"{loading}\"\n"
            )
        };
        let net = network(&extra).replace("count = 12", "count = 1");
        let net = corridor::input::parse_network(&net).unwrap_or_else(|p| panic!("{p:?}"));
        let (sc, net) = corridor::input::parse_scenario(&sc, std::path::Path::new("sc.toml"), net)
            .unwrap_or_else(|p| panic!("{p:?}"));
        let (_, out, model) = crate::support::run_loaded(&sc, &net, None);
        let stats = corridor::summary::RunStats::of(&model, &out, corridor::summary::Keep::Nothing);
        let rows = corridor::report::links::link_rows("t", &net, &model, &stats);
        let sea = &rows[0];
        let near = |x: Option<f64>, want: f64| x.is_some_and(|x| (x - want).abs() < 1e-6);
        assert!(near(sea.sailings_per_year, sailings), "{loading}: {sea:?}");
        assert!(
            near(sea.ferry_wagons_per_year, wagons),
            "{loading}: {sea:?}"
        );
        assert_eq!(sea.road_units_per_year, road, "{loading}: {sea:?}");
        if road.is_some() {
            let port = &out.replications[0].resources[0];
            let wait = port.wait_mean_days();
            assert!((wait - 0.5).abs() < 1e-6, "{loading}: wait {wait}");
        }
    }
}
