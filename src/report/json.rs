//! The JSON and JSON Lines reports (DESIGN.md contract).

use crate::check::{Diagnostic, FileReport};
use crate::rules::{Prohibition, Severity};
use serde_json::{Value, json};
use std::collections::BTreeMap;

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

pub fn summary(files: &[FileReport]) -> Value {
    let mut by_p: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_s: BTreeMap<&str, usize> = BTreeMap::new();
    for d in files.iter().flat_map(|f| &f.diagnostics) {
        if let Some(p) = d.prohibition {
            *by_p.entry(p.id()).or_default() += 1;
        }
        *by_s.entry(d.severity.as_str()).or_default() += 1;
    }
    // Every prohibition and severity is listed, zeros included, so dashboards need no defaults.
    let by_prohibition: serde_json::Map<String, Value> = Prohibition::ALL
        .iter()
        .map(|p| {
            (
                p.id().to_string(),
                json!(by_p.get(p.id()).copied().unwrap_or(0)),
            )
        })
        .collect();
    let by_severity: serde_json::Map<String, Value> =
        [Severity::Error, Severity::Warning, Severity::Info]
            .iter()
            .map(|s| {
                (
                    s.as_str().to_string(),
                    json!(by_s.get(s.as_str()).copied().unwrap_or(0)),
                )
            })
            .collect();
    json!({
        "files": files.len(),
        "scenes": files.iter().map(|f| f.scenes).sum::<usize>(),
        "diagnostics": files.iter().map(|f| f.diagnostics.len()).sum::<usize>(),
        "errors": files.iter().filter(|f| f.error.is_some()).count(),
        "by_prohibition": by_prohibition,
        "by_severity": by_severity,
    })
}

/// The whole report, pretty-printed. Built file by file, so memory holds one file's JSON tree
/// at a time, not the whole corpus's.
pub fn report(files: &[FileReport]) -> String {
    let mut s = String::from("{\n  \"version\": 1,\n  \"files\": [");
    for (i, f) in files.iter().enumerate() {
        s.push_str(if i == 0 { "\n" } else { ",\n" });
        indent_into(
            &mut s,
            &serde_json::to_string_pretty(&file(f)).unwrap_or_default(),
            "    ",
        );
    }
    s.push_str(if files.is_empty() { "],\n" } else { "\n  ],\n" });
    s.push_str("  \"summary\": ");
    let summary = serde_json::to_string_pretty(&summary(files)).unwrap_or_default();
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
    s.push_str(&summary_line(files));
    s
}

pub fn file_line(f: &FileReport) -> String {
    let mut s = serde_json::to_string(&file(f)).unwrap_or_default();
    s.push('\n');
    s
}

pub fn summary_line(files: &[FileReport]) -> String {
    let mut s = serde_json::to_string(&json!({ "summary": summary(files) })).unwrap_or_default();
    s.push('\n');
    s
}
