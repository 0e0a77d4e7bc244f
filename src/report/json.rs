//! The JSON and JSON Lines reports (DESIGN.md contract).

use super::Tally;
use crate::check::{Diagnostic, FileReport};
use crate::rules::{Prohibition, Severity};
use serde::Serialize;
use serde_json::{Value, json};
use std::io::Write;

/// A diagnostic as the report writes it (fields in contract order), serialized straight from
/// the borrowed data: a file with tens of thousands of findings built a `Value` tree several
/// times the size of its text.
#[derive(Serialize)]
struct DiagnosticOut<'a> {
    rule: &'a str,
    prohibition: Option<&'static str>,
    severity: &'static str,
    message: &'a str,
    help: &'a str,
    scene: Option<usize>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    offset: usize,
    length: usize,
    character: Option<&'a str>,
    excerpt: &'a str,
}

impl<'a> From<&'a Diagnostic> for DiagnosticOut<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        DiagnosticOut {
            rule: &d.rule,
            prohibition: d.prohibition.map(|p| p.id()),
            severity: d.severity.as_str(),
            message: &d.message,
            help: &d.help,
            scene: d.scene,
            line: d.line,
            column: d.column,
            end_line: d.end_line,
            end_column: d.end_column,
            offset: d.span.start,
            length: d.span.len(),
            character: d.character.as_deref(),
            excerpt: &d.excerpt,
        }
    }
}

/// A file's diagnostics, serialized one by one.
struct DiagnosticsOut<'a>(&'a [Diagnostic]);

impl Serialize for DiagnosticsOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(DiagnosticOut::from))
    }
}

#[derive(Serialize)]
struct FileOut<'a> {
    path: &'a str,
    format: Option<&'static str>,
    encoding: Option<&'static str>,
    scenes: usize,
    children: &'a [String],
    diagnostics: DiagnosticsOut<'a>,
    error: Option<&'a str>,
}

impl<'a> From<&'a FileReport> for FileOut<'a> {
    fn from(f: &'a FileReport) -> Self {
        FileOut {
            path: &f.path,
            format: f.format,
            encoding: f.encoding,
            scenes: f.scenes,
            children: &f.children,
            diagnostics: DiagnosticsOut(&f.diagnostics),
            error: f.error.as_deref(),
        }
    }
}

pub fn diagnostic(d: &Diagnostic) -> Value {
    serde_json::to_value(DiagnosticOut::from(d)).unwrap_or(Value::Null)
}

pub fn file(f: &FileReport) -> Value {
    serde_json::to_value(FileOut::from(f)).unwrap_or(Value::Null)
}

pub fn summary(t: &Tally) -> Value {
    // Every prohibition and severity is listed, zeros included, so dashboards need no defaults.
    let by_prohibition: serde_json::Map<String, Value> = Prohibition::ALL
        .iter()
        .zip(t.by_prohibition)
        .map(|(p, n)| (p.id().to_string(), json!(n)))
        .collect();
    let by_severity: serde_json::Map<String, Value> =
        [Severity::Error, Severity::Warning, Severity::Info]
            .iter()
            .map(|&s| (s.as_str().to_string(), json!(t.severity(s))))
            .collect();
    json!({
        "files": t.files,
        "scenes": t.scenes,
        "diagnostics": t.diagnostics,
        "errors": t.errors,
        "by_prohibition": by_prohibition,
        "by_severity": by_severity,
    })
}

/// The whole report, pretty-printed.
pub fn report(files: &[FileReport]) -> String {
    super::stream::render(super::stream::Kind::Json, files, None)
}

/// What a pretty report starts with.
pub const HEAD: &str = "{\n  \"version\": 1,\n  \"files\": [";

/// One file's entry in the pretty report, with the separator before it.
pub fn entry(f: &FileReport, first: bool) -> String {
    super::written(|out| write_entry(f, first, out))
}

/// [`entry`], written to `out` as it is serialized: a file with hundreds of thousands of
/// findings is never held as one string.
pub fn write_entry(f: &FileReport, first: bool, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(if first { b"\n    " } else { b",\n    " })?;
    let w = Padded { out, pad: b"    " };
    serde_json::to_writer_pretty(w, &FileOut::from(f)).map_err(std::io::Error::from)
}

/// Pads every line after the first as it is written. Pretty JSON has raw newlines only
/// between tokens (strings escape theirs), so this indents the whole entry in one pass.
pub(crate) struct Padded<W> {
    pub(crate) out: W,
    pub(crate) pad: &'static [u8],
}

impl<W: Write> Write for Padded<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while let Some(i) = memchr::memchr(b'\n', rest) {
            self.out.write_all(&rest[..=i])?;
            self.out.write_all(self.pad)?;
            rest = &rest[i + 1..];
        }
        self.out.write_all(rest)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The end of the pretty report: closes the file list, then the summary.
pub fn tail(t: &Tally) -> String {
    let mut s = String::from(if t.files == 0 { "],\n" } else { "\n  ],\n" });
    s.push_str("  \"summary\": ");
    let summary = serde_json::to_string_pretty(&summary(t)).unwrap_or_default();
    let mut inner = String::new();
    indent_into(&mut inner, &summary, "  ");
    s.push_str(inner.trim_start());
    s.push_str("\n}\n");
    s
}

fn indent_into(out: &mut String, text: &str, pad: &str) {
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(pad);
        out.push_str(line);
    }
}

/// One line a file, then `{"summary": …}`.
pub fn lines(files: &[FileReport]) -> String {
    super::stream::render(super::stream::Kind::Jsonl, files, None)
}

pub fn file_line(f: &FileReport) -> String {
    super::written(|out| write_line(f, out))
}

/// [`file_line`], written to `out` as it is serialized.
pub fn write_line(f: &FileReport, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, &FileOut::from(f))?;
    out.write_all(b"\n")
}

pub fn summary_line(t: &Tally) -> String {
    let mut s = serde_json::to_string(&json!({ "summary": summary(t) })).unwrap_or_default();
    s.push('\n');
    s
}
