//! `compare`: paired differences against the base scenario (`compare.json`) as a
//! forest plot. Three panels side by side (delivered trains per week, mean transit,
//! p95 transit) share one row per flow, all flows first; each alternative gets a dot
//! at its mean difference with a whisker over the 95% interval, filled and bold where
//! the interval excludes zero.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::chart::{self, Axis, Marker, Shape};
use super::results::experiment::{Comparison, Difference, FlowComparison};
use super::style::{self, Area, Drawn, INK, MUTED, SERIES, Theme, size};

/// The three measures, with their panel titles and units.
const MEASURES: [(&str, &str); 3] = [
    ("Delivered trains per week", "difference (trains/week)"),
    ("Mean transit time", "difference (days)"),
    ("p95 transit time", "difference (days)"),
];

/// Light shading of every other row.
const STRIPE: RGBColor = RGBColor(245, 245, 245);

/// The comparison chart's data.
#[derive(Debug)]
pub(super) struct CompareChart {
    base: String,
    replications: u64,
    /// Alternative names, in colour order.
    alternatives: Vec<String>,
    /// Rows: a flow id (or `all`) and, per alternative, its three differences.
    rows: Vec<Row>,
    /// Flows in only one of the two scenarios of some alternative.
    unmatched: Vec<String>,
}

#[derive(Debug)]
struct Row {
    flow: String,
    /// Per alternative: the differences of the three measures, if the flow is there.
    cells: Vec<Option<[Difference; 3]>>,
}

fn measures(f: &FlowComparison) -> [Difference; 3] {
    [
        f.delivered_trains_per_week,
        f.transit_mean_days,
        f.transit_p95_days,
    ]
}

impl CompareChart {
    /// The chart of `data`.
    pub(super) fn new(data: &Comparison) -> CompareChart {
        let n = data.alternatives.len();
        let mut rows = vec![Row {
            flow: "all flows".into(),
            cells: data
                .alternatives
                .iter()
                .map(|a| Some(measures(&a.overall)))
                .collect(),
        }];
        for (k, alt) in data.alternatives.iter().enumerate() {
            for f in &alt.flows {
                let i = match rows.iter().skip(1).position(|r| r.flow == f.flow) {
                    Some(i) => i + 1,
                    None => {
                        rows.push(Row {
                            flow: f.flow.clone(),
                            cells: vec![None; n],
                        });
                        rows.len() - 1
                    }
                };
                rows[i].cells[k] = Some(measures(f));
            }
        }
        let mut unmatched: Vec<String> = data
            .alternatives
            .iter()
            .flat_map(|a| a.unmatched_flows.iter().cloned())
            .collect();
        unmatched.sort();
        unmatched.dedup();
        CompareChart {
            base: data.base.clone(),
            replications: data.replications,
            alternatives: data
                .alternatives
                .iter()
                .map(|a| a.scenario.clone())
                .collect(),
            rows,
            unmatched,
        }
    }

    /// Draws the chart.
    pub(super) fn draw<DB: DrawingBackend>(&self, area: &Area<DB>, theme: &Theme) -> Drawn {
        let title = match self.alternatives.as_slice() {
            [one] => format!("{one} against {}", self.base),
            _ => format!("Alternatives against {}", self.base),
        };
        let title = format!(
            "{title}, {} paired",
            style::plural(self.replications, "replication")
        );
        let row_text = theme.text(size::LABEL, INK);
        let m = theme.margin();
        let legend_h = row_text.line_height() + theme.px(18.0);
        let panel_title_h = row_text.line_height() + theme.px(14.0);
        // Rows that fit at one text line plus a little each.
        let min_slot = row_text.line_height() + theme.px(6.0);
        let available =
            theme.height - m - chart::x_area(theme) - legend_h - panel_title_h - theme.px(200.0);
        let fit = (available / min_slot.max(1)).max(2) as usize;
        let shown = self.rows.len().min(fit);
        let mut subtitle = String::from(
            "Alternative minus base, paired by common random numbers: mean difference \
             over the replications with its 95% confidence interval (the whisker). \
             Filled dots and bold whiskers: the interval excludes zero (significant).",
        );
        if shown < self.rows.len() {
            subtitle.push_str(&format!(
                " Showing all flows and {} of {} flows.",
                shown - 1,
                self.rows.len() - 1
            ));
        }
        if !self.unmatched.is_empty() {
            subtitle.push_str(&format!(
                " In one scenario only: {}.",
                self.unmatched.join(", ")
            ));
        }
        let mut top = style::header(area, theme, &title, &subtitle)?;
        top = self.draw_legend(area, theme, top)? + panel_title_h;
        let rows = &self.rows[..shown];
        let label_w = rows
            .iter()
            .map(|r| row_text.bold().measure(&r.flow).0)
            .max()
            .unwrap_or(0);
        let left = m + label_w + theme.px(18.0);
        // Row stripes and labels across the whole width, where `chart::frame` puts the
        // plots.
        let (y0, y1) = (
            top + theme.px(12.0),
            theme.height - m - chart::x_area(theme),
        );
        let slot = f64::from(y1 - y0) / rows.len() as f64;
        for (i, row) in rows.iter().enumerate() {
            let ya = y0 + (i as f64 * slot).round() as i32;
            let yb = y0 + ((i + 1) as f64 * slot).round() as i32;
            if i % 2 == 0 {
                style::fill_rect(area, (m, ya), (theme.width - m, yb), STRIPE.into())?;
            }
            let t = if i == 0 { row_text.bold() } else { row_text };
            let t = t.anchor(HPos::Right, VPos::Center);
            t.draw(area, &row.flow, (left - theme.px(18.0), (ya + yb) / 2))?;
        }
        let (_, panels) = area.split_horizontally(left - m);
        for (k, panel) in panels.split_evenly((1, 3)).iter().enumerate() {
            self.draw_panel((area, panel), theme, top, rows, k)?;
        }
        Ok(())
    }

    /// One panel: its title, axis, zero line and the whiskers of measure `k`.
    fn draw_panel<DB: DrawingBackend>(
        &self,
        (area, panel): (&Area<DB>, &Area<DB>),
        theme: &Theme,
        top: i32,
        rows: &[Row],
        k: usize,
    ) -> Drawn {
        let (name, unit) = MEASURES[k];
        let diffs = rows
            .iter()
            .flat_map(|r| r.cells.iter().flatten().map(move |c| c[k]));
        let (lo, hi) = diffs
            .flat_map(|d| {
                let m = d.difference.value();
                let (a, b) = d
                    .difference
                    .interval()
                    .or(m.map(|m| (m, m)))
                    .unwrap_or((0.0, 0.0));
                [a, b]
            })
            .fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
        // At most four ticks, fewer where their labels would run together.
        let label = theme.text(size::LABEL, INK);
        let room = 0.8 * f64::from(panel.dim_in_pixel().0);
        let fits = |t: &style::Ticks| {
            let widest = t
                .values
                .iter()
                .map(|&v| label.measure(&signed(v, t.decimals)).0);
            let widest = f64::from(widest.max().unwrap_or(0)) + theme.pxf(24.0);
            widest * t.values.len() as f64 <= room
        };
        let ticks = (1..=4)
            .rev()
            .map(|target| style::ticks(lo, hi, target))
            .find(fits)
            .unwrap_or_else(|| style::ticks(lo, hi, 1));
        // A little room beyond the end ticks, so that no dot sits on the panel edge.
        let span = ticks.hi - ticks.lo;
        let x_range = (ticks.lo - 0.04 * span, ticks.hi + 0.04 * span);
        let decimals = ticks.decimals;
        let x_axis = Axis::new(ticks, unit, move |v| signed(v, decimals));
        // Values get about two more significant digits than the ticks.
        let value_decimals = (2 - span.log10().floor() as i32).max(0) as usize;
        let mut y_ticks = style::ticks(0.0, 1.0, 1);
        y_ticks.values.clear();
        let y_axis = Axis::new(y_ticks, "", |_| String::new());
        let n = rows.len() as f64;
        let mut chart = chart::frame(
            panel,
            theme,
            top,
            (&x_axis, &y_axis),
            (x_range, (0.0, n)),
            false,
        )?;
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        let title = theme
            .text(size::AXIS, INK)
            .bold()
            .anchor(HPos::Center, VPos::Bottom);
        title.draw(
            area,
            name,
            ((xr.start + xr.end) / 2, yr.start - theme.px(14.0)),
        )?;
        let zero = ShapeStyle::from(INK).stroke_width(theme.px(2.0).max(1) as u32);
        chart.draw_series([PathElement::new([(0.0, 0.0), (0.0, n)], zero)])?;
        let n_alt = self.alternatives.len();
        let value_text = theme.text(size::SMALL, MUTED);
        for (i, row) in rows.iter().enumerate() {
            for (a, cell) in row.cells.iter().enumerate() {
                let Some(d) = cell.map(|c| c[k]) else {
                    continue;
                };
                let Some(mean) = d.difference.value() else {
                    continue;
                };
                // Alternatives spread over the middle 60% of the slot.
                let offset = if n_alt > 1 {
                    (a as f64 / (n_alt - 1) as f64 - 0.5) * 0.6
                } else {
                    0.0
                };
                let y = n - i as f64 - 0.5 - offset;
                let color = SERIES[a % SERIES.len()];
                let (w, cap) = if d.significant {
                    (theme.px(3.5).max(2) as u32, 0.11)
                } else {
                    (theme.px(1.8).max(1) as u32, 0.07)
                };
                let style = ShapeStyle::from(color).stroke_width(w);
                let (mut left_end, mut right_end) = (mean, mean);
                if let Some((a0, b0)) = d.difference.interval() {
                    chart::whisker(&mut chart, (a0, b0), y, cap, style)?;
                    (left_end, right_end) = (a0.min(mean), b0.max(mean));
                }
                let shape = if d.significant {
                    Shape::Disc
                } else {
                    Shape::Ring
                };
                let (r, halo) = (theme.px(7.5), theme.px(2.0));
                chart.draw_series([Marker {
                    at: (mean, y),
                    shape,
                    color,
                    r,
                    halo,
                }])?;
                if n_alt == 1 {
                    let s = signed(mean, value_decimals);
                    let (tw, _) = value_text.measure(&s);
                    let pad = theme.px(12.0);
                    let (l, yp) = chart.backend_coord(&(left_end, y));
                    let (r, _) = chart.backend_coord(&(right_end, y));
                    // On the side away from zero, unless it does not fit there.
                    let right_fits = r + pad + tw <= xr.end;
                    let left_fits = l - pad - tw >= xr.start;
                    let right = if mean >= 0.0 {
                        right_fits || !left_fits
                    } else {
                        !left_fits
                    };
                    if right {
                        value_text.draw(area, &s, (r + pad, yp))?;
                    } else {
                        let t = value_text.anchor(HPos::Right, VPos::Center);
                        t.draw(area, &s, (l - pad, yp))?;
                    }
                }
            }
        }
        Ok(())
    }

    /// One line naming the marker styles and, with several alternatives, their
    /// colours; returns the y below it.
    fn draw_legend<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        theme: &Theme,
        top: i32,
    ) -> Result<i32, style::DrawError> {
        let text = theme.text(size::LABEL, INK);
        let cy = top + text.line_height() / 2;
        let mut x = theme.margin() + theme.px(10.0);
        let mut items: Vec<(Shape, RGBColor, String)> = Vec::new();
        if self.alternatives.len() > 1 {
            for (a, name) in self.alternatives.iter().enumerate() {
                items.push((
                    Shape::Disc,
                    SERIES[a % SERIES.len()],
                    format!("{name} − base"),
                ));
            }
        }
        let color = if self.alternatives.len() > 1 {
            MUTED
        } else {
            SERIES[0]
        };
        items.push((Shape::Disc, color, "significant".into()));
        items.push((
            Shape::Ring,
            color,
            "not significant (interval includes 0)".into(),
        ));
        let (r, halo) = (theme.px(7.5), theme.px(2.0));
        for (shape, color, name) in items {
            area.draw(&Marker {
                at: (x, cy),
                shape,
                color,
                r,
                halo,
            })?;
            x += theme.px(18.0);
            text.draw(area, &name, (x, cy))?;
            x += text.measure(&name).0 + theme.px(36.0);
        }
        Ok(top + text.line_height() + theme.px(18.0))
    }
}

/// `v` with a sign: "+1.5", "-0.3", "0".
fn signed(v: f64, decimals: usize) -> String {
    let s = style::number(v, decimals);
    if v > 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{s}")
    } else {
        s
    }
}
