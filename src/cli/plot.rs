//! `plot` and `export-geojson`: charts and maps from saved results.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// Options of `corridor plot`.
#[derive(Debug, Args)]
pub struct PlotArgs {
    /// A results folder written by `run`, `sweep` or `compare`.
    pub dir: PathBuf,
    /// Image formats.
    #[arg(long, value_enum, default_value_t = FormatArg::Both)]
    pub format: FormatArg,
    /// Width (pixels).
    #[arg(long, default_value_t = 1600)]
    pub width: u32,
    /// Height (pixels).
    #[arg(long, default_value_t = 1000)]
    pub height: u32,
}

/// Image formats on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FormatArg {
    /// SVG only.
    Svg,
    /// PNG only.
    Png,
    /// SVG and PNG.
    Both,
}

/// Options of `corridor export-geojson`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// A network file, or a results folder written by `run`.
    pub input: PathBuf,
    /// Output file (default: standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub(super) fn plot(args: &PlotArgs) -> anyhow::Result<()> {
    let _ = args;
    anyhow::bail!("charts are not implemented yet")
}

pub(super) fn export_geojson(args: &ExportArgs) -> anyhow::Result<()> {
    let _ = args;
    anyhow::bail!("GeoJSON export is not implemented yet")
}
