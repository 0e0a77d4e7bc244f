//! Parser stub: replaced by the real markdown parser.

use super::Parsed;

/// Parse a markdown script into scenes.
pub fn parse(_source: &str) -> Parsed {
    Parsed::default()
}
