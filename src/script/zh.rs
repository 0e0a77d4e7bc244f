//! The Chinese plain-text script layout (中文剧本纯文本格式), as micro-drama writers type it in
//! Word or a text editor: one element a line, scene headings such as `1-1 日 内 客厅` or
//! `第3场 夜 外 学校门口`, episode markers (`第1集`), `人物：` cast lines, `△` action and
//! `小宝（冷笑）：台词` dialogue.
//!
//! The parser works line by line in one pass. Each line is recognised by a small, ordered set of
//! checks (comment, end marker, episode, flashback marker, heading, labelled line such as
//! `字幕：`, marked action, dialogue) and anything left is kept as action, so no text is lost.
//! Recognisers are deliberately strict about what counts as a heading or a speaker, because a
//! false heading splits a scene and a false speaker invents a character.
//!
//! Two speakers on one line (`小宝、朵朵：（齐声）好！`) become one dialogue element per speaker,
//! all sharing the same span and text, so the cast model sees each name as a speaker.

use super::{Element, ElementKind, HeadingParts, Parsed, Scene, Span};
use regex::Regex;
use std::sync::LazyLock;

/// Longest line (in bytes) considered for a heading or an episode marker; longer lines are prose.
const MAX_HEADING_BYTES: usize = 240;
/// Longest heading remainder (after the number) in characters.
const MAX_HEADING_REST_CHARS: usize = 40;

/// Parse a zh script into scenes.
pub fn parse(source: &str) -> Parsed {
    let lines = line_ranges(source);
    let mut b = Builder::new(source);
    let mut i = 0;
    while i < lines.len() {
        i = b.line(&lines, i);
    }
    b.finish()
}

/// Recognise a Chinese scene heading line (`1-1 日 内 客厅`, `第3场 夜 外 学校门口`, …).
/// The line has no line ending; Markdown markers (`#`, `**`) are stripped here too, so the
/// Markdown parser may pass the line with or without them. Ranges are relative to `line`.
pub fn parse_heading(line: &str) -> Option<HeadingParts> {
    // The same first-character test as `can_start_heading`, before stripping markers.
    if !line
        .chars()
        .next()
        .is_some_and(|c| is_ws(c) || matches!(c, '#' | '*') || can_start_heading_char(c))
    {
        return None;
    }
    let (start, end) = strip_markers(line);
    let body = line.get(start..end)?;
    if body.is_empty() || body.len() > MAX_HEADING_BYTES || !can_start_heading(body) {
        return None;
    }
    if is_episode_marker(body) {
        return None;
    }
    let (head_len, cast) = split_cast(body);
    let head = trim_seps_end(&body[..head_len]);
    if head.is_empty() {
        return None;
    }
    let lead = lead(head)?;
    let rest = &head[lead.rest..];
    let fields = heading_fields(rest)?;
    if !accept_heading(&lead, rest, &fields) {
        return None;
    }
    Some(HeadingParts {
        text: start..start + head.len(),
        number: lead.number,
        time: fields.time,
        setting: fields.setting,
        place: fields.place,
        cast: cast.map(|c| start + c.list.start..start + c.list.end),
    })
}

/// A cheap first-character test: headings start with a number, 第/场, a time or a setting.
fn can_start_heading(body: &str) -> bool {
    body.chars().next().is_some_and(can_start_heading_char)
}

fn can_start_heading_char(c: char) -> bool {
    c.is_ascii_digit()
        || ('０'..='９').contains(&c)
        || matches!(c, '第' | '场' | '内' | '外' | '室')
        || is_time_first(c)
}

/// The first characters of [`TIMES`] (a unit test checks the list), so the per-line
/// first-character test is a few compares.
fn is_time_first(c: char) -> bool {
    matches!(
        c,
        '上' | '下'
            | '中'
            | '傍'
            | '凌'
            | '午'
            | '半'
            | '同'
            | '夜'
            | '拂'
            | '日'
            | '早'
            | '昏'
            | '晚'
            | '晨'
            | '次'
            | '正'
            | '深'
            | '清'
            | '白'
            | '翌'
            | '黄'
            | '黎'
    )
}

/// Whether a trimmed line starting with `c` is plain: an action mark, or a common CJK
/// ideograph that no comment, end or cut word, episode marker, flashback start or heading
/// starts with (a unit test checks this against each recogniser's first-character test). Only
/// a flashback end and the body forms can claim such a line, so the other tests are skipped.
fn plain_start(c: char) -> bool {
    matches!(c, '△' | '▲' | '▽' | '▼' | '◆' | '◇')
        || (('\u{4e00}'..='\u{9fff}').contains(&c)
            && !is_time_first(c)
            && !matches!(
                c,
                '完' | '本'
                    | '全'
                    | '剧'
                    | '终'
                    | '未'
                    | '待'
                    | '切'
                    | '转'
                    | '叠'
                    | '淡'
                    | '黑'
                    | '第'
                    | '闪'
                    | '回'
                    | '场'
                    | '内'
                    | '外'
                    | '室'
            ))
}

/// The distinct first characters of a word list.
fn first_chars(words: &[&str]) -> Vec<char> {
    let mut out: Vec<char> = words.iter().filter_map(|w| w.chars().next()).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether some word of a list could equal or prefix `s`, judged by first characters only:
/// a cheap reject before comparing `s` with every word.
fn may_start_word(firsts: &[char], s: &str) -> bool {
    // `first_chars` sorts its list.
    s.chars()
        .next()
        .is_some_and(|c| firsts.binary_search(&c).is_ok())
}

/// Whether a line (markers allowed) is an episode marker: `第1集`, `第一集：标题`, `【第1集】`,
/// `# 第1集【1min30s】`, `《剧名》第五集`. Shared with the Markdown parser.
pub fn is_episode_marker(line: &str) -> bool {
    episode(line).is_some()
}

// ---------------------------------------------------------------------------------------------
// Lines and trimming

/// Line ranges without their line endings; LF, CRLF and lone CR all end a line.
fn line_ranges(src: &str) -> Vec<(usize, usize)> {
    super::lines::ranges(src, 0)
}

/// Whitespace, the ideographic space, a stray BOM and zero-width spaces: `char::is_whitespace`
/// (Unicode White_Space, listed here so the test is a few compares instead of a table lookup;
/// a unit test checks the list against the standard library) plus U+FEFF and U+200B.
fn is_ws(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | ' '
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200b}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
            | '\u{feff}'
    )
}

/// Byte range of `s` without surrounding whitespace, relative to `s`.
fn trim_range(s: &str) -> (usize, usize) {
    let b = s.as_bytes();
    // Most lines start and end with a character whose first byte cannot begin whitespace:
    // answer those on bytes, without the general character test.
    let start = if may_begin_ws(b) {
        s.len() - s.trim_start_matches(is_ws).len()
    } else {
        0
    };
    let end = if may_end_ws(b) {
        s.trim_end_matches(is_ws).len()
    } else {
        s.len()
    };
    (start, end.max(start))
}

/// Whether text may end with an [`is_ws`] character, judged on its last bytes: false is
/// certain. ASCII ends are tested as is; a multi-byte end only when its bytes spell one of the
/// whitespace characters (`C2 85`, `C2 A0`, `E1 9A 80`, `E2 80 80..8B`, `E2 80 A8/A9/AF`,
/// `E2 81 9F`, `E3 80 80`, `EF BB BF`; a lead byte never occurs inside another character).
#[inline]
fn may_end_ws(b: &[u8]) -> bool {
    let n = b.len();
    match b.last() {
        None => false,
        Some(&x) if x < 0x80 => may_start_ws(x),
        Some(_) => {
            (n >= 2 && b[n - 2] == 0xC2 && matches!(b[n - 1], 0x85 | 0xA0))
                || (n >= 3
                    && matches!(
                        (b[n - 3], b[n - 2], b[n - 1]),
                        (0xE1, 0x9A, 0x80)
                            | (0xE2, 0x80, 0x80..=0x8B | 0xA8 | 0xA9 | 0xAF)
                            | (0xE2, 0x81, 0x9F)
                            | (0xE3, 0x80, 0x80)
                            | (0xEF, 0xBB, 0xBF)
                    ))
        }
    }
}

/// Whether text may start with an [`is_ws`] character, judged on its first bytes: false is
/// certain. ASCII starts are tested as is; a multi-byte start only when its bytes spell one
/// of the whitespace characters (so a line starting with `（`, `“` or `【`, whose lead bytes
/// `EF`, `E2`, `E3` also lead whitespace, needs no character-by-character trim).
#[inline]
fn may_begin_ws(b: &[u8]) -> bool {
    match b {
        [] => false,
        [x, ..] if *x < 0x80 => may_start_ws(*x),
        [0xC2, 0x85 | 0xA0, ..]
        | [0xE1, 0x9A, 0x80, ..]
        | [0xE2, 0x80, 0x80..=0x8B | 0xA8 | 0xA9 | 0xAF, ..]
        | [0xE2, 0x81, 0x9F, ..]
        | [0xE3, 0x80, 0x80, ..]
        | [0xEF, 0xBB, 0xBF, ..] => true,
        _ => false,
    }
}

/// `str::trim` (Unicode White_Space), answered on bytes when neither end can be whitespace.
pub(crate) fn std_trim(s: &str) -> &str {
    let b = s.as_bytes();
    match b.first() {
        None => s,
        Some(_) if !may_begin_ws(b) && !may_end_ws(b) => s,
        Some(_) => s.trim(),
    }
}

/// `s` without surrounding whitespace.
fn trim_ws(s: &str) -> &str {
    let (a, b) = trim_range(s);
    &s[a..b]
}

/// Whether a byte may be the first byte of an [`is_ws`] character: ASCII whitespace, or the
/// lead byte of U+0085/U+00A0 (`C2`), U+1680 (`E1`), U+2000..U+205F (`E2`), U+3000 (`E3`) or
/// U+FEFF (`EF`).
fn may_start_ws(x: u8) -> bool {
    matches!(x, b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF | 0x1C..=0x1F)
}

/// Separators between heading fields.
fn is_sep(c: char) -> bool {
    is_ws(c)
        || matches!(
            c,
            '/' | '／'
                | '，'
                | ','
                | '、'
                | '-'
                | '－'
                | '—'
                | '–'
                | '|'
                | '｜'
                | '.'
                | '．'
                | '·'
                | ':'
                | '：'
        )
}

fn trim_seps_end(s: &str) -> &str {
    s.trim_end_matches(|c: char| is_sep(c) || matches!(c, '【' | '[' | '（' | '('))
}

/// Strip Markdown heading `#`s and surrounding `**` from a line; returns the body's range.
fn strip_markers(line: &str) -> (usize, usize) {
    let (mut s, mut e) = trim_range(line);
    let hashes = line[s..e].len() - line[s..e].trim_start_matches('#').len();
    if hashes > 0 && hashes <= 6 {
        s += hashes;
        s += line[s..e].len() - line[s..e].trim_start_matches(is_ws).len();
    }
    if line[s..e].starts_with("**") {
        s += 2;
        if line[s..e].ends_with("**") && e - s >= 2 {
            e -= 2;
        }
    }
    let (ts, te) = trim_range(&line[s..e]);
    (s + ts, s + te)
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

/// Times of day, matched as whole fields.
#[rustfmt::skip]
const TIMES: &[&str] = &[
    "日", "夜", "晨", "晚", "昏", "早", "午", "白天", "日间", "夜间", "夜晚", "晚上", "早上", "早晨", "清晨", "凌晨", "深夜",
    "半夜", "午夜", "中午", "正午", "午后", "上午", "下午", "傍晚", "黄昏", "黎明", "拂晓", "日出", "日落", "晨曦", "夜里", "晚间",
    "日景", "夜景", "次日", "翌日", "同日",
];

/// Interior / exterior, matched as whole fields.
#[rustfmt::skip]
const SETTINGS: &[&str] = &[
    "内", "外", "内外", "外内", "内景", "外景", "内外景", "室内", "室外",
];

fn is_time(s: &str) -> bool {
    TIMES.contains(&s)
}

fn is_setting(s: &str) -> bool {
    SETTINGS.contains(&s)
}

/// `日内`, `夜外`, `内日`: a time and a setting written together.
fn split_combo(s: &str) -> Option<(&str, &str)> {
    let mut cs = s.char_indices();
    let (_, _) = cs.next()?;
    let (mid, _) = cs.next()?;
    if cs.next().is_some() {
        return None;
    }
    let (a, b) = s.split_at(mid);
    if is_time(a) && is_setting(b) {
        Some((a, b))
    } else if is_setting(a) && is_time(b) {
        Some((b, a))
    } else {
        None
    }
}

/// Dialogue extensions: who or how the voice is heard, not a performance direction.
fn is_extension(s: &str) -> bool {
    let s = std_trim(s);
    // Every extension is at most 12 bytes (`内心独白`): upper-case on the stack.
    let mut buf = [0u8; 12];
    let Some(up) = buf.get_mut(..s.len()) else {
        return false;
    };
    up.copy_from_slice(s.as_bytes());
    up.make_ascii_uppercase();
    // Upper-casing ASCII letters keeps the bytes valid UTF-8.
    let Ok(up) = std::str::from_utf8(up) else {
        return false;
    };
    matches!(
        up,
        "OS" | "O.S."
            | "O.S"
            | "VO"
            | "V.O."
            | "V.O"
            | "OFF"
            | "画外音"
            | "画外"
            | "内心OS"
            | "内心"
            | "内心独白"
            | "心声"
            | "独白"
            | "旁白"
            | "电话"
            | "电话中"
            | "电话里"
            | "电话音"
            | "视频"
            | "视频中"
            | "广播"
            | "录音"
            | "对讲机"
    )
}

/// Labels that open a line (`字幕：…`) but never name a speaker.
#[rustfmt::skip]
const NON_SPEAKERS: &[&str] = &[
    "字幕", "人物", "出场", "出场人物", "时间", "地点", "场景", "场次", "备注", "注", "注意", "提示", "说明", "画面", "镜头",
    "特写", "空镜", "闪回", "回忆", "音效", "音乐", "背景", "背景音乐", "编剧", "导演", "出品", "制片", "监制", "剧名", "片名",
    "集数", "内容", "简介", "梗概", "主题", "道具", "服装", "化妆", "转场", "时长", "天气", "环境", "日期", "标题", "类型", "题材",
    "作者", "原著", "版本", "主演", "VO", "OS", "V.O.", "O.S.", "画外音", "画外", "心声", "BGM", "PS",
];

/// Beginnings that mark camera or production text rather than a speaker (`镜头缓缓推近：…`).
#[rustfmt::skip]
const NON_SPEAKER_PREFIXES: &[&str] = &[
    "镜头", "画面", "特写", "近景", "远景", "全景", "中景", "慢镜头", "空镜", "音效", "音乐", "字幕", "时间", "地点", "场景",
    "闪回", "拍摄", "备注", "切到", "切至", "转场", "背景", "BGM",
];

/// What a labelled line is, by its label.
fn label_kind(label: &str, front_matter: bool) -> Option<ElementKind> {
    #[rustfmt::skip]
    const CAST: &[&str] = &[
        "人物", "出场人物", "出场", "登场人物", "登场", "主要人物", "本场人物", "出场角色", "人物表", "人物介绍", "人物小传", "角色介绍",
        "主要角色", "角色表",
    ];
    #[rustfmt::skip]
    const NOTE: &[&str] = &[
        "注", "注意", "注释", "说明", "提示", "制作说明", "拍摄说明", "拍摄提示", "安全提示",
    ];
    #[rustfmt::skip]
    const SYNOPSIS: &[&str] = &[
        "梗概", "故事梗概", "剧情梗概", "本集梗概", "剧情简介", "简介", "内容简介", "故事简介", "内容提要", "前情提要", "本集看点",
    ];
    #[rustfmt::skip]
    const TITLE: &[&str] = &[
        "编剧", "导演", "出品", "出品方", "制片", "制片人", "监制", "剧名", "片名", "作者", "原著", "类型", "题材", "集数",
        "总集数", "时长", "单集时长", "版本", "日期", "主演", "统筹", "策划",
    ];
    // Most labels are speaker names: reject them on the first character before comparing
    // with every listed label.
    static FIRSTS: LazyLock<Vec<char>> =
        LazyLock::new(|| first_chars(&[CAST, NOTE, SYNOPSIS, TITLE].concat()));
    let label = std_trim(label);
    if label.ends_with("字幕") || label == "字幕卡" {
        Some(ElementKind::Subtitle)
    } else if label.ends_with("备注") {
        Some(ElementKind::Note)
    } else if !may_start_word(&FIRSTS, label) {
        None
    } else if NOTE.contains(&label) {
        Some(ElementKind::Note)
    } else if CAST.contains(&label) {
        Some(ElementKind::Cast)
    } else if SYNOPSIS.contains(&label) {
        Some(ElementKind::Synopsis)
    } else if front_matter && TITLE.contains(&label) {
        Some(ElementKind::Title)
    } else {
        None
    }
}

/// Cast-list headers that introduce a block of `名字：介绍` lines in the front matter.
fn opens_cast_block(label: &str) -> bool {
    matches!(
        std_trim(label),
        "人物"
            | "人物表"
            | "人物介绍"
            | "人物小传"
            | "角色介绍"
            | "主要角色"
            | "主要人物"
            | "角色表"
    )
}

// ---------------------------------------------------------------------------------------------
// Numbers

fn is_num_char(c: char) -> bool {
    c.is_ascii_digit()
        || ('０'..='９').contains(&c)
        || matches!(
            c,
            '零' | '〇'
                | '一'
                | '二'
                | '两'
                | '三'
                | '四'
                | '五'
                | '六'
                | '七'
                | '八'
                | '九'
                | '十'
                | '百'
        )
}

/// `12`, `１２`, `十二`, `二十三`, `一百零五` to a number string; `None` if it is not one.
fn number_value(s: &str) -> Option<String> {
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|x| x.is_ascii_digit()) {
        // Plain ASCII digits (almost every heading): no conversion to make.
        let trimmed = s.trim_start_matches('0');
        return Some(if trimmed.is_empty() { "0" } else { trimmed }.to_string());
    }
    if s.chars()
        .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        let ascii: String = s
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                _ => c,
            })
            .collect();
        let trimmed = ascii.trim_start_matches('0');
        return Some(if trimmed.is_empty() { "0" } else { trimmed }.to_string());
    }
    let digit = |c: char| -> Option<u64> {
        match c {
            '零' | '〇' => Some(0),
            '一' => Some(1),
            '二' | '两' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        }
    };
    let (mut total, mut cur) = (0u64, 0u64);
    for c in s.chars() {
        match c {
            '十' => {
                total += cur.max(1) * 10;
                cur = 0;
            }
            '百' => {
                total += cur.max(1) * 100;
                cur = 0;
            }
            _ => cur = cur * 10 + digit(c)?,
        }
    }
    Some((total + cur).to_string())
}

// ---------------------------------------------------------------------------------------------
// Episode markers and end markers

static EPISODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:《[^》]{0,40}》\s*)?[【\[（(]?\s*(?:第\s*[0-9０-９零〇一二两三四五六七八九十百]{1,5}\s*集|(?i:EP|episode)\s*[0-9]{1,4})(?:\s*[】\]）)])?",
    )
    .expect("static regex")
});

/// An episode marker line: its text range (markers stripped) and where the marker itself ends
/// (a heading may follow it on the same line).
fn episode(line: &str) -> Option<(usize, usize, usize)> {
    // After markers and whitespace the body starts with one of the characters checked below:
    // a line starting with anything else cannot match.
    if !line.chars().next().is_some_and(|c| {
        is_ws(c)
            || matches!(
                c,
                '#' | '*' | '《' | '【' | '[' | '（' | '(' | '第' | 'E' | 'e'
            )
    }) {
        return None;
    }
    let (s, e) = strip_markers(line);
    let body = &line[s..e];
    if body.len() > MAX_HEADING_BYTES {
        return None;
    }
    // The pattern can only match from one of these characters (the body is trimmed, and
    // `(?i:EP|episode)` folds only to `E`/`e`): skip the regex for every other line.
    if !body
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '《' | '【' | '[' | '（' | '(' | '第' | 'E' | 'e'))
    {
        return None;
    }
    let m = EPISODE.find(body)?;
    let rest = &body[m.end()..];
    let first = rest.chars().next();
    // `第1集里…` is prose; `第1集完` is an end marker.
    let ok = match first {
        None => true,
        Some(c) => is_sep(c) || matches!(c, '【' | '[' | '（' | '(' | '《' | '*'),
    };
    if !ok || rest.trim_start_matches(is_sep).starts_with('完') {
        return None;
    }
    Some((s, e, s + m.end()))
}

/// Characters trimmed around an end or cut word: whitespace, brackets, dashes, stops.
fn is_end_decoration(c: char) -> bool {
    is_ws(c)
        || matches!(
            c,
            '（' | '('
                | ')'
                | '）'
                | '【'
                | '】'
                | '['
                | ']'
                | '—'
                | '-'
                | '－'
                | '–'
                | '~'
                | '～'
                | '。'
                | '！'
                | '!'
                | '·'
                | '…'
                | '*'
        )
}

/// First characters of the end and cut words of [`is_end_or_cut`] (`第` for `第1集完`).
const END_FIRSTS: &[char] = &[
    '完', '本', '全', '剧', '终', '未', '待', '切', '转', '叠', '淡', '黑', 'C', 'F', '第',
];

/// `（本集完）`, `（完）`, `【第一集完】`, `——完——`, `未完待续`, and cut words such as `切至：`.
fn is_end_or_cut(line: &str) -> bool {
    // When the first character is not trimmed away, the core starts with it: it must then be
    // the first character of one of the words below.
    match line.chars().next() {
        None => return false,
        Some(c) if !is_end_decoration(c) && !END_FIRSTS.contains(&c) => return false,
        _ => {}
    }
    let core = line
        .trim_matches(is_end_decoration)
        .trim_end_matches([':', '：']);
    if matches!(
        core,
        "完" | "本集完"
            | "全剧终"
            | "全剧完"
            | "全集完"
            | "剧终"
            | "终"
            | "未完待续"
            | "待续"
            | "切至"
            | "切到"
            | "转场"
            | "叠化"
            | "淡入"
            | "淡出"
            | "黑屏"
            | "黑场"
            | "切"
            | "CUT TO"
            | "FADE OUT"
            | "FADE IN"
    ) {
        return true;
    }
    // `第一集完`, `第1集终`
    core.strip_prefix('第')
        .and_then(|r| r.strip_suffix('完').or_else(|| r.strip_suffix('终')))
        .and_then(|r| r.strip_suffix('集'))
        .is_some_and(|n| !n.is_empty() && n.chars().all(is_num_char))
}

// ---------------------------------------------------------------------------------------------
// Flashback markers

#[rustfmt::skip]
const FLASH_START: &[&str] = &[
    "【闪回】", "【闪回开始】", "【回忆】", "【回忆开始】", "[闪回]", "（闪回）", "(闪回)", "（回忆）", "(回忆)", "闪回：", "闪回:",
    "回忆：", "回忆:", "闪回开始", "闪回",
];
#[rustfmt::skip]
const FLASH_END: &[&str] = &[
    "【闪回结束】", "【回忆结束】", "【闪回完】", "【回到现实】", "[闪回结束]", "（闪回结束）", "(闪回结束)", "（回忆结束）", "(回忆结束)",
    "闪回结束", "回忆结束", "回到现实",
];

/// Length of a flashback-start marker at the start of the line. Bare `闪回`/`回忆` (without
/// brackets or colon) only counts as the whole line, so `回忆起往事…` stays prose.
fn flash_start(t: &str) -> Option<usize> {
    // Every marker starts with a bracket, `闪` or `回`.
    if !t
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '【' | '[' | '（' | '(' | '闪' | '回'))
    {
        return None;
    }
    let core = t.trim_end_matches(['。', '.']);
    if matches!(core, "闪回" | "回忆" | "闪回开始" | "回忆开始") {
        return Some(t.len());
    }
    FLASH_START
        .iter()
        .filter(|m| m.starts_with(['【', '[', '（', '(']) || m.ends_with([':', '：']))
        .find(|m| t.starts_with(**m))
        .map(|m| m.len())
}

/// Start of a flashback-end marker at the end of the line. Bracketed markers may close a line of
/// text; bare ones (`闪回结束`) must be the whole line, so prose ending in `回到现实` stays prose.
fn flash_end(t: &str) -> Option<usize> {
    // Every marker ends with a bracket, `束` or `实`, whose last bytes are `91`, `]`, `89`, `)`,
    // `9F` and `9E`, before trailing stops (`。` ends in `82`, `！` in `81`): other lines stop here.
    if !matches!(
        t.as_bytes().last(),
        Some(0x91 | b']' | 0x89 | b')' | 0x9F | 0x9E | 0x82 | b'.' | 0x81)
    ) {
        return None;
    }
    let core = t.trim_end_matches(['。', '.', '！']);
    if !core
        .chars()
        .next_back()
        .is_some_and(|c| matches!(c, '】' | ']' | '）' | ')' | '束' | '实'))
    {
        return None;
    }
    FLASH_END
        .iter()
        .find(|m| core.ends_with(**m))
        .map(|m| core.len() - m.len())
        .filter(|&at| at == 0 || core[at..].starts_with(['【', '[', '（', '(']))
}

// ---------------------------------------------------------------------------------------------
// Headings

/// The number part of a heading and where the rest starts.
struct Lead {
    number: Option<String>,
    kind: LeadKind,
    rest: usize,
}

#[derive(PartialEq, Eq)]
enum LeadKind {
    /// `第3场`, `场景2`, `1-1场景`: the scene keyword is there.
    Keyword,
    /// `1-1`, `3-12`.
    Dashed,
    /// `20、`, `12.`
    Bare,
    /// No number: `内景 客厅 - 夜`, `日 内 客厅`.
    None,
}

fn take_while(s: &str, f: impl Fn(char) -> bool) -> usize {
    s.len() - s.trim_start_matches(f).len()
}

/// Length of the leading whitespace, answered from the first byte when it cannot start any.
fn ws_prefix(s: &str) -> usize {
    if may_begin_ws(s.as_bytes()) {
        take_while(s, is_ws)
    } else {
        0
    }
}

/// Is the character after a heading number a fit boundary (not `第3场比赛`)?
fn boundary_ok(rest: &str) -> bool {
    rest.chars()
        .next()
        .is_none_or(|c| is_sep(c) || matches!(c, '（' | '(' | '【' | '['))
}

/// Scene keyword right after a number (`1-1场景`, `3场`): its length.
fn keyword_after(s: &str) -> usize {
    ["场景", "场次", "场"]
        .iter()
        .find(|k| s.starts_with(**k))
        .map_or(0, |k| k.len())
}

fn lead(head: &str) -> Option<Lead> {
    // 第3场 / 第一场 / 第3场次
    if let Some(r) = head.strip_prefix('第') {
        let ws = take_while(r, is_ws);
        let n = take_while(&r[ws..], is_num_char);
        let after = &r[ws + n..];
        let ws2 = take_while(after, is_ws);
        let kw = keyword_after(&after[ws2..]);
        if n == 0 || kw == 0 {
            return None;
        }
        let rest = '第'.len_utf8() + ws + n + ws2 + kw;
        let rest = rest
            + head[rest..]
                .strip_prefix('次')
                .map_or(0, |_| '次'.len_utf8());
        return boundary_ok(&head[rest..]).then(|| Lead {
            number: number_value(&r[ws..ws + n]),
            kind: LeadKind::Keyword,
            rest,
        });
    }
    // 场景2 / 场次2 / 场景：
    for kw in ["场景", "场次"] {
        if let Some(r) = head.strip_prefix(kw) {
            let ws = take_while(r, is_ws);
            let n = take_while(&r[ws..], is_num_char);
            let rest = kw.len() + ws + n;
            return boundary_ok(&head[rest..]).then(|| Lead {
                number: number_value(&r[ws..ws + n]),
                kind: LeadKind::Keyword,
                rest,
            });
        }
    }
    let digits = take_while(head, |c| c.is_ascii_digit() || ('０'..='９').contains(&c));
    if digits == 0 {
        return Some(Lead {
            number: None,
            kind: LeadKind::None,
            rest: 0,
        });
    }
    if digits > 4 {
        return None;
    }
    // 1-1, 1-12, 2—3
    let mut end = digits;
    let mut dashed = false;
    while let Some(c) = head[end..]
        .chars()
        .next()
        .filter(|c| matches!(*c, '-' | '－' | '—' | '–'))
    {
        let more = take_while(&head[end + c.len_utf8()..], |c| {
            c.is_ascii_digit() || ('０'..='９').contains(&c)
        });
        if more == 0 {
            break;
        }
        end += c.len_utf8() + more;
        dashed = true;
    }
    let kw = keyword_after(&head[end..]);
    let rest = end + kw;
    // `1.5倍`, `3个小时后` are prose.
    if head[rest..]
        .strip_prefix(['.', '．'])
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    {
        return None;
    }
    if !boundary_ok(&head[rest..]) {
        return None;
    }
    let kind = if kw > 0 {
        LeadKind::Keyword
    } else if dashed {
        LeadKind::Dashed
    } else {
        LeadKind::Bare
    };
    let number = if dashed {
        // `１－２` → `1-2`: the number is an identifier, written one way.
        let parts: Vec<String> = head[..end]
            .split(['-', '－', '—', '–'])
            .map(|p| number_value(p).unwrap_or_default())
            .collect();
        Some(parts.join("-"))
    } else {
        number_value(&head[..end])
    };
    Some(Lead { number, kind, rest })
}

/// Time, setting and place read from the part of a heading after its number.
#[derive(Default)]
struct Fields {
    time: Option<String>,
    setting: Option<String>,
    place: Option<String>,
    /// Place fields, to judge how prose-like the heading is.
    place_fields: usize,
    /// The first field was a time or setting.
    first_is_marker: bool,
    /// The first field was 内景/外景/室内/室外.
    first_is_scene_word: bool,
    has_comma: bool,
}

/// Characters that mark a sentence, not a heading.
fn has_sentence_punct(s: &str) -> bool {
    s.contains(|c: char| {
        matches!(
            c,
            '。' | '！'
                | '？'
                | '!'
                | '?'
                | '；'
                | ';'
                | '…'
                | '“'
                | '”'
                | '"'
                | '「'
                | '」'
                | '：'
                | ':'
        )
    })
}

fn heading_fields(rest: &str) -> Option<Fields> {
    let rest = rest.trim_start_matches(|c: char| is_sep(c) && c != '·');
    if rest.chars().count() > MAX_HEADING_REST_CHARS || has_sentence_punct(rest) {
        return None;
    }
    let mut f = Fields {
        has_comma: rest.contains(['，', ',']),
        ..Fields::default()
    };
    // The place fields joined by spaces, built in place (never longer than `rest`).
    let cap = rest.len();
    let mut place: Option<String> = None;
    let mut first = true;
    let (rest, tail, n_tail) = split_marker_parens(rest);
    for tok in fields_of(rest).chain(tail.into_iter().take(n_tail)) {
        let marker = note_marker(&mut f, tok);
        if first {
            f.first_is_marker = marker;
            f.first_is_scene_word = matches!(tok, "内景" | "外景" | "室内" | "室外");
            first = false;
        }
        if !marker {
            let p = place.get_or_insert_with(|| String::with_capacity(cap));
            if f.place_fields > 0 {
                p.push(' ');
            }
            p.push_str(tok);
            f.place_fields += 1;
        }
    }
    f.place = place;
    Some(f)
}

/// Record a time/setting field; false if the field is a place.
fn note_marker(f: &mut Fields, tok: &str) -> bool {
    let (time, setting) = if is_time(tok) {
        (Some(tok), None)
    } else if is_setting(tok) {
        (None, Some(tok))
    } else if let Some((t, s)) = split_combo(tok) {
        (Some(t), Some(s))
    } else if is_marker_paren(tok) {
        // `（日）`, `（夜/内）`
        for t in paren_inner(tok)
            .unwrap_or("")
            .split(is_sep)
            .filter(|s| !s.is_empty())
        {
            note_marker(f, t);
        }
        return true;
    } else {
        return false;
    };
    if let Some(t) = time {
        f.time.get_or_insert_with(|| t.to_string());
    }
    if let Some(s) = setting {
        f.setting.get_or_insert_with(|| s.to_string());
    }
    true
}

/// `（日）` → `日`.
fn paren_inner(tok: &str) -> Option<&str> {
    tok.strip_prefix(['（', '('])
        .and_then(|t| t.strip_suffix(['）', ')']))
}

/// Is this `（…）` group made only of times and settings (`（日）`, `（夜/内）`)?
fn is_marker_paren(group: &str) -> bool {
    paren_inner(group).is_some_and(|i| {
        let mut fields = i.split(is_sep).filter(|s| !s.is_empty()).peekable();
        fields.peek().is_some()
            && fields.all(|t| is_time(t) || is_setting(t) || split_combo(t).is_some())
    })
}

/// Cut trailing `（日）` / `（夜/内）` groups (and `【1min】` durations) off a heading remainder.
/// Returns the remainder and the marker groups (the first `n` of the array, last group first),
/// which are fields of their own.
fn split_marker_parens(rest: &str) -> (&str, [&str; 4], usize) {
    let mut rest = rest.trim_end_matches(is_ws);
    let mut groups = [""; 4];
    let mut n = 0;
    // A handful of groups at most; the bound keeps odd input linear.
    for _ in 0..4 {
        if rest.ends_with('】')
            && let Some(open) = rest.rfind('【')
        {
            rest = rest[..open].trim_end_matches(is_ws);
            continue;
        }
        if rest.ends_with(['）', ')'])
            && let Some(open) = rest.rfind(['（', '('])
            && is_marker_paren(&rest[open..])
        {
            groups[n] = &rest[open..];
            n += 1;
            rest = rest[..open].trim_end_matches(is_ws);
            continue;
        }
        break;
    }
    (rest, groups, n)
}

/// Split a heading remainder into fields at separators (`·` and `.` belong to place names).
fn fields_of(rest: &str) -> impl Iterator<Item = &str> {
    rest.split(|c: char| is_sep(c) && c != '·' && c != '.' && c != '．')
        .filter(|p| !p.is_empty())
}

fn accept_heading(lead: &Lead, rest: &str, f: &Fields) -> bool {
    let marker = f.time.is_some() || f.setting.is_some();
    let both = f.time.is_some() && f.setting.is_some();
    match lead.kind {
        LeadKind::Keyword | LeadKind::Dashed => true,
        LeadKind::Bare => both || (marker && !f.has_comma),
        LeadKind::None => {
            !rest.is_empty()
                && f.first_is_marker
                && f.place_fields <= 2
                && !f.has_comma
                && (both || f.first_is_scene_word)
        }
    }
}

/// A cast list written on the heading line: where its label starts and the list itself.
struct HeadCast {
    list: Span,
}

/// Find `人物：…` on a heading line. Returns the heading's length and the cast list, if any.
fn split_cast(body: &str) -> (usize, Option<HeadCast>) {
    // Every label must be followed by a colon: most headings have none.
    if find_colon(body).is_none() {
        return (body.len(), None);
    }
    let found = ["出场人物", "登场人物", "人物", "出场"]
        .iter()
        .filter_map(|l| {
            let at = body.find(l)?;
            let after = &body[at + l.len()..];
            let colon = after.chars().next().filter(|c| matches!(c, '：' | ':'))?;
            Some((at, at + l.len() + colon.len_utf8()))
        })
        .min_by_key(|(at, _)| *at);
    let Some((at, list_start)) = found else {
        return (body.len(), None);
    };
    if at == 0 {
        return (body.len(), None);
    }
    let list = body[list_start..]
        .trim_end_matches(|c: char| is_ws(c) || matches!(c, '】' | ']' | '）' | ')'));
    let (ls, le) = trim_range(list);
    (
        at,
        Some(HeadCast {
            list: list_start + ls..list_start + le,
        }),
    )
}

// ---------------------------------------------------------------------------------------------
// Labelled lines: 字幕：… 【拍摄备注】… 人物：…

/// A labelled line: label, and the text after it (relative ranges).
struct Labelled<'a> {
    label: &'a str,
    text: (usize, usize),
    bracketed: bool,
}

/// The first `：` or `:` in `s`, found on bytes (`：` is `EF BC 9A`, and UTF-8 sequences never
/// start inside another character).
fn find_colon(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    // memchr for `:` and `：`'s last byte `9A`; a `9A` ends a `：` when `EF BC` precede it.
    // (No `:` can sit inside a `：`, so the first hit is the first colon.)
    memchr::memchr2_iter(b':', 0x9A, b).find_map(|i| {
        if b[i] == b':' {
            Some(i)
        } else {
            (i >= 2 && b[i - 2] == 0xEF && b[i - 1] == 0xBC).then(|| i - 2)
        }
    })
}

/// The first `(` or `（` (`EF BC 88`) in `s`.
fn bracket_pos(s: &str) -> Option<usize> {
    // Labels are short: a byte loop beats a memchr call.
    let b = s.as_bytes();
    (0..b.len()).find(|&i| b[i] == b'(' || b[i..].starts_with(&[0xEF, 0xBC, 0x88]))
}

fn labelled(t: &str) -> Option<Labelled<'_>> {
    if let Some(open) = ['【', '[', '（', '(']
        .into_iter()
        .find(|c| t.starts_with(*c))
    {
        let close_char = match open {
            '【' => '】',
            '[' => ']',
            '（' => '）',
            _ => ')',
        };
        let close = t.find(close_char)?;
        let inner_start = open.len_utf8();
        let inner = &t[inner_start..close];
        let after = close + close_char.len_utf8();
        if let Some(colon) = find_colon(inner) {
            let clen = inner[colon..].chars().next().map_or(1, char::len_utf8);
            let label = &inner[..colon];
            let cs = inner_start + colon + clen;
            // Text runs to the closing bracket, or on to the line end if more follows it.
            let end = if t[after..].trim_matches(is_ws).is_empty() {
                close
            } else {
                t.len()
            };
            let (s, e) = trim_range(&t[cs..end]);
            return Some(Labelled {
                label,
                text: (cs + s, cs + e),
                bracketed: true,
            });
        }
        let (s, e) = trim_range(&t[after..]);
        let text = if s == e {
            (inner_start, close)
        } else {
            (after + s, after + e)
        };
        return Some(Labelled {
            label: inner,
            text,
            bracketed: true,
        });
    }
    let colon = find_colon(t)?;
    // `字幕（黑底白字）：…`: the label is the word before the bracket.
    let label = &t[..colon];
    // More than 32 bytes is more than 8 characters, whatever the brackets.
    let label = &label[..bracket_pos(label).unwrap_or(label.len())];
    if label.len() > 32 || label.chars().count() > 8 {
        return None;
    }
    let clen = t[colon..].chars().next().map_or(1, char::len_utf8);
    let (s, e) = trim_range(&t[colon + clen..]);
    Some(Labelled {
        label,
        text: (colon + clen + s, colon + clen + e),
        bracketed: false,
    })
}

// ---------------------------------------------------------------------------------------------
// Dialogue

/// A dialogue line: speakers, extension, parentheticals and the spoken words (relative ranges).
#[derive(Debug)]
struct Cue<'a> {
    /// The speaker names as written (`小宝、朵朵`), split by [`speaker_names`].
    names: &'a str,
    extension: Option<String>,
    parens: Vec<(usize, usize)>,
    text: (usize, usize),
}

/// The matching close bracket for an open bracket at `at`; returns (inner range, end).
fn bracket_at(t: &str, at: usize) -> Option<((usize, usize), usize)> {
    // On bytes: `（` is `EF BC 88` and `）` is `EF BC 89`.
    let b = t.as_bytes();
    let inner_start = match b.get(at..)? {
        [b'(', ..] => at + 1,
        [0xEF, 0xBC, 0x88, ..] => at + 3,
        _ => return None,
    };
    // Parentheticals are short; a lone bracket must not make us scan the whole line: the close
    // must be among the next 40 characters.
    let mut i = inner_start;
    for _ in 0..40 {
        match b.get(i..)? {
            [b')', ..] => return Some(((inner_start, i), i + 1)),
            [0xEF, 0xBC, 0x89, ..] => return Some(((inner_start, i), i + 3)),
            [x, ..] => i += utf8_len(*x),
            [] => return None,
        }
    }
    None
}

/// The length of the UTF-8 sequence a lead byte starts.
fn utf8_len(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0x80..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// `6岁`, `六岁`, `6岁，林墨琛的儿子`, `5个月`: an age note in a cue.
fn is_age(inner: &str) -> bool {
    static AGE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(?:[0-9０-９]{1,3}|[一二两三四五六七八九十]{1,3})\s*(?:周岁|岁|个月)")
            .expect("static regex")
    });
    // The pattern starts with optional whitespace and then a digit or a Chinese numeral.
    let first = inner.trim_start().chars().next();
    if !first.is_some_and(|c| {
        c.is_ascii_digit()
            || ('０'..='９').contains(&c)
            || matches!(
                c,
                '一' | '二' | '两' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
            )
    }) {
        return false;
    }
    AGE.is_match(inner)
}

fn valid_speaker(name: &str) -> bool {
    let ascii = name.is_ascii();
    // At most 20 ASCII or 8 other characters; every character is at most 4 bytes.
    if name.is_empty() || (ascii && name.len() > 20) || (!ascii && name.len() > 32) {
        return false;
    }
    if name.starts_with(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c)) {
        return false;
    }
    // One pass: the length in characters, the allowed characters, and the particles that mark
    // prose with a colon (`他笑着说：`, `妈妈对小宝说：`).
    let mut n = 0;
    let mut particle = false;
    for c in name.chars() {
        n += 1;
        if !(is_alnum(c)
            || matches!(c, '·' | '•' | '・' | '.' | '_' | '\'' | '-')
            || (ascii && c == ' '))
        {
            return false;
        }
        particle |= matches!(c, '的' | '了' | '着' | '把' | '被');
    }
    if !ascii && n > 8 {
        return false;
    }
    static FIRSTS: LazyLock<Vec<char>> =
        LazyLock::new(|| first_chars(&[NON_SPEAKERS, NON_SPEAKER_PREFIXES].concat()));
    if may_start_word(&FIRSTS, name)
        && (NON_SPEAKERS.contains(&name)
            || NON_SPEAKER_PREFIXES.iter().any(|p| name.starts_with(p)))
    {
        return false;
    }
    if particle {
        return false;
    }
    let ends_with_verb = name.ends_with(['说', '道', '问', '喊', '叫', '答', '吼', '骂', '笑']);
    !(n >= 3 && ends_with_verb)
}

/// `char::is_alphanumeric` with the common CJK block (all letters) answered without a table
/// lookup.
fn is_alnum(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || c.is_alphanumeric()
}

/// Split `小宝OS` / `小宝 VO` into name and extension.
fn split_name_extension(name: &str) -> (&str, Option<&str>) {
    // Every extension ends in `.`, `S` or `O` (either case).
    if !matches!(
        name.as_bytes().last(),
        Some(b'.' | b'S' | b'O' | b's' | b'o')
    ) {
        return (name, None);
    }
    for ext in ["V.O.", "O.S.", "OS", "VO", "os", "vo"] {
        if let Some(base) = name.strip_suffix(ext) {
            let base = base.trim_end_matches(is_ws);
            if !base.is_empty() && !base.is_ascii() {
                return (base, Some(&name[name.len() - ext.len()..]));
            }
        }
    }
    (name, None)
}

/// Names split at `、 & ＆ / ／` and trimmed. A name without any of their bytes (`、` is
/// `E3 80 81`, `＆` `EF BC 86`, `／` `EF BC 8F`) is one name, taken without the splitter.
fn speaker_names(base: &str) -> impl Iterator<Item = &str> {
    let several = base
        .bytes()
        .any(|x| matches!(x, b'&' | b'/' | 0x81 | 0x86 | 0x8F));
    let (one, many) = if several {
        (
            None,
            Some(base.split(['、', '&', '＆', '/', '／']).map(trim_ws)),
        )
    } else {
        (Some(trim_ws(base)), None)
    };
    one.into_iter().chain(many.into_iter().flatten())
}

fn parse_dialogue(t: &str) -> Option<Cue<'_>> {
    let mut pos = 0;
    let bold = t.starts_with("**");
    if bold {
        pos = 2;
    }
    // The name runs to the first bracket or colon, within a short window.
    let name_len = t[pos..]
        .char_indices()
        .take(24)
        .find(|(_, c)| matches!(c, '（' | '(' | '：' | ':' | '*'))
        .map(|(i, _)| i)?;
    let raw_name = trim_ws(&t[pos..pos + name_len]);
    pos += name_len;
    let mut pre_parens = Vec::new();
    // Parentheticals and `**` before the colon.
    loop {
        pos += ws_prefix(&t[pos..]);
        if t[pos..].starts_with("**") {
            pos += 2;
            continue;
        }
        if let Some((inner, end)) = bracket_at(t, pos) {
            pre_parens.push(inner);
            pos = end;
            continue;
        }
        break;
    }
    let colon = t[pos..]
        .chars()
        .next()
        .filter(|c| matches!(c, '：' | ':'))?;
    if colon == ':' {
        // `20:30` is a clock time.
        let before = t[..pos].chars().next_back();
        let after = t[pos + 1..].chars().next();
        if before.is_some_and(|c| c.is_ascii_digit()) && after.is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
    }
    pos += colon.len_utf8();
    if pos < t.len() && t[pos..].starts_with("**") && bold {
        pos += 2;
    }

    let (base, mut extension) = split_name_extension(raw_name);
    // Validate before allocating: most lines with a colon are not dialogue.
    if !speaker_names(base).all(valid_speaker) {
        return None;
    }

    let mut parens = Vec::new();
    let mut note_paren = |inner: (usize, usize), ext: &mut Option<String>| {
        let s = trim_ws(&t[inner.0..inner.1]);
        if is_age(s) {
            return;
        }
        if is_extension(s) && ext.is_none() {
            *ext = Some(s.to_string());
            return;
        }
        parens.push(inner);
    };
    let mut ext = extension.take().map(str::to_string);
    for p in pre_parens {
        note_paren(p, &mut ext);
    }
    // Parentheticals right after the colon.
    loop {
        pos += ws_prefix(&t[pos..]);
        if let Some((inner, end)) = bracket_at(t, pos) {
            note_paren(inner, &mut ext);
            pos = end;
            continue;
        }
        break;
    }
    let (s, e) = trim_range(&t[pos..]);
    let (mut ts, mut te) = (pos + s, pos + e);
    // `“台词”`: the words are inside the quotes.
    let words = &t[ts..te];
    // Every opening quote starts with `"` or the byte `E2` (`“`) or `E3` (`「『`).
    let quoted = matches!(words.as_bytes().first(), Some(b'"' | 0xE2 | 0xE3));
    for (open, close) in [('“', '”'), ('"', '"'), ('「', '」'), ('『', '』')] {
        if quoted
            && words.len() >= open.len_utf8() + close.len_utf8()
            && words.starts_with(open)
            && words.ends_with(close)
            && !words[open.len_utf8()..words.len() - close.len_utf8()].contains([open, close])
        {
            ts += open.len_utf8();
            te -= close.len_utf8();
            break;
        }
    }
    // Directions inside the words (`不吃了。（掏出手机）喂…`) are parentheticals too.
    parens.extend(inline_parens(t, ts, te));
    Some(Cue {
        names: base,
        extension: ext,
        parens,
        text: (ts, te),
    })
}

/// Bracketed runs inside a range, found in one pass over the bytes (`（` is `EF BC 88`, `）`
/// `EF BC 89`; UTF-8 sequences never start inside another character).
fn inline_parens(t: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let b = &t.as_bytes()[..end];
    // Only `(`, `)` and the lead byte `EF` of `（）` matter: memchr jumps between them.
    for i in memchr::memchr3_iter(b'(', b')', 0xEF, b.get(start..).unwrap_or_default()) {
        let i = start + i;
        match b[i] {
            b'(' => open = Some(i + 1),
            b')' => {
                if let Some(o) = open.take() {
                    out.push((o, i));
                }
            }
            _ if b.get(i + 1) == Some(&0xBC) => match b.get(i + 2) {
                Some(0x88) => open = Some(i + 3),
                Some(0x89) => {
                    if let Some(o) = open.take() {
                        out.push((o, i));
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Building scenes

struct Builder<'a> {
    src: &'a str,
    scenes: Vec<Scene>,
    /// Inside a `【闪回】…【闪回结束】` block.
    flashback: bool,
    /// The flashback block has had content (else it carries over a heading that follows it).
    flash_content: bool,
    /// The current scene's heading says it is a flashback.
    scene_flashback: bool,
    /// In the front matter after `人物介绍：`: `名字：介绍` lines are cast entries.
    cast_block: bool,
    /// A heading or an episode marker has been seen.
    structured: bool,
}

impl<'a> Builder<'a> {
    fn new(src: &'a str) -> Self {
        Builder {
            src,
            scenes: vec![Scene {
                index: 0,
                span: 0..0,
                ..Scene::default()
            }],
            flashback: false,
            flash_content: false,
            scene_flashback: false,
            cast_block: false,
            structured: false,
        }
    }

    fn finish(mut self) -> Parsed {
        let n = self.scenes.len();
        for i in 0..n {
            let end = if i + 1 < n {
                self.scenes[i + 1].span.start
            } else {
                self.src.len()
            };
            self.scenes[i].span.end = end.max(self.scenes[i].span.start);
        }
        Parsed {
            scenes: self.scenes,
            declared: Vec::new(),
        }
    }

    fn push(&mut self, mut el: Element) {
        el.flashback = self.flashback || self.scene_flashback;
        if self.flashback && el.kind != ElementKind::Transition {
            self.flash_content = true;
        }
        if let Some(scene) = self.scenes.last_mut() {
            scene.elements.push(el);
        }
    }

    fn push_kind(&mut self, kind: ElementKind, span: Span, text: Span) {
        self.push(Element::with_text(kind, span, text));
    }

    /// Handle line `i`; returns the index of the next line to read.
    fn line(&mut self, lines: &[(usize, usize)], i: usize) -> usize {
        let (ls, le) = lines[i];
        let raw = &self.src[ls..le];
        let (s, e) = trim_range(raw);
        if s == e {
            return i + 1;
        }
        let base = ls + s;
        let t = &self.src[base..ls + e];
        self.classify(t, base, ls, Some((lines, i)))
    }

    /// Classify a trimmed line `t` at `base`. `line_start` is the raw line's start (scene spans
    /// start there). `ctx` is given for whole lines, so dialogue may absorb following lines.
    fn classify(
        &mut self,
        t: &str,
        base: usize,
        line_start: usize,
        ctx: Option<(&[(usize, usize)], usize)>,
    ) -> usize {
        let next = ctx.map_or(0, |(_, i)| i + 1);
        if t.chars().next().is_some_and(plain_start) {
            if self.flash_marker(t, base, line_start) {
                return next;
            }
            return self.body(t, base, ctx);
        }
        let whole = base..base + t.len();
        let at = |r: (usize, usize)| base + r.0..base + r.1;
        if let Some(rest) = t.strip_prefix("//") {
            let (s, e) = trim_range(rest);
            self.push_kind(ElementKind::Comment, whole, at((2 + s, 2 + e)));
            return next;
        }
        if is_end_or_cut(t) {
            self.push_kind(ElementKind::Transition, whole.clone(), whole);
            return next;
        }
        if let Some(ep) = episode(t) {
            self.episode(t, base, line_start, ep);
            return next;
        }
        if self.flash_marker(t, base, line_start) {
            return next;
        }
        if let Some(parts) = parse_heading(t) {
            self.heading(t, base, line_start, parts, false);
            return next;
        }
        self.body(t, base, ctx)
    }

    fn episode(
        &mut self,
        t: &str,
        base: usize,
        line_start: usize,
        (s, e, m): (usize, usize, usize),
    ) {
        self.structured = true;
        self.cast_block = false;
        self.flashback = false;
        // `第1集 1-1 日 内 客厅`: the scene starts on this line, the marker is its first element.
        let rest = &t[m..];
        let skip = take_while(rest, |c| {
            is_sep(c) || matches!(c, '【' | '】' | '[' | ']' | '（' | '）' | '(' | ')')
        });
        let (_, re) = trim_range(rest);
        if skip < re {
            let rt = &rest[skip..re];
            if let Some(parts) = parse_heading(rt) {
                self.heading(rt, base + m + skip, line_start, parts, false);
                let marker = base..base + m + skip;
                self.push_kind(ElementKind::Section, marker, base + s..base + m);
                return;
            }
        }
        let whole = base..base + t.len();
        self.push_kind(ElementKind::Section, whole, base + s..base + e);
    }

    /// Flashback start/end markers; true if the line was consumed.
    fn flash_marker(&mut self, t: &str, base: usize, line_start: usize) -> bool {
        if let Some(len) = flash_start(t) {
            let marker = base..base + len;
            let rest = &t[len..];
            let (s, e) = trim_range(rest);
            let (rbase, rt) = (base + len + s, &rest[s..e]);
            if let Some(parts) = parse_heading(rt).filter(|_| s < e) {
                // `【闪回】2-3 夜 内 孤儿院`: the whole scene is the flashback.
                self.heading(rt, rbase, line_start, parts, true);
                self.push_kind(ElementKind::Transition, marker.clone(), marker);
                return true;
            }
            self.flashback = true;
            self.flash_content = false;
            self.push_kind(ElementKind::Transition, marker.clone(), marker);
            if s < e {
                self.classify(rt, rbase, line_start, None);
            }
            return true;
        }
        if let Some(at) = flash_end(t) {
            let (s, e) = trim_range(&t[..at]);
            if s < e {
                self.classify(&t[s..e], base + s, line_start, None);
            }
            let marker = base + at..base + t.len();
            self.push_kind(ElementKind::Transition, marker.clone(), marker);
            self.flashback = false;
            return true;
        }
        false
    }

    fn heading(
        &mut self,
        t: &str,
        base: usize,
        line_start: usize,
        parts: HeadingParts,
        flash: bool,
    ) {
        self.structured = true;
        self.cast_block = false;
        // An empty flashback block just before the heading covers this scene.
        if self.flashback && self.flash_content {
            self.flashback = false;
        }
        let heading = t.get(parts.text.clone()).unwrap_or("").to_string();
        self.scene_flashback = flash || heading.contains("闪回") || heading.contains("回忆");
        let index = self.scenes.len();
        // Elements already taken from this line (`【闪回】第2集 …`) belong to the new scene.
        let mut moved = match self.scenes.last_mut() {
            Some(prev) => {
                let keep = prev
                    .elements
                    .iter()
                    .position(|e| e.span.start >= line_start)
                    .unwrap_or(prev.elements.len());
                prev.elements.split_off(keep)
            }
            None => Vec::new(),
        };
        // Room for a typical scene's elements, so pushing them seldom reallocates.
        moved.reserve(16);
        self.scenes.push(Scene {
            index,
            heading: Some(heading),
            heading_span: Some(base..base + t.len()),
            number: parts.number,
            time: parts.time,
            setting: parts.setting,
            place: parts.place,
            span: line_start..line_start,
            elements: moved,
        });
        if let Some(list) = parts.cast {
            // The element covers the `人物：` label too.
            let label = t[parts.text.end..list.start]
                .find(['人', '出', '登'])
                .map_or(list.start, |p| parts.text.end + p);
            let end = t.len();
            self.push_kind(
                ElementKind::Cast,
                base + label..base + end,
                base + list.start..base + list.end,
            );
        }
    }

    /// Everything that is not structure: labels, action, dialogue, prose.
    fn body(&mut self, t: &str, base: usize, ctx: Option<(&[(usize, usize)], usize)>) -> usize {
        let next = ctx.map_or(0, |(_, i)| i + 1);
        let whole = base..base + t.len();
        let at = |r: (usize, usize)| base + r.0..base + r.1;
        let front = self.scenes.len() == 1;
        // The front-matter cast block lasts while its `名字：介绍` entries do.
        let in_cast_block = std::mem::take(&mut self.cast_block);
        if let Some(l) = labelled(t) {
            if let Some(kind) = label_kind(l.label, front) {
                let inner = &t[l.text.0..l.text.1];
                let kind = if kind == ElementKind::Note && inner.contains("dramalint-") {
                    ElementKind::Comment
                } else {
                    kind
                };
                // Only a bare header (`人物介绍：`) opens a block; `人物：小宝` is a list.
                if kind == ElementKind::Cast
                    && front
                    && inner.is_empty()
                    && opens_cast_block(l.label)
                {
                    self.cast_block = true;
                }
                self.push_kind(kind, whole, at(l.text));
                return next;
            }
            if l.bracketed {
                // 【特写：…】, 【空镜】, 【VO：…】: camera and narration, read as action.
                self.push_kind(ElementKind::Action, whole.clone(), whole);
                return next;
            }
        }
        if let Some(c) = t
            .chars()
            .next()
            .filter(|c| matches!(*c, '△' | '▲' | '▽' | '▼' | '◆' | '◇'))
        {
            let (s, e) = trim_range(&t[c.len_utf8()..]);
            let off = c.len_utf8();
            self.push_kind(ElementKind::Action, whole, at((off + s, off + e)));
            return next;
        }
        if front && t.starts_with('《') {
            self.push_kind(ElementKind::Title, whole.clone(), whole);
            return next;
        }
        if let Some(cue) = parse_dialogue(t) {
            if front && in_cast_block {
                self.cast_block = true;
                self.push_kind(ElementKind::Cast, whole.clone(), whole);
                return next;
            }
            return self.dialogue(t, base, cue, ctx);
        }
        self.push_kind(ElementKind::Action, whole.clone(), whole);
        next
    }

    fn dialogue(
        &mut self,
        t: &str,
        base: usize,
        cue: Cue<'_>,
        ctx: Option<(&[(usize, usize)], usize)>,
    ) -> usize {
        let mut next = ctx.map_or(0, |(_, i)| i + 1);
        let whole = base..base + t.len();
        let front = self.scenes.len() == 1;
        // A title line such as `豪门继母：我的小公主回来了` right above the first episode marker.
        if front
            && !self.structured
            && self.scenes[0].elements.is_empty()
            && cue.parens.is_empty()
            && ctx.is_some_and(|(lines, i)| self.next_is_structure(lines, i + 1))
        {
            self.push_kind(ElementKind::Title, whole.clone(), whole);
            return next;
        }
        let mut span = whole;
        let mut text = base + cue.text.0..base + cue.text.1;
        let mut paren_spans: Vec<Span> =
            cue.parens.iter().map(|p| base + p.0..base + p.1).collect();
        // A cue alone on its line (`小宝：`) takes its words, and a `（哭）` line, from below.
        if text.is_empty()
            && let Some((lines, i)) = ctx
        {
            let (absorbed, words, parens) = self.absorb(lines, i + 1);
            if let Some(w) = words {
                span.end = w.end;
                text = w;
                paren_spans.extend(parens);
                next = absorbed;
            }
        }
        let parenthetical = (!paren_spans.is_empty()).then(|| self.join_parens(&paren_spans));
        let mut extension = cue.extension;
        let mut parenthetical = parenthetical;
        let mut speakers = speaker_names(cue.names).peekable();
        while let Some(speaker) = speakers.next() {
            let mut el = Element::with_text(ElementKind::Dialogue, span.clone(), text.clone());
            el.speaker = Some(speaker.to_string());
            // The last speaker takes the values, the others copies.
            if speakers.peek().is_some() {
                el.extension = extension.clone();
                el.parenthetical = parenthetical.clone();
                el.parenthetical_spans = paren_spans.clone();
            } else {
                el.extension = extension.take();
                el.parenthetical = parenthetical.take();
                el.parenthetical_spans = std::mem::take(&mut paren_spans);
            }
            self.push(el);
        }
        next
    }

    /// The parentheticals' trimmed texts joined by `; `.
    fn join_parens(&self, spans: &[Span]) -> String {
        let mut out = String::new();
        for (k, p) in spans.iter().enumerate() {
            if k > 0 {
                out.push_str("; ");
            }
            out.push_str(self.src.get(p.clone()).unwrap_or("").trim());
        }
        out
    }

    /// After a bare cue: optional `（…）` lines, then one line of plain words. Returns the next
    /// line index, the words' range and the parenthetical ranges; words `None` if nothing fits.
    fn absorb(&self, lines: &[(usize, usize)], from: usize) -> (usize, Option<Span>, Vec<Span>) {
        let mut parens = Vec::new();
        for (j, &(ls, le)) in lines.iter().enumerate().skip(from).take(4) {
            let (s, e) = trim_range(&self.src[ls..le]);
            if s == e {
                break;
            }
            let t = &self.src[ls + s..ls + e];
            if let Some((inner, end)) = bracket_at(t, 0)
                && end == t.len()
            {
                parens.push(ls + s + inner.0..ls + s + inner.1);
                continue;
            }
            if self.is_plain_words(t) {
                return (j + 1, Some(ls + s..ls + e), parens);
            }
            break;
        }
        (from, None, Vec::new())
    }

    /// A line nothing else claims: it can be the words under a bare cue.
    fn is_plain_words(&self, t: &str) -> bool {
        !(t.starts_with("//")
            || is_end_or_cut(t)
            || episode(t).is_some()
            || flash_start(t).is_some()
            || flash_end(t).is_some()
            || parse_heading(t).is_some()
            || t.starts_with(|c: char| {
                matches!(c, '△' | '▲' | '▽' | '▼' | '◆' | '◇' | '【' | '[' | '《')
            })
            || labelled(t).is_some_and(|l| label_kind(l.label, false).is_some())
            || parse_dialogue(t).is_some())
    }

    /// Is the next non-blank line an episode marker or a heading?
    fn next_is_structure(&self, lines: &[(usize, usize)], from: usize) -> bool {
        lines
            .iter()
            .skip(from)
            .map(|&(s, e)| {
                let (a, b) = trim_range(&self.src[s..e]);
                &self.src[s + a..s + b]
            })
            .find(|t| !t.is_empty())
            .is_some_and(|t| episode(t).is_some() || parse_heading(t).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_character_lists_match_the_words() {
        let times = first_chars(TIMES);
        for c in '\0'..=char::MAX {
            assert_eq!(is_time_first(c), times.contains(&c), "{c:?}");
            assert_eq!(
                is_ws(c),
                c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}'),
                "{c:?}"
            );
            if is_ws(c) {
                // The byte test may say yes for other characters, never no for whitespace.
                assert!(may_end_ws(format!("x{c}").as_bytes()), "{c:?}");
            }
            if plain_start(c) {
                // No structural recogniser may start with a plain character.
                let line = format!("{c}1集 日 内 完");
                assert!(!is_end_decoration(c) && !END_FIRSTS.contains(&c), "{c:?}");
                assert!(!can_start_heading_char(c) && !is_ws(c), "{c:?}");
                assert!(!matches!(c, '#' | '*' | '/' | '第' | '闪' | '回'), "{c:?}");
                assert!(episode(&line).is_none() && flash_start(&line).is_none());
                assert!(parse_heading(&line).is_none() && !is_end_or_cut(&line));
            }
        }
    }

    /// heading text, number, time, setting, place
    type Parts = (
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    /// speakers, extension, parentheticals, words
    type CueParts = (Vec<String>, Option<String>, Vec<String>, String);

    /// (heading text, number, time, setting, place) of a heading line.
    fn h(line: &str) -> Option<Parts> {
        parse_heading(line).map(|p| {
            (
                line[p.text].to_string(),
                p.number,
                p.time,
                p.setting,
                p.place,
            )
        })
    }

    fn some(text: &str, n: &str, t: &str, s: &str, p: &str) -> Option<Parts> {
        let o = |x: &str| (!x.is_empty()).then(|| x.to_string());
        Some((text.to_string(), o(n), o(t), o(s), o(p)))
    }

    #[test]
    fn byte_trims_agree_with_char_trims() {
        // Every character alone, at the start and at the end, and next to whitespace.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            for s in [
                c.to_string(),
                format!("{c}x"),
                format!("x{c}"),
                format!(" {c} "),
                format!("{c}\u{3000}{c}"),
            ] {
                let t = s.trim_matches(is_ws);
                let start = s.len() - s.trim_start_matches(is_ws).len();
                assert_eq!(trim_range(&s), (start, start + t.len()), "{s:?}");
                assert_eq!(ws_prefix(&s), start, "{s:?}");
                assert_eq!(std_trim(&s), s.trim(), "{s:?}");
                if !may_begin_ws(s.as_bytes()) {
                    assert_eq!(start, 0, "{s:?}");
                }
            }
        }
    }

    #[test]
    fn fast_paths_agree() {
        for c in '\u{4e00}'..='\u{9fff}' {
            assert!(c.is_alphanumeric(), "{c}");
        }
        for t in ["", "a", "字幕：x", "a:b：c", "小宝（哭）：嗯", "：", "无"] {
            assert_eq!(find_colon(t), t.find(['：', ':']), "{t}");
        }
    }

    #[test]
    fn heading_forms() {
        assert_eq!(
            h("1-1 日 内 林家别墅客厅"),
            some("1-1 日 内 林家别墅客厅", "1-1", "日", "内", "林家别墅客厅")
        );
        assert_eq!(
            h("第3场：日 内 客厅"),
            some("第3场：日 内 客厅", "3", "日", "内", "客厅")
        );
        assert_eq!(
            h("场景：学校门口 日 外"),
            some("场景：学校门口 日 外", "", "日", "外", "学校门口")
        );
        assert_eq!(
            h("1-1、日、内、客厅"),
            some("1-1、日、内、客厅", "1-1", "日", "内", "客厅")
        );
        assert_eq!(
            h("1. 客厅 日 内"),
            some("1. 客厅 日 内", "1", "日", "内", "客厅")
        );
        assert_eq!(
            h("1-1 夜内 客厅"),
            some("1-1 夜内 客厅", "1-1", "夜", "内", "客厅")
        );
        assert_eq!(h("日 内 客厅"), some("日 内 客厅", "", "日", "内", "客厅"));
        assert_eq!(
            h("外景 学校操场 白天"),
            some("外景 学校操场 白天", "", "白天", "外景", "学校操场")
        );
        assert_eq!(h("12 客厅 夜"), some("12 客厅 夜", "12", "夜", "", "客厅"));
        assert_eq!(
            h("1-3 日 内 客厅【30s】"),
            some("1-3 日 内 客厅【30s】", "1-3", "日", "内", "客厅")
        );
        assert_eq!(
            h("１-２ 日 内 客厅"),
            some("１-２ 日 内 客厅", "1-2", "日", "内", "客厅")
        );
        assert_eq!(
            h("第二十三场 夜 外 江边"),
            some("第二十三场 夜 外 江边", "23", "夜", "外", "江边")
        );
    }

    #[test]
    fn heading_text_range_skips_markdown_markers() {
        let line = "## 第2场 夜 内 卧室";
        let p = parse_heading(line).expect("heading");
        assert_eq!(&line[p.text], "第2场 夜 内 卧室");
        let line = "**1-1 日 外 中学操场**";
        let p = parse_heading(line).expect("heading");
        assert_eq!(&line[p.text], "1-1 日 外 中学操场");
        assert_eq!(p.place.as_deref(), Some("中学操场"));
    }

    #[test]
    fn heading_with_cast() {
        let line = "1-1 日 内 客厅 人物：小宝、妈妈";
        let p = parse_heading(line).expect("heading");
        assert_eq!(&line[p.text.clone()], "1-1 日 内 客厅");
        assert_eq!(&line[p.cast.expect("cast")], "小宝、妈妈");
        let line = "1-1 日 内 客厅【出场人物：小宝】";
        let p = parse_heading(line).expect("heading");
        assert_eq!(&line[p.text.clone()], "1-1 日 内 客厅");
        assert_eq!(&line[p.cast.expect("cast")], "小宝");
    }

    #[test]
    fn not_headings() {
        for line in [
            "人物：小宝、妈妈",
            "小宝：第3场比赛我赢了",
            "第3场比赛我赢了",
            "第一场雪",
            "1、把书包放好",
            "1、晚上，外面下雨",
            "3个小时后",
            "1.5倍",
            "2023年",
            "夜深了",
            "夜 内心很乱",
            "外面 下着雨",
            "外婆：小宝过来",
            "日记本上写着字",
            "第1集",
            "【第1集】",
            "1-1 日 内 客厅。小宝走了进来！",
            "",
            "##",
            "****",
        ] {
            assert_eq!(h(line), None, "{line}");
        }
    }

    #[test]
    fn episode_markers() {
        for line in [
            "第1集",
            "第一集：标题",
            "【第1集】",
            "# 第1集【1min30s】",
            "《剧名》第五集",
            "第 12 集 重逢",
            "**第3集**",
            "EP01",
        ] {
            assert!(is_episode_marker(line), "{line}");
        }
        for line in [
            "第1集里他说过",
            "第一集完",
            "1-1 日 内 客厅",
            "第一场 日 内 客厅",
        ] {
            assert!(!is_episode_marker(line), "{line}");
        }
    }

    #[test]
    fn end_and_cut_markers() {
        for line in [
            "（本集完）",
            "（完）",
            "【本集完】",
            "——完——",
            "（第一集完）",
            "未完待续",
            "切至：",
            "全剧终",
        ] {
            assert!(is_end_or_cut(line), "{line}");
        }
        for line in ["完了", "小宝哭完了", "第一集"] {
            assert!(!is_end_or_cut(line), "{line}");
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(number_value("12").as_deref(), Some("12"));
        assert_eq!(number_value("０３").as_deref(), Some("3"));
        assert_eq!(number_value("十").as_deref(), Some("10"));
        assert_eq!(number_value("十二").as_deref(), Some("12"));
        assert_eq!(number_value("二十三").as_deref(), Some("23"));
        assert_eq!(number_value("一百零五").as_deref(), Some("105"));
        assert_eq!(number_value("两").as_deref(), Some("2"));
        assert_eq!(number_value("x"), None);
    }

    #[test]
    fn line_endings() {
        let t = "a\r\nb\rc\n\nd";
        let got: Vec<&str> = line_ranges(t).into_iter().map(|(s, e)| &t[s..e]).collect();
        assert_eq!(got, ["a", "b", "c", "", "d"]);
        assert!(line_ranges("").is_empty());
    }

    fn cue(line: &str) -> Option<CueParts> {
        parse_dialogue(line).map(|c| {
            (
                speaker_names(c.names).map(str::to_string).collect(),
                c.extension,
                c.parens
                    .iter()
                    .map(|p| line[p.0..p.1].to_string())
                    .collect(),
                line[c.text.0..c.text.1].to_string(),
            )
        })
    }

    #[test]
    fn dialogue_forms() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            cue("小宝：（冷笑）台词"),
            Some((s(&["小宝"]), None, s(&["冷笑"]), "台词".into()))
        );
        assert_eq!(
            cue("林琛（沉声）：台词"),
            Some((s(&["林琛"]), None, s(&["沉声"]), "台词".into()))
        );
        assert_eq!(
            cue("霍一天(目露凶光):台词"),
            Some((s(&["霍一天"]), None, s(&["目露凶光"]), "台词".into()))
        );
        assert_eq!(
            cue("苏晚（压低声音）：“台词”"),
            Some((s(&["苏晚"]), None, s(&["压低声音"]), "台词".into()))
        );
        assert_eq!(
            cue("小宝（6岁）：嗯"),
            Some((s(&["小宝"]), None, s(&[]), "嗯".into()))
        );
        assert_eq!(
            cue("小宝：（OS）嗯"),
            Some((s(&["小宝"]), Some("OS".into()), s(&[]), "嗯".into()))
        );
        assert_eq!(
            cue("小宝 VO：嗯"),
            Some((s(&["小宝"]), Some("VO".into()), s(&[]), "嗯".into()))
        );
        assert_eq!(
            cue("LILY: Hi."),
            Some((s(&["LILY"]), None, s(&[]), "Hi.".into()))
        );
        assert_eq!(
            cue("小宝&朵朵：好"),
            Some((s(&["小宝", "朵朵"]), None, s(&[]), "好".into()))
        );
        assert_eq!(cue("小宝："), Some((s(&["小宝"]), None, s(&[]), "".into())));
    }

    #[test]
    fn not_dialogue() {
        for line in [
            "字幕：三年后",
            "时间：晚上八点",
            "画外音：很久以前",
            "镜头推近：小宝的脸",
            "妈妈对小宝说：快睡吧",
            "他笑着说：好",
            "这是一个非常非常长的名字的人：台词",
            "20:30",
            "小宝跑进来，大喊：爹地！",
            "小宝（6岁）扎着辫子。",
            "：台词",
        ] {
            assert!(cue(line).is_none(), "{line}");
        }
    }

    /// Kinds and texts of all elements, scene by scene.
    fn kinds(src: &str) -> Vec<(usize, ElementKind, String)> {
        parse(src)
            .scenes
            .iter()
            .flat_map(|s| {
                s.elements
                    .iter()
                    .map(move |e| (s.index, e.kind, src[e.text.clone()].to_string()))
            })
            .collect()
    }

    #[test]
    fn cast_lines() {
        let got = kinds(
            "1-1 日 内 客厅\n人物：李明 张总\n出场人物：王野（32岁，退伍军人）\n出场：小宝\n",
        );
        assert_eq!(
            got,
            [
                (1, ElementKind::Cast, "李明 张总".into()),
                (1, ElementKind::Cast, "王野（32岁，退伍军人）".into()),
                (1, ElementKind::Cast, "小宝".into()),
            ]
        );
    }

    #[test]
    fn flashback_heading_marks_the_scene() {
        let p = parse("1-1 日 内 客厅（闪回）\n△小宝三岁。\n1-2 日 内 客厅\n△现在。\n");
        assert!(p.scenes[1].elements.iter().all(|e| e.flashback));
        assert!(p.scenes[2].elements.iter().all(|e| !e.flashback));
    }

    #[test]
    fn unclosed_flashback_ends_at_the_next_heading() {
        let p = parse("1-1 日 内 客厅\n【闪回】\n△小宝三岁。\n1-2 日 内 客厅\n△现在。\n");
        assert!(p.scenes[1].elements.iter().all(|e| e.flashback));
        assert!(p.scenes[2].elements.iter().all(|e| !e.flashback));
    }

    #[test]
    fn front_matter_cast_block() {
        let got = kinds("人物介绍：\n小宝：6岁，萌宝\n妈妈：30岁\n△开场。\n小宝：你好\n");
        let k: Vec<ElementKind> = got.iter().map(|g| g.1).collect();
        use ElementKind::*;
        assert_eq!(k, [Cast, Cast, Cast, Action, Dialogue]);
        // A cast list with names is not a block header: the next line is dialogue.
        let got = kinds("人物：小宝（5岁）\n小宝：我要报仇\n");
        assert_eq!(got[1].1, Dialogue);
    }

    #[test]
    fn paren_and_qualified_labels() {
        let got =
            kinds("1-1 日 内 客厅\n（注：本场用替身）\n字幕（黑底白字）：三年后\n（小宝跑进来）\n");
        assert_eq!(
            got,
            [
                (1, ElementKind::Note, "本场用替身".into()),
                (1, ElementKind::Subtitle, "三年后".into()),
                (1, ElementKind::Action, "（小宝跑进来）".into()),
            ]
        );
    }

    #[test]
    fn title_line_above_episode() {
        let got = kinds("豪门继母：我的小公主回来了\n第一集\n");
        assert_eq!(got[0].1, ElementKind::Title);
        // Without an episode marker below, the same line is dialogue.
        let got = kinds("豪门继母：我的小公主回来了\n");
        assert_eq!(got[0].1, ElementKind::Dialogue);
    }
}
