//! The dated parts of a scenario file: `start_date`, `period`, days given as dates,
//! volumes over time (`[[flow.rate]]`, `monthly`, `growth_per_year`), the `from` and
//! `until` of overrides, and the starting `[[backlog]]`.

use serde_spanned::Spanned;

use super::did_you_mean;
use super::dto::{BacklogSpec, DaySpec, FlowSpec, OverrideSpec, ScenarioFile};
use super::network::Checker;
use crate::calendar::{self, Calendar, Period};
use crate::error::Problem;
use crate::network::{Network, ValueKind, limits};
use crate::routing::Router;
use crate::scenario::{Backlog, Flow, RateProfile, TrainSize};

/// Days in the average Gregorian month, for `trains_per_month`.
const DAYS_PER_MONTH: f64 = 365.2425 / 12.0;
/// Most entries in a flow's `rate` list or `monthly` series (a century of months).
const MAX_STEPS: usize = 1200;
/// Largest growth per year accepted (+1000% a year).
const MAX_GROWTH: f64 = 10.0;

const DATE_HELP: &str =
    "give a day number (days since day 0) or, with `start_date`, a date YYYY-MM-DD";

/// The calendar: `start_date`, if given and valid.
pub(super) fn calendar(ck: &mut Checker, file: &ScenarioFile) -> Calendar {
    match &file.start_date {
        None => Calendar::default(),
        Some(s) => match calendar::parse_date(s.get_ref()) {
            Ok(d) => Calendar::starting(d),
            Err(e) => {
                ck.error_help(
                    s.span(),
                    format!("`start_date`: {e}"),
                    "e.g. start_date = \"2024-01-01\"",
                );
                Calendar::default()
            }
        },
    }
}

/// A day given as a number or a date.
pub(super) fn day(
    ck: &mut Checker,
    field: &str,
    v: &Spanned<DaySpec>,
    cal: &Calendar,
) -> Option<f64> {
    match v.get_ref() {
        DaySpec::Day(d) => {
            let (lo, hi, why) = limits::DAYS;
            if d.is_finite() && *d >= lo && *d <= hi {
                Some(*d)
            } else {
                ck.error_help(
                    v.span(),
                    format!("`{field}` must be a day from {lo} to {hi} ({why}), got {d}"),
                    DATE_HELP,
                );
                None
            }
        }
        DaySpec::Date(text) => {
            if cal.start.is_none() {
                ck.error_help(
                    v.span(),
                    format!("`{field}` is a date (`{text}`) but the scenario has no `start_date`"),
                    "add start_date = \"YYYY-MM-DD\" (the date of day 0), or give a day number",
                );
                return None;
            }
            match calendar::parse_date(text).map(|d| cal.day_of(d)) {
                Ok(Some(d)) if d >= 0.0 => Some(d),
                Ok(_) => {
                    ck.error_help(
                        v.span(),
                        format!("`{field}` {text} is before the start date"),
                        "dates must be on or after start_date",
                    );
                    None
                }
                Err(e) => {
                    ck.error_help(v.span(), format!("`{field}`: {e}"), DATE_HELP);
                    None
                }
            }
        }
    }
}

/// The period of results over time: `month`, `week` or a number of days.
pub(super) fn period(ck: &mut Checker, file: &ScenarioFile, cal: &Calendar) -> Option<Period> {
    let Some(p) = &file.period else {
        return cal.start.map(|_| Period::Month);
    };
    parse_period(p.get_ref()).map_or_else(
        |e| {
            ck.error_help(
                p.span(),
                e,
                "period = \"month\", \"week\" or a number of days",
            );
            None
        },
        Some,
    )
}

/// Parses a period as written on the command line or in a file.
pub fn parse_period(p: &DaySpec) -> Result<Period, String> {
    let (lo, hi) = (1.0, limits::MAX_HORIZON_DAYS);
    match p {
        DaySpec::Date(w) if w == "month" => Ok(Period::Month),
        DaySpec::Date(w) if w == "week" => Ok(Period::Days(7.0)),
        DaySpec::Date(w) => match w.parse::<f64>() {
            Ok(d) => parse_period(&DaySpec::Day(d)),
            Err(_) => Err(format!(
                "unknown period `{w}`: use `month`, `week` or a number of days"
            )),
        },
        DaySpec::Day(d) if d.is_finite() && (lo..=hi).contains(d) => Ok(Period::Days(*d)),
        DaySpec::Day(d) => Err(format!(
            "a period must be from {lo} to {hi} days (time series need at least a day per period), got {d}"
        )),
    }
}

/// A flow's volume over time: the level (trains per week) and its profile, when the
/// flow gives `rate` or `monthly`; `Ok(None)` when it gives neither.
pub(super) fn flow_rates(
    ck: &mut Checker,
    spec: &FlowSpec,
    train: Option<TrainSize>,
    cal: &Calendar,
    horizon: Option<f64>,
) -> Result<Option<(f64, RateProfile)>, ()> {
    let before = ck.problems.len();
    let per_teu = |ck: &mut Checker, span: std::ops::Range<usize>| match train {
        Some(t) if t.teu > 0.0 => Some(t.teu),
        Some(_) => {
            ck.error_help(
                span,
                "volumes in TEU need the train's `teu` to be above zero",
                "set train.teu, or give trains instead",
            );
            None
        }
        None => None,
    };
    let mut steps: Vec<(f64, f64)> = Vec::new();
    let (_, max_week, _) = limits::TRAINS_PER_WEEK;
    let rate_ok = |ck: &mut Checker, v: f64, span: std::ops::Range<usize>| {
        if v.is_finite() && (0.0..=max_week).contains(&v) {
            Some(v)
        } else {
            ck.error_help(
                span,
                format!("a rate must be from 0 to {max_week} trains per week, got {v:.6}"),
                "give a finite volume of zero or more",
            );
            None
        }
    };
    for r in &spec.rate {
        let from = day(ck, "rate.from", &r.from, cal);
        let weekly = match (&r.trains_per_week, &r.trains_per_month, &r.teu_per_year) {
            (Some(w), None, None) => rate_ok(ck, *w.get_ref(), w.span()),
            (None, Some(m), None) => rate_ok(ck, m.get_ref() / DAYS_PER_MONTH * 7.0, m.span()),
            (None, None, Some(y)) => per_teu(ck, y.span())
                .and_then(|teu| rate_ok(ck, y.get_ref() / teu / 365.0 * 7.0, y.span())),
            _ => {
                ck.error_help(
                    r.from.span(),
                    "a `rate` entry needs exactly one of `trains_per_week`, `trains_per_month` and `teu_per_year`",
                    "e.g. [[flow.rate]] from = \"2024-05-01\", trains_per_week = 6",
                );
                None
            }
        };
        if let (Some(d), Some(w)) = (from, weekly) {
            if steps.last().is_some_and(|(last, _)| *last >= d) {
                ck.error_help(
                    r.from.span(),
                    format!("`rate` entries must be in increasing order of `from`; day {d} is not after the one before"),
                    "list the rates from the earliest date to the latest",
                );
            }
            steps.push((d, w));
        }
    }
    if let Some(m) = &spec.monthly {
        let ms = m.get_ref();
        if !spec.rate.is_empty() {
            ck.error_help(
                m.span(),
                "a flow gives both `rate` and `monthly`",
                "give its volume over time one way",
            );
        }
        let first = match calendar::parse_month(ms.start.get_ref()) {
            Ok(f) => Some(f),
            Err(e) => {
                ck.error_help(ms.start.span(), format!("`monthly.start`: {e}"), DATE_HELP);
                None
            }
        };
        if cal.start.is_none() {
            ck.error_help(
                m.span(),
                "`monthly` volumes need the scenario's `start_date`",
                "add start_date = \"YYYY-MM-DD\" (the date of day 0)",
            );
        }
        let (values, teu) = match (&ms.trains, &ms.teu) {
            (Some(t), None) => (Some(t), None),
            (None, Some(t)) => (Some(t), per_teu(ck, t.span())),
            _ => {
                ck.error_help(
                    m.span(),
                    "`monthly` needs exactly one of `trains` and `teu`",
                    "e.g. monthly = { start = \"2024-01\", trains = [10, 12, 15] }",
                );
                (None, None)
            }
        };
        if let (Some(first), Some(values), Some(_)) = (first, values, cal.start) {
            let divisor = if ms.teu.is_some() { teu } else { Some(1.0) };
            let mut month = first;
            for v in values.get_ref().iter().take(MAX_STEPS + 1) {
                let Some(div) = divisor else { break };
                let days = calendar::days_in_month(month);
                let weekly = rate_ok(ck, v / div / days * 7.0, values.span());
                let start = cal.day_of(month).unwrap_or(0.0);
                if let Some(w) = weekly {
                    if start < 0.0 {
                        // A month before day 0 only matters if day 0 falls inside it.
                        steps.clear();
                        steps.push((0.0, w));
                    } else {
                        steps.push((start, w));
                    }
                }
                month = month
                    .checked_add_days(chrono::Days::new(days as u64))
                    .unwrap_or(chrono::NaiveDate::MAX);
            }
            // The series ends after its last month.
            if let Some(end) = cal.day_of(month).filter(|e| *e > 0.0) {
                steps.push((end, 0.0));
            }
        }
    }
    if steps.len() > MAX_STEPS {
        let span = spec
            .monthly
            .as_ref()
            .map_or(spec.from.span(), Spanned::span);
        ck.error_help(
            span,
            format!(
                "a flow's volume changes {} times, more than {MAX_STEPS}",
                steps.len()
            ),
            "give at most a century of monthly volumes",
        );
    }
    if ck.problems.len() > before {
        return Err(());
    }
    if steps.is_empty() {
        return Ok(None);
    }
    let growth = growth(ck, spec).ok_or(())?;
    // The level is the mean weekly rate over the horizon, so the profile's factors
    // average about 1 (exactly 1 without growth).
    let raw = RateProfile {
        steps: steps.clone(),
        growth_per_year: 0.0,
    };
    let h = horizon.unwrap_or(365.0);
    let level = raw.integral(0.0, h) / h;
    if level <= 0.0 {
        ck.error_help(
            spec.from.span(),
            format!(
                "flow `{}` offers no trains before the horizon",
                spec.from.get_ref()
            ),
            "give a rate above zero on some day before the horizon",
        );
        return Err(());
    }
    Ok(Some((
        level,
        RateProfile {
            steps: steps.into_iter().map(|(d, w)| (d, w / level)).collect(),
            growth_per_year: growth,
        },
    )))
}

/// A flow's `growth_per_year` (0 if not given).
pub(super) fn growth(ck: &mut Checker, spec: &FlowSpec) -> Option<f64> {
    match &spec.growth_per_year {
        None => Some(0.0),
        Some(g) if g.get_ref().is_finite() && *g.get_ref() > -1.0 && *g.get_ref() <= MAX_GROWTH => {
            Some(*g.get_ref())
        }
        Some(g) => {
            ck.error_help(
                g.span(),
                format!(
                    "`growth_per_year` must be above -1 and at most {MAX_GROWTH}, got {}",
                    g.get_ref()
                ),
                "e.g. growth_per_year = 0.1 for +10% a year",
            );
            None
        }
    }
}

/// An override's `from` and `until`: `Ok(None)` if it has neither (or holds from day 0
/// on), so it changes the network itself.
pub(super) fn window(
    ck: &mut Checker,
    spec: &OverrideSpec,
    cal: &Calendar,
) -> Result<Option<(f64, Option<f64>)>, ()> {
    let before = ck.problems.len();
    let from = spec.from.as_ref().and_then(|f| day(ck, "from", f, cal));
    let until = spec.until.as_ref().and_then(|u| day(ck, "until", u, cal));
    if ck.problems.len() > before {
        return Err(());
    }
    let from = from.unwrap_or(0.0);
    if let (Some(u), Some(span)) = (until, spec.until.as_ref().map(Spanned::span))
        && u <= from
    {
        ck.error_help(
            span,
            format!("`until` (day {u}) must be after `from` (day {from})"),
            "until is the first day the change no longer applies",
        );
        return Err(());
    }
    if from <= 0.0 && until.is_none() {
        Ok(None)
    } else {
        Ok(Some((from, until)))
    }
}

/// The `[[backlog]]` entries: flows that exist and whose routes pass the node.
pub(super) fn backlog(
    ck: &mut Checker,
    specs: &[BacklogSpec],
    flows: &[Flow],
    network: &Network,
    router: &Router<'_>,
) -> Vec<Backlog> {
    let mut out = Vec::new();
    let (_, max_trains, why) = limits::BACKLOG_TRAINS;
    for b in specs {
        let Some(flow) = flows.iter().position(|f| &f.id == b.flow.get_ref()) else {
            let mut p = Problem::at(
                b.flow.span(),
                format!("unknown flow `{}`", b.flow.get_ref()),
            );
            if let Some(h) = did_you_mean(b.flow.get_ref(), flows.iter().map(|f| f.id.as_str())) {
                p = p.help(h);
            } else {
                p = p.help("use the id of a [[flow]] of this scenario");
            }
            ck.push(p);
            continue;
        };
        let f = &flows[flow];
        let Some(at) = network.node_id(b.at.get_ref()) else {
            let mut p = Problem::at(b.at.span(), format!("unknown node `{}`", b.at.get_ref()));
            if let Some(h) = did_you_mean(b.at.get_ref(), network.node_names()) {
                p = p.help(h);
            }
            ck.push(p);
            continue;
        };
        let passes = router
            .policy_routes(f)
            .into_iter()
            .flatten()
            .any(|r| r.node_names(network).iter().any(|n| n == b.at.get_ref()));
        if !passes || at == f.to {
            ck.error_help(
                b.at.span(),
                format!(
                    "no route of flow `{}` passes `{}` before its destination",
                    f.id,
                    b.at.get_ref()
                ),
                "give a node the flow's trains pass, e.g. the port where they queue",
            );
            continue;
        }
        let trains = match (&b.trains, &b.wagons) {
            (Some(t), None) => {
                ck.number("trains", t, ValueKind::NonNegative, limits::BACKLOG_TRAINS)
            }
            (None, Some(w)) => ck
                .number("wagons", w, ValueKind::NonNegative, limits::BACKLOG_TRAINS)
                .map(|w| (w / f.train.wagons as f64).ceil()),
            _ => {
                ck.error_help(
                    b.flow.span(),
                    "a backlog needs exactly one of `trains` and `wagons`",
                    "e.g. [[backlog]] flow = \"china-az-import\", at = \"aktau\", wagons = 700",
                );
                None
            }
        };
        match trains {
            Some(t) if t.fract() == 0.0 && t <= max_trains => out.push(Backlog {
                flow,
                at,
                trains: t as u32,
            }),
            Some(t) => ck.error_help(
                b.flow.span(),
                format!(
                    "a backlog must be a whole number of trains up to {max_trains} ({why}), got {t}"
                ),
                "give a whole number of trains, or wagons",
            ),
            None => {}
        }
    }
    out
}
