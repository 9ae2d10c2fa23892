//! Train classes: the scenario's `classes = [...]` (highest priority first) and each
//! flow's `class`.

use serde_spanned::Spanned;

use super::did_you_mean;
use super::dto::{FlowSpec, ScenarioFile};
use super::network::Checker;
use crate::error::Problem;
use crate::network::limits;

/// The scenario's train classes, checked: ids, distinct, at most
/// [`limits::MAX_CLASSES`].
pub(super) fn classes(ck: &mut Checker, file: &ScenarioFile) -> Vec<String> {
    let list = &file.classes;
    if list.len() > limits::MAX_CLASSES {
        ck.error_help(
            list[limits::MAX_CLASSES].span(),
            format!(
                "at most {} train classes, got {}",
                limits::MAX_CLASSES,
                list.len()
            ),
            "every queue orders its trains by class and results keep a wait per class and resource; merge classes, e.g. classes = [\"express\", \"regular\", \"bulk\"]",
        );
        return Vec::new();
    }
    let mut names: Vec<String> = Vec::new();
    for c in list {
        ck.id("class", c);
        if names.iter().any(|n| n == c.get_ref()) {
            ck.push(
                Problem::at(c.span(), format!("duplicate train class `{}`", c.get_ref()))
                    .help("name each class once, highest priority first"),
            );
        }
        names.push(c.get_ref().clone());
    }
    names
}

/// A flow's class: the index of its `class` in `classes`, or the last (lowest) class
/// when it names none (0 without classes).
pub(super) fn flow_class(ck: &mut Checker, spec: &FlowSpec, classes: &[String]) -> u32 {
    let Some(c) = &spec.class else {
        return classes.len().saturating_sub(1) as u32;
    };
    if let Some(k) = classes.iter().position(|n| n == c.get_ref()) {
        return k as u32;
    }
    unknown(ck, c, classes);
    0
}

fn unknown(ck: &mut Checker, c: &Spanned<String>, classes: &[String]) {
    let help = if classes.is_empty() {
        format!(
            "declare the classes first, highest priority first, e.g. classes = [\"{}\", \"regular\"] at the top of the scenario",
            c.get_ref()
        )
    } else {
        did_you_mean(c.get_ref(), classes.iter().map(String::as_str))
            .unwrap_or_else(|| format!("the classes are {}", quoted(classes)))
    };
    ck.error_help(
        c.span(),
        format!("unknown train class `{}`", c.get_ref()),
        help,
    );
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
