//! Serde types that mirror the input files one to one (the file format).
//!
//! Every table carries `deny_unknown_fields`, so a misspelt key fails loudly. Values
//! that later checks may complain about are wrapped in [`Spanned`], so the complaint
//! can name the line and column.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_spanned::Spanned;

use crate::dist::DistParams;
use crate::network;
use crate::scenario;

/// Declares the file form of a domain enum (snake_case names, as written in files)
/// and its conversion into the domain type, so the domain modules know no serde.
macro_rules! file_enum {
    ($(#[$doc:meta])* $name:ident => $domain:path { $($(#[$vdoc:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl From<$name> for $domain {
            fn from(v: $name) -> $domain {
                match v {
                    $($name::$variant => <$domain>::$variant),+
                }
            }
        }
    };
}

/// A `{ dist = ... }` table, as written in a file (see [`DistParams`] for the meaning
/// of each field).
#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(tag = "dist", rename_all = "snake_case", deny_unknown_fields)]
#[allow(missing_docs)]
pub enum DistSpec {
    Fixed { value: f64 },
    Exponential { mean: f64 },
    Uniform { min: f64, max: f64 },
    Triangular { min: f64, mode: f64, max: f64 },
    Normal { mean: f64, sd: f64 },
    Lognormal { mean: f64, cv: f64 },
    Empirical { values: Vec<f64> },
}

impl From<DistSpec> for DistParams {
    fn from(d: DistSpec) -> DistParams {
        match d {
            DistSpec::Fixed { value } => DistParams::Fixed { value },
            DistSpec::Exponential { mean } => DistParams::Exponential { mean },
            DistSpec::Uniform { min, max } => DistParams::Uniform { min, max },
            DistSpec::Triangular { min, mode, max } => DistParams::Triangular { min, mode, max },
            DistSpec::Normal { mean, sd } => DistParams::Normal { mean, sd },
            DistSpec::Lognormal { mean, cv } => DistParams::Lognormal { mean, cv },
            DistSpec::Empirical { values } => DistParams::Empirical { values },
        }
    }
}

file_enum! {
    /// `kind` of a node.
    NodeKind => network::NodeKind {
        /// A rail terminal or yard.
        RailTerminal,
        /// A sea port.
        SeaPort,
        /// A border crossing.
        BorderCrossing,
        /// A point where rail gauge changes.
        GaugeChange,
        /// A junction without handling of its own.
        Junction,
        /// A road terminal.
        RoadTerminal,
    }
}

file_enum! {
    /// `mode` of a leg.
    Mode => network::Mode {
        /// Rail line section.
        Rail,
        /// Sea crossing served by a ferry service.
        Sea,
        /// Road leg.
        Road,
    }
}

file_enum! {
    /// `gauge_change` method of a gauge-change point.
    GaugeChangeMethod => network::GaugeChangeMethod {
        /// Containers are lifted onto wagons of the other gauge.
        Transshipment,
        /// Wagons get bogies of the other gauge.
        BogieExchange,
    }
}

file_enum! {
    /// `route_by`: what "best" means for a route.
    Criterion => scenario::Criterion {
        /// Least expected days.
        Time,
        /// Least USD per TEU.
        Cost,
        /// Least kg CO2 per TEU.
        Co2,
    }
}

/// A network file: `networks/*.toml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "corridor network file")]
pub struct NetworkFile {
    /// Name and description of the network.
    #[serde(default)]
    pub network: NetworkMeta,
    /// The nodes: terminals, ports, border crossings, gauge-change points, junctions.
    #[serde(default, rename = "node")]
    pub nodes: Vec<NodeSpec>,
    /// The legs between nodes.
    #[serde(default, rename = "leg")]
    pub legs: Vec<LegSpec>,
}

/// The `[network]` table.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkMeta {
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Free text.
    #[serde(default)]
    pub description: String,
}

/// One `[[node]]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NodeSpec {
    /// Unique id (letters, digits, `_` and `-`), used by legs, flows and results.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Display name (defaults to the id).
    pub name: Option<String>,
    /// ISO 3166 country code.
    #[serde(default)]
    pub country: String,
    /// Latitude (degrees north).
    #[schemars(with = "f64")]
    pub lat: Spanned<NumSpec>,
    /// Longitude (degrees east).
    #[schemars(with = "f64")]
    pub lon: Spanned<NumSpec>,
    /// What the node is.
    #[schemars(with = "NodeKind")]
    pub kind: Spanned<NodeKind>,
    /// Handling tariff (USD per TEU) (default 0).
    #[schemars(with = "Option<f64>")]
    pub handling_usd_per_teu: Option<Spanned<NumSpec>>,
    /// The handling resource every passing train uses; omit for a plain waypoint.
    pub resource: Option<ResourceSpec>,
    /// How many wagons (or TEU) the node holds at once; omit for no limit.
    #[schemars(with = "Option<StorageSpec>")]
    pub storage: Option<Spanned<StorageSpec>>,
}

file_enum! {
    /// `when_full`: what a full node does with an arriving train.
    WhenFull => network::WhenFull {
        /// The train waits where it is (keeping a station's server, if it comes
        /// from one) until the node has room, first come first served.
        Hold,
        /// The train is turned away and counted as refused.
        Refuse,
    }
}

/// A node's `storage = { ... }`: the wagons (or TEU) of the trains at the node (at
/// its resource, waiting or served, and at its ferry berth until their last wagon
/// sails) may not pass a limit.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StorageSpec {
    /// Wagons the node holds at once (give this or `teu`).
    #[schemars(with = "Option<i64>")]
    pub wagons: Option<Spanned<i64>>,
    /// TEU the node holds at once (give this or `wagons`).
    #[schemars(with = "Option<f64>")]
    pub teu: Option<Spanned<f64>>,
    /// What happens to a train arriving at a full node (default `hold`).
    pub when_full: Option<WhenFull>,
}

/// A node's `[node.resource]`: parallel servers with one FIFO queue.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceSpec {
    /// Parallel servers: tracks, berths, inspection lanes (>= 1); may be a range.
    #[schemars(with = "NumSpec")]
    pub servers: Spanned<NumSpec>,
    /// Time one train occupies a server (days).
    #[schemars(with = "DurationSpec")]
    pub service_days: Spanned<DurationSpec>,
    /// Gauge-change points only: how the gauge is changed.
    pub gauge_change: Option<GaugeChangeMethod>,
}

/// One `[[leg]]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LegSpec {
    /// Unique id; defaults to `FROM-TO`.
    #[schemars(with = "Option<String>")]
    pub id: Option<Spanned<String>>,
    /// Start node id.
    #[schemars(with = "String")]
    pub from: Spanned<String>,
    /// End node id.
    #[schemars(with = "String")]
    pub to: Spanned<String>,
    /// `rail`, `sea` or `road`.
    #[schemars(with = "Mode")]
    pub mode: Spanned<Mode>,
    /// Length (km).
    #[schemars(with = "f64")]
    pub length_km: Spanned<NumSpec>,
    /// Travel time (days) (rail and road legs; sea legs use `ferry.sailing_days`).
    #[schemars(with = "Option<DurationSpec>")]
    pub travel_days: Option<Spanned<DurationSpec>>,
    /// Rail legs: trains per day per direction (omit for no limit); may be a range.
    #[schemars(with = "Option<NumSpec>")]
    pub capacity_trains_per_day: Option<Spanned<NumSpec>>,
    /// Road legs: trucks per day per direction (omit for no limit); may be a range.
    #[schemars(with = "Option<NumSpec>")]
    pub capacity_trucks_per_day: Option<Spanned<NumSpec>>,
    /// Road legs: TEU per truck (default 2, one 40-foot container).
    #[schemars(with = "Option<f64>")]
    pub teu_per_truck: Option<Spanned<NumSpec>>,
    /// Rail legs: gauge (mm), 1435 or 1520.
    #[schemars(with = "Option<i64>")]
    pub gauge_mm: Option<Spanned<i64>>,
    /// Tariff (USD per TEU) (default 0).
    #[schemars(with = "Option<f64>")]
    pub tariff_usd_per_teu: Option<Spanned<NumSpec>>,
    /// Emissions (kg CO2 per TEU-km) (default 0).
    #[schemars(with = "Option<f64>")]
    pub co2_kg_per_teu_km: Option<Spanned<NumSpec>>,
    /// True if the leg runs only from `from` to `to` (default false: both ways).
    #[serde(default)]
    pub one_way: bool,
    /// Sea legs: the ferry service.
    pub ferry: Option<FerrySpec>,
}

/// A sea leg's `[leg.ferry]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FerrySpec {
    /// Vessels in the fleet (>= 1) (omit when `classes` is given); may be a range.
    #[schemars(with = "Option<NumSpec>")]
    pub vessels: Option<Spanned<NumSpec>>,
    /// Rail wagons one sailing carries (>= 1) (omit when `classes` is given); may be a
    /// range.
    #[schemars(with = "Option<NumSpec>")]
    pub wagons_per_sailing: Option<Spanned<NumSpec>>,
    /// TEU one sailing carries, if that limits too; may be a range.
    #[schemars(with = "Option<NumSpec>")]
    pub teu_per_sailing: Option<Spanned<NumSpec>>,
    /// When a vessel leaves port.
    #[schemars(with = "DepartureSpec")]
    pub departure: Spanned<DepartureSpec>,
    /// Sailing time (days).
    #[schemars(with = "DurationSpec")]
    pub sailing_days: Spanned<DurationSpec>,
    /// From arrival until ready to load again: at the far port for a two-way service,
    /// back at the home port for a one-way service (includes the return trip) (days).
    #[schemars(with = "DurationSpec")]
    pub turnaround_days: Spanned<DurationSpec>,
    /// Weather closures of the crossing.
    pub weather: Option<WeatherSpec>,
    /// The fleet as vessel classes (instead of `vessels`, `wagons_per_sailing` and
    /// `teu_per_sailing`).
    #[schemars(with = "Option<Vec<VesselClassSpec>>")]
    pub classes: Option<Spanned<Vec<VesselClassSpec>>>,
    /// Share of a class's deadweight a sailing may load (draft), above 0 and at most 1
    /// (default 1); may be a range.
    #[schemars(with = "Option<NumSpec>")]
    pub load_factor: Option<Spanned<NumSpec>>,
    /// Monthly factors on `load_factor`, 12 numbers (January first), each above 0 and
    /// at most 1.
    #[schemars(with = "Option<Vec<f64>>")]
    pub load_factor_by_month: Option<Spanned<Vec<f64>>>,
    /// Vessels leaving service at random (dry dock, other trades).
    pub availability: Option<AvailabilitySpec>,
    /// Road units sharing the decks.
    pub road: Option<RoadSpec>,
}

/// A ferry's `[leg.ferry.road]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoadSpec {
    /// Road units arriving per day at each port the service sails from.
    #[schemars(with = "f64")]
    pub units_per_day: Spanned<f64>,
    /// Deck room one road unit takes, in rail wagons.
    #[schemars(with = "f64")]
    pub wagon_equivalents: Spanned<f64>,
    /// Tonnes one road unit weighs against a vessel class's deadweight (default 0: not
    /// weighed).
    #[schemars(with = "Option<f64>")]
    pub tonnes_per_unit: Option<Spanned<f64>>,
    /// `rail_first` (default: wagons board first, road units fill the deck left) or
    /// `road_first`.
    #[schemars(with = "Option<String>")]
    pub loading: Option<Spanned<String>>,
    /// `poisson` (default) or `timetable` (evenly spaced).
    #[schemars(with = "Option<String>")]
    pub arrivals: Option<Spanned<String>>,
}

/// A ferry's `[leg.ferry.availability]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AvailabilitySpec {
    /// Absences of one vessel per year in service (Poisson); it leaves when next idle
    /// in port.
    #[schemars(with = "f64")]
    pub absences_per_year: Spanned<f64>,
    /// Length of one absence (days).
    #[schemars(with = "DurationSpec")]
    pub absence_days: Spanned<DurationSpec>,
}

/// One `[[leg.ferry.classes]]` entry: a class of vessels.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VesselClassSpec {
    /// Vessels of the class (>= 1).
    #[schemars(with = "i64")]
    pub count: Spanned<i64>,
    /// Rail wagons on deck (>= 1).
    #[schemars(with = "i64")]
    pub wagons: Spanned<i64>,
    /// TEU slots on deck, if that limits too.
    #[schemars(with = "Option<f64>")]
    pub teu: Option<Spanned<f64>>,
    /// Deadweight (tonnes), if weight limits too.
    #[schemars(with = "Option<f64>")]
    pub deadweight_t: Option<Spanned<f64>>,
    /// Tare of one rail wagon (tonnes) counted against the deadweight (default 0).
    #[schemars(with = "Option<f64>")]
    pub tare_t_per_wagon: Option<Spanned<f64>>,
}

/// A ferry's departure rule.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum DepartureSpec {
    /// Sailings every `every_days`, the first at `first_days` (default `every_days`).
    Timetable {
        /// Interval between sailings (days).
        every_days: f64,
        /// Time of the first sailing (days).
        first_days: Option<f64>,
    },
    /// Leave when full, or `max_wait_days` after the first wagon boarded.
    WhenFull {
        /// Longest a loaded vessel waits for more cargo (days).
        max_wait_days: f64,
    },
}

/// A ferry's `[leg.ferry.weather]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WeatherSpec {
    /// Mean closures per year (Poisson; may be a range). Give this or
    /// `closures_per_year_by_month`.
    #[schemars(with = "Option<NumSpec>")]
    pub closures_per_year: Option<Spanned<NumSpec>>,
    /// Seasonal storms: closures per year while each calendar month lasts (12
    /// numbers, January first), instead of `closures_per_year`.
    #[schemars(with = "Option<Vec<f64>>")]
    pub closures_per_year_by_month: Option<Spanned<Vec<f64>>>,
    /// Length of one closure (days).
    #[schemars(with = "DurationSpec")]
    pub closure_days: Spanned<DurationSpec>,
}

/// A duration (days): a plain number (fixed) or a distribution table, whose draws may
/// carry an uncertain factor (`scale = { min, mode, max }`).
#[derive(Clone, Debug, PartialEq)]
pub enum DurationSpec {
    /// A plain number.
    Fixed(f64),
    /// A `{ dist = ... }` table.
    Dist(DistSpec),
    /// A `{ dist = ..., scale = { min, mode, max } }` table: each replication draws a
    /// factor from the range and multiplies every draw of the distribution by it.
    Scaled {
        /// The distribution.
        dist: DistSpec,
        /// The range of the factor.
        scale: RangeSpec,
    },
    /// A `{ min, mode, max }` table without `dist`: an uncertain number (where a
    /// number is expected, e.g. an override's `value`).
    Range(RangeSpec),
}

impl<'de> Deserialize<'de> for DurationSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DurationSpec;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(
                    "a number of days or a table like { dist = \"exponential\", mean = 1.5 }",
                )
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DurationSpec, E> {
                Ok(DurationSpec::Fixed(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DurationSpec, E> {
                Ok(DurationSpec::Fixed(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DurationSpec, E> {
                Ok(DurationSpec::Fixed(v as f64))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DurationSpec, A::Error> {
                let mut table =
                    toml::Table::deserialize(de::value::MapAccessDeserializer::new(map))?;
                if !table.contains_key("dist") {
                    return RangeSpec::deserialize(toml::Value::Table(table))
                        .map(DurationSpec::Range)
                        .map_err(|e| de::Error::custom(e.message()));
                }
                let scale = table.remove("scale");
                let dist = DistSpec::deserialize(toml::Value::Table(table))
                    .map_err(|e| de::Error::custom(e.message()))?;
                match scale {
                    None => Ok(DurationSpec::Dist(dist)),
                    Some(s) => RangeSpec::deserialize(s)
                        .map(|scale| DurationSpec::Scaled { dist, scale })
                        .map_err(|e| de::Error::custom(format!("`scale`: {}", e.message()))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for DurationSpec {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let dist = generator.subschema_for::<DistSpec>();
        let range = generator.subschema_for::<RangeSpec>();
        json_schema!({
            "description": "A duration in days: a plain number (fixed) or a distribution table; a distribution table may add `scale = { min, mode, max }`, an uncertain factor on its draws drawn once per replication.",
            "anyOf": [
                { "type": "number", "minimum": 0 },
                dist,
                {
                    "description": "A distribution table (the fields of one of the forms above) with `scale`, an uncertain factor on its draws.",
                    "type": "object",
                    "required": ["dist", "scale"],
                    "properties": { "dist": { "type": "string" }, "scale": range }
                }
            ]
        })
    }
}

/// An uncertain number: `{ min = A, mode = B, max = C }` (triangular) or `{ min = A,
/// max = B }` (uniform), drawn once per replication; its point value (the mode, or
/// the midpoint) is used with `--inputs fixed`.
#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RangeSpec {
    /// Smallest value.
    pub min: f64,
    /// Most likely value (triangular); omit for a uniform range.
    pub mode: Option<f64>,
    /// Largest value.
    pub max: f64,
}

/// A number that may be given as a range: a plain number, or a [`RangeSpec`] table.
#[derive(Clone, Debug, PartialEq)]
pub enum NumSpec {
    /// A plain number.
    Value(f64),
    /// A range, drawn once per replication.
    Range(RangeSpec),
}

impl<'de> Deserialize<'de> for NumSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = NumSpec;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number or a range like { min = 4, mode = 6, max = 8 }")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<NumSpec, E> {
                Ok(NumSpec::Value(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<NumSpec, E> {
                Ok(NumSpec::Value(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<NumSpec, E> {
                Ok(NumSpec::Value(v as f64))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<NumSpec, A::Error> {
                RangeSpec::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(NumSpec::Range)
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for NumSpec {
    fn schema_name() -> Cow<'static, str> {
        "Number".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let range = generator.subschema_for::<RangeSpec>();
        json_schema!({
            "description": "A number, or a range drawn once per replication: { min, mode, max } (triangular) or { min, max } (uniform).",
            "anyOf": [ { "type": "number" }, range ]
        })
    }
}

/// A scenario file: `scenarios/*.toml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "corridor scenario file")]
pub struct ScenarioFile {
    /// Another scenario file this one extends (relative to this file): everything is
    /// inherited, flows with the same id are replaced and new ones added, overrides and
    /// disruptions are added after the base's.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub extends: Option<Spanned<String>>,
    /// Short name; results go to `results/<name>/` by default.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// Free text.
    #[serde(default)]
    pub description: String,
    /// The network file, relative to this scenario file.
    #[schemars(with = "String")]
    pub network: Spanned<String>,
    /// Simulated time (days), warm-up included.
    #[schemars(with = "f64")]
    pub horizon_days: Spanned<f64>,
    /// Initial period whose observations are discarded (days).
    #[schemars(with = "f64")]
    pub warmup_days: Spanned<f64>,
    /// Independent replications.
    #[schemars(with = "i64")]
    pub replications: Spanned<i64>,
    /// Master seed; replication i uses stream i of it.
    #[schemars(with = "i64")]
    pub seed: Spanned<i64>,
    /// Demand flows.
    #[serde(default, rename = "flow")]
    pub flows: Vec<FlowSpec>,
    /// Changes to network parameters.
    #[serde(default, rename = "override")]
    pub overrides: Vec<OverrideSpec>,
    /// Closures of nodes or legs.
    #[serde(default, rename = "disruption")]
    pub disruptions: Vec<DisruptionSpec>,
    /// A sweep run by `corridor sweep` when no `--param` is given.
    pub sweep: Option<SweepSpec>,
    /// The date of day 0 (`YYYY-MM-DD`); dated inputs may then be given as dates, and
    /// outputs carry dates.
    #[schemars(with = "Option<String>")]
    pub start_date: Option<Spanned<String>>,
    /// Results over time, grouped by `month`, `week` or a number of days (default:
    /// `month` when a start date is given, else no time series).
    #[schemars(with = "Option<DaySpec>")]
    pub period: Option<Spanned<DaySpec>>,
    /// Trains already waiting in the corridor at day 0.
    #[serde(default)]
    pub backlog: Vec<BacklogSpec>,
    /// Train classes, highest priority first (e.g. `["express", "regular", "bulk"]`):
    /// every station, line section and port serves waiting trains of a higher class
    /// first, first come first served within a class, without interrupting a train
    /// in service.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub classes: Vec<Spanned<String>>,
    /// Embargoes: rules that stop dispatching trains towards a node while its
    /// backlog is high.
    #[serde(default)]
    pub embargo: Vec<EmbargoSpec>,
}

/// One `[[embargo]]`: while the backlog at `node` (trains or wagons at its resource
/// and ferry berth) is above `stop_above`, trains of every flow routed through it
/// are held at their origin; dispatching resumes once it falls below
/// `resume_below`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmbargoSpec {
    /// Node id.
    #[schemars(with = "String")]
    pub node: Spanned<String>,
    /// The embargo starts when the backlog passes this.
    #[schemars(with = "f64")]
    pub stop_above: Spanned<f64>,
    /// It ends when the backlog falls below this (at least 1, at most `stop_above`).
    #[schemars(with = "f64")]
    pub resume_below: Spanned<f64>,
    /// What the backlog counts: `trains` (default) or `wagons`.
    pub unit: Option<EmbargoUnit>,
}

/// What an embargo's backlog counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EmbargoUnit {
    /// Trains.
    Trains,
    /// Wagons.
    Wagons,
}

/// A day: a number of days since day 0, or a date `YYYY-MM-DD` (with a `start_date`).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum DaySpec {
    /// Days since day 0.
    Day(f64),
    /// A date, `YYYY-MM-DD` (or a word where one is allowed).
    Date(String),
}

/// One `[[backlog]]`: trains of a flow waiting at a node at day 0.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BacklogSpec {
    /// Flow id.
    #[schemars(with = "String")]
    pub flow: Spanned<String>,
    /// Node id where they wait (its terminal, or the ferry port departing from it).
    #[schemars(with = "String")]
    pub at: Spanned<String>,
    /// Trains waiting (give this or `wagons`).
    #[schemars(with = "Option<f64>")]
    pub trains: Option<Spanned<f64>>,
    /// Wagons waiting, rounded up to whole trains of the flow.
    #[schemars(with = "Option<f64>")]
    pub wagons: Option<Spanned<f64>>,
    /// Where the figure comes from.
    #[serde(default)]
    pub note: String,
}

/// One `[[flow.rate]]`: the flow's volume from a date on.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RateSpec {
    /// First day (or date) of this rate.
    #[schemars(with = "DaySpec")]
    pub from: Spanned<DaySpec>,
    /// Block trains per week.
    #[schemars(with = "Option<f64>")]
    pub trains_per_week: Option<Spanned<f64>>,
    /// Block trains per 30.4375-day month.
    #[schemars(with = "Option<f64>")]
    pub trains_per_month: Option<Spanned<f64>>,
    /// TEU per year (converted with `train.teu`).
    #[schemars(with = "Option<f64>")]
    pub teu_per_year: Option<Spanned<f64>>,
}

/// A flow's `monthly = { start = "2024-01", trains = [...] }`: volumes per calendar
/// month.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MonthlySpec {
    /// The first month, `YYYY-MM`.
    #[schemars(with = "String")]
    pub start: Spanned<String>,
    /// Block trains in each month (give this or `teu`).
    #[schemars(with = "Option<Vec<f64>>")]
    pub trains: Option<Spanned<Vec<f64>>>,
    /// TEU in each month (converted with `train.teu`).
    #[schemars(with = "Option<Vec<f64>>")]
    pub teu: Option<Spanned<Vec<f64>>>,
}

/// One `[[flow]]`: block trains from an origin to a destination.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowSpec {
    /// Id used in results (defaults to `FROM->TO`).
    #[schemars(with = "Option<String>")]
    pub id: Option<Spanned<String>>,
    /// Origin node id.
    #[schemars(with = "String")]
    pub from: Spanned<String>,
    /// Destination node id.
    #[schemars(with = "String")]
    pub to: Spanned<String>,
    /// Volume as block trains per week (give this or `teu_per_year`).
    #[schemars(with = "Option<f64>")]
    pub trains_per_week: Option<Spanned<f64>>,
    /// Volume as TEU per year (converted with `train.teu`).
    #[schemars(with = "Option<f64>")]
    pub teu_per_year: Option<Spanned<f64>>,
    /// Arrival process: `poisson` (default), `timetable` or `seasonal`.
    #[schemars(with = "Option<ArrivalKind>")]
    pub arrivals: Option<Spanned<ArrivalKind>>,
    /// Seasonal arrivals: 12 monthly factors (January first), relative to the mean.
    #[schemars(with = "Option<Vec<f64>>")]
    pub seasonal: Option<Spanned<Vec<f64>>>,
    /// Timetable arrivals: time of the first train (days) (default 0).
    #[schemars(with = "Option<f64>")]
    pub offset_days: Option<Spanned<f64>>,
    /// Size of one block train.
    #[schemars(with = "TrainSpec")]
    pub train: Spanned<TrainSpec>,
    /// Route policy: `fixed` (default), `split` or `adaptive`.
    #[schemars(with = "Option<RoutePolicyKind>")]
    pub route: Option<Spanned<RoutePolicyKind>>,
    /// What "best" means for routes: `time` (default), `cost` or `co2`.
    pub route_by: Option<Criterion>,
    /// Fixed policy: nodes the route must pass, in order.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub via: Vec<Spanned<String>>,
    /// Split policy: shares over alternative routes.
    #[serde(default)]
    pub split: Vec<SplitSpec>,
    /// Adaptive policy: how many alternative routes to choose among (default 3).
    #[schemars(with = "Option<i64>")]
    pub alternatives: Option<Spanned<i64>>,
    /// The group the flow belongs to, e.g. `china` (default: the flow's id): `--param
    /// demand:GROUP` and `corridor capacity --group GROUP` scale only its flows.
    #[schemars(with = "Option<String>")]
    pub group: Option<Spanned<String>>,
    /// Volumes from dates on (instead of `trains_per_week` / `teu_per_year`).
    #[serde(default)]
    pub rate: Vec<RateSpec>,
    /// Volumes per calendar month (instead of `trains_per_week` / `teu_per_year`).
    #[schemars(with = "Option<MonthlySpec>")]
    pub monthly: Option<Spanned<MonthlySpec>>,
    /// Growth of the volume per year (0.1 = +10% a year), from day 0.
    #[schemars(with = "Option<f64>")]
    pub growth_per_year: Option<Spanned<f64>>,
    /// The flow's train class, one of the scenario's `classes` (default: the last,
    /// lowest priority).
    #[schemars(with = "Option<String>")]
    pub class: Option<Spanned<String>>,
}

/// Arrival processes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ArrivalKind {
    /// Poisson arrivals at the flow's mean rate.
    Poisson,
    /// Evenly spaced arrivals.
    Timetable,
    /// Poisson arrivals whose rate follows the monthly `seasonal` factors.
    Seasonal,
}

/// Route policies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoutePolicyKind {
    /// Every train takes the best route.
    Fixed,
    /// Trains are shared over routes given in `split`.
    Split,
    /// At each branch point a train takes the alternative with the least expected
    /// remaining time given current queues and closures.
    Adaptive,
}

/// A flow's `train = { ... }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainSpec {
    /// Wagons (>= 1).
    pub wagons: f64,
    /// TEU carried (default 0).
    #[serde(default)]
    pub teu: f64,
    /// Tonnes carried (default 0).
    #[serde(default)]
    pub tonnes: f64,
}

/// One entry of a flow's `split`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitSpec {
    /// Nodes the route passes, in order (the best such route is used).
    #[schemars(with = "Vec<String>")]
    pub via: Vec<Spanned<String>>,
    /// Share of the flow's trains (shares must add up to 1).
    #[schemars(with = "f64")]
    pub share: Spanned<f64>,
}

/// One `[[override]]`: a new value or a factor for one network parameter.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideSpec {
    /// Node or leg id, or a list of them (the same change to each); give this or
    /// `targets`.
    #[schemars(with = "Option<TargetList>")]
    pub target: Spanned<String>,
    /// Node or leg ids: the same change to each (instead of `target`).
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub targets: Option<Spanned<Vec<Spanned<String>>>>,
    /// Parameter name, e.g. `capacity_trains_per_day` or `ferry.vessels`.
    #[schemars(with = "String")]
    pub param: Spanned<String>,
    /// The new value (a number, or a duration table for `*_days` parameters); a range
    /// `{ min, mode, max }` (or a duration table with `scale`) makes it uncertain.
    #[schemars(with = "Option<DurationOrRange>")]
    pub value: Option<Spanned<DurationSpec>>,
    /// A factor on the current value (instead of `value`); may be a range.
    #[schemars(with = "Option<NumSpec>")]
    pub factor: Option<Spanned<NumSpec>>,
    /// An amount added to the current value (instead of `value` or `factor`), e.g.
    /// `add = 2` ferries; numbers and counts only; may be a range.
    #[schemars(with = "Option<NumSpec>")]
    pub add: Option<Spanned<NumSpec>>,
    /// A name for a dated override, so that a sweep can move its date (`from:ID`).
    #[schemars(with = "Option<String>")]
    pub id: Option<Spanned<String>>,
    /// First day (or date) the change applies (default: day 0).
    #[schemars(with = "Option<DaySpec>")]
    pub from: Option<Spanned<DaySpec>>,
    /// First day (or date) it no longer applies (default: never).
    #[schemars(with = "Option<DaySpec>")]
    pub until: Option<Spanned<DaySpec>>,
    /// Why: the source or plan behind the change.
    #[serde(default)]
    pub note: String,
}

/// An override's `value`: a number, a range or a duration (the schema of
/// [`OverrideSpec::value`]).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum DurationOrRange {
    /// A number or a duration table.
    Duration(DurationSpec),
    /// An uncertain number.
    Range(RangeSpec),
}

/// An override's `target`: one node or leg id, or a list of them.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum TargetList {
    /// One id.
    One(String),
    /// Several ids, each changed alike.
    Many(Vec<String>),
}

/// One `[[disruption]]`: a closure of a node or leg.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DisruptionSpec {
    /// Node or leg id.
    #[schemars(with = "String")]
    pub target: Spanned<String>,
    /// Scheduled closure: first day closed (a day number or a date).
    #[schemars(with = "Option<DaySpec>")]
    pub start_day: Option<Spanned<DaySpec>>,
    /// Random closures: mean number per year (Poisson).
    #[schemars(with = "Option<f64>")]
    pub per_year: Option<Spanned<f64>>,
    /// Seasonal random closures: closures per year while each calendar month lasts
    /// (12 numbers, January first), instead of `per_year`.
    #[schemars(with = "Option<Vec<f64>>")]
    pub per_year_by_month: Option<Spanned<Vec<f64>>>,
    /// Length of a closure (days).
    #[schemars(with = "DurationSpec")]
    pub duration_days: Spanned<DurationSpec>,
    /// Why.
    #[serde(default)]
    pub note: String,
}

/// A scenario's `[sweep]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SweepSpec {
    /// `demand`, or `TARGET.PARAM` such as `btk-kars.capacity_trains_per_day`.
    #[schemars(with = "String")]
    pub param: Spanned<String>,
    /// The values to run.
    #[schemars(with = "Vec<f64>")]
    pub values: Spanned<Vec<f64>>,
    /// Largest acceptable p95 transit as a multiple of its value at the lowest point
    /// (default 2).
    #[schemars(with = "Option<f64>")]
    pub p95_limit_factor: Option<Spanned<f64>>,
}
