//! Final Draft and Word input: fixtures, span invariants, error cases, and property tests.

use dramalint::script::{ElementKind, Format, ParseError, Script, docx, parse_bytes, parse_text};
use proptest::prelude::*;

mod common;
use std::time::{Duration, Instant};

fn read(path: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(path).expect("fixture exists")
}

fn fixture(path: &str) -> Script {
    parse_bytes(path, &read(path)).expect("fixture parses")
}

fn fdx(src: &str) -> Script {
    parse_text(src.to_string(), Format::Fdx)
}

/// Valid, nested spans, and scenes that tile the source.
fn check_spans(script: &Script) {
    common::check_spans(script);
    common::check_tiling(script);
}

/// Ranges of the non-blank `<Text>` contents in the script body and title page (not in
/// headers, footers or script notes).
fn body_texts(src: &str) -> Vec<std::ops::Range<usize>> {
    let skip: Vec<std::ops::Range<usize>> = [
        ("<HeaderAndFooter", "</HeaderAndFooter>"),
        ("<ScriptNotes", "</ScriptNotes>"),
    ]
    .iter()
    .filter_map(|(open, close)| Some(src.find(open)?..src.find(close)?))
    .collect();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(p) = src[at..].find("<Text") {
        let open = at + p;
        let Some(gt) = src[open..].find('>') else {
            break;
        };
        let start = open + gt + 1;
        let Some(len) = src[start..].find("</Text>") else {
            break;
        };
        at = start + len;
        let words = &src[start..start + len];
        if src[open..start].ends_with("/>") || words.trim().is_empty() {
            continue;
        }
        if skip.iter().any(|r| r.contains(&start)) {
            continue;
        }
        let lead = words.len() - words.trim_start().len();
        let mut range = start + lead..start + words.trim_end().len();
        // CDATA: the words are inside the wrapper.
        if src[range.clone()].starts_with("<![CDATA[") && src[range.clone()].ends_with("]]>") {
            range = range.start + 9..range.end - 3;
        }
        out.push(range);
    }
    out
}

/// Every paragraph text of the script lies inside an element span or a heading span.
fn check_texts_kept(script: &Script) {
    let spans: Vec<std::ops::Range<usize>> = script
        .scenes
        .iter()
        .flat_map(|s| {
            s.elements
                .iter()
                .map(|e| e.span.clone())
                .chain(s.heading_span.clone())
        })
        .collect();
    for t in body_texts(&script.source) {
        assert!(
            spans.iter().any(|s| s.start <= t.start && t.end <= s.end),
            "text {:?} is in no element",
            &script.source[t]
        );
    }
}

#[test]
fn fdx_english_fixture() {
    let s = fixture("fdx/en_dual_title.fdx");
    assert_eq!(s.format, Format::Fdx);
    check_spans(&s);
    check_texts_kept(&s);
    assert_eq!(s.headed_scenes(), 2);
    assert_eq!(
        s.scenes[1].heading.as_deref(),
        Some("EXT. MAPLE STREET - DAY")
    );
    let scene0: Vec<(ElementKind, &str)> = s.scenes[0]
        .elements
        .iter()
        .map(|e| (e.kind, e.text(&s.source)))
        .collect();
    assert_eq!(
        scene0,
        vec![
            (ElementKind::Title, "The Lemonade Stand"),
            (ElementKind::Title, "Episode 3"),
            (ElementKind::Cast, "PIPER HOLT (8), GUS HOLT (40)"),
        ]
    );
    let d: Vec<_> = s.scenes[1]
        .elements
        .iter()
        .filter(|e| e.kind == ElementKind::Dialogue)
        .collect();
    assert_eq!(d.len(), 3);
    assert!(!d[0].dual && d[1].dual && d[2].dual);
    assert_eq!(d[1].speaker.as_deref(), Some("GUS"));
    assert_eq!(d[1].extension.as_deref(), Some("O.S."));
    assert_eq!(d[2].parenthetical.as_deref(), Some("rolling her eyes"));
    assert!(d[2].text(&s.source).starts_with("I "));
    assert!(d[2].text(&s.source).ends_with(", Dad."));
    // The cue line is part of the dialogue element.
    assert_eq!(&s.source[d[1].span.start..d[1].span.start + 3], "GUS");
    // Headers and script notes are not script text.
    let all: String = s
        .scenes
        .iter()
        .flat_map(|sc| &sc.elements)
        .map(|e| e.text(&s.source))
        .collect();
    assert!(!all.contains("HEADER TEXT") && !all.contains("private note"));
    let kinds: Vec<ElementKind> = s.scenes[2].elements.iter().map(|e| e.kind).collect();
    use ElementKind::*;
    assert_eq!(kinds, vec![Action, Action, Dialogue, Dialogue]);
    assert_eq!(
        s.scenes[2].elements[1].text(&s.source),
        "Three quarters & a dime."
    );
    assert_eq!(
        s.scenes[2].elements[3].parenthetical.as_deref(),
        Some("beat")
    );
    assert_eq!(s.scenes[2].elements[3].text(&s.source), "Bedtime.");
}

#[test]
fn fdx_chinese_fixture() {
    let s = fixture("fdx/zh_basic.fdx");
    check_spans(&s);
    check_texts_kept(&s);
    assert_eq!(s.headed_scenes(), 2);
    assert_eq!(s.scenes[1].heading.as_deref(), Some("1-1 日 内 林家厨房"));
    let d = &s.scenes[1].elements[1];
    assert_eq!(d.speaker.as_deref(), Some("林妈妈"));
    assert_eq!(d.extension.as_deref(), Some("画外音"));
    assert_eq!(d.parenthetical.as_deref(), Some("着急"));
    assert_eq!(d.text(&s.source), "豆豆，下来！");
}

#[test]
fn fdx_detected_by_content() {
    let bytes = read("fdx/zh_basic.fdx");
    let s = parse_bytes("script.txt", &bytes).expect("parses");
    assert_eq!(s.format, Format::Fdx);
    assert_eq!(s.headed_scenes(), 2);
}

#[test]
fn fdx_deep_nesting_is_linear() {
    let deep = format!(
        "<FinalDraft><Content>{}<Paragraph Type=\"Action\"><Text>x</Text></Paragraph></Content>",
        "<Paragraph><DualDialogue>".repeat(10_000)
    );
    let many = format!(
        "<FinalDraft><Content>{}</Content></FinalDraft>",
        "<Paragraph Type=\"Character\"><Text>A</Text></Paragraph><Paragraph Type=\"Dialogue\"><Text>hi &amp; bye</Text></Paragraph>"
            .repeat(20_000)
    );
    for src in [deep, many, "<Text>".repeat(50_000), "&amp;".repeat(50_000)] {
        let t = Instant::now();
        check_spans(&fdx(&src));
        assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
    }
}

#[test]
fn docx_chinese_layout_extracts_paragraph_lines() {
    let text = docx::extract_text(&read("docx/zh_layout.docx")).expect("extracts");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "第1集");
    assert_eq!(lines[1], "1-1 日 内 林家厨房");
    assert_eq!(lines[4], "林妈妈：（着急）豆豆，下来！");
    assert_eq!(lines[5], "豆豆：我想给你做饭 & 洗碗。");
    assert_eq!(lines[6], "");
    assert_eq!(lines[8], "豆豆坐在台阶上，");
    assert_eq!(lines[9], "抱着书包。");
    let s = fixture("docx/zh_layout.docx");
    assert_eq!(s.encoding, "docx");
    assert_eq!(s.format, Format::Zh);
    assert_eq!(s.source, text);
    check_spans(&s);
}

#[test]
fn docx_english_layout_reads_as_fountain() {
    let s = fixture("docx/en_fountain.docx");
    assert_eq!(s.format, Format::Fountain);
    assert!(
        s.source
            .starts_with("INT. HOLT KITCHEN - NIGHT\n\nPiper counts coins.\n")
    );
    assert!(s.source.contains("Gus\twaves."));
    check_spans(&s);
}

#[test]
fn docx_errors() {
    for name in [
        "docx/not_a_zip.docx",
        "docx/no_document.docx",
        "docx/bomb.docx",
    ] {
        let err = parse_bytes(name, &read(name)).expect_err(name);
        assert!(matches!(err, ParseError::Docx(_)), "{name}: {err}");
    }
    let err = parse_bytes("x.docx", &read("docx/bomb.docx")).unwrap_err();
    assert!(err.to_string().contains("more than"), "{err}");
    assert!(matches!(
        parse_bytes("empty.docx", b""),
        Err(ParseError::Docx(_))
    ));
}

/// XML-ish fragments for FDX property tests.
fn fdx_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<Paragraph Type=\"Scene Heading\">".to_string()),
        Just("<Paragraph Type=\"Character\">".to_string()),
        Just("<Paragraph Type=\"Dialogue\">".to_string()),
        Just("<Paragraph Type=\"Parenthetical\">".to_string()),
        Just("<Paragraph Type=\"Action\">".to_string()),
        Just("<Paragraph>".to_string()),
        Just("<DualDialogue>".to_string()),
        Just("</DualDialogue>".to_string()),
        Just("</Paragraph>".to_string()),
        Just("<Text>".to_string()),
        Just("</Text>".to_string()),
        Just("<Text/>".to_string()),
        Just("<Content>".to_string()),
        Just("</Content>".to_string()),
        Just("<TitlePage>".to_string()),
        Just("&amp;".to_string()),
        Just("&#x4E00;".to_string()),
        Just("&bogus;".to_string()),
        Just("<![CDATA[x]]>".to_string()),
        Just("<![CDATA[".to_string()),
        Just("(V.O.)".to_string()),
        Just("（冷笑）".to_string()),
        Just("\r\n".to_string()),
        "[a-zA-Z一-龥 ]{0,8}",
        any::<char>().prop_map(String::from),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn fdx_fragments_keep_invariants(parts in proptest::collection::vec(fdx_fragment(), 0..80)) {
        let src = format!("<FinalDraft><Content>{}", parts.concat());
        check_spans(&fdx(&src));
    }

    #[test]
    fn fdx_random_text_never_panics(src in "\\PC{0,300}") {
        check_spans(&fdx(&src));
    }

    #[test]
    fn fdx_truncated_fixture(cut in 0usize..3000) {
        let full = include_str!("../fixtures/fdx/en_dual_title.fdx");
        let cut = full.floor_char_boundary(cut.min(full.len()));
        check_spans(&fdx(&full[..cut]));
    }

    #[test]
    fn docx_random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = docx::extract_text(&bytes);
        if let Ok(s) = parse_bytes("x.docx", &bytes) {
            check_spans(&s);
        }
    }

    #[test]
    fn docx_damaged_fixture_never_panics(cut in 0usize..2500, flip in 0usize..1300, byte in any::<u8>()) {
        let mut bytes = read("docx/zh_layout.docx");
        if let Some(b) = bytes.get_mut(flip) {
            *b ^= byte;
        }
        bytes.truncate(cut.max(1));
        if let Ok(s) = parse_bytes("x.docx", &bytes) {
            check_spans(&s);
        }
    }
}
