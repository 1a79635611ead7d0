//! PNG for clients that cannot draw SVG: the map's SVG rasterised in-process with resvg.
//!
//! Text uses the system's fonts, loaded once; where none is installed the figure and the
//! legend swatches are still drawn and only the words are missing.

use std::sync::{Arc, LazyLock};

use resvg::{tiny_skia, usvg};

/// Narrowest and widest PNG, in pixels.
pub const MIN_WIDTH: u32 = 96;
pub const MAX_WIDTH: u32 = 2048;
/// The width when none is asked for.
pub const DEFAULT_WIDTH: u32 = 600;

static FONTS: LazyLock<Arc<usvg::fontdb::Database>> = LazyLock::new(|| {
    let mut db = usvg::fontdb::Database::new();
    db.load_system_fonts();
    tracing::debug!(faces = db.len(), "fonts for PNG maps loaded");
    Arc::new(db)
});

/// Why a PNG could not be made (never expected for the SVG this module's sibling writes).
#[derive(Debug, thiserror::Error)]
pub enum PngError {
    #[error("the SVG could not be parsed: {0}")]
    Parse(#[from] usvg::Error),
    #[error("the image size is out of range")]
    Size,
    #[error("PNG encoding failed: {0}")]
    Encode(String),
}

/// `svg` as a PNG `width` pixels wide (clamped to 96–2048), its height in proportion.
pub fn render_png(svg: &str, width: u32) -> Result<Vec<u8>, PngError> {
    render_with(svg, width, FONTS.clone())
}

/// `render_png` with these fonts (text no font can draw is left out).
fn render_with(
    svg: &str,
    width: u32,
    fonts: Arc<usvg::fontdb::Database>,
) -> Result<Vec<u8>, PngError> {
    let width = width.clamp(MIN_WIDTH, MAX_WIDTH);
    let options = usvg::Options {
        fontdb: fonts,
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options)?;
    let size = tree.size();
    let scale = width as f32 / size.width();
    let height = (size.height() * scale).ceil() as u32;
    let mut pixmap = tiny_skia::Pixmap::new(width, height.max(1)).ok_or(PngError::Size)?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| PngError::Encode(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bodymap::render::{MapRequest, render_svg};

    fn size(png: &[u8]) -> (u32, u32) {
        let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        (be(&png[16..20]), be(&png[20..24]))
    }

    #[test]
    fn a_map_rasterises_at_the_width_asked_even_without_fonts() {
        let svg = render_svg(&MapRequest {
            title: "No fonts".into(),
            ..MapRequest::default()
        });
        let none = render_with(&svg, 300, Arc::new(usvg::fontdb::Database::new())).unwrap();
        assert_eq!(&none[..8], b"\x89PNG\r\n\x1a\n");
        let (w, h) = size(&none);
        assert_eq!(w, 300);
        assert!(h > w);
        assert_eq!(size(&render_png(&svg, 10).unwrap()).0, MIN_WIDTH, "clamped");
        assert_eq!(
            size(&render_png(&svg, 5000).unwrap()).0,
            MAX_WIDTH,
            "clamped"
        );
    }
}
