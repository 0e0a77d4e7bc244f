//! Helpers shared by the integration tests: running the binary, and the span invariants every
//! parser keeps. Each test crate uses a different part of this module.
#![allow(dead_code)]

use assert_cmd::Command;
use dramalint::script::Script;
use serde_json::Value;
use std::ops::Range;
use std::path::Path;

/// The binary, run in `dir`, with plain, wide output.
pub fn dramalint(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("dramalint").unwrap();
    c.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200");
    c
}

/// What one run gave back.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<std::process::Output> for Run {
    fn from(out: std::process::Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

pub fn run(dir: &Path, args: &[&str]) -> Run {
    Run::from(dramalint(dir).args(args).output().unwrap())
}

/// `check - --stdin-filename NAME --format json [extra]` with `input` on standard input.
pub fn check_stdin(dir: &Path, name: &str, input: &str, extra: &[&str]) -> Run {
    let mut args = vec!["check", "-", "--stdin-filename", name, "--format", "json"];
    args.extend_from_slice(extra);
    Run::from(
        dramalint(dir)
            .args(&args)
            .write_stdin(input)
            .output()
            .unwrap(),
    )
}

/// A range inside the source, on character boundaries.
pub fn span_ok(src: &str, r: &Range<usize>) -> bool {
    r.start <= r.end
        && r.end <= src.len()
        && src.is_char_boundary(r.start)
        && src.is_char_boundary(r.end)
}

/// Scene 0 first, scenes numbered in order, and every span valid and nested: headings in their
/// scene, element text in the element, parentheticals in the element.
pub fn check_spans(s: &Script) {
    let src = &s.source;
    assert_eq!(
        s.scenes.first().map(|sc| sc.index),
        Some(0),
        "scene 0 first"
    );
    for (i, sc) in s.scenes.iter().enumerate() {
        assert_eq!(sc.index, i, "scenes numbered in order");
        assert!(span_ok(src, &sc.span), "scene {i} span {:?}", sc.span);
        if let Some(h) = &sc.heading_span {
            assert!(span_ok(src, h), "heading span {h:?}");
            assert!(
                sc.span.start <= h.start && h.end <= sc.span.end,
                "heading {h:?} inside scene {:?}",
                sc.span
            );
        }
        for e in &sc.elements {
            assert!(span_ok(src, &e.span), "span {:?} of {:?}", e.span, e.kind);
            assert!(span_ok(src, &e.text), "text {:?} of {:?}", e.text, e.kind);
            assert!(
                e.span.start <= e.text.start && e.text.end <= e.span.end,
                "text {:?} inside span {:?}",
                e.text,
                e.span
            );
            for p in &e.parenthetical_spans {
                assert!(span_ok(src, p) && e.span.start <= p.start && p.end <= e.span.end);
            }
        }
    }
}

/// Headed scenes have a heading span and start where the previous scene ended.
pub fn check_tiling(s: &Script) {
    for w in s.scenes.windows(2) {
        assert_eq!(w[1].span.start, w[0].span.end, "scenes tile the source");
        assert!(
            w[1].heading_span.is_some(),
            "headed scene has a heading span"
        );
    }
}

/// Nothing disappears: every visible character lies in an element or a heading.
pub fn check_coverage(s: &Script) {
    let src = &s.source;
    let mut covered = vec![false; src.len()];
    for sc in &s.scenes {
        for r in sc
            .elements
            .iter()
            .map(|e| &e.span)
            .chain(sc.heading_span.as_ref())
        {
            covered[r.clone()].iter_mut().for_each(|c| *c = true);
        }
    }
    for (i, c) in src.char_indices() {
        if !c.is_whitespace() && c != '\u{feff}' {
            assert!(
                covered[i],
                "char {c:?} at {i} is in no element: {:?}",
                &src[src.floor_char_boundary(i.saturating_sub(20))
                    ..src.ceil_char_boundary((i + 20).min(src.len()))]
            );
        }
    }
}
