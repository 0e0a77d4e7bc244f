//! Reports written file by file as results arrive, so memory does not grow with the number of
//! files: each call returns the text to write next, and only the running [`Tally`] is kept.
//! SARIF and HTML list rules or totals before the files, so those two keep the reports and
//! render once at the end; use them for review-sized batches.

use super::{Tally, github, html, human, json, sarif};
use crate::check::FileReport;
use crate::engine::Engine;

/// The output formats, as the streamer sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Human { color: bool, width: usize },
    Json,
    Jsonl,
    Sarif,
    Github,
    Html,
}

/// Turns reports, given in output order, into the pieces of one report.
pub struct Streamer<'e> {
    kind: Kind,
    tally: Tally,
    /// SARIF and HTML only: the reports, rendered at the end.
    kept: Vec<FileReport>,
    handler: Option<miette::GraphicalReportHandler>,
    /// SARIF only: the rule set whose rules the report describes.
    engine: Option<&'e Engine>,
}

impl<'e> Streamer<'e> {
    pub fn new(kind: Kind, engine: Option<&'e Engine>) -> Self {
        let handler = match kind {
            Kind::Human { color, width } => Some(human::handler(color, width)),
            _ => None,
        };
        Streamer {
            kind,
            tally: Tally::default(),
            kept: Vec::new(),
            handler,
            engine,
        }
    }

    /// What comes before the first file.
    pub fn start(&self) -> String {
        match self.kind {
            Kind::Json => json::HEAD.to_string(),
            _ => String::new(),
        }
    }

    /// The text for the next file.
    pub fn file(&mut self, f: FileReport) -> String {
        let first = self.tally.files == 0;
        self.tally.add(&f);
        match (self.kind, &self.handler) {
            (Kind::Human { .. }, Some(h)) => human::render_file(&f, h),
            (Kind::Json, _) => json::entry(&f, first),
            (Kind::Jsonl, _) => json::file_line(&f),
            (Kind::Github, _) => github::report(std::slice::from_ref(&f)),
            _ => {
                self.kept.push(f);
                String::new()
            }
        }
    }

    /// What comes after the last file.
    pub fn finish(&self) -> String {
        match self.kind {
            Kind::Human { .. } => human::summary(&self.tally),
            Kind::Json => json::tail(&self.tally),
            Kind::Jsonl => json::summary_line(&self.tally),
            Kind::Github => String::new(),
            Kind::Sarif => sarif::report(&self.kept, self.engine),
            Kind::Html => html::report(&self.kept),
        }
    }

    pub fn tally(&self) -> &Tally {
        &self.tally
    }
}
