//! Where notes and the legend go: candidate spots inside the plot are scored by the
//! pixels of drawn data they would cover (sampled along lines and across bands), then
//! by their distance to what they describe.

use plotters::prelude::*;

use super::super::labels::Rect;
use super::super::style::Theme;
use super::{Layer, Plot};

/// Finds spots for boxes inside the plot that cover few data pixels and no box
/// already placed.
pub(super) struct Placer {
    bounds: Rect,
    /// Pixels of drawn data (strips count for less: they only shade).
    data: Vec<(f64, f64, u32)>,
    pub(super) taken: Vec<Rect>,
    s: f64,
}

impl Placer {
    pub(super) fn new<DB: DrawingBackend>(
        chart: &Plot<DB>,
        theme: &Theme,
        layers: &[Layer],
    ) -> Placer {
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        let inset = theme.pxf(6.0);
        let bounds = Rect {
            x0: xr.start as f64 + inset,
            y0: yr.start as f64 + inset,
            x1: xr.end as f64 - inset,
            y1: yr.end as f64 - inset,
        };
        let px = |p: (f64, f64)| {
            let c = chart.backend_coord(&p);
            (c.0 as f64, c.1 as f64)
        };
        let step = theme.pxf(4.0).max(1.0);
        let mut data = Vec::new();
        let path = |pts: &[(f64, f64)], weight: u32, data: &mut Vec<(f64, f64, u32)>| {
            for w in pts.windows(2) {
                let (a, b) = (px(w[0]), px(w[1]));
                let n = ((b.0 - a.0).hypot(b.1 - a.1) / step).ceil().min(2000.0) as usize;
                for k in 0..=n {
                    let t = k as f64 / n.max(1) as f64;
                    data.push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1), weight));
                }
            }
        };
        for layer in layers {
            match layer {
                Layer::Band { points, .. } => {
                    for &(x, lo, hi) in points {
                        path(&[(x, lo), (x, hi)], 10, &mut data);
                    }
                }
                Layer::Strip { x, .. } => {
                    let (y0, y1) = (chart.y_range().start, chart.y_range().end);
                    for k in 0..=20 {
                        let y = y0 + (y1 - y0) * f64::from(k) / 20.0;
                        path(&[(x.0, y), (x.1, y)], 1, &mut data);
                    }
                }
                Layer::Line { points, .. } => path(points, 10, &mut data),
                Layer::Markers { points, .. } => {
                    data.extend(points.iter().map(|p| (px(*p).0, px(*p).1, 40)));
                }
            }
        }
        Placer {
            bounds,
            data,
            taken: Vec::new(),
            s: theme.s,
        }
    }

    /// The data weight under `r`, or `None` if `r` is not free.
    fn cost(&self, r: &Rect) -> Option<u32> {
        if !self.bounds.contains(r) || self.taken.iter().any(|t| t.overlaps(r)) {
            return None;
        }
        let pad = 6.0 * self.s;
        let grown = Rect::centred(
            ((r.x0 + r.x1) / 2.0, (r.y0 + r.y1) / 2.0),
            r.w() + pad,
            r.h() + pad,
        );
        Some(
            self.data
                .iter()
                .filter(|p| grown.contains_point((p.0, p.1)))
                .map(|p| p.2)
                .sum(),
        )
    }

    /// Takes the cheapest of `candidates` (scored by data covered, then `extra`).
    /// Returns the spot and its data weight.
    fn take(&mut self, candidates: impl Iterator<Item = (Rect, f64)>) -> Option<(Rect, u32)> {
        let best = candidates
            .filter_map(|(r, extra)| {
                let cost = self.cost(&r)?;
                Some((r, cost, f64::from(cost) * 4.0 + extra))
            })
            .min_by(|a, b| a.2.total_cmp(&b.2))?;
        self.taken.push(best.0);
        Some((best.0, best.1))
    }

    /// A `w` × `h` spot near `anchor`, in eight directions at growing distances.
    pub(super) fn near(&mut self, anchor: (f64, f64), w: f64, h: f64) -> Option<(Rect, u32)> {
        let s = self.s;
        let spots = [8.0, 30.0, 60.0, 100.0, 160.0, 240.0, 340.0]
            .into_iter()
            .flat_map(move |d| {
                (0..8).map(move |k| {
                    let a = std::f64::consts::FRAC_PI_4 * f64::from(k);
                    let (dx, dy) = (a.cos() * d * s, -a.sin() * d * s);
                    // The box's edge (or corner) nearest the anchor sits at the offset.
                    let cx = anchor.0
                        + dx
                        + dx.signum() * w / 2.0 * f64::from(u8::from(dx.abs() > 1e-6));
                    let cy = anchor.1
                        + dy
                        + dy.signum() * h / 2.0 * f64::from(u8::from(dy.abs() > 1e-6));
                    (Rect::centred((cx, cy), w, h), d * s + f64::from(k))
                })
            });
        self.take(spots)
    }

    /// A `w` × `h` spot nearest a corner (upper left first), stepping inwards.
    pub(super) fn corner(&mut self, w: f64, h: f64) -> Option<(Rect, u32)> {
        let b = self.bounds;
        let (sx, sy) = ((b.w() - w).max(0.0) / 12.0, (b.h() - h).max(0.0) / 12.0);
        let spots = (0..4).flat_map(move |c| {
            (0..=12).flat_map(move |i| {
                (0..=12).map(move |j| {
                    let x = if c % 3 == 0 {
                        b.x0 + sx * f64::from(i)
                    } else {
                        b.x1 - w - sx * f64::from(i)
                    };
                    let y = if c < 2 {
                        b.y0 + sy * f64::from(j)
                    } else {
                        b.y1 - h - sy * f64::from(j)
                    };
                    let r = Rect {
                        x0: x,
                        y0: y,
                        x1: x + w,
                        y1: y + h,
                    };
                    (r, 8.0 * f64::from(i + j) + f64::from(c))
                })
            })
        });
        self.take(spots)
    }
}
