//! Plain numeric summaries that merge: streaming means, quantile histograms, and
//! Student-t confidence intervals over replications. Knows nothing about trains.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Mantissa bits kept per power of two: 128 bins per octave, so a quantile read from
/// the histogram is within 0.4% of the true sample quantile.
const SUB_BITS: u32 = 7;
const SUBS: usize = 1 << SUB_BITS;
/// Smallest and largest binary exponents binned: about 0.7 s to 90,000 years in days,
/// beyond the longest horizon (1e7 days), so no transit time is capped.
const MIN_EXP: i32 = -17;
const MAX_EXP: i32 = 24;
const N_BINS: usize = 1 + ((MAX_EXP - MIN_EXP + 1) as usize) * SUBS;

/// A log-linear histogram of non-negative values (HDR-style): bins are 1/128 of an
/// octave wide, so quantiles carry at most 0.4% relative error, two histograms merge by
/// adding counts, and memory is bounded whatever the number of observations. Only the
/// range of bins between the smallest and largest value seen is stored (a few hundred
/// bins for transit times of one flow), grown in steps as new extremes appear.
#[derive(Clone, Debug, Default)]
pub struct Histogram {
    /// Bin index of `counts[0]`.
    lo: usize,
    counts: Vec<u64>,
    n: u64,
}

/// The bin of a value, to record it in several histograms at the cost of one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bin(usize);

impl Bin {
    /// The bin holding `v`.
    #[inline]
    pub fn of(v: f64) -> Bin {
        Bin(bin(v))
    }

    /// The bin's index (bins are ordered as the values they hold).
    #[inline]
    pub fn index(self) -> usize {
        self.0
    }

    /// The bin of index `i` (see [`Bin::index`]); indices beyond the last bin give the
    /// last.
    pub fn from_index(i: usize) -> Bin {
        Bin(i.min(N_BINS - 1))
    }

    /// The bin's midpoint, the value [`Histogram::quantile`] reports for it.
    pub fn mid(self) -> f64 {
        bin_mid(self.0)
    }
}

/// Bins added at a time when the stored range grows, so growth is rare.
const GROW: usize = 64;

/// Bins stored around the first value recorded.
const START: usize = 16;

impl PartialEq for Histogram {
    /// Equal if they hold the same counts in the same bins (whatever range is stored).
    fn eq(&self, other: &Histogram) -> bool {
        self.n == other.n && self.bins_by_index().eq(other.bins_by_index())
    }
}

impl Histogram {
    /// An empty histogram (allocates on the first observation).
    pub fn new() -> Histogram {
        Histogram::default()
    }

    /// Records one value.
    #[inline]
    pub fn record(&mut self, v: f64) {
        self.record_bin(Bin(bin(v)));
    }

    /// Records one value whose bin is already known (see [`Bin::of`]), so that a value
    /// recorded in several histograms is binned once.
    #[inline]
    pub fn record_bin(&mut self, Bin(b): Bin) {
        if b < self.lo || b >= self.lo + self.counts.len() {
            self.cover(b, b);
        }
        self.counts[b - self.lo] += 1;
        self.n += 1;
    }

    /// Grows the stored range to cover bins `first..=last`.
    fn cover(&mut self, first: usize, last: usize) {
        if self.counts.is_empty() {
            // Start small (many histograms hold few values); growth doubles the range.
            self.lo = first.saturating_sub(START / 2);
            let hi = (last + START / 2).min(N_BINS - 1);
            self.counts = vec![0; hi - self.lo + 1];
            return;
        }
        let hi = self.lo + self.counts.len() - 1;
        // Grow by at least the stored range, so a histogram whose values spread widely
        // is copied a few times, not once per GROW bins.
        let pad = GROW.max(self.counts.len());
        let new_lo = if first < self.lo {
            first.saturating_sub(pad)
        } else {
            self.lo
        };
        let new_hi = if last > hi {
            (last + pad).min(N_BINS - 1)
        } else {
            hi
        };
        if new_lo == self.lo && new_hi == hi {
            return;
        }
        let mut counts = vec![0; new_hi - new_lo + 1];
        counts[self.lo - new_lo..=hi - new_lo].copy_from_slice(&self.counts);
        self.lo = new_lo;
        self.counts = counts;
    }

    /// Number of values recorded.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Adds another histogram's counts.
    pub fn merge(&mut self, other: &Histogram) {
        if other.n == 0 {
            return;
        }
        self.cover(other.lo, other.lo + other.counts.len() - 1);
        let off = other.lo - self.lo;
        for (a, b) in self.counts[off..].iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.n += other.n;
    }

    /// Non-empty bins as (bin index, count), in ascending order: the exact content of
    /// the histogram, for saving it (see [`Histogram::from_sparse`]).
    pub fn to_sparse(&self) -> Vec<(usize, u64)> {
        self.bins_by_index().collect()
    }

    /// The histogram holding exactly the given (bin index, count) pairs, as made by
    /// [`Histogram::to_sparse`]. `None` if a bin index is out of range, the indices do
    /// not strictly ascend, a count is zero or the total overflows.
    pub fn from_sparse(bins: &[(usize, u64)]) -> Option<Histogram> {
        let (Some(&(first, _)), Some(&(last, _))) = (bins.first(), bins.last()) else {
            return Some(Histogram::new());
        };
        if last >= N_BINS || bins.windows(2).any(|w| w[0].0 >= w[1].0) {
            return None;
        }
        let mut h = Histogram {
            lo: first,
            counts: vec![0; last - first + 1],
            n: 0,
        };
        for &(i, c) in bins {
            if c == 0 {
                return None;
            }
            h.counts[i - first] = c;
            h.n = h.n.checked_add(c)?;
        }
        Some(h)
    }

    /// Non-empty bins as (bin index, count).
    fn bins_by_index(&self) -> impl Iterator<Item = (usize, u64)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(i, c)| (self.lo + i, *c))
    }

    /// The `q` quantile (0..=1): the midpoint of the bin holding the value of rank
    /// `ceil(q * n)`. `None` if empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.n == 0 {
            return None;
        }
        self.at_rank(Histogram::rank_of(q, self.n))
    }

    /// The rank (1 = the smallest) [`Histogram::quantile`] reports for quantile `q` of
    /// `n` values.
    pub fn rank_of(q: f64, n: u64) -> u64 {
        ((q.clamp(0.0, 1.0) * n as f64).ceil() as u64).clamp(1, n.max(1))
    }

    /// The value of rank `rank` (1 = the smallest) as its bin's midpoint; `None` if
    /// fewer values were recorded.
    pub fn at_rank(&self, rank: u64) -> Option<f64> {
        self.index_at_rank(rank).map(bin_mid)
    }

    /// The index of the bin holding the value of rank `rank` (1 = the smallest).
    fn index_at_rank(&self, rank: u64) -> Option<usize> {
        let mut seen = 0;
        for (i, c) in self.bins_by_index() {
            seen += c;
            if seen >= rank {
                return Some(i);
            }
        }
        None
    }

    /// The empirical CDF as (upper bin edge, cumulative share) points, for plots.
    pub fn cdf_points(&self) -> Vec<(f64, f64)> {
        let mut seen = 0;
        self.bins_by_index()
            .map(|(i, c)| {
                seen += c;
                (bin_upper(i), seen as f64 / self.n as f64)
            })
            .collect()
    }

    /// Non-empty bins as (lower edge, upper edge, count).
    pub fn bins(&self) -> impl Iterator<Item = (f64, f64, u64)> + '_ {
        self.bins_by_index()
            .map(|(i, c)| (bin_lower(i), bin_upper(i), c))
    }
}

#[inline]
fn bin(v: f64) -> usize {
    if v.is_nan() || v <= 0.0 {
        return 0;
    }
    let bits = v.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32 - 1023;
    if exp < MIN_EXP {
        return 1;
    }
    if exp > MAX_EXP {
        return N_BINS - 1;
    }
    let sub = ((bits >> (52 - SUB_BITS)) as usize) & (SUBS - 1);
    1 + (exp - MIN_EXP) as usize * SUBS + sub
}

fn bin_lower(i: usize) -> f64 {
    if i == 0 {
        return 0.0;
    }
    let exp = ((i - 1) / SUBS) as i32 + MIN_EXP;
    let sub = (i - 1) % SUBS;
    2f64.powi(exp) * (1.0 + sub as f64 / SUBS as f64)
}

fn bin_upper(i: usize) -> f64 {
    if i == 0 {
        return 0.0;
    }
    let exp = ((i - 1) / SUBS) as i32 + MIN_EXP;
    let sub = (i - 1) % SUBS;
    2f64.powi(exp) * (1.0 + (sub + 1) as f64 / SUBS as f64)
}

fn bin_mid(i: usize) -> f64 {
    (bin_lower(i) + bin_upper(i)) / 2.0
}

/// Bins of [`Histogram`] per bin of a [`GridSummary`] cell: a thirty-second of an octave, so the
/// percentiles across replications are within 1.6% (well inside their sampling error
/// at any practical number of replications), and a cell whose values spread over
/// many octaves stays small.
const GRID_COARSE: usize = 4;

/// The grid bin of a value's bin.
#[inline]
fn grid_bin(b: usize) -> usize {
    if b == 0 { 0 } else { 1 + (b - 1) / GRID_COARSE }
}

/// The midpoint of grid bin `c`.
fn grid_mid(c: usize) -> f64 {
    if c == 0 {
        return 0.0;
    }
    let first = (c - 1) * GRID_COARSE + 1;
    let last = (first + GRID_COARSE - 1).min(N_BINS - 1);
    (bin_lower(first) + bin_upper(last)) / 2.0
}

/// A mean over replications with its 95% confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Mean of the replication values (`null` in files when not a number).
    #[serde(with = "number")]
    pub mean: f64,
    /// Student-t 95% confidence interval of the mean; `null` with fewer than two
    /// replications.
    #[serde(with = "interval")]
    pub ci95: Option<[f64; 2]>,
}

/// Serde for an optional interval whose ends may be NaN (written as `null`, read
/// back as NaN).
mod interval {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(super) fn serialize<S: Serializer>(
        value: &Option<[f64; 2]>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<[f64; 2]>, D::Error> {
        let ends = Option::<[Option<f64>; 2]>::deserialize(deserializer)?;
        Ok(ends.map(|[lo, hi]| [lo.unwrap_or(f64::NAN), hi.unwrap_or(f64::NAN)]))
    }
}

/// Serde for a number that may be NaN or infinite: written as `null` in JSON and as
/// an empty field in CSV, read back as NaN. Use with `#[serde(with = "number")]`.
pub mod number {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes a finite number as itself, anything else as nothing.
    pub fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        if value.is_finite() {
            serializer.serialize_f64(*value)
        } else {
            serializer.serialize_none()
        }
    }

    /// Reads a number, or nothing as NaN.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(deserializer)?.unwrap_or(f64::NAN))
    }
}

impl Estimate {
    /// Mean and Student-t 95% interval of `values` (one per replication). Values that
    /// are NaN (no observation in that replication) are left out.
    pub fn of(values: &[f64]) -> Estimate {
        let mut m = Moments::default();
        for v in values.iter().filter(|v| !v.is_nan()) {
            m.push(*v);
        }
        m.estimate()
    }

    /// Half-width of the 95% interval (0 without an interval).
    pub fn half_width(&self) -> f64 {
        self.ci95.map_or(0.0, |[lo, hi]| (hi - lo) / 2.0)
    }
}

/// Streaming mean and variance (Welford), mergeable.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Moments {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Moments {
    /// Adds one value.
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    /// Number of values.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Mean (NaN if empty).
    pub fn mean(&self) -> f64 {
        if self.n == 0 { f64::NAN } else { self.mean }
    }

    /// Sample variance (NaN with fewer than two values).
    pub fn variance(&self) -> f64 {
        if self.n < 2 {
            f64::NAN
        } else {
            self.m2 / (self.n - 1) as f64
        }
    }

    /// Combines two summaries (Chan et al.).
    pub fn merge(&mut self, o: &Moments) {
        if o.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *o;
            return;
        }
        let n = self.n + o.n;
        let d = o.mean - self.mean;
        self.mean += d * o.n as f64 / n as f64;
        self.m2 += o.m2 + d * d * (self.n as f64 * o.n as f64) / n as f64;
        self.n = n;
    }

    /// The mean with its Student-t 95% interval.
    pub fn estimate(&self) -> Estimate {
        let mean = self.mean();
        let ci95 = (self.n >= 2).then(|| {
            let h = t_quantile_975(self.n - 1) * (self.variance() / self.n as f64).sqrt();
            [mean - h, mean + h]
        });
        Estimate { mean, ci95 }
    }
}

/// Streaming co-moments of a vector of figures (Welford's update generalised to
/// cross products), folded one observation at a time in a fixed order, so the same
/// observations in the same order give the same bits. The sensitivity of outputs to
/// uncertain inputs reads its covariances.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CoMoments {
    /// Observations folded.
    pub n: u64,
    mean: Vec<f64>,
    /// Sums of cross products of deviations, row-major `dim × dim`.
    c: Vec<f64>,
}

impl CoMoments {
    /// Empty co-moments of `dim` figures.
    pub fn new(dim: usize) -> CoMoments {
        CoMoments {
            n: 0,
            mean: vec![0.0; dim],
            c: vec![0.0; dim * dim],
        }
    }

    /// The number of figures.
    pub fn dim(&self) -> usize {
        self.mean.len()
    }

    /// Folds one observation (`x.len()` must be [`CoMoments::dim`]).
    pub fn push(&mut self, x: &[f64]) {
        let d = self.dim();
        debug_assert_eq!(x.len(), d);
        self.n += 1;
        let n = self.n as f64;
        let before: Vec<f64> = x.iter().zip(&self.mean).map(|(x, m)| x - m).collect();
        for (m, dx) in self.mean.iter_mut().zip(&before) {
            *m += dx / n;
        }
        for (i, xi) in x.iter().enumerate() {
            let after_i = xi - self.mean[i];
            for (cij, bj) in self.c[i * d..(i + 1) * d].iter_mut().zip(&before) {
                *cij += bj * after_i;
            }
        }
    }

    /// Sample covariance of figures `i` and `j` (NaN below two observations).
    pub fn cov(&self, i: usize, j: usize) -> f64 {
        if self.n < 2 {
            return f64::NAN;
        }
        self.c[i * self.dim() + j] / (self.n - 1) as f64
    }

    /// Pearson correlation of figures `i` and `j` (NaN if either does not vary).
    pub fn correlation(&self, i: usize, j: usize) -> f64 {
        let v = self.cov(i, i) * self.cov(j, j);
        if v > 0.0 {
            self.cov(i, j) / v.sqrt()
        } else {
            f64::NAN
        }
    }

    /// Standardised regression coefficients of figure `y` on the figures `xs`: the
    /// least-squares slopes of `y` on all of `xs` at once, each times its figure's
    /// standard deviation over `y`'s (NaN where the regression is not determined:
    /// too few observations, an input that does not vary, or `y` constant).
    pub fn standardised_coefficients(&self, xs: &[usize], y: usize) -> Vec<f64> {
        let k = xs.len();
        let nan = vec![f64::NAN; k];
        if self.n as usize <= k + 1
            || self.cov(y, y).partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater)
        {
            return nan;
        }
        // Solve Cxx b = Cxy by Gaussian elimination with partial pivoting.
        let mut a: Vec<Vec<f64>> = xs
            .iter()
            .map(|&i| {
                let mut row: Vec<f64> = xs.iter().map(|&j| self.cov(i, j)).collect();
                row.push(self.cov(i, y));
                row
            })
            .collect();
        let scale = (0..k).map(|i| a[i][i].abs()).fold(0.0, f64::max);
        if scale.is_nan() || scale <= 0.0 {
            return nan;
        }
        for col in 0..k {
            let pivot = (col..k)
                .max_by(|&p, &q| a[p][col].abs().total_cmp(&a[q][col].abs()))
                .unwrap_or(col);
            if a[pivot][col].abs() <= 1e-12 * scale {
                return nan;
            }
            a.swap(col, pivot);
            let pivot_row = a[col].clone();
            for row in a.iter_mut().skip(col + 1) {
                let f = row[col] / pivot_row[col];
                for (x, p) in row.iter_mut().zip(&pivot_row).skip(col) {
                    *x -= f * p;
                }
            }
        }
        let mut b = vec![0.0; k];
        for row in (0..k).rev() {
            let mut v = a[row][k];
            for c in row + 1..k {
                v -= a[row][c] * b[c];
            }
            b[row] = v / a[row][row];
        }
        let sd_y = self.cov(y, y).sqrt();
        xs.iter()
            .zip(&b)
            .map(|(&i, bi)| bi * self.cov(i, i).sqrt() / sd_y)
            .collect()
    }
}

/// The 0.975 quantile of Student's t with `df` degrees of freedom.
pub fn t_quantile_975(df: u64) -> f64 {
    // The last degrees of freedom asked for and their quantile: results files ask for
    // the same replication count thousands of times (a pure cache: same value).
    thread_local! {
        static LAST: std::cell::Cell<(u64, f64)> = const { std::cell::Cell::new((0, f64::NAN)) };
    }
    let (last_df, last) = LAST.with(|c| c.get());
    if last_df == df && df > 0 {
        return last;
    }
    let t = StudentsT::new(0.0, 1.0, df as f64)
        .map(|t| t.inverse_cdf(0.975))
        .unwrap_or(f64::NAN);
    LAST.with(|c| c.set((df, t)));
    t
}

/// Fixed-point scale of [`ExactMoments`]: 2^32, so values keep about 2.3e-10 of
/// absolute resolution.
const FIXED_SCALE: f64 = 4_294_967_296.0;

/// `x.round() as i64` without a libm call, for |x| < 2^63: below 2^52 the fraction
/// `x - trunc(x)` is exact, and above it every float is a whole number.
#[inline]
fn round_i64(x: f64) -> i64 {
    let t = x as i64;
    let r = x - t as f64;
    if r >= 0.5 {
        t + 1
    } else if r <= -0.5 {
        t - 1
    } else {
        t
    }
}

/// Mean and variance from fixed-point integer sums: each value is rounded once to a
/// multiple of 2^-32 and the sums are integer additions, so merging in any order (by
/// threads, by shards) gives the same bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExactMoments {
    n: u64,
    sum: i128,
    sum_sq: i128,
}

impl ExactMoments {
    /// Adds one value (finite; magnitudes beyond about 1e9 saturate the sums).
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        // Below 40,000, x and x² scaled fit an i64, whose conversion is cheap.
        let (q, q2) = if x.abs() < 40_000.0 {
            let q = round_i64(x * FIXED_SCALE);
            let q2 = round_i64(x * x * FIXED_SCALE);
            (i128::from(q), i128::from(q2))
        } else {
            (
                (x * FIXED_SCALE).round() as i128,
                (x * x * FIXED_SCALE).round() as i128,
            )
        };
        self.sum = self.sum.saturating_add(q);
        self.sum_sq = self.sum_sq.saturating_add(q2);
    }

    /// Adds another summary's sums.
    pub fn merge(&mut self, o: &ExactMoments) {
        self.n += o.n;
        self.sum = self.sum.saturating_add(o.sum);
        self.sum_sq = self.sum_sq.saturating_add(o.sum_sq);
    }

    /// Number of values.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// The mean with its Student-t 95% interval (none with fewer than two values).
    pub fn estimate(&self) -> Estimate {
        if self.n == 0 {
            return Estimate {
                mean: f64::NAN,
                ci95: None,
            };
        }
        let n = self.n as f64;
        let mean = self.sum as f64 / FIXED_SCALE / n;
        let ci95 = (self.n >= 2).then(|| {
            let ss = self.sum_sq as f64 / FIXED_SCALE - n * mean * mean;
            let var = (ss / (n - 1.0)).max(0.0);
            let h = t_quantile_975(self.n - 1) * (var / n).sqrt();
            [mean - h, mean + h]
        });
        Estimate { mean, ci95 }
    }
}

/// One cell of a [`GridSummary`] as plain numbers: count, fixed-point sum and sum of
/// squares, histogram bins.
pub type CellParts = (u64, i128, i128, Vec<(usize, u64)>);

/// Summaries of a grid of figures over replications (e.g. periods × series): per
/// cell, exact moments and a histogram of the values above zero for percentiles across
/// replications (zeros, the common case, are only counted: the moments' count minus
/// the histogram's). Cells a replication leaves undefined (NaN) are skipped; merging
/// is exact and order-independent.
///
/// Replications are buffered (up to [`GRID_BATCH`] of them) and added cell by cell, so
/// that each cell's histogram stays in cache while it takes a batch of values; the
/// buffer is flushed before anything is read.
#[derive(Clone, Debug, Default)]
pub struct GridSummary {
    inner: std::cell::RefCell<Grid>,
}

/// Replications buffered by a [`GridSummary`] before they are added.
pub const GRID_BATCH: usize = 64;

#[derive(Clone, Debug, Default)]
struct Grid {
    moments: Vec<ExactMoments>,
    hists: Vec<Histogram>,
    /// Buffered replications, row-major, `moments.len()` values each.
    pending: Vec<f64>,
}

impl Grid {
    fn grow(&mut self, len: usize) {
        if self.moments.len() < len {
            self.flush();
            self.moments.resize(len, ExactMoments::default());
            self.hists.resize(len, Histogram::new());
        }
    }

    /// Adds the buffered replications, cell by cell.
    fn flush(&mut self) {
        let w = self.moments.len();
        if self.pending.is_empty() || w == 0 {
            self.pending.clear();
            return;
        }
        for (i, (m, h)) in self.moments.iter_mut().zip(&mut self.hists).enumerate() {
            for row in self.pending.chunks_exact(w) {
                let v = row[i];
                if !v.is_finite() {
                    continue;
                }
                if v <= 0.0 {
                    // The figures are non-negative: a zero adds nothing to the sums.
                    m.n += 1;
                } else {
                    m.push(v);
                    h.record_bin(Bin(grid_bin(bin(v))));
                }
            }
        }
        self.pending.clear();
    }
}

impl PartialEq for GridSummary {
    fn eq(&self, other: &GridSummary) -> bool {
        let (mut a, mut b) = (self.inner.borrow_mut(), other.inner.borrow_mut());
        a.flush();
        b.flush();
        a.moments == b.moments && a.hists == b.hists
    }
}

impl GridSummary {
    /// An empty summary of `len` cells.
    pub fn new(len: usize) -> GridSummary {
        GridSummary {
            inner: std::cell::RefCell::new(Grid {
                moments: vec![ExactMoments::default(); len],
                hists: vec![Histogram::new(); len],
                pending: Vec::new(),
            }),
        }
    }

    /// Adds one replication's figures (one per cell; NaN where undefined).
    pub fn push(&mut self, values: &[f64]) {
        let g = self.inner.get_mut();
        g.grow(values.len());
        let w = g.moments.len();
        g.pending.extend_from_slice(values);
        g.pending
            .resize(g.pending.len() + (w - values.len()), f64::NAN);
        if g.pending.len() >= GRID_BATCH * w {
            g.flush();
        }
    }

    /// Adds another summary.
    pub fn merge(&mut self, o: &GridSummary) {
        let mut other = o.inner.borrow_mut();
        other.flush();
        let g = self.inner.get_mut();
        g.grow(other.moments.len());
        g.flush();
        for (i, (m, h)) in other.moments.iter().zip(&other.hists).enumerate() {
            g.moments[i].merge(m);
            g.hists[i].merge(h);
        }
    }

    /// The cells as plain numbers (count, fixed-point sum and sum of squares,
    /// histogram bins), to store them exactly.
    pub fn to_parts(&self) -> Vec<CellParts> {
        let mut g = self.inner.borrow_mut();
        g.flush();
        g.moments
            .iter()
            .zip(&g.hists)
            .map(|(m, h)| (m.n, m.sum, m.sum_sq, h.to_sparse()))
            .collect()
    }

    /// The summary stored by [`GridSummary::to_parts`]; `None` if a histogram is
    /// malformed.
    pub fn from_parts(parts: Vec<CellParts>) -> Option<GridSummary> {
        let mut g = Grid::default();
        for (n, sum, sum_sq, bins) in parts {
            g.moments.push(ExactMoments { n, sum, sum_sq });
            g.hists.push(Histogram::from_sparse(&bins)?);
        }
        Some(GridSummary {
            inner: std::cell::RefCell::new(g),
        })
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.inner.borrow().moments.len()
    }

    /// True if there are no cells.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Cell `i`: replications that defined it, the mean with its 95% interval, and
    /// the 10th and 90th percentiles across replications (values are non-negative;
    /// percentiles within 1.6%: bins of a thirty-second of an octave).
    pub fn cell(&self, i: usize) -> (u64, Estimate, f64, f64) {
        let mut g = self.inner.borrow_mut();
        g.flush();
        let (m, h) = (&g.moments[i], &g.hists[i]);
        let n = m.count();
        let zeros = n.saturating_sub(h.count());
        let quantile = |q: f64| {
            if n == 0 {
                return f64::NAN;
            }
            let rank = ((q * n as f64).ceil() as u64).max(1);
            if rank <= zeros {
                0.0
            } else {
                h.index_at_rank(rank - zeros).map_or(f64::NAN, grid_mid)
            }
        };
        (n, m.estimate(), quantile(0.1), quantile(0.9))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn co_moments_give_exact_coefficients_of_a_linear_figure() {
        // y = 2 x0 - x1 exactly, x0 and x1 varying independently on a grid: the
        // slopes are 2 and -1, so the standardised coefficients are 2 sd0 / sd_y and
        // -sd1 / sd_y, and an unused input gets 0.
        let mut c = CoMoments::new(4);
        for i in 0..5 {
            for j in 0..4 {
                let (x0, x1, x2) = (i as f64, j as f64 * 3.0, ((i * 7 + j * 3) % 5) as f64);
                c.push(&[x0, x1, x2, 2.0 * x0 - x1]);
            }
        }
        let src = c.standardised_coefficients(&[0, 1, 2], 3);
        let sd = |k| c.cov(k, k).sqrt();
        assert!((src[0] - 2.0 * sd(0) / sd(3)).abs() < 1e-12, "{src:?}");
        assert!((src[1] + sd(1) / sd(3)).abs() < 1e-12, "{src:?}");
        assert!(src[2].abs() < 1e-12, "{src:?}");
        // A constant input leaves the regression undetermined.
        let mut d = CoMoments::new(2);
        for i in 0..5 {
            d.push(&[1.0, i as f64]);
        }
        assert!(d.standardised_coefficients(&[0], 1)[0].is_nan());
    }

    #[test]
    fn round_i64_rounds_as_round_does() {
        let mut x = 0.0_f64;
        let mut cases = vec![
            0.5,
            1.5,
            2.5,
            -0.5,
            -2.5,
            0.49999999999999994,
            4503599627370495.5,
        ];
        for i in 0..20_000 {
            x = (x * 1.618_033_988_749 + 0.377) % 40_000.0;
            cases.push(x * FIXED_SCALE);
            cases.push(x * x * FIXED_SCALE);
            cases.push(f64::from(i) / 4.0);
        }
        for c in cases {
            assert_eq!(round_i64(c), c.round() as i64, "{c}");
        }
    }

    #[test]
    fn sparse_bins_round_trip_and_reject_nonsense() {
        let mut h = Histogram::new();
        for v in [0.5, 0.5, 3.0, 40.0, 1e-9, 1e9] {
            h.record(v);
        }
        let sparse = h.to_sparse();
        let back = Histogram::from_sparse(&sparse).unwrap();
        assert_eq!(back, h);
        assert_eq!(back.count(), 6);
        assert_eq!(back.quantile(0.5), h.quantile(0.5));
        assert_eq!(Histogram::from_sparse(&[]).unwrap(), Histogram::new());
        assert!(Histogram::from_sparse(&[(N_BINS, 1)]).is_none());
        assert!(Histogram::from_sparse(&[(5, 1), (5, 1)]).is_none());
        assert!(Histogram::from_sparse(&[(6, 1), (5, 1)]).is_none());
        assert!(Histogram::from_sparse(&[(5, 0)]).is_none());
        assert!(Histogram::from_sparse(&[(5, u64::MAX), (6, 1)]).is_none());
    }

    #[test]
    fn quantiles_are_within_bin_precision() {
        let mut h = Histogram::new();
        for i in 1..=10_000 {
            h.record(i as f64 / 100.0);
        }
        for (q, exact) in [(0.5, 50.0), (0.95, 95.0), (0.01, 1.0)] {
            let got = h.quantile(q).unwrap();
            assert!(
                (got - exact).abs() / exact < 0.004,
                "q{q}: {got} vs {exact}"
            );
        }
        assert_eq!(h.quantile(1.0).map(|v| (v - 100.0).abs() < 0.4), Some(true));
    }

    #[test]
    fn the_stored_range_grows_to_any_value() {
        let mut h = Histogram::new();
        for v in [5.0, 0.0, 1e-9, 3e6, 7.0, 5.0] {
            h.record(v);
        }
        assert_eq!(h.count(), 6);
        assert_eq!(h.quantile(0.0), Some(0.0));
        assert!(h.quantile(1.0).unwrap() > 1e5);
        assert!((h.quantile(0.5).unwrap() - 5.0).abs() < 0.02);
        let mut other = Histogram::new();
        other.record(1000.0);
        h.merge(&other);
        assert_eq!(h.bins().count(), 6);
    }

    #[test]
    fn merged_histograms_equal_one_big_one() {
        let (mut a, mut b, mut all) = (Histogram::new(), Histogram::new(), Histogram::new());
        for i in 0..1000 {
            let v = (i as f64).sqrt();
            if i % 3 == 0 {
                a.record(v)
            } else {
                b.record(v)
            }
            all.record(v);
        }
        a.merge(&b);
        assert_eq!(a, all);
        assert_eq!(a.quantile(0.0), Some(0.0));
    }

    #[test]
    fn t_quantiles_match_tables() {
        // Published two-sided 95% critical values of Student's t.
        for (df, t) in [(1, 12.706), (9, 2.262), (29, 2.045), (99, 1.984)] {
            assert!((t_quantile_975(df) - t).abs() < 1e-3, "df {df}");
        }
    }

    #[test]
    fn moments_merge_like_one_pass() {
        let xs: Vec<f64> = (0..50).map(|i| (i * i % 17) as f64).collect();
        let mut all = Moments::default();
        xs.iter().for_each(|x| all.push(*x));
        let (mut a, mut b) = (Moments::default(), Moments::default());
        xs[..20].iter().for_each(|x| a.push(*x));
        xs[20..].iter().for_each(|x| b.push(*x));
        a.merge(&b);
        assert!((a.mean() - all.mean()).abs() < 1e-12);
        assert!((a.variance() - all.variance()).abs() < 1e-9);
    }

    #[test]
    fn estimate_of_constant_has_zero_width() {
        let e = Estimate::of(&[2.0, 2.0, 2.0]);
        assert_eq!(e.mean, 2.0);
        assert_eq!(e.ci95, Some([2.0, 2.0]));
        assert_eq!(Estimate::of(&[1.0]).ci95, None);
    }

    #[test]
    fn exact_moments_agree_with_welford_and_merge_in_any_order() {
        let xs: Vec<f64> = (0..1000)
            .map(|i| ((i * 7919) % 1000) as f64 / 7.0 + 3.0)
            .collect();
        let mut w = Moments::default();
        let mut all = ExactMoments::default();
        for x in &xs {
            w.push(*x);
            all.push(*x);
        }
        let (a, b) = (all.estimate(), w.estimate());
        assert!((a.mean - b.mean).abs() < 1e-9);
        assert!((a.half_width() - b.half_width()).abs() < 1e-9);
        let mut left = ExactMoments::default();
        let mut right = ExactMoments::default();
        for (i, x) in xs.iter().enumerate() {
            if i % 3 == 0 {
                left.push(*x)
            } else {
                right.push(*x)
            }
        }
        right.merge(&left);
        assert_eq!(right, all);
        let mut g = GridSummary::new(2);
        g.push(&[1.0, f64::NAN]);
        g.push(&[3.0, 2.0]);
        let (n, e, _, p90) = g.cell(0);
        assert_eq!((n, e.mean), (2, 2.0));
        // Grid bins are a thirty-second of an octave: the midpoint is within 1.6%.
        assert!((p90 - 3.0).abs() <= 0.016 * 3.0, "{p90}");
        assert_eq!(g.cell(1).0, 1);
    }
}
