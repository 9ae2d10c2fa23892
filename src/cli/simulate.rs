//! `run`: simulate a scenario's replications and write the results; also replays,
//! automatic warm-up and replications to a target precision.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;

use corridor::experiment::{self, PrecisionReport, WarmupChoice};
use corridor::input;
use corridor::montecarlo::{self, Both, Control, RunOutput, RunSettings};
use corridor::network::Network;
use corridor::report::folder::Staging;
use corridor::report::{self, manifest};
use corridor::scenario::{InputMode, Scenario};
use corridor::schema::{self, Details, RunKind, WarmupSource};
use corridor::sim::Model;
use corridor::summary::{Keep, RunStats, Summary};

/// Set by Ctrl-C or SIGTERM; running replications finish, the rest are skipped,
/// nothing is written.
pub(super) static CANCEL: AtomicBool = AtomicBool::new(false);

/// The signal that set [`CANCEL`] (0: none yet).
static SIGNAL: AtomicI32 = AtomicI32::new(0);

/// Exit code after SIGINT (Ctrl-C).
const EXIT_SIGINT: u8 = 130;
/// Exit code after SIGTERM.
const EXIT_SIGTERM: u8 = 143;

/// Installs the handlers of Ctrl-C (SIGINT) and SIGTERM: the first asks the run to
/// stop cleanly (running replications finish, nothing is written, a results folder
/// being written is left as it was); a second stops the process at once (a temporary
/// folder it leaves is removed by the next run).
pub(super) fn install_signal_handlers() {
    #[cfg(unix)]
    for sig in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: `on_signal` only touches atomics and calls `_exit`, both
        // async-signal-safe; the `sigaction` struct is fully initialised.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
            libc::sigemptyset(&mut action.sa_mask);
            action.sa_flags = libc::SA_RESTART;
            libc::sigaction(sig, &action, std::ptr::null_mut());
        }
    }
    #[cfg(not(unix))]
    let _ = ctrlc::set_handler(|| {
        if CANCEL.swap(true, Ordering::SeqCst) {
            std::process::exit(i32::from(EXIT_SIGINT));
        }
    });
}

#[cfg(unix)]
extern "C" fn on_signal(sig: libc::c_int) {
    if SIGNAL.swap(sig, Ordering::SeqCst) != 0 {
        // SAFETY: `_exit` is async-signal-safe.
        unsafe { libc::_exit(128 + sig) };
    }
    CANCEL.store(true, Ordering::SeqCst);
}

/// The exit code of an interrupted run (130 after Ctrl-C, 143 after SIGTERM), or
/// `None` if no signal came.
pub(super) fn interrupted_exit_code() -> Option<u8> {
    if !CANCEL.load(Ordering::SeqCst) {
        return None;
    }
    #[cfg(unix)]
    if SIGNAL.load(Ordering::SeqCst) == libc::SIGTERM {
        return Some(EXIT_SIGTERM);
    }
    Some(EXIT_SIGINT)
}

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
    /// Change a network parameter after the file's overrides: TARGET.PARAM=VALUE, VALUE
    /// a number (new value), +N or -N (added) or xF (factor), e.g.
    /// `--set aktau-alat.ferry.vessels=+2` (repeatable; see `corridor show`).
    #[arg(
        long = "set",
        value_name = "TARGET.PARAM=VALUE",
        allow_hyphen_values = true
    )]
    pub set: Vec<String>,
    /// Results over time (timeseries.csv) by `month`, `week` or a number of days, or
    /// `off` (default: the scenario's `period`; month when it has a start date).
    #[arg(long, value_name = "month|week|DAYS|off")]
    pub period: Option<String>,
    /// Uncertain inputs (numbers given as ranges in the files): `sampled` draws each
    /// once per replication, so intervals include what we do not know about them;
    /// `fixed` uses their point values (the mode, or the midpoint).
    #[arg(long, value_enum, default_value_t = InputsArg::Sampled)]
    pub inputs: InputsArg,
}

/// `--inputs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum InputsArg {
    /// Each replication draws every uncertain input from its range.
    Sampled,
    /// Every replication uses the point values.
    Fixed,
}

impl From<InputsArg> for InputMode {
    fn from(a: InputsArg) -> InputMode {
        match a {
            InputsArg::Sampled => InputMode::Sampled,
            InputsArg::Fixed => InputMode::Fixed,
        }
    }
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
    #[arg(long, value_name = "K", conflicts_with = "shard")]
    pub replay: Option<u64>,
    /// Run only shard i of N (replications i*R/N to (i+1)*R/N) and write a partial
    /// result for `corridor merge`; `auto/N` reads i from the array job's environment
    /// (Slurm, Kubernetes, AWS Batch, PBS, Grid Engine, LSF).
    #[arg(long, value_name = "i/N", conflicts_with = "precision")]
    pub shard: Option<String>,
}

/// How the warm-up was set.
pub(super) struct Warmup {
    pub(super) source: WarmupSource,
    pub(super) choice: Option<WarmupChoice>,
}

/// Loads a scenario and applies the command line's run settings to it.
pub(super) fn load(path: &Path, common: &Common) -> anyhow::Result<(Scenario, Network, Warmup)> {
    let (mut scenario, network) = input::load_scenario_with(path, &common.set)?;
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
        source: WarmupSource::Scenario,
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
        warmup.source = WarmupSource::CommandLine;
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
    scenario.inputs = common.inputs.into();
    match common.period.as_deref() {
        None => {}
        Some("off") => scenario.period = None,
        Some(p) => {
            scenario.period = Some(
                input::parse_period(&input::dto::DaySpec::Date(p.to_string()))
                    .map_err(|e| anyhow::anyhow!("--period: {e}"))?,
            );
        }
    }
    if auto {
        let choice = experiment::auto_warmup(&scenario, &network, threads(common))?;
        scenario.run.warmup_days = choice.warmup_days;
        warmup = Warmup {
            source: WarmupSource::Auto,
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
    threads(common).unwrap_or_else(corridor::montecarlo::default_threads)
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

/// Writes a whole results folder: every file (each text made just before it is
/// written and dropped after, so only one result file is in memory at a time), then
/// the charts, into a temporary sibling folder that is swapped into place at the end.
/// Ctrl-C or SIGTERM before the swap, or a failure writing the data (a full disk),
/// leaves the folder as it was. Charts that fail to draw do not lose the data: the
/// folder is swapped in with the data and no chart at all, and the error reported.
/// Returns the number of chart files.
pub(super) fn write_folder(
    dir: &Path,
    common: &Common,
    files: &mut dyn Iterator<Item = (String, String)>,
) -> anyhow::Result<usize> {
    check_cancel()?;
    finish_folder(Staging::new(dir)?, common, files)
}

/// Writes the remaining files of a results folder whose staging was started before
/// the run (files streamed into it as the replications finished), draws its charts
/// and swaps it into place.
pub(super) fn finish_folder(
    mut staging: Staging,
    common: &Common,
    files: &mut dyn Iterator<Item = (String, String)>,
) -> anyhow::Result<usize> {
    let dir = staging.target().to_path_buf();
    for (name, text) in files {
        check_cancel()?;
        staging.write(&name, text.as_bytes())?;
    }
    check_cancel()?;
    let charts = draw_charts(staging.path(), common);
    check_cancel()?;
    if charts.is_err() {
        staging.keep_only_written()?;
    }
    staging.commit()?;
    charts.with_context(|| {
        format!(
            "the results are written to {}, but the charts could not be drawn",
            dir.display()
        )
    })
}

/// Draws the charts of a results folder being written (after its data files, so a
/// failure here never loses results); returns the number of chart files.
fn draw_charts(dir: &Path, common: &Common) -> anyhow::Result<usize> {
    if common.no_plots {
        return Ok(0);
    }
    let opts = corridor::report::plot::PlotOptions {
        formats: corridor::report::plot::Formats::Both,
        width: 1600,
        height: 1000,
    };
    Ok(corridor::report::plot::render_dir(dir, &opts)?.len())
}

/// A file to write and the function that makes its text.
pub(super) type FileMaker<'a> = (&'a str, &'a dyn Fn() -> String);

/// The files of `makers`, each text made when it is reached.
pub(super) fn made<'a>(makers: &'a [FileMaker<'a>]) -> impl Iterator<Item = (String, String)> + 'a {
    makers.iter().map(|(name, make)| (name.to_string(), make()))
}

/// The manifest of a folder.
pub(super) fn manifest(
    kind: RunKind,
    common: &Common,
    scenarios: &[(&Scenario, &Network)],
    replications: u64,
    warmup: &Warmup,
    wall: f64,
    details: Details,
) -> manifest::Manifest {
    let (first, _) = scenarios[0];
    let details = Details {
        warmup_choice: warmup.choice.clone(),
        ..details
    };
    manifest::Manifest {
        corridor_version: env!("CARGO_PKG_VERSION").to_string(),
        command: std::env::args().collect(),
        kind,
        created_utc: manifest::now_utc(),
        wall_seconds: wall,
        threads: threads_used(common),
        seed: first.run.seed,
        replications,
        horizon_days: first.run.horizon_days,
        warmup_days: first.run.warmup_days,
        warmup_source: warmup.source,
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
    if let Some(spec) = &args.shard {
        return super::shard::run_shard(args, spec, &scenario, &model, &warmup);
    }
    let started = Instant::now();
    let dir = out_dir(&common.out, &Path::new("results").join(&scenario.name));
    check_cancel()?;
    // The folder is staged before the run: replications.csv streams into it as the
    // replications are folded, so no per-replication row stays in memory.
    let mut staging = Staging::new(&dir)?;
    let rows_file = std::io::BufWriter::new(staging.create("replications.csv")?);
    let mut rows = report::ReplicationsCsv::new(&scenario.name, None, &model, rows_file, true);
    let bar = progress_bar(scenario.run.replications, common.quiet, &scenario.name);
    let on_done = || bar.inc(1);
    let control = Control {
        on_done: &on_done,
        cancel: &CANCEL,
    };
    let (out, precision): (RunStats, Option<PrecisionReport>) = match args.precision {
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
                &mut rows,
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
            let mut stats = RunStats::new(&model, Keep::Nothing);
            montecarlo::run_into(&model, &settings, control, &mut Both(&mut stats, &mut rows));
            (stats, None)
        }
    };
    bar.finish_and_clear();
    check_cancel()?;
    rows.finish()
        .and_then(|w| w.into_inner().map_err(|e| e.into_error()))
        .with_context(|| format!("cannot write replications.csv of {}", dir.display()))?;
    let wall = started.elapsed().as_secs_f64();
    super::warn_saturated(&model, &out, &scenario.name);
    let mut summary = Summary::new(&scenario, &model, &out);
    summary
        .notices
        .extend(warmup_notice(&warmup, scenario.run.horizon_days));
    let details = Details {
        precision: precision.clone(),
        ..Details::default()
    };
    let m = manifest(
        RunKind::Run,
        common,
        &[(&scenario, &network)],
        out.replications,
        &warmup,
        wall,
        details,
    );
    let charts = write_run_folder(
        staging, common, &scenario, &network, &model, &out, None, &summary, &m,
    )?;
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
            out.replications,
            wall,
            dir.display(),
            if charts == 0 {
                String::new()
            } else {
                format!(" ({charts} chart files)")
            }
        )?;
    }
    Ok(())
}

/// Writes the data files of a `run` results folder, then its charts; returns the chart
/// files. `run` and `merge` both write through here, so a merged sharded run has the
/// bytes of a one-machine run. `replications.csv` is written from `kept` if given,
/// else it was streamed into `staging` during the run.
#[allow(clippy::too_many_arguments)]
pub(super) fn write_run_folder(
    staging: Staging,
    common: &Common,
    scenario: &Scenario,
    network: &Network,
    model: &Model,
    stats: &RunStats,
    kept: Option<&RunOutput>,
    summary: &Summary,
    m: &manifest::Manifest,
) -> anyhow::Result<usize> {
    let rows = kept.map(|out| {
        (
            "replications.csv".to_string(),
            report::replications_csv(&scenario.name, model, out),
        )
    });
    let series = stats.series.as_ref().map(|_| {
        (
            schema::TIMESERIES.to_string(),
            report::timeseries_csv(&scenario.name, model, stats),
        )
    });
    let sensitivity = (!summary.sensitivity.is_empty()).then(|| {
        (
            schema::SENSITIVITY.to_string(),
            report::sensitivity_csv(summary),
        )
    });
    let storage = (!summary.storage.is_empty())
        .then(|| (schema::STORAGE.to_string(), report::storage_csv(summary)));
    finish_folder(
        staging,
        common,
        &mut rows
            .into_iter()
            .chain(series)
            .chain(sensitivity)
            .chain(storage)
            .chain(made(&[
                ("summary.json", &|| report::summary_json(summary)),
                ("flows.csv", &|| report::flows_csv(summary)),
                ("resources.csv", &|| report::resources_csv(summary)),
                (schema::LINKS, &|| {
                    report::links::links_csv(&scenario.name, network, model, stats)
                }),
                ("transit.csv", &|| {
                    report::transit_csv(&scenario.name, model, stats)
                }),
                ("network.json", &|| {
                    report::NetworkExport::new(network).to_json()
                }),
                ("manifest.json", &|| m.to_json()),
            ])),
    )
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
    let stats = RunStats::of(model, &out, Keep::Nothing);
    let summary = Summary::new(scenario, model, &stats);
    let dir = out_dir(
        &common.out,
        &Path::new("results").join(format!("{}-replay-{k}", scenario.name)),
    );
    let details = Details {
        replay: Some(k),
        ..Details::default()
    };
    let m = manifest(
        RunKind::Replay,
        common,
        &[(scenario, network)],
        1,
        warmup,
        wall,
        details,
    );
    write_folder(
        &dir,
        common,
        &mut made(&[
            ("summary.json", &|| report::summary_json(&summary)),
            ("replications.csv", &|| {
                report::replications_csv(&scenario.name, model, &out)
            }),
            ("trains.csv", &|| log.to_csv(model, k)),
            ("transit.csv", &|| {
                report::transit_csv(&scenario.name, model, &stats)
            }),
            ("network.json", &|| {
                report::NetworkExport::new(network).to_json()
            }),
            ("manifest.json", &|| m.to_json()),
        ]),
    )?;
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

/// The warm-up chosen automatically, said out loud (None if it was given).
pub(super) fn warmup_notice(warmup: &Warmup, horizon_days: f64) -> Option<String> {
    warmup.choice.as_ref().map(|c| {
        format!(
            "warm-up chosen automatically by MSER-5: {:.1} of {} simulated days ({:.0}%) discarded; give --warmup-days D to fix it",
            c.warmup_days,
            horizon_days,
            100.0 * c.warmup_days / horizon_days.max(f64::MIN_POSITIVE)
        )
    })
}
