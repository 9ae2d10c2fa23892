//! Every file shipped in `networks/` and `scenarios/` validates, and every scenario
//! runs a short replication, so the examples cannot rot.

use std::path::{Path, PathBuf};

use corridor::input::{self, Loaded};

use crate::support::{corridor, root};

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            toml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

#[test]
fn every_shipped_file_validates() {
    let mut files = Vec::new();
    toml_files(&root().join("networks"), &mut files);
    toml_files(&root().join("scenarios"), &mut files);
    assert!(files.len() >= 4, "{files:?}");
    for f in &files {
        if let Err(e) = input::load_any(f) {
            panic!("{} does not validate:\n{e}", f.display());
        }
    }
}

#[test]
fn every_shipped_scenario_runs() {
    let mut files = Vec::new();
    toml_files(&root().join("scenarios"), &mut files);
    for f in files {
        let Ok(Loaded::Scenario(mut scenario, network)) = input::load_any(&f) else {
            continue;
        };
        scenario.run.horizon_days = scenario.run.warmup_days + 60.0;
        scenario.run.replications = 2;
        let (summary, _, _) = crate::support::run_loaded(&scenario, &network, None);
        assert!(
            summary.overall.offered_trains.mean > 0.0,
            "{}: no trains offered",
            f.display()
        );
    }
}

#[test]
fn the_validate_command_accepts_every_shipped_file() {
    let mut files = Vec::new();
    toml_files(&root().join("networks"), &mut files);
    toml_files(&root().join("scenarios"), &mut files);
    let args: Vec<String> = std::iter::once("validate".to_string())
        .chain(
            files
                .iter()
                .map(|f| f.strip_prefix(root()).unwrap().display().to_string()),
        )
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = corridor(&root(), &args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Issue 2: for the China -> Turkey flow of 2024, `routes --k 3` lists a route through
/// BTK, one through a Georgian port and the Black Sea, and one by road.
#[test]
fn china_turkey_has_btk_black_sea_and_road_routes() {
    let o = corridor(
        &root(),
        &[
            "routes",
            "scenarios/middle-corridor-2024.toml",
            "--k",
            "3",
            "--flow",
            "china-turkey",
        ],
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let listed = out
        .split("best distinct routes")
        .nth(1)
        .expect("a distinct listing");
    let routes: Vec<&str> = listed
        .lines()
        .filter(|l| l.trim_start().starts_with("xian"))
        .collect();
    assert_eq!(routes.len(), 3, "{out}");
    assert!(
        routes
            .iter()
            .any(|r| r.contains("akhalkalaki =rail=> kars")),
        "BTK: {out}"
    );
    assert!(
        routes.iter().any(
            |r| (r.contains("poti =sea=>") || r.contains("batumi =sea=>"))
                && r.contains("constanta")
        ),
        "Black Sea: {out}"
    );
    assert!(
        routes.iter().any(|r| r.contains("=road=> istanbul")),
        "road: {out}"
    );
}
