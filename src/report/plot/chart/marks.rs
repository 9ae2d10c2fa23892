//! Marks drawn straight on the backend: point markers with a white halo, and the
//! samples of legend rows (band, line and marker).

use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters_backend::{BackendCoord, DrawingErrorKind};

use super::super::style::Theme;
use super::{Dash, Shape};

/// A marker of radius `r` pixels with a white halo, centred on `at`.
#[derive(Clone, Copy, Debug)]
pub(in crate::report::plot) struct Marker<C> {
    pub(in crate::report::plot) at: C,
    pub(in crate::report::plot) shape: Shape,
    pub(in crate::report::plot) color: RGBColor,
    pub(in crate::report::plot) r: i32,
    pub(in crate::report::plot) halo: i32,
}

impl<'a, C: 'a> PointCollection<'a, C> for &'a Marker<C> {
    type Point = &'a C;
    type IntoIter = std::iter::Once<&'a C>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(&self.at)
    }
}

impl<C, DB: DrawingBackend> Drawable<DB> for Marker<C> {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut pos: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        if let Some(at) = pos.next() {
            draw_marker(backend, at, self)?;
        }
        Ok(())
    }
}

/// Draws `m` at the pixel `(x, y)`.
fn draw_marker<C, DB: DrawingBackend>(
    backend: &mut DB,
    (x, y): BackendCoord,
    m: &Marker<C>,
) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
    let (r, halo) = (m.r, m.halo);
    let (fill, white) = (m.color.filled(), WHITE.filled());
    let mut poly = |pts: &[(i32, i32)], style: &ShapeStyle| {
        backend.fill_polygon(pts.iter().map(|p| (x + p.0, y + p.1)), style)
    };
    match m.shape {
        Shape::Disc | Shape::Ring => {
            backend.draw_circle((x, y), (r + halo) as u32, &white, true)?;
            backend.draw_circle((x, y), r as u32, &fill, true)?;
            if m.shape == Shape::Ring {
                let inner = (r - 2 * halo.max(1)).max(1) as u32;
                backend.draw_circle((x, y), inner, &white, true)?;
            }
        }
        Shape::Square => {
            let s = r * 9 / 10;
            let sq = |s: i32| [(-s, -s), (s, -s), (s, s), (-s, s)];
            poly(&sq(s + halo), &white)?;
            poly(&sq(s), &fill)?;
        }
        Shape::Diamond => {
            let di = |d: i32| [(0, -d), (d, 0), (0, d), (-d, 0)];
            poly(&di(r * 5 / 4 + halo), &white)?;
            poly(&di(r * 5 / 4), &fill)?;
        }
        Shape::Triangle => {
            let tri = |t: i32| {
                let w = t * 23 / 20;
                [(0, -t), (w, t * 2 / 3), (-w, t * 2 / 3)]
            };
            poly(&tri(r * 5 / 4 + 2 * halo), &white)?;
            poly(&tri(r * 5 / 4), &fill)?;
        }
    }
    Ok(())
}

/// What a legend row shows: a band swatch, a line and/or a marker.
#[derive(Clone, Copy, Debug, Default)]
pub(in crate::report::plot) struct Sample {
    pub(in crate::report::plot) band: Option<RGBColor>,
    pub(in crate::report::plot) line: Option<(RGBColor, Dash)>,
    pub(in crate::report::plot) marker: Option<(Shape, RGBColor)>,
}

impl Sample {
    /// A line over its band.
    pub(in crate::report::plot) fn banded(color: RGBColor) -> Sample {
        Sample {
            band: Some(color),
            line: Some((color, Dash::Solid)),
            marker: None,
        }
    }

    /// A line.
    pub(in crate::report::plot) fn line(color: RGBColor, dash: Dash) -> Sample {
        Sample {
            line: Some((color, dash)),
            ..Sample::default()
        }
    }

    /// A marker.
    pub(in crate::report::plot) fn marker(shape: Shape, color: RGBColor) -> Sample {
        Sample {
            marker: Some((shape, color)),
            ..Sample::default()
        }
    }
}

/// A legend sample `w` pixels wide whose left middle is at `at`.
#[derive(Clone, Copy, Debug)]
pub(in crate::report::plot) struct SampleElement {
    pub(in crate::report::plot) at: (i32, i32),
    pub(in crate::report::plot) sample: Sample,
    pub(in crate::report::plot) theme: Theme,
    pub(in crate::report::plot) w: i32,
}

impl<'a> PointCollection<'a, (i32, i32)> for &'a SampleElement {
    type Point = &'a (i32, i32);
    type IntoIter = std::iter::Once<&'a (i32, i32)>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(&self.at)
    }
}

impl<DB: DrawingBackend> Drawable<DB> for SampleElement {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut pos: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let Some((x, y)) = pos.next() else {
            return Ok(());
        };
        let (theme, sample, w) = (&self.theme, &self.sample, self.w);
        if let Some(color) = sample.band {
            let h = theme
                .px(if sample.line.is_none() { 18.0 } else { 9.0 })
                .max(3);
            let style = color.mix(0.3).filled();
            backend.draw_rect((x, y - h), (x + w, y + h), &style, true)?;
        }
        if let Some((color, dash)) = sample.line {
            let width = theme.px(if dash == Dash::Solid { 3.5 } else { 2.0 }).max(1);
            let style = ShapeStyle::from(color).stroke_width(width as u32);
            let step = match dash {
                Dash::Solid => w,
                Dash::Dashed => theme.px(12.0).max(3),
                Dash::Dotted => theme.px(4.0).max(2),
            };
            for x0 in (0..w).step_by(2 * step.max(1) as usize) {
                backend.draw_line((x + x0, y), (x + (x0 + step).min(w), y), &style)?;
            }
        }
        if let Some((shape, color)) = sample.marker {
            let m = Marker {
                at: (),
                shape,
                color,
                r: theme.px(7.5),
                halo: theme.px(2.0),
            };
            draw_marker(backend, (x + w / 2, y), &m)?;
        }
        Ok(())
    }
}
