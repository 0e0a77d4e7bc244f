//! Markdown scripts. pulldown-cmark finds the top-level blocks (with byte offsets); each block is
//! then read line by line, because Markdown scripts put one screenplay element on each line of a
//! paragraph (`**小宝**：台词`, `**MIA:** line`, `*Close on …*`).
//!
//! Scene headings are headings (any level) or bold-only lines whose text the Fountain or Chinese
//! heading recogniser accepts (`## 第2场 夜 内 卧室`, `### INT. CLASSROOM - DAY`,
//! `**1-1 日 外 中学操场**`); other headings are sections. YAML front matter becomes a title
//! element, and its `cast:` list becomes [`Declared`] characters.
//!
//! Only top-level blocks are visited, so nesting depth never costs stack or repeated work; lines
//! that pulldown-cmark drops (link reference definitions) are filled back in as action.

use super::{Declared, Element, ElementKind, HeadingParts, Parsed, Scene, Span};
use pulldown_cmark::{Event, Options, Parser, Tag};
use regex::Regex;
use std::sync::LazyLock;

/// A `cast:` block larger than this is kept in the title element but not read as YAML.
const CAST_BLOCK_LIMIT: usize = 16 * 1024;
/// Deeper `[`/`{` nesting than this is not a cast list; the YAML reader is slow on it.
const FLOW_DEPTH_LIMIT: usize = 16;

/// Parse a Markdown script into scenes.
pub fn parse(source: &str) -> Parsed {
    let mut b = Builder::new(source);
    let mut body_start = 0;
    if let Some(fm) = front_matter(source) {
        b.front_matter(&fm);
        body_start = fm.body_start;
    }
    let body = source.get(body_start..).unwrap_or("");
    let mut depth = 0usize;
    let mut top: Option<(BlockKind, Span)> = None;
    for (event, range) in Parser::new_ext(body, Options::empty()).into_offset_iter() {
        let range = range.start + body_start..range.end + body_start;
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    top = Some((BlockKind::of(&tag), range));
                }
                depth += 1;
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0
                    && let Some((kind, span)) = top.take()
                {
                    b.block(kind, span);
                }
            }
            Event::Rule if depth == 0 => b.block(BlockKind::Rule, range),
            _ if depth == 0 => b.block(BlockKind::Other, range),
            _ => {}
        }
    }
    b.finish()
}

/// The top-level block kinds that are read differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Heading,
    Paragraph,
    /// Lists and block quotes: read line by line with their markers stripped.
    Container,
    List,
    Html,
    Code,
    Rule,
    Other,
}

impl BlockKind {
    fn of(tag: &Tag) -> Self {
        match tag {
            Tag::Heading { .. } => BlockKind::Heading,
            Tag::Paragraph => BlockKind::Paragraph,
            Tag::BlockQuote(_) => BlockKind::Container,
            Tag::List(_) => BlockKind::List,
            Tag::HtmlBlock => BlockKind::Html,
            Tag::CodeBlock(_) => BlockKind::Code,
            _ => BlockKind::Other,
        }
    }
}

/// Where a line sits, which limits what it can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineCtx {
    /// A paragraph line; `alone` when it is the paragraph's only line.
    Paragraph { alone: bool },
    /// Inside a list or block quote: never a scene heading.
    Nested,
}

struct Builder<'a> {
    src: &'a str,
    scenes: Vec<Scene>,
    declared: Vec<Declared>,
    /// End of the last block handled: non-blank lines between it and the next block are kept.
    covered: usize,
    /// Inside `【闪回】` … `【闪回结束】`.
    flashback: bool,
    /// The block just read was a cast label (`**Cast**`, `## 人物`): a list right after it is
    /// the cast.
    cast_label: bool,
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
            declared: Vec::new(),
            covered: 0,
            flashback: false,
            cast_label: false,
        }
    }

    fn finish(mut self) -> Parsed {
        self.fill_gap(self.src.len());
        let len = self.src.len();
        if let Some(last) = self.scenes.last_mut() {
            last.span.end = len;
        }
        Parsed {
            scenes: self.scenes,
            declared: self.declared,
        }
    }

    fn push(&mut self, mut el: Element) {
        let t = self.src.get(el.text.clone()).unwrap_or("");
        if FLASHBACK_END.is_match(t) {
            el.flashback = self.flashback;
            self.flashback = false;
        } else if FLASHBACK_START.is_match(t) {
            self.flashback = true;
            el.flashback = true;
        } else {
            el.flashback = self.flashback;
        }
        if let Some(scene) = self.scenes.last_mut() {
            scene.elements.push(el);
        }
    }

    /// Keep every non-blank line in `[covered, to)` as action.
    fn fill_gap(&mut self, to: usize) {
        let from = self.covered.min(to);
        for (s, e) in Lines::new(self.src, from, to) {
            let (s, e) = trim(self.src, s, e);
            if s < e {
                self.push(Element::new(ElementKind::Action, s..e));
            }
        }
        self.covered = self.covered.max(to);
    }

    fn block(&mut self, kind: BlockKind, span: Span) {
        let start = span.start.max(self.covered);
        let (start, end) = trim(self.src, start, span.end.max(start));
        if start >= end {
            return;
        }
        self.fill_gap(start);
        let after_cast_label = std::mem::take(&mut self.cast_label);
        match kind {
            BlockKind::Heading => self.heading(start, end),
            BlockKind::Paragraph => {
                let lines: Vec<(usize, usize)> = Lines::new(self.src, start, end).collect();
                let alone = lines.len() == 1;
                for (s, e) in lines {
                    self.line(s, s, e, LineCtx::Paragraph { alone });
                }
            }
            BlockKind::List => self.nested(start, end, after_cast_label),
            BlockKind::Container => self.nested(start, end, false),
            BlockKind::Html => {
                let kind = if self.src[start..end].starts_with("<!--") {
                    ElementKind::Comment
                } else {
                    ElementKind::Action
                };
                self.push(Element::new(kind, start..end));
            }
            BlockKind::Rule => self.push(Element::with_text(
                ElementKind::PageBreak,
                start..end,
                end..end,
            )),
            BlockKind::Code | BlockKind::Other => {
                self.push(Element::new(ElementKind::Action, start..end));
            }
        }
        self.covered = self.covered.max(end);
    }

    /// A Markdown heading: a scene heading, or a section.
    fn heading(&mut self, start: usize, end: usize) {
        let (ts, te) = heading_text(self.src, start, end);
        let (ts, te) = strip_bold(self.src, ts, te);
        if ts >= te {
            self.push(Element::new(ElementKind::Section, start..end));
            return;
        }
        let text = &self.src[ts..te];
        if !is_episode(text)
            && let Some(parts) = scene_heading(text, Fallback::Loose)
        {
            self.start_scene(start, end, ts, parts);
            return;
        }
        if is_cast_label(text) {
            self.cast_label = true;
        }
        self.push(Element::with_text(ElementKind::Section, start..end, ts..te));
    }

    /// Start a new scene at the heading line `[line_start, line_end)`; `text_start` is where the
    /// text given to the recogniser begins (the `parts` ranges are relative to it).
    fn start_scene(
        &mut self,
        line_start: usize,
        line_end: usize,
        text_start: usize,
        parts: HeadingParts,
    ) {
        if let Some(last) = self.scenes.last_mut() {
            last.span.end = line_start;
        }
        // A flashback does not run on into the next scene.
        self.flashback = false;
        let heading = self
            .src
            .get(text_start + parts.text.start..text_start + parts.text.end)
            .map(|h| h.trim().to_string());
        let index = self.scenes.len();
        self.scenes.push(Scene {
            index,
            heading,
            heading_span: Some(line_start..line_end),
            number: parts.number,
            time: parts.time,
            setting: parts.setting,
            place: parts.place,
            span: line_start..line_end,
            elements: Vec::new(),
        });
        if let Some(cast) = parts.cast {
            let span = text_start + cast.start..text_start + cast.end;
            if span.end <= line_end && self.src.is_char_boundary(span.start) {
                self.push(Element::new(ElementKind::Cast, span));
            }
        }
    }

    /// Lists and block quotes, a line at a time with `>` and list markers stripped.
    fn nested(&mut self, start: usize, end: usize, cast: bool) {
        let lines: Vec<(usize, usize)> = Lines::new(self.src, start, end).collect();
        for (ls, le) in lines {
            let (ls, le) = trim(self.src, ls, le);
            if ls >= le {
                continue;
            }
            let cs = ls + marker_len(&self.src[ls..le]);
            let (cs, ce) = trim(self.src, cs, le);
            if cs >= ce {
                // A bare marker line (`>`, `-`): keep it so nothing disappears.
                self.push(Element::new(ElementKind::Action, ls..le));
                continue;
            }
            let in_scene0 = self.scenes.len() == 1;
            if cast || (in_scene0 && CAST_ENTRY.is_match(&self.src[cs..ce])) {
                self.push(Element::with_text(ElementKind::Cast, ls..le, cs..ce));
            } else {
                self.line(ls, cs, ce, LineCtx::Nested);
            }
        }
    }

    /// One line: `[span_start, e)` is what the element covers (markers included), `[s, e)` the
    /// content to classify.
    fn line(&mut self, span_start: usize, s: usize, e: usize, ctx: LineCtx) {
        let (s, mut e) = trim(self.src, s, e);
        if s >= e {
            return;
        }
        // A trailing `<!-- … -->` on the line is a comment of its own (suppressions live there).
        let mut comment = None;
        if let Some(c) = trailing_comment(&self.src[s..e]) {
            comment = Some(s + c..e);
            e = trim(self.src, s, s + c).1;
        }
        if s < e {
            let el = self.classify(span_start, s, e, ctx);
            if let Some(el) = el {
                self.push(el);
            }
        }
        if let Some(c) = comment {
            let start = if s < e { c.start } else { span_start };
            self.push(Element::new(ElementKind::Comment, start..c.end));
        }
    }

    /// What a non-empty, trimmed line is. Returns None when it started a scene.
    fn classify(&mut self, span_start: usize, s: usize, e: usize, ctx: LineCtx) -> Option<Element> {
        let src = self.src;
        let t = &src[s..e];
        let span = span_start..e;
        let heading_ok = matches!(ctx, LineCtx::Paragraph { .. });
        if let Some((bs, be)) = bold_only(src, s, e) {
            let inner = &src[bs..be];
            if heading_ok
                && !is_episode(inner)
                && let Some(parts) = scene_heading(inner, Fallback::Loose)
            {
                self.start_scene(span_start, e, bs, parts);
                return None;
            }
            if is_cast_label(inner) {
                self.cast_label = true;
                return Some(Element::with_text(ElementKind::Section, span, bs..be));
            }
            if is_episode(inner) {
                return Some(Element::with_text(ElementKind::Section, span, bs..be));
            }
        }
        if t.starts_with("<!--") {
            return Some(Element::new(ElementKind::Comment, span));
        }
        if NOTE.is_match(t) {
            return Some(Element::with_text(ElementKind::Note, span, s..e));
        }
        if SUBTITLE.is_match(t) {
            return Some(Element::with_text(ElementKind::Subtitle, span, s..e));
        }
        if let Some(m) = CAST_LINE.find(t) {
            let ts = trim(src, s + m.end(), e).0;
            if ts >= e {
                self.cast_label = true;
            }
            return Some(Element::with_text(ElementKind::Cast, span, s..e));
        }
        if let Some(el) = dialogue(src, span_start, s, e) {
            return Some(el);
        }
        if TRANSITION.is_match(t) {
            return Some(Element::with_text(ElementKind::Transition, span, s..e));
        }
        if let Some((is, ie)) = italic_only(src, s, e) {
            return Some(Element::with_text(ElementKind::Action, span, is..ie));
        }
        if is_episode(t) && t.chars().count() <= 40 {
            return Some(Element::with_text(ElementKind::Section, span, s..e));
        }
        // A plain line may still be a heading (`INT. HOUSE - DAY`, `1-1 日 内 客厅` written
        // without Markdown); our own fallback only trusts it alone in its paragraph.
        if let LineCtx::Paragraph { alone } = ctx {
            let fallback = if alone {
                Fallback::Strict
            } else {
                Fallback::None
            };
            if let Some(parts) = scene_heading(t, fallback) {
                self.start_scene(span_start, e, s, parts);
                return None;
            }
        }
        Some(Element::with_text(ElementKind::Action, span, s..e))
    }

    /// Take the YAML front matter: a title element, and the `cast:` entries.
    fn front_matter(&mut self, fm: &FrontMatter) {
        self.push(Element::with_text(
            ElementKind::Title,
            0..fm.end,
            fm.yaml.clone(),
        ));
        self.covered = fm.body_start;
        if let Some(yaml) = self.src.get(fm.yaml.clone())
            && let Some((start, end)) = cast_block(yaml)
            && safe_yaml(&yaml[start..end])
        {
            self.declared = declared_cast(&yaml[start..end], fm.yaml.start + start);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Lines and trimming

/// `(start, end_without_line_ending)` of each line in `[from, to)`; LF, CRLF and lone CR all end
/// a line.
struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
    end: usize,
}

impl<'a> Lines<'a> {
    fn new(src: &'a str, from: usize, to: usize) -> Self {
        let end = to.min(src.len());
        Lines {
            bytes: src.as_bytes(),
            pos: from.min(end),
            end,
        }
    }
}

impl Iterator for Lines<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        if self.pos >= self.end {
            return None;
        }
        let start = self.pos;
        let mut i = start;
        while i < self.end && !matches!(self.bytes[i], b'\n' | b'\r') {
            i += 1;
        }
        let line_end = i;
        if i < self.end && self.bytes[i] == b'\r' && self.bytes.get(i + 1) == Some(&b'\n') {
            i += 1;
        }
        self.pos = (i + 1).min(self.end.max(i + 1));
        Some((start, line_end))
    }
}

/// Shrink `[s, e)` past whitespace on both sides (full-width spaces included).
fn trim(src: &str, s: usize, e: usize) -> (usize, usize) {
    let Some(t) = src.get(s..e) else {
        return (s, s);
    };
    let lead = t.len() - t.trim_start().len();
    let tail = t.trim_end().len();
    if lead >= tail {
        (s + lead, s + lead)
    } else {
        (s + lead, s + tail)
    }
}

/// Length of the leading `>` and list markers (`-`, `*`, `+`, `1.`, `1)`) of a nested line.
fn marker_len(line: &str) -> usize {
    let b = line.as_bytes();
    let mut i = 0;
    loop {
        let start = i;
        while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
            i += 1;
        }
        if i < b.len() && b[i] == b'>' {
            i += 1;
            continue;
        }
        if i < b.len()
            && matches!(b[i], b'-' | b'*' | b'+')
            && b.get(i + 1).is_none_or(|c| *c == b' ' || *c == b'\t')
        {
            i += 1;
            continue;
        }
        let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if (1..=9).contains(&digits)
            && matches!(b.get(i + digits), Some(b'.') | Some(b')'))
            && b.get(i + digits + 1)
                .is_none_or(|c| *c == b' ' || *c == b'\t')
        {
            i += digits + 1;
            continue;
        }
        return start.max(i.min(b.len()));
    }
}

// ---------------------------------------------------------------------------------------------
// Headings

/// The text of a heading block: ATX `#` markers and closing `#`s, or the setext underline,
/// removed.
fn heading_text(src: &str, start: usize, end: usize) -> (usize, usize) {
    let t = &src[start..end];
    if t.starts_with('#') {
        let first = Lines::new(src, start, end).next().unwrap_or((start, end));
        let line = &src[first.0..first.1];
        let s = first.0 + (line.len() - line.trim_start_matches('#').len());
        let (s, e) = trim(src, s, first.1);
        // An optional closing sequence: spaces then `#`s.
        let body = &src[s..e];
        let stripped = body.trim_end_matches('#');
        if stripped.len() < body.len() && (stripped.is_empty() || stripped.ends_with([' ', '\t'])) {
            return trim(src, s, s + stripped.len());
        }
        return (s, e);
    }
    // Setext: every line but the underline.
    let lines: Vec<(usize, usize)> = Lines::new(src, start, end).collect();
    match lines.as_slice() {
        [first, .., last_text, _underline] => trim(src, first.0, last_text.1),
        [only, _underline] => trim(src, only.0, only.1),
        _ => trim(src, start, end),
    }
}

/// `**text**` or `__text__` with nothing else: the inner range, trimmed.
fn bold_only(src: &str, s: usize, e: usize) -> Option<(usize, usize)> {
    let t = &src[s..e];
    for m in ["**", "__"] {
        if t.len() > 4 && t.starts_with(m) && t.ends_with(m) && !t[2..t.len() - 2].contains(m) {
            let (a, b) = trim(src, s + 2, e - 2);
            return (a < b).then_some((a, b));
        }
    }
    None
}

/// Like [`bold_only`] but tolerant: used on heading text, where `**` is optional.
fn strip_bold(src: &str, s: usize, e: usize) -> (usize, usize) {
    bold_only(src, s, e).unwrap_or((s, e))
}

/// `*text*` or `_text_` (not bold): the inner range.
fn italic_only(src: &str, s: usize, e: usize) -> Option<(usize, usize)> {
    let t = &src[s..e];
    for m in ['*', '_'] {
        if t.len() > 2
            && t.starts_with(m)
            && t.ends_with(m)
            && !t[1..].starts_with(m)
            && !t[..t.len() - 1].ends_with(m)
        {
            let (a, b) = trim(src, s + 1, e - 1);
            return (a < b).then_some((a, b));
        }
    }
    None
}

/// How much our own fallback recogniser may accept when the Fountain and Chinese ones do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fallback {
    /// Marked headings (`##`, bold lines): `1-2 …` and bare `INT` count too.
    Loose,
    /// A plain line alone in its paragraph: `INT. …`, `第N场`, `场景N` only.
    Strict,
    /// A plain line among others: only the real recognisers.
    None,
}

/// A scene heading: the Fountain or Chinese recogniser, else a small fallback of our own.
fn scene_heading(text: &str, fallback: Fallback) -> Option<HeadingParts> {
    if text.is_empty() || text.starts_with('.') {
        return None;
    }
    if let Some(p) = super::fountain::parse_heading(text) {
        return Some(p);
    }
    if let Some(p) = super::zh::parse_heading(text) {
        return Some(p);
    }
    let matched = match fallback {
        Fallback::Loose => FALLBACK_LOOSE.is_match(text),
        Fallback::Strict => FALLBACK_STRICT.is_match(text),
        Fallback::None => false,
    };
    matched.then(|| HeadingParts {
        text: 0..text.len(),
        ..HeadingParts::default()
    })
}

static FALLBACK_STRICT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:INT|EXT|EST|INT\./EXT|INT/EXT|I/E)[.\s]\s*\S|第[0-9一二三四五六七八九十百零〇两]+场|场景\s*[0-9一二三四五六七八九十百零〇两]+)")
        .expect("valid regex")
});

static FALLBACK_LOOSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:int|ext|est|int\./ext|int/ext|i/e)(?:[.\s/]|$)|第[0-9一二三四五六七八九十百零〇两]+场|场景\s*[0-9一二三四五六七八九十百零〇两]+|\d{1,4}\s*[-－]\s*\d{1,4}(?:\s|[、.：:]|$)|(?:内景|外景))")
        .expect("valid regex")
});

/// Episode markers are sections, never scenes.
fn is_episode(text: &str) -> bool {
    EPISODE.is_match(text)
}

static EPISODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[【\[]?\s*(?:第\s*[0-9一二三四五六七八九十百零〇两]+\s*集|episode\s*\d+|ep\.?\s*\d+)")
        .expect("valid regex")
});

/// `Cast`, `人物`, `Characters:`, `出场人物`: a label whose list is the cast.
fn is_cast_label(text: &str) -> bool {
    CAST_LABEL.is_match(text.trim())
}

static CAST_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:cast(?:\s+list)?|characters|cast of characters|人物(?:表|介绍|小传)?|出场人物|主要人物|角色(?:表|介绍)?|演员表)\s*[:：]?$")
        .expect("valid regex")
});

/// A list item that reads as a cast entry: `ZOE STERLING, 6, …`, `小宝（6岁）…`, `LILY (6)`.
static CAST_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\**[^,，:：()（）]{1,40}?\**\s*(?:[,，、—–-]|[(（])\s*\d{1,3}\s*(?:岁|歲|years?\b|yo\b|[)）,，、]|$)")
        .expect("valid regex")
});

// ---------------------------------------------------------------------------------------------
// Line kinds

static FLASHBACK_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\**[【\[（(]\s*(?:闪回|回忆)(?:开始)?\s*[】\]）)]|^\**(?i:flashback)\s*[:：]?\**$",
    )
    .expect("valid regex")
});

static FLASHBACK_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\**[【\[（(]\s*(?:闪回|回忆)\s*(?:结束|完)\s*[】\]）)]|^\**(?i:end (?:of )?flashback)\s*[.:：]?\**$")
        .expect("valid regex")
});

static NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:【\s*(?:拍摄|制作|导演|场记)?备注|【\s*注[:：]|\[\[|(?i:\**\s*note\s*\**\s*[:：]))",
    )
    .expect("valid regex")
});

static SUBTITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:【\s*字幕|字幕\s*[:：]|(?i:\**\s*super\s*\**\s*[:：]))").expect("valid regex")
});

static CAST_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\**(?:出场人物|人物|出场|(?i:cast))\**\s*[:：]\**").expect("valid regex")
});

static TRANSITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\**(?:[A-Z][A-Z .']*\s(?:TO|IN|OUT)[:.]|FADE (?:IN|OUT)[:.]?|CUT TO[:.]?|转场[:：]?.*|切至.*|（?(?:切换|淡入|淡出|黑屏)）?)\**$")
        .expect("valid regex")
});

/// A trailing `<!-- … -->` after some text: its byte offset in the line.
fn trailing_comment(line: &str) -> Option<usize> {
    let open = line.find("<!--")?;
    if open == 0 {
        return None;
    }
    line[open..].contains("-->").then_some(open)
}

// ---------------------------------------------------------------------------------------------
// Dialogue

/// Extensions that go in `extension`, not `parenthetical` (compared upper-cased, without dots,
/// spaces and apostrophes).
const EXTENSIONS: &[&str] = &[
    "VO",
    "OS",
    "OC",
    "CONTD",
    "OFF",
    "OFFSCREEN",
    "画外音",
    "画外",
    "内心OS",
    "内心",
    "内心独白",
    "OS画外音",
    "电话",
    "电话音",
    "电话声",
    "视频",
    "语音",
    "广播",
    "旁白",
];

/// Whether a cue's parenthetical is an extension (`V.O.`, `OS`, `画外音`); shared with FDX.
pub(crate) fn is_extension(p: &str) -> bool {
    let k: String = p
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '\'' | '’' | '\u{3000}'))
        .flat_map(char::to_uppercase)
        .collect();
    EXTENSIONS.contains(&k.as_str())
}

static AGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\d{1,3}\s*(?:岁|歲|years?(?:\s*old)?|yo)?$").expect("valid regex")
});

/// A plain (unbolded) cue: `小宝：`, `小宝（冷笑）：`, `MIA:`, `LILY (V.O.):`.
static PLAIN_CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[\p{Han}A-Za-z0-9·•]{1,8}(?:\s*[（(][^）)]{0,20}[）)])*\s*：|[A-Z][A-Z0-9 .'\-]{0,30}(?:\s*\([^)]{0,20}\))*:\s)")
        .expect("valid regex")
});

/// Words that take a colon but are not speakers.
const NOT_SPEAKERS: &[&str] = &[
    "人物", "时间", "地点", "场景", "备注", "字幕", "注", "出场", "道具", "服装", "景", "日期",
    "NOTE", "SUPER", "TITLE", "SCENE",
];

/// Read a dialogue line. `span_start` is where the element begins (markers included); `[s, e)`
/// the trimmed content.
fn dialogue(src: &str, span_start: usize, s: usize, e: usize) -> Option<Element> {
    let t = &src[s..e];
    let (name, rest) = if t.starts_with("**") || t.starts_with("__") {
        bold_cue(src, s, e)?
    } else {
        let m = PLAIN_CUE.find(t)?;
        let colon = t[..m.end()].rfind([':', '：'])?;
        ((s, s + colon), s + m.end())
    };
    let cue = parse_cue(src, name.0, name.1)?;
    if NOT_SPEAKERS
        .iter()
        .any(|w| cue.speaker.eq_ignore_ascii_case(w))
    {
        return None;
    }
    // `他笑着说：“走吧。”` is action that quotes, not a cue.
    if !t.starts_with(['*', '_'])
        && cue
            .speaker
            .ends_with(['说', '道', '问', '喊', '叫', '答', '骂', '着'])
    {
        return None;
    }
    let (mut ts, te) = trim(src, rest, e);
    let mut parens = cue.parens;
    // A parenthetical opening the spoken words: `**小宝**：（冷笑）台词`, `**ZOE:** (small) And`.
    if let Some((ps, pe, after)) = leading_paren(src, ts, te) {
        parens.push(ps..pe);
        ts = trim(src, after, te).0;
    }
    if ts >= te && parens.is_empty() {
        return None;
    }
    let mut el = Element::with_text(ElementKind::Dialogue, span_start..e, ts..te.max(ts));
    el.speaker = Some(cue.speaker);
    el.extension = cue.extension;
    if !parens.is_empty() {
        let words: Vec<&str> = parens.iter().filter_map(|p| src.get(p.clone())).collect();
        el.parenthetical = Some(words.join("; "));
    }
    el.parenthetical_spans = parens;
    Some(el)
}

/// `**NAME**：`, `**NAME**（paren）：`, `**NAME:**`, `**NAME (V.O.):**`: the cue's name range
/// (parentheses included, colon excluded) and where the words start.
fn bold_cue(src: &str, s: usize, e: usize) -> Option<((usize, usize), usize)> {
    let t = &src[s..e];
    let marker = &t[..2];
    let close = t[2..].find(marker)? + 2;
    let inner = &t[2..close];
    let inner_trim = inner.trim_end();
    if let Some(stripped) = inner_trim.strip_suffix([':', '：']) {
        return Some(((s + 2, s + 2 + stripped.len()), s + close + 2));
    }
    // The colon follows the bold name, perhaps after a parenthetical.
    let after = s + close + 2;
    let mut p = trim(src, after, e).0;
    if let Some((_, _, paren_end)) = leading_paren(src, p, e) {
        p = trim(src, paren_end, e).0;
    }
    let rest = &src[p..e];
    let colon = rest.chars().next().filter(|c| matches!(c, ':' | '：'))?;
    let name_end = if p > after { p } else { s + close };
    // The name range runs over the closing `**` when a parenthetical follows it; parse_cue
    // drops the markers.
    Some(((s + 2, name_end), p + colon.len_utf8()))
}

struct Cue {
    speaker: String,
    extension: Option<String>,
    /// Parentheticals written in the cue (`**小宝**（冷笑）：`).
    parens: Vec<Span>,
}

/// Split a cue into base name, extension and parentheticals; ages are dropped.
fn parse_cue(src: &str, s: usize, e: usize) -> Option<Cue> {
    let t = src.get(s..e)?;
    let base_end = t.find(['(', '（']).unwrap_or(t.len());
    let speaker: String = t[..base_end]
        .trim()
        .trim_matches(|c: char| c == '*' || c == '_' || c == '@' || c == '^' || c.is_whitespace())
        .to_string();
    if speaker.is_empty()
        || speaker.chars().count() > 30
        || speaker.contains([
            '。', '，', ',', '！', '!', '？', '?', '；', ';', '“', '"', '…',
        ])
    {
        return None;
    }
    let mut cue = Cue {
        speaker,
        extension: None,
        parens: Vec::new(),
    };
    let mut pos = s + base_end;
    while let Some((ps, pe, after)) = leading_paren(src, pos, e) {
        let word = src[ps..pe].trim();
        if is_extension(word) {
            cue.extension.get_or_insert_with(|| word.to_string());
        } else if !AGE.is_match(word) && !word.is_empty() {
            cue.parens.push(ps..pe);
        }
        pos = after;
        // Skip the closing bold marker between the name and a parenthetical.
        while pos < e && matches!(src.as_bytes()[pos], b'*' | b'_' | b' ' | b'\t') {
            pos += 1;
        }
        pos = trim(src, pos, e).0;
    }
    Some(cue)
}

/// `(…)` or `（…）` starting at `s` (after whitespace): the inner range and the end.
fn leading_paren(src: &str, s: usize, e: usize) -> Option<(usize, usize, usize)> {
    let (s, e) = trim(src, s, e);
    let t = &src[s..e];
    let (open, close) = if t.starts_with('(') {
        ('(', ')')
    } else if t.starts_with('（') {
        ('（', '）')
    } else {
        return None;
    };
    let inner_start = s + open.len_utf8();
    let close_at = src[inner_start..e].find(close)? + inner_start;
    let (a, b) = trim(src, inner_start, close_at);
    Some((a, b.max(a), close_at + close.len_utf8()))
}

// ---------------------------------------------------------------------------------------------
// Front matter

struct FrontMatter {
    /// End of the closing `---` line (its line ending excluded).
    end: usize,
    /// Where the Markdown body starts.
    body_start: usize,
    /// The YAML between the fences.
    yaml: Span,
}

/// `---` on the first line, closed by `---` or `...` on a later one.
fn front_matter(src: &str) -> Option<FrontMatter> {
    let bom = if src.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lines = Lines::new(src, bom, src.len());
    let (s, e) = lines.next()?;
    if src[s..e].trim_end() != "---" {
        return None;
    }
    let (_, first_end) = (s, e);
    let yaml_start = next_line_start(src, first_end);
    let mut first_content = true;
    for (ls, le) in lines {
        let l = src[ls..le].trim_end();
        // A `---` rule followed by script text is not front matter: YAML opens with a key.
        if first_content && !l.trim().is_empty() && !l.starts_with('#') {
            first_content = false;
            if l != "---" && l != "..." && !YAML_KEY.is_match(l) {
                return None;
            }
        }
        if l == "---" || l == "..." {
            return Some(FrontMatter {
                end: le,
                body_start: next_line_start(src, le),
                yaml: yaml_start.min(ls)..ls,
            });
        }
    }
    None
}

static YAML_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(?:[\w\p{Han} .-]{1,40}|"[^"]{1,40}"|'[^']{1,40}')\s*:(?:\s|$)"#)
        .expect("valid regex")
});

/// The start of the line after a line ending at `end`.
fn next_line_start(src: &str, end: usize) -> usize {
    let b = src.as_bytes();
    match b.get(end) {
        Some(b'\r') if b.get(end + 1) == Some(&b'\n') => end + 2,
        Some(b'\r') | Some(b'\n') => end + 1,
        _ => end,
    }
}

/// The `cast:` key's block in the front matter: its line through the line before the next
/// top-level key. Only this block is read as YAML, so the rest of the front matter (however
/// large or strange) costs nothing.
fn cast_block(yaml: &str) -> Option<(usize, usize)> {
    let mut start = None;
    for (ls, le) in Lines::new(yaml, 0, yaml.len()) {
        let line = &yaml[ls..le];
        let top_level = !line.is_empty() && !line.starts_with([' ', '\t', '-', '#']);
        match start {
            None if top_level && CAST_KEY.is_match(line) => start = Some(ls),
            Some(s) if top_level => return Some((s, ls)),
            _ => {}
        }
    }
    start.map(|s| (s, yaml.len()))
}

static CAST_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^["']?(?:cast|Cast|CAST|characters|Characters|人物|角色)["']?\s*:"#)
        .expect("valid regex")
});

/// Small, shallow, and without anchors or aliases (which can multiply a few bytes into
/// billions of nodes).
fn safe_yaml(block: &str) -> bool {
    if block.len() > CAST_BLOCK_LIMIT || ANCHOR.is_match(block) {
        return false;
    }
    let mut depth = 0usize;
    let mut max = 0usize;
    for b in block.bytes() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max <= FLOW_DEPTH_LIMIT
}

static ANCHOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)(?:^|[\s\[{,:])[&*][^\s,\]}]").expect("valid regex"));

/// The `cast:` list of the front matter. `base` is the block's offset in the source.
fn declared_cast(yaml: &str, base: usize) -> Vec<Declared> {
    let Ok(doc) = serde_yaml::from_str::<serde_yaml::Value>(yaml) else {
        return Vec::new();
    };
    let Some(map) = doc.as_mapping() else {
        return Vec::new();
    };
    let Some(cast) = [
        "cast",
        "Cast",
        "CAST",
        "characters",
        "Characters",
        "人物",
        "角色",
    ]
    .iter()
    .find_map(|k| map.get(*k)) else {
        return Vec::new();
    };
    let mut entries: Vec<(String, Option<u32>, Vec<String>)> = Vec::new();
    match cast {
        serde_yaml::Value::Sequence(items) => {
            for item in items {
                if let Some(entry) = seq_entry(item) {
                    entries.push(entry);
                }
            }
        }
        serde_yaml::Value::Mapping(m) => {
            for (k, v) in m {
                if let Some(name) = scalar_string(k) {
                    let (age, aliases) = match v {
                        serde_yaml::Value::Mapping(_) => (
                            v.get("age").or_else(|| v.get("年龄")).and_then(age_of),
                            aliases_of(v),
                        ),
                        other => (age_of(other), Vec::new()),
                    };
                    entries.push((name, age, aliases));
                }
            }
        }
        _ => {}
    }
    locate_entries(yaml, base, entries)
}

fn seq_entry(item: &serde_yaml::Value) -> Option<(String, Option<u32>, Vec<String>)> {
    match item {
        serde_yaml::Value::Mapping(_) => {
            let name = ["name", "姓名", "名字", "角色"]
                .iter()
                .find_map(|k| item.get(*k))
                .and_then(scalar_string)?;
            let age = item
                .get("age")
                .or_else(|| item.get("年龄"))
                .and_then(age_of);
            Some((name, age, aliases_of(item)))
        }
        serde_yaml::Value::String(s) => {
            // `小宝（6岁）` or `LILY, 6`.
            let cut = s.find(['(', '（', ',', '，']).unwrap_or(s.len());
            let name = s[..cut].trim().to_string();
            let age = AGE_IN_TEXT
                .captures(&s[cut..])
                .and_then(|c| c.get(1))
                .and_then(|m| m.as_str().parse().ok());
            (!name.is_empty()).then_some((name, age, Vec::new()))
        }
        _ => None,
    }
}

static AGE_IN_TEXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{1,3})").expect("valid regex"));

fn scalar_string(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An age as a number or a string such as `6`, `6岁`, `6 years`.
fn age_of(v: &serde_yaml::Value) -> Option<u32> {
    match v {
        serde_yaml::Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        serde_yaml::Value::String(s) => {
            let digits: String = s.trim().chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        }
        _ => None,
    }
    .filter(|a| *a < 150)
}

fn aliases_of(v: &serde_yaml::Value) -> Vec<String> {
    let Some(a) = ["aliases", "alias", "别名", "昵称"]
        .iter()
        .find_map(|k| v.get(*k))
    else {
        return Vec::new();
    };
    match a {
        serde_yaml::Value::Sequence(items) => items.iter().filter_map(scalar_string).collect(),
        other => scalar_string(other)
            .map(|s| {
                s.split([',', '，', '、'])
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Find each entry's lines in the YAML text, in order: from the line naming it through its
/// `age` line when that follows before the next entry.
fn locate_entries(
    yaml: &str,
    base: usize,
    entries: Vec<(String, Option<u32>, Vec<String>)>,
) -> Vec<Declared> {
    // The block starts with the `cast:` key line itself.
    let mut cursor = 0;
    let positions: Vec<Option<usize>> = entries
        .iter()
        .map(|(name, _, _)| {
            let found = yaml.get(cursor..).and_then(|rest| rest.find(name.as_str()));
            found.map(|p| {
                cursor += p + name.len();
                cursor - name.len()
            })
        })
        .collect();
    let whole = base..base + yaml.len();
    entries
        .into_iter()
        .enumerate()
        .map(|(i, (name, age, aliases))| {
            let span = positions[i].map_or(whole.clone(), |p| {
                let limit = positions[i + 1..]
                    .iter()
                    .flatten()
                    .next()
                    .copied()
                    .unwrap_or(yaml.len());
                entry_span(yaml, p, limit)
            });
            Declared {
                name,
                age,
                aliases,
                span: base + span.start..base + span.end,
            }
        })
        .collect()
}

/// The lines of one entry found at `at`: its line, extended to an `age:` line before `limit`.
fn entry_span(yaml: &str, at: usize, limit: usize) -> Span {
    let start = yaml[..at].rfind(['\n', '\r']).map_or(0, |p| p + 1);
    let line_end = |p: usize| yaml[p..].find(['\n', '\r']).map_or(yaml.len(), |q| p + q);
    let mut end = line_end(at);
    let mut p = end;
    // Look a few lines ahead for the age of a block mapping entry.
    for _ in 0..6 {
        p = next_line_start(yaml, p);
        if p >= limit || p >= yaml.len() {
            break;
        }
        let le = line_end(p).min(limit);
        let line = yaml[p..le].trim_start();
        if line.starts_with("- ") {
            break;
        }
        if line.starts_with("age") || line.starts_with("年龄") {
            end = le;
            break;
        }
        p = le;
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(p: &Parsed) -> Vec<&Element> {
        p.scenes.iter().flat_map(|s| &s.elements).collect()
    }

    #[test]
    fn headings_start_scenes_and_sections_stay() {
        let src = "# 第1集\n\n## 第2场 夜 内 卧室\n\n小宝坐在床上。\n\n### INT. CLASSROOM - DAY\n\nKids.\n";
        let p = parse(src);
        assert_eq!(p.scenes.len(), 3);
        assert_eq!(p.scenes[1].heading.as_deref(), Some("第2场 夜 内 卧室"));
        assert_eq!(p.scenes[2].heading.as_deref(), Some("INT. CLASSROOM - DAY"));
        assert_eq!(p.scenes[0].elements[0].kind, ElementKind::Section);
        assert_eq!(p.scenes[1].span.start, src.find("## 第2场").unwrap());
        assert_eq!(p.scenes[1].span.end, src.find("### INT").unwrap());
    }

    #[test]
    fn bold_heading_line_and_dialogue_forms() {
        let src = "**1-1 日 外 中学操场**\n**小宝**：（冷笑）我不怕。\n**小宝**（冷笑）：台词\n\n**LILY (V.O.):** Hello.\n**MIA** (whispering): Hi.\n";
        let p = parse(src);
        assert_eq!(p.scenes.len(), 2);
        assert_eq!(p.scenes[1].heading.as_deref(), Some("1-1 日 外 中学操场"));
        let d = &p.scenes[1].elements;
        assert_eq!(d.len(), 4);
        assert!(d.iter().all(|e| e.kind == ElementKind::Dialogue));
        assert_eq!(d[0].speaker.as_deref(), Some("小宝"));
        assert_eq!(d[0].parenthetical.as_deref(), Some("冷笑"));
        assert_eq!(d[0].text(src), "我不怕。");
        assert_eq!(d[1].parenthetical.as_deref(), Some("冷笑"));
        assert_eq!(d[1].text(src), "台词");
        assert_eq!(d[2].speaker.as_deref(), Some("LILY"));
        assert_eq!(d[2].extension.as_deref(), Some("V.O."));
        assert_eq!(d[2].text(src), "Hello.");
        assert_eq!(d[3].speaker.as_deref(), Some("MIA"));
        assert_eq!(d[3].parenthetical.as_deref(), Some("whispering"));
    }

    #[test]
    fn front_matter_cast() {
        let src = "---\ntitle: x\ncast:\n  - name: 团团\n    age: 5\n    aliases: [小团]\n  - name: 妈妈\n    role: 母亲\n---\n\n## 第1场 日 内 客厅\n";
        let p = parse(src);
        assert_eq!(p.declared.len(), 2);
        assert_eq!(p.declared[0].name, "团团");
        assert_eq!(p.declared[0].age, Some(5));
        assert_eq!(p.declared[0].aliases, vec!["小团".to_string()]);
        assert_eq!(
            &src[p.declared[0].span.clone()],
            "  - name: 团团\n    age: 5"
        );
        assert_eq!(p.declared[1].age, None);
        assert_eq!(p.scenes[0].elements[0].kind, ElementKind::Title);
        assert_eq!(p.scenes.len(), 2);
    }

    #[test]
    fn cast_mapping_and_malformed_yaml() {
        let p = parse("---\ncast:\n  小宝: 6\n  爸爸: \"35岁\"\n---\nx\n");
        assert_eq!(p.declared.len(), 2);
        assert_eq!(p.declared[1].age, Some(35));
        let p = parse("---\ncast: [ {name: \n---\ntext\n");
        assert!(p.declared.is_empty());
        assert_eq!(p.scenes[0].elements[0].kind, ElementKind::Title);
    }

    #[test]
    fn cast_list_notes_comments() {
        let src = "**Cast**\n\n- ZOE STERLING, 6, heiress\n- MS. GREEN, teacher\n\n<!-- dramalint-ignore x -->\n\n> 【拍摄备注】夜戏\n\n**NOTE:** safe\n\n*Close on her.*\n";
        let p = parse(src);
        let kinds: Vec<ElementKind> = all(&p).iter().map(|e| e.kind).collect();
        use ElementKind::*;
        assert_eq!(
            kinds,
            vec![Section, Cast, Cast, Comment, Note, Note, Action]
        );
        let els = all(&p);
        assert_eq!(els[1].text(src), "ZOE STERLING, 6, heiress");
        assert_eq!(els[6].text(src), "Close on her.");
    }

    #[test]
    fn cr_only_and_gaps_keep_lines() {
        let src = "## INT. A - DAY\r\r[ref]: http://x\r**A:** hi\rline two\r";
        let p = parse(src);
        assert_eq!(p.scenes.len(), 2);
        let els = all(&p);
        assert_eq!(els.len(), 3, "{els:?}");
        assert_eq!(els[1].kind, ElementKind::Dialogue);
    }

    #[test]
    fn plain_lines_flashback_and_episode() {
        let src = "第1集\n\nINT. HOUSE - DAY\n\n【闪回】\n**小宝（6岁）**：我怕。\n【闪回结束】\n他笑着说：“走吧。”\n";
        let p = parse(src);
        assert_eq!(p.scenes.len(), 2);
        assert_eq!(p.scenes[0].elements[0].kind, ElementKind::Section);
        let els = &p.scenes[1].elements;
        let flags: Vec<bool> = els.iter().map(|e| e.flashback).collect();
        assert_eq!(flags, vec![true, true, true, false]);
        assert_eq!(els[1].speaker.as_deref(), Some("小宝"));
        assert_eq!(els[1].parenthetical, None);
        assert_eq!(els[3].kind, ElementKind::Action);
    }

    #[test]
    fn rule_then_text_is_not_front_matter() {
        let src = "---\n## INT. A - DAY\n**A:** hi\n---\n";
        let p = parse(src);
        assert_eq!(p.scenes.len(), 2);
        assert!(p.declared.is_empty());
    }

    #[test]
    fn marker_len_strips_nesting() {
        assert_eq!(marker_len("> > - 1. x"), 9);
        assert_eq!(marker_len("**bold**"), 0);
        assert_eq!(marker_len("*italic*"), 0);
    }
}
