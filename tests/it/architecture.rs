//! The invariants of ARCHITECTURE.md, checked from the source.
//!
//! The floor table is read from ARCHITECTURE.md itself, so the document and the code
//! cannot drift apart: every library module has a floor, and every `crate::` path in a
//! module's code (comments and `#[cfg(test)]` items left out) names a module on a lower
//! floor. The other rules are about what a module may touch at all.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The floor of each module, from the table under "Modules follow the data".
fn floors() -> BTreeMap<String, Floor> {
    let doc = std::fs::read_to_string(Path::new(ROOT).join("ARCHITECTURE.md")).unwrap();
    let mut floors = BTreeMap::new();
    for line in doc.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 || !cells[0].is_empty() {
            continue;
        }
        let floor = match cells[1] {
            "bin" => Floor::Binary,
            n => match n.parse() {
                Ok(n) => Floor::Library(n),
                Err(_) => continue,
            },
        };
        for module in cells[2].split('`').skip(1).step_by(2) {
            if !module.contains('/') {
                floors.insert(module.to_string(), floor);
            }
        }
    }
    assert!(floors.len() > 5, "no floor table found in ARCHITECTURE.md");
    floors
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Floor {
    Library(u32),
    Binary,
}

/// A source file: its top-level module and its code without comments and test items.
struct Source {
    path: PathBuf,
    module: String,
    code: String,
}

fn sources() -> Vec<Source> {
    let src = Path::new(ROOT).join("src");
    let mut files = Vec::new();
    collect(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(&src).unwrap();
            let first = rel
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_str()
                .unwrap();
            let module = first.trim_end_matches(".rs").to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            Source {
                path: rel.to_path_buf(),
                module,
                code: strip_tests(&strip_comments(&text)),
            }
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Drops `//` comments (doc comments included) to the end of the line.
fn strip_comments(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Drops every item marked `#[cfg(test)]` (unit tests may build inputs any way they like).
fn strip_tests(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let item = &rest[at..];
        let Some(open) = item.find(['{', ';']) else {
            break;
        };
        if item.as_bytes()[open] == b';' {
            rest = &item[open + 1..];
            continue;
        }
        let mut depth = 0usize;
        let mut end = item.len();
        for (i, c) in item[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// The top-level modules a piece of code names through `crate::` or `corridor::`.
fn imports(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices(prefix) {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let after = &code[at + prefix.len()..];
        if let Some(group) = after.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for name in group.split(',') {
                let name = name.trim().split("::").next().unwrap().trim();
                if !name.is_empty() {
                    found.insert(name.to_string());
                }
            }
        } else {
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.insert(name);
        }
    }
    found
}

/// The module-level dependency graph: module -> (dependency -> a file that imports it).
fn graph(sources: &[Source]) -> BTreeMap<String, BTreeMap<String, PathBuf>> {
    let mut graph: BTreeMap<String, BTreeMap<String, PathBuf>> = BTreeMap::new();
    for s in sources {
        let prefix = if s.module == "main" || s.module == "cli" {
            "corridor::"
        } else {
            "crate::"
        };
        for dep in imports(&s.code, prefix) {
            if dep != s.module && dep != "cli" {
                graph
                    .entry(s.module.clone())
                    .or_default()
                    .entry(dep)
                    .or_insert(s.path.clone());
            }
        }
    }
    graph
}

fn contains_word(code: &str, word: &str) -> bool {
    code.match_indices(word).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + word.len()..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        let word_ends_in_ident = word.ends_with(|c: char| c.is_alphanumeric());
        !(ident(before) || (ident(after) && word_ends_in_ident))
    })
}

/// Files of `modules` (or of every module but them) whose code holds one of `tokens`.
fn offenders(sources: &[Source], tokens: &[&str], keep: impl Fn(&str) -> bool) -> Vec<String> {
    let mut found = Vec::new();
    for s in sources.iter().filter(|s| keep(&s.module)) {
        for t in tokens {
            if contains_word(&s.code, t) {
                found.push(format!("{} uses `{t}`", s.path.display()));
            }
        }
    }
    found
}

#[test]
fn every_module_has_a_floor_and_the_binary_owns_cli() {
    let floors = floors();
    let lib = std::fs::read_to_string(Path::new(ROOT).join("src/lib.rs")).unwrap();
    let declared: BTreeSet<String> = strip_comments(&lib)
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("pub mod ")?
                .strip_suffix(';')
                .map(String::from)
        })
        .collect();
    for m in &declared {
        assert!(
            matches!(floors.get(m), Some(Floor::Library(_))),
            "module `{m}` has no library floor in ARCHITECTURE.md"
        );
    }
    for (m, f) in &floors {
        if *f != Floor::Binary {
            assert!(
                declared.contains(m),
                "ARCHITECTURE.md lists `{m}`, which src/lib.rs lacks"
            );
        }
    }
    assert_eq!(floors.get("cli"), Some(&Floor::Binary));
    assert!(
        !declared.contains("cli"),
        "cli belongs to the binary, not the library"
    );
}

#[test]
fn imports_only_point_down() {
    let floors = floors();
    let mut wrong = Vec::new();
    for (module, deps) in graph(&sources()) {
        if module == "main" || module == "lib" {
            continue;
        }
        let Some(&mine) = floors.get(&module) else {
            wrong.push(format!("{module} has no floor"));
            continue;
        };
        for (dep, file) in deps {
            match floors.get(&dep) {
                Some(&theirs) if theirs < mine => {}
                Some(theirs) => wrong.push(format!(
                    "{} ({module}, floor {mine:?}) imports {dep} (floor {theirs:?})",
                    file.display()
                )),
                None => wrong.push(format!("{} imports unknown module {dep}", file.display())),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that do not point down:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_import_cycles_between_modules() {
    let graph = graph(&sources());
    // Depth-first search for a back edge, reporting the cycle it closes.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeMap<String, PathBuf>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == m) {
            let mut cycle = path[at..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if !done.insert(m.to_string()) {
            return None;
        }
        path.push(m.to_string());
        for dep in graph.get(m).into_iter().flat_map(|d| d.keys()) {
            if let Some(cycle) = visit(dep, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        let cycle = visit(m, &graph, &mut Vec::new(), &mut done);
        assert!(
            cycle.is_none(),
            "import cycle: {}",
            cycle.unwrap().join(" -> ")
        );
    }
}

#[test]
fn montecarlo_is_the_only_rayon_user() {
    let found = offenders(&sources(), &["rayon"], |m| m != "montecarlo");
    assert!(found.is_empty(), "{}", found.join("\n"));
}

const IO: &[&str] = &[
    "std::fs",
    "fs::",
    "File::",
    "read_dir",
    "std::net",
    "std::process",
    "std::env",
    "println!",
    "eprintln!",
    "print!",
    "eprint!",
    "dbg!",
    "stdout()",
    "stderr()",
    "stdin()",
];

#[test]
fn sim_does_no_io_reads_no_clock_and_no_global_rng() {
    let clock_and_rng = [
        "Instant",
        "SystemTime",
        "thread_rng",
        "rand::rng",
        "std::thread",
    ];
    let tokens: Vec<&str> = IO.iter().copied().chain(clock_and_rng).collect();
    let found = offenders(&sources(), &tokens, |m| m == "sim");
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn error_does_no_io() {
    let found = offenders(&sources(), IO, |m| m == "error");
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Enums that are values in results files as they are (`mode = "rail"`), so they derive
/// serde where they are defined; no other domain type does.
const VOCABULARY: &[&str] = &[
    "NodeKind",
    "Mode",
    "GaugeChangeMethod",
    "Criterion",
    "ResourceKind",
    "DistParams",
    "Measure",
];

/// The types after each `#[derive(...)]` that names serde, in a piece of code.
fn serde_derives(code: &str) -> Vec<String> {
    let lines: Vec<&str> = code.lines().map(str::trim).collect();
    let mut found = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.starts_with("#[derive(") && (l.contains("Serialize") || l.contains("Deserialize")) {
            let item = lines[i + 1..]
                .iter()
                .find(|l| !l.starts_with("#["))
                .unwrap_or(&"");
            let name = item
                .trim_start_matches("pub ")
                .trim_start_matches("enum ")
                .trim_start_matches("struct ");
            let kind = if item.trim_start_matches("pub ").starts_with("enum ") {
                "enum"
            } else {
                "struct"
            };
            let name: String = name
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.push(format!("{kind} {name}"));
        }
    }
    found
}

#[test]
fn only_the_file_format_layer_knows_the_input_files_serde() {
    let sources = sources();
    // The input files' format (TOML with spans) is known to `input` alone.
    let found = offenders(&sources, &["toml::", "serde_spanned", "Spanned<"], |m| {
        m != "input"
    });
    assert!(found.is_empty(), "{}", found.join("\n"));
    // Domain modules and the engine derive serde only on the results vocabulary.
    let domain = [
        "network",
        "scenario",
        "routing",
        "sim",
        "dist",
        "error",
        "montecarlo",
    ];
    let mut wrong = Vec::new();
    for s in sources
        .iter()
        .filter(|s| domain.contains(&s.module.as_str()))
    {
        for item in serde_derives(&s.code) {
            let allowed = item
                .strip_prefix("enum ")
                .is_some_and(|n| VOCABULARY.contains(&n));
            if !allowed {
                wrong.push(format!("{} derives serde on {item}", s.path.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_checker_sees_what_it_must() {
    // The parsing helpers themselves, so the tests above cannot pass by seeing nothing.
    let code = "use crate::{sim::Model, stats};\nfn f() { crate::input::x(); }\n// crate::report\n";
    let code = strip_comments(code);
    let found: Vec<String> = imports(&code, "crate::").into_iter().collect();
    assert_eq!(found, ["input", "sim", "stats"]);
    let code = "fn a() {}\n#[cfg(test)]\nmod tests { fn b() { crate::cli::x(); { } } }\nfn c() {}";
    assert_eq!(strip_tests(code), "fn a() {}\n\nfn c() {}");
    assert!(contains_word("let x = std::fs::read(p);", "std::fs"));
    assert!(!contains_word("let rayonx = 1;", "rayon"));
    assert!(contains_word("println!(\"x\")", "println!"));
    let sources = sources();
    assert!(
        sources
            .iter()
            .any(|s| s.module == "sim" && s.code.contains("fn run_replication"))
    );
}
