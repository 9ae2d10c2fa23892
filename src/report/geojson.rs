//! GeoJSON export of a network, or of a results folder (with simulated flows and
//! utilisation), loadable in QGIS or kepler.gl.
