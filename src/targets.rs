//! DfE thresholds and England averages, from `data/targets.toml` compiled in by `build.rs`.
//!
//! A threshold row applies to the 3-year window ending 31 March of its `end_year` and to the 1-year
//! window ending the same day. Later windows keep the last row; earlier ones have none.

/// Thresholds for the 3-year window ending 31 March `end_year`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThresholdRow {
    pub window: &'static str,
    pub end_year: i32,
    pub a1_months: u32,
    pub a1_days: u32,
    pub a2_months: u32,
    pub a2_days: u32,
    pub a3_months: u32,
    pub source: &'static str,
}

/// A published England average.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnglandRow {
    pub indicator: &'static str,
    pub window: &'static str,
    pub value: u32,
    pub source: &'static str,
}

/// A percentage target for an indicator other than the scorecard's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PercentTargetRow {
    pub id: &'static str,
    pub value: u32,
    /// `at least` or `at most`.
    pub direction: &'static str,
    pub source: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/targets_data.rs"));

/// The percentage target for `id`: the user's override (whole percent), else the data file's.
pub fn percent_target(
    id: &str,
    window: &str,
    options: &crate::Options,
) -> Option<crate::report::PercentTarget> {
    let row = PERCENT_TARGETS.iter().find(|t| t.id == id)?;
    Some(match options.target(id, window) {
        Some(v) => crate::report::PercentTarget {
            value: f64::from(v),
            direction: row.direction,
            source: crate::metrics::result::USER,
        },
        None => crate::report::PercentTarget {
            value: f64::from(row.value),
            direction: row.direction,
            source: row.source,
        },
    })
}

/// The thresholds in force for a window ending 31 March `end_year`, or `None` before the first.
pub fn threshold_for(end_year: i32) -> Option<&'static ThresholdRow> {
    let last = THRESHOLDS.last()?;
    if end_year > last.end_year {
        return Some(last);
    }
    THRESHOLDS.iter().find(|t| t.end_year == end_year)
}

/// The England average for `indicator` in the window labelled `window`, when one is known.
pub fn england(indicator: &str, window: &str) -> Option<&'static EnglandRow> {
    ENGLAND
        .iter()
        .find(|e| e.indicator == indicator && e.window == window)
}

/// Months -> days as the DfE states them: `floor(months x 30.4375)` (14 -> 426), or rounded to the
/// nearest day as some councils print (20 -> 609, 4 -> 122).
pub fn months_to_days(months: u32, rounded: bool) -> u32 {
    let tenths_of_thousandths = u64::from(months) * 304_375;
    let days = if rounded {
        (tenths_of_thousandths + 5_000) / 10_000
    } else {
        tenths_of_thousandths / 10_000
    };
    u32::try_from(days).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_values_follow_the_month_rule() {
        for (months, days) in [
            (21, 639),
            (20, 608),
            (18, 547),
            (16, 487),
            (14, 426),
            (7, 213),
            (6, 182),
            (5, 152),
            (4, 121),
            (3, 91),
        ] {
            assert_eq!(months_to_days(months, false), days, "{months} months");
        }
        assert_eq!(months_to_days(20, true), 609);
        assert_eq!(months_to_days(4, true), 122);
        assert_eq!(months_to_days(14, true), 426);
    }

    #[test]
    fn data_file_is_consistent() {
        for t in THRESHOLDS {
            assert_eq!(
                t.a1_days,
                months_to_days(t.a1_months, false),
                "{}",
                t.window
            );
            assert_eq!(
                t.a2_days,
                months_to_days(t.a2_months, false),
                "{}",
                t.window
            );
            assert_eq!(
                t.window,
                format!("{}-{:02}", t.end_year - 3, t.end_year % 100)
            );
        }
        assert!(THRESHOLDS
            .windows(2)
            .all(|w| w[0].end_year + 1 == w[1].end_year));
    }

    #[test]
    fn lookup_in_force() {
        assert_eq!(threshold_for(2010), None);
        assert_eq!(
            threshold_for(2015).map(|t| (t.a1_days, t.a2_days)),
            Some((487, 121))
        );
        assert_eq!(threshold_for(2016).map(|t| t.a1_days), Some(426));
        assert_eq!(
            threshold_for(2018).map(|t| (t.a1_days, t.window)),
            Some((426, "2013-16"))
        );
    }
}
