//! SARIF 2.1.0 for code-scanning dashboards, written as results arrive.
//!
//! The run object lists `results` first and `tool` last. JSON objects are unordered, so this is
//! the same SARIF, and it lets each file's results go out as soon as the file is done: the rule
//! list (which also names rules first met in a file, from `--rules` or config packs) is only
//! complete at the end. Memory then holds the rules and one notification per unreadable file,
//! never the results.

use crate::check::FileReport;
use crate::engine::Engine;
use crate::rules::Severity;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::Write;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn uri(path: &str) -> String {
    path.replace('\\', "/")
        .replace('%', "%25")
        .replace(' ', "%20")
}

/// What comes before the first result.
pub const HEAD: &str = "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"results\": [";

/// Indentation of a result inside `runs[0].results`.
const RESULT_PAD: &[u8] = b"        ";

/// The state of one streamed SARIF report: rules in index order and the notifications.
pub struct Sarif {
    rules: Vec<Value>,
    index: HashMap<String, usize>,
    notifications: Vec<Value>,
    results: usize,
}

impl Sarif {
    /// Starts with every rule of `engine` (SARIF describes the rules that could fire, not only
    /// those that did), in the engine's order.
    pub fn new(engine: Option<&Engine>) -> Sarif {
        let mut s = Sarif {
            rules: Vec::new(),
            index: HashMap::new(),
            notifications: Vec::new(),
            results: 0,
        };
        for r in engine.map(|e| e.rules.as_slice()).unwrap_or_default() {
            s.index.insert(r.id.clone(), s.rules.len());
            s.rules.push(json!({
                "id": r.id,
                "shortDescription": {"text": r.message},
                "fullDescription": {"text": r.description.clone().unwrap_or_else(|| r.message.clone())},
                "help": {"text": r.help},
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {"prohibition": r.prohibition.map(|p| p.id()), "pack": r.pack},
            }));
        }
        s
    }

    /// One file's results, each with the separator before it, written to `out` one by one;
    /// an unreadable file is kept as a notification for the end.
    pub fn write_file(&mut self, f: &FileReport, out: &mut dyn Write) -> std::io::Result<()> {
        if let Some(err) = &f.error {
            self.notifications.push(json!({
                "level": "error",
                "message": {"text": format!("{}: {err}", f.path)},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&f.path)}}}],
            }));
        }
        for d in &f.diagnostics {
            let idx = match self.index.get(&*d.rule) {
                Some(&i) => i,
                None => {
                    let i = self.rules.len();
                    self.index.insert(d.rule.to_string(), i);
                    self.rules
                        .push(json!({"id": &*d.rule, "shortDescription": {"text": &*d.message}}));
                    i
                }
            };
            let result = json!({
                "ruleId": &*d.rule,
                "ruleIndex": idx,
                "level": level(d.severity),
                "message": {"text": format!("{} {}", d.message, d.help)},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri(&f.path)},
                    "region": {"startLine": d.line, "startColumn": d.column,
                               "endLine": d.end_line, "endColumn": d.end_column,
                               "snippet": {"text": d.excerpt}},
                }}],
                "properties": {"prohibition": d.prohibition.map(|p| p.id()), "scene": d.scene, "character": d.character},
            });
            out.write_all(if self.results == 0 { b"\n" } else { b",\n" })?;
            out.write_all(RESULT_PAD)?;
            self.results += 1;
            let w = super::json::Padded {
                out: &mut *out,
                pad: RESULT_PAD,
            };
            serde_json::to_writer_pretty(w, &result)?;
        }
        Ok(())
    }

    /// Closes the results, then the invocation and the tool with its complete rule list.
    pub fn finish(&self) -> String {
        let mut s = String::from(if self.results == 0 {
            "],\n"
        } else {
            "\n      ],\n"
        });
        let rest = json!({
            "invocations": [{"executionSuccessful": true, "toolExecutionNotifications": self.notifications}],
            "tool": {"driver": {
                "name": "dramalint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/dramalint/dramalint",
                "rules": self.rules,
            }},
        });
        // The two members, indented to sit inside the run object after `results`.
        let text = serde_json::to_string_pretty(&rest).unwrap_or_default();
        let inner = text
            .strip_prefix("{\n")
            .and_then(|t| t.strip_suffix("\n}"))
            .unwrap_or("");
        for line in inner.lines() {
            s.push_str("    ");
            s.push_str(line);
            s.push('\n');
        }
        s.push_str("    }\n  ]\n}\n");
        s
    }
}

/// The whole report at once: the streamed pieces joined.
pub fn report(files: &[FileReport], engine: Option<&Engine>) -> String {
    super::stream::render(super::stream::Kind::Sarif, files, engine)
}
