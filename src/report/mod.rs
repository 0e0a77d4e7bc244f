//! Rendering at the edge: every output format reads findings and scripts, and prints nothing itself.

pub mod scenes;
