//! Checks a parsed network file and builds the [`Network`].

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use serde_spanned::Spanned;

use super::did_you_mean;
use super::dto::{
    DepartureSpec, DurationSpec, FerrySpec, LegSpec, NetworkFile, NodeSpec, NumSpec, RangeSpec,
    StorageSpec, VesselClassSpec,
};
use crate::dist::{Dist, DistParams};
use crate::error::Problem;
use crate::network::limits::{self, Bound};
use crate::network::{
    Availability, Departure, Ferry, InputRange, Leg, LegId, Mode, Network, Node, NodeId, NodeKind,
    Param, RoadDeck, Station, Storage, StorageUnit, Target, UncertainInput, ValueKind, VesselClass,
    Weather, WhenFull, check_bounded,
};

/// Default TEU per truck: one 40-foot container (assumption).
const DEFAULT_TEU_PER_TRUCK: f64 = 2.0;

/// Collects problems while building.
#[derive(Default)]
pub(super) struct Checker {
    pub(super) problems: Vec<Problem>,
}

impl Checker {
    pub(super) fn push(&mut self, p: Problem) {
        self.problems.push(p);
    }

    /// A problem at `span` with advice.
    pub(super) fn error_help(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.problems.push(Problem::at(span, message).help(help));
    }

    /// Checks a number of the given kind within its bound; returns it if fine.
    pub(super) fn number(
        &mut self,
        field: &str,
        v: &Spanned<f64>,
        kind: ValueKind,
        bound: Bound,
    ) -> Option<f64> {
        self.value(field, *v.get_ref(), v.span(), kind, bound)
    }

    /// Checks twelve monthly closure rates (closures per year while each month lasts,
    /// January first): each from 0 to the bound of `per_year`, at least one above 0.
    pub(super) fn monthly_rates(
        &mut self,
        field: &str,
        v: &Spanned<Vec<f64>>,
    ) -> Option<[f64; 12]> {
        let rates = v.get_ref();
        let (_, max, why) = limits::PER_YEAR;
        let bad = rates
            .iter()
            .find(|r| !(r.is_finite() && **r >= 0.0 && **r <= max));
        if rates.len() == 12 && bad.is_none() && rates.iter().any(|r| *r > 0.0) {
            let mut a = [0.0; 12];
            a.copy_from_slice(rates);
            return Some(a);
        }
        let detail = match bad {
            Some(r) => format!(", one of them {r}"),
            None if rates.len() == 12 => ", all zero".to_string(),
            None => String::new(),
        };
        self.error_help(
            v.span(),
            format!(
                "`{field}` needs 12 monthly rates (closures per year) from 0 to {max} ({why}), at least one above 0; got {} values{detail}",
                rates.len()
            ),
            format!("e.g. {field} = [6, 5, 3, 1, 0.5, 0.5, 0.5, 1, 2, 4, 5, 6] (January first)"),
        );
        None
    }

    /// Checks a number at `span` of the given kind within its bound.
    pub(super) fn value(
        &mut self,
        field: &str,
        v: f64,
        span: Range<usize>,
        kind: ValueKind,
        bound: Bound,
    ) -> Option<f64> {
        match check_bounded(kind, v, bound) {
            Ok(()) => Some(v),
            Err(e) => {
                self.push(Problem::at(span, format!("`{field}` {e}")).help(expected(kind, bound)));
                None
            }
        }
    }

    /// Checks a whole number given as an integer, within its bound.
    pub(super) fn count(&mut self, field: &str, v: &Spanned<i64>, bound: Bound) -> Option<u32> {
        let n = *v.get_ref();
        let (min, max, why) = bound;
        if (n as f64) >= min.max(1.0) && (n as f64) <= max.min(u32::MAX as f64) {
            Some(n as u32)
        } else {
            let message = if (n as f64) < min.max(1.0) {
                format!(
                    "`{field}` must be a whole number of at least {}, got {n}",
                    min.max(1.0)
                )
            } else {
                format!("`{field}` must be a whole number of at most {max}, got {n} ({why})")
            };
            self.push(Problem::at(v.span(), message).help(format!(
                "give a whole number from {} to {max}",
                min.max(1.0)
            )));
            None
        }
    }

    /// Checks a duration distribution that may not be uncertain.
    pub(super) fn duration(&mut self, field: &str, v: &Spanned<DurationSpec>) -> Option<Dist> {
        let params = match v.get_ref() {
            DurationSpec::Fixed(value) => DistParams::Fixed { value: *value },
            DurationSpec::Dist(d) => d.clone().into(),
            DurationSpec::Scaled { .. } => {
                self.error_help(
                    v.span(),
                    format!("`{field}` cannot take a `scale`: it is not a network parameter drawn per replication"),
                    "give the duration without `scale`; uncertain durations are the network's service, travel, sailing, turnaround and closure times (see networks/README.md, uncertain inputs)",
                );
                return None;
            }
            DurationSpec::Range(_) => {
                self.error_help(
                    v.span(),
                    format!(
                        "`{field}` is a duration: a number of days or a {{ dist = ... }} table"
                    ),
                    DURATION_HELP,
                );
                return None;
            }
        };
        match Dist::new(params) {
            Ok(d) => Some(d),
            Err(e) => {
                self.push(Problem::at(v.span(), format!("`{field}`: {e}")).help(DURATION_HELP));
                None
            }
        }
    }

    /// Checks a duration that may carry an uncertain factor (`scale`): the
    /// distribution at the point factor, and the factor's range if given.
    pub(super) fn uncertain_duration(
        &mut self,
        field: &str,
        v: &Spanned<DurationSpec>,
    ) -> Option<(Dist, Option<InputRange>)> {
        match v.get_ref() {
            DurationSpec::Scaled { dist, scale } => {
                let base = match Dist::new(dist.clone().into()) {
                    Ok(d) => d,
                    Err(e) => {
                        self.push(
                            Problem::at(v.span(), format!("`{field}`: {e}")).help(DURATION_HELP),
                        );
                        return None;
                    }
                };
                let range = self.range(
                    &format!("{field}.scale"),
                    scale,
                    v.span(),
                    ValueKind::Positive,
                    limits::FACTOR,
                )?;
                for f in [range.min(), range.max()] {
                    if let Err(e) = base.scaled(f) {
                        self.error_help(
                            v.span(),
                            format!("`{field}` scaled by {f} (an end of its `scale`): {e}"),
                            DURATION_HELP,
                        );
                        return None;
                    }
                }
                match base.scaled(range.point()) {
                    Ok(d) => Some((d, Some(range))),
                    Err(e) => {
                        self.push(
                            Problem::at(v.span(), format!("`{field}`: {e}")).help(DURATION_HELP),
                        );
                        None
                    }
                }
            }
            DurationSpec::Range(_) => {
                self.error_help(
                    v.span(),
                    format!("`{field}` is a duration: a range on it is a factor on its distribution"),
                    "give the distribution with an uncertain factor, e.g. { dist = \"lognormal\", mean = 2.0, cv = 0.3, scale = { min = 0.8, mode = 1, max = 1.5 } }",
                );
                None
            }
            _ => self.duration(field, v).map(|d| (d, None)),
        }
    }

    /// Checks a range of a number of the given kind within its bound: `min <= mode <=
    /// max`, each in the bound (whole numbers for counts).
    pub(super) fn range(
        &mut self,
        field: &str,
        r: &RangeSpec,
        span: Range<usize>,
        kind: ValueKind,
        bound: Bound,
    ) -> Option<InputRange> {
        let before = self.problems.len();
        let mut values = vec![("min", r.min)];
        values.extend(r.mode.map(|m| ("mode", m)));
        values.push(("max", r.max));
        for (name, v) in &values {
            let k = if kind == ValueKind::Duration {
                ValueKind::NonNegative
            } else {
                kind
            };
            let checked = if bound.0 < 0.0 {
                if v.is_finite() && *v >= bound.0 && *v <= bound.1 {
                    Ok(())
                } else {
                    Err(format!(
                        "must be a finite number from {} to {}, got {v}",
                        bound.0, bound.1
                    ))
                }
            } else {
                check_bounded(k, *v, bound)
            };
            if let Err(e) = checked {
                self.push(
                    Problem::at(span.clone(), format!("`{field}` range: its {name} {e}"))
                        .help(expected(kind, bound)),
                );
            }
        }
        if self.problems.len() > before {
            return None;
        }
        if r.min > r.max {
            self.error_help(
                span,
                format!("`{field}` range: its min ({}) is above its max ({})", r.min, r.max),
                "a range is { min = LOW, mode = MOST_LIKELY, max = HIGH } with LOW <= MOST_LIKELY <= HIGH, or { min = LOW, max = HIGH }",
            );
            return None;
        }
        match r.mode {
            Some(mode) if !(r.min..=r.max).contains(&mode) => {
                self.error_help(
                    span,
                    format!(
                        "`{field}` range: its mode ({mode}) is outside min ({}) to max ({})",
                        r.min, r.max
                    ),
                    "the mode is the most likely value, from min to max",
                );
                None
            }
            Some(mode) => Some(InputRange::Triangular {
                min: r.min,
                mode,
                max: r.max,
            }),
            None => Some(InputRange::Uniform {
                min: r.min,
                max: r.max,
            }),
        }
    }

    /// Checks a number that may be given as a range: its point value (a count's
    /// rounded to a whole number) and the range if given.
    pub(super) fn uncertain(
        &mut self,
        field: &str,
        v: &Spanned<NumSpec>,
        kind: ValueKind,
        bound: Bound,
    ) -> Option<(f64, Option<InputRange>)> {
        match v.get_ref() {
            NumSpec::Value(x) => self
                .value(field, *x, v.span(), kind, bound)
                .map(|x| (x, None)),
            NumSpec::Range(r) => {
                let range = self.range(field, r, v.span(), kind, bound)?;
                let point = if kind == ValueKind::Count {
                    range.point().round()
                } else {
                    range.point()
                };
                Some((point, Some(range)))
            }
        }
    }

    /// A number that cannot vary per replication: a range is a problem that says why.
    pub(super) fn fixed_number(
        &mut self,
        field: &str,
        v: &Spanned<NumSpec>,
        why: &str,
    ) -> Option<Spanned<f64>> {
        match v.get_ref() {
            NumSpec::Value(x) => Some(Spanned::new(v.span(), *x)),
            NumSpec::Range(_) => {
                self.error_help(
                    v.span(),
                    format!("`{field}` cannot be a range: {why}"),
                    format!(
                        "give `{field}` as a plain number (the value used in every replication)"
                    ),
                );
                None
            }
        }
    }

    /// Checks an id's characters: letters, digits, `_` and `-`.
    pub(super) fn id(&mut self, what: &str, id: &Spanned<String>) {
        let s = id.get_ref();
        if s.is_empty() {
            self.error_help(
                id.span(),
                format!("{what} id must not be empty"),
                "ids may hold only letters, digits, `_` and `-`, e.g. id = \"aktau\"",
            );
        } else if let Some(c) = s
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
        {
            self.push(
                Problem::at(id.span(), format!("{what} id `{s}` contains `{c}`"))
                    .help("ids may hold only letters, digits, `_` and `-`"),
            );
        }
    }
}

/// The advice given with every rejected duration.
pub(super) const DURATION_HELP: &str = "a duration is a number of days from 0 to 1e6, or a table such as { dist = \"lognormal\", mean = 2.0, cv = 0.3 } (see networks/README.md)";

/// The expected form of a number, for a rejection's help.
pub(super) fn expected(kind: ValueKind, (min, max, _): Bound) -> String {
    match kind {
        ValueKind::Count => format!("give a whole number from {} to {max}", min.max(1.0)),
        ValueKind::NonNegative if min > 0.0 => {
            format!("give 0 or a number from {min} to {max}")
        }
        ValueKind::NonNegative => format!("give a number from 0 to {max}"),
        ValueKind::Positive | ValueKind::Duration => {
            format!("give a number above zero, from {min} to {max}")
        }
    }
}

/// Why coordinates cannot be ranges.
const WHY_COORDINATE: &str =
    "coordinates place the node on the map and are the same in every replication";
/// Why route-choosing numbers cannot be ranges.
const WHY_ROUTING: &str =
    "it only chooses routes, which are chosen once at day 0 from point values";

/// Records an uncertain input of `target` if the number had a range.
fn record(
    inputs: &mut Vec<UncertainInput>,
    target: Target,
    id: &str,
    param: Param,
    range: Option<InputRange>,
) {
    if let Some(range) = range {
        inputs.push(UncertainInput {
            target,
            param,
            range,
            label: format!("{id}.{}", param.name()),
        });
    }
}

pub(super) fn build(file: NetworkFile) -> Result<Network, Vec<Problem>> {
    let mut ck = Checker::default();
    let mut first_use: HashMap<String, Range<usize>> = HashMap::new();
    let mut inputs = Vec::new();
    let mut nodes = Vec::with_capacity(file.nodes.len());
    let mut node_spans = Vec::with_capacity(file.nodes.len());
    for (i, spec) in file.nodes.iter().enumerate() {
        ck.id("node", &spec.id);
        claim_id(&mut ck, &mut first_use, &spec.id, "node");
        node_spans.push(spec.id.span());
        let target = Target::Node(NodeId(i as u32));
        if let Some(node) = build_node(&mut ck, spec, target, &mut inputs) {
            nodes.push(node);
        } else {
            nodes.push(placeholder_node(spec));
        }
    }
    let node_index: HashMap<&str, NodeId> = file
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.get_ref().as_str(), NodeId(i as u32)))
        .collect();

    let mut legs = Vec::with_capacity(file.legs.len());
    for spec in &file.legs {
        let id = match &spec.id {
            Some(id) => {
                ck.id("leg", id);
                id.clone()
            }
            None => Spanned::new(
                spec.from.span().start..spec.to.span().end,
                format!("{}-{}", spec.from.get_ref(), spec.to.get_ref()),
            ),
        };
        claim_id(&mut ck, &mut first_use, &id, "leg");
        let target = Target::Leg(LegId(legs.len() as u32));
        if let Some(leg) = build_leg(
            &mut ck,
            spec,
            id.into_inner(),
            &node_index,
            target,
            &mut inputs,
        ) {
            legs.push(leg);
        }
    }
    if file.nodes.is_empty() {
        ck.push(Problem::whole("the network has no nodes").help("add [[node]] tables"));
    }
    if ck.problems.is_empty() {
        check_gauges(&mut ck, &nodes, &legs, &node_spans);
    }
    if ck.problems.is_empty() {
        let mut network =
            Network::from_checked_parts(file.network.name, file.network.description, nodes, legs);
        network.uncertain = inputs;
        Ok(network)
    } else {
        ck.problems
            .sort_by_key(|p| p.span.as_ref().map_or(usize::MAX, |s| s.start));
        Err(ck.problems)
    }
}

fn claim_id(
    ck: &mut Checker,
    first_use: &mut HashMap<String, Range<usize>>,
    id: &Spanned<String>,
    what: &str,
) {
    if first_use.contains_key(id.get_ref()) {
        ck.push(
            Problem::at(
                id.span(),
                format!(
                    "duplicate id `{}`: another node or leg already uses it",
                    id.get_ref()
                ),
            )
            .help(format!(
                "give this {what} a different id; node and leg ids share one namespace"
            )),
        );
    } else {
        first_use.insert(id.get_ref().clone(), id.span());
    }
}

fn placeholder_node(spec: &NodeSpec) -> Node {
    Node {
        id: spec.id.get_ref().clone(),
        name: String::new(),
        country: String::new(),
        lat: 0.0,
        lon: 0.0,
        kind: (*spec.kind.get_ref()).into(),
        station: None,
        handling_usd_per_teu: 0.0,
        storage: None,
    }
}

fn build_node(
    ck: &mut Checker,
    spec: &NodeSpec,
    target: Target,
    inputs: &mut Vec<UncertainInput>,
) -> Option<Node> {
    let before = ck.problems.len();
    let lat = ck
        .fixed_number("lat", &spec.lat, WHY_COORDINATE)
        .map_or(0.0, |v| *v.get_ref());
    let lon = ck
        .fixed_number("lon", &spec.lon, WHY_COORDINATE)
        .map_or(0.0, |v| *v.get_ref());
    if !(-90.0..=90.0).contains(&lat) {
        ck.error_help(
            spec.lat.span(),
            format!("`lat` must be between -90 and 90 degrees, got {lat}"),
            "give the latitude in decimal degrees north, e.g. lat = 40.38",
        );
    }
    if !(-180.0..=180.0).contains(&lon) {
        ck.error_help(
            spec.lon.span(),
            format!("`lon` must be between -180 and 180 degrees, got {lon}"),
            "give the longitude in decimal degrees east, e.g. lon = 49.87",
        );
    }
    let handling = spec.handling_usd_per_teu.as_ref().map_or(Some(0.0), |v| {
        let v = ck.fixed_number("handling_usd_per_teu", v, WHY_ROUTING)?;
        ck.number(
            "handling_usd_per_teu",
            &v,
            ValueKind::NonNegative,
            limits::MONEY,
        )
    });
    let kind: NodeKind = (*spec.kind.get_ref()).into();
    let station = match &spec.resource {
        Some(r) => {
            let id = spec.id.get_ref();
            let servers = ck
                .uncertain("servers", &r.servers, ValueKind::Count, limits::SERVERS)
                .map(|(v, range)| {
                    record(inputs, target, id, Param::Servers, range);
                    v as u32
                });
            let service =
                ck.uncertain_duration("service_days", &r.service_days)
                    .map(|(d, range)| {
                        record(inputs, target, id, Param::ServiceDays, range);
                        d
                    });
            if r.gauge_change.is_some() && kind != NodeKind::GaugeChange {
                ck.push(
                    Problem::at(
                        spec.kind.span(),
                        format!(
                            "node `{}` has a `gauge_change` method but its kind is `{}`",
                            spec.id.get_ref(),
                            kind.name()
                        ),
                    )
                    .help("set kind = \"gauge_change\" or remove `gauge_change` from its resource"),
                );
            }
            match (servers, service) {
                (Some(servers), Some(service_days)) => Some(Station {
                    servers,
                    service_days,
                    gauge_change: r.gauge_change.map(Into::into),
                }),
                _ => None,
            }
        }
        None => {
            if kind == NodeKind::GaugeChange {
                ck.push(
                    Problem::at(spec.id.span(), format!(
                        "gauge-change point `{}` has no resource",
                        spec.id.get_ref()
                    ))
                    .help("add a [node.resource] table with `servers`, `service_days` and `gauge_change` (its capacity and time)"),
                );
            }
            None
        }
    };
    let storage = spec.storage.as_ref().and_then(|s| storage(ck, s));
    if ck.problems.len() > before {
        return None;
    }
    Some(Node {
        id: spec.id.get_ref().clone(),
        name: spec
            .name
            .clone()
            .unwrap_or_else(|| spec.id.get_ref().clone()),
        country: spec.country.clone(),
        lat,
        lon,
        kind,
        station,
        handling_usd_per_teu: handling?,
        storage,
    })
}

/// A node's `storage`: exactly one of `wagons` and `teu`, within
/// [`limits::STORAGE`].
fn storage(ck: &mut Checker, spec: &Spanned<StorageSpec>) -> Option<Storage> {
    let s = spec.get_ref();
    let when_full = s.when_full.map_or(WhenFull::Hold, Into::into);
    let (limit, unit) = match (&s.wagons, &s.teu) {
        (Some(w), None) => (
            f64::from(ck.count("storage.wagons", w, limits::STORAGE)?),
            StorageUnit::Wagons,
        ),
        (None, Some(t)) => (
            ck.number("storage.teu", t, ValueKind::Positive, limits::STORAGE)?,
            StorageUnit::Teu,
        ),
        (Some(_), Some(t)) => {
            ck.error_help(
                t.span(),
                "`storage` gives both `wagons` and `teu`",
                "a node's storage counts one unit: keep `wagons` or `teu`",
            );
            return None;
        }
        (None, None) => {
            ck.error_help(
                spec.span(),
                "`storage` gives neither `wagons` nor `teu`",
                "give the limit, e.g. storage = { wagons = 700 } or storage = { teu = 2000, when_full = \"refuse\" }",
            );
            return None;
        }
    };
    Some(Storage {
        limit,
        unit,
        when_full,
    })
}

fn node_ref(
    ck: &mut Checker,
    name: &Spanned<String>,
    index: &HashMap<&str, NodeId>,
) -> Option<NodeId> {
    match index.get(name.get_ref().as_str()) {
        Some(n) => Some(*n),
        None => {
            let mut p = Problem::at(name.span(), format!("unknown node `{}`", name.get_ref()));
            if let Some(h) = did_you_mean(name.get_ref(), index.keys().copied()) {
                p = p.help(h);
            } else {
                p = p.help("every node a leg names must be defined in a [[node]] table");
            }
            ck.push(p);
            None
        }
    }
}

fn build_leg(
    ck: &mut Checker,
    spec: &LegSpec,
    id: String,
    index: &HashMap<&str, NodeId>,
    target: Target,
    inputs: &mut Vec<UncertainInput>,
) -> Option<Leg> {
    let before = ck.problems.len();
    let from = node_ref(ck, &spec.from, index);
    let to = node_ref(ck, &spec.to, index);
    if from.is_some() && from == to {
        ck.error_help(
            spec.to.span(),
            format!("leg `{id}` starts and ends at the same node"),
            "a leg joins two different nodes; a node's own handling time is its [node.resource]",
        );
    }
    let length = ck
        .fixed_number(
            "length_km",
            &spec.length_km,
            "routes are chosen once at day 0 from lengths, and costs and emissions follow them",
        )
        .and_then(|l| ck.number("length_km", &l, ValueKind::Positive, limits::LENGTH_KM));
    let mode: Mode = (*spec.mode.get_ref()).into();
    // A field given where the leg's mode has no use for it (`span` is where it is).
    let forbid = |ck: &mut Checker, span: Option<Range<usize>>, field: &str, why: &str| {
        if let Some(span) = span {
            ck.push(
                Problem::at(
                    span,
                    format!("`{field}` does not apply to a {} leg", mode.name()),
                )
                .help(why.to_string()),
            );
        }
    };
    let tariff = opt_number(
        ck,
        "tariff_usd_per_teu",
        &spec.tariff_usd_per_teu,
        ValueKind::NonNegative,
    );
    let co2 = opt_number(
        ck,
        "co2_kg_per_teu_km",
        &spec.co2_kg_per_teu_km,
        ValueKind::NonNegative,
    );
    let mut capacity = None;
    let mut gauge = None;
    let mut teu_per_truck = DEFAULT_TEU_PER_TRUCK;
    let mut ferry = None;
    let travel = match mode {
        Mode::Rail | Mode::Road => {
            forbid(
                ck,
                spec.ferry.as_ref().map(|_| spec.mode.span()),
                "ferry",
                "only sea legs have a ferry service",
            );
            if mode == Mode::Rail {
                forbid(
                    ck,
                    spec.capacity_trucks_per_day.as_ref().map(Spanned::span),
                    "capacity_trucks_per_day",
                    "use capacity_trains_per_day for rail legs",
                );
                forbid(
                    ck,
                    spec.teu_per_truck.as_ref().map(Spanned::span),
                    "teu_per_truck",
                    "only road legs carry trucks",
                );
                capacity = spec.capacity_trains_per_day.as_ref().and_then(|c| {
                    let (v, range) = ck.uncertain(
                        "capacity_trains_per_day",
                        c,
                        ValueKind::Positive,
                        limits::CAPACITY_PER_DAY,
                    )?;
                    record(inputs, target, &id, Param::CapacityTrainsPerDay, range);
                    Some(v)
                });
                match &spec.gauge_mm {
                    Some(g) if matches!(*g.get_ref(), 1435 | 1520) => gauge = Some(*g.get_ref() as u32),
                    Some(g) => ck.push(
                        Problem::at(g.span(), format!("`gauge_mm` must be 1435 or 1520, got {}", g.get_ref()))
                            .help("1435 mm is standard gauge (China, Georgia–Türkiye BTK west of Akhalkalaki, Europe, Iran); 1520 mm is the Russian gauge (Kazakhstan, Azerbaijan, Georgia)"),
                    ),
                    None => ck.push(
                        Problem::at(spec.mode.span(), format!("rail leg `{id}` has no `gauge_mm`"))
                            .help("add gauge_mm = 1435 or gauge_mm = 1520"),
                    ),
                }
            } else {
                forbid(
                    ck,
                    spec.capacity_trains_per_day.as_ref().map(Spanned::span),
                    "capacity_trains_per_day",
                    "use capacity_trucks_per_day for road legs",
                );
                forbid(
                    ck,
                    spec.gauge_mm.as_ref().map(Spanned::span),
                    "gauge_mm",
                    "only rail legs have a gauge",
                );
                capacity = spec.capacity_trucks_per_day.as_ref().and_then(|c| {
                    let (v, range) = ck.uncertain(
                        "capacity_trucks_per_day",
                        c,
                        ValueKind::Positive,
                        limits::CAPACITY_PER_DAY,
                    )?;
                    record(inputs, target, &id, Param::CapacityTrucksPerDay, range);
                    Some(v)
                });
                if let Some(t) = &spec.teu_per_truck {
                    teu_per_truck = ck
                        .fixed_number(
                            "teu_per_truck",
                            t,
                            "routes turn each train into trucks once, at day 0",
                        )
                        .and_then(|t| {
                            ck.number(
                                "teu_per_truck",
                                &t,
                                ValueKind::Positive,
                                limits::TEU_PER_TRUCK,
                            )
                        })
                        .unwrap_or(DEFAULT_TEU_PER_TRUCK);
                }
            }
            match &spec.travel_days {
                Some(t) => ck.uncertain_duration("travel_days", t).map(|(d, range)| {
                    record(inputs, target, &id, Param::TravelDays, range);
                    d
                }),
                None => {
                    ck.push(
                        Problem::at(spec.mode.span(), format!("{} leg `{id}` has no `travel_days`", mode.name()))
                            .help("add travel_days = DAYS or a distribution such as { dist = \"lognormal\", mean = 2.0, cv = 0.3 }"),
                    );
                    None
                }
            }
        }
        Mode::Sea => {
            forbid(
                ck,
                spec.travel_days.as_ref().map(Spanned::span),
                "travel_days",
                "a sea leg's crossing time is its ferry's `sailing_days`",
            );
            forbid(
                ck,
                spec.capacity_trains_per_day.as_ref().map(Spanned::span),
                "capacity_trains_per_day",
                "a sea leg's capacity is set by its ferry: vessels, wagons_per_sailing and departure",
            );
            forbid(
                ck,
                spec.capacity_trucks_per_day.as_ref().map(Spanned::span),
                "capacity_trucks_per_day",
                "a sea leg's capacity is set by its ferry",
            );
            forbid(
                ck,
                spec.gauge_mm.as_ref().map(Spanned::span),
                "gauge_mm",
                "only rail legs have a gauge",
            );
            match &spec.ferry {
                Some(f) => {
                    let sailing =
                        ck.uncertain_duration("sailing_days", &f.sailing_days)
                            .map(|(d, range)| {
                                record(inputs, target, &id, Param::FerrySailingDays, range);
                                d
                            });
                    ferry = build_ferry(ck, f, spec.mode.span(), target, &id, inputs);
                    sailing
                }
                None => {
                    ck.push(
                        Problem::at(spec.mode.span(), format!("sea leg `{id}` has no ferry service"))
                            .help("add a [leg.ferry] table with vessels, wagons_per_sailing, departure, sailing_days and turnaround_days"),
                    );
                    None
                }
            }
        }
    };
    if ck.problems.len() > before {
        return None;
    }
    Some(Leg {
        id,
        from: from?,
        to: to?,
        mode,
        length_km: length?,
        travel_days: travel?,
        capacity_per_day: capacity,
        teu_per_truck,
        gauge_mm: gauge,
        tariff_usd_per_teu: tariff?,
        co2_kg_per_teu_km: co2?,
        one_way: spec.one_way,
        ferry,
    })
}

fn opt_number(
    ck: &mut Checker,
    field: &str,
    v: &Option<Spanned<NumSpec>>,
    kind: ValueKind,
) -> Option<f64> {
    match v {
        Some(v) => {
            let v = ck.fixed_number(field, v, WHY_ROUTING)?;
            ck.number(field, &v, kind, limits::MONEY)
        }
        None => Some(0.0),
    }
}

fn build_ferry(
    ck: &mut Checker,
    f: &FerrySpec,
    leg_span: Range<usize>,
    target: Target,
    id: &str,
    inputs: &mut Vec<UncertainInput>,
) -> Option<Ferry> {
    let before = ck.problems.len();
    let classes = f.classes.as_ref().map(|c| build_classes(ck, c));
    let (vessels, wagons) = match (&f.classes, &f.vessels, &f.wagons_per_sailing) {
        (Some(_), v, w) => {
            if let Some(span) = v
                .as_ref()
                .map(|v| v.span())
                .or_else(|| w.as_ref().map(|w| w.span()))
                .or_else(|| f.teu_per_sailing.as_ref().map(|t| t.span()))
            {
                ck.error_help(
                    span,
                    "a ferry with `classes` takes its vessels, wagons and TEU from the classes",
                    "remove vessels, wagons_per_sailing and teu_per_sailing, or remove classes",
                );
            }
            (None, None)
        }
        (None, Some(v), Some(w)) => (
            ck.uncertain("vessels", v, ValueKind::Count, limits::VESSELS)
                .map(|(v, range)| {
                    record(inputs, target, id, Param::FerryVessels, range);
                    v as u32
                }),
            wagons_per_sailing(ck, w).map(|(w, range)| {
                record(inputs, target, id, Param::FerryWagonsPerSailing, range);
                w
            }),
        ),
        (None, v, _) => {
            let missing = if v.is_none() {
                "vessels"
            } else {
                "wagons_per_sailing"
            };
            ck.error_help(
                leg_span,
                format!("the ferry has no `{missing}`"),
                "give vessels and wagons_per_sailing, or a list of [[leg.ferry.classes]] with count and wagons",
            );
            (None, None)
        }
    };
    let load_factor = f.load_factor.as_ref().map(|l| {
        ck.uncertain("load_factor", l, ValueKind::Positive, limits::LOAD_FACTOR)
            .map(|(v, range)| {
                record(inputs, target, id, Param::FerryLoadFactor, range);
                v
            })
    });
    let by_month = f.load_factor_by_month.as_ref().map(|m| {
        let v = m.get_ref();
        let (min, max, _) = limits::LOAD_FACTOR;
        if v.len() == 12 && v.iter().all(|x| x.is_finite() && *x >= min && *x <= max) {
            let mut a = [1.0; 12];
            a.copy_from_slice(v);
            Some(a)
        } else {
            ck.error_help(
                m.span(),
                format!(
                    "`load_factor_by_month` needs 12 monthly factors from {min} to {max}; got {} values{}",
                    v.len(),
                    v.iter()
                        .find(|x| !(x.is_finite() && **x >= min && **x <= max))
                        .map_or(String::new(), |x| format!(", one of them {x}"))
                ),
                "e.g. load_factor_by_month = [1, 1, 1, 1, 0.9, 0.85, 0.85, 0.85, 0.9, 1, 1, 1] (January first)",
            );
            None
        }
    });
    let has_deadweight = classes
        .as_ref()
        .and_then(|c| c.as_ref())
        .is_some_and(|c| c.iter().any(|c| c.deadweight_t.is_some()));
    if !has_deadweight {
        let span = f
            .load_factor
            .as_ref()
            .map(|l| l.span())
            .or_else(|| f.load_factor_by_month.as_ref().map(|m| m.span()));
        if let Some(span) = span {
            ck.error_help(
                span,
                "a load factor acts on a vessel's deadweight, and no vessel class of this ferry gives one",
                "add deadweight_t to the [[leg.ferry.classes]], e.g. deadweight_t = 5740",
            );
        }
    }
    let teu = f.teu_per_sailing.as_ref().map(|t| {
        ck.uncertain("teu_per_sailing", t, ValueKind::Positive, limits::LOAD)
            .map(|(v, range)| {
                record(inputs, target, id, Param::FerryTeuPerSailing, range);
                v
            })
    });
    let departure = match f.departure.get_ref() {
        DepartureSpec::Timetable {
            every_days,
            first_days,
        } => {
            let span = f.departure.span();
            let every = ck.value(
                "every_days",
                *every_days,
                span.clone(),
                ValueKind::Positive,
                limits::EVERY_DAYS,
            );
            let first = first_days.unwrap_or(*every_days);
            let first_ok = ck
                .value(
                    "first_days",
                    first,
                    span.clone(),
                    ValueKind::NonNegative,
                    limits::DAYS,
                )
                .is_some();
            match (every, first_ok) {
                (Some(every_days), true) => Some(Departure::Timetable {
                    every_days,
                    first_days: first,
                }),
                _ => None,
            }
        }
        DepartureSpec::WhenFull { max_wait_days } => ck
            .value(
                "max_wait_days",
                *max_wait_days,
                f.departure.span(),
                ValueKind::NonNegative,
                limits::DAYS,
            )
            .map(|max_wait_days| Departure::WhenFull { max_wait_days }),
    };
    let turnaround = ck
        .uncertain_duration("turnaround_days", &f.turnaround_days)
        .map(|(d, range)| {
            record(inputs, target, id, Param::FerryTurnaroundDays, range);
            d
        });
    let weather = f.weather.as_ref().map(|w| {
        let rate = match (&w.closures_per_year, &w.closures_per_year_by_month) {
            (Some(r), None) => ck
                .uncertain(
                    "closures_per_year",
                    r,
                    ValueKind::NonNegative,
                    limits::PER_YEAR,
                )
                .map(|(v, range)| {
                    record(inputs, target, id, Param::WeatherClosuresPerYear, range);
                    (v, None)
                }),
            (None, Some(m)) => ck
                .monthly_rates("closures_per_year_by_month", m)
                .map(|m| (m.iter().sum::<f64>() / 12.0, Some(m))),
            (Some(r), Some(_)) => {
                ck.error_help(
                    r.span(),
                    "give `closures_per_year` or `closures_per_year_by_month`, not both",
                    "the monthly rates replace the yearly one; remove closures_per_year",
                );
                None
            }
            (None, None) => {
                ck.error_help(
                    w.closure_days.span(),
                    "`[leg.ferry.weather]` needs `closures_per_year` or `closures_per_year_by_month`",
                    "e.g. closures_per_year = 12",
                );
                None
            }
        };
        let days = ck
            .uncertain_duration("closure_days", &w.closure_days)
            .map(|(d, range)| {
                record(inputs, target, id, Param::WeatherClosureDays, range);
                d
            });
        match (rate, days) {
            (Some((closures_per_year, closures_per_year_by_month)), Some(closure_days)) => {
                Some(Weather {
                    closures_per_year,
                    closures_per_year_by_month,
                    closure_days,
                })
            }
            _ => None,
        }
    });
    let availability = f.availability.as_ref().map(|a| {
        let rate = ck.number(
            "absences_per_year",
            &a.absences_per_year,
            ValueKind::Positive,
            limits::PER_YEAR,
        );
        let days = ck.duration("absence_days", &a.absence_days);
        Some(Availability {
            absences_per_year: rate?,
            absence_days: days?,
        })
    });
    let road = f.road.as_ref().map(|r| {
        let rate = ck.number(
            "units_per_day",
            &r.units_per_day,
            ValueKind::Positive,
            limits::CAPACITY_PER_DAY,
        );
        let weq = ck.number(
            "wagon_equivalents",
            &r.wagon_equivalents,
            ValueKind::Positive,
            limits::WAGON_EQUIVALENTS,
        );
        let mut choice = |field: &str, v: &Option<Spanned<String>>, names: [&str; 2]| match v {
            None => Some(false),
            Some(s) if s.get_ref() == names[0] => Some(false),
            Some(s) if s.get_ref() == names[1] => Some(true),
            Some(s) => {
                ck.error_help(
                    s.span(),
                    format!("unknown `{field}` `{}`", s.get_ref()),
                    format!("{field} = \"{}\" (default) or \"{}\"", names[0], names[1]),
                );
                None
            }
        };
        let road_first = choice("loading", &r.loading, ["rail_first", "road_first"]);
        let evenly = choice("arrivals", &r.arrivals, ["poisson", "timetable"]);
        let tonnes = r
            .tonnes_per_unit
            .as_ref()
            .map(|t| ck.number("tonnes_per_unit", t, ValueKind::NonNegative, limits::LOAD));
        Some(RoadDeck {
            units_per_day: rate?,
            poisson: !evenly?,
            wagon_equivalents: weq?,
            tonnes_per_unit: tonnes.map_or(Some(0.0), |t| t)?,
            road_first: road_first?,
        })
    });
    if ck.problems.len() > before {
        return None;
    }
    let (vessels, wagons, teu, classes) = match classes.flatten() {
        Some(classes) => (
            classes.iter().map(|c| c.count).sum(),
            classes.iter().map(|c| c.wagons).max().unwrap_or(1),
            classes.iter().filter_map(|c| c.teu).min_by(f64::total_cmp),
            classes,
        ),
        None => (vessels?, wagons?, teu.flatten(), Vec::new()),
    };
    let road = road.flatten();
    if let (Some(deck), Some(spec)) = (&road, &f.road) {
        let smallest = classes.iter().map(|c| c.wagons).min().unwrap_or(wagons);
        if deck.wagon_equivalents > f64::from(smallest) {
            ck.error_help(
                spec.wagon_equivalents.span(),
                format!(
                    "a road unit of {} wagon equivalents does not fit the smallest deck of this ferry ({smallest} wagons)",
                    deck.wagon_equivalents
                ),
                format!("give wagon_equivalents of at most {smallest}"),
            );
            return None;
        }
        let heaviest = classes
            .iter()
            .filter_map(|c| c.deadweight_t)
            .reduce(f64::max);
        if let (Some(dw), Some(t)) = (heaviest, &spec.tonnes_per_unit)
            && deck.tonnes_per_unit > dw
        {
            ck.error_help(
                t.span(),
                format!(
                    "a road unit of {} t is heavier than the deadweight of every vessel class ({dw} t at most)",
                    deck.tonnes_per_unit
                ),
                format!("give tonnes_per_unit of at most {dw}"),
            );
            return None;
        }
    }
    Some(Ferry {
        vessels,
        wagons_per_sailing: wagons,
        teu_per_sailing: teu,
        departure: departure?,
        turnaround_days: turnaround?,
        weather: weather.flatten(),
        classes,
        load_factor: load_factor.flatten().unwrap_or(1.0),
        load_factor_by_month: by_month.flatten(),
        availability: availability.flatten(),
        road,
    })
}

fn wagons_per_sailing(ck: &mut Checker, w: &Spanned<NumSpec>) -> Option<(u32, Option<InputRange>)> {
    let v = match w.get_ref() {
        NumSpec::Value(v) => *v,
        NumSpec::Range(_) => {
            let (v, range) = ck.uncertain(
                "wagons_per_sailing",
                w,
                ValueKind::Count,
                limits::WAGONS_PER_SAILING,
            )?;
            return Some((v as u32, range));
        }
    };
    let (_, max_wagons, why) = limits::WAGONS_PER_SAILING;
    if v.is_finite() && v >= 1.0 && v.fract() == 0.0 && v <= max_wagons {
        Some((v as u32, None))
    } else {
        ck.push(
            Problem::at(w.span(), format!(
                "ferry capacity must be a whole number from 1 to {max_wagons} wagons per sailing, got {v} ({why})"
            ))
            .help("a rail ferry of the Caspian fleet carries 54 wagons per sailing"),
        );
        None
    }
}

/// Checks a fleet's vessel classes; their total count must stay within the bound.
fn build_classes(ck: &mut Checker, c: &Spanned<Vec<VesselClassSpec>>) -> Option<Vec<VesselClass>> {
    let before = ck.problems.len();
    if c.get_ref().is_empty() {
        ck.error_help(
            c.span(),
            "`classes` is empty",
            "give at least one class, e.g. { count = 2, wagons = 54, deadweight_t = 5000 }",
        );
        return None;
    }
    let mut out = Vec::new();
    for spec in c.get_ref() {
        let count = ck.count("count", &spec.count, limits::VESSELS);
        let (_, max_wagons, _) = limits::WAGONS_PER_SAILING;
        let wagons = ck.count(
            "wagons",
            &spec.wagons,
            (1.0, max_wagons, limits::WAGONS_PER_SAILING.2),
        );
        let teu = spec
            .teu
            .as_ref()
            .map(|t| ck.number("teu", t, ValueKind::Positive, limits::LOAD));
        let dw = spec
            .deadweight_t
            .as_ref()
            .map(|t| ck.number("deadweight_t", t, ValueKind::Positive, limits::DEADWEIGHT_T));
        let tare = spec
            .tare_t_per_wagon
            .as_ref()
            .map(|t| ck.number("tare_t_per_wagon", t, ValueKind::NonNegative, limits::LOAD));
        if let (Some(count), Some(wagons)) = (count, wagons) {
            out.push(VesselClass {
                count,
                wagons,
                teu: teu.flatten(),
                deadweight_t: dw.flatten(),
                tare_t_per_wagon: tare.flatten().unwrap_or(0.0),
            });
        }
    }
    let total: f64 = out.iter().map(|c| f64::from(c.count)).sum();
    let (_, max, why) = limits::VESSELS;
    if total > max {
        ck.error_help(
            c.span(),
            format!("the classes hold {total} vessels in all, more than {max} ({why})"),
            "lower the classes' counts",
        );
    }
    (ck.problems.len() == before).then_some(out)
}

/// A rail gauge may change only at a gauge-change point.
fn check_gauges(ck: &mut Checker, nodes: &[Node], legs: &[Leg], node_spans: &[Range<usize>]) {
    let mut gauges: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); nodes.len()];
    for leg in legs {
        if let Some(g) = leg.gauge_mm {
            gauges[leg.from.0 as usize].insert(g);
            gauges[leg.to.0 as usize].insert(g);
        }
    }
    for (i, node) in nodes.iter().enumerate() {
        if gauges[i].len() > 1 && node.kind != NodeKind::GaugeChange {
            let list = |g: u32| {
                legs.iter()
                    .filter(|l| {
                        l.gauge_mm == Some(g) && (l.from.0 as usize == i || l.to.0 as usize == i)
                    })
                    .map(|l| format!("`{}`", l.id))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            ck.push(
                Problem::at(node_spans[i].clone(), format!(
                    "rail gauge changes at `{}` (1435 mm: {}; 1520 mm: {}) but it is not a gauge-change point",
                    node.id,
                    list(1435),
                    list(1520)
                ))
                .help("set kind = \"gauge_change\" and give the node a [node.resource] with the change's capacity and time, or correct the legs' gauge_mm"),
            );
        }
    }
}
