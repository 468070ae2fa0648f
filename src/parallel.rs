//! Independent pieces of work, shared between threads natively and done one after the other in
//! wasm (which has no threads: `std::thread` panics there). Either way the results come back in
//! the order asked, so the report does not depend on which thread finished first.
//!
//! Natively a thread that cannot be started costs nothing but time: the calling thread then does
//! the work itself.

/// `(a(), b())`, natively with `b` on a second thread while this one does `a`.
pub(crate) fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    #[cfg(not(target_arch = "wasm32"))]
    if threads() > 1 {
        // Whichever thread comes to `b` first takes it: the helper, or this thread once `a` is
        // done (when the helper could not be started, or has not started yet).
        let slot = std::sync::Mutex::new(Some(b));
        let take = || -> Option<B> {
            let b = slot.lock().ok()?.take();
            b.map(|b| b())
        };
        return std::thread::scope(|s| {
            let helper = std::thread::Builder::new().spawn_scoped(s, take).ok();
            let a = a();
            let b = take().or_else(|| match helper?.join() {
                Ok(b) => b,
                Err(panic) => std::panic::resume_unwind(panic),
            });
            match b {
                Some(b) => (a, b),
                // `b` was taken once, by this thread or the helper, whose result is here.
                None => unreachable!("join: b was run by neither thread"),
            }
        });
    }
    (a(), b())
}

/// `f` of each item, in the items' order; natively the items are handed out one at a time to
/// as many threads as the machine has cores, so that a slow item does not hold up the rest.
pub(crate) fn map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    #[cfg(not(target_arch = "wasm32"))]
    if threads() > 1 && items.len() > 1 {
        let helpers = threads().min(items.len()) - 1;
        let queue = std::sync::Mutex::new(items.into_iter().enumerate());
        let work = || {
            let mut done: Vec<(usize, R)> = Vec::new();
            loop {
                // A thread that panicked never holds the lock (`next` does not panic).
                let next = queue
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .next();
                let Some((i, item)) = next else {
                    return done;
                };
                done.push((i, f(item)));
            }
        };
        let mut done = std::thread::scope(|s| {
            let helpers: Vec<_> = (0..helpers)
                .filter_map(|_| std::thread::Builder::new().spawn_scoped(s, work).ok())
                .collect();
            let mut done = work();
            for helper in helpers {
                match helper.join() {
                    Ok(theirs) => done.extend(theirs),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            done
        });
        done.sort_unstable_by_key(|&(i, _)| i);
        return done.into_iter().map(|(_, r)| r).collect();
    }
    items.into_iter().map(f).collect()
}

/// The cores this process may use (at least 1), asked once.
#[cfg(not(target_arch = "wasm32"))]
fn threads() -> usize {
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *THREADS.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_returns_both_in_place() {
        let (a, b) = join(|| 1 + 1, || "b".repeat(3));
        assert_eq!((a, b.as_str()), (2, "bbb"));
    }

    #[test]
    fn map_keeps_the_items_order() {
        let items: Vec<u64> = (0..1000).collect();
        // Uneven work, so that the threads finish items out of order.
        let out = map(items.clone(), |i| {
            (0..(i % 7) * 1000).fold(i, |a, x| a ^ x) ^ i
        });
        let expected: Vec<u64> = items
            .iter()
            .map(|&i| (0..(i % 7) * 1000).fold(i, |a, x| a ^ x) ^ i)
            .collect();
        assert_eq!(out, expected);
        assert!(map(Vec::<u8>::new(), |x| x).is_empty());
    }
}
