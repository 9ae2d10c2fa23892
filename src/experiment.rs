//! Experiments on top of single runs: parameter sweeps and capacity curves, paired
//! scenario comparisons, automatic warm-up, replications to a target precision, and
//! replays of one replication with a train-by-train log.
//!
//! Every experiment reuses [`crate::montecarlo::run`]: replication `i` of every
//! sweep point and every compared scenario draws from the same random streams
//! (common random numbers), so differences between points are real, not noise.

mod compare;
mod precision;
mod replay;
mod sweep;
mod warmup;

pub use compare::{Comparison, Difference, FlowComparison, ScenarioComparison, compare};
pub use precision::{PrecisionReport, run_to_precision};
pub use replay::{TrainLog, replay};
pub use sweep::{
    Bottleneck, CAPACITY_TOLERANCE, Curve, CurvePoint, DELIVERED_RATIO_MIN, FlowPoint, MAX_PROBES,
    NextProbe, PracticalCapacity, ResourcePoint, analyse_curve, capacity_difference, next_probe,
    point_stats,
};
pub use warmup::{WarmupChoice, auto_warmup, mser5};

use crate::network::{Change, Network, Param, ValueKind};
use crate::scenario::{Scenario, SweepParam};

/// The scenario and network with one sweep value applied: demand multiplies every
/// flow's volume; a count or number replaces the parameter; for a duration the value
/// is the new mean (the distribution is scaled to it, keeping its shape).
pub fn apply_sweep(
    scenario: &Scenario,
    network: &Network,
    param: SweepParam,
    value: f64,
) -> Result<(Scenario, Network), String> {
    crate::input::check_sweep_value(param, value)?;
    let mut scenario = scenario.clone();
    let mut network = network.clone();
    match param {
        SweepParam::Demand => {
            for f in &mut scenario.flows {
                f.trains_per_week *= value;
            }
        }
        SweepParam::DemandGroup(_) => {
            let group = group_of(param, &scenario)
                .ok_or("no such flow group in this scenario")?
                .to_string();
            for f in scenario.flows.iter_mut().filter(|f| f.group == group) {
                f.trains_per_week *= value;
            }
        }
        SweepParam::DatedFrom(i) => {
            let d = scenario
                .dated
                .get_mut(i as usize)
                .ok_or("no such dated override in this scenario")?;
            if d.until_day.is_some_and(|u| value >= u) {
                return Err(format!(
                    "day {value} is not before the override's `until` (day {})",
                    d.until_day.unwrap_or_default()
                ));
            }
            d.from_day = value;
        }
        SweepParam::Network(target, p) => {
            let change = match p.kind() {
                ValueKind::Duration => {
                    let mean = current_mean(&network, target, p)?;
                    if mean > 0.0 {
                        Change::Scale(value / mean)
                    } else {
                        Change::Number(value)
                    }
                }
                _ => Change::Number(value),
            };
            network.apply(target, p, &change)?;
            // A swept number is no longer uncertain; a swept duration keeps its
            // uncertain factor, around the swept mean.
            if p.kind() != ValueKind::Duration {
                scenario
                    .uncertain
                    .retain(|u| !(u.target == target && u.param == p));
            }
        }
    }
    Ok((scenario, network))
}

/// The group a sweep parameter scales (`demand:GROUP`), if it scales one.
pub fn group_of(param: SweepParam, scenario: &Scenario) -> Option<&str> {
    match param {
        SweepParam::DemandGroup(g) => scenario.groups().get(g as usize).copied(),
        _ => None,
    }
}

/// The sweep parameter one group's demand: `GROUP` must be a flow group of the
/// scenario; the error names the nearest.
pub fn group_param(group: &str, scenario: &Scenario) -> Result<SweepParam, String> {
    let groups = scenario.groups();
    match groups.iter().position(|g| *g == group) {
        Some(i) => Ok(SweepParam::DemandGroup(i as u32)),
        None => {
            let hint = crate::input::did_you_mean(group, groups.iter().copied())
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            Err(format!(
                "unknown flow group `{group}`{hint} (groups: {})",
                groups.join(", ")
            ))
        }
    }
}

/// Parses a sweep parameter against a scenario: `demand`, `demand:GROUP` (one flow
/// group's demand) or `TARGET.PARAM`.
pub fn parse_param(
    text: &str,
    scenario: &Scenario,
    network: &Network,
) -> Result<SweepParam, String> {
    if let Some(id) = text.strip_prefix("from:") {
        return dated_param(id, scenario);
    }
    match text.strip_prefix("demand:") {
        Some(group) => group_param(group, scenario),
        None => crate::input::parse_sweep_param(text, network),
    }
}

/// The sweep parameter `from:ID`: the first day of the dated override `ID`.
pub fn dated_param(id: &str, scenario: &Scenario) -> Result<SweepParam, String> {
    let ids: Vec<&str> = scenario
        .dated
        .iter()
        .filter_map(|d| d.id.as_deref())
        .collect();
    match scenario
        .dated
        .iter()
        .position(|d| d.id.as_deref() == Some(id))
    {
        Some(i) => Ok(SweepParam::DatedFrom(i as u32)),
        None if ids.is_empty() => Err(format!(
            "no dated override has the id `{id}`: give the [[override]] with `from` an `id = \"{id}\"`"
        )),
        None => Err(format!(
            "no dated override has the id `{id}`; the ids are: {}",
            ids.join(", ")
        )),
    }
}

fn current_mean(
    network: &Network,
    target: crate::network::Target,
    p: Param,
) -> Result<f64, String> {
    use crate::network::Target;
    let mean = match (target, p) {
        (Target::Node(n), Param::ServiceDays) => network
            .node(n)
            .station
            .as_ref()
            .map(|s| s.service_days.mean()),
        (Target::Leg(l), Param::TravelDays | Param::FerrySailingDays) => {
            Some(network.leg(l).travel_days.mean())
        }
        (Target::Leg(l), Param::FerryTurnaroundDays) => network
            .leg(l)
            .ferry
            .as_ref()
            .map(|f| f.turnaround_days.mean()),
        (Target::Leg(l), Param::WeatherClosureDays) => network
            .leg(l)
            .ferry
            .as_ref()
            .and_then(|f| f.weather.as_ref())
            .map(|w| w.closure_days.mean()),
        _ => None,
    };
    mean.ok_or_else(|| format!("`{}` has no distribution here", p.name()))
}

/// Parses sweep values: a list `1,2,3` or a range `FROM:TO:STEP` (TO included when a
/// step lands on it, within rounding).
pub fn parse_values(text: &str) -> Result<Vec<f64>, String> {
    let number = |s: &str| -> Result<f64, String> {
        let v: f64 = s
            .trim()
            .parse()
            .map_err(|_| format!("`{}` is not a number", s.trim()))?;
        if v.is_finite() {
            Ok(v)
        } else {
            Err(format!("`{}` is not a finite number", s.trim()))
        }
    };
    let parts: Vec<&str> = text.split(':').collect();
    let values = match parts.as_slice() {
        [from, to, step] => {
            let (from, to, step) = (number(from)?, number(to)?, number(step)?);
            if step <= 0.0 {
                return Err(format!("the step must be positive, got {step}"));
            }
            if to < from {
                return Err(format!("FROM ({from}) must not exceed TO ({to})"));
            }
            let n = ((to - from) / step + 1e-9).floor() as usize + 1;
            if n > 10_000 {
                return Err(format!("{n} values are too many; use a larger step"));
            }
            (0..n).map(|i| round_sig(from + i as f64 * step)).collect()
        }
        [_] => text.split(',').map(number).collect::<Result<Vec<_>, _>>()?,
        _ => {
            return Err(format!(
                "`{text}` is neither a list (1,2,3) nor a range (FROM:TO:STEP)"
            ));
        }
    };
    if values.is_empty() {
        return Err("no values given".into());
    }
    Ok(values)
}

/// Rounds to 12 significant digits, so `0.1 + 2 * 0.1` prints as 0.3.
fn round_sig(v: f64) -> f64 {
    if v == 0.0 {
        return 0.0;
    }
    let digits = 12 - v.abs().log10().ceil() as i32;
    let f = 10f64.powi(digits);
    (v * f).round() / f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_as_lists_and_ranges() {
        assert_eq!(parse_values("1,2.5, 4").unwrap(), vec![1.0, 2.5, 4.0]);
        assert_eq!(
            parse_values("0.1:0.5:0.1").unwrap(),
            vec![0.1, 0.2, 0.3, 0.4, 0.5]
        );
        assert_eq!(parse_values("1:2:0.3").unwrap(), vec![1.0, 1.3, 1.6, 1.9]);
        assert!(parse_values("1:2:0").unwrap_err().contains("step"));
        assert!(
            parse_values("a,b")
                .unwrap_err()
                .contains("`a` is not a number")
        );
        assert!(
            parse_values("3:1:1")
                .unwrap_err()
                .contains("must not exceed")
        );
    }
}
