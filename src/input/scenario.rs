//! Checks a parsed scenario file against its network and builds the [`Scenario`].

use std::path::{Path, PathBuf};

use serde_spanned::Spanned;

use super::did_you_mean;
use super::dto::{ArrivalKind, DurationSpec, FlowSpec, NumSpec, RoutePolicyKind, ScenarioFile};
use super::network::Checker;
use super::network::expected;
use super::timeline;
use crate::dist::Dist;
use crate::error::Problem;
use crate::network::limits;
use crate::network::{
    Change, InputRange, Network, NodeId, Param, Target, UncertainInput, ValueKind, check_bounded,
};
use crate::routing::Router;
use crate::scenario::{
    Arrivals, DatedOverride, Disruption, DisruptionTiming, Flow, InputMode, Override, RateProfile,
    RoutePolicy, RunSettings, Scenario, SplitRoute, Sweep, SweepParam, TrainSize, check_window,
    check_work,
};

/// Days per week, for converting volumes.
const DAYS_PER_WEEK: f64 = 7.0;
/// Days per year, for converting volumes and rates.
const DAYS_PER_YEAR: f64 = 365.0;
/// Longest horizon accepted (days): about 27,000 years, far beyond any study, and
/// still exact in the engine's integer milliseconds.
pub const MAX_HORIZON_DAYS: f64 = limits::MAX_HORIZON_DAYS;
/// Longest scenario name: it becomes a folder name (255 bytes on most file systems).
const MAX_NAME_LEN: usize = 200;
/// Most alternatives an adaptive flow may choose among.
const MAX_ALTERNATIVES: i64 = 20;

pub(super) fn build(
    file: ScenarioFile,
    path: &Path,
    network_path: PathBuf,
    mut network: Network,
) -> Result<(Scenario, Network), Vec<Problem>> {
    let mut ck = Checker::default();
    let name = file.name.get_ref().trim().to_string();
    if name.is_empty() {
        ck.error_help(
            file.name.span(),
            "`name` must not be empty",
            "the name becomes the results folder, e.g. name = \"middle-corridor-2024\"",
        );
    } else if name.starts_with('.') {
        ck.push(
            Problem::at(
                file.name.span(),
                format!("scenario name `{name}` starts with `.`"),
            )
            .help("the name becomes the results folder; start it with a letter or digit (`.` and `..` are not folder names of their own)"),
        );
    } else if name.len() > MAX_NAME_LEN {
        ck.push(
            Problem::at(
                file.name.span(),
                format!(
                    "scenario name is {} characters long, more than {MAX_NAME_LEN}",
                    name.len()
                ),
            )
            .help("the name becomes the results folder; shorten it"),
        );
    } else if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
    {
        ck.push(
            Problem::at(
                file.name.span(),
                format!("scenario name `{name}` contains `{c}`"),
            )
            .help("the name becomes the results folder; use letters, digits, `_`, `-` and `.`"),
        );
    }
    let run = run_settings(&mut ck, &file);
    let calendar = timeline::calendar(&mut ck, &file);
    let period = timeline::period(&mut ck, &file, &calendar);

    // Overrides change the network first, so flows are checked against what will run;
    // dated ones are checked on a copy and kept for the model to apply on their days.
    let mut overrides = Vec::new();
    let mut dated = Vec::new();
    let mut uncertain = network.uncertain.clone();
    for spec in &file.overrides {
        let Ok(window) = timeline::window(&mut ck, spec, &calendar) else {
            continue;
        };
        let Some(target) = target_ref(&mut ck, &spec.target, &network) else {
            continue;
        };
        let Some(param) = param_ref(&mut ck, &spec.param) else {
            continue;
        };
        if let Err(e) = param.check_target(&network, target) {
            ck.error_help(
                spec.param.span(),
                e,
                "choose a parameter that the target has (see scenarios/README.md, overrides)",
            );
            continue;
        }
        let change = match (&spec.value, &spec.factor, &spec.add) {
            (Some(v), None, None) => change_value(&mut ck, param, v),
            (None, Some(f), None) => match f.get_ref() {
                NumSpec::Value(x) => ck
                    .value("factor", *x, f.span(), ValueKind::Positive, limits::FACTOR)
                    .map(|x| Proposed::Fixed(Change::Scale(x))),
                NumSpec::Range(r) => ck
                    .range("factor", r, f.span(), ValueKind::Positive, limits::FACTOR)
                    .map(Proposed::Factor),
            },
            (None, None, Some(a)) => match a.get_ref() {
                NumSpec::Value(x) => {
                    super::layers::change_add(&mut ck, param, &Spanned::new(a.span(), *x))
                        .map(Proposed::Fixed)
                }
                NumSpec::Range(_) if param.kind() == ValueKind::Duration => {
                    super::layers::change_add(&mut ck, param, &Spanned::new(a.span(), 0.0))
                        .map(Proposed::Fixed)
                }
                NumSpec::Range(r) => ck
                    .range(
                        "add",
                        r,
                        a.span(),
                        ValueKind::NonNegative,
                        (
                            -super::layers::MAX_ADD,
                            super::layers::MAX_ADD,
                            "keeps the sum finite",
                        ),
                    )
                    .map(Proposed::Add),
            },
            _ => {
                ck.push(
                    Problem::at(
                        spec.param.span(),
                        "an override needs exactly one of `value`, `factor` and `add`",
                    )
                    .help(
                        "value = NEW sets the parameter; factor = F multiplies its current value; add = N adds to it",
                    ),
                );
                None
            }
        };
        let Some(proposed) = change else { continue };
        let span = spec.value.as_ref().map_or_else(
            || {
                spec.factor
                    .as_ref()
                    .or(spec.add.as_ref())
                    .map(Spanned::span)
                    .unwrap_or(spec.param.span())
            },
            Spanned::span,
        );
        let change = match proposed {
            Proposed::Fixed(change) => {
                // A fixed change after a range: a new value ends its uncertainty, a
                // factor or an amount moves its range.
                if let Some(k) = uncertain
                    .iter()
                    .position(|u: &UncertainInput| u.target == target && u.param == param)
                    && window.is_none()
                {
                    let u = &mut uncertain[k];
                    match &change {
                        Change::Number(_) | Change::Dist(_) => {
                            uncertain.remove(k);
                        }
                        Change::Scale(f) if !u.is_scale() => u.range = u.range.map(|x| x * f),
                        Change::Add(a) => u.range = u.range.map(|x| x + a),
                        Change::Scale(_) => {}
                    }
                }
                change
            }
            _ if window.is_some() => {
                ck.error_help(
                    span,
                    format!("`{}`: a dated override cannot be a range", param.name()),
                    "ranges are drawn once per replication from day 0: give the range in the network file or in an override without `from` and `until` (a dated factor then applies to the drawn value)",
                );
                continue;
            }
            _ if uncertain
                .iter()
                .any(|u| u.target == target && u.param == param) =>
            {
                ck.error_help(
                    span,
                    format!(
                        "`{}` of `{}` is already a range (in the network file or an earlier override)",
                        param.name(),
                        network.target_name(target)
                    ),
                    "give a new range with `value = { min, mode, max }` in one place only, or a plain `factor`/`add` to move the range",
                );
                continue;
            }
            _ if param.check_uncertain().is_err() => {
                let e = param.check_uncertain().unwrap_err();
                ck.error_help(
                    span,
                    e,
                    "give a plain number (the value used in every replication)",
                );
                continue;
            }
            proposed => {
                let Some((change, input)) =
                    uncertain_change(&mut ck, &network, target, param, proposed, span.clone())
                else {
                    continue;
                };
                uncertain.push(input);
                change
            }
        };
        if let Some((from_day, until_day)) = window {
            if let Err(e) = param.check_dated() {
                ck.error_help(
                    spec.from.as_ref().or(spec.until.as_ref()).map_or(span, Spanned::span),
                    e,
                    "give this change without `from` and `until`, or change it with a [[disruption]]",
                );
                continue;
            }
            let mut scratch = network.clone();
            if let Err(e) = scratch.apply(target, param, &change) {
                ck.error_help(
                    span,
                    format!("`{}`: {e}", param.name()),
                    expected(param.kind(), param.bound()),
                );
                continue;
            }
            dated.push(DatedOverride {
                id: spec.id.as_ref().map(|i| i.get_ref().clone()),
                change: Override {
                    target,
                    param,
                    change,
                    note: spec.note.clone(),
                },
                from_day,
                until_day,
            });
            continue;
        }
        if let Err(e) = network.apply(target, param, &change) {
            ck.error_help(
                span,
                format!("`{}`: {e}", param.name()),
                expected(param.kind(), param.bound()),
            );
            continue;
        }
        overrides.push(Override {
            target,
            param,
            change,
            note: spec.note.clone(),
        });
    }

    let router = Router::new(&network);
    let classes = super::classes::classes(&mut ck, &file);
    let mut flows = Vec::new();
    for (i, spec) in file.flows.iter().enumerate() {
        let horizon = run.map(|r| r.horizon_days);
        let class = super::classes::flow_class(&mut ck, spec, &classes);
        if let Some(mut flow) = build_flow(&mut ck, spec, i, &network, &router, &calendar, horizon)
        {
            flow.class = class;
            if flows.iter().any(|f: &Flow| f.id == flow.id) {
                let span = spec.id.as_ref().map_or(spec.from.span(), Spanned::span);
                ck.push(
                    Problem::at(span, format!("duplicate flow id `{}`", flow.id))
                        .help("give each flow a distinct `id`"),
                );
            }
            flows.push(flow);
        }
    }
    if file.flows.is_empty() {
        ck.push(
            Problem::whole("the scenario has no flows")
                .help("add [[flow]] tables with from, to, trains_per_week and train"),
        );
    }

    let mut disruptions = Vec::new();
    for spec in &file.disruptions {
        let target = target_ref(&mut ck, &spec.target, &network);
        let duration = ck.duration("duration_days", &spec.duration_days);
        let timing = match (&spec.start_day, &spec.per_year, &spec.per_year_by_month) {
            (Some(s), None, None) => timeline::day(&mut ck, "start_day", s, &calendar).and_then(|start_day| {
                match run {
                    Some(r) if start_day >= r.horizon_days => {
                        ck.push(Problem::at(s.span(), format!("the closure starts on day {start_day}, after the horizon ({} days)", r.horizon_days))
                            .help("use a start_day inside the horizon, or lengthen horizon_days"));
                        None
                    }
                    _ => Some(DisruptionTiming::Scheduled { start_day }),
                }
            }),
            (None, Some(r), None) => ck.number("per_year", r, ValueKind::Positive, limits::PER_YEAR).map(|per_year| DisruptionTiming::Random { per_year, by_month: None }),
            (None, None, Some(m)) => ck.monthly_rates("per_year_by_month", m).map(|m| DisruptionTiming::Random {
                per_year: m.iter().sum::<f64>() / 12.0,
                by_month: Some(m),
            }),
            _ => {
                ck.push(
                    Problem::at(spec.target.span(), "a disruption needs exactly one of `start_day` (scheduled), `per_year` (random) and `per_year_by_month` (random, seasonal)")
                        .help("start_day = 100 closes once on day 100; per_year = 4 closes at random four times a year on average; per_year_by_month = [12 rates] varies that rate by calendar month"),
                );
                None
            }
        };
        if let (Some(target), Some(timing), Some(duration_days)) = (target, timing, duration) {
            disruptions.push(Disruption {
                target,
                timing,
                duration_days,
            });
        }
    }

    let backlog = timeline::backlog(&mut ck, &file.backlog, &flows, &network, &router);
    let embargoes = super::embargo::embargoes(&mut ck, &file.embargo, &network);

    if ck.problems.is_empty()
        && let Some(r) = run
    {
        let candidate = Scenario {
            name: String::new(),
            description: String::new(),
            path: PathBuf::new(),
            network_path: PathBuf::new(),
            run: r,
            flows: flows.clone(),
            overrides: Vec::new(),
            disruptions: disruptions.clone(),
            sweep: None,
            bases: Vec::new(),
            sets: Vec::new(),
            calendar,
            dated: dated.clone(),
            backlog: backlog.clone(),
            period,
            classes: classes.clone(),
            uncertain: Vec::new(),
            inputs: InputMode::Sampled,
            embargoes: embargoes.clone(),
        };
        if let Err(e) = check_work(&candidate, &network) {
            ck.push(Problem::at(file.horizon_days.span(), e).help(format!(
                "a replication may be offered at most {:e} trains and expect at most {:e} sailings and closures",
                limits::MAX_TRAINS_PER_REPLICATION,
                limits::MAX_EVENTS_PER_REPLICATION
            )));
        }
    }

    let sweep = file.sweep.as_ref().and_then(|s| {
        let param = match super::layers::group_sweep_param(s.param.get_ref(), &flows)
            .unwrap_or_else(|| parse_sweep_param(s.param.get_ref(), &network))
        {
            Ok(p) => Some(p),
            Err(e) => {
                ck.error_help(
                    s.param.span(),
                    e,
                    "use `demand` or TARGET.PARAM, e.g. `aktau-alat.ferry.vessels`",
                );
                None
            }
        };
        let values = s.values.get_ref().clone();
        if values.is_empty() {
            ck.error_help(
                s.values.span(),
                "a sweep needs at least one value",
                "e.g. values = [0.5, 1.0, 1.5]",
            );
        }
        if let Some(p) = param {
            for v in &values {
                if let Err(e) = check_sweep_value(p, *v) {
                    let help = match p {
                        SweepParam::Demand | SweepParam::DemandGroup(_) => {
                            expected(ValueKind::Positive, limits::FACTOR)
                        }
                        SweepParam::Network(_, q) => expected(q.kind(), q.bound()),
                        SweepParam::DatedFrom(_) => expected(ValueKind::NonNegative, limits::DAYS),
                    };
                    ck.error_help(s.values.span(), format!("sweep value {e}"), help);
                    break;
                }
            }
        }
        let limit = match &s.p95_limit_factor {
            Some(f) if *f.get_ref() > 1.0 && f.get_ref().is_finite() => *f.get_ref(),
            Some(f) => {
                ck.error_help(
                    f.span(),
                    format!(
                        "`p95_limit_factor` must be a finite number above 1, got {}",
                        f.get_ref()
                    ),
                    "e.g. p95_limit_factor = 2 (the p95 may double before a load counts as too much)",
                );
                2.0
            }
            None => 2.0,
        };
        Some(Sweep {
            param: param?,
            values,
            p95_limit_factor: limit,
        })
    });

    if !ck.problems.is_empty() {
        ck.problems
            .sort_by_key(|p| p.span.as_ref().map_or(usize::MAX, |s| s.start));
        return Err(ck.problems);
    }
    let scenario = Scenario {
        name,
        description: file.description,
        path: path.to_path_buf(),
        network_path,
        run: run.expect("no problems means run settings are valid"),
        flows,
        overrides,
        disruptions,
        sweep,
        bases: Vec::new(),
        sets: Vec::new(),
        calendar,
        dated,
        backlog,
        period,
        classes,
        uncertain,
        inputs: InputMode::Sampled,
        embargoes,
    };
    Ok((scenario, network))
}

fn run_settings(ck: &mut Checker, file: &ScenarioFile) -> Option<RunSettings> {
    let mut horizon = ck.number(
        "horizon_days",
        &file.horizon_days,
        ValueKind::Positive,
        (0.0, f64::INFINITY, ""),
    );
    if let Some(h) = horizon.filter(|h| *h > MAX_HORIZON_DAYS) {
        ck.push(
            Problem::at(file.horizon_days.span(), format!("`horizon_days` {h} is beyond the longest horizon, {MAX_HORIZON_DAYS} days"))
                .help("a horizon is simulated day by day; use more replications rather than centuries of one"),
        );
        horizon = None;
    }
    let warmup = ck.number(
        "warmup_days",
        &file.warmup_days,
        ValueKind::NonNegative,
        (0.0, MAX_HORIZON_DAYS, "the longest horizon"),
    );
    if let (Some(h), Some(w)) = (horizon, warmup)
        && let Err(e) = check_window(h, w)
    {
        ck.push(Problem::at(file.warmup_days.span(), e).help(
            "the horizon includes the warm-up; observations are kept only after the warm-up ends",
        ));
        horizon = None;
    }
    let reps = ck.count(
        "replications",
        &file.replications,
        (
            1.0,
            limits::MAX_REPLICATIONS as f64,
            limits::WHY_REPLICATIONS,
        ),
    );
    let seed = *file.seed.get_ref();
    if seed < 0 {
        ck.error_help(
            file.seed.span(),
            format!("`seed` must not be negative, got {seed}"),
            "give a whole number from 0 to 9223372036854775807",
        );
    }
    Some(RunSettings {
        horizon_days: horizon?,
        warmup_days: warmup.filter(|w| *w < horizon.unwrap_or(f64::INFINITY))?,
        replications: reps? as u64,
        seed: u64::try_from(seed).ok()?,
        max_trains_in_system: limits::DEFAULT_MAX_TRAINS_IN_SYSTEM,
    })
}

fn target_ref(ck: &mut Checker, name: &Spanned<String>, network: &Network) -> Option<Target> {
    match network.target(name.get_ref()) {
        Some(t) => Some(t),
        None => {
            let mut p = Problem::at(
                name.span(),
                format!("unknown node or leg `{}`", name.get_ref()),
            );
            if let Some(h) = did_you_mean(name.get_ref(), network.all_names()) {
                p = p.help(h);
            }
            ck.push(p);
            None
        }
    }
}

fn node_ref(ck: &mut Checker, name: &Spanned<String>, network: &Network) -> Option<NodeId> {
    match network.node_id(name.get_ref()) {
        Some(n) => Some(n),
        None => {
            let mut p = Problem::at(name.span(), format!("unknown node `{}`", name.get_ref()));
            if let Some(h) = did_you_mean(name.get_ref(), network.node_names()) {
                p = p.help(h);
            } else {
                p = p.help("use a node id from the network file");
            }
            ck.push(p);
            None
        }
    }
}

fn param_ref(ck: &mut Checker, name: &Spanned<String>) -> Option<Param> {
    match Param::parse(name.get_ref()) {
        Some(p) => Some(p),
        None => {
            let help = did_you_mean(name.get_ref(), Param::ALL.iter().map(|p| p.name()))
                .unwrap_or_else(|| {
                    format!(
                        "parameters are: {}",
                        Param::ALL
                            .iter()
                            .map(|p| p.name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                });
            ck.push(
                Problem::at(
                    name.span(),
                    format!("unknown parameter `{}`", name.get_ref()),
                )
                .help(help),
            );
            None
        }
    }
}

/// An override's change as written: fixed, or with a range of the new value, of the
/// factor or of the amount added.
enum Proposed {
    /// A plain change.
    Fixed(Change),
    /// `value = { min, mode, max }`, or a duration with `scale` (the range of the
    /// factor on the distribution, given with it).
    Value(InputRange, Option<Dist>),
    /// `factor = { ... }`.
    Factor(InputRange),
    /// `add = { ... }`.
    Add(InputRange),
}

/// The point change and the uncertain input of an override with a range; checks that
/// both ends of the range give a valid network.
fn uncertain_change(
    ck: &mut Checker,
    network: &Network,
    target: Target,
    param: Param,
    proposed: Proposed,
    span: std::ops::Range<usize>,
) -> Option<(Change, UncertainInput)> {
    let duration = param.kind() == ValueKind::Duration;
    let range = match (&proposed, duration) {
        (Proposed::Value(r, Some(_)), true) | (Proposed::Factor(r), true) => *r,
        (Proposed::Value(r, None), false) => *r,
        (Proposed::Factor(r), false) | (Proposed::Add(r), false) => {
            let Some(current) = network.number(target, param) else {
                ck.error_help(
                    span,
                    format!("`{}` has no current value to move by a range", param.name()),
                    "give `value = { min, mode, max }` instead",
                );
                return None;
            };
            match proposed {
                Proposed::Factor(r) => r.map(|f| current * f),
                _ => r.map(|a| current + a),
            }
        }
        _ => {
            ck.error_help(
                span,
                format!(
                    "`{}` is a duration: a range on it is a factor on its distribution",
                    param.name()
                ),
                "give `factor = { min, mode, max }`, or `value = { dist = ..., scale = { min, mode, max } }`",
            );
            return None;
        }
    };
    let input = UncertainInput {
        target,
        param,
        range,
        label: format!("{}.{}", network.target_name(target), param.name()),
    };
    let point = match &proposed {
        Proposed::Value(_, Some(d)) => Change::Dist(d.clone()),
        _ if duration => Change::Scale(range.point()),
        _ => Change::Number(input.value_of(range.point())),
    };
    let mut scratch = network.clone();
    if let Err(e) = scratch.apply(target, param, &point) {
        ck.error_help(
            span,
            format!("`{}`: {e}", param.name()),
            expected(param.kind(), param.bound()),
        );
        return None;
    }
    for end in [range.min(), range.max()] {
        let mut at_end = scratch.clone();
        if let Err(e) = at_end.apply(target, param, &input.change(end)) {
            ck.error_help(
                span,
                format!("`{}` at {end}, an end of its range: {e}", param.name()),
                expected(param.kind(), param.bound()),
            );
            return None;
        }
    }
    Some((point, input))
}

fn change_value(ck: &mut Checker, param: Param, v: &Spanned<DurationSpec>) -> Option<Proposed> {
    match (param.kind(), v.get_ref()) {
        (ValueKind::Duration, DurationSpec::Scaled { dist, scale }) => {
            let base = match Dist::new(dist.clone().into()) {
                Ok(d) => d,
                Err(e) => {
                    ck.error_help(
                        v.span(),
                        format!("`{}`: {e}", param.name()),
                        super::network::DURATION_HELP,
                    );
                    return None;
                }
            };
            let range = ck.range(
                &format!("{}.scale", param.name()),
                scale,
                v.span(),
                ValueKind::Positive,
                limits::FACTOR,
            )?;
            match base.scaled(range.point()) {
                Ok(d) => Some(Proposed::Value(range, Some(d))),
                Err(e) => {
                    ck.error_help(
                        v.span(),
                        format!("`{}`: {e}", param.name()),
                        super::network::DURATION_HELP,
                    );
                    None
                }
            }
        }
        (ValueKind::Duration, _) => ck
            .duration(param.name(), v)
            .map(|d| Proposed::Fixed(Change::Dist(d))),
        (kind, DurationSpec::Range(r)) => ck
            .range(param.name(), r, v.span(), kind, param.bound())
            .map(|r| Proposed::Value(r, None)),
        (kind, DurationSpec::Fixed(x)) => match param.check(*x) {
            Ok(()) => Some(Proposed::Fixed(Change::Number(*x))),
            Err(e) => {
                ck.push(
                    Problem::at(v.span(), format!("`{}` {e}", param.name()))
                        .help(expected(kind, param.bound())),
                );
                None
            }
        },
        (_, DurationSpec::Dist(_) | DurationSpec::Scaled { .. }) => {
            ck.error_help(
                v.span(),
                format!("`{}` takes a number, not a distribution", param.name()),
                expected(param.kind(), param.bound()),
            );
            None
        }
    }
}

/// Parses `demand` or `TARGET.PARAM` (e.g. `aktau-alat.ferry.vessels`).
pub fn parse_sweep_param(text: &str, network: &Network) -> Result<SweepParam, String> {
    if text == "demand" {
        return Ok(SweepParam::Demand);
    }
    let Some((id, param)) = text.split_once('.') else {
        return Err(format!(
            "unknown sweep parameter `{text}`: use `demand` or TARGET.PARAM, e.g. `aktau-alat.ferry.vessels`"
        ));
    };
    let target = network.target(id).ok_or_else(|| {
        let hint = did_you_mean(id, network.all_names())
            .map(|h| format!("; {h}"))
            .unwrap_or_default();
        format!("unknown node or leg `{id}` in `{text}`{hint}")
    })?;
    let p = Param::parse(param).ok_or_else(|| {
        let hint = did_you_mean(param, Param::ALL.iter().map(|p| p.name()))
            .map(|h| format!("; {h}"))
            .unwrap_or_default();
        format!("unknown parameter `{param}` in `{text}`{hint}")
    })?;
    p.check_target(network, target)?;
    Ok(SweepParam::Network(target, p))
}

/// Checks one value of a sweep: demand factors and numbers must be in the parameter's
/// range; a duration's value is its new mean (days).
pub fn check_sweep_value(param: SweepParam, v: f64) -> Result<(), String> {
    match param {
        SweepParam::Demand | SweepParam::DemandGroup(_) => {
            check_bounded(ValueKind::Positive, v, limits::FACTOR)
        }
        SweepParam::Network(_, p) => p.check(v),
        SweepParam::DatedFrom(_) => check_bounded(ValueKind::NonNegative, v, limits::DAYS),
    }
}

fn build_flow(
    ck: &mut Checker,
    spec: &FlowSpec,
    i: usize,
    network: &Network,
    router: &Router<'_>,
    calendar: &crate::calendar::Calendar,
    horizon: Option<f64>,
) -> Option<Flow> {
    let before = ck.problems.len();
    let from = node_ref(ck, &spec.from, network);
    let to = node_ref(ck, &spec.to, network);
    if from.is_some() && from == to {
        ck.error_help(
            spec.to.span(),
            "a flow's origin and destination must differ",
            "set `to` to the node where the trains end",
        );
    }
    let id = match &spec.id {
        Some(id) => {
            ck.id("flow", id);
            id.get_ref().clone()
        }
        None => format!("{}->{}", spec.from.get_ref(), spec.to.get_ref()),
    };
    let t = spec.train.get_ref();
    let (_, max_wagons, _) = limits::TRAIN_WAGONS;
    let (_, max_load, _) = limits::LOAD;
    let (_, max_teu, _) = limits::TRAIN_TEU;
    let train = if t.wagons >= 1.0
        && t.wagons.fract() == 0.0
        && t.wagons <= max_wagons
        && t.teu.is_finite()
        && (0.0..=max_teu).contains(&t.teu)
        && t.tonnes.is_finite()
        && (0.0..=max_load).contains(&t.tonnes)
    {
        Some(TrainSize {
            wagons: t.wagons as u32,
            teu: t.teu,
            tonnes: t.tonnes,
        })
    } else {
        ck.push(
            Problem::at(spec.train.span(), format!(
                "train needs a whole number of wagons from 1 to {max_wagons} teu from 0 to {max_teu} and tonnes from 0 to {max_load}, got wagons = {}, teu = {}, tonnes = {}",
                t.wagons, t.teu, t.tonnes
            ))
            .help("e.g. train = { wagons = 55, teu = 110, tonnes = 1500 }"),
        );
        None
    };
    let over_time = timeline::flow_rates(ck, spec, train, calendar, horizon);
    if matches!(over_time, Ok(Some(_)))
        && let Some(span) = spec
            .trains_per_week
            .as_ref()
            .map(Spanned::span)
            .or(spec.teu_per_year.as_ref().map(Spanned::span))
    {
        ck.error_help(
            span,
            format!("flow `{id}` gives its volume twice: as a constant and over time"),
            "remove trains_per_week / teu_per_year, or the rate list / monthly volumes",
        );
    }
    let per_week = match (&spec.trains_per_week, &spec.teu_per_year) {
        _ if !matches!(over_time, Ok(None)) => over_time
            .as_ref()
            .ok()
            .and_then(|o| o.as_ref())
            .map(|(l, _)| *l),
        (Some(v), None) => ck.number(
            "trains_per_week",
            v,
            ValueKind::Positive,
            limits::TRAINS_PER_WEEK,
        ),
        (None, Some(v)) => {
            let teu_year = ck.number("teu_per_year", v, ValueKind::Positive, limits::TEU_PER_YEAR);
            match (teu_year, train) {
                (Some(y), Some(tr)) if tr.teu > 0.0 => ck.value(
                    "trains_per_week (teu_per_year / train.teu)",
                    y / tr.teu / DAYS_PER_YEAR * DAYS_PER_WEEK,
                    v.span(),
                    ValueKind::Positive,
                    limits::TRAINS_PER_WEEK,
                ),
                (Some(_), Some(_)) => {
                    ck.push(
                        Problem::at(
                            v.span(),
                            "`teu_per_year` needs the train's `teu` to be above zero",
                        )
                        .help("set train.teu, or give trains_per_week instead"),
                    );
                    None
                }
                _ => None,
            }
        }
        _ => {
            ck.push(
                Problem::at(
                    spec.from.span(),
                    format!(
                        "flow `{id}` needs exactly one of `trains_per_week` and `teu_per_year` (or a `rate` list or `monthly` volumes)"
                    ),
                )
                .help("e.g. trains_per_week = 5.5"),
            );
            None
        }
    };
    let kind = spec
        .arrivals
        .as_ref()
        .map_or(ArrivalKind::Poisson, |a| *a.get_ref());
    let arrivals = match kind {
        ArrivalKind::Poisson => Some(Arrivals::Poisson),
        ArrivalKind::Timetable => spec
            .offset_days
            .as_ref()
            .map_or(Some(0.0), |o| {
                ck.number("offset_days", o, ValueKind::NonNegative, limits::DAYS)
            })
            .map(|offset_days| Arrivals::Timetable { offset_days }),
        ArrivalKind::Seasonal => match &spec.seasonal {
            Some(s)
                if s.get_ref().len() == 12
                    && s.get_ref()
                        .iter()
                        .all(|f| (0.0..=limits::SEASONAL.1).contains(f))
                    && s.get_ref().iter().sum::<f64>() > 0.0 =>
            {
                let mean = s.get_ref().iter().sum::<f64>() / 12.0;
                let mut factors = [0.0; 12];
                for (f, v) in factors.iter_mut().zip(s.get_ref()) {
                    *f = v / mean;
                }
                Some(Arrivals::Seasonal { factors })
            }
            Some(s) => {
                ck.push(Problem::at(s.span(), format!("`seasonal` needs 12 monthly factors from 0 to {}, not all zero; got {} values", limits::SEASONAL.1, s.get_ref().len()))
                    .help("e.g. seasonal = [0.8, 0.8, 1.0, 1.0, 1.1, 1.1, 1.1, 1.1, 1.0, 1.0, 1.0, 1.0]"));
                None
            }
            None => {
                let span = spec
                    .arrivals
                    .as_ref()
                    .map(Spanned::span)
                    .unwrap_or(spec.from.span());
                ck.push(
                    Problem::at(
                        span,
                        "seasonal arrivals need `seasonal`, 12 monthly factors",
                    )
                    .help("add seasonal = [ ... 12 numbers, January first ... ]"),
                );
                None
            }
        },
    };
    if kind != ArrivalKind::Seasonal
        && let Some(s) = &spec.seasonal
    {
        ck.push(
            Problem::at(
                s.span(),
                "`seasonal` factors are given but arrivals are not seasonal",
            )
            .help("add arrivals = \"seasonal\""),
        );
    }
    if kind != ArrivalKind::Timetable
        && let Some(o) = &spec.offset_days
    {
        ck.push(
            Problem::at(o.span(), "`offset_days` applies only to timetable arrivals")
                .help("add arrivals = \"timetable\" or remove offset_days"),
        );
    }
    let policy_kind = spec
        .route
        .as_ref()
        .map_or(RoutePolicyKind::Fixed, |r| *r.get_ref());
    let policy_span = spec.route.as_ref().map_or(spec.from.span(), Spanned::span);
    let route_by = spec.route_by.map(Into::into).unwrap_or_default();
    let nodes = |ck: &mut Checker, list: &[Spanned<String>]| -> Option<Vec<NodeId>> {
        let ids: Vec<Option<NodeId>> = list.iter().map(|n| node_ref(ck, n, network)).collect();
        ids.into_iter().collect()
    };
    if policy_kind != RoutePolicyKind::Fixed && !spec.via.is_empty() {
        ck.push(
            Problem::at(
                spec.via[0].span(),
                "`via` applies only to the fixed route policy",
            )
            .help("for split flows give `via` inside each [[flow.split]] entry"),
        );
    }
    if policy_kind != RoutePolicyKind::Split && !spec.split.is_empty() {
        ck.push(
            Problem::at(
                spec.split[0].share.span(),
                "`split` entries are given but the route policy is not `split`",
            )
            .help("add route = \"split\""),
        );
    }
    if policy_kind != RoutePolicyKind::Adaptive
        && let Some(a) = &spec.alternatives
    {
        ck.push(
            Problem::at(
                a.span(),
                "`alternatives` applies only to the adaptive route policy",
            )
            .help("add route = \"adaptive\""),
        );
    }
    let policy = match policy_kind {
        RoutePolicyKind::Fixed => nodes(ck, &spec.via).map(|via| RoutePolicy::Fixed { via }),
        RoutePolicyKind::Split => {
            if spec.split.is_empty() {
                ck.push(
                    Problem::at(
                        policy_span.clone(),
                        "a split flow needs [[flow.split]] entries",
                    )
                    .help("e.g. [[flow.split]] via = [\"kuryk\"] share = 0.4"),
                );
                None
            } else {
                let mut routes = Vec::new();
                let mut total = 0.0;
                for s in &spec.split {
                    let share = ck.number(
                        "share",
                        &s.share,
                        ValueKind::Positive,
                        (0.0, 1.0, "a share of the flow's trains"),
                    );
                    let via = nodes(ck, &s.via);
                    if let (Some(share), Some(via)) = (share, via) {
                        total += share;
                        routes.push(SplitRoute { via, share });
                    }
                }
                if routes.len() == spec.split.len() && (total - 1.0).abs() > 1e-6 {
                    ck.push(
                        Problem::at(
                            spec.split[0].share.span(),
                            format!("split shares add up to {total}, not 1"),
                        )
                        .help("make the shares of a flow's [[flow.split]] entries add up to 1"),
                    );
                }
                Some(RoutePolicy::Split(routes))
            }
        }
        RoutePolicyKind::Adaptive => {
            match &spec.alternatives {
                Some(a) if (1..=MAX_ALTERNATIVES).contains(a.get_ref()) => {
                    Some(RoutePolicy::Adaptive {
                        alternatives: *a.get_ref() as usize,
                    })
                }
                Some(a) => {
                    ck.error_help(
                    a.span(),
                    format!(
                        "`alternatives` must be between 1 and {MAX_ALTERNATIVES}, got {}",
                        a.get_ref()
                    ),
                    format!("give a whole number from 1 to {MAX_ALTERNATIVES}, e.g. alternatives = 3"),
                );
                    None
                }
                None => Some(RoutePolicy::Adaptive { alternatives: 3 }),
            }
        }
    };
    if ck.problems.len() > before {
        return None;
    }
    let (from, to, train, policy) = (from?, to?, train?, policy?);
    let group = super::layers::flow_group(ck, spec, &id);
    let flow = Flow {
        id,
        group,
        from,
        to,
        trains_per_week: per_week?,
        arrivals: arrivals?,
        train,
        policy,
        route_by,
        profile: match over_time {
            Ok(Some((_, profile))) => profile,
            _ => RateProfile {
                steps: Vec::new(),
                growth_per_year: timeline::growth(ck, spec)?,
            },
        },
        class: 0,
    };
    check_routes(ck, spec, i, &flow, network, router);
    (ck.problems.len() == before).then_some(flow)
}

/// Every route the flow may use must exist, and every ferry on it must take the
/// train's wagons.
fn check_routes(
    ck: &mut Checker,
    spec: &FlowSpec,
    i: usize,
    flow: &Flow,
    network: &Network,
    router: &Router<'_>,
) {
    let name = |n: NodeId| network.node(n).id.clone();
    if !router.reachable(flow.from, flow.to) {
        ck.push(
            Problem::at(spec.to.span(), format!(
                "flow {} (`{}`): no route leads from `{}` to `{}`",
                i + 1,
                flow.id,
                name(flow.from),
                name(flow.to)
            ))
            .help("connect the two nodes with legs in the network file; one-way legs run only from `from` to `to`"),
        );
        return;
    }
    let mut routes = Vec::new();
    for (j, route) in router.policy_routes(flow).into_iter().enumerate() {
        match (route, &flow.policy) {
            (Some(r), _) => routes.push(r),
            (None, RoutePolicy::Split(_)) => ck.push(
                Problem::at(
                    spec.split[j].share.span(),
                    format!(
                        "flow `{}`: no route passes the `via` nodes of split entry {}",
                        flow.id,
                        j + 1
                    ),
                )
                .help("check the order of `via`"),
            ),
            (None, _) => ck.push(
                Problem::at(
                    spec.via.first().map_or(spec.to.span(), Spanned::span),
                    format!(
                        "flow `{}`: no route from `{}` to `{}` passes the `via` nodes in order",
                        flow.id,
                        name(flow.from),
                        name(flow.to)
                    ),
                )
                .help("check the order of `via`, or remove nodes that no route can pass"),
            ),
        }
    }
    let teu_per_wagon = flow.train.teu / flow.train.wagons as f64;
    for route in &routes {
        for hop in &route.hops {
            let leg = network.leg(hop.leg);
            if let Some(f) = &leg.ferry
                && let Some(cap) = f.teu_per_sailing
                && cap < teu_per_wagon
            {
                ck.push(Problem::at(spec.train.span(), format!(
                    "flow `{}`: a wagon carries {teu_per_wagon} TEU but the ferry on `{}` takes only {cap} TEU per sailing",
                    flow.id, leg.id
                )).help("raise the ferry's teu_per_sailing or lower the train's teu per wagon"));
            }
        }
    }
}
