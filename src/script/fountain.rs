//! Parser stub: replaced by the real fountain parser.

use super::Parsed;

/// Parse a fountain script into scenes.
pub fn parse(_source: &str) -> Parsed {
    Parsed::default()
}

/// Recognise a Fountain scene heading line (`INT. HOUSE - DAY`, `.FORCED`, `EXT. X #1A#`).
/// The line has no line ending. Used by the Markdown parser too.
pub fn parse_heading(_line: &str) -> Option<super::HeadingParts> {
    None
}
