//! Fountain 1.1 parser (<https://fountain.io/syntax>).
//!
//! The parser works in three passes over the decoded text, each linear:
//! 1. split into physical lines (LF, CRLF or lone CR);
//! 2. find boneyard `/* */` and note `[[ ]]` ranges ("masks"); a line with nothing outside masks
//!    is *hidden*: transparent inside dialogue, a paragraph break elsewhere;
//! 3. walk the lines once, classifying each paragraph: title page, scene headings, character
//!    cues with their dialogue block, transitions and the line-level forms (`>centered<`, `~`,
//!    `#`, `=`, `===`). Whatever fits nothing is action, so no line is dropped.
//!
//! Where the peer parsers disagree, this one follows the spec and then the majority of peers:
//! headings need a blank line (or a boneyard/note, or the start of the file) before them but not
//! after, except that a heading in capitals is one anywhere outside dialogue; a lone `CUT TO:` first line is a transition, not a title-page key without a value;
//! a cue name must start with a letter (`3CPO` is action, `@3CPO` a cue).

use super::{Element, ElementKind, HeadingParts, Parsed, Scene, Span};
use regex::Regex;
use std::sync::LazyLock;

/// Natural scene heading prefixes. The `INT.` form may be any case (`ext. CIRCUS`); the form
/// with a space after the prefix (`INT HOUSE DAY`) must be upper case, so prose such as
/// "Est laborum" is not a heading.
static HEADING_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:((?i:int\.?/ext|i\.?/e|int|ext|est)\.)|(INT\.?/EXT|I\.?/E|INT|EXT|EST)\s)")
        .expect("static regex")
});

/// Whether a heading prefix starts `t`. Every prefix starts with `i` or `e` in either case
/// (the case-insensitive letters fold to nothing else), so other lines skip the regex.
fn has_heading_prefix(t: &str) -> bool {
    // The second character is `n`, `x` or `s` in either case (`s` also folds to `ſ`, led by
    // `C5`), or the `.`/`/` of `I./E`, `I/E`: cue names and prose such as `ISABEL` or `Every`
    // mostly fail on these two bytes.
    matches!(
        t.as_bytes(),
        [
            b'i' | b'I' | b'e' | b'E',
            b'n' | b'N' | b'x' | b'X' | b's' | b'S' | b'.' | b'/' | 0xC5,
            ..
        ]
    ) && HEADING_PREFIX.is_match(t)
}

/// A `#1A#` scene number at the end of a heading.
static SCENE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"#([\p{L}\p{N}._\-]+)#$").expect("static regex"));

/// The separator between place and time (`HOUSE - DAY`, `HOUSE -- DAY`, `HOUSE — DAY`).
static TIME_SEP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s+(?:--?|—|–)\s+").expect("static regex"));

/// A title page key line: `Title: …`, `Draft date:`. Keys are short words.
static TITLE_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Za-z][A-Za-z0-9_'\-]*(?: [A-Za-z0-9_'\-]+){0,2})[ \t]*:(.*)$")
        .expect("static regex")
});

/// Words that start the time part of a heading (`DAY`, `LATER`, `CONTINUOUS`).
const TIME_WORDS: &[&str] = &[
    "DAY",
    "NIGHT",
    "MORNING",
    "AFTERNOON",
    "EVENING",
    "DUSK",
    "DAWN",
    "SUNSET",
    "SUNRISE",
    "NOON",
    "MIDNIGHT",
    "LATER",
    "CONTINUOUS",
    "SAME",
    "MOMENTS",
    "LATE",
    "EARLY",
    "MAGIC",
];

/// Transitions that do not end in `TO:` but are written alone in caps.
const FIXED_TRANSITIONS: &[&str] = &["FADE OUT.", "FADE TO BLACK.", "CUT TO BLACK.", "FADE OUT"];

/// Parse a fountain script into scenes.
pub fn parse(source: &str) -> Parsed {
    let doc = Doc::new(source);
    let mut out = Out::default();
    doc.walk(&mut out);
    out.into_parsed(source)
}

/// Recognise a Fountain scene heading line (`INT. HOUSE - DAY`, `.FORCED`, `EXT. X #1A#`).
/// The line has no line ending. Used by the Markdown parser too.
pub fn parse_heading(line: &str) -> Option<HeadingParts> {
    let (a, b) = trim_range(line, 0, line.len());
    let t = &line[a..b];
    let body_start = if let Some(after_dot) = t.strip_prefix('.') {
        // `.FORCED` but not `...ellipsis` and not `. text`.
        let next = after_dot.chars().next()?;
        if next == '.' || next.is_whitespace() {
            return None;
        }
        a + 1
    } else if has_heading_prefix(t) {
        a
    } else {
        return None;
    };
    let mut text_end = b;
    let mut number = None;
    // The number pattern is anchored at the end on a `#`: other lines skip the regex.
    if let Some((all, num)) = Some(&line[body_start..b])
        .filter(|h| h.ends_with('#'))
        .and_then(|h| SCENE_NUMBER.captures(h))
        .and_then(|m| Some((m.get(0)?, m.get(1)?)))
    {
        number = Some(num.as_str().to_string());
        text_end = body_start + all.start();
    }
    let (ts, te) = trim_range(line, body_start, text_end);
    if ts == te {
        return None;
    }
    let (setting, place, time) = heading_fields(&line[ts..te]);
    Some(HeadingParts {
        text: ts..te,
        number,
        time,
        setting,
        place,
        cast: None,
    })
}

/// Setting (`INT.`), place and time of a heading's text.
fn heading_fields(text: &str) -> (Option<String>, Option<String>, Option<String>) {
    let (setting, rest) = match HEADING_PREFIX.captures(text) {
        Some(c) => {
            let set = c.get(1).or_else(|| c.get(2)).map_or("", |m| m.as_str());
            let end = c.get(0).map_or(0, |m| m.end());
            (Some(set.to_string()), &text[end..])
        }
        None => (None, text),
    };
    // `INT - HOUSE - DAY`: drop the separator right after the prefix.
    let rest =
        rest.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '.' | '—' | '–'));
    let rest = rest.trim_end();
    let (place, time) = split_time(rest);
    let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
    (setting, non_empty(place), time.and_then(non_empty))
}

/// Split `PLACE - DAY` into place and time. The time starts at the first separated segment
/// that begins with a time word (`HOUSE - DAY - FLASHBACK`), else it is the last segment.
fn split_time(rest: &str) -> (&str, Option<&str>) {
    // A separator holds `-` or a dash led by the byte `E2`: without either, there is none.
    let seps: Vec<(usize, usize)> = if rest.bytes().any(|x| x == b'-' || x == 0xE2) {
        TIME_SEP
            .find_iter(rest)
            .map(|m| (m.start(), m.end()))
            .collect()
    } else {
        Vec::new()
    };
    if let Some(&(last_start, last_end)) = seps.last() {
        let timed = seps
            .iter()
            .find(|(_, e)| starts_with_time_word(&rest[*e..]))
            .copied()
            .unwrap_or((last_start, last_end));
        return (rest[..timed.0].trim(), Some(rest[timed.1..].trim()));
    }
    // `HOUSE DAY`: a final time word.
    if let Some(i) = rest.rfind(char::is_whitespace) {
        let last = rest[i..].trim();
        if is_time_word(last) {
            return (rest[..i].trim(), Some(last));
        }
    }
    (rest, None)
}

fn is_time_word(w: &str) -> bool {
    TIME_WORDS.iter().any(|t| t.eq_ignore_ascii_case(w))
}

fn starts_with_time_word(s: &str) -> bool {
    let word = s.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    is_time_word(word)
}

/// The trimmed sub-range of `src[start..end]`.
fn trim_range(src: &str, start: usize, end: usize) -> (usize, usize) {
    let s = src.get(start..end).unwrap_or("");
    // Most lines start and end with a printable ASCII character: nothing to trim.
    if let (Some(&x), Some(&y)) = (s.as_bytes().first(), s.as_bytes().last())
        && x.is_ascii_graphic()
        && y.is_ascii_graphic()
    {
        return (start, end);
    }
    let ts = s.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let a = start + (s.len() - ts.len());
    (a, a + ts.trim_end().len())
}

/// Some upper-case letters and no lower-case ones (`DR. BENNET`, `JIM😆`).
fn is_caps(s: &str) -> bool {
    if s.is_ascii() {
        let b = s.as_bytes();
        return b.iter().any(u8::is_ascii_uppercase) && !b.iter().any(u8::is_ascii_lowercase);
    }
    s.chars().any(char::is_uppercase) && !s.chars().any(char::is_lowercase)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    /// Empty or whitespace only: ends dialogue and paragraphs.
    Blank,
    /// Exactly two spaces: the spec's way to keep a blank line inside dialogue.
    Soft,
    /// Only boneyard or notes: transparent inside dialogue, a break elsewhere.
    Hidden,
    Text,
}

#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    kind: LineKind,
}

/// Physical lines as (start, end without the line ending), after a BOM.
fn split_lines(src: &str) -> Vec<(usize, usize)> {
    super::lines::ranges(src, if src.starts_with('\u{feff}') { 3 } else { 0 })
}

/// A boneyard or note range, delimiters included.
#[derive(Debug, Clone, Copy)]
struct Mask {
    start: usize,
    end: usize,
    kind: ElementKind,
}

/// Positions of every occurrence of a two-byte ASCII marker.
fn find_all(src: &str, pat: &str) -> Vec<usize> {
    let Some(first) = pat.chars().next() else {
        return Vec::new();
    };
    // Find the first character with memchr (`str::find` on a char), then compare: the same
    // non-overlapping, left-to-right matches as `match_indices`, without the two-way searcher.
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(k) = src[from..].find(first) {
        let i = from + k;
        if src[i..].starts_with(pat) {
            out.push(i);
            from = i + pat.len();
        } else {
            from = i + first.len_utf8();
        }
    }
    out
}

/// First value in a sorted list that is >= `at`.
fn first_at(sorted: &[usize], at: usize) -> Option<usize> {
    sorted.get(sorted.partition_point(|&x| x < at)).copied()
}

/// Boneyards and notes, left to right. A note may span lines but not a blank line (a line of
/// exactly two spaces is allowed); an unclosed `/*` or `[[` is ordinary text.
fn find_masks(src: &str, raw: &[(usize, usize)]) -> Vec<Mask> {
    let bone_close = find_all(src, "*/");
    let note_close = find_all(src, "]]");
    let breaks: Vec<usize> = raw
        .iter()
        .filter(|&&(s, e)| raw_blank(&src[s..e]) == Some(LineKind::Blank))
        .map(|&(s, _)| s)
        .collect();
    let b = src.as_bytes();
    let mut masks = Vec::new();
    let mut bone_open = true;
    let mut i = 0;
    // Masks open on `/*` and `[[`: memchr jumps to the next `/` or `[`.
    while let Some(k) = memchr::memchr2(b'/', b'[', b.get(i..).unwrap_or_default()) {
        i += k;
        if i + 1 >= b.len() {
            break;
        }
        match (b[i], b[i + 1]) {
            (b'/', b'*') if bone_open => match first_at(&bone_close, i + 2) {
                Some(c) => {
                    masks.push(Mask {
                        start: i,
                        end: c + 2,
                        kind: ElementKind::Comment,
                    });
                    i = c + 2;
                    continue;
                }
                // No close anywhere after: no later `/*` can close either.
                None => bone_open = false,
            },
            (b'[', b'[') => {
                let close = first_at(&note_close, i + 2);
                let brk = first_at(&breaks, i);
                if let Some(c) = close.filter(|&c| brk.is_none_or(|k| k > c)) {
                    masks.push(Mask {
                        start: i,
                        end: c + 2,
                        kind: ElementKind::Note,
                    });
                    i = c + 2;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    masks
}

/// Blank or Soft for a whitespace-only line, None for a line with text.
fn raw_blank(line: &str) -> Option<LineKind> {
    if line == "  " {
        Some(LineKind::Soft)
    } else if line.trim().is_empty() {
        Some(LineKind::Blank)
    } else {
        None
    }
}

/// Classify lines given the masks (sorted, disjoint).
fn classify(src: &str, raw: &[(usize, usize)], masks: &[Mask]) -> Vec<Line> {
    let mut m = 0;
    raw.iter()
        .map(|&(start, end)| {
            while m < masks.len() && masks[m].end <= start {
                m += 1;
            }
            let kind = line_kind(src, start, end, &masks[m..]);
            Line { start, end, kind }
        })
        .collect()
}

/// A line's kind: Hidden when every non-space char is inside a mask, or the line lies inside
/// one; `masks` starts at the first mask that ends after the line start.
fn line_kind(src: &str, start: usize, end: usize, masks: &[Mask]) -> LineKind {
    let inside = |p: usize, k: &mut usize| {
        while *k < masks.len() && masks[*k].end <= p {
            *k += 1;
        }
        masks.get(*k).is_some_and(|mk| mk.start <= p && p < mk.end)
    };
    let mut k = 0;
    let touches = inside(start, &mut 0) || masks.first().is_some_and(|mk| mk.start < end);
    let text = &src[start..end];
    if let Some(kind) = raw_blank(text) {
        return if inside(start, &mut 0) {
            LineKind::Hidden
        } else {
            kind
        };
    }
    if !touches {
        return LineKind::Text;
    }
    let visible = text
        .char_indices()
        .any(|(i, c)| !c.is_whitespace() && !inside(start + i, &mut k));
    if visible {
        LineKind::Text
    } else {
        LineKind::Hidden
    }
}

/// A parsed character cue.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cue {
    speaker: String,
    extension: Option<String>,
    dual: bool,
}

/// Read a trimmed line as a character cue: `NAME`, `NAME (V.O.) (CONT'D)`, `@McCLANE`, `NAME ^`.
fn parse_cue(t: &str) -> Option<Cue> {
    let (forced, body) = match t.strip_prefix('@') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (body, dual) = match body.trim_end().strip_suffix('^') {
        Some(rest) => (rest.trim_end(), true),
        None => (body.trim_end(), false),
    };
    let (name, rest) = body.split_at(body.find('(').unwrap_or(body.len()));
    let name = name.trim();
    let mut extensions = Vec::new();
    let mut rest = rest.trim();
    while !rest.is_empty() {
        // Only `(…)` groups may follow the name.
        let inner = rest.strip_prefix('(')?;
        let close = inner.find(')')?;
        let ext = inner[..close].trim();
        if !ext.is_empty() {
            extensions.push(ext);
        }
        rest = inner[close + 1..].trim_start();
    }
    if name.is_empty() || name.contains('^') {
        return None;
    }
    if !forced {
        let first = name.chars().next()?;
        let natural = first.is_alphabetic()
            && is_caps(name)
            && !name.ends_with([':', '!', '?'])
            && !name.ends_with("TO:");
        if !natural {
            return None;
        }
    }
    Some(Cue {
        speaker: name.to_string(),
        extension: (!extensions.is_empty()).then(|| extensions.join("; ")),
        dual,
    })
}

/// A natural transition line (already trimmed at the start): caps ending in `TO:`, no trailing
/// space, or one of the fixed forms.
fn is_transition_text(ts: &str) -> bool {
    if ts.trim_end() != ts || !is_caps(ts) {
        return false;
    }
    ts.ends_with("TO:") || FIXED_TRANSITIONS.contains(&ts)
}

/// What the walk collects: headings and elements in source order.
#[derive(Default)]
struct Out {
    headings: Vec<(Span, HeadingParts)>,
    elements: Vec<Element>,
}

impl Out {
    /// Group the elements under their headings: scene 0 from 0, scene k from heading k.
    fn into_parsed(mut self, src: &str) -> Parsed {
        let len = src.len();
        self.elements.sort_by_key(|e| e.span.start);
        let starts: Vec<usize> = self.headings.iter().map(|(s, _)| s.start).collect();
        let mut scenes: Vec<Scene> = Vec::with_capacity(starts.len() + 1);
        scenes.push(Scene {
            index: 0,
            span: 0..starts.first().copied().unwrap_or(len),
            ..Scene::default()
        });
        for (k, (line, parts)) in self.headings.into_iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(len);
            let abs = line.start + parts.text.start..line.start + parts.text.end;
            scenes.push(Scene {
                index: k + 1,
                heading: src.get(abs).map(str::to_string),
                heading_span: Some(line.clone()),
                number: parts.number,
                time: parts.time,
                setting: parts.setting,
                place: parts.place,
                span: line.start..end,
                elements: Vec::new(),
            });
        }
        // Count each scene's elements first, so each scene's list is allocated once.
        let idx: Vec<usize> = self
            .elements
            .iter()
            .map(|el| starts.partition_point(|&s| s <= el.span.start))
            .collect();
        let mut counts = vec![0usize; scenes.len()];
        for &k in &idx {
            if let Some(c) = counts.get_mut(k) {
                *c += 1;
            }
        }
        for (scene, &c) in scenes.iter_mut().zip(&counts) {
            scene.elements.reserve_exact(c);
        }
        for (el, k) in self.elements.into_iter().zip(idx) {
            if let Some(scene) = scenes.get_mut(k) {
                scene.elements.push(el);
            }
        }
        Parsed {
            scenes,
            declared: Vec::new(),
        }
    }
}

/// The source split into classified lines.
struct Doc<'a> {
    src: &'a str,
    lines: Vec<Line>,
    masks: Vec<Mask>,
    /// For each index, the first line at or after it that is not Hidden (`lines.len()` if none).
    next_vis: Vec<usize>,
}

impl<'a> Doc<'a> {
    fn new(src: &'a str) -> Self {
        let raw = split_lines(src);
        let masks = find_masks(src, &raw);
        let lines = classify(src, &raw, &masks);
        let mut next_vis = vec![lines.len(); lines.len() + 1];
        for i in (0..lines.len()).rev() {
            next_vis[i] = if lines[i].kind == LineKind::Hidden {
                next_vis[i + 1]
            } else {
                i
            };
        }
        Doc {
            src,
            lines,
            masks,
            next_vis,
        }
    }

    fn raw(&self, i: usize) -> &'a str {
        let l = self.lines[i];
        &self.src[l.start..l.end]
    }

    /// Trimmed range and text of line `i`.
    fn trimmed(&self, i: usize) -> (usize, usize, &'a str) {
        let l = self.lines[i];
        let (a, b) = trim_range(self.src, l.start, l.end);
        (a, b, &self.src[a..b])
    }

    fn kind(&self, i: usize) -> Option<LineKind> {
        self.lines.get(i).map(|l| l.kind)
    }

    /// The next line after `i` that is not hidden.
    fn next_visible(&self, i: usize) -> Option<LineKind> {
        let j = self
            .next_vis
            .get(i + 1)
            .copied()
            .unwrap_or(self.lines.len());
        self.kind(j)
    }

    fn walk(&self, out: &mut Out) {
        for m in &self.masks {
            let (a, b) = trim_range(self.src, m.start + 2, m.end - 2);
            out.elements
                .push(Element::with_text(m.kind, m.start..m.end, a..b));
        }
        let mut i = self.title_page(out);
        // Start of file, or right after a title page, counts as after a blank line.
        let mut sep = true;
        while i < self.lines.len() {
            if self.lines[i].kind == LineKind::Text {
                i = self.block(i, sep, out);
                sep = false;
            } else {
                sep = true;
                i += 1;
            }
        }
    }

    /// Read one element starting at text line `i`; returns the next line to read.
    fn block(&self, i: usize, sep: bool, out: &mut Out) -> usize {
        if let Some(el) = self.line_form(i) {
            out.elements.push(el);
            return i + 1;
        }
        let (a, b, t) = self.trimmed(i);
        if sep && production_note(t) {
            // `(NOTE: …)` on its own line: production text, like `[[ ]]`.
            let l = self.lines[i];
            let text = trim_range_span(self.src, a + 1, b - 1);
            out.elements
                .push(Element::with_text(ElementKind::Note, l.start..l.end, text));
            return i + 1;
        }
        let may_head = (sep || self.is_caps_heading(i)) && !t.starts_with('!');
        if let Some(parts) = may_head.then(|| parse_heading(self.raw(i))).flatten() {
            let l = self.lines[i];
            out.headings.push((l.start..l.end, parts));
            return i + 1;
        }
        if sep && !t.starts_with('!') {
            if self.is_transition(i) {
                let (a, b, _) = self.trimmed(i);
                let l = self.lines[i];
                out.elements.push(Element::with_text(
                    ElementKind::Transition,
                    l.start..l.end,
                    a..b,
                ));
                return i + 1;
            }
            if let Some(cue) = parse_cue(t).filter(|_| self.cue_follows(i)) {
                return self.dialogue(i, cue, out);
            }
        }
        self.action(i, out)
    }

    /// Elements that are a single line wherever they appear: page break, section, synopsis,
    /// centered text, forced transition, lyric.
    fn line_form(&self, i: usize) -> Option<Element> {
        let l = self.lines[i];
        let (a, b, t) = self.trimmed(i);
        let span = l.start..l.end;
        let after = |skip: usize| {
            let (x, y) = trim_range(self.src, a + skip, b);
            x..y
        };
        let first = t.chars().next()?;
        let el = match first {
            '=' if t.len() >= 3 && t.bytes().all(|c| c == b'=') => {
                Element::with_text(ElementKind::PageBreak, span, a..a)
            }
            '=' => Element::with_text(ElementKind::Synopsis, span, after(1)),
            '#' => {
                let depth = t.bytes().take_while(|&c| c == b'#').count();
                Element::with_text(ElementKind::Section, span, after(depth))
            }
            '>' if t.len() >= 2 && t.ends_with('<') => {
                let (x, y) = trim_range(self.src, a + 1, b - 1);
                Element::with_text(ElementKind::Centered, span, x..y)
            }
            '>' => Element::with_text(ElementKind::Transition, span, after(1)),
            '~' => Element::with_text(ElementKind::Lyric, span, after(1)),
            _ => return None,
        };
        Some(el)
    }

    /// A natural heading in capitals (`INT. HOUSE - DAY`) starts a scene even without a blank
    /// line before it (`FADE IN:` right above it is common); lower-case forms need the blank.
    fn is_caps_heading(&self, i: usize) -> bool {
        let (_, _, t) = self.trimmed(i);
        has_heading_prefix(t) && is_caps(t)
    }

    /// A natural transition: caps ending in `TO:`, alone between blank lines.
    fn is_transition(&self, i: usize) -> bool {
        let raw = self.raw(i);
        let ts = raw.trim_start();
        is_transition_text(ts)
            && matches!(
                self.next_visible(i),
                None | Some(LineKind::Blank) | Some(LineKind::Soft)
            )
    }

    /// A cue needs a line of dialogue right after it, and that line must not be a heading.
    fn cue_follows(&self, i: usize) -> bool {
        let j = self
            .next_vis
            .get(i + 1)
            .copied()
            .unwrap_or(self.lines.len());
        if self.kind(j) != Some(LineKind::Text) {
            return false;
        }
        let (_, _, t) = self.trimmed(j);
        !has_heading_prefix(t)
    }

    /// A cue at `i` and its dialogue block: lines up to the next blank line; a line that starts
    /// with `(` is a parenthetical (up to three lines, until one ends with `)`).
    fn dialogue(&self, i: usize, cue: Cue, out: &mut Out) -> usize {
        let n = self.lines.len();
        let mut j = i + 1;
        let mut last = i;
        let mut spoken: Option<(usize, usize)> = None;
        let mut parens: Vec<Span> = Vec::new();
        while j < n {
            match self.lines[j].kind {
                LineKind::Blank => break,
                LineKind::Soft | LineKind::Hidden => j += 1,
                LineKind::Text => {
                    let (a, b, t) = self.trimmed(j);
                    if t.starts_with('(') {
                        let k = self.paren_end(j);
                        let (_, pb, _) = self.trimmed(k);
                        parens.push(a..pb);
                        last = k;
                        j = k + 1;
                    } else {
                        spoken = Some(spoken.map_or((a, b), |(s, _)| (s, b)));
                        last = j;
                        j += 1;
                    }
                }
            }
        }
        let span = self.lines[i].start..self.lines[last].end;
        let text = spoken.map_or(span.end..span.end, |(a, b)| a..b);
        let parenthetical = parens
            .iter()
            .map(|p| paren_inner(&self.src[p.clone()]))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>();
        let mut el = Element::with_text(ElementKind::Dialogue, span, text);
        el.speaker = Some(cue.speaker);
        el.extension = cue.extension;
        el.dual = cue.dual;
        el.parenthetical = (!parenthetical.is_empty()).then(|| parenthetical.join("; "));
        el.parenthetical_spans = parens;
        out.elements.push(el);
        j
    }

    /// The last line of a parenthetical opening at `j`: the first of the next three text lines
    /// that ends with `)`, else `j` alone.
    fn paren_end(&self, j: usize) -> usize {
        for k in j..(j + 3).min(self.lines.len()) {
            if self.lines[k].kind != LineKind::Text {
                break;
            }
            if self.trimmed(k).2.ends_with(')') {
                return k;
            }
        }
        j
    }

    /// An action paragraph from `i`: text lines until a blank line or a line-level form.
    fn action(&self, i: usize, out: &mut Out) -> usize {
        let n = self.lines.len();
        let mut j = i + 1;
        while j < n
            && self.lines[j].kind == LineKind::Text
            && self.line_form(j).is_none()
            && !self.is_caps_heading(j)
        {
            j += 1;
        }
        let (mut a, _, t) = self.trimmed(i);
        if t.starts_with('!') {
            a += 1;
        }
        let (_, b, _) = self.trimmed(j - 1);
        let span = self.lines[i].start..self.lines[j - 1].end;
        let text = if a <= b { a..b } else { b..b };
        out.elements
            .push(Element::with_text(ElementKind::Action, span, text));
        j
    }

    /// The title page at the top of the file, if any: `Key: value` lines with indented
    /// continuation lines, up to the first line that is neither. Returns the next line to read.
    fn title_page(&self, out: &mut Out) -> usize {
        let first_ok = self.title_key(0).is_some_and(|(_, _, value)| {
            // `CUT TO:` or `FADE IN:` alone is not a title page: an empty value needs an
            // indented continuation.
            !value.trim().is_empty() || self.is_continuation(1)
        });
        if !first_ok {
            return 0;
        }
        let mut j = 0;
        while let Some((key, value_start, _)) = self.title_key(j) {
            let mut k = j + 1;
            while self.is_continuation(k) {
                k += 1;
            }
            self.title_entry(j, k, key, value_start, out);
            j = k;
        }
        j
    }

    /// `(key, value start offset, value)` when line `i` is a title page key line.
    fn title_key(&self, i: usize) -> Option<(&'a str, usize, &'a str)> {
        if self.kind(i)? != LineKind::Text {
            return None;
        }
        let raw = self.raw(i);
        let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
        let c = TITLE_KEY.captures(raw)?;
        let key = c.get(1)?.as_str();
        let value = c.get(2)?;
        let base = self.lines[i].end - raw.len();
        Some((key, base + value.start(), value.as_str()))
    }

    fn is_continuation(&self, i: usize) -> bool {
        self.kind(i) == Some(LineKind::Text) && self.raw(i).starts_with([' ', '\t'])
    }

    /// Emit one title page entry (lines `j..k`): a Title element, or Cast elements (one per
    /// line of names) for a `Cast:` key.
    fn title_entry(&self, j: usize, k: usize, key: &str, value_start: usize, out: &mut Out) {
        let span = self.lines[j].start..self.lines[k - 1].end;
        let (va, vb) = trim_range(self.src, value_start, self.lines[j].end);
        if key.eq_ignore_ascii_case("cast") {
            // One element per line of names; the first also covers the `Cast:` key.
            let inline = (va < vb).then_some((j, va..vb));
            let more = self.lines[j + 1..k]
                .iter()
                .enumerate()
                .map(|(d, l)| (j + 1 + d, trim_range_span(self.src, l.start, l.end)));
            for (n, (line, text)) in inline.into_iter().chain(more).enumerate() {
                let start = if n == 0 {
                    self.lines[j].start
                } else {
                    self.lines[line].start
                };
                let span = start..self.lines[line].end;
                out.elements
                    .push(Element::with_text(ElementKind::Cast, span, text));
            }
            if va >= vb && k == j + 1 {
                // `Cast:` with nothing after it is still kept.
                out.elements.push(Element::with_text(
                    ElementKind::Cast,
                    span.clone(),
                    span.end..span.end,
                ));
            }
            return;
        }
        let text = if va < vb {
            let (_, end) = trim_range(self.src, va, span.end);
            va..end
        } else if k > j + 1 {
            trim_range_span(self.src, self.lines[j + 1].start, span.end)
        } else {
            span.end..span.end
        };
        out.elements
            .push(Element::with_text(ElementKind::Title, span, text));
    }
}

fn trim_range_span(src: &str, start: usize, end: usize) -> Span {
    let (a, b) = trim_range(src, start, end);
    a..b
}

/// A `(NOTE: …)` line (trimmed).
fn production_note(t: &str) -> bool {
    t.ends_with(')')
        && t.get(..6)
            .is_some_and(|head| head.eq_ignore_ascii_case("(note:"))
}

/// `(starting the engine)` → `starting the engine`; lines joined with a space.
fn paren_inner(p: &str) -> String {
    let inner = p.trim().trim_start_matches('(').trim_end_matches(')');
    inner.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(line: &str) -> Option<(String, HeadingParts)> {
        parse_heading(line).map(|p| (line[p.text.clone()].to_string(), p))
    }

    #[test]
    fn heading_prefix_byte_test_keeps_every_match() {
        // Whatever follows the first letter, a line the pattern accepts passes the byte test.
        for c in ('\0'..='\u{2fff}').chain(['\u{feff}', '\u{ff4e}', '\u{1d427}']) {
            for first in ['i', 'I', 'e', 'E'] {
                for tail in [
                    "nt. X", "xt. X", "st. X", "/e. X", "t. X", "/ext. X", "NT X", "e. X",
                ] {
                    let line = format!("{first}{c}{tail}");
                    if HEADING_PREFIX.is_match(&line) {
                        assert!(has_heading_prefix(&line), "{line:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn heading_forms() {
        for (line, text) in [
            ("INT. HOUSE - DAY", "INT. HOUSE - DAY"),
            ("ext. OLYMPIA CIRCUS - NIGHT", "ext. OLYMPIA CIRCUS - NIGHT"),
            ("INT HOUSE DAY", "INT HOUSE DAY"),
            ("INT./EXT. CAR - MOVING", "INT./EXT. CAR - MOVING"),
            ("I/E HOUSE DAY", "I/E HOUSE DAY"),
            ("EST BUCKET LIST #A3-1#", "EST BUCKET LIST"),
            ("  .SNIPER SCOPE POV  ", "SNIPER SCOPE POV"),
            ("EST BUCKET LIST #😆#", "EST BUCKET LIST #😆#"),
        ] {
            assert_eq!(heading(line).map(|h| h.0).as_deref(), Some(text), "{line}");
        }
        for line in [
            "...where the carnival is",
            ". NOT A HEADER",
            "Interior design",
            "Est laborum",
            "",
            ".",
        ] {
            assert!(heading(line).is_none(), "{line}");
        }
    }

    #[test]
    fn heading_fields_and_number() {
        let (_, p) = heading("INT. HOUSE - DAY - FLASHBACK (1944) #110A#").expect("heading");
        assert_eq!(p.number.as_deref(), Some("110A"));
        assert_eq!(p.setting.as_deref(), Some("INT."));
        assert_eq!(p.place.as_deref(), Some("HOUSE"));
        assert_eq!(p.time.as_deref(), Some("DAY - FLASHBACK (1944)"));
        let (_, p) = heading("INT - HOUSE - DAY").expect("heading");
        assert_eq!(
            (p.setting.as_deref(), p.place.as_deref()),
            (Some("INT"), Some("HOUSE"))
        );
        let (_, p) = heading("EXT HOUSE NIGHT").expect("heading");
        assert_eq!(
            (p.place.as_deref(), p.time.as_deref()),
            (Some("HOUSE"), Some("NIGHT"))
        );
        let (_, p) = heading("INT. TOWER - BOARDROOM - DAY").expect("heading");
        assert_eq!(p.place.as_deref(), Some("TOWER - BOARDROOM"));
        let (_, p) = heading(".KITCHEN").expect("heading");
        assert_eq!((p.setting, p.place.as_deref()), (None, Some("KITCHEN")));
    }

    #[test]
    fn cues() {
        let cue = |t: &str| parse_cue(t).map(|c| (c.speaker, c.extension, c.dual));
        assert_eq!(cue("STEEL"), Some(("STEEL".into(), None, false)));
        assert_eq!(
            cue("HANS (on the radio)"),
            Some(("HANS".into(), Some("on the radio".into()), false))
        );
        assert_eq!(
            cue("STEEL (V.O.) (CONT'D)"),
            Some(("STEEL".into(), Some("V.O.; CONT'D".into()), false))
        );
        assert_eq!(
            cue("BUT (Dual) ^"),
            Some(("BUT".into(), Some("Dual".into()), true))
        );
        assert_eq!(cue("@McCLANE"), Some(("McCLANE".into(), None, false)));
        assert_eq!(cue("@3CPO"), Some(("3CPO".into(), None, false)));
        assert_eq!(cue("JIM😆"), Some(("JIM😆".into(), None, false)));
        for no in [
            "3CPO",
            "23 (O.S.)",
            "Han (O. S.)",
            "AND ^ (Dual)",
            "CUT TO:",
            "小宝",
            "(Jack)",
            "BOB (x) y",
            "@",
        ] {
            assert_eq!(cue(no), None, "{no}");
        }
        assert_eq!(cue("@小宝"), Some(("小宝".into(), None, false)));
    }

    #[test]
    fn transitions() {
        assert!(is_transition_text("CUT TO:"));
        assert!(is_transition_text("FADE TO BLACK."));
        assert!(!is_transition_text("CUT TO:  "));
        assert!(!is_transition_text("boop boop TO:"));
    }

    #[test]
    fn lines_in_all_endings() {
        assert_eq!(
            split_lines("a\r\nb\rc\nd"),
            [(0, 1), (3, 4), (5, 6), (7, 8)]
        );
        assert_eq!(split_lines("\u{feff}a\n"), [(3, 4)]);
        assert_eq!(split_lines(""), []);
    }

    #[test]
    fn masks_and_hidden_lines() {
        let src = "a [[x]]\n[[note\n  \nmore]]\n[[no\n\nclose]]\n/* b\n\nc */ d\n";
        let doc = Doc::new(src);
        let kinds: Vec<LineKind> = doc.lines.iter().map(|l| l.kind).collect();
        use LineKind::*;
        assert_eq!(
            kinds,
            [
                Text, Hidden, Hidden, Hidden, Text, Blank, Text, Hidden, Hidden, Text
            ]
        );
        let found: Vec<&str> = doc.masks.iter().map(|m| &src[m.start..m.end]).collect();
        assert_eq!(found, ["[[x]]", "[[note\n  \nmore]]", "/* b\n\nc */"]);
    }

    #[test]
    fn dialogue_block_with_parentheticals() {
        let src = "STEEL\nThey're coming!\n(pause)\nNo, everybody!\n  (a long\n  pause)\nSniper?\n";
        let p = parse(src);
        let d = &p.scenes[0].elements[0];
        assert_eq!(d.speaker.as_deref(), Some("STEEL"));
        assert_eq!(d.parenthetical.as_deref(), Some("pause; a long pause"));
        assert_eq!(d.parenthetical_spans.len(), 2);
        assert!(
            src[d.text.clone()].starts_with("They're") && src[d.text.clone()].ends_with("Sniper?")
        );
    }
}
