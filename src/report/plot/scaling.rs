//! `scaling`: how the cost of `corridor run` grows with the work (`scaling.csv` of
//! `benches/scaling.py`). One panel per experiment (horizon, replications, threads,
//! network nodes) in a grid: wall time and simulation time on the left axis, peak
//! memory on the right axis, and a dotted reference line growing in proportion to the
//! work from the first simulation time (for threads: falling as one over the threads).
//! Axes are logarithmic where the values span a factor of ten or more.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{self, Axis, Frame, log_label, log_ticks};
use super::layers::{self, Dash, Layer, Shape};
use super::overlay::{Legend, Sample};
use super::results::bench::ScalingRow;
use super::style::{self, Area, Drawn, INK, MUTED, SERIES, Theme, size};

/// Experiments in panel order, with their titles and x axis titles.
const EXPERIMENTS: [(&str, &str, &str); 4] = [
    ("horizon", "Horizon", "Simulated years"),
    ("replications", "Replications", "Replications"),
    ("threads", "Threads", "Threads"),
    ("nodes", "Network size", "Network nodes"),
];

const WALL: RGBColor = SERIES[0];
const SIMULATION: RGBColor = SERIES[1];
const MEMORY: RGBColor = SERIES[2];

/// The scaling chart's data.
#[derive(Debug)]
pub(super) struct ScalingChart {
    panels: Vec<Panel>,
}

#[derive(Debug)]
struct Panel {
    experiment: String,
    /// Measurements by increasing x.
    rows: Vec<ScalingRow>,
}

/// One axis of a panel: log10 or linear.
#[derive(Clone, Copy)]
struct Scale {
    log: bool,
}

impl Scale {
    /// Log if the positive values span a factor of ten or more.
    fn of(values: &[f64]) -> Scale {
        let pos: Vec<f64> = values.iter().copied().filter(|v| *v > 0.0).collect();
        let lo = pos.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = pos.iter().copied().fold(0.0, f64::max);
        Scale {
            log: !pos.is_empty() && hi / lo >= 10.0,
        }
    }

    /// The plotted value, `None` if a log axis cannot show it.
    fn at(self, v: f64) -> Option<f64> {
        match (self.log, v > 0.0 && v.is_finite()) {
            (true, true) => Some(v.log10()),
            (true, false) => None,
            (false, _) => v.is_finite().then_some(v),
        }
    }
}

impl ScalingChart {
    /// The panels of `rows`: the known experiments in their order, then any other.
    pub(super) fn new(rows: &[ScalingRow]) -> ScalingChart {
        let mut names: Vec<&str> = EXPERIMENTS
            .iter()
            .map(|e| e.0)
            .filter(|e| rows.iter().any(|r| r.experiment == *e))
            .collect();
        for r in rows {
            if !names.contains(&r.experiment.as_str()) {
                names.push(&r.experiment);
            }
        }
        let panels = names
            .into_iter()
            .map(|name| {
                let mut own: Vec<ScalingRow> = rows
                    .iter()
                    .filter(|r| r.experiment == name)
                    .cloned()
                    .collect();
                own.sort_by(|a, b| a.x.total_cmp(&b.x));
                Panel {
                    experiment: name.to_string(),
                    rows: own,
                }
            })
            .collect();
        ScalingChart { panels }
    }

    /// Draws the chart.
    pub(super) fn draw<DB: DrawingBackend>(&self, area: &Area<DB>, theme: &Theme) -> Drawn {
        let subtitle = "Cost of corridor run as the work grows: wall time of the whole \
            process and time spent simulating (left axis, seconds), and peak resident \
            memory (right axis, MB). Log scales where values span a factor of ten or more. \
            The dotted line grows in proportion to the work from the first simulation time \
            (for threads: falls as one over the threads, perfect speed-up).";
        let mut top = style::header(area, theme, "Scaling: time and memory", subtitle)?;
        let legend = Legend {
            rows: vec![
                (
                    Sample {
                        marker: Some((Shape::Disc, WALL)),
                        ..Sample::line(WALL, Dash::Solid)
                    },
                    "wall time (s)".into(),
                ),
                (
                    Sample {
                        marker: Some((Shape::Square, SIMULATION)),
                        ..Sample::line(SIMULATION, Dash::Solid)
                    },
                    "simulation time (s)".into(),
                ),
                (
                    Sample {
                        marker: Some((Shape::Diamond, MEMORY)),
                        ..Sample::line(MEMORY, Dash::Dashed)
                    },
                    "peak memory (MB, right axis)".into(),
                ),
                (
                    Sample::line(MUTED, Dash::Dotted),
                    "proportional to the work".into(),
                ),
            ],
        };
        let m = theme.margin();
        let columns = legend.columns(theme, theme.width - 2 * m);
        legend.draw(
            area,
            theme,
            (m - theme.px(14.0), top - theme.px(10.0)),
            columns,
            false,
        )?;
        top += legend.size(theme, columns).1 - theme.px(6.0);

        let n = self.panels.len().max(1);
        let cols = if n > 1 { 2 } else { 1 };
        let grid_rows = n.div_ceil(cols) as i32;
        let gap = theme.px(36.0);
        let cell_w = (theme.width - 2 * m - gap * (cols as i32 - 1)) / cols as i32;
        let cell_h = (theme.height - m - top - gap * (grid_rows - 1)) / grid_rows;
        for (i, panel) in self.panels.iter().enumerate() {
            let (c, r) = ((i % cols) as i32, (i / cols) as i32);
            let x0 = m + c * (cell_w + gap);
            let y0 = top + r * (cell_h + gap);
            panel.draw(area, theme, (x0, y0, cell_w, cell_h))?;
        }
        Ok(())
    }
}

impl Panel {
    /// Draws the panel in the cell at `(x0, y0)` of `w` × `h` pixels.
    fn draw<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        theme: &Theme,
        (x0, y0, w, h): (i32, i32, i32, i32),
    ) -> Drawn {
        let (title, x_title) = EXPERIMENTS
            .iter()
            .find(|e| e.0 == self.experiment)
            .map_or((self.experiment.as_str(), "x"), |e| (e.1, e.2));
        let xs: Vec<f64> = self.rows.iter().map(|r| r.x).collect();
        let times: Vec<f64> = self
            .rows
            .iter()
            .flat_map(|r| [r.wall_s, r.simulation_s])
            .collect();
        let sx = Scale::of(&xs);
        let sy = Scale::of(&times);
        let reference = self.reference(sx);
        let (x_ticks, x_label) = axis_ticks(sx, &xs, 6);
        let mut all_times = times.clone();
        all_times.extend(reference.iter().map(|p| p.1));
        let (y_ticks, y_label) = axis_ticks(sy, &all_times, 4);
        let mems: Vec<f64> = self.rows.iter().map(|r| r.peak_mb).collect();
        let mem_hi = mems.iter().copied().fold(0.0, f64::max);
        let mem_ticks = style::ticks(0.0, mem_hi.max(1.0), 4);
        let mem_decimals = mem_ticks.decimals;
        let mem_label = move |v: f64| style::number(v, mem_decimals);
        let x_axis = Axis {
            ticks: x_ticks,
            label: &x_label,
            title: x_title,
        };
        let y_axis = Axis {
            ticks: y_ticks,
            label: &y_label,
            title: "Time (s)",
        };
        let mem_axis = Axis {
            ticks: mem_ticks,
            label: &mem_label,
            title: "Peak memory (MB)",
        };
        let heading = theme
            .text(size::AXIS, INK)
            .bold()
            .anchor(HPos::Left, VPos::Top);
        heading.draw(area, title, (x0, y0))?;
        let x_span = x_axis.ticks.hi - x_axis.ticks.lo;
        let frame = Frame {
            left: x0 + axes::y_axis_width(theme, &y_axis),
            top: y0 + heading.line_height() + theme.px(16.0),
            right: x0 + w - axes::y_axis_width(theme, &mem_axis),
            bottom: y0 + h - axes::x_axis_height(theme),
            x: (
                x_axis.ticks.lo - 0.04 * x_span,
                x_axis.ticks.hi + 0.04 * x_span,
            ),
            y: (y_axis.ticks.lo, y_axis.ticks.hi),
        };
        let mem_frame = Frame {
            y: (mem_axis.ticks.lo, mem_axis.ticks.hi),
            ..frame
        };
        if sx.log {
            axes::draw_log_minor_grid(area, &frame, true)?;
        }
        if sy.log {
            axes::draw_log_minor_grid(area, &frame, false)?;
        }
        axes::draw_x_axis(area, theme, &frame, &x_axis)?;
        axes::draw_y_axis(area, theme, &frame, &y_axis)?;
        axes::draw_y_axis_right(area, theme, &mem_frame, &mem_axis)?;
        axes::draw_axis_lines(area, theme, &frame)?;
        let series = |f: &dyn Fn(&ScalingRow) -> f64, y: Scale| -> Vec<(f64, f64)> {
            self.rows
                .iter()
                .filter_map(|r| Some((sx.at(r.x)?, y.at(f(r))?)))
                .collect()
        };
        let linear = Scale { log: false };
        let memory = series(&|r| r.peak_mb, linear);
        layers::draw(
            area,
            theme,
            &mem_frame,
            &[
                Layer::Line {
                    points: memory.clone(),
                    color: MEMORY,
                    width: 2.5,
                    dash: Dash::Dashed,
                },
                Layer::markers(memory, Shape::Diamond, MEMORY),
            ],
        )?;
        let reference: Vec<(f64, f64)> = reference
            .iter()
            .filter_map(|(x, y)| Some((sx.at(*x)?, sy.at(*y)?)))
            .collect();
        let wall = series(&|r| r.wall_s, sy);
        let simulation = series(&|r| r.simulation_s, sy);
        layers::draw(
            area,
            theme,
            &frame,
            &[
                Layer::guide(reference, MUTED, Dash::Dotted),
                Layer::line(wall.clone(), WALL),
                Layer::line(simulation.clone(), SIMULATION),
                Layer::markers(wall, Shape::Disc, WALL),
                Layer::markers(simulation, Shape::Square, SIMULATION),
            ],
        )
    }

    /// The reference line in data units: proportional to x through the first
    /// simulation time (threads: inversely proportional), sampled along x.
    fn reference(&self, sx: Scale) -> Vec<(f64, f64)> {
        let Some(first) = self.rows.iter().find(|r| r.simulation_s > 0.0 && r.x > 0.0) else {
            return Vec::new();
        };
        let last = self.rows.last().map_or(first.x, |r| r.x);
        let inverse = self.experiment == "threads";
        (0..=24)
            .map(|k| {
                let t = k as f64 / 24.0;
                let x = if sx.log {
                    10f64.powf(first.x.log10() + t * (last.log10() - first.x.log10()))
                } else {
                    first.x + t * (last - first.x)
                };
                let ratio = if inverse { first.x / x } else { x / first.x };
                (x, first.simulation_s * ratio)
            })
            .collect()
    }
}

/// Ticks and tick labels of an axis over `values`: whole decades on a log axis; from 0
/// (or whole numbers if all values are whole) on a linear one.
fn axis_ticks(
    scale: Scale,
    values: &[f64],
    target: usize,
) -> (style::Ticks, Box<dyn Fn(f64) -> String>) {
    let pos = values.iter().copied().filter(|v| v.is_finite());
    if scale.log {
        let pos: Vec<f64> = pos.filter(|v| *v > 0.0).collect();
        let lo = pos.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = pos.iter().copied().fold(0.0, f64::max);
        return (log_ticks(lo, hi), Box::new(log_label));
    }
    let vals: Vec<f64> = pos.collect();
    let lo = vals.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = vals.iter().copied().fold(0.0, f64::max);
    let whole = !vals.is_empty() && vals.iter().all(|v| v.fract() == 0.0) && lo >= 1.0;
    let ticks = if whole {
        let span = (hi - lo).max(1.0);
        style::ticks(lo, hi.max(lo + 1.0), (span as usize).clamp(1, target))
    } else {
        style::ticks(0.0, hi.max(f64::MIN_POSITIVE), target)
    };
    let decimals = ticks.decimals;
    (ticks, Box::new(move |v| style::number(v, decimals)))
}
