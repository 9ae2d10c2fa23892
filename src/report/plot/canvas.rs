//! Writing a figure: drawn once as SVG by plotters, and rasterised to PNG by resvg with
//! the embedded font only (no system fonts), so that PNGs are the same on any machine.
//! Files are written atomically (see [`write_atomic`]).

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use plotters::prelude::*;
use resvg::{tiny_skia, usvg};

use super::style::{BOLD, REGULAR, Theme};
use super::{Figure, Formats, PlotError};
use crate::report::write_atomic;

/// Draws `figure` at `width` × `height` and writes `dir/<name>.svg` and/or
/// `dir/<name>.png`; returns the paths written.
pub(super) fn write(
    figure: &Figure,
    dir: &Path,
    formats: Formats,
    (width, height): (u32, u32),
) -> Result<Vec<PathBuf>, PlotError> {
    let drawn = |message: String| PlotError::Draw {
        chart: figure.name().to_string(),
        message,
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| drawn(e.to_string()))?;
        figure
            .draw(&root, &Theme::new(width, height))
            .map_err(|e| drawn(e.0))?;
        root.present().map_err(|e| drawn(e.to_string()))?;
    }
    let mut written = Vec::new();
    let mut save = |ext: &str, bytes: &[u8]| {
        let path = dir.join(format!("{}.{ext}", figure.name()));
        write_atomic(&path, bytes).map_err(|source| PlotError::Write {
            path: path.clone(),
            source,
        })?;
        written.push(path);
        Ok::<(), PlotError>(())
    };
    if formats != Formats::Png {
        save("svg", svg.as_bytes())?;
    }
    if formats != Formats::Svg {
        save("png", &rasterise(&svg, (width, height)).map_err(drawn)?)?;
    }
    Ok(written)
}

/// The embedded fonts, as the only fonts resvg knows.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        db.set_sans_serif_family("DejaVu Sans");
        Arc::new(db)
    })
    .clone()
}

/// The SVG `svg` as a PNG image of `width` × `height` pixels on white.
fn rasterise(svg: &str, (width, height): (u32, u32)) -> Result<Vec<u8>, String> {
    let options = usvg::Options {
        font_family: "DejaVu Sans".into(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let mut pixmap = tiny_skia::Pixmap::new(width, height).ok_or("empty image")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    // The image is opaque (drawn on white), so its RGB is the straight colour; fast
    // compression keeps encoding from costing more than drawing.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let e = |e: png::EncodingError| e.to_string();
    let mut writer = encoder.write_header().map_err(e)?;
    writer.write_image_data(&rgb).map_err(e)?;
    writer.finish().map_err(e)?;
    Ok(png)
}
