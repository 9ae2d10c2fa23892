//! `utilization`: the busiest resources (stations and leg directions) as horizontal
//! bars with their 95% confidence intervals, coloured by kind.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::chart::{self, Axis, bar_frame, swatches};
use super::results::{ResourceSummary, Summary};
use super::style::{self, Area, Drawn, INK, MUTED, Theme, size};

/// Resources shown at most.
const TOP: usize = 20;

/// Kinds in legend order.
const KINDS: [(&str, &str); 4] = [
    ("station", "station"),
    ("rail", "rail section"),
    ("ferry", "ferry"),
    ("road", "road"),
];

/// The utilisation chart's data.
#[derive(Debug)]
pub(super) struct UtilizationChart {
    scenario: String,
    replications: u64,
    /// The busiest resources, busiest first.
    bars: Vec<Bar>,
    /// Resources with a capacity limit.
    limited: usize,
}

#[derive(Debug)]
struct Bar {
    label: String,
    kind: String,
    mean: f64,
    ci: Option<(f64, f64)>,
}

impl UtilizationChart {
    /// The busiest resources of `summary` (resources without a capacity limit have no
    /// utilisation and are left out).
    pub(super) fn new(summary: &Summary) -> UtilizationChart {
        let mut bars: Vec<Bar> = summary
            .resources
            .iter()
            .filter(|r| r.capacity != 0.0)
            .filter_map(|r| {
                Some(Bar {
                    label: label(r),
                    kind: r.kind.name().to_string(),
                    mean: r.utilization.value()?,
                    ci: r.utilization.interval(),
                })
            })
            .collect();
        let limited = bars.len();
        bars.sort_by(|a, b| {
            b.mean
                .total_cmp(&a.mean)
                .then_with(|| a.label.cmp(&b.label))
        });
        bars.truncate(TOP);
        UtilizationChart {
            scenario: summary.scenario.clone(),
            replications: summary.replications,
            bars,
            limited,
        }
    }

    /// Draws the chart.
    pub(super) fn draw<DB: DrawingBackend>(&self, area: &Area<DB>, theme: &Theme) -> Drawn {
        let which = if self.bars.len() < self.limited {
            format!(
                "the {} busiest of {} resources with a capacity limit",
                self.bars.len(),
                self.limited
            )
        } else {
            format!("all {} resources with a capacity limit", self.limited)
        };
        let subtitle = format!(
            "{}: share of capacity in use, mean over {} with its 95% confidence \
             interval; {}. A leg direction reads from → to.",
            self.scenario,
            style::plural(self.replications, "replication"),
            which
        );
        let mut top = style::header(area, theme, "Busiest resources: utilisation", &subtitle)?;
        let m = theme.margin();
        if self.bars.is_empty() {
            let t = theme.text(size::AXIS, MUTED).anchor(HPos::Left, VPos::Top);
            return t.draw(
                area,
                "No resource with a capacity limit was used.",
                (m, top),
            );
        }
        let kinds = KINDS
            .iter()
            .filter(|k| self.bars.iter().any(|b| b.kind == k.0));
        top = swatches(
            area,
            theme,
            top,
            kinds.map(|k| (style::kind_color(k.0), k.1)),
        )?;
        let hi = self
            .bars
            .iter()
            .map(|b| b.ci.map_or(b.mean, |(_, hi)| hi.max(b.mean)))
            .fold(1.0, f64::max);
        let x_axis = Axis::percent(style::ticks(0.0, hi, 10), "Utilisation (% of capacity)");
        let n = self.bars.len();
        let labels = self.bars.iter().map(|b| b.label.clone()).collect();
        let mut chart = bar_frame(area, theme, top, &x_axis, labels)?;
        let whisker = ShapeStyle::from(INK).stroke_width(theme.px(2.0).max(1) as u32);
        let value = theme
            .text(size::LABEL, MUTED)
            .anchor(HPos::Left, VPos::Center);
        for (i, bar) in self.bars.iter().enumerate() {
            let y = (n - i) as f64 - 0.5;
            let color = style::kind_color(&bar.kind).filled();
            chart.draw_series([Rectangle::new(
                [(0.0, y - 0.34), (bar.mean, y + 0.34)],
                color,
            )])?;
            let mut end = bar.mean;
            if let Some((lo, hi)) = bar.ci {
                chart::whisker(&mut chart, (lo, hi), y, 0.2, whisker)?;
                end = end.max(hi);
            }
            let (x, y) = chart.backend_coord(&(end, y));
            let text = format!("{}%", style::number(bar.mean * 100.0, 1));
            value.draw(area, &text, (x + theme.px(8.0), y))?;
        }
        Ok(())
    }
}

/// `id` for a station. For a leg direction `from → to`, after the leg id unless the id
/// is `from-to`.
fn label(r: &ResourceSummary) -> String {
    match r.direction() {
        None => r.id.clone(),
        Some((from, to)) if r.id == format!("{from}-{to}") => format!("{from} → {to}"),
        Some((from, to)) => format!("{} ({from} → {to})", r.id),
    }
}
