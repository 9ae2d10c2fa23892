//! Integer simulation time, so that event order is exact.

/// Milliseconds per day.
pub const MS_PER_DAY: f64 = 86_400_000.0;

/// Simulation time in whole milliseconds since the start of the run.
///
/// Inputs and outputs are in days; inside the engine time is an integer so that
/// ordering and ties are exact and reproducible. A `u64` of milliseconds covers more
/// than 500 million years.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub u64);

impl SimTime {
    /// Time zero.
    pub const ZERO: SimTime = SimTime(0);

    /// The time `days` after the start, rounded to the nearest millisecond.
    #[inline]
    pub fn from_days(days: f64) -> SimTime {
        SimTime(to_ms(days))
    }

    /// Days since the start.
    #[inline]
    pub fn days(self) -> f64 {
        self.0 as f64 / MS_PER_DAY
    }

    /// This time plus a duration in days (rounded to the millisecond, never negative).
    #[inline]
    pub fn plus_days(self, days: f64) -> SimTime {
        SimTime(self.0.saturating_add(to_ms(days)))
    }

    /// This time plus a whole number of milliseconds.
    #[inline]
    pub fn plus_ms(self, ms: u64) -> SimTime {
        SimTime(self.0.saturating_add(ms))
    }

    /// Days from `earlier` to `self` (zero if `earlier` is later).
    #[inline]
    pub fn days_since(self, earlier: SimTime) -> f64 {
        // Through i64: a signed conversion is one instruction, an unsigned one several.
        self.0.saturating_sub(earlier.0) as i64 as f64 * (1.0 / MS_PER_DAY)
    }
}

/// A duration in days as whole milliseconds (negative and NaN become zero).
#[inline]
pub fn to_ms(days: f64) -> u64 {
    // `f64::round` is a library call; adding one half and truncating is the same
    // for the non-negative values that matter and compiles to two instructions.
    let ms = days * MS_PER_DAY + 0.5;
    if ms >= 1.0 {
        // Through i64 (one instruction); saturates far beyond any horizon.
        ms as i64 as u64
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_to_the_millisecond() {
        let t = SimTime::from_days(0.75);
        assert_eq!(t.0, 64_800_000);
        assert_eq!(t.days(), 0.75);
        assert_eq!(t.plus_days(0.25).days(), 1.0);
        assert_eq!(SimTime::from_days(-1.0), SimTime::ZERO);
        assert_eq!(SimTime(5).days_since(SimTime(9)), 0.0);
    }
}
