//! Line charts on plotters' chart layer: a [`LineChart`] is a description (axes, data
//! [`Layer`]s drawn in order, [`Note`]s and a [`Legend`]) that [`LineChart::draw`]
//! turns into a `ChartBuilder` frame with its mesh, plotters series and plotters'
//! legend box. Notes and the legend go where they hide the fewest data, nearest what
//! they describe (the legend nearest a corner): candidate spots are scored by the
//! pixels of drawn data they would cover.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::types::RangedCoordf64;
use plotters::element::{Drawable, MultiLineText, PointCollection};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters_backend::{BackendCoord, DrawingErrorKind};

use super::labels::Rect;
use super::style::{Area, DrawError, Drawn, FAMILY, GRID, INK, MUTED, Theme, Ticks, size};

/// One axis: its ticks (the first and last are the ends), tick labels and title.
pub(super) struct Axis<'a> {
    /// The ticks.
    pub(super) ticks: Ticks,
    /// The label of a tick value.
    pub(super) label: &'a dyn Fn(f64) -> String,
    /// The axis title.
    pub(super) title: &'a str,
}

/// A linear axis with exactly the given ticks (plotters would choose its own).
#[derive(Clone, Debug)]
pub(super) struct Scale {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Scale {
    /// From `lo` to `hi`, ticked at `ticks`.
    pub(super) fn new(lo: f64, hi: f64, ticks: &[f64]) -> Scale {
        let hi = if hi > lo { hi } else { lo + 1.0 };
        Scale {
            lo,
            hi,
            ticks: ticks.to_vec(),
        }
    }
}

impl Ranged for Scale {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        // Out-of-range values stick to the edge, so that bands never leave the frame.
        let t = ((v - self.lo) / (self.hi - self.lo)).clamp(-0.002, 1.002);
        RangedCoordf64::from(0.0..1.0).map(&t, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// A frame of two [`Scale`]s.
pub(super) type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<Scale, Scale>>;

/// A plotters chart with its mesh (grid at the ticks, tick labels, axis titles) in
/// `area` below `top`; `y_label_width` is the room for the y tick labels (pixels).
pub(super) fn frame<'a, DB: DrawingBackend>(
    area: &'a Area<DB>,
    theme: &Theme,
    top: i32,
    (x, y): (&Axis, &Axis),
    (x_range, y_range): ((f64, f64), (f64, f64)),
    y_grid: bool,
) -> Result<Plot<'a, DB>, DrawError> {
    let mut chart = build(area, theme, top, (x, y), (x_range, y_range))?;
    mesh(&mut chart, theme, (x, y), y_grid)?;
    Ok(chart)
}

/// The plotters chart of [`frame`], without its mesh.
fn build<'a, DB: DrawingBackend>(
    area: &'a Area<DB>,
    theme: &Theme,
    top: i32,
    (x, y): (&Axis, &Axis),
    (x_range, y_range): ((f64, f64), (f64, f64)),
) -> Result<Plot<'a, DB>, DrawError> {
    let tick = theme.text(size::LABEL, MUTED);
    let widest = y
        .ticks
        .values
        .iter()
        .map(|v| tick.measure(&(y.label)(*v)).0);
    let y_width = widest.max().unwrap_or(0) + theme.px(16.0);
    let title_h = theme.text(size::AXIS, INK).line_height();
    let last = x
        .ticks
        .values
        .last()
        .map_or(0, |v| tick.measure(&(x.label)(*v)).0);
    let chart = ChartBuilder::on(area)
        .margin_top(top + theme.px(12.0))
        .margin_left(theme.margin())
        .margin_right((theme.margin()).max(last / 2 + theme.px(6.0)))
        .margin_bottom(theme.margin())
        .x_label_area_size(x_area(theme))
        .y_label_area_size(if y.ticks.values.is_empty() {
            0
        } else {
            y_width + title_h + theme.px(12.0)
        })
        .build_cartesian_2d(
            Scale::new(x_range.0, x_range.1, &x.ticks.values),
            Scale::new(y_range.0, y_range.1, &y.ticks.values),
        )?;
    Ok(chart)
}

/// Draws the mesh of [`frame`].
fn mesh<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    theme: &Theme,
    (x, y): (&Axis, &Axis),
    y_grid: bool,
) -> Drawn {
    let label = font(theme, size::LABEL, MUTED);
    let mut mesh = chart.configure_mesh();
    if !y_grid {
        mesh.disable_y_mesh();
    }
    if y.ticks.values.is_empty() {
        mesh.disable_y_axis();
    }
    mesh.bold_line_style(GRID)
        .axis_style(ShapeStyle::from(MUTED).stroke_width(theme.px(1.5).max(1) as u32))
        .x_label_formatter(&|v| (x.label)(*v))
        .y_label_formatter(&|v| (y.label)(*v))
        .x_labels(x.ticks.values.len())
        .y_labels(y.ticks.values.len())
        .label_style(label)
        .axis_desc_style(font(theme, size::AXIS, INK))
        .x_desc(x.title)
        .y_desc(y.title)
        .set_tick_mark_size(LabelAreaPosition::Left, theme.px(6.0))
        .set_tick_mark_size(LabelAreaPosition::Bottom, theme.px(6.0))
        .draw()?;
    Ok(())
}

/// Height of the x axis below a plot: tick labels and the title (pixels).
pub(super) fn x_area(theme: &Theme) -> i32 {
    let (tick, title) = (theme.text(size::LABEL, MUTED), theme.text(size::AXIS, INK));
    tick.line_height() + title.line_height() + theme.px(30.0)
}

/// A plotters text style of `size` (at 1600 px width) in `color`.
pub(super) fn font(theme: &Theme, size: f64, color: RGBColor) -> TextStyle<'static> {
    let mut style = TextStyle::from((FAMILY, (size * theme.s).max(8.0)).into_font());
    style.color = color.to_backend_color();
    style
}

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
    /// A filled triangle, pointing up.
    Triangle,
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

/// A marker of radius `r` pixels with a white halo, centred on `at`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Marker<C> {
    pub(super) at: C,
    pub(super) shape: Shape,
    pub(super) color: RGBColor,
    pub(super) r: i32,
    pub(super) halo: i32,
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
pub(super) struct Sample {
    pub(super) band: Option<RGBColor>,
    pub(super) line: Option<(RGBColor, Dash)>,
    pub(super) marker: Option<(Shape, RGBColor)>,
}

impl Sample {
    /// A line over its band.
    pub(super) fn banded(color: RGBColor) -> Sample {
        Sample {
            band: Some(color),
            line: Some((color, Dash::Solid)),
            marker: None,
        }
    }

    /// A line.
    pub(super) fn line(color: RGBColor, dash: Dash) -> Sample {
        Sample {
            line: Some((color, dash)),
            ..Sample::default()
        }
    }

    /// A marker.
    pub(super) fn marker(shape: Shape, color: RGBColor) -> Sample {
        Sample {
            marker: Some((shape, color)),
            ..Sample::default()
        }
    }
}

/// A legend sample `w` pixels wide whose left middle is at `at`.
#[derive(Clone, Copy, Debug)]
struct SampleElement {
    at: (i32, i32),
    sample: Sample,
    theme: Theme,
    w: i32,
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

/// Legend rows: a sample and its text.
#[derive(Clone, Debug, Default)]
pub(super) struct Legend {
    pub(super) rows: Vec<(Sample, String)>,
}

/// A text box set near a point of the data.
#[derive(Clone, Debug)]
pub(super) struct Note {
    /// The first line, in `color`.
    pub(super) title: String,
    /// Further lines, muted.
    pub(super) lines: Vec<String>,
    pub(super) color: RGBColor,
    /// The point described, in data coordinates.
    pub(super) anchor: (f64, f64),
    /// Bold first line.
    pub(super) bold: bool,
    /// A line from the box to the anchor when the box sits away from it.
    pub(super) leader: bool,
}

impl Note {
    /// A one-line note without a leader.
    pub(super) fn label(text: impl Into<String>, color: RGBColor, anchor: (f64, f64)) -> Note {
        Note {
            title: text.into(),
            lines: Vec::new(),
            color,
            anchor,
            bold: false,
            leader: false,
        }
    }

    fn size(&self, theme: &Theme) -> (f64, f64) {
        let t = theme.text(size::LABEL, INK);
        let bold = if self.bold { t.bold() } else { t };
        let w = std::iter::once(bold.measure(&self.title).0)
            .chain(self.lines.iter().map(|l| t.measure(l).0))
            .max()
            .unwrap_or(0);
        let step = t.line_height() + theme.px(7.0);
        let h = t.line_height() + step * self.lines.len() as i32;
        ((w + theme.px(12.0)) as f64, (h + theme.px(12.0)) as f64)
    }

    fn draw<DB: DrawingBackend>(&self, area: &Area<DB>, theme: &Theme, r: &Rect) -> Drawn {
        let i = |v: f64| v.round() as i32;
        area.draw(&Rectangle::new(
            [(i(r.x0), i(r.y0)), (i(r.x1), i(r.y1))],
            WHITE.mix(0.85).filled(),
        ))?;
        let t = theme
            .text(size::LABEL, self.color)
            .anchor(HPos::Left, VPos::Top);
        let (x, mut y) = (i(r.x0) + theme.px(6.0), i(r.y0) + theme.px(6.0));
        (if self.bold { t.bold() } else { t }).draw(area, &self.title, (x, y))?;
        let plain = theme.text(size::LABEL, MUTED).anchor(HPos::Left, VPos::Top);
        for line in &self.lines {
            y += plain.line_height() + theme.px(7.0);
            plain.draw(area, line, (x, y))?;
        }
        Ok(())
    }
}

/// A line chart's content.
pub(super) struct LineChart<'a> {
    pub(super) x_axis: Axis<'a>,
    pub(super) y_axis: Axis<'a>,
    /// Data, drawn in order.
    pub(super) layers: Vec<Layer>,
    /// Notes, most important first.
    pub(super) notes: Vec<Note>,
    pub(super) legend: Legend,
    /// Room left and right of the x ticks, as a share of their range (so that markers
    /// at the ends stay clear of the axes).
    pub(super) x_margin: f64,
}

impl LineChart<'_> {
    /// Draws the chart below `top` (the y under the title block).
    pub(super) fn draw<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        theme: &Theme,
        top: i32,
    ) -> Drawn {
        let axes = (&self.x_axis, &self.y_axis);
        // The legend goes inside the plot where it hides no data, or else above it.
        let (mut chart, mut placer, mut spots, legend) = self.layout(area, theme, top)?;
        let mut above = None;
        if legend.is_some_and(|(_, cost)| cost > 0) {
            let m = theme.margin();
            let (columns, h) = self.rows_above(theme, theme.width - 2 * m);
            above = Some((columns, top));
            (chart, placer, spots, _) = self.layout(area, theme, top + h + theme.px(8.0))?;
        }
        mesh(&mut chart, theme, axes, true)?;
        for layer in &self.layers {
            draw_layer(&mut chart, theme, layer)?;
        }
        for (note, spot) in self.notes.iter().zip(&spots) {
            if let Some((rect, anchor)) = spot {
                let end = rect.nearest(*anchor);
                let d = (end.0 - anchor.0).hypot(end.1 - anchor.1);
                if note.leader && d > theme.pxf(18.0) {
                    let i = |p: (f64, f64)| (p.0.round() as i32, p.1.round() as i32);
                    let style = ShapeStyle::from(MUTED).stroke_width(theme.px(1.5).max(1) as u32);
                    area.draw(&PathElement::new([i(*anchor), i(end)], style))?;
                }
                note.draw(area, theme, rect)?;
            }
        }
        match above {
            Some((columns, y)) => {
                let x = chart.plotting_area().get_pixel_range().0.start - theme.px(14.0);
                self.draw_rows(area, theme, (x.max(theme.margin()), y), columns)
            }
            None => self.draw_legend(&mut chart, theme, &mut placer),
        }
    }

    /// The chart below `top` with its data, notes and legend placed.
    #[allow(clippy::type_complexity)]
    fn layout<'b, DB: DrawingBackend>(
        &self,
        area: &'b Area<DB>,
        theme: &Theme,
        top: i32,
    ) -> Result<
        (
            Plot<'b, DB>,
            Placer,
            Vec<Option<(Rect, (f64, f64))>>,
            Option<(Rect, u32)>,
        ),
        DrawError,
    > {
        let (xt, yt) = (&self.x_axis.ticks, &self.y_axis.ticks);
        let pad = self.x_margin * (xt.hi - xt.lo);
        let ranges = ((xt.lo - pad, xt.hi + pad), (yt.lo, yt.hi));
        let chart = build(area, theme, top, (&self.x_axis, &self.y_axis), ranges)?;
        let mut placer = Placer::new(&chart, theme, &self.layers);
        let mut spots = Vec::new();
        for note in &self.notes {
            let anchor = chart.backend_coord(&note.anchor);
            let anchor = (anchor.0 as f64, anchor.1 as f64);
            let (w, h) = note.size(theme);
            spots.push(placer.near(anchor, w, h).map(|r| (r.0, anchor)));
        }
        let legend = self.legend_size(theme)?.and_then(|(w, h)| {
            let spot = placer.corner(w, h);
            placer.taken.pop();
            spot
        });
        Ok((chart, placer, spots, legend))
    }

    /// The size of plotters' legend box, if there is a legend.
    fn legend_size(&self, theme: &Theme) -> Result<Option<(f64, f64)>, DrawError> {
        if self.legend.rows.is_empty() {
            return Ok(None);
        }
        let label = font(theme, size::LABEL, INK);
        let mut text = MultiLineText::<_, &str>::new((0, 0), &label);
        for (_, row) in &self.legend.rows {
            text.push_line(row.as_str());
        }
        let (w, h) = text
            .estimate_dimension()
            .map_err(|e| DrawError(e.to_string()))?;
        let (margin, sample) = (theme.px(14.0), theme.px(44.0));
        Ok(Some((
            (w + sample + 2 * margin) as f64,
            (h + 2 * margin) as f64,
        )))
    }

    /// Columns and height of the legend drawn above the plot within `width` pixels.
    fn rows_above(&self, theme: &Theme, width: i32) -> (usize, i32) {
        let t = theme.text(size::LABEL, INK);
        let widest = self.legend.rows.iter().map(|r| t.measure(&r.1).0).max();
        let column = widest.unwrap_or(0) + theme.px(100.0);
        let n = self.legend.rows.len();
        let columns = (width / column.max(1)).clamp(1, n.max(1) as i32) as usize;
        let h = n.div_ceil(columns) as i32 * (t.line_height() + theme.px(12.0));
        (columns, h)
    }

    /// The legend rows in `columns` columns from `(x, y)`.
    fn draw_rows<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        theme: &Theme,
        (x, y): (i32, i32),
        columns: usize,
    ) -> Drawn {
        let t = theme.text(size::LABEL, INK);
        let widest = self.legend.rows.iter().map(|r| t.measure(&r.1).0).max();
        let column = widest.unwrap_or(0) + theme.px(100.0);
        let per_column = self.legend.rows.len().div_ceil(columns);
        let row_h = t.line_height() + theme.px(12.0);
        for (i, (sample, text)) in self.legend.rows.iter().enumerate() {
            let x0 = x + (i / per_column) as i32 * column + theme.px(14.0);
            let y0 = y + (i % per_column) as i32 * row_h + t.line_height() / 2;
            let w = theme.px(32.0);
            area.draw(&SampleElement {
                at: (x0, y0),
                sample: *sample,
                theme: *theme,
                w,
            })?;
            t.draw(area, text, (x0 + w + theme.px(12.0), y0))?;
        }
        Ok(())
    }

    /// plotters' legend, at the free spot nearest a corner.
    fn draw_legend<'b, DB: DrawingBackend + 'b>(
        &self,
        chart: &mut Plot<'b, DB>,
        theme: &Theme,
        placer: &mut Placer,
    ) -> Drawn {
        let Some((w, h)) = self.legend_size(theme)? else {
            return Ok(());
        };
        let Some((spot, _)) = placer.corner(w, h) else {
            return Ok(());
        };
        let (label, margin, sample) = (
            font(theme, size::LABEL, INK),
            theme.px(14.0),
            theme.px(44.0),
        );
        for &(s, ref row) in &self.legend.rows {
            let t = *theme;
            chart
                .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())?
                .label(row)
                .legend(move |at| SampleElement {
                    at,
                    sample: s,
                    theme: t,
                    w: sample - t.px(12.0),
                });
        }
        let (x0, y0) = chart.plotting_area().get_base_pixel();
        let at = ((spot.x0 as i32) - x0, (spot.y0 as i32) - y0);
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::Coordinate(at.0, at.1))
            .margin(margin)
            .legend_area_size(sample)
            .label_font(label)
            .background_style(WHITE.mix(0.92))
            .border_style(GRID)
            .draw()?;
        Ok(())
    }
}

/// Draws one layer on `chart`.
fn draw_layer<DB: DrawingBackend>(chart: &mut Plot<DB>, theme: &Theme, layer: &Layer) -> Drawn {
    match layer {
        Layer::Band {
            points,
            color,
            opacity,
        } => {
            let outline = points.iter().map(|p| (p.0, p.2));
            let outline = outline.chain(points.iter().rev().map(|p| (p.0, p.1)));
            let band = Polygon::new(outline.collect::<Vec<_>>(), color.mix(*opacity).filled());
            chart.draw_series(std::iter::once(band))?;
        }
        Layer::Strip { x, color, opacity } => {
            let y = chart.y_range();
            let strip =
                Rectangle::new([(x.0, y.start), (x.1, y.end)], color.mix(*opacity).filled());
            chart.draw_series(std::iter::once(strip))?;
        }
        Layer::Line {
            points,
            color,
            width,
            dash,
        } => {
            let w = theme.pxf(*width).max(1.0);
            let style = ShapeStyle::from(*color).stroke_width(w.round() as u32);
            let points = points.iter().copied();
            match dash {
                Dash::Solid => chart.draw_series(LineSeries::new(points, style))?,
                Dash::Dashed => {
                    let (on, off) = (theme.pxf(12.0).max(3.0 * w), theme.pxf(8.0).max(2.0 * w));
                    chart.draw_series(DashedLineSeries::new(points, on, off, style))?
                }
                Dash::Dotted => {
                    let r = (w * 0.75).max(1.0).round() as i32;
                    let fill = color.filled();
                    let dot = move |c| Circle::new(c, r, fill);
                    let gap = theme.pxf(8.0).max(2.6 * w);
                    chart.draw_series(DottedLineSeries::new(points, 0.0, gap, dot))?
                }
            };
        }
        Layer::Markers {
            points,
            shape,
            color,
            size,
        } => {
            let (x, y) = (chart.x_range(), chart.y_range());
            let inside = points
                .iter()
                .filter(|p| x.contains(&p.0) && p.1 >= y.start && p.1 <= y.end);
            let (r, halo) = (theme.px(*size).max(3), theme.px(2.0).max(1));
            chart.draw_series(inside.map(|p| Marker {
                at: *p,
                shape: *shape,
                color: *color,
                r,
                halo,
            }))?;
        }
    }
    Ok(())
}

/// Finds spots for boxes inside the plot that cover few data pixels and no box
/// already placed.
struct Placer {
    bounds: Rect,
    /// Pixels of drawn data (strips count for less: they only shade).
    data: Vec<(f64, f64, u32)>,
    taken: Vec<Rect>,
    s: f64,
}

impl Placer {
    fn new<DB: DrawingBackend>(chart: &Plot<DB>, theme: &Theme, layers: &[Layer]) -> Placer {
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        let inset = theme.pxf(6.0);
        let bounds = Rect {
            x0: xr.start as f64 + inset,
            y0: yr.start as f64 + inset,
            x1: xr.end as f64 - inset,
            y1: yr.end as f64 - inset,
        };
        let px = |p: (f64, f64)| {
            let c = chart.backend_coord(&p);
            (c.0 as f64, c.1 as f64)
        };
        let step = theme.pxf(4.0).max(1.0);
        let mut data = Vec::new();
        let path = |pts: &[(f64, f64)], weight: u32, data: &mut Vec<(f64, f64, u32)>| {
            for w in pts.windows(2) {
                let (a, b) = (px(w[0]), px(w[1]));
                let n = ((b.0 - a.0).hypot(b.1 - a.1) / step).ceil().min(2000.0) as usize;
                for k in 0..=n {
                    let t = k as f64 / n.max(1) as f64;
                    data.push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1), weight));
                }
            }
        };
        for layer in layers {
            match layer {
                Layer::Band { points, .. } => {
                    for &(x, lo, hi) in points {
                        path(&[(x, lo), (x, hi)], 10, &mut data);
                    }
                }
                Layer::Strip { x, .. } => {
                    let (y0, y1) = (chart.y_range().start, chart.y_range().end);
                    for k in 0..=20 {
                        let y = y0 + (y1 - y0) * f64::from(k) / 20.0;
                        path(&[(x.0, y), (x.1, y)], 1, &mut data);
                    }
                }
                Layer::Line { points, .. } => path(points, 10, &mut data),
                Layer::Markers { points, .. } => {
                    data.extend(points.iter().map(|p| (px(*p).0, px(*p).1, 40)));
                }
            }
        }
        Placer {
            bounds,
            data,
            taken: Vec::new(),
            s: theme.s,
        }
    }

    /// The data weight under `r`, or `None` if `r` is not free.
    fn cost(&self, r: &Rect) -> Option<u32> {
        if !self.bounds.contains(r) || self.taken.iter().any(|t| t.overlaps(r)) {
            return None;
        }
        let pad = 6.0 * self.s;
        let grown = Rect::centred(
            ((r.x0 + r.x1) / 2.0, (r.y0 + r.y1) / 2.0),
            r.w() + pad,
            r.h() + pad,
        );
        Some(
            self.data
                .iter()
                .filter(|p| grown.contains_point((p.0, p.1)))
                .map(|p| p.2)
                .sum(),
        )
    }

    /// Takes the cheapest of `candidates` (scored by data covered, then `extra`).
    /// Returns the spot and its data weight.
    fn take(&mut self, candidates: impl Iterator<Item = (Rect, f64)>) -> Option<(Rect, u32)> {
        let best = candidates
            .filter_map(|(r, extra)| {
                let cost = self.cost(&r)?;
                Some((r, cost, f64::from(cost) * 4.0 + extra))
            })
            .min_by(|a, b| a.2.total_cmp(&b.2))?;
        self.taken.push(best.0);
        Some((best.0, best.1))
    }

    /// A `w` × `h` spot near `anchor`, in eight directions at growing distances.
    fn near(&mut self, anchor: (f64, f64), w: f64, h: f64) -> Option<(Rect, u32)> {
        let s = self.s;
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
                    (Rect::centred((cx, cy), w, h), d * s + f64::from(k))
                })
            });
        self.take(spots)
    }

    /// A `w` × `h` spot nearest a corner (upper left first), stepping inwards.
    fn corner(&mut self, w: f64, h: f64) -> Option<(Rect, u32)> {
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
                    let r = Rect {
                        x0: x,
                        y0: y,
                        x1: x + w,
                        y1: y + h,
                    };
                    (r, 8.0 * f64::from(i + j) + f64::from(c))
                })
            })
        });
        self.take(spots)
    }
}
