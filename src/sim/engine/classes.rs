//! Train classes: queues ordered by class (non-preemptive priority, first come first
//! served within a class) and the waits of each class at each resource.

use std::collections::VecDeque;

use crate::sim::time::{MS_PER_DAY, SimTime};
use crate::sim::{ClassWait, Model};

/// Where a train of class `class` joins `queue`, whose entries from `from` on are in
/// class order (lower index = higher priority): after every train of its own or a
/// higher class, before every train of a lower one. A binary search, so a long queue
/// costs `O(log n)` comparisons (and the insert a move of the entries behind it).
pub(super) fn position<E>(
    queue: &VecDeque<E>,
    from: usize,
    class: u32,
    class_of: impl Fn(&E) -> u32,
) -> usize {
    let (mut lo, mut hi) = (from.min(queue.len()), queue.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if class_of(&queue[mid]) <= class {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Puts `entry` into `queue` at its [`position`] (out of line: only models with
/// classes call it, and the handlers stay small without).
#[inline(never)]
pub(super) fn insert<E>(
    queue: &mut VecDeque<E>,
    from: usize,
    entry: E,
    class_of: impl Fn(&E) -> u32,
) {
    let at = position(queue, from, class_of(&entry), &class_of);
    queue.insert(at, entry);
}

/// Waits per (resource slot, class), in milliseconds, of waits that began after the
/// warm-up; empty when the model has no classes (then recording costs one test).
#[derive(Debug, Default)]
pub(super) struct ClassWaits {
    classes: usize,
    /// `slot * classes + class` → (waits, sum of waits in ms).
    cells: Vec<(u64, u64)>,
}

impl ClassWaits {
    pub(super) fn new(m: &Model) -> ClassWaits {
        let classes = m.classes.len();
        ClassWaits {
            classes,
            cells: vec![(0, 0); classes * m.slot_to_resource.len()],
        }
    }

    /// Whether the model has classes (waits are counted).
    #[inline]
    pub(super) fn on(&self) -> bool {
        self.classes > 0
    }

    /// Counts a wait of a train of class `class` at `slot` from `enq` to `now`.
    #[inline]
    pub(super) fn record(
        &mut self,
        slot: usize,
        class: u32,
        enq: SimTime,
        now: SimTime,
        warmup: SimTime,
    ) {
        if self.classes == 0 || enq < warmup {
            return;
        }
        let cell = &mut self.cells[slot * self.classes + class as usize];
        cell.0 += 1;
        cell.1 += now.0 - enq.0;
    }

    /// Per class, per reported resource.
    pub(super) fn finish(&self, m: &Model) -> Vec<Vec<ClassWait>> {
        (0..self.classes)
            .map(|c| {
                let mut out = vec![ClassWait::default(); m.resources().len()];
                for (slot, res) in m.slot_to_resource.iter().enumerate() {
                    if let Some(i) = res {
                        let (waits, ms) = self.cells[slot * self.classes + c];
                        out[*i as usize] = ClassWait {
                            waits,
                            wait_sum_days: ms as f64 / MS_PER_DAY,
                        };
                    }
                }
                out
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_train_joins_behind_its_class_and_never_before_from() {
        let q: VecDeque<u32> = [0, 0, 1, 1, 2].into_iter().collect();
        let at = |from, c| position(&q, from, c, |e| *e);
        assert_eq!(at(0, 0), 2, "behind the other class-0 trains");
        assert_eq!(at(0, 1), 4);
        assert_eq!(at(0, 2), 5);
        assert_eq!(at(0, 3), 5);
        // A port whose front train has started loading: class 0 still goes behind it.
        let q: VecDeque<u32> = [2, 1].into_iter().collect();
        assert_eq!(position(&q, 1, 0, |e| *e), 1);
        assert_eq!(position(&q, 0, 0, |e| *e), 0);
        assert_eq!(position(&VecDeque::<u32>::new(), 1, 0, |e| *e), 0);
    }
}
