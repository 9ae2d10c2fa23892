//! `peers`: the speed of corridor beside peer simulators on the reference models
//! (`peers.csv` of `benches/peers.py`): horizontal bars of trains simulated per second
//! on a log axis, grouped by model, each with its ratio to SimPy at the end.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{self, Axis, Frame, log_label, log_ticks};
use super::results::bench::PeerRow;
use super::style::{self, Area, Drawn, INK, MUTED, SERIES, Theme, size};

/// The peers chart's data.
#[derive(Debug)]
pub(super) struct PeersChart {
    /// Models in order of first appearance, each with its rows.
    groups: Vec<(String, Vec<PeerRow>)>,
    /// Tool families in colour order (`corridor`, `simpy`, ...).
    families: Vec<String>,
}

/// The family of a tool: its name without the version (`simpy-4.1.2` → `simpy`).
fn family(tool: &str) -> String {
    tool.split([' ', '-'])
        .next()
        .unwrap_or(tool)
        .to_ascii_lowercase()
}

impl PeersChart {
    /// The chart of `rows`.
    pub(super) fn new(rows: &[PeerRow]) -> PeersChart {
        let mut groups: Vec<(String, Vec<PeerRow>)> = Vec::new();
        let mut families = vec!["corridor".to_string(), "simpy".to_string()];
        for r in rows {
            match groups.iter_mut().find(|(m, _)| *m == r.model) {
                Some((_, g)) => g.push(r.clone()),
                None => groups.push((r.model.clone(), vec![r.clone()])),
            }
            let f = family(&r.tool);
            if !families.contains(&f) {
                families.push(f);
            }
        }
        PeersChart { groups, families }
    }

    fn color(&self, tool: &str) -> RGBColor {
        let f = family(tool);
        let i = self.families.iter().position(|x| *x == f).unwrap_or(0);
        SERIES[i % SERIES.len()]
    }

    /// Draws the chart.
    pub(super) fn draw<DB: DrawingBackend>(&self, area: &Area<DB>, theme: &Theme) -> Drawn {
        let runs: Vec<u64> = self
            .groups
            .iter()
            .flat_map(|(_, g)| g.iter().map(|r| r.runs))
            .collect();
        let runs = match (runs.iter().min(), runs.iter().max()) {
            (Some(1), Some(1)) => "one run each".to_string(),
            (Some(a), Some(b)) if a == b => format!("median of {a} runs each"),
            _ => "medians of several runs".to_string(),
        };
        let subtitle = format!(
            "Block trains simulated per second on the reference models ({runs}, one \
             thread, simulation time only), on a log scale: longer is faster. The ratio \
             to SimPy on the same model follows each bar."
        );
        let top = style::header(area, theme, "Speed beside peer simulators", &subtitle)?;
        let values: Vec<f64> = self
            .groups
            .iter()
            .flat_map(|(_, g)| g.iter().map(|r| r.trains_per_s_median))
            .collect();
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(0.0, f64::max);
        let ticks = log_ticks(lo, hi);
        let axis = Axis {
            ticks,
            label: &log_label,
            title: "Block trains simulated per second (log scale)",
        };
        let m = theme.margin();
        let label = theme
            .text(size::LABEL, INK)
            .anchor(HPos::Right, VPos::Center);
        let group_text = theme
            .text(size::AXIS, INK)
            .bold()
            .anchor(HPos::Left, VPos::Center);
        let label_w = self
            .groups
            .iter()
            .flat_map(|(_, g)| g.iter().map(|r| label.measure(&r.tool).0))
            .max()
            .unwrap_or(0);
        let value_text = theme
            .text(size::LABEL, MUTED)
            .anchor(HPos::Left, VPos::Center);
        // Group headings take a smaller slot than bars.
        const HEADING: f64 = 0.7;
        let slots: f64 = self
            .groups
            .iter()
            .map(|(_, g)| g.len() as f64 + HEADING)
            .sum();
        let left = m + label_w + theme.px(16.0);
        // The plot reaches as far right as the longest bar's text allows.
        let (lo, hi) = (axis.ticks.lo, axis.ticks.hi);
        let last_tick = value_text.measure(&log_label(hi)).0 / 2;
        let mut right = theme.width - m - last_tick;
        for (_, g) in &self.groups {
            for r in g {
                let f = ((r.trains_per_s_median.log10() - lo) / (hi - lo)).clamp(1e-3, 1.0);
                let room =
                    theme.width - m - theme.px(10.0) - value_text.measure(&self.end_text(g, r)).0;
                right = right.min(left + ((room - left) as f64 / f) as i32);
            }
        }
        let frame = Frame {
            left,
            top: top + theme.px(8.0),
            right,
            bottom: theme.height - m - axes::x_axis_height(theme),
            x: (lo, hi),
            y: (0.0, slots),
        };
        axes::draw_log_minor_grid(area, &frame, true)?;
        axes::draw_x_axis(area, theme, &frame, &axis)?;
        axes::draw_axis_lines(area, theme, &frame)?;
        let slot = frame.height() as f64 / slots;
        let half = (slot * 0.34).clamp(2.0, theme.pxf(34.0));
        let mut y = frame.top as f64;
        for (model, group) in &self.groups {
            let heading = match model.as_str() {
                "jackson3" => "jackson3: three M/M/c stations in tandem".to_string(),
                "ferry" => "ferry: a timetabled batch crossing".to_string(),
                _ => model.clone(),
            };
            // The heading runs over the axis, on white.
            let (w, h) = group_text.measure(&heading);
            let cy = (y + HEADING * slot * 0.6).round() as i32;
            let pad = theme.px(8.0);
            area.draw(&Rectangle::new(
                [(m - pad, cy - h / 2 - pad), (m + w + pad, cy + h / 2 + pad)],
                WHITE.filled(),
            ))?;
            group_text.draw(area, &heading, (m, cy))?;
            y += HEADING * slot;
            for r in group {
                let yc = y + 0.5 * slot;
                let x1 = frame.x(r.trains_per_s_median.log10());
                area.draw(&Rectangle::new(
                    [
                        (frame.left, (yc - half).round() as i32),
                        (x1.max(frame.left + 1), (yc + half).round() as i32),
                    ],
                    self.color(&r.tool).filled(),
                ))?;
                let yi = yc.round() as i32;
                label.draw(area, &r.tool, (frame.left - theme.px(12.0), yi))?;
                value_text.draw(area, &self.end_text(group, r), (x1 + theme.px(10.0), yi))?;
                y += slot;
            }
        }
        Ok(())
    }

    /// "3,128,709 trains/s, 73.8× SimPy" (without the ratio if the model has no SimPy
    /// row).
    fn end_text(&self, group: &[PeerRow], r: &PeerRow) -> String {
        let speed = format!("{} trains/s", style::number(r.trains_per_s_median, 0));
        let simpy = group.iter().find(|p| family(&p.tool) == "simpy");
        match simpy {
            Some(s) if std::ptr::eq(s, r) => format!("{speed} (the SimPy reference)"),
            Some(s) if s.trains_per_s_median > 0.0 => {
                let ratio = r.trains_per_s_median / s.trains_per_s_median;
                let decimals = if ratio >= 100.0 { 0 } else { 1 };
                format!("{speed}, {}× SimPy", style::number(ratio, decimals))
            }
            _ => speed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tools_are_grouped_by_family() {
        assert_eq!(family("simpy-4.1.2"), "simpy");
        assert_eq!(family("corridor 0.1.0"), "corridor");
        assert_eq!(family("Ciw 3.2.7"), "ciw");
    }
}
