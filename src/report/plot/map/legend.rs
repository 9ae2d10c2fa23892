//! The map's legend: leg modes, line widths and the utilisation colour scale, in a
//! column beside the map.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::super::labels::Rect;
use super::super::style::{self, Area, Drawn, INK, MUTED, Theme, UNUSED, size};
use super::paint::{marker, round, stroke};
use super::{Mode, Pattern, Station};

/// What the legend shows.
#[derive(Debug)]
pub(super) struct Spec {
    /// Modes of the legs on the map.
    pub(super) modes: Vec<Mode>,
    /// Whether some legs are not used.
    pub(super) unused_legs: bool,
    /// Flow values (trains per day) and their line widths (pixels).
    pub(super) widths: Vec<(f64, f64)>,
    /// Whether stations are coloured by utilisation.
    pub(super) utilization: bool,
    /// Whether some stations have no results.
    pub(super) no_data: bool,
    /// Whether some nodes have no handling resource.
    pub(super) no_station: bool,
}

/// Draws the legend inside `rect`, from its top.
pub(super) fn draw<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    rect: Rect,
    spec: &Spec,
) -> Drawn {
    let x0 = rect.x0 + theme.pxf(8.0);
    let x1 = rect.x1;
    let head = theme
        .text(size::LABEL, INK)
        .bold()
        .anchor(HPos::Left, VPos::Top);
    let item = theme.text(size::SMALL, INK);
    let row = (item.line_height() as f64 + theme.pxf(13.0)).round();
    let sample = theme.pxf(58.0);
    let text_x = (x0 + sample + theme.pxf(12.0)).round() as i32;
    let section_gap = theme.pxf(16.0);
    let mut y = rect.y0 + theme.pxf(6.0);

    let heading = |y: &mut f64, title: &str| -> Drawn {
        for line in head.wrap(title, (x1 - x0) as i32) {
            head.draw(area, &line, round((x0, *y)))?;
            *y += head.line_height() as f64 + theme.pxf(6.0);
        }
        *y += theme.pxf(6.0);
        Ok(())
    };

    heading(&mut y, "Legs")?;
    let sample_w = theme.pxf(5.0);
    for mode in &spec.modes {
        let (name, color) = match mode {
            Mode::Rail => ("rail", style::RAIL),
            Mode::Sea => ("sea (ferry)", style::SEA),
            Mode::Road => ("road (trucks)", style::ROAD),
        };
        let cy = y + row / 2.0;
        stroke(
            area,
            (x0, cy),
            (x0 + sample, cy),
            color,
            sample_w,
            mode.pattern(theme, sample_w),
        )?;
        item.draw(area, name, (text_x, cy.round() as i32))?;
        y += row;
    }
    if spec.unused_legs {
        let cy = y + row / 2.0;
        stroke(
            area,
            (x0, cy),
            (x0 + sample, cy),
            UNUSED,
            theme.pxf(2.0),
            Pattern::Solid,
        )?;
        item.draw(area, "not used", (text_x, cy.round() as i32))?;
        y += row;
    }

    if !spec.widths.is_empty() {
        y += section_gap;
        heading(&mut y, "Trains per day (both directions)")?;
        for &(value, width) in &spec.widths {
            let cy = y + row / 2.0;
            stroke(
                area,
                (x0, cy),
                (x0 + sample, cy),
                MUTED,
                width,
                Pattern::Solid,
            )?;
            let decimals = if value >= 1.0 {
                0
            } else {
                (-value.log10().floor()) as usize
            };
            item.draw(
                area,
                &style::number(value, decimals),
                (text_x, cy.round() as i32),
            )?;
            y += row.max(width + theme.pxf(8.0));
        }
    }

    if spec.utilization || spec.no_data || spec.no_station {
        y += section_gap;
        heading(&mut y, "Station utilisation")?;
    }
    if spec.utilization {
        let bar_h = theme.pxf(18.0);
        let bar_w = (x1 - x0 - theme.pxf(24.0)).max(10.0);
        let steps = 60;
        for k in 0..steps {
            let a = x0 + bar_w * k as f64 / steps as f64;
            let b = x0 + bar_w * (k + 1) as f64 / steps as f64;
            let color = style::sequential((k as f64 + 0.5) / steps as f64);
            style::fill_rect(
                area,
                round((a, y)),
                round((b + 1.0, y + bar_h)),
                color.into(),
            )?;
        }
        area.draw(&Rectangle::new(
            [round((x0, y)), round((x0 + bar_w, y + bar_h))],
            ShapeStyle::from(MUTED).stroke_width(1),
        ))?;
        let tick = theme
            .text(size::SMALL * 0.9, MUTED)
            .anchor(HPos::Center, VPos::Top);
        for k in 0..=4 {
            let x = x0 + bar_w * k as f64 / 4.0;
            style::line(
                area,
                round((x, y + bar_h)),
                round((x, y + bar_h + theme.pxf(5.0))),
                MUTED.into(),
                1,
            )?;
            let label = format!("{}%", k * 25);
            tick.draw(area, &label, round((x, y + bar_h + theme.pxf(8.0))))?;
        }
        y += bar_h + theme.pxf(8.0) + tick.line_height() as f64 + theme.pxf(10.0);
    }
    let markers = [
        (spec.no_data, Station::NoData, "station not used"),
        (spec.no_station, Station::None, "no handling (junction)"),
    ];
    for (show, station, name) in markers {
        if show {
            let cy = y + row / 2.0;
            marker(area, theme, (x0 + sample / 2.0, cy), station)?;
            item.draw(area, name, (text_x, cy.round() as i32))?;
            y += row;
        }
    }
    Ok(())
}
