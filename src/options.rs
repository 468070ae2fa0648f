//! The choices the methodology leaves open. Every report states the options it was computed with.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How "N months" is measured (`indicators.md` section 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MonthRule {
    /// Whole days against `floor(N x 30.4375)`, as the DfE states its thresholds (14 months = 426 days).
    #[default]
    Days,
    /// Calendar months: less than N months means `end < start + N months`.
    Calendar,
}

/// How month thresholds become days for A1/A2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThresholdDays {
    /// The DfE's day values (floor): 20 months = 608, 4 months = 121.
    #[default]
    Floor,
    /// Rounded to the nearest day, as some councils print: 609, 122.
    Rounded,
}

/// A user's own threshold for an indicator, in all windows (`window: null`) or one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetOverride {
    /// `A1`, `A10`, `A2` (days) or `A3` (months).
    pub id: String,
    #[serde(default)]
    pub window: Option<String>,
    pub value: u32,
}

/// The local authority of a file that has no `LA` column, as the user gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileAuthority {
    pub file: String,
    pub la: String,
}

/// Which figures carry their child-level rows (`children`, `excluded`) in the report.
///
/// A council's report lists every looked-after child in every window several times over, so the
/// page asks for figures only and fetches the rows of one figure when it is opened.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rows {
    /// Every figure with its rows (the library's default, and the CLI's `--json --children`).
    #[default]
    All,
    /// Figures only: `children` and `excluded` are empty everywhere.
    None,
    /// Only the figure(s) matching this: the page's drill-down.
    Only(RowRequest),
    /// Only the figures matching any of these (the page's charts ask for several at once).
    Several(Vec<RowRequest>),
    /// The figures the what-if projection reads ([`crate::whatif::READS`]) in the windows it
    /// projects (the current ones: [`crate::whatif::rows`]), which the engine finds once it knows
    /// the windows.
    WhatIf,
}

/// One figure: indicator, window and, when given, authority and category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowRequest {
    pub id: String,
    pub window: String,
    #[serde(default)]
    pub la: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
}

impl Rows {
    /// Whether the figure `id` in `window` (for `la`, `category`) keeps its rows.
    pub fn wanted(&self, id: &str, window: &str, la: Option<&str>, category: Option<&str>) -> bool {
        match self {
            Rows::All => true,
            Rows::None => false,
            Rows::Only(r) => r.matches(id, window, la, category),
            Rows::Several(list) => list.iter().any(|r| r.matches(id, window, la, category)),
            // Made into `Several` before any figure is computed.
            Rows::WhatIf => false,
        }
    }
}

impl Rows {
    /// Whether any figure `id` in `window` for `la` keeps its rows, whatever its category: the
    /// indicators skip writing row notes when nobody will read them.
    pub fn any_wanted(&self, id: &str, window: &str, la: Option<&str>) -> bool {
        let like = |r: &RowRequest| r.id == id && r.window == window && r.la.as_deref() == la;
        match self {
            Rows::All => true,
            Rows::None => false,
            Rows::Only(r) => like(r),
            Rows::Several(list) => list.iter().any(like),
            Rows::WhatIf => false,
        }
    }
}

impl RowRequest {
    fn matches(&self, id: &str, window: &str, la: Option<&str>, category: Option<&str>) -> bool {
        self.id == id
            && self.window == window
            && self.la.as_deref() == la
            && self.category.as_deref() == category
    }
}

/// How many diagnostics the report carries (`docs/report-format.md`, "Diagnostics in pages").
///
/// A council's files can hold tens of thousands of problems: at 1M episodes they are 15.8 MB of a
/// 16.5 MB report, which the page shows 2,000 of. The page asks for the ones it shows and fetches
/// the whole list only for a download.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Diagnostics {
    /// Every diagnostic (the library's and the CLI's default).
    #[default]
    All,
    /// `{ "first": N, "per_group": M }`: the first `first` diagnostics of the sorted list and the
    /// first `per_group` of each quality group (`first` again when not given). Each kept one
    /// carries its `index` in the whole list, and the report its `diagnostics_total`.
    #[serde(untagged)]
    First {
        first: u32,
        #[serde(default)]
        per_group: Option<u32>,
    },
}

// By hand: serde's derive for an enum with an untagged variant buffers the input first, and that
// machinery cost the page's wasm 6 KB of brotli (its budget is 150 KB).
impl<'de> Deserialize<'de> for Diagnostics {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{Error, IgnoredAny, MapAccess, Visitor};
        struct Shape;
        impl<'de> Visitor<'de> for Shape {
            type Value = Diagnostics;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(r#""all" or { "first": N, "per_group": M }"#)
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Diagnostics, E> {
                match v {
                    "all" => Ok(Diagnostics::All),
                    _ => Err(E::unknown_variant(v, &["all"])),
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Diagnostics, A::Error> {
                let (mut first, mut per_group) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "first" => first = Some(map.next_value()?),
                        "per_group" => per_group = map.next_value()?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                let first = first.ok_or_else(|| A::Error::missing_field("first"))?;
                Ok(Diagnostics::First { first, per_group })
            }
        }
        deserializer.deserialize_any(Shape)
    }
}

/// Report options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    /// Adds windows ending on this date: year to date, rolling 12 and 36 months.
    pub as_at: Option<NaiveDate>,
    /// A3 counts children still going through the adoption process at the window end.
    pub a3_include_waiting: bool,
    pub months: MonthRule,
    pub thresholds: ThresholdDays,
    pub targets: Vec<TargetOverride>,
    /// Placement counts also count changes of placement with the same carers (RNE T and U).
    pub count_same_carer_moves: bool,
    /// Fostering assessments are timely when approval comes less than this many months after
    /// application (regulatory expectation 8; councils often use 6).
    pub fostering_assessment_months: u32,
    /// Adopters' approvals are timely when they come less than this many months after application.
    pub adopter_approval_months: u32,
    /// Local goal for fostering enquiry -> approval conversion, in whole percent.
    pub fostering_conversion_goal: u32,
    /// Authorities of files without an `LA` column.
    pub authorities: Vec<FileAuthority>,
    /// Which figures carry their child-level rows (not a methodology choice: not shown).
    #[serde(skip_serializing)]
    pub rows: Rows,
    /// How many diagnostics the report carries (not a methodology choice: not shown).
    #[serde(skip_serializing)]
    pub diagnostics: Diagnostics,
    /// Figures of days (A1, A2, A10, their breakdowns) carry `days`, each child's days in
    /// ascending order, even when their rows are not kept: the page draws its days charts from
    /// them without asking the engine for the rows (not a methodology choice: not shown).
    #[serde(skip_serializing)]
    pub days: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            as_at: None,
            a3_include_waiting: true,
            months: MonthRule::Days,
            thresholds: ThresholdDays::Floor,
            targets: Vec::new(),
            count_same_carer_moves: false,
            fostering_assessment_months: 8,
            adopter_approval_months: 6,
            fostering_conversion_goal: 10,
            authorities: Vec::new(),
            rows: Rows::All,
            diagnostics: Diagnostics::All,
            days: false,
        }
    }
}

impl Options {
    /// The user's override for `id` in the window labelled `window`: a window-specific one first.
    pub fn target(&self, id: &str, window: &str) -> Option<u32> {
        let mine = |t: &&TargetOverride| t.id.eq_ignore_ascii_case(id);
        self.targets
            .iter()
            .filter(mine)
            .find(|t| t.window.as_deref() == Some(window))
            .or_else(|| {
                self.targets
                    .iter()
                    .filter(mine)
                    .find(|t| t.window.is_none())
            })
            .map(|t| t.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_wanted_for_the_figures_asked_for() {
        let ask = |id: &str, window: &str| RowRequest {
            id: id.into(),
            window: window.into(),
            la: None,
            category: None,
        };
        let several = Rows::Several(vec![ask("A1", "2015-16"), ask("A2", "2015-16")]);
        assert!(several.wanted("A1", "2015-16", None, None));
        assert!(several.wanted("A2", "2015-16", None, None));
        assert!(!several.wanted("A2", "2013-16", None, None));
        assert!(!several.wanted("A1", "2015-16", Some("Leeds"), None));
        assert!(Rows::Only(ask("A9", "2015-16")).wanted("A9", "2015-16", None, None));
        assert!(!Rows::None.wanted("A1", "2015-16", None, None));
        assert!(Rows::All.wanted("A1", "2015-16", None, None));
    }
}
