//! `corridor`: a Monte Carlo discrete-event simulator of freight corridors.
//!
//! The lifecycle of a study, one module per step:
//!
//! 1. [`input`] reads a scenario file and the network file it names, checks them and
//!    builds a validated [`scenario::Scenario`] and [`network::Network`] (with the
//!    scenario's overrides applied).
//! 2. [`routing`] finds the routes each flow may take on the petgraph model.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let network = corridor::input::parse_network(r#"
//!     [[node]]
//!     id = "a"
//!     lat = 40.0
//!     lon = 50.0
//!     kind = "rail_terminal"
//!     resource = { servers = 1, service_days = { dist = "exponential", mean = 0.1 } }
//!
//!     [[node]]
//!     id = "b"
//!     lat = 41.0
//!     lon = 51.0
//!     kind = "rail_terminal"
//!
//!     [[leg]]
//!     from = "a"
//!     to = "b"
//!     mode = "rail"
//!     length_km = 120
//!     travel_days = 0.2
//!     gauge_mm = 1520
//! "#).map_err(|p| format!("{p:?}"))?;
//! assert_eq!(network.nodes.len(), 2);
//! # Ok(())
//! # }
//! ```

pub mod calendar;
pub mod dist;
pub mod error;
pub mod experiment;
pub mod generate;
pub mod input;
pub mod montecarlo;
pub mod network;
pub mod report;
pub mod routing;
pub mod scenario;
pub mod schema;
pub mod shard;
pub mod sim;
pub mod stats;
pub mod summary;
