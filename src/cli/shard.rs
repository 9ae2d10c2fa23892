//! `run --shard i/N` (one slice of a run's replications, saved as a partial result) and
//! `merge` (partials back into the results folder of a one-machine run).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;

use corridor::error::{FileProblems, LoadError};
use corridor::experiment::WarmupChoice;
use corridor::input;
use corridor::montecarlo::{self, Control, RunSettings};
use corridor::network::Network;
use corridor::report::{self, manifest};
use corridor::scenario::Scenario;
use corridor::schema::{Details, RunKind};
use corridor::shard::{self, Inputs, Partial, ShardHeader, ShardSpec, WarmupRecord};
use corridor::sim::Model;
use corridor::summary::Summary;

use super::simulate::{
    self, CANCEL, Common, RunArgs, Warmup, check_cancel, out_dir, progress_bar, threads,
    threads_used,
};

/// Options of `corridor merge`.
#[derive(Debug, Args)]
pub(crate) struct MergeArgs {
    /// Folders of partial results (every `*.shard.json` file in them) or partial files.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Results folder (default: `results/<scenario name>/`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Do not draw charts (they can be drawn later with `corridor plot DIR`).
    #[arg(long)]
    pub no_plots: bool,
}

/// Runs one shard of a run and writes its partial result.
pub(super) fn run_shard(
    args: &RunArgs,
    spec: &str,
    scenario: &Scenario,
    model: &Model,
    warmup: &Warmup,
) -> anyhow::Result<()> {
    let common = &args.common;
    if !scenario.bases.is_empty() || !scenario.sets.is_empty() {
        // A partial stores one scenario text, from which `merge` rebuilds the run.
        anyhow::bail!(
            "--shard takes a scenario written in one file: this one uses `extends` or --set; write the whole scenario in one file to shard it"
        );
    }
    let spec = ShardSpec::parse(spec, |k| std::env::var(k).ok())?;
    let range = spec.range(scenario.run.replications);
    let read = |p: &Path| {
        std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))
    };
    let inputs = Inputs {
        scenario_text: read(&scenario.path)?,
        network_text: read(&scenario.network_path)?,
    };
    let (scenario_sha256, network_sha256) = inputs.hashes();
    let started = Instant::now();
    let bar = progress_bar(range.end - range.start, common.quiet, &scenario.name);
    let on_done = || bar.inc(1);
    let control = Control {
        on_done: &on_done,
        cancel: &CANCEL,
    };
    let settings = RunSettings {
        seed: scenario.run.seed,
        first: range.start,
        replications: range.end - range.start,
        threads: threads(common),
    };
    let output = montecarlo::run(model, &settings, control);
    bar.finish_and_clear();
    check_cancel()?;
    let header = ShardHeader {
        corridor_version: env!("CARGO_PKG_VERSION").to_string(),
        kind: "run".into(),
        scenario_name: scenario.name.clone(),
        scenario_file: scenario.path.display().to_string(),
        scenario_sha256,
        network_file: scenario.network_path.display().to_string(),
        network_sha256,
        seed: scenario.run.seed,
        horizon_days: scenario.run.horizon_days,
        warmup_days: scenario.run.warmup_days,
        warmup_source: warmup.source,
        warmup_choice: warmup.choice.as_ref().map(|c| WarmupRecord {
            warmup_days: c.warmup_days,
            method: c.method,
            pilot_replications: c.pilot_replications,
            bin_days: c.bin_days,
            batches: c.batches,
            truncated_batches: c.truncated_batches,
        }),
        replications: scenario.run.replications,
        max_trains_in_system: scenario.run.max_trains_in_system,
        period: scenario.period.map(|p| p.name()),
        shard_count: spec.count,
        shard_index: spec.index,
        first: range.start,
        end: range.end,
        threads: threads_used(common),
        wall_seconds: started.elapsed().as_secs_f64(),
        created_utc: manifest::now_utc(),
    };
    let dir = out_dir(
        &common.out,
        &Path::new("results").join(&scenario.name).join("shards"),
    );
    let path = dir.join(spec.file_name());
    let partial = Partial {
        header,
        inputs,
        output,
    };
    shard::write_partial(&path, &partial)?;
    if !common.quiet {
        println!(
            "shard {} of {}: replications {}..{} of {} in {:.2} s; partial result in {}",
            spec.index,
            spec.count,
            range.start,
            range.end,
            scenario.run.replications,
            partial.header.wall_seconds,
            path.display()
        );
    }
    Ok(())
}

/// Merges partial results into a results folder.
pub(super) fn merge(args: &MergeArgs) -> anyhow::Result<()> {
    let files = partial_files(&args.inputs)?;
    let mut partials = Vec::with_capacity(files.len());
    for f in files {
        let p = shard::read_partial(&f)?;
        partials.push((f, p));
    }
    let n_shards = partials.len();
    let merged = shard::merge(partials)?;
    let h = &merged.header;
    let (scenario, network) = load_inputs(h, &merged.inputs)?;
    let model = Model::new(&network, &scenario)?;
    shard::check_shape(&model, &merged.output)
        .map_err(|e| anyhow::anyhow!("the partials do not fit their own scenario: {e}"))?;
    let common = Common {
        replications: None,
        seed: None,
        threads: None,
        horizon_days: None,
        warmup_days: None,
        out: args.out.clone(),
        quiet: args.quiet,
        no_plots: args.no_plots,
        max_trains_in_system: h.max_trains_in_system,
        set: Vec::new(),
        period: Some(h.period.clone().unwrap_or_else(|| "off".into())),
    };
    let warmup = Warmup {
        source: h.warmup_source,
        choice: h.warmup_choice.as_ref().map(|c| WarmupChoice {
            warmup_days: c.warmup_days,
            method: c.method,
            pilot_replications: c.pilot_replications,
            bin_days: c.bin_days,
            batches: c.batches,
            truncated_batches: c.truncated_batches,
        }),
    };
    let out = &merged.output;
    let mut summary = Summary::new(&scenario, &model, out);
    summary
        .notices
        .extend(simulate::warmup_notice(&warmup, scenario.run.horizon_days));
    // The manifest a one-machine run would write; the files are hashed from the texts
    // the shards read, which need not exist where the merge runs.
    let mut m = simulate::manifest(
        RunKind::Run,
        &common,
        &[(&scenario, &network)],
        out.replications.len() as u64,
        &warmup,
        h.wall_seconds,
        Details::default(),
    );
    m.threads = h.threads;
    if let Some(record) = m.scenarios.first_mut() {
        record.file_sha256 = h.scenario_sha256.clone();
        record.network_sha256 = h.network_sha256.clone();
    }
    let dir = out_dir(&args.out, &Path::new("results").join(&scenario.name));
    let charts = simulate::write_run_folder(
        &dir, &common, &scenario, &network, &model, out, &summary, &m,
    )?;
    if !args.quiet {
        let mut stdout = std::io::stdout().lock();
        write!(stdout, "{}", report::table(&summary))?;
        writeln!(
            stdout,
            "\n{n_shards} shards merged: {} replications; results in {}{}",
            out.replications.len(),
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

/// The partial files named by the arguments: files as given, folders by their
/// `*.shard.json` files in name order.
fn partial_files(inputs: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("cannot read folder {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| {
                    f.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.ends_with(shard::EXTENSION) && !n.starts_with('.'))
                        && f.is_file()
                })
                .collect();
            if found.is_empty() {
                return Err(shard::ShardError::NoPartials(p.display().to_string()).into());
            }
            found.sort();
            files.extend(found);
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            bail!(
                "{} is neither a partial result nor a folder of them",
                p.display()
            );
        }
    }
    Ok(files)
}

/// The scenario and network of a run, from the texts saved in its partials, with the
/// run settings the shards used.
fn load_inputs(h: &ShardHeader, inputs: &Inputs) -> anyhow::Result<(Scenario, Network)> {
    let invalid = |path: &str, text: &str, problems| {
        LoadError::Invalid(vec![FileProblems {
            path: PathBuf::from(path),
            text: text.to_string(),
            problems,
        }])
    };
    let network = input::parse_network(&inputs.network_text)
        .map_err(|p| invalid(&h.network_file, &inputs.network_text, p))?;
    let (mut scenario, network) =
        input::parse_scenario(&inputs.scenario_text, Path::new(&h.scenario_file), network)
            .map_err(|p| invalid(&h.scenario_file, &inputs.scenario_text, p))?;
    let (horizon, warmup) = (h.horizon_days, h.warmup_days);
    let horizon_ok = horizon.is_finite() && horizon > 0.0 && horizon <= input::MAX_HORIZON_DAYS;
    if !(horizon_ok && warmup.is_finite() && (0.0..horizon).contains(&warmup)) {
        bail!(
            "the partials record an impossible horizon ({horizon} days) or warm-up ({warmup} days)"
        );
    }
    scenario.run.horizon_days = h.horizon_days;
    scenario.run.warmup_days = h.warmup_days;
    scenario.run.replications = h.replications;
    scenario.run.seed = h.seed;
    scenario.run.max_trains_in_system = h.max_trains_in_system;
    scenario.period = match &h.period {
        None => None,
        Some(p) => Some(
            input::parse_period(&input::dto::DaySpec::Date(p.clone()))
                .map_err(|e| anyhow::anyhow!("the partials record a bad period: {e}"))?,
        ),
    };
    Ok((scenario, network))
}
