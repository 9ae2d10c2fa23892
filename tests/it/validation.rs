//! The engine against independent truths: exact queueing results, Little's law,
//! conservation of trains, and pure delays.
//!
//! Tolerances: a replication mean is compared with the exact value within three
//! standard errors of the mean over replications (the Student-t half-width divided by
//! t(0.975, n-1)): under normality a correct engine fails this with probability 0.3%
//! for a random seed, and the seeds here are fixed. Each test also requires the
//! standard error to be small, so that it cannot pass by being imprecise.

use corridor::stats::{Estimate, t_quantile_975};

use crate::support::{run_file, run_text};

/// Standard error of the mean behind an estimate with `n` replications.
fn std_err(e: &Estimate, n: u64) -> f64 {
    e.half_width() / t_quantile_975(n - 1)
}

#[track_caller]
fn assert_within_3se(what: &str, e: &Estimate, n: u64, exact: f64, max_rel_se: f64) {
    let se = std_err(e, n);
    assert!(
        se / exact < max_rel_se,
        "{what}: standard error {se} too large for a test"
    );
    let z = (e.mean - exact) / se;
    assert!(
        z.abs() < 3.0,
        "{what}: {} vs exact {exact} is {z:.2} standard errors away (se {se})",
        e.mean
    );
}

/// jackson3: 20 replications of 20,000 days after a 1,000-day warm-up (about 200,000
/// trains each). Exact values: Erlang C per station.
#[test]
fn jackson3_matches_erlang_c() {
    const N: u64 = 20;
    let (s, out, _) = run_file(
        "scenarios/reference/jackson3.toml",
        21_000.0,
        1_000.0,
        N,
        None,
    );
    let t = &s.overall.transit_days;
    let total = Estimate {
        mean: t.mean,
        ci95: t.ci95,
    };
    assert_within_3se("mean time in system", &total, N, 1.445568, 0.01);
    let exact_wait = [("A", 0.284444), ("B", 0.320000), ("C", 0.351124)];
    let exact_util = [("A", 0.8), ("B", 0.8), ("C", 0.833333)];
    for ((id, wq), (_, rho)) in exact_wait.iter().zip(exact_util) {
        let r = s
            .resources
            .iter()
            .find(|r| r.id == *id)
            .expect("station reported");
        assert_within_3se(&format!("wait at {id}"), &r.wait_days, N, *wq, 0.02);
        assert_within_3se(
            &format!("utilisation of {id}"),
            &r.utilization,
            N,
            rho,
            0.01,
        );
    }
    assert_eq!(out.replications.len(), N as usize);
}

/// ferry: 20 replications of 20,000 days. Exact: port wait 0.3834806 day, wait plus
/// sailing 1.1334806 day, throughput 6 trains per day.
#[test]
fn ferry_matches_the_markov_chain() {
    const N: u64 = 20;
    let (s, _, _) = run_file("scenarios/reference/ferry.toml", 21_000.0, 1_000.0, N, None);
    let port = &s.resources[0];
    assert_eq!(port.kind, corridor::sim::ResourceKind::Ferry);
    assert_within_3se("port wait", &port.wait_days, N, 0.3834806, 0.01);
    let t = &s.overall.transit_days;
    assert_within_3se(
        "wait plus sailing",
        &Estimate {
            mean: t.mean,
            ci95: t.ci95,
        },
        N,
        1.1334806,
        0.01,
    );
    let per_day = Estimate {
        mean: s.overall.delivered_trains_per_week.mean / 7.0,
        ci95: s
            .overall
            .delivered_trains_per_week
            .ci95
            .map(|[a, b]| [a / 7.0, b / 7.0]),
    };
    assert_within_3se("throughput per day", &per_day, N, 6.0, 0.01);
    // Nobody waits less than zero or more than it takes the queue to clear; the
    // utilisation is 6 offered against 8 carried per day.
    assert!(
        (port.utilization.mean - 0.75).abs() < 0.01,
        "{:?}",
        port.utilization
    );
}

/// Little's law, L = lambda W, at every station and ferry port of every replication:
/// the time-average queue length is measured independently of the waits.
#[test]
fn littles_law_holds_at_every_queue() {
    for (file, days) in [
        ("scenarios/reference/jackson3.toml", 20_000.0),
        ("scenarios/reference/ferry.toml", 20_000.0),
    ] {
        let (_, out, model) = run_file(file, days + 1_000.0, 1_000.0, 4, None);
        for r in &out.replications {
            for (res, info) in r.resources.iter().zip(model.resources()) {
                let lambda = res.arrivals as f64 / days;
                let l = res.queue_mean;
                let lw = lambda * res.wait_mean_days();
                assert!(
                    (l - lw).abs() / l < 0.005,
                    "{file} {}: L = {l}, lambda W = {lw}",
                    info.id
                );
            }
        }
    }
}

/// Every train is delivered or still under way: trains counted one by one in the
/// system at the end (by route) equal offered minus delivered, and nothing is lost at
/// a ferry that splits trains over sailings.
#[test]
fn trains_are_conserved() {
    let net = crate::support::NET;
    let sc = crate::support::SCENARIO
        .replace("horizon_days = 200", "horizon_days = 3000")
        .replace("trains_per_week = 5", "trains_per_week = 2.5")
        .replace("wagons = 50", "wagons = 70");
    let (_, out, _) = run_text(net, &sc);
    for r in &out.replications {
        let f = &r.flows[0];
        let counted: u64 = f.routes.iter().map(|x| x.in_system).sum();
        assert_eq!(f.offered, f.delivered + counted, "replication {}", r.index);
        assert!(
            f.delivered > 900,
            "the flow moves ({} delivered)",
            f.delivered
        );
        // Every wagon of every delivered train (all arrived after the warm-up) sailed
        // in the window, and no sailing carried more than its 54 wagons: 70-wagon
        // trains were split over sailings.
        let ferry = r
            .resources
            .iter()
            .find(|x| x.sailings > 0)
            .expect("a ferry port");
        assert!(
            ferry.wagons >= 70 * f.delivered,
            "wagons carried {}",
            ferry.wagons
        );
        assert!(
            ferry.wagons <= 54 * ferry.sailings,
            "{} wagons in {} sailings",
            ferry.wagons,
            ferry.sailings
        );
    }
}

/// A pure travel delay adds exactly its mean. A fixed 2-day leg between B and C of
/// jackson3 keeps every train's order (no overtaking), so with common random numbers
/// each train's time in system grows by exactly 2 days; only the few trains cut off at
/// the horizon differ. A random delay (uniform on 1..3 days) reorders trains, but an
/// infinite-server delay leaves a Poisson stream Poisson, so C's mean wait is unchanged
/// and the paired difference of replication means must cover 2 within 3 standard errors.
#[test]
fn a_pure_delay_adds_exactly_its_mean() {
    let root = crate::support::root();
    let net = std::fs::read_to_string(root.join("networks/reference/jackson3.toml")).unwrap();
    let sc = std::fs::read_to_string(root.join("scenarios/reference/jackson3.toml"))
        .unwrap()
        .replace("horizon_days = 101000", "horizon_days = 11000");
    // The B-C leg is the last one in the file.
    let with_travel = |travel: &str| {
        let i = net.rfind("travel_days = 0").unwrap();
        format!(
            "{}travel_days = {travel}{}",
            &net[..i],
            &net[i + "travel_days = 0".len()..]
        )
    };
    let (base, base_out, _) = run_text(&net, &sc);
    let (fixed, _, _) = run_text(&with_travel("2"), &sc);
    let diff = fixed.overall.transit_days.mean - base.overall.transit_days.mean;
    assert!((diff - 2.0).abs() < 1e-3, "fixed delay: difference {diff}");

    let (_, rnd_out, _) = run_text(
        &with_travel("{ dist = \"uniform\", min = 1.0, max = 3.0 }"),
        &sc,
    );
    let diffs: Vec<f64> = rnd_out
        .replications
        .iter()
        .zip(&base_out.replications)
        .map(|(a, b)| a.transit_mean_days() - b.transit_mean_days())
        .collect();
    let e = Estimate::of(&diffs);
    let se = std_err(&e, diffs.len() as u64);
    assert!(se < 0.02, "standard error {se}");
    assert!(
        (e.mean - 2.0).abs() < 3.0 * se,
        "random delay: difference {} (se {se})",
        e.mean
    );
}
