//! The future event list: a binary min-heap ordered by (time, sequence number).
//!
//! Hand-written rather than `std::collections::BinaryHeap`: the standard `pop` swaps
//! the last element into the root and reads it back at once, which costs a
//! store-forwarding stall on every event (measured: a fifth of the ferry model's
//! time). Here `pop` moves a hole down from the root and writes the last element once,
//! at its final place.
//!
//! Besides the heap, a queue may have a few *lanes*: slots for recurring events of
//! which at most one is pending per lane (the next train of each flow). A lane event
//! skips the heap; `pop` compares the heap's top with the earliest lane. Lane events
//! take their sequence numbers from the same counter, so the order of events is
//! exactly what it would be with everything in the heap.

use super::time::SimTime;

/// A pending event with its time and sequence number packed into one `u128` key (time
/// in the high half), so that ordering is a single comparison.
#[derive(Clone, Copy, Debug)]
struct Entry<E> {
    key: u128,
    event: E,
}

/// Events ordered by time; events at the same time come out in the order they were
/// scheduled (first in, first out), so runs are exactly reproducible.
#[derive(Debug)]
pub struct EventQueue<E> {
    heap: Vec<Entry<E>>,
    /// One slot per lane; `key == EMPTY` when nothing is pending there.
    lanes: Vec<Entry<Option<E>>>,
    /// The lane with the smallest key (0 when there are no lanes).
    lane_min: usize,
    next_seq: u64,
}

/// The key of an empty lane: later than any event.
const EMPTY: u128 = u128::MAX;

impl<E: Copy> EventQueue<E> {
    /// An empty queue with room for `capacity` pending events.
    pub fn with_capacity(capacity: usize) -> Self {
        EventQueue::with_lanes(capacity, 0)
    }

    /// An empty queue with room for `capacity` pending events and `lanes` lanes.
    pub fn with_lanes(capacity: usize, lanes: usize) -> Self {
        EventQueue {
            heap: Vec::with_capacity(capacity),
            lanes: vec![
                Entry {
                    key: EMPTY,
                    event: None
                };
                lanes
            ],
            lane_min: 0,
            next_seq: 0,
        }
    }

    #[inline]
    fn key(&mut self, time: SimTime) -> u128 {
        let key = ((time.0 as u128) << 64) | self.next_seq as u128;
        self.next_seq += 1;
        key
    }

    /// Schedules `event` at `time` in `lane`, which must hold no pending event.
    #[inline]
    pub fn push_lane(&mut self, lane: usize, time: SimTime, event: E) {
        debug_assert_eq!(self.lanes[lane].key, EMPTY, "one pending event per lane");
        let key = self.key(time);
        self.lanes[lane] = Entry {
            key,
            event: Some(event),
        };
        if key < self.lanes[self.lane_min].key {
            self.lane_min = lane;
        }
    }

    /// Schedules `event` at `time`.
    #[inline]
    pub fn push(&mut self, time: SimTime, event: E) {
        let key = self.key(time);
        let h = &mut self.heap;
        let mut i = h.len();
        h.push(Entry { key, event });
        while i > 0 {
            let parent = (i - 1) / 2;
            if h[parent].key <= key {
                break;
            }
            h[i] = h[parent];
            i = parent;
        }
        h[i] = Entry { key, event };
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        if let Some(lane) = self.lanes.get(self.lane_min)
            && self.heap.first().is_none_or(|top| lane.key < top.key)
            && lane.key != EMPTY
        {
            let Entry { key, event } = std::mem::replace(
                &mut self.lanes[self.lane_min],
                Entry {
                    key: EMPTY,
                    event: None,
                },
            );
            let mut min = 0;
            for (i, l) in self.lanes.iter().enumerate() {
                if l.key < self.lanes[min].key {
                    min = i;
                }
            }
            self.lane_min = min;
            return event.map(|e| (SimTime((key >> 64) as u64), e));
        }
        let h = &mut self.heap;
        let last = h.pop()?;
        let Some(&top) = h.first() else {
            return Some((SimTime((last.key >> 64) as u64), last.event));
        };
        let n = h.len();
        let mut i = 0;
        loop {
            let left = 2 * i + 1;
            if left >= n {
                break;
            }
            let right = left + 1;
            let child = if right < n && h[right].key < h[left].key {
                right
            } else {
                left
            };
            if h[child].key >= last.key {
                break;
            }
            h[i] = h[child];
            i = child;
        }
        h[i] = last;
        Some((SimTime((top.key >> 64) as u64), top.event))
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len() + self.lanes.iter().filter(|l| l.key != EMPTY).count()
    }

    /// True if nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

    #[test]
    fn ties_come_out_first_in_first_out() {
        let mut q = EventQueue::with_capacity(4);
        q.push(SimTime(5), 'c');
        q.push(SimTime(1), 'a');
        q.push(SimTime(5), 'd');
        q.push(SimTime(1), 'b');
        let order: Vec<char> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, ['a', 'b', 'c', 'd']);
    }

    /// Random pushes (to the heap or to free lanes) and pops agree with a sorted
    /// reference list ordered by (time, scheduling order).
    #[test]
    fn agrees_with_a_sorted_list() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let mut q = EventQueue::with_lanes(8, 3);
        let mut reference: Vec<(u64, u64)> = Vec::new();
        let mut lane_of: Vec<Option<u64>> = vec![None; 3];
        let mut seq = 0;
        for _ in 0..20_000 {
            if rng.random_range(0..3) < 2 {
                let t = rng.random_range(0..50u64);
                let lane = rng.random_range(0..6usize);
                if lane < 3 && lane_of[lane].is_none() {
                    q.push_lane(lane, SimTime(t), seq);
                    lane_of[lane] = Some(seq);
                } else {
                    q.push(SimTime(t), seq);
                }
                reference.push((t, seq));
                seq += 1;
            } else {
                reference.sort();
                let want = (!reference.is_empty()).then(|| reference.remove(0));
                let got = q.pop().map(|(t, s)| (t.0, s));
                assert_eq!(got, want);
                if let Some((_, s)) = got {
                    for l in &mut lane_of {
                        if *l == Some(s) {
                            *l = None;
                        }
                    }
                }
            }
            assert_eq!(q.len(), reference.len());
        }
    }
}
