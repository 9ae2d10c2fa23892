//! The scenario calendar: simulation days, dates, months and reporting periods.
//!
//! Day 0 of a run is its `start_date`. Without one, day 0 is 1 January of a 365-day
//! year with no leap days (the convention of every stationary scenario), and outputs
//! carry day numbers instead of dates.

use chrono::{Datelike, Days, NaiveDate};

/// Where day 0 is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    /// The date of day 0, if the scenario gives one.
    pub start: Option<NaiveDate>,
}

/// Month lengths of the 365-day year used without a start date.
const MONTH_ENDS: [f64; 12] = [
    31., 59., 90., 120., 151., 181., 212., 243., 273., 304., 334., 365.,
];

/// How results over time are grouped.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Period {
    /// Calendar months (of the start date's calendar, or of the 365-day year).
    Month,
    /// A fixed number of days (7 for weeks).
    Days(f64),
}

impl Period {
    /// The name used in files: `month`, `week`, or a number of days.
    pub fn name(self) -> String {
        match self {
            Period::Month => "month".to_string(),
            Period::Days(7.0) => "week".to_string(),
            Period::Days(d) => format!("{d}"),
        }
    }
}

impl Calendar {
    /// A calendar starting on `start`.
    pub fn starting(start: NaiveDate) -> Calendar {
        Calendar { start: Some(start) }
    }

    /// The month (0 = January) that day `t` (days since day 0) falls in.
    pub fn month_of(&self, t: f64) -> usize {
        match self.start {
            Some(start) => self.date_of(t).unwrap_or(start).month0() as usize,
            None => {
                let d = t.rem_euclid(365.0);
                MONTH_ENDS.iter().position(|e| d < *e).unwrap_or(11)
            }
        }
    }

    /// The first day after day `t` on which a month begins (infinite past the last
    /// date the calendar can hold).
    pub fn next_month_start(&self, t: f64) -> f64 {
        match self.start {
            Some(_) => self
                .date_of(t.max(0.0))
                .and_then(|d| self.day_of(first_of_next_month(d)))
                .filter(|&day| day > t)
                .unwrap_or(f64::INFINITY),
            None => {
                let year = t.div_euclid(365.0);
                let d = t - year * 365.0;
                let end = MONTH_ENDS
                    .iter()
                    .find(|e| d < **e)
                    .copied()
                    .unwrap_or(365.0);
                year * 365.0 + end
            }
        }
    }

    /// The date of day `t`, if the calendar has a start date (and the date exists).
    pub fn date_of(&self, t: f64) -> Option<NaiveDate> {
        let start = self.start?;
        if !t.is_finite() || t < 0.0 {
            return None;
        }
        start.checked_add_days(Days::new(t.floor() as u64))
    }

    /// The day number of a date: days from day 0 (negative before it).
    pub fn day_of(&self, date: NaiveDate) -> Option<f64> {
        self.start
            .map(|start| date.signed_duration_since(start).num_days() as f64)
    }

    /// A day as written in outputs: the date (`2024-05-20`) with a start date, else
    /// the day number.
    pub fn label(&self, t: f64) -> String {
        match self.date_of(t) {
            Some(d) => d.format("%Y-%m-%d").to_string(),
            None => format!("{t}"),
        }
    }

    /// The days on which months begin in `[0, horizon)`, day 0 first (day 0 starts a
    /// period even when it is not the first of a month).
    pub fn month_starts(&self, horizon: f64) -> Vec<f64> {
        let mut out = vec![0.0];
        match self.start {
            Some(start) => {
                let mut d = first_of_next_month(start);
                while let Some(day) = self.day_of(d) {
                    if day >= horizon {
                        break;
                    }
                    out.push(day);
                    d = first_of_next_month(d);
                }
            }
            None => {
                // Month k (k = 0 is January of year 0) begins on this day.
                let begin = |k: usize| {
                    (k / 12) as f64 * 365.0
                        + if k.is_multiple_of(12) {
                            0.0
                        } else {
                            MONTH_ENDS[k % 12 - 1]
                        }
                };
                out.extend((1..).map(begin).take_while(|b| *b < horizon));
            }
        }
        out
    }

    /// The days on which periods begin in `[0, horizon)`.
    pub fn period_starts(&self, period: Period, horizon: f64) -> Vec<f64> {
        match period {
            Period::Month => self.month_starts(horizon),
            Period::Days(d) => {
                let n = (horizon / d).ceil().max(1.0) as usize;
                (0..n).map(|k| k as f64 * d).collect()
            }
        }
    }
}

fn first_of_next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MAX)
}

/// Parses a date written `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|e| {
        format!("`{text}` is not a date ({e}); write dates as YYYY-MM-DD, e.g. 2024-05-20")
    })
}

/// Parses a month written `YYYY-MM` (its first day).
pub fn parse_month(text: &str) -> Result<NaiveDate, String> {
    parse_date(&format!("{}-01", text.trim()))
        .map_err(|_| format!("`{text}` is not a month; write months as YYYY-MM, e.g. 2024-01"))
}

/// Days in the month that begins on `first`.
pub fn days_in_month(first: NaiveDate) -> f64 {
    first_of_next_month(first)
        .signed_duration_since(first)
        .num_days() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_without_a_start_date_follow_the_365_day_year() {
        let c = Calendar::default();
        assert_eq!(c.month_of(0.0), 0);
        assert_eq!(c.month_of(30.9), 0);
        assert_eq!(c.month_of(31.0), 1);
        assert_eq!(c.month_of(364.9), 11);
        assert_eq!(c.month_of(365.0), 0);
        let starts = c.month_starts(400.0);
        assert_eq!(&starts[..3], &[0.0, 31.0, 59.0]);
        assert_eq!(starts[12], 365.0);
        assert_eq!(starts.len(), 14);
        assert_eq!(c.next_month_start(0.0), 31.0);
        assert_eq!(c.next_month_start(30.9), 31.0);
        assert_eq!(c.next_month_start(31.0), 59.0);
        assert_eq!(c.next_month_start(364.5), 365.0);
        assert_eq!(c.next_month_start(365.0), 396.0);
    }

    #[test]
    fn dated_months_have_their_real_lengths() {
        let c = Calendar::starting(parse_date("2024-01-15").unwrap());
        let starts = c.month_starts(60.0);
        // 15 Jan (day 0), 1 Feb (day 17), 1 Mar (day 17 + 29, a leap year).
        assert_eq!(starts, vec![0.0, 17.0, 46.0]);
        assert_eq!(c.label(17.0), "2024-02-01");
        assert_eq!(c.month_of(16.5), 0);
        assert_eq!(c.month_of(17.0), 1);
        assert_eq!(days_in_month(parse_month("2024-02").unwrap()), 29.0);
        assert_eq!(c.day_of(parse_date("2024-05-20").unwrap()), Some(126.0));
        assert_eq!(c.next_month_start(0.0), 17.0);
        assert_eq!(c.next_month_start(16.9), 17.0);
        assert_eq!(c.next_month_start(17.0), 46.0);
    }

    #[test]
    fn weeks_cover_the_horizon() {
        let c = Calendar::default();
        assert_eq!(
            c.period_starts(Period::Days(7.0), 20.0),
            vec![0.0, 7.0, 14.0]
        );
        assert!(parse_date("2024-13-01").is_err());
        assert!(parse_month("2024").is_err());
    }
}
