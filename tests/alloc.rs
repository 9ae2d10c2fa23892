//! The event loop allocates nothing per event: allocations during a replication do not
//! grow with the horizon.
//!
//! A separate test binary, because it installs a counting global allocator that would
//! otherwise count the allocations of every other test.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::Path;

use corridor::input;
use corridor::sim::{Model, run_replication};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: delegates to the system allocator; only counts calls on this thread.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations(rel: &str, horizon_days: f64) -> (u64, u64) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let (mut scenario, network) = input::load_scenario(&path).expect("scenario loads");
    scenario.run.horizon_days = horizon_days;
    scenario.run.warmup_days = 10.0;
    let model = Model::new(&network, &scenario).expect("model builds");
    let before = ALLOCATIONS.with(Cell::get);
    let result = run_replication(&model, 1, 0);
    let after = ALLOCATIONS.with(Cell::get);
    (after - before, result.events)
}

#[test]
fn allocations_do_not_grow_with_the_horizon() {
    for rel in [
        "scenarios/reference/jackson3.toml",
        "scenarios/reference/ferry.toml",
        "scenarios/middle-corridor-2024.toml",
    ] {
        let (short, short_events) = allocations(rel, 2_000.0);
        let (long, long_events) = allocations(rel, 20_000.0);
        eprintln!("{rel}: {short} allocations for {short_events} events, {long} for {long_events}");
        assert!(
            long_events > 9 * short_events,
            "{rel}: the longer run has more events"
        );
        // Ten times the events may add a few allocations, where a queue's longest
        // length reaches a new power of two or a histogram meets a new extreme value
        // (both grow like the logarithm of the run length): at most one per 10,000
        // extra events, where one per event would add hundreds of thousands.
        assert!(
            long - short <= (long_events - short_events) / 10_000,
            "{rel}: {short} allocations for {short_events} events, {long} for {long_events}"
        );
    }
}
