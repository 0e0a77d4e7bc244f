//! Suppression comments inside scripts:
//! `dramalint-disable-next-line RULE -- reason`, `dramalint-disable RULE -- reason` …
//! `dramalint-enable RULE`. RULE is a rule id, a prohibition id or `all`; several may be
//! separated by commas. They live in the format's comment form (Fountain `[[ ]]` or `/* */`,
//! Markdown `<!-- -->`, plain text `【注：…】` or `//`), which parsers give as Comment or Note.

use crate::script::{ElementKind, LineIndex, Script};
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SuppressionKind {
    NextLine,
    Block,
}

/// One suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub kind: SuppressionKind,
    pub targets: Vec<String>,
    pub reason: Option<String>,
    /// The directive's words in the source.
    pub span: Range<usize>,
    /// Lines it covers (1-based, inclusive).
    pub lines: Range<usize>,
    pub used: bool,
}

impl Suppression {
    pub fn covers(&self, rule: &str, prohibition: Option<&str>, line: usize) -> bool {
        self.lines.contains(&line)
            && self
                .targets
                .iter()
                .any(|t| t == "all" || t == rule || Some(t.as_str()) == prohibition)
    }
}

/// Find every suppression comment of a script.
pub fn collect(script: &Script, lines: &LineIndex) -> Vec<Suppression> {
    let src = &script.source;
    let mut out: Vec<Suppression> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut items: Vec<Range<usize>> = Vec::new();
    for scene in &script.scenes {
        for el in &scene.elements {
            if matches!(el.kind, ElementKind::Comment | ElementKind::Note) {
                items.push(el.span.clone());
            }
        }
    }
    for span in items {
        let Some(text) = src.get(span.clone()) else {
            continue;
        };
        let mut from = 0;
        while let Some(i) = text[from..].find("dramalint-") {
            let at = from + i;
            let rest = &text[at..];
            let directive_len = rest
                .find(['\n', '\r', ']', '】'])
                .map_or(rest.len(), |e| e)
                .min(rest.find("*/").unwrap_or(usize::MAX))
                .min(rest.find("-->").unwrap_or(usize::MAX));
            let directive = rest[..directive_len].trim_end();
            let abs = span.start + at..span.start + at + directive.len();
            from = at + directive_len.max(1);
            let line = lines.line(abs.start);
            let (word, args) = directive
                .split_once(char::is_whitespace)
                .unwrap_or((directive, ""));
            let (targets, reason) = match args.split_once("--") {
                Some((t, r)) => (t, Some(r.trim().to_string()).filter(|r| !r.is_empty())),
                None => (args, None),
            };
            let targets: Vec<String> = targets
                .split([',', ' ', '，'])
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect();
            match word {
                "dramalint-disable-next-line" => {
                    let end_line = lines.line(span.end.saturating_sub(1).max(span.start));
                    let target = next_nonblank_line(src, lines, end_line + 1);
                    out.push(Suppression {
                        kind: SuppressionKind::NextLine,
                        targets,
                        reason,
                        span: abs,
                        lines: target..target + 1,
                        used: false,
                    });
                }
                "dramalint-disable" => {
                    open.push(out.len());
                    out.push(Suppression {
                        kind: SuppressionKind::Block,
                        targets,
                        reason,
                        span: abs,
                        lines: line..usize::MAX,
                        used: false,
                    });
                }
                "dramalint-enable" => {
                    if let Some(pos) = open.iter().rposition(|&k| {
                        targets.is_empty() || out[k].targets.iter().any(|t| targets.contains(t))
                    }) {
                        let k = open.remove(pos);
                        out[k].lines.end = line + 1;
                    }
                }
                _ => {}
            }
        }
    }
    out
}

fn next_nonblank_line(src: &str, lines: &LineIndex, mut line: usize) -> usize {
    while line <= lines.line_count() {
        if !src[lines.line_span(src, line)].trim().is_empty() {
            return line;
        }
        line += 1;
    }
    line
}
