//! `sensitivity.csv`: how much each uncertain input moves each main figure.

use serde::{Deserialize, Serialize};

use crate::stats::number;

/// A row of `sensitivity.csv` (and an entry of `summary.json`'s `sensitivity`): the
/// standardised regression coefficient of one main figure on one uncertain input,
/// over the replications (all inputs in one regression).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SensitivityRow {
    /// Scenario name.
    pub scenario: String,
    /// The figure: `delivered_trains_per_week` (all flows), `transit_days_mean` (all
    /// delivered trains) or `busiest_utilization` (the replication's busiest resource).
    pub figure: String,
    /// The input, `TARGET.PARAM` (e.g. `altynkol.servers`).
    pub input: String,
    /// Rank of the input for this figure by |coefficient| (1: moves it most).
    pub rank: u32,
    /// Standardised regression coefficient: the change of the figure, in its standard
    /// deviations, per standard deviation of the input, the other inputs held fixed
    /// (empty if not defined).
    #[serde(with = "number")]
    pub coefficient: f64,
    /// Pearson correlation of the input and the figure over replications.
    #[serde(with = "number")]
    pub correlation: f64,
    /// About four standard errors of a coefficient of an input without effect,
    /// `4 / sqrt(replications)`: a smaller |coefficient| is not told from zero.
    #[serde(with = "number")]
    pub noise_bound: f64,
    /// Replications in the regression (those in which every figure is defined).
    pub replications: u64,
    /// Smallest value of the input's range (for a duration: of the factor on it).
    pub min: f64,
    /// Most likely value (triangular ranges; empty for uniform ones).
    pub mode: Option<f64>,
    /// Largest value.
    pub max: f64,
}
