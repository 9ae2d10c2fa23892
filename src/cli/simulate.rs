//! `run`: simulate a scenario's replications and write the results; also replays,
//! automatic warm-up and replications to a target precision.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;

use corridor::experiment::{self, PrecisionReport, WarmupChoice};
use corridor::input;
use corridor::montecarlo::{self, Control, RunOutput, RunSettings};
use corridor::network::Network;
use corridor::report::{self, manifest};
use corridor::scenario::Scenario;
use corridor::sim::Model;
use corridor::summary::Summary;

/// Set by Ctrl-C; running replications finish, the rest are skipped, nothing is written.
pub(super) static CANCEL: AtomicBool = AtomicBool::new(false);

/// Run settings shared by `run`, `sweep` and `compare`.
#[derive(Debug, Args)]
pub(crate) struct Common {
    /// Replications (default: the scenario's).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=corridor::network::limits::MAX_REPLICATIONS))]
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
    /// Discarded initial days, or `auto` to choose them by MSER-5 (default: the
    /// scenario's).
    #[arg(long, alias = "warmup")]
    pub warmup_days: Option<String>,
    /// Results folder.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Do not draw charts (they can be drawn later with `corridor plot DIR`).
    #[arg(long)]
    pub no_plots: bool,
    /// Stop a replication, and report it as saturated, when more trains than this are
    /// in the system at once (bounds memory under overload).
    #[arg(long, default_value_t = corridor::network::limits::DEFAULT_MAX_TRAINS_IN_SYSTEM,
          value_parser = clap::value_parser!(u64).range(1..=corridor::network::limits::MAX_TRAINS_IN_SYSTEM))]
    pub max_trains_in_system: u64,
}

/// Options of `corridor run`.
#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    /// Scenario file.
    pub scenario: PathBuf,
    #[command(flatten)]
    pub common: Common,
    /// Add replications until the 95% half-width of the main figures is within this
    /// share of their mean (e.g. 0.01), up to --max-replications.
    #[arg(long)]
    pub precision: Option<f64>,
    /// The most replications --precision may use.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(2..=corridor::network::limits::MAX_REPLICATIONS))]
    pub max_replications: u64,
    /// Re-run replication K alone, exactly, and write its train-by-train log
    /// (trains.csv).
    #[arg(long, value_name = "K")]
    pub replay: Option<u64>,
}

/// How the warm-up was set.
pub(super) struct Warmup {
    pub(super) source: String,
    pub(super) choice: Option<WarmupChoice>,
}

/// Loads a scenario and applies the command line's run settings to it.
pub(super) fn load(path: &Path, common: &Common) -> anyhow::Result<(Scenario, Network, Warmup)> {
    let (mut scenario, network) = input::load_scenario(path)?;
    let run = &mut scenario.run;
    if let Some(h) = common.horizon_days {
        if !(h.is_finite() && h > 0.0 && h <= input::MAX_HORIZON_DAYS) {
            bail!(
                "--horizon-days must be a positive number of days up to {}, got {h}",
                input::MAX_HORIZON_DAYS
            );
        }
        run.horizon_days = h;
    }
    let mut warmup = Warmup {
        source: "scenario".into(),
        choice: None,
    };
    let auto = matches!(common.warmup_days.as_deref(), Some("auto"));
    if let Some(w) = common.warmup_days.as_deref().filter(|w| *w != "auto") {
        let w: f64 = w
            .parse()
            .ok()
            .filter(|w: &f64| w.is_finite() && *w >= 0.0)
            .with_context(|| {
                format!(
                    "--warmup-days must be `auto` or zero or a positive number of days, got `{w}`"
                )
            })?;
        run.warmup_days = w;
        warmup.source = "command line".into();
    }
    if !auto && run.warmup_days >= run.horizon_days {
        bail!(
            "the warm-up ({} days) must be shorter than the horizon ({} days); the horizon includes the warm-up",
            run.warmup_days,
            run.horizon_days
        );
    }
    if let Some(n) = common.replications {
        run.replications = n;
    }
    if let Some(s) = common.seed {
        run.seed = s;
    }
    run.max_trains_in_system = common.max_trains_in_system;
    if auto {
        let choice = experiment::auto_warmup(&scenario, &network, threads(common))?;
        scenario.run.warmup_days = choice.warmup_days;
        warmup = Warmup {
            source: "auto (MSER-5)".into(),
            choice: Some(choice),
        };
    }
    Ok((scenario, network, warmup))
}

pub(super) fn threads(common: &Common) -> Option<usize> {
    common.threads.map(|t| t as usize)
}

/// The number of worker threads a run will use.
pub(super) fn threads_used(common: &Common) -> usize {
    threads(common).unwrap_or_else(rayon::current_num_threads)
}

/// The results folder: `--out`, or `results/<name>/`.
pub(super) fn out_dir(out: &Option<PathBuf>, default: &Path) -> PathBuf {
    out.clone().unwrap_or_else(|| default.to_path_buf())
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

/// Fails if Ctrl-C was pressed, so that no partial results are written.
pub(super) fn check_cancel() -> anyhow::Result<()> {
    if CANCEL.load(Ordering::Relaxed) {
        bail!("interrupted: no results were written");
    }
    Ok(())
}

/// Draws the charts of a results folder (after its data files are written, so a
/// failure here never loses results); returns the chart files.
pub(super) fn draw_charts(dir: &Path, common: &Common) -> anyhow::Result<Vec<PathBuf>> {
    if common.no_plots {
        return Ok(Vec::new());
    }
    let opts = corridor::report::plot::PlotOptions {
        formats: corridor::report::plot::Formats::Both,
        width: 1600,
        height: 1000,
    };
    corridor::report::plot::render_dir(dir, &opts).with_context(|| {
        format!(
            "the results are written to {}, but the charts could not be drawn",
            dir.display()
        )
    })
}

/// A file to write and the function that makes its text.
pub(super) type FileMaker<'a> = (&'a str, &'a dyn Fn() -> String);

/// Writes files into `dir`, each atomically. Each text is made just before it is
/// written and dropped after, so only one result file is in memory at a time.
pub(super) fn write_files(dir: &Path, files: &[FileMaker<'_>]) -> anyhow::Result<()> {
    check_cancel()?;
    for (name, make) in files {
        write_one(dir, name, &make())?;
    }
    Ok(())
}

/// Writes texts already made into `dir`, each atomically.
pub(super) fn write_texts(dir: &Path, files: &[(String, String)]) -> anyhow::Result<()> {
    check_cancel()?;
    for (name, text) in files {
        write_one(dir, name, text)?;
    }
    Ok(())
}

fn write_one(dir: &Path, name: &str, text: &str) -> anyhow::Result<()> {
    let path = dir.join(name);
    report::write_atomic(&path, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// The manifest of a folder.
#[allow(clippy::too_many_arguments)]
pub(super) fn manifest(
    kind: &str,
    common: &Common,
    scenarios: &[(&Scenario, &Network)],
    replications: u64,
    warmup: &Warmup,
    wall: f64,
    details: serde_json::Value,
) -> manifest::Manifest {
    let (first, _) = scenarios[0];
    let mut details = details;
    if let (Some(choice), Some(map)) = (&warmup.choice, details.as_object_mut()) {
        map.insert(
            "warmup_choice".into(),
            serde_json::to_value(choice).unwrap_or_default(),
        );
    }
    manifest::Manifest {
        corridor_version: env!("CARGO_PKG_VERSION").to_string(),
        command: std::env::args().collect(),
        kind: kind.to_string(),
        created_utc: manifest::now_utc(),
        wall_seconds: wall,
        threads: threads_used(common),
        seed: first.run.seed,
        replications,
        horizon_days: first.run.horizon_days,
        warmup_days: first.run.warmup_days,
        warmup_source: warmup.source.clone(),
        details,
        scenarios: scenarios
            .iter()
            .map(|(s, n)| manifest::ScenarioRecord::new(s, n))
            .collect(),
    }
}

pub(super) fn run(args: &RunArgs) -> anyhow::Result<()> {
    let common = &args.common;
    let (scenario, network, warmup) = load(&args.scenario, common)?;
    if let Some(p) = args.precision
        && !(p.is_finite() && p > 0.0 && p < 1.0)
    {
        bail!("--precision must be a share between 0 and 1 (e.g. 0.01 for 1%), got {p}");
    }
    let model = Model::new(&network, &scenario)?;
    if let Some(k) = args.replay {
        return replay(args, &scenario, &network, &model, &warmup, k);
    }
    let started = Instant::now();
    let bar = progress_bar(scenario.run.replications, common.quiet, &scenario.name);
    let on_done = || bar.inc(1);
    let control = Control {
        on_done: &on_done,
        cancel: &CANCEL,
    };
    let (out, precision): (RunOutput, Option<PrecisionReport>) = match args.precision {
        Some(p) => {
            bar.set_length(args.max_replications);
            let (out, report) = experiment::run_to_precision(
                &model,
                scenario.run.seed,
                scenario.run.replications,
                args.max_replications,
                p,
                threads(common),
                control,
            );
            (out, Some(report))
        }
        None => {
            let settings = RunSettings {
                seed: scenario.run.seed,
                first: 0,
                replications: scenario.run.replications,
                threads: threads(common),
            };
            (montecarlo::run(&model, &settings, control), None)
        }
    };
    bar.finish_and_clear();
    check_cancel()?;
    let wall = started.elapsed().as_secs_f64();
    super::warn_saturated(&model, &out.replications, &scenario.name);
    let summary = Summary::new(&scenario, &model, &out);
    let dir = out_dir(&common.out, &Path::new("results").join(&scenario.name));
    let details = serde_json::json!({ "precision": precision });
    let m = manifest(
        "run",
        common,
        &[(&scenario, &network)],
        out.replications.len() as u64,
        &warmup,
        wall,
        details,
    );
    write_files(
        &dir,
        &[
            ("summary.json", &|| report::summary_json(&summary)),
            ("flows.csv", &|| report::flows_csv(&summary)),
            ("resources.csv", &|| report::resources_csv(&summary)),
            ("replications.csv", &|| {
                report::replications_csv(&scenario.name, &model, &out)
            }),
            ("transit.csv", &|| {
                report::transit_csv(&scenario.name, &model, &out)
            }),
            ("network.json", &|| {
                report::NetworkExport::new(&network).to_json()
            }),
            ("manifest.json", &|| m.to_json()),
        ],
    )?;
    let charts = draw_charts(&dir, common)?;
    if !common.quiet {
        let mut stdout = std::io::stdout().lock();
        write!(stdout, "{}", report::table(&summary))?;
        if let Some(c) = &warmup.choice {
            writeln!(
                stdout,
                "\nwarm-up chosen by MSER-5: {:.1} days ({} of {} batches of {:.2}-day bins truncated, {} pilot replications)",
                c.warmup_days, c.truncated_batches, c.batches, c.bin_days, c.pilot_replications
            )?;
        }
        if let Some(p) = &precision {
            let worst = p
                .figures
                .iter()
                .map(|f| f.relative_half_width)
                .filter(|w| w.is_finite())
                .fold(0.0, f64::max);
            writeln!(
                stdout,
                "\nprecision {}: {} replications in {} rounds; widest 95% half-width {:.2}% of its mean (target {:.2}%)",
                if p.reached {
                    "reached"
                } else {
                    "NOT reached (hit --max-replications)"
                },
                p.replications,
                p.rounds,
                100.0 * worst,
                100.0 * p.target_relative_half_width
            )?;
        }
        writeln!(
            stdout,
            "\n{} replications in {:.2} s; results in {}{}",
            out.replications.len(),
            wall,
            dir.display(),
            if charts.is_empty() {
                String::new()
            } else {
                format!(" ({} chart files)", charts.len())
            }
        )?;
    }
    Ok(())
}

fn replay(
    args: &RunArgs,
    scenario: &Scenario,
    network: &Network,
    model: &Model,
    warmup: &Warmup,
    k: u64,
) -> anyhow::Result<()> {
    let common = &args.common;
    let started = Instant::now();
    let (result, log) = experiment::replay(model, scenario.run.seed, k);
    let wall = started.elapsed().as_secs_f64();
    let out = RunOutput::of(vec![result]);
    let summary = Summary::new(scenario, model, &out);
    let dir = out_dir(
        &common.out,
        &Path::new("results")
            .join(&scenario.name)
            .join(format!("replay-{k}")),
    );
    let details = serde_json::json!({ "replay": k });
    let m = manifest(
        "replay",
        common,
        &[(scenario, network)],
        1,
        warmup,
        wall,
        details,
    );
    write_files(
        &dir,
        &[
            ("summary.json", &|| report::summary_json(&summary)),
            ("replications.csv", &|| {
                report::replications_csv(&scenario.name, model, &out)
            }),
            ("trains.csv", &|| log.to_csv(model, k)),
            ("transit.csv", &|| {
                report::transit_csv(&scenario.name, model, &out)
            }),
            ("network.json", &|| {
                report::NetworkExport::new(network).to_json()
            }),
            ("manifest.json", &|| m.to_json()),
        ],
    )?;
    draw_charts(&dir, common)?;
    if !common.quiet {
        let mut stdout = std::io::stdout().lock();
        write!(stdout, "{}", report::table(&summary))?;
        writeln!(
            stdout,
            "\nreplication {k} replayed: {} train steps logged; results in {}",
            log.len(),
            dir.display()
        )?;
    }
    Ok(())
}
