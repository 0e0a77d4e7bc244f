//! dramalint: a child-protection linter for micro-drama scripts.
//!
//! The pipeline is pure functions from text to findings: [`script::parse_bytes`] turns bytes
//! into scenes, [`cast::build`] finds the children, the engine checks every scene against the
//! compiled rule packs, and [`report`] renders at the edge.

pub mod automaton;
pub mod cast;
pub mod check;
pub mod cli;
pub mod config;
pub mod engine;
pub mod report;
pub mod rules;
pub mod script;
