//! A value per thread, which each serving thread changes under a lock of its own and one
//! reader gathers now and then: what the mock keeps for every request (its record, and the
//! binary's log line, which `main.rs` includes this file for) without a lock that the serving
//! threads pass between them. Such a lock cost more than the work it
//! guarded: the threads took turns on its cache line, and one preempted while holding it
//! stalled the other's requests.

use std::any::Any;
use std::cell::RefCell;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};

/// One thread's value.
type Slot<T> = Arc<Mutex<T>>;

/// The slots of every thread that has used a [`PerThread`].
type Registry<T> = Mutex<Vec<Slot<T>>>;

/// A thread's slot in one registry, both with their types forgotten (the thread-local below
/// holds slots of every `T`): the registry, to tell which it is and whether it still runs.
type ThreadSlot = (Weak<dyn Any + Send + Sync>, Arc<dyn Any + Send + Sync>);

thread_local! {
    /// This thread's slot in each `PerThread` it has used, by the registry it is in (one per
    /// running mock).
    static SLOTS: RefCell<Vec<ThreadSlot>> = const { RefCell::new(Vec::new()) };
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A `T` per thread, starting from `T::default()`.
pub(crate) struct PerThread<T> {
    registry: Arc<Registry<T>>,
}

impl<T> std::fmt::Debug for PerThread<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PerThread").field("threads", &lock(&self.registry).len()).finish()
    }
}

impl<T: Default + Send + 'static> Default for PerThread<T> {
    fn default() -> Self {
        PerThread { registry: Arc::default() }
    }
}

impl<T: Default + Send + 'static> PerThread<T> {
    /// Runs `f` on this thread's value (made and registered on the thread's first call). `f`
    /// must not use a `PerThread` itself.
    pub(crate) fn with_mine<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        let key = Arc::as_ptr(&self.registry).cast::<()>();
        let mine = |(registry, _): &ThreadSlot| std::ptr::eq(registry.as_ptr().cast::<()>(), key);
        SLOTS.with(|slots| {
            if let Some((_, slot)) = slots.borrow().iter().find(|s| mine(s))
                && let Some(slot) = slot.downcast_ref::<Mutex<T>>()
            {
                return f(&mut lock(slot));
            }
            let slot = Slot::<T>::default();
            lock(&self.registry).push(slot.clone());
            let mut slots = slots.borrow_mut();
            // The slots of mocks that have stopped go with them.
            slots.retain(|(registry, _)| registry.strong_count() > 0);
            let registry: Arc<dyn Any + Send + Sync> = self.registry.clone();
            slots.push((Arc::downgrade(&registry), slot.clone()));
            drop(slots);
            f(&mut lock(&slot))
        })
    }

    /// Whether `f` holds for any thread's value (each looked at under its lock; none dropped).
    #[allow(dead_code, reason = "used by the binary's log, not by the library")]
    pub(crate) fn any(&self, mut f: impl FnMut(&T) -> bool) -> bool {
        lock(&self.registry).iter().any(|slot| f(&lock(slot)))
    }

    /// Runs `f` on every thread's value, in the order the threads first used this, each under
    /// its lock. A thread that has ended drops out once `f` has seen its value, which `f` must
    /// therefore take whole.
    pub(crate) fn each(&self, mut f: impl FnMut(&mut T)) {
        lock(&self.registry).retain(|slot| {
            let mut value = lock(slot);
            f(&mut value);
            // Only the registry holds it: its thread has ended, and will add nothing more.
            Arc::strong_count(slot) > 1
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_thread_has_its_own_value_and_the_reader_sees_them_all() {
        let counts = Arc::new(PerThread::<Vec<usize>>::default());
        let other = PerThread::<Vec<usize>>::default();
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let counts = counts.clone();
                std::thread::spawn(move || {
                    for i in 0..100 {
                        counts.with_mine(|mine| mine.push(t * 1000 + i));
                    }
                })
            })
            .collect();
        other.with_mine(|mine| mine.push(7));
        for t in threads {
            t.join().unwrap();
        }
        let mut seen = Vec::new();
        counts.each(|values| seen.push(std::mem::take(values)));
        // One value per thread, each in its thread's order; the ended threads drop out.
        seen.sort();
        assert_eq!(seen, (0..4).map(|t| (0..100).map(|i| t * 1000 + i).collect::<Vec<_>>()).collect::<Vec<_>>());
        let mut left = 0;
        counts.each(|_| left += 1);
        assert_eq!(left, 0, "the ended threads' values are gone");
        // This thread's value in another `PerThread` is its own, and stays while it runs.
        let mut mine = Vec::new();
        other.each(|values| mine.extend(values.iter().copied()));
        assert_eq!(mine, vec![7]);
        other.with_mine(|values| values.push(8));
        let mut mine = Vec::new();
        other.each(|values| mine.extend(values.iter().copied()));
        assert_eq!(mine, vec![7, 8]);
    }
}
