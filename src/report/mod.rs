//! Rendering at the edge: every output format reads finished reports and prints nothing itself.

pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod sarif;
pub mod scenes;
