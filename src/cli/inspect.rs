//! `validate`, `routes` and `schema`: looking at input files without simulating.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use super::{EXIT_INPUT, report_load_error};
use corridor::input::{self, Loaded};
use corridor::network::{Mode, Network};
use corridor::routing::{Criterion, Router, route_costs};
use corridor::scenario::{RoutePolicy, Scenario};

pub(super) fn validate(files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let mut failed = 0;
    let mut out = std::io::stdout().lock();
    for path in files {
        match input::load_any(path) {
            Ok(Loaded::Network(n)) => {
                writeln!(out, "ok  {}: {}", path.display(), network_summary(&n))?
            }
            Ok(Loaded::Scenario(s, n)) => {
                writeln!(out, "ok  {}: {}", path.display(), scenario_summary(&s, &n))?
            }
            Err(e) => {
                out.flush()?;
                report_load_error(&e);
                failed += 1;
            }
        }
    }
    if failed > 0 {
        eprintln!("{failed} of {} files have problems", files.len());
        Ok(ExitCode::from(EXIT_INPUT))
    } else {
        Ok(ExitCode::SUCCESS)
    }
}

/// One line on a network: nodes, resources, legs by mode.
pub(super) fn network_summary(n: &Network) -> String {
    let count = |m: Mode| n.legs.iter().filter(|l| l.mode == m).count();
    let stations = n.nodes.iter().filter(|x| x.station.is_some()).count();
    format!(
        "network \"{}\": {} ({} with a resource), {} (rail {}, sea {}, road {})",
        n.name,
        plural(n.nodes.len(), "node"),
        stations,
        plural(n.legs.len(), "leg"),
        count(Mode::Rail),
        count(Mode::Sea),
        count(Mode::Road)
    )
}

/// One line on a scenario: flows, offered volume, overrides, disruptions.
pub(super) fn scenario_summary(s: &Scenario, n: &Network) -> String {
    format!(
        "scenario \"{}\" on {}: {} offering {:.1} block trains/week, {}, {}, {} of {} days ({} warm-up), seed {}",
        s.name,
        if n.name.is_empty() {
            s.network_path.display().to_string()
        } else {
            n.name.clone()
        },
        plural(s.flows.len(), "flow"),
        s.offered_trains_per_week(),
        plural(s.overrides.len(), "override"),
        plural(s.disruptions.len(), "disruption"),
        plural(s.run.replications as usize, "replication"),
        s.run.horizon_days,
        s.run.warmup_days,
        s.run.seed
    )
}

pub(super) fn routes(
    scenario: &Scenario,
    network: &Network,
    k: usize,
    by: Criterion,
    all: bool,
    only: Option<&str>,
) -> anyhow::Result<()> {
    if let Some(id) = only
        && !scenario.flows.iter().any(|f| f.id == id)
    {
        let hint = input::did_you_mean(id, scenario.flows.iter().map(|f| f.id.as_str()))
            .map(|h| format!("; {h}"))
            .unwrap_or_default();
        anyhow::bail!("no flow `{id}` in {}{hint}", scenario.path.display());
    }
    let router = Router::new(network);
    let mut out = std::io::stdout().lock();
    for flow in scenario
        .flows
        .iter()
        .filter(|f| only.is_none_or(|id| f.id == id))
    {
        let found = if all {
            router.k_best(flow.from, flow.to, k, by, &flow.train)
        } else {
            router.k_distinct(flow.from, flow.to, k, by, &flow.train)
        };
        let policy = match &flow.policy {
            RoutePolicy::Fixed { .. } => "fixed",
            RoutePolicy::Split(_) => "split",
            RoutePolicy::Adaptive { .. } => "adaptive",
        };
        let used: Vec<(corridor::routing::Route, Option<f64>)> = router
            .policy_routes(flow)
            .into_iter()
            .enumerate()
            .filter_map(|(j, r)| {
                let share = match &flow.policy {
                    RoutePolicy::Split(parts) => Some(parts[j].share),
                    _ => None,
                };
                r.map(|r| (r, share))
            })
            .collect();
        writeln!(
            out,
            "flow {} ({} -> {}), {:.2} trains/week, policy {policy}",
            flow.id,
            network.node(flow.from).id,
            network.node(flow.to).id,
            flow.trains_per_week,
        )?;
        writeln!(
            out,
            "  used by the scenario ({} by {}):",
            policy,
            flow.route_by.name()
        )?;
        for (r, share) in &used {
            let label = share.map_or("  -".to_string(), |s| format!("{:>3.0}%", 100.0 * s));
            write_route(&mut out, network, r, &flow.train, &label)?;
        }
        writeln!(
            out,
            "  {} best {}routes by {}:",
            found.len(),
            if all { "" } else { "distinct " },
            by.name()
        )?;
        for (i, r) in found.iter().enumerate() {
            write_route(&mut out, network, r, &flow.train, &format!("#{}", i + 1))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn write_route(
    out: &mut impl Write,
    network: &Network,
    r: &corridor::routing::Route,
    train: &corridor::scenario::TrainSize,
    label: &str,
) -> std::io::Result<()> {
    let c = route_costs(network, r, train);
    let modes: Vec<&str> = r.mode_signature(network).iter().map(|m| m.name()).collect();
    writeln!(
        out,
        "  {label:>4}  {:>6.2} days  {:>7.0} km  {:>7.0} USD/TEU  {:>6.0} kg CO2/TEU  {}",
        c.days,
        c.km,
        c.usd_per_teu,
        c.co2_kg_per_teu,
        modes.join("-")
    )?;
    let mut line = format!("        {}", network.node(r.origin).id);
    for h in &r.hops {
        let leg = network.leg(h.leg);
        line.push_str(&format!(
            " ={}=> {}",
            leg.mode.name(),
            network.node(h.end(network)).id
        ));
    }
    writeln!(out, "{line}")
}

/// `1 flow`, `2 flows`.
fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}
