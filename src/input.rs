//! Reading network and scenario files: the only module that knows TOML and serde.
//!
//! `load_*` read a file and call `parse_*` on its text, adding the path to any error
//! (so tests can parse inline strings). Parsing goes file text → serde types in
//! [`dto`] → checked domain types ([`Network`], [`Scenario`]). Every check collects
//! its problems instead of stopping at the first, and every problem carries the
//! byte span of the offending text, so the user sees `FILE:LINE:COL`.

mod classes;
pub mod dto;
mod embargo;
mod layers;
mod network;
mod scenario;
mod timeline;

pub use timeline::parse_period;

use std::path::{Path, PathBuf};

use crate::error::{FileProblems, LoadError, Problem};
use crate::network::Network;
use crate::scenario::Scenario;

pub use layers::{MAX_EXTENDS_DEPTH, SET_SOURCE};
pub use scenario::{MAX_HORIZON_DAYS, check_sweep_value, parse_sweep_param};

/// Largest input file read (bytes): far above any real network or scenario, and a
/// bound on the memory a file can take.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// What kind of input file a text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A network: `[[node]]` and `[[leg]]` tables.
    Network,
    /// A scenario: `network = "..."` and `[[flow]]` tables.
    Scenario,
}

/// Reads and checks a network file.
pub fn load_network(path: &Path) -> Result<Network, LoadError> {
    let text = read(path)?;
    parse_network(&text).map_err(|problems| invalid(path, text, problems))
}

/// Checks the text of a network file.
pub fn parse_network(text: &str) -> Result<Network, Vec<Problem>> {
    let file: dto::NetworkFile = from_toml(text)?;
    network::build(file)
}

/// Reads and checks a scenario file (and the files it extends) and the network it
/// names, applies the scenario's overrides to the network and checks the scenario
/// against it.
pub fn load_scenario(path: &Path) -> Result<(Scenario, Network), LoadError> {
    load_scenario_with(path, &[])
}

/// [`load_scenario`], then the command line's `--set TARGET.PARAM=VALUE` changes
/// applied after the file's overrides (`VALUE`: a number, `+N` or `-N` to add, `xF`
/// or `*F` to multiply). A bad change is a problem located in the flag's text, whose
/// file name is [`SET_SOURCE`].
pub fn load_scenario_with(path: &Path, sets: &[String]) -> Result<(Scenario, Network), LoadError> {
    let text = read(path)?;
    let mut chain = layers::Chain::read(path, text)?;
    chain.add_sets(sets);
    let file = chain.merged().map_err(|p| chain.locate(p))?;
    let network_dir = chain.dir_of(&file.network.span()).to_path_buf();
    let network_path = network_dir.join(file.network.get_ref());
    let network_text = match read_text(&network_path) {
        Ok(Ok(t)) => t,
        Ok(Err(problem)) => {
            let (text, problems) = *problem;
            return Err(invalid(&network_path, text, problems));
        }
        Err(err) => {
            let mut p = Problem::at(
                file.network.span(),
                format!(
                    "cannot read network file `{}` ({}): {err}",
                    file.network.get_ref(),
                    network_path.display()
                ),
            );
            if let Some(help) = suggest_file(&network_path) {
                p = p.help(help);
            }
            return Err(chain.locate(vec![p]));
        }
    };
    let network = parse_network(&network_text)
        .map_err(|problems| invalid(&network_path, network_text, problems))?;
    let (mut scenario, network) =
        scenario::build(file, path, network_path, network).map_err(|p| chain.locate(p))?;
    scenario.bases = chain.bases();
    scenario.sets = sets.to_vec();
    Ok((scenario, network))
}

/// Parses a scenario's text against an already loaded network (for tests and tools);
/// the text may not extend another file.
pub fn parse_scenario(
    text: &str,
    path: &Path,
    network: Network,
) -> Result<(Scenario, Network), Vec<Problem>> {
    let chain = layers::Chain::single(path, text.to_string());
    let file = chain.merged()?;
    if let Some(e) = &file.extends {
        return Err(vec![
            Problem::at(
                e.span(),
                "`extends` needs the scenario to be read from its file",
            )
            .help("load the file with load_scenario, or write the whole scenario in one text"),
        ]);
    }
    let network_path = resolve_network_path(path, file.network.get_ref());
    scenario::build(file, path, network_path, network)
}

/// Tells a network file from a scenario file by its top-level keys.
pub fn detect_kind(text: &str) -> Option<FileKind> {
    let table: toml::Table = toml::from_str(text).ok()?;
    if table.contains_key("node") || table.contains_key("leg") {
        Some(FileKind::Network)
    } else if table.get("network").is_some_and(|v| v.is_str())
        || table.contains_key("flow")
        || table.get("extends").is_some_and(|v| v.is_str())
    {
        Some(FileKind::Scenario)
    } else {
        None
    }
}

/// Reads a file of either kind and checks it; for a scenario, the network too.
pub fn load_any(path: &Path) -> Result<Loaded, LoadError> {
    let text = read(path)?;
    match detect_kind(&text) {
        Some(FileKind::Network) => load_network(path).map(Loaded::Network),
        Some(FileKind::Scenario) => {
            load_scenario(path).map(|(s, n)| Loaded::Scenario(Box::new(s), n))
        }
        None => {
            // Report TOML syntax errors first; otherwise say what is missing.
            if let Err(problems) = from_toml::<toml::Table>(&text) {
                return Err(invalid(path, text, problems));
            }
            let first_line = text.find('\n').unwrap_or(text.len());
            Err(invalid(
                path,
                text,
                vec![Problem::at(
                    0..first_line,
                    "cannot tell whether this is a network or a scenario file",
                )
                .help(
                    "a network file has [[node]] and [[leg]] tables; a scenario file has network = \"...\" and [[flow]] tables",
                )],
            ))
        }
    }
}

/// A checked input file.
#[derive(Debug)]
pub enum Loaded {
    /// A network file.
    Network(Network),
    /// A scenario file, with its network (overrides applied).
    Scenario(Box<Scenario>, Network),
}

/// The nearest of `candidates` to `name`, if one is close enough to be a likely typo.
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&name.to_lowercase(), &c.to_lowercase());
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.filter(|(s, _)| *s >= 0.7).map(|(_, c)| c)
}

/// "did you mean `x`?" for the nearest candidate.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    nearest(name, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// For a missing file, the nearest existing `.toml` file in the same folder.
pub fn suggest_file(path: &Path) -> Option<String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name()?.to_str()?;
    let entries: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    match nearest(name, entries.iter().map(String::as_str)) {
        Some(n) => Some(format!("did you mean `{}`?", dir.join(n).display())),
        None if !dir.exists() => Some(format!("the folder `{}` does not exist", dir.display())),
        None => None,
    }
}

fn resolve_network_path(scenario: &Path, network: &str) -> PathBuf {
    let dir = scenario.parent().unwrap_or(Path::new(""));
    dir.join(network)
}

/// A read error, with the nearest existing file suggested when the file is missing.
fn read_error(path: &Path, source: std::io::Error) -> LoadError {
    let help = match source.kind() {
        std::io::ErrorKind::NotFound => suggest_file(path),
        _ => None,
    };
    LoadError::io(path, source, help)
}

fn read(path: &Path) -> Result<String, LoadError> {
    match read_text(path) {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(problem)) => {
            let (text, problems) = *problem;
            Err(invalid(path, text, problems))
        }
        Err(e) => Err(read_error(path, e)),
    }
}

/// Text that is not valid UTF-8: its lossy text and the located problem.
type BadText = Box<(String, Vec<Problem>)>;

/// Reads a file as text: only a regular file (never a device, FIFO or folder, which
/// could block or never end), at most [`MAX_FILE_BYTES`], in UTF-8 (a located problem
/// if not).
fn read_text(path: &Path) -> std::io::Result<Result<String, BadText>> {
    use std::io::{Error, ErrorKind, Read};
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file (a device, FIFO or socket)"
        };
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!("it is {what}; give a .toml file"),
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!(
                "it holds {} bytes, more than the limit of {MAX_FILE_BYTES}",
                meta.len()
            ),
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!("it holds more than the limit of {MAX_FILE_BYTES} bytes"),
        ));
    }
    Ok(String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        // The lossy text has the same bytes up to the first invalid one.
        let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        Box::new((
            text,
            vec![
                Problem::at(at..end, format!("invalid UTF-8 at byte {at}"))
                    .help("save the file as UTF-8 text"),
            ],
        ))
    }))
}

fn invalid(path: &Path, text: String, problems: Vec<Problem>) -> LoadError {
    LoadError::Invalid(vec![FileProblems {
        path: path.to_path_buf(),
        text,
        problems,
    }])
}

/// Deserializes TOML, turning syntax and type errors into a located problem with a
/// suggestion for misspelt keys and names.
fn from_toml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Vec<Problem>> {
    toml::from_str(text).map_err(|e| vec![toml_problem(&e, Some(text))])
}

/// A TOML syntax or type error as a located problem with a suggestion; `text` (the
/// text the span points into, when known) names a duplicate key.
fn toml_problem(e: &toml::de::Error, text: Option<&str>) -> Problem {
    let mut message = e.message().trim().trim_end_matches('.').to_string();
    if message.starts_with("duplicate key")
        && let Some(key) = e.span().and_then(|s| text?.get(s)).map(str::trim)
        && !key.is_empty()
        && key.len() <= 80
    {
        message = format!("duplicate key `{key}`");
    }
    let help = suggestion_for_serde(&message).or_else(|| generic_help(&message));
    let mut p = Problem {
        message,
        span: e.span(),
        help: None,
    };
    if let Some(h) = help {
        p = p.help(h);
    }
    p
}

/// Advice for the other classes of TOML and serde errors: the expected form.
fn generic_help(message: &str) -> Option<String> {
    let m = message.to_lowercase();
    let help = if m.starts_with("duplicate key") {
        "each key may appear once per table; remove or rename one of them"
    } else if m.starts_with("missing field") {
        "add the missing key to this table (see networks/README.md and scenarios/README.md)"
    } else if m.starts_with("unknown field") || m.starts_with("unknown variant") {
        "check the spelling against networks/README.md and scenarios/README.md"
    } else if m.starts_with("invalid type") || m.contains("expected") {
        "write the value in the expected form: numbers without quotes, text in double quotes, lists in [ ], tables in { }"
    } else if m.contains("out of range") || m.contains("invalid number") {
        "write a plain decimal number within range, e.g. 1.5 or 100"
    } else if m.contains("duplicate") || m.contains("redefin") {
        "each key and table may be defined once; remove the repeated one"
    } else {
        "check the TOML syntax here: key = value, text in double quotes, tables as [name] or [[name]]"
    };
    Some(help.to_string())
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" and "unknown variant"
/// messages, suggests the nearest expected name.
fn suggestion_for_serde(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (name, expected) = rest.split_once('`')?;
    let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    did_you_mean(name, names.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_finds_typos_but_not_strangers() {
        let names = ["aktau", "kuryk", "alat", "turkmenbashi"];
        assert_eq!(nearest("aktua", names), Some("aktau"));
        assert_eq!(nearest("Kuryk", names), Some("kuryk"));
        assert_eq!(nearest("zzzzzz", names), None);
    }

    #[test]
    fn serde_messages_get_suggestions() {
        let m = "unknown field `capcity_trains_per_day`, expected one of `id`, `capacity_trains_per_day`";
        assert_eq!(
            suggestion_for_serde(m).as_deref(),
            Some("did you mean `capacity_trains_per_day`?")
        );
        let m = "unknown variant `rial`, expected one of `rail`, `sea`, `road`";
        assert_eq!(
            suggestion_for_serde(m).as_deref(),
            Some("did you mean `rail`?")
        );
    }
}
