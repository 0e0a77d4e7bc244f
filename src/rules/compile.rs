//! From YAML text to checked runtime rules. Every error points into the YAML: file, line, key.

use super::literals;
pub use super::literals::ascii_boundaries;
use super::schema::*;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use miette::{Diagnostic, NamedSource, SourceSpan};
use regex::{Regex, RegexBuilder};
use regex_automata::meta;
use regex_syntax::hir::{
    Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Repetition,
};

use std::sync::{Arc, OnceLock};

/// Largest rule pack file read, so a pack from elsewhere cannot exhaust memory.
pub const MAX_PACK_BYTES: usize = 16 << 20;
/// Compiled size limit of one regex (the `regex` crate's `size_limit`).
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// Lazy-DFA cache per regex and thread: small, since hundreds of rule regexes each keep one.
pub const DFA_CACHE_LIMIT: usize = 1 << 17;

/// A rule pack that could not be loaded.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{path}:{line}:{column}: {message}")]
#[diagnostic(code(dramalint::rule_pack))]
pub struct PackError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl PackError {
    pub fn new(path: &str, text: &str, offset: usize, len: usize, message: String) -> Self {
        let offset = crate::script::lines::floor_char_boundary(text, offset);
        let idx = crate::script::LineIndex::new(text);
        let (line, column) = idx.line_col(text, offset);
        PackError {
            path: path.to_string(),
            line,
            column,
            label: "here".into(),
            message,
            src: NamedSource::new(path, text.to_string()),
            span: (offset, len.min(text.len().saturating_sub(offset))).into(),
            help: None,
        }
    }

    fn with_help(mut self, help: &str) -> Self {
        self.help = Some(help.to_string());
        self
    }
}

/// A regex checked when its pack loads but compiled on first use: the default packs hold
/// hundreds of patterns, and most runs need few of them, so compiling them all would dominate a
/// one-file run. Packs from folders are compiled at load, so size limits are enforced there.
#[derive(Debug)]
pub struct LazyRegex {
    /// The pattern as compiled: ASCII word boundaries, case-insensitive.
    source: String,
    /// The pattern as written in the pack.
    written: String,
    cell: std::sync::OnceLock<Option<Regex>>,
    /// The same pattern with every class cut down to [`NARROW`] characters, for texts made of
    /// those only (see [`narrow`]); None if it cannot be built (the full regex serves then).
    narrow: OnceLock<Option<meta::Regex>>,
    /// The same pattern with every class cut down to the Basic Multilingual Plane, for other
    /// texts with no character beyond it (see [`in_bmp`]): a Chinese script, most often.
    bmp: OnceLock<Option<meta::Regex>>,
    /// The literal sets `build.rs` computed, for a pattern of an embedded pack.
    known: Option<Known>,
    /// For any other pattern, its required parts, computed on first use.
    factors: OnceLock<Vec<Vec<Vec<u8>>>>,
}

/// The literal sets of one embedded regex, as `build.rs` emits them.
#[derive(Debug, Clone, Copy)]
struct Known {
    /// See [`literals::trigger_literals`] (None: the pattern has none).
    triggers: Option<&'static [&'static [u8]]>,
    /// See [`literals::required_factors`].
    factors: &'static [&'static [&'static [u8]]],
}

/// Every regex of the embedded packs that parses, as compiled, with its literal sets, sorted
/// by pattern: `KNOWN_REGEXES: &[(&str, Known)]`.
mod known {
    include!(concat!(env!("OUT_DIR"), "/known_regexes.rs"));
}

/// What `build.rs` found for an embedded pattern: None if it is not in the table (a pattern
/// that does not parse, which must then be checked at load like any other).
fn known(source: &str) -> Option<Known> {
    let table = known::KNOWN_REGEXES;
    table
        .binary_search_by(|(s, _)| (*s).cmp(source))
        .ok()
        .map(|i| table[i].1)
}

impl Clone for LazyRegex {
    fn clone(&self) -> Self {
        let cell = std::sync::OnceLock::new();
        if let Some(v) = self.cell.get() {
            let _ = cell.set(v.clone());
        }
        LazyRegex {
            source: self.source.clone(),
            written: self.written.clone(),
            cell,
            narrow: self.narrow.clone(),
            bmp: self.bmp.clone(),
            known: self.known,
            factors: self.factors.clone(),
        }
    }
}

impl LazyRegex {
    fn build(source: &str) -> Result<Regex, regex::Error> {
        RegexBuilder::new(source)
            .case_insensitive(true)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(DFA_CACHE_LIMIT)
            .build()
    }

    /// The full regex, compiled on first use (None only if it exceeds the size limit, which
    /// loading rules out for packs from folders and `cargo test` for the embedded ones).
    fn full(&self) -> Option<&Regex> {
        self.cell
            .get_or_init(|| LazyRegex::build(&self.source).ok())
            .as_ref()
    }

    /// The narrow regex, compiled on first use (None if it cannot be built).
    fn narrow(&self) -> Option<&meta::Regex> {
        self.narrow
            .get_or_init(|| build_narrow(&self.source))
            .as_ref()
    }

    /// The BMP regex, compiled on first use (None if it cannot be built).
    fn bmp(&self) -> Option<&meta::Regex> {
        self.bmp
            .get_or_init(|| build_cut(&self.source, &BMP))
            .as_ref()
    }

    /// The pattern, to search texts with (None only if it is known to exceed the size limit).
    /// Each search compiles what the text needs on first use: the narrow regex for a text of
    /// [`NARROW`] characters only (an English script, most often), else the full one.
    pub fn get(&self) -> Option<Matcher<'_>> {
        match self.cell.get() {
            Some(None) => None,
            _ => Some(Matcher(self)),
        }
    }

    /// Compile now what a search of a text like `text` will need (see [`LazyRegex::get`]).
    pub fn warm(&self, text: &str) {
        let _ = self.form_for(text);
    }

    /// The compiled form to search `text` with (compiling it on first use): a full regex
    /// compiled already is as good; else a narrow text needs only the narrow one, which
    /// compiles several times faster, and another text with no character beyond the Basic
    /// Multilingual Plane only the BMP one (the Chinese patterns' `\p{Han}` and negated
    /// classes lose their many four-byte ranges: it compiles in about 60% of the time).
    fn form_for(&self, text: &str) -> Option<Form<'_>> {
        if self.cell.get().is_none() {
            let cut = if narrow(text) {
                self.narrow()
            } else if in_bmp(text) {
                self.bmp()
            } else {
                None
            };
            if let Some(re) = cut {
                return Some(Form::Narrow(re));
            }
        }
        self.full().map(Form::Full)
    }

    /// The compiled regex to search `text` with, or None when it cannot match there (or
    /// exceeds the size limit, as for [`LazyRegex::get`]). `text` is assumed to hold the
    /// pattern's trigger (see [`LazyRegex::prefixes`]): each other required part of the pattern
    /// is looked for first, which is much cheaper than compiling and running the regex.
    pub fn get_for(&self, text: &str) -> Option<Matcher<'_>> {
        if self.parts_in(text) {
            self.get()
        } else {
            None
        }
    }

    /// Whether every required part of the pattern other than its trigger occurs in `text`
    /// (the test [`LazyRegex::get_for`] makes before compiling), for guessing which patterns a
    /// script will need.
    fn parts_in(&self, text: &str) -> bool {
        let present = |sets: &[&[&[u8]]]| {
            sets.iter()
                .all(|set| set.iter().any(|l| contains_literal(text.as_bytes(), l)))
        };
        match self.known {
            Some(k) => present(k.factors),
            None => self
                .computed_factors()
                .iter()
                .all(|set| set.iter().any(|l| contains_literal(text.as_bytes(), l))),
        }
    }

    /// The required parts [`LazyRegex::get_for`] looks for: every match holds a literal of
    /// each set (lowercased; compare ignoring ASCII case). The engine checks them itself, so
    /// that patterns needing the same literal share one test of it.
    pub fn required_parts(&self) -> Vec<Vec<&[u8]>> {
        match self.known {
            Some(k) => k.factors.iter().map(|set| set.to_vec()).collect(),
            None => self
                .computed_factors()
                .iter()
                .map(|set| set.iter().map(Vec::as_slice).collect())
                .collect(),
        }
    }

    /// The required parts of a pattern `build.rs` did not see, computed on first use.
    fn computed_factors(&self) -> &[Vec<Vec<u8>>] {
        self.factors.get_or_init(|| {
            let trigger = literals::trigger_literals(&self.source);
            literals::required_factors(&self.source, trigger.as_deref())
        })
    }

    /// Whether some form of the regex has been compiled (by a search or [`LazyRegex::warm`]).
    #[cfg(test)]
    fn compiled(&self) -> bool {
        [self.narrow.get(), self.bmp.get()]
            .iter()
            .any(|f| f.is_some_and(Option::is_some))
            || self.cell.get().is_some()
    }

    /// The pattern as written in the pack.
    pub fn as_str(&self) -> &str {
        &self.written
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.get().is_some_and(|r| r.is_match(text))
    }

    /// Literals one of which occurs in every match (lowercased), see
    /// [`literals::trigger_literals`]: computed at build time for the embedded packs.
    pub fn prefixes(&self) -> Option<Vec<Vec<u8>>> {
        match self.known {
            Some(k) => k
                .triggers
                .map(|lits| lits.iter().map(|l| l.to_vec()).collect()),
            None => literals::trigger_literals(&self.source),
        }
    }
}

/// A pattern ready to search with: [`LazyRegex::get`].
#[derive(Debug, Clone, Copy)]
pub struct Matcher<'r>(&'r LazyRegex);

/// One match: a byte range of the text searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    start: usize,
    end: usize,
}

impl Found {
    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }
}

/// What a [`Matcher`] searches with.
enum Form<'r> {
    /// The narrow or the BMP regex.
    Narrow(&'r meta::Regex),
    Full(&'r Regex),
}

impl<'r> Matcher<'r> {
    /// Every match in `text`, leftmost-first, as `regex::Regex::find_iter` gives them.
    pub fn find_iter<'t>(self, text: &'t str) -> Box<dyn Iterator<Item = Found> + 't>
    where
        'r: 't,
    {
        match self.0.form_for(text) {
            Some(Form::Narrow(re)) => Box::new(re.find_iter(text).map(|m| Found {
                start: m.start(),
                end: m.end(),
            })),
            Some(Form::Full(re)) => Box::new(re.find_iter(text).map(|m| Found {
                start: m.start(),
                end: m.end(),
            })),
            None => Box::new(std::iter::empty()),
        }
    }

    pub fn is_match(self, text: &str) -> bool {
        match self.0.form_for(text) {
            Some(Form::Narrow(re)) => re.is_match(text),
            Some(Form::Full(re)) => re.is_match(text),
            None => false,
        }
    }
}

/// The characters a narrow regex keeps: Latin-1 and General Punctuation (curly quotes, dashes,
/// ellipsis), so that most English scripts are narrow texts.
const NARROW: [(char, char); 2] = [('\0', '\u{ff}'), ('\u{2000}', '\u{207f}')];

/// Whether every character of `text` is a [`NARROW`] one. On such a text a regex with each
/// class (and case-folded letter) cut down to [`NARROW`] characters finds exactly the matches
/// of the full regex: a match is a path through the pattern that consumes the text's
/// characters, and every such path is kept, in the same order of preference. Cutting makes the
/// English patterns several times cheaper to compile: Unicode case folding (`k` also matches
/// U+212A KELVIN SIGN) and classes like `\w` or `[^.!?]{0,80}` make big UTF-8 automata.
pub fn narrow(text: &str) -> bool {
    if text.is_ascii() {
        return true;
    }
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        i += match c {
            0..0x80 => 1,
            // U+0080..U+00FF.
            0xC2 | 0xC3 => 2,
            // U+2000..U+207F.
            0xE2 if matches!(b.get(i + 1), Some(0x80 | 0x81)) => 3,
            _ => return false,
        };
    }
    true
}

/// The narrow regex of `source` (see [`narrow`]).
fn build_narrow(source: &str) -> Option<meta::Regex> {
    build_cut(source, &NARROW)
}

/// The characters a BMP regex keeps: every one below U+10000.
const BMP: [(char, char); 2] = [('\0', '\u{d7ff}'), ('\u{e000}', '\u{ffff}')];

/// Whether every character of `text` is a [`BMP`] one (no UTF-8 lead byte of four). A regex
/// with each class cut down to those finds exactly the full regex's matches on such a text,
/// for the reason given at [`narrow`].
pub fn in_bmp(text: &str) -> bool {
    // Chunks of a fixed size compile to vector code; four-byte lead bytes are 0xF0..=0xF4.
    text.as_bytes()
        .chunks(64)
        .all(|c| c.iter().copied().max().unwrap_or(0) < 0xF0)
}

/// The regex of `source` with every class cut down to `keep` (see [`narrow`] and [`in_bmp`]):
/// parsed as the full one is, then cut. No prefilter: the engine only runs a pattern on a text holding its
/// required parts, and extracting the prefixes of a case-folded pattern costs more than
/// compiling it. Only whole matches are reported, so no capture groups are compiled.
fn build_cut(source: &str, keep: &[(char, char)]) -> Option<meta::Regex> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(source)
        .ok()?;
    let keep = ClassUnicode::new(keep.iter().map(|&(a, b)| ClassUnicodeRange::new(a, b)));
    let hir = cut_classes(&hir, &keep);
    let config = meta::Config::new()
        .match_kind(regex_automata::MatchKind::LeftmostFirst)
        .utf8_empty(true)
        .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
        .hybrid_cache_capacity(DFA_CACHE_LIMIT)
        .which_captures(regex_automata::nfa::thompson::WhichCaptures::Implicit)
        .auto_prefilter(false);
    meta::Builder::new()
        .configure(config)
        .build_from_hir(&hir)
        .ok()
}

/// `hir` with every Unicode class intersected with `keep` (the rest unchanged).
fn cut_classes(hir: &Hir, keep: &ClassUnicode) -> Hir {
    match hir.kind() {
        HirKind::Class(Class::Unicode(c)) => {
            let mut c = c.clone();
            c.intersect(keep);
            Hir::class(Class::Unicode(c))
        }
        HirKind::Concat(v) => Hir::concat(v.iter().map(|h| cut_classes(h, keep)).collect()),
        HirKind::Alternation(v) => {
            Hir::alternation(v.iter().map(|h| cut_classes(h, keep)).collect())
        }
        // Rebuilt field by field: cloning the node first would copy its whole subtree only
        // to replace it.
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            min: r.min,
            max: r.max,
            greedy: r.greedy,
            sub: Box::new(cut_classes(&r.sub, keep)),
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            index: c.index,
            name: c.name.clone(),
            sub: Box::new(cut_classes(&c.sub, keep)),
        }),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => hir.clone(),
    }
}

/// Compile now the patterns of `lang` a script with this text is likely to run: those with a
/// trigger in it whose other required parts occur in the paragraph around it. A spare worker
/// does this for the first file of a run while the file is parsed, so the file's lint does
/// not compile them all one after another (English patterns with Unicode case folding cost
/// milliseconds each). The guess only moves work: a pattern it misses is compiled on first
/// use as before. Patterns are compiled last-needed first, so the linting thread, which
/// compiles what it meets from the start of the file, and this one meet in the middle.
pub fn warm_patterns(rules: &[Rule], lang: Lang, text: &str) {
    let PrefixWords {
        lits,
        owner,
        always,
    } = prefix_words(rules, lang);
    let patterns: Vec<&LazyRegex> = lang_patterns(rules, lang).collect();
    // Patterns with no literal prefix run on every text: the whole file stands for its
    // elements.
    let mut picked: Vec<usize> = always
        .into_iter()
        .filter(|&k| patterns[k].parts_in(text))
        .collect();
    let trie = crate::automaton::TrieNfa::embedded(&lits, true)
        .or_else(|| crate::automaton::TrieNfa::new(&lits, true));
    let Some(trie) = trie else {
        return;
    };
    let breaks = paragraph_breaks(text);
    let mut done = vec![false; patterns.len()];
    for m in trie.find_overlapping_iter(text.as_bytes()) {
        let k = owner[m.pattern().as_usize()];
        if !done[k] && patterns[k].parts_in(paragraph(text, &breaks, m.start(), m.end())) {
            done[k] = true;
            picked.push(k);
        }
    }
    for &k in picked.iter().rev() {
        patterns[k].warm(text);
    }
}

/// The patterns of a language's rules, in rule order.
fn lang_patterns(rules: &[Rule], lang: Lang) -> impl Iterator<Item = &LazyRegex> {
    rules
        .iter()
        .filter(move |r| r.lang == lang)
        .flat_map(|r| &r.patterns)
}

/// The literal prefixes of a language's patterns: the words of the warm-up's trie, which
/// `build.rs` embeds for the default packs.
#[derive(Default)]
pub(crate) struct PrefixWords {
    pub(crate) lits: Vec<Vec<u8>>,
    /// Literal → index of its pattern in [`lang_patterns`] order.
    pub(crate) owner: Vec<usize>,
    /// Patterns with no literal prefix.
    pub(crate) always: Vec<usize>,
}

pub(crate) fn prefix_words(rules: &[Rule], lang: Lang) -> PrefixWords {
    let mut w = PrefixWords::default();
    for (k, p) in lang_patterns(rules, lang).enumerate() {
        match p.prefixes() {
            Some(l) => {
                w.owner.extend(l.iter().map(|_| k));
                w.lits.extend(l);
            }
            None => w.always.push(k),
        }
    }
    w
}

/// Where paragraphs end: the offset of each blank line's newline.
fn paragraph_breaks(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut out: Vec<usize> = memchr::memmem::find_iter(b, b"\n\n")
        .map(|i| i + 1)
        .chain(memchr::memmem::find_iter(b, b"\n\r\n").map(|i| i + 1))
        .collect();
    out.sort_unstable();
    out
}

/// The paragraph around `start..end` (between the blank lines `breaks` lists, at most 2 KB
/// either side): where the element holding a trigger lies.
fn paragraph<'t>(text: &'t str, breaks: &[usize], start: usize, end: usize) -> &'t str {
    const REACH: usize = 2048;
    let i = breaks.partition_point(|&b| b <= start);
    let from = i
        .checked_sub(1)
        .map_or(0, |j| breaks[j])
        .max(start.saturating_sub(REACH));
    let to = breaks.get(i).map_or(text.len(), |&b| b).max(end);
    let to = to.min(end + REACH).min(text.len());
    let from = crate::script::lines::floor_char_boundary(text, from);
    let to = crate::script::lines::floor_char_boundary(text, to);
    text.get(from..to.max(from)).unwrap_or("")
}

/// Whether `hay` contains `lit` (a lowercased literal), ignoring ASCII case. The engine's
/// shared required-literal test uses it too.
pub fn contains_literal(hay: &[u8], lit: &[u8]) -> bool {
    if !lit.iter().any(u8::is_ascii_alphabetic) {
        // No case to ignore: a plain substring search.
        return memchr::memmem::find(hay, lit).is_some();
    }
    let Some(&first) = lit.first() else {
        return true;
    };
    let Some(last_start) = hay.len().checked_sub(lit.len()) else {
        return false;
    };
    // Candidates start with the first byte in either case.
    let (lo, up) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    memchr::memchr2_iter(lo, up, &hay[..=last_start])
        .any(|i| hay[i..i + lit.len()].eq_ignore_ascii_case(lit))
}

/// A list of context cues: literal words in one automaton, plus regexes (`re:` prefix).
#[derive(Debug, Clone, Default)]
pub struct Cues {
    /// The literal words, as written.
    word_list: Vec<String>,
    /// Their automaton, built on first use for the embedded packs (most rules are never
    /// triggered in a small run), at load for packs from folders.
    words: OnceLock<Option<AhoCorasick>>,
    /// The language's shared negators or disapproval cues ...
    extra: &'static [&'static str],
    /// ... and their automaton, built once per process on first use.
    shared: OnceLock<Option<&'static (AhoCorasick, Vec<usize>)>>,
    regexes: Vec<LazyRegex>,
    /// Length in characters of each word, for the "single character only when adjacent" rule.
    word_chars: Vec<usize>,
}

impl Cues {
    pub fn is_empty(&self) -> bool {
        self.word_list.is_empty() && self.regexes.is_empty() && self.extra.is_empty()
    }

    fn words(&self) -> Option<&AhoCorasick> {
        self.words
            .get_or_init(|| build_words(&self.word_list).ok().flatten())
            .as_ref()
    }

    fn shared(&self) -> Option<&'static (AhoCorasick, Vec<usize>)> {
        *self.shared.get_or_init(|| shared(self.extra))
    }

    /// Byte ranges of every cue in `text`.
    pub fn find_all(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        if let Some(ac) = self.words() {
            for m in ac.find_overlapping_iter(text) {
                if ascii_word_bounded(text, m.start(), m.end()) {
                    out.push((m.start(), m.end(), self.word_chars[m.pattern().as_usize()]));
                }
            }
        }
        if let Some((ac, chars)) = self.shared() {
            for m in ac.find_overlapping_iter(text) {
                if ascii_word_bounded(text, m.start(), m.end()) {
                    out.push((m.start(), m.end(), chars[m.pattern().as_usize()]));
                }
            }
        }
        for re in self.regexes.iter().filter_map(LazyRegex::get) {
            for m in re.find_iter(text) {
                let chars = text
                    .get(m.start()..m.end())
                    .map_or(0, |s| s.chars().count());
                out.push((m.start(), m.end(), chars));
            }
        }
        out
    }

    pub fn any_in(&self, text: &str) -> bool {
        if let Some((ac, _)) = self.shared()
            && ac
                .find_overlapping_iter(text)
                .any(|m| ascii_word_bounded(text, m.start(), m.end()))
        {
            return true;
        }
        if let Some(ac) = self.words()
            && ac
                .find_overlapping_iter(text)
                .any(|m| ascii_word_bounded(text, m.start(), m.end()))
        {
            return true;
        }
        self.regexes.iter().any(|r| r.is_match(text))
    }
}

/// English words must start and end at word boundaries (an inflection suffix may follow).
pub fn ascii_word_bounded(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let first = b.get(start).copied().unwrap_or(b' ');
    let last = if end > 0 {
        b.get(end - 1).copied().unwrap_or(b' ')
    } else {
        b' '
    };
    if first.is_ascii_alphanumeric() && start > 0 && b[start - 1].is_ascii_alphanumeric() {
        return false;
    }
    if last.is_ascii_alphanumeric() && b.get(end).is_some_and(|c| c.is_ascii_alphanumeric()) {
        let rest = &text[end..];
        let word_len = rest
            .bytes()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == b'\'')
            .count();
        let suffix = rest[..word_len].to_ascii_lowercase();
        return matches!(
            suffix.as_str(),
            "s" | "es" | "ed" | "d" | "ing" | "'s" | "n"
        );
    }
    true
}

/// A compiled, checked rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub pack: String,
    pub lang: Lang,
    /// Where the rule was loaded from (a path, or `<default>/zh/extremity.yaml`).
    pub origin: String,
    pub prohibition: Option<Prohibition>,
    pub severity: Severity,
    pub message: String,
    pub help: String,
    pub description: Option<String>,
    pub sources: Vec<String>,
    pub scope: Vec<ScopeKind>,
    pub who: Vec<Who>,
    /// Literal triggers, as written.
    pub keywords: Vec<String>,
    pub patterns: Vec<LazyRegex>,
    pub with: Cues,
    pub with_also: Cues,
    pub window: Window,
    /// Negation cues checked just before a hit.
    pub unless: Cues,
    pub unless_sentence: Cues,
    pub unless_window: Window,
    pub unless_distance: usize,
    pub endorsement: bool,
    pub correction: bool,
    pub adults: Option<Severity>,
    pub examples: Examples,
    /// The source as written (for `rules explain` and docs).
    pub raw: Arc<SerializableRule>,
}

impl Rule {
    pub fn in_scope(&self, kind: ScopeKind) -> bool {
        self.scope.contains(&ScopeKind::Any) || self.scope.contains(&kind)
    }
}

/// Negators and disapproval cues every rule gets unless `negation: false`.
fn default_negators(lang: Lang) -> (&'static [&'static str], &'static [&'static str]) {
    match lang {
        Lang::Zh => (
            &[
                "不要",
                "别",
                "不许",
                "不准",
                "不能",
                "不可以",
                "禁止",
                "不该",
                "不应该",
                "绝不",
                "从不",
                "没有",
                "没",
                "不会",
                "休想",
                "不",
                "未",
                "并未",
                "不得",
                "严禁",
                "拒绝",
                "阻止",
                "制止",
                "拦住",
                "谁也不",
            ],
            &[
                "是不对的",
                "不对的",
                "是错的",
                "不可以这样",
                "违法",
                "犯法",
                "不应该",
                "要不得",
            ],
        ),
        Lang::En => (
            &[
                "don't",
                "do not",
                "never",
                "not",
                "no one",
                "nobody",
                "won't",
                "shouldn't",
                "mustn't",
                "can't",
                "cannot",
                "doesn't",
                "didn't",
                "stop",
                "no more",
                "refuse",
                "refuses",
                "without",
            ],
            &[
                "is wrong",
                "was wrong",
                "isn't the answer",
                "not okay",
                "not ok",
                "never okay",
                "against the law",
                "isn't right",
                "is not right",
                "we don't",
            ],
        ),
    }
}

/// The shared automaton of a static word list, built once per process.
fn shared(list: &'static [&'static str]) -> Option<&'static (AhoCorasick, Vec<usize>)> {
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex};
    type Cache = Mutex<HashMap<usize, &'static (AhoCorasick, Vec<usize>)>>;
    static CACHE: LazyLock<Cache> = LazyLock::new(|| Mutex::new(HashMap::new()));
    if list.is_empty() {
        return None;
    }
    let key = list.as_ptr() as usize;
    let mut cache = CACHE.lock().ok()?;
    if let Some(v) = cache.get(&key) {
        return Some(v);
    }
    let words: Vec<String> = list.iter().map(|w| w.to_string()).collect();
    let ac = build_automaton(&words, MatchKind::Standard).ok()?;
    let chars = list.iter().map(|w| w.chars().count()).collect();
    let leaked: &'static (AhoCorasick, Vec<usize>) = Box::leak(Box::new((ac, chars)));
    cache.insert(key, leaked);
    Some(leaked)
}

/// Build a cue list; `re:` entries are regexes. `extra` is a shared static list.
fn cues(
    items: &[String],
    extra: &'static [&'static str],
    ctx: &Ctx,
    key: &str,
) -> Result<Cues, Box<PackError>> {
    let mut words: Vec<String> = Vec::new();
    let mut regexes = Vec::new();
    for item in items {
        if let Some(re) = item.strip_prefix("re:") {
            regexes.push(ctx.regex(re.trim(), key)?);
        } else if item.trim().is_empty() {
            return Err(ctx.err(key, item, format!("empty entry in `{key}`")));
        } else {
            words.push(item.clone());
        }
    }
    let word_chars = words.iter().map(|w| w.chars().count()).collect();
    let built = OnceLock::new();
    if ctx.eager() {
        let ac = build_words(&words)
            .map_err(|e| ctx.err(key, "", format!("cannot build the `{key}` automaton: {e}")))?;
        let _ = built.set(ac);
    }
    Ok(Cues {
        word_list: words,
        words: built,
        extra,
        shared: OnceLock::new(),
        regexes,
        word_chars,
    })
}

/// The automaton of a cue list's words (None for no words).
fn build_words(words: &[String]) -> Result<Option<AhoCorasick>, aho_corasick::BuildError> {
    if words.is_empty() {
        return Ok(None);
    }
    build_automaton(words, MatchKind::Standard).map(Some)
}

/// A small automaton over literal words (cue lists, names), ASCII case-insensitive. Cheap to
/// build: a contiguous NFA, not a DFA.
pub fn build_automaton(
    words: &[String],
    kind: MatchKind,
) -> Result<AhoCorasick, aho_corasick::BuildError> {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(kind)
        .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
        .build(words)
}

/// The one big keyword automaton of a rule set: a DFA, the fastest to scan with.
pub fn build_dfa_automaton(
    words: &[String],
    kind: MatchKind,
) -> Result<AhoCorasick, aho_corasick::BuildError> {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(kind)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(words)
        .or_else(|_| {
            // A DFA over a huge word list can exceed its size limit; the contiguous NFA is
            // slower but has no such limit.
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(kind)
                .build(words)
        })
}

/// What the compiler needs to point into the YAML.
struct Ctx<'a> {
    path: &'a str,
    text: &'a str,
    /// Byte offset of this rule's `id:` line, so searches start there.
    rule_at: usize,
}

impl Ctx<'_> {
    /// The offset of `needle` (or of `key:`) at or after this rule's start.
    fn locate(&self, key: &str, needle: &str) -> (usize, usize) {
        let hay = &self.text[self.rule_at..];
        if !needle.is_empty()
            && let Some(i) = hay.find(needle)
        {
            return (self.rule_at + i, needle.len());
        }
        if let Some(i) = hay.find(&format!("{key}:")) {
            return (self.rule_at + i, key.len());
        }
        (self.rule_at, 0)
    }

    /// Packs from folders are checked in full at load; the embedded ones were checked at
    /// build time and by `cargo test`, so their regexes and automata wait for first use.
    fn eager(&self) -> bool {
        !self.path.starts_with("<default>")
    }

    fn err(&self, key: &str, needle: &str, message: String) -> Box<PackError> {
        let (o, l) = self.locate(key, needle);
        Box::new(PackError::new(self.path, self.text, o, l, message))
    }

    /// Check a pattern and return it lazily compiled; packs from folders compile now.
    fn regex(&self, pattern: &str, key: &str) -> Result<LazyRegex, Box<PackError>> {
        let source = ascii_boundaries(pattern);
        let fail = |msg: String| {
            Box::new(
                (*self.err(key, pattern, msg))
                    .with_help("Rust regex syntax: https://docs.rs/regex/latest/regex/#syntax"),
            )
        };
        let cell = OnceLock::new();
        // An embedded pattern `build.rs` parsed needs no second parse here.
        let known = if self.eager() { None } else { known(&source) };
        if self.eager() {
            // Compiled now to enforce the size limit; kept, so first use need not compile.
            let re = LazyRegex::build(&source).map_err(|e| {
                fail(match &e {
                    regex::Error::CompiledTooBig(n) => format!(
                        "regex in `{key}` is too large once compiled (limit {n} bytes): {pattern}"
                    ),
                    _ => format!("invalid regex in `{key}`: {e}"),
                })
            })?;
            let _ = cell.set(Some(re));
        } else if known.is_none()
            && let Err(e) = regex_syntax::ParserBuilder::new().build().parse(&source)
        {
            return Err(fail(format!("invalid regex in `{key}`: {e}")));
        }
        Ok(LazyRegex {
            source,
            written: pattern.to_string(),
            cell,
            narrow: OnceLock::new(),
            bmp: OnceLock::new(),
            known,
            factors: OnceLock::new(),
        })
    }
}

/// Parse and compile one pack file.
pub fn compile_pack(path: &str, text: &str) -> Result<Vec<Rule>, Box<PackError>> {
    if text.len() > MAX_PACK_BYTES {
        return Err(Box::new(PackError::new(
            path,
            "",
            0,
            0,
            format!(
                "rule pack is {} bytes, over the {MAX_PACK_BYTES}-byte limit",
                text.len()
            ),
        )));
    }
    let pack: SerializablePack = serde_yaml::from_str(text).map_err(|e| {
        let offset = e.location().map(|l| l.index()).unwrap_or(0);
        let msg = e.to_string();
        let msg = msg
            .split(" at line ")
            .next()
            .unwrap_or(&msg)
            .trim()
            .to_string();
        Box::new(
            PackError::new(path, text, offset, 1, msg)
                .with_help("see docs/rules.md for the pack format; every key is listed there"),
        )
    })?;
    compile_parsed(path, text, pack)
}

/// Compile a pack already deserialized from `text` (or from JSON made from it); `text` is what
/// error messages point into.
pub fn compile_parsed(
    path: &str,
    text: &str,
    pack: SerializablePack,
) -> Result<Vec<Rule>, Box<PackError>> {
    let mut rules = Vec::with_capacity(pack.rules.len());
    let mut search_from = 0;
    for raw in pack.rules {
        let rule_at = memchr::memmem::find(&text.as_bytes()[search_from..], raw.id.as_bytes())
            .map(|i| i + search_from)
            .unwrap_or(search_from);
        search_from = rule_at;
        let ctx = Ctx {
            path,
            text,
            rule_at: text[..rule_at].rfind('\n').map_or(0, |i| i + 1),
        };
        rules.push(compile_rule(raw, &pack.pack, pack.lang, &ctx)?);
    }
    Ok(rules)
}

fn compile_rule(
    raw: SerializableRule,
    pack: &str,
    lang: Lang,
    ctx: &Ctx,
) -> Result<Rule, Box<PackError>> {
    if raw.id.trim().is_empty() || raw.id.contains(char::is_whitespace) {
        return Err(ctx.err(
            "id",
            &raw.id,
            "a rule id must be non-empty and contain no spaces".into(),
        ));
    }
    if raw.keywords.is_empty() && raw.patterns.is_empty() {
        return Err(ctx.err(
            "keywords",
            "",
            format!("rule `{}` has neither `keywords` nor `patterns`", raw.id),
        ));
    }
    if raw.examples.invalid.is_empty() || raw.examples.valid.is_empty() {
        return Err(ctx.err(
            "examples",
            "",
            format!(
                "rule `{}` needs at least one `invalid` and one `valid` example",
                raw.id
            ),
        ));
    }
    if let Some(k) = raw.keywords.iter().find(|k| k.trim().is_empty()) {
        return Err(ctx.err("keywords", k, "empty keyword".into()));
    }
    let patterns = raw
        .patterns
        .iter()
        .map(|p| ctx.regex(p, "patterns"))
        .collect::<Result<Vec<_>, _>>()?;
    let (neg, disapprove) = if raw.negation {
        default_negators(lang)
    } else {
        (&[][..], &[][..])
    };
    let scope = if raw.scope.is_empty() {
        vec![ScopeKind::Dialogue, ScopeKind::Action]
    } else {
        raw.scope.clone()
    };
    Ok(Rule {
        id: raw.id.clone(),
        pack: pack.to_string(),
        lang,
        origin: ctx.path.to_string(),
        prohibition: raw.prohibition,
        severity: raw.severity,
        message: raw.message.clone(),
        help: raw.help.clone(),
        description: raw.description.clone(),
        sources: raw.sources.clone(),
        scope,
        who: raw.who.to_vec(),
        keywords: raw.keywords.clone(),
        patterns,
        with: cues(&raw.with, &[], ctx, "with")?,
        with_also: cues(&raw.with_also, &[], ctx, "with_also")?,
        window: raw.window,
        unless: cues(&raw.unless, neg, ctx, "unless")?,
        unless_sentence: cues(&raw.unless_sentence, disapprove, ctx, "unless_sentence")?,
        unless_window: raw.unless_window,
        unless_distance: raw.unless_distance.unwrap_or(match lang {
            Lang::Zh => 8,
            Lang::En => 24,
        }),
        endorsement: raw.endorsement,
        correction: raw.correction,
        adults: raw.adults,
        examples: raw.examples.clone(),
        raw: Arc::new(raw),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = "pack: t\nlang: zh\nrules:\n  - id: zh.t.a\n    prohibition: extremity\n    severity: error\n    message: m\n    help: h\n    keywords: [扇]\n    examples:\n      invalid: ['x']\n      valid: ['y']\n";

    #[test]
    fn compiles_a_minimal_pack() {
        let rules = compile_pack("p.yaml", OK).unwrap();
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].scope, vec![ScopeKind::Dialogue, ScopeKind::Action]);
        assert_eq!(rules[0].who, vec![Who::ChildPresent]);
    }

    #[test]
    fn unknown_key_points_at_line() {
        let bad = OK.replace("    help: h\n", "    help: h\n    colour: red\n");
        let e = compile_pack("p.yaml", &bad).unwrap_err();
        assert_eq!(e.line, 9, "{e}");
        assert!(e.message.contains("colour"), "{}", e.message);
    }

    #[test]
    fn bad_regex_points_at_pattern() {
        let bad = OK.replace(
            "    keywords: [扇]\n",
            "    keywords: [扇]\n    patterns: ['(扇']\n",
        );
        let e = compile_pack("p.yaml", &bad).unwrap_err();
        assert_eq!(e.line, 10, "{e}");
        assert!(e.message.contains("invalid regex"), "{}", e.message);
    }

    #[test]
    fn huge_regex_refused() {
        let bad = OK.replace(
            "    keywords: [扇]\n",
            "    keywords: [扇]\n    patterns: ['\\w{1000}\\w{1000}\\w{1000}']\n",
        );
        let e = compile_pack("p.yaml", &bad).unwrap_err();
        assert!(e.message.contains("too large"), "{}", e.message);
    }

    #[test]
    fn english_word_bounds_allow_inflections() {
        let t = "She slaps him; slapstick; reslap";
        assert!(ascii_word_bounded(t, 4, 8));
        assert!(!ascii_word_bounded(t, 15, 19));
        assert!(!ascii_word_bounded(t, 28, 32));
    }

    /// Every regex of the embedded packs, as compiled: patterns and `re:` cue entries.
    fn default_regexes() -> Vec<LazyRegex> {
        let set = crate::rules::RuleSet::defaults().unwrap();
        let mut out = Vec::new();
        for r in set.rules {
            out.extend(r.patterns);
            for c in [r.with, r.with_also, r.unless, r.unless_sentence] {
                out.extend(c.regexes);
            }
        }
        out
    }

    #[test]
    fn every_default_regex_compiles_and_was_parsed_at_build_time() {
        let all = default_regexes();
        assert!(all.len() > 100, "{}", all.len());
        for re in &all {
            // Loading skips the check for these, trusting build.rs: prove both hold.
            assert!(
                re.known.is_some(),
                "not in the build-time table: {}",
                re.source
            );
            if let Err(e) = LazyRegex::build(&re.source) {
                panic!("default regex does not compile: {}: {e}", re.written);
            }
        }
    }

    #[test]
    fn build_time_trigger_literals_equal_run_time_ones() {
        for re in default_regexes() {
            assert_eq!(
                re.prefixes(),
                literals::trigger_literals(&re.source),
                "{}",
                re.source
            );
        }
    }

    #[test]
    fn build_time_required_parts_equal_run_time_ones() {
        for re in default_regexes() {
            let k = re.known.unwrap();
            let trigger = literals::trigger_literals(&re.source);
            let want = literals::required_factors(&re.source, trigger.as_deref());
            let got: Vec<Vec<Vec<u8>>> = k
                .factors
                .iter()
                .map(|set| set.iter().map(|l| l.to_vec()).collect())
                .collect();
            assert_eq!(got, want, "{}", re.source);
        }
    }

    /// The required-part check may only skip texts the regex cannot match: try every default
    /// pattern on every example of every rule, and on each line of them.
    #[test]
    fn required_parts_never_hide_a_match() {
        let set = crate::rules::RuleSet::defaults().unwrap();
        let mut texts: Vec<String> = Vec::new();
        for r in &set.rules {
            for t in r.examples.invalid.iter().chain(&r.examples.valid) {
                texts.push(t.clone());
                texts.extend(t.lines().map(str::to_string));
                texts.push(t.to_uppercase());
            }
        }
        let mut skipped = 0;
        for r in &set.rules {
            for p in &r.patterns {
                for t in &texts {
                    let full = p.get().unwrap();
                    match p.get_for(t) {
                        Some(_) => {}
                        None => {
                            skipped += 1;
                            assert!(!full.is_match(t), "{} hides a match in {t}", p.source);
                        }
                    }
                }
            }
        }
        assert!(skipped > 0);
    }

    #[test]
    fn required_parts_of_a_pattern() {
        let f = literals::required_factors("(用|拿)[^。]{0,2}(刀|小刀)[^。]{0,6}(划|割)", None);
        let sets: Vec<Vec<&str>> = f
            .iter()
            .map(|s| s.iter().map(|l| std::str::from_utf8(l).unwrap()).collect())
            .collect();
        assert_eq!(
            sets,
            vec![vec!["拿", "用"], vec!["刀", "小刀"], vec!["划", "割"]]
        );
        let f = literals::required_factors("slap(ped)? (him|her)", None);
        assert!(f.iter().all(|s| !s.is_empty()));
        assert!(contains_literal(b"He SLAPPED Her", b"slap"));
        assert!(!contains_literal(b"He slapped", b"her"));
        assert!(contains_literal("他用刀".as_bytes(), "刀".as_bytes()));
    }

    #[test]
    fn folder_packs_compute_at_run_time() {
        let pack = OK.replace(
            "    keywords: [扇]\n",
            "    keywords: [扇]\n    patterns: ['扇了?他']\n    unless: ['re:别\\s*打', '不']\n",
        );
        let rules = compile_pack("p.yaml", &pack).unwrap();
        let p = &rules[0].patterns[0];
        assert!(p.known.is_none());
        assert!(p.cell.get().is_some(), "compiled at load");
        assert!(
            rules[0].unless.words.get().is_some(),
            "automaton built at load"
        );
        let want = ["扇了他", "扇他"].map(|w| w.as_bytes().to_vec()).to_vec();
        assert_eq!(p.prefixes(), Some(want));
        assert!(rules[0].unless.any_in("别 打"));
        assert!(rules[0].unless.any_in("不"));
        assert!(p.get_for("他扇了他").is_some());
        assert!(p.get_for("她扇了").is_none(), "`他` is required");
    }

    #[test]
    fn default_cue_automata_wait_for_first_use() {
        let set = crate::rules::RuleSet::defaults().unwrap();
        let r = set.rules.iter().find(|r| !r.unless.word_list.is_empty());
        let r = r.expect("some default rule has `unless` words");
        assert!(r.unless.words.get().is_none());
        let w = r.unless.word_list[0].clone();
        assert!(r.unless.any_in(&w));
        assert!(r.unless.words.get().is_some());
    }

    #[test]
    fn warm_patterns_compiles_what_a_text_will_run() {
        let pack = OK.replace(
            "    keywords: [扇]\n",
            "    keywords: [扇]\n    patterns: ['扇了?他', '踢了?她']\n",
        );
        let mut rules = compile_pack("<default>/p.yaml", &pack).unwrap();
        for p in &rules[0].patterns {
            assert!(
                p.cell.get().is_none(),
                "embedded-like packs compile on first use"
            );
        }
        // `踢` occurs but `她` not in its paragraph: only the first pattern is needed.
        let text = "第1集\n\n她在这里。\n\n他踢了门，扇了他一下。\n";
        warm_patterns(&rules, Lang::Zh, text);
        assert!(rules[0].patterns[0].compiled());
        assert!(!rules[0].patterns[1].compiled());
        warm_patterns(&rules, Lang::En, text);
        rules[0].patterns.truncate(0);
        warm_patterns(&rules, Lang::Zh, "");
    }

    #[test]
    fn narrow_texts_are_latin1_and_general_punctuation() {
        let want = |t: &str| {
            t.chars()
                .all(|c| NARROW.iter().any(|&(a, b)| (a..=b).contains(&c)))
        };
        for t in [
            "",
            "kid",
            "caf\u{e9} \u{ff}",
            "\u{2019}\u{2014}\u{2026}\u{207f}",
            "\u{2080}",
            "\u{212a}",
            "\u{17f}",
            "\u{178}",
            "中",
            "a\u{100}",
            "\u{1f600}",
            "\u{2100}",
        ] {
            assert_eq!(narrow(t), want(t), "{t:?}");
        }
    }

    #[test]
    fn every_default_regex_has_a_narrow_form() {
        for re in default_regexes() {
            assert!(build_narrow(&re.source).is_some(), "{}", re.source);
        }
    }

    /// Texts for comparing the narrow regexes with the full ones: pieces of every rule example
    /// and characters that case folding or the cut treats specially, in random order.
    fn text_pool() -> Vec<String> {
        let set = crate::rules::RuleSet::defaults().unwrap();
        let mut pool: Vec<String> = [
            "k", "K", "\u{212a}", "s", "S", "\u{17f}", "\u{2019}", "\u{e9}", "\u{c9}", "\u{2014}",
            "\u{a0}", "\u{ff}", "\u{178}", "\u{b5}", "\u{3bc}", "中", "\n", " ", ".", "!", "'",
            "\u{2009}", "\u{3000}", "\u{1e9e}", "\u{df}",
        ]
        .map(str::to_string)
        .to_vec();
        for r in set.rules.iter().filter(|r| r.lang == Lang::En) {
            for t in r.examples.invalid.iter().chain(&r.examples.valid) {
                pool.push(t.clone());
                pool.extend(t.split(' ').map(str::to_string));
            }
        }
        pool
    }

    /// Every default regex and its regex as the `regex` crate compiles it in full.
    fn old_and_new() -> &'static [(Regex, LazyRegex)] {
        static ALL: OnceLock<Vec<(Regex, LazyRegex)>> = OnceLock::new();
        ALL.get_or_init(|| {
            default_regexes()
                .into_iter()
                .filter(|r| r.source.is_ascii())
                .map(|r| (LazyRegex::build(&r.source).unwrap(), r))
                .collect()
        })
    }

    /// The spans `old` finds in `text` equal those of `new` (its narrow form when `text` is
    /// narrow, compiled fresh).
    fn same_matches(text: &str) -> Result<(), String> {
        if !narrow(text) {
            // Searched with the full regex, which is the old one.
            return Ok(());
        }
        for (old, new) in old_and_new() {
            let want: Vec<(usize, usize)> =
                old.find_iter(text).map(|m| (m.start(), m.end())).collect();
            let fresh = LazyRegex {
                source: new.source.clone(),
                written: String::new(),
                cell: OnceLock::new(),
                narrow: new.narrow.clone(),
                bmp: OnceLock::new(),
                known: None,
                factors: OnceLock::new(),
            };
            let m = fresh.get().ok_or("no matcher")?;
            let got: Vec<(usize, usize)> = m.find_iter(text).map(|f| (f.start, f.end)).collect();
            if got != want || m.is_match(text) != old.is_match(text) {
                return Err(format!("{}: {text:?}: {got:?} != {want:?}", new.source));
            }
            // Keep the narrow form for the next case (compiling it is the slow part).
            let _ = new.narrow.set(fresh.narrow.get().cloned().flatten());
        }
        Ok(())
    }

    #[test]
    fn narrow_regexes_match_as_the_full_ones_on_examples() {
        let set = crate::rules::RuleSet::defaults().unwrap();
        let mut narrow_texts = 0;
        for r in set.rules.iter().filter(|r| r.lang == Lang::En) {
            // The texts that match (the proptest below tries the others, cut up and mixed).
            for t in &r.examples.invalid {
                narrow_texts += usize::from(narrow(t));
                same_matches(t).unwrap();
                same_matches(&t.to_uppercase()).unwrap();
            }
        }
        assert!(narrow_texts > 50, "{narrow_texts}");
        let folded = "Kid kid \u{212a}id ki\u{17f}\u{17f}";
        assert!(!narrow(folded), "searched with the full regex");
    }

    /// A text of pool pieces picked by (index, separator after it).
    fn joined(pool: &[String], picks: &[(usize, usize)], seps: [&str; 4]) -> String {
        let mut text = String::new();
        for &(i, sep) in picks {
            text.push_str(&pool[i % pool.len()]);
            text.push_str(seps[sep]);
        }
        text
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn narrow_regexes_match_as_the_full_ones(
            picks in proptest::collection::vec((0usize..100_000, 0usize..4), 1..8)
        ) {
            static POOL: OnceLock<Vec<String>> = OnceLock::new();
            let text = joined(POOL.get_or_init(text_pool), &picks, [" ", "", "\u{2019}", ", "]);
            proptest::prop_assert!(same_matches(&text).is_ok(), "{:?}", same_matches(&text));
        }
    }

    #[test]
    fn bmp_texts_have_no_character_beyond_u_ffff() {
        let want = |t: &str| t.chars().all(|c| u32::from(c) <= 0xffff);
        let long = format!("{}\u{1f600}", "中".repeat(40));
        for t in [
            "",
            "kid",
            "中文，标点。",
            "\u{ffff}\u{e000}\u{d7ff}",
            "\u{10000}",
            "a\u{1f600}",
            "\u{20000}",
            long.as_str(),
            &long[..long.len() - 4],
        ] {
            assert_eq!(in_bmp(t), want(t), "{t:?}");
        }
    }

    #[test]
    fn every_default_regex_has_a_bmp_form() {
        for (_, re) in full_and_bmp() {
            assert!(re.is_some(), "a default regex has no BMP form");
        }
    }

    /// Every default regex as the `regex` crate compiles it in full, and its BMP form.
    fn full_and_bmp() -> &'static [(Regex, Option<meta::Regex>)] {
        static ALL: OnceLock<Vec<(Regex, Option<meta::Regex>)>> = OnceLock::new();
        ALL.get_or_init(|| {
            default_regexes()
                .into_iter()
                .map(|r| {
                    let full = LazyRegex::build(&r.source).unwrap();
                    (full, build_cut(&r.source, &BMP))
                })
                .collect()
        })
    }

    /// Texts for comparing the BMP regexes with the full ones: pieces of every rule example
    /// (both languages) and characters folding or the cut treats specially.
    fn bmp_pool() -> Vec<String> {
        let set = crate::rules::RuleSet::defaults().unwrap();
        let mut pool: Vec<String> = [
            "k", "K", "\u{212a}", "\u{17f}", "\u{2019}", "\u{e9}", "中", "我", "\n", " ", "。",
            "，", "！", "？", "\u{3000}", "\u{3007}", "\u{3400}", "\u{f900}", "\u{ff01}",
            "\u{ffff}", "\u{e000}", "\u{2e80}", "1", "\u{ff11}", "\u{1e9e}", "\u{df}",
        ]
        .map(str::to_string)
        .to_vec();
        for r in &set.rules {
            for t in r.examples.invalid.iter().chain(&r.examples.valid) {
                pool.push(t.clone());
                pool.extend(t.split([' ', '，', '。']).map(str::to_string));
                let chars: Vec<char> = t.chars().collect();
                pool.extend(chars.chunks(3).map(|c| c.iter().collect::<String>()));
            }
        }
        pool
    }

    /// The BMP form of every default regex finds in `text` (a BMP text) what the full regex
    /// finds, and `form_for` picks it only for such texts.
    fn same_bmp_matches(text: &str) -> Result<(), String> {
        if !in_bmp(text) {
            return Ok(());
        }
        for (full, bmp) in full_and_bmp() {
            let bmp = bmp.as_ref().ok_or("no BMP form")?;
            let want: Vec<(usize, usize)> =
                full.find_iter(text).map(|m| (m.start(), m.end())).collect();
            let got: Vec<(usize, usize)> =
                bmp.find_iter(text).map(|m| (m.start(), m.end())).collect();
            if got != want || bmp.is_match(text) != full.is_match(text) {
                return Err(format!("{}: {text:?}: {got:?} != {want:?}", full.as_str()));
            }
        }
        Ok(())
    }

    #[test]
    fn bmp_regexes_match_as_the_full_ones_on_examples() {
        let set = crate::rules::RuleSet::defaults().unwrap();
        let mut bmp_texts = 0;
        for r in &set.rules {
            for t in &r.examples.invalid {
                bmp_texts += usize::from(in_bmp(t) && !narrow(t));
                same_bmp_matches(t).unwrap();
            }
        }
        assert!(bmp_texts > 50, "{bmp_texts}");
    }

    #[test]
    fn bmp_form_is_used_only_for_bmp_texts_that_are_not_narrow() {
        let re = LazyRegex {
            source: "孩子.{0,2}钱".into(),
            written: String::new(),
            cell: OnceLock::new(),
            narrow: OnceLock::new(),
            bmp: OnceLock::new(),
            known: None,
            factors: OnceLock::new(),
        };
        let m = re.get().unwrap();
        assert_eq!(m.find_iter("kid").count(), 0);
        assert!(re.narrow.get().is_some() && re.bmp.get().is_none());
        let found: Vec<Found> = m.find_iter("那孩子的钱").collect();
        assert_eq!(found, vec![Found { start: 3, end: 15 }]);
        assert!(re.bmp.get().is_some() && re.cell.get().is_none());
        let found: Vec<Found> = m.find_iter("孩子\u{1f600}钱").collect();
        assert_eq!(found, vec![Found { start: 0, end: 13 }]);
        assert!(re.cell.get().is_some());
        // Once the full regex exists it serves every text.
        assert!(matches!(re.form_for("孩子钱"), Some(Form::Full(_))));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn bmp_regexes_match_as_the_full_ones(
            picks in proptest::collection::vec((0usize..100_000, 0usize..4), 1..10)
        ) {
            static POOL: OnceLock<Vec<String>> = OnceLock::new();
            let text = joined(POOL.get_or_init(bmp_pool), &picks, [" ", "", "，", "\u{2019}"]);
            proptest::prop_assert!(same_bmp_matches(&text).is_ok(), "{:?}", same_bmp_matches(&text));
        }
    }

    /// `ascii_boundaries` as it was first written, a character at a time.
    fn ascii_boundaries_by_char(pattern: &str) -> String {
        let mut out = String::new();
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('b') => out.push_str("(?-u:\\b)"),
                Some('B') => out.push_str("(?-u:\\B)"),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            }
        }
        out
    }

    /// `contains_literal` as it was first written.
    fn contains_literal_plainly(text: &str, lit: &[u8]) -> bool {
        if !lit.iter().any(u8::is_ascii_alphabetic)
            && let Ok(s) = std::str::from_utf8(lit)
        {
            return text.contains(s);
        }
        let Some(&first) = lit.first() else {
            return true;
        };
        text.as_bytes()
            .windows(lit.len())
            .any(|w| w[0].eq_ignore_ascii_case(&first) && w.eq_ignore_ascii_case(lit))
    }

    #[test]
    fn literal_helpers_equal_their_plain_forms_on_the_default_packs() {
        for re in default_regexes() {
            assert_eq!(
                ascii_boundaries(&re.written),
                ascii_boundaries_by_char(&re.written)
            );
            for set in re.required_parts() {
                for lit in set {
                    for text in [re.written.as_str(), "", "KID kid 孩子", &re.source] {
                        assert_eq!(
                            contains_literal(text.as_bytes(), lit),
                            contains_literal_plainly(text, lit)
                        );
                    }
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_boundaries_equals_its_plain_form(p in "[\\\\bBa中(]{0,12}") {
            proptest::prop_assert_eq!(ascii_boundaries(&p), ascii_boundaries_by_char(&p));
        }

        #[test]
        fn contains_literal_equals_its_plain_form(
            text in "[aAkK中文 \u{212a}]{0,16}",
            lit in proptest::collection::vec(
                proptest::sample::select(vec![b'a', b'k', b'1', b' ', 0xe4, 0xb8, 0xad]),
                0..4,
            ),
        ) {
            proptest::prop_assert_eq!(
                contains_literal(text.as_bytes(), &lit),
                contains_literal_plainly(&text, &lit)
            );
        }
    }

    #[test]
    fn paragraph_is_between_blank_lines() {
        let t = "a\n\nb c\r\nd\n\r\ne";
        let b = paragraph_breaks(t);
        let i = t.find('c').unwrap();
        assert_eq!(paragraph(t, &b, i, i + 1), "\nb c\r\nd\n");
        assert_eq!(paragraph(t, &b, 0, 1), "a\n");
        assert_eq!(paragraph(t, &b, t.len() - 1, t.len()), "\r\ne");
    }
}
