//! One replication of the discrete-event simulation: block trains moving through
//! stations, line sections, ferries and road legs.
//!
//! **Invariant:** no I/O, no threads, no wall clock, no global random generator.
//! [`run_replication`] is a pure function of (model, seed, replication index).

mod engine;
mod model;
mod queue;
mod result;
mod series;
pub mod time;
mod trace;

pub use engine::{SimRng, component_rng, run_replication, run_replication_traced};
pub use model::{
    EmbargoInfo, FlowInfo, Model, ModelError, ResourceInfo, ResourceKind, RouteInfo, StoreInfo,
};
pub use queue::EventQueue;
pub use result::{
    ClassWait, EmbargoResult, FlowResult, ReplicationResult, ResourceResult, RouteResult,
    Saturation, StoreResult,
};
pub use series::{Entity, Measure, SeriesColumn, SeriesResult};
pub use trace::{NoTrace, Trace};
