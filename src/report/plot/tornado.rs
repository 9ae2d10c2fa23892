//! `sensitivity`: a tornado chart of the uncertain inputs, largest effect at the
//! top: for each input, the standardised regression coefficient of each main figure
//! on it, as bars from zero, with the band within which an input without effect
//! falls (`summary.json`'s `sensitivity`, the rows of `sensitivity.csv`).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::chart::{Axis, bar_frame, swatches};
use super::results::Summary;
use super::style::{self, Area, Drawn, GRID, INK, MUTED, Theme, size};

/// Inputs shown at most.
const TOP: usize = 20;

/// The main figures in drawing order, with their names in the legend.
const FIGURES: [(&str, &str); 3] = [
    ("delivered_trains_per_week", "trains delivered per week"),
    ("transit_days_mean", "mean transit (days)"),
    ("busiest_utilization", "busiest resource utilisation"),
];

/// The tornado chart's data.
#[derive(Debug)]
pub(super) struct TornadoChart {
    scenario: String,
    replications: u64,
    /// Four standard errors of the coefficient of an input without effect.
    noise: f64,
    /// Inputs by their largest |coefficient|, largest first; one coefficient per
    /// figure of [`FIGURES`] (NaN where not defined).
    inputs: Vec<(String, [f64; 3])>,
    /// Inputs in all.
    total: usize,
}

impl TornadoChart {
    /// The chart of `summary`, or `None` without uncertain inputs.
    pub(super) fn new(summary: &Summary) -> Option<TornadoChart> {
        let first = summary.sensitivity.first()?;
        let mut inputs: Vec<(String, [f64; 3])> = Vec::new();
        for row in &summary.sensitivity {
            let Some(j) = FIGURES.iter().position(|(f, _)| *f == row.figure) else {
                continue;
            };
            match inputs.iter_mut().find(|(name, _)| *name == row.input) {
                Some((_, c)) => c[j] = row.coefficient,
                None => {
                    let mut c = [f64::NAN; 3];
                    c[j] = row.coefficient;
                    inputs.push((row.input.clone(), c));
                }
            }
        }
        let key = |c: &[f64; 3]| {
            c.iter()
                .filter(|x| x.is_finite())
                .fold(0.0, |m, x| x.abs().max(m))
        };
        inputs.sort_by(|a, b| key(&b.1).total_cmp(&key(&a.1)).then_with(|| a.0.cmp(&b.0)));
        let total = inputs.len();
        inputs.truncate(TOP);
        Some(TornadoChart {
            scenario: summary.scenario.clone(),
            replications: first.replications,
            noise: first.noise_bound,
            inputs,
            total,
        })
    }

    /// Draws the chart.
    pub(super) fn draw<DB: DrawingBackend>(&self, area: &Area<DB>, theme: &Theme) -> Drawn {
        let which = if self.inputs.len() < self.total {
            format!(
                "the {} of {} inputs that move them most",
                self.inputs.len(),
                self.total
            )
        } else {
            format!(
                "all {} inputs, the one that moves them most first",
                self.total
            )
        };
        let subtitle = format!(
            "{}: standardised regression coefficients over {}: a figure's change, in its \
             standard deviations, per standard deviation of the input, the others held; \
             {which}. An input without effect falls in the grey band (±{}, two standard \
             errors) 95% of the time.",
            self.scenario,
            style::plural(self.replications, "replication"),
            style::number(self.noise / 2.0, 2),
        );
        let mut top = style::header(area, theme, "Uncertain inputs: sensitivity", &subtitle)?;
        let names = FIGURES
            .iter()
            .enumerate()
            .map(|(j, f)| (style::SERIES[j], f.1));
        top = swatches(area, theme, top, names)?;
        let x_axis = Axis::numbers(
            style::ticks(-1.0, 1.0, 8),
            "Standardised regression coefficient",
        );
        let n = self.inputs.len();
        let labels = self.inputs.iter().map(|(l, _)| l.clone()).collect();
        let mut chart = bar_frame(area, theme, top, &x_axis, labels)?;
        // Two standard errors of a coefficient without effect (`noise` is four).
        let band = (self.noise / 2.0).min(1.0);
        chart.draw_series([Rectangle::new(
            [(-band, 0.0), (band, n as f64)],
            GRID.filled(),
        )])?;
        let zero = ShapeStyle::from(INK).stroke_width(theme.px(1.5).max(1) as u32);
        chart.draw_series([PathElement::new([(0.0, 0.0), (0.0, n as f64)], zero)])?;
        let value = theme.text(size::LABEL, MUTED);
        for (i, (_, c)) in self.inputs.iter().enumerate() {
            let centre = (n - i) as f64 - 0.5;
            for (j, x) in c.iter().enumerate() {
                if !x.is_finite() {
                    continue;
                }
                let y0 = centre + 0.36 - 0.24 * j as f64;
                let color = style::SERIES[j].filled();
                chart.draw_series([Rectangle::new([(0.0, y0 - 0.22), (*x, y0)], color)])?;
                let (px, py) = chart.backend_coord(&(*x, y0 - 0.11));
                let (anchor, dx) = if *x >= 0.0 {
                    (HPos::Left, theme.px(6.0))
                } else {
                    (HPos::Right, -theme.px(6.0))
                };
                value.anchor(anchor, VPos::Center).draw(
                    area,
                    &style::number(*x, 2),
                    (px + dx, py),
                )?;
            }
        }
        Ok(())
    }
}
