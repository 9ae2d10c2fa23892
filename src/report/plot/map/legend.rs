//! The map's legend: leg modes, line widths and the utilisation colour scale, in a
//! column beside the map.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::super::labels::Rect;
use super::super::style::{self, Area, Drawn, INK, MUTED, Theme, UNUSED, size};
use super::paint::{marker, round, stroke};
use super::{MapChart, Mode, Pattern, Station};

/// Draws the legend of `map` inside `rect`, from its top: only what the map shows.
pub(super) fn draw<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    rect: Rect,
    map: &MapChart,
) -> Drawn {
    let stations = |f: fn(&Station) -> bool| map.nodes.iter().any(|n| f(&n.station));
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
    let modes = [Mode::Rail, Mode::Sea, Mode::Road];
    for mode in modes
        .iter()
        .filter(|m| map.legs.iter().any(|l| l.mode == **m))
    {
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
    if map.run.is_some() && map.legs.iter().any(|l| l.flow.is_none()) {
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

    if map.max_flow > 0.0 {
        y += section_gap;
        heading(&mut y, "Trains per week (both directions)")?;
        for value in legend_values(map.max_flow) {
            let width = map.width(theme, value);
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

    let utilization = stations(|s| matches!(s, Station::Utilization(_)));
    let no_data = stations(|s| *s == Station::NoData);
    let no_station = stations(|s| *s == Station::None);
    if utilization || no_data || no_station {
        y += section_gap;
        heading(&mut y, "Station utilisation")?;
    }
    if utilization {
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
        (no_data, Station::NoData, "station not used"),
        (no_station, Station::None, "no handling (junction)"),
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

/// Up to three round values (1, 2 or 5 times a power of ten) not above `max`, for the
/// width legend, largest first.
fn legend_values(max: f64) -> Vec<f64> {
    let exp = max.log10().floor() as i32;
    let mut values = Vec::new();
    for e in (exp - 2..=exp).rev() {
        for m in [5.0, 2.0, 1.0] {
            let v = if e < 0 {
                m / 10f64.powi(-e)
            } else {
                m * 10f64.powi(e)
            };
            if v <= max * (1.0 + 1e-9) && values.len() < 3 {
                values.push(v);
            }
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_legend_values_are_round() {
        assert_eq!(legend_values(1.94), vec![1.0, 0.5, 0.2]);
        assert_eq!(legend_values(7.3), vec![5.0, 2.0, 1.0]);
        assert_eq!(legend_values(0.05), vec![0.05, 0.02, 0.01]);
    }
}
