//! The JSON and JSON Lines reports (DESIGN.md contract).

use super::Tally;
use crate::check::{Diagnostic, FileReport};
use crate::rules::{Prohibition, Severity};
use serde_json::{Value, json};

pub fn diagnostic(d: &Diagnostic) -> Value {
    json!({
        "rule": d.rule,
        "prohibition": d.prohibition.map(|p| p.id()),
        "severity": d.severity.as_str(),
        "message": d.message,
        "help": d.help,
        "scene": d.scene,
        "line": d.line,
        "column": d.column,
        "end_line": d.end_line,
        "end_column": d.end_column,
        "offset": d.span.start,
        "length": d.span.len(),
        "character": d.character,
        "excerpt": d.excerpt,
    })
}

pub fn file(f: &FileReport) -> Value {
    json!({
        "path": f.path,
        "format": f.format,
        "encoding": f.encoding,
        "scenes": f.scenes,
        "children": f.children,
        "diagnostics": f.diagnostics.iter().map(diagnostic).collect::<Vec<_>>(),
        "error": f.error,
    })
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

/// The whole report, pretty-printed: the streamed pieces joined.
pub fn report(files: &[FileReport]) -> String {
    let mut s = String::from(HEAD);
    for (i, f) in files.iter().enumerate() {
        s.push_str(&entry(f, i == 0));
    }
    s.push_str(&tail(&Tally::of(files)));
    s
}

/// What a pretty report starts with.
pub const HEAD: &str = "{\n  \"version\": 1,\n  \"files\": [";

/// One file's entry in the pretty report, with the separator before it.
pub fn entry(f: &FileReport, first: bool) -> String {
    let mut s = String::from(if first { "\n" } else { ",\n" });
    indent_into(
        &mut s,
        &serde_json::to_string_pretty(&file(f)).unwrap_or_default(),
        "    ",
    );
    s
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
    let mut s = String::new();
    for f in files {
        s.push_str(&file_line(f));
    }
    s.push_str(&summary_line(&Tally::of(files)));
    s
}

pub fn file_line(f: &FileReport) -> String {
    let mut s = serde_json::to_string(&file(f)).unwrap_or_default();
    s.push('\n');
    s
}

pub fn summary_line(t: &Tally) -> String {
    let mut s = serde_json::to_string(&json!({ "summary": summary(t) })).unwrap_or_default();
    s.push('\n');
    s
}
