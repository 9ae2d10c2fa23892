//! The data layers of line charts: shaded confidence bands and strips, solid, dashed
//! and dotted lines, and point markers. Layers hold data coordinates (a chart with a
//! log axis gives logarithms) and are drawn in order, so bands go first. Each layer
//! also marks the cells it covers on an [`Occupancy`] grid, so that legends and notes
//! keep off it (strips only shade theirs).

use plotters::prelude::*;

use super::axes::Frame;
use super::labels::Rect;
use super::occupancy::Occupancy;
use super::style::{Area, Drawn, Theme};

/// How a line is stroked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Dash {
    Solid,
    Dashed,
    Dotted,
}

/// A point marker's shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Shape {
    /// A filled circle.
    Disc,
    /// A circle with a white centre.
    Ring,
    /// A filled square.
    Square,
    /// A filled diamond.
    Diamond,
}

/// One thing drawn on a plot, in data coordinates.
#[derive(Clone, Debug)]
pub(super) enum Layer {
    /// A shaded area between a low and a high curve: `(x, low, high)` by increasing x.
    Band {
        points: Vec<(f64, f64, f64)>,
        color: RGBColor,
        opacity: f64,
    },
    /// A shaded vertical strip over the whole height, from one x to another.
    Strip {
        x: (f64, f64),
        color: RGBColor,
        opacity: f64,
    },
    /// A line through points; `width` in pixels at 1600 px.
    Line {
        points: Vec<(f64, f64)>,
        color: RGBColor,
        width: f64,
        dash: Dash,
    },
    /// Markers at points; `size` is the radius in pixels at 1600 px.
    Markers {
        points: Vec<(f64, f64)>,
        shape: Shape,
        color: RGBColor,
        size: f64,
    },
}

impl Layer {
    /// A solid line of the usual width.
    pub(super) fn line(points: Vec<(f64, f64)>, color: RGBColor) -> Layer {
        Layer::Line {
            points,
            color,
            width: 3.5,
            dash: Dash::Solid,
        }
    }

    /// A thin reference line (dashed or dotted).
    pub(super) fn guide(points: Vec<(f64, f64)>, color: RGBColor, dash: Dash) -> Layer {
        Layer::Line {
            points,
            color,
            width: 2.0,
            dash,
        }
    }

    /// A light band.
    pub(super) fn band(points: Vec<(f64, f64, f64)>, color: RGBColor) -> Layer {
        Layer::Band {
            points,
            color,
            opacity: 0.22,
        }
    }

    /// Markers of the usual size.
    pub(super) fn markers(points: Vec<(f64, f64)>, shape: Shape, color: RGBColor) -> Layer {
        Layer::Markers {
            points,
            shape,
            color,
            size: 7.5,
        }
    }
}

/// The pixel position of a data point, unrounded.
pub(super) fn pixel(frame: &Frame, (x, y): (f64, f64)) -> (f64, f64) {
    let (x0, x1) = frame.x;
    let (y0, y1) = frame.y;
    let tx = if x1 > x0 { (x - x0) / (x1 - x0) } else { 0.0 };
    let ty = if y1 > y0 { (y - y0) / (y1 - y0) } else { 0.0 };
    (
        frame.left as f64 + tx * frame.width() as f64,
        frame.bottom as f64 - ty * frame.height() as f64,
    )
}

fn rounded((x, y): (f64, f64)) -> (i32, i32) {
    (x.round() as i32, y.round() as i32)
}

/// The frame's rectangle.
pub(super) fn frame_rect(frame: &Frame) -> Rect {
    Rect {
        x0: frame.left as f64,
        y0: frame.top as f64,
        x1: frame.right as f64,
        y1: frame.bottom as f64,
    }
}

/// Draws the layers in order, clipped to the frame.
pub(super) fn draw<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    frame: &Frame,
    layers: &[Layer],
) -> Drawn {
    let clip = frame_rect(frame);
    let inside = |p: (f64, f64)| clip.nearest(p);
    for layer in layers {
        match layer {
            Layer::Band {
                points,
                color,
                opacity,
            } => {
                if points.len() < 2 {
                    continue;
                }
                let mut poly: Vec<(i32, i32)> = points
                    .iter()
                    .map(|&(x, _, hi)| rounded(inside(pixel(frame, (x, hi)))))
                    .collect();
                poly.extend(
                    points
                        .iter()
                        .rev()
                        .map(|&(x, lo, _)| rounded(inside(pixel(frame, (x, lo))))),
                );
                area.draw(&Polygon::new(poly, color.mix(*opacity).filled()))?;
            }
            Layer::Strip { x, color, opacity } => {
                let (a, b) = (
                    inside(pixel(frame, (x.0, frame.y.0))),
                    inside(pixel(frame, (x.1, frame.y.1))),
                );
                if (b.0 - a.0).abs() < 1.0 {
                    continue;
                }
                area.draw(&Rectangle::new(
                    [rounded(a), rounded(b)],
                    color.mix(*opacity).filled(),
                ))?;
            }
            Layer::Line {
                points,
                color,
                width,
                dash,
            } => {
                let px: Vec<(f64, f64)> = points.iter().map(|p| pixel(frame, *p)).collect();
                let w = theme.pxf(*width).max(1.0);
                for w2 in px.windows(2) {
                    if let Some((a, b)) = clip.clip(w2[0], w2[1]) {
                        stroke(area, theme, (a, b), *color, w, *dash)?;
                    }
                }
            }
            Layer::Markers {
                points,
                shape,
                color,
                size,
            } => {
                for p in points {
                    let q = pixel(frame, *p);
                    if clip.contains_point(q) {
                        marker(area, theme, rounded(q), *shape, *color, *size)?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// Marks the layers on `occ`.
pub(super) fn mark(occ: &mut Occupancy, theme: &Theme, frame: &Frame, layers: &[Layer]) {
    for layer in layers {
        match layer {
            Layer::Band { points, .. } => {
                let px: Vec<(f64, f64, f64)> = points
                    .iter()
                    .map(|&(x, lo, hi)| {
                        let a = pixel(frame, (x, hi));
                        (a.0, a.1, pixel(frame, (x, lo)).1)
                    })
                    .collect();
                occ.mark_band(&px);
            }
            Layer::Strip { x, .. } => {
                let (a, b) = (
                    pixel(frame, (x.0, frame.y.0)),
                    pixel(frame, (x.1, frame.y.1)),
                );
                occ.shade_rect(&Rect {
                    x0: a.0.min(b.0),
                    y0: a.1.min(b.1),
                    x1: a.0.max(b.0),
                    y1: a.1.max(b.1),
                });
            }
            Layer::Line { points, width, .. } => {
                let px: Vec<(f64, f64)> = points.iter().map(|p| pixel(frame, *p)).collect();
                occ.mark_path(&px, theme.pxf(*width / 2.0 + 3.0));
            }
            Layer::Markers { points, size, .. } => {
                for p in points {
                    occ.mark_stroke(&Rect::around(pixel(frame, *p), theme.pxf(*size + 3.0)));
                }
            }
        }
    }
}

/// Strokes the segment `a`–`b` (pixels) `w` pixels wide.
pub(super) fn stroke<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    (a, b): ((f64, f64), (f64, f64)),
    color: RGBColor,
    w: f64,
    dash: Dash,
) -> Drawn {
    let style = ShapeStyle::from(color).stroke_width(w.round().max(1.0) as u32);
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt();
    let (on, off) = match dash {
        Dash::Solid => {
            area.draw(&PathElement::new(vec![rounded(a), rounded(b)], style))?;
            return Ok(());
        }
        Dash::Dashed => (theme.pxf(12.0).max(3.0 * w), theme.pxf(8.0).max(2.0 * w)),
        Dash::Dotted => (0.0, theme.pxf(8.0).max(2.6 * w)),
    };
    if len < 1e-9 {
        return Ok(());
    }
    let point = |t: f64| (a.0 + dx * t / len, a.1 + dy * t / len);
    let mut t = 0.0;
    while t <= len {
        if dash == Dash::Dotted {
            let r = (w * 0.75).max(1.0).round() as i32;
            area.draw(&Circle::new(rounded(point(t)), r, color.filled()))?;
        } else {
            let end = (t + on).min(len);
            area.draw(&PathElement::new(
                vec![rounded(point(t)), rounded(point(end))],
                style,
            ))?;
        }
        t += on + off;
    }
    Ok(())
}

/// Draws one marker of radius `size` (pixels at 1600 px) centred at `(x, y)`, with a
/// white halo.
pub(super) fn marker<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    (x, y): (i32, i32),
    shape: Shape,
    color: RGBColor,
    size: f64,
) -> Drawn {
    let r = theme.pxf(size).max(3.0);
    let halo = theme.pxf(2.0).max(1.0);
    let ri = |v: f64| v.round() as i32;
    match shape {
        Shape::Disc | Shape::Ring => {
            area.draw(&Circle::new((x, y), ri(r + halo), WHITE.filled()))?;
            area.draw(&Circle::new((x, y), ri(r), color.filled()))?;
            if shape == Shape::Ring {
                let inner = (r - theme.pxf(3.0).max(1.5)).max(1.0);
                area.draw(&Circle::new((x, y), ri(inner), WHITE.filled()))?;
            }
        }
        Shape::Square => {
            let s = r * 0.9;
            area.draw(&Rectangle::new(
                [
                    (x - ri(s + halo), y - ri(s + halo)),
                    (x + ri(s + halo), y + ri(s + halo)),
                ],
                WHITE.filled(),
            ))?;
            area.draw(&Rectangle::new(
                [(x - ri(s), y - ri(s)), (x + ri(s), y + ri(s))],
                color.filled(),
            ))?;
        }
        Shape::Diamond => {
            let pts = |r: f64| {
                vec![
                    (x, y - ri(r)),
                    (x + ri(r), y),
                    (x, y + ri(r)),
                    (x - ri(r), y),
                ]
            };
            area.draw(&Polygon::new(pts(r * 1.25 + halo), WHITE.filled()))?;
            area.draw(&Polygon::new(pts(r * 1.25), color.filled()))?;
        }
    }
    Ok(())
}
