//! Reports written file by file as results arrive, so memory does not grow with the number of
//! files: each call returns the text to write next, and only the running [`Tally`] is kept
//! (SARIF also keeps its rule list and one notification per unreadable file).

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
pub struct Streamer {
    kind: Kind,
    tally: Tally,
    handler: Option<miette::GraphicalReportHandler>,
    /// SARIF only: the rules met so far and the notifications.
    sarif: Option<sarif::Sarif>,
}

impl Streamer {
    /// `engine` is the rule set a SARIF report describes up front; other formats ignore it.
    pub fn new(kind: Kind, engine: Option<&Engine>) -> Self {
        let handler = match kind {
            Kind::Human { color, width } => Some(human::handler(color, width)),
            _ => None,
        };
        Streamer {
            kind,
            tally: Tally::default(),
            handler,
            sarif: (kind == Kind::Sarif).then(|| sarif::Sarif::new(engine)),
        }
    }

    /// What comes before the first file.
    pub fn start(&self) -> String {
        match self.kind {
            Kind::Json => json::HEAD.to_string(),
            Kind::Sarif => sarif::HEAD.to_string(),
            Kind::Html => html::HEAD.to_string(),
            _ => String::new(),
        }
    }

    /// The text for the next file.
    pub fn file(&mut self, f: FileReport) -> String {
        let first = self.tally.files == 0;
        self.tally.add(&f);
        match (self.kind, &self.handler, &mut self.sarif) {
            (Kind::Human { .. }, Some(h), _) => human::render_file(&f, h),
            (Kind::Json, _, _) => json::entry(&f, first),
            (Kind::Jsonl, _, _) => json::file_line(&f),
            (Kind::Github, _, _) => github::report(std::slice::from_ref(&f)),
            (Kind::Sarif, _, Some(s)) => s.file(&f),
            (Kind::Html, _, _) => html::file(&f),
            _ => String::new(),
        }
    }

    /// What comes after the last file.
    pub fn finish(&self) -> String {
        match self.kind {
            Kind::Human { .. } => human::summary(&self.tally),
            Kind::Json => json::tail(&self.tally),
            Kind::Jsonl => json::summary_line(&self.tally),
            Kind::Github => String::new(),
            Kind::Sarif => self.sarif.as_ref().map(|s| s.finish()).unwrap_or_default(),
            Kind::Html => html::finish(&self.tally),
        }
    }

    pub fn tally(&self) -> &Tally {
        &self.tally
    }
}
