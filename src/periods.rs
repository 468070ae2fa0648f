//! Episodes from several annual files -> one history per child -> periods of care
//! (`indicators.md` sections 1.1-1.5).

use crate::dates;
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::model::Episode;
use crate::schema::{reason, FileSummary};
use chrono::NaiveDate;

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
}

/// One child's episodes (sorted, short breaks removed) and periods of care.
#[derive(Debug, Clone)]
pub struct History {
    pub child: crate::model::Text,
    pub episodes: Vec<Episode>,
    pub periods: Vec<Period>,
}

impl History {
    /// The episodes of `period`.
    pub fn of(&self, period: &Period) -> &[Episode] {
        &self.episodes[period.first..period.end_index]
    }

    /// REC of the period's last episode.
    pub fn reason(&self, period: &Period) -> &str {
        self.episodes[period.end_index - 1].rec.as_str()
    }
}

/// Everything the episode stage found.
#[derive(Debug, Default)]
pub struct Histories {
    /// Sorted by child.
    pub children: Vec<History>,
    /// Short-break episodes that ended in adoption: dropped with the rest, but their children are
    /// listed as excluded so that no adoption disappears silently.
    pub short_break_adoptions: Vec<Episode>,
}

fn location<'a>(files: &'a [FileSummary], e: &Episode, column: &'static str) -> Location<'a> {
    files[e.source.file].at(e.source.row, column)
}

/// Drops short breaks (1.2) from episodes already stitched ([`crate::stitch::merge`]) and builds
/// periods of care (1.3-1.4).
///
/// `files` supplies names for diagnostics and takes the row accounting of rows dropped here.
pub fn build(
    mut kept: Vec<Episode>,
    files: &mut [FileSummary],
    diags: &mut Vec<Diagnostic>,
) -> Histories {
    let mut out = Histories::default();
    kept.retain(|e| {
        if e.is_short_break() {
            files[e.source.file].exclude(reason::SHORT_BREAK);
            if e.rec == "E11" || e.rec == "E12" {
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
                out.short_break_adoptions.push(e.clone());
            }
            false
        } else {
            true
        }
    });
    // A stable sort of positions, not of the episodes: files are mostly in child order already,
    // which a stable sort finds in one pass, and its scratch copy is of positions, not of half
    // the episodes. The episodes are then moved into place.
    let mut order: Vec<u32> = (0..u32::try_from(kept.len()).unwrap_or(u32::MAX)).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&kept[a as usize], &kept[b as usize]);
        (&a.child, a.decom, a.dec.is_none(), a.dec).cmp(&(
            &b.child,
            b.decom,
            b.dec.is_none(),
            b.dec,
        ))
    });
    permute(&mut kept, order);
    // Children are taken off the end, and the vector shrinks as it empties, so the episodes are
    // never held twice (once sorted, once by child).
    while let Some(last) = kept.last() {
        // The child's episodes, counted back from the end (a child has a few).
        let mine_len = kept
            .iter()
            .rev()
            .take_while(|e| e.child == last.child)
            .count();
        let start = kept.len() - mine_len;
        let mine = kept.split_off(start);
        if kept.capacity() > 2 * kept.len() + 1024 {
            kept.shrink_to_fit();
        }
        out.children.push(history(mine, files, diags));
    }
    out.children.reverse();
    out
}

/// Puts `items[order[i]]` at position `i`, following each cycle of the permutation with swaps.
pub fn permute<T>(items: &mut [T], mut order: Vec<u32>) {
    const DONE: u32 = u32::MAX;
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != DONE {
            let from = order[at] as usize;
            order[at] = DONE;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

fn history(episodes: Vec<Episode>, files: &[FileSummary], diags: &mut Vec<Diagnostic>) -> History {
    let mut periods = Vec::new();
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
        });
        start = i + 1;
    }
    let child = episodes
        .first()
        .map(|e| e.child.clone())
        .unwrap_or_default();
    History {
        child,
        episodes,
        periods,
    }
}

#[cfg(test)]
mod tests {
    use super::permute;

    #[test]
    fn permute_puts_each_item_where_the_order_says() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e', 'f'];
        // Two cycles (0 2 4) and (1 5), and 3 in place.
        permute(&mut items, vec![2, 5, 4, 3, 0, 1]);
        assert_eq!(items, vec!['c', 'f', 'e', 'd', 'a', 'b']);
        let mut none: Vec<char> = Vec::new();
        permute(&mut none, Vec::new());
        assert!(none.is_empty());
    }
}
