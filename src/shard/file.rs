//! The partial file's records: the `sim` result types mirrored field for field, with
//! floats as bit patterns.

use serde::{Deserialize, Serialize, Serializer};

use super::{FORMAT, Inputs, Partial, ShardHeader, bits};
use crate::sim::{
    ClassWait, EmbargoResult, FlowResult, ReplicationResult, ResourceResult, RouteResult,
    Saturation, StoreResult,
};
use crate::stats::{GridSummary, Histogram};

/// The file as written: borrows the partial, converting one replication at a time.
#[derive(Serialize)]
pub(super) struct FileOut<'a> {
    format: &'static str,
    header: &'a ShardHeader,
    inputs: &'a Inputs,
    pooled: Vec<HistRecord>,
    pooled_routes: Vec<Vec<HistRecord>>,
    series: Option<Vec<CellRecord>>,
    replications: RepsOut<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    points: Vec<PointOut<'a>>,
    #[serde(skip_serializing_if = "<[Inputs]>::is_empty")]
    alternatives: &'a [Inputs],
}

/// One sweep value's output, as written.
#[derive(Serialize)]
struct PointOut<'a> {
    pooled: Vec<HistRecord>,
    pooled_routes: Vec<Vec<HistRecord>>,
    replications: RepsOut<'a>,
}

impl<'a> PointOut<'a> {
    fn new(out: &'a crate::montecarlo::RunOutput) -> PointOut<'a> {
        PointOut {
            pooled: out.pooled.iter().map(HistRecord::of).collect(),
            pooled_routes: out
                .pooled_routes
                .iter()
                .map(|r| r.iter().map(HistRecord::of).collect())
                .collect(),
            replications: RepsOut(&out.replications),
        }
    }
}

/// One sweep value's output, as read.
#[derive(Deserialize)]
pub(super) struct PointIn {
    pub(super) pooled: Vec<HistRecord>,
    pub(super) pooled_routes: Vec<Vec<HistRecord>>,
    pub(super) replications: Vec<RepRecord>,
}

impl<'a> FileOut<'a> {
    pub(super) fn new(p: &'a Partial) -> FileOut<'a> {
        FileOut {
            format: FORMAT,
            header: &p.header,
            inputs: &p.inputs,
            pooled: p.output.pooled.iter().map(HistRecord::of).collect(),
            pooled_routes: p
                .output
                .pooled_routes
                .iter()
                .map(|r| r.iter().map(HistRecord::of).collect())
                .collect(),
            series: p.output.series.as_ref().map(|g| {
                g.to_parts()
                    .into_iter()
                    .map(|(n, sum, sum_sq, hist)| CellRecord(n, sum, sum_sq, hist))
                    .collect()
            }),
            replications: RepsOut(&p.output.replications),
            points: p.points.iter().map(PointOut::new).collect(),
            alternatives: &p.alternatives,
        }
    }
}

struct RepsOut<'a>(&'a [ReplicationResult]);

impl Serialize for RepsOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(RepRecord::of))
    }
}

/// The file as read.
#[derive(Deserialize)]
pub(super) struct FileIn {
    pub(super) format: String,
    pub(super) header: ShardHeader,
    pub(super) inputs: Inputs,
    pub(super) pooled: Vec<HistRecord>,
    pub(super) pooled_routes: Vec<Vec<HistRecord>>,
    #[serde(default)]
    pub(super) series: Option<Vec<CellRecord>>,
    pub(super) replications: Vec<RepRecord>,
    #[serde(default)]
    pub(super) points: Vec<PointIn>,
    #[serde(default)]
    pub(super) alternatives: Vec<Inputs>,
}

/// One cell of the time-series summary: count, fixed-point sums, histogram bins.
#[derive(Serialize, Deserialize)]
pub(super) struct CellRecord(u64, i128, i128, Vec<(usize, u64)>);

/// The time-series summary as read, if the file holds a valid one.
pub(super) fn series_of(cells: Option<Vec<CellRecord>>) -> Result<Option<GridSummary>, ()> {
    cells
        .map(|c| {
            GridSummary::from_parts(
                c.into_iter()
                    .map(|CellRecord(n, s, q, h)| (n, s, q, h))
                    .collect(),
            )
            .ok_or(())
        })
        .transpose()
}

/// A histogram as its non-empty bins.
#[derive(Serialize, Deserialize)]
pub(super) struct HistRecord(pub(super) Vec<(usize, u64)>);

impl HistRecord {
    fn of(h: &Histogram) -> HistRecord {
        HistRecord(h.to_sparse())
    }
}

// The records below mirror the `sim` result types field for field; the conversions
// destructure them whole, so a field added there fails to compile here until it is
// saved too.

#[derive(Serialize, Deserialize)]
pub(super) struct RepRecord {
    pub(super) index: u64,
    events: u64,
    flows: Vec<FlowRecord>,
    resources: Vec<ResourceRecord>,
    #[serde(with = "bits")]
    transit_p50_days: f64,
    #[serde(with = "bits")]
    transit_p95_days: f64,
    #[serde(default)]
    saturated: Option<SaturationRecord>,
    /// Waits per train class and resource (absent without classes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    class_waits: Vec<Vec<ClassWaitRecord>>,
    /// The uncertain inputs' drawn values, as bit patterns (absent without any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    inputs: Vec<u64>,
    /// Per storage limit (absent without limits).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    stores: Vec<StoreRecord>,
    /// Per embargo (absent without).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    embargoes: Vec<EmbargoRecord>,
}

/// An embargo in one replication (floats exact).
#[derive(Serialize, Deserialize)]
struct EmbargoRecord {
    episodes: u64,
    #[serde(with = "bits")]
    days: f64,
    held: u64,
    holds_ended: u64,
    #[serde(with = "bits")]
    hold_sum_days: f64,
    #[serde(with = "bits")]
    censored_hold_sum_days: f64,
}

impl EmbargoRecord {
    fn of(e: &EmbargoResult) -> EmbargoRecord {
        let EmbargoResult {
            episodes,
            days,
            held,
            holds_ended,
            hold_sum_days,
            censored_hold_sum_days,
        } = *e;
        EmbargoRecord {
            episodes,
            days,
            held,
            holds_ended,
            hold_sum_days,
            censored_hold_sum_days,
        }
    }

    fn into_result(self) -> EmbargoResult {
        let EmbargoRecord {
            episodes,
            days,
            held,
            holds_ended,
            hold_sum_days,
            censored_hold_sum_days,
        } = self;
        EmbargoResult {
            episodes,
            days,
            held,
            holds_ended,
            hold_sum_days,
            censored_hold_sum_days,
        }
    }
}

/// A node's storage limit in one replication (floats exact).
#[derive(Serialize, Deserialize)]
struct StoreRecord {
    arrivals: u64,
    held: u64,
    holds_ended: u64,
    #[serde(with = "bits")]
    hold_sum_days: f64,
    refused: u64,
    #[serde(with = "bits")]
    full_share: f64,
    #[serde(with = "bits")]
    held_mean: f64,
    #[serde(with = "bits")]
    occupancy_mean: f64,
}

impl StoreRecord {
    fn of(s: &StoreResult) -> StoreRecord {
        let StoreResult {
            arrivals,
            held,
            holds_ended,
            hold_sum_days,
            refused,
            full_share,
            held_mean,
            occupancy_mean,
        } = *s;
        StoreRecord {
            arrivals,
            held,
            holds_ended,
            hold_sum_days,
            refused,
            full_share,
            held_mean,
            occupancy_mean,
        }
    }

    fn into_result(self) -> StoreResult {
        let StoreRecord {
            arrivals,
            held,
            holds_ended,
            hold_sum_days,
            refused,
            full_share,
            held_mean,
            occupancy_mean,
        } = self;
        StoreResult {
            arrivals,
            held,
            holds_ended,
            hold_sum_days,
            refused,
            full_share,
            held_mean,
            occupancy_mean,
        }
    }
}

/// The waits of one train class at one resource (floats exact).
#[derive(Serialize, Deserialize)]
struct ClassWaitRecord {
    waits: u64,
    #[serde(with = "bits")]
    wait_sum_days: f64,
}

/// Where and when a replication saturated (floats exact).
#[derive(Serialize, Deserialize)]
struct SaturationRecord {
    #[serde(with = "bits")]
    day: f64,
    trains_in_system: u64,
    resource: Option<u32>,
}

#[derive(Serialize, Deserialize)]
struct FlowRecord {
    offered: u64,
    delivered: u64,
    in_system: u64,
    /// Trains turned away by a full node (absent when none).
    #[serde(default, skip_serializing_if = "is_zero_count")]
    refused: u64,
    completed: u64,
    #[serde(with = "bits")]
    transit_sum_days: f64,
    #[serde(with = "bits")]
    teu_delivered: f64,
    #[serde(with = "bits")]
    tonnes_delivered: f64,
    transit: HistRecord,
    #[serde(with = "bits")]
    transit_p50_days: f64,
    #[serde(with = "bits")]
    transit_p95_days: f64,
    routes: Vec<RouteRecord>,
    initial_delivered: u64,
    #[serde(with = "bits")]
    in_system_age_sum_days: f64,
    #[serde(with = "bits")]
    in_system_age_max_days: f64,
}

#[derive(Serialize, Deserialize)]
struct RouteRecord {
    delivered: u64,
    in_system: u64,
    #[serde(with = "bits")]
    transit_sum_days: f64,
    transit: HistRecord,
}

#[derive(Serialize, Deserialize)]
struct ResourceRecord {
    arrivals: u64,
    waits: u64,
    #[serde(with = "bits")]
    wait_sum_days: f64,
    #[serde(with = "bits")]
    utilization: f64,
    #[serde(with = "bits")]
    queue_mean: f64,
    #[serde(with = "bits")]
    in_service_mean: f64,
    #[serde(with = "bits")]
    closed_share: f64,
    sailings: u64,
    wagons: u64,
    censored_waits: u64,
    #[serde(with = "bits")]
    censored_wait_sum_days: f64,
    /// Vessel availability only (absent from the shards of other models).
    #[serde(default, with = "bits", skip_serializing_if = "is_zero")]
    vessel_days_absent: f64,
    /// Timetabled ferries only, when a sailing found no vessel.
    #[serde(default, skip_serializing_if = "is_zero_count")]
    sailings_without_vessel: u64,
    /// Shared decks only.
    #[serde(default, skip_serializing_if = "is_zero_count")]
    road_units: u64,
}

fn is_zero(x: &f64) -> bool {
    x.to_bits() == 0
}

fn is_zero_count(x: &u64) -> bool {
    *x == 0
}

impl RepRecord {
    fn of(r: &ReplicationResult) -> RepRecord {
        let ReplicationResult {
            index,
            events,
            flows,
            resources,
            transit_p50_days,
            transit_p95_days,
            saturated,
            series: _,
            class_waits,
            inputs,
            stores,
            embargoes,
        } = r;
        RepRecord {
            index: *index,
            events: *events,
            flows: flows.iter().map(FlowRecord::of).collect(),
            resources: resources.iter().map(ResourceRecord::of).collect(),
            transit_p50_days: *transit_p50_days,
            transit_p95_days: *transit_p95_days,
            saturated: saturated.as_ref().map(|s| SaturationRecord {
                day: s.day,
                trains_in_system: s.trains_in_system,
                resource: s.resource,
            }),
            class_waits: class_waits
                .iter()
                .map(|c| {
                    c.iter()
                        .map(|w| ClassWaitRecord {
                            waits: w.waits,
                            wait_sum_days: w.wait_sum_days,
                        })
                        .collect()
                })
                .collect(),
            inputs: inputs.iter().map(|x| x.to_bits()).collect(),
            stores: stores.iter().map(StoreRecord::of).collect(),
            embargoes: embargoes.iter().map(EmbargoRecord::of).collect(),
        }
    }

    pub(super) fn into_result(self) -> Option<ReplicationResult> {
        let RepRecord {
            index,
            events,
            flows,
            resources,
            transit_p50_days,
            transit_p95_days,
            saturated,
            class_waits,
            inputs,
            stores,
            embargoes,
        } = self;
        Some(ReplicationResult {
            index,
            events,
            flows: flows
                .into_iter()
                .map(FlowRecord::into_result)
                .collect::<Option<_>>()?,
            resources: resources
                .into_iter()
                .map(ResourceRecord::into_result)
                .collect(),
            transit_p50_days,
            transit_p95_days,
            saturated: saturated.map(|s| Saturation {
                day: s.day,
                trains_in_system: s.trains_in_system,
                resource: s.resource,
            }),
            series: None,
            class_waits: class_waits
                .into_iter()
                .map(|c| {
                    c.into_iter()
                        .map(|w| ClassWait {
                            waits: w.waits,
                            wait_sum_days: w.wait_sum_days,
                        })
                        .collect()
                })
                .collect(),
            inputs: inputs.into_iter().map(f64::from_bits).collect(),
            stores: stores.into_iter().map(StoreRecord::into_result).collect(),
            embargoes: embargoes
                .into_iter()
                .map(EmbargoRecord::into_result)
                .collect(),
        })
    }
}

impl FlowRecord {
    fn of(f: &FlowResult) -> FlowRecord {
        let FlowResult {
            offered,
            delivered,
            in_system,
            refused,
            completed,
            transit_sum_days,
            teu_delivered,
            tonnes_delivered,
            transit,
            transit_p50_days,
            transit_p95_days,
            routes,
            initial_delivered,
            in_system_age_sum_days,
            in_system_age_max_days,
        } = f;
        FlowRecord {
            offered: *offered,
            delivered: *delivered,
            in_system: *in_system,
            refused: *refused,
            completed: *completed,
            transit_sum_days: *transit_sum_days,
            teu_delivered: *teu_delivered,
            tonnes_delivered: *tonnes_delivered,
            transit: HistRecord::of(transit),
            transit_p50_days: *transit_p50_days,
            transit_p95_days: *transit_p95_days,
            routes: routes.iter().map(RouteRecord::of).collect(),
            initial_delivered: *initial_delivered,
            in_system_age_sum_days: *in_system_age_sum_days,
            in_system_age_max_days: *in_system_age_max_days,
        }
    }

    fn into_result(self) -> Option<FlowResult> {
        let FlowRecord {
            offered,
            delivered,
            in_system,
            refused,
            completed,
            transit_sum_days,
            teu_delivered,
            tonnes_delivered,
            transit,
            transit_p50_days,
            transit_p95_days,
            routes,
            initial_delivered,
            in_system_age_sum_days,
            in_system_age_max_days,
        } = self;
        Some(FlowResult {
            offered,
            delivered,
            in_system,
            refused,
            completed,
            transit_sum_days,
            teu_delivered,
            tonnes_delivered,
            transit: Histogram::from_sparse(&transit.0)?,
            transit_p50_days,
            transit_p95_days,
            routes: routes
                .into_iter()
                .map(RouteRecord::into_result)
                .collect::<Option<_>>()?,
            initial_delivered,
            in_system_age_sum_days,
            in_system_age_max_days,
        })
    }
}

impl RouteRecord {
    fn of(r: &RouteResult) -> RouteRecord {
        let RouteResult {
            delivered,
            in_system,
            transit_sum_days,
            transit,
        } = r;
        RouteRecord {
            delivered: *delivered,
            in_system: *in_system,
            transit_sum_days: *transit_sum_days,
            transit: HistRecord::of(transit),
        }
    }

    fn into_result(self) -> Option<RouteResult> {
        let RouteRecord {
            delivered,
            in_system,
            transit_sum_days,
            transit,
        } = self;
        Some(RouteResult {
            delivered,
            in_system,
            transit_sum_days,
            transit: Histogram::from_sparse(&transit.0)?,
        })
    }
}

impl ResourceRecord {
    fn of(r: &ResourceResult) -> ResourceRecord {
        let ResourceResult {
            arrivals,
            waits,
            wait_sum_days,
            utilization,
            queue_mean,
            in_service_mean,
            closed_share,
            sailings,
            wagons,
            censored_waits,
            censored_wait_sum_days,
            vessel_days_absent,
            sailings_without_vessel,
            road_units,
        } = r;
        ResourceRecord {
            arrivals: *arrivals,
            waits: *waits,
            wait_sum_days: *wait_sum_days,
            utilization: *utilization,
            queue_mean: *queue_mean,
            in_service_mean: *in_service_mean,
            closed_share: *closed_share,
            sailings: *sailings,
            wagons: *wagons,
            censored_waits: *censored_waits,
            censored_wait_sum_days: *censored_wait_sum_days,
            vessel_days_absent: *vessel_days_absent,
            sailings_without_vessel: *sailings_without_vessel,
            road_units: *road_units,
        }
    }

    fn into_result(self) -> ResourceResult {
        let ResourceRecord {
            arrivals,
            waits,
            wait_sum_days,
            utilization,
            queue_mean,
            in_service_mean,
            closed_share,
            sailings,
            wagons,
            censored_waits,
            censored_wait_sum_days,
            vessel_days_absent,
            sailings_without_vessel,
            road_units,
        } = self;
        ResourceResult {
            arrivals,
            waits,
            wait_sum_days,
            utilization,
            queue_mean,
            in_service_mean,
            closed_share,
            sailings,
            wagons,
            censored_waits,
            censored_wait_sum_days,
            vessel_days_absent,
            sailings_without_vessel,
            road_units,
        }
    }
}
