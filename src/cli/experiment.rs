//! `sweep` and `compare`: capacity curves and paired scenario comparisons.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;

use super::simulate::{
    CANCEL, Common, check_cancel, load, made, manifest, out_dir, progress_bar, threads,
    write_folder,
};
use corridor::experiment;
use corridor::input;
use corridor::montecarlo::{self, Control, RunOutput, RunSettings};
use corridor::network::Network;
use corridor::report::{self, experiments as out};
use corridor::scenario::{Scenario, SweepParam};
use corridor::schema::{Details, RunKind, SweepDetails};
use corridor::sim::Model;

/// Options of `corridor sweep`.
#[derive(Debug, Args)]
pub(crate) struct SweepArgs {
    /// Scenario file.
    pub scenario: PathBuf,
    /// `demand` (a factor on every flow) or TARGET.PARAM, e.g. `aktau-alat.ferry.vessels`
    /// (default: the scenario's [sweep]).
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
    /// Also sweep this parameter in every scenario (`demand` or TARGET.PARAM) and
    /// write each scenario's capacity curve, for overlaid curves.
    #[arg(long, requires = "values")]
    pub param: Option<String>,
    /// Values of the sweep: a list or FROM:TO:STEP.
    #[arg(long, requires = "param", allow_hyphen_values = true)]
    pub values: Option<String>,
    /// Practical capacity: largest acceptable p95 transit as a multiple of its value at
    /// the lowest demand (default 2).
    #[arg(long, default_value_t = 2.0)]
    pub p95_limit_factor: f64,
    #[command(flatten)]
    pub common: Common,
}

/// The runs of a sweep: value, model and output per point.
pub(super) type SweepRuns = Vec<(f64, Model, RunOutput)>;

/// Runs a sweep of one scenario.
fn run_sweep(
    scenario: &Scenario,
    network: &Network,
    param: SweepParam,
    values: &[f64],
    common: &Common,
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
        let (sc, net) = experiment::apply_sweep(scenario, network, param, v)
            .map_err(|e| anyhow::anyhow!("sweep value {v}: {e}"))?;
        let model = Model::new(&net, &sc)?;
        let settings = RunSettings {
            seed: sc.run.seed,
            first: 0,
            replications: reps,
            threads: threads(common),
        };
        let output = montecarlo::run(&model, &settings, control);
        check_cancel()?;
        super::warn_saturated(&model, &output.replications, &format!("{} at {v}", sc.name));
        runs.push((v, model, output));
    }
    bar.finish_and_clear();
    Ok(runs)
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
            input::parse_sweep_param(p, network).map_err(anyhow::Error::msg)?,
            p.clone(),
        ),
        (None, Some(s)) => (s.param, sweep_name(s.param, network)),
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

fn sweep_name(param: SweepParam, network: &Network) -> String {
    match param {
        SweepParam::Demand => "demand".to_string(),
        SweepParam::Network(t, p) => format!("{}.{}", network.target_name(t), p.name()),
    }
}

pub(super) fn sweep(args: &SweepArgs) -> anyhow::Result<()> {
    let common = &args.common;
    let (scenario, network, warmup) = load(&args.scenario, common)?;
    let (param, name, values, factor) = sweep_spec(args, &scenario, &network)?;
    let started = Instant::now();
    let runs = run_sweep(&scenario, &network, param, &values, common)?;
    let wall = started.elapsed().as_secs_f64();
    let points: Vec<(f64, &Model, &RunOutput)> = runs.iter().map(|(v, m, o)| (*v, m, o)).collect();
    let curve = experiment::analyse_curve(
        &scenario.name,
        &name,
        param == SweepParam::Demand,
        scenario.run.seed,
        factor,
        &points,
    );
    let dir = out_dir(
        &common.out,
        &Path::new("results").join(folder_name(&format!("{}-sweep-{name}", scenario.name))),
    );
    let details = Details {
        sweep: Some(SweepDetails {
            param: name.clone(),
            values: values.clone(),
            p95_limit_factor: factor,
        }),
        ..Details::default()
    };
    let m = manifest(
        RunKind::Sweep,
        common,
        &[(&scenario, &network)],
        scenario.run.replications,
        &warmup,
        wall,
        details,
    );
    write_folder(
        &dir,
        common,
        &mut made(&[
            ("curve.json", &|| out::curve_json(&curve)),
            ("curve.csv", &|| out::curve_csv(&curve)),
            ("curve_resources.csv", &|| out::curve_resources_csv(&curve)),
            ("curve_flows.csv", &|| out::curve_flows_csv(&curve)),
            ("replications.csv", &|| {
                out::sweep_replications_csv(&scenario.name, &name, &runs)
            }),
            ("network.json", &|| {
                report::NetworkExport::new(&network).to_json()
            }),
            ("manifest.json", &|| m.to_json()),
        ]),
    )?;
    if !common.quiet {
        let mut stdout = std::io::stdout().lock();
        write!(stdout, "{}", out::curve_table(&curve))?;
        writeln!(
            stdout,
            "\n{} points x {} replications in {:.2} s; results in {}",
            values.len(),
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
        let output = montecarlo::run(&model, &settings, control);
        check_cancel()?;
        runs.push((model, output));
    }
    bar.finish_and_clear();
    let wall = started.elapsed().as_secs_f64();
    let alts: Vec<(&str, &Model, &RunOutput)> = loaded[1..]
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
    let mut files = vec![
        ("compare.json".to_string(), out::compare_json(&cmp)),
        ("compare.csv".to_string(), out::compare_csv(&cmp)),
    ];
    for (i, ((s, _), (m, o))) in loaded.iter().zip(&runs).enumerate() {
        let summary = corridor::summary::Summary::new(s, m, o);
        files.push((
            format!("summary-{i}-{}.json", s.name),
            report::summary_json(&summary),
        ));
    }
    let mut sweep_values = None;
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
            let p = input::parse_sweep_param(param, n)
                .map_err(|e| anyhow::anyhow!("scenario `{}`: {e}", s.name))?;
            for v in &values {
                input::check_sweep_value(p, *v)
                    .map_err(|e| anyhow::anyhow!("--values: `{param}` {e}"))?;
            }
            let runs = run_sweep(s, n, p, &values, common)?;
            let points: Vec<(f64, &Model, &RunOutput)> =
                runs.iter().map(|(v, m, o)| (*v, m, o)).collect();
            let curve = experiment::analyse_curve(
                &s.name,
                param,
                p == SweepParam::Demand,
                s.run.seed,
                args.p95_limit_factor,
                &points,
            );
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
    let m = manifest(
        RunKind::Compare,
        common,
        &pairs,
        reps,
        &warmup,
        wall,
        details,
    );
    files.push(("manifest.json".to_string(), m.to_json()));
    write_folder(&dir, common, &mut files.into_iter())?;
    if !common.quiet {
        let mut stdout = std::io::stdout().lock();
        write!(stdout, "{}", out::compare_table(&cmp))?;
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
fn compare_folder_name(names: &[&str]) -> String {
    let (base, alternatives) = names.split_first().map_or(("", &[][..]), |(b, a)| (*b, a));
    folder_name(&format!("compare-{base}-vs-{}", alternatives.join("-")))
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
