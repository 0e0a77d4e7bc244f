//! The Chinese plain-layout parser on fixture scripts (fixtures/zh/), plus property tests for the
//! parser's invariants: no panics, spans inside the source on char boundaries, nothing dropped,
//! scenes contiguous.

use dramalint::script::{Element, ElementKind, Format, Script, decode, parse_bytes, parse_text};
use proptest::prelude::*;
use std::time::{Duration, Instant};

mod common;

fn fixture_bytes(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/zh/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn fixture(name: &str) -> Script {
    let script = parse_bytes(name, &fixture_bytes(name)).expect("fixture decodes");
    assert_eq!(script.format, Format::Zh, "{name} detected as zh");
    check_invariants(&script);
    script
}

fn zh(text: &str) -> Script {
    let script = parse_text(text.to_string(), Format::Zh);
    check_invariants(&script);
    script
}

fn text<'a>(s: &'a Script, e: &Element) -> &'a str {
    e.text(&s.source)
}

/// All elements of all scenes, with their scene index.
fn elements(s: &Script) -> impl Iterator<Item = (usize, &Element)> {
    s.scenes
        .iter()
        .flat_map(|sc| sc.elements.iter().map(move |e| (sc.index, e)))
}

/// The element whose words are exactly `words`.
fn find<'a>(s: &'a Script, words: &str) -> &'a Element {
    elements(s)
        .map(|(_, e)| e)
        .find(|e| text(s, e) == words)
        .unwrap_or_else(|| panic!("no element with text {words:?}"))
}

fn is_ws(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}')
}

/// Lines as (start, end) without line endings; LF, CRLF and lone CR.
fn lines(src: &str) -> Vec<(usize, usize)> {
    let b = src.as_bytes();
    let (mut out, mut start, mut i) = (Vec::new(), 0, 0);
    while i < b.len() {
        if b[i] == b'\n' || b[i] == b'\r' {
            out.push((start, i));
            i += if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
            start = i;
        } else {
            i += 1;
        }
    }
    if start < b.len() {
        out.push((start, b.len()));
    }
    out
}

/// The invariants every parse must keep.
fn check_invariants(s: &Script) {
    let src = &s.source;
    common::check_spans(s);
    common::check_tiling(s);
    let mut pos = 0;
    for (i, sc) in s.scenes.iter().enumerate() {
        assert_eq!(sc.span.start, pos, "scene {i} starts where the last ended");
        pos = sc.span.end;
        assert_eq!(sc.heading.is_some(), i > 0, "only scene 0 has no heading");
        for e in &sc.elements {
            assert!(
                sc.span.start <= e.span.start && e.span.end <= sc.span.end,
                "element {:?} inside scene {i} {:?}",
                e.span,
                sc.span
            );
        }
    }
    assert_eq!(pos, src.len(), "scenes cover the source");
    // Nothing disappears: every non-blank line is inside an element or a heading.
    let mut covers: Vec<std::ops::Range<usize>> = s
        .scenes
        .iter()
        .flat_map(|sc| {
            sc.elements
                .iter()
                .map(|e| e.span.clone())
                .chain(sc.heading_span.clone())
        })
        .collect();
    covers.sort_by_key(|c| c.start);
    // Furthest end of any cover starting at or before each cover's start (a sweep, not a scan).
    let mut reach = Vec::with_capacity(covers.len());
    let mut best = 0;
    for c in &covers {
        best = best.max(c.end);
        reach.push(best);
    }
    let furthest = |at: usize| -> Option<usize> {
        let n = covers.partition_point(|c| c.start <= at);
        (n > 0 && reach[n - 1] > at).then(|| reach[n - 1])
    };
    for (ls, le) in lines(src) {
        let line = &src[ls..le];
        let start = ls + (line.len() - line.trim_start_matches(is_ws).len());
        let end = ls + line.trim_end_matches(is_ws).len();
        if start >= end {
            continue;
        }
        // Pieces of one line may be split over several elements (`【闪回】…【闪回结束】`).
        let mut at = start;
        while at < end {
            match furthest(at) {
                Some(n) => at = n,
                None => {
                    // Whitespace between two elements on one line is fine.
                    let ch = src[at..].chars().next().expect("char");
                    assert!(
                        is_ws(ch),
                        "byte {at} of line {:?} is in no element",
                        &src[ls..le]
                    );
                    at += ch.len_utf8();
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Headings and episodes

/// heading, number, time, setting, place
type Parts = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

#[test]
fn heading_variants() {
    let s = fixture("headings.txt");
    let got: Vec<Parts> = s
        .scenes
        .iter()
        .skip(1)
        .map(|sc| {
            (
                sc.heading.clone().unwrap_or_default(),
                sc.number.clone(),
                sc.time.clone(),
                sc.setting.clone(),
                sc.place.clone(),
            )
        })
        .collect();
    let o = |x: &str| (!x.is_empty()).then(|| x.to_string());
    let want = [
        ("1-1 日 内 许家客厅", "1-1", "日", "内", "许家客厅"),
        ("3-1 老周修车厂 夜/内", "3-1", "夜", "内", "老周修车厂"),
        ("第3场 夜 外 学校门口", "3", "夜", "外", "学校门口"),
        (
            "第一场 日 内 市儿童医院·急诊室",
            "1",
            "日",
            "内",
            "市儿童医院·急诊室",
        ),
        ("场景2：医院走廊（日）", "2", "日", "", "医院走廊"),
        ("1-1场景：银行外 日 外", "1-1", "日", "外", "银行外"),
        ("20、卫生间 夜 内", "20", "夜", "内", "卫生间"),
        ("内景 客厅 - 夜", "", "夜", "内景", "客厅"),
        ("1-1 日 外 中学操场", "1-1", "日", "外", "中学操场"),
        ("1-2 地点-内-日", "1-2", "日", "内", "地点"),
        ("2-1 清晨，外，小区花园", "2-1", "清晨", "外", "小区花园"),
        ("2-2 内、黄昏、许家阳台", "2-2", "黄昏", "内", "许家阳台"),
        ("2-3 凌晨 内外 火车站", "2-3", "凌晨", "内外", "火车站"),
        ("第十二场 傍晚 外景 河边", "12", "傍晚", "外景", "河边"),
        ("场景3：天台（夜/外）", "3", "夜", "外", "天台"),
        ("4-1 日 内 教室", "4-1", "日", "内", "教室"),
        ("2-4 深夜 室内 书房", "2-4", "深夜", "室内", "书房"),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|(h, n, t, st, p)| (h.to_string(), o(n), o(t), o(st), o(p)))
        .collect();
    assert_eq!(got, want);
    assert_eq!(s.headed_scenes(), 17);
}

#[test]
fn episodes_are_sections_not_scenes() {
    let s = fixture("headings.txt");
    let sections: Vec<&str> = elements(&s)
        .filter(|(_, e)| e.kind == ElementKind::Section)
        .map(|(_, e)| text(&s, e))
        .collect();
    assert_eq!(
        sections,
        [
            "第1集",
            "第一集：新学期",
            "【第2集】",
            "第3集【1min30s】",
            "第2集"
        ]
    );
    // The preamble is scene 0: title lines, then the episode marker.
    let kinds: Vec<ElementKind> = s.scenes[0].elements.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [ElementKind::Title, ElementKind::Title, ElementKind::Section]
    );
}

#[test]
fn cast_on_heading_line_is_split_off() {
    let s = fixture("headings.txt");
    let sc = s
        .scenes
        .iter()
        .find(|sc| sc.number.as_deref() == Some("2-3"))
        .expect("scene 2-3");
    let cast = &sc.elements[0];
    assert_eq!(cast.kind, ElementKind::Cast);
    assert_eq!(text(&s, cast), "小满、许妈妈");
    assert_eq!(&s.source[cast.span.clone()], "人物：小满、许妈妈");
}

#[test]
fn lines_that_are_not_headings() {
    let s = fixture("not_headings.txt");
    assert_eq!(s.headed_scenes(), 1);
    let sc = &s.scenes[1];
    assert_eq!(sc.elements.len(), 17);
    assert!(sc.elements.iter().all(|e| e.kind == ElementKind::Action));
}

// ---------------------------------------------------------------------------------------------
// Dialogue

/// (speaker, extension, parenthetical, words) of the dialogue elements, in order.
fn cues(s: &Script) -> Vec<(String, Option<String>, Option<String>, String)> {
    elements(s)
        .filter(|(_, e)| e.kind == ElementKind::Dialogue)
        .map(|(_, e)| {
            (
                e.speaker.clone().unwrap_or_default(),
                e.extension.clone(),
                e.parenthetical.clone(),
                text(s, e).to_string(),
            )
        })
        .collect()
}

#[test]
fn dialogue_variants() {
    let s = fixture("dialogue.txt");
    let o = |x: &str| (!x.is_empty()).then(|| x.to_string());
    let want = [
        ("小满", "", "撅嘴", "我不想吃青菜。"),
        ("许妈妈", "", "叹气", "那就吃一口，好不好？"),
        ("许爸爸", "", "擦着手", "吃完带你去公园。"),
        ("小满", "", "压低声音", "爸爸，妈妈做的青菜好咸。"),
        ("小满", "OS", "", "其实还挺好吃的。"),
        ("许妈妈", "画外音", "", "小满，过来帮忙。"),
        ("小满", "内心OS", "", "又要洗碗了。"),
        ("许爸爸", "VO", "", "今天是星期六。"),
        ("旁白", "", "", "那一年，小满七岁。"),
        ("小满", "", "", "我七岁了！"),
        ("小满", "", "齐声", "我们去公园！"),
        ("朵朵", "", "齐声", "我们去公园！"),
        ("小满", "", "", "好耶！"),
        ("朵朵", "", "", "好耶！"),
        (
            "许爸爸",
            "",
            "放下碗; 拿起钥匙",
            "好的。（放下碗）走吧。（拿起钥匙）",
        ),
        ("许妈妈", "", "", "记得戴帽子。"),
        ("许妈妈", "", "提高声音", "别忘了水壶！"),
        ("小满", "电话里", "小声", "我马上回来。"),
        ("小宝", "", "", "第3场比赛我赢了"),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|(sp, x, p, w)| (sp.to_string(), o(x), o(p), w.to_string()))
        .collect();
    assert_eq!(cues(&s), want);
}

#[test]
fn group_speakers_share_one_span() {
    let s = fixture("dialogue.txt");
    let group: Vec<&Element> = elements(&s)
        .map(|(_, e)| e)
        .filter(|e| text(&s, e) == "我们去公园！")
        .collect();
    assert_eq!(group.len(), 2);
    assert_eq!(group[0].span, group[1].span);
    assert_eq!(group[0].text, group[1].text);
}

#[test]
fn bare_cue_takes_the_lines_below() {
    let s = fixture("dialogue.txt");
    let e = find(&s, "别忘了水壶！");
    assert_eq!(e.kind, ElementKind::Dialogue);
    assert!(s.source[e.span.clone()].starts_with("许妈妈："));
    assert_eq!(&s.source[e.parenthetical_spans[0].clone()], "提高声音");
}

#[test]
fn not_dialogue() {
    let s = fixture("dialogue.txt");
    for line in [
        "【VO：多年以后，小满还记得那个下午。】",
        "画外音：那天的阳光很好。",
        "时间：晚上八点",
        "镜头缓缓推近：小满的笑脸。",
        "他笑着说：好吧。",
        "时钟指向20:30，大家都睡了。",
    ] {
        assert_eq!(find(&s, line).kind, ElementKind::Action, "{line}");
    }
}

#[test]
fn age_in_cue_is_not_in_the_speaker() {
    let s = zh("1-1 日 内 客厅\n小宝（6岁）：（哭）爹地！\n朵朵（五岁，小宝的同学）：别哭。\n");
    assert_eq!(
        cues(&s),
        [
            ("小宝".into(), None, Some("哭".into()), "爹地！".into()),
            ("朵朵".into(), None, None, "别哭。".into()),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Structure

#[test]
fn structure_elements() {
    let s = fixture("structure.txt");
    let kind = |w: &str| find(&s, w).kind;
    assert_eq!(kind("《测试剧：小满的暑假》"), ElementKind::Title);
    assert_eq!(kind("测试组"), ElementKind::Title);
    assert_eq!(kind("小满在暑假里学会了照顾自己。"), ElementKind::Synopsis);
    assert_eq!(kind("小满：7岁，小学一年级学生"), ElementKind::Cast);
    assert_eq!(kind("小满、许妈妈"), ElementKind::Cast);
    assert_eq!(kind("小满趴在地上拼积木。"), ElementKind::Action);
    assert_eq!(kind("许妈妈从厨房探出头。"), ElementKind::Action);
    assert_eq!(kind("【特写：积木城堡的尖顶】"), ElementKind::Action);
    assert_eq!(kind("【空镜】"), ElementKind::Action);
    assert_eq!(kind("三年前"), ElementKind::Subtitle);
    assert_eq!(kind("小满七岁"), ElementKind::Subtitle);
    assert_eq!(
        kind("本场儿童演员拍摄时长不超过两小时，监护人全程在场。"),
        ElementKind::Note
    );
    assert_eq!(kind("地面铺软垫。"), ElementKind::Note);
    assert_eq!(kind("这里的道具要提前准备"), ElementKind::Note);
    assert_eq!(
        kind("dramalint-disable-next-line zh.extremity.punish -- 剧情需要"),
        ElementKind::Comment
    );
    assert_eq!(kind("这一行是编剧的批注"), ElementKind::Comment);
    assert_eq!(kind("（本集完）"), ElementKind::Transition);
    assert_eq!(kind("（完）"), ElementKind::Transition);
    assert_eq!(s.headed_scenes(), 3);
}

#[test]
fn flashback_blocks() {
    let s = fixture("structure.txt");
    let flash = |w: &str| find(&s, w).flashback;
    assert!(flash("妈妈抱！"));
    assert!(flash("许妈妈抱起小满转圈。"));
    assert!(!flash("小满笑了。"));
    assert!(flash("小满第一次学骑车。"));
    assert!(!flash("本场儿童演员拍摄时长不超过两小时，监护人全程在场。"));
    // A flashback marker right above a heading covers that whole scene, and no further.
    assert!(flash("墙上贴着旧报纸。"));
    assert!(flash("那时候我们住在这里。"));
    assert!(!flash("阳光很好。"));
}

// ---------------------------------------------------------------------------------------------
// Line endings and encodings

#[test]
fn crlf_file() {
    let bytes = fixture_bytes("crlf.txt");
    assert!(bytes.windows(2).any(|w| w == b"\r\n"), "fixture keeps CRLF");
    let s = fixture("crlf.txt");
    assert_eq!(s.headed_scenes(), 2);
    assert_eq!(s.scenes[1].heading.as_deref(), Some("1-1 日 内 许家客厅"));
    let e = find(&s, "妈妈，你看！");
    assert_eq!(e.speaker.as_deref(), Some("小满"));
    assert!(!s.source[e.span.clone()].contains('\r'));
}

#[test]
fn lone_cr_file() {
    let text = "第1集\r1-1 日 内 客厅\r小宝：爹地！\r\r1-2 夜 外 门口\r△下雨了。\r";
    let s = zh(text);
    assert_eq!(s.headed_scenes(), 2);
    assert_eq!(find(&s, "爹地！").speaker.as_deref(), Some("小宝"));
    assert_eq!(find(&s, "下雨了。").kind, ElementKind::Action);
}

#[test]
fn gbk_file() {
    let s = fixture("gbk.txt");
    assert_eq!(s.encoding, "gb18030");
    assert_eq!(s.headed_scenes(), 2);
    assert_eq!(s.scenes[2].place.as_deref(), Some("小区花园"));
    let e = find(&s, "小满，该回家了！");
    assert_eq!(e.speaker.as_deref(), Some("许妈妈"));
    assert_eq!(e.extension.as_deref(), Some("画外音"));
    assert_eq!(find(&s, "一小时后").kind, ElementKind::Subtitle);
}

#[test]
fn utf8_bom_and_utf16() {
    let text = "1-1 日 内 客厅\n小宝：爹地！\n";
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    let s = parse_bytes("a.txt", &bom).expect("decodes");
    check_invariants(&s);
    assert_eq!(s.headed_scenes(), 1);
    let mut u16 = vec![0xFF, 0xFE];
    u16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let s = parse_bytes("a.txt", &u16).expect("decodes");
    check_invariants(&s);
    assert_eq!(s.encoding, "utf-16le");
    assert_eq!(find(&s, "爹地！").speaker.as_deref(), Some("小宝"));
}

// ---------------------------------------------------------------------------------------------
// Robustness

#[test]
fn empty_and_blank_inputs() {
    for t in ["", "\n", "\r\n\r\n", "   \u{3000}\n", "\u{feff}"] {
        let s = zh(t);
        assert_eq!(s.headed_scenes(), 0);
    }
}

#[test]
fn a_line_without_heading_is_scene_zero() {
    // Rule examples are single lines with no heading: they must stay dialogue.
    let s = zh("小宝（5岁）：（冷笑）我要让他们全部跪下求我！");
    assert_eq!(s.scenes.len(), 1);
    let e = &s.scenes[0].elements[0];
    assert_eq!(e.kind, ElementKind::Dialogue);
    assert_eq!(e.speaker.as_deref(), Some("小宝"));
    assert_eq!(text(&s, e), "我要让他们全部跪下求我！");
}

#[test]
fn large_and_pathological_inputs_stay_linear() {
    let block = "1-1 日 内 客厅\n人物：小宝、妈妈\n△小宝在玩。\n小宝（6岁）：（笑）妈妈！\n妈妈：哎。（抱起他）\n\n";
    let big = block.repeat(20_000);
    let t = Instant::now();
    let s = parse_text(big, Format::Zh);
    assert_eq!(s.headed_scenes(), 20_000);
    let long_lines = [
        "（".repeat(200_000),
        "小宝".to_string() + &"（哭".repeat(100_000),
        "【".repeat(100_000),
        "1-1 ".to_string() + &"日 ".repeat(100_000),
        "第".repeat(100_000),
        "：".repeat(100_000),
    ];
    for l in &long_lines {
        parse_text(l.clone(), Format::Zh);
    }
    assert!(
        t.elapsed() < Duration::from_secs(20),
        "took {:?}",
        t.elapsed()
    );
}

/// Pieces of real-looking script lines, glued with random line endings by the properties below.
fn piece() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "1-1 日 内 客厅",
        "第3场 夜 外 学校门口",
        "场景2：医院走廊（日）",
        "20、卫生间 夜 内",
        "内景 客厅 - 夜",
        "**1-1 日 外 操场**",
        "## 1-2 地点-内-日",
        "第1集",
        "【第2集】",
        "# 第1集【1min30s】",
        "人物：小宝、妈妈",
        "小宝（6岁）：（哭）爹地！",
        "小宝、朵朵：好！",
        "林琛（沉声）：走。",
        "霍一天(目露凶光):滚",
        "△小宝跑过来。",
        "【闪回】",
        "【闪回结束】",
        "【闪回】小宝哭了。【闪回结束】",
        "字幕：三年后",
        "【字幕：三年后】",
        "【拍摄备注】连拍",
        "【注：dramalint-disable x -- y】",
        "// 注释",
        "（本集完）",
        "《剧名》",
        "编剧：某某",
        "小宝：",
        "（哭）",
        "爹地！",
        "【",
        "（",
        "：",
        "第",
        "1-",
        "场景",
        "\u{3000}",
        "\u{feff}",
        "\t",
        "小",
        "宝",
        "日",
        "内",
        "闪回",
        "人物：",
        "2-3 凌晨 内外 站 人物：甲、乙",
        "第2集 4-1 日 内 教室",
        "【闪回】2-1 夜 内 旧居",
        "é",
        "😀",
        "a:b",
        "20:30",
    ])
    .prop_map(str::to_string)
}

fn newline() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["\n", "\r\n", "\r", "", " ", "\n\n"]).prop_map(str::to_string)
}

fn script_like() -> impl Strategy<Value = String> {
    prop::collection::vec((piece(), newline()), 0..40)
        .prop_map(|v| v.into_iter().map(|(p, n)| p + &n).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn invariants_on_script_like_text(t in script_like()) {
        zh(&t);
    }

    #[test]
    fn invariants_on_any_unicode(t in any::<String>()) {
        zh(&t);
    }

    #[test]
    fn invariants_on_truncated_fixtures(cut in 0usize..2000, which in 0usize..4) {
        let name = ["headings.txt", "dialogue.txt", "structure.txt", "crlf.txt"][which];
        let bytes = fixture_bytes(name);
        let cut = cut.min(bytes.len());
        // A cut inside a character is decoded lossily: still no panic.
        let t = String::from_utf8_lossy(&bytes[..cut]).into_owned();
        zh(&t);
    }

    #[test]
    fn parse_bytes_never_panics(b in prop::collection::vec(any::<u8>(), 0..400)) {
        // Other formats belong to other parsers: only the decoding path is exercised here.
        let _ = parse_bytes("x.txt", &b);
        if let Ok(d) = decode(&b) {
            zh(&d.text);
        }
    }
}
