//! `links.csv`: the traffic of every leg and direction, and what each ferry service
//! carries.

use serde::{Deserialize, Serialize};

use crate::network::Mode;
use crate::stats::number;

/// A row of `links.csv`: one leg in one direction that some route takes. Yearly
/// figures are means over replications of the window's figures per 365 days.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LinkRow {
    /// Scenario name.
    pub scenario: String,
    /// Replications.
    pub replications: u64,
    /// Leg id.
    pub leg: String,
    /// Where the traffic comes from.
    pub from: String,
    /// Where it goes.
    pub to: String,
    /// Rail, sea or road.
    pub mode: Mode,
    /// Trains per year: those that arrived in the window on a route taking this leg
    /// direction and were delivered by the horizon.
    #[serde(with = "number")]
    pub trains_per_year: f64,
    /// Their wagons per year.
    #[serde(with = "number")]
    pub wagons_per_year: f64,
    /// Their TEU per year.
    #[serde(with = "number")]
    pub teu_per_year: f64,
    /// Their tonnes per year.
    #[serde(with = "number")]
    pub tonnes_per_year: f64,
    /// Ferries: sailings per year from `from` (empty for other legs).
    pub sailings_per_year: Option<f64>,
    /// Ferries: wagons carried per year on those sailings.
    pub ferry_wagons_per_year: Option<f64>,
    /// Ferries: mean wagons per sailing.
    pub wagons_per_sailing: Option<f64>,
    /// Ferries: mean deck wagons of a vessel of the fleet.
    pub deck_wagons: Option<f64>,
    /// Ferries: share of the deck filled on the sailings made (wagons per sailing over
    /// deck wagons).
    pub deck_fill: Option<f64>,
    /// Ferries: the load factor on deadweight at day 0 (1 without one).
    pub load_factor: Option<f64>,
    /// Ferries with road units on their decks (`[leg.ferry.road]`): road units
    /// carried per year on the sailings from `from` (empty otherwise).
    pub road_units_per_year: Option<f64>,
}
