//! Writing a figure as an SVG or PNG file, atomically: the image goes to a temporary
//! file in the same folder, which is then renamed into place.

use std::path::{Path, PathBuf};

use plotters::prelude::*;

use super::style::{DrawError, Theme};
use super::{Figure, PlotError};
use crate::report::write_atomic;

/// One image format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Format {
    /// Scalable vector graphics.
    Svg,
    /// Portable network graphics (8-bit RGB).
    Png,
}

impl Format {
    /// The file extension.
    pub(super) fn extension(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
        }
    }
}

/// Draws `figure` into `dir/<name>.<ext>`; returns the path written.
pub(super) fn write(
    figure: &Figure,
    dir: &Path,
    format: Format,
    (width, height): (u32, u32),
) -> Result<PathBuf, PlotError> {
    let path = dir.join(format!("{}.{}", figure.name(), format.extension()));
    let drawn = |e: DrawError| PlotError::Draw {
        chart: figure.name().to_string(),
        message: e.0,
    };
    match format {
        Format::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
                let theme = Theme::new(width, height, false);
                root.fill(&WHITE).map_err(|e| drawn(e.into()))?;
                figure.draw(&root, &theme).map_err(drawn)?;
                root.present().map_err(|e| drawn(e.into()))?;
            }
            write_atomic(&path, svg.as_bytes()).map_err(|source| PlotError::Write {
                path: path.clone(),
                source,
            })?;
        }
        Format::Png => {
            // plotters encodes PNG files itself (with the `image` crate) but only into
            // a named file, so the temporary file keeps the `.png` extension.
            let tmp = dir.join(format!(".{}.{}.tmp.png", figure.name(), std::process::id()));
            let result = (|| {
                let root = BitMapBackend::new(&tmp, (width, height)).into_drawing_area();
                let theme = Theme::new(width, height, true);
                root.fill(&WHITE).map_err(|e| drawn(e.into()))?;
                figure.draw(&root, &theme).map_err(drawn)?;
                root.present().map_err(|e| PlotError::Write {
                    path: path.clone(),
                    source: std::io::Error::other(e.to_string()),
                })
            })();
            let result = result.and_then(|()| {
                std::fs::rename(&tmp, &path).map_err(|source| PlotError::Write {
                    path: path.clone(),
                    source,
                })
            });
            if let Err(e) = result {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        }
    }
    Ok(path)
}
