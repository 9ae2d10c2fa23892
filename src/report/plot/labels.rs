//! Greedy placement of point labels that do not overlap: each label tries eight
//! positions around its point, then eight further out twice (drawn with a leader line),
//! and takes the cheapest free one; a label with no free position is left out.
//! Labels placed first win, so callers place the most important ones first.
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

/// Places labels one after the other, avoiding what is already there.
#[derive(Debug)]
pub(super) struct Placer {
    /// Labels must lie inside.
    bounds: Rect,
    /// Areas labels must not cover: markers, placed labels, reserved boxes.
    taken: Vec<Rect>,
    /// Lines labels should rather not cross.
    lines: Vec<((f64, f64), (f64, f64))>,
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
    /// A placer for labels inside `bounds`.
    pub(super) fn new(bounds: Rect) -> Placer {
        Placer {
            bounds,
            taken: Vec::new(),
            lines: Vec::new(),
        }
    }

    /// Keeps labels off `r`.
    pub(super) fn reserve(&mut self, r: Rect) {
        self.taken.push(r);
    }

    /// True if `r` lies inside the bounds and overlaps nothing taken.
    pub(super) fn is_free(&self, r: &Rect) -> bool {
        self.bounds.contains(r) && !self.taken.iter().any(|t| t.overlaps(r))
    }

    /// Makes labels avoid crossing the segment `a`–`b` where they can.
    pub(super) fn avoid_line(&mut self, a: (f64, f64), b: (f64, f64)) {
        self.lines.push((a, b));
    }

    /// Places a `w` × `h` label for the marker of radius `r` at `p`; `None` if no
    /// position is free.
    pub(super) fn place(&mut self, p: (f64, f64), r: f64, w: f64, h: f64) -> Option<Placement> {
        let gap = 0.35 * h;
        let mut best: Option<(f64, Placement)> = None;
        for (ring, reach) in [(0, r + gap), (1, r + gap + 1.6 * h), (2, r + gap + 3.2 * h)] {
            for (k, (dx, dy)) in DIRECTIONS.iter().enumerate() {
                let centre = (p.0 + dx * (reach + w / 2.0), p.1 + dy * (reach + h / 2.0));
                let rect = Rect::centred(centre, w, h);
                if !self.is_free(&rect) {
                    continue;
                }
                let crossings = self
                    .lines
                    .iter()
                    .filter(|(a, b)| rect.clip(*a, *b).is_some())
                    .count();
                let leader = (ring > 0).then(|| {
                    let end = rect.nearest(p);
                    let (ex, ey) = (end.0 - p.0, end.1 - p.1);
                    let len = (ex * ex + ey * ey).sqrt().max(1e-9);
                    ((p.0 + ex / len * r, p.1 + ey / len * r), end)
                });
                // A leader must not run through other labels or markers.
                let blocked = leader.is_some_and(|(a, b)| {
                    self.taken
                        .iter()
                        .any(|t| !t.contains_point(a) && t.clip(a, b).is_some())
                });
                if blocked {
                    continue;
                }
                let cost = 10.0 * ring as f64 + 4.0 * crossings as f64 + 0.1 * k as f64;
                if best.as_ref().is_none_or(|(c, _)| cost < *c) {
                    best = Some((cost, Placement { rect, leader }));
                }
            }
        }
        let (_, placement) = best?;
        self.taken.push(placement.rect);
        if let Some((a, b)) = placement.leader {
            self.lines.push((a, b));
        }
        Some(placement)
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
