//! Where a chart has drawn: a coarse grid over the plot area whose cells are marked as
//! lines, bands and markers are laid out, so that legends and notes can be put where
//! they hide nothing (or as little as possible).
//!
//! Coordinates are pixels (y down), as floats; the grid is only a guide, so a cell is
//! taken if anything touches it. Data take their cells; light shading (such as an
//! interval strip behind the data) only shades them, and a box may cover shaded cells
//! at a small cost.

use super::labels::Rect;

/// The taken cells of a plot area.
#[derive(Debug)]
pub(super) struct Occupancy {
    /// The area covered (boxes are kept inside it).
    bounds: Rect,
    /// Side of a cell (pixels).
    cell: f64,
    cols: usize,
    rows: usize,
    /// Weight of each cell: 0 free, [`SHADED`] or [`TAKEN`].
    cells: Vec<u32>,
    /// Cells of lines and markers (which leader lines should not cross; bands they
    /// may).
    stroked: Vec<bool>,
}

/// Weight of a shaded cell.
pub(super) const SHADED: u32 = 1;
/// Weight of a taken cell: more than all shaded cells of any box together.
pub(super) const TAKEN: u32 = 1_000_000;

/// Cost of covering one shaded cell, in pixels of distance.
const SHADE_COST: f64 = 0.1;

impl Occupancy {
    /// An empty grid over `bounds` with cells of `cell` pixels.
    pub(super) fn new(bounds: Rect, cell: f64) -> Occupancy {
        let cell = cell.max(1.0);
        let cols = (bounds.w() / cell).ceil().max(1.0) as usize;
        let rows = (bounds.h() / cell).ceil().max(1.0) as usize;
        Occupancy {
            bounds,
            cell,
            cols,
            rows,
            cells: vec![0; cols * rows],
            stroked: vec![false; cols * rows],
        }
    }

    /// The cell columns and rows a rectangle touches, clamped to the grid.
    fn span(&self, r: &Rect) -> Option<(usize, usize, usize, usize)> {
        let c0 = ((r.x0 - self.bounds.x0) / self.cell).floor().max(0.0) as usize;
        let r0 = ((r.y0 - self.bounds.y0) / self.cell).floor().max(0.0) as usize;
        let c1 = ((r.x1 - self.bounds.x0) / self.cell)
            .ceil()
            .min(self.cols as f64);
        let r1 = ((r.y1 - self.bounds.y0) / self.cell)
            .ceil()
            .min(self.rows as f64);
        if !(c1 > c0 as f64 && r1 > r0 as f64) {
            return None;
        }
        Some((c0, r0, c1 as usize, r1 as usize))
    }

    /// Marks everything `r` touches as taken.
    pub(super) fn mark_rect(&mut self, r: &Rect) {
        self.weigh(r, TAKEN);
    }

    /// Marks everything `r` touches as shaded (unless taken).
    pub(super) fn shade_rect(&mut self, r: &Rect) {
        self.weigh(r, SHADED);
    }

    fn weigh(&mut self, r: &Rect, weight: u32) {
        if let Some((c0, r0, c1, r1)) = self.span(r) {
            for row in r0..r1 {
                for cell in &mut self.cells[row * self.cols + c0..row * self.cols + c1] {
                    *cell = (*cell).max(weight);
                }
            }
        }
    }

    /// Marks a stroke (a marker, or a piece of line) covering `r` as taken.
    pub(super) fn mark_stroke(&mut self, r: &Rect) {
        self.weigh(r, TAKEN);
        if let Some((c0, r0, c1, r1)) = self.span(r) {
            for row in r0..r1 {
                self.stroked[row * self.cols + c0..row * self.cols + c1].fill(true);
            }
        }
    }

    /// Marks the segment `a`–`b` drawn `half_width` pixels either side.
    pub(super) fn mark_segment(&mut self, a: (f64, f64), b: (f64, f64), half_width: f64) {
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        let steps = (2.0 * len / self.cell).ceil().max(1.0) as usize;
        let hw = half_width.max(1.0);
        for k in 0..=steps {
            let t = k as f64 / steps as f64;
            let p = (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
            self.mark_stroke(&Rect::centred(p, 2.0 * hw, 2.0 * hw));
        }
    }

    /// Marks a polyline.
    pub(super) fn mark_path(&mut self, points: &[(f64, f64)], half_width: f64) {
        for w in points.windows(2) {
            self.mark_segment(w[0], w[1], half_width);
        }
        if let [p] = points {
            self.mark_segment(*p, *p, half_width);
        }
    }

    /// Marks the area between two curves given as `(x, y_top, y_bottom)` by increasing
    /// `x`.
    pub(super) fn mark_band(&mut self, points: &[(f64, f64, f64)]) {
        for w in points.windows(2) {
            let (a, b) = (w[0], w[1]);
            let steps = (2.0 * (b.0 - a.0).abs() / self.cell).ceil().max(1.0) as usize;
            for k in 0..=steps {
                let t = k as f64 / steps as f64;
                let x = a.0 + t * (b.0 - a.0);
                let y0 = a.1 + t * (b.1 - a.1);
                let y1 = a.2 + t * (b.2 - a.2);
                self.mark_rect(&Rect {
                    x0: x - 1.0,
                    y0: y0.min(y1) - 1.0,
                    x1: x + 1.0,
                    y1: y0.max(y1) + 1.0,
                });
            }
        }
    }

    /// Cells of lines and markers along the segment `a`–`b`, leaving out the first
    /// `skip` pixels (where the segment starts on what it points at).
    pub(super) fn crossings(&self, a: (f64, f64), b: (f64, f64), skip: f64) -> usize {
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        if len <= skip {
            return 0;
        }
        let steps = (2.0 * len / self.cell).ceil() as usize;
        let mut seen = Vec::new();
        for k in 0..=steps {
            let t = k as f64 / steps as f64;
            if t * len < skip {
                continue;
            }
            let (x, y) = (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
            let c = ((x - self.bounds.x0) / self.cell).floor();
            let r = ((y - self.bounds.y0) / self.cell).floor();
            if c < 0.0 || r < 0.0 || c >= self.cols as f64 || r >= self.rows as f64 {
                continue;
            }
            let i = r as usize * self.cols + c as usize;
            if self.stroked[i] && seen.last() != Some(&i) {
                seen.push(i);
            }
        }
        seen.len()
    }

    /// The weight of the cells under `r` (see [`TAKEN`], [`SHADED`]); a box leaving
    /// the bounds weighs `u64::MAX`.
    pub(super) fn count(&self, r: &Rect) -> u64 {
        if !self.bounds.contains(r) {
            return u64::MAX;
        }
        let Some((c0, r0, c1, r1)) = self.span(r) else {
            return 0;
        };
        (r0..r1)
            .map(|row| {
                self.cells[row * self.cols + c0..row * self.cols + c1]
                    .iter()
                    .map(|c| u64::from(*c))
                    .sum::<u64>()
            })
            .sum()
    }

    /// The best place for a `w` × `h` box inside the bounds: the one covering the
    /// fewest taken cells within `pad` pixels around it, then of least `cost` (a
    /// function of the box, in pixels) plus a little for each shaded cell covered.
    /// Positions are tried on a grid of half cells; returns the box and the weight it
    /// covers, `None` if the box does not fit at all.
    pub(super) fn best_spot(
        &self,
        w: f64,
        h: f64,
        pad: f64,
        cost: &dyn Fn(&Rect) -> f64,
    ) -> Option<(Rect, u64)> {
        let step = self.cell / 2.0;
        let (span_x, span_y) = (self.bounds.w() - w, self.bounds.h() - h);
        if span_x < 0.0 || span_y < 0.0 {
            return None;
        }
        let nx = (span_x / step).floor() as usize;
        let ny = (span_y / step).floor() as usize;
        let mut best: Option<(u64, f64, Rect, u64)> = None;
        for iy in 0..=ny {
            for ix in 0..=nx {
                let x0 = self.bounds.x0 + ix as f64 * step;
                let y0 = self.bounds.y0 + iy as f64 * step;
                let rect = Rect {
                    x0,
                    y0,
                    x1: x0 + w,
                    y1: y0 + h,
                };
                let around = Rect {
                    x0: (x0 - pad).max(self.bounds.x0),
                    y0: (y0 - pad).max(self.bounds.y0),
                    x1: (x0 + w + pad).min(self.bounds.x1),
                    y1: (y0 + h + pad).min(self.bounds.y1),
                };
                let weight = self.count(&around);
                let taken = weight / u64::from(TAKEN);
                if best.as_ref().is_some_and(|(n, ..)| taken > *n) {
                    continue;
                }
                let shaded = weight % u64::from(TAKEN);
                let c = cost(&rect) + SHADE_COST * shaded as f64;
                let better = match &best {
                    None => true,
                    Some((n, bc, ..)) => taken < *n || c < *bc,
                };
                if better {
                    best = Some((taken, c, rect, weight));
                }
            }
        }
        best.map(|(_, _, r, weight)| (r, weight))
    }
}

/// Distance from point `p` to the nearest point of `r` (0 inside).
pub(super) fn distance(r: &Rect, p: (f64, f64)) -> f64 {
    let q = r.nearest(p);
    ((q.0 - p.0).powi(2) + (q.1 - p.1).powi(2)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> Occupancy {
        Occupancy::new(
            Rect {
                x0: 0.0,
                y0: 0.0,
                x1: 100.0,
                y1: 100.0,
            },
            5.0,
        )
    }

    #[test]
    fn boxes_go_where_nothing_is_drawn() {
        let mut occ = grid();
        // A diagonal line from the lower left to the upper right.
        occ.mark_path(&[(0.0, 100.0), (100.0, 0.0)], 2.0);
        let (r, hidden) = occ
            .best_spot(30.0, 20.0, 0.0, &|r| distance(r, (100.0, 100.0)))
            .unwrap();
        assert_eq!(hidden, 0);
        // Nearest the lower right corner, below the line.
        assert!(r.x1 > 90.0 && r.y1 > 90.0, "{r:?}");
        assert!(occ.best_spot(200.0, 10.0, 0.0, &|_| 0.0).is_none());
    }

    #[test]
    fn shaded_cells_cost_a_little() {
        let mut occ = grid();
        occ.shade_rect(&Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 50.0,
            y1: 100.0,
        });
        // Nearest the upper left corner, over the shading rather than far from it.
        let (r, weight) = occ
            .best_spot(20.0, 20.0, 0.0, &|r| distance(r, (0.0, 0.0)))
            .unwrap();
        assert!(r.x0 < 5.0 && r.y0 < 5.0, "{r:?}");
        assert!(weight > 0 && weight < u64::from(TAKEN));
    }

    #[test]
    fn bands_fill_between_their_edges() {
        let mut occ = grid();
        occ.mark_band(&[(10.0, 40.0, 60.0), (90.0, 40.0, 60.0)]);
        let inside = Rect::centred((50.0, 50.0), 10.0, 10.0);
        let above = Rect::centred((50.0, 15.0), 10.0, 10.0);
        assert!(occ.count(&inside) > 0);
        assert_eq!(occ.count(&above), 0);
    }
}
