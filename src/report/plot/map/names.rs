//! Short node names for map labels.

use super::super::results::NetworkExport;

/// Short display names: the part of the name before any parenthesis, slash or comma,
/// without a trailing "junction" or "port", at most about 20 characters; names that
/// then repeat get their country code.
pub(super) fn short_names(network: &NetworkExport) -> Vec<String> {
    let short: Vec<String> = network
        .nodes
        .iter()
        .map(|n| {
            let mut s = n.name.as_str();
            for sep in [" (", " / ", "/", ", ", ","] {
                if let Some(i) = s.find(sep) {
                    s = &s[..i];
                }
            }
            let mut words: Vec<&str> = s.split_whitespace().collect();
            while words.len() > 1 && words.join(" ").chars().count() > 20 {
                words.pop();
            }
            if words.len() > 1 && matches!(words.last(), Some(&("junction" | "port"))) {
                words.pop();
            }
            let s = words.join(" ");
            if s.is_empty() { n.id.clone() } else { s }
        })
        .collect();
    let mut uses: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for s in &short {
        *uses.entry(s.as_str()).or_insert(0) += 1;
    }
    short
        .iter()
        .zip(&network.nodes)
        .map(|(s, n)| {
            let repeats = uses[s.as_str()] > 1;
            if repeats && !n.country.is_empty() {
                format!("{s} ({})", n.country)
            } else {
                s.clone()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::plot::results::NodeExport;

    fn node(id: &str, name: &str, country: &str) -> NodeExport {
        NodeExport {
            id: id.into(),
            name: name.into(),
            country: country.into(),
            lat: 40.0,
            lon: 50.0,
            kind: crate::network::NodeKind::Junction,
            servers: 0,
        }
    }

    #[test]
    fn names_are_shortened_and_made_unique() {
        let network = NetworkExport {
            name: "n".into(),
            nodes: vec![
                node("a", "Aktau port (ferry/container berths)", "KZ"),
                node("b", "Astara (AZ) rail terminal", "AZ"),
                node("c", "Astara (Iran) terminal", "IR"),
                node(
                    "d",
                    "Turkmenbashi international seaport (ferry terminal)",
                    "TM",
                ),
                node("e", "Boyuk Kesik / Gardabani (AZ-GE rail border)", "AZ"),
                node("f", "Mangyshlak junction (near Aktau)", "KZ"),
                node("g", "", "KZ"),
            ],
            legs: vec![],
        };
        assert_eq!(
            short_names(&network),
            [
                "Aktau",
                "Astara (AZ)",
                "Astara (IR)",
                "Turkmenbashi",
                "Boyuk Kesik",
                "Mangyshlak",
                "g"
            ]
        );
    }
}
