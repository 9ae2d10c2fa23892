//! The one integration-test binary (one binary links once and runs in parallel).
//!
//! - `errors`: every kind of mistake in a network or scenario file gets its message.
//! - `cli`: the `corridor` command end to end: exit codes, outputs, atomic writes.
//! - `data_files`: every file shipped in `networks/` and `scenarios/` validates and runs.
//! - `validation`: the engine against exact queueing results and conservation laws.
//! - `determinism`: same inputs and seed give byte-identical results at any thread count.
//! - `harden`: hostile inputs (issue 14): bounds, saturation, shares, safe names, special files.
//! - `properties`: proptest over generated networks and scenarios (conservation, finite numbers, shares, threads).

mod cli;
mod data_files;
mod determinism;
mod errors;
mod experiments;
mod harden;
mod mechanisms;
mod plots;
mod properties;
mod support;
mod validation;
