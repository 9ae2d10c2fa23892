//! `run`: simulate a scenario's replications and write the results.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;

use crate::input;
use crate::montecarlo::{self, RunOutput, RunSettings};
use crate::network::Network;
use crate::report;
use crate::scenario::Scenario;
use crate::sim::Model;
use crate::summary::Summary;

/// Options of `corridor run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file.
    pub scenario: PathBuf,
    /// Replications (default: the scenario's).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub replications: Option<u64>,
    /// Master seed (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..1025))]
    pub threads: Option<u64>,
    /// Simulated days, warm-up included (default: the scenario's).
    #[arg(long)]
    pub horizon_days: Option<f64>,
    /// Discarded initial days (default: the scenario's).
    #[arg(long)]
    pub warmup_days: Option<f64>,
    /// Results folder (default: results/<scenario name>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Loads the scenario and applies the command line's run settings to it.
pub(super) fn load(args: &RunArgs) -> anyhow::Result<(Scenario, Network)> {
    let (mut scenario, network) = input::load_scenario(&args.scenario)?;
    let run = &mut scenario.run;
    if let Some(h) = args.horizon_days {
        if !(h.is_finite() && h > 0.0) {
            bail!("--horizon-days must be a positive number of days, got {h}");
        }
        run.horizon_days = h;
    }
    if let Some(w) = args.warmup_days {
        if !(w.is_finite() && w >= 0.0) {
            bail!("--warmup-days must be zero or a positive number of days, got {w}");
        }
        run.warmup_days = w;
    }
    if run.warmup_days >= run.horizon_days {
        bail!(
            "the warm-up ({} days) must be shorter than the horizon ({} days); the horizon includes the warm-up",
            run.warmup_days,
            run.horizon_days
        );
    }
    if let Some(n) = args.replications {
        run.replications = n;
    }
    if let Some(s) = args.seed {
        run.seed = s;
    }
    Ok((scenario, network))
}

/// The results folder: `--out`, or `results/<scenario name>/`.
pub(super) fn out_dir(out: &Option<PathBuf>, scenario: &Scenario) -> PathBuf {
    out.clone()
        .unwrap_or_else(|| Path::new("results").join(&scenario.name))
}

/// Runs replications with a progress bar on stderr when it is a terminal.
pub(super) fn simulate(
    model: &Model,
    settings: &RunSettings,
    quiet: bool,
    what: &str,
) -> RunOutput {
    let bar = progress_bar(settings.replications, quiet, what);
    let out = montecarlo::run(model, settings, &|| bar.inc(1));
    bar.finish_and_clear();
    out
}

/// A progress bar on stderr, hidden with `--quiet` or when stderr is not a terminal.
pub(super) fn progress_bar(len: u64, quiet: bool, what: &str) -> indicatif::ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    let style = indicatif::ProgressStyle::with_template(
        "{msg} [{bar:40}] {pos}/{len} replications, {eta} left",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
    .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(what.to_string());
    bar
}

pub(super) fn run(args: &RunArgs) -> anyhow::Result<()> {
    let (scenario, network) = load(args)?;
    let model = Model::new(&network, &scenario)?;
    let settings = RunSettings {
        seed: scenario.run.seed,
        first: 0,
        replications: scenario.run.replications,
        threads: args.threads.map(|t| t as usize),
    };
    let started = Instant::now();
    let out = simulate(&model, &settings, args.quiet, &scenario.name);
    let wall = started.elapsed();
    let summary = Summary::new(&scenario, &model, &out);
    let dir = out_dir(&args.out, &scenario);
    write_results(&dir, &scenario, &network, &model, &out, &summary)?;
    if !args.quiet {
        let mut stdout = std::io::stdout().lock();
        write!(stdout, "{}", report::table(&summary))?;
        writeln!(
            stdout,
            "\n{} replications in {:.2} s; results in {}",
            out.replications.len(),
            wall.as_secs_f64(),
            dir.display()
        )?;
    }
    Ok(())
}

/// Writes summary.json, flows.csv, resources.csv, replications.csv, transit.csv and
/// network.json.
pub(super) fn write_results(
    dir: &Path,
    scenario: &Scenario,
    network: &Network,
    model: &Model,
    out: &RunOutput,
    summary: &Summary,
) -> anyhow::Result<()> {
    let files = [
        ("summary.json", report::summary_json(summary)),
        ("flows.csv", report::flows_csv(summary)),
        ("resources.csv", report::resources_csv(summary)),
        (
            "replications.csv",
            report::replications_csv(&scenario.name, model, out),
        ),
        (
            "transit.csv",
            report::transit_csv(&scenario.name, model, out),
        ),
        (
            "network.json",
            report::NetworkExport::new(network).to_json(),
        ),
    ];
    for (name, text) in files {
        let path = dir.join(name);
        report::write_atomic(&path, text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}
