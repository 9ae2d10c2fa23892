//! `utilization`: the busiest resources (stations and leg directions) as horizontal
//! bars with their 95% confidence intervals, coloured by kind.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{self, Axis, Frame};
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
        top = self.draw_legend(area, theme, top)?;

        let category = theme
            .text(size::LABEL, INK)
            .anchor(HPos::Right, VPos::Center);
        let label_w = self
            .bars
            .iter()
            .map(|b| category.measure(&b.label).0)
            .max()
            .unwrap_or(0);
        let value = theme
            .text(size::LABEL, MUTED)
            .anchor(HPos::Left, VPos::Center);
        let value_w = value.measure("100.0%").0 + theme.px(14.0);
        let hi = self
            .bars
            .iter()
            .map(|b| b.ci.map_or(b.mean, |(_, hi)| hi.max(b.mean)))
            .fold(1.0, f64::max);
        let x_ticks = style::ticks(0.0, hi, 10);
        let decimals = x_ticks.decimals.saturating_sub(2);
        let x_label = move |v: f64| format!("{}%", style::number(v * 100.0, decimals));
        let x_axis = Axis {
            ticks: x_ticks,
            label: &x_label,
            title: "Utilisation (% of capacity)",
        };
        let n = self.bars.len() as f64;
        let frame = Frame {
            left: m + label_w + theme.px(14.0),
            top: top + theme.px(6.0),
            right: theme.width - m - value_w,
            bottom: theme.height - m - axes::x_axis_height(theme),
            x: (x_axis.ticks.lo, x_axis.ticks.hi),
            y: (0.0, n),
        };
        axes::draw_x_axis(area, theme, &frame, &x_axis)?;
        let slot = frame.height() as f64 / n;
        let half_bar = (slot * 0.34).max(2.0);
        let whisker = theme.px(2.0).max(1) as u32;
        let cap = (slot * 0.2).round() as i32;
        for (i, bar) in self.bars.iter().enumerate() {
            let yc = frame.y(n - i as f64 - 0.5);
            let y0 = (yc as f64 - half_bar).round() as i32;
            let y1 = (yc as f64 + half_bar).round() as i32;
            let x1 = frame.x(bar.mean);
            area.draw(&Rectangle::new(
                [(frame.left, y0), (x1.max(frame.left + 1), y1)],
                style::kind_color(&bar.kind).filled(),
            ))?;
            let mut end = x1;
            if let Some((lo, hi)) = bar.ci {
                let (a, b) = (frame.x(lo), frame.x(hi));
                style::line(area, (a, yc), (b, yc), INK.into(), whisker)?;
                style::line(area, (a, yc - cap), (a, yc + cap), INK.into(), whisker)?;
                style::line(area, (b, yc - cap), (b, yc + cap), INK.into(), whisker)?;
                end = end.max(b);
            }
            category.draw(area, &bar.label, (frame.left - theme.px(12.0), yc))?;
            let text = format!("{}%", style::number(bar.mean * 100.0, 1));
            value.draw(area, &text, (end + theme.px(8.0), yc))?;
        }
        axes::draw_axis_lines(area, theme, &frame)
    }

    /// A row of coloured squares naming the kinds shown; returns the y below it.
    fn draw_legend<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        theme: &Theme,
        top: i32,
    ) -> Result<i32, style::DrawError> {
        let text = theme.text(size::LABEL, INK);
        let box_side = theme.px(20.0);
        let cy = top + text.line_height() / 2;
        let mut x = theme.margin();
        for (kind, name) in KINDS {
            if !self.bars.iter().any(|b| b.kind == kind) {
                continue;
            }
            area.draw(&Rectangle::new(
                [(x, cy - box_side / 2), (x + box_side, cy + box_side / 2)],
                style::kind_color(kind).filled(),
            ))?;
            x += box_side + theme.px(10.0);
            text.draw(area, name, (x, cy))?;
            x += text.measure(name).0 + theme.px(32.0);
        }
        Ok(top + text.line_height() + theme.px(16.0))
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
