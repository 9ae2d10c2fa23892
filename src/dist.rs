//! Probability distributions of durations (in days), validated on load.
//!
//! One syntax is used everywhere in the input files (see `networks/README.md`); the
//! parsed form lives in [`crate::input`] and is turned into a [`Dist`] by
//! [`Dist::new`], which rejects zero, negative, infinite or NaN parameters.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp1, LogNormal, StandardNormal, Triangular};
use serde::{Deserialize, Serialize};

/// Longest duration any parameter may give (days): about 2,700 years, so that every
/// draw and every sum of draws along a route stays exact in the engine's integer
/// milliseconds.
pub const MAX_DURATION_DAYS: f64 = 1e6;
/// Largest coefficient of variation of a lognormal: beyond it the variance overflows.
pub const MAX_CV: f64 = 100.0;
/// Most observed values of an empirical distribution.
pub const MAX_EMPIRICAL_VALUES: usize = 100_000;

/// Parameters of a distribution as written in a file, before validation: the table
/// `{ dist = "exponential", mean = 0.16 }` (and likewise in JSON for manifests).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "dist", rename_all = "snake_case", deny_unknown_fields)]
pub enum DistParams {
    /// Always the same value.
    Fixed {
        /// The value (days).
        value: f64,
    },
    /// Exponential with the given mean.
    Exponential {
        /// Mean (days).
        mean: f64,
    },
    /// Uniform on `[min, max]`.
    Uniform {
        /// Lower bound (days).
        min: f64,
        /// Upper bound (days).
        max: f64,
    },
    /// Triangular on `[min, max]` with the given mode.
    Triangular {
        /// Lower bound (days).
        min: f64,
        /// Most likely value (days).
        mode: f64,
        /// Upper bound (days).
        max: f64,
    },
    /// Normal truncated at zero (negative draws are redrawn).
    Normal {
        /// Mean of the untruncated normal (days).
        mean: f64,
        /// Standard deviation of the untruncated normal (days).
        sd: f64,
    },
    /// Lognormal given its mean and coefficient of variation.
    Lognormal {
        /// Mean (days).
        mean: f64,
        /// Coefficient of variation (standard deviation / mean).
        cv: f64,
    },
    /// Uniform choice among observed values.
    Empirical {
        /// The observed values (days).
        values: Vec<f64>,
    },
}

/// A validated distribution of non-negative durations in days, ready to sample.
#[derive(Clone, Debug)]
pub struct Dist {
    params: DistParams,
    sampler: Sampler,
    mean: f64,
}

#[derive(Clone, Debug)]
enum Sampler {
    Fixed(f64),
    Exponential(f64),
    Uniform { min: f64, width: f64 },
    Triangular(Triangular<f64>),
    Normal { mean: f64, sd: f64 },
    Lognormal(LogNormal<f64>),
    Empirical(Box<[f64]>),
}

impl Dist {
    /// Validates the parameters; the error says what is wrong and how to fix it.
    pub fn new(params: DistParams) -> Result<Dist, String> {
        check_params(&params)?;
        let (sampler, mean) = match &params {
            DistParams::Fixed { value } => (Sampler::Fixed(*value), *value),
            DistParams::Exponential { mean } => (Sampler::Exponential(*mean), *mean),
            DistParams::Uniform { min, max } => (
                Sampler::Uniform {
                    min: *min,
                    width: max - min,
                },
                (min + max) / 2.0,
            ),
            DistParams::Triangular { min, mode, max } => {
                let tri = Triangular::new(*min, *max, *mode).map_err(|e| e.to_string())?;
                (Sampler::Triangular(tri), (min + mode + max) / 3.0)
            }
            DistParams::Normal { mean, sd } => (
                Sampler::Normal {
                    mean: *mean,
                    sd: *sd,
                },
                truncated_normal_mean(*mean, *sd),
            ),
            DistParams::Lognormal { mean, cv } => {
                let ln = LogNormal::from_mean_cv(*mean, *cv).map_err(|e| e.to_string())?;
                (Sampler::Lognormal(ln), *mean)
            }
            DistParams::Empirical { values } => (
                Sampler::Empirical(values.clone().into_boxed_slice()),
                values.iter().sum::<f64>() / values.len() as f64,
            ),
        };
        Ok(Dist {
            params,
            sampler,
            mean,
        })
    }

    /// A distribution that always returns `value` days.
    ///
    /// # Panics
    /// If `value` is negative or not finite; use [`Dist::new`] for untrusted input.
    pub fn fixed(value: f64) -> Dist {
        Dist::new(DistParams::Fixed { value }).expect("fixed duration must be finite and >= 0")
    }

    /// The parameters this distribution was built from.
    pub fn params(&self) -> &DistParams {
        &self.params
    }

    /// The exact mean (days) (for the truncated normal, the mean after truncation).
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// True if every draw is exactly zero.
    pub fn is_zero(&self) -> bool {
        matches!(self.sampler, Sampler::Fixed(v) if v == 0.0)
    }

    /// The same distribution with every value multiplied by `factor` (> 0).
    pub fn scaled(&self, factor: f64) -> Result<Dist, String> {
        let p = match &self.params {
            DistParams::Fixed { value } => DistParams::Fixed {
                value: value * factor,
            },
            DistParams::Exponential { mean } => DistParams::Exponential {
                mean: mean * factor,
            },
            DistParams::Uniform { min, max } => DistParams::Uniform {
                min: min * factor,
                max: max * factor,
            },
            DistParams::Triangular { min, mode, max } => DistParams::Triangular {
                min: min * factor,
                mode: mode * factor,
                max: max * factor,
            },
            DistParams::Normal { mean, sd } => DistParams::Normal {
                mean: mean * factor,
                sd: sd * factor,
            },
            DistParams::Lognormal { mean, cv } => DistParams::Lognormal {
                mean: mean * factor,
                cv: *cv,
            },
            DistParams::Empirical { values } => DistParams::Empirical {
                values: values.iter().map(|v| v * factor).collect(),
            },
        };
        Dist::new(p)
    }

    /// Draws one value (days).
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match &self.sampler {
            Sampler::Fixed(v) => *v,
            Sampler::Exponential(mean) => {
                let e: f64 = Exp1.sample(rng);
                e * mean
            }
            Sampler::Uniform { min, width } => min + width * rng.random::<f64>(),
            Sampler::Triangular(t) => t.sample(rng),
            Sampler::Normal { mean, sd } => loop {
                let z: f64 = StandardNormal.sample(rng);
                let x = mean + sd * z;
                if x >= 0.0 {
                    break x;
                }
            },
            Sampler::Lognormal(ln) => ln.sample(rng),
            Sampler::Empirical(values) => values[rng.random_range(0..values.len())],
        }
    }
}

/// Checks that every parameter is finite and in range.
fn check_params(p: &DistParams) -> Result<(), String> {
    fn finite(name: &str, v: f64) -> Result<(), String> {
        if !v.is_finite() {
            Err(format!("`{name}` must be a finite number, got {v}"))
        } else if v.abs() > MAX_DURATION_DAYS {
            Err(format!(
                "`{name}` must be at most {MAX_DURATION_DAYS} days, got {v} (the engine counts time in whole milliseconds)"
            ))
        } else {
            Ok(())
        }
    }
    fn positive(name: &str, v: f64) -> Result<(), String> {
        finite(name, v)?;
        if v > 0.0 {
            Ok(())
        } else {
            Err(format!("`{name}` must be greater than zero, got {v}"))
        }
    }
    fn non_negative(name: &str, v: f64) -> Result<(), String> {
        finite(name, v)?;
        if v >= 0.0 {
            Ok(())
        } else {
            Err(format!("`{name}` must not be negative, got {v}"))
        }
    }
    match p {
        DistParams::Fixed { value } => non_negative("value", *value),
        DistParams::Exponential { mean } => positive("mean", *mean),
        DistParams::Uniform { min, max } => {
            non_negative("min", *min)?;
            finite("max", *max)?;
            if max > min {
                Ok(())
            } else {
                Err(format!(
                    "uniform needs `min` < `max`, got min = {min}, max = {max}; for a constant use a plain number"
                ))
            }
        }
        DistParams::Triangular { min, mode, max } => {
            non_negative("min", *min)?;
            finite("mode", *mode)?;
            finite("max", *max)?;
            if min < max && min <= mode && mode <= max {
                Ok(())
            } else {
                Err(format!(
                    "triangular needs min <= mode <= max and min < max, got min = {min}, mode = {mode}, max = {max}"
                ))
            }
        }
        DistParams::Normal { mean, sd } => {
            positive("mean", *mean)?;
            positive("sd", *sd)
        }
        DistParams::Lognormal { mean, cv } => {
            positive("mean", *mean)?;
            positive("cv", *cv)?;
            if *cv > MAX_CV {
                return Err(format!(
                    "`cv` must be at most {MAX_CV}, got {cv} (beyond it the variance overflows)"
                ));
            }
            Ok(())
        }
        DistParams::Empirical { values } => {
            if values.is_empty() {
                return Err("empirical needs at least one value in `values`".to_string());
            }
            if values.len() > MAX_EMPIRICAL_VALUES {
                return Err(format!(
                    "empirical takes at most {MAX_EMPIRICAL_VALUES} values, got {}",
                    values.len()
                ));
            }
            for v in values {
                non_negative("values", *v)?;
            }
            Ok(())
        }
    }
}

/// Mean of a normal(mean, sd) truncated to [0, inf).
fn truncated_normal_mean(mean: f64, sd: f64) -> f64 {
    use statrs::distribution::{Continuous, ContinuousCDF, Normal};
    let std = Normal::new(0.0, 1.0).expect("standard normal");
    let alpha = -mean / sd;
    let tail = 1.0 - std.cdf(alpha);
    mean + sd * std.pdf(alpha) / tail
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn sample_mean(d: &Dist, n: usize) -> (f64, f64) {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let (mut s, mut s2) = (0.0, 0.0);
        for _ in 0..n {
            let x = d.sample(&mut rng);
            assert!(x >= 0.0 && x.is_finite());
            s += x;
            s2 += x * x;
        }
        let m = s / n as f64;
        let var = s2 / n as f64 - m * m;
        (m, (var / n as f64).sqrt())
    }

    /// Every sampler's mean agrees with the exact mean within 4 standard errors
    /// (a false alarm rate of about 6e-5 per distribution at a fixed seed).
    #[test]
    fn sample_means_match_exact_means() {
        let cases = [
            DistParams::Exponential { mean: 0.16 },
            DistParams::Uniform { min: 1.0, max: 3.0 },
            DistParams::Triangular {
                min: 0.5,
                mode: 1.0,
                max: 3.0,
            },
            DistParams::Normal { mean: 0.5, sd: 0.5 },
            DistParams::Lognormal { mean: 2.0, cv: 0.6 },
            DistParams::Empirical {
                values: vec![1.0, 2.0, 6.0],
            },
        ];
        for p in cases {
            let d = Dist::new(p.clone()).unwrap();
            let (m, se) = sample_mean(&d, 200_000);
            assert!(
                (m - d.mean()).abs() < 4.0 * se,
                "{p:?}: sample mean {m} vs exact {} (se {se})",
                d.mean()
            );
        }
    }

    #[test]
    fn truncated_normal_mean_is_above_untruncated() {
        // With mean = sd, P(X<0) = 15.9%; the truncated mean is mean + sd*phi(-1)/(1-Phi(-1)).
        let m = truncated_normal_mean(1.0, 1.0);
        assert!((m - 1.287_599_6).abs() < 1e-6, "{m}");
    }

    #[test]
    fn bad_parameters_are_rejected_with_a_reason() {
        let bad = [
            (DistParams::Exponential { mean: 0.0 }, "greater than zero"),
            (DistParams::Exponential { mean: f64::NAN }, "finite"),
            (DistParams::Fixed { value: -1.0 }, "not be negative"),
            (DistParams::Uniform { min: 2.0, max: 1.0 }, "min` < `max"),
            (
                DistParams::Lognormal {
                    mean: 1.0,
                    cv: f64::INFINITY,
                },
                "finite",
            ),
            (DistParams::Empirical { values: vec![] }, "at least one"),
        ];
        for (p, want) in bad {
            let err = Dist::new(p).unwrap_err();
            assert!(err.contains(want), "{err}");
        }
    }

    #[test]
    fn durations_beyond_the_bound_are_rejected() {
        let huge = DistParams::Uniform {
            min: 1e300,
            max: 1.5e300,
        };
        assert!(
            Dist::new(huge)
                .unwrap_err()
                .contains("at most 1000000 days")
        );
        let wild = DistParams::Lognormal {
            mean: 1.0,
            cv: 1e200,
        };
        assert!(
            Dist::new(wild)
                .unwrap_err()
                .contains("`cv` must be at most")
        );
        assert!(Dist::fixed(1.0).scaled(1e300).is_err());
    }

    #[test]
    fn scaling_scales_the_mean() {
        let d = Dist::new(DistParams::Lognormal { mean: 2.0, cv: 0.5 }).unwrap();
        assert_eq!(d.scaled(0.5).unwrap().mean(), 1.0);
    }
}
