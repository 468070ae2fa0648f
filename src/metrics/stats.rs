//! Exact arithmetic for reported figures (`indicators.md` section 0): means rounded to the nearest
//! whole day with halves up, percentages to one decimal with halves up, all in integers.

/// Mean of non-negative day counts, rounded to the nearest whole day, halves up. `None` if empty.
pub fn mean_days(days: &[i64]) -> Option<i64> {
    let n = i64::try_from(days.len()).ok().filter(|&n| n > 0)?;
    let sum: i64 = days.iter().sum();
    // floor(sum / n + 1/2) = floor((2 sum + n) / 2n); `div_euclid` keeps it right for negatives too.
    Some((2 * sum + n).div_euclid(2 * n))
}

/// Median; the mean of the two middle values when the count is even (so it may end in .5).
/// Reorders `days`: the middle is selected in place, in linear time, rather than sorted.
pub fn median_days(days: &mut [i64]) -> Option<f64> {
    if days.is_empty() {
        return None;
    }
    let odd = days.len() % 2 == 1;
    let (below, &mut middle, _) = days.select_nth_unstable(days.len() / 2);
    Some(if odd {
        middle as f64
    } else {
        // The value just below the middle is the greatest of those selected below it.
        let before = below.iter().copied().max().unwrap_or(middle);
        (before + middle) as f64 / 2.0
    })
}

/// `days` in increasing order. A figure's days lie within a few thousand of each other, so
/// where their span is at most a few times their number they are counted, value by value, and
/// written back in order (the same list a sort makes, in time linear in their number: a
/// national set's figures hold 1.5 million days, which sorting took 20 ms of in the page's wasm).
pub fn sort_days(days: &mut [i64]) {
    let (Some(&low), Some(&high)) = (days.iter().min(), days.iter().max()) else {
        return;
    };
    let span = high.abs_diff(low);
    let len = days.len() as u64;
    if len < 64 || span >= len.saturating_mul(4) {
        days.sort_unstable();
        return;
    }
    let mut counts = vec![0u32; span as usize + 1];
    for &d in days.iter() {
        counts[d.abs_diff(low) as usize] += 1;
    }
    let mut at = 0;
    for (offset, &n) in counts.iter().enumerate() {
        let value = low + offset as i64;
        days[at..at + n as usize].fill(value);
        at += n as usize;
    }
}

/// `numerator / denominator` as a percentage in tenths, halves up: 5 of 7 -> 714 (71.4%).
pub fn percent_tenths(numerator: u64, denominator: u64) -> Option<u64> {
    if denominator == 0 {
        return None;
    }
    Some((numerator * 2000 + denominator) / (2 * denominator))
}

/// The DfE small-number rule: numerator 1-5 or denominator 1-10.
pub fn small_cohort(numerator: u64, denominator: u64) -> bool {
    (1..=5).contains(&numerator) || (1..=10).contains(&denominator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_sort_as_a_sort_does() {
        // Short lists, and lists spread wider than 4 times their length, are sorted as usual;
        // longer close ones are counted. Negative days (an A2 match before the order) included.
        let mut lists: Vec<Vec<i64>> = vec![
            vec![],
            vec![5],
            vec![3, -2, 3, 0],
            (0..100).map(|i| (i * 7919) % 301 - 40).collect(),
            (0..100).map(|i| (i * 7919) % 100_000).collect(),
            vec![-3; 70],
        ];
        lists.push((0..1000).rev().map(|i| i / 3).collect());
        for list in lists {
            let mut sorted = list.clone();
            sorted.sort_unstable();
            let mut counted = list.clone();
            sort_days(&mut counted);
            assert_eq!(counted, sorted, "{list:?}");
        }
        // Counted: 100 days within 301 of each other. By hand: 7919 = 93 (mod 301), 93 has the
        // inverse 123, so 1 and 2 come at i = 123 and 246 (out of range) and 3 at i = 68: the
        // second smallest is 3 - 40.
        let mut d: Vec<i64> = (0..100).map(|i| (i * 7919) % 301 - 40).collect();
        sort_days(&mut d);
        assert_eq!((d[0], d[1], d[99]), (-40, -37, 259));
    }

    #[test]
    fn means_round_halves_up() {
        assert_eq!(mean_days(&[320, 424, 323, 304, 699]), Some(414));
        assert_eq!(mean_days(&[320, 0, 323, 304, 699]), Some(329)); // 329.2
        assert_eq!(mean_days(&[1, 2]), Some(2)); // 1.5 -> 2
        assert_eq!(mean_days(&[1, 2, 2, 2]), Some(2)); // 1.75
        assert_eq!(mean_days(&[0, 0, 1]), Some(0)); // 0.33
        assert_eq!(mean_days(&[]), None);
    }

    #[test]
    fn medians() {
        assert_eq!(median_days(&mut [699, 320, 424]), Some(424.0));
        assert_eq!(median_days(&mut [1, 4]), Some(2.5));
        assert_eq!(median_days(&mut [5, 1, 9, 3]), Some(4.0));
        assert_eq!(median_days(&mut [2, 2, 7, 2, 1, 7]), Some(2.0));
        assert_eq!(median_days(&mut []), None);
    }

    #[test]
    fn percentages_exact() {
        assert_eq!(percent_tenths(5, 7), Some(714));
        assert_eq!(percent_tenths(1, 8), Some(125)); // 12.5 exactly
        assert_eq!(percent_tenths(1, 16), Some(63)); // 6.25 -> 6.3 (halves up)
        assert_eq!(percent_tenths(2, 3), Some(667));
        assert_eq!(percent_tenths(0, 3), Some(0));
        assert_eq!(percent_tenths(1, 0), None);
    }

    #[test]
    fn small_numbers() {
        assert!(small_cohort(5, 7));
        assert!(small_cohort(6, 10));
        assert!(!small_cohort(6, 11));
        assert!(!small_cohort(0, 11));
    }
}
