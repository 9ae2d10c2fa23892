//! `map`: the corridor on a map. Nodes sit at their latitude and longitude
//! (equirectangular projection, longitudes shrunk by the cosine of the mean
//! latitude); legs are drawn by mode (rail solid, sea dashed, road dotted, and in
//! different colours) with a width proportional to the simulated trains per week;
//! stations are coloured by utilisation on a sequential colour-blind-safe scale.
//!
//! A corridor thousands of kilometres wide has its nodes bunched in a few places, so
//! when labels would crowd, the map shows the whole corridor on top and the most
//! crowded cluster enlarged below (its extent outlined on the overview). Labels are
//! placed greedily around their points, most important first (flow origins and
//! destinations, then stations by utilisation, then the rest); a label that finds no
//! free place is left out.

mod layout;
mod legend;
mod names;
mod paint;

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use plotters::prelude::*;

use self::layout::View;
use self::names::short_names;
use self::paint::{draw_graticule, draw_land, marker, radius, round, stroke};
use super::labels::{Placer, Rect};
use super::results::{NetworkExport, Summary};
use super::style::{self, Area, Drawn, INK, MUTED, Theme, UNUSED, size};

/// The map's data.
#[derive(Debug)]
pub(super) struct MapChart {
    network: String,
    /// Scenario name and replications, when drawn from a run.
    run: Option<(String, u64)>,
    nodes: Vec<MapNode>,
    legs: Vec<MapLeg>,
    /// Node indices, most important label first.
    label_order: Vec<usize>,
    /// Largest flow on a leg (trains per week, both directions).
    max_flow: f64,
    /// Longitude factor of the projection: cos(mean latitude).
    kx: f64,
}

#[derive(Debug)]
struct MapNode {
    label: String,
    /// Projected x: longitude times the cosine of the mean latitude.
    u: f64,
    /// Projected y: latitude.
    v: f64,
    station: Station,
}

/// What a node's marker shows.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Station {
    /// No handling resource (a junction).
    None,
    /// A station without results (not used, or no run).
    NoData,
    /// A station with its mean utilisation.
    Utilization(f64),
}

#[derive(Debug)]
struct MapLeg {
    a: usize,
    b: usize,
    mode: Mode,
    /// Trains per week, both directions; `None` if no route uses the leg.
    flow: Option<f64>,
}

/// How a leg is travelled, as drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Rail,
    Sea,
    Road,
}

impl Mode {
    fn of(name: &str) -> Mode {
        match name {
            "sea" => Mode::Sea,
            "road" => Mode::Road,
            _ => Mode::Rail,
        }
    }

    fn color(self) -> RGBColor {
        match self {
            Mode::Rail => style::RAIL,
            Mode::Sea => style::SEA,
            Mode::Road => style::ROAD,
        }
    }

    /// How a line of `width` pixels is drawn.
    fn pattern(self, theme: &Theme, width: f64) -> Pattern {
        match self {
            Mode::Rail => Pattern::Solid,
            Mode::Sea => Pattern::Dashed {
                dash: theme.pxf(18.0).max(2.5 * width),
                gap: theme.pxf(10.0).max(1.2 * width),
            },
            Mode::Road => Pattern::Dotted {
                radius: (width / 2.0).max(theme.pxf(2.2)),
                spacing: theme.pxf(9.0).max(1.9 * width),
            },
        }
    }
}

/// A line style that does not rely on colour.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Pattern {
    Solid,
    /// Dashes and gaps of these lengths (pixels).
    Dashed {
        dash: f64,
        gap: f64,
    },
    /// Round dots of this radius, centres this far apart (pixels).
    Dotted {
        radius: f64,
        spacing: f64,
    },
}

/// The most node labels a map tries to place, most important first.
const MAX_LABELS: usize = 300;

impl MapChart {
    /// The map of `network`, with flows and utilisation from `summary` if given.
    pub(super) fn new(network: &NetworkExport, summary: Option<&Summary>) -> MapChart {
        let mean_lat = if network.nodes.is_empty() {
            0.0
        } else {
            network.nodes.iter().map(|n| n.lat).sum::<f64>() / network.nodes.len() as f64
        };
        let kx = mean_lat.to_radians().cos().max(0.1);
        let labels = short_names(network);
        // Lookups by id, so the map costs time in proportion to the network's size.
        let mut stations = HashMap::new();
        let mut leg_flow: HashMap<&str, f64> = HashMap::new();
        for r in summary.map(|s| s.resources.as_slice()).unwrap_or_default() {
            if r.direction().is_none() {
                stations.entry(r.id.as_str()).or_insert(r);
            } else {
                *leg_flow.entry(r.id.as_str()).or_insert(0.0) +=
                    7.0 * r.arrivals_per_day.value().unwrap_or(0.0);
            }
        }
        let nodes: Vec<MapNode> = network
            .nodes
            .iter()
            .zip(labels)
            .map(|(n, label)| MapNode {
                label,
                u: n.lon * kx,
                v: n.lat,
                station: match stations.get(n.id.as_str()) {
                    Some(r) => r
                        .utilization
                        .value()
                        .map_or(Station::NoData, Station::Utilization),
                    None if n.servers > 0 => Station::NoData,
                    None => Station::None,
                },
            })
            .collect();
        let positions: HashMap<&str, usize> = network
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();
        let index = |id: &str| positions.get(id).copied();
        let legs: Vec<MapLeg> = network
            .legs
            .iter()
            .filter_map(|l| {
                Some(MapLeg {
                    a: index(&l.from)?,
                    b: index(&l.to)?,
                    mode: Mode::of(l.mode.name()),
                    flow: leg_flow.get(l.id.as_str()).copied().filter(|f| *f > 0.0),
                })
            })
            .collect();
        let max_flow = legs.iter().filter_map(|l| l.flow).fold(0.0, f64::max);

        // Label order: flow ends, busy stations, other stations, nodes on used legs.
        let ends: HashSet<&str> = summary
            .map(|s| {
                s.flows
                    .iter()
                    .flat_map(|f| [f.from.as_str(), f.to.as_str()])
                    .collect()
            })
            .unwrap_or_default();
        let used_nodes: HashSet<usize> = legs
            .iter()
            .filter(|l| l.flow.is_some())
            .flat_map(|l| [l.a, l.b])
            .collect();
        let on_used_leg = |i: usize| used_nodes.contains(&i);
        let class = |i: usize| -> (u8, f64) {
            let n = &nodes[i];
            if ends.contains(&network.nodes[i].id.as_str()) {
                (0, 0.0)
            } else if let Station::Utilization(u) = n.station {
                (1, -u)
            } else if n.station == Station::NoData {
                (2, 0.0)
            } else if on_used_leg(i) {
                (3, 0.0)
            } else {
                (4, 0.0)
            }
        };
        let mut label_order: Vec<usize> = (0..nodes.len()).collect();
        label_order.sort_by(|&a, &b| {
            let (ca, ua) = class(a);
            let (cb, ub) = class(b);
            ca.cmp(&cb)
                .then(ua.partial_cmp(&ub).unwrap_or(Ordering::Equal))
                .then(a.cmp(&b))
        });
        // More labels than this could not be read anyway; placing them costs time
        // growing with the square of their number.
        label_order.truncate(MAX_LABELS);
        MapChart {
            network: network.name.clone(),
            run: summary.map(|s| (s.scenario.clone(), s.replications)),
            nodes,
            legs,
            label_order,
            max_flow,
            kx,
        }
    }

    /// Draws the chart.
    pub(super) fn draw<DB: DrawingBackend>(&self, area: &Area<DB>, theme: &Theme) -> Drawn {
        let subtitle = match &self.run {
            Some((scenario, replications)) => format!(
                "{scenario} on the {} network: line width shows the trains per week on each \
                 leg (both directions, mean over {}); stations are coloured by utilisation. \
                 Grey legs and stations are not used.",
                self.network,
                style::plural(*replications, "replication")
            ),
            None => format!("The {} network.", self.network),
        };
        let top = style::header(
            area,
            theme,
            "Corridor map: flows and station utilisation",
            &subtitle,
        )?;
        let layout = self.layout(theme, top);
        for (i, view) in layout.views.iter().enumerate() {
            let detail = if i == 0 { layout.views.get(1) } else { None };
            self.draw_view(area, theme, view, detail)?;
        }
        legend::draw(area, theme, layout.legend, self)
    }

    /// Draws one panel; on the overview, `detail` is outlined and its nodes left to it
    /// for labels.
    fn draw_view<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        theme: &Theme,
        view: &View,
        detail: Option<&View>,
    ) -> Drawn {
        let rect = view.rect;
        let mut placer = Placer::new(Rect {
            x0: rect.x0 + theme.pxf(4.0),
            y0: rect.y0 + theme.pxf(4.0),
            x1: rect.x1 - theme.pxf(4.0),
            y1: rect.y1 - theme.pxf(4.0),
        });
        draw_land(area, view, self.kx)?;
        for r in draw_graticule(area, theme, view, self.kx)? {
            placer.reserve(r);
        }
        // Legs: unused first, then by flow, so the busiest lie on top.
        let mut legs: Vec<&MapLeg> = self.legs.iter().collect();
        legs.sort_by(|a, b| a.flow.unwrap_or(-1.0).total_cmp(&b.flow.unwrap_or(-1.0)));
        for leg in legs {
            let (a, b) = (&self.nodes[leg.a], &self.nodes[leg.b]);
            let Some((p, q)) = rect.clip(view.px(a.u, a.v), view.px(b.u, b.v)) else {
                continue;
            };
            let (color, width) = match leg.flow {
                Some(f) => (leg.mode.color(), self.width(theme, f)),
                None if self.run.is_some() => (UNUSED, theme.pxf(2.0)),
                None => (leg.mode.color(), theme.pxf(3.0)),
            };
            stroke(area, p, q, color, width, leg.mode.pattern(theme, width))?;
            placer.avoid_line(p, q);
        }
        // The detail's extent on the overview.
        let skip = detail.map(|d| {
            let b = d.inner(theme.pxf(13.0));
            let (x0, y0) = view.px(b.x0, b.y1);
            let (x1, y1) = view.px(b.x1, b.y0);
            Rect {
                x0: x0.max(rect.x0),
                y0: y0.max(rect.y0),
                x1: x1.min(rect.x1),
                y1: y1.min(rect.y1),
            }
        });
        // A node is drawn where its marker is whole: nearer the edge, it is left to the
        // overview (whose outline of the enlarged region excludes that margin).
        let margin = theme.pxf(13.0);
        // Junctions first, so that stations at the same place stay visible.
        for junctions in [true, false] {
            for n in self
                .nodes
                .iter()
                .filter(|n| (n.station == Station::None) == junctions)
            {
                let p = view.px(n.u, n.v);
                if view.holds(n.u, n.v, margin) {
                    marker(area, theme, p, n.station)?;
                    placer.reserve(Rect::around(p, radius(theme, n.station) + theme.pxf(2.0)));
                }
            }
        }
        if let Some(r) = skip {
            let outline = ShapeStyle::from(INK).stroke_width(theme.px(2.0).max(1) as u32);
            area.draw(&Rectangle::new(
                [round((r.x0, r.y0)), round((r.x1, r.y1))],
                outline,
            ))?;
            // The note goes just outside a corner of the box, where it hides nothing.
            let note = theme.text(size::SMALL, INK);
            let label = "enlarged below";
            let (w, h) = note.measure(label);
            let (w, h, g) = (w as f64, h as f64, theme.pxf(4.0));
            let corners = [
                (r.x0, r.y0 - g - h),
                (r.x1 - w, r.y0 - g - h),
                (r.x1 + g, r.y1 - h),
                (r.x1 + g, r.y0),
                (r.x0, r.y1 + g),
                (r.x1 - w, r.y1 + g),
            ];
            let spots: Vec<Rect> = corners
                .iter()
                .map(|&(x, y)| Rect {
                    x0: x,
                    y0: y,
                    x1: x + w,
                    y1: y + h,
                })
                .collect();
            if let Some(&c) = spots.iter().find(|c| placer.is_free(c)).or(spots.first()) {
                note.draw(area, label, round((c.x0, (c.y0 + c.y1) / 2.0)))?;
                placer.reserve(c);
            }
            placer.reserve(r);
        }
        let text = theme.text(size::SMALL, INK);
        let halo = RGBColor(255, 255, 255).mix(0.8);
        for &i in &self.label_order {
            let n = &self.nodes[i];
            let p = view.px(n.u, n.v);
            if !view.holds(n.u, n.v, margin) || skip.is_some_and(|r| r.contains_point(p)) {
                continue;
            }
            let (w, h) = text.measure(&n.label);
            let pad = theme.pxf(3.0);
            let r = radius(theme, n.station);
            let Some(placed) = placer.place(p, r, w as f64 + 2.0 * pad, h as f64 + pad) else {
                continue;
            };
            if let Some((a, b)) = placed.leader {
                style::line(area, round(a), round(b), MUTED.into(), 1)?;
            }
            let b = placed.rect;
            style::fill_rect(area, round((b.x0, b.y0)), round((b.x1, b.y1)), halo)?;
            let y = ((b.y0 + b.y1) / 2.0).round() as i32;
            text.draw(area, &n.label, ((b.x0 + pad).round() as i32, y))?;
        }
        area.draw(&Rectangle::new(
            [round((rect.x0, rect.y0)), round((rect.x1, rect.y1))],
            ShapeStyle::from(UNUSED).stroke_width(1),
        ))?;
        Ok(())
    }

    /// Line width (pixels) of a leg carrying `flow` trains per week.
    pub(super) fn width(&self, theme: &Theme, flow: f64) -> f64 {
        let max = theme.pxf(16.0);
        let min = theme.pxf(2.5);
        if self.max_flow > 0.0 {
            (flow / self.max_flow * max).max(min)
        } else {
            min
        }
    }
}
