//! Markdown parsing: fixtures, the parser invariants, and property tests (no panic, spans on
//! char boundaries, nothing disappears, deep nesting stays cheap).

use dramalint::script::{ElementKind, Format, Script, parse_bytes, parse_text};
use proptest::prelude::*;

mod common;
use std::time::{Duration, Instant};

fn fixture(name: &str) -> Script {
    let path = format!("{}/fixtures/md/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("fixture exists");
    parse_bytes(&path, &bytes).expect("fixture parses")
}

fn md(src: &str) -> Script {
    parse_text(src.to_string(), Format::Markdown)
}

/// Valid, nested spans, scenes that tile the whole source, every visible character kept.
fn check_invariants(script: &Script) {
    common::check_spans(script);
    common::check_tiling(script);
    if let (Some(last), true) = (script.scenes.last(), script.scenes.len() > 1) {
        assert_eq!(
            last.span.end,
            script.source.len(),
            "last scene runs to the end"
        );
    }
    common::check_coverage(script);
}

#[test]
fn zh_front_matter_fixture() {
    let s = fixture("zh_front_matter.md");
    check_invariants(&s);
    assert_eq!(s.format, Format::Markdown);
    assert_eq!(s.headed_scenes(), 2);
    assert_eq!(s.scenes[1].heading.as_deref(), Some("第1场 日 内 林家厨房"));
    let names: Vec<(&str, Option<u32>)> = s
        .declared
        .iter()
        .map(|d| (d.name.as_str(), d.age))
        .collect();
    assert_eq!(
        names,
        vec![("豆豆", Some(7)), ("林妈妈", Some(34)), ("王师傅", None)]
    );
    assert_eq!(s.declared[0].aliases, vec!["小豆子".to_string()]);
    assert!(s.source[s.declared[0].span.clone()].contains("豆豆"));
    let scene0: Vec<ElementKind> = s.scenes[0].elements.iter().map(|e| e.kind).collect();
    assert_eq!(scene0, vec![ElementKind::Title, ElementKind::Section]);
    let kinds: Vec<ElementKind> = s.scenes[1].elements.iter().map(|e| e.kind).collect();
    use ElementKind::*;
    assert_eq!(
        kinds,
        vec![Action, Dialogue, Dialogue, Dialogue, Note, Comment]
    );
    let d = &s.scenes[1].elements[2];
    assert_eq!(d.speaker.as_deref(), Some("豆豆"));
    assert_eq!(d.parenthetical.as_deref(), Some("委屈"));
    assert_eq!(d.text(&s.source), "我想给你做蛋炒饭。");
    // Lines of one paragraph are separate elements.
    let last: Vec<ElementKind> = s.scenes[2].elements.iter().map(|e| e.kind).collect();
    assert_eq!(last, vec![Dialogue, Dialogue, Action]);
}

#[test]
fn en_bold_cues_fixture() {
    let s = fixture("en_bold_cues.md");
    check_invariants(&s);
    assert_eq!(s.headed_scenes(), 2);
    assert_eq!(
        s.scenes[1].heading.as_deref(),
        Some("EXT. MAPLE STREET - DAY")
    );
    let cast: Vec<&str> = s.scenes[0]
        .elements
        .iter()
        .filter(|e| e.kind == ElementKind::Cast)
        .map(|e| e.text(&s.source))
        .collect();
    assert_eq!(cast.len(), 3);
    assert_eq!(cast[0], "PIPER HOLT, 8, runs the lemonade stand");
    let d: Vec<_> = s.scenes[1]
        .elements
        .iter()
        .filter(|e| e.kind == ElementKind::Dialogue)
        .collect();
    let who: Vec<(&str, Option<&str>, Option<&str>)> = d
        .iter()
        .map(|e| {
            (
                e.speaker.as_deref().unwrap_or(""),
                e.extension.as_deref(),
                e.parenthetical.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        who,
        vec![
            ("PIPER", None, None),
            ("GUS", Some("O.S."), None),
            ("PIPER", None, Some("rolling her eyes")),
            ("MRS. OKAFOR", None, Some("smiling")),
        ]
    );
    assert_eq!(d[1].text(&s.source), "Sunscreen, kiddo!");
    let italic = s.scenes[1]
        .elements
        .iter()
        .find(|e| e.kind == ElementKind::Action && e.text(&s.source).starts_with("Close"))
        .expect("italic line is action");
    assert_eq!(
        italic.text(&s.source),
        "Close on the cash box: three quarters."
    );
    let kinds: Vec<ElementKind> = s.scenes[2].elements.iter().map(|e| e.kind).collect();
    use ElementKind::*;
    assert_eq!(kinds, vec![Dialogue, Dialogue, Transition, Note]);
}

#[test]
fn zh_bold_headings_crlf_fixture() {
    let s = fixture("zh_bold_headings_crlf.md");
    check_invariants(&s);
    let headings: Vec<&str> = s
        .scenes
        .iter()
        .filter_map(|sc| sc.heading.as_deref())
        .collect();
    assert_eq!(
        headings,
        vec!["1-1 日 外 中学操场", "1-2 教学楼-内-日", "第3场 夜 内 宿舍"]
    );
    assert_eq!(s.scenes[1].elements[0].kind, ElementKind::Cast);
    let os = &s.scenes[2].elements[0];
    assert_eq!(os.speaker.as_deref(), Some("小雨"));
    assert_eq!(os.extension.as_deref(), Some("OS"));
    // The heading span is the heading line, without its CRLF.
    let h = s.scenes[1].heading_span.clone().expect("heading span");
    assert_eq!(&s.source[h], "**1-1 日 外 中学操场**");
}

#[test]
fn mixed_blocks_keep_every_line() {
    let s = fixture("mixed_blocks.md");
    check_invariants(&s);
    assert_eq!(s.headed_scenes(), 1);
    let kinds: Vec<ElementKind> = s.scenes[1].elements.iter().map(|e| e.kind).collect();
    assert!(kinds.contains(&ElementKind::PageBreak));
    assert!(kinds.contains(&ElementKind::Section));
    let n = kinds.len();
    assert_eq!(
        &kinds[n - 2..],
        &[ElementKind::Dialogue, ElementKind::Comment]
    );
    let d = &s.scenes[1].elements[n - 2];
    assert_eq!(d.text(&s.source), "Done.");
}

#[test]
fn episode_headers_are_sections_not_scenes() {
    let s = md("# 第1集\n\n# Episode 6\n\n## 第2场 夜 内 卧室\n\n# 第2集\n\n## 第3场 日 外 街\n");
    check_invariants(&s);
    assert_eq!(s.headed_scenes(), 2);
    assert_eq!(s.scenes[0].elements.len(), 2);
    assert_eq!(s.scenes[1].elements[0].kind, ElementKind::Section);
    assert_eq!(s.scenes[2].index, 2);
}

#[test]
fn cast_entries_in_scene_zero_without_label() {
    let s = md(
        "- ZOE STERLING, 6, heiress\n- 小宝（6岁），主角\n\n## INT. A - DAY\n\n- BOB, 40, later\n",
    );
    check_invariants(&s);
    assert_eq!(s.scenes[0].elements[0].kind, ElementKind::Cast);
    assert_eq!(s.scenes[0].elements[1].kind, ElementKind::Cast);
    // Inside a scene an unlabeled list is not the cast.
    assert_eq!(s.scenes[1].elements[0].kind, ElementKind::Action);
}

#[test]
fn front_matter_variants_do_not_crash() {
    for src in [
        "---\n",
        "---\n---\n",
        "---\ncast: 5\n---\n",
        "---\ncast:\n  - 小宝（6岁）\n  - LILY, 7\n---\n",
        "---\ncast: [{name: 1, age: -3}, {name: X, age: 999}]\n---\n",
        "---\n: : :\n  - [\n---\nbody\n",
        "---\r\ncast:\r\n  - name: A\r\n    age: 9\r\n---\r\nbody\r\n",
        "---\rcast:\r  A: 6\r---\rbody\r",
        "\u{feff}---\ncast:\n  A: 6\n---\n",
        "---\na: &a [1,1,1,1]\nb: &b [*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b]\n---\n",
    ] {
        let s = md(src);
        check_invariants(&s);
    }
    let s = md("---\ncast:\n  - 小宝（6岁）\n  - LILY, 7\n---\n");
    let got: Vec<(&str, Option<u32>)> = s
        .declared
        .iter()
        .map(|d| (d.name.as_str(), d.age))
        .collect();
    assert_eq!(got, vec![("小宝", Some(6)), ("LILY", Some(7))]);
    let s = md("---\r\ncast:\r\n  - name: A\r\n    age: 9\r\n---\r\nbody\r\n");
    assert_eq!(s.declared.len(), 1);
    assert_eq!(s.declared[0].age, Some(9));
}

#[test]
fn huge_front_matter_is_kept_but_not_read() {
    let mut src = String::from("---\ncast:\n  - name: A\n    age: 6\n");
    src.push_str(&"# filler line for the size guard\n".repeat(4000));
    src.push_str("---\nbody\n");
    let s = md(&src);
    check_invariants(&s);
    assert!(s.declared.is_empty());
    assert_eq!(s.scenes[0].elements[0].kind, ElementKind::Title);
}

#[test]
fn hostile_front_matter_is_cheap() {
    let mut laughs = vec!["a0: &a0 [x,x,x,x,x,x,x,x,x,x]".to_string()];
    for i in 1..10 {
        laughs.push(format!(
            "a{i}: &a{i} [{}]",
            vec![format!("*a{}", i - 1); 10].join(",")
        ));
    }
    let laughs = format!("---\n{}\ncast: *a9\n---\nbody\n", laughs.join("\n"));
    let deep_flow = format!("---\ncast: {}\n---\nbody\n", "[".repeat(20_000));
    let deep_block: String = (1..120).map(|i| format!("{}-\n", "  ".repeat(i))).collect();
    let deep_block = format!("---\ncast:\n{deep_block}---\nbody\n");
    for src in [laughs, deep_flow, deep_block] {
        let took = timed(&src);
        assert!(took < Duration::from_secs(5), "took {took:?}");
    }
    // Only the cast block is read: a large, odd rest of the front matter does not matter.
    let src = format!(
        "---\nnotes: |\n{}cast:\n  - name: A\n    age: 6\n---\n",
        "  [[[[ *x &y\n".repeat(5_000)
    );
    let s = md(&src);
    assert_eq!(s.declared.len(), 1);
    assert_eq!(
        &s.source[s.declared[0].span.clone()],
        "  - name: A\n    age: 6"
    );
}

/// Parse and return how long it took.
fn timed(src: &str) -> Duration {
    let t = Instant::now();
    let s = md(src);
    check_invariants(&s);
    t.elapsed()
}

#[test]
fn deep_nesting_is_linear() {
    // Generous bounds for a debug build on a shared machine; quadratic behaviour would take
    // minutes at these sizes.
    let limit = Duration::from_secs(10);
    for src in [
        format!("{} x\n", ">".repeat(10_000)),
        format!("{}x\n", "- ".repeat(10_000)),
        format!("{}x\n", "> - ".repeat(5_000)),
        (0..2_000)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect(),
        format!("{} x\n", ">".repeat(2_000)).repeat(200),
        "**".repeat(50_000),
        "*a".repeat(50_000),
        "[".repeat(50_000),
        "<!--".repeat(20_000),
        "**小宝**：（".repeat(20_000),
    ] {
        let took = timed(&src);
        assert!(took < limit, "{} bytes took {took:?}", src.len());
    }
}

#[test]
fn many_scenes_scale() {
    let one = "## 第1场 日 内 客厅\n\n**小宝**：（笑）你好。\n\n动作。\n\n";
    let took = timed(&one.repeat(20_000));
    assert!(took < Duration::from_secs(20), "took {took:?}");
}

/// Markdown-ish fragments, so random inputs hit the interesting paths.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("**".to_string()),
        Just("*".to_string()),
        Just("## ".to_string()),
        Just("#".to_string()),
        Just("> ".to_string()),
        Just("- ".to_string()),
        Just("1. ".to_string()),
        Just("小宝".to_string()),
        Just("：".to_string()),
        Just(":".to_string()),
        Just("（".to_string()),
        Just("）".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("INT. ".to_string()),
        Just("第1场 ".to_string()),
        Just("1-1 ".to_string()),
        Just("<!--".to_string()),
        Just("-->".to_string()),
        Just("---".to_string()),
        Just("```".to_string()),
        Just("|".to_string()),
        Just("【拍摄备注】".to_string()),
        Just("cast:".to_string()),
        Just("  - name: ".to_string()),
        Just("age: 6".to_string()),
        Just("\n".to_string()),
        Just("\r".to_string()),
        Just("\r\n".to_string()),
        Just(" ".to_string()),
        Just("\u{3000}".to_string()),
        Just("\t".to_string()),
        "[a-zA-Z一-龥 ]{0,8}",
        any::<char>().prop_map(String::from),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn markdownish_inputs_keep_invariants(parts in proptest::collection::vec(fragment(), 0..80)) {
        let src: String = parts.concat();
        check_invariants(&md(&src));
    }

    #[test]
    fn front_matter_inputs_keep_invariants(parts in proptest::collection::vec(fragment(), 0..60)) {
        let src = format!("---\n{}\n---\n{}", parts.concat(), parts.concat());
        check_invariants(&md(&src));
    }

    #[test]
    fn random_unicode_keeps_invariants(src in "\\PC{0,300}") {
        check_invariants(&md(&src));
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        check_invariants(&md(&text));
        // Through the byte entry point too (decoding may refuse binary input; that is fine).
        if let Ok(s) = parse_bytes("x.md", &bytes) {
            check_invariants(&s);
        }
    }

    #[test]
    fn truncated_fixture_keeps_invariants(cut in 0usize..900) {
        let full = include_str!("../fixtures/md/zh_front_matter.md");
        let cut = full.floor_char_boundary(cut.min(full.len()));
        check_invariants(&md(&full[..cut]));
    }
}
