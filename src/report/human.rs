//! The human report: miette's graphical rendering, one block per diagnostic, the offending
//! words underlined (wide characters included), then a summary line.

use super::Tally;
use crate::check::{Diagnostic, FileReport};
use crate::rules::Severity;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan};
use std::fmt;

/// One diagnostic as a miette diagnostic.
struct Rendered<'a> {
    d: &'a Diagnostic,
    src: CharColumns,
    title: String,
}

/// A named source whose reported columns count characters, as the JSON report does (miette
/// counts bytes, which puts `line:column` of Chinese text far to the right).
struct CharColumns {
    name: String,
    text: std::sync::Arc<String>,
}

impl miette::SourceCode for CharColumns {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let c = self.text.as_str().read_span(span, before, after)?;
        let start = c.span().offset();
        let line_start = self.text[..start.min(self.text.len())]
            .rfind(['\n', '\r'])
            .map_or(0, |i| i + 1);
        let column = self
            .text
            .get(line_start..start)
            .map_or(c.column(), |t| t.chars().count());
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            c.data(),
            *c.span(),
            c.line(),
            column,
            c.line_count(),
        )))
    }
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.d.rule))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.d.help))
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label = match (&self.d.character, self.d.scene) {
            (Some(c), Some(s)) => format!("{c} · scene {s}"),
            (None, Some(s)) => format!("scene {s}"),
            (Some(c), None) => c.clone(),
            (None, None) => String::new(),
        };
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some(label),
            self.d.span.start,
            self.d.span.len(),
        ))))
    }
}

/// Render every file's diagnostics and errors. `color` chooses the theme; `width` wraps.
pub fn render(files: &[FileReport], color: bool, width: usize) -> String {
    let handler = handler(color, width);
    let mut out = String::new();
    for f in files {
        out.push_str(&render_file(f, &handler));
    }
    out.push_str(&summary(&Tally::of(files)));
    out
}

/// The miette renderer every file's block goes through.
pub fn handler(color: bool, width: usize) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false)
}

/// One file's block: written in one piece so parallel output never interleaves.
pub fn render_file(f: &FileReport, handler: &GraphicalReportHandler) -> String {
    let mut out = String::new();
    if let Some(e) = &f.error {
        out.push_str(&format!("error: {}: {e}\n\n", f.path));
        return out;
    }
    let Some(src) = &f.source else {
        return out;
    };
    for d in &f.diagnostics {
        let title = match d.prohibition {
            Some(p) => format!("[{} · {} · {}] {}", p.id(), p.zh(), p.short_en(), d.message),
            None => d.message.clone(),
        };
        let r = Rendered {
            d,
            src: CharColumns {
                name: f.path.clone(),
                text: src.clone(),
            },
            title,
        };
        let mut s = String::new();
        if handler.render_report(&mut s, &r).is_ok() {
            out.push_str(&s);
            out.push('\n');
        }
    }
    out
}

/// `3 problems (2 errors, 1 warning) in 2 of 5 files; 1 file could not be read`.
pub fn summary(t: &Tally) -> String {
    let n = t.diagnostics;
    let count = |s: Severity| t.severity(s);
    let with = t.with_findings;
    let errs = t.errors;
    // Files that could not be read are counted apart, not among the linted ones.
    let read = t.files - errs;
    let mut s = if n == 0 {
        format!("no problems found in {read} file{}", plural(read))
    } else {
        format!(
            "{n} problem{} ({} error{}, {} warning{}, {} info) in {with} of {read} file{}",
            plural(n),
            count(Severity::Error),
            plural(count(Severity::Error)),
            count(Severity::Warning),
            plural(count(Severity::Warning)),
            count(Severity::Info),
            plural(read),
        )
    };
    if errs > 0 {
        s.push_str(&format!("; {errs} file{} could not be read", plural(errs)));
    }
    s.push('\n');
    s
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
