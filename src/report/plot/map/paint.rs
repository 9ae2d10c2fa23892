//! Drawing the map's parts: graticule, markers and patterned lines.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::super::labels::Rect;
use super::super::style::{self, Area, Drawn, INK, MUTED, Theme, UNUSED, size};
use super::layout::View;
use super::{Pattern, Station};

/// Natural Earth land around the Middle Corridor (`assets/coastlines/README.md`):
/// a `box LON0 LAT0 LON1 LAT1` line, then one ring a line, `outer|hole lon,lat ...`.
const LAND: &str = include_str!("../../../../assets/coastlines/land.txt");
const SEA_FILL: RGBColor = RGBColor(226, 238, 247);
const LAND_FILL: RGBColor = RGBColor(244, 241, 233);

/// Sea (inside the extract's box only: elsewhere nothing is known), land and the
/// water inside it (the Caspian), clipped to the panel.
pub(super) fn draw_land<DB: DrawingBackend>(area: &Area<DB>, view: &View, kx: f64) -> Drawn {
    let point = |p: &str| -> Option<(f64, f64)> {
        let (lon, lat) = p.split_once(',')?;
        Some(view.px(lon.parse::<f64>().ok()? * kx, lat.parse().ok()?))
    };
    for line in LAND.lines() {
        let mut parts = line.split(' ');
        let (color, ring) = match parts.next() {
            Some("box") => {
                let v: Vec<f64> = parts.filter_map(|p| p.parse().ok()).collect();
                let &[lon0, lat0, lon1, lat1] = v.as_slice() else {
                    continue;
                };
                let (a, b) = (view.px(lon0 * kx, lat0), view.px(lon1 * kx, lat1));
                (SEA_FILL, vec![a, (b.0, a.1), b, (a.0, b.1)])
            }
            Some("outer") => (LAND_FILL, parts.filter_map(point).collect()),
            Some("hole") => (SEA_FILL, parts.filter_map(point).collect()),
            _ => continue,
        };
        let ring: Vec<(i32, i32)> = clip(ring, &view.rect).into_iter().map(round).collect();
        if ring.len() >= 3 {
            area.draw(&Polygon::new(ring, color.filled()))?;
        }
    }
    Ok(())
}

/// A polygon clipped to a rectangle (Sutherland-Hodgman, one side at a time).
fn clip(mut ring: Vec<(f64, f64)>, r: &Rect) -> Vec<(f64, f64)> {
    // Each side: which coordinate (0 = x), its bound, and whether inside is above it.
    for (axis, bound, above) in [
        (0, r.x0, true),
        (0, r.x1, false),
        (1, r.y0, true),
        (1, r.y1, false),
    ] {
        let c = |p: (f64, f64)| if axis == 0 { p.0 } else { p.1 };
        let inside = |p: (f64, f64)| (c(p) >= bound) == above || c(p) == bound;
        let cut = |p: (f64, f64), q: (f64, f64)| {
            let t = (bound - c(p)) / (c(q) - c(p));
            (p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1))
        };
        let mut out = Vec::with_capacity(ring.len() + 4);
        for (k, &q) in ring.iter().enumerate() {
            let p = ring[(k + ring.len() - 1) % ring.len()];
            match (inside(p), inside(q)) {
                (true, true) => out.push(q),
                (true, false) => out.push(cut(p, q)),
                (false, true) => out.extend([cut(p, q), q]),
                (false, false) => {}
            }
        }
        ring = out;
    }
    ring
}

/// Light parallels and meridians with their degrees; returns the label boxes. `kx`
/// is the projection's longitude factor.
pub(super) fn draw_graticule<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    view: &View,
    kx: f64,
) -> Result<Vec<Rect>, style::DrawError> {
    let b = view.bounds();
    let rect = view.rect;
    let lat = style::ticks(b.y0, b.y1, 4);
    let lat_step = lat.values[1] - lat.values[0];
    // Meridians about as far apart (in degrees) as the parallels.
    let (lon0, lon1) = (b.x0 / kx, b.x1 / kx);
    let lon = style::ticks(
        lon0,
        lon1,
        ((lon1 - lon0) / lat_step).round().clamp(2.0, 12.0) as usize,
    );
    let grid = RGBColor(236, 236, 236);
    let text = theme
        .text(size::SMALL * 0.85, RGBColor(150, 150, 150))
        .anchor(HPos::Left, VPos::Bottom);
    let mut boxes = Vec::new();
    let degrees = |v: f64, decimals: usize, pos: char, neg: char| {
        let d = style::number(v.abs(), decimals);
        format!("{d}°{}", if v < 0.0 { neg } else { pos })
    };
    for &v in &lat.values {
        let (_, y) = view.px(b.x0, v);
        if y <= rect.y0 + 1.0 || y >= rect.y1 - 1.0 {
            continue;
        }
        style::line(
            area,
            round((rect.x0, y)),
            round((rect.x1, y)),
            grid.into(),
            1,
        )?;
        let s = degrees(v, lat.decimals, 'N', 'S');
        let at = round((rect.x0 + theme.pxf(5.0), y - theme.pxf(3.0)));
        let r = label_box(&text, &s, at);
        if r.y0 > rect.y0 {
            text.draw(area, &s, at)?;
            boxes.push(r);
        }
    }
    for &v in &lon.values {
        let (x, _) = view.px(v * kx, b.y0);
        if x <= rect.x0 + 1.0 || x >= rect.x1 - 1.0 {
            continue;
        }
        style::line(
            area,
            round((x, rect.y0)),
            round((x, rect.y1)),
            grid.into(),
            1,
        )?;
        let s = degrees(v, lon.decimals, 'E', 'W');
        let at = round((x + theme.pxf(4.0), rect.y1 - theme.pxf(4.0)));
        let r = label_box(&text, &s, at);
        if r.x1 < rect.x1 {
            text.draw(area, &s, at)?;
            boxes.push(r);
        }
    }
    Ok(boxes)
}

/// The box of a left-bottom anchored text.
fn label_box(text: &style::Text, s: &str, (x, y): (i32, i32)) -> Rect {
    let (w, h) = text.measure(s);
    Rect {
        x0: x as f64,
        y0: (y - h) as f64,
        x1: (x + w) as f64,
        y1: y as f64,
    }
}

/// Radius of a node marker (pixels).
pub(super) fn radius(theme: &Theme, station: Station) -> f64 {
    match station {
        Station::None => theme.pxf(5.0),
        _ => theme.pxf(9.0),
    }
}

/// Draws a node marker.
pub(super) fn marker<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    p: (f64, f64),
    station: Station,
) -> Drawn {
    let r = radius(theme, station);
    let (edge, fill) = match station {
        Station::None => (MUTED, RGBColor(255, 255, 255)),
        Station::NoData => (RGBColor(120, 120, 120), UNUSED),
        Station::Utilization(u) => (INK, style::sequential(u)),
    };
    let at = round(p);
    let outline = theme.pxf(1.8).max(1.0);
    area.draw(&Circle::new(
        at,
        (r + outline).round() as i32,
        edge.filled(),
    ))?;
    area.draw(&Circle::new(at, r.round() as i32, fill.filled()))?;
    Ok(())
}

/// Draws a straight line in a pattern.
pub(super) fn stroke<DB: DrawingBackend>(
    area: &Area<DB>,
    a: (f64, f64),
    b: (f64, f64),
    color: RGBColor,
    width: f64,
    pattern: Pattern,
) -> Drawn {
    let w = width.round().max(1.0) as u32;
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = dx.hypot(dy);
    let (ux, uy) = (dx / len.max(1e-9), dy / len.max(1e-9));
    let at = |t: f64| (a.0 + ux * t, a.1 + uy * t);
    if pattern != Pattern::Solid {
        // A faint band under dashes and dots keeps the width readable on short legs.
        style::line(area, round(a), round(b), color.mix(0.28), w)?;
    }
    match pattern {
        Pattern::Solid => style::line(area, round(a), round(b), color.into(), w),
        Pattern::Dashed { dash, gap } => {
            let mut t = 0.0;
            while t < len {
                let end = (t + dash).min(len);
                style::line(area, round(at(t)), round(at(end)), color.into(), w)?;
                t += dash + gap;
            }
            Ok(())
        }
        Pattern::Dotted { radius, spacing } => {
            // Whole dots, spread evenly from end to end.
            let n = (len / spacing).floor().max(1.0);
            let step = len / n;
            for k in 0..=n as usize {
                let r = radius.round().max(1.0) as i32;
                area.draw(&Circle::new(round(at(k as f64 * step)), r, color.filled()))?;
            }
            Ok(())
        }
    }
}

pub(super) fn round((x, y): (f64, f64)) -> (i32, i32) {
    (x.round() as i32, y.round() as i32)
}
