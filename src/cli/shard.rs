//! `run`, `sweep` and `compare --shard i/N` (one slice of the replications, saved as a
//! partial result) and `merge` (partials back into the results folder of one machine).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;

use corridor::error::{FileProblems, LoadError};
use corridor::experiment::{self, WarmupChoice};
use corridor::input;
use corridor::montecarlo::{self, Control, RunSettings};
use corridor::network::Network;
use corridor::report::folder::Staging;
use corridor::report::{self, manifest};
use corridor::scenario::Scenario;
use corridor::schema::{Details, RunKind};
use corridor::shard::{
    self, AlternativeRecord, Inputs, Partial, ShardHeader, ShardSpec, SweepRecord, WarmupRecord,
};
use corridor::sim::Model;
use corridor::summary::{Keep, RunStats, Summary};

use super::experiment::{
    CompareArgs, RowSpills, SweepJob, compare_folder_name, finish_compare, finish_sweep,
    sweep_default_dir, sweep_dir,
};
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
    let spec = ShardSpec::parse(spec, |k| std::env::var(k).ok())?;
    let range = spec.range(scenario.run.replications);
    let inputs = read_inputs(scenario)?;
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
    let header = shard_header(
        scenario,
        &inputs,
        warmup,
        &spec,
        range.clone(),
        common,
        started,
        None,
        None,
    );
    let dir = out_dir(
        &common.out,
        &Path::new("results").join(&scenario.name).join("shards"),
    );
    let path = dir.join(spec.file_name());
    let partial = Partial {
        header,
        inputs,
        output,
        points: Vec::new(),
        alternatives: Vec::new(),
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

/// The inputs of a scenario, read again as texts for the partial.
fn read_inputs(scenario: &Scenario) -> anyhow::Result<Inputs> {
    if !scenario.bases.is_empty() || !scenario.sets.is_empty() {
        // A partial stores one scenario text, from which `merge` rebuilds the run.
        anyhow::bail!(
            "--shard takes a scenario written in one file: this one uses `extends` or --set; write the whole scenario in one file to shard it"
        );
    }
    let read = |p: &Path| {
        std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))
    };
    Ok(Inputs {
        scenario_text: read(&scenario.path)?,
        network_text: read(&scenario.network_path)?,
    })
}

/// The header of a partial of `scenario`'s replications `range`.
#[allow(clippy::too_many_arguments)]
fn shard_header(
    scenario: &Scenario,
    inputs: &Inputs,
    warmup: &Warmup,
    spec: &ShardSpec,
    range: std::ops::Range<u64>,
    common: &Common,
    started: Instant,
    sweep: Option<SweepRecord>,
    compare: Option<Vec<AlternativeRecord>>,
) -> ShardHeader {
    let (scenario_sha256, network_sha256) = inputs.hashes();
    let kind = match (&sweep, &compare) {
        (Some(_), _) => "sweep",
        (None, Some(_)) => "compare",
        (None, None) => "run",
    };
    ShardHeader {
        corridor_version: env!("CARGO_PKG_VERSION").to_string(),
        kind: kind.into(),
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
        inputs_fixed: scenario.inputs == corridor::scenario::InputMode::Fixed,
        period: scenario.period.map(|p| p.name()),
        shard_count: spec.count,
        shard_index: spec.index,
        first: range.start,
        end: range.end,
        threads: threads_used(common),
        wall_seconds: started.elapsed().as_secs_f64(),
        created_utc: manifest::now_utc(),
        sweep,
        compare,
    }
}

/// Runs one shard of every value of a sweep (the grid only: a demand sweep's
/// refinement probes depend on every replication, so `merge` runs them) and writes
/// its partial result.
pub(super) fn run_sweep_shard(
    job: &SweepJob<'_>,
    spec: &str,
    common: &Common,
) -> anyhow::Result<()> {
    let scenario = job.scenario;
    let spec = ShardSpec::parse(spec, |k| std::env::var(k).ok())?;
    let range = spec.range(scenario.run.replications);
    let inputs = read_inputs(scenario)?;
    let started = Instant::now();
    let bar = progress_bar(
        (range.end - range.start) * job.values.len() as u64,
        common.quiet,
        &scenario.name,
    );
    let on_done = || bar.inc(1);
    let control = Control {
        on_done: &on_done,
        cancel: &CANCEL,
    };
    let mut points = Vec::with_capacity(job.values.len());
    for &v in &job.values {
        let (sc, net) = experiment::apply_sweep(scenario, job.network, job.param, v)
            .map_err(|e| anyhow::anyhow!("sweep value {v}: {e}"))?;
        let model = Model::new(&net, &sc)?;
        let settings = RunSettings {
            seed: sc.run.seed,
            first: range.start,
            replications: range.end - range.start,
            threads: threads(common),
        };
        points.push(montecarlo::run(&model, &settings, control));
        check_cancel()?;
    }
    bar.finish_and_clear();
    let record = SweepRecord {
        param: job.name.clone(),
        values_bits: job.values.iter().map(|v| v.to_bits()).collect(),
        p95_limit_factor: job.factor,
        tolerance: job.tolerance,
    };
    let header = shard_header(
        scenario,
        &inputs,
        job.warmup,
        &spec,
        range.clone(),
        common,
        started,
        Some(record),
        None,
    );
    let dir = out_dir(&common.out, &sweep_default_dir(job).join("shards"));
    let path = dir.join(spec.file_name());
    let partial = Partial {
        header,
        inputs,
        output: Default::default(),
        points,
        alternatives: Vec::new(),
    };
    shard::write_partial(&path, &partial)?;
    if !common.quiet {
        println!(
            "sweep shard {} of {}: replications {}..{} of {} at {} values in {:.2} s; partial result in {}",
            spec.index,
            spec.count,
            range.start,
            range.end,
            scenario.run.replications,
            job.values.len(),
            partial.header.wall_seconds,
            path.display()
        );
    }
    Ok(())
}

/// Runs one shard of every scenario of a comparison (base first) and writes its
/// partial result, with every scenario's input texts.
pub(super) fn run_compare_shard(
    loaded: &[(Scenario, Network)],
    warmup: &Warmup,
    spec: &str,
    common: &Common,
) -> anyhow::Result<()> {
    let (base, _) = &loaded[0];
    let spec = ShardSpec::parse(spec, |k| std::env::var(k).ok())?;
    let range = spec.range(base.run.replications);
    let inputs = read_inputs(base)?;
    let mut alternatives = Vec::with_capacity(loaded.len() - 1);
    let mut records = Vec::with_capacity(loaded.len() - 1);
    for (s, _) in &loaded[1..] {
        let alt = read_inputs(s)?;
        let (scenario_sha256, network_sha256) = alt.hashes();
        records.push(AlternativeRecord {
            scenario_file: s.path.display().to_string(),
            scenario_sha256,
            network_file: s.network_path.display().to_string(),
            network_sha256,
        });
        alternatives.push(alt);
    }
    let started = Instant::now();
    let bar = progress_bar(
        (range.end - range.start) * loaded.len() as u64,
        common.quiet,
        "compare",
    );
    let on_done = || bar.inc(1);
    let control = Control {
        on_done: &on_done,
        cancel: &CANCEL,
    };
    let mut points = Vec::with_capacity(loaded.len());
    for (s, n) in loaded {
        let model = Model::new(n, s).with_context(|| format!("scenario `{}`", s.name))?;
        let settings = RunSettings {
            seed: s.run.seed,
            first: range.start,
            replications: range.end - range.start,
            threads: threads(common),
        };
        points.push(montecarlo::run(&model, &settings, control));
        check_cancel()?;
    }
    bar.finish_and_clear();
    let header = shard_header(
        base,
        &inputs,
        warmup,
        &spec,
        range.clone(),
        common,
        started,
        None,
        Some(records),
    );
    let names: Vec<&str> = loaded.iter().map(|(s, _)| s.name.as_str()).collect();
    let dir = out_dir(
        &common.out,
        &Path::new("results")
            .join(compare_folder_name(&names))
            .join("shards"),
    );
    let path = dir.join(spec.file_name());
    let partial = Partial {
        header,
        inputs,
        output: Default::default(),
        points,
        alternatives,
    };
    shard::write_partial(&path, &partial)?;
    if !common.quiet {
        println!(
            "compare shard {} of {}: replications {}..{} of {} of {} scenarios in {:.2} s; partial result in {}",
            spec.index,
            spec.count,
            range.start,
            range.end,
            base.run.replications,
            loaded.len(),
            partial.header.wall_seconds,
            path.display()
        );
    }
    Ok(())
}

/// Finishes a sharded comparison from its merged partial: every scenario's
/// replications folded in index order, then the folder exactly as `compare` on one
/// machine.
fn merge_compare(
    merged: &Partial,
    records: &[AlternativeRecord],
    base: (Scenario, Network),
    warmup: &Warmup,
    common: Common,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut loaded = vec![base];
    for (record, inputs) in records.iter().zip(&merged.alternatives) {
        let h = ShardHeader {
            scenario_file: record.scenario_file.clone(),
            network_file: record.network_file.clone(),
            ..merged.header.clone()
        };
        let (mut s, n) = load_inputs(&h, inputs)?;
        // Pairing needs the same replications, seed and observation window.
        s.run = loaded[0].0.run;
        loaded.push((s, n));
    }
    let mut runs = Vec::with_capacity(loaded.len());
    let mut hashes = vec![(
        merged.header.scenario_sha256.clone(),
        merged.header.network_sha256.clone(),
    )];
    hashes.extend(
        records
            .iter()
            .map(|r| (r.scenario_sha256.clone(), r.network_sha256.clone())),
    );
    for ((s, n), out) in loaded.iter().zip(&merged.points) {
        let model = Model::new(n, s).with_context(|| format!("scenario `{}`", s.name))?;
        shard::check_shape(&model, out)
            .map_err(|e| anyhow::anyhow!("the partials do not fit their own scenario: {e}"))?;
        let stats = RunStats::of(&model, out, Keep::Flows);
        runs.push((model, stats));
    }
    let args = CompareArgs {
        base: PathBuf::from(&merged.header.scenario_file),
        alternatives: records
            .iter()
            .map(|r| PathBuf::from(&r.scenario_file))
            .collect(),
        param: None,
        values: None,
        p95_limit_factor: 2.0,
        tolerance: experiment::CAPACITY_TOLERANCE,
        shard: None,
        common,
    };
    finish_compare(&args, &loaded, warmup, runs, started, Some(hashes))
}

/// Finishes a sharded sweep from its merged partial: every value's replications
/// folded in index order, their rows spilled, then the refinement, the curve and the
/// folder exactly as `sweep` on one machine.
fn merge_sweep(
    merged: &Partial,
    record: &SweepRecord,
    (scenario, network): (&Scenario, &Network),
    warmup: &Warmup,
    common: &Common,
) -> anyhow::Result<()> {
    let param =
        experiment::parse_param(&record.param, scenario, network).map_err(anyhow::Error::msg)?;
    let group = experiment::group_of(param, scenario);
    let values = record.values();
    let job = SweepJob {
        scenario,
        network,
        warmup,
        param,
        name: record.param.clone(),
        values: values.clone(),
        factor: record.p95_limit_factor,
        tolerance: record.tolerance,
        hashes: Some((
            merged.header.scenario_sha256.clone(),
            merged.header.network_sha256.clone(),
        )),
    };
    let started = Instant::now();
    let dir = sweep_dir(common, &job);
    check_cancel()?;
    let staging = Staging::new(&dir)?;
    let mut spills = RowSpills::new(&staging, &scenario.name, &job.name);
    let mut runs = Vec::with_capacity(values.len());
    for (&v, out) in values.iter().zip(&merged.points) {
        let (sc, net) = experiment::apply_sweep(scenario, network, param, v)
            .map_err(|e| anyhow::anyhow!("sweep value {v}: {e}"))?;
        let model = Model::new(&net, &sc)?;
        shard::check_shape(&model, out)
            .map_err(|e| anyhow::anyhow!("the partials do not fit their own scenario: {e}"))?;
        spills.spill_kept(v, &model, out)?;
        let stats = experiment::point_stats(&model, group).replayed(out);
        super::warn_saturated(&model, &stats, &format!("{} at {v}", sc.name));
        runs.push((v, model, stats));
    }
    finish_sweep(&job, common, runs, staging, spills, started)
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
        // The manifest records the threads the shards used (each sweep or comparison
        // point's refinement, if any, runs with as many here).
        threads: Some(h.threads as u64),
        horizon_days: None,
        warmup_days: None,
        out: args.out.clone(),
        quiet: args.quiet,
        no_plots: args.no_plots,
        max_trains_in_system: h.max_trains_in_system,
        set: Vec::new(),
        period: Some(h.period.clone().unwrap_or_else(|| "off".into())),
        inputs: if h.inputs_fixed {
            super::simulate::InputsArg::Fixed
        } else {
            super::simulate::InputsArg::Sampled
        },
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
    if let Some(record) = &merged.header.sweep {
        return merge_sweep(&merged, record, (&scenario, &network), &warmup, &common);
    }
    if let Some(records) = &merged.header.compare {
        return merge_compare(&merged, records, (scenario, network), &warmup, common);
    }
    let out = &merged.output;
    let stats = RunStats::of(&model, out, Keep::Nothing);
    let mut summary = Summary::new(&scenario, &model, &stats);
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
    check_cancel()?;
    let charts = simulate::write_run_folder(
        Staging::new(&dir)?,
        &common,
        &scenario,
        &network,
        &model,
        &stats,
        Some(out),
        &summary,
        &m,
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
    scenario.inputs = if h.inputs_fixed {
        corridor::scenario::InputMode::Fixed
    } else {
        corridor::scenario::InputMode::Sampled
    };
    scenario.period = match &h.period {
        None => None,
        Some(p) => Some(
            input::parse_period(&input::dto::DaySpec::Date(p.clone()))
                .map_err(|e| anyhow::anyhow!("the partials record a bad period: {e}"))?,
        ),
    };
    Ok((scenario, network))
}
