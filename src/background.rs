//! Work done off the request path: threads that yield to the workers, and cells that a request
//! never waits on.
//!
//! After start-up the service prepares what it can ahead of the first request (compressed
//! bodies, the other languages' catalogues). That work must not delay start-up or slow the
//! workers when the machine is busy, so it runs at the lowest scheduling priority. A request that
//! needs something the background thread has not made yet makes it itself instead of waiting:
//! waiting would tie the request to a thread that may get almost no CPU under load.

use std::sync::OnceLock;

/// Runs `work` in a thread named `name` at the lowest scheduling priority (nice 19 on Linux,
/// where the nice value is per thread; the normal priority elsewhere).
pub fn spawn_low_priority(name: &str, work: impl FnOnce() + Send + 'static) {
    let spawned = std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            lower_this_thread();
            work()
        });
    if let Err(e) = spawned {
        // Nothing is lost: what the thread would have made is made on first request.
        tracing::warn!(error = %e, thread = name, "could not start a background thread");
    }
}

#[cfg(target_os = "linux")]
fn lower_this_thread() {
    // SAFETY: setpriority reads its three integer arguments only; who = 0 is the calling
    // thread on Linux.
    let _ = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, 19) };
}

#[cfg(not(target_os = "linux"))]
fn lower_this_thread() {}

/// Hands memory freed by the background work back to the system. The allocator keeps freed
/// pages for reuse otherwise, and the compressors' buffers and the intermediate documents of
/// the languages leave many (about 10 MiB with the embedded catalogue).
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes an integer and touches only the allocator's own free lists.
    let _ = unsafe { libc::malloc_trim(0) };
}

/// The value in `cell`, or `make()` stored in it when it is empty. Unlike
/// `OnceLock::get_or_init` this never blocks on another thread making the value: when two make
/// it at once, both finish and the first stored value is returned to each.
pub fn get_or_make<T: Clone>(cell: &OnceLock<T>, make: impl FnOnce() -> T) -> T {
    if let Some(v) = cell.get() {
        return v.clone();
    }
    let made = make();
    match cell.set(made) {
        Ok(()) => cell.get().cloned().expect("just set"),
        Err(_) => cell.get().cloned().expect("set by the other maker"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;

    #[test]
    fn the_first_stored_value_wins_and_is_kept() {
        let cell = OnceLock::new();
        assert_eq!(get_or_make(&cell, || 1), 1);
        assert_eq!(get_or_make(&cell, || 2), 1);
    }

    #[test]
    fn a_maker_does_not_wait_for_a_slow_one() {
        // One thread is inside `make` and will not leave it until told; a second caller must
        // still get a value.
        let cell = Arc::new(OnceLock::new());
        let (entered_tx, entered_rx) = mpsc::channel();
        let (release_tx, release_rx) = mpsc::channel::<()>();
        let slow = {
            let cell = cell.clone();
            std::thread::spawn(move || {
                get_or_make(&cell, || {
                    entered_tx.send(()).unwrap();
                    release_rx.recv().unwrap();
                    "slow"
                })
            })
        };
        entered_rx.recv().unwrap();
        assert_eq!(get_or_make(&cell, || "fast"), "fast");
        release_tx.send(()).unwrap();
        // The slow maker finished second: it gets the value stored first.
        assert_eq!(slow.join().unwrap(), "fast");
    }

    #[test]
    fn a_low_priority_thread_runs_its_work() {
        let done = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = mpsc::channel();
        let d = done.clone();
        spawn_low_priority("test", move || {
            d.fetch_add(1, Ordering::SeqCst);
            tx.send(()).unwrap();
        });
        rx.recv().unwrap();
        assert_eq!(done.load(Ordering::SeqCst), 1);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_low_priority_thread_has_the_lowest_priority() {
        let (tx, rx) = mpsc::channel();
        spawn_low_priority("test-nice", move || {
            // SAFETY: as in `lower_this_thread`.
            let nice = unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
            tx.send(nice).unwrap();
        });
        assert_eq!(rx.recv().unwrap(), 19);
        // The calling thread keeps its own priority.
        // SAFETY: as above.
        assert_ne!(unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) }, 19);
    }
}
