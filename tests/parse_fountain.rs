//! Fountain parser: fixtures under fixtures/fountain/ and property tests for the invariants
//! every parser keeps (no panic, spans in bounds and on char boundaries, nothing dropped).

use dramalint::script::{Element, ElementKind, Format, Script, parse_text};
use proptest::prelude::*;

mod common;
use std::time::{Duration, Instant};

fn fixture(name: &str) -> String {
    let path = format!("{}/fixtures/fountain/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn parse(src: &str) -> Script {
    let script = parse_text(src.to_string(), Format::Fountain);
    check_invariants(&script);
    script
}

fn all_elements(script: &Script) -> impl Iterator<Item = &Element> {
    script.scenes.iter().flat_map(|s| s.elements.iter())
}

fn text<'a>(script: &'a Script, el: &Element) -> &'a str {
    el.text(&script.source)
}

/// Headings, speakers and transitions: what the peer conformance suites compare.
fn outline(script: &Script) -> (Vec<String>, Vec<String>, Vec<String>) {
    let heads = script
        .scenes
        .iter()
        .filter_map(|s| s.heading.clone())
        .collect();
    let speakers = all_elements(script)
        .filter_map(|e| e.speaker.clone())
        .collect();
    let transitions = all_elements(script)
        .filter(|e| e.kind == ElementKind::Transition)
        .map(|e| text(script, e).to_string())
        .collect();
    (heads, speakers, transitions)
}

/// Valid, nested spans, and every visible character kept.
fn check_invariants(script: &Script) {
    common::check_spans(script);
    common::check_coverage(script);
}

#[test]
fn full_fixture_structure() {
    let s = parse(&fixture("full.fountain"));
    let (heads, speakers, transitions) = outline(&s);
    assert_eq!(
        heads,
        [
            "INT. PENTHOUSE - LIVING ROOM - NIGHT",
            "EXT. GARDEN - DAY",
            "FLASHBACK",
            "INT. CLASSROOM - DAY"
        ]
    );
    assert_eq!(
        speakers,
        ["MARCUS", "LILY", "NANNY ROSE", "McGREGOR", "TEACHER"]
    );
    assert_eq!(transitions, ["CUT TO:", "SMASH CUT TO:"]);
    assert_eq!(s.headed_scenes(), 4);

    let one = &s.scenes[1];
    assert_eq!(one.number.as_deref(), Some("1"));
    assert_eq!(one.setting.as_deref(), Some("INT."));
    assert_eq!(one.place.as_deref(), Some("PENTHOUSE - LIVING ROOM"));
    assert_eq!(one.time.as_deref(), Some("NIGHT"));

    let marcus = &one.elements[1];
    assert_eq!(marcus.extension.as_deref(), Some("V.O."));
    assert_eq!(marcus.parenthetical.as_deref(), Some("whispering"));
    assert_eq!(text(&s, marcus), "You will sign the papers.");
    assert_eq!(
        &s.source[marcus.parenthetical_spans[0].clone()],
        "(whispering)"
    );
    let rose = &one.elements[3];
    assert!(rose.dual);
    assert_eq!(text(&s, rose), "She doesn't have to.");

    let kinds = |i: usize| -> Vec<&str> {
        s.scenes[i]
            .elements
            .iter()
            .map(|e| e.kind.as_str())
            .collect()
    };
    assert_eq!(
        kinds(0),
        ["title", "title", "title", "cast", "cast", "title", "action"]
    );
    assert_eq!(
        kinds(1),
        [
            "action",
            "dialogue",
            "dialogue",
            "dialogue",
            "note",
            "comment",
            "transition"
        ]
    );
    assert_eq!(
        kinds(2),
        ["section", "synopsis", "dialogue", "lyric", "centered"]
    );
    assert_eq!(kinds(3), ["action", "transition", "page_break"]);
    assert_eq!(kinds(4), ["note", "dialogue"]);

    let title = &s.scenes[0].elements[0];
    assert_eq!(text(&s, title), "_**THE LITTLE HEIR**_\n    Episode 1");
    let cast: Vec<&str> = s.scenes[0]
        .elements
        .iter()
        .filter(|e| e.kind == ElementKind::Cast)
        .map(|e| text(&s, e))
        .collect();
    assert_eq!(
        cast,
        [
            "LILY (6), the heir; MARCUS (40), her uncle",
            "NANNY ROSE (55)"
        ]
    );

    let mcg = &s.scenes[2].elements[2];
    assert_eq!(mcg.extension.as_deref(), Some("O.S.; CONT'D"));
    assert_eq!(mcg.parenthetical.as_deref(), Some("beat"));
    assert_eq!(text(&s, &s.scenes[2].elements[4]), "THE END");
    assert_eq!(text(&s, &s.scenes[3].elements[0]), "BANG. A DOOR SLAMS.");
    let note = &s.scenes[1].elements[4];
    assert_eq!(
        text(&s, note),
        "NOTE: child actor wraps by 8pm; guardian on set."
    );
    // The boneyard hides a heading and a cue.
    assert!(text(&s, &s.scenes[1].elements[5]).starts_with("INT. CUT SCENE"));
}

/// What the fixture looks like regardless of offsets: kinds, speakers and texts.
fn shape(s: &Script) -> Vec<(Option<String>, String, Option<String>, String)> {
    s.scenes
        .iter()
        .flat_map(|sc| {
            let head = (sc.heading.clone(), String::new(), None, String::new());
            std::iter::once(head).chain(sc.elements.iter().map(|e| {
                let words = text(s, e).replace("\r\n", "\n").replace('\r', "\n");
                (None, e.kind.as_str().to_string(), e.speaker.clone(), words)
            }))
        })
        .collect()
}

#[test]
fn crlf_and_cr_files_parse_like_lf() {
    let lf = parse(&fixture("full.fountain"));
    let crlf = parse(&fixture("full_crlf.fountain"));
    let cr = parse(&fixture("full_cr.fountain"));
    assert!(crlf.source.contains("\r\n") && cr.source.contains('\r') && !cr.source.contains('\n'));
    assert_eq!(shape(&lf), shape(&crlf));
    assert_eq!(shape(&lf), shape(&cr));
}

#[test]
fn non_ascii_names() {
    let s = parse(&fixture("chinese_names.fountain"));
    let (heads, speakers, _) = outline(&s);
    assert_eq!(heads, ["INT. 教室 - DAY"]);
    // A caseless name needs `@`; a name with capitals may mix scripts.
    assert_eq!(speakers, ["小宝", "LILY 小宝"]);
    assert_eq!(s.scenes[1].place.as_deref(), Some("教室"));
    let last = s.scenes[1].elements.last().map(|e| e.kind);
    assert_eq!(last, Some(ElementKind::Action));
}

#[test]
fn title_page_needs_a_value_or_continuation() {
    let s = parse("CUT TO:\n\nINT. BEDROOM\n\nText.\n");
    assert_eq!(outline(&s).2, ["CUT TO:"]);
    let s = parse("FADE IN:\nINT. BEDROOM - DAY\n");
    assert_eq!(outline(&s).0, ["INT. BEDROOM - DAY"]);
    let s = parse("Title: A\nAuthor: B\nINT. BEDROOM - DAY\n");
    assert_eq!(outline(&s).0, ["INT. BEDROOM - DAY"]);
    assert_eq!(s.scenes[0].elements.len(), 2);
}

#[test]
fn unclosed_boneyard_and_note_are_text() {
    let s = parse("/* not closed\n\nLILY\nHi [[ open\n\nINT. X - DAY\n");
    let (heads, speakers, _) = outline(&s);
    assert_eq!(heads, ["INT. X - DAY"]);
    assert_eq!(speakers, ["LILY"]);
}

#[test]
fn hidden_lines_inside_dialogue_are_transparent() {
    let s = parse("LILY\nHello.\n[[note]]\n/* gone */\nStill me.\n");
    let d = &s.scenes[0].elements[0];
    assert_eq!(d.kind, ElementKind::Dialogue);
    assert!(text(&s, d).ends_with("Still me."));
}

#[test]
fn empty_and_blank_inputs() {
    for src in [
        "",
        "\n",
        "\r\n\r\n",
        "\r",
        "   ",
        "\u{feff}",
        "\u{feff}INT. A - DAY",
    ] {
        let s = parse(src);
        assert_eq!(s.scenes[0].index, 0);
    }
}

#[test]
fn long_pathological_input_is_fast() {
    // Many unclosed note and boneyard openers, cues with no dialogue, and long hidden runs:
    // anything quadratic in lines takes minutes here.
    let mut src = String::new();
    for i in 0..30_000 {
        src.push_str(match i % 6 {
            0 => "[[ open note\n",
            1 => "/* \n",
            2 => "LILY\n",
            3 => "\n",
            4 => "INT. HOUSE - DAY\n",
            _ => "(beat\n",
        });
    }
    src.push_str("[[x]]\n".repeat(30_000).as_str());
    let t = Instant::now();
    let s = parse_text(src, Format::Fountain);
    assert!(s.headed_scenes() > 0);
    assert!(
        t.elapsed() < Duration::from_secs(10),
        "took {:?}",
        t.elapsed()
    );
}

/// Pieces that exercise every Fountain form, glued at random.
fn fountain_piece() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "INT. HOUSE - DAY",
        "EXT. PARK #1A#",
        ".FORCED",
        "..",
        "LILY",
        "@小宝",
        "MOM (V.O.)",
        "BOB ^",
        "(beat)",
        "(starts",
        "ends)",
        "Hello there.",
        "CUT TO:",
        "> FADE OUT",
        ">centered<",
        "~la la",
        "# Act",
        "= synopsis",
        "===",
        "!FORCED",
        "[[",
        "]]",
        "/*",
        "*/",
        "Title:",
        "Cast:",
        "    indented",
        "\t",
        "  ",
        " ",
        "\n",
        "\r\n",
        "\r",
        "\n\n",
        "小宝",
        "é",
        "\u{feff}",
        "^",
        "@",
        ">",
        "<",
        "#",
        "(",
        ")",
        ":",
        "TO:",
    ])
    .prop_map(str::to_string)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_fountain_keeps_invariants(pieces in prop::collection::vec(fountain_piece(), 0..80)) {
        parse(&pieces.concat());
    }

    #[test]
    fn random_unicode_keeps_invariants(src in "\\PC{0,300}") {
        parse(&src);
    }

    #[test]
    fn random_bytes_keep_invariants(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        parse(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn truncated_fixture_keeps_invariants(cut in 0usize..2000) {
        let full = fixture("full_crlf.fountain");
        let cut = full.floor_char_boundary(cut.min(full.len()));
        parse(&full[..cut]);
    }

    #[test]
    fn heading_parts_stay_in_line(line in "[ .#A-Za-z0-9/\\-—小]{0,40}") {
        if let Some(p) = dramalint::script::fountain::parse_heading(&line) {
            prop_assert!(p.text.start <= p.text.end && p.text.end <= line.len());
            prop_assert!(line.is_char_boundary(p.text.start) && line.is_char_boundary(p.text.end));
            prop_assert!(!line[p.text.clone()].trim().is_empty());
        }
    }
}
