//! `plot` and `export-geojson`: charts and maps from saved results.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};

use corridor::input::{self, Loaded};
use corridor::report::plot::results;
use corridor::report::plot::{Formats, PlotOptions, render_dir};
use corridor::report::{NetworkExport, geojson, write_atomic};

/// Options of `corridor plot`.
#[derive(Debug, Args)]
pub(crate) struct PlotArgs {
    /// A results folder written by `run`, `sweep` or `compare`.
    pub dir: PathBuf,
    /// Image formats.
    #[arg(long, value_enum, default_value_t = FormatArg::Both)]
    pub format: FormatArg,
    /// Width (pixels, 100 to 10,000).
    #[arg(long, default_value_t = 1600, value_parser = clap::value_parser!(u32).range(100..=10_000))]
    pub width: u32,
    /// Height (pixels, 100 to 10,000).
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(100..=10_000))]
    pub height: u32,
}

/// Image formats on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum FormatArg {
    /// SVG only.
    Svg,
    /// PNG only.
    Png,
    /// SVG and PNG.
    Both,
}

impl From<FormatArg> for Formats {
    fn from(f: FormatArg) -> Formats {
        match f {
            FormatArg::Svg => Formats::Svg,
            FormatArg::Png => Formats::Png,
            FormatArg::Both => Formats::Both,
        }
    }
}

/// Options of `corridor export-geojson`.
#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// A network file, or a results folder written by `run` (adds simulated flows and
    /// utilisation). A scenario file gives its network with the scenario's overrides.
    pub input: PathBuf,
    /// Output file (default: standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub(super) fn plot(args: &PlotArgs) -> anyhow::Result<()> {
    let opts = PlotOptions {
        formats: args.format.into(),
        width: args.width,
        height: args.height,
    };
    let written = render_dir(&args.dir, &opts)?;
    let mut out = std::io::stdout().lock();
    for path in written {
        writeln!(out, "{}", path.display())?;
    }
    Ok(())
}

pub(super) fn export_geojson(args: &ExportArgs) -> anyhow::Result<()> {
    let text = if args.input.is_dir() {
        let dir = &args.input;
        for name in [results::NETWORK, results::SUMMARY] {
            if !dir.join(name).is_file() {
                bail!(
                    "`{}` holds no {name}: give a results folder written by `corridor run`, or a network file",
                    dir.display()
                );
            }
        }
        let network = results::read_network(&dir.join(results::NETWORK))?;
        let summary = results::read_summary(&dir.join(results::SUMMARY))?;
        geojson::feature_collection(&network, Some(&summary))
    } else {
        let network = match input::load_any(&args.input)? {
            Loaded::Network(n) => n,
            Loaded::Scenario(_, n) => n,
        };
        let network = NetworkExport::new(&network);
        geojson::feature_collection(&network, None)
    };
    match &args.out {
        Some(path) => write_atomic(path, text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(())
}
