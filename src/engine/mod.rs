//! The compiled rule set and the scan: every keyword of every rule in one Aho-Corasick
//! automaton, every pattern in one RegexSet, then context checks only where a trigger fired.
//! [`Engine::lint`] is a pure function from a parsed script to findings with byte ranges.

pub mod context;
pub mod suppress;

use crate::automaton::{Overlapping, TRIE_DFA_AFTER};
use crate::cast::Cast;
use crate::rules::compile::{Cues, ascii_word_bounded, build_dfa_automaton, contains_literal};
use crate::rules::schema::Window;
use crate::rules::{Lang, Prohibition, Rule, RuleSet, ScopeKind, Severity};
use crate::script::{ElementKind, Script};
use aho_corasick::{AhoCorasick, MatchKind};
use context::{Analysis, is_clause_break, sentences};
use std::ops::Range;

/// One finding: a value, rendered later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Index into the engine's rules.
    pub rule: usize,
    pub severity: Severity,
    /// Scene index (0 = before the first heading).
    pub scene: usize,
    /// The offending words, bytes into the script's source.
    pub span: Range<usize>,
    /// The child concerned, when known.
    pub character: Option<String>,
    /// Steps context moved the severity: +1 endorsement, -1 correction.
    pub shift: i8,
    /// The words were found but no child was involved (the rule's `adults` severity).
    pub adults_only: bool,
}

/// The triggers of one language's rules: scanning a Chinese script never runs English patterns.
/// Keywords and the literal prefixes of patterns share one automaton; a pattern runs only on
/// text where one of its prefixes occurs (or on every text, when it has no usable prefix), and
/// only if the text also holds its other required parts.
#[derive(Default)]
struct Triggers {
    /// Every keyword and pattern literal: an NFA for a small run, a DFA once a run is big.
    automaton: Option<Overlapping>,
    /// Automaton pattern id → rules whose keyword it is.
    keyword_rules: Vec<Vec<usize>>,
    /// Automaton pattern id → patterns (index into `pats`) it is a prefix of.
    prefix_of: Vec<Vec<usize>>,
    /// Patterns with no literal prefix: run on every text.
    always: Vec<usize>,
    /// The language's patterns, in (rule, pattern) order: sorting indexes sorts them.
    pats: Vec<Pat>,
    /// Every literal some pattern requires, each once: patterns share its test.
    lits: Vec<Lit>,
}

/// One pattern of the language's rules.
struct Pat {
    rule: usize,
    pattern: usize,
    /// Its required parts (see [`crate::rules::compile::LazyRegex::required_parts`]): each
    /// set lists literal ids (into `Triggers::lits`), one of which must occur.
    required: Vec<Vec<usize>>,
}

/// A literal required by some pattern, lowercased.
struct Lit {
    bytes: Vec<u8>,
    /// The [`PairSet`] slots of its adjacent byte pairs, ASCII-lowercased.
    pairs: Vec<u16>,
    /// It holds an ASCII letter, so it is compared ignoring ASCII case.
    fold: bool,
    /// Substring searcher for long texts, built on first use.
    finder: std::sync::OnceLock<Box<memchr::memmem::Finder<'static>>>,
}

impl Lit {
    /// Does `hay` contain the literal (ignoring ASCII case when it holds a letter)?
    fn occurs_in(&self, hay: &[u8]) -> bool {
        let lit = self.bytes.as_slice();
        if self.fold || hay.len() < 64 {
            // Short texts: a one-off search builds no searcher.
            return contains_literal(hay, lit);
        }
        if hay.len() < lit.len() {
            return false;
        }
        self.finder
            .get_or_init(|| Box::new(memchr::memmem::Finder::new(lit).into_owned()))
            .find(hay)
            .is_some()
    }
}

/// Hashed set of the adjacent byte pairs of a text (ASCII-lowercased): a literal with a pair
/// missing from it cannot occur there. Most required literals are absent from the short
/// element they are tested on, and this rejects them without a substring search.
///
/// A slot is in the set when its stamp is the current one: building a set for the next
/// text takes a new stamp instead of clearing, and each byte is one independent store.
struct PairSet {
    stamp: Box<[u32; PAIR_SLOTS]>,
    /// The current text's stamp.
    now: u32,
    /// The text was too long for the set to reject anything useful: not built.
    off: bool,
}

const PAIR_SLOTS: usize = 1024;
/// Longest text a pair set is built for: beyond it, most slots would be full.
const PAIR_MAX_TEXT: usize = 512;

/// The slot of a pair of bytes, both already ASCII-lowercased.
#[inline]
fn pair_slot(a: u8, b: u8) -> u16 {
    let x = (u32::from(a) << 8) | u32::from(b);
    // Multiplicative hash to 10 bits (PAIR_SLOTS).
    (x.wrapping_mul(0x9E37_79B1) >> 22) as u16
}

fn pair_slots(bytes: &[u8]) -> Vec<u16> {
    let mut v: Vec<u16> = bytes
        .windows(2)
        .map(|w| pair_slot(w[0].to_ascii_lowercase(), w[1].to_ascii_lowercase()))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

impl Default for PairSet {
    fn default() -> PairSet {
        PairSet {
            stamp: Box::new([0; PAIR_SLOTS]),
            now: 0,
            off: true,
        }
    }
}

impl PairSet {
    #[cfg(test)]
    fn new(hay: &[u8]) -> PairSet {
        let mut set = PairSet::default();
        set.build(hay);
        set
    }

    /// Make this the set of `hay`'s pairs.
    fn build(&mut self, hay: &[u8]) {
        self.off = hay.len() > PAIR_MAX_TEXT;
        if self.off {
            return;
        }
        self.now = self.now.wrapping_add(1);
        if self.now == 0 {
            // Stamps wrapped: old ones could pass for the new.
            self.stamp.fill(0);
            self.now = 1;
        }
        if let Some((&first, rest)) = hay.split_first() {
            let mut prev = first.to_ascii_lowercase();
            for &b in rest {
                let c = b.to_ascii_lowercase();
                self.stamp[usize::from(pair_slot(prev, c))] = self.now;
                prev = c;
            }
        }
    }

    /// Could a literal with these pair slots occur in the text?
    fn may_hold(&self, pairs: &[u16]) -> bool {
        self.off
            || pairs
                .iter()
                .all(|&s| self.stamp[usize::from(s)] == self.now)
    }
}

/// Which required literals one text holds, each tested at most once.
#[derive(Default)]
struct LitMemo {
    /// Literal id → 0 untested, 1 absent, 2 present.
    state: Vec<u8>,
    /// Ids tested since the last reset.
    touched: Vec<usize>,
    /// The text's byte pairs, built on the first test.
    pairs: PairSet,
    /// `pairs` is the current text's.
    built: bool,
}

impl LitMemo {
    fn reset(&mut self, lits: usize) {
        for &i in &self.touched {
            self.state[i] = 0;
        }
        self.touched.clear();
        self.built = false;
        if self.state.len() < lits {
            self.state.resize(lits, 0);
        }
    }

    fn present(&mut self, lits: &[Lit], id: usize, hay: &[u8]) -> bool {
        match self.state[id] {
            0 => {
                let lit = &lits[id];
                if !self.built {
                    self.pairs.build(hay);
                    self.built = true;
                }
                let found = self.pairs.may_hold(&lit.pairs) && lit.occurs_in(hay);
                self.state[id] = if found { 2 } else { 1 };
                self.touched.push(id);
                found
            }
            s => s == 2,
        }
    }
}

impl Triggers {
    fn new(rules: &[Rule], lang: Lang) -> Result<Triggers, String> {
        let mut words: Vec<Vec<u8>> = Vec::new();
        let mut t = Triggers::default();
        let mut index: std::collections::HashMap<Vec<u8>, usize> = std::collections::HashMap::new();
        let mut lit_index: std::collections::HashMap<&[u8], usize> =
            std::collections::HashMap::new();
        let mut slot = |w: Vec<u8>, t: &mut Triggers, words: &mut Vec<Vec<u8>>| -> usize {
            *index.entry(w.clone()).or_insert_with(|| {
                words.push(w);
                t.keyword_rules.push(Vec::new());
                t.prefix_of.push(Vec::new());
                words.len() - 1
            })
        };
        for (ri, r) in rules.iter().enumerate().filter(|(_, r)| r.lang == lang) {
            for k in &r.keywords {
                let id = slot(k.to_lowercase().into_bytes(), &mut t, &mut words);
                if !t.keyword_rules[id].contains(&ri) {
                    t.keyword_rules[id].push(ri);
                }
            }
            for (pi, p) in r.patterns.iter().enumerate() {
                let at = t.pats.len();
                t.pats.push(Pat {
                    rule: ri,
                    pattern: pi,
                    required: required_ids(p, &mut t.lits, &mut lit_index),
                });
                match p.prefixes() {
                    Some(lits) => {
                        for l in lits {
                            let id = slot(l, &mut t, &mut words);
                            t.prefix_of[id].push(at);
                        }
                    }
                    None => t.always.push(at),
                }
            }
        }
        if !words.is_empty() {
            t.automaton =
                Some(Overlapping::new(words, true, TRIE_DFA_AFTER).map_err(|e| e.to_string())?);
        }
        Ok(t)
    }

    /// Does `text` hold every required part of pattern `at`?
    fn has_required(&self, at: usize, text: &str, memo: &mut LitMemo) -> bool {
        let hay = text.as_bytes();
        self.pats[at]
            .required
            .iter()
            .all(|set| set.iter().any(|&l| memo.present(&self.lits, l, hay)))
    }

    /// The automaton to scan `len` bytes with.
    fn automaton(&self, len: usize) -> Option<crate::automaton::Scanner<'_>> {
        self.automaton.as_ref().map(|a| a.get(len))
    }
}

/// A pattern's required parts as literal ids, each distinct literal added to `lits` once.
/// Sets holding an empty literal are dropped (every text holds it). Most texts lack some part,
/// so the sets quickest to rule out come first: fewest literals, then the longest.
fn required_ids<'r>(
    p: &'r crate::rules::compile::LazyRegex,
    lits: &mut Vec<Lit>,
    index: &mut std::collections::HashMap<&'r [u8], usize>,
) -> Vec<Vec<usize>> {
    let mut sets = p.required_parts();
    sets.retain(|set| set.iter().all(|l| !l.is_empty()));
    sets.sort_by_key(|set| {
        let shortest = set.iter().map(|l| l.len()).min().unwrap_or(0);
        (set.len(), std::cmp::Reverse(shortest))
    });
    sets.into_iter()
        .map(|set| {
            set.into_iter()
                .map(|l| {
                    *index.entry(l).or_insert_with(|| {
                        lits.push(Lit {
                            bytes: l.to_vec(),
                            pairs: pair_slots(l),
                            fold: l.iter().any(u8::is_ascii_alphabetic),
                            finder: std::sync::OnceLock::new(),
                        });
                        lits.len() - 1
                    })
                })
                .collect()
        })
        .collect()
}

/// One occurrence of a trigger word in a file's source.
struct TriggerMatch {
    start: usize,
    end: usize,
    /// Automaton pattern id.
    id: usize,
}

/// Where a scanned range sits: scene, element (None for a heading) and the scope it is read as.
#[derive(Clone, Copy)]
struct At {
    sp: usize,
    ep: Option<usize>,
    kind: ScopeKind,
}

/// Buffers every range's scan reuses, so a file's thousands of elements allocate once.
#[derive(Default)]
struct Scratch {
    /// (rule, hit) in the order triggers fired.
    hits: Vec<(usize, Range<usize>)>,
    /// Patterns (index into the language's `Triggers::pats`) to run on the range.
    run: Vec<usize>,
    /// Required literals found in the range.
    memo: LitMemo,
    /// (rule, sentence) pairs already reported in the current text: a set, as one long
    /// element can hold thousands of findings.
    seen: std::collections::HashSet<(usize, usize), foldhash::fast::RandomState>,
    /// Cue-list answers for long windows (see [`WindowMemo`]).
    windows: WindowMemo,
    /// The last range's start and its first trigger ending at or after it: ranges come
    /// mostly in source order, so the next one's first trigger is found by stepping on.
    cursor: (usize, usize),
}

impl Scratch {
    /// Index of the first trigger ending at or after `start` (`found` is sorted by end).
    fn first_ending_from(&mut self, found: &[TriggerMatch], start: usize) -> usize {
        let (last_start, mut i) = self.cursor;
        if start < last_start {
            i = found.partition_point(|m| m.end < start);
        } else {
            while found.get(i).is_some_and(|m| m.end < start) {
                i += 1;
            }
        }
        self.cursor = (start, i);
        i
    }
}

/// Rules compiled for scanning.
pub struct Engine {
    pub rules: Vec<Rule>,
    /// Built on first use: a run over Chinese scripts never builds the English triggers.
    zh: std::sync::OnceLock<Triggers>,
    en: std::sync::OnceLock<Triggers>,
}

/// Per-run options that change what is reported.
#[derive(Debug, Clone, Default)]
pub struct LintOptions {
    /// Which packs apply; `None` picks by the script's text.
    pub lang: Option<Lang>,
}

impl Engine {
    pub fn new(set: RuleSet) -> Result<Engine, String> {
        Ok(Engine {
            rules: set.rules,
            zh: std::sync::OnceLock::new(),
            en: std::sync::OnceLock::new(),
        })
    }

    fn triggers(&self, lang: Lang) -> &Triggers {
        let cell = match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        };
        // Keyword and prefix lists were checked when the packs loaded; a build failure here
        // (an automaton over its size limit) leaves that language without triggers.
        cell.get_or_init(|| Triggers::new(&self.rules, lang).unwrap_or_default())
    }

    /// Every finding in a script, sorted by position then rule.
    pub fn lint(&self, script: &Script, cast: &Cast, opts: &LintOptions) -> Vec<Finding> {
        let lang = opts.lang.unwrap_or_else(|| detect_lang(&script.source));
        let an = Analysis::new(script, cast, lang);
        let cues: Vec<std::cell::OnceCell<SceneCues>> = script
            .scenes
            .iter()
            .map(|_| std::cell::OnceCell::new())
            .collect();
        let an = Scan { an, cues };
        let found = self.trigger_matches(lang, &script.source);
        let mut scratch = Scratch::default();
        let mut out = Vec::new();
        for (sp, scene) in script.scenes.iter().enumerate() {
            if let Some(h) = &scene.heading_span {
                let at = At {
                    sp,
                    ep: None,
                    kind: ScopeKind::Heading,
                };
                self.scan(&an, &found, at, h.clone(), &mut scratch, &mut out);
            }
            for (ep, el) in scene.elements.iter().enumerate() {
                let Some(kind) = scope_of(el.kind) else {
                    continue;
                };
                let at = At {
                    sp,
                    ep: Some(ep),
                    kind,
                };
                self.scan(&an, &found, at, el.text.clone(), &mut scratch, &mut out);
                for p in &el.parenthetical_spans {
                    let at = At {
                        kind: ScopeKind::Parenthetical,
                        ..at
                    };
                    self.scan(&an, &found, at, p.clone(), &mut scratch, &mut out);
                }
            }
        }
        out.sort_by(|a, b| {
            (a.span.start, a.rule, a.span.end).cmp(&(b.span.start, b.rule, b.span.end))
        });
        out.dedup_by(|a, b| a.rule == b.rule && a.span.start == b.span.start);
        out
    }

    /// Every trigger occurrence in the whole source, in the order an overlapping scan reports
    /// them (by end, then as the automaton lists the words ending there). One scan per file:
    /// an element's triggers are the occurrences lying wholly inside its range, in this order,
    /// which is exactly what scanning the element's text alone reports.
    fn trigger_matches(&self, lang: Lang, source: &str) -> Vec<TriggerMatch> {
        let mut found = Vec::new();
        if source.is_empty() {
            return found;
        }
        if let Some(ac) = self.triggers(lang).automaton(source.len()) {
            ac.for_each_overlapping(source.as_bytes(), |m| {
                found.push(TriggerMatch {
                    start: m.start(),
                    end: m.end(),
                    id: m.pattern().as_usize(),
                })
            });
        }
        found
    }

    /// Triggers in one range, then the context checks of the rules they belong to.
    fn scan(
        &self,
        sc: &Scan,
        found: &[TriggerMatch],
        at: At,
        range: Range<usize>,
        scratch: &mut Scratch,
        out: &mut Vec<Finding>,
    ) {
        let an = &sc.an;
        let source = &an.script.source;
        let Some(text) = source.get(range.clone()) else {
            return;
        };
        if text.is_empty() {
            return;
        }
        let trig = self.triggers(an.lang);
        // Occurrences ending at or after the range start (an empty word could end right on
        // it); those starting before it or ending after its end are not the range's.
        let first = scratch.first_ending_from(found, range.start);
        let inside = found[first..]
            .iter()
            .take_while(|m| m.end <= range.end)
            .filter(|m| m.start >= range.start);
        let Scratch {
            hits,
            run,
            seen,
            memo,
            windows,
            ..
        } = scratch;
        hits.clear();
        run.clear();
        run.extend_from_slice(&trig.always);
        for m in inside {
            run.extend_from_slice(&trig.prefix_of[m.id]);
            let (s, e) = (m.start - range.start, m.end - range.start);
            if trig.keyword_rules[m.id].is_empty() || !ascii_word_bounded(text, s, e) {
                continue;
            }
            for &ri in &trig.keyword_rules[m.id] {
                hits.push((ri, m.start..m.end));
            }
        }
        run.sort_unstable();
        run.dedup();
        memo.reset(trig.lits.len());
        for &at in run.iter() {
            if !trig.has_required(at, text, memo) {
                continue;
            }
            let Pat {
                rule: ri,
                pattern: pi,
                ..
            } = trig.pats[at];
            if let Some(re) = self.rules[ri].patterns[pi].get() {
                for m in re.find_iter(text) {
                    hits.push((ri, range.start + m.start()..range.start + m.end()));
                }
            }
        }
        if hits.is_empty() {
            return;
        }
        let At { sp, ep, kind } = at;
        let sents = sentences(source, range.clone());
        seen.clear();
        for (ri, hit) in hits.drain(..) {
            let rule = &self.rules[ri];
            if rule.lang != an.lang || !rule.in_scope(kind) {
                continue;
            }
            let si = sents
                .partition_point(|s| s.end <= hit.start)
                .min(sents.len().saturating_sub(1));
            let sentence = sents
                .get(si)
                .filter(|s| s.start <= hit.start)
                .cloned()
                .unwrap_or(range.clone());
            let sentence = context::clamp_sentence(source, sentence, &hit);
            if seen.contains(&(ri, si)) {
                continue;
            }
            let at = Place {
                sp,
                ep,
                sents: &sents,
                si,
            };
            if let Some(f) = self.check(sc, rule, ri, &at, sentence, hit, windows) {
                seen.insert((ri, si));
                out.push(f);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn check(
        &self,
        sc: &Scan,
        rule: &Rule,
        ri: usize,
        at: &Place<'_>,
        sentence: Range<usize>,
        hit: Range<usize>,
        windows: &mut WindowMemo,
    ) -> Option<Finding> {
        let an = &sc.an;
        let &Place { sp, ep, sents, si } = at;
        let source = an.script.source.as_str();
        if negated(sc, rule, &sentence, &hit) {
            return None;
        }
        if !rule.unless_sentence.is_empty() {
            let unless_window = window_range(an, rule.unless_window, sp, ep, sents, si, &sentence);
            if windows.any_in((ri, 0), &rule.unless_sentence, source, &unless_window) {
                return None;
            }
        }
        let window = window_range(an, rule.window, sp, ep, sents, si, &sentence);
        if !rule.with.is_empty() && !windows.any_in((ri, 1), &rule.with, source, &window) {
            return None;
        }
        if !rule.with_also.is_empty() && !windows.any_in((ri, 2), &rule.with_also, source, &window)
        {
            return None;
        }
        let who = match ep {
            Some(ep) => rule
                .who
                .iter()
                .find_map(|&w| an.check_who(w, sp, ep, sentence.clone(), hit.clone())),
            None => rule
                .who
                .iter()
                .any(|w| matches!(w, crate::rules::Who::Any | crate::rules::Who::ChildPresent))
                .then(|| {
                    an.present[sp]
                        .first()
                        .and_then(|&i| an.name(i).map(str::to_string))
                })
                .filter(|_| {
                    rule.who.contains(&crate::rules::Who::Any) || !an.present[sp].is_empty()
                }),
        };
        let (base, character, adults_only) = match who {
            Some(c) => (rule.severity, c, false),
            None => (rule.adults?, None, true),
        };
        let shift = if adults_only {
            0
        } else {
            context_shift(sc, rule, sp, ep, &hit)
        };
        Some(Finding {
            rule: ri,
            severity: apply_shift(base, shift),
            scene: an.script.scenes[sp].index,
            span: hit,
            character,
            shift,
            adults_only,
        })
    }

    /// Build both languages' triggers now, `first` first: a run calls this on a spare worker,
    /// so the first script does not wait for them.
    pub fn warm(&self, first: Lang) {
        let other = match first {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        };
        self.triggers(first);
        self.triggers(other);
    }

    /// Build one language's triggers now (a spare worker, when a run starts).
    pub fn warm_lang(&self, lang: Lang) {
        self.triggers(lang);
    }

    pub fn prohibition(&self, f: &Finding) -> Option<Prohibition> {
        self.rules[f.rule].prohibition
    }
}

/// Which rule scope reads an element kind (None: never linted).
fn scope_of(kind: ElementKind) -> Option<ScopeKind> {
    match kind {
        ElementKind::Dialogue => Some(ScopeKind::Dialogue),
        ElementKind::Action | ElementKind::Centered | ElementKind::Lyric => Some(ScopeKind::Action),
        ElementKind::Note => Some(ScopeKind::Note),
        ElementKind::Subtitle => Some(ScopeKind::Subtitle),
        _ => None,
    }
}

/// Whether a negator stands before the hit in its clause (`unless`); the rule's
/// `unless_sentence` words are checked by the caller.
fn negated(sc: &Scan, rule: &Rule, sentence: &Range<usize>, hit: &Range<usize>) -> bool {
    let source = &sc.an.script.source;
    let before = source.get(sentence.start..hit.start).unwrap_or("");
    // Only the current clause, and only `unless_distance` characters back.
    let clause_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| is_clause_break(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let clause = &before[clause_start..];
    let chars: Vec<(usize, char)> = clause.char_indices().collect();
    let from = chars
        .len()
        .saturating_sub(rule.unless_distance)
        .min(chars.len());
    let near_start = chars.get(from).map_or(clause.len(), |&(i, _)| i);
    let near = &clause[near_start..];
    let near_chars = near.chars().count();
    for (_, e, n) in rule.unless.find_all(near) {
        // A single-character negator (不, 没, 别) only counts right before the word.
        let gap = near[e..].chars().count();
        if n > 1 || gap <= 1 || near_chars <= 2 {
            return true;
        }
    }
    false
}

/// Where a hit is: its scene, its element, its text's sentences and the one it is in.
struct Place<'a> {
    sp: usize,
    ep: Option<usize>,
    sents: &'a [Range<usize>],
    si: usize,
}

/// Whether a rule's cue list occurs in a window, remembered for long windows: every hit of a
/// scene-window rule in a scene asks the same question, and searching the scene for each made
/// one long scene quadratic. Keyed by (rule, which list) and the window; kept for one file.
#[derive(Default)]
struct WindowMemo(
    std::collections::HashMap<((usize, u8), usize, usize), bool, foldhash::fast::RandomState>,
);

/// Windows shorter than this are searched again (cheaper than remembering them).
const LONG_WINDOW: usize = 1024;

impl WindowMemo {
    fn any_in(&mut self, key: (usize, u8), cues: &Cues, source: &str, w: &Range<usize>) -> bool {
        let text = source.get(w.clone()).unwrap_or("");
        if text.len() < LONG_WINDOW {
            return cues.any_in(text);
        }
        *self
            .0
            .entry((key, w.start, w.end))
            .or_insert_with(|| cues.any_in(text))
    }
}

fn window_range(
    an: &Analysis,
    window: Window,
    sp: usize,
    ep: Option<usize>,
    sents: &[Range<usize>],
    si: usize,
    sentence: &Range<usize>,
) -> Range<usize> {
    let scene = &an.script.scenes[sp];
    match (window, ep) {
        (Window::Sentence, _) | (_, None) => sentence.clone(),
        (Window::Next, Some(ep)) => match sents.get(si + 1) {
            Some(n) => sentence.start..n.end,
            None => {
                let end = scene
                    .elements
                    .get(ep + 1)
                    .map_or(sentence.end, |e| e.text.end.max(sentence.end));
                sentence.start..end
            }
        },
        (Window::Element, Some(ep)) => scene.elements[ep].text.clone(),
        (Window::Scene, _) => scene.span.clone(),
    }
}

/// A static cue list's automaton: a DFA (the same matches as an NFA, fewer steps per byte),
/// built once per process.
fn cue_automaton(list: &[&str]) -> AhoCorasick {
    build_dfa_automaton(
        &list.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        MatchKind::Standard,
    )
    .unwrap_or_else(|_| unreachable!("static list builds"))
}

/// A static cue list in each language, with each language's automaton built when a script in
/// it first needs one (a one-file run builds one of the two).
struct PerLang {
    lists: [&'static [&'static str]; 2],
    built: [std::sync::OnceLock<AhoCorasick>; 2],
}

impl PerLang {
    const fn new(zh: &'static [&'static str], en: &'static [&'static str]) -> PerLang {
        PerLang {
            lists: [zh, en],
            built: [std::sync::OnceLock::new(), std::sync::OnceLock::new()],
        }
    }

    fn get(&self, lang: Lang) -> &AhoCorasick {
        let i = lang_slot(lang);
        self.built[i].get_or_init(|| cue_automaton(self.lists[i]))
    }
}

/// Cheering or gloating words around an act.
static ENDORSE: PerLang = PerLang::new(ENDORSE_ZH, ENDORSE_EN);

const ENDORSE_ZH: &[&str] = &[
    "爽",
    "解气",
    "大快人心",
    "活该",
    "干得漂亮",
    "太帅了",
    "不愧是",
    "全场震惊",
    "倒吸一口凉气",
    "鼓掌",
    "跪地求饶",
    "啪啪打脸",
    "脸色铁青",
    "吃瘪",
    "追悔莫及",
    "后悔莫及",
    "赢麻了",
    "碾压",
    "降维打击",
    "满意的笑容",
    "露出满意",
    "欢呼",
    "叫好",
    "得意地笑",
    "扬长而去",
];

const ENDORSE_EN: &[&str] = &[
    "serves you right",
    "that's my boy",
    "that's my girl",
    "everyone gasps",
    "jaw-dropping",
    "slay",
    "crushed it",
    "begs for mercy",
    "mic drop",
    "cheers",
    "applaud",
    "applause",
    "proud smile",
    "smiles proudly",
    "grins with pride",
];

/// Apology, correction or consequence words.
static CORRECT: PerLang = PerLang::new(CORRECT_ZH, CORRECT_EN);

const CORRECT_ZH: &[&str] = &[
    "道歉",
    "认错",
    "是不对的",
    "老师制止",
    "报警",
    "警察",
    "反思",
    "原谅",
    "学会了",
    "明白了",
    "对不起",
    "再也不",
];

const CORRECT_EN: &[&str] = &[
    "apologize",
    "apologise",
    "i'm sorry",
    "that was wrong",
    "we don't do that",
    "police",
    "learned",
    "grounded",
    "consequences",
    "never again",
];

fn lang_slot(l: Lang) -> usize {
    match l {
        Lang::Zh => 0,
        Lang::En => 1,
    }
}

/// A severity moved by context, never below `warning` for a correction (the act still happened).
pub fn apply_shift(sev: Severity, shift: i8) -> Severity {
    match shift {
        1.. => sev.up(),
        0 => sev,
        _ if sev == Severity::Error => Severity::Warning,
        _ => sev,
    }
}

/// One file's analysis plus per-scene caches filled on first use.
struct Scan<'a> {
    an: Analysis<'a>,
    cues: Vec<std::cell::OnceCell<SceneCues>>,
}

/// Where endorsement and correction cues stand in a scene, found in one pass.
struct SceneCues {
    endorse: Vec<usize>,
    last_correction: Option<usize>,
}

fn scene_cues(an: &Analysis, sp: usize) -> SceneCues {
    let scene = &an.script.scenes[sp];
    let text = an.script.source.get(scene.span.clone()).unwrap_or("");
    let base = scene.span.start;
    SceneCues {
        endorse: ENDORSE
            .get(an.lang)
            .find_iter(text)
            .map(|m| base + m.start())
            .collect(),
        last_correction: CORRECT
            .get(an.lang)
            .find_iter(text)
            .last()
            .map(|m| base + m.start()),
    }
}

/// Endorsement right after raises severity; correction later in the scene lowers it.
fn context_shift(sc: &Scan, rule: &Rule, sp: usize, ep: Option<usize>, hit: &Range<usize>) -> i8 {
    let Some(ep) = ep else {
        return 0;
    };
    let an = &sc.an;
    let scene = &an.script.scenes[sp];
    let cues = sc.cues[sp].get_or_init(|| scene_cues(an, sp));
    let mut shift = 0;
    if rule.endorsement {
        let end = scene
            .elements
            .get(ep + 2)
            .or(scene.elements.get(ep + 1))
            .map_or(scene.elements[ep].text.end, |e| e.text.end);
        let i = cues.endorse.partition_point(|&p| p < hit.end);
        if cues.endorse.get(i).is_some_and(|&p| p < end) {
            shift += 1;
        }
    }
    if rule.correction && cues.last_correction.is_some_and(|p| p >= hit.end) {
        shift -= 1;
    }
    shift
}

/// Chinese packs for text that is mostly Han characters, English packs otherwise.
/// Reads the first 20 000 characters bytewise: a character starts at every byte that is not a
/// UTF-8 continuation byte, and U+4E00..=U+9FFF is E4 B8 80..=E9 BF BF.
pub fn detect_lang(text: &str) -> Lang {
    let mut han = 0usize;
    let mut latin = 0usize;
    let mut chars = 0usize;
    let b = text.as_bytes();
    let is_han = |x: u8, next: u8| (0xE5..=0xE9).contains(&x) || (x == 0xE4 && next >= 0xB8);
    // Whole blocks first, while a block cannot pass the last character.
    let mut at = 0;
    while at + 65 <= b.len() && chars + 64 <= 20_000 {
        let (c, l, h) = count_block(&b[at..at + 65]);
        chars += c;
        latin += l;
        han += h;
        at += 64;
    }
    for (i, &x) in b.iter().enumerate().skip(at) {
        if x & 0xC0 == 0x80 {
            continue;
        }
        if chars == 20_000 {
            break;
        }
        chars += 1;
        if x.is_ascii_alphabetic() {
            latin += 1;
        } else if is_han(x, b.get(i + 1).copied().unwrap_or(0)) {
            han += 1;
        }
    }
    if han * 3 >= latin { Lang::Zh } else { Lang::En }
}

/// Character starts, ASCII letters and Han lead bytes among the first 64 bytes of `w`
/// (65 bytes: a Han lead byte looks at the byte after it). Branch-free byte sums in a
/// fixed-size loop, so the compiler turns it into vector code.
#[inline]
fn count_block(w: &[u8]) -> (usize, usize, usize) {
    let Ok(w) = <&[u8; 65]>::try_from(w) else {
        return (0, 0, 0);
    };
    let (mut c, mut l, mut h) = (0u8, 0u8, 0u8);
    for j in 0..64 {
        let (x, n) = (w[j], w[j + 1]);
        c += u8::from(x & 0xC0 != 0x80);
        l += u8::from((x | 0x20).wrapping_sub(b'a') < 26);
        h += u8::from(x.wrapping_sub(0xE5) < 5 || (x == 0xE4 && n >= 0xB8));
    }
    (c.into(), l.into(), h.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default packs' trigger words, as the engine collects them, and the warm-up's prefix
    /// words have the tries `build.rs` embedded: a run with the default rules builds none.
    /// (Collecting them differently stays correct but loses the embedded tables.)
    #[test]
    fn default_packs_use_the_embedded_tries() {
        use crate::automaton::{Scanner, TrieNfa};
        let engine = Engine::new(RuleSet::defaults().unwrap()).unwrap();
        for lang in [Lang::Zh, Lang::En] {
            let scanner = engine.triggers(lang).automaton(0);
            assert!(
                matches!(scanner, Some(Scanner::Trie(t)) if t.is_embedded()),
                "{lang:?} triggers"
            );
            let prefixes = crate::rules::compile::prefix_words(&engine.rules, lang).lits;
            assert!(!prefixes.is_empty());
            assert!(
                TrieNfa::embedded(&prefixes, true).is_some(),
                "{lang:?} prefixes"
            );
        }
    }

    /// The engine's shared required-literal check must decide exactly as
    /// `LazyRegex::get_for` does: every default pattern, on every example of every rule (each
    /// also upper-cased, and cut into lines), with one memo reused across the pattern list.
    #[test]
    fn required_literals_decide_as_get_for_does() {
        let engine = Engine::new(RuleSet::defaults().unwrap()).unwrap();
        let mut texts: Vec<String> = Vec::new();
        for r in &engine.rules {
            for t in r.examples.invalid.iter().chain(&r.examples.valid) {
                texts.push(t.clone());
                texts.push(t.to_uppercase());
                texts.extend(t.lines().map(str::to_string));
            }
        }
        texts.push("x".repeat(700) + "扇了他一巴掌 SLAPS him");
        let (mut kept, mut dropped) = (0, 0);
        for lang in [Lang::Zh, Lang::En] {
            let trig = engine.triggers(lang);
            let mut memo = LitMemo::default();
            for t in &texts {
                memo.reset(trig.lits.len());
                for (at, p) in trig.pats.iter().enumerate() {
                    let want = engine.rules[p.rule].patterns[p.pattern]
                        .get_for(t)
                        .is_some();
                    assert_eq!(trig.has_required(at, t, &mut memo), want, "{at} on {t}");
                    if want { kept += 1 } else { dropped += 1 }
                }
            }
        }
        assert!(kept > 0 && dropped > 0, "{kept} {dropped}");
    }

    #[test]
    fn literal_search_ignores_ascii_case_only_for_letters() {
        let lit = |s: &str| Lit {
            bytes: s.as_bytes().to_vec(),
            pairs: pair_slots(s.as_bytes()),
            fold: s.bytes().any(|b| b.is_ascii_alphabetic()),
            finder: std::sync::OnceLock::new(),
        };
        assert!(lit("slap").occurs_in(b"He SLAPS her"));
        assert!(!lit("slap").occurs_in(b"He sla ps"));
        assert!(lit("刀").occurs_in("他用刀".as_bytes()));
        let long = "啊".repeat(40) + "小刀";
        assert!(lit("小刀").occurs_in(long.as_bytes()));
        assert!(!lit("大刀").occurs_in(long.as_bytes()));
        assert!(lit("").occurs_in(b""));
        let mut set = PairSet::new(b"Hello World");
        assert!(set.may_hold(&pair_slots(b"world")));
        // A new text's set holds none of the last one's pairs, also when stamps wrap.
        set.build(b"xyz");
        assert!(!set.may_hold(&pair_slots(b"wo")));
        assert!(set.may_hold(&pair_slots(b"XY")));
        set.now = u32::MAX;
        set.build(b"qq");
        assert!(!set.may_hold(&pair_slots(b"xy")));
        assert!(set.may_hold(&pair_slots(b"qq")));
        set.build(&[b'a'; PAIR_MAX_TEXT + 1]);
        assert!(set.may_hold(&pair_slots(b"zz")));
    }
}
