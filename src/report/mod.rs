//! Rendering at the edge: every output format reads finished reports and prints nothing itself.

pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod sarif;
pub mod scenes;
pub mod stream;

use crate::check::FileReport;
use crate::rules::{Prohibition, Severity};

/// What `write` writes, as a string: one file's part rendered by the streamed report's
/// writer (writing into memory cannot fail).
fn written(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    let _ = write(&mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Running totals over the files reported so far: everything a summary needs, so a streamed
/// report does not keep the files themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub files: usize,
    pub scenes: usize,
    pub diagnostics: usize,
    /// Files that could not be read.
    pub errors: usize,
    /// Files with at least one diagnostic.
    pub with_findings: usize,
    /// Diagnostics per prohibition, in [`Prohibition::ALL`] order.
    pub by_prohibition: [usize; 5],
    /// Diagnostics per severity: error, warning, info.
    pub by_severity: [usize; 3],
}

impl Tally {
    pub fn add(&mut self, f: &FileReport) {
        self.files += 1;
        self.scenes += f.scenes;
        self.diagnostics += f.diagnostics.len();
        self.errors += usize::from(f.error.is_some());
        self.with_findings += usize::from(!f.diagnostics.is_empty());
        for d in &f.diagnostics {
            if let Some(i) = d
                .prohibition
                .and_then(|p| Prohibition::ALL.iter().position(|&q| q == p))
            {
                self.by_prohibition[i] += 1;
            }
            self.by_severity[Self::slot(d.severity)] += 1;
        }
    }

    pub fn of(files: &[FileReport]) -> Tally {
        let mut t = Tally::default();
        for f in files {
            t.add(f);
        }
        t
    }

    pub fn severity(&self, s: Severity) -> usize {
        self.by_severity[Self::slot(s)]
    }

    fn slot(s: Severity) -> usize {
        match s {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        }
    }
}
