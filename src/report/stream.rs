//! Reports written file by file as results arrive, so memory does not grow with the number of
//! files: each file's part is written as it is rendered, and only the running [`Tally`] is
//! kept (SARIF also keeps its rule list and one notification per unreadable file).

use super::{Tally, github, html, human, json, sarif};
use crate::check::FileReport;
use crate::engine::Engine;
use std::io::Write;

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

    /// Writes the next file's part of the report to `out`, piece by piece: a file with a
    /// huge number of findings is never held as one string.
    pub fn file(&mut self, f: &FileReport, out: &mut dyn Write) -> std::io::Result<()> {
        let first = self.tally.files == 0;
        self.tally.add(f);
        match (self.kind, &self.handler, &mut self.sarif) {
            (Kind::Human { .. }, Some(h), _) => human::write_file(f, h, out),
            (Kind::Json, _, _) => json::write_entry(f, first, out),
            (Kind::Jsonl, _, _) => json::write_line(f, out),
            (Kind::Github, _, _) => github::write_file(f, out),
            (Kind::Sarif, _, Some(s)) => s.write_file(f, out),
            (Kind::Html, _, _) => html::write_file(f, out),
            _ => Ok(()),
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

/// A whole report at once, for library callers holding every file's report: the streamed
/// pieces joined.
pub fn render(kind: Kind, files: &[FileReport], engine: Option<&Engine>) -> String {
    let mut s = Streamer::new(kind, engine);
    let mut out = Vec::from(s.start());
    for f in files {
        // Writing into memory cannot fail.
        let _ = s.file(f, &mut out);
    }
    out.extend_from_slice(s.finish().as_bytes());
    String::from_utf8(out).unwrap_or_default()
}
