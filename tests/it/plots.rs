//! Charts and GeoJSON: every chart file is produced, non-empty and deterministic;
//! bad or missing inputs give a clear error.
