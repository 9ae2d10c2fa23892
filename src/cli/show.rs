//! `show`: the ids, resources and key parameters of a network or scenario, so a
//! what-if can name its targets without reading the network file.

use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

use corridor::input::{self, Loaded};
use corridor::network::{Departure, Leg, Network, Node, Param, Target};
use corridor::scenario::Scenario;

/// Prints the network (and the scenario's flows) as tables, or as JSON.
pub(super) fn show(path: &Path, as_json: bool) -> anyhow::Result<()> {
    let (network, scenario) = match input::load_any(path)? {
        Loaded::Network(n) => (n, None),
        Loaded::Scenario(s, n) => (n, Some(s)),
    };
    let mut out = std::io::stdout().lock();
    if as_json {
        serde_json::to_writer_pretty(&mut out, &to_json(&network, scenario.as_deref()))?;
        writeln!(out)?;
    } else {
        write_tables(&mut out, &network, scenario.as_deref())?;
    }
    Ok(())
}

/// The parameters `--set TARGET.PARAM` and overrides accept on a target.
fn params(network: &Network, target: Target) -> Vec<&'static str> {
    Param::ALL
        .into_iter()
        .filter(|p| p.check_target(network, target).is_ok())
        .map(Param::name)
        .collect()
}

fn capacity(leg: &Leg) -> String {
    match leg.capacity_per_day {
        Some(c) if leg.mode == corridor::network::Mode::Road => format!("{c} trucks/day"),
        Some(c) => format!("{c} trains/day"),
        None => "unlimited".into(),
    }
}

fn ferry(leg: &Leg) -> Option<String> {
    let f = leg.ferry.as_ref()?;
    let rule = match f.departure {
        Departure::Timetable { every_days, .. } => format!("every {every_days} d"),
        Departure::WhenFull { max_wait_days } => format!("when full (max wait {max_wait_days} d)"),
    };
    Some(format!(
        "{} vessels × {} wagons, {rule}",
        f.vessels, f.wagons_per_sailing
    ))
}

fn node_resource(node: &Node) -> String {
    match &node.station {
        Some(s) => format!("{} × {:.3} d", s.servers, s.service_days.mean()),
        None => "-".into(),
    }
}

fn write_tables(
    out: &mut dyn Write,
    network: &Network,
    scenario: Option<&Scenario>,
) -> std::io::Result<()> {
    let id_width = network.all_names().map(str::len).max().unwrap_or(2).max(2);
    writeln!(
        out,
        "network \"{}\": {} nodes, {} legs",
        network.name,
        network.nodes.len(),
        network.legs.len()
    )?;
    writeln!(out, "\nnodes (resource: servers × mean service days)")?;
    writeln!(
        out,
        "  {:id_width$}  {:15}  {:2}  {:16}  parameters",
        "id", "kind", "cc", "resource"
    )?;
    for (i, node) in network.nodes.iter().enumerate() {
        let target = Target::Node(corridor::network::NodeId(i as u32));
        writeln!(
            out,
            "  {:id_width$}  {:15}  {:2}  {:16}  {}",
            node.id,
            node.kind.name(),
            node.country,
            node_resource(node),
            params(network, target).join(", ")
        )?;
    }
    writeln!(out, "\nlegs")?;
    writeln!(
        out,
        "  {:id_width$}  {:4}  {:>7}  {:>7}  {:18}  parameters",
        "id", "mode", "km", "days", "capacity"
    )?;
    for (i, leg) in network.legs.iter().enumerate() {
        let target = Target::Leg(corridor::network::LegId(i as u32));
        writeln!(
            out,
            "  {:id_width$}  {:4}  {:>7.0}  {:>7.2}  {:18}  {}",
            leg.id,
            leg.mode.name(),
            leg.length_km,
            leg.travel_days.mean(),
            ferry(leg).unwrap_or_else(|| capacity(leg)),
            params(network, target).join(", ")
        )?;
    }
    if let Some(s) = scenario {
        writeln!(out, "\nscenario \"{}\": flows", s.name)?;
        for f in &s.flows {
            writeln!(
                out,
                "  {:24}  {} -> {}  {:.2} trains/week, {} wagons",
                f.id,
                network.node(f.from).id,
                network.node(f.to).id,
                f.trains_per_week,
                f.train.wagons
            )?;
        }
        writeln!(
            out,
            "  {} overrides, {} disruptions",
            s.overrides.len(),
            s.disruptions.len()
        )?;
    }
    Ok(())
}

fn to_json(network: &Network, scenario: Option<&Scenario>) -> Value {
    let nodes: Vec<Value> = network
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            json!({
                "id": n.id, "name": n.name, "kind": n.kind.name(), "country": n.country,
                "servers": n.station.as_ref().map(|s| s.servers),
                "service_days_mean": n.station.as_ref().map(|s| s.service_days.mean()),
                "parameters": params(network, Target::Node(corridor::network::NodeId(i as u32))),
            })
        })
        .collect();
    let legs: Vec<Value> = network
        .legs
        .iter()
        .enumerate()
        .map(|(i, l)| {
            json!({
                "id": l.id, "from": network.node(l.from).id, "to": network.node(l.to).id,
                "mode": l.mode.name(), "length_km": l.length_km,
                "travel_days_mean": l.travel_days.mean(), "capacity_per_day": l.capacity_per_day,
                "ferry_vessels": l.ferry.as_ref().map(|f| f.vessels),
                "ferry_wagons_per_sailing": l.ferry.as_ref().map(|f| f.wagons_per_sailing),
                "parameters": params(network, Target::Leg(corridor::network::LegId(i as u32))),
            })
        })
        .collect();
    let flows: Option<Vec<Value>> = scenario.map(|s| {
        s.flows
            .iter()
            .map(|f| {
                json!({
                    "id": f.id, "from": network.node(f.from).id, "to": network.node(f.to).id,
                    "trains_per_week": f.trains_per_week, "wagons": f.train.wagons,
                })
            })
            .collect()
    });
    json!({ "network": network.name, "nodes": nodes, "legs": legs, "flows": flows })
}
