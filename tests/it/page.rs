//! `report.html`: written into every results folder, self-contained (no script, no
//! external URL), one inline chart per chart file and one table per table file, the
//! same bytes at any thread count. `.ci/browser` opens it in headless Chromium.

use std::fs;
use std::path::Path;

use crate::support::{NET, SCENARIO, corridor, text};

/// Files of `dir` whose names end with `ext`.
fn count(dir: &Path, ext: &str, skip: &[&str]) -> usize {
    fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(ext) && !skip.contains(&n.as_str()))
        .count()
}

fn check_page(dir: &Path) -> String {
    let page = fs::read_to_string(dir.join("report.html")).expect("report.html is written");
    assert!(page.starts_with("<!DOCTYPE html>") && page.ends_with("</html>\n"));
    assert!(!page.contains("<script"), "no JavaScript");
    let without_ns = page.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(
        !without_ns.contains("http://") && !without_ns.contains("https://"),
        "no external URL"
    );
    let charts = count(dir, ".svg", &[]);
    let tables = count(
        dir,
        ".csv",
        &["replications.csv", "transit.csv", "trains.csv"],
    );
    assert_eq!(
        page.matches("<svg").count(),
        charts,
        "one inline SVG per chart"
    );
    assert_eq!(
        page.matches("<table").count(),
        tables,
        "one table per table file"
    );
    assert!(!page.contains("class=\"problem\""), "every file read");
    page
}

#[test]
fn every_folder_gets_a_self_contained_page() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("net.toml"), NET).unwrap();
    fs::write(d.join("sc.toml"), SCENARIO).unwrap();
    let runs: [&[&str]; 3] = [
        &["run", "sc.toml", "--out", "run1", "--threads", "1"],
        &["run", "sc.toml", "--out", "run2", "--threads", "2"],
        &[
            "sweep", "sc.toml", "--param", "demand", "--values", "0.5,1", "--out", "sweep",
        ],
    ];
    for args in runs {
        let mut args = args.to_vec();
        args.extend(["--quiet", "--replications", "4"]);
        let o = corridor(d, &args);
        assert!(o.status.success(), "{args:?}: {}", text(&o).1);
    }
    let page = check_page(&d.join("run1"));
    assert!(page.contains("<h2>Key figures</h2>") && page.contains("flows.csv"));
    assert!(page.matches("<svg").count() >= 2, "a run has charts");
    assert_eq!(
        page,
        check_page(&d.join("run2")),
        "same page at 1 and 2 threads"
    );
    let sweep = check_page(&d.join("sweep"));
    assert!(sweep.contains("curve.csv") && sweep.contains("practical capacity"));
    // Without charts, the page still holds the tables.
    let o = corridor(
        d,
        &["run", "sc.toml", "--out", "bare", "--quiet", "--no-plots"],
    );
    assert!(o.status.success());
    assert_eq!(check_page(&d.join("bare")).matches("<svg").count(), 0);
}
