//! Charts drawn from the files of a results folder (never from engine internals).
//!
//! [`render_dir`] looks at which result files a folder holds and draws every chart it
//! can from them, as SVG and/or PNG, beside the files.

use std::path::{Path, PathBuf};

/// Which image formats to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Formats {
    /// SVG only.
    Svg,
    /// PNG only.
    Png,
    /// Both SVG and PNG.
    Both,
}

/// How to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlotOptions {
    /// Image formats.
    pub formats: Formats,
    /// Width (pixels).
    pub width: u32,
    /// Height (pixels).
    pub height: u32,
}

/// Why charts could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// Not implemented yet.
    #[error("charts are not implemented yet")]
    Unimplemented,
}

/// Draws every chart the files in `dir` allow; returns the files written.
pub fn render_dir(dir: &Path, opts: &PlotOptions) -> Result<Vec<PathBuf>, PlotError> {
    let _ = (dir, opts);
    Err(PlotError::Unimplemented)
}
