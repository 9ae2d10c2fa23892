//! The one integration-test binary (one binary links once and runs in parallel).
//!
//! - `architecture`: the module floors and invariants of ARCHITECTURE.md, from the source.
//! - `errors`: every kind of mistake in a network or scenario file gets its message.
//! - `cli`: the `corridor` command end to end: exit codes, outputs, atomic writes.
//! - `conventions`: `show`, completions, the man page, `--color` and NO_COLOR.
//! - `data_files`: every file shipped in `networks/` and `scenarios/` validates and runs.
//! - `validation`: the engine against exact queueing results and conservation laws.
//! - `determinism`: same inputs and seed give byte-identical results at any thread count.
//! - `schema`: every output file reads back through its one type; snapshots of every file.
//! - `faults`: whole results folders under kill -9, signals, a full disk, concurrent runs.
//! - `shard`: sharded runs merge to the bytes of one machine; bad sets of partials are refused.
//! - `harden`: hostile inputs (issue 14): bounds, saturation, shares, safe names, special files.
//! - `whatif2`: what-ifs in a few lines: `extends` chains, `--set`, `add`, several targets, flow groups.
//! - `over_time`: results over time against M_t/G/∞, M/M/1 before and after a dated change, hand calculations.
//! - `page`: `report.html` in every results folder: self-contained, every chart and table.
//! - `caspian`: vessel classes, deadweight and load factors (dated, monthly) against floor(f K) batches and their wait.
//! - `stock`: train classes against Cobham's formula (issue 12), class input errors.
//! - `properties`: proptest over generated networks and scenarios (conservation, finite numbers, shares, threads).

mod architecture;
mod caspian;
mod cli;
mod conventions;
mod data_files;
mod determinism;
mod errors;
mod experiments;
mod faults;
mod harden;
mod mechanisms;
mod over_time;
mod page;
mod plots;
mod properties;
mod schema;
mod shard;
mod stock;
mod support;
mod uncertain;
mod validation;
mod whatif2;
