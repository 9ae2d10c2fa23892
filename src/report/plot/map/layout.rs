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
        let all = Bounds::of(self.nodes.iter().map(|n| (n.u, n.v)));
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
        let detail_view = |b: Bounds| View::fit(b.grow(0.06), detail_rect, pad);
        let fits = |b: Bounds| detail_view(b).scale >= MIN_ZOOM * overview.scale;
        if let Some(cluster) = self.crowded_cluster(&overview, crowd, fits) {
            // The nodes that fall in the enlarged region (Kuryk beside the Caspian
            // cluster) join it if the panel then still enlarges GROWN_ZOOM times, so
            // that they are not cut at its edge; nodes at the new edge are left to the
            // overview (see `View::holds`).
            let shown = detail_view(self.bounds_of(&cluster)).bounds();
            let grown: Vec<usize> = (0..self.nodes.len())
                .filter(|&i| shown.holds(self.nodes[i].u, self.nodes[i].v))
                .collect();
            let zoom = |m: &[usize]| detail_view(self.bounds_of(m)).scale / overview.scale;
            let members = if zoom(&grown) >= GROWN_ZOOM {
                &grown
            } else {
                &cluster
            };
            return Layout {
                views: vec![overview, detail_view(self.bounds_of(members))],
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
    fn bounds_of(&self, members: &[usize]) -> Bounds {
        Bounds::of(members.iter().map(|&i| (self.nodes[i].u, self.nodes[i].v)))
    }

    /// The nodes to enlarge: groups of crowded nodes (closer than `near` pixels to
    /// another node in `view`), starting with the largest group and adding the
    /// nearest others while `fits` accepts their bounds. `None` without a group of
    /// three or a result of four nodes.
    fn crowded_cluster(
        &self,
        view: &View,
        near: f64,
        fits: impl Fn(Bounds) -> bool,
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
        let bounds = |members: &[usize]| self.bounds_of(members);
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

/// A rectangle in projected coordinates.
#[derive(Clone, Copy, Debug)]
pub(super) struct Bounds {
    pub(super) u0: f64,
    pub(super) u1: f64,
    pub(super) v0: f64,
    pub(super) v1: f64,
}

impl Bounds {
    /// The bounds of some points (at least a unit square around them).
    pub(super) fn of(points: impl Iterator<Item = (f64, f64)>) -> Bounds {
        let mut b = Bounds {
            u0: f64::INFINITY,
            u1: f64::NEG_INFINITY,
            v0: f64::INFINITY,
            v1: f64::NEG_INFINITY,
        };
        for (u, v) in points {
            b.u0 = b.u0.min(u);
            b.u1 = b.u1.max(u);
            b.v0 = b.v0.min(v);
            b.v1 = b.v1.max(v);
        }
        if !b.u0.is_finite() {
            return Bounds {
                u0: 0.0,
                u1: 1.0,
                v0: 0.0,
                v1: 1.0,
            };
        }
        let widen = |lo: f64, hi: f64| {
            let extra = (0.5 - (hi - lo) / 2.0).max(0.0);
            (lo - extra, hi + extra)
        };
        (b.u0, b.u1) = widen(b.u0, b.u1);
        (b.v0, b.v1) = widen(b.v0, b.v1);
        b
    }

    /// Widened by `share` of its larger side on every side.
    pub(super) fn grow(self, share: f64) -> Bounds {
        let d = share * self.w().max(self.h());
        Bounds {
            u0: self.u0 - d,
            u1: self.u1 + d,
            v0: self.v0 - d,
            v1: self.v1 + d,
        }
    }

    fn holds(&self, u: f64, v: f64) -> bool {
        (self.u0..=self.u1).contains(&u) && (self.v0..=self.v1).contains(&v)
    }

    pub(super) fn w(&self) -> f64 {
        self.u1 - self.u0
    }

    pub(super) fn h(&self) -> f64 {
        self.v1 - self.v0
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
    pub(super) fn fit(b: Bounds, rect: Rect, pad: f64) -> View {
        let scale =
            ((rect.w() - 2.0 * pad).max(1.0) / b.w()).min((rect.h() - 2.0 * pad).max(1.0) / b.h());
        let (cu, cv) = ((b.u0 + b.u1) / 2.0, (b.v0 + b.v1) / 2.0);
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

    /// The region shown.
    pub(super) fn bounds(&self) -> Bounds {
        self.inner(0.0)
    }

    /// The region at least `margin` pixels inside the edge: where a node is drawn
    /// whole (a node nearer the edge of the enlarged panel is left to the overview).
    pub(super) fn inner(&self, margin: f64) -> Bounds {
        let m = margin / self.scale;
        Bounds {
            u0: self.u0 + m,
            u1: self.u0 + self.rect.w() / self.scale - m,
            v0: self.v1 - self.rect.h() / self.scale + m,
            v1: self.v1 - m,
        }
    }

    /// True if a projected point is at least `margin` pixels inside the edge.
    pub(super) fn holds(&self, u: f64, v: f64, margin: f64) -> bool {
        self.inner(margin).holds(u, v)
    }
}
