//! Charts drawn from the files of a results folder (never from engine internals).
//!
//! [`render_dir`] looks at which result files a folder holds and draws every chart it
//! can from them, as SVG and/or PNG, beside the files. A folder may hold several kinds
//! of results; each kind found is drawn.
//!
//! A `run` folder (`summary.json`) gives:
//!
//! - `transit`: the empirical distribution function of transit times per flow, with
//!   p50 and p95 marked (`transit.csv`, `summary.json`);
//! - `utilization`: the busiest resources with 95% intervals (`summary.json`);
//! - `sensitivity`: a tornado chart of the uncertain inputs by the standardised
//!   regression coefficients of the main figures on them (`summary.json`);
//! - `map`: the corridor with legs drawn by mode and simulated flow and stations
//!   coloured by utilisation (`network.json`, `summary.json`).
//!
//! A `sweep` folder (`curve.json`) gives:
//!
//! - `capacity`: the capacity curve. For a demand sweep, delivered against offered
//!   block trains per week (mean and 95% band) with the line delivered = offered,
//!   points marked by whether they meet the criteria, the practical capacity with its
//!   95% interval and the bottleneck named at the knee; for a sweep of another
//!   parameter, offered and delivered trains against the parameter, with the first
//!   value meeting the criteria marked;
//! - `transit_load`: transit time against the offered load (or the parameter): mean
//!   with its 95% band, pooled p50 and p95, and the p95 limit of the criteria;
//! - `bottlenecks_load`: utilisation of the five resources that come closest to their
//!   capacity, against the offered load (or the parameter), with 95% bands.
//!
//! A `compare` folder (`compare.json`, and `curve-<i>-<scenario>.json` with `--param`)
//! gives:
//!
//! - `compare`: paired differences against the base as a forest plot, one row per
//!   flow (all flows first) in three panels: delivered trains per week, mean and p95
//!   transit; significant differences filled and bold;
//! - `capacity_compare`: the capacity curves of every scenario overlaid, each with its
//!   95% band and practical capacity.
//!
//! Each chart is drawn once, as SVG, by plotters; the PNG is that SVG rasterised by
//! resvg with the embedded font. Output is deterministic: the same files give
//! byte-identical images.
//!
//! # Adding a chart
//!
//! A chart is a module with a struct of prepared data (built from the
//! [`results`] types, so it can fail only while reading) and a `draw` function generic
//! over the plotters backend. It gets a variant in `Figure` and a line in the
//! function that lists the figures of its kind of folder (`run_figures`,
//! `sweep_figures`, or directly in `figures` for the other kinds). A new kind of
//! folder also gets its reader in [`results`] and a mention in the `NoResults` error.
//!
//! The `style` module holds the palette, the font and its metrics, number formatting
//! and the title block; `chart` turns a description of a line chart (axes, data layers,
//! notes, legend) into a plotters `ChartBuilder` chart with its mesh, series and legend,
//! and holds the markers and the exact-tick axis scale the other charts share; `canvas`
//! writes the files. `sweep` holds what the charts of capacity curves share.

mod bottlenecks_load;
mod canvas;
mod capacity;
mod capacity_compare;
mod chart;
mod compare;
mod labels;
mod map;
mod over_time;
pub mod results;
mod style;
mod sweep;
mod tornado;
mod transit;
mod transit_load;
mod utilization;

use std::path::{Path, PathBuf};

use plotters::prelude::DrawingBackend;

use self::results::experiment;
use self::results::{ReadError, RunResults};
use self::style::{Area, Drawn, Theme};

/// Smallest image width accepted (pixels).
pub const MIN_WIDTH: u32 = 400;
/// Smallest image height accepted (pixels).
pub const MIN_HEIGHT: u32 = 300;
/// Largest image side accepted (pixels).
pub const MAX_SIDE: u32 = 10_000;

/// Which image formats to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Formats {
    /// SVG only.
    Svg,
    /// PNG only.
    Png,
    /// Both SVG and PNG.
    Both,
}

/// How to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlotOptions {
    /// Image formats.
    pub formats: Formats,
    /// Width (pixels).
    pub width: u32,
    /// Height (pixels).
    pub height: u32,
}

/// Why charts could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// The folder does not exist.
    #[error(
        "results folder `{}` does not exist; write one with `corridor run SCENARIO --out {}`",
        dir.display(),
        dir.display()
    )]
    NoFolder {
        /// The folder.
        dir: PathBuf,
    },
    /// The folder holds none of the files charts are drawn from.
    #[error("`{}` holds no results to draw: expected {expected}", dir.display())]
    NoResults {
        /// The folder.
        dir: PathBuf,
        /// What was looked for.
        expected: String,
    },
    /// A result file is missing, unreadable or malformed.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// Drawing failed.
    #[error("cannot draw the `{chart}` chart: {message}")]
    Draw {
        /// The chart.
        chart: String,
        /// What went wrong.
        message: String,
    },
    /// An image file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// The image size is out of range.
    #[error(
        "an image of {width}×{height} pixels is not supported: use {MIN_WIDTH} to {MAX_SIDE} pixels wide and {MIN_HEIGHT} to {MAX_SIDE} high"
    )]
    Size {
        /// Requested width.
        width: u32,
        /// Requested height.
        height: u32,
    },
}

/// Draws every chart the files in `dir` allow; returns the files written.
///
/// `dir` must hold the results of `corridor run` (`summary.json`; the transit chart
/// also needs `transit.csv` and the map `network.json`, and each is skipped without
/// its file), `corridor sweep` (`curve.json`), `corridor compare` (`compare.json`
/// and/or `curve-<i>-<scenario>.json`); every kind present is drawn. Files are written atomically, named
/// `<chart>.svg` and `<chart>.png`.
pub fn render_dir(dir: &Path, opts: &PlotOptions) -> Result<Vec<PathBuf>, PlotError> {
    let (w, h) = (opts.width, opts.height);
    if !(MIN_WIDTH..=MAX_SIDE).contains(&w) || !(MIN_HEIGHT..=MAX_SIDE).contains(&h) {
        return Err(PlotError::Size {
            width: w,
            height: h,
        });
    }
    let figures = figures(dir)?;
    let mut written = Vec::new();
    for figure in &figures {
        written.extend(canvas::write(figure, dir, opts.formats, (w, h))?);
    }
    Ok(written)
}

/// A chart with its data, ready to draw.
#[derive(Debug)]
enum Figure {
    Transit(transit::TransitChart),
    Utilization(utilization::UtilizationChart),
    Tornado(tornado::TornadoChart),
    Map(map::MapChart),
    Capacity(capacity::CapacityChart),
    TransitLoad(transit_load::TransitLoadChart),
    BottlenecksLoad(bottlenecks_load::BottlenecksLoadChart),
    Compare(compare::CompareChart),
    CapacityCompare(capacity_compare::CapacityCompareChart),
    OverTime(over_time::OverTimeChart),
}

impl Figure {
    /// The file name without extension.
    fn name(&self) -> &'static str {
        match self {
            Figure::Transit(_) => "transit",
            Figure::Utilization(_) => "utilization",
            Figure::Tornado(_) => "sensitivity",
            Figure::Map(_) => "map",
            Figure::Capacity(_) => "capacity",
            Figure::TransitLoad(_) => "transit_load",
            Figure::BottlenecksLoad(_) => "bottlenecks_load",
            Figure::Compare(_) => "compare",
            Figure::CapacityCompare(_) => "capacity_compare",
            Figure::OverTime(c) => c.name(),
        }
    }

    /// Draws the figure on a white image.
    fn draw<DB: DrawingBackend>(&self, area: &Area<DB>, theme: &Theme) -> Drawn {
        match self {
            Figure::Transit(c) => c.draw(area, theme),
            Figure::Utilization(c) => c.draw(area, theme),
            Figure::Tornado(c) => c.draw(area, theme),
            Figure::Map(c) => c.draw(area, theme),
            Figure::Capacity(c) => c.draw(area, theme),
            Figure::TransitLoad(c) => c.draw(area, theme),
            Figure::BottlenecksLoad(c) => c.draw(area, theme),
            Figure::Compare(c) => c.draw(area, theme),
            Figure::CapacityCompare(c) => c.draw(area, theme),
            Figure::OverTime(c) => c.draw(area, theme),
        }
    }
}

/// The figures of the results folder `dir`, recognised by its files. A folder may
/// hold several kinds of results; every kind found is drawn.
fn figures(dir: &Path) -> Result<Vec<Figure>, PlotError> {
    if !dir.is_dir() {
        return Err(PlotError::NoFolder {
            dir: dir.to_path_buf(),
        });
    }
    let mut found = false;
    let mut figures = Vec::new();
    if dir.join(results::SUMMARY).is_file() {
        found = true;
        figures.extend(run_figures(&results::read_run(dir)?));
    }
    if dir.join(experiment::CURVE).is_file() {
        found = true;
        let curve = experiment::read_curve(&dir.join(experiment::CURVE))?;
        figures.extend(sweep_figures(&curve));
    }
    if dir.join(experiment::COMPARE).is_file() {
        found = true;
        let data = experiment::read_compare(&dir.join(experiment::COMPARE))?;
        figures.push(Figure::Compare(compare::CompareChart::new(&data)));
    }
    let curve_files = experiment::compare_curve_files(dir)?;
    if !curve_files.is_empty() {
        found = true;
        let curves = curve_files
            .iter()
            .map(|f| experiment::read_compare_curve(f))
            .collect::<Result<Vec<_>, _>>()?;
        figures.push(Figure::CapacityCompare(
            capacity_compare::CapacityCompareChart::new(&curves),
        ));
    }
    if found {
        return Ok(figures);
    }
    let expected = format!(
        "{} (with {} and {}), as written by `corridor run SCENARIO --out {}`; \
         or {}, as written by `corridor sweep`; or {} (with curve-<i>-<scenario>.json), \
         as written by `corridor compare`",
        results::SUMMARY,
        results::TRANSIT,
        results::NETWORK,
        dir.display(),
        experiment::CURVE,
        experiment::COMPARE,
    );
    Err(PlotError::NoResults {
        dir: dir.to_path_buf(),
        expected,
    })
}

/// The charts of a `sweep` folder.
fn sweep_figures(curve: &experiment::Curve) -> Vec<Figure> {
    vec![
        Figure::Capacity(capacity::CapacityChart::new(curve)),
        Figure::TransitLoad(transit_load::TransitLoadChart::new(curve)),
        Figure::BottlenecksLoad(bottlenecks_load::BottlenecksLoadChart::new(curve)),
    ]
}

/// The charts of a `run` folder.
fn run_figures(run: &RunResults) -> Vec<Figure> {
    let mut figures = Vec::new();
    if let Some(bins) = &run.transit {
        figures.push(Figure::Transit(transit::TransitChart::new(
            &run.summary,
            bins,
        )));
    }
    figures.push(Figure::Utilization(utilization::UtilizationChart::new(
        &run.summary,
    )));
    if let Some(t) = tornado::TornadoChart::new(&run.summary) {
        figures.push(Figure::Tornado(t));
    }
    if let Some(network) = &run.network {
        figures.push(Figure::Map(map::MapChart::new(network, Some(&run.summary))));
    }
    if let Some(rows) = &run.timeseries {
        figures.extend(over_time::charts(rows).into_iter().map(Figure::OverTime));
    }
    figures
}
