//! A1 and A2 split "hard to place" / not, and per characteristic (`indicators.md` section 3).

use crate::metrics::adoption::{self, Case};
use crate::metrics::result::{self, DayThreshold, Rows};
use crate::metrics::{age, at_least_months, Data};
use crate::model::ChildHeader;
use crate::report::{ChildRow, IndicatorResult};
use crate::window::Window;

/// The report section.
pub const GROUP: &str = "Hard to place";

/// ETHNIC codes of the DfE list that are not minority ethnic.
const WHITE_BRITISH_IRISH_OTHER: &[&str] = &["WBRI", "WIRI", "WOTH"];
/// ETHNIC codes that are minority ethnic.
const MINORITY: &[&str] = &[
    "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH", "BCRB", "BAFR",
    "BOTH", "CHNE", "OOTH",
];

/// The characteristics, each yes / no / unknown (`None`) for one adopted child.
pub(crate) struct Traits {
    age_5_plus: Option<bool>,
    minority_ethnic: Option<bool>,
    disabled: Option<bool>,
    sibling_group: Option<bool>,
    waited_18_months: Option<bool>,
}

impl Traits {
    fn all(&self) -> [Option<bool>; 5] {
        [
            self.age_5_plus,
            self.minority_ethnic,
            self.disabled,
            self.sibling_group,
            self.waited_18_months,
        ]
    }

    fn hard_to_place(&self) -> bool {
        self.all().contains(&Some(true))
    }

    /// The breakdowns the child falls in, and those the data cannot tell about.
    pub fn splits(&self) -> Splits {
        let hard = self.hard_to_place();
        let all = self.all();
        let mut out = Splits {
            member: 0,
            unknown: 0,
        };
        for i in 0..SPLITS.len() {
            let (member, unknown) = match i {
                0 => (hard, !hard && all.contains(&None)),
                // Not hard to place, but some characteristic unknown: could be either.
                1 => (!hard, !hard && all.contains(&None)),
                _ => (all[i - 2] == Some(true), all[i - 2].is_none()),
            };
            out.member |= u8::from(member) << i;
            out.unknown |= u8::from(unknown) << i;
        }
        out
    }
}

/// A child's breakdowns, one bit for each of [`SPLITS`]: the child falls in it (`member`), or
/// the data cannot tell (`unknown`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Splits {
    member: u8,
    unknown: u8,
}

/// Minority ethnic (`Some(true)`), not (`Some(false)`), or unknown (REFU, NOBT, blank, unknown code).
pub fn minority_ethnic(ethnic: &str) -> Option<bool> {
    if WHITE_BRITISH_IRISH_OTHER.contains(&ethnic) {
        Some(false)
    } else if MINORITY.contains(&ethnic) {
        Some(true)
    } else {
        None
    }
}

/// Case `c`'s characteristics, when it was placed for adoption (the date they are judged on):
/// `header` is the child's Header row.
pub(crate) fn traits(c: &Case, header: Option<&ChildHeader>, data: &Data<'_>) -> Option<Traits> {
    let placed = c.placed.as_ref().ok()?;
    Some(Traits {
        age_5_plus: header
            .and_then(|h| h.dob)
            .map(|dob| age(dob, placed.date) >= 5),
        minority_ethnic: header.and_then(|h| minority_ethnic(&h.ethnic)),
        disabled: if data.disabled_column {
            header.and_then(|h| h.disabled)
        } else if c.cin.is_empty() {
            None
        } else {
            Some(c.cin == "N2")
        },
        sibling_group: c
            .sibling_group
            .or_else(|| header.and_then(|h| h.sibling_group)),
        waited_18_months: Some(at_least_months(
            c.entered,
            placed.date,
            18,
            data.options.months,
        )),
    })
}

const SPLITS: [(&str, &str, &str, &str); 7] = [
    (
        "A1-hard-to-place",
        "A2-hard-to-place",
        "hard to place (any characteristic below)",
        "",
    ),
    (
        "A1-not-hard-to-place",
        "A2-not-hard-to-place",
        "not hard to place",
        "",
    ),
    (
        "A1-age-5-plus",
        "A2-age-5-plus",
        "aged 5 or over when placed for adoption",
        "Header DOB",
    ),
    (
        "A1-minority-ethnic",
        "A2-minority-ethnic",
        "from a minority ethnic group",
        "Header ETHNIC",
    ),
    ("A1-disabled", "A2-disabled", "disabled", ""),
    (
        "A1-sibling-group",
        "A2-sibling-group",
        "placed with siblings",
        "SIBLING_GROUP column",
    ),
    (
        "A1-waited-18-months",
        "A2-waited-18-months",
        "who waited 18 months or more to be placed",
        "episodes",
    ),
];

const A1_NAMES: [&str; 7] = [
    "A1 for children hard to place",
    "A1 for children not hard to place",
    "A1 for children aged 5 or over when placed",
    "A1 for children from minority ethnic groups",
    "A1 for disabled children",
    "A1 for children placed with siblings",
    "A1 for children who waited 18 months or more",
];
const A2_NAMES: [&str; 7] = [
    "A2 for children hard to place",
    "A2 for children not hard to place",
    "A2 for children aged 5 or over when placed",
    "A2 for children from minority ethnic groups",
    "A2 for disabled children",
    "A2 for children placed with siblings",
    "A2 for children who waited 18 months or more",
];

/// The fourteen breakdowns of one window, filled with the A1 and A2 rows as they are made.
pub struct Breakdowns {
    /// For each split, its A1 rows and A2 rows.
    rows: [[Rows; 2]; 7],
    /// For each split, how many A1 and A2 rows the data cannot tell about.
    unknown: [[u32; 2]; 7],
}

impl Breakdowns {
    pub fn new(w: &Window, data: &Data<'_>) -> Breakdowns {
        Breakdowns {
            rows: SPLITS
                .map(|(id1, id2, ..)| [id1, id2].map(|id| Rows::of_days(data.details(id, w)))),
            unknown: [[0; 2]; 7],
        }
    }

    /// An A1 row of `days`, of a child in `splits`: `row` makes it, for the breakdowns that
    /// keep their rows (see [`Rows::push_with`]).
    pub fn add_a1(
        &mut self,
        splits: Option<Splits>,
        days: Option<i64>,
        row: impl Fn() -> ChildRow,
    ) {
        self.add(0, splits, days, row);
    }

    /// Whether the rows of any A2 breakdown are kept (their notes are those of A2's rows).
    pub fn keep_a2(&self) -> bool {
        self.rows.iter().any(|[_, a2]| a2.keep())
    }

    /// An A2 row, as [`Breakdowns::add_a1`].
    pub fn add_a2(
        &mut self,
        splits: Option<Splits>,
        days: Option<i64>,
        row: impl Fn() -> ChildRow,
    ) {
        self.add(1, splits, days, row);
    }

    fn add(
        &mut self,
        figure: usize,
        splits: Option<Splits>,
        days: Option<i64>,
        row: impl Fn() -> ChildRow,
    ) {
        let Some(splits) = splits else {
            return;
        };
        for (i, (rows, unknown)) in self.rows.iter_mut().zip(&mut self.unknown).enumerate() {
            if splits.member & (1 << i) != 0 {
                rows[figure].push_with(None, days, &row);
            }
            unknown[figure] += u32::from(splits.unknown >> i & 1);
        }
    }

    /// The results, A1 then A2 for each split, against the A1 and A2 thresholds.
    pub fn results(
        self,
        w: &Window,
        data: &Data<'_>,
        thresholds: &[&DayThreshold; 2],
    ) -> Vec<IndicatorResult> {
        let disability_source = if data.disabled_column {
            "Header DISABLED column"
        } else {
            "CIN N2 (child's disability) on the adoption episode, as a proxy: the Header has no DISABLED column"
        };
        let sibling_source = if data.sibling_column {
            "SIBLING_GROUP column (AD1, else Header)"
        } else {
            "unknown: no SIBLING_GROUP column in the AD1 or Header file"
        };
        let mut out = Vec::new();
        for (i, ((split, rows), unknown)) in
            SPLITS.iter().zip(self.rows).zip(self.unknown).enumerate()
        {
            let (id1, id2, _, source) = split;
            let note = match i {
                4 => Some(disability_source.to_string()),
                5 => Some(sibling_source.to_string()),
                _ if source.is_empty() => None,
                _ => Some((*source).to_string()),
            };
            let [a1, a2] = rows;
            for (id, name, rows, unknown, threshold, columns) in [
                (
                    *id1,
                    A1_NAMES[i],
                    a1,
                    unknown[0],
                    thresholds[0],
                    adoption::ENTERED_PLACED,
                ),
                (
                    *id2,
                    A2_NAMES[i],
                    a2,
                    unknown[1],
                    thresholds[1],
                    adoption::AUTHORITY_MATCH,
                ),
            ] {
                let mut r = result::days(id, name, GROUP, w, rows, threshold, columns);
                r.unknown = Some(unknown);
                r.source_note = note.clone();
                out.push(r);
            }
        }
        out
    }
}
