//! Episodes from several annual files -> one history per child -> periods of care
//! (`indicators.md` sections 1.1-1.5).

use crate::dates;
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::model::{Code, Episode, Source};
use crate::schema::{reason, FileSummary};
use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::ops::Range;

/// A maximal chain of episodes: each starts the day the previous ended, which ended with REC X1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// Index of the child's first episode of this period in [`History::episodes`].
    pub first: usize,
    /// Index one past the last.
    pub end_index: usize,
    /// "Entered care": DECOM of the first episode.
    pub start: NaiveDate,
    /// DEC of the last episode; `None` while still looked after.
    pub end: Option<NaiveDate>,
    /// REC of the last episode: kept here, so that finding the periods that ended in adoption
    /// reads the periods alone, not the last episode of each (a national file's episodes are far
    /// larger than the processor's caches).
    pub reason: Code,
}

/// One child's episodes (sorted, short breaks removed) and periods of care: slices of the lists
/// [`Histories`] holds for every child.
#[derive(Debug, Clone, Copy)]
pub struct History<'a> {
    pub child: &'a crate::model::Text,
    /// The child's identifier as a number ([`id_number`]) and its length in bytes, kept here so
    /// that searching the histories for a child reads this list rather than each identifier in
    /// its first episode (a national file's episodes are far larger than the processor's
    /// caches): see [`History::cmp_child`].
    pub id_number: u64,
    pub id_len: usize,
    pub episodes: &'a [Episode],
    pub periods: &'a [Period],
}

impl History<'_> {
    /// How this history's child compares with `child`, whose [`id_number`] is `number`. The
    /// numbers decide when they differ; when they are equal and both identifiers have at most 8
    /// bytes, the numbers hold them whole (padded with zero bytes) and the shorter is the
    /// smaller; only longer identifiers have their text compared.
    pub fn cmp_child(&self, child: &str, number: u64) -> std::cmp::Ordering {
        self.id_number.cmp(&number).then_with(|| {
            if self.id_len <= 8 && child.len() <= 8 {
                self.id_len.cmp(&child.len())
            } else {
                self.child.as_str().cmp(child)
            }
        })
    }

    /// The episodes of `period`.
    pub fn of(&self, period: &Period) -> &[Episode] {
        &self.episodes[period.first..period.end_index]
    }

    /// REC of the period's last episode.
    pub fn reason<'p>(&self, period: &'p Period) -> &'p str {
        period.reason.as_str()
    }
}

/// Everything the episode stage found.
#[derive(Debug, Default)]
pub struct Histories {
    /// Every child's episodes, child after child (sorted), and their periods of care: one list
    /// each rather than one per child, so that a million episodes are not moved into a quarter of
    /// a million small vectors.
    episodes: Vec<Episode>,
    periods: Vec<Period>,
    /// Each child's episodes and periods: where they start and end in the lists above.
    spans: Vec<Spans>,
    /// Short-break episodes that ended in adoption: dropped with the rest, but their children are
    /// listed as excluded so that no adoption disappears silently.
    pub short_break_adoptions: Vec<Episode>,
    /// The earliest and the latest date (DECOM or DEC) of the children's episodes.
    pub date_range: Option<(NaiveDate, NaiveDate)>,
    /// The collection years in which an episode ended, and that of the latest date: the years
    /// the episodes cover. Found here, while each episode is at hand, rather than in another
    /// pass over a million of them.
    pub years: BTreeSet<i32>,
}

#[derive(Debug, Clone)]
struct Spans {
    episodes: Range<usize>,
    periods: Range<usize>,
    /// The child's [`id_number`] and identifier's length, found while the episodes are read.
    id: (u64, usize),
}

impl Histories {
    /// Each child's history, sorted by child.
    pub fn children(&self) -> Vec<History<'_>> {
        self.spans
            .iter()
            .map(|s| {
                let episodes = &self.episodes[s.episodes.clone()];
                History {
                    child: &episodes[0].child,
                    id_number: s.id.0,
                    id_len: s.id.1,
                    episodes,
                    periods: &self.periods[s.periods.clone()],
                }
            })
            .collect()
    }
}

/// An identifier's first 8 bytes as a number (big-endian, padded with zero bytes), which orders
/// as the text does as far as it goes: a smaller number is a smaller identifier, while equal
/// numbers say nothing (the identifiers may differ after 8 bytes) and leave the text to be
/// compared. A shorter identifier padded is at most a longer one it begins.
pub fn id_number(id: &str) -> u64 {
    let bytes = id.as_bytes();
    let mut word = [0u8; 8];
    let shown = bytes.len().min(8);
    word[..shown].copy_from_slice(&bytes[..shown]);
    u64::from_be_bytes(word)
}

fn location<'a>(files: &'a [FileSummary], e: &Episode, column: &'static str) -> Location<'a> {
    files[e.source.file as usize].at(e.source.row, column)
}

/// Puts stitched episodes in the order [`build`] reads them: by child, then DECOM, then DEC with
/// an open episode last; episodes alike in all three in the order read (file, then row), so that
/// the order does not depend on the order given. The data checks read them in this order too,
/// each child's together.
pub fn sort(episodes: &mut [Episode]) {
    fn key(e: &Episode) -> (&str, NaiveDate, bool, Option<NaiveDate>, Source) {
        (&e.child, e.decom, e.dec.is_none(), e.dec, e.source)
    }
    if episodes.is_sorted_by(|a, b| key(a) <= key(b)) {
        return;
    }
    // A stable sort of positions, not of the episodes: files are mostly in child order already,
    // which a stable sort finds in one pass, and its scratch copy is of positions, not of half
    // the episodes. The episodes are then moved into place.
    let mut order: Vec<u32> = (0..u32::try_from(episodes.len()).unwrap_or(u32::MAX)).collect();
    order.sort_by(|&a, &b| key(&episodes[a as usize]).cmp(&key(&episodes[b as usize])));
    permute(episodes, &order);
}

/// Puts `items[order[i]]` at position `i`.
///
/// Position by position, swapping in the item that belongs there and noting where the one it
/// displaces went. When the order merges a few runs of the items (files each in child order), the
/// swaps read the items in a few sequential streams; following each cycle of the permutation
/// instead jumps all over them, and took seven times as long on a million episodes.
///
/// The items at the front and at the back that are already in place are left alone: a file in
/// key order but for a few rows is moved only between the first and the last of those, and one
/// with no row out of order and no copy to drop (the usual case) is not moved at all.
pub(crate) fn permute<T>(items: &mut [T], order: &[u32]) {
    let in_place = |(i, &wanted): (usize, &u32)| wanted as usize == i;
    let start = order
        .iter()
        .enumerate()
        .take_while(|&p| in_place(p))
        .count();
    let end = order.len()
        - order
            .iter()
            .enumerate()
            .rev()
            .take_while(|&p| in_place(p))
            .count();
    let end = end.max(start);
    // The order between `start` and `end` names the items between them (it is a permutation,
    // and the items outside are in place): by their positions from `start` on.
    let (items, order) = (&mut items[start..end], &order[start..end]);
    let offset = start as u32;
    // Where each item now is, and which item is at each position, by their first positions.
    let mut now_at: Vec<u32> = (0..u32::try_from(items.len()).unwrap_or(u32::MAX)).collect();
    let mut item_at = now_at.clone();
    for (i, &wanted) in order.iter().enumerate() {
        let from = now_at[(wanted - offset) as usize] as usize;
        if from != i {
            items.swap(i, from);
            let displaced = item_at[i];
            item_at[from] = displaced;
            now_at[displaced as usize] = from as u32;
        }
    }
}

/// Drops short breaks (1.2) from episodes stitched ([`crate::stitch::merge`]) and sorted
/// ([`sort`]), and builds each child's periods of care (1.3-1.4).
///
/// `files` supplies names for diagnostics and takes the row accounting of rows dropped here.
pub fn build(
    mut episodes: Vec<Episode>,
    files: &mut [FileSummary],
    diags: &mut Vec<Diagnostic>,
) -> Histories {
    debug_assert!(episodes.is_sorted_by_key(|e| (&e.child, e.decom)));
    let mut out = Histories::default();
    // The years seen, in a short list: a file covers a few years, and consecutive episodes
    // (different children's) often end in different ones, which the set took long to be told.
    let mut years: Vec<i32> = Vec::new();
    episodes.retain(|e| {
        if e.is_short_break() {
            files[e.source.file as usize].exclude(reason::SHORT_BREAK);
            if e.rec == "E11" || e.rec == "E12" {
                out.short_break_adoptions.push(e.clone());
            }
            return false;
        }
        let (first, last) = out.date_range.get_or_insert((e.decom, e.decom));
        let end = e.dec.unwrap_or(e.decom);
        *first = (*first).min(e.decom).min(end);
        *last = (*last).max(e.decom).max(end);
        if let Some(year) = e.dec.map(dates::collection_year) {
            if !years.contains(&year) {
                years.push(year);
            }
        }
        true
    });
    out.years.extend(years);
    // The room of the episodes dropped (short breaks, and the copies the stitching dropped) is
    // given back: shrinking in place, without a copy.
    episodes.shrink_to_fit();
    // The children from the last to the first, as their diagnostics have always been listed
    // (the report's sort keeps that order among diagnostics of equal rank).
    let mut end = episodes.len();
    for mine in episodes.chunk_by(|a, b| a.child == b.child).rev() {
        let start = end - mine.len();
        let first_period = out.periods.len();
        periods_of(mine, files, diags, &mut out.periods);
        out.spans.push(Spans {
            episodes: start..end,
            periods: first_period..out.periods.len(),
            id: (id_number(&mine[0].child), mine[0].child.len()),
        });
        end = start;
    }
    out.spans.reverse();
    out.episodes = episodes;
    if let Some((_, last)) = out.date_range {
        out.years.insert(dates::collection_year(last));
    }
    // In the order read, as the excluded children list them.
    out.short_break_adoptions.sort_by_key(|e| e.source);
    for e in &out.short_break_adoptions {
        diags.push(Diagnostic::new(
            "adoption-in-short-break",
            Severity::Warning,
            &location(files, e, "LS"),
            Some(&e.ls),
            Some(&e.child),
            &format!(
                "the episode records an adoption (REC {}) but its legal status {} marks a short break, which the indicators leave out, so this adoption is not counted. Correct LS or REC.",
                e.rec, e.ls
            ),
        ));
    }
    out
}

/// Adds the periods of care of one child's `episodes` to `periods`.
fn periods_of(
    episodes: &[Episode],
    files: &[FileSummary],
    diags: &mut Vec<Diagnostic>,
    periods: &mut Vec<Period>,
) {
    let mut start = 0;
    for i in 0..episodes.len() {
        let e = &episodes[i];
        if let Some(next) = episodes.get(i + 1) {
            match e.dec {
                None => diags.push(Diagnostic::new(
                    "episode-open-not-last",
                    Severity::Warning,
                    &location(files, e, "DEC"),
                    None,
                    Some(&e.child),
                    &format!(
                        "this episode of child {} has no end date, but another episode starts {}. Enter DEC for this episode (two episodes cannot both be open).",
                        e.child,
                        dates::uk(next.decom)
                    ),
                )),
                Some(dec) if dec > next.decom => diags.push(Diagnostic::new(
                    "episode-overlap",
                    Severity::Warning,
                    &location(files, e, "DEC"),
                    Some(&dates::uk(dec)),
                    Some(&e.child),
                    &format!(
                        "this episode of child {} ends after the next one starts ({}). Correct the dates so that the episodes do not overlap.",
                        e.child,
                        dates::uk(next.decom)
                    ),
                )),
                _ => {}
            }
        }
        let continues = episodes
            .get(i + 1)
            .is_some_and(|next| e.dec == Some(next.decom) && e.rec == "X1" && next.rne != "S");
        if continues {
            continue;
        }
        if e.rec == "X1" && e.dec.is_some() {
            diags.push(Diagnostic::new(
                "x1-without-next-episode",
                Severity::Warning,
                &location(files, e, "REC"),
                Some("X1"),
                Some(&e.child),
                &format!(
                    "the episode ends with X1 (a new episode starts the same day), but child {} has no episode starting {}. Add the missing episode, or correct REC to the reason the child left care.",
                    e.child,
                    e.dec.map(dates::uk).unwrap_or_default()
                ),
            ));
        }
        let head = &episodes[start];
        if head.rne != "S" {
            diags.push(Diagnostic::new(
                "period-starts-without-s",
                Severity::Warning,
                &location(files, head, "RNE"),
                Some(&head.rne),
                Some(&head.child),
                &format!(
                    "child {}'s period of care starting {} does not begin with RNE S (started to be looked after); it is still treated as the start of care. Check for a missing earlier episode (an earlier year's file).",
                    head.child,
                    dates::uk(head.decom)
                ),
            ));
        }
        periods.push(Period {
            first: start,
            end_index: i + 1,
            start: head.decom,
            end: e.dec,
            reason: e.rec,
        });
        start = i + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::{id_number, permute, History};
    use crate::model::Text;

    #[test]
    fn histories_compare_with_children_as_their_identifiers_do() {
        let ids = [
            "",
            "A",
            "S1",
            "S10",
            "S100",
            "S1\0",
            "S9",
            "ab\0",
            "ab",
            "12345678",
            "1234567",
            "123456789",
            "12345678A",
            "12345679",
            "ABCDEFGHIJ",
            "ABCDEFGHIK",
            "ABCDEFGH",
        ];
        for a in ids {
            let text = Text::new(a);
            let h = History {
                child: &text,
                id_number: id_number(a),
                id_len: a.len(),
                episodes: &[],
                periods: &[],
            };
            for b in ids {
                assert_eq!(h.cmp_child(b, id_number(b)), a.cmp(b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn permute_puts_each_item_where_the_order_says() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e', 'f'];
        // Two cycles (0 2 4) and (1 5), and 3 in place.
        permute(&mut items, &[2, 5, 4, 3, 0, 1]);
        assert_eq!(items, vec!['c', 'f', 'e', 'd', 'a', 'b']);
        // Two sorted runs merged, as two files in child order are.
        let mut runs = vec![1, 4, 6, 2, 3, 5];
        permute(&mut runs, &[0, 3, 4, 1, 5, 2]);
        assert_eq!(runs, vec![1, 2, 3, 4, 5, 6]);
        // Already in order, and in order but for the tail.
        let mut sorted = vec![1, 2, 3];
        permute(&mut sorted, &[0, 1, 2]);
        assert_eq!(sorted, vec![1, 2, 3]);
        let mut tail = vec![1, 2, 4, 3];
        permute(&mut tail, &[0, 1, 3, 2]);
        assert_eq!(tail, vec![1, 2, 3, 4]);
        let mut none: Vec<char> = Vec::new();
        permute(&mut none, &[]);
        assert!(none.is_empty());
    }
}
