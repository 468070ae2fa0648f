//! Data checks that matter for the indicators, and the catalogue behind the "data quality" view.
//!
//! Each check is one of the DfE's SSDA903 validation rules about adoption, as the validator
//! councils already run implements it (data-to-insight/csc-validator-be-903,
//! `lac_validator/rules/lac2022_23/rule_<n>.py`): the same rows are flagged, so an officer sees
//! the same counts here as there (`tests/checks.rs` pins them on that project's fake data). Each
//! function says what it checks, which indicator it protects, and quotes the DfE rule.
//!
//! - One diagnostic per row and rule, located at file, row, column and value. A rule that compares
//!   two tables flags the row in each, as the DfE validator does; each message names the other.
//! - Severity warning: the rows are still used, and the figures are what the indicators' rules
//!   make of them. The checks say what the DfE will query, and what to correct.
//! - The records are those the indicators read: stitched across annual files (a row repeated in
//!   several years' files is flagged once, on the copy the stitching keeps), with the short-break
//!   episodes still in, because the DfE validates every episode. Rows the engine could not read
//!   (no CHILD, an unreadable date, DEC before DECOM) have their own diagnostics and are not
//!   checked again.
//! - **The collection year.** The DfE validator checks one year's return, whose year the officer
//!   chooses. Here it is derived from the data: the latest collection year covered, taken as the
//!   year (1 April to 31 March) of the latest episode start (DECOM). A return holds no episode
//!   that starts after its year ends, while a DEC a day past the year end is a common slip (the
//!   validator's own fake 2017-18 data has twelve episodes ending 01/04/2018), so DEC is not used.
//!   Only rule 602 depends on the year, and only for its message: with several years' files, an
//!   adoption in any of them explains an AD1 row (see `ad1_not_adopted_in_year`).
//!
//! [`CATALOGUE`] names every diagnostic code the engine raises, with the DfE rule covering the
//! same problem where there is one, and the indicators it matters for; [`finish`] applies the
//! rule numbers to the engine's own diagnostics and groups all diagnostics for the report.

use crate::dates::{self, collection_year};
use crate::diagnostic::{Diagnostic, Severity};
use crate::hashing::FastSet;
use crate::model::{Adoption, Code, Episode, PlacementDecision, Source};
use crate::schema::FileSummary;
use crate::window::year_label;
use serde::Serialize;

/// Runs every check; returns their diagnostics (to be added to the report's). `episodes` are
/// stitched, short breaks included (see the module documentation), and sorted
/// ([`crate::periods::sort`]), so that each child's are together.
pub fn run(
    episodes: &[Episode],
    adoptions: &[Adoption],
    decisions: &[PlacementDecision],
    files: &[FileSummary],
) -> Vec<Diagnostic> {
    // The other two tables by child too (stable: within a child, in the order given), so that
    // the children are visited in order by walking the three lists side by side.
    let mut adoptions: Vec<&Adoption> = adoptions.iter().collect();
    adoptions.sort_by(|a, b| a.child.cmp(&b.child));
    let mut decisions: Vec<&PlacementDecision> = decisions.iter().collect();
    decisions.sort_by(|a, b| {
        (&a.child, a.date_placed, a.source).cmp(&(&b.child, b.date_placed, b.source))
    });
    let year = episodes
        .iter()
        .map(|e| e.decom)
        .max()
        .map(|latest| Year::of(collection_year(latest)));
    // As the DfE validator does, a rule skips when a table it reads was not loaded at all.
    let loaded = |table: &str| {
        files
            .iter()
            .any(|f| f.table == Some(table) && f.status == "used")
    };
    let tables = Tables {
        ad1: loaded("AD1"),
        placed: loaded("PlacedAdoption"),
        year: year.as_ref(),
        files,
    };
    // Each child is checked on its own. A set's children are shared out in two halves (split
    // at a child), checked side by side where there are threads, and their diagnostics put back
    // in child order. Only a handful of episodes are checked in one go: a thread costs more than
    // they do. (The DfE validator's fake data, 5,050 episodes, which `tests/checks.rs` compares
    // row by row with the validator, is split.)
    let split = match episodes.get(episodes.len() / 2) {
        Some(middle) if episodes.len() >= 4_096 => {
            let rest = &episodes[episodes.len() / 2..];
            let after = rest.iter().position(|e| e.child != middle.child);
            after.map_or(episodes.len(), |i| episodes.len() / 2 + i)
        }
        _ => episodes.len(),
    };
    let (first, second) = episodes.split_at(split);
    let Some(second_child) = second.first().map(|e| e.child.as_str()) else {
        return tables.walk(episodes, &adoptions, &decisions);
    };
    // The other two tables' rows of children before the second half's first go with the first.
    let a = adoptions.partition_point(|a| a.child.as_str() < second_child);
    let d = decisions.partition_point(|d| d.child.as_str() < second_child);
    let (mut found, later) = crate::parallel::join(
        || tables.walk(first, &adoptions[..a], &decisions[..d]),
        || tables.walk(second, &adoptions[a..], &decisions[d..]),
    );
    found.extend(later);
    found
}

/// What every child's checks read beside its own records.
struct Tables<'a> {
    /// Whether an AD1 and a PlacedAdoption table were loaded.
    ad1: bool,
    placed: bool,
    year: Option<&'a Year>,
    files: &'a [FileSummary],
}

impl Tables<'_> {
    /// Checks the children of `episodes`, `adoptions` and `decisions` (each sorted by child),
    /// child after child; returns their diagnostics.
    fn walk(
        &self,
        mut episodes: &[Episode],
        mut adoptions: &[&Adoption],
        mut decisions: &[&PlacementDecision],
    ) -> Vec<Diagnostic> {
        let mut out = Out {
            files: self.files,
            found: Vec::new(),
            seen: FastSet::default(),
        };
        // One child's episodes in the checks' order, reused from child to child.
        let mut mine: Vec<&Episode> = Vec::new();
        loop {
            let firsts = [
                episodes.first().map(|e| e.child.as_str()),
                adoptions.first().map(|a| a.child.as_str()),
                decisions.first().map(|d| d.child.as_str()),
            ];
            let Some(child) = firsts.into_iter().flatten().min() else {
                break;
            };
            let (own_episodes, own_adoptions, own_decisions) = (
                take(&mut episodes, child, |e| &e.child),
                take(&mut adoptions, child, |a| &a.child),
                take(&mut decisions, child, |d| &d.child),
            );
            // Every rule below reads a decision, an AD1 row, or an episode placed for adoption,
            // under a placement order or ending in adoption: a child with none of these (most
            // children) breaks none of them.
            if own_adoptions.is_empty()
                && own_decisions.is_empty()
                && !own_episodes.iter().any(|e| {
                    e.is_adoptive_placement() || e.ls == LS_PLACEMENT_ORDER || is_adoption(e.rec)
                })
            {
                continue;
            }
            mine.clear();
            mine.extend(own_episodes);
            // Already in this order but for two episodes starting the same day, if any.
            mine.sort_by_key(|e| (e.decom, e.dec, e.source));
            let c = &Child {
                episodes: &mine,
                adoptions: own_adoptions,
                decisions: own_decisions,
            };
            placement_order_missing(child, c, &mut out);
            adoption_not_after_foster_care(child, c, &mut out);
            adopted_not_placed(child, c, &mut out);
            if self.placed {
                placed_without_decision(child, c, &mut out);
                placement_order_without_decision(child, c, &mut out);
                decision_before_care(child, c, &mut out);
                placed_before_decision(child, c, &mut out);
                decision_after_placement_order(child, c, &mut out);
            }
            if self.ad1 {
                if let Some(year) = self.year {
                    ad1_not_adopted_in_year(child, c, year, &mut out);
                }
                ad1_decision_before_period(child, c, &mut out);
                match_after_placement(child, c, &mut out);
                match_before_decision(child, c, &mut out);
                placed_before_ad1_decision(child, c, &mut out);
            }
        }
        out.found
    }
}

/// The items at the front of `items` that are about `child`, taken off it.
fn take<'a, T>(items: &mut &'a [T], child: &str, of: impl Fn(&T) -> &str) -> &'a [T] {
    let n = items.iter().take_while(|it| of(it) == child).count();
    let (front, rest) = items.split_at(n);
    *items = rest;
    front
}

/// One child's records, episodes in DECOM order and decisions in DATE_PLACED order.
struct Child<'a> {
    episodes: &'a [&'a Episode],
    adoptions: &'a [&'a Adoption],
    decisions: &'a [&'a PlacementDecision],
}

/// The collection year the files run to (module documentation).
struct Year {
    label: String,
}

impl Year {
    /// The collection year ending 31 March `y`.
    fn of(y: i32) -> Year {
        Year {
            label: year_label(y, y),
        }
    }
}

struct Out<'f> {
    files: &'f [FileSummary],
    found: Vec<Diagnostic>,
    /// A row is flagged once per check (known by its DfE rule), however many rows of the other
    /// table it clashes with.
    seen: FastSet<(u32, Source)>,
}

impl Out<'_> {
    #[allow(clippy::too_many_arguments)]
    fn flag(
        &mut self,
        code: &'static str,
        rule: u32,
        row: Source,
        column: &'static str,
        value: Option<&str>,
        child: &str,
        detail: &str,
    ) {
        let Some(file) = self.files.get(row.file as usize) else {
            return;
        };
        if !self.seen.insert((rule, row)) {
            return;
        }
        let value = value.filter(|v| !v.is_empty());
        // An optional column the file does not have (AD1 without DATE_INT): point at the row's
        // CHILD cell and say which column is missing.
        let mut at = file.at(row.row, column);
        let mut detail = detail.to_string();
        if at.column.is_none() {
            at = file.at(row.row, "CHILD");
            detail = format!("{detail} (The file has no {column} column.)");
        }
        self.found.push(
            Diagnostic::new(code, Severity::Warning, &at, value, Some(child), &detail).rule(rule),
        );
    }

    /// Flags both rows of a clash between two tables. `detail(at_first, at_second)` words it,
    /// given where each row is: `, file, row N` for the other row, blank for the row itself.
    fn pair(
        &mut self,
        code: &'static str,
        rule: u32,
        child: &str,
        first: End<'_>,
        second: End<'_>,
        detail: impl Fn(&str, &str) -> String,
    ) {
        let (at_first, at_second) = (self.at(first.row), self.at(second.row));
        let message = detail("", &at_second);
        self.flag(
            code,
            rule,
            first.row,
            first.column,
            Some(first.value),
            child,
            &message,
        );
        let message = detail(&at_first, "");
        self.flag(
            code,
            rule,
            second.row,
            second.column,
            Some(second.value),
            child,
            &message,
        );
    }

    /// `, file, row N`: where another row is.
    fn at(&self, row: Source) -> String {
        match self.files.get(row.file as usize) {
            Some(f) => format!(", {}, row {}", f.file, row.row),
            None => format!(", row {}", row.row),
        }
    }
}

/// One of the two rows of a clash: where it is, and the value to quote.
struct End<'v> {
    row: Source,
    column: &'static str,
    value: &'v str,
}

impl<'v> End<'v> {
    fn new(row: Source, column: &'static str, value: &'v str) -> End<'v> {
        End { row, column, value }
    }
}

// The codes the checks look for, compared as [`Code`]s (one number) rather than as text.
const LS_PLACEMENT_ORDER: Code = Code::lit("E1");
const RNE_STARTED: Code = Code::lit("S");
const ADOPTED: [Code; 2] = [Code::lit("E11"), Code::lit("E12")];
const WITH_PLACEMENT_ORDER: [Code; 2] = [Code::lit("A5"), Code::lit("A6")];
const WITH_CONSENT: [Code; 2] = [Code::lit("A3"), Code::lit("A4")];
const FOSTER_OR_ADOPTIVE: [Code; 10] = [
    Code::lit("A3"),
    Code::lit("A4"),
    Code::lit("A5"),
    Code::lit("A6"),
    Code::lit("U1"),
    Code::lit("U2"),
    Code::lit("U3"),
    Code::lit("U4"),
    Code::lit("U5"),
    Code::lit("U6"),
];

fn is_adoption(rec: Code) -> bool {
    ADOPTED.contains(&rec)
}

fn shown(code: &str) -> &str {
    if code.is_empty() {
        "blank"
    } else {
        code
    }
}

/// DfE rule 551: "Child has been placed for adoption but there is no date of the decision that the
/// child should be placed for adoption." Every episode with PLACE A3-A6 of a child who has no
/// PlacedAdoption row.
///
/// Protects A3: the children still in the adoption process are found from their PlacedAdoption
/// decisions, so a child placed for adoption without one is missing from A3's cohort.
fn placed_without_decision(child: &str, c: &Child<'_>, out: &mut Out<'_>) {
    if !c.decisions.is_empty() {
        return;
    }
    for e in c.episodes.iter().filter(|e| e.is_adoptive_placement()) {
        out.flag(
            "placed-without-decision",
            551,
            e.source,
            "PLACE",
            Some(&e.place),
            child,
            &format!(
                "child {child} is placed for adoption ({}, from {}) but has no PlacedAdoption row with the date of the decision that the child should be placed for adoption. Add the decision (DATE_PLACED) to the PlacedAdoption table.",
                e.place,
                dates::uk(e.decom)
            ),
        );
    }
}

/// DfE rule 553: "Placement order has been granted but there is no date of decision that the
/// child should be placed for adoption." Flags every episode with LS E1 of a child who has no
/// PlacedAdoption row; and, when the child has an open E1 episode (no DEC), every PlacedAdoption
/// row of the child that records the decision as ceased (DATE_PLACED_CEASED or
/// REASON_PLACED_CEASED filled in), since the order still stands.
///
/// Protects A3 (its cohort of children still waiting comes from the decisions that have not
/// ceased) and A2 (a placement order is the court authority A2 starts from).
fn placement_order_without_decision(child: &str, c: &Child<'_>, out: &mut Out<'_>) {
    const CODE: &str = "placement-order-without-decision";
    if c.decisions.is_empty() {
        for e in c.episodes.iter().filter(|e| e.ls == LS_PLACEMENT_ORDER) {
            out.flag(
                CODE,
                553,
                e.source,
                "LS",
                Some(&e.ls),
                child,
                &format!(
                    "child {child} has a placement order (LS E1, episode from {}) but no PlacedAdoption row with the date of the decision that the child should be placed for adoption. Add the decision (DATE_PLACED) to the PlacedAdoption table.",
                    dates::uk(e.decom)
                ),
            );
        }
        return;
    }
    let Some(open) = c
        .episodes
        .iter()
        .find(|e| e.ls == LS_PLACEMENT_ORDER && e.dec.is_none())
    else {
        return;
    };
    for d in c.decisions {
        let (column, value) = match d.date_placed_ceased {
            Some(ceased) => ("DATE_PLACED_CEASED", dates::uk(ceased)),
            None if !d.reason_placed_ceased.is_empty() => {
                ("REASON_PLACED_CEASED", d.reason_placed_ceased.to_string())
            }
            None => continue,
        };
        out.flag(
            CODE,
            553,
            d.source,
            column,
            Some(&value),
            child,
            &format!(
                "the decision that child {child} should be placed for adoption is recorded as ceased, but the child's placement order (LS E1, episode from {}{}) is still open. Clear DATE_PLACED_CEASED and REASON_PLACED_CEASED if the decision still stands, or end the episode.",
                dates::uk(open.decom),
                out.at(open.source)
            ),
        );
    }
}

/// DfE rule 408: "Child is placed for adoption with a placement order, but no placement order has
/// been recorded." Every episode with PLACE A5 or A6 whose LS is not E1.
///
/// Protects A2: its court authority date is the start of the first episode with a placement
/// order; an adoptive placement "with placement order" under another legal status means the
/// order's episode, and so A2's start, is missing or wrong.
fn placement_order_missing(child: &str, c: &Child<'_>, out: &mut Out<'_>) {
    for e in c
        .episodes
        .iter()
        .filter(|e| WITH_PLACEMENT_ORDER.contains(&e.place) && e.ls != LS_PLACEMENT_ORDER)
    {
        out.flag(
            "placement-order-missing",
            408,
            e.source,
            "LS",
            Some(&e.ls),
            child,
            &format!(
                "child {child} is placed for adoption with a placement order ({}, from {}) but the legal status is {}, not E1 (placement order). Correct LS to E1, or PLACE to A3 or A4 if the child was placed with consent.",
                e.place,
                dates::uk(e.decom),
                shown(&e.ls)
            ),
        );
    }
}

/// DfE rule 336: "Child does not have a foster placement immediately prior to being placed for
/// adoption." An episode with PLACE A3 or A4 whose previous episode (by DECOM; a child's first
/// episode is not checked) has a PLACE other than A3-A6 or U1-U6.
///
/// The DfE's wording of the condition, as the validator's comment quotes it, names A3 and A5
/// (placed with current foster carers); the validator's code checks A3 and A4. This follows the
/// code, so that the counts agree with the validator councils run (`docs/methodology.md`).
///
/// Protects A10, which walks back from an A3/A5 placement to the date the child moved in with
/// the foster carers who adopted, and A1, whose placement date is the start of the A3-A6 run.
fn adoption_not_after_foster_care(child: &str, c: &Child<'_>, out: &mut Out<'_>) {
    for pair in c.episodes.windows(2) {
        let (before, e) = (pair[0], pair[1]);
        if WITH_CONSENT.contains(&e.place) && !FOSTER_OR_ADOPTIVE.contains(&before.place) {
            out.flag(
                "adoption-not-after-foster-care",
                336,
                e.source,
                "PLACE",
                Some(&e.place),
                child,
                &format!(
                    "child {child} is placed for adoption ({}, from {}) straight from a placement that is not foster care ({} in the episode from {}). Check the PLACE of both episodes, and add any missing foster placement in between.",
                    e.place,
                    dates::uk(e.decom),
                    shown(&before.place),
                    dates::uk(before.decom)
                ),
            );
        }
    }
}

/// DfE rule 390: "Reason episode ceased is adopted but child has not been previously placed for
/// adoption." Every episode with REC E11 or E12 whose PLACE is not A3-A6.
///
/// Protects A1, A10, A2 and A3: the date the child moved in with the adoptive family is the start
/// of the placement for adoption that ends in the adoption; without it the child is left out of
/// all four (see also the engine's `adoption-without-placement`, which names that exclusion).
fn adopted_not_placed(child: &str, c: &Child<'_>, out: &mut Out<'_>) {
    for e in c
        .episodes
        .iter()
        .filter(|e| is_adoption(e.rec) && !e.is_adoptive_placement())
    {
        out.flag(
            "adopted-not-placed",
            390,
            e.source,
            "PLACE",
            Some(&e.place),
            child,
            &format!(
                "the episode from {} ends in adoption ({}) but its placement is {}, not a placement for adoption (A3 to A6). Record the adoptive placement as its own episode, or correct PLACE or REC.",
                dates::uk(e.decom),
                e.rec,
                shown(&e.place)
            ),
        );
    }
}

/// DfE rule 602: "The episode data submitted for this child does not show that he/she was adopted
/// during the year." Every AD1 row (with anything recorded beyond CHILD) of a child none of whose
/// episodes ends in adoption (REC E11 or E12, with a DEC).
///
/// The DfE checks one return: an adoption in its collection year. Here the files may hold several
/// years, and an AD1 row is explained by an adoption in any of them; on a single return this is
/// the DfE's rule, since a return holds only the episodes open during its year. The message names
/// the collection year the files run to (module documentation). The DfE validator looks at six
/// AD1 fields to tell an empty row; the engine keeps DATE_INT, DATE_MATCH and FOSTER_CARE, and
/// looks at those.
///
/// Protects A2, whose match date comes from AD1: a match recorded for a child whose adoption is
/// not in the episodes is either an adoption missing from every indicator or an AD1 row in the
/// wrong return. (The engine's `ad1-without-adoption` says the same from the indicators' side,
/// where an adoption on a short break does not count.)
fn ad1_not_adopted_in_year(child: &str, c: &Child<'_>, year: &Year, out: &mut Out<'_>) {
    if c.episodes
        .iter()
        .any(|e| is_adoption(e.rec) && e.dec.is_some())
    {
        return;
    }
    for a in c
        .adoptions
        .iter()
        .filter(|a| a.date_int.is_some() || a.date_match.is_some() || a.foster_care.is_some())
    {
        out.flag(
            "ad1-not-adopted-in-year",
            602,
            a.source,
            "CHILD",
            Some(child),
            child,
            &format!(
                "child {child} is in AD1 (adopted) but no episode in the files ends in adoption (REC E11 or E12, with DEC); the files run to {}. Add or correct the episode that ends in adoption, or remove the AD1 row if the child was not adopted.",
                year.label
            ),
        );
    }
}

/// DfE rule 1003: "Date of LA's decision that a child should be placed for adoption is before the
/// child started to be looked after." Each PlacedAdoption row whose DATE_PLACED is before the
/// DECOM of the child's first episode with RNE S; the episode is flagged too.
///
/// Protects A3: a decision dated before the child was looked after is in the wrong record, and
/// decides whether the child counts as still waiting.
fn decision_before_care(child: &str, c: &Child<'_>, out: &mut Out<'_>) {
    let Some(first) = c.episodes.iter().find(|e| e.rne == RNE_STARTED) else {
        return;
    };
    for d in c.decisions.iter().filter(|d| d.date_placed < first.decom) {
        let (placed, decom) = (dates::uk(d.date_placed), dates::uk(first.decom));
        out.pair(
            "decision-before-care",
            1003,
            child,
            End::new(d.source, "DATE_PLACED", &placed),
            End::new(first.source, "DECOM", &decom),
            |at_decision, at_episode| {
                format!(
                    "the decision that child {child} should be placed for adoption (DATE_PLACED {placed}{at_decision}) is before the child started to be looked after ({decom}, RNE S{at_episode}). Correct DATE_PLACED or DECOM."
                )
            },
        );
    }
}

/// DfE rule 334: "Date child started to be looked after in latest period of care must be on or
/// prior to the date should be placed for adoption." Each AD1 row whose DATE_INT is before the
/// DECOM of the child's latest episode with RNE S; the episode is flagged too.
///
/// Protects A2: its match date comes from AD1, which must belong to the period of care that
/// ended in the adoption.
fn ad1_decision_before_period(child: &str, c: &Child<'_>, out: &mut Out<'_>) {
    let Some(latest) = c.episodes.iter().rev().find(|e| e.rne == RNE_STARTED) else {
        return;
    };
    for a in c.adoptions {
        let Some(date_int) = a.date_int.filter(|d| *d < latest.decom) else {
            continue;
        };
        let (decided, decom) = (dates::uk(date_int), dates::uk(latest.decom));
        out.pair(
            "ad1-decision-before-period",
            334,
            child,
            End::new(a.source, "DATE_INT", &decided),
            End::new(latest.source, "DECOM", &decom),
            |at_ad1, at_episode| {
                format!(
                    "the AD1 decision that child {child} should be placed for adoption (DATE_INT {decided}{at_ad1}) is before the start of the child's latest period of care ({decom}{at_episode}). Correct DATE_INT or DECOM."
                )
            },
        );
    }
}

/// DfE rule 331: "Date of matching child and adopter(s) should be the same as, or prior to, the
/// date of placement of adoption." Each AD1 row whose DATE_MATCH is after the DECOM of an episode
/// of the child that ends in adoption (REC E11/E12); that episode is flagged too.
///
/// Protects A2, which ends at the match date: a match after the adoptive placement began is
/// usually a wrong DATE_MATCH.
fn match_after_placement(child: &str, c: &Child<'_>, out: &mut Out<'_>) {
    for e in c.episodes.iter().filter(|e| is_adoption(e.rec)) {
        for a in c.adoptions {
            let Some(matched) = a.date_match.filter(|m| *m > e.decom) else {
                continue;
            };
            let (matched, decom) = (dates::uk(matched), dates::uk(e.decom));
            out.pair(
                "match-after-placement",
                331,
                child,
                End::new(a.source, "DATE_MATCH", &matched),
                End::new(e.source, "DECOM", &decom),
                |at_ad1, at_episode| {
                    format!(
                        "child {child} was matched with adopters (DATE_MATCH {matched}{at_ad1}) after the placement that ended in adoption began ({decom}{at_episode}). Correct DATE_MATCH or DECOM."
                    )
                },
            );
        }
    }
}

/// DfE rule 333: "Date should be placed for adoption must be on or prior to the date of matching
/// child with adopter(s)." Each AD1 row with a DATE_MATCH whose DATE_INT is blank (or unreadable)
/// or after DATE_MATCH.
///
/// Protects A2: a match before the decision to place for adoption points to a wrong DATE_MATCH,
/// the date A2 ends on.
fn match_before_decision(child: &str, c: &Child<'_>, out: &mut Out<'_>) {
    for a in c.adoptions {
        let Some(matched) = a.date_match else {
            continue;
        };
        let detail = match a.date_int {
            None => format!(
                "child {child} was matched with adopters on {} but the date of the decision that the child should be placed for adoption (DATE_INT) is blank or unreadable. Enter DATE_INT as DD/MM/YYYY.",
                dates::uk(matched)
            ),
            Some(decided) if decided > matched => format!(
                "child {child} was matched with adopters (DATE_MATCH {}) before the decision that the child should be placed for adoption (DATE_INT {}). Correct DATE_INT or DATE_MATCH.",
                dates::uk(matched),
                dates::uk(decided)
            ),
            Some(_) => continue,
        };
        let value = a.date_int.map(dates::uk);
        out.flag(
            "match-before-decision",
            333,
            a.source,
            "DATE_INT",
            value.as_deref(),
            child,
            &detail,
        );
    }
}

/// DfE rule 521: "Date of local authority's decision (LA) that adoption is in the best interests
/// of the child (date should be placed) must be on or prior to the date the child is placed for
/// adoption." Each episode with PLACE A3-A6 that starts before an AD1 DATE_INT of the child; the
/// AD1 row is flagged too.
///
/// Protects A1 and A10: the placement date is the start of the A3-A6 run; one before the decision
/// suggests a wrong PLACE or DECOM.
fn placed_before_ad1_decision(child: &str, c: &Child<'_>, out: &mut Out<'_>) {
    for e in c.episodes.iter().filter(|e| e.is_adoptive_placement()) {
        for a in c.adoptions {
            let Some(decided) = a.date_int.filter(|d| *d > e.decom) else {
                continue;
            };
            let (decom, decided) = (dates::uk(e.decom), dates::uk(decided));
            let place = &e.place;
            out.pair(
                "placed-before-ad1-decision",
                521,
                child,
                End::new(e.source, "DECOM", &decom),
                End::new(a.source, "DATE_INT", &decided),
                |at_episode, at_ad1| {
                    format!(
                        "child {child} was placed for adoption ({place} from {decom}{at_episode}) before the decision that adoption is in the child's best interests (AD1 DATE_INT {decided}{at_ad1}). Correct DECOM, PLACE or DATE_INT."
                    )
                },
            );
        }
    }
}

/// DfE rule 552: "Date of Decision to place a child for adoption should be on or prior to the date
/// that the child was placed for adoption." The child's first episode with PLACE A3-A6 and latest
/// PlacedAdoption decision, when the placement starts before the decision; both rows are flagged.
///
/// Protects A3 and A1: the child waiting since a decision, and the placement that ends the wait.
fn placed_before_decision(child: &str, c: &Child<'_>, out: &mut Out<'_>) {
    let (Some(first), Some(latest)) = (
        c.episodes.iter().find(|e| e.is_adoptive_placement()),
        c.decisions.last(),
    ) else {
        return;
    };
    if first.decom >= latest.date_placed {
        return;
    }
    let (placed, decom) = (dates::uk(latest.date_placed), dates::uk(first.decom));
    let place = &first.place;
    out.pair(
        "placed-before-decision",
        552,
        child,
        End::new(latest.source, "DATE_PLACED", &placed),
        End::new(first.source, "DECOM", &decom),
        |at_decision, at_episode| {
            format!(
                "child {child} was first placed for adoption ({place} from {decom}{at_episode}) before the latest decision that the child should be placed for adoption (DATE_PLACED {placed}{at_decision}). Correct DATE_PLACED or the placement's DECOM."
            )
        },
    );
}

/// DfE rule 554: "Date of decision that the child should be placed for adoption should be on or
/// prior to the date that the placement order was granted." Each PlacedAdoption row whose
/// DATE_PLACED is after the DECOM of the child's first episode with LS E1; the episode is
/// flagged too. (The DfE notes that episodes in earlier years can make this rule wrong either
/// way; loading those years' files with this one avoids that.)
///
/// Protects A2, which starts at the placement order, and A3, whose waiting children come from
/// the decisions.
fn decision_after_placement_order(child: &str, c: &Child<'_>, out: &mut Out<'_>) {
    let Some(order) = c.episodes.iter().find(|e| e.ls == LS_PLACEMENT_ORDER) else {
        return;
    };
    for d in c.decisions.iter().filter(|d| d.date_placed > order.decom) {
        let (placed, decom) = (dates::uk(d.date_placed), dates::uk(order.decom));
        out.pair(
            "decision-after-placement-order",
            554,
            child,
            End::new(d.source, "DATE_PLACED", &placed),
            End::new(order.source, "DECOM", &decom),
            |at_decision, at_episode| {
                format!(
                    "the decision that child {child} should be placed for adoption (DATE_PLACED {placed}{at_decision}) is after the placement order was granted (LS E1 from {decom}{at_episode}). Correct DATE_PLACED or DECOM."
                )
            },
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The catalogue and the data-quality summary.

/// What the data-quality view says about one kind of diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub code: &'static str,
    /// Set where the DfE rule depends on the column (an unknown RNE is rule 143, an unknown
    /// PLACE rule 146); `None` matches any column.
    pub column: Option<&'static str>,
    /// The DfE SSDA903 validation rule covering the same problem.
    pub dfe_rule: Option<u32>,
    /// One line: what the check finds.
    pub title: &'static str,
    /// The indicators a row with this problem can change.
    pub indicators: &'static [&'static str],
}

const ALL: &[&str] = &["A1", "A10", "A2", "A3"];
const NONE: &[&str] = &[];

const fn entry(
    code: &'static str,
    dfe_rule: Option<u32>,
    title: &'static str,
    indicators: &'static [&'static str],
) -> Entry {
    Entry {
        code,
        column: None,
        dfe_rule,
        title,
        indicators,
    }
}

const fn unknown_code(column: &'static str, dfe_rule: u32, title: &'static str) -> Entry {
    Entry {
        code: "code-unknown",
        column: Some(column),
        dfe_rule: Some(dfe_rule),
        title,
        indicators: ALL,
    }
}

/// Every diagnostic code the engine raises. `docs/methodology.md` ("Data checks") explains each.
#[rustfmt::skip]
pub const CATALOGUE: &[Entry] = &[
    // The DfE rules implemented in this module.
    entry("placed-without-decision", Some(551), "Placed for adoption, but no decision that the child should be placed for adoption", &["A3"]),
    entry("placement-order-without-decision", Some(553), "Placement order, but no decision that the child should be placed for adoption (or the decision is recorded as ceased while the order stands)", &["A2", "A3"]),
    entry("placement-order-missing", Some(408), "Placed for adoption with a placement order (A5, A6), but the legal status is not E1", &["A2"]),
    entry("adoption-not-after-foster-care", Some(336), "Placed for adoption (A3, A4) straight from a placement that is not foster care", &["A1", "A10"]),
    entry("adopted-not-placed", Some(390), "Episode ends in adoption, but its placement is not a placement for adoption (A3 to A6)", ALL),
    entry("ad1-not-adopted-in-year", Some(602), "In AD1, but no episode ends in adoption in the collection year", &["A2"]),
    entry("decision-before-care", Some(1003), "Decision to place for adoption before the child started to be looked after", &["A3"]),
    entry("ad1-decision-before-period", Some(334), "AD1 decision date (DATE_INT) before the latest period of care began", &["A2"]),
    entry("match-after-placement", Some(331), "Matched with adopters after the placement that ended in adoption began", &["A2"]),
    entry("match-before-decision", Some(333), "Matched with adopters before the decision to place for adoption, or no decision date in AD1", &["A2"]),
    entry("placed-before-ad1-decision", Some(521), "Placed for adoption before the AD1 decision that adoption is in the child's best interests", &["A1", "A10"]),
    entry("placed-before-decision", Some(552), "Placed for adoption before the latest decision that the child should be placed for adoption", &["A1", "A3"]),
    entry("decision-after-placement-order", Some(554), "Decision to place for adoption after the placement order was granted", &["A2", "A3"]),
    // The engine's own checks (src/schema.rs, src/periods.rs, src/stitch.rs, src/metrics).
    entry("foster-care-disagrees", Some(335), "FOSTER_CARE and the type of adoptive placement disagree", &["A10"]),
    entry("dec-before-decom", Some(356), "Episode ends before it starts: the row is left out", ALL),
    entry("episode-overlap", Some(501), "Episodes of one child overlap", ALL),
    entry("episode-open-not-last", Some(142), "Episode has no end date, but a later episode starts", ALL),
    unknown_code("RNE", 143, "RNE is not a reason for new episode in the SSDA903 guide"),
    unknown_code("LS", 144, "LS is not a legal status in the SSDA903 guide"),
    unknown_code("CIN", 145, "CIN is not a category of need in the SSDA903 guide"),
    unknown_code("PLACE", 146, "PLACE is not a placement type in the SSDA903 guide"),
    unknown_code("REC", 149, "REC is not a reason episode ceased in the SSDA903 guide"),
    unknown_code("PLACE_PROVIDER", 178, "PLACE_PROVIDER is not a placement provider in the SSDA903 guide"),
    entry("code-unknown", None, "A code that is not in the SSDA903 guide", ALL),
    entry("code-missing", None, "A required code is blank", ALL),
    entry("adoption-without-placement", None, "Adopted without a placement for adoption ending the period of care: left out of the indicators (see DfE rule 390)", ALL),
    entry("ad1-without-adoption", None, "In AD1, but no episode in the files ends in adoption (see DfE rule 602)", &["A2"]),
    entry("adoption-without-ad1", None, "Adopted, but no AD1 row: no match date, so left out of A2", &["A2"]),
    entry("match-date-missing", None, "Adopted, but DATE_MATCH is blank: left out of A2", &["A2"]),
    entry("rec-without-dec", None, "Reason the episode ended (REC) but no end date (DEC): read as still open", ALL),
    entry("x1-without-next-episode", None, "Episode ends X1 (new episode the same day), but no episode starts that day", ALL),
    entry("period-starts-without-s", None, "Period of care does not start with RNE S: an earlier year's file may be missing", ALL),
    entry("place-historic", None, "Historic placement code Q1 or Q2, read as U3 or U6", NONE),
    entry("episode-conflict", None, "Two different episodes of one child start the same day: the later file's is used", ALL),
    entry("decision-conflict", None, "Two different records of one decision: the later file's is used", &["A3"]),
    entry("decision-ceased-before-made", None, "Decision to place for adoption ceases before it was made", &["A3"]),
    entry("child-missing", None, "CHILD is blank: the row is left out", ALL),
    entry("date-missing", None, "A required date is blank: the row is left out", ALL),
    entry("date-impossible", None, "A date that does not exist", ALL),
    entry("date-unreadable", None, "A date that cannot be read", ALL),
    entry("date-two-digit-year", None, "A date with a two-digit year", ALL),
    entry("column-missing", None, "A required column is missing: the file is not used", ALL),
    entry("table-unrecognised", None, "Not an SSDA903 table: the file is not used", NONE),
    entry("table-not-needed", None, "An SSDA903 table these indicators do not use", NONE),
    entry("file-empty", None, "The file is empty", NONE),
    entry("file-not-text", None, "Not a text (CSV) file", NONE),
    entry("file-workbook", None, "An Excel workbook: save each sheet as CSV", NONE),
    entry("file-malformed", None, "The file cannot be read as a table", NONE),
    entry("file-no-rows", None, "The file has a header row but no data rows", NONE),
    entry("file-xls", None, "An old Excel workbook (.xls) or a protected one: save it as .xlsx or CSV", NONE),
    entry("workbook-unreadable", None, "The workbook cannot be read", NONE),
    entry("workbook-reader-missing", None, "The workbook reader did not load: the workbook is not read", NONE),
    entry("sheet-unreadable", None, "A sheet of the workbook cannot be read", NONE),
    entry("sheet-empty", None, "An empty sheet", NONE),
    // Repairs the reader made to malformed files (src/input, src/schema.rs).
    entry("quote-unclosed", None, "A stray quote that would have swallowed the rows after it: read as an ordinary character", ALL),
    entry("cell-nul", None, "NUL characters removed from a cell", ALL),
    entry("cell-line-break", None, "A line break inside a cell the indicators read", ALL),
    entry("cell-without-header", None, "Values beyond the header row's columns: ignored (often an unquoted comma)", ALL),
    entry("row-short", None, "A row shorter than the header row: the missing cells read as blank", ALL),
    entry("row-duplicate", None, "The same row twice in one file: counted once", ALL),
    entry("header-not-first", None, "The header row is below a title: the rows above it are left out", NONE),
    entry("column-duplicate", None, "The same column name twice: the first copy is used", ALL),
    entry("column-duplicate-differs", None, "A repeated column disagrees with the first copy, which is used", ALL),
    entry("reason-without-ceased", None, "A reason the decision ceased but no date it ceased", &["A3"]),
    entry("adoption-in-short-break", None, "An adoption recorded on a short-break episode (LS V3/V4): left out", ALL),
    entry("adoption-without-date", None, "An adoption (REC E11/E12) on an episode with no end date: left out", ALL),
    // The local files carers.csv and adopters.csv.
    entry("id-missing", None, "CARER_ID or ADOPTER_ID is blank: the row is left out", NONE),
    entry("carer-type-unknown", None, "CARER_TYPE is neither mainstream nor connected: the row is left out", NONE),
    entry("places-unreadable", None, "APPROVED_PLACES is not a whole number", NONE),
    entry("household-conflict", None, "Two different rows for one fostering household: the later file's is used", NONE),
    entry("family-conflict", None, "Two different rows for one adoptive family: the later file's is used", NONE),
];

/// The catalogue entry of a diagnostic: the column-specific one first.
fn entry_for(code: &str, column: Option<&str>) -> Option<&'static Entry> {
    CATALOGUE
        .iter()
        .find(|e| e.code == code && e.column.is_some() && e.column == column)
        .or_else(|| {
            CATALOGUE
                .iter()
                .find(|e| e.code == code && e.column.is_none())
        })
}

/// One kind of problem and how many rows have it: a line of the data-quality view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QualityGroup {
    pub code: &'static str,
    pub dfe_rule: Option<u32>,
    pub severity: Severity,
    /// One line: what the check finds.
    pub title: &'static str,
    /// The indicators a row with this problem can change.
    pub indicators: &'static [&'static str],
    /// Diagnostics in the group: one per row, or per file for file-level problems.
    pub count: u32,
    /// Their positions in the report's `diagnostics` (from 0).
    pub diagnostics: Vec<u32>,
}

/// Gives the engine's own diagnostics the DfE rule numbers of [`CATALOGUE`], then groups all
/// diagnostics (in their final order) by code, rule and severity: errors first, then the largest
/// groups.
pub fn finish(diagnostics: &mut [Diagnostic]) -> Vec<QualityGroup> {
    let mut groups: Vec<QualityGroup> = Vec::new();
    for (i, d) in diagnostics.iter_mut().enumerate() {
        let entry = entry_for(d.code, d.column.as_deref());
        if d.dfe_rule.is_none() {
            d.dfe_rule = entry.and_then(|e| e.dfe_rule);
        }
        let index = u32::try_from(i).unwrap_or(u32::MAX);
        let found = groups
            .iter_mut()
            .find(|g| (g.code, g.dfe_rule, g.severity) == (d.code, d.dfe_rule, d.severity));
        match found {
            Some(g) => {
                g.count += 1;
                g.diagnostics.push(index);
            }
            None => groups.push(QualityGroup {
                code: d.code,
                dfe_rule: d.dfe_rule,
                severity: d.severity,
                title: entry.map_or(d.code, |e| e.title),
                indicators: entry.map_or(NONE, |e| e.indicators),
                count: 1,
                diagnostics: vec![index],
            }),
        }
    }
    groups.sort_by(|a, b| {
        (a.severity, std::cmp::Reverse(a.count), a.code, a.dfe_rule).cmp(&(
            b.severity,
            std::cmp::Reverse(b.count),
            b.code,
            b.dfe_rule,
        ))
    });
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_codes_are_unique_per_column() {
        let mut seen = std::collections::HashSet::new();
        for e in CATALOGUE {
            assert!(seen.insert((e.code, e.column)), "{} twice", e.code);
            assert!(!e.title.is_empty() && !e.title.ends_with('.'), "{}", e.code);
        }
    }

    #[test]
    fn every_check_here_is_in_the_catalogue_with_its_rule() {
        for (code, rule) in [
            ("placed-without-decision", 551),
            ("placement-order-without-decision", 553),
            ("placement-order-missing", 408),
            ("adoption-not-after-foster-care", 336),
            ("adopted-not-placed", 390),
            ("ad1-not-adopted-in-year", 602),
            ("decision-before-care", 1003),
            ("ad1-decision-before-period", 334),
            ("match-after-placement", 331),
            ("match-before-decision", 333),
            ("placed-before-ad1-decision", 521),
            ("placed-before-decision", 552),
            ("decision-after-placement-order", 554),
        ] {
            assert_eq!(
                entry_for(code, None).and_then(|e| e.dfe_rule),
                Some(rule),
                "{code}"
            );
        }
    }

    #[test]
    fn unknown_codes_take_the_rule_of_their_column() {
        let cases = [
            (Some("RNE"), Some(143)),
            (Some("LS"), Some(144)),
            (Some("CIN"), Some(145)),
            (Some("PLACE"), Some(146)),
            (Some("REC"), Some(149)),
            (Some("PLACE_PROVIDER"), Some(178)),
            (Some("FOSTER_CARE"), None),
            (None, None),
        ];
        for (column, rule) in cases {
            assert_eq!(
                entry_for("code-unknown", column).and_then(|e| e.dfe_rule),
                rule,
                "{column:?}"
            );
        }
    }

    #[test]
    fn collection_year_bounds() {
        assert_eq!(Year::of(2018).label, "2017-18");
    }
}
