//! Several annual files of one table -> one set of records (`indicators.md` section 1.5).
//!
//! A 903 return holds everything open during its year, so the same record arrives in several
//! years' files. Identical copies are dropped (counted); a record still open in one year's file
//! (an episode without DEC, a decision without DATE_PLACED_CEASED) and closed in a later file is
//! replaced by the closed one; any other difference on the same key is a diagnostic, and the
//! later file wins. "Later" ranks files by the latest date they contain, so the order the files
//! were given in does not matter.

use crate::dates;
use crate::diagnostic::{Diagnostic, Severity};
use crate::hashing::FastMap;
use crate::model::{
    Adopter, Adoption, Carer, ChildHeader, Episode, PlacementDecision, Source, Text,
};
use crate::schema::{reason, FileSummary};
use chrono::{Datelike, NaiveDate};

/// A record that can arrive in several files.
pub trait Stitch: Sized {
    /// What makes two records copies of one: borrowed from the record, compared in order.
    type Key<'a>: Ord
    where
        Self: 'a;
    fn key(&self) -> Self::Key<'_>;
    fn source(&self) -> Source;
    /// The latest date the record carries (to rank its file).
    fn latest(&self) -> Option<NaiveDate>;
    fn same(&self, other: &Self) -> bool;
    /// Still open: may be closed by a later file's copy.
    fn open(&self) -> bool {
        false
    }
    /// The diagnostic for two different records on one key (`self` wins); `None` keeps both.
    fn conflict(&self, kept: &Self, files: &[FileSummary]) -> Option<Diagnostic>;
    /// The child the record is about, to name in a diagnostic.
    fn child(&self) -> Option<&str> {
        None
    }
    /// The first two parts of every key: the authority and the record's identifier (child,
    /// household or family).
    fn ident(&self) -> (&Text, &Text);
    /// The key's third and last part, when the key is (authority, identifier, date).
    fn key_date(&self) -> Option<NaiveDate> {
        None
    }
}

/// A row repeating an earlier row of the same file: counted once, and pointed out, since an annual
/// return never lists a record twice. (Copies across files are the normal overlap of annual
/// returns and are only counted.)
fn repeated<T: Stitch>(it: &T, kept: &T, files: &[FileSummary]) -> Diagnostic {
    let f = &files[it.source().file as usize];
    Diagnostic::new(
        "row-duplicate",
        Severity::Info,
        &f.at(it.source().row, "CHILD"),
        it.child(),
        it.child(),
        &format!(
            "this row repeats row {} of the same file, so it is counted once. Delete one of the two.",
            kept.source().row
        ),
    )
}

/// "the later file's" or, within one file, "the lower" row: which copy is used.
fn later(it: Source, kept: Source) -> &'static str {
    if it.file == kept.file {
        "this row, the lower of the two, is used"
    } else {
        "this row, from the later file, is used"
    }
}

/// Merges the copies of each record; returns the survivors in the order read (file, then row).
///
/// Works in place: a list of positions is sorted by key, and within a key by rank (the files'
/// latest dates, then the order read), so each record's copies are visited together in rank
/// order; the losers are dropped at the end. Neither the records nor their keys are copied (a
/// hash index of a million keys took 70 MB of wasm memory).
pub fn merge<T: Stitch>(
    items: Vec<T>,
    files: &mut [FileSummary],
    diags: &mut Vec<Diagnostic>,
) -> Vec<T> {
    let (mut items, _, keep) = visit(items, files, diags);
    let mut kept = keep.into_iter();
    items.retain(|_| kept.next().unwrap_or(false));
    items
}

/// [`merge`], returning the survivors in key order (copies of one key kept by the conflict rules
/// in rank order) rather than in the order read: for the episodes, wanted next in child order,
/// which this gives in one move of each record rather than a pass to drop the losers and a sort.
pub fn merge_in_key_order<T: Stitch>(
    items: Vec<T>,
    files: &mut [FileSummary],
    diags: &mut Vec<Diagnostic>,
) -> Vec<T> {
    let (mut items, order, keep) = visit(items, files, diags);
    // The survivors in key order, then the losers, which the truncation drops.
    let mut moves: Vec<u32> = Vec::with_capacity(order.len());
    moves.extend(order.iter().filter(|&&j| keep[j as usize]));
    let survivors = moves.len();
    moves.extend(order.iter().filter(|&&j| !keep[j as usize]));
    drop(order);
    crate::periods::permute(&mut items, &moves);
    items.truncate(survivors);
    items
}

/// Visits each record's copies together, in rank order: returns the records sorted by source,
/// their positions in key order, and which to keep.
fn visit<T: Stitch>(
    mut items: Vec<T>,
    files: &mut [FileSummary],
    diags: &mut Vec<Diagnostic>,
) -> (Vec<T>, Vec<u32>, Vec<bool>) {
    let mut survey = Survey::of(&items, files.len());
    if !survey.in_order {
        items.sort_by_key(|it| it.source());
        survey = Survey::of(&items, files.len());
    }
    let Survey {
        latest, numbers, ..
    } = survey;
    // Sources are in increasing order already: positions ranked by the files' latest dates,
    // then by position, with the copies of one key together.
    let mut order: Vec<u32> = (0..u32::try_from(items.len()).unwrap_or(u32::MAX)).collect();
    // Stable, so positions stay in order within a rank; files in child order come sorted. The
    // numbers decide most comparisons; the keys are compared only where they are equal.
    order.sort_by(|&a, &b| {
        numbers[a as usize].cmp(&numbers[b as usize]).then_with(|| {
            let (x, y) = (&items[a as usize], &items[b as usize]);
            (x.key(), latest[x.source().file as usize])
                .cmp(&(y.key(), latest[y.source().file as usize]))
        })
    });
    let mut keep = vec![false; items.len()];
    // The copy kept so far of the key being visited.
    let mut kept_so_far: Option<usize> = None;
    for &j in &order {
        let j = j as usize;
        let it = &items[j];
        let i = match kept_so_far {
            // Numbers that differ above the file's rank are keys that differ.
            Some(i) if (numbers[i] ^ numbers[j]) >> 12 == 0 && items[i].key() == it.key() => i,
            _ => {
                kept_so_far = Some(j);
                keep[j] = true;
                continue;
            }
        };
        // `it` ranks later than `items[i]`, the copy kept so far.
        let old = &items[i];
        if old.same(it) {
            if old.source().file == it.source().file {
                diags.push(repeated(it, old, files));
            }
            files[it.source().file as usize].exclude(reason::DUPLICATE);
        } else if old.open() && !it.open() && old.source().file != it.source().file {
            files[old.source().file as usize].exclude(reason::SUPERSEDED);
            (keep[i], keep[j]) = (false, true);
            kept_so_far = Some(j);
        } else {
            match it.conflict(old, files) {
                Some(d) => {
                    diags.push(d);
                    files[old.source().file as usize].exclude(
                        if old.source().file == it.source().file {
                            reason::CONFLICT_IN_FILE
                        } else {
                            reason::CONFLICT
                        },
                    );
                    (keep[i], keep[j]) = (false, true);
                    kept_so_far = Some(j);
                }
                None => keep[j] = true,
            }
        }
    }
    (items, order, keep)
}

/// What one pass over the records finds: a national file's records are far larger than the
/// processor's caches, and each pass reads them all from memory.
struct Survey {
    /// Each file's latest date: the file's rank among the copies of a record.
    latest: Vec<Option<NaiveDate>>,
    /// Whether the records are in source order (file, then row).
    in_order: bool,
    /// For each record, a number that orders as its key and its file's rank do, as far as it
    /// goes: a smaller number is a smaller key (or a lower-ranked copy of one), while equal
    /// numbers say nothing and leave the keys to be compared. Comparing two numbers is a few
    /// instructions; comparing two keys reads two identifiers' text, and sorting a million
    /// episodes by key was the stitching's whole time.
    ///
    /// From the highest bits: the authority's rank among those of the records (16 bits), the
    /// identifier's first 8 bytes (64), its length (4 bits: 15 for longer than 8 bytes) and,
    /// when the identifier is whole in those bytes, the key's date (32) and the file's rank
    /// (12): all but the rank are the key's, so that numbers that differ above the rank are keys
    /// that differ. Identifiers padded with zero bytes order as the text does: a shorter one
    /// padded is at most a longer one it begins. Beyond 65,536 authorities or 4,096 files, the
    /// part that does not fit is left 0.
    numbers: Vec<u128>,
}

impl Survey {
    fn of<T: Stitch>(items: &[T], files: usize) -> Survey {
        const AUTHORITY: u32 = 112;
        const RANK: u128 = (1 << 12) - 1;
        let mut latest: Vec<Option<NaiveDate>> = vec![None; files];
        let mut in_order = true;
        let mut previous: Option<Source> = None;
        // The ranks of the authorities and of the files are known only at the end: the pass
        // puts in their place the authority's number in the order first met, and the file's
        // index from 1 (0: no rank), which are then replaced.
        let mut authorities: FastMap<&str, u128> = FastMap::default();
        // A file holds one authority or a few: each record's is nearly always the previous one's.
        let mut previous_la: Option<(&str, u128)> = None;
        let numbered_files = files < 1 << 12;
        let mut numbers: Vec<u128> = Vec::with_capacity(items.len());
        for it in items {
            let source = it.source();
            in_order &= previous <= Some(source);
            previous = Some(source);
            let slot = &mut latest[source.file as usize];
            *slot = (*slot).max(it.latest());
            let (la, id) = it.ident();
            let authority = match previous_la {
                Some((p, n)) if p == la.as_str() => n,
                _ => {
                    let next = authorities.len() as u128;
                    let n = *authorities.entry(la.as_str()).or_insert(next);
                    previous_la = Some((la.as_str(), n));
                    n
                }
            };
            let mut number =
                authority << AUTHORITY | u128::from(crate::periods::id_number(id)) << 48;
            if id.len() > 8 {
                number |= 15 << 44;
            } else {
                number |= (id.len() as u128) << 44;
                if let Some(date) = it.key_date() {
                    // Days from the Common Era, shifted so that their order is that of unsigned
                    // numbers.
                    let days = (date.num_days_from_ce() as u32) ^ (1 << 31);
                    let file = if numbered_files {
                        u128::from(source.file) + 1
                    } else {
                        0
                    };
                    number |= u128::from(days) << 12 | file;
                }
            }
            numbers.push(number);
        }
        if authorities.len() > 1 << 16 {
            numbers.fill(0);
        } else {
            // Each authority's rank, by its number in the order first met.
            let mut sorted: Vec<(&str, u128)> = authorities.into_iter().collect();
            sorted.sort_unstable();
            let mut authority_rank = vec![0u128; sorted.len()];
            for (rank, &(_, n)) in sorted.iter().enumerate() {
                authority_rank[n as usize] = rank as u128;
            }
            let mut ranks: Vec<Option<NaiveDate>> = latest.clone();
            ranks.sort_unstable();
            ranks.dedup();
            let file_rank: Vec<u128> = latest
                .iter()
                .map(|l| match ranks.binary_search(l) {
                    Ok(r) if ranks.len() <= 1 << 12 => r as u128,
                    _ => 0,
                })
                .collect();
            for number in &mut numbers {
                let authority = authority_rank[(*number >> AUTHORITY) as usize];
                let file = (*number & RANK) as usize;
                let rank = file.checked_sub(1).map_or(0, |f| file_rank[f]);
                let key = *number & !RANK & ((1 << AUTHORITY) - 1);
                *number = authority << AUTHORITY | key | rank;
            }
        }
        Survey {
            latest,
            in_order,
            numbers,
        }
    }
}

/// The warning for two different copies of one record: `at` is the winning row's cell.
fn conflict_warning(
    code: &'static str,
    files: &[FileSummary],
    winner: Source,
    column: &'static str,
    value: Option<&str>,
    child: Option<&str>,
    detail: String,
) -> Option<Diagnostic> {
    Some(Diagnostic::new(
        code,
        Severity::Warning,
        &files[winner.file as usize].at(winner.row, column),
        value,
        child,
        &detail,
    ))
}

impl Stitch for Episode {
    type Key<'a> = (&'a Text, &'a Text, NaiveDate);
    fn key(&self) -> Self::Key<'_> {
        (&self.la, &self.child, self.decom)
    }
    fn ident(&self) -> (&Text, &Text) {
        (&self.la, &self.child)
    }
    fn key_date(&self) -> Option<NaiveDate> {
        Some(self.decom)
    }
    fn source(&self) -> Source {
        self.source
    }
    fn child(&self) -> Option<&str> {
        Some(&self.child)
    }
    fn latest(&self) -> Option<NaiveDate> {
        Some(self.dec.unwrap_or(self.decom).max(self.decom))
    }
    fn same(&self, other: &Self) -> bool {
        self.same_content(other)
    }
    fn open(&self) -> bool {
        self.dec.is_none()
    }
    fn conflict(&self, kept: &Self, files: &[FileSummary]) -> Option<Diagnostic> {
        let old = &files[kept.source.file as usize];
        conflict_warning(
            "episode-conflict",
            files,
            self.source,
            "DECOM",
            Some(&dates::uk(self.decom)),
            Some(&self.child),
            format!(
                "child {} has another episode starting {} ({}, row {}) with different details; {}. Check which is right and remove the other.",
                self.child,
                dates::uk(self.decom),
                old.file,
                kept.source.row,
                later(self.source, kept.source)
            ),
        )
    }
}

impl Stitch for PlacementDecision {
    type Key<'a> = (&'a Text, &'a Text, NaiveDate);
    fn key(&self) -> Self::Key<'_> {
        (&self.la, &self.child, self.date_placed)
    }
    fn ident(&self) -> (&Text, &Text) {
        (&self.la, &self.child)
    }
    fn key_date(&self) -> Option<NaiveDate> {
        Some(self.date_placed)
    }
    fn source(&self) -> Source {
        self.source
    }
    fn child(&self) -> Option<&str> {
        Some(&self.child)
    }
    fn latest(&self) -> Option<NaiveDate> {
        Some(
            self.date_placed_ceased
                .unwrap_or(self.date_placed)
                .max(self.date_placed),
        )
    }
    fn same(&self, o: &Self) -> bool {
        (self.date_placed_ceased, &self.reason_placed_ceased)
            == (o.date_placed_ceased, &o.reason_placed_ceased)
    }
    fn open(&self) -> bool {
        self.date_placed_ceased.is_none()
    }
    fn conflict(&self, kept: &Self, files: &[FileSummary]) -> Option<Diagnostic> {
        let old = &files[kept.source.file as usize];
        conflict_warning(
            "decision-conflict",
            files,
            self.source,
            "DATE_PLACED_CEASED",
            self.date_placed_ceased.map(dates::uk).as_deref(),
            Some(&self.child),
            format!(
                "child {}'s decision of {} is also recorded in {}, row {}, with a different end; {}. Check which is right and remove the other.",
                self.child,
                dates::uk(self.date_placed),
                old.file,
                kept.source.row,
                later(self.source, kept.source)
            ),
        )
    }
}

impl Stitch for Adoption {
    type Key<'a> = (
        &'a Text,
        &'a Text,
        Option<NaiveDate>,
        Option<NaiveDate>,
        Option<bool>,
        Option<bool>,
    );
    fn key(&self) -> Self::Key<'_> {
        (
            &self.la,
            &self.child,
            self.date_int,
            self.date_match,
            self.foster_care,
            self.sibling_group,
        )
    }
    fn ident(&self) -> (&Text, &Text) {
        (&self.la, &self.child)
    }
    fn source(&self) -> Source {
        self.source
    }
    fn child(&self) -> Option<&str> {
        Some(&self.child)
    }
    fn latest(&self) -> Option<NaiveDate> {
        self.date_match.max(self.date_int)
    }
    fn same(&self, _: &Self) -> bool {
        true
    }
    fn conflict(&self, _: &Self, _: &[FileSummary]) -> Option<Diagnostic> {
        None
    }
}

impl Stitch for ChildHeader {
    #[allow(clippy::type_complexity)]
    type Key<'a> = (
        &'a Text,
        &'a Text,
        crate::model::Code,
        Option<NaiveDate>,
        crate::model::Code,
        Option<bool>,
        Option<bool>,
    );
    fn key(&self) -> Self::Key<'_> {
        (
            &self.la,
            &self.child,
            self.sex,
            self.dob,
            self.ethnic,
            self.disabled,
            self.sibling_group,
        )
    }
    fn ident(&self) -> (&Text, &Text) {
        (&self.la, &self.child)
    }
    fn source(&self) -> Source {
        self.source
    }
    fn child(&self) -> Option<&str> {
        Some(&self.child)
    }
    fn latest(&self) -> Option<NaiveDate> {
        None
    }
    fn same(&self, _: &Self) -> bool {
        true
    }
    fn conflict(&self, _: &Self, _: &[FileSummary]) -> Option<Diagnostic> {
        None
    }
}

impl Stitch for Carer {
    type Key<'a> = (&'a Text, &'a Text);
    fn key(&self) -> Self::Key<'_> {
        (&self.la, &self.id)
    }
    fn ident(&self) -> (&Text, &Text) {
        (&self.la, &self.id)
    }
    fn source(&self) -> Source {
        self.source
    }
    fn latest(&self) -> Option<NaiveDate> {
        [
            self.enquiry,
            self.application,
            self.stage2,
            self.approval,
            self.deregistration,
        ]
        .into_iter()
        .flatten()
        .max()
    }
    fn same(&self, o: &Self) -> bool {
        let fields = |c: &Carer| {
            (
                c.carer_type,
                c.enquiry,
                c.application,
                c.stage2,
                c.approval,
                c.approved_places,
                c.deregistration,
                c.deregistration_reason,
            )
        };
        fields(self) == fields(o)
    }
    fn open(&self) -> bool {
        self.deregistration.is_none()
    }
    fn conflict(&self, kept: &Self, files: &[FileSummary]) -> Option<Diagnostic> {
        let old = &files[kept.source.file as usize];
        conflict_warning(
            "household-conflict",
            files,
            self.source,
            "CARER_ID",
            Some(&self.id),
            None,
            format!(
                "household {} is also in {}, row {}, with different details; this row, from the later file, is used. Keep one row per household.",
                self.id, old.file, kept.source.row
            ),
        )
    }
}

impl Stitch for Adopter {
    type Key<'a> = (&'a Text, &'a Text);
    fn key(&self) -> Self::Key<'_> {
        (&self.la, &self.id)
    }
    fn ident(&self) -> (&Text, &Text) {
        (&self.la, &self.id)
    }
    fn source(&self) -> Source {
        self.source
    }
    fn latest(&self) -> Option<NaiveDate> {
        [
            self.enquiry,
            self.application,
            self.stage2,
            self.approval,
            self.matched,
            self.withdrawn,
        ]
        .into_iter()
        .flatten()
        .max()
    }
    fn same(&self, o: &Self) -> bool {
        let fields = |a: &Adopter| {
            (
                a.enquiry,
                a.application,
                a.stage2,
                a.approval,
                a.matched,
                a.withdrawn,
            )
        };
        fields(self) == fields(o)
    }
    fn open(&self) -> bool {
        self.matched.is_none() && self.withdrawn.is_none()
    }
    fn conflict(&self, kept: &Self, files: &[FileSummary]) -> Option<Diagnostic> {
        let old = &files[kept.source.file as usize];
        conflict_warning(
            "family-conflict",
            files,
            self.source,
            "ADOPTER_ID",
            Some(&self.id),
            None,
            format!(
                "family {} is also in {}, row {}, with different details; this row, from the later file, is used. Keep one row per family.",
                self.id, old.file, kept.source.row
            ),
        )
    }
}
