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

/// `produce`'s items, each handed to `consume` in the order made: natively `consume` works on a
/// second thread while `produce` makes the next. `produce` hands on an item by `&mut`, as it would
/// hand it to `consume` itself, and finds in its place one that `consume` is done with (or a new
/// one), so that the items' room is used again rather than allocated anew each time.
///
/// When `consume` is the slower, an item made while it is still at work and another item waits
/// for it is given to `aside` first, on this thread, before it is handed on: `aside` may do part
/// of `consume`'s work (and mark the item so that `consume` knows), so that both threads stay
/// busy. In wasm, and with one core, `aside` is never called.
pub(crate) fn pipeline<T: Default + Send, R>(
    produce: impl FnOnce(&mut dyn FnMut(&mut T)) -> R,
    consume: &mut (dyn FnMut(&mut T) + Send),
    aside: &mut dyn FnMut(&mut T),
) -> R {
    #[cfg(not(target_arch = "wasm32"))]
    if threads() > 1 {
        use std::sync::mpsc;
        let consume = std::sync::Mutex::new(consume);
        let lock = || {
            consume
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        return std::thread::scope(|s| {
            // Three items in all: one consumed, one waiting for it, one being made (or worked on
            // aside). More would only wait, each holding its room (a piece of a text file, with
            // the records made of it aside, is some 3.5 MB).
            const ITEMS: usize = 3;
            let (full, full_rx) = mpsc::sync_channel::<T>(1);
            let (done_tx, done) = mpsc::channel::<T>();
            let consumer = std::thread::Builder::new().spawn_scoped(s, move || {
                let mut consume = lock();
                for mut item in full_rx {
                    consume(&mut item);
                    // Fails only once the producer has finished.
                    let _ = done_tx.send(item);
                }
            });
            let Ok(consumer) = consumer else {
                return produce(&mut |item| lock()(item));
            };
            // Items made new so far, besides the one `produce` started with.
            let mut new = 0;
            let made = produce(&mut |item| {
                let ready = std::mem::take(item);
                if let Err(mpsc::TrySendError::Full(mut ready)) = full.try_send(ready) {
                    aside(&mut ready);
                    // An error means the consumer has panicked, which the join below passes on.
                    let _ = full.send(ready);
                }
                *item = match done.try_recv() {
                    Ok(spare) => spare,
                    Err(_) if new < ITEMS - 1 => {
                        new += 1;
                        T::default()
                    }
                    Err(_) => done.recv().unwrap_or_default(),
                };
            });
            drop(full);
            if let Err(panic) = consumer.join() {
                std::panic::resume_unwind(panic);
            }
            made
        });
    }
    let _ = aside;
    produce(&mut |item| consume(item))
}

/// Drops `value`, natively on a thread of its own so that the caller goes on while its memory is
/// returned (in wasm, here and now).
pub(crate) fn drop_aside<T: Send + 'static>(value: T) {
    #[cfg(not(target_arch = "wasm32"))]
    if threads() > 1 {
        // A thread that cannot be started drops the value here, with the closure that held it.
        let _ = std::thread::Builder::new().spawn(move || drop(value));
        return;
    }
    drop(value);
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

    #[test]
    fn pipeline_consumes_in_order_and_hands_back_room() {
        let mut seen: Vec<Vec<u32>> = Vec::new();
        let made = pipeline(
            |on_item| {
                let mut item: Vec<u32> = Vec::new();
                for i in 0..100 {
                    item.clear();
                    item.extend(i..i + 3);
                    on_item(&mut item);
                }
                "done"
            },
            &mut |item: &mut Vec<u32>| seen.push(item.clone()),
            &mut |_| {},
        );
        assert_eq!(made, "done");
        let expected: Vec<Vec<u32>> = (0..100).map(|i| (i..i + 3).collect()).collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn pipeline_work_done_aside_comes_out_in_order() {
        use std::sync::atomic::{AtomicBool, Ordering};
        // The work: an item's sum, which `aside` may find first (marking the item done with a
        // 0 in front). With two threads the consumer holds its first item until `aside` has
        // run: the items after it then find it at work and another item waiting (at the latest
        // the third, made new as nothing has come back), so some are done aside, whatever the
        // threads' timing. With one thread `aside` is never called, and nothing waits.
        #[cfg(not(target_arch = "wasm32"))]
        let two_threads = threads() > 1;
        #[cfg(target_arch = "wasm32")]
        let two_threads = false;
        let go = AtomicBool::new(!two_threads);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let mut sums: Vec<(u32, bool)> = Vec::new();
        let mut asides = 0;
        pipeline(
            |on_item| {
                let mut item: Vec<u32> = Vec::new();
                for i in 1..=100 {
                    item.clear();
                    item.extend([i, i, i]);
                    on_item(&mut item);
                }
            },
            &mut |item: &mut Vec<u32>| {
                // (Until a deadline, so that a pipeline that never calls `aside` fails below
                // rather than hangs.)
                while !go.load(Ordering::Acquire) && std::time::Instant::now() < deadline {
                    std::thread::yield_now();
                }
                let done_aside = item[0] == 0;
                sums.push((item.iter().sum(), done_aside));
            },
            &mut |item: &mut Vec<u32>| {
                let sum = item.iter().sum();
                *item = vec![0, sum];
                asides += 1;
                go.store(true, Ordering::Release);
            },
        );
        let expected: Vec<u32> = (1..=100).map(|i| 3 * i).collect();
        assert_eq!(sums.iter().map(|&(s, _)| s).collect::<Vec<_>>(), expected);
        assert_eq!(sums.iter().filter(|&&(_, aside)| aside).count(), asides);
        assert_eq!(asides > 0, two_threads);
    }
}
