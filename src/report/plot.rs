//! Charts drawn from the files of a results folder (never from engine internals).
//!
//! [`render_dir`] looks at which result files a folder holds and draws every chart it
//! can from them, as SVG and/or PNG, beside the files. A `run` folder gives:
//!
//! - `transit`: the empirical distribution function of transit times per flow, with
//!   p50 and p95 marked (`transit.csv`, `summary.json`);
//! - `utilization`: the busiest resources with 95% intervals (`summary.json`);
//! - `map`: the corridor with legs drawn by mode and simulated flow and stations
//!   coloured by utilisation (`network.json`, `summary.json`).
//!
//! Output is deterministic: the same files give byte-identical images.
//!
//! # Adding a chart
//!
//! A chart is a module with a struct of prepared data (built from the
//! [`results`] types, so it can fail only while reading) and a `draw` function generic
//! over the plotters backend. It gets a variant in `Figure` and a line in the
//! function that lists the figures of its kind of folder (`run_figures`). The
//! `style` module holds the palette, fonts, number formatting and the title block;
//! `axes` holds plot frames with ticks and axis titles; `canvas` writes the files.

mod axes;
mod canvas;
mod font;
mod labels;
mod map;
pub mod results;
mod style;
mod transit;
mod utilization;

use std::path::{Path, PathBuf};

use plotters::prelude::DrawingBackend;

use self::canvas::Format;
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

impl Formats {
    fn list(self) -> &'static [Format] {
        match self {
            Formats::Svg => &[Format::Svg],
            Formats::Png => &[Format::Png],
            Formats::Both => &[Format::Svg, Format::Png],
        }
    }
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
    /// The embedded font could not be loaded.
    #[error("cannot load the embedded font (assets/fonts); this is a bug")]
    Font,
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
/// its file). Files are written atomically, named `<chart>.svg` and `<chart>.png`.
pub fn render_dir(dir: &Path, opts: &PlotOptions) -> Result<Vec<PathBuf>, PlotError> {
    let (w, h) = (opts.width, opts.height);
    if !(MIN_WIDTH..=MAX_SIDE).contains(&w) || !(MIN_HEIGHT..=MAX_SIDE).contains(&h) {
        return Err(PlotError::Size {
            width: w,
            height: h,
        });
    }
    let figures = figures(dir)?;
    font::load()?;
    let mut written = Vec::new();
    for figure in &figures {
        for format in opts.formats.list() {
            written.push(canvas::write(figure, dir, *format, (w, h))?);
        }
    }
    Ok(written)
}

/// A chart with its data, ready to draw.
#[derive(Debug)]
enum Figure {
    Transit(transit::TransitChart),
    Utilization(utilization::UtilizationChart),
    Map(map::MapChart),
}

impl Figure {
    /// The file name without extension.
    fn name(&self) -> &'static str {
        match self {
            Figure::Transit(_) => "transit",
            Figure::Utilization(_) => "utilization",
            Figure::Map(_) => "map",
        }
    }

    /// Draws the figure on a white image.
    fn draw<DB: DrawingBackend>(&self, area: &Area<DB>, theme: &Theme) -> Drawn {
        match self {
            Figure::Transit(c) => c.draw(area, theme),
            Figure::Utilization(c) => c.draw(area, theme),
            Figure::Map(c) => c.draw(area, theme),
        }
    }
}

/// The figures of the results folder `dir`, recognised by its files.
fn figures(dir: &Path) -> Result<Vec<Figure>, PlotError> {
    if !dir.is_dir() {
        return Err(PlotError::NoFolder {
            dir: dir.to_path_buf(),
        });
    }
    if dir.join(results::SUMMARY).is_file() {
        return Ok(run_figures(&results::read_run(dir)?));
    }
    let mut expected = format!(
        "{} (with {} and {}), as written by `corridor run SCENARIO --out {}`",
        results::SUMMARY,
        results::TRANSIT,
        results::NETWORK,
        dir.display()
    );
    if ["curve.json", "compare.json"]
        .iter()
        .any(|f| dir.join(f).is_file())
    {
        expected.push_str("; charts of `sweep` and `compare` folders are not drawn yet");
    }
    Err(PlotError::NoResults {
        dir: dir.to_path_buf(),
        expected,
    })
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
    if let Some(network) = &run.network {
        figures.push(Figure::Map(map::MapChart::new(network, Some(&run.summary))));
    }
    figures
}
