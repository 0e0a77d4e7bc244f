//! Checks shared by the fuzz targets: the parser invariants of the common brief.
#![allow(dead_code)]

use dramalint::script::{Format, Script, parse_text};
use std::ops::Range;

/// Parse lossily decoded bytes in `format` and check every invariant.
pub fn parse_and_check(data: &[u8], format: Format) {
    let text = String::from_utf8_lossy(data).into_owned();
    let script = parse_text(text, format);
    check_spans(&script);
    if format != Format::Fdx {
        // FDX sources are XML: markup legitimately belongs to no element.
        check_coverage(&script);
    }
}

/// Spans inside the source and on char boundaries, text inside span, scenes in order.
pub fn check_spans(script: &Script) {
    let src = &script.source;
    let ok = |r: &Range<usize>| {
        r.start <= r.end
            && r.end <= src.len()
            && src.is_char_boundary(r.start)
            && src.is_char_boundary(r.end)
    };
    assert_eq!(
        script.scenes.first().map(|s| s.index),
        Some(0),
        "scene 0 exists"
    );
    for (i, scene) in script.scenes.iter().enumerate() {
        assert_eq!(scene.index, i, "scenes numbered in order");
        assert!(ok(&scene.span), "scene span {:?}", scene.span);
        if let Some(h) = &scene.heading_span {
            assert!(ok(h), "heading span {h:?}");
            assert!(h.start >= scene.span.start && h.end <= scene.span.end);
        }
        for el in &scene.elements {
            assert!(ok(&el.span), "span {:?} of {:?}", el.span, el.kind);
            assert!(ok(&el.text), "text {:?} of {:?}", el.text, el.kind);
            assert!(
                el.text.start >= el.span.start && el.text.end <= el.span.end,
                "text {:?} outside span {:?}",
                el.text,
                el.span
            );
            for p in &el.parenthetical_spans {
                assert!(ok(p) && p.start >= el.span.start && p.end <= el.span.end);
            }
        }
    }
    for d in &script.declared {
        assert!(ok(&d.span), "declared span {:?}", d.span);
    }
}

/// Nothing disappears: every visible character lies in an element span or a heading span.
pub fn check_coverage(script: &Script) {
    let src = &script.source;
    let mut covered = vec![false; src.len()];
    for scene in &script.scenes {
        if let Some(h) = &scene.heading_span {
            covered[h.clone()].iter_mut().for_each(|c| *c = true);
        }
        for el in &scene.elements {
            covered[el.span.clone()].iter_mut().for_each(|c| *c = true);
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
