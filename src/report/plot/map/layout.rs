//! Where the map's panels go: the overview, the enlarged crowded cluster if any, and
//! the legend; the projection of each panel.

use super::super::labels::Rect;
use super::super::style::{INK, Theme, size};
use super::MapChart;

/// The enlarged panel shows its nodes at least this many times larger than the
/// overview.
const MIN_ZOOM: f64 = 2.0;
/// ... and at least this once grown to hold the other nodes in its region.
const GROWN_ZOOM: f64 = 1.5;

impl MapChart {
    /// Where the panels and the legend go.
    pub(super) fn layout(&self, theme: &Theme, top: i32) -> Layout {
        let m = theme.margin() as f64;
        let body = Rect {
            x0: m,
            y0: top as f64 + theme.pxf(4.0),
            x1: theme.width as f64 - m,
            y1: theme.height as f64 - m,
        };
        let legend_w = theme.pxf(330.0);
        let gap = theme.pxf(18.0);
        let pad = theme.pxf(36.0);
        let all = bounds_of(self.nodes.iter().map(|n| (n.u, n.v)));
        let overview_h =
            ((body.w() - 2.0 * pad) * all.h() / all.w() + 2.0 * pad).min(0.46 * body.h());
        let overview_rect = Rect {
            y1: body.y0 + overview_h,
            ..body
        };
        let overview = View::fit(all, overview_rect, pad);
        let crowd = 3.0 * theme.text(size::SMALL, INK).line_height() as f64;
        let detail_rect = Rect {
            x0: body.x0,
            y0: overview_rect.y1 + gap,
            x1: body.x1 - legend_w - gap,
            y1: body.y1,
        };
        let detail_view = |b: Rect| View::fit(grow(b, 0.06), detail_rect, pad);
        let fits = |b: Rect| detail_view(b).scale >= MIN_ZOOM * overview.scale;
        if let Some(cluster) = self.crowded_cluster(&overview, crowd, fits) {
            // The nodes that fall in the enlarged region (Kuryk beside the Caspian
            // cluster) join it if the panel then still enlarges GROWN_ZOOM times, so
            // that they are not cut at its edge; nodes at the new edge are left to the
            // overview (see `View::holds`).
            let shown = detail_view(self.nodes_bounds(&cluster)).bounds();
            let grown: Vec<usize> = (0..self.nodes.len())
                .filter(|&i| shown.contains_point((self.nodes[i].u, self.nodes[i].v)))
                .collect();
            let zoom = |m: &[usize]| detail_view(self.nodes_bounds(m)).scale / overview.scale;
            let members = if zoom(&grown) >= GROWN_ZOOM {
                &grown
            } else {
                &cluster
            };
            return Layout {
                views: vec![overview, detail_view(self.nodes_bounds(members))],
                legend: Rect {
                    x0: body.x1 - legend_w,
                    y0: detail_rect.y0,
                    ..body
                },
            };
        }
        let map_rect = Rect {
            x1: body.x1 - legend_w - gap,
            ..body
        };
        Layout {
            views: vec![View::fit(all, map_rect, pad)],
            legend: Rect {
                x0: body.x1 - legend_w,
                ..body
            },
        }
    }

    /// The bounds of some nodes.
    fn nodes_bounds(&self, members: &[usize]) -> Rect {
        bounds_of(members.iter().map(|&i| (self.nodes[i].u, self.nodes[i].v)))
    }

    /// The nodes to enlarge: groups of crowded nodes (closer than `near` pixels to
    /// another node in `view`), starting with the largest group and adding the
    /// nearest others while `fits` accepts their bounds. `None` without a group of
    /// three or a result of four nodes.
    fn crowded_cluster(
        &self,
        view: &View,
        near: f64,
        fits: impl Fn(Rect) -> bool,
    ) -> Option<Vec<usize>> {
        let n = self.nodes.len();
        let dist = |i: usize, j: usize| {
            let (a, b) = (&self.nodes[i], &self.nodes[j]);
            (a.u - b.u).hypot(a.v - b.v) * view.scale
        };
        let mut group: Vec<usize> = (0..n).collect();
        fn root(group: &mut [usize], mut i: usize) -> usize {
            while group[i] != i {
                group[i] = group[group[i]];
                i = group[i];
            }
            i
        }
        for i in 0..n {
            for j in i + 1..n {
                if dist(i, j) < near {
                    let (ri, rj) = (root(&mut group, i), root(&mut group, j));
                    group[ri.max(rj)] = ri.min(rj);
                }
            }
        }
        let mut groups: Vec<Vec<usize>> = (0..n)
            .map(|r| {
                (0..n)
                    .filter(|&i| root(&mut group, i) == r)
                    .collect::<Vec<_>>()
            })
            .filter(|g| g.len() >= 2)
            .collect();
        // Largest first; ties keep file order.
        groups.sort_by_key(|g| std::cmp::Reverse(g.len()));
        let bounds = |members: &[usize]| self.nodes_bounds(members);
        let mut rest = groups.into_iter();
        let mut chosen = rest.next().filter(|g| g.len() >= 3 && fits(bounds(g)))?;
        let mut rest: Vec<Vec<usize>> = rest.collect();
        while !rest.is_empty() {
            let gap = |g: &Vec<usize>| {
                g.iter()
                    .flat_map(|&i| chosen.iter().map(move |&j| (i, j)))
                    .map(|(i, j)| dist(i, j))
                    .fold(f64::INFINITY, f64::min)
            };
            let k = (0..rest.len())
                .min_by(|&a, &b| gap(&rest[a]).total_cmp(&gap(&rest[b])))
                .expect("not empty");
            let g = rest.remove(k);
            let merged: Vec<usize> = chosen.iter().chain(&g).copied().collect();
            if fits(bounds(&merged)) {
                chosen = merged;
            }
        }
        (chosen.len() >= 4).then_some(chosen)
    }
}

/// Panels and legend of the map.
pub(super) struct Layout {
    /// The overview, then the enlarged cluster if any.
    pub(super) views: Vec<View>,
    pub(super) legend: Rect,
}

/// The bounds of some projected points (at least a unit square around them), as a
/// rectangle in projected coordinates (x = u, y = v).
pub(super) fn bounds_of(points: impl Iterator<Item = (f64, f64)>) -> Rect {
    let mut b = Rect {
        x0: f64::INFINITY,
        y0: f64::INFINITY,
        x1: f64::NEG_INFINITY,
        y1: f64::NEG_INFINITY,
    };
    for (u, v) in points {
        (b.x0, b.x1) = (b.x0.min(u), b.x1.max(u));
        (b.y0, b.y1) = (b.y0.min(v), b.y1.max(v));
    }
    if !b.x0.is_finite() {
        return Rect::centred((0.5, 0.5), 1.0, 1.0);
    }
    let widen = |lo: f64, hi: f64| {
        let extra = (0.5 - (hi - lo) / 2.0).max(0.0);
        (lo - extra, hi + extra)
    };
    (b.x0, b.x1) = widen(b.x0, b.x1);
    (b.y0, b.y1) = widen(b.y0, b.y1);
    b
}

/// `b` widened by `share` of its larger side on every side.
fn grow(b: Rect, share: f64) -> Rect {
    let d = share * b.w().max(b.h());
    Rect {
        x0: b.x0 - d,
        y0: b.y0 - d,
        x1: b.x1 + d,
        y1: b.y1 + d,
    }
}

/// A map panel: a pixel rectangle showing a region at one scale.
#[derive(Clone, Copy, Debug)]
pub(super) struct View {
    pub(super) rect: Rect,
    /// Projected x at the left edge.
    pub(super) u0: f64,
    /// Projected y (latitude) at the top edge.
    pub(super) v1: f64,
    /// Pixels per projected unit (degree of latitude).
    pub(super) scale: f64,
}

impl View {
    /// The largest scale showing `b` inside `rect` less `pad` pixels, centred.
    pub(super) fn fit(b: Rect, rect: Rect, pad: f64) -> View {
        let scale =
            ((rect.w() - 2.0 * pad).max(1.0) / b.w()).min((rect.h() - 2.0 * pad).max(1.0) / b.h());
        let (cu, cv) = ((b.x0 + b.x1) / 2.0, (b.y0 + b.y1) / 2.0);
        View {
            rect,
            u0: cu - rect.w() / scale / 2.0,
            v1: cv + rect.h() / scale / 2.0,
            scale,
        }
    }

    /// Pixel position of a projected point.
    pub(super) fn px(&self, u: f64, v: f64) -> (f64, f64) {
        (
            self.rect.x0 + (u - self.u0) * self.scale,
            self.rect.y0 + (self.v1 - v) * self.scale,
        )
    }

    /// The region shown, in projected coordinates.
    pub(super) fn bounds(&self) -> Rect {
        self.inner(0.0)
    }

    /// The region at least `margin` pixels inside the edge: where a node is drawn
    /// whole (a node nearer the edge of the enlarged panel is left to the overview).
    pub(super) fn inner(&self, margin: f64) -> Rect {
        let m = margin / self.scale;
        Rect {
            x0: self.u0 + m,
            x1: self.u0 + self.rect.w() / self.scale - m,
            y0: self.v1 - self.rect.h() / self.scale + m,
            y1: self.v1 - m,
        }
    }

    /// True if a projected point is at least `margin` pixels inside the edge.
    pub(super) fn holds(&self, u: f64, v: f64, margin: f64) -> bool {
        self.inner(margin).contains_point((u, v))
    }
}
