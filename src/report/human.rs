//! The human report: miette's graphical rendering, one block per diagnostic, the offending
//! words underlined (wide characters included), then a summary line.

use super::Tally;
use crate::check::{Diagnostic, FileReport};
use crate::rules::Severity;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode as _};
use std::fmt;

/// One diagnostic as a miette diagnostic.
struct Rendered<'a> {
    d: &'a Diagnostic,
    src: CharColumns,
    title: String,
}

/// A named source whose reported columns count characters, as the JSON report does (miette
/// counts bytes, which puts `line:column` of Chinese text far to the right).
///
/// miette's own `read_span` walks the text from its start to count lines, for every
/// diagnostic: a file with thousands of findings was quadratic (a 1 MB script took minutes).
/// This one starts at the first line miette would show, whose number it knows from the
/// diagnostic, and gives the same contents. A line too long to show whole (no script has one:
/// a whole script on one line does) is shown as a window around the finding; whole, it made
/// every diagnostic print the entire line, and past 65,535 columns miette's padding panicked.
struct CharColumns {
    name: String,
    text: std::sync::Arc<String>,
    /// The diagnostic's span start, with its 0-based line and character column.
    at: usize,
    line: usize,
    column: usize,
}

/// How far around a finding the shown text reaches before lines count as too long (bytes).
const SHOWN: usize = 4096;

/// How much of a too-long line is shown either side of the finding (bytes).
const WINDOW: usize = 240;

impl miette::SourceCode for CharColumns {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let text = self.text.as_str();
        if span.offset() != self.at || self.at > text.len() {
            return self.read_whole(span, before, after);
        }
        let b = text.as_bytes();
        // The start of the line `before` lines above the finding's, and how many lines back
        // that is; None when the search runs past `SHOWN` bytes.
        let mut from = self.at;
        let mut back = 0;
        let mut up = None;
        loop {
            let floor = self.at.saturating_sub(SHOWN);
            match memchr::memrchr2(b'\n', b'\r', &b[floor..from]) {
                None if floor == 0 => {
                    up = Some(0);
                    break;
                }
                None => break,
                Some(i) => {
                    let nl = floor + i;
                    if back == before {
                        up = Some(nl + 1);
                        break;
                    }
                    back += 1;
                    // `\r\n` is one line end.
                    from = if nl > 0 && b[nl] == b'\n' && b[nl - 1] == b'\r' {
                        nl - 1
                    } else {
                        nl
                    };
                }
            }
        }
        let end = (self.at + span.len() + SHOWN).min(text.len());
        if let Some(p) = up
            && let Some(base) = self.line.checked_sub(back)
        {
            let sub = &b[p..end];
            let local = miette::SourceSpan::new((self.at - p).into(), span.len());
            let c = sub.read_span(&local, before, after)?;
            let stop = p + c.span().offset() + c.span().len();
            // Exact unless the shown lines ran into the cut at `end`.
            if stop < end || end == text.len() {
                let start = p + c.span().offset();
                let column = if start == self.at {
                    self.column
                } else {
                    text[p..start].chars().count()
                };
                let first = base + c.line();
                return Ok(Box::new(miette::MietteSpanContents::new_named(
                    self.name.clone(),
                    c.data(),
                    (start, c.span().len()).into(),
                    first,
                    column,
                    base + c.line_count(),
                )));
            }
        }
        // A line too long to show: a window around the finding, within its line.
        let lo = self.at.saturating_sub(WINDOW);
        let start = if before == 0 {
            self.at
        } else {
            let line = memchr::memrchr2(b'\n', b'\r', &b[lo..self.at]).map_or(lo, |k| lo + k + 1);
            text.ceil_char_boundary(line)
        };
        let stop_at = (self.at + span.len()).min(text.len());
        let hi = (stop_at + WINDOW).min(text.len());
        let line_end = memchr::memchr2(b'\n', b'\r', &b[stop_at..hi]).map_or(hi, |k| stop_at + k);
        let stop = text.floor_char_boundary(line_end).max(stop_at);
        let column = self.column - text[start..self.at].chars().count();
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            &b[start..stop],
            (start, stop - start).into(),
            self.line,
            column,
            self.line + 1,
        )))
    }
}

impl CharColumns {
    /// miette's reading of the whole text, with character columns (for spans other than the
    /// diagnostic's own, which the renderer does not ask for).
    fn read_whole<'a>(
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
    super::stream::render(super::stream::Kind::Human { color, width }, files, None)
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

/// One file's block.
pub fn render_file(f: &FileReport, handler: &GraphicalReportHandler) -> String {
    super::written(|out| write_file(f, handler, out))
}

/// [`render_file`], written to `out` one diagnostic at a time.
pub fn write_file(
    f: &FileReport,
    handler: &GraphicalReportHandler,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    if let Some(e) = &f.error {
        return write!(out, "error: {}: {e}\n\n", f.path);
    }
    let Some(src) = &f.source else {
        return Ok(());
    };
    let mut s = String::new();
    for d in &f.diagnostics {
        let title = match d.prohibition {
            Some(p) => format!("[{} · {} · {}] {}", p.id(), p.zh(), p.short_en(), d.message),
            None => d.message.to_string(),
        };
        let r = Rendered {
            d,
            src: CharColumns {
                name: f.path.clone(),
                text: src.clone(),
                at: d.span.start,
                line: d.line.saturating_sub(1),
                column: d.column.saturating_sub(1),
            },
            title,
        };
        s.clear();
        if handler.render_report(&mut s, &r).is_ok() {
            s.push('\n');
            out.write_all(s.as_bytes())?;
        }
    }
    Ok(())
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
