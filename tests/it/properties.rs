//! Properties over generated inputs (proptest): for any valid generated network and
//! scenario, trains are conserved, no output holds NaN, infinity or null where a number
//! stands, every share is within [0, 1], and results do not depend on the thread count.
//!
//! Networks are chains of 2 to 5 nodes with stations, rail legs with or without a
//! capacity, road legs and a ferry (timetabled or departing when full); scenarios have 1
//! to 3 flows with Poisson, timetabled or seasonal arrivals and short horizons, so that
//! the 64 cases run in about a second.

use std::fmt::Write as _;
use std::path::Path;

use proptest::prelude::*;
use serde_json::Value;

use corridor::input;
use corridor::montecarlo::{self, Control, RunSettings};
use corridor::sim::Model;
use corridor::summary::Summary;

/// One generated leg between consecutive nodes.
#[derive(Clone, Debug)]
enum LegGen {
    Rail {
        days: f64,
        capacity: Option<f64>,
    },
    Road {
        days: f64,
        trucks: f64,
    },
    Ferry {
        vessels: u32,
        wagons: u32,
        every: Option<f64>,
        sailing: f64,
    },
}

#[derive(Clone, Debug)]
struct Gen {
    servers: Vec<Option<(u32, f64)>>,
    legs: Vec<LegGen>,
    flows: Vec<(f64, u32, u8)>,
    horizon: f64,
    warmup_share: f64,
    max_trains: u64,
}

fn leg() -> impl Strategy<Value = LegGen> {
    prop_oneof![
        (0.05f64..3.0, proptest::option::of(0.5f64..30.0))
            .prop_map(|(days, capacity)| LegGen::Rail { days, capacity }),
        (0.05f64..3.0, 1.0f64..200.0).prop_map(|(days, trucks)| LegGen::Road { days, trucks }),
        (
            1u32..4,
            20u32..80,
            proptest::option::of(0.5f64..5.0),
            0.1f64..2.0
        )
            .prop_map(|(vessels, wagons, every, sailing)| LegGen::Ferry {
                vessels,
                wagons,
                every,
                sailing
            }),
    ]
}

fn inputs() -> impl Strategy<Value = Gen> {
    (2usize..6)
        .prop_flat_map(|n| {
            (
                proptest::collection::vec(proptest::option::of((1u32..4, 0.01f64..1.5)), n),
                proptest::collection::vec(leg(), n - 1),
                proptest::collection::vec((0.1f64..40.0, 10u32..80, 0u8..3), 1..4),
                5.0f64..120.0,
                0.0f64..0.5,
                prop_oneof![Just(1_000_000u64), 5u64..200],
            )
        })
        .prop_map(
            |(servers, legs, flows, horizon, warmup_share, max_trains)| Gen {
                servers,
                legs,
                flows,
                horizon,
                warmup_share,
                max_trains,
            },
        )
}

/// The generated network and scenario as file text.
fn files(g: &Gen) -> (String, String) {
    let mut net = String::from("[network]\nname = \"gen\"\n");
    for (i, s) in g.servers.iter().enumerate() {
        let _ = write!(
            net,
            "\n[[node]]\nid = \"n{i}\"\nlat = {}\nlon = {}\nkind = \"rail_terminal\"\n",
            40.0 + i as f64 * 0.1,
            50.0 + i as f64 * 0.1
        );
        if let Some((servers, days)) = s {
            let _ = writeln!(
                net,
                "resource = {{ servers = {servers}, service_days = {{ dist = \"exponential\", mean = {days} }} }}"
            );
        }
    }
    for (i, l) in g.legs.iter().enumerate() {
        let _ = write!(
            net,
            "\n[[leg]]\nfrom = \"n{i}\"\nto = \"n{}\"\nlength_km = 100\n",
            i + 1
        );
        match l {
            LegGen::Rail { days, capacity } => {
                let _ = writeln!(
                    net,
                    "mode = \"rail\"\ngauge_mm = 1520\ntravel_days = {{ dist = \"lognormal\", mean = {days}, cv = 0.3 }}"
                );
                if let Some(c) = capacity {
                    let _ = writeln!(net, "capacity_trains_per_day = {c}");
                }
            }
            LegGen::Road { days, trucks } => {
                let _ = writeln!(
                    net,
                    "mode = \"road\"\ntravel_days = {days}\ncapacity_trucks_per_day = {trucks}"
                );
            }
            LegGen::Ferry {
                vessels,
                wagons,
                every,
                sailing,
            } => {
                let departure = match every {
                    Some(e) => format!("{{ rule = \"timetable\", every_days = {e} }}"),
                    None => "{ rule = \"when_full\", max_wait_days = 1 }".to_string(),
                };
                let _ = writeln!(
                    net,
                    "mode = \"sea\"\n[leg.ferry]\nvessels = {vessels}\nwagons_per_sailing = {wagons}\ndeparture = {departure}\nsailing_days = {sailing}\nturnaround_days = {{ dist = \"uniform\", min = 0.1, max = 0.5 }}"
                );
            }
        }
    }
    let last = g.servers.len() - 1;
    let mut sc = format!(
        "name = \"gen\"\nnetwork = \"net.toml\"\nhorizon_days = {}\nwarmup_days = {}\nreplications = 3\nseed = 5\n",
        g.horizon,
        g.horizon * g.warmup_share
    );
    for (i, (rate, wagons, arrivals)) in g.flows.iter().enumerate() {
        let _ = write!(
            sc,
            "\n[[flow]]\nid = \"f{i}\"\nfrom = \"n0\"\nto = \"n{last}\"\ntrains_per_week = {rate}\ntrain = {{ wagons = {wagons}, teu = {}, tonnes = 1000 }}\n",
            wagons * 2
        );
        match arrivals {
            1 => sc.push_str("arrivals = \"timetable\"\n"),
            2 => sc.push_str(
                "arrivals = \"seasonal\"\nseasonal = [0, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3]\n",
            ),
            _ => {}
        }
    }
    (net, sc)
}

/// Numbers that are not finite, and nulls other than the means and percentiles of an
/// empty sample and optional fields.
fn bad_numbers(v: &Value, key: &str, out: &mut Vec<String>) {
    const OPTIONAL: [&str; 2] = ["from", "to"];
    const EMPTY_SAMPLE: [&str; 4] = ["mean", "ci95", "p50", "p95"];
    match v {
        Value::Null if OPTIONAL.contains(&key) || EMPTY_SAMPLE.contains(&key) => {}
        Value::Null if key.starts_with("transit_days_") => {}
        Value::Null => out.push(format!("null at `{key}`")),
        Value::Number(n) if !n.as_f64().is_some_and(f64::is_finite) => {
            out.push(format!("{n} at `{key}`"))
        }
        Value::Array(a) => a.iter().for_each(|x| bad_numbers(x, key, out)),
        Value::Object(m) => m.iter().for_each(|(k, x)| bad_numbers(x, k, out)),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_valid_input_gives_conserved_finite_thread_invariant_results(g in inputs()) {
        let (net_text, sc_text) = files(&g);
        let net = input::parse_network(&net_text).expect("generated network is valid");
        let (mut sc, net) = input::parse_scenario(&sc_text, Path::new("sc.toml"), net)
            .unwrap_or_else(|p| panic!("generated scenario is invalid: {p:?}\n{sc_text}"));
        sc.run.max_trains_in_system = g.max_trains;
        let model = Model::new(&net, &sc).expect("model builds");
        let run = |threads| {
            let settings = RunSettings { seed: 5, first: 0, replications: 3, threads: Some(threads) };
            montecarlo::run(&model, &settings, Control::none())
        };
        let out = run(1);
        let again = run(2);
        prop_assert_eq!(format!("{:?}", out.replications), format!("{:?}", again.replications));
        for r in &out.replications {
            for f in &r.flows {
                prop_assert_eq!(f.offered, f.delivered + f.in_system);
                prop_assert!(f.delivered <= f.offered);
                let routes: u64 = f.routes.iter().map(|x| x.delivered).sum();
                prop_assert_eq!(routes, f.delivered);
                let in_system: u64 = f.routes.iter().map(|x| x.in_system).sum();
                prop_assert_eq!(in_system, f.in_system);
                prop_assert!(f.transit_sum_days.is_finite() && f.teu_delivered.is_finite());
            }
            for x in &r.resources {
                prop_assert!((0.0..=1.0).contains(&x.utilization), "utilization {}", x.utilization);
                prop_assert!((0.0..=1.0).contains(&x.closed_share), "closed {}", x.closed_share);
                prop_assert!(x.queue_mean.is_finite() && x.queue_mean >= 0.0);
                prop_assert!(x.in_service_mean.is_finite() && x.wait_sum_days.is_finite());
            }
        }
        let stats = corridor::summary::RunStats::of(&model, &out, corridor::summary::Keep::Nothing);
        let summary = Summary::new(&sc, &model, &stats);
        let value = serde_json::to_value(&summary).expect("summary serialises");
        let mut bad = Vec::new();
        bad_numbers(&value, "", &mut bad);
        prop_assert!(bad.is_empty(), "{:?}", bad);
        for r in &summary.resources {
            prop_assert!((0.0..=1.0).contains(&r.utilization.mean));
        }
    }
}
