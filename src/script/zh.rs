//! Parser stub: replaced by the real zh parser.

use super::Parsed;

/// Parse a zh script into scenes.
pub fn parse(_source: &str) -> Parsed {
    Parsed::default()
}

/// Recognise a Chinese scene heading line (`1-1 日 内 客厅`, `第3场 夜 外 学校门口`, …).
/// The line has no line ending; Markdown markers are already stripped by the caller.
pub fn parse_heading(_line: &str) -> Option<super::HeadingParts> {
    None
}
