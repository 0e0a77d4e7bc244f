//! SARIF 2.1.0 for code-scanning dashboards.

use crate::check::FileReport;
use crate::engine::Engine;
use crate::rules::Severity;
use serde_json::{Value, json};

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

pub fn report(files: &[FileReport], engine: Option<&Engine>) -> String {
    let mut rules: Vec<Value> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    if let Some(e) = engine {
        for r in &e.rules {
            ids.push(r.id.clone());
            rules.push(json!({
                "id": r.id,
                "shortDescription": {"text": r.message},
                "fullDescription": {"text": r.description.clone().unwrap_or_else(|| r.message.clone())},
                "help": {"text": r.help},
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {"prohibition": r.prohibition.map(|p| p.id()), "pack": r.pack},
            }));
        }
    }
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for f in files {
        if let Some(err) = &f.error {
            notifications.push(json!({
                "level": "error",
                "message": {"text": format!("{}: {err}", f.path)},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&f.path)}}}],
            }));
        }
        for d in &f.diagnostics {
            if !ids.contains(&d.rule) {
                ids.push(d.rule.clone());
                rules.push(json!({"id": d.rule, "shortDescription": {"text": d.message}}));
            }
            let idx = ids.iter().position(|i| i == &d.rule).unwrap_or(0);
            results.push(json!({
                "ruleId": d.rule,
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
            }));
        }
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dramalint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/dramalint/dramalint",
                "rules": rules,
            }},
            "invocations": [{"executionSuccessful": true, "toolExecutionNotifications": notifications}],
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
