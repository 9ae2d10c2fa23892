//! Line charts on plotters' chart layer: a [`LineChart`] is a description (axes, data
//! [`Layer`]s drawn in order, [`Note`]s and legend rows) that [`LineChart::draw`]
//! turns into a `ChartBuilder` frame with its mesh, plotters series and plotters'
//! legend box. Notes and the legend go where they hide the fewest data, nearest what
//! they describe (the legend nearest a corner): candidate spots are scored by the
//! pixels of drawn data they would cover.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::types::RangedCoordf64;
use plotters::element::MultiLineText;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use self::marks::SampleElement;
pub(super) use self::marks::{Marker, Sample};
use super::labels::{Placer, Rect};
use super::style::{self, Area, DrawError, Drawn, FAMILY, GRID, INK, MUTED, Theme, Ticks, size};

mod marks;

/// One axis: its ticks (the first and last are the ends), tick labels and title.
pub(super) struct Axis {
    /// The ticks.
    pub(super) ticks: Ticks,
    /// The label of a tick value.
    pub(super) label: Box<dyn Fn(f64) -> String>,
    /// The axis title.
    pub(super) title: String,
}

impl Axis {
    /// Ticks labelled by `label`.
    pub(super) fn new(
        ticks: Ticks,
        title: impl Into<String>,
        label: impl Fn(f64) -> String + 'static,
    ) -> Axis {
        Axis {
            ticks,
            label: Box::new(label),
            title: title.into(),
        }
    }

    /// Ticks labelled with their values, in as many decimals as they need.
    pub(super) fn numbers(ticks: Ticks, title: impl Into<String>) -> Axis {
        let decimals = ticks.decimals;
        Axis::new(ticks, title, move |v| style::number(v, decimals))
    }

    /// Ticks of shares labelled as percentages.
    pub(super) fn percent(ticks: Ticks, title: impl Into<String>) -> Axis {
        let decimals = ticks.decimals.saturating_sub(2);
        Axis::new(ticks, title, move |v| {
            format!("{}%", style::number(v * 100.0, decimals))
        })
    }
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
        .x_desc(&x.title)
        .y_desc(&y.title)
        .set_tick_mark_size(LabelAreaPosition::Left, theme.px(6.0))
        .set_tick_mark_size(LabelAreaPosition::Bottom, theme.px(6.0))
        .draw()?;
    Ok(())
}

/// A [`frame`] for horizontal bars on `x`: a row of height 1 per label, the first at
/// the top (row `i` centred at `n - i - 0.5`), without a y grid.
pub(super) fn bar_frame<'a, DB: DrawingBackend>(
    area: &'a Area<DB>,
    theme: &Theme,
    top: i32,
    x: &Axis,
    labels: Vec<String>,
) -> Result<Plot<'a, DB>, DrawError> {
    let n = labels.len();
    let mut y_ticks = style::ticks(0.0, n as f64, 1);
    y_ticks.values = (0..n).map(|i| i as f64 + 0.5).collect();
    let y = Axis::new(y_ticks, "", move |v| {
        let row = n.checked_sub(v.max(0.0) as usize + 1);
        row.map_or(String::new(), |i| labels[i].clone())
    });
    let ranges = ((x.ticks.lo, x.ticks.hi), (0.0, n as f64));
    frame(area, theme, top, (x, &y), ranges, false)
}

/// A whisker from `lo` to `hi` at height `y` with end caps `cap` high either side.
pub(super) fn whisker<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    (lo, hi): (f64, f64),
    y: f64,
    cap: f64,
    style: ShapeStyle,
) -> Drawn {
    let caps = [lo, hi].map(|x| PathElement::new([(x, y - cap), (x, y + cap)], style));
    chart.draw_series(caps)?;
    chart.draw_series([PathElement::new([(lo, y), (hi, y)], style)])?;
    Ok(())
}

/// A row of coloured squares naming `items`, from the left margin below `top`;
/// returns the y below it.
pub(super) fn swatches<'s, DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    top: i32,
    items: impl IntoIterator<Item = (RGBColor, &'s str)>,
) -> Result<i32, DrawError> {
    let text = theme.text(size::LABEL, INK);
    let side = theme.px(20.0);
    let cy = top + text.line_height() / 2;
    let mut x = theme.margin();
    for (color, name) in items {
        let square = [(x, cy - side / 2), (x + side, cy + side / 2)];
        area.draw(&Rectangle::new(square, color.filled()))?;
        x += side + theme.px(10.0);
        text.draw(area, name, (x, cy))?;
        x += text.measure(name).0 + theme.px(32.0);
    }
    Ok(top + text.line_height() + theme.px(16.0))
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

    /// A note with a bold first line and further `lines`, without a leader.
    pub(super) fn bold(
        title: impl Into<String>,
        lines: Vec<String>,
        color: RGBColor,
        anchor: (f64, f64),
    ) -> Note {
        let label = Note::label(title, color, anchor);
        Note {
            lines,
            bold: true,
            ..label
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
pub(super) struct LineChart {
    pub(super) x_axis: Axis,
    pub(super) y_axis: Axis,
    /// Data, drawn in order.
    pub(super) layers: Vec<Layer>,
    /// Notes, most important first.
    pub(super) notes: Vec<Note>,
    /// Legend rows: a sample and its text.
    pub(super) legend: Vec<(Sample, String)>,
    /// Room left and right of the x ticks, as a share of their range (so that markers
    /// at the ends stay clear of the axes).
    pub(super) x_margin: f64,
}

impl LineChart {
    /// An empty chart on these axes.
    pub(super) fn new(x_axis: Axis, y_axis: Axis) -> LineChart {
        LineChart {
            x_axis,
            y_axis,
            layers: Vec::new(),
            notes: Vec::new(),
            legend: Vec::new(),
            x_margin: 0.0,
        }
    }

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
        if !self.legend.is_empty() && legend.is_none_or(|(_, cost)| cost > 0) {
            let m = theme.margin();
            let (grid, h) = self.rows_above(theme, theme.width - 2 * m);
            above = Some((grid, top));
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
            Some((grid, y)) => {
                let x = chart.plotting_area().get_pixel_range().0.start - theme.px(14.0);
                self.draw_rows(area, theme, (x.max(theme.margin()), y), grid)
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
        let mut placer = placer(&chart, theme, &self.layers);
        let mut spots = Vec::new();
        for note in &self.notes {
            let anchor = chart.backend_coord(&note.anchor);
            let anchor = (anchor.0 as f64, anchor.1 as f64);
            let spot = placer.near(anchor, note.size(theme), theme.s);
            spots.push(spot.map(|r| (r.0, anchor)));
        }
        let legend = self.legend_size(theme)?.and_then(|size| {
            let spot = placer.corner(size);
            placer.taken.pop();
            spot
        });
        Ok((chart, placer, spots, legend))
    }

    /// The size of plotters' legend box, if there is a legend.
    fn legend_size(&self, theme: &Theme) -> Result<Option<(f64, f64)>, DrawError> {
        if self.legend.is_empty() {
            return Ok(None);
        }
        let label = font(theme, size::LABEL, INK);
        let mut text = MultiLineText::<_, &str>::new((0, 0), &label);
        for (_, row) in &self.legend {
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

    /// Columns, rows per column and height of the legend drawn above the plot within
    /// `width` pixels, in at most a third of the image's height.
    fn rows_above(&self, theme: &Theme, width: i32) -> ((usize, usize), i32) {
        let t = theme.text(size::LABEL, INK);
        let row_h = t.line_height() + theme.px(12.0);
        let n = self.legend.len().max(1);
        let columns = (width / self.column_width(theme).max(1)).clamp(1, n as i32) as usize;
        let most = (theme.height / 3 / row_h.max(1)).max(1) as usize;
        let per_column = n.div_ceil(columns).min(most);
        ((columns, per_column), per_column as i32 * row_h)
    }

    /// Width of a column of the legend above the plot.
    fn column_width(&self, theme: &Theme) -> i32 {
        let t = theme.text(size::LABEL, INK);
        let widest = self.legend.iter().map(|r| t.measure(&r.1).0).max();
        widest.unwrap_or(0) + theme.px(100.0)
    }

    /// The legend rows in `columns` columns of `per_column` rows from `(x, y)`; the
    /// last place says how many rows did not fit, if some did not.
    fn draw_rows<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        theme: &Theme,
        (x, y): (i32, i32),
        (columns, per_column): (usize, usize),
    ) -> Drawn {
        let t = theme.text(size::LABEL, INK);
        let row_h = t.line_height() + theme.px(12.0);
        let (n, places) = (self.legend.len(), columns * per_column);
        let shown = if n > places { places - 1 } else { n };
        let at = |i: usize| {
            let x0 = x + (i / per_column) as i32 * self.column_width(theme) + theme.px(14.0);
            (
                x0,
                y + (i % per_column) as i32 * row_h + t.line_height() / 2,
            )
        };
        let w = theme.px(32.0);
        for (i, (sample, text)) in self.legend.iter().take(shown).enumerate() {
            let (x0, y0) = at(i);
            let sample = *sample;
            let theme = *theme;
            area.draw(&SampleElement {
                at: (x0, y0),
                sample,
                theme,
                w,
            })?;
            t.draw(area, text, (x0 + w + theme.px(12.0), y0))?;
        }
        if shown < n {
            let (x0, y0) = at(shown);
            let more = theme.text(size::LABEL, MUTED);
            more.draw(area, &format!("… and {} more", n - shown), (x0, y0))?;
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
        let Some(size) = self.legend_size(theme)? else {
            return Ok(());
        };
        let Some((spot, _)) = placer.corner(size) else {
            return Ok(());
        };
        let (label, margin, sample) = (
            font(theme, size::LABEL, INK),
            theme.px(14.0),
            theme.px(44.0),
        );
        for &(s, ref row) in &self.legend {
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

/// A placer for the notes and legend of `chart`, inside its plot, that scores spots by
/// the pixels of the `layers` they would cover (sampled along lines and across bands;
/// strips count for less: they only shade).
fn placer<DB: DrawingBackend>(chart: &Plot<DB>, theme: &Theme, layers: &[Layer]) -> Placer {
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
    Placer::over_data(bounds, data, 6.0 * theme.s)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_maps_linearly_and_keeps_out_of_range_values_at_the_edge() {
        let scale = Scale::new(0.0, 10.0, &[0.0, 5.0, 10.0]);
        assert_eq!(scale.map(&5.0, (100, 300)), 200);
        assert_eq!(scale.map(&0.0, (100, 300)), 100);
        assert!((99..=101).contains(&scale.map(&-50.0, (100, 300))));
        assert!((299..=301).contains(&scale.map(&1e9, (100, 300))));
        assert_eq!(Scale::new(3.0, 3.0, &[3.0]).range(), 3.0..4.0);
    }
}
