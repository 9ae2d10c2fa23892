//! GeoJSON export of a network, or of a results folder (with simulated flows and
//! utilisation), loadable in QGIS or kepler.gl.
//!
//! The output is one RFC 7946 `FeatureCollection` (with the network's name as a
//! foreign member `name`):
//!
//! - every node is a `Point` at `[lon, lat]` with properties `id`, `name`,
//!   `country`, `kind`, `servers`; from a results folder also `utilization`,
//!   `utilization_ci95` (`[low, high]`), `wait_days` and `arrivals_per_day` of its
//!   station (`null` for a node without one, or whose station no route uses);
//! - every leg is a `LineString` from its `from` node to its `to` node with
//!   properties `id`, `from`, `to`, `mode`, `length_km`, `capacity_per_day`,
//!   `gauge_mm`, `one_way`; from a results folder also `trains_per_day` (both
//!   directions), `trains_per_day_from_to`, `trains_per_day_to_from` (0 where no route
//!   runs) and `utilization_from_to`, `utilization_to_from` (`null` where no route runs
//!   or the leg has no capacity limit).
//!
//! Numbers that are not finite are written as `null`. Features come in file order, one
//! per line, so the same input gives the same bytes.

use serde::Serialize;

use crate::report::plot::results::{Estimate, NetworkExport, Summary};

/// The GeoJSON text of `network`, with results from `summary` if given: one feature
/// per line, with a final newline.
pub fn feature_collection(network: &NetworkExport, summary: Option<&Summary>) -> String {
    let nodes = network.nodes.iter().map(|n| Feature {
        kind: "Feature",
        geometry: Geometry::Point {
            coordinates: [n.lon, n.lat],
        },
        properties: Properties::Node(NodeProperties {
            id: &n.id,
            name: &n.name,
            country: &n.country,
            kind: n.kind.name(),
            servers: n.servers,
            results: summary.map(|s| {
                let station = s.station(&n.id);
                let est = |f: fn(&crate::report::plot::results::ResourceSummary) -> Estimate| {
                    station.map(f).unwrap_or(Estimate::MISSING)
                };
                let utilization = est(|r| r.utilization);
                NodeResults {
                    utilization: utilization.value(),
                    utilization_ci95: utilization.interval().map(|(lo, hi)| [lo, hi]),
                    wait_days: est(|r| r.wait_days).value(),
                    arrivals_per_day: est(|r| r.arrivals_per_day).value(),
                }
            }),
        }),
    });
    let legs = network.legs.iter().filter_map(|l| {
        let (a, b) = (network.node(&l.from)?, network.node(&l.to)?);
        Some(Feature {
            kind: "Feature",
            geometry: Geometry::LineString {
                coordinates: vec![[a.lon, a.lat], [b.lon, b.lat]],
            },
            properties: Properties::Leg(LegProperties {
                id: &l.id,
                from: &l.from,
                to: &l.to,
                mode: l.mode.name(),
                length_km: finite(l.length_km),
                capacity_per_day: l.capacity_per_day.and_then(finite),
                gauge_mm: l.gauge_mm,
                one_way: l.one_way,
                results: summary.map(|s| {
                    let direction = |from: &str, to: &str| {
                        s.leg(&l.id).find(|r| r.direction() == Some((from, to)))
                    };
                    let forward = direction(&l.from, &l.to);
                    let backward = direction(&l.to, &l.from);
                    let trains = |r: Option<&crate::report::plot::results::ResourceSummary>| {
                        r.and_then(|r| r.arrivals_per_day.value()).unwrap_or(0.0)
                    };
                    LegResults {
                        trains_per_day: trains(forward) + trains(backward),
                        trains_per_day_from_to: trains(forward),
                        trains_per_day_to_from: trains(backward),
                        utilization_from_to: forward.and_then(|r| r.utilization.value()),
                        utilization_to_from: backward.and_then(|r| r.utilization.value()),
                    }
                }),
            }),
        })
    });
    // One feature per line: compact, yet readable and easy to diff.
    let features: Vec<String> = nodes
        .chain(legs)
        .map(|f| serde_json::to_string(&f).expect("GeoJSON serializes"))
        .collect();
    format!(
        "{{\"type\":\"FeatureCollection\",\"name\":{},\"features\":[\n{}\n]}}\n",
        serde_json::to_string(&network.name).expect("a string serializes"),
        features.join(",\n")
    )
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

#[derive(Serialize)]
struct Feature<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    geometry: Geometry,
    properties: Properties<'a>,
}

#[derive(Serialize)]
#[serde(tag = "type")]
enum Geometry {
    Point { coordinates: [f64; 2] },
    LineString { coordinates: Vec<[f64; 2]> },
}

#[derive(Serialize)]
#[serde(untagged)]
enum Properties<'a> {
    Node(NodeProperties<'a>),
    Leg(LegProperties<'a>),
}

#[derive(Serialize)]
struct NodeProperties<'a> {
    id: &'a str,
    name: &'a str,
    country: &'a str,
    kind: &'a str,
    servers: u32,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    results: Option<NodeResults>,
}

#[derive(Serialize)]
struct NodeResults {
    utilization: Option<f64>,
    utilization_ci95: Option<[f64; 2]>,
    wait_days: Option<f64>,
    arrivals_per_day: Option<f64>,
}

#[derive(Serialize)]
struct LegProperties<'a> {
    id: &'a str,
    from: &'a str,
    to: &'a str,
    mode: &'a str,
    length_km: Option<f64>,
    capacity_per_day: Option<f64>,
    gauge_mm: Option<u32>,
    one_way: bool,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    results: Option<LegResults>,
}

#[derive(Serialize)]
struct LegResults {
    trains_per_day: f64,
    trains_per_day_from_to: f64,
    trains_per_day_to_from: f64,
    utilization_from_to: Option<f64>,
    utilization_to_from: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::plot::results::{LegExport, NodeExport};

    fn network() -> NetworkExport {
        let node = |id: &str, lon: f64, servers: u32| NodeExport {
            id: id.into(),
            name: id.to_uppercase(),
            country: "KZ".into(),
            lat: 43.0,
            lon,
            kind: crate::network::NodeKind::RailTerminal,
            servers,
        };
        NetworkExport {
            name: "n".into(),
            nodes: vec![node("a", 51.0, 2), node("b", 52.0, 0)],
            legs: vec![LegExport {
                id: "a-b".into(),
                from: "a".into(),
                to: "b".into(),
                mode: crate::network::Mode::Rail,
                length_km: 90.0,
                capacity_per_day: Some(12.0),
                gauge_mm: Some(1520),
                one_way: false,
            }],
        }
    }

    #[test]
    fn a_network_becomes_points_and_lines() {
        let v: serde_json::Value =
            serde_json::from_str(&feature_collection(&network(), None)).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        let f = v["features"].as_array().unwrap();
        assert_eq!(f.len(), 3);
        assert_eq!(f[0]["geometry"]["type"], "Point");
        assert_eq!(
            f[0]["geometry"]["coordinates"],
            serde_json::json!([51.0, 43.0])
        );
        assert_eq!(f[0]["properties"]["servers"], 2);
        assert!(f[0]["properties"].get("utilization").is_none());
        assert_eq!(f[2]["geometry"]["type"], "LineString");
        assert_eq!(f[2]["properties"]["gauge_mm"], 1520);
    }

    #[test]
    fn results_add_flows_and_utilisation() {
        use crate::network::{Mode, NodeKind};
        use crate::schema::{Detail, Overall, ResourceSummary, Transit};
        use crate::sim::ResourceKind;
        let est = |mean: f64, ci95: Option<[f64; 2]>| Estimate { mean, ci95 };
        let none = Estimate::MISSING;
        let resource =
            |id: &str, kind, detail, from: Option<&str>, to: Option<&str>| ResourceSummary {
                id: id.into(),
                kind,
                detail,
                from: from.map(Into::into),
                to: to.map(Into::into),
                capacity: 1.0,
                utilization: none,
                wait_days: none,
                wait_days_with_censored: none,
                waiting_at_end: none,
                queue_length: none,
                in_service: none,
                arrivals_per_day: none,
                closed_share: none,
                vessel_days_absent_per_year: None,
                sailings_without_vessel_per_year: None,
            };
        let station = ResourceSummary {
            utilization: est(0.5, Some([0.4, 0.6])),
            wait_days: est(0.1, None),
            arrivals_per_day: est(2.0, None),
            ..resource(
                "a",
                ResourceKind::Station,
                Detail::Node(NodeKind::RailTerminal),
                None,
                None,
            )
        };
        let leg = ResourceSummary {
            utilization: est(0.25, None),
            arrivals_per_day: est(1.5, None),
            ..resource(
                "a-b",
                ResourceKind::Rail,
                Detail::Leg(Mode::Rail),
                Some("b"),
                Some("a"),
            )
        };
        let transit = Transit {
            mean: f64::NAN,
            ci95: None,
            p50: None,
            p95: None,
            trains: 0,
        };
        let summary = Summary {
            scenario: "s".into(),
            description: String::new(),
            seed: 1,
            replications: 3,
            horizon_days: 10.0,
            warmup_days: 0.0,
            window_days: 10.0,
            overall: Overall {
                offered_trains: none,
                delivered_trains: none,
                in_system_trains: none,
                in_system_age_days: none,
                backlog_delivered_trains: none,
                offered_trains_per_week: none,
                delivered_trains_per_week: none,
                transit_days: transit,
                teu_delivered: none,
                tonnes_delivered: none,
            },
            flows: Vec::new(),
            resources: vec![station, leg],
            events_per_replication: 0.0,
            saturation: None,
            notices: Vec::new(),
            classes: Vec::new(),
            sensitivity: Vec::new(),
            storage: Vec::new(),
            embargoes: Vec::new(),
        };
        // The summary goes through its file form, as `export-geojson DIR` reads it.
        let summary: Summary = serde_json::from_str(&crate::schema::to_json(&summary)).unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&feature_collection(&network(), Some(&summary))).unwrap();
        let f = v["features"].as_array().unwrap();
        assert_eq!(f[0]["properties"]["utilization"], 0.5);
        assert_eq!(
            f[0]["properties"]["utilization_ci95"],
            serde_json::json!([0.4, 0.6])
        );
        assert_eq!(f[1]["properties"]["utilization"], serde_json::Value::Null);
        assert_eq!(f[2]["properties"]["trains_per_day"], 1.5);
        assert_eq!(f[2]["properties"]["trains_per_day_from_to"], 0.0);
        assert_eq!(f[2]["properties"]["utilization_to_from"], 0.25);
        assert_eq!(
            f[2]["properties"]["utilization_from_to"],
            serde_json::Value::Null
        );
    }
}
