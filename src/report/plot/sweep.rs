//! What the charts of a capacity curve share: the x axis (the offered load for a
//! demand sweep, the parameter's value otherwise), the words of subtitles, the
//! practical capacity and the bottleneck at the knee.

use plotters::prelude::RGBColor;

use super::chart::{Axis, Dash, Layer, LineChart, Note};
use super::results::Estimate;
use super::results::experiment::{Bottleneck, Bracket, Curve, CurvePoint, PracticalCapacity};
use super::style::{self, INK, SERIES};

/// Colour of the practical capacity.
pub(super) const CAPACITY: RGBColor = SERIES[5];
/// Colour of points that meet both criteria.
pub(super) const MEETS: RGBColor = SERIES[2];
/// Colour of points that fail a criterion.
pub(super) const FAILS: RGBColor = SERIES[3];

/// The axes of a delivered-against-offered chart: one scale on both, from 0 (so the
/// line delivered = offered is the diagonal and a flat result looks flat).
pub(super) fn load_axes(values: impl Iterator<Item = f64>) -> (Axis, Axis) {
    let t = throughput_ticks(values, 8);
    let x = Axis::numbers(t.clone(), "Offered load (block trains per week)");
    (x, Axis::numbers(t, "Delivered (block trains per week)"))
}

/// Ticks of a throughput axis (trains per week): from 0 (or below, for an interval
/// reaching below 0) to the largest value, so that a change looks as large as it is.
pub(super) fn throughput_ticks(values: impl Iterator<Item = f64>, target: usize) -> style::Ticks {
    let (lo, hi) = extent(values).unwrap_or((0.0, 1.0));
    style::ticks(lo.min(0.0), hi, target)
}

/// The x of a point: offered trains per week for a demand sweep, else the value.
pub(super) fn x_of(curve: &Curve, p: &CurvePoint) -> f64 {
    if curve.is_demand() {
        p.offered_trains_per_week.value().unwrap_or(f64::NAN)
    } else {
        p.value
    }
}

/// The delivered trains of every point against `x`: the line, then the points that
/// meet the criteria and those that fail one.
pub(super) type Delivered = (Vec<(f64, f64)>, Vec<(f64, f64)>, Vec<(f64, f64)>);

/// Splits a curve's delivered trains per week into its line and its marked points.
pub(super) fn delivered_points(curve: &Curve, x: impl Fn(&CurvePoint) -> f64) -> Delivered {
    let (mut line, mut meets, mut fails) = (Vec::new(), Vec::new(), Vec::new());
    for p in &curve.points {
        let (px, Some(py)) = (x(p), p.delivered_trains_per_week.value()) else {
            continue;
        };
        if !px.is_finite() {
            continue;
        }
        line.push((px, py));
        if p.meets_criteria {
            meets.push((px, py));
        } else {
            fails.push((px, py));
        }
    }
    (line, meets, fails)
}

/// The x axis title.
pub(super) fn x_title(curve: &Curve) -> String {
    if curve.is_demand() {
        "Offered load (block trains per week)".to_string()
    } else {
        curve.param.clone()
    }
}

/// "`what` against offered load", or against the swept parameter.
pub(super) fn title(curve: &Curve, what: &str) -> String {
    if curve.is_demand() {
        format!("{what} against offered load")
    } else {
        format!("{what} against {}", curve.param)
    }
}

/// The x axis over every point and the values of `extra`.
pub(super) fn x_axis(curve: &Curve, extra: impl IntoIterator<Item = f64>) -> Axis {
    let xs = curve.points.iter().map(|p| x_of(curve, p)).chain(extra);
    let (lo, hi) = extent(xs).unwrap_or((0.0, 1.0));
    Axis::numbers(x_ticks(curve, lo, hi), x_title(curve))
}

/// Room beside the x ticks: none for the offered load, a little for a parameter
/// (whose markers sit on the end ticks).
pub(super) fn x_margin(curve: &Curve) -> f64 {
    if curve.is_demand() { 0.0 } else { 0.03 }
}

/// The point estimate of the practical capacity, when it lies within the sweep.
pub(super) fn capacity_within(curve: &Curve) -> Option<f64> {
    let cap = curve.practical_capacity.as_ref()?;
    Some(cap.point_estimate).filter(|v| cap.bracket == Bracket::WithinRange && v.is_finite())
}

/// Marks the practical capacity at `x` with a dotted line over the whole height and
/// its value.
pub(super) fn mark_capacity(chart: &mut LineChart, x: f64) {
    let (lo, hi) = (chart.y_axis.ticks.lo, chart.y_axis.ticks.hi);
    let line = vec![(x, lo), (x, hi)];
    chart
        .layers
        .push(Layer::guide(line, CAPACITY, Dash::Dotted));
    let text = format!("practical capacity {}", style::number(x, 1));
    chart.notes.push(Note::label(text, CAPACITY, (x, hi)));
}

/// `(x, low, high)` of an estimate of every point that has one.
pub(super) fn bands(
    curve: &Curve,
    x: impl Fn(&CurvePoint) -> f64,
    pick: impl Fn(&CurvePoint) -> Estimate,
) -> Vec<(f64, f64, f64)> {
    let points = curve.points.iter();
    let bands = points.filter_map(|p| band_point(x(p), &pick(p)));
    bands.filter(|b| b.0.is_finite()).collect()
}

/// Ticks of the x axis from `lo` to `hi`: whole numbers for a parameter swept over
/// whole numbers (such as vessels).
pub(super) fn x_ticks(curve: &Curve, lo: f64, hi: f64) -> style::Ticks {
    let whole = !curve.is_demand() && curve.points.iter().all(|p| p.value.fract() == 0.0);
    if whole {
        let span = (hi - lo).round().max(1.0) as usize;
        style::ticks(lo, hi.max(lo + 1.0), span.min(8))
    } else {
        style::ticks(lo, hi, 8)
    }
}

/// A value of the swept parameter, without needless decimals.
pub(super) fn value(v: f64) -> String {
    let s = style::number(v, 3);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// "middle-corridor-2030: demand ×0.5 to ×2 (16 points), 100 replications per point
/// with common random numbers."
pub(super) fn lead(curve: &Curve) -> String {
    let (lo, hi) = (
        curve.points.first().map_or(0.0, |p| p.value),
        curve.points.last().map_or(0.0, |p| p.value),
    );
    let range = if curve.is_demand() {
        format!("demand ×{} to ×{}", value(lo), value(hi))
    } else {
        format!("{} from {} to {}", curve.param, value(lo), value(hi))
    };
    format!(
        "{}: {range} ({}), {} per point with common random numbers.",
        curve.scenario,
        style::plural(curve.points.len() as u64, "point"),
        style::plural(curve.replications, "replication"),
    )
}

/// The p95 limit in words, "30.8 days (2 × the p95 at the lowest demand)", if known.
pub(super) fn limit_words(curve: &Curve) -> Option<String> {
    let limit = Some(curve.p95_limit_days).filter(|v| v.is_finite())?;
    let factor = Some(curve.p95_limit_factor).map_or(String::new(), |f| {
        let reference = if curve.is_demand() {
            "the p95 at the lowest demand"
        } else {
            "the lowest p95 of the sweep"
        };
        format!(" ({} × {reference})", value(f))
    });
    Some(format!("{} days{factor}", style::number(limit, 1)))
}

/// The criteria a point must meet, in words.
pub(super) fn criteria_words(curve: &Curve) -> String {
    let ratio = curve.delivered_ratio_min;
    let mut s = format!(
        "A point meets the criteria when delivered ≥ {}% of offered",
        style::number(ratio * 100.0, 0)
    );
    if let Some(limit) = limit_words(curve) {
        s.push_str(&format!(
            " and the p95 transit (each replication's, averaged) ≤ {limit}"
        ));
    }
    s.push('.');
    s
}

/// "turkmenbashi → alat (ferry)" or "rasht (station)".
pub(super) fn resource_name(id: &str, kind: &str, from: Option<&str>, to: Option<&str>) -> String {
    match (from, to) {
        (Some(a), Some(b)) if id == format!("{a}-{b}") => format!("{a} → {b} ({kind})"),
        (Some(a), Some(b)) => format!("{id}: {a} → {b} ({kind})"),
        _ => format!("{id} ({kind})"),
    }
}

fn bottleneck_name(b: &Bottleneck) -> String {
    resource_name(&b.id, b.kind.name(), b.from.as_deref(), b.to.as_deref())
}

/// The point where the curve turns: a failing point next to a passing one (the first
/// such), else the first failing point.
pub(super) fn knee(curve: &Curve) -> Option<usize> {
    let pts = &curve.points;
    let next_to_pass = |i: usize| {
        (i > 0 && pts[i - 1].meets_criteria) || pts.get(i + 1).is_some_and(|p| p.meets_criteria)
    };
    (0..pts.len())
        .find(|&i| !pts[i].meets_criteria && next_to_pass(i))
        .or_else(|| (0..pts.len()).find(|&i| !pts[i].meets_criteria))
}

/// The note naming the bottleneck at the knee, anchored at `(x, y)` of that point.
pub(super) fn bottleneck_note(curve: &Curve, anchor: (f64, f64)) -> Option<Note> {
    let i = knee(curve)?;
    let p = &curve.points[i];
    let b = p.bottleneck.as_ref()?;
    let mut line = String::new();
    if let Some(u) = b.utilization.value() {
        line = format!("utilisation {}%", style::number(u * 100.0, 0));
    }
    let at = if curve.is_demand() {
        p.offered_trains_per_week
            .value()
            .map(|o| format!("at {} trains/week offered", style::number(o, 1)))
    } else {
        Some(format!("at {} = {}", curve.param, value(p.value)))
    };
    if let Some(at) = at {
        line = if line.is_empty() {
            at
        } else {
            format!("{line} {at}")
        };
    }
    let lines = if line.is_empty() { vec![] } else { vec![line] };
    let title = format!("Bottleneck: {}", bottleneck_name(b));
    Some(Note {
        leader: true,
        ..Note::bold(title, lines, INK, anchor)
    })
}

/// "95% CI 67.8–70.7".
pub(super) fn interval_words(e: &Estimate) -> Option<String> {
    e.interval()
        .map(|(lo, hi)| format!("95% CI {}–{}", style::number(lo, 1), style::number(hi, 1)))
}

/// What limits the capacity, in words; `None` if nothing did.
fn limited_words(c: &PracticalCapacity) -> Option<&'static str> {
    match c.limited_by.name() {
        "throughput" => Some("limited by throughput"),
        "transit_p95" => Some("limited by p95 transit time"),
        _ => None,
    }
}

/// The practical capacity as a note title and a detail line, e.g. "Practical capacity
/// 70.9 trains/week" and "95% CI 67.8–70.7, limited by throughput".
pub(super) fn capacity_words(c: &PracticalCapacity, curve: &Curve) -> (String, String) {
    let est = Some(c.point_estimate).filter(|v| v.is_finite());
    let n = |v: f64| style::number(v, 1);
    let mut detail: Vec<String> = Vec::new();
    let title = match (c.bracket.name(), est) {
        ("above_range", Some(v)) => {
            detail.push("every swept point meets the criteria".into());
            format!("Practical capacity at least {} trains/week", n(v))
        }
        ("below_range", _) => {
            let first = curve
                .points
                .first()
                .and_then(|p| p.offered_trains_per_week.value());
            if let Some(f) = first {
                detail.push(format!("even {} trains/week fails", n(f)));
            }
            "Practical capacity below the swept range".to_string()
        }
        (_, Some(v)) => format!("Practical capacity {} trains/week", n(v)),
        (_, None) => "Practical capacity unknown".to_string(),
    };
    if c.bracket == Bracket::WithinRange
        && let Some(ci) = interval_words(&c.offered_trains_per_week)
    {
        detail.push(ci);
    }
    if let Some(l) = limited_words(c) {
        detail.push(l.to_string());
    }
    (title, detail.join(", "))
}

/// The practical capacity's layers: its 95% interval as a light strip and a vertical
/// line at the point estimate, from `y.0` to `y.1`, in `color`.
pub(super) fn capacity_layers(c: &PracticalCapacity, y: (f64, f64), color: RGBColor) -> Vec<Layer> {
    let mut layers = Vec::new();
    if c.bracket == Bracket::WithinRange
        && let Some((lo, hi)) = c.offered_trains_per_week.interval()
    {
        layers.push(Layer::Strip {
            x: (lo, hi),
            color,
            opacity: 0.13,
        });
    }
    if let Some(v) = Some(c.point_estimate).filter(|v| v.is_finite()) {
        let dash = if c.bracket == Bracket::WithinRange {
            Dash::Solid
        } else {
            Dash::Dashed
        };
        layers.push(Layer::Line {
            points: vec![(v, y.0), (v, y.1)],
            color,
            width: 2.5,
            dash,
        });
    }
    layers
}

/// The x of the practical capacity line and the ends of its interval, for axis ranges.
pub(super) fn capacity_extent(c: &PracticalCapacity) -> Vec<f64> {
    let mut xs: Vec<f64> = Some(c.point_estimate).into_iter().collect();
    if c.bracket == Bracket::WithinRange
        && let Some((lo, hi)) = c.offered_trains_per_week.interval()
    {
        xs.extend([lo, hi]);
    }
    xs.retain(|v| v.is_finite());
    xs
}

/// Smallest and largest finite value (`None` if there is none).
pub(super) fn extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// A mean and its interval as `(x, low, high)`, the mean for missing ends.
pub(super) fn band_point(x: f64, e: &Estimate) -> Option<(f64, f64, f64)> {
    let m = e.value()?;
    let (lo, hi) = e.interval().unwrap_or((m, m));
    Some((x, lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_names_read_well() {
        assert_eq!(value(2.0), "2");
        assert_eq!(value(0.25), "0.25");
        assert_eq!(value(1500.0), "1,500");
        assert_eq!(
            resource_name(
                "turkmenbashi-alat",
                "ferry",
                Some("turkmenbashi"),
                Some("alat")
            ),
            "turkmenbashi → alat (ferry)"
        );
        assert_eq!(
            resource_name("ferry", "ferry", Some("c"), Some("d")),
            "ferry: c → d (ferry)"
        );
        assert_eq!(
            resource_name("rasht", "station", None, None),
            "rasht (station)"
        );
    }
}
