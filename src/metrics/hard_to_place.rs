//! A1 and A2 split "hard to place" / not, and per characteristic (`indicators.md` section 3).

use crate::metrics::adoption::{self, Case};
use crate::metrics::result::{self, DayThreshold};
use crate::metrics::{age, at_least_months, Data};
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
struct Traits {
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

fn traits(c: &Case, data: &Data<'_>) -> Option<Traits> {
    let placed = c.placed.as_ref().ok()?;
    let header = data.headers.get(c.child.as_str());
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

/// The fourteen breakdowns for one window, given the A1 and A2 child rows already computed.
pub fn results(
    cohort: &[&Case],
    a1_rows: &[ChildRow],
    a2_rows: &[ChildRow],
    w: &Window,
    data: &Data<'_>,
    thresholds: &[DayThreshold; 3],
) -> Vec<IndicatorResult> {
    let traits: crate::hashing::FastMap<&str, Traits> = cohort
        .iter()
        .filter_map(|c| Some((c.child.as_str(), traits(c, data)?)))
        .collect();
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
    // Each row's traits, looked up once for all fourteen breakdowns.
    let of = |rows: &[ChildRow]| -> Vec<Option<&Traits>> {
        rows.iter().map(|r| traits.get(r.child.as_str())).collect()
    };
    let (a1_traits, a2_traits) = (of(a1_rows), of(a2_rows));
    let mut out = Vec::new();
    for (i, (id1, id2, _, source)) in SPLITS.iter().enumerate() {
        // Which children fall in the split, and how many the data cannot tell about.
        let test = |t: &Traits| -> Option<bool> {
            match i {
                0 => Some(t.hard_to_place()),
                1 => Some(!t.hard_to_place()),
                _ => t.all()[i - 2],
            }
        };
        let member = |t: &Option<&Traits>| t.and_then(test) == Some(true);
        let unknown = |of_rows: &[Option<&Traits>]| {
            of_rows
                .iter()
                .flatten()
                .filter(|t| match i {
                    // Not hard to place, but some characteristic unknown: could be either.
                    0 | 1 => !t.hard_to_place() && t.all().contains(&None),
                    _ => t.all()[i - 2].is_none(),
                })
                .count() as u32
        };
        let note = match i {
            4 => Some(disability_source.to_string()),
            5 => Some(sibling_source.to_string()),
            _ if source.is_empty() => None,
            _ => Some((*source).to_string()),
        };
        for (id, name, rows, of_rows, threshold, columns) in [
            (
                *id1,
                A1_NAMES[i],
                a1_rows,
                &a1_traits,
                &thresholds[0],
                adoption::ENTERED_PLACED,
            ),
            (
                *id2,
                A2_NAMES[i],
                a2_rows,
                &a2_traits,
                &thresholds[2],
                adoption::AUTHORITY_MATCH,
            ),
        ] {
            let chosen: Vec<ChildRow> = rows
                .iter()
                .zip(of_rows)
                .filter(|(_, t)| member(t))
                .map(|(r, _)| r.clone())
                .collect();
            let mut r = result::days(id, name, GROUP, w, chosen, Vec::new(), threshold, columns);
            r.unknown = Some(unknown(of_rows));
            r.source_note = note.clone();
            out.push(r);
        }
    }
    out
}
