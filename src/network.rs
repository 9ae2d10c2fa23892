//! The validated corridor network: nodes, legs, their resources and ferry services.
//!
//! A [`Network`] is built only by [`crate::input`], which checks every value and every
//! cross-reference first. **Invariant:** if a `Network` exists, every leg's endpoints
//! exist, every id is unique, numbers are finite and in range, and rail gauges change
//! only at gauge-change points.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::dist::Dist;

/// Index of a node in [`Network::nodes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

/// Index of a leg in [`Network::legs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LegId(pub u32);

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// A rail terminal or yard.
    RailTerminal,
    /// A sea port (ferry, Ro-Ro or container berths).
    SeaPort,
    /// A border crossing (customs, inspection).
    BorderCrossing,
    /// A point where rail gauge changes (1435/1520 mm).
    GaugeChange,
    /// A junction without handling of its own.
    Junction,
    /// A road terminal (truck loading, transshipment to or from rail).
    RoadTerminal,
}

impl NodeKind {
    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            NodeKind::RailTerminal => "rail_terminal",
            NodeKind::SeaPort => "sea_port",
            NodeKind::BorderCrossing => "border_crossing",
            NodeKind::GaugeChange => "gauge_change",
            NodeKind::Junction => "junction",
            NodeKind::RoadTerminal => "road_terminal",
        }
    }
}

/// How a leg is travelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Rail line section.
    Rail,
    /// Sea crossing served by a ferry service.
    Sea,
    /// Road leg: consignments move as trucks.
    Road,
}

impl Mode {
    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Rail => "rail",
            Mode::Sea => "sea",
            Mode::Road => "road",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a gauge-change point moves a train from one gauge to the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GaugeChangeMethod {
    /// Containers are lifted onto wagons of the other gauge.
    Transshipment,
    /// Wagons get bogies (or wheelsets) of the other gauge.
    BogieExchange,
}

/// A place in the network.
#[derive(Clone, Debug)]
pub struct Node {
    /// Unique id used in files and results.
    pub id: String,
    /// Display name.
    pub name: String,
    /// ISO country code.
    pub country: String,
    /// Latitude (degrees north).
    pub lat: f64,
    /// Longitude (degrees east).
    pub lon: f64,
    /// What the node is.
    pub kind: NodeKind,
    /// Handling resource every train passing the node goes through, if any.
    pub station: Option<Station>,
    /// Handling tariff (USD per TEU), added to route costs.
    pub handling_usd_per_teu: f64,
    /// The most wagons (or TEU) the node holds at once, if limited.
    pub storage: Option<Storage>,
}

/// A node's storage limit: the wagons (or TEU) of the trains at the node, at its
/// station (waiting or served) and at its ferry berth until their last wagon sails.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Storage {
    /// The limit, in `unit`s.
    pub limit: f64,
    /// What the limit counts.
    pub unit: StorageUnit,
    /// What a full node does with an arriving train.
    pub when_full: WhenFull,
}

/// What a storage limit counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageUnit {
    /// Wagons.
    Wagons,
    /// Twenty-foot equivalent units.
    Teu,
}

impl StorageUnit {
    /// The name used in files and results.
    pub fn name(self) -> &'static str {
        match self {
            StorageUnit::Wagons => "wagons",
            StorageUnit::Teu => "teu",
        }
    }
}

/// What a full node does with an arriving train.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WhenFull {
    /// The train waits where it is until the node has room (first come, first served).
    Hold,
    /// The train is turned away (counted as refused).
    Refuse,
}

/// Parallel servers with one FIFO queue: tracks, berths, inspection lanes.
#[derive(Clone, Debug)]
pub struct Station {
    /// Number of parallel servers (>= 1).
    pub servers: u32,
    /// Time one train occupies a server (days).
    pub service_days: Dist,
    /// For gauge-change points, how the change is made.
    pub gauge_change: Option<GaugeChangeMethod>,
}

/// A connection between two nodes.
#[derive(Clone, Debug)]
pub struct Leg {
    /// Unique id used in files and results.
    pub id: String,
    /// Start node.
    pub from: NodeId,
    /// End node.
    pub to: NodeId,
    /// Rail, sea or road.
    pub mode: Mode,
    /// Length (km).
    pub length_km: f64,
    /// Travel time (days); for sea legs, the ferry's sailing time.
    pub travel_days: Dist,
    /// Rail: trains per day per direction; road: trucks per day per direction.
    /// `None` means the leg never limits traffic.
    pub capacity_per_day: Option<f64>,
    /// Road legs: TEU one truck carries.
    pub teu_per_truck: f64,
    /// Rail gauge (mm) (rail legs only).
    pub gauge_mm: Option<u32>,
    /// Tariff (USD per TEU).
    pub tariff_usd_per_teu: f64,
    /// Emissions (kg CO2 per TEU-km).
    pub co2_kg_per_teu_km: f64,
    /// True if the leg runs only from `from` to `to`.
    pub one_way: bool,
    /// The ferry service of a sea leg.
    pub ferry: Option<Ferry>,
}

/// A ferry service: a fleet of vessels that load, sail, unload and return.
#[derive(Clone, Debug)]
pub struct Ferry {
    /// Vessels in the fleet.
    pub vessels: u32,
    /// Rail wagons one sailing carries.
    pub wagons_per_sailing: u32,
    /// TEU one sailing carries, if that limits too.
    pub teu_per_sailing: Option<f64>,
    /// When a vessel leaves.
    pub departure: Departure,
    /// Time from arrival at the far port until the vessel is ready to load again
    /// there (two-way service) or back at the home port (one-way service) (days).
    pub turnaround_days: Dist,
    /// Weather closures of the crossing.
    pub weather: Option<Weather>,
    /// The fleet as vessel classes (empty: `vessels` identical vessels of
    /// `wagons_per_sailing` wagons and `teu_per_sailing` TEU, no deadweight limit).
    /// When given, `vessels` starts as their total count (an override of
    /// `ferry.vessels` then keeps the first vessels in class order, or adds vessels of
    /// the last class), `wagons_per_sailing` is the largest class's wagons and
    /// `teu_per_sailing` the smallest class's TEU slots.
    pub classes: Vec<VesselClass>,
    /// The share of a class's deadweight a sailing may load (draft), 0 < f <= 1.
    pub load_factor: f64,
    /// Monthly factors on `load_factor` (January first), if the draft is seasonal.
    pub load_factor_by_month: Option<[f64; 12]>,
    /// Vessels leaving service at random (dry dock, other trades), if they do.
    pub availability: Option<Availability>,
    /// Road units sharing the decks, if any.
    pub road: Option<RoadDeck>,
}

/// A background stream of road units (trucks, trailers) on a ferry service's decks:
/// they wait at each port the service sails from and board its sailings in the stated
/// order (timetabled sailings), or as they come (vessels departing when full, which
/// count a road unit left waiting as a full deck).
#[derive(Clone, Debug, PartialEq)]
pub struct RoadDeck {
    /// Road units arriving per day at each port the service sails from.
    pub units_per_day: f64,
    /// Poisson arrivals; else evenly spaced, the first `1 / units_per_day` after day 0.
    pub poisson: bool,
    /// Deck room one road unit takes, in rail wagons.
    pub wagon_equivalents: f64,
    /// Tonnes one road unit weighs against a class's deadweight (0: not weighed).
    pub tonnes_per_unit: f64,
    /// Road units board before the wagons (else the wagons first, road units filling
    /// the deck left).
    pub road_first: bool,
}

/// Random absences of a ferry service's vessels: each vessel in service is due to
/// leave at `absences_per_year` (Poisson), leaves when next idle in port and comes
/// back after one draw of `absence_days`.
#[derive(Clone, Debug)]
pub struct Availability {
    /// Absences of one vessel per year in service.
    pub absences_per_year: f64,
    /// Length of one absence (days).
    pub absence_days: Dist,
}

/// One class of a ferry service's fleet.
#[derive(Clone, Debug, PartialEq)]
pub struct VesselClass {
    /// Vessels of the class.
    pub count: u32,
    /// Rail wagons on deck.
    pub wagons: u32,
    /// TEU slots on deck, if that limits too.
    pub teu: Option<f64>,
    /// Deadweight (tonnes), if weight limits too: a sailing loads at most
    /// `deadweight_t * load factor` tonnes of wagons (tare plus cargo).
    pub deadweight_t: Option<f64>,
    /// Tare of one rail wagon (tonnes), counted against the deadweight.
    pub tare_t_per_wagon: f64,
}

impl Ferry {
    /// Wagons the whole fleet carries on one sailing each (deck space).
    pub fn fleet_wagons(&self) -> f64 {
        if self.classes.is_empty() {
            self.vessels as f64 * self.wagons_per_sailing as f64
        } else {
            // The first `vessels` of the classes in order; vessels beyond their total
            // are of the last class.
            let mut left = self.vessels;
            let mut sum = 0.0;
            for c in &self.classes {
                let n = left.min(c.count);
                sum += n as f64 * c.wagons as f64;
                left -= n;
            }
            let last = self.classes.last().map_or(0, |c| c.wagons);
            sum + left as f64 * last as f64
        }
    }

    /// The mean deck wagons of one vessel.
    pub fn mean_wagons(&self) -> f64 {
        if self.classes.is_empty() {
            self.wagons_per_sailing as f64
        } else {
            self.fleet_wagons() / self.vessels as f64
        }
    }
}

/// When a ferry leaves port.
#[derive(Clone, Debug, PartialEq)]
pub enum Departure {
    /// Sailings at fixed times `first_days + k * every_days` from each port; a sailing
    /// with no vessel in port is cancelled.
    Timetable {
        /// Interval between sailings (days).
        every_days: f64,
        /// Time of the first sailing (days).
        first_days: f64,
    },
    /// A vessel leaves when full, or `max_wait_days` after its first wagon boarded.
    WhenFull {
        /// Longest a loaded vessel waits for more cargo (days).
        max_wait_days: f64,
    },
}

/// Random closures of a crossing by storms.
#[derive(Clone, Debug)]
pub struct Weather {
    /// Mean number of closures per year (Poisson). With monthly rates, the mean of the
    /// twelve (what an override of `ferry.weather.closures_per_year` sets or scales).
    pub closures_per_year: f64,
    /// Closure rates by calendar month (closures per year while that month lasts,
    /// January first), if storms are seasonal: the closures then start as a
    /// non-homogeneous Poisson process with this piecewise-constant rate.
    pub closures_per_year_by_month: Option<[f64; 12]>,
    /// Length of one closure (days).
    pub closure_days: Dist,
}

/// Something a scenario can name: a node or a leg.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// A node.
    Node(NodeId),
    /// A leg.
    Leg(LegId),
}

/// A validated network.
#[derive(Clone, Debug)]
pub struct Network {
    /// Display name.
    pub name: String,
    /// Free text.
    pub description: String,
    /// All nodes; `NodeId(i)` is `nodes[i]`.
    pub nodes: Vec<Node>,
    /// All legs; `LegId(i)` is `legs[i]`.
    pub legs: Vec<Leg>,
    /// The numbers the network file gives as ranges (`{ min, mode, max }`), in file
    /// order; the fields above hold their point values.
    pub uncertain: Vec<UncertainInput>,
    ids: HashMap<String, Target>,
}

impl Network {
    /// Assembles a network whose parts [`crate::input`] has already checked.
    pub(crate) fn from_checked_parts(
        name: String,
        description: String,
        nodes: Vec<Node>,
        legs: Vec<Leg>,
    ) -> Network {
        let mut ids = HashMap::new();
        for (i, n) in nodes.iter().enumerate() {
            ids.insert(n.id.clone(), Target::Node(NodeId(i as u32)));
        }
        for (i, l) in legs.iter().enumerate() {
            ids.insert(l.id.clone(), Target::Leg(LegId(i as u32)));
        }
        Network {
            name,
            description,
            nodes,
            legs,
            uncertain: Vec::new(),
            ids,
        }
    }

    /// The node or leg with this id.
    pub fn target(&self, id: &str) -> Option<Target> {
        self.ids.get(id).copied()
    }

    /// The node with this id.
    pub fn node_id(&self, id: &str) -> Option<NodeId> {
        match self.target(id) {
            Some(Target::Node(n)) => Some(n),
            _ => None,
        }
    }

    /// The node behind an id.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.0 as usize]
    }

    /// The leg behind an id.
    pub fn leg(&self, id: LegId) -> &Leg {
        &self.legs[id.0 as usize]
    }

    /// The id string of a target.
    pub fn target_name(&self, t: Target) -> &str {
        match t {
            Target::Node(n) => &self.node(n).id,
            Target::Leg(l) => &self.leg(l).id,
        }
    }

    /// Every node id, for suggestions.
    pub fn node_names(&self) -> impl Iterator<Item = &str> {
        self.nodes.iter().map(|n| n.id.as_str())
    }

    /// Every node and leg id, for suggestions.
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        self.node_names()
            .chain(self.legs.iter().map(|l| l.id.as_str()))
    }

    /// The current value of a number parameter of a target (`None` for a duration, a
    /// parameter the target does not have, or a capacity it does not limit).
    pub fn number(&self, target: Target, param: Param) -> Option<f64> {
        param.check_target(self, target).ok()?;
        match target {
            Target::Node(n) => {
                let node = self.node(n);
                match param {
                    Param::HandlingUsdPerTeu => Some(node.handling_usd_per_teu),
                    Param::Servers => node.station.as_ref().map(|s| f64::from(s.servers)),
                    _ => None,
                }
            }
            Target::Leg(l) => {
                let leg = self.leg(l);
                let ferry = leg.ferry.as_ref();
                match param {
                    Param::CapacityTrainsPerDay | Param::CapacityTrucksPerDay => {
                        leg.capacity_per_day
                    }
                    Param::LengthKm => Some(leg.length_km),
                    Param::TariffUsdPerTeu => Some(leg.tariff_usd_per_teu),
                    Param::Co2KgPerTeuKm => Some(leg.co2_kg_per_teu_km),
                    Param::FerryVessels => ferry.map(|f| f64::from(f.vessels)),
                    Param::FerryWagonsPerSailing => ferry.map(|f| f64::from(f.wagons_per_sailing)),
                    Param::FerryTeuPerSailing => ferry.and_then(|f| f.teu_per_sailing),
                    Param::FerryLoadFactor => ferry.map(|f| f.load_factor),
                    Param::FerryEveryDays => match ferry.map(|f| &f.departure) {
                        Some(Departure::Timetable { every_days, .. }) => Some(*every_days),
                        _ => None,
                    },
                    Param::FerryMaxWaitDays => match ferry.map(|f| &f.departure) {
                        Some(Departure::WhenFull { max_wait_days }) => Some(*max_wait_days),
                        _ => None,
                    },
                    Param::WeatherClosuresPerYear => ferry
                        .and_then(|f| f.weather.as_ref())
                        .map(|w| w.closures_per_year),
                    _ => None,
                }
            }
        }
    }

    /// Applies a checked change of one parameter (see [`Param::check_target`]).
    pub fn apply(&mut self, target: Target, param: Param, change: &Change) -> Result<(), String> {
        param.check_target(self, target)?;
        match target {
            Target::Node(n) => {
                let node = &mut self.nodes[n.0 as usize];
                if param == Param::HandlingUsdPerTeu {
                    node.handling_usd_per_teu =
                        change.number(Some(node.handling_usd_per_teu), param)?;
                    return Ok(());
                }
                let station = node.station.as_mut().ok_or("node has no resource")?;
                match param {
                    Param::Servers => station.servers = change.count(station.servers, param)?,
                    Param::ServiceDays => {
                        station.service_days = change.dist(&station.service_days)?
                    }
                    _ => return Err(format!("`{}` does not apply to a node", param.name())),
                }
            }
            Target::Leg(l) => {
                let leg = &mut self.legs[l.0 as usize];
                match param {
                    Param::CapacityTrainsPerDay | Param::CapacityTrucksPerDay => {
                        leg.capacity_per_day = Some(change.number(leg.capacity_per_day, param)?)
                    }
                    Param::TravelDays => leg.travel_days = change.dist(&leg.travel_days)?,
                    Param::LengthKm => leg.length_km = change.number(Some(leg.length_km), param)?,
                    Param::TariffUsdPerTeu => {
                        leg.tariff_usd_per_teu =
                            change.number(Some(leg.tariff_usd_per_teu), param)?
                    }
                    Param::Co2KgPerTeuKm => {
                        leg.co2_kg_per_teu_km = change.number(Some(leg.co2_kg_per_teu_km), param)?
                    }
                    _ => {
                        let ferry = leg.ferry.as_mut().ok_or("leg has no ferry")?;
                        match param {
                            Param::FerryVessels => {
                                ferry.vessels = change.count(ferry.vessels, param)?
                            }
                            Param::FerryWagonsPerSailing => {
                                ferry.wagons_per_sailing =
                                    change.count(ferry.wagons_per_sailing, param)?
                            }
                            Param::FerryTeuPerSailing => {
                                ferry.teu_per_sailing =
                                    Some(change.number(ferry.teu_per_sailing, param)?)
                            }
                            Param::FerrySailingDays => {
                                leg.travel_days = change.dist(&leg.travel_days)?
                            }
                            Param::FerryTurnaroundDays => {
                                ferry.turnaround_days = change.dist(&ferry.turnaround_days)?
                            }
                            Param::FerryEveryDays => match &mut ferry.departure {
                                Departure::Timetable { every_days, .. } => {
                                    *every_days = change.number(Some(*every_days), param)?
                                }
                                _ => return Err("the ferry has no timetable".into()),
                            },
                            Param::FerryMaxWaitDays => match &mut ferry.departure {
                                Departure::WhenFull { max_wait_days } => {
                                    *max_wait_days = change.number(Some(*max_wait_days), param)?
                                }
                                _ => return Err("the ferry does not depart when full".into()),
                            },
                            Param::FerryLoadFactor => {
                                ferry.load_factor = change.number(Some(ferry.load_factor), param)?
                            }
                            Param::WeatherClosuresPerYear | Param::WeatherClosureDays => {
                                let w = ferry.weather.as_mut().ok_or("the ferry has no weather")?;
                                if param == Param::WeatherClosuresPerYear {
                                    let old = w.closures_per_year;
                                    w.closures_per_year = change.number(Some(old), param)?;
                                    if let Some(months) = &mut w.closures_per_year_by_month {
                                        // The twelve keep their shape; their mean is the new rate.
                                        for r in months.iter_mut() {
                                            *r = if old > 0.0 {
                                                *r * w.closures_per_year / old
                                            } else {
                                                w.closures_per_year
                                            };
                                        }
                                    }
                                } else {
                                    w.closure_days = change.dist(&w.closure_days)?
                                }
                            }
                            _ => return Err(format!("`{}` does not apply to a leg", param.name())),
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// A network parameter that scenarios may override and sweeps may vary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Param {
    /// Node: number of parallel servers.
    Servers,
    /// Node: service (handling, dwell) time.
    ServiceDays,
    /// Node: handling tariff.
    HandlingUsdPerTeu,
    /// Rail leg: trains per day per direction.
    CapacityTrainsPerDay,
    /// Road leg: trucks per day per direction.
    CapacityTrucksPerDay,
    /// Rail or road leg: travel time.
    TravelDays,
    /// Leg length.
    LengthKm,
    /// Leg tariff.
    TariffUsdPerTeu,
    /// Leg emissions per TEU-km.
    Co2KgPerTeuKm,
    /// Ferry: vessels in the fleet.
    FerryVessels,
    /// Ferry: wagons per sailing.
    FerryWagonsPerSailing,
    /// Ferry: TEU per sailing.
    FerryTeuPerSailing,
    /// Ferry: sailing time.
    FerrySailingDays,
    /// Ferry: turnaround time.
    FerryTurnaroundDays,
    /// Ferry timetable: interval between sailings.
    FerryEveryDays,
    /// Ferry departing when full: longest wait.
    FerryMaxWaitDays,
    /// Ferry weather: closures per year.
    WeatherClosuresPerYear,
    /// Ferry weather: closure length.
    WeatherClosureDays,
    /// Ferry: the share of deadweight a sailing may load (draft).
    FerryLoadFactor,
}

/// What kind of value a parameter takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// A whole number >= 1.
    Count,
    /// A finite number > 0.
    Positive,
    /// A finite number >= 0.
    NonNegative,
    /// A duration distribution (days).
    Duration,
}

impl Param {
    /// Checks that the parameter may change on a date (`from` / `until`): every
    /// parameter the simulation reads while it runs may; those that only choose
    /// routes (chosen once, at day 0) and the weather's closure process may not.
    pub fn check_dated(self) -> Result<(), String> {
        match self {
            Param::HandlingUsdPerTeu
            | Param::LengthKm
            | Param::TariffUsdPerTeu
            | Param::Co2KgPerTeuKm => Err(format!(
                "`{}` cannot change on a date: it only chooses routes, which are chosen once at day 0",
                self.name()
            )),
            Param::WeatherClosuresPerYear | Param::WeatherClosureDays => Err(format!(
                "`{}` cannot change on a date: the weather's closures are one process for the whole run",
                self.name()
            )),
            _ => Ok(()),
        }
    }

    /// Checks that the parameter may be uncertain (a range drawn once per
    /// replication): every parameter the simulation reads may; those that only
    /// choose routes (chosen once, at day 0, from point values) may not.
    pub fn check_uncertain(self) -> Result<(), String> {
        match self {
            Param::HandlingUsdPerTeu
            | Param::LengthKm
            | Param::TariffUsdPerTeu
            | Param::Co2KgPerTeuKm => Err(format!(
                "`{}` cannot be a range: it only chooses routes, which are chosen once at day 0 from point values",
                self.name()
            )),
            _ => Ok(()),
        }
    }

    /// Every parameter, in documentation order.
    pub const ALL: [Param; 19] = [
        Param::Servers,
        Param::ServiceDays,
        Param::HandlingUsdPerTeu,
        Param::CapacityTrainsPerDay,
        Param::CapacityTrucksPerDay,
        Param::TravelDays,
        Param::LengthKm,
        Param::TariffUsdPerTeu,
        Param::Co2KgPerTeuKm,
        Param::FerryVessels,
        Param::FerryWagonsPerSailing,
        Param::FerryTeuPerSailing,
        Param::FerrySailingDays,
        Param::FerryTurnaroundDays,
        Param::FerryEveryDays,
        Param::FerryMaxWaitDays,
        Param::WeatherClosuresPerYear,
        Param::WeatherClosureDays,
        Param::FerryLoadFactor,
    ];

    /// The name used in files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Param::Servers => "servers",
            Param::ServiceDays => "service_days",
            Param::HandlingUsdPerTeu => "handling_usd_per_teu",
            Param::CapacityTrainsPerDay => "capacity_trains_per_day",
            Param::CapacityTrucksPerDay => "capacity_trucks_per_day",
            Param::TravelDays => "travel_days",
            Param::LengthKm => "length_km",
            Param::TariffUsdPerTeu => "tariff_usd_per_teu",
            Param::Co2KgPerTeuKm => "co2_kg_per_teu_km",
            Param::FerryVessels => "ferry.vessels",
            Param::FerryWagonsPerSailing => "ferry.wagons_per_sailing",
            Param::FerryTeuPerSailing => "ferry.teu_per_sailing",
            Param::FerrySailingDays => "ferry.sailing_days",
            Param::FerryTurnaroundDays => "ferry.turnaround_days",
            Param::FerryEveryDays => "ferry.departure.every_days",
            Param::FerryMaxWaitDays => "ferry.departure.max_wait_days",
            Param::WeatherClosuresPerYear => "ferry.weather.closures_per_year",
            Param::WeatherClosureDays => "ferry.weather.closure_days",
            Param::FerryLoadFactor => "ferry.load_factor",
        }
    }

    /// The parameter with this name.
    pub fn parse(name: &str) -> Option<Param> {
        Param::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The kind of value the parameter takes.
    pub fn kind(self) -> ValueKind {
        match self {
            Param::Servers | Param::FerryVessels | Param::FerryWagonsPerSailing => ValueKind::Count,
            Param::ServiceDays
            | Param::TravelDays
            | Param::FerrySailingDays
            | Param::FerryTurnaroundDays
            | Param::WeatherClosureDays => ValueKind::Duration,
            Param::HandlingUsdPerTeu
            | Param::TariffUsdPerTeu
            | Param::Co2KgPerTeuKm
            | Param::WeatherClosuresPerYear
            | Param::FerryMaxWaitDays => ValueKind::NonNegative,
            Param::CapacityTrainsPerDay
            | Param::CapacityTrucksPerDay
            | Param::LengthKm
            | Param::FerryTeuPerSailing
            | Param::FerryEveryDays
            | Param::FerryLoadFactor => ValueKind::Positive,
        }
    }

    /// The bound of the parameter's value (for a duration: of a plain number of days).
    pub fn bound(self) -> limits::Bound {
        match self {
            Param::Servers => limits::SERVERS,
            Param::FerryVessels => limits::VESSELS,
            Param::FerryWagonsPerSailing => limits::WAGONS_PER_SAILING,
            Param::ServiceDays
            | Param::TravelDays
            | Param::FerrySailingDays
            | Param::FerryTurnaroundDays
            | Param::WeatherClosureDays
            | Param::FerryMaxWaitDays => limits::DAYS,
            Param::FerryEveryDays => limits::EVERY_DAYS,
            Param::HandlingUsdPerTeu | Param::TariffUsdPerTeu | Param::Co2KgPerTeuKm => {
                limits::MONEY
            }
            Param::WeatherClosuresPerYear => (0.0, limits::PER_YEAR.1, limits::PER_YEAR.2),
            Param::CapacityTrainsPerDay | Param::CapacityTrucksPerDay => limits::CAPACITY_PER_DAY,
            Param::LengthKm => limits::LENGTH_KM,
            Param::FerryTeuPerSailing => limits::LOAD,
            Param::FerryLoadFactor => limits::LOAD_FACTOR,
        }
    }

    /// Checks a value of the parameter: its kind and its bound.
    pub fn check(self, v: f64) -> Result<(), String> {
        let kind = match self.kind() {
            ValueKind::Duration => ValueKind::NonNegative,
            k => k,
        };
        check_bounded(kind, v, self.bound())
    }

    /// Checks that the parameter exists on `target`; the error says why not.
    pub fn check_target(self, network: &Network, target: Target) -> Result<(), String> {
        let name = network.target_name(target);
        match target {
            Target::Node(n) => {
                let node = network.node(n);
                match self {
                    Param::HandlingUsdPerTeu => Ok(()),
                    Param::Servers | Param::ServiceDays if node.station.is_none() => Err(format!(
                        "node `{name}` has no resource, so it has no `{}`; add a [node.resource] table to it in the network file",
                        self.name()
                    )),
                    Param::Servers | Param::ServiceDays => Ok(()),
                    _ => Err(format!(
                        "`{}` is a leg parameter but `{name}` is a node; node parameters are servers, service_days and handling_usd_per_teu",
                        self.name()
                    )),
                }
            }
            Target::Leg(l) => {
                let leg = network.leg(l);
                let ferry = leg.ferry.as_ref();
                let need = |ok: bool, why: &str| {
                    if ok {
                        Ok(())
                    } else {
                        Err(format!(
                            "`{}` does not apply to leg `{name}`: {why}",
                            self.name()
                        ))
                    }
                };
                match self {
                    Param::Servers | Param::ServiceDays | Param::HandlingUsdPerTeu => Err(format!(
                        "`{}` is a node parameter but `{name}` is a leg",
                        self.name()
                    )),
                    Param::CapacityTrainsPerDay => {
                        need(leg.mode == Mode::Rail, "it is not a rail leg")
                    }
                    Param::CapacityTrucksPerDay => {
                        need(leg.mode == Mode::Road, "it is not a road leg")
                    }
                    Param::TravelDays => need(
                        leg.mode != Mode::Sea,
                        "it is a sea leg; use ferry.sailing_days",
                    ),
                    Param::LengthKm | Param::TariffUsdPerTeu | Param::Co2KgPerTeuKm => Ok(()),
                    Param::FerryWagonsPerSailing | Param::FerryTeuPerSailing
                        if ferry.is_some_and(|f| !f.classes.is_empty()) =>
                    {
                        need(
                            false,
                            "its fleet is given as vessel classes; change the classes in the network file",
                        )
                    }
                    Param::FerryVessels
                    | Param::FerryWagonsPerSailing
                    | Param::FerryTeuPerSailing
                    | Param::FerrySailingDays
                    | Param::FerryTurnaroundDays => {
                        need(ferry.is_some(), "it has no ferry service")
                    }
                    Param::FerryLoadFactor => need(
                        ferry.is_some_and(|f| f.classes.iter().any(|c| c.deadweight_t.is_some())),
                        "no vessel class of its fleet gives a deadweight_t for the load factor to act on",
                    ),
                    Param::FerryEveryDays => need(
                        matches!(
                            ferry.map(|f| &f.departure),
                            Some(Departure::Timetable { .. })
                        ),
                        "its ferry does not run to a timetable",
                    ),
                    Param::FerryMaxWaitDays => need(
                        matches!(
                            ferry.map(|f| &f.departure),
                            Some(Departure::WhenFull { .. })
                        ),
                        "its ferry does not depart when full",
                    ),
                    Param::WeatherClosuresPerYear | Param::WeatherClosureDays => need(
                        ferry.is_some_and(|f| f.weather.is_some()),
                        "it has no [leg.ferry.weather] table in the network file",
                    ),
                }
            }
        }
    }
}

/// A new value for a parameter, or a factor on its current value.
#[derive(Clone, Debug)]
pub enum Change {
    /// Replace a number.
    Number(f64),
    /// Replace a distribution.
    Dist(Dist),
    /// Multiply the current value (numbers) or every draw (distributions).
    Scale(f64),
    /// Add to the current value (numbers and counts; not distributions).
    Add(f64),
}

impl Change {
    fn number(&self, current: Option<f64>, param: Param) -> Result<f64, String> {
        let v = match (self, current) {
            (Change::Number(v), _) => *v,
            (Change::Scale(f), Some(c)) => c * f,
            (Change::Scale(_), None) => {
                return Err(format!(
                    "`{}` has no current value to scale; give `value` instead of `factor`",
                    param.name()
                ));
            }
            (Change::Add(a), Some(c)) => c + a,
            (Change::Add(_), None) => {
                return Err(format!(
                    "`{}` has no current value to add to; give `value` instead of `add`",
                    param.name()
                ));
            }
            (Change::Dist(_), _) => return Err("expected a number, not a distribution".into()),
        };
        param.check(v).map(|_| v)
    }

    fn count(&self, current: u32, param: Param) -> Result<u32, String> {
        let v = match self {
            Change::Number(v) => *v,
            Change::Scale(f) => (current as f64 * f).round(),
            Change::Add(a) => current as f64 + a,
            Change::Dist(_) => return Err("expected a whole number, not a distribution".into()),
        };
        param.check(v)?;
        Ok(v as u32)
    }

    fn dist(&self, current: &Dist) -> Result<Dist, String> {
        match self {
            Change::Dist(d) => Ok(d.clone()),
            Change::Number(v) => Dist::new(crate::dist::DistParams::Fixed { value: *v }),
            Change::Scale(f) => current.scaled(*f),
            Change::Add(_) => Err(
                "a duration cannot be changed by `add`; give `factor` (scales every draw) or `value`"
                    .into(),
            ),
        }
    }
}

/// The range of an uncertain input: what we do not know about a number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum InputRange {
    /// Every value from `min` to `max` equally likely.
    Uniform {
        /// Smallest value.
        min: f64,
        /// Largest value.
        max: f64,
    },
    /// Triangular from `min` to `max`, most likely at `mode`.
    Triangular {
        /// Smallest value.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Largest value.
        max: f64,
    },
}

impl InputRange {
    /// Smallest value.
    pub fn min(&self) -> f64 {
        match *self {
            InputRange::Uniform { min, .. } | InputRange::Triangular { min, .. } => min,
        }
    }

    /// Largest value.
    pub fn max(&self) -> f64 {
        match *self {
            InputRange::Uniform { max, .. } | InputRange::Triangular { max, .. } => max,
        }
    }

    /// The point value: the mode of a triangular range, the midpoint of a uniform one.
    pub fn point(&self) -> f64 {
        match *self {
            InputRange::Uniform { min, max } => 0.5 * (min + max),
            InputRange::Triangular { mode, .. } => mode,
        }
    }

    /// The mode, for triangular ranges.
    pub fn mode(&self) -> Option<f64> {
        match *self {
            InputRange::Uniform { .. } => None,
            InputRange::Triangular { mode, .. } => Some(mode),
        }
    }

    /// The exact mean of the range.
    pub fn mean(&self) -> f64 {
        match *self {
            InputRange::Uniform { min, max } => 0.5 * (min + max),
            InputRange::Triangular { min, mode, max } => (min + mode + max) / 3.0,
        }
    }

    /// The value at probability `u` in [0, 1) (the inverse distribution function), so
    /// a draw is `quantile(uniform)`.
    pub fn quantile(&self, u: f64) -> f64 {
        match *self {
            InputRange::Uniform { min, max } => min + (max - min) * u,
            InputRange::Triangular { min, mode, max } => {
                let width = max - min;
                if width <= 0.0 {
                    return min;
                }
                let split = (mode - min) / width;
                if u < split {
                    min + (u * width * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - u) * width * (max - mode)).sqrt()
                }
            }
        }
    }

    /// The range with every value mapped by `f`, an increasing function.
    pub fn map(&self, f: impl Fn(f64) -> f64) -> InputRange {
        match *self {
            InputRange::Uniform { min, max } => InputRange::Uniform {
                min: f(min),
                max: f(max),
            },
            InputRange::Triangular { min, mode, max } => InputRange::Triangular {
                min: f(min),
                mode: f(mode),
                max: f(max),
            },
        }
    }

    /// The form used in files and the manifest, e.g. `{ min = 4, mode = 6, max = 8 }`.
    pub fn describe(&self) -> String {
        match *self {
            InputRange::Uniform { min, max } => format!("{{ min = {min}, max = {max} }}"),
            InputRange::Triangular { min, mode, max } => {
                format!("{{ min = {min}, mode = {mode}, max = {max} }}")
            }
        }
    }
}

/// A network parameter whose value is uncertain: each replication draws it once from
/// its range (second-order Monte Carlo). For a number the range is of the value
/// itself; for a duration (`*_days`) it is of a factor on every draw of the
/// distribution (`scale`), the network holding the distribution at the point factor.
#[derive(Clone, Debug, PartialEq)]
pub struct UncertainInput {
    /// Node or leg.
    pub target: Target,
    /// Parameter.
    pub param: Param,
    /// The range of its value (or, for a duration, of the factor on it).
    pub range: InputRange,
    /// Its name in results, `TARGET.PARAM`, e.g. `altynkol.servers`.
    pub label: String,
}

impl UncertainInput {
    /// True if the range is a factor on a duration's distribution.
    pub fn is_scale(&self) -> bool {
        self.param.kind() == ValueKind::Duration
    }

    /// The value a draw gives: counts are rounded to the nearest whole number.
    pub fn value_of(&self, draw: f64) -> f64 {
        if self.param.kind() == ValueKind::Count {
            draw.round()
        } else {
            draw
        }
    }

    /// The change that sets the parameter of a network holding the point value to
    /// the value `draw` (a factor for a duration).
    pub fn change(&self, draw: f64) -> Change {
        if self.is_scale() {
            Change::Scale(draw / self.range.point())
        } else {
            Change::Number(self.value_of(draw))
        }
    }
}

/// Checks a number against a value kind; the error says what was expected.
pub fn check_value(kind: ValueKind, v: f64) -> Result<(), String> {
    if !v.is_finite() {
        return Err(format!("must be a finite number, got {v}"));
    }
    match kind {
        ValueKind::Count if v < 1.0 || v.fract() != 0.0 => {
            Err(format!("must be a whole number of at least 1, got {v}"))
        }
        ValueKind::Count if v > u32::MAX as f64 => Err(format!(
            "must be a whole number of at most {}, got {v}",
            u32::MAX
        )),
        ValueKind::Positive if v <= 0.0 => Err(format!("must be greater than zero, got {v}")),
        ValueKind::NonNegative if v < 0.0 => Err(format!("must not be negative, got {v}")),
        _ => Ok(()),
    }
}

/// Checks a number against a value kind and a bound `(min, max, why)`: the error gives
/// the bound and its reason.
pub fn check_bounded(kind: ValueKind, v: f64, bound: limits::Bound) -> Result<(), String> {
    let (min, max, why) = bound;
    if v.is_finite() && v > max {
        return Err(format!("must be at most {max}, got {v} ({why})"));
    }
    check_value(kind, v)?;
    if v < min && !(v == 0.0 && kind == ValueKind::NonNegative) {
        return Err(format!("must be at least {min}, got {v} ({why})"));
    }
    if v > max {
        return Err(format!("must be at most {max}, got {v} ({why})"));
    }
    Ok(())
}

/// The bounds every number of a file or a flag is checked against, so that the machine
/// can honour any input that validates: the engine's integer milliseconds, integer
/// widths, and memory and time in proportion to counts. Each bound comes with its
/// reason, which the error message repeats.
pub mod limits {
    /// A bound: smallest and largest accepted value, and why.
    pub type Bound = (f64, f64, &'static str);

    /// Longest single duration (days): about 2,700 years; any sum of durations along a
    /// route stays exact in the engine's integer milliseconds.
    pub const MAX_DURATION_DAYS: f64 = crate::dist::MAX_DURATION_DAYS;
    /// Longest horizon (days): about 27,000 years.
    pub const MAX_HORIZON_DAYS: f64 = 1e7;
    /// Shortest observation window, horizon minus warm-up (days): one minute, so that
    /// every rate and time average is taken over many of the engine's milliseconds.
    pub const MIN_WINDOW_DAYS: f64 = 1.0 / 1440.0;
    /// Shortest interval between timetabled trains or sailings (days): one minute.
    pub const MIN_INTERVAL_DAYS: f64 = 1.0 / 1440.0;
    /// Most replications. A run folds its replications into streaming statistics as
    /// they finish (memory does not grow with them), but sweeps and comparisons keep
    /// a few figures per replication (8 bytes each) for their bootstrap and pairing,
    /// and `replications.csv` takes about 150 bytes per replication and flow on disk.
    pub const MAX_REPLICATIONS: u64 = 1_000_000;
    /// Why [`MAX_REPLICATIONS`] bounds the replications, for error messages.
    pub const WHY_REPLICATIONS: &str = "sweeps and comparisons keep a few figures per replication, and replications.csv grows with them on disk";
    /// Most trains a replication may be offered on average (all flows): bounds its
    /// time (a few seconds on one core) and memory. Five times the 1 million trains of
    /// a replication of the jackson3 reference.
    pub const MAX_TRAINS_PER_REPLICATION: f64 = 5e6;
    /// Most events of another kind (sailings, closures) a replication may expect.
    pub const MAX_EVENTS_PER_REPLICATION: f64 = 5e6;
    /// Default most trains in the system at once; beyond it a replication stops and is
    /// reported as saturated (about 100 MB of trains and queue entries).
    pub const DEFAULT_MAX_TRAINS_IN_SYSTEM: u64 = 1_000_000;
    /// Largest accepted `--max-trains-in-system`.
    pub const MAX_TRAINS_IN_SYSTEM: u64 = 10_000_000;
    /// Most train classes (`classes = [...]`): every queue keeps its trains ordered by
    /// class, and results keep one wait per class and resource.
    pub const MAX_CLASSES: usize = 16;

    const WHY_MS: &str = "the engine counts time in whole milliseconds";
    const WHY_MEMORY: &str = "each one takes memory in every replication";

    /// Servers of a station.
    pub const SERVERS: Bound = (1.0, 10_000.0, WHY_MEMORY);
    /// Vessels of a ferry.
    pub const VESSELS: Bound = (1.0, 10_000.0, WHY_MEMORY);
    /// Wagons one sailing carries.
    pub const WAGONS_PER_SAILING: Bound = (
        1.0,
        100_000.0,
        "far above any vessel; keeps wagon sums exact",
    );
    /// Wagons of one train.
    pub const TRAIN_WAGONS: Bound = (
        1.0,
        10_000.0,
        "far above any block train; keeps wagon sums exact",
    );
    /// TEU of one train: a road leg turns it into trucks, one headway each.
    pub const TRAIN_TEU: Bound = (
        0.0,
        1e5,
        "far above any train; keeps the trucks of one train countable",
    );
    /// Most embargoes in a scenario (each route keeps one bit per embargo).
    pub const MAX_EMBARGOES: usize = 64;
    /// A node's storage limit (wagons or TEU).
    pub const STORAGE: Bound = (1.0, 1e8, "far above any port; keeps unit sums exact");
    /// Tonnes of one train, TEU of one sailing.
    pub const LOAD: Bound = (0.0, 1e7, "far above any train or vessel; keeps sums finite");
    /// Money and emission rates.
    pub const MONEY: Bound = (0.0, 1e9, "keeps route costs finite");
    /// Length of a leg (km).
    pub const LENGTH_KM: Bound = (1e-3, 1e5, "more than twice round the Earth");
    /// Capacities in trains or trucks per day.
    pub const CAPACITY_PER_DAY: Bound =
        (1e-4, 1e6, "one unit every 10,000 days to one every 0.1 s");
    /// TEU per truck.
    pub const TEU_PER_TRUCK: Bound = (0.1, 100.0, "a train becomes at most a few thousand trucks");
    /// Trains per week of a flow.
    pub const TRAINS_PER_WEEK: Bound = (1e-6, 1e5, "about one train every 6 seconds at most");
    /// TEU per year of a flow.
    pub const TEU_PER_YEAR: Bound = (1e-6, 1e12, "keeps the converted train rate finite");
    /// Random closures per year.
    pub const PER_YEAR: Bound = (1e-6, 8760.0, "at most one closure an hour on average");
    /// Interval between timetabled sailings (days).
    pub const EVERY_DAYS: Bound = (MIN_INTERVAL_DAYS, MAX_DURATION_DAYS, WHY_MS);
    /// Any other duration given as a plain number (days).
    pub const DAYS: Bound = (0.0, MAX_DURATION_DAYS, WHY_MS);
    /// Trains of one flow waiting at one node at day 0.
    pub const BACKLOG_TRAINS: Bound = (0.0, 1e6, "each waiting train is held in memory");
    /// A factor on a parameter or on demand.
    pub const FACTOR: Bound = (1e-6, 1e6, "keeps the scaled value finite and in range");
    /// Seasonal factors (before normalising to mean 1).
    pub const SEASONAL: Bound = (0.0, 1e6, "keeps their sum finite");
    /// The share of a vessel's deadweight a sailing may load.
    pub const LOAD_FACTOR: Bound = (1e-3, 1.0, "a share of the deadweight: above 0, at most 1");
    /// Deck room of one road unit, in rail wagons.
    pub const WAGON_EQUIVALENTS: Bound = (
        1e-3,
        1e5,
        "a road unit takes some deck, and no more than the largest deck",
    );
    /// A vessel's deadweight (tonnes).
    pub const DEADWEIGHT_T: Bound = (1e-3, 1e7, "far above any vessel; keeps sums finite");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_give_the_bound_and_the_reason() {
        let e = check_bounded(ValueKind::Count, 20_000.0, limits::VESSELS).unwrap_err();
        assert!(e.contains("at most 10000") && e.contains("memory"), "{e}");
        let e = check_bounded(ValueKind::Positive, 1e-300, limits::EVERY_DAYS).unwrap_err();
        assert!(e.contains("at least") && e.contains("milliseconds"), "{e}");
        assert!(check_bounded(ValueKind::NonNegative, 0.0, limits::PER_YEAR).is_ok());
        assert!(check_bounded(ValueKind::Positive, f64::NAN, limits::DAYS).is_err());
        assert!(check_bounded(ValueKind::Positive, 1.0, limits::DAYS).is_ok());
    }

    #[test]
    fn every_parameter_has_a_bound_that_admits_its_kind() {
        for p in Param::ALL {
            let (min, max, why) = p.bound();
            assert!(min <= max && !why.is_empty(), "{}", p.name());
            assert!(p.check(max).is_ok(), "{}", p.name());
            assert!(p.check(max * 2.0 + 1.0).is_err(), "{}", p.name());
        }
    }
}
