//! `sweep` and `compare`: capacity curves and paired scenario comparisons.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;

use super::simulate::{
    CANCEL, Common, Warmup, check_cancel, finish_folder, load, made, manifest, out_dir,
    progress_bar, threads, write_folder,
};
use corridor::experiment;
use corridor::input;
use corridor::montecarlo::{self, Both, Control, RunSettings};
use corridor::network::Network;
use corridor::report::folder::Staging;
use corridor::report::{self, experiments as out};
use corridor::scenario::{Scenario, SweepParam};
use corridor::schema::{Curve, Details, ReplicationRow, RunKind, SweepDetails};
use corridor::sim::Model;
use corridor::summary::{Keep, RunStats};

/// Options of `corridor sweep`.
#[derive(Debug, Args)]
pub(crate) struct SweepArgs {
    /// Scenario file.
    pub scenario: PathBuf,
    /// `demand` (a factor on every flow), `demand:GROUP` (on one flow group's flows) or
    /// TARGET.PARAM, e.g. `aktau-alat.ferry.vessels` (default: the scenario's [sweep]).
    #[arg(long)]
    pub param: Option<String>,
    /// Values: a list `0.5,1,1.5` or a range `FROM:TO:STEP` (default: the scenario's
    /// [sweep]). For a duration parameter the value is its new mean (days).
    #[arg(long, allow_hyphen_values = true)]
    pub values: Option<String>,
    /// Practical capacity: largest acceptable p95 transit as a multiple of its value at
    /// the lowest demand (default: the scenario's, else 2).
    #[arg(long)]
    pub p95_limit_factor: Option<f64>,
    /// Demand sweeps: refine the practical capacity between grid points by bisection
    /// until the crossing is bracketed within this share of the offered load.
    #[arg(long, default_value_t = experiment::CAPACITY_TOLERANCE)]
    pub tolerance: f64,
    /// Run only shard i of N of every value's replications (i*R/N to (i+1)*R/N) and
    /// write a partial result for `corridor merge`, which runs the refinement probes
    /// of a demand sweep itself; `auto/N` reads i from the array job's environment.
    #[arg(long, value_name = "i/N")]
    pub shard: Option<String>,
    #[command(flatten)]
    pub common: Common,
}

/// A sweep as asked for, once checked: what `sweep` runs and `merge` finishes.
pub(super) struct SweepJob<'a> {
    pub scenario: &'a Scenario,
    pub network: &'a Network,
    pub warmup: &'a Warmup,
    pub param: SweepParam,
    pub name: String,
    pub values: Vec<f64>,
    pub factor: f64,
    pub tolerance: f64,
    /// The input files' SHA-256 for the manifest, when they come from partials.
    pub hashes: Option<(String, String)>,
}

/// Options of `corridor capacity`.
#[derive(Debug, Args)]
pub(crate) struct CapacityArgs {
    /// Scenario file.
    pub scenario: PathBuf,
    /// The demand factor the search starts from; it is also the reference of the p95
    /// limit (halved while it fails to keep up).
    #[arg(long, default_value_t = 0.5)]
    pub from: f64,
    /// Stop once the crossing is bracketed within this share of the offered load.
    #[arg(long, default_value_t = experiment::CAPACITY_TOLERANCE)]
    pub tolerance: f64,
    /// Largest acceptable p95 transit as a multiple of its value at the reference
    /// demand (default: the scenario's [sweep], else 2).
    #[arg(long)]
    pub p95_limit_factor: Option<f64>,
    /// Scale only this flow group's demand (`group = "..."` on flows; a flow's id when
    /// it has none) and report the capacity of its trains alone.
    #[arg(long)]
    pub group: Option<String>,
    #[command(flatten)]
    pub common: Common,
}

/// Options of `corridor compare`.
#[derive(Debug, Args)]
pub(crate) struct CompareArgs {
    /// The base scenario.
    pub base: PathBuf,
    /// Alternative scenarios, each compared with the base.
    #[arg(required = true)]
    pub alternatives: Vec<PathBuf>,
    /// Also sweep this parameter in every scenario (`demand`, `demand:GROUP` or
    /// TARGET.PARAM) and write each scenario's capacity curve, for overlaid curves.
    #[arg(long, requires = "values")]
    pub param: Option<String>,
    /// Values of the sweep: a list or FROM:TO:STEP.
    #[arg(long, requires = "param", allow_hyphen_values = true)]
    pub values: Option<String>,
    /// Practical capacity: largest acceptable p95 transit as a multiple of its value at
    /// the lowest demand (default 2).
    #[arg(long, default_value_t = 2.0)]
    pub p95_limit_factor: f64,
    /// Demand sweeps: refine each practical capacity by bisection to within this
    /// share of the offered load.
    #[arg(long, default_value_t = experiment::CAPACITY_TOLERANCE)]
    pub tolerance: f64,
    /// Run only shard i of N of every scenario's replications (i*R/N to (i+1)*R/N) and
    /// write a partial result for `corridor merge`; `auto/N` reads i from the array
    /// job's environment. Not with `--param`.
    #[arg(long, value_name = "i/N", conflicts_with = "param")]
    pub shard: Option<String>,
    #[command(flatten)]
    pub common: Common,
}

/// The runs of a sweep: value, model and statistics per point.
pub(super) type SweepRuns = Vec<(f64, Model, RunStats)>;

/// The `replications.csv` rows of sweep points, written (without a header) into one
/// hidden file per point in the staging folder while each point runs, and joined in
/// the order of the points when the folder is written.
pub(super) struct RowSpills {
    dir: PathBuf,
    scenario: String,
    param: String,
    files: Vec<(f64, PathBuf)>,
}

impl RowSpills {
    pub(super) fn new(staging: &Staging, scenario: &str, param: &str) -> RowSpills {
        RowSpills {
            dir: staging.path().to_path_buf(),
            scenario: scenario.to_string(),
            param: param.to_string(),
            files: Vec::new(),
        }
    }

    /// Spills the rows of replications kept in `out` (a merged shard set) for the
    /// point at `value`.
    pub(super) fn spill_kept(
        &mut self,
        value: f64,
        model: &Model,
        out: &corridor::montecarlo::RunOutput,
    ) -> anyhow::Result<()> {
        let path = self.dir.join(format!(".rows-{}.csv", self.files.len()));
        let file = std::fs::File::create(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        self.files.push((value, path.clone()));
        let mut rows = report::ReplicationsCsv::new(
            &self.scenario,
            Some((&self.param, value)),
            model,
            std::io::BufWriter::new(file),
            false,
        );
        out.replay_into(&mut rows);
        rows.finish()
            .and_then(|w| w.into_inner().map_err(|e| e.into_error()))
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }

    /// Writes `replications.csv` into `staging`: the header, then the rows of each of
    /// `runs` in their order; removes the spilled files.
    fn join(self, staging: &mut Staging, runs: &SweepRuns) -> anyhow::Result<()> {
        let file = staging.create("replications.csv")?;
        let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
        // Every point's model has the same uncertain inputs (a sweep changes values,
        // not ranges), so the first point's header holds for all.
        match runs.first() {
            Some((_, model, _)) => w.write_record(corridor::report::replications_header(model))?,
            None => w.write_record(corridor::schema::fields::<ReplicationRow>())?,
        }
        let mut w = w.into_inner().map_err(|e| e.into_error())?;
        for (v, _, _) in runs {
            if let Some((_, path)) = self.files.iter().find(|(x, _)| x.to_bits() == v.to_bits()) {
                let mut part = std::fs::File::open(path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                std::io::copy(&mut part, &mut w).with_context(|| {
                    format!("cannot write replications.csv from {}", path.display())
                })?;
            }
        }
        w.into_inner().map_err(|e| e.into_error())?;
        for (_, path) in &self.files {
            let _ = std::fs::remove_file(path);
        }
        Ok(())
    }
}

/// Runs a sweep of one scenario.
fn run_sweep(
    scenario: &Scenario,
    network: &Network,
    param: SweepParam,
    values: &[f64],
    common: &Common,
    mut spills: Option<&mut RowSpills>,
) -> anyhow::Result<SweepRuns> {
    let reps = scenario.run.replications;
    let bar = progress_bar(reps * values.len() as u64, common.quiet, &scenario.name);
    let on_done = || bar.inc(1);
    let control = Control {
        on_done: &on_done,
        cancel: &CANCEL,
    };
    let mut runs = Vec::with_capacity(values.len());
    for &v in values {
        runs.push(run_point(
            scenario,
            network,
            param,
            v,
            common,
            control,
            spills.as_deref_mut(),
        )?);
    }
    bar.finish_and_clear();
    Ok(runs)
}

/// Runs one point of a sweep: the scenario's replications with `param` at `v`,
/// keeping what the capacity curve needs (each flow's figures for a group's demand,
/// see [`experiment::point_stats`]); with `spills`, its replications' rows go
/// to a file of their own.
fn run_point(
    scenario: &Scenario,
    network: &Network,
    param: SweepParam,
    v: f64,
    common: &Common,
    control: Control<'_>,
    spills: Option<&mut RowSpills>,
) -> anyhow::Result<(f64, Model, RunStats)> {
    let (sc, net) = experiment::apply_sweep(scenario, network, param, v)
        .map_err(|e| anyhow::anyhow!("sweep value {v}: {e}"))?;
    let model = Model::new(&net, &sc)?;
    let settings = RunSettings {
        seed: sc.run.seed,
        first: 0,
        replications: scenario.run.replications,
        threads: threads(common),
    };
    let mut stats = experiment::point_stats(&model, experiment::group_of(param, scenario));
    match spills {
        Some(sp) => {
            let path = sp.dir.join(format!(".rows-{}.csv", sp.files.len()));
            let file = std::fs::File::create(&path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            sp.files.push((v, path.clone()));
            let mut rows = report::ReplicationsCsv::new(
                &sp.scenario,
                Some((&sp.param, v)),
                &model,
                std::io::BufWriter::new(file),
                false,
            );
            montecarlo::run_into(&model, &settings, control, &mut Both(&mut stats, &mut rows));
            rows.finish()
                .and_then(|w| w.into_inner().map_err(|e| e.into_error()))
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        None => montecarlo::run_into(&model, &settings, control, &mut stats),
    }
    check_cancel()?;
    super::warn_saturated(&model, &stats, &format!("{} at {v}", sc.name));
    Ok((v, model, stats))
}

/// Refines the practical capacity of a demand search: probes the demand factors
/// [`experiment::next_probe`] asks for (with the same replications) until it is
/// done, at most [`experiment::MAX_PROBES`] of them. `bracket` also extends the
/// search beyond the probes given. Returns the new probes, in probe order.
#[allow(clippy::too_many_arguments)]
fn refine(
    scenario: &Scenario,
    network: &Network,
    param: SweepParam,
    start: &SweepRuns,
    p95_limit_factor: f64,
    tolerance: f64,
    bracket: bool,
    common: &Common,
    mut spills: Option<&mut RowSpills>,
) -> anyhow::Result<SweepRuns> {
    let group = experiment::group_of(param, scenario);
    let mut probes: SweepRuns = Vec::new();
    for _ in 0..experiment::MAX_PROBES {
        let points: Vec<(f64, &Model, &RunStats)> = start
            .iter()
            .chain(&probes)
            .map(|(v, m, o)| (*v, m, o))
            .collect();
        let v = match experiment::next_probe(&points, p95_limit_factor, tolerance, bracket, group) {
            experiment::NextProbe::At(v) => v,
            experiment::NextProbe::Done => break,
        };
        let bar = progress_bar(
            scenario.run.replications,
            common.quiet,
            &format!("{} demand x{v}", scenario.name),
        );
        let on_done = || bar.inc(1);
        let control = Control {
            on_done: &on_done,
            cancel: &CANCEL,
        };
        let run = run_point(
            scenario,
            network,
            param,
            v,
            common,
            control,
            spills.as_deref_mut(),
        );
        bar.finish_and_clear();
        probes.push(run?);
    }
    Ok(probes)
}

/// Checks a tolerance of the refinement.
fn check_tolerance(tolerance: f64) -> anyhow::Result<()> {
    if !(tolerance.is_finite() && tolerance > 0.0 && tolerance < 1.0) {
        bail!("--tolerance must be a share of the offered load between 0 and 1, got {tolerance}");
    }
    Ok(())
}

/// The sweep asked for: command line first, then the scenario's [sweep].
fn sweep_spec(
    args: &SweepArgs,
    scenario: &Scenario,
    network: &Network,
) -> anyhow::Result<(SweepParam, String, Vec<f64>, f64)> {
    let from_file = scenario.sweep.as_ref();
    let (param, name) = match (&args.param, from_file) {
        (Some(p), _) => (
            experiment::parse_param(p, scenario, network).map_err(|e| {
                if p.starts_with("demand:") {
                    anyhow::anyhow!("--param: {e}")
                } else {
                    anyhow::Error::msg(e)
                }
            })?,
            p.clone(),
        ),
        (None, Some(s)) => (s.param, sweep_name(s.param, scenario, network)),
        (None, None) => bail!(
            "no sweep to run: give --param NAME --values LIST, or add a [sweep] table to {}",
            scenario.path.display()
        ),
    };
    let mut values = match (&args.values, from_file) {
        (Some(v), _) => {
            experiment::parse_values(v).map_err(|e| anyhow::anyhow!("--values: {e}"))?
        }
        (None, Some(s)) if args.param.is_none() => s.values.clone(),
        _ => bail!("give the values to sweep with --values, e.g. --values 0.5:2:0.25"),
    };
    for v in &values {
        input::check_sweep_value(param, *v)
            .map_err(|e| anyhow::anyhow!("--values: `{name}` {e}"))?;
    }
    values.sort_by(f64::total_cmp);
    values.dedup();
    let factor = args
        .p95_limit_factor
        .or(from_file.map(|s| s.p95_limit_factor))
        .unwrap_or(2.0);
    if !(factor.is_finite() && factor > 1.0) {
        bail!("--p95-limit-factor must be a number above 1, got {factor}");
    }
    Ok((param, name, values, factor))
}

fn sweep_name(param: SweepParam, scenario: &Scenario, network: &Network) -> String {
    match param {
        SweepParam::Demand => "demand".to_string(),
        SweepParam::DemandGroup(_) => format!(
            "demand:{}",
            experiment::group_of(param, scenario).unwrap_or_default()
        ),
        SweepParam::Network(t, p) => format!("{}.{}", network.target_name(t), p.name()),
        SweepParam::DatedFrom(i) => format!(
            "from:{}",
            scenario.dated[i as usize].id.as_deref().unwrap_or_default()
        ),
    }
}

pub(super) fn sweep(args: &SweepArgs) -> anyhow::Result<()> {
    let common = &args.common;
    let (scenario, network, warmup) = load(&args.scenario, common)?;
    let (param, name, values, factor) = sweep_spec(args, &scenario, &network)?;
    let started = Instant::now();
    check_tolerance(args.tolerance)?;
    let job = SweepJob {
        scenario: &scenario,
        network: &network,
        warmup: &warmup,
        param,
        name,
        values,
        factor,
        tolerance: args.tolerance,
        hashes: None,
    };
    if let Some(spec) = &args.shard {
        return super::shard::run_sweep_shard(&job, spec, common);
    }
    let dir = sweep_dir(common, &job);
    check_cancel()?;
    let staging = Staging::new(&dir)?;
    let mut spills = RowSpills::new(&staging, &scenario.name, &job.name);
    let runs = run_sweep(
        &scenario,
        &network,
        param,
        &job.values,
        common,
        Some(&mut spills),
    )?;
    finish_sweep(&job, common, runs, staging, spills, started)
}

/// The results folder of a sweep.
pub(super) fn sweep_dir(common: &Common, job: &SweepJob<'_>) -> PathBuf {
    out_dir(&common.out, &sweep_default_dir(job))
}

/// The results folder of a sweep without `--out`.
pub(super) fn sweep_default_dir(job: &SweepJob<'_>) -> PathBuf {
    Path::new("results").join(folder_name(&format!(
        "{}-sweep-{}",
        job.scenario.name, job.name
    )))
}

/// Finishes a sweep whose grid has run (`runs`, their rows spilled into `staging`):
/// refines a demand sweep's crossing, analyses the curve, writes the folder and
/// prints the table.
pub(super) fn finish_sweep(
    job: &SweepJob<'_>,
    common: &Common,
    runs: SweepRuns,
    staging: Staging,
    spills: RowSpills,
    started: Instant,
) -> anyhow::Result<()> {
    let (scenario, network) = (job.scenario, job.network);
    let demand = job.param.is_demand();
    let group = experiment::group_of(job.param, scenario);
    let refined = if demand {
        refine(
            scenario,
            network,
            job.param,
            &runs,
            job.factor,
            job.tolerance,
            false,
            common,
            None,
        )?
    } else {
        Vec::new()
    };
    let wall = started.elapsed().as_secs_f64();
    let curve = experiment::analyse_curve(
        &scenario.name,
        &job.name,
        demand,
        group,
        scenario.run.seed,
        job.factor,
        &as_points(&runs),
        &as_points(&refined),
        job.tolerance,
    );
    let dir = staging.target().to_path_buf();
    write_curve_folder(
        staging,
        spills,
        common,
        RunKind::Sweep,
        (scenario, network),
        job.warmup,
        wall,
        &curve,
        &runs,
        SweepDetails {
            param: job.name.clone(),
            values: job.values.clone(),
            p95_limit_factor: job.factor,
        },
        job.hashes.clone(),
    )?;
    if !common.quiet {
        let mut stdout = std::io::stdout().lock();
        write!(stdout, "{}", out::curve_table(&curve))?;
        writeln!(
            stdout,
            "\n{} points x {} replications in {:.2} s; results in {}",
            job.values.len(),
            scenario.run.replications,
            wall,
            dir.display()
        )?;
    }
    Ok(())
}

pub(super) fn compare(args: &CompareArgs) -> anyhow::Result<()> {
    let common = &args.common;
    let (base, base_net, warmup) = load(&args.base, common)?;
    let mut loaded = vec![(base, base_net)];
    for path in &args.alternatives {
        let (mut s, n, _) = load(path, common)?;
        // Pairing needs the same replications, seed and observation window.
        s.run = loaded[0].0.run;
        loaded.push((s, n));
    }
    if let Some(spec) = &args.shard {
        return super::shard::run_compare_shard(&loaded, &warmup, spec, common);
    }
    let reps = loaded[0].0.run.replications;
    let bar = progress_bar(reps * loaded.len() as u64, common.quiet, "compare");
    let on_done = || bar.inc(1);
    let control = Control {
        on_done: &on_done,
        cancel: &CANCEL,
    };
    let started = Instant::now();
    let mut runs = Vec::new();
    for (s, n) in &loaded {
        let model = Model::new(n, s).with_context(|| format!("scenario `{}`", s.name))?;
        let settings = RunSettings {
            seed: s.run.seed,
            first: 0,
            replications: reps,
            threads: threads(common),
        };
        let mut output = RunStats::new(&model, Keep::Flows);
        montecarlo::run_into(&model, &settings, control, &mut output);
        check_cancel()?;
        runs.push((model, output));
    }
    bar.finish_and_clear();
    finish_compare(args, &loaded, &warmup, runs, started, None)
}

/// Finishes a comparison whose scenarios have run (`runs`, in the order of `loaded`):
/// the paired differences, each scenario's summary, the capacity curves of
/// `--param`, the folder and the table. `hashes` replace the input files' SHA-256 in
/// the manifest when the runs come from partials.
pub(super) fn finish_compare(
    args: &CompareArgs,
    loaded: &[(Scenario, Network)],
    warmup: &Warmup,
    runs: Vec<(Model, RunStats)>,
    started: Instant,
    hashes: Option<Vec<(String, String)>>,
) -> anyhow::Result<()> {
    let common = &args.common;
    let reps = loaded[0].0.run.replications;
    let wall = started.elapsed().as_secs_f64();
    let alts: Vec<(&str, &Model, &RunStats)> = loaded[1..]
        .iter()
        .zip(&runs[1..])
        .map(|((s, _), (m, o))| (s.name.as_str(), m, o))
        .collect();
    let cmp = experiment::compare(
        &loaded[0].0.name,
        loaded[0].0.run.seed,
        (&runs[0].0, &runs[0].1),
        &alts,
    );
    let names: Vec<&str> = loaded.iter().map(|(s, _)| s.name.as_str()).collect();
    let dir = out_dir(
        &common.out,
        &Path::new("results").join(compare_folder_name(&names)),
    );
    let mut notices: Vec<String> = Vec::new();
    let mut files = vec![
        ("compare.json".to_string(), out::compare_json(&cmp)),
        ("compare.csv".to_string(), out::compare_csv(&cmp)),
    ];
    for (i, ((s, _), (m, o))) in loaded.iter().zip(&runs).enumerate() {
        let mut summary = corridor::summary::Summary::new(s, m, o);
        summary
            .notices
            .extend(super::simulate::warmup_notice(warmup, s.run.horizon_days));
        for n in &summary.notices {
            notices.push(format!("{}: {n}", s.name));
        }
        files.push((
            format!("summary-{i}-{}.json", s.name),
            report::summary_json(&summary),
        ));
    }
    let mut sweep_values = None;
    check_tolerance(args.tolerance)?;
    let mut capacities: Vec<(String, experiment::PracticalCapacity)> = Vec::new();
    let mut searches: Vec<SweepRuns> = Vec::new();
    if let (Some(param), Some(values)) = (&args.param, &args.values) {
        if !(args.p95_limit_factor.is_finite() && args.p95_limit_factor > 1.0) {
            bail!(
                "--p95-limit-factor must be a number above 1, got {}",
                args.p95_limit_factor
            );
        }
        let mut values =
            experiment::parse_values(values).map_err(|e| anyhow::anyhow!("--values: {e}"))?;
        values.sort_by(f64::total_cmp);
        values.dedup();
        sweep_values = Some(values.clone());
        for (i, (s, n)) in loaded.iter().enumerate() {
            let p = experiment::parse_param(param, s, n).map_err(|e| {
                if param.starts_with("demand:") {
                    anyhow::anyhow!("--param: scenario `{}`: {e}", s.name)
                } else {
                    anyhow::anyhow!("scenario `{}`: {e}", s.name)
                }
            })?;
            for v in &values {
                input::check_sweep_value(p, *v)
                    .map_err(|e| anyhow::anyhow!("--values: `{param}` {e}"))?;
            }
            let runs = run_sweep(s, n, p, &values, common, None)?;
            let demand = p.is_demand();
            let group = experiment::group_of(p, s);
            let refined = if demand {
                refine(
                    s,
                    n,
                    p,
                    &runs,
                    args.p95_limit_factor,
                    args.tolerance,
                    false,
                    common,
                    None,
                )?
            } else {
                Vec::new()
            };
            let curve = experiment::analyse_curve(
                &s.name,
                param,
                demand,
                group,
                s.run.seed,
                args.p95_limit_factor,
                &as_points(&runs),
                &as_points(&refined),
                args.tolerance,
            );
            if let Some(pc) = &curve.practical_capacity {
                capacities.push((s.name.clone(), pc.clone()));
            }
            if demand {
                searches.push(runs.into_iter().chain(refined).collect::<SweepRuns>());
            }
            files.push((
                format!("curve-{i}-{}.json", s.name),
                out::curve_json(&curve),
            ));
            files.push((format!("curve-{i}-{}.csv", s.name), out::curve_csv(&curve)));
        }
    }
    let pairs: Vec<(&Scenario, &Network)> = loaded.iter().map(|(s, n)| (s, n)).collect();
    let details = Details {
        sweep: match (&args.param, &sweep_values) {
            (Some(param), Some(values)) => Some(SweepDetails {
                param: param.clone(),
                values: values.clone(),
                p95_limit_factor: args.p95_limit_factor,
            }),
            _ => None,
        },
        ..Details::default()
    };
    let mut m = manifest(
        RunKind::Compare,
        common,
        &pairs,
        reps,
        warmup,
        wall,
        details,
    );
    for (record, (scenario_sha, network_sha)) in
        m.scenarios.iter_mut().zip(hashes.into_iter().flatten())
    {
        record.file_sha256 = scenario_sha;
        record.network_sha256 = network_sha;
    }
    files.push(("manifest.json".to_string(), m.to_json()));
    write_folder(&dir, common, &mut files.into_iter())?;
    if !common.quiet {
        let mut stdout = std::io::stdout().lock();
        write!(stdout, "{}", out::compare_table(&cmp))?;
        for n in &notices {
            writeln!(stdout, "NOTE {n}")?;
        }
        if !capacities.is_empty() {
            let base_search = searches.first().map(|r| as_points(r));
            let mut text = format!(
                "\npractical capacity (offered trains/week, 95% bootstrap interval; crossing refined to {}% of the load):\n",
                100.0 * args.tolerance
            );
            for (i, (name, pc)) in capacities.iter().enumerate() {
                text.push_str(&format!("  {:<28} {}\n", name, capacity_line(pc)));
                if let (Some(base), Some(search), true) = (&base_search, searches.get(i), i > 0) {
                    let d = experiment::capacity_difference(
                        base,
                        &as_points(search),
                        args.p95_limit_factor,
                        loaded[0].0.run.seed,
                        args.param
                            .as_deref()
                            .and_then(|p| p.strip_prefix("demand:")),
                    );
                    if let Some(d) = d {
                        text.push_str(&format!(
                            "  {:<28} {:+.1}{} trains/week (paired, common random numbers)\n",
                            format!("{name} minus {}", capacities[0].0),
                            d.mean,
                            d.ci95
                                .map(|[lo, hi]| format!(" [{lo:+.1}, {hi:+.1}]"))
                                .unwrap_or_default()
                        ));
                    }
                }
            }
            write!(stdout, "{text}")?;
        }
        writeln!(
            stdout,
            "\n{} scenarios x {reps} replications in {:.2} s; results in {}",
            loaded.len(),
            wall,
            dir.display()
        )?;
    }
    Ok(())
}

/// The points of runs, borrowed.
fn as_points(runs: &SweepRuns) -> Vec<(f64, &Model, &RunStats)> {
    runs.iter().map(|(v, m, o)| (*v, m, o)).collect()
}

/// One practical capacity in words: estimate, interval, what binds and where.
fn capacity_line(pc: &experiment::PracticalCapacity) -> String {
    use corridor::schema::{Bracket, LimitedBy};
    let what = match pc.bracket {
        Bracket::WithinRange => "",
        Bracket::AboveRange => "at least ",
        Bracket::BelowRange => "at most ",
    };
    let interval = pc
        .offered_trains_per_week
        .ci95
        .map(|[lo, hi]| format!(" [{lo:.1}, {hi:.1}]"))
        .unwrap_or_default();
    let binds = match pc.limited_by {
        LimitedBy::Throughput => "throughput (delivered/offered below 0.99)",
        LimitedBy::TransitP95 => "transit p95 (above its limit)",
        LimitedBy::None => "nothing in range",
    };
    let at = pc
        .bottleneck
        .as_ref()
        .map(|b| format!(", binding resource {b}"))
        .unwrap_or_default();
    let teu = pc
        .teu_per_year
        .map(|t| {
            let ci = t
                .ci95
                .map(|[lo, hi]| format!(" [{lo:.0}, {hi:.0}]"))
                .unwrap_or_default();
            format!(" (= {:.0}{ci} TEU/yr)", t.mean)
        })
        .unwrap_or_default();
    format!(
        "{what}{:.1}{interval}{teu} at demand x{:.3}; limited by {binds}{at}",
        pc.point_estimate, pc.value
    )
}

pub(super) fn capacity(args: &CapacityArgs) -> anyhow::Result<()> {
    let common = &args.common;
    let (scenario, network, warmup) = load(&args.scenario, common)?;
    check_tolerance(args.tolerance)?;
    let param = match &args.group {
        Some(g) => {
            experiment::group_param(g, &scenario).map_err(|e| anyhow::anyhow!("--group: {e}"))?
        }
        None => SweepParam::Demand,
    };
    let group = args.group.as_deref();
    input::check_sweep_value(SweepParam::Demand, args.from)
        .map_err(|e| anyhow::anyhow!("--from: {e}"))?;
    let factor = args
        .p95_limit_factor
        .or(scenario.sweep.as_ref().map(|s| s.p95_limit_factor))
        .unwrap_or(2.0);
    if !(factor.is_finite() && factor > 1.0) {
        bail!("--p95-limit-factor must be a number above 1, got {factor}");
    }
    let started = Instant::now();
    let name = sweep_name(param, &scenario, &network);
    let dir = out_dir(
        &common.out,
        &Path::new("results").join(folder_name(&match group {
            Some(g) => format!("{}-capacity-{g}", scenario.name),
            None => format!("{}-capacity", scenario.name),
        })),
    );
    check_cancel()?;
    let staging = Staging::new(&dir)?;
    let mut spills = RowSpills::new(&staging, &scenario.name, &name);
    let bar = progress_bar(
        scenario.run.replications,
        common.quiet,
        &format!("{} demand x{}", scenario.name, args.from),
    );
    let on_done = || bar.inc(1);
    let control = Control {
        on_done: &on_done,
        cancel: &CANCEL,
    };
    let first = run_point(
        &scenario,
        &network,
        param,
        args.from,
        common,
        control,
        Some(&mut spills),
    );
    bar.finish_and_clear();
    // The bracket: the starting factor, doubled (or halved) until the crossing lies
    // between two probes; then bisection between them.
    let mut start: SweepRuns = vec![first?];
    let mut probes = refine(
        &scenario,
        &network,
        param,
        &start,
        factor,
        args.tolerance,
        true,
        common,
        Some(&mut spills),
    )?;
    let split = bracket_probes(&start, &probes);
    let bisection = probes.split_off(split);
    start.extend(probes);
    start.sort_by(|a, b| a.0.total_cmp(&b.0));
    let wall = started.elapsed().as_secs_f64();
    let curve = experiment::analyse_curve(
        &scenario.name,
        &name,
        true,
        group,
        scenario.run.seed,
        factor,
        &as_points(&start),
        &as_points(&bisection),
        args.tolerance,
    );
    let mut all: SweepRuns = start.into_iter().chain(bisection).collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let values: Vec<f64> = all.iter().map(|r| r.0).collect();
    write_curve_folder(
        staging,
        spills,
        common,
        RunKind::Capacity,
        (&scenario, &network),
        &warmup,
        wall,
        &curve,
        &all,
        SweepDetails {
            param: name.clone(),
            values: values.clone(),
            p95_limit_factor: factor,
        },
        None,
    )?;
    if !common.quiet {
        let mut stdout = std::io::stdout().lock();
        if let Some(pc) = &curve.practical_capacity {
            let whose = group
                .map(|g| format!(" of group {g}'s trains"))
                .unwrap_or_default();
            writeln!(
                stdout,
                "{}: practical capacity{whose} (offered trains/week, 95% bootstrap interval over {} replications) {}",
                scenario.name,
                scenario.run.replications,
                capacity_line(pc)
            )?;
            if let Some(r) = &pc.refinement {
                writeln!(
                    stdout,
                    "criteria: delivered/offered >= {} and p95 transit (each replication's p95, averaged) <= {:.2} days ({} x its value at demand x{})",
                    curve.delivered_ratio_min,
                    curve.p95_limit_days,
                    factor,
                    values.first().copied().unwrap_or(f64::NAN)
                )?;
                writeln!(
                    stdout,
                    "search: bracket at demand x{} then {} bisection probes; crossing bracketed within {:.2} trains/week (tolerance {}%)",
                    curve
                        .points
                        .iter()
                        .map(|p| p.value.to_string())
                        .collect::<Vec<_>>()
                        .join(", x"),
                    r.probed_values.len(),
                    r.resolution_trains_per_week,
                    100.0 * args.tolerance
                )?;
            }
        }
        writeln!(
            stdout,
            "{} probes x {} replications in {:.2} s; results in {}",
            values.len(),
            scenario.run.replications,
            wall,
            dir.display()
        )?;
    }
    Ok(())
}

/// How many of `probes` (in probe order, after `start`) extend the bracket: those
/// outside the range of every probe before them. The rest are bisection probes.
fn bracket_probes(start: &SweepRuns, probes: &SweepRuns) -> usize {
    let (mut lo, mut hi) = start
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), r| {
            (lo.min(r.0), hi.max(r.0))
        });
    for (k, (v, _, _)) in probes.iter().enumerate() {
        if *v > lo && *v < hi {
            return k;
        }
        lo = lo.min(*v);
        hi = hi.max(*v);
    }
    probes.len()
}

/// Longest folder name made from scenario names, in bytes (file systems allow 255;
/// the temporary sibling adds about 30).
const MAX_FOLDER_NAME: usize = 180;

/// A folder name from free text: letters, digits, `-`, `_` and `.` kept, anything else
/// replaced by `_`; a name too long is cut and ends with a hash of the whole text, so
/// that two different texts keep different folders.
fn folder_name(text: &str) -> String {
    let safe: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let safe = if safe.starts_with('.') {
        format!("_{safe}")
    } else {
        safe
    };
    if safe.len() <= MAX_FOLDER_NAME {
        return safe;
    }
    let hash = corridor::report::manifest::sha256_hex(text.as_bytes());
    format!("{}-{}", &safe[..MAX_FOLDER_NAME - 17], &hash[..16])
}

/// The default folder of a comparison: named after every scenario compared,
/// `compare-BASE-vs-ALT1-ALT2`.
pub(super) fn compare_folder_name(names: &[&str]) -> String {
    let (base, alternatives) = names.split_first().map_or(("", &[][..]), |(b, a)| (*b, a));
    folder_name(&format!("compare-{base}-vs-{}", alternatives.join("-")))
}

/// Writes a curve's folder (sweep or capacity search) whole: the curve files, the
/// replications of every value, the network and the manifest, then the charts.
#[allow(clippy::too_many_arguments)]
fn write_curve_folder(
    mut staging: Staging,
    spills: RowSpills,
    common: &Common,
    kind: RunKind,
    (scenario, network): (&Scenario, &Network),
    warmup: &Warmup,
    wall: f64,
    curve: &Curve,
    runs: &SweepRuns,
    sweep: SweepDetails,
    hashes: Option<(String, String)>,
) -> anyhow::Result<usize> {
    spills.join(&mut staging, runs)?;
    let details = Details {
        sweep: Some(sweep),
        ..Details::default()
    };
    let reps = scenario.run.replications;
    let mut m = manifest(
        kind,
        common,
        &[(scenario, network)],
        reps,
        warmup,
        wall,
        details,
    );
    if let (Some((scenario_sha, network_sha)), Some(record)) = (hashes, m.scenarios.first_mut()) {
        record.file_sha256 = scenario_sha;
        record.network_sha256 = network_sha;
    }
    finish_folder(
        staging,
        common,
        &mut made(&[
            ("curve.json", &|| out::curve_json(curve)),
            ("curve.csv", &|| out::curve_csv(curve)),
            ("curve_resources.csv", &|| out::curve_resources_csv(curve)),
            ("curve_flows.csv", &|| out::curve_flows_csv(curve)),
            ("network.json", &|| {
                report::NetworkExport::new(network).to_json()
            }),
            ("manifest.json", &|| m.to_json()),
        ]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_folders_are_named_after_every_scenario() {
        assert_eq!(compare_folder_name(&["A", "B", "C"]), "compare-A-vs-B-C");
        assert_eq!(compare_folder_name(&["a b", "../x"]), "compare-a_b-vs-.._x");
        let long = "s".repeat(300);
        let name = compare_folder_name(&["A", &long]);
        assert_eq!(name.len(), MAX_FOLDER_NAME);
        assert_ne!(name, compare_folder_name(&["A", &format!("{long}t")]));
        assert_eq!(folder_name(".hidden"), "_.hidden");
        assert_eq!(folder_name("w/demand"), "w_demand");
    }
}
