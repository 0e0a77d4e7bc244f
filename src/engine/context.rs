//! Who is who in a sentence: sentences, mentions of characters (names, child nouns, pronouns,
//! "you"), and the roles a rule's `who` asks about (speaker, agent, target, witness, actor).

use crate::cast::Cast;
use crate::rules::compile::{ascii_word_bounded, build_dfa_automaton};
use crate::rules::{Lang, Who};
use crate::script::{Element, ElementKind, Scene, Script};
use aho_corasick::{AhoCorasick, MatchKind};
use std::ops::Range;
use std::sync::LazyLock;

/// What a mention refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ref {
    /// A character of the cast (index into `Cast::characters`).
    Char(usize),
    /// A noun that always means a child (孩子, 小朋友, the kid).
    ChildNoun,
    /// A noun that means a child only when one is around (女儿, 宝贝, daughter, baby).
    WeakChildNoun,
    /// 他/她/he/she/him/her.
    Pronoun,
    /// 你/you.
    You,
}

#[derive(Debug, Clone, Copy)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub what: Ref,
}

struct Lexicon {
    ac: AhoCorasick,
    refs: Vec<Ref>,
}

fn lexicon(entries: &[(&[&str], Ref)]) -> Lexicon {
    let mut words = Vec::new();
    let mut refs = Vec::new();
    for (list, r) in entries {
        for w in *list {
            words.push(w.to_string());
            refs.push(*r);
        }
    }
    // A DFA: same matches as the NFA, fewer steps per byte, built once per process.
    let ac = build_dfa_automaton(&words, MatchKind::LeftmostLongest)
        .unwrap_or_else(|_| unreachable!("static lexicon builds"));
    Lexicon { ac, refs }
}

static ZH_LEX: LazyLock<Lexicon> = LazyLock::new(|| {
    lexicon(&[
        (
            &[
                "孩子",
                "小孩",
                "小朋友",
                "小家伙",
                "小男孩",
                "小女孩",
                "小丫头",
                "小姑娘",
                "小不点",
                "小屁孩",
                "熊孩子",
                "娃娃",
                "小娃",
                "萌宝",
                "小崽子",
                "崽崽",
                "幼童",
                "儿童",
                "婴儿",
                "小宝宝",
                "童星",
                "小演员",
                "儿童演员",
            ],
            Ref::ChildNoun,
        ),
        (
            &[
                "女儿",
                "儿子",
                "宝宝",
                "宝贝",
                "孙子",
                "孙女",
                "外孙",
                "外孙女",
                "闺女",
                "小公主",
                "小少爷",
                "小小姐",
            ],
            Ref::WeakChildNoun,
        ),
        (&["他", "她"], Ref::Pronoun),
        (&["你", "您"], Ref::You),
    ])
});

static EN_LEX: LazyLock<Lexicon> = LazyLock::new(|| {
    lexicon(&[
        (
            &[
                "kid",
                "kids",
                "child",
                "children",
                "little girl",
                "little boy",
                "toddler",
                "little one",
                "kiddo",
                "preschooler",
                "first grader",
                "child actor",
                "child performer",
                "young actor",
                "minor",
            ],
            Ref::ChildNoun,
        ),
        (
            &[
                "son",
                "daughter",
                "baby",
                "granddaughter",
                "grandson",
                "sweetie",
                "princess",
                "buddy",
                "pumpkin",
                "the girl",
                "the boy",
            ],
            Ref::WeakChildNoun,
        ),
        (
            &[
                "he", "she", "him", "her", "his", "hers", "himself", "herself",
            ],
            Ref::Pronoun,
        ),
        (&["you", "your", "yours", "yourself"], Ref::You),
    ])
});

/// Words that show production text is about a child performer.
static CHILD_ACTOR_WORDS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let words: Vec<String> = [
        "小演员",
        "童星",
        "儿童演员",
        "未成年演员",
        "孩子",
        "小朋友",
        "婴儿",
        "宝宝",
        "幼儿",
        "child actor",
        "child performer",
        "young actor",
        "kid",
        "kids",
        "baby",
        "infant",
        "toddler",
        "minor",
        "child",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    build_dfa_automaton(&words, MatchKind::LeftmostLongest)
        .unwrap_or_else(|_| unreachable!("static list builds"))
});

static AGE_RE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"(\d{1,2})\s*(?:岁|周岁|-year-old|\s*years?\s*old|-month-old|个月)|[A-Z][a-z]+ \((\d{1,2})\)")
        .unwrap_or_else(|_| unreachable!("static regex"))
});

/// How far back (bytes) pronoun and dropped-subject resolution reads within an element.
const LOOK_BACK: usize = 1200;
/// How many earlier elements of the scene it reads.
const LOOK_BACK_ELEMENTS: usize = 12;
/// Longest sentence analysed whole; longer ones (no punctuation) are cut around the hit.
pub const MAX_SENTENCE: usize = 900;

fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i.min(text.len())
}

/// A sentence cut to at most [`MAX_SENTENCE`] bytes around a hit.
pub fn clamp_sentence(source: &str, sentence: Range<usize>, hit: &Range<usize>) -> Range<usize> {
    if sentence.len() <= MAX_SENTENCE {
        return sentence;
    }
    let half = MAX_SENTENCE / 2;
    let start = crate::script::lines::floor_char_boundary(
        source,
        hit.start.saturating_sub(half).max(sentence.start),
    );
    let end = ceil_char_boundary(source, (hit.end + half).min(sentence.end));
    start..end
}

/// Sentence ends: a finding lives in one sentence.
pub fn is_sentence_end(c: char) -> bool {
    matches!(
        c,
        '。' | '！' | '？' | '!' | '?' | '；' | ';' | '\n' | '\r' | '…'
    )
}

/// Clause breaks: negation does not reach across them.
pub fn is_clause_break(c: char) -> bool {
    is_sentence_end(c) || matches!(c, '，' | ',' | '：' | ':' | '、' | '—')
}

/// The sentences of a text range, as absolute byte ranges (English `.` ends a sentence too).
pub fn sentences(source: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let Some(text) = source.get(range.clone()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let next = it.peek().map(|&(_, n)| n);
        let end_here = is_sentence_end(c)
            || (c == '.' && next.is_none_or(|n| n == ' ' || n == '\n' || n == '"'))
                && !ends_with_abbrev(&text[start..i]);
        if end_here {
            let e = i + c.len_utf8();
            if text[start..e].trim().chars().count() > 0 {
                out.push(range.start + start..range.start + e);
            }
            start = e;
        }
    }
    if text[start..].trim().chars().count() > 0 {
        out.push(range.start + start..range.end);
    }
    out
}

fn ends_with_abbrev(s: &str) -> bool {
    let w = s.rsplit(' ').next().unwrap_or("");
    matches!(
        w.to_ascii_lowercase().as_str(),
        "mr" | "mrs" | "ms" | "dr" | "st" | "int" | "ext" | "vs" | "a.m" | "p.m" | "approx" | "no"
    )
}

/// Per-script analysis shared by every rule.
pub struct Analysis<'a> {
    pub script: &'a Script,
    pub cast: &'a Cast,
    pub lang: Lang,
    /// Every name and alias, to find mentions of characters.
    names: NameMatcher,
    name_owner: Vec<usize>,
    /// Name or alias → the first character answering to it (foldhash: looked up for every
    /// speaking element, and never iterated).
    speakers: SpeakerMap<'a>,
    /// Children present in each scene (by position in `script.scenes`).
    pub present: Vec<Vec<usize>>,
    /// Per scene, per element: the furthest any element up to it reaches (its span's end, at
    /// least one byte), so the element holding a position is found by binary search.
    reach: Vec<Vec<usize>>,
}

/// The elements of a scene starting before `pos`: elements are in source order, so they are
/// a prefix, found by binary search instead of a walk over the scene per hit.
fn before(scene: &Scene, pos: usize) -> &[Element] {
    &scene.elements[..scene.elements.partition_point(|e| e.span.start < pos)]
}

impl<'a> Analysis<'a> {
    pub fn new(script: &'a Script, cast: &'a Cast, lang: Lang) -> Self {
        let mut words = Vec::new();
        let mut owner = Vec::new();
        for (i, c) in cast.characters.iter().enumerate() {
            for n in std::iter::once(&c.name).chain(c.aliases.iter()) {
                if !n.trim().is_empty() {
                    words.push(n.clone());
                    owner.push(i);
                }
            }
        }
        let mut a = Analysis {
            script,
            cast,
            lang,
            names: NameMatcher::new(words),
            name_owner: owner,
            speakers: speaker_index(cast),
            present: Vec::new(),
            reach: script
                .scenes
                .iter()
                .map(|s| {
                    let mut far = 0;
                    let ends = s.elements.iter().map(|e| e.span.end.max(e.span.start + 1));
                    ends.map(|end| {
                        far = far.max(end);
                        far
                    })
                    .collect()
                })
                .collect(),
        };
        let child_at = child_name_occurrences(script, cast);
        a.present = script
            .scenes
            .iter()
            .map(|s| a.scene_children(s, child_at.as_deref()))
            .collect();
        a
    }

    /// The first element of a scene whose span holds `pos` (an empty span holds its start).
    /// Elements start in order, so the candidates start at or before `pos`; the first of them
    /// reaching past it is where the running furthest reach first passes it.
    fn element_at(&self, scene_pos: usize, pos: usize) -> Option<&'a Element> {
        let scene = self.script.scenes.get(scene_pos)?;
        let reach = self.reach.get(scene_pos)?;
        let i = reach.partition_point(|&r| r <= pos);
        scene.elements.get(i).filter(|e| e.span.start <= pos)
    }

    fn is_child(&self, idx: usize) -> bool {
        self.cast.characters.get(idx).is_some_and(|c| c.child)
    }

    pub fn name(&self, idx: usize) -> Option<&str> {
        self.cast.characters.get(idx).map(|c| c.name.as_str())
    }

    fn speaker_idx(&self, el: &Element) -> Option<usize> {
        let sp = el.speaker.as_deref()?;
        self.speakers.get(sp).copied()
    }

    /// `child_at`: where any child's name occurs in the source (sorted by start); an element
    /// holding none of them cannot mention a child by name, so its names are not scanned.
    fn scene_children(&self, scene: &Scene, child_at: Option<&[(usize, usize)]>) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        let add = |i: usize, out: &mut Vec<usize>| {
            if self.is_child(i) && !out.contains(&i) {
                out.push(i);
            }
        };
        for el in &scene.elements {
            if let Some(i) = self.speaker_idx(el) {
                add(i, &mut out);
            }
            if matches!(el.kind, ElementKind::Comment) || !holds_any(child_at, &el.text) {
                continue;
            }
            for m in self.name_mentions(el.text.clone()) {
                if let Ref::Char(i) = m.what {
                    add(i, &mut out);
                }
            }
        }
        out
    }

    fn name_mentions(&self, range: Range<usize>) -> Vec<Mention> {
        let Some(text) = self.script.source.get(range.clone()) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        self.names.find_each(text, |s, e, w| {
            if ascii_word_bounded(text, s, e) {
                out.push(Mention {
                    start: range.start + s,
                    end: range.start + e,
                    what: Ref::Char(self.name_owner[w]),
                });
            }
        });
        out
    }

    /// Every mention in a range: names first, then nouns and pronouns that do not overlap them.
    pub fn mentions(&self, range: Range<usize>) -> Vec<Mention> {
        let mut out = self.name_mentions(range.clone());
        let Some(text) = self.script.source.get(range.clone()) else {
            return out;
        };
        let lex = match self.lang {
            Lang::Zh => &*ZH_LEX,
            Lang::En => &*EN_LEX,
        };
        for m in lex.ac.find_iter(text) {
            if !ascii_word_bounded(text, m.start(), m.end()) {
                continue;
            }
            let (s, e) = (range.start + m.start(), range.start + m.end());
            if out.iter().any(|n| n.start < e && s < n.end) {
                continue;
            }
            // 他们/她们 and 你们 are plural: not one character.
            let after = &text[m.end()..];
            let what = lex.refs[m.pattern().as_usize()];
            if matches!(what, Ref::Pronoun | Ref::You) && after.starts_with('们') {
                continue;
            }
            out.push(Mention {
                start: s,
                end: e,
                what,
            });
        }
        out.sort_by_key(|m| m.start);
        out
    }

    /// The last named character before `pos` in the scene (for pronouns and dropped subjects).
    fn antecedent(&self, scene: &Scene, pos: usize) -> Option<usize> {
        let mut best: Option<(usize, usize)> = None;
        for el in before(scene, pos).iter().rev().take(LOOK_BACK_ELEMENTS) {
            if el.kind == ElementKind::Dialogue {
                continue;
            }
            let Some(r) = self.look_back(el, pos) else {
                continue;
            };
            if let Some(m) = self
                .name_mentions(r)
                .into_iter()
                .rev()
                .find(|m| matches!(m.what, Ref::Char(_)))
                && let Ref::Char(i) = m.what
                && best.is_none_or(|(p, _)| m.start > p)
            {
                best = Some((m.start, i));
            }
        }
        best.map(|(_, i)| i)
    }

    /// The part of an element's text before `pos` that look-backs read: at most
    /// [`LOOK_BACK`] bytes, so a hit costs the same however long its element is.
    fn look_back(&self, el: &Element, pos: usize) -> Option<Range<usize>> {
        let end = el.text.end.min(pos);
        let start = el.text.start.max(end.saturating_sub(LOOK_BACK));
        let start = ceil_char_boundary(&self.script.source, start);
        (end > start).then_some(start..end)
    }

    /// Characters named or speaking before `pos` in the scene, most recent first (at most 6).
    fn recent_chars(&self, scene: &Scene, pos: usize) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for el in before(scene, pos).iter().rev().take(LOOK_BACK_ELEMENTS) {
            let mut names: Vec<usize> = if let Some(r) = self.look_back(el, pos) {
                self.name_mentions(r)
                    .into_iter()
                    .filter_map(|m| match m.what {
                        Ref::Char(i) => Some(i),
                        _ => None,
                    })
                    .collect()
            } else {
                Vec::new()
            };
            names.reverse();
            if el.kind == ElementKind::Dialogue {
                // The speaker comes before what they say.
                names.extend(self.speaker_idx(el));
            }
            for i in names {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
            if out.len() >= 6 {
                break;
            }
        }
        out
    }

    fn resolve(&self, scene_pos: usize, scene: &Scene, m: &Mention) -> Option<Party> {
        let present = &self.present[scene_pos];
        match m.what {
            Ref::Char(i) => Some(Party::Char(i)),
            Ref::ChildNoun => Some(
                present
                    .first()
                    .map_or(Party::SomeChild, |&i| Party::Char(i)),
            ),
            Ref::WeakChildNoun => present.first().map(|&i| Party::Char(i)),
            Ref::Pronoun => self.antecedent(scene, m.start).map(Party::Char),
            Ref::You => None,
        }
    }

    fn party_is_child(&self, p: Party) -> bool {
        match p {
            Party::Char(i) => self.is_child(i),
            Party::SomeChild => true,
        }
    }

    fn party_name(&self, p: Party) -> Option<String> {
        match p {
            Party::Char(i) => self.name(i).map(str::to_string),
            Party::SomeChild => None,
        }
    }

    /// Whom a line of dialogue speaks to: a child in an adjacent turn, or the only other
    /// speaker of the scene.
    fn addressee_child(
        &self,
        scene_pos: usize,
        el_pos: usize,
        explicit_you: bool,
    ) -> Option<usize> {
        let scene = &self.script.scenes[scene_pos];
        let me = self.speaker_idx(&scene.elements[el_pos]);
        let near = |range: &mut dyn Iterator<Item = &Element>| {
            range
                .filter(|e| e.kind == ElementKind::Dialogue)
                .filter_map(|e| self.speaker_idx(e))
                .find(|&i| Some(i) != me)
        };
        let prev = near(&mut scene.elements[..el_pos].iter().rev());
        let next = near(&mut scene.elements[el_pos + 1..].iter());
        for c in [prev, next].into_iter().flatten() {
            if self.is_child(c) {
                return Some(c);
            }
        }
        let present = &self.present[scene_pos];
        let others: Vec<usize> = scene
            .elements
            .iter()
            .filter_map(|e| self.speaker_idx(e))
            .filter(|&i| Some(i) != me)
            .collect();
        // A lone adult's line says 你/you to the child in the room; a bare statement (no 你)
        // is only taken as spoken to the child when someone else talks in the scene.
        if (explicit_you || !others.is_empty()) && others.iter().all(|&i| self.is_child(i)) {
            return present.iter().copied().find(|&i| Some(i) != me);
        }
        None
    }

    /// Does `who` hold for a hit? Returns the child concerned (name when known).
    pub fn check_who(
        &self,
        who: Who,
        scene_pos: usize,
        el_pos: usize,
        sentence: Range<usize>,
        hit: Range<usize>,
    ) -> Option<Option<String>> {
        let scene = &self.script.scenes[scene_pos];
        let el = &scene.elements[el_pos];
        let speaker = self.speaker_idx(el);
        let speaker_child = speaker.filter(|&i| self.is_child(i));
        let present = &self.present[scene_pos];
        match who {
            Who::Any => Some(None),
            Who::ChildSpeaker => speaker_child.map(|i| self.name(i).map(str::to_string)),
            Who::ChildPresent => speaker_child
                .or_else(|| present.first().copied())
                .map(|i| self.name(i).map(str::to_string))
                .or_else(|| {
                    self.mentions(sentence.clone())
                        .iter()
                        .any(|m| m.what == Ref::ChildNoun)
                        .then_some(None)
                }),
            Who::ChildWitness => present
                .iter()
                .copied()
                .find(|&i| Some(i) != speaker)
                .map(|i| self.name(i).map(str::to_string)),
            Who::ChildAgent => {
                if el.kind == ElementKind::Dialogue {
                    return speaker_child.map(|i| self.name(i).map(str::to_string));
                }
                let (agent, _) = self.roles(scene_pos, sentence, hit);
                agent
                    .filter(|&p| self.party_is_child(p))
                    .map(|p| self.party_name(p))
            }
            Who::ChildTarget => {
                let (agent, mut targets) = self.roles(scene_pos, sentence.clone(), hit.clone());
                if el.kind == ElementKind::Dialogue {
                    // In dialogue the speaker acts; every child they name is acted on or about.
                    targets = agent
                        .into_iter()
                        .chain(targets)
                        .filter(|&p| Some(p) != speaker.map(Party::Char))
                        .collect();
                }
                if let Some(p) = targets.into_iter().find(|&p| self.party_is_child(p)) {
                    return Some(self.party_name(p));
                }
                // Spoken to a child: with 你/you, or a bare command naming nobody (`跪下！`).
                let ms = self.mentions(sentence);
                let you = ms.iter().any(|m| m.what == Ref::You);
                let to_listener = you || ms.is_empty();
                if el.kind == ElementKind::Dialogue
                    && to_listener
                    && speaker_child.is_none()
                    && let Some(c) = self.addressee_child(scene_pos, el_pos, you)
                {
                    return Some(self.name(c).map(str::to_string));
                }
                None
            }
            Who::ChildActor => self.child_actor(scene_pos, el_pos, sentence),
        }
    }

    /// Production text about a child performer.
    fn child_actor(
        &self,
        scene_pos: usize,
        el_pos: usize,
        sentence: Range<usize>,
    ) -> Option<Option<String>> {
        let el = &self.script.scenes[scene_pos].elements[el_pos];
        let text = self.script.source.get(el.text.clone())?;
        for m in self.name_mentions(el.text.clone()) {
            if let Ref::Char(i) = m.what
                && self.is_child(i)
            {
                return Some(self.name(i).map(str::to_string));
            }
        }
        let present_name = || {
            self.present[scene_pos]
                .first()
                .and_then(|&i| self.name(i).map(str::to_string))
        };
        if CHILD_ACTOR_WORDS
            .find_iter(text)
            .any(|m| ascii_word_bounded(text, m.start(), m.end()))
        {
            return Some(present_name());
        }
        let s = self.script.source.get(sentence).unwrap_or("");
        for c in AGE_RE.captures_iter(s).chain(AGE_RE.captures_iter(text)) {
            let months = c
                .get(0)
                .is_some_and(|m| m.as_str().contains("month") || m.as_str().contains("个月"));
            if let Some(n) = c
                .get(1)
                .or(c.get(2))
                .and_then(|m| m.as_str().parse::<u32>().ok())
                && (months || n < 14)
            {
                return Some(present_name());
            }
        }
        None
    }

    /// The agent and the targets of a sentence, around a hit.
    fn roles(
        &self,
        scene_pos: usize,
        sentence: Range<usize>,
        hit: Range<usize>,
    ) -> (Option<Party>, Vec<Party>) {
        let scene = &self.script.scenes[scene_pos];
        let ms = self.mentions(sentence.clone());
        let src = &self.script.source;
        // Names and nouns first; pronouns after, since who they stand for depends on the rest.
        let mut parties: Vec<(Mention, Party)> = ms
            .iter()
            .filter(|m| m.what != Ref::Pronoun)
            .filter_map(|m| self.resolve(scene_pos, scene, m).map(|p| (*m, p)))
            .collect();
        let named_here: Vec<Party> = parties.iter().map(|&(_, p)| p).collect();
        // Read back through the scene only when a pronoun needs it.
        let recent = if ms.iter().any(|m| m.what == Ref::Pronoun) {
            self.recent_chars(scene, sentence.start)
        } else {
            Vec::new()
        };
        // In dialogue 他/她 is never the speaker (who says 我).
        let speaker = self
            .element_at(scene_pos, sentence.start)
            .filter(|e| e.kind == ElementKind::Dialogue)
            .and_then(|e| self.speaker_idx(e));
        for m in ms.iter().filter(|m| m.what == Ref::Pronoun) {
            // `Jessica gets down on her knees`: a possessive after a name is that person's own.
            if self.is_possessive(m) && parties.iter().any(|(pm, _)| pm.start < m.start) {
                continue;
            }
            // `She slaps Sophie`: she is not Sophie; `Aunt Sue strips him`: him is not Aunt Sue.
            let pick = recent
                .iter()
                .copied()
                .find(|&i| !named_here.contains(&Party::Char(i)) && Some(i) != speaker);
            if let Some(i) = pick {
                parties.push((*m, Party::Char(i)));
            }
        }
        parties.sort_by_key(|(m, _)| m.start);
        // A sentence naming nobody (a dropped subject, common in Chinese action lines) is
        // about the last named character.
        if parties.is_empty() {
            return match self.antecedent(scene, sentence.start) {
                Some(i) => (Some(Party::Char(i)), Vec::new()),
                None => (None, Vec::new()),
            };
        }
        // The agent is the first mention standing at the head of its clause and not a
        // possessive (`Her stepmother…`, `小宝的继母…`); anything else is acted on.
        // Someone named after the trigger is not its agent (`slaps Mira`).
        let agent_at = parties.iter().position(|(m, _)| {
            m.start <= hit.start
                && !self.is_possessive(m)
                && at_clause_head(&src[sentence.start..m.start], self.lang)
        });
        let Some(ai) = agent_at else {
            return (None, parties.iter().map(|&(_, p)| p).collect());
        };
        let (am, agent) = parties[ai];
        let after = &src[am.end.min(sentence.end)..sentence.end];
        let mut others: Vec<Party> = parties
            .iter()
            .enumerate()
            .filter(|&(k, (_, p))| k != ai && *p != agent)
            .map(|(_, &(_, p))| p)
            .collect();
        if is_passive(after, self.lang) {
            // X被… / X is forced to…: X is acted on; the next one named acts.
            others.insert(0, agent);
            let next = parties[ai + 1..]
                .iter()
                .map(|&(_, p)| p)
                .find(|&p| p != agent);
            return (next, others);
        }
        (Some(agent), others)
    }

    fn is_possessive(&self, m: &Mention) -> bool {
        let src = &self.script.source;
        let word = src.get(m.start..m.end).unwrap_or("");
        let after = src.get(m.end..).unwrap_or("");
        match self.lang {
            Lang::Zh => after.starts_with('的'),
            Lang::En => {
                if after.starts_with("'s ") || after.starts_with("’s ") {
                    return true;
                }
                match word {
                    "his" | "His" | "its" | "Its" => true,
                    "Her" => true,
                    "her" => {
                        let next: String = after
                            .trim_start()
                            .chars()
                            .take_while(|c| c.is_ascii_alphabetic())
                            .collect();
                        !next.is_empty()
                            && !matches!(
                                next.as_str(),
                                "across"
                                    | "to"
                                    | "into"
                                    | "in"
                                    | "on"
                                    | "off"
                                    | "out"
                                    | "up"
                                    | "down"
                                    | "away"
                                    | "back"
                                    | "again"
                                    | "hard"
                                    | "by"
                                    | "with"
                                    | "from"
                                    | "over"
                                    | "and"
                                    | "until"
                                    | "for"
                                    | "while"
                                    | "as"
                                    | "at"
                                    | "around"
                                    | "onto"
                                    | "inside"
                                    | "outside"
                            )
                    }
                    _ => false,
                }
            }
        }
    }
}

/// Each name and alias → the first character answering to it (as a search in cast order finds).
type SpeakerMap<'a> = std::collections::HashMap<&'a str, usize, foldhash::fast::RandomState>;

fn speaker_index(cast: &Cast) -> SpeakerMap<'_> {
    let mut map = SpeakerMap::default();
    for (i, c) in cast.characters.iter().enumerate() {
        for n in std::iter::once(&c.name).chain(c.aliases.iter()) {
            map.entry(n.as_str()).or_insert(i);
        }
    }
    map
}

/// Every place a child's name or alias occurs in the source, ASCII case ignored as the names
/// automaton does, as (start, end) sorted by start.
/// None: unknown, scan every element.
fn child_name_occurrences(script: &Script, cast: &Cast) -> Option<Vec<(usize, usize)>> {
    let words: Vec<&str> = cast
        .characters
        .iter()
        .filter(|c| c.child)
        .flat_map(|c| std::iter::once(&c.name).chain(c.aliases.iter()))
        .filter(|n| !n.trim().is_empty())
        .map(String::as_str)
        .collect();
    if words.is_empty() {
        return Some(Vec::new());
    }
    // A few names: one search per name (stepping one byte, so overlaps are kept) finds the
    // same occurrences as an overlapping automaton ignoring ASCII case, without building
    // one per file. Many names would make that a pass per name: the automaton takes them.
    if words.len() <= FEW_CHILD_NAMES {
        Some(searched_occurrences(&words, &script.source))
    } else {
        automaton_occurrences(&words, &script.source)
    }
}

/// Every occurrence of every word, ignoring ASCII case, sorted: one search per word.
fn searched_occurrences(words: &[&str], hay: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for w in words {
        each_occurrence(hay.as_bytes(), w.as_bytes(), |at| {
            out.push((at, at + w.len()))
        });
    }
    out.sort_unstable();
    out
}

/// What [`searched_occurrences`] finds, by one overlapping automaton (None if it cannot be
/// built).
fn automaton_occurrences(words: &[&str], hay: &str) -> Option<Vec<(usize, usize)>> {
    let ac = aho_corasick::AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
        .build(words)
        .ok()?;
    let mut out: Vec<(usize, usize)> = ac
        .find_overlapping_iter(hay)
        .map(|m| (m.start(), m.end()))
        .collect();
    out.sort_unstable();
    Some(out)
}

/// Most child names searched for one at a time (see [`child_name_occurrences`]).
const FEW_CHILD_NAMES: usize = 16;

/// Every start of `word` in `hay`, overlaps included, ignoring ASCII case. A word without
/// ASCII letters is matched byte for byte (there the two are the same) by a substring
/// searcher; one with letters from each byte equal to its first, either case, by memchr2.
fn each_occurrence(hay: &[u8], word: &[u8], mut f: impl FnMut(usize)) {
    let Some(&first) = word.first() else {
        return;
    };
    if hay.len() < word.len() {
        return;
    }
    if !word.iter().any(u8::is_ascii_alphabetic) {
        let finder = memchr::memmem::Finder::new(word);
        let mut pos = 0;
        while let Some(at) = hay.get(pos..).and_then(|h| finder.find(h)) {
            f(pos + at);
            pos += at + 1;
        }
        return;
    }
    let last_start = hay.len() - word.len();
    let (lo, up) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    for at in memchr::memchr2_iter(lo, up, &hay[..=last_start]) {
        if hay[at..at + word.len()].eq_ignore_ascii_case(word) {
            f(at);
        }
    }
}

/// Does some occurrence lie wholly inside `range`? (Always, when they are unknown.)
fn holds_any(occurrences: Option<&[(usize, usize)]>, range: &Range<usize>) -> bool {
    let Some(occurrences) = occurrences else {
        return true;
    };
    let i = occurrences.partition_point(|&(s, _)| s < range.start);
    occurrences[i..]
        .iter()
        .take_while(|&&(s, _)| s < range.end)
        .any(|&(_, e)| e <= range.end)
}

/// A script's names and aliases, found as a leftmost-longest Aho-Corasick automaton ignoring
/// ASCII case finds them: at the first position where some name starts, the longest one
/// (the first listed among equals), then on after it. A file has a few dozen names and an
/// automaton over them costs far more to build than the few ranges it is run on.
struct SmallNames {
    words: Vec<String>,
    /// Word indexes, longest first (by index among equal lengths).
    by_len: Vec<usize>,
    /// Hashed (first, second) byte pairs, ASCII-lowercased, that start a word: a position
    /// whose pair is missing starts no word of two bytes or more.
    starts: [u64; 64],
    /// Lowercased bytes that are a whole one-byte word.
    singles: [bool; 256],
}

/// The `SmallNames::starts` slot of a pair of lowercased bytes.
#[inline]
fn start_slot(a: u8, b: u8) -> usize {
    let x = (u32::from(a) << 8) | u32::from(b);
    (x.wrapping_mul(0x9E37_79B1) >> 20) as usize
}

/// Most names [`SmallNames`] takes: it tries every name at a candidate position, so with
/// hundreds of names (a crafted script) it would be quadratic; beyond this the automaton,
/// whose build then pays for itself, finds them in one pass.
const SMALL_NAMES: usize = 48;

/// A script's names and aliases (see [`SmallNames`] for what is found).
enum NameMatcher {
    Small(Box<SmallNames>),
    Many(aho_corasick::AhoCorasick),
}

impl NameMatcher {
    fn new(words: Vec<String>) -> NameMatcher {
        if words.len() > SMALL_NAMES
            && let Ok(ac) =
                crate::rules::compile::build_automaton(&words, MatchKind::LeftmostLongest)
        {
            return NameMatcher::Many(ac);
        }
        NameMatcher::Small(Box::new(SmallNames::new(words)))
    }

    /// Calls `f(start, end, word)` for each name found in `text`, left to right.
    fn find_each(&self, text: &str, mut f: impl FnMut(usize, usize, usize)) {
        match self {
            NameMatcher::Small(m) => m.find_each(text, f),
            NameMatcher::Many(ac) => {
                for m in ac.find_iter(text) {
                    f(m.start(), m.end(), m.pattern().as_usize());
                }
            }
        }
    }
}

impl SmallNames {
    fn new(words: Vec<String>) -> SmallNames {
        let mut by_len: Vec<usize> = (0..words.len()).collect();
        by_len.sort_by_key(|&i| std::cmp::Reverse(words[i].len()));
        let mut m = SmallNames {
            words,
            by_len,
            starts: [0; 64],
            singles: [false; 256],
        };
        for w in &m.words {
            match w.as_bytes() {
                [] => {}
                [b] => m.singles[usize::from(b.to_ascii_lowercase())] = true,
                [a, b, ..] => {
                    let s = start_slot(a.to_ascii_lowercase(), b.to_ascii_lowercase());
                    m.starts[s >> 6] |= 1 << (s & 63);
                }
            }
        }
        m
    }

    /// The longest word starting at `at` (None if none does).
    fn longest_at(&self, text: &[u8], at: usize) -> Option<usize> {
        let rest = &text[at..];
        self.by_len.iter().copied().find(|&i| {
            let w = self.words[i].as_bytes();
            !w.is_empty() && rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w)
        })
    }

    /// Calls `f(start, end, word)` for each name found in `text`, left to right.
    fn find_each(&self, text: &str, mut f: impl FnMut(usize, usize, usize)) {
        if self.words.is_empty() {
            return;
        }
        let b = text.as_bytes();
        let mut at = 0;
        while at < b.len() {
            let x = b[at].to_ascii_lowercase();
            let pair = b.get(at + 1).is_some_and(|&y| {
                let s = start_slot(x, y.to_ascii_lowercase());
                self.starts[s >> 6] & (1 << (s & 63)) != 0
            });
            if (pair || self.singles[usize::from(x)])
                && let Some(w) = self.longest_at(b, at)
            {
                let end = at + self.words[w].len();
                f(at, end, w);
                at = end;
            } else {
                at += 1;
            }
        }
    }
}

/// Is a mention preceded only by a short lead-in in its clause (so it is the subject)?
fn at_clause_head(before: &str, lang: Lang) -> bool {
    let clause = before
        .rfind(|c: char| is_clause_break(c))
        .map_or(before, |i| &before[i..]);
    let clause = clause.trim_start_matches(|c: char| {
        is_clause_break(c) || c.is_whitespace() || matches!(c, '△' | '▲' | '（' | '(' | '“' | '"')
    });
    match lang {
        Lang::Zh => {
            let n = clause.chars().count();
            n <= 4
                && !clause.contains([
                    '把', '让', '逼', '罚', '叫', '令', '使', '给', '对', '朝', '向', '冲', '将',
                    '扇', '打', '踢', '推', '拽', '拖', '抱', '替', '帮',
                ])
        }
        Lang::En => {
            let words: Vec<&str> = clause.split_whitespace().collect();
            // A third-person verb right before the name makes it an object: `strikes MAX`.
            let verb_before = words.last().is_some_and(|w| {
                let w = w.trim_matches(|c: char| !c.is_ascii_alphabetic());
                w.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                    && (w.ends_with('s') || w.ends_with("ed"))
                    && !matches!(
                        w,
                        "his" | "its" | "this" | "was" | "is" | "as" | "has" | "does"
                    )
            });
            words.len() <= 3
                && !verb_before
                && !words.iter().any(|w| {
                    matches!(
                        w.to_ascii_lowercase()
                            .trim_matches(|c: char| !c.is_ascii_alphabetic()),
                        "makes"
                            | "make"
                            | "forces"
                            | "force"
                            | "lets"
                            | "tells"
                            | "orders"
                            | "at"
                            | "to"
                            | "slaps"
                            | "hits"
                            | "grabs"
                            | "drags"
                            | "pushes"
                    )
                })
        }
    }
}

/// A resolved participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    Char(usize),
    /// 孩子/the kid with no named child around.
    SomeChild,
}

/// Is the clause right after a mention passive (`被`, `is forced to`, `gets slapped`)?
fn is_passive(after: &str, lang: Lang) -> bool {
    // Skip an age or note right after the name: `乐乐（6岁）被…`, `TOBY (6) is…`.
    let mut after = after.trim_start();
    for (open, close) in [('（', '）'), ('(', ')')] {
        if after.starts_with(open)
            && let Some(i) = after.find(close)
        {
            after = &after[i + close.len_utf8()..];
        }
    }
    let head: String = after.chars().take(12).collect();
    match lang {
        Lang::Zh => {
            let h: String = head.chars().take(4).collect();
            h.contains('被') || h.contains('遭') || h.contains("挨")
        }
        Lang::En => {
            let h = head.to_ascii_lowercase();
            let h = h.trim_start_matches(['\'', 's']).trim_start();
            ["is ", "was ", "gets ", "got ", "'s ", "being "]
                .iter()
                .any(|p| h.starts_with(p))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The binary searches over a scene's elements agree with walks over all of them.
    #[test]
    fn elements_found_by_search_as_by_walk() {
        let text = "1-1 日 内 客厅\n人物：小宝（6岁）\n\n小宝：妈妈。\n△她哭了。\n\n王强：别哭。\n                    2-1 夜 外 街道\n△空无一人。\n";
        let script = crate::script::parse_text(text.to_string(), crate::script::Format::Zh);
        let cast = crate::cast::build(&script, &Default::default());
        let an = Analysis::new(&script, &cast, Lang::Zh);
        for (sp, scene) in script.scenes.iter().enumerate() {
            for pos in 0..=text.len() + 1 {
                let walk = scene
                    .elements
                    .iter()
                    .find(|e| e.span.start <= pos && pos < e.span.end.max(e.span.start + 1));
                assert_eq!(
                    an.element_at(sp, pos).map(|e| e.span.clone()),
                    walk.map(|e| e.span.clone()),
                    "scene {sp} at {pos}"
                );
                let walk: Vec<_> = scene
                    .elements
                    .iter()
                    .filter(|e| e.span.start < pos)
                    .collect();
                assert_eq!(before(scene, pos).len(), walk.len());
            }
        }
    }

    #[test]
    fn sentences_split_on_chinese_and_english_ends() {
        let s = "她扬起手。小宝哭了！He runs. Mr. Lee waits";
        let parts: Vec<&str> = sentences(s, 0..s.len())
            .into_iter()
            .map(|r| &s[r])
            .collect();
        assert_eq!(
            parts,
            vec!["她扬起手。", "小宝哭了！", "He runs.", " Mr. Lee waits"]
        );
    }

    /// What the leftmost-longest automaton the matcher stands in for reports.
    fn automaton_names(words: &[String], text: &str) -> Vec<(usize, usize, usize)> {
        let ac = crate::rules::compile::build_automaton(words, MatchKind::LeftmostLongest).unwrap();
        ac.find_iter(text)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect()
    }

    fn matcher_names(words: &[String], text: &str) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        NameMatcher::new(words.to_vec()).find_each(text, |s, e, w| out.push((s, e, w)));
        out
    }

    #[test]
    fn many_names_use_the_automaton_and_find_the_same() {
        // A crafted script can declare thousands of speakers: past SMALL_NAMES the matcher
        // must not try every name at every position (quadratic), and must find the same.
        let mut words: Vec<String> = (0..200).map(|i| format!("名{i}号")).collect();
        words.extend(["小宝", "林小宝", "LILY", "lily ann"].map(String::from));
        let m = NameMatcher::new(words.clone());
        assert!(matches!(m, NameMatcher::Many(_)));
        let few = NameMatcher::new(words[..SMALL_NAMES].to_vec());
        assert!(matches!(few, NameMatcher::Small(_)));
        let text = "名12号打了林小宝，名199号和LILY ANN看着小宝。名2号";
        let got = matcher_names(&words, text);
        assert_eq!(got, automaton_names(&words, text));
        assert_eq!(got.len(), 6);
    }

    #[test]
    fn name_matcher_finds_what_the_automaton_finds() {
        let words: Vec<String> = [
            "小宝",
            "林小宝",
            "小宝妈",
            "宝",
            "Lily",
            "LILY",
            "lily ann",
            "Al",
            "a",
            "小宝",
        ]
        .map(String::from)
        .to_vec();
        for text in [
            "林小宝和小宝妈，小宝。宝宝",
            "LILY ANN and lily met AL. A lilY",
            "",
            "小",
            "Lil",
        ] {
            assert_eq!(
                matcher_names(&words, text),
                automaton_names(&words, text),
                "{text}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn name_matcher_agrees_with_the_automaton(
            words in proptest::collection::vec("[aAbB小宝林 ]{1,4}", 1..8),
            text in "[aAbB小宝林 。]{0,40}",
        ) {
            let words: Vec<String> = words.into_iter().filter(|w| !w.trim().is_empty()).collect();
            proptest::prop_assume!(!words.is_empty());
            proptest::prop_assert_eq!(matcher_names(&words, &text), automaton_names(&words, &text));
        }
    }

    #[test]
    fn searched_child_names_are_the_automatons() {
        let words = ["Max", "max", "小宝", "MAXI", "a", "Ax", "宝x"];
        let text = "Max maxi MAXIMUM 小宝 宝X 宝x aax";
        let got = searched_occurrences(&words, text);
        assert_eq!(Some(got.clone()), automaton_occurrences(&words, text));
        assert_eq!(got.iter().filter(|o| o.0 == 0).count(), 2);
    }

    proptest::proptest! {
        #[test]
        fn searched_child_names_agree_with_the_automaton(
            words in proptest::collection::vec("[aAbBxX小宝林 ]{1,4}", 1..6),
            text in "[aAbBxX小宝林 。]{0,60}",
        ) {
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(
                Some(searched_occurrences(&words, &text)),
                automaton_occurrences(&words, &text)
            );
        }
    }

    #[test]
    fn passive_detection() {
        assert!(is_passive("被继母推倒", Lang::Zh));
        assert!(!is_passive("推倒了继母", Lang::Zh));
        assert!(is_passive(" is forced to kneel", Lang::En));
        assert!(!is_passive(" slaps him", Lang::En));
    }
}
