//! `dramalint scenes`: the parsed structure as JSON (the DESIGN.md contract) or a readable outline.

use crate::cast::Cast;
use crate::script::{Element, ElementKind, LineIndex, Script};
use serde_json::{Map, Value, json};

/// Text shown for an element: its words, trimmed.
fn element_text<'a>(script: &'a Script, el: &Element) -> &'a str {
    el.text(&script.source).trim()
}

fn element_json(script: &Script, lines: &LineIndex, el: &Element) -> Value {
    let mut m = Map::new();
    m.insert("kind".into(), json!(el.kind.as_str()));
    m.insert("line".into(), json!(lines.line(el.span.start)));
    if let Some(s) = &el.speaker {
        m.insert("speaker".into(), json!(s));
    }
    if let Some(x) = &el.extension {
        m.insert("extension".into(), json!(x));
    }
    if let Some(p) = &el.parenthetical {
        m.insert("parenthetical".into(), json!(p));
    }
    if el.dual {
        m.insert("dual".into(), json!(true));
    }
    if el.flashback {
        m.insert("flashback".into(), json!(true));
    }
    m.insert("text".into(), json!(element_text(script, el)));
    m.insert("offset".into(), json!(el.span.start));
    m.insert("length".into(), json!(el.span.len()));
    Value::Object(m)
}

/// The `scenes --format json` document.
pub fn to_json(path: &str, script: &Script, cast: &Cast) -> Value {
    let lines = LineIndex::new(&script.source);
    let characters: Vec<Value> = cast
        .characters
        .iter()
        .map(|c| {
            let ev = c.evidence.first();
            json!({
                "name": c.name,
                "child": c.child,
                "age": c.age,
                "aliases": c.aliases,
                "evidence": ev.map(|e| script.source.get(e.span.clone()).unwrap_or("").trim()),
                "line": ev.map(|e| lines.line(e.span.start)),
                "cues": c.evidence.iter().map(|e| json!({
                    "cue": e.cue,
                    "text": script.source.get(e.span.clone()).unwrap_or("").trim(),
                    "line": lines.line(e.span.start),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let scenes: Vec<Value> = script
        .scenes
        .iter()
        .map(|s| {
            let end = s.span.end.saturating_sub(1).max(s.span.start);
            json!({
                "index": s.index,
                "heading": s.heading,
                "number": s.number,
                "time": s.time,
                "setting": s.setting,
                "place": s.place,
                "line": lines.line(s.span.start),
                "end_line": lines.line(end),
                "elements": s.elements.iter().map(|e| element_json(script, &lines, e)).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "path": path,
        "format": script.format.as_str(),
        "encoding": script.encoding,
        "characters": characters,
        "scenes": scenes,
    })
}

/// A readable outline: one block per scene with its speakers and children.
pub fn to_human(path: &str, script: &Script, cast: &Cast) -> String {
    use std::fmt::Write;
    let lines = LineIndex::new(&script.source);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{path} ({}, {}): {} scenes",
        script.format.as_str(),
        script.encoding,
        script.headed_scenes()
    );
    for c in &cast.characters {
        let age = c.age.map(|a| format!(", {a}")).unwrap_or_default();
        let why = c
            .evidence
            .first()
            .map(|e| {
                format!(
                    " — line {}: {}",
                    lines.line(e.span.start),
                    script.source.get(e.span.clone()).unwrap_or("").trim()
                )
            })
            .unwrap_or_default();
        let kind = if c.child { "child" } else { "adult" };
        let _ = writeln!(out, "  {} ({kind}{age}){why}", c.name);
    }
    for s in &script.scenes {
        if s.index == 0 && s.elements.is_empty() {
            continue;
        }
        let heading = s.heading.as_deref().unwrap_or("(before the first scene)");
        let _ = writeln!(
            out,
            "\nscene {} · line {} · {heading}",
            s.index,
            lines.line(s.span.start)
        );
        let mut speakers: Vec<&str> = Vec::new();
        for e in s
            .elements
            .iter()
            .filter(|e| e.kind == ElementKind::Dialogue)
        {
            if let Some(sp) = e.speaker.as_deref()
                && !speakers.contains(&sp)
            {
                speakers.push(sp);
            }
        }
        if !speakers.is_empty() {
            let marked: Vec<String> = speakers
                .iter()
                .map(|sp| {
                    if cast.is_child(sp) {
                        format!("{sp}*")
                    } else {
                        sp.to_string()
                    }
                })
                .collect();
            let _ = writeln!(out, "  speakers: {}", marked.join(", "));
        }
        let mut counts: Vec<(ElementKind, usize)> = Vec::new();
        for e in &s.elements {
            match counts.iter_mut().find(|(k, _)| *k == e.kind) {
                Some((_, n)) => *n += 1,
                None => counts.push((e.kind, 1)),
            }
        }
        let parts: Vec<String> = counts
            .iter()
            .map(|(k, n)| format!("{n} {}", k.as_str()))
            .collect();
        let _ = writeln!(out, "  elements: {}", parts.join(", "));
    }
    if cast.children().next().is_some() {
        let _ = writeln!(out, "\n(* = child)");
    }
    out
}
