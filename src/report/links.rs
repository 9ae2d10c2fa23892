//! The rows of `links.csv`: per leg and direction, trains, wagons, TEU and tonnes per
//! year; per ferry service and direction, sailings per year and the load they carry.

use crate::network::{Mode, Network};
use crate::schema::{self, LinkRow};
use crate::sim::{Model, ResourceKind};
use crate::summary::RunStats;

/// Days in the year of the yearly figures.
const DAYS_PER_YEAR: f64 = 365.0;

/// The rows of `links.csv`, legs in network order, each forward direction first.
pub fn link_rows(
    scenario: &str,
    network: &Network,
    model: &Model,
    stats: &RunStats,
) -> Vec<LinkRow> {
    let n = network.legs.len();
    // Per leg and direction: trains, wagons, TEU, tonnes per day of the window.
    let mut sums = vec![[[0.0f64; 4]; 2]; n];
    let mut used = vec![[false; 2]; n];
    let per_year = DAYS_PER_YEAR / stats.window_days.max(f64::MIN_POSITIVE);
    for (f, info) in model.flows().iter().enumerate() {
        for (r, route) in info.routes.iter().enumerate() {
            let trains = stats
                .routes
                .get(f)
                .and_then(|rs| rs.get(r))
                .map_or(0.0, |rs| rs.delivered_trains.mean())
                * per_year;
            let trains = if trains.is_nan() { 0.0 } else { trains };
            for &(leg, forward) in &route.hops {
                let d = usize::from(!forward);
                used[leg as usize][d] = true;
                let s = &mut sums[leg as usize][d];
                s[0] += trains;
                s[1] += trains * info.train.wagons as f64;
                s[2] += trains * info.train.teu;
                s[3] += trains * info.train.tonnes;
            }
        }
    }
    let mut rows = Vec::new();
    for (i, leg) in network.legs.iter().enumerate() {
        for d in 0..2 {
            if !used[i][d] {
                continue;
            }
            let (a, b) = if d == 0 {
                (leg.from, leg.to)
            } else {
                (leg.to, leg.from)
            };
            let (from, to) = (network.node(a).id.clone(), network.node(b).id.clone());
            let ferry = (leg.mode == Mode::Sea)
                .then(|| {
                    model.resources().iter().position(|r| {
                        r.kind == ResourceKind::Ferry
                            && r.id == leg.id
                            && r.from.as_deref() == Some(from.as_str())
                            && r.to.as_deref() == Some(to.as_str())
                    })
                })
                .flatten()
                .and_then(|k| stats.resources.get(k));
            let fe = leg.ferry.as_ref();
            let sailings = ferry.map(|rs| rs.sailings_per_day.mean() * DAYS_PER_YEAR);
            let wagons = ferry.map(|rs| rs.wagons_per_day.mean() * DAYS_PER_YEAR);
            let per_sailing = sailings
                .zip(wagons)
                .map(|(s, w)| w / s)
                .filter(|x| x.is_finite());
            let deck = fe.filter(|_| ferry.is_some()).map(|f| f.mean_wagons());
            let s = sums[i][d];
            rows.push(LinkRow {
                scenario: scenario.to_string(),
                replications: stats.replications,
                leg: leg.id.clone(),
                from,
                to,
                mode: leg.mode,
                trains_per_year: s[0],
                wagons_per_year: s[1],
                teu_per_year: s[2],
                tonnes_per_year: s[3],
                sailings_per_year: sailings,
                ferry_wagons_per_year: wagons,
                wagons_per_sailing: per_sailing,
                deck_wagons: deck,
                deck_fill: per_sailing.zip(deck).map(|(p, k)| p / k),
                load_factor: fe.filter(|_| ferry.is_some()).map(|f| f.load_factor),
                road_units_per_year: ferry
                    .filter(|_| fe.is_some_and(|f| f.road.is_some()))
                    .map(|rs| rs.road_units_per_day.mean() * DAYS_PER_YEAR),
            });
        }
    }
    rows
}

/// `links.csv`.
pub fn links_csv(scenario: &str, network: &Network, model: &Model, stats: &RunStats) -> String {
    schema::to_csv(link_rows(scenario, network, model, stats))
}
