//! The screenplay model shared by every parser: a decoded source text split into scenes, each a
//! list of elements. Elements keep byte ranges into the source; lines and columns are computed
//! only when something is rendered (see [`LineIndex`]).

pub mod decode;
pub mod detect;
pub mod docx;
pub mod fdx;
pub mod fountain;
pub mod lines;
pub mod markdown;
pub mod zh;

use serde::Serialize;
use std::ops::Range;

pub use decode::{Decoded, decode};
pub use detect::{Format, detect_format};
pub use lines::LineIndex;

/// A byte range into [`Script::source`].
pub type Span = Range<usize>;

/// What an element is. Serialized in snake_case for the `scenes` JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ElementKind {
    Action,
    Dialogue,
    Transition,
    /// A list of characters: `人物：A、B`, a cast list on a heading line, Fountain `Cast:`.
    Cast,
    /// Notes for the production: Fountain `[[ ]]`, `【拍摄备注】`, `NOTE:` lines.
    Note,
    /// Fountain `#` sections, episode markers such as `第1集`.
    Section,
    Synopsis,
    Lyric,
    Centered,
    PageBreak,
    /// On-screen text: `字幕：`, `【字幕：…】`, SUPER: lines.
    Subtitle,
    /// Title page or front matter entries (scene 0). Added to DESIGN.md's list.
    Title,
    /// Text that is not part of the script: Fountain boneyard, Markdown `<!-- -->`, `// …`.
    /// Suppression comments live here. Added to DESIGN.md's list.
    Comment,
}

impl ElementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ElementKind::Action => "action",
            ElementKind::Dialogue => "dialogue",
            ElementKind::Transition => "transition",
            ElementKind::Cast => "cast",
            ElementKind::Note => "note",
            ElementKind::Section => "section",
            ElementKind::Synopsis => "synopsis",
            ElementKind::Lyric => "lyric",
            ElementKind::Centered => "centered",
            ElementKind::PageBreak => "page_break",
            ElementKind::Subtitle => "subtitle",
            ElementKind::Title => "title",
            ElementKind::Comment => "comment",
        }
    }
}

/// One element of a scene.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub kind: ElementKind,
    /// Everything the element covers in the source, cue and parenthetical lines included.
    pub span: Span,
    /// The element's own words (the spoken line, the action text), a sub-range of `span`.
    /// Rules match here. May be empty (a page break).
    pub text: Span,
    /// Dialogue: the speaker's base name, without extension, age, `@` or `^`.
    pub speaker: Option<String>,
    /// Dialogue: `V.O.`, `O.S.`, `OS`, `画外音`, `内心OS`, …
    pub extension: Option<String>,
    /// Dialogue: the parenthetical(s), without brackets, joined by "; " when several.
    pub parenthetical: Option<String>,
    /// Byte ranges of the parentheticals in the source (for rules scoped to them).
    pub parenthetical_spans: Vec<Span>,
    /// Fountain `^` dual dialogue.
    pub dual: bool,
    /// Inside a flashback block (`【闪回】…【闪回结束】`).
    pub flashback: bool,
}

impl Element {
    /// A new element whose words are its whole span.
    pub fn new(kind: ElementKind, span: Span) -> Self {
        Element {
            kind,
            text: span.clone(),
            span,
            speaker: None,
            extension: None,
            parenthetical: None,
            parenthetical_spans: Vec::new(),
            dual: false,
            flashback: false,
        }
    }

    /// A new element with words in a sub-range of its span.
    pub fn with_text(kind: ElementKind, span: Span, text: Span) -> Self {
        Element {
            text,
            ..Element::new(kind, span)
        }
    }

    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        source.get(self.text.clone()).unwrap_or("")
    }
}

/// A scene: index 0 is everything before the first heading (title page, front matter, cast).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scene {
    pub index: usize,
    /// The heading as written, trimmed, without Markdown markers, Fountain `.` or `#1A#`.
    pub heading: Option<String>,
    /// The heading line in the source.
    pub heading_span: Option<Span>,
    /// Fountain `#12A#` scene number, or the `1-2` of a Chinese heading.
    pub number: Option<String>,
    /// 日/夜/DAY/NIGHT/… as written.
    pub time: Option<String>,
    /// 内/外/INT/EXT/INT./EXT. as written.
    pub setting: Option<String>,
    /// The place, as written.
    pub place: Option<String>,
    /// The whole scene, heading to the byte before the next heading.
    pub span: Span,
    pub elements: Vec<Element>,
}

/// A character the source declares in structured form (Markdown front matter `cast:`), before
/// the cast model reads the text. Text forms (`人物：小宝（6岁）`, `LILY (6)`) are found by
/// [`crate::cast`] itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    pub name: String,
    pub age: Option<u32>,
    pub aliases: Vec<String>,
    /// Where it was declared (for the evidence line).
    pub span: Span,
}

/// A parsed script.
#[derive(Debug, Clone)]
pub struct Script {
    /// The decoded text, newlines as in the file (CR, LF or CRLF).
    pub source: String,
    pub format: Format,
    /// The encoding assumed when decoding: `utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be`, `gb18030`.
    pub encoding: &'static str,
    /// Scene 0 first, then 1..N.
    pub scenes: Vec<Scene>,
    pub declared: Vec<Declared>,
}

impl Script {
    /// Scenes with a heading (the `scenes` count in reports).
    pub fn headed_scenes(&self) -> usize {
        self.scenes.iter().filter(|s| s.index > 0).count()
    }
}

/// What a format parser returns: scenes (scene 0 first) and structured declarations.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub scenes: Vec<Scene>,
    pub declared: Vec<Declared>,
}

/// Decode bytes, pick a format from the file name and content, and parse.
pub fn parse_bytes(name: &str, bytes: &[u8]) -> Result<Script, ParseError> {
    if detect::is_docx_name(name) {
        // Word files are zip archives: take the paragraphs out as plain text, then read that
        // text as the plain layout it is written in.
        let text = docx::extract_text(bytes)?;
        let format = detect::detect_plain(&text);
        let mut script = parse_text(text, format);
        script.encoding = "docx";
        return Ok(script);
    }
    let decoded = decode(bytes)?;
    let format = detect_format(name, &decoded.text);
    let mut script = parse_text(decoded.text, format);
    script.encoding = decoded.encoding;
    Ok(script)
}

/// Parse already decoded text in a known format (encoding recorded as `utf-8`).
pub fn parse_text(source: String, format: Format) -> Script {
    let parsed = match format {
        Format::Fountain => fountain::parse(&source),
        Format::Markdown => markdown::parse(&source),
        Format::Zh => zh::parse(&source),
        Format::Fdx => fdx::parse(&source),
    };
    let mut scenes = parsed.scenes;
    if scenes.first().map(|s| s.index) != Some(0) {
        scenes.insert(
            0,
            Scene {
                index: 0,
                span: 0..0,
                ..Scene::default()
            },
        );
    }
    Script {
        source,
        format,
        encoding: "utf-8",
        scenes,
        declared: parsed.declared,
    }
}

/// Why a file could not be read as a script.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("binary file ({0}), not a script")]
    Binary(&'static str),
    #[error("not valid text in UTF-8, UTF-16 or GB18030 (first bad byte at offset {0})")]
    Undecodable(usize),
    #[error("UTF-16 text without a byte-order mark: save it as UTF-8 (or UTF-16 with a BOM)")]
    Utf16WithoutBom,
    #[error("not a readable Word document: {0}")]
    Docx(String),
    #[error("file is {size} bytes, over the {limit}-byte limit (raise it with --max-file-size)")]
    TooLarge { size: u64, limit: u64 },
}

/// The parts of a scene heading line, shared by the parsers (Markdown reuses the Fountain and
/// Chinese heading recognisers). Ranges are relative to the line given.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HeadingParts {
    /// The heading text to show: trimmed, without markers, forcing `.` or `#1A#`.
    pub text: Span,
    pub number: Option<String>,
    pub time: Option<String>,
    pub setting: Option<String>,
    pub place: Option<String>,
    /// A cast list written on the heading line (`人物：A、B`), split off as a `cast` element.
    pub cast: Option<Span>,
}
