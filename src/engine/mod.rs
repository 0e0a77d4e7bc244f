//! The compiled rule set and the scan: every keyword of every rule in one Aho-Corasick
//! automaton, every pattern in one RegexSet, then context checks only where a trigger fired.
//! [`Engine::lint`] is a pure function from a parsed script to findings with byte ranges.

pub mod context;
pub mod suppress;

use crate::cast::Cast;
use crate::rules::compile::{ascii_word_bounded, build_automaton};
use crate::rules::schema::Window;
use crate::rules::{Lang, Prohibition, Rule, RuleSet, ScopeKind, Severity};
use crate::script::{ElementKind, Script};
use aho_corasick::{AhoCorasick, MatchKind};
use context::{Analysis, is_clause_break, sentences};
use regex::RegexSet;
use std::ops::Range;
use std::sync::LazyLock;

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

/// Rules compiled for scanning.
pub struct Engine {
    pub rules: Vec<Rule>,
    keywords: Option<AhoCorasick>,
    /// Keyword pattern id → rules using it.
    keyword_rules: Vec<Vec<usize>>,
    patterns: Option<RegexSet>,
    /// RegexSet index → (rule, pattern index within the rule).
    pattern_rules: Vec<(usize, usize)>,
}

/// Per-run options that change what is reported.
#[derive(Debug, Clone, Default)]
pub struct LintOptions {
    /// Which packs apply; `None` picks by the script's text.
    pub lang: Option<Lang>,
}

impl Engine {
    pub fn new(set: RuleSet) -> Result<Engine, String> {
        let rules = set.rules;
        let mut words: Vec<String> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        let mut index = std::collections::HashMap::new();
        let mut pats = Vec::new();
        let mut pattern_rules = Vec::new();
        for (ri, r) in rules.iter().enumerate() {
            for k in &r.keywords {
                let key = k.to_lowercase();
                let id = *index.entry(key.clone()).or_insert_with(|| {
                    words.push(key);
                    keyword_rules.push(Vec::new());
                    words.len() - 1
                });
                if !keyword_rules[id].contains(&ri) {
                    keyword_rules[id].push(ri);
                }
            }
            for (pi, p) in r.patterns.iter().enumerate() {
                pats.push(format!("(?i:{})", p.as_str()));
                pattern_rules.push((ri, pi));
            }
        }
        let keywords = if words.is_empty() {
            None
        } else {
            Some(build_automaton(&words, MatchKind::Standard).map_err(|e| e.to_string())?)
        };
        let patterns = if pats.is_empty() {
            None
        } else {
            Some(
                regex::RegexSetBuilder::new(&pats)
                    .size_limit(64 << 20)
                    .dfa_size_limit(64 << 20)
                    .build()
                    .map_err(|e| e.to_string())?,
            )
        };
        Ok(Engine {
            rules,
            keywords,
            keyword_rules,
            patterns,
            pattern_rules,
        })
    }

    /// Every finding in a script, sorted by position then rule.
    pub fn lint(&self, script: &Script, cast: &Cast, opts: &LintOptions) -> Vec<Finding> {
        let lang = opts.lang.unwrap_or_else(|| detect_lang(&script.source));
        let an = Analysis::new(script, cast, lang);
        let mut out = Vec::new();
        for (sp, scene) in script.scenes.iter().enumerate() {
            if let Some(h) = &scene.heading_span {
                self.scan(&an, sp, None, ScopeKind::Heading, h.clone(), &mut out);
            }
            for (ep, el) in scene.elements.iter().enumerate() {
                let Some(kind) = scope_of(el.kind) else {
                    continue;
                };
                self.scan(&an, sp, Some(ep), kind, el.text.clone(), &mut out);
                for p in &el.parenthetical_spans {
                    self.scan(
                        &an,
                        sp,
                        Some(ep),
                        ScopeKind::Parenthetical,
                        p.clone(),
                        &mut out,
                    );
                }
            }
        }
        out.sort_by(|a, b| {
            (a.span.start, a.rule, a.span.end).cmp(&(b.span.start, b.rule, b.span.end))
        });
        out.dedup_by(|a, b| a.rule == b.rule && a.span.start == b.span.start);
        out
    }

    /// Triggers in one range, then the context checks of the rules they belong to.
    fn scan(
        &self,
        an: &Analysis,
        sp: usize,
        ep: Option<usize>,
        kind: ScopeKind,
        range: Range<usize>,
        out: &mut Vec<Finding>,
    ) {
        let source = &an.script.source;
        let Some(text) = source.get(range.clone()) else {
            return;
        };
        if text.is_empty() {
            return;
        }
        let mut hits: Vec<(usize, Range<usize>)> = Vec::new();
        if let Some(ac) = &self.keywords {
            for m in ac.find_overlapping_iter(text) {
                if !ascii_word_bounded(text, m.start(), m.end()) {
                    continue;
                }
                for &ri in &self.keyword_rules[m.pattern().as_usize()] {
                    hits.push((ri, range.start + m.start()..range.start + m.end()));
                }
            }
        }
        if let Some(set) = &self.patterns {
            for si in set.matches(text).iter() {
                let (ri, pi) = self.pattern_rules[si];
                for m in self.rules[ri].patterns[pi].find_iter(text) {
                    hits.push((ri, range.start + m.start()..range.start + m.end()));
                }
            }
        }
        if hits.is_empty() {
            return;
        }
        let sents = sentences(source, range.clone());
        let mut seen: Vec<(usize, usize)> = Vec::new();
        for (ri, hit) in hits {
            let rule = &self.rules[ri];
            if rule.lang != an.lang || !rule.in_scope(kind) {
                continue;
            }
            let si = sents
                .iter()
                .position(|s| s.start <= hit.start && hit.start < s.end)
                .unwrap_or(0);
            let sentence = sents.get(si).cloned().unwrap_or(range.clone());
            if seen.contains(&(ri, si)) {
                continue;
            }
            if let Some(f) = self.check(an, rule, ri, sp, ep, &sents, si, sentence, hit) {
                seen.push((ri, si));
                out.push(f);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn check(
        &self,
        an: &Analysis,
        rule: &Rule,
        ri: usize,
        sp: usize,
        ep: Option<usize>,
        sents: &[Range<usize>],
        si: usize,
        sentence: Range<usize>,
        hit: Range<usize>,
    ) -> Option<Finding> {
        let source = &an.script.source;
        let unless_window = window_range(an, rule.unless_window, sp, ep, sents, si, &sentence);
        if negated(source, rule, &sentence, &unless_window, &hit) {
            return None;
        }
        let window = window_range(an, rule.window, sp, ep, sents, si, &sentence);
        let wtext = source.get(window).unwrap_or("");
        if !rule.with.is_empty() && !rule.with.any_in(wtext) {
            return None;
        }
        if !rule.with_also.is_empty() && !rule.with_also.any_in(wtext) {
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
            context_shift(an, rule, sp, ep, &hit)
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

/// A negator just before the hit in the same clause, or disapproval anywhere in the sentence.
fn negated(
    source: &str,
    rule: &Rule,
    sentence: &Range<usize>,
    unless_window: &Range<usize>,
    hit: &Range<usize>,
) -> bool {
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
    for (s, e, n) in rule.unless.find_all(near) {
        let _ = s;
        // A single-character negator (不, 没, 别) only counts right before the word.
        let gap = near[e..].chars().count();
        if n > 1 || gap <= 1 || near_chars <= 2 {
            return true;
        }
    }
    let whole = source.get(unless_window.clone()).unwrap_or("");
    !rule.unless_sentence.is_empty() && rule.unless_sentence.any_in(whole)
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

static ENDORSE: LazyLock<[AhoCorasick; 2]> = LazyLock::new(|| {
    let zh = [
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
    let en = [
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
    let b = |l: &[&str]| {
        build_automaton(
            &l.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            MatchKind::Standard,
        )
        .unwrap_or_else(|_| unreachable!("static list builds"))
    };
    [b(&zh), b(&en)]
});

static CORRECT: LazyLock<[AhoCorasick; 2]> = LazyLock::new(|| {
    let zh = [
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
    let en = [
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
    let b = |l: &[&str]| {
        build_automaton(
            &l.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            MatchKind::Standard,
        )
        .unwrap_or_else(|_| unreachable!("static list builds"))
    };
    [b(&zh), b(&en)]
});

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

/// Endorsement right after raises severity; correction later in the scene lowers it.
fn context_shift(
    an: &Analysis,
    rule: &Rule,
    sp: usize,
    ep: Option<usize>,
    hit: &Range<usize>,
) -> i8 {
    let Some(ep) = ep else {
        return 0;
    };
    let scene = &an.script.scenes[sp];
    let src = &an.script.source;
    let mut shift = 0;
    if rule.endorsement {
        let end = scene
            .elements
            .get(ep + 2)
            .or(scene.elements.get(ep + 1))
            .map_or(scene.elements[ep].text.end, |e| e.text.end);
        let after = src.get(hit.end..end.max(hit.end)).unwrap_or("");
        if ENDORSE[lang_slot(an.lang)].is_match(after) {
            shift += 1;
        }
    }
    if rule.correction {
        let after = src.get(hit.end..scene.span.end.max(hit.end)).unwrap_or("");
        if CORRECT[lang_slot(an.lang)].is_match(after) {
            shift -= 1;
        }
    }
    shift
}

/// Chinese packs for text that is mostly Han characters, English packs otherwise.
pub fn detect_lang(text: &str) -> Lang {
    let mut han = 0usize;
    let mut latin = 0usize;
    for c in text.chars().take(20_000) {
        if ('\u{4e00}'..='\u{9fff}').contains(&c) {
            han += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    if han * 3 >= latin { Lang::Zh } else { Lang::En }
}
