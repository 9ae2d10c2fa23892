//! `report.html`: one self-contained page per results folder, drawn only from the
//! folder's files through their [`crate::schema`] types, like the charts.
//!
//! The page holds the scenario (from `manifest.json`: description, flows, overrides,
//! disruptions), the key figures (`summary.json`, `curve.json`), every chart of the
//! folder as inline SVG, every table file as an HTML table and the manifest. It needs
//! no JavaScript, no external URL and no other file, so it reads offline and can be
//! mailed alone. The large per-replication and per-train files (`replications.csv`,
//! `transit.csv`, `trains.csv`, `timeseries.csv`) are listed, not tabulated.
//!
//! The page is a function of the results only: the manifest is shown without the
//! fields that say when, how fast, on how many threads and by which command the
//! folder was made (they are in `manifest.json`), so that a sharded run and its
//! merge, or runs on 1 and 2 threads, give byte-identical pages.
//!
//! A file that cannot be read is named on the page with the reason; rendering never
//! fails.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::schema::{self, CompareRow, Curve, CurveFlowRow, CurveResourceRow, CurveRow, Estimate};
use crate::schema::{FlowRow, Manifest, ResourceRow, Summary};

/// The file name of the page.
pub const REPORT: &str = "report.html";

/// Most rows shown of one table (the file holds them all).
const MAX_ROWS: usize = 2_000;

/// The charts, in the order they are shown (then any other SVG, by name).
const CHART_ORDER: [&str; 8] = [
    "capacity",
    "capacity_compare",
    "compare",
    "transit_load",
    "bottlenecks_load",
    "map",
    "utilization",
    "transit",
];

/// Files listed but not tabulated (one row per replication, histogram bin or train).
const LISTED_ONLY: [&str; 4] = [
    schema::REPLICATIONS,
    schema::TRANSIT,
    schema::TRAINS,
    schema::TIMESERIES,
];

/// The CSV files shown as tables, in the order they are shown: the names of `dir`'s
/// CSV files other than the listed-only ones, known tables first.
pub fn table_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = files(dir)
        .into_iter()
        .filter(|n| n.ends_with(".csv") && !LISTED_ONLY.contains(&n.as_str()))
        .collect();
    names.sort_by_key(|n| (table_rank(n), n.clone()));
    names
}

fn table_rank(name: &str) -> usize {
    [
        schema::COMPARE_CSV,
        schema::CURVE_CSV,
        schema::FLOWS,
        schema::RESOURCES,
        schema::CURVE_FLOWS,
        schema::CURVE_RESOURCES,
    ]
    .iter()
    .position(|k| *k == name)
    .unwrap_or(6)
}

/// The chart files (`*.svg`) of `dir`, in the order they are shown.
pub fn chart_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = files(dir)
        .into_iter()
        .filter(|n| n.ends_with(".svg"))
        .collect();
    let rank = |n: &str| {
        let stem = n.trim_end_matches(".svg");
        CHART_ORDER
            .iter()
            .position(|c| *c == stem)
            .unwrap_or(CHART_ORDER.len())
    };
    names.sort_by_key(|n| (rank(n), n.clone()));
    names
}

/// The names of the regular files of `dir` other than the page, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n != REPORT && !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

/// The page of the results folder `dir`.
pub fn render(dir: &Path) -> String {
    let manifest = read_json::<Manifest>(dir, schema::MANIFEST);
    let title = match &manifest {
        Ok(m) => format!(
            "corridor {}: {}",
            kind_name(m),
            m.scenarios
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(" vs ")
        ),
        Err(_) => "corridor results".to_string(),
    };
    let mut p = Page::default();
    p.raw(&format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        esc(&title),
        esc(&title)
    ));
    match &manifest {
        Ok(m) => scenario_section(&mut p, m),
        Err(e) => p.problem(e),
    }
    figures_section(&mut p, dir);
    let charts = chart_files(dir);
    if !charts.is_empty() {
        p.raw("<h2>Charts</h2>\n");
        for name in &charts {
            chart(&mut p, dir, name);
        }
    }
    let tables = table_files(dir);
    if !tables.is_empty() {
        p.raw("<h2>Tables</h2>\n");
        for name in &tables {
            table_section(&mut p, dir, name);
        }
    }
    p.raw("<h2>Files</h2>\n<ul>\n");
    for name in files(dir) {
        p.raw(&format!("<li><a href=\"{0}\">{0}</a></li>\n", esc(&name)));
    }
    p.raw("</ul>\n");
    if let Ok(m) = &manifest {
        manifest_section(&mut p, m);
    }
    p.raw("</body>\n</html>\n");
    p.0
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;margin:2em auto;\
max-width:1400px;padding:0 1em;color:#222}h1{font-size:1.6em}h2{margin-top:1.6em;\
border-bottom:1px solid #ccc}h3{font-size:1.05em}figure{margin:1em 0}svg{max-width:100%;\
height:auto;border:1px solid #eee}table{border-collapse:collapse;font-size:.8em;margin:.5em 0}\
th,td{border:1px solid #ddd;padding:2px 6px;text-align:right;white-space:nowrap}\
th{background:#f3f3f3;position:sticky;top:0}td.t{text-align:left}.scroll{overflow:auto;\
max-height:40em}.problem{color:#a00}pre{background:#f7f7f7;padding:.6em;overflow:auto;\
max-height:40em}dt{font-weight:bold}dd{margin:0 0 .4em 1.5em}";

/// The page being written.
#[derive(Default)]
struct Page(String);

impl Page {
    fn raw(&mut self, s: &str) {
        self.0.push_str(s);
    }

    fn problem(&mut self, message: &str) {
        let _ = writeln!(self.0, "<p class=\"problem\">{}</p>", esc(message));
    }

    fn item(&mut self, term: &str, text: &str) {
        let _ = writeln!(self.0, "<dt>{}</dt><dd>{}</dd>", esc(term), esc(text));
    }
}

fn kind_name(m: &Manifest) -> String {
    serde_json::to_value(m.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Reads a JSON file of `dir` into its type; the error names the file.
fn read_json<T: DeserializeOwned>(dir: &Path, name: &str) -> Result<T, String> {
    let text = std::fs::read_to_string(dir.join(name)).map_err(|e| format!("{name}: {e}"))?;
    schema::from_json(&text).map_err(|e| format!("{name}: {e}"))
}

/// The scenarios as run, from the manifest.
fn scenario_section(p: &mut Page, m: &Manifest) {
    p.raw("<h2>Scenario</h2>\n");
    for s in &m.scenarios {
        p.raw(&format!("<h3>{}</h3>\n<dl>\n", esc(&s.name)));
        p.item(
            "scenario file",
            &format!("{} (SHA-256 {})", s.file, s.file_sha256),
        );
        p.item(
            "network file",
            &format!("{} (SHA-256 {})", s.network_file, s.network_sha256),
        );
        let flows: Vec<String> = s
            .flows
            .iter()
            .map(|f| {
                format!(
                    "{} {}→{} {} trains/week",
                    f.id,
                    f.from,
                    f.to,
                    num(f.trains_per_week)
                )
            })
            .collect();
        p.item("flows", &flows.join("; "));
        p.raw("</dl>\n");
        for (what, value) in [
            ("overrides", serde_json::to_string_pretty(&s.overrides)),
            ("disruptions", serde_json::to_string_pretty(&s.disruptions)),
        ] {
            if let Some(text) = value.ok().filter(|t| t != "[]") {
                p.raw(&format!(
                    "<details><summary>{what}</summary>\n<pre>{}</pre>\n</details>\n",
                    esc(&text)
                ));
            }
        }
    }
    p.raw("<dl>\n");
    p.item("seed", &m.seed.to_string());
    p.item("replications", &m.replications.to_string());
    p.item(
        "horizon",
        &format!(
            "{} days, of which {} days warm-up",
            num(m.horizon_days),
            num(m.warmup_days)
        ),
    );
    p.raw("</dl>\n");
}

/// An estimate as `mean [low, high]`.
fn estimate(e: &Estimate) -> String {
    match (e.value(), e.interval()) {
        (Some(v), Some((lo, hi))) => format!("{} [{}, {}]", num(v), num(lo), num(hi)),
        (Some(v), None) => num(v),
        _ => "n/a".to_string(),
    }
}

/// The key figures of `summary.json` and `curve.json`, when present.
fn figures_section(p: &mut Page, dir: &Path) {
    let summary = dir
        .join(schema::SUMMARY)
        .is_file()
        .then(|| read_json::<Summary>(dir, schema::SUMMARY));
    let curve = dir
        .join(schema::CURVE)
        .is_file()
        .then(|| read_json::<Curve>(dir, schema::CURVE));
    if summary.is_none() && curve.is_none() {
        return;
    }
    p.raw("<h2>Key figures</h2>\n<p>Means with 95% intervals over replications.</p>\n<dl>\n");
    match summary {
        Some(Ok(s)) => {
            if !s.description.is_empty() {
                p.item("description", &s.description);
            }
            let o = &s.overall;
            p.item("offered trains/week", &estimate(&o.offered_trains_per_week));
            p.item(
                "delivered trains/week (throughput)",
                &estimate(&o.delivered_trains_per_week),
            );
            p.item("transit days (mean)", &estimate(&o.transit_days.estimate()));
            let pct = |v: Option<f64>| v.map_or("n/a".to_string(), num);
            p.item(
                "transit days, pooled p50 / p95",
                &format!("{} / {}", pct(o.transit_days.p50), pct(o.transit_days.p95)),
            );
            for n in &s.notices {
                p.item("NOTE", n);
            }
        }
        Some(Err(e)) => p.problem(&e),
        None => {}
    }
    match curve {
        Some(Ok(c)) => match &c.practical_capacity {
            Some(pc) => p.item(
                "practical capacity (offered trains/week, 95% bootstrap interval)",
                &format!(
                    "{} at demand x{} ({}); limited by {}{}",
                    estimate(&pc.offered_trains_per_week),
                    num(pc.value),
                    pc.bracket.name().replace('_', " "),
                    pc.limited_by.name(),
                    pc.bottleneck
                        .as_ref()
                        .map_or(String::new(), |b| format!(", binding resource {b}"))
                ),
            ),
            None => p.item(
                "first value meeting the criteria",
                &c.first_value_meeting_criteria
                    .map_or("none".to_string(), num),
            ),
        },
        Some(Err(e)) => p.problem(&e),
        None => {}
    }
    p.raw("</dl>\n");
}

/// One chart, inline.
fn chart(p: &mut Page, dir: &Path, name: &str) {
    match std::fs::read_to_string(dir.join(name)) {
        Ok(svg) => match svg.find("<svg") {
            Some(start) if svg.trim_end().ends_with("</svg>") => {
                p.raw(&format!("<figure id=\"{}\">\n", esc(name)));
                p.raw(svg[start..].trim_end());
                p.raw(&format!(
                    "\n<figcaption>{0} (also <a href=\"{0}\">as a file</a>)</figcaption>\n</figure>\n",
                    esc(name)
                ));
            }
            _ => p.problem(&format!("{name}: not an SVG image")),
        },
        Err(e) => p.problem(&format!("{name}: {e}")),
    }
}

/// The header and records of a CSV file of `dir`, read through its schema type.
fn typed<T: Serialize + DeserializeOwned>(dir: &Path, name: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(dir.join(name)).map_err(|e| e.to_string())?;
    let rows: Vec<T> = schema::from_csv(&text)?;
    Ok(schema::to_csv(rows))
}

/// One table file as an HTML table.
fn table_section(p: &mut Page, dir: &Path, name: &str) {
    let text = match name {
        schema::FLOWS => typed::<FlowRow>(dir, name),
        schema::RESOURCES => typed::<ResourceRow>(dir, name),
        schema::STORAGE => typed::<schema::StorageRow>(dir, name),
        schema::LINKS => typed::<schema::LinkRow>(dir, name),
        schema::COMPARE_CSV => typed::<CompareRow>(dir, name),
        schema::CURVE_FLOWS => typed::<CurveFlowRow>(dir, name),
        schema::CURVE_RESOURCES => typed::<CurveResourceRow>(dir, name),
        // curve.csv and compare's curve-<i>-<scenario>.csv
        _ if name.starts_with("curve") => typed::<CurveRow>(dir, name),
        _ => Err("not a file of the results schema".to_string()),
    };
    p.raw(&format!("<h3 id=\"{0}\">{0}</h3>\n", esc(name)));
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            p.problem(&format!("{name}: {e}"));
            // Still a table, so every table file has one.
            p.raw("<table></table>\n");
            return;
        }
    };
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default();
    let records: Vec<csv::StringRecord> = reader.records().flatten().collect();
    if records.len() > MAX_ROWS {
        p.raw(&format!(
            "<p>The first {MAX_ROWS} of {} rows; the file holds them all.</p>\n",
            records.len()
        ));
    }
    p.raw("<div class=\"scroll\"><table>\n<thead><tr>");
    for h in &header {
        p.raw(&format!("<th>{}</th>", esc(h)));
    }
    p.raw("</tr></thead>\n<tbody>\n");
    for r in records.iter().take(MAX_ROWS) {
        p.raw("<tr>");
        for cell in r {
            match cell.parse::<f64>() {
                Ok(v) if !cell.is_empty() => p.raw(&format!("<td>{}</td>", num(v))),
                _ => p.raw(&format!("<td class=\"t\">{}</td>", esc(cell))),
            }
        }
        p.raw("</tr>\n");
    }
    p.raw("</tbody>\n</table></div>\n");
}

/// The manifest, without when, how fast, on how many threads and by which command.
fn manifest_section(p: &mut Page, m: &Manifest) {
    p.raw(
        "<h2>Manifest</h2>\n<p>Every parameter as run (<a href=\"manifest.json\">manifest.json</a> \
           also says when, how fast, on how many threads and by which command).</p>\n<dl>\n",
    );
    p.item("corridor version", &m.corridor_version);
    p.item("kind", &kind_name(m));
    p.raw("</dl>\n");
    let mut value = serde_json::to_value(m).unwrap_or_default();
    if let Some(obj) = value.as_object_mut() {
        for k in ["command", "created_utc", "wall_seconds", "threads"] {
            obj.remove(k);
        }
    }
    let text = serde_json::to_string_pretty(&value).unwrap_or_default();
    p.raw(&format!(
        "<details><summary>manifest.json</summary>\n<pre>{}</pre>\n</details>\n",
        esc(&text)
    ));
}

/// A number with four significant digits (integers whole), as in the terminal.
fn num(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    if v == v.trunc() && v.abs() < 1e15 {
        return format!("{v:.0}");
    }
    let magnitude = v.abs().log10().floor() as i32;
    let decimals = (3 - magnitude).clamp(0, 12) as usize;
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `text` escaped for HTML text and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_four_significant_digits() {
        assert_eq!(num(16231.05), "16231");
        assert_eq!(num(3.2506849), "3.251");
        assert_eq!(num(0.000013592), "0.00001359");
        assert_eq!(num(2.0), "2");
        assert_eq!(num(-0.5), "-0.5");
        assert_eq!(num(f64::NAN), "n/a");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn a_folder_of_bad_files_gives_a_page_that_names_them() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(schema::MANIFEST), "{").unwrap();
        std::fs::write(dir.path().join(schema::FLOWS), "a,b\n1,2\n").unwrap();
        std::fs::write(dir.path().join("map.svg"), "not svg").unwrap();
        std::fs::write(dir.path().join("x.csv"), "<script>").unwrap();
        let page = render(dir.path());
        assert!(page.starts_with("<!DOCTYPE html>") && page.ends_with("</html>\n"));
        assert!(page.contains("manifest.json: "), "{page}");
        assert!(page.contains("flows.csv: "), "{page}");
        assert!(page.contains("map.svg: not an SVG image"), "{page}");
        assert!(
            !page.contains("<script"),
            "file names and texts are escaped"
        );
        // Every table file still gives one table.
        assert_eq!(page.matches("<table").count(), 2);
        assert!(!page.contains("<svg"));
    }
}
