//! Cast model tests. Scripts are built by hand (the format parsers are tested elsewhere): a tiny
//! line classifier turns a fixture into scenes and elements with real byte spans, so these tests
//! pin the cast model alone. When the real parser for a fixture's format is present, the same
//! expectations are checked through it too.

use dramalint::cast::{self, Cast, Overrides};
use dramalint::script::{Declared, Element, ElementKind, Format, Scene, Script, Span};
use proptest::prelude::*;
use serde_json::Value;
use std::path::Path;

// ------------------------------------------------------------------------------------------
// Building scripts by hand

/// One line of a hand-built script.
#[derive(Clone, Copy)]
enum L<'a> {
    /// A scene heading.
    H(&'a str),
    A(&'a str),
    /// (speaker, words): written `speaker：words`.
    D(&'a str, &'a str),
    C(&'a str),
    T(&'a str),
}

/// Concatenate the lines into a source and record scenes and element spans.
fn script(lines: &[L<'_>]) -> Script {
    let mut source = String::new();
    let mut scenes = vec![Scene::default()];
    for line in lines {
        let start = source.len();
        match *line {
            L::H(h) => {
                source.push_str(h);
                let prev_end = source.len() - h.len();
                if let Some(last) = scenes.last_mut() {
                    last.span.end = prev_end;
                }
                scenes.push(Scene {
                    index: scenes.len(),
                    heading: Some(h.to_string()),
                    heading_span: Some(start..source.len()),
                    span: start..start,
                    ..Scene::default()
                });
            }
            L::D(sp, words) => {
                source.push_str(sp);
                source.push('：');
                let t = source.len();
                source.push_str(words);
                let mut el =
                    Element::with_text(ElementKind::Dialogue, start..source.len(), t..source.len());
                el.speaker = Some(sp.to_string());
                push(&mut scenes, el);
            }
            L::A(t) | L::C(t) | L::T(t) => {
                source.push_str(t);
                let kind = match line {
                    L::A(_) => ElementKind::Action,
                    L::C(_) => ElementKind::Cast,
                    _ => ElementKind::Title,
                };
                push(&mut scenes, Element::new(kind, start..source.len()));
            }
        }
        source.push('\n');
    }
    let end = source.len();
    if let Some(last) = scenes.last_mut() {
        last.span.end = end;
    }
    Script {
        source,
        format: Format::Zh,
        encoding: "utf-8",
        scenes,
        declared: Vec::new(),
    }
}

fn push(scenes: &mut [Scene], el: Element) {
    if let Some(s) = scenes.last_mut() {
        s.elements.push(el);
    }
}

fn build(lines: &[L<'_>]) -> Cast {
    cast::build(&script(lines), &Overrides::default())
}

fn child(cast: &Cast, name: &str) -> bool {
    cast.get(name)
        .unwrap_or_else(|| panic!("{name} missing from {:#?}", names(cast)))
        .child
}

fn names(cast: &Cast) -> Vec<String> {
    cast.characters.iter().map(|c| c.name.clone()).collect()
}

// ------------------------------------------------------------------------------------------
// Small readers for the fixture formats (just enough for the fixtures here)

fn push_line(
    scenes: &mut [Scene],
    kind: ElementKind,
    span: Span,
    text: Span,
    speaker: Option<&str>,
) {
    let mut el = Element::with_text(kind, span, text);
    el.speaker = speaker.map(str::to_string);
    push(scenes, el);
}

fn new_scene(scenes: &mut Vec<Scene>, start: usize, end: usize, heading: &str) {
    if let Some(last) = scenes.last_mut() {
        last.span.end = start;
    }
    scenes.push(Scene {
        index: scenes.len(),
        heading: Some(heading.to_string()),
        heading_span: Some(start..end),
        span: start..start,
        ..Scene::default()
    });
}

fn lines_of(source: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut pos = 0;
    for l in source.split('\n') {
        out.push((pos, l.trim_end_matches('\r')));
        pos += l.len() + 1;
    }
    out
}

/// Chinese plain layout: headings `1-1 …`, `人物：` cast lines, `名字：台词` dialogue.
fn read_zh(source: &str) -> Vec<Scene> {
    let mut scenes = vec![Scene::default()];
    for (start, line) in lines_of(source) {
        let end = start + line.len();
        if line.trim().is_empty() {
            continue;
        }
        let first = line.chars().next().unwrap_or(' ');
        if first.is_ascii_digit() && line.contains('-') && line.contains(' ') {
            new_scene(&mut scenes, start, end, line);
        } else if line.starts_with("人物：") {
            push_line(&mut scenes, ElementKind::Cast, start..end, start..end, None);
        } else if let Some(i) = line
            .find('：')
            .filter(|&i| i <= 15 && !line.starts_with('△'))
        {
            let t = start + i + '：'.len_utf8();
            push_line(
                &mut scenes,
                ElementKind::Dialogue,
                start..end,
                t..end,
                Some(&line[..i]),
            );
        } else {
            push_line(
                &mut scenes,
                ElementKind::Action,
                start..end,
                start..end,
                None,
            );
        }
    }
    scenes
}

/// Fountain: title page keys, `INT.`/`EXT.` headings, CAPS cue lines followed by dialogue.
fn read_fountain(source: &str) -> Vec<Scene> {
    let mut scenes = vec![Scene::default()];
    let lines = lines_of(source);
    let mut title_page = true;
    let mut i = 0;
    while i < lines.len() {
        let (start, line) = lines[i];
        let end = start + line.len();
        i += 1;
        if line.trim().is_empty() {
            title_page = false;
            continue;
        }
        if title_page && line.contains(':') {
            push_line(
                &mut scenes,
                ElementKind::Title,
                start..end,
                start..end,
                None,
            );
            continue;
        }
        if line.starts_with("INT.") || line.starts_with("EXT.") {
            new_scene(&mut scenes, start, end, line);
            continue;
        }
        let next = lines.get(i).map(|l| l.1).unwrap_or("");
        let cue = line.chars().all(|c| !c.is_lowercase())
            && !next.trim().is_empty()
            && !line.ends_with('.');
        if cue {
            let (t, tl) = lines[i];
            i += 1;
            push_line(
                &mut scenes,
                ElementKind::Dialogue,
                start..t + tl.len(),
                t..t + tl.len(),
                Some(line.trim()),
            );
        } else {
            push_line(
                &mut scenes,
                ElementKind::Action,
                start..end,
                start..end,
                None,
            );
        }
    }
    scenes
}

/// Markdown: front matter `cast:` with ages, `###` headings, `**NAME:** words`, list items.
fn read_markdown(source: &str) -> (Vec<Scene>, Vec<Declared>) {
    let mut scenes = vec![Scene::default()];
    let mut declared: Vec<Declared> = Vec::new();
    let mut front = false;
    for (n, (start, line)) in lines_of(source).into_iter().enumerate() {
        let end = start + line.len();
        if line == "---" {
            front = n == 0;
            continue;
        }
        if front {
            if let Some(name) = line.trim().strip_prefix("- name: ") {
                declared.push(Declared {
                    name: name.to_string(),
                    age: None,
                    aliases: Vec::new(),
                    span: start..end,
                });
            } else if let Some(age) = line.trim().strip_prefix("age: ")
                && let Some(d) = declared.last_mut()
            {
                d.age = age.parse().ok();
                d.span.end = end;
            }
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        if let Some(h) = line.strip_prefix("### ") {
            new_scene(&mut scenes, start, end, h);
        } else if let Some(rest) = line.strip_prefix("**").and_then(|r| r.split_once(":** ")) {
            let t = start + 2 + rest.0.len() + 4;
            push_line(
                &mut scenes,
                ElementKind::Dialogue,
                start..end,
                t..end,
                Some(rest.0),
            );
        } else {
            push_line(
                &mut scenes,
                ElementKind::Action,
                start..end,
                start..end,
                None,
            );
        }
    }
    (scenes, declared)
}

fn fixture(name: &str) -> Script {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/cast")
        .join(name);
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let (format, (scenes, declared)) = if name.ends_with(".txt") {
        (Format::Zh, (read_zh(&source), Vec::new()))
    } else if name.ends_with(".fountain") {
        (Format::Fountain, (read_fountain(&source), Vec::new()))
    } else {
        (Format::Markdown, read_markdown(&source))
    };
    Script {
        source,
        format,
        encoding: "utf-8",
        scenes,
        declared,
    }
}

fn expected() -> serde_json::Map<String, Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cast/expected.json");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    match serde_json::from_str(&text) {
        Ok(Value::Object(m)) => m,
        _ => panic!("fixtures/cast/expected.json is not a JSON object"),
    }
}

/// Check a cast against one fixture's expectations; returns the problems found.
fn check(file: &str, cast: &Cast, exp: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let children = exp["children"].as_object().cloned().unwrap_or_default();
    for (name, age) in &children {
        match cast.get(name) {
            None => problems.push(format!(
                "{file}: child {name} missing (have {:?})",
                names(cast)
            )),
            Some(c) => {
                if !c.child {
                    problems.push(format!("{file}: {name} should be a child: {c:#?}"));
                }
                if c.age != age.as_u64().map(|a| a as u32) {
                    problems.push(format!("{file}: {name} age {:?}, expected {age}", c.age));
                }
                if c.evidence.is_empty() {
                    problems.push(format!("{file}: {name} has no evidence"));
                }
            }
        }
    }
    for name in exp["adults"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        match cast.get(name) {
            None => problems.push(format!(
                "{file}: adult {name} missing (have {:?})",
                names(cast)
            )),
            Some(c) if c.child => problems.push(format!("{file}: {name} is not a child: {c:#?}")),
            _ => {}
        }
    }
    for (name, age) in exp["ages"].as_object().into_iter().flatten() {
        let got = cast.get(name).and_then(|c| c.age);
        if got != age.as_u64().map(|a| a as u32) {
            problems.push(format!("{file}: {name} age {got:?}, expected {age}"));
        }
    }
    for (name, aliases) in exp["aliases"].as_object().into_iter().flatten() {
        for a in aliases
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            let ok = cast
                .get(name)
                .is_some_and(|c| c.aliases.iter().any(|x| x == a));
            if !ok {
                problems.push(format!(
                    "{file}: {name} lacks alias {a}: {:?}",
                    cast.get(name).map(|c| &c.aliases)
                ));
            }
        }
    }
    let adults_in_children = cast
        .children()
        .filter(|c| !children.contains_key(&c.name))
        .map(|c| c.name.clone());
    for n in adults_in_children {
        problems.push(format!("{file}: unexpected child {n}"));
    }
    problems
}

// ------------------------------------------------------------------------------------------
// Fixtures

#[test]
fn fixtures_by_hand() {
    let mut problems = Vec::new();
    for (file, exp) in expected() {
        let cast = cast::build(&fixture(&file), &Overrides::default());
        problems.extend(check(&file, &cast, &exp));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Through the real parsers, once they are merged (a stub parser yields no elements).
#[test]
fn fixtures_through_parsers() {
    let mut problems = Vec::new();
    for (file, exp) in expected() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/cast")
            .join(&file);
        let bytes = std::fs::read(&path).unwrap_or_default();
        let Ok(script) = dramalint::script::parse_bytes(&file, &bytes) else {
            continue;
        };
        if script.scenes.iter().all(|s| s.elements.is_empty()) {
            continue;
        }
        let cast = cast::build(&script, &Overrides::default());
        problems.extend(check(&file, &cast, &exp));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ------------------------------------------------------------------------------------------
// Targeted behaviour

#[test]
fn explicit_age_after_name_decides() {
    let c = build(&[
        L::H("1-1 日 内 客厅"),
        L::A("△小宝（6岁）和林叔（50岁）坐在一起。"),
    ]);
    assert_eq!(c.get("小宝").and_then(|c| c.age), Some(6));
    assert_eq!(c.get("林叔").and_then(|c| c.age), Some(50));
    assert!(child(&c, "小宝"));
    assert!(!child(&c, "林叔"));
    let ev = &c
        .get("小宝")
        .map(|c| c.evidence.clone())
        .unwrap_or_default()[0];
    assert_eq!((ev.cue, ev.weight), ("age", 1.0));
}

#[test]
fn time_jump_is_not_an_age() {
    let c = build(&[
        L::C("人物：阿福、小美"),
        L::A("（5年后）"),
        L::D("阿福", "走吧。"),
        L::D("小美", "嗯。"),
    ]);
    assert!(c.characters.iter().all(|x| x.age.is_none() && !x.child));
}

#[test]
fn flashback_age_is_not_current() {
    let c = build(&[L::D("老周", "我五岁那年，第一次见到大海。")]);
    assert_eq!(c.get("老周").and_then(|c| c.age), None);
    let c = build(&[L::D("阿宁", "可是我才五岁呀。")]);
    assert_eq!(c.get("阿宁").and_then(|c| c.age), Some(5));
    assert!(child(&c, "阿宁"));
}

#[test]
fn bio_lines_and_age_fields() {
    let c = build(&[
        L::D("苏念念", "女，六岁，天才萌宝"),
        L::D("顾北川", "男，32岁，霸道总裁"),
    ]);
    assert!(child(&c, "苏念念"));
    assert!(!child(&c, "顾北川"));
    let c = build(&[L::D("乐乐", "活泼好动"), L::D("年龄", "7")]);
    assert_eq!(c.get("乐乐").and_then(|c| c.age), Some(7));
    assert!(c.get("年龄").is_none());
}

#[test]
fn teen_is_not_a_child() {
    let c = build(&[
        L::A("△林浩（十五岁）背着书包，叫了声阿姨。"),
        L::D("林浩", "阿姨好！"),
    ]);
    assert_eq!(c.get("林浩").and_then(|c| c.age), Some(15));
    assert!(!child(&c, "林浩"));
    assert!(c.get("林浩").is_some_and(|c| c.is_minor()));
}

#[test]
fn adult_diminutives_and_pet_names_stay_adult() {
    let c = build(&[
        L::D("陆总", "小陈，合同呢？"),
        L::D("小陈", "在这儿。"),
        L::D("菲菲", "宝贝，你回来啦。"),
        L::D("陆总", "嗯，宝贝。"),
        L::D("阿强", "爸爸，我回来了。"),
    ]);
    for n in ["小陈", "菲菲", "陆总", "阿强"] {
        assert!(!child(&c, n), "{n} is an adult: {:#?}", c.get(n));
    }
}

#[test]
fn cues_add_up_to_a_child() {
    let c = build(&[
        L::H("2-1 日 外 小区门口"),
        L::A("△放学后，糖豆背着小书包跑过来，扑进爸爸怀里。"),
        L::D("糖豆", "爹地，抱抱！"),
        L::D("爸爸", "宝贝，今天乖不乖？"),
    ]);
    assert!(child(&c, "糖豆"), "{:#?}", c.get("糖豆"));
    assert!(!child(&c, "爸爸"));
    let ev = c
        .get("糖豆")
        .map(|c| c.evidence.clone())
        .unwrap_or_default();
    assert!(
        ev.windows(2).all(|w| w[0].weight >= w[1].weight),
        "strongest first"
    );
}

#[test]
fn carried_child_is_the_object() {
    let c = build(&[
        L::C("人物：团子、江叔"),
        L::A("△江叔一把抱起团子，团子咯咯地笑，手里攥着棒棒糖。"),
        L::D("江叔", "小家伙，想去哪儿？"),
        L::D("团子", "去坐滑梯！"),
    ]);
    assert!(child(&c, "团子"), "{:#?}", c.get("团子"));
    assert!(!child(&c, "江叔"));
}

#[test]
fn canonical_names_follow_speakers() {
    let c = build(&[
        L::T("Cast: LUCA MORENO (5), the twin; ANYA MORENO (34), his mother"),
        L::A("LUCA waves."),
        L::D("LUCA", "Hi!"),
        L::D("ANYA", "Hi, Luca."),
    ]);
    let luca = c.get("LUCA").cloned();
    assert!(
        luca.as_ref().is_some_and(|l| l.child && l.age == Some(5)),
        "{luca:#?}"
    );
    assert!(
        luca.is_some_and(|l| l.aliases.contains(&"LUCA MORENO".to_string())
            && l.aliases.contains(&"Luca".to_string()))
    );
    assert_eq!(c.get("Luca").map(|c| c.name.as_str()), Some("LUCA"));
    assert!(!child(&c, "ANYA"));
}

#[test]
fn chinese_full_names_map_to_speakers() {
    let c = build(&[
        L::C("人物：林小宝（6岁）、小宝妈妈、秘书小周"),
        L::D("小宝", "妈妈！"),
        L::D("小宝妈妈", "哎。"),
        L::D("小周", "林总好。"),
    ]);
    assert_eq!(c.get("林小宝").map(|c| c.name.as_str()), Some("小宝"));
    assert!(child(&c, "小宝"));
    assert!(!child(&c, "小宝妈妈"));
    assert_eq!(c.get("秘书小周").map(|c| c.name.as_str()), Some("小周"));
    assert!(!child(&c, "小周"));
}

#[test]
fn english_first_appearance_forms() {
    let c = build(&[
        L::A("SOPHIE (5), in a white dress, leans over the rail. ALEXANDER BRANDT (36) turns."),
        L::A("LILY, 7, runs in. JESSICA, the receptionist, frowns. A LAWYER waits."),
        L::A("MARA, a seven-year-old in pigtails, hides."),
        L::D("ALEXANDER", "Sophie!"),
    ]);
    assert!(child(&c, "SOPHIE") && child(&c, "LILY") && child(&c, "MARA"));
    assert_eq!(
        c.get("ALEXANDER BRANDT").map(|c| (c.name.as_str(), c.age)),
        Some(("ALEXANDER", Some(36)))
    );
    assert!(c.get("JESSICA").is_some_and(|c| !c.child));
    assert!(c.get("LAWYER").is_none(), "{:?}", names(&c));
}

#[test]
fn overrides_win() {
    let s = script(&[L::A("△小宝（6岁）在画画。"), L::D("阿杰", "早。")]);
    let ov = Overrides {
        children: vec!["阿杰".into(), "无名".into()],
        adults: vec!["小宝".into()],
    };
    let c = cast::build(&s, &ov);
    assert!(child(&c, "阿杰") && child(&c, "无名") && !child(&c, "小宝"));
    assert_eq!(c.get("阿杰").map(|c| c.evidence[0].cue), Some("config"));
}

#[test]
fn evidence_spans_point_at_the_words() {
    let s = script(&[L::A("△小宝（6岁）在画画。")]);
    let c = cast::build(&s, &Overrides::default());
    let ev = &c
        .get("小宝")
        .map(|c| c.evidence.clone())
        .unwrap_or_default()[0];
    assert_eq!(&s.source[ev.span.clone()], "小宝（6岁");
}

// ------------------------------------------------------------------------------------------
// Robustness and speed

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any text, cut into elements anywhere, never panics, and evidence stays in the source.
    #[test]
    fn never_panics(text in "\\PC{0,300}", cuts in proptest::collection::vec(0usize..400, 0..12), sp in "\\PC{0,6}") {
        let mut bounds: Vec<usize> = cuts.into_iter().map(|c| c.min(text.len())).filter(|&c| text.is_char_boundary(c)).collect();
        bounds.push(0);
        bounds.push(text.len());
        bounds.sort_unstable();
        bounds.dedup();
        let mut elements = Vec::new();
        for (i, w) in bounds.windows(2).enumerate() {
            let kind = [ElementKind::Action, ElementKind::Dialogue, ElementKind::Cast, ElementKind::Title][i % 4];
            let mut el = Element::new(kind, w[0]..w[1]);
            if kind == ElementKind::Dialogue {
                el.speaker = Some(sp.clone());
            }
            elements.push(el);
        }
        let s = Script {
            source: text.clone(),
            format: Format::Zh,
            encoding: "utf-8",
            scenes: vec![Scene { index: 0, span: 0..text.len(), elements, ..Scene::default() }],
            declared: Vec::new(),
        };
        let c = cast::build(&s, &Overrides::default());
        for ch in &c.characters {
            for e in &ch.evidence {
                prop_assert!(e.span.end <= text.len());
                prop_assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
            }
        }
    }
}

/// Linear time: four times the script takes well under sixteen times as long.
#[test]
fn linear_in_script_size() {
    let block: Vec<L<'static>> = vec![
        L::H("1-1 日 内 客厅"),
        L::C("人物：小宝（6岁）、林墨琛（35岁）、张妈"),
        L::A("△小宝趴在茶几上画画，蜡笔散了一地。林墨琛一把抱起小宝。"),
        L::D("林墨琛", "宝贝，今天在幼儿园开心吗？"),
        L::D("小宝", "爹地，我想吃棒棒糖！"),
        L::D("张妈", "先生，早餐好了。"),
    ];
    let make = |n: usize| {
        let lines: Vec<L<'static>> = block
            .iter()
            .cycle()
            .take(block.len() * n)
            .copied()
            .collect();
        script(&lines)
    };
    let (small, large) = (make(300), make(1200));
    let time = |s: &Script| {
        let t = std::time::Instant::now();
        let c = cast::build(s, &Overrides::default());
        assert!(c.is_child("小宝"));
        t.elapsed()
    };
    let _ = time(&small);
    let a = time(&small).as_secs_f64();
    let b = time(&large).as_secs_f64();
    assert!(
        b < a * 12.0 + 0.05,
        "300 blocks {a:.4}s, 1200 blocks {b:.4}s"
    );
}

/// `cargo test --test cast dump -- --ignored --nocapture` prints the fixture casts.
#[test]
#[ignore]
fn dump() {
    for file in expected().keys() {
        let s = fixture(file);
        let c = cast::build(&s, &Overrides::default());
        println!("== {file}");
        for ch in &c.characters {
            let cues: Vec<String> = ch
                .evidence
                .iter()
                .map(|e| format!("{}:{:.2}:{}", e.cue, e.weight, &s.source[e.span.clone()]))
                .collect();
            println!(
                "{} child={} age={:?} aliases={:?}\n    {}",
                ch.name,
                ch.child,
                ch.age,
                ch.aliases,
                cues.join(" | ")
            );
        }
    }
}
