//! Greedy placement of boxes that do not overlap, for the map's node labels and the
//! notes and legends of line charts: each box tries candidate spots and takes the
//! cheapest free one (cost: its own, plus lines crossed and drawn data covered); a box
//! with no free spot is left out. Boxes placed first win, so callers place the most
//! important ones first.
//!
//! All coordinates are pixels (y down), as floats.

/// An axis-aligned rectangle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Rect {
    /// Left.
    pub(super) x0: f64,
    /// Top.
    pub(super) y0: f64,
    /// Right.
    pub(super) x1: f64,
    /// Bottom.
    pub(super) y1: f64,
}

impl Rect {
    /// The rectangle of width `w` and height `h` centred on `(cx, cy)`.
    pub(super) fn centred((cx, cy): (f64, f64), w: f64, h: f64) -> Rect {
        Rect {
            x0: cx - w / 2.0,
            y0: cy - h / 2.0,
            x1: cx + w / 2.0,
            y1: cy + h / 2.0,
        }
    }

    /// The square around a circle.
    pub(super) fn around((cx, cy): (f64, f64), r: f64) -> Rect {
        Rect::centred((cx, cy), 2.0 * r, 2.0 * r)
    }

    /// Width.
    pub(super) fn w(&self) -> f64 {
        self.x1 - self.x0
    }

    /// Height.
    pub(super) fn h(&self) -> f64 {
        self.y1 - self.y0
    }

    /// True if the two overlap (touching edges do not).
    pub(super) fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    /// True if `o` lies entirely inside.
    pub(super) fn contains(&self, o: &Rect) -> bool {
        o.x0 >= self.x0 && o.x1 <= self.x1 && o.y0 >= self.y0 && o.y1 <= self.y1
    }

    /// True if the point lies inside or on the edge.
    pub(super) fn contains_point(&self, (x, y): (f64, f64)) -> bool {
        x >= self.x0 && x <= self.x1 && y >= self.y0 && y <= self.y1
    }

    /// The part of segment `a`–`b` inside the rectangle (Liang–Barsky), if any.
    pub(super) fn clip(&self, a: (f64, f64), b: (f64, f64)) -> Option<((f64, f64), (f64, f64))> {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        for (p, q) in [
            (-dx, a.0 - self.x0),
            (dx, self.x1 - a.0),
            (-dy, a.1 - self.y0),
            (dy, self.y1 - a.1),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return None;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
            }
        }
        (t0 <= t1).then_some((
            (a.0 + t0 * dx, a.1 + t0 * dy),
            (a.0 + t1 * dx, a.1 + t1 * dy),
        ))
    }

    /// The point of the rectangle nearest to `p`.
    pub(super) fn nearest(&self, (x, y): (f64, f64)) -> (f64, f64) {
        (x.clamp(self.x0, self.x1), y.clamp(self.y0, self.y1))
    }
}

/// Where a label went.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Placement {
    /// The label's box.
    pub(super) rect: Rect,
    /// A leader line from the point's edge to the box, for labels set further out.
    pub(super) leader: Option<((f64, f64), (f64, f64))>,
}

/// Places boxes one after the other, avoiding what is already there: the map's node
/// labels (around their points) and the notes and legend of line charts (near what
/// they describe, or a corner).
#[derive(Debug)]
pub(super) struct Placer {
    /// Boxes must lie inside.
    bounds: Rect,
    /// Areas boxes must not cover: markers, placed boxes, reserved areas.
    pub(super) taken: Vec<Rect>,
    /// Lines boxes should rather not cross.
    lines: Vec<((f64, f64), (f64, f64))>,
    /// Pixels of drawn data and their weights: a box pays for those it covers, grown
    /// by `pad` pixels.
    data: Vec<(f64, f64, u32)>,
    pad: f64,
}

/// Directions tried, in order of preference: right, left, above, below, then the
/// diagonals.
const DIRECTIONS: [(f64, f64); 8] = [
    (1.0, 0.0),
    (-1.0, 0.0),
    (0.0, -1.0),
    (0.0, 1.0),
    (0.71, -0.71),
    (-0.71, -0.71),
    (0.71, 0.71),
    (-0.71, 0.71),
];

impl Placer {
    /// A placer for boxes inside `bounds`.
    pub(super) fn new(bounds: Rect) -> Placer {
        Placer::over_data(bounds, Vec::new(), 0.0)
    }

    /// A placer for boxes inside `bounds` that hide as few of the weighted `data`
    /// pixels (within `pad` of a box) as they can.
    pub(super) fn over_data(bounds: Rect, data: Vec<(f64, f64, u32)>, pad: f64) -> Placer {
        Placer {
            bounds,
            taken: Vec::new(),
            lines: Vec::new(),
            data,
            pad,
        }
    }

    /// Keeps boxes off `r`.
    pub(super) fn reserve(&mut self, r: Rect) {
        self.taken.push(r);
    }

    /// True if `r` lies inside the bounds and overlaps nothing taken.
    pub(super) fn is_free(&self, r: &Rect) -> bool {
        self.bounds.contains(r) && !self.taken.iter().any(|t| t.overlaps(r))
    }

    /// Makes boxes avoid crossing the segment `a`–`b` where they can.
    pub(super) fn avoid_line(&mut self, a: (f64, f64), b: (f64, f64)) {
        self.lines.push((a, b));
    }

    /// Takes the cheapest free spot of `spots` (each with a cost of its own, to which
    /// 4 is added per avoided line crossed and per unit of data weight covered); a spot
    /// whose leader runs through a taken area is not free. Returns it with the data
    /// weight it covers.
    fn take(&mut self, spots: impl Iterator<Item = (Placement, f64)>) -> Option<(Placement, u32)> {
        let mut best: Option<(f64, Placement, u32)> = None;
        for (spot, extra) in spots {
            let rect = spot.rect;
            // A leader must not run through other labels or markers.
            let blocked = spot.leader.is_some_and(|(a, b)| {
                self.taken
                    .iter()
                    .any(|t| !t.contains_point(a) && t.clip(a, b).is_some())
            });
            if !self.is_free(&rect) || blocked {
                continue;
            }
            let crossings = self
                .lines
                .iter()
                .filter(|(a, b)| rect.clip(*a, *b).is_some())
                .count();
            let grown = Rect::centred(
                ((rect.x0 + rect.x1) / 2.0, (rect.y0 + rect.y1) / 2.0),
                rect.w() + self.pad,
                rect.h() + self.pad,
            );
            let data: u32 = self
                .data
                .iter()
                .filter(|p| grown.contains_point((p.0, p.1)))
                .map(|p| p.2)
                .sum();
            let cost = f64::from(data) * 4.0 + extra + 4.0 * crossings as f64;
            if best.as_ref().is_none_or(|(c, _, _)| cost < *c) {
                best = Some((cost, spot, data));
            }
        }
        let (_, placement, data) = best?;
        self.taken.push(placement.rect);
        if let Some((a, b)) = placement.leader {
            self.lines.push((a, b));
        }
        Some((placement, data))
    }

    /// Places a `w` × `h` label for the marker of radius `r` at `p`: eight positions
    /// around it, then eight further out twice (with a leader line); `None` if no
    /// position is free.
    pub(super) fn place(&mut self, p: (f64, f64), r: f64, w: f64, h: f64) -> Option<Placement> {
        let gap = 0.35 * h;
        let rings = [(0, r + gap), (1, r + gap + 1.6 * h), (2, r + gap + 3.2 * h)];
        let spots = rings.into_iter().flat_map(|(ring, reach)| {
            DIRECTIONS.iter().enumerate().map(move |(k, (dx, dy))| {
                let centre = (p.0 + dx * (reach + w / 2.0), p.1 + dy * (reach + h / 2.0));
                let rect = Rect::centred(centre, w, h);
                let leader = (ring > 0).then(|| {
                    let end = rect.nearest(p);
                    let (ex, ey) = (end.0 - p.0, end.1 - p.1);
                    let len = (ex * ex + ey * ey).sqrt().max(1e-9);
                    ((p.0 + ex / len * r, p.1 + ey / len * r), end)
                });
                let cost = 10.0 * ring as f64 + 0.1 * k as f64;
                (Placement { rect, leader }, cost)
            })
        });
        self.take(spots).map(|(placement, _)| placement)
    }

    /// A `w` × `h` spot near `anchor`, in eight directions at growing distances
    /// (`s` scales them), covering few data; returns it with the data weight covered.
    pub(super) fn near(
        &mut self,
        anchor: (f64, f64),
        (w, h): (f64, f64),
        s: f64,
    ) -> Option<(Rect, u32)> {
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
                    let rect = Rect::centred((cx, cy), w, h);
                    (Placement { rect, leader: None }, d * s + f64::from(k))
                })
            });
        self.take(spots).map(|(p, data)| (p.rect, data))
    }

    /// A `w` × `h` spot nearest a corner (upper left first), stepping inwards,
    /// covering few data; returns it with the data weight covered.
    pub(super) fn corner(&mut self, (w, h): (f64, f64)) -> Option<(Rect, u32)> {
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
                    let rect = Rect {
                        x0: x,
                        y0: y,
                        x1: x + w,
                        y1: y + h,
                    };
                    let cost = 8.0 * f64::from(i + j) + f64::from(c);
                    (Placement { rect, leader: None }, cost)
                })
            })
        });
        self.take(spots).map(|(p, data)| (p.rect, data))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds() -> Rect {
        Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 1000.0,
            y1: 1000.0,
        }
    }

    #[test]
    fn labels_of_nearby_points_do_not_overlap() {
        let mut placer = Placer::new(bounds());
        let points = [
            (500.0, 500.0),
            (505.0, 500.0),
            (500.0, 505.0),
            (510.0, 510.0),
        ];
        for p in points {
            placer.reserve(Rect::around(p, 6.0));
        }
        let placed: Vec<Rect> = points
            .iter()
            .filter_map(|&p| placer.place(p, 6.0, 80.0, 16.0))
            .map(|pl| pl.rect)
            .collect();
        assert_eq!(placed.len(), 4);
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn labels_stay_inside_and_prefer_the_right() {
        let mut placer = Placer::new(bounds());
        let right = placer.place((100.0, 100.0), 5.0, 50.0, 10.0).unwrap();
        assert!(right.rect.x0 > 100.0 && right.leader.is_none());
        let edge = placer.place((995.0, 500.0), 5.0, 50.0, 10.0).unwrap();
        assert!(edge.rect.x1 < 995.0, "{edge:?}");
    }

    #[test]
    fn segments_are_clipped_to_the_rectangle() {
        let r = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 10.0,
            y1: 10.0,
        };
        assert_eq!(
            r.clip((-5.0, 5.0), (15.0, 5.0)),
            Some(((0.0, 5.0), (10.0, 5.0)))
        );
        assert_eq!(r.clip((-5.0, -5.0), (-1.0, 20.0)), None);
        assert_eq!(
            r.clip((2.0, 2.0), (3.0, 3.0)),
            Some(((2.0, 2.0), (3.0, 3.0)))
        );
    }
}
