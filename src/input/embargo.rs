//! Embargoes: the scenario's `[[embargo]]` tables, checked.

use super::did_you_mean;
use super::dto::{EmbargoSpec, EmbargoUnit};
use super::network::Checker;
use crate::error::Problem;
use crate::network::limits;
use crate::network::{Network, ValueKind};
use crate::scenario::Embargo;

/// The scenario's embargoes: a known node, `1 <= resume_below <= stop_above`, at most
/// [`limits::MAX_EMBARGOES`].
pub(super) fn embargoes(
    ck: &mut Checker,
    specs: &[EmbargoSpec],
    network: &Network,
) -> Vec<Embargo> {
    if let Some(extra) = specs.get(limits::MAX_EMBARGOES) {
        ck.error_help(
            extra.node.span(),
            format!(
                "at most {} embargoes, got {}",
                limits::MAX_EMBARGOES,
                specs.len()
            ),
            "each route keeps one bit per embargo; merge rules for the same node",
        );
        return Vec::new();
    }
    let mut out: Vec<Embargo> = Vec::new();
    for e in specs {
        let Some(node) = network.node_id(e.node.get_ref()) else {
            let mut p = Problem::at(
                e.node.span(),
                format!("unknown node `{}`", e.node.get_ref()),
            );
            if let Some(h) = did_you_mean(e.node.get_ref(), network.node_names()) {
                p = p.help(h);
            }
            ck.push(p);
            continue;
        };
        let stop = ck.number(
            "stop_above",
            &e.stop_above,
            ValueKind::NonNegative,
            limits::STORAGE,
        );
        let resume = ck.number(
            "resume_below",
            &e.resume_below,
            ValueKind::Positive,
            limits::STORAGE,
        );
        let (Some(stop), Some(resume)) = (stop, resume) else {
            continue;
        };
        if resume < 1.0 || resume > stop.max(1.0) {
            ck.error_help(
                e.resume_below.span(),
                format!("`resume_below` must be from 1 to `stop_above` ({stop}), got {resume}"),
                "dispatching resumes when the backlog falls below `resume_below`: below 1 it never would, and above `stop_above` the rule would flicker, e.g. stop_above = 700, resume_below = 400",
            );
            continue;
        }
        if out.iter().any(|o| o.node == node) {
            ck.error_help(
                e.node.span(),
                format!("a second embargo at node `{}`", e.node.get_ref()),
                "give one [[embargo]] per node",
            );
            continue;
        }
        out.push(Embargo {
            node,
            stop_above: stop,
            resume_below: resume,
            wagons: e.unit == Some(EmbargoUnit::Wagons),
        });
    }
    out
}
