//! Charts drawn from the files of a results folder (never from engine internals).
//!
//! [`render_dir`] looks at which result files a folder holds and draws every chart it
//! can from them, as SVG and/or PNG, beside the files. A folder may hold several kinds
//! of results; each kind found is drawn.
//!
//! A `run` folder (`summary.json`) gives `transit`, `utilization`, `sensitivity` (with
//! uncertain inputs), `map` and the charts over time (with `timeseries.csv`); a `sweep`
//! folder (`curve.json`) gives `capacity`, `transit_load` and `bottlenecks_load`; a
//! `compare` folder gives `compare` (`compare.json`) and `capacity_compare`
//! (`curve-<i>-<scenario>.json`). Each chart's module says what it shows.
//!
//! Each chart is drawn once, as SVG, by plotters; the PNG is that SVG rasterised by
//! resvg with the embedded font. Output is deterministic: the same files give
//! byte-identical images.
//!
//! # Adding a chart
//!
//! A chart is a module with a struct of data prepared from the [`results`] types (so
//! it can fail only while reading) and a `draw` function generic over the backend; it
//! gets a `Figure` variant and a line in `run_figures`, `sweep_figures` or `figures`.
//! `style` holds the palette, font, number formatting and title block; `chart` the
//! line charts on plotters' `ChartBuilder` and the shared axis scale and markers;
//! `sweep` what the charts of capacity curves share; `canvas` writes the files.

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
