//! The command line: subcommands, friendly error reports and exit codes.
//!
//! This is the only module that knows argv, exit codes and `anyhow`.

mod experiment;
mod inspect;
mod plot;
mod shard;
mod show;
mod simulate;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::OnceLock;

use ariadne::{Config, IndexType, Label, Report, ReportKind, Source};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use corridor::error::LoadError;
use corridor::input;
use corridor::routing::Criterion;

/// Exit code for mistakes in input files, and inputs beyond the bounds of the machine.
const EXIT_INPUT: u8 = 1;
/// Exit code for usage errors: unknown or malformed flags and flag values (clap uses
/// it too).
const EXIT_USAGE: u8 = 2;
/// Exit code for other failures (writing results, internal errors).
const EXIT_FAILURE: u8 = 3;

/// How the messages of flag-value errors raised after parsing begin: such an error is a
/// usage error (exit 2), not a failure.
const USAGE_PREFIXES: [&str; 6] = [
    "--",
    "give the values",
    "sweep value",
    "no flow `",
    "the warm-up (",
    "unknown sweep parameter",
];

/// True if an error is about the command line rather than the files or the machine.
fn is_usage_error(err: &anyhow::Error) -> bool {
    let text = err.to_string();
    USAGE_PREFIXES.iter().any(|p| text.starts_with(p))
}

/// Warns on stderr if replications saturated: how many, and when and where the first
/// did.
pub(crate) fn warn_saturated(
    model: &corridor::sim::Model,
    stats: &corridor::summary::RunStats,
    what: &str,
) {
    let Some((_, first)) = &stats.first_saturation else {
        return;
    };
    let place = first
        .resource
        .map(|i| model.resources()[i as usize].label())
        .unwrap_or_else(|| "no queue".to_string());
    eprintln!(
        "warning: {what}: {} of {} replications saturated (more than {} trains in the system) and stopped early; the first on day {:.1}, largest backlog at {place}; raise capacity, lower demand or see --max-trains-in-system",
        stats.saturated,
        stats.replications,
        first.trains_in_system.saturating_sub(1),
        first.day,
    );
}

/// Monte Carlo simulation of block trains on freight corridors.
#[derive(Debug, Parser)]
#[command(name = "corridor", version, about, max_term_width = 100)]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Colour in error reports: `auto` colours a terminal unless NO_COLOR is set.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// When to colour terminal output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    /// On a terminal, unless the NO_COLOR environment variable is set (and not empty).
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

static COLOR: OnceLock<ColorChoice> = OnceLock::new();

/// Whether to colour what goes to stderr, following `--color` and NO_COLOR.
pub(crate) fn stderr_color() -> bool {
    match COLOR.get().copied().unwrap_or(ColorChoice::Auto) {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check network and scenario files and summarise them.
    Validate {
        /// Network or scenario files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// List the best routes of every flow of a scenario.
    Routes {
        /// Scenario file.
        scenario: PathBuf,
        /// Routes per flow (1 to 100).
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=100))]
        k: u64,
        /// What "best" means.
        #[arg(long, value_enum, default_value_t = By::Time)]
        by: By,
        /// List the k best paths even when they differ only by parallel alternatives
        /// of the same modes (by default routes must differ in their mode sequence).
        #[arg(long)]
        all: bool,
        /// Only this flow.
        #[arg(long)]
        flow: Option<String>,
    },
    /// Simulate a scenario and write summary.json, flows.csv, resources.csv and
    /// replications.csv.
    Run(simulate::RunArgs),
    /// Sweep a parameter (or demand) and write the capacity curve: curve.json,
    /// curve.csv, the practical capacity and the bottleneck at every point.
    Sweep(experiment::SweepArgs),
    /// Compare scenarios with a base, paired by common random numbers: compare.json,
    /// compare.csv.
    Compare(experiment::CompareArgs),
    /// Merge the partial results of `run --shard i/N` into the results folder a
    /// one-machine run would write.
    Merge(shard::MergeArgs),
    /// Find the practical capacity by search: bracket the demand factor, then bisect
    /// with common random numbers until the crossing is within a tolerance.
    Capacity(experiment::CapacityArgs),
    /// Draw the charts of a results folder again from its saved files.
    Plot(plot::PlotArgs),
    /// Export a network, or a results folder, as GeoJSON (points and lines).
    ExportGeojson(plot::ExportArgs),
    /// Write a synthetic corridor network and scenario of any size (for scaling
    /// measurements).
    Generate {
        /// Nodes in the network (10 to 100,000).
        #[arg(long, value_parser = clap::value_parser!(u64).range(10..=100_000))]
        nodes: u64,
        /// Seed of the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Folder for network.toml and scenario.toml.
        #[arg(long)]
        out: PathBuf,
    },
    /// List the nodes, legs, resources, flows and the parameters each target accepts in
    /// overrides and `--set`.
    Show {
        /// Network or scenario file.
        file: PathBuf,
        /// Print JSON instead of tables.
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script (e.g. `corridor completions bash > corridor.bash`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `corridor man > corridor.1`.
    Man,
    /// Print the JSON Schema of network and scenario files.
    Schema {
        /// Which file kind (both when omitted).
        #[arg(value_enum)]
        kind: Option<SchemaKind>,
    },
}

/// Route criteria on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum By {
    /// Expected days.
    Time,
    /// USD per TEU.
    Cost,
    /// kg CO2 per TEU.
    Co2,
}

impl From<By> for Criterion {
    fn from(b: By) -> Criterion {
        match b {
            By::Time => Criterion::Time,
            By::Cost => Criterion::Cost,
            By::Co2 => Criterion::Co2,
        }
    }
}

/// File kinds for `corridor schema`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum SchemaKind {
    /// `networks/*.toml`.
    Network,
    /// `scenarios/*.toml`.
    Scenario,
}

/// Runs the command line and returns the process exit code.
pub(crate) fn main() -> ExitCode {
    let cli = Cli::parse();
    let _ = COLOR.set(cli.color);
    // Ctrl-C or SIGTERM: let running replications finish, skip the rest and write
    // nothing; a second signal stops at once.
    simulate::install_signal_handlers();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            if let Some(load) = err.downcast_ref::<LoadError>() {
                report_load_error(load);
                return ExitCode::from(if only_flag_problems(load) {
                    EXIT_USAGE
                } else {
                    EXIT_INPUT
                });
            }
            if err
                .chain()
                .any(|e| e.downcast_ref::<corridor::sim::ModelError>().is_some())
            {
                eprintln!("error: {err:#}");
                return ExitCode::from(EXIT_INPUT);
            }
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            if let Some(code) = simulate::interrupted_exit_code() {
                eprintln!("error: {err:#}");
                return ExitCode::from(code);
            }
            eprintln!("error: {err:#}");
            if is_usage_error(&err) {
                return ExitCode::from(EXIT_USAGE);
            }
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

/// True if every problem of a load error is in a `--set` flag (a bad flag value).
fn only_flag_problems(err: &LoadError) -> bool {
    match err {
        LoadError::Invalid(files) => {
            !files.is_empty()
                && files
                    .iter()
                    .all(|f| f.path.as_os_str() == input::SET_SOURCE)
        }
        LoadError::Io { .. } => false,
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Runs one parsed command.
pub(crate) fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Validate { files } => inspect::validate(&files),
        Command::Routes {
            scenario,
            k,
            by,
            all,
            flow,
        } => {
            let (scenario, network) = input::load_scenario(&scenario)?;
            inspect::routes(
                &scenario,
                &network,
                k as usize,
                by.into(),
                all,
                flow.as_deref(),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Run(args) => {
            simulate::run(&args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Sweep(args) => {
            experiment::sweep(&args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Compare(args) => {
            experiment::compare(&args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Merge(args) => {
            shard::merge(&args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Capacity(args) => {
            experiment::capacity(&args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Plot(args) => {
            plot::plot(&args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::ExportGeojson(args) => {
            plot::export_geojson(&args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate { nodes, seed, out } => {
            let g = corridor::generate::corridor(nodes as usize, seed);
            for (name, text) in [("network.toml", &g.network), ("scenario.toml", &g.scenario)] {
                let path = out.join(name);
                corridor::report::write_atomic(&path, text.as_bytes())
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
            }
            println!(
                "wrote {} and {}",
                out.join("network.toml").display(),
                out.join("scenario.toml").display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { file, json } => {
            show::show(&file, json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "corridor",
                &mut std::io::stdout(),
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema { kind } => {
            let network = schemars::schema_for!(input::dto::NetworkFile);
            let scenario = schemars::schema_for!(input::dto::ScenarioFile);
            let value = match kind {
                Some(SchemaKind::Network) => serde_json::to_value(network)?,
                Some(SchemaKind::Scenario) => serde_json::to_value(scenario)?,
                None => serde_json::json!({ "network": network, "scenario": scenario }),
            };
            let mut out = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &value)?;
            writeln!(out)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints every problem of a load error with the offending line, to stderr.
pub(crate) fn report_load_error(err: &LoadError) {
    let mut stderr = std::io::stderr().lock();
    let _ = write_load_error(err, &mut stderr, stderr_color());
}

/// Writes every problem of a load error with the offending line.
pub(crate) fn write_load_error(
    err: &LoadError,
    w: &mut dyn Write,
    color: bool,
) -> std::io::Result<()> {
    match err {
        LoadError::Io { .. } => writeln!(w, "error: {err}"),
        LoadError::Invalid(files) => {
            for file in files {
                let name = file.path.display().to_string();
                for p in &file.problems {
                    let Some(span) = p.span.clone() else {
                        writeln!(w, "error: {}: {}", name, p.message)?;
                        if let Some(h) = &p.help {
                            writeln!(w, "  help: {h}")?;
                        }
                        continue;
                    };
                    let mut report =
                        Report::build(ReportKind::Error, (name.as_str(), span.clone()))
                            .with_config(
                                Config::default()
                                    .with_color(color)
                                    .with_index_type(IndexType::Byte),
                            )
                            .with_message(&p.message);
                    // A short help goes under the offending text; a long one below.
                    let short_help = p.help.as_deref().filter(|h| h.len() <= 60);
                    report = report.with_label(
                        Label::new((name.as_str(), span))
                            .with_message(short_help.unwrap_or("here")),
                    );
                    if let Some(h) = p.help.as_deref().filter(|_| short_help.is_none()) {
                        report = report.with_help(h);
                    }
                    report
                        .finish()
                        .write((name.as_str(), Source::from(file.text.as_str())), &mut *w)?;
                }
            }
            let n = err.count();
            writeln!(w, "{n} problem{} found", if n == 1 { "" } else { "s" })
        }
    }
}
