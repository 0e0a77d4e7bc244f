//! The cast model: every character in a script, and whether each is a child, with the evidence.
//!
//! Three passes, each linear in the script:
//! 1. **Inventory** ([`Inventory`]): dialogue speakers, front matter `cast:` entries, cast lists
//!    (`人物：小宝、林墨琛（35岁）`, Fountain `Cast:`, Markdown list items), and CAPS names on
//!    first appearance in English action (`SOPHIE (5), in a white dress`). Long forms map to the
//!    form speakers use (`ZOE STERLING` → `ZOE`, `林小宝` → `小宝`) and become aliases.
//! 2. **Ages** ([`ages`]): an explicit age right after a name, before it, stated by a speaker
//!    about themself, or in a bio field. Ages are decisive (TAXONOMY.md §D.1 #1–#2).
//! 3. **Cues** ([`lexicon`]): one automaton pass per element; each hit is linked to the
//!    character it is about (subject of the clause, object of 抱起, the one addressed, …) and
//!    counted once per word. Without an age, a character is a child when the capped sum of
//!    cue weights reaches [`THRESHOLD`], so one weak cue (`小陈`, an adult called `宝贝`, an
//!    adult son saying `爸爸`) never makes an adult a child.
//!
//! Configuration ([`Overrides`]) wins over everything.

mod ages;
mod finder;
mod forms;
mod hash;
mod lexicon;
mod marks;
mod names;
mod numbers;

use crate::script::{Element, ElementKind, Script, Span};
use finder::{NameFinder, WordFinder};
use hash::FastMap;
use lexicon::{LEXICON, Link};
use marks::Marks;
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Ages below this are children (DESIGN.md: "Ages ≥ 14 are not children").
pub const CHILD_AGE_LIMIT: u32 = 14;

/// Cue score from which a character without an explicit age is a child (TAXONOMY.md §D.2).
pub const THRESHOLD: f32 = 0.6;

/// Why a character was judged a child or an adult: one cue, where it was seen.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// What the cue is: `age`, `config`, `school`, `child-noun`, `addressed-as-child`,
    /// `calls-adult`, `carried`, `care`, `speech`, `kinship`, `name-form`, `sibling-name`,
    /// `title-prior`, `adult-role` (negative).
    pub cue: &'static str,
    /// The words in the source.
    pub span: Span,
    /// How much it counts towards childhood (ages are decisive and use 1.0; adult cues are
    /// negative).
    pub weight: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Character {
    /// The name as speakers use it (`小宝`, `LILY`).
    pub name: String,
    /// Other names the script uses for the same character (`林小宝`, `Lily`, `LILY ASHFORD`).
    pub aliases: Vec<String>,
    pub child: bool,
    pub age: Option<u32>,
    /// Strongest first.
    pub evidence: Vec<Evidence>,
}

impl Character {
    /// The cue score (without ages or configuration): capped sum per cue category.
    pub fn score(&self) -> f32 {
        score(self.evidence.iter().map(|e| (e.cue, e.weight)))
    }

    /// Under 18 by an explicit age, or a child (teenagers are minors but not children).
    pub fn is_minor(&self) -> bool {
        self.child || self.age.is_some_and(|a| a < 18)
    }
}

/// Characters named child or adult outright (configuration wins over cues).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub children: Vec<String>,
    pub adults: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Cast {
    pub characters: Vec<Character>,
}

impl Cast {
    pub fn get(&self, name: &str) -> Option<&Character> {
        self.characters
            .iter()
            .find(|c| c.name == name || c.aliases.iter().any(|a| a == name))
    }

    pub fn is_child(&self, name: &str) -> bool {
        self.get(name).is_some_and(|c| c.child)
    }

    pub fn children(&self) -> impl Iterator<Item = &Character> {
        self.characters.iter().filter(|c| c.child)
    }

    /// Every name and alias of every child (for building mention matchers).
    pub fn child_names(&self) -> impl Iterator<Item = &str> {
        self.children().flat_map(|c| {
            std::iter::once(c.name.as_str()).chain(c.aliases.iter().map(String::as_str))
        })
    }
}

/// Build the process-wide lexicon now: called on a spare worker when a run starts, so the
/// first script's cast model does not wait for it.
pub fn warm_lexicon() {
    LazyLock::force(&LEXICON);
}

/// Compile the cast model's regexes now (see [`warm_lexicon`]).
pub fn warm_regexes() {
    for r in [
        &CAST_LABEL,
        &CAPS,
        &ZH_PAREN_AGE,
        &CLASSROOM,
        &GROUP,
        &GAP_BEFORE,
        &GAP_AFTER,
    ] {
        LazyLock::force(r);
    }
    ages::warm();
}

/// Work out every character and whether each is a child.
pub fn build(script: &Script, overrides: &Overrides) -> Cast {
    let marks = SourceMarks::new(&script.source);
    let mut inv = Inventory::default();
    inv.collect(script, &marks.sui);
    let matcher = Matcher::new(&inv);
    let mut acc = Accumulator::new(inv.drafts.len());
    for d in &inv.declared_ages {
        acc.set_age(d.0, d.1, d.2.clone());
    }
    for (id, age, span) in &inv.item_ages {
        acc.set_age(*id, *age, span.clone());
    }
    let hits = Hits::new(&matcher.finder, &LEXICON.finder, &script.source);
    scan(script, &inv, &matcher, &hits, &marks, &mut acc);
    descriptor_cues(script, &inv, &mut acc);
    name_form_cues(&inv, &mut acc);
    title_prior(script, &mut acc);
    finish(inv, acc, overrides)
}

// ---------------------------------------------------------------------------------------------
// Inventory

/// A character being assembled.
#[derive(Debug, Clone)]
struct Draft {
    name: String,
    aliases: Vec<String>,
    /// Where the character first appears (for name-form and configuration evidence).
    first: Span,
    speaks: bool,
    /// Source ranges of text describing the character (`（林家的儿子）`, `, his daughter`).
    descriptors: Vec<Span>,
}

#[derive(Debug, Default)]
struct Inventory {
    drafts: Vec<Draft>,
    index: FastMap<String, usize>,
    /// Every name and alias, for [`Self::resolve`] and duplicate checks.
    forms: forms::Forms,
    /// (id, age, span) from front matter.
    declared_ages: Vec<(usize, u32, Span)>,
    /// (id, age, span) from cast list items and CAPS first appearances.
    item_ages: Vec<(usize, u32, Span)>,
    /// Per dialogue element with a speaker, in script order: its (trimmed) speaker's index in
    /// `speaker_names`. The scan resolves each distinct name once through these instead of
    /// hashing the name again on every line.
    speaker_slots: Vec<usize>,
    /// The distinct trimmed speaker names of dialogue elements, in order of first appearance.
    speaker_names: Vec<String>,
}

static CAST_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:[-*]\s*)?(?:\*\*)?(?:出场人物|主要人物|人物表|人物|出场|角色表|角色|演员表|(?i:cast|characters))(?:\*\*)?\s*[：:]\s*(?:\*\*)?",
    )
    .expect("constant pattern")
});

/// Where a cast list label (`人物：`, `Cast:`) ends. Every label starts, after spaces, with a
/// list marker, `**` or the first character of a label word, so other lines skip the regex.
fn cast_label_end(text: &str) -> Option<usize> {
    let c = text.trim_start().chars().next()?;
    if !matches!(c, '-' | '*' | '出' | '主' | '人' | '角' | '演' | 'c' | 'C') {
        return None;
    }
    CAST_LABEL.find(text).map(|m| m.end())
}

/// Whether `b` holds an ASCII capital, eight bytes at a time.
fn has_ascii_upper(b: &[u8]) -> bool {
    has_ascii_in(b, b'A', b'Z', 0)
}

/// Whether `b` holds an ASCII letter, eight bytes at a time: setting bit 5 maps `A..=Z` onto
/// `a..=z` and no other byte onto them.
fn has_ascii_alpha(b: &[u8]) -> bool {
    has_ascii_in(b, b'a', b'z', 0x20)
}

/// Whether some byte of `b`, with the bits of `set` set, lies in `lo..=hi` (ASCII bounds),
/// tested eight bytes at a time.
fn has_ascii_in(b: &[u8], lo: u8, hi: u8, set: u8) -> bool {
    const HI: u64 = 0x8080_8080_8080_8080;
    let splat = |x: u8| u64::from_le_bytes([x; 8]);
    let (to_lo, past_hi) = (splat(0x80 - lo), splat(0x7F - hi));
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]) | splat(set);
        // Per byte, with the high bit cleared first so no carry crosses bytes: the high bit
        // is set from `lo` by the first sum and from `hi + 1` by the second; bytes that had
        // it set (not ASCII) are left out.
        let x = w & !HI;
        if x.wrapping_add(to_lo) & !x.wrapping_add(past_hi) & !w & HI != 0 {
            return true;
        }
    }
    chunks
        .remainder()
        .iter()
        .any(|&c| (lo..=hi).contains(&(c | set)))
}

/// English CAPS name candidates: words of two or more capitals (`MS. GREEN`, `O'BRIEN`).
static CAPS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[A-Z][A-Z'’\-]*[A-Z]\.?(?: [A-Z][A-Z'’\-]*[A-Z]\.?)*").expect("constant pattern")
});

/// A Chinese age in brackets (for characters first named in action with their age).
static ZH_PAREN_AGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"[（(]\s*(?:[男女][，,、]?\s*)?(?:约|今年)?{}\s*(?:多|来)?\s*周?岁",
        numbers::NUM_RE
    ))
    .expect("constant pattern")
});

impl Inventory {
    fn lookup(&self, name: &str) -> Option<usize> {
        self.index.get(names::key_cow(name).as_ref()).copied()
    }

    /// The character a name refers to: the same name, or a long/short form of one.
    fn resolve(&self, name: &str) -> Option<usize> {
        self.lookup(name).or_else(|| self.forms.related(name))
    }

    /// Whether `form` is already the name or an alias of character `id`.
    fn has_form(&self, id: usize, form: &str) -> bool {
        self.forms.is_form_of(id, form).unwrap_or_else(|| {
            let d = &self.drafts[id];
            d.name == form || d.aliases.iter().any(|a| a == form)
        })
    }

    /// Record a new alias of character `id` (not yet one of its forms).
    fn push_alias(&mut self, id: usize, alias: &str) {
        let d = &mut self.drafts[id];
        d.aliases.push(alias.to_string());
        let order = d.aliases.len();
        self.forms.add(id, order, alias);
    }

    /// Add a name (or find who it is) and return the character's id.
    fn add(&mut self, name: &str, span: Span, speaks: bool) -> usize {
        let name = names::trim(name);
        if let Some(id) = self.resolve(name) {
            self.add_alias(id, name);
            let d = &mut self.drafts[id];
            d.speaks |= speaks;
            if span.start < d.first.start {
                d.first = span;
            }
            return id;
        }
        let id = self.drafts.len();
        self.drafts.push(Draft {
            name: name.to_string(),
            aliases: Vec::new(),
            first: span,
            speaks,
            descriptors: Vec::new(),
        });
        self.forms.add(id, 0, name);
        self.index.insert(names::key(name), id);
        id
    }

    fn add_alias(&mut self, id: usize, alias: &str) {
        let alias = names::trim(alias);
        if alias.is_empty() {
            return;
        }
        let key = names::key_cow(alias);
        let known = match self.index.get(key.as_ref()) {
            Some(&o) if o != id => return,
            Some(_) => true,
            None => false,
        };
        if !self.has_form(id, alias) {
            self.push_alias(id, alias);
        }
        // A key already mapped to this character needs no new entry (nor allocation).
        if !known {
            self.index.insert(key.into_owned(), id);
        }
    }

    fn collect(&mut self, script: &Script, sui: &Marks) {
        self.collect_speakers(script);
        // Cast list items repeat scene after scene: each distinct item is read once.
        let mut items: FastMap<&str, Option<ListItem>> = FastMap::default();
        for decl in &script.declared {
            if !names::valid_name(&decl.name) {
                continue;
            }
            let id = self.add(&decl.name, decl.span.clone(), false);
            for a in &decl.aliases {
                self.add_alias(id, a);
            }
            if let Some(age) = decl.age {
                self.declared_ages.push((id, age, decl.span.clone()));
            }
        }
        for el in elements(script) {
            let text = el.text(&script.source);
            let base = el.text.start;
            match el.kind {
                ElementKind::Cast => {
                    let from = cast_label_end(text).unwrap_or(0);
                    self.cast_list(text, base, from, &mut items);
                }
                ElementKind::Title | ElementKind::Action | ElementKind::Synopsis => {
                    if let Some(end) = cast_label_end(text) {
                        self.cast_list(text, base, end, &mut items);
                    } else if el.kind == ElementKind::Action {
                        self.caps_names(text, base);
                        if sui.any_in(base, text.len()) {
                            self.zh_first_ages(text, base);
                        }
                    }
                }
                _ => {}
            }
        }
        self.default_aliases();
    }

    /// Speakers, most frequent first, so the common form becomes the canonical name.
    fn collect_speakers(&mut self, script: &Script) {
        // Per distinct speaker, in order of first appearance: None when not a valid name
        // (checked once, not per line), else its count and first span.
        let mut slot_of: FastMap<&str, usize> = FastMap::default();
        let mut counts: Vec<(&str, Option<(usize, Span)>)> = Vec::new();
        for el in elements(script) {
            let Some(sp) = el.speaker.as_deref().map(names::trim) else {
                continue;
            };
            if el.kind != ElementKind::Dialogue {
                continue;
            }
            let slot = match slot_of.get(sp) {
                Some(&k) => {
                    if let Some(entry) = &mut counts[k].1 {
                        entry.0 += 1;
                    }
                    k
                }
                None => {
                    let entry =
                        names::valid_name(sp).then(|| (1, speaker_span(&script.source, el, sp)));
                    slot_of.insert(sp, counts.len());
                    counts.push((sp, entry));
                    counts.len() - 1
                }
            };
            self.speaker_slots.push(slot);
        }
        self.speaker_names = counts.iter().map(|c| c.0.to_string()).collect();
        let mut list: Vec<(&str, usize, Span)> = counts
            .into_iter()
            .filter_map(|(n, e)| e.map(|(c, s)| (n, c, s)))
            .collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.start.cmp(&b.2.start)));
        for (name, _, span) in list {
            self.add(name, span, true);
        }
    }

    /// A cast list: items after the label (`人物：`, `Cast:`), each a name with maybe an age
    /// and a descriptor.
    fn cast_list<'s>(
        &mut self,
        text: &'s str,
        base: usize,
        from: usize,
        items: &mut FastMap<&'s str, Option<ListItem>>,
    ) {
        let Some(list) = text.get(from..) else { return };
        for item in names::split_items(list) {
            let item_text = &list[item.clone()];
            let Some(it) = items
                .entry(item_text)
                .or_insert_with(|| read_item(item_text))
            else {
                continue;
            };
            let name = &item_text[it.name.clone()];
            let start = base + from + item.start + it.off;
            let id = self.add(name, start..start + name.len(), false);
            let rest_len = item_text.len() - it.name_end.min(item_text.len());
            let rest_base = base + from + item.start + it.name_end;
            if let Some(f) = &it.age {
                self.item_ages
                    .push((id, f.age, start..rest_base + f.range.end));
            }
            if let Some(d) = it.desc {
                self.drafts[id]
                    .descriptors
                    .push(rest_base + d..rest_base + rest_len);
            }
        }
    }

    /// CAPS names on first appearance in English action: `SOPHIE (5), in a white dress`,
    /// `ALEXANDER ASHFORD (36) turns`, `JESSICA, the receptionist,`, `LILY, 7, runs in`.
    fn caps_names(&mut self, text: &str, base: usize) {
        // Every CAPS match starts with an ASCII capital.
        if !has_ascii_upper(text.as_bytes()) {
            return;
        }
        for m in CAPS.find_iter(text) {
            let raw = m.as_str();
            let name = trim_caps(raw);
            if name.len() < 2 || name.split(' ').any(names::is_stop_caps) {
                continue;
            }
            let end = m.start() + name.len();
            if text[end..].starts_with(|c: char| c.is_alphanumeric()) {
                continue;
            }
            let rest = &text[end..];
            let span = base + m.start()..base + end;
            if let Some(f) = ages::after_name(rest) {
                if !names::valid_name(name) {
                    continue;
                }
                let id = self.add(name, span.clone(), false);
                self.item_ages
                    .push((id, f.age, span.start..base + end + f.range.end));
                self.descriptor_after(id, rest, base + end, f.range.end);
                continue;
            }
            let known = self.resolve(name).is_some();
            let described = rest.starts_with(", ") && !follows_determiner(&text[..m.start()]);
            if (known && name.contains(' ')) || (described && names::valid_name(name)) {
                let id = self.add(name, span, false);
                if described {
                    self.descriptor_after(id, rest, base + end, 0);
                }
            }
        }
    }

    /// The descriptor clause after a CAPS name: `, the receptionist,` → `the receptionist`.
    fn descriptor_after(&mut self, id: usize, rest: &str, rest_base: usize, skip: usize) {
        let Some(after) = rest.get(skip..) else {
            return;
        };
        let trimmed = after.trim_start_matches([',', ' ', ')']);
        let lead = after.len() - trimmed.len();
        let len = trimmed
            .find([',', '.', ';', '(', '\n'])
            .unwrap_or(trimmed.len());
        if len > 0 && len < 120 {
            let s = rest_base + skip + lead;
            self.drafts[id].descriptors.push(s..s + len);
        }
    }

    /// Chinese characters first named in action with an age: `△糖糖（5岁，…）扎着…`. Only
    /// texts with `岁` can have one (the caller asks the source's index).
    fn zh_first_ages(&mut self, text: &str, base: usize) {
        for m in ZH_PAREN_AGE.find_iter(text) {
            let before = &text[..m.start()];
            let run_start = before
                .char_indices()
                .rev()
                .take_while(|(_, c)| names::is_cjk(*c))
                .last()
                .map_or(before.len(), |(i, _)| i);
            let mut run = strip_non_name_prefix(&before[run_start..]);
            // `林母扬手给了妞妞（6岁）`: a long run ends in the name after its last function word.
            if run.chars().count() > 4
                && let Some((i, c)) = run.char_indices().rev().find(|&(_, c)| {
                    matches!(
                        c,
                        '了' | '给'
                            | '把'
                            | '的'
                            | '在'
                            | '和'
                            | '跟'
                            | '与'
                            | '向'
                            | '对'
                            | '着'
                            | '被'
                            | '让'
                            | '是'
                            | '将'
                            | '叫'
                            | '从'
                            | '抱'
                            | '拉'
                            | '牵'
                    )
                })
            {
                run = &run[i + c.len_utf8()..];
            }
            let run_start = before.len() - run.len();
            let known = (0..run.len())
                .filter(|i| run.is_char_boundary(*i))
                .any(|i| self.lookup(&run[i..]).is_some());
            let count = run.chars().count();
            if !known && (2..=4).contains(&count) && names::valid_name(run) {
                self.add(run, base + run_start..base + m.start(), false);
            }
        }
    }

    /// Title-case forms of English names (`ZOE` → `Zoe`) so action lines resolve, and the
    /// given name of a three-character Chinese name (`林墨琛` → `墨琛`).
    fn default_aliases(&mut self) {
        for id in 0..self.drafts.len() {
            let forms: Vec<String> = std::iter::once(self.drafts[id].name.clone())
                .chain(self.drafts[id].aliases.iter().cloned())
                .collect();
            for f in forms {
                if names::is_zh(&f) {
                    let chars: Vec<char> = f.chars().collect();
                    if chars.len() == 3
                        && names::is_common_surname(chars[0])
                        && !names::name_cues(&f).iter().any(|c| c.1 < 0.0)
                    {
                        let given: String = chars[1..].iter().collect();
                        if self.lookup(&given).is_none() && !given.starts_with('小') {
                            self.add_alias(id, &given);
                        }
                    }
                } else if f.chars().any(|c| c.is_lowercase()) {
                    self.add_alias_case(id, &f.to_uppercase());
                } else {
                    self.add_alias_case(id, &names::title_case(&f));
                }
            }
        }
    }

    /// Aliases differing only in case share a lookup key; keep them as separate strings.
    fn add_alias_case(&mut self, id: usize, alias: &str) {
        if !self.has_form(id, alias) {
            self.push_alias(id, alias);
        }
    }
}

/// A cast list item naming a character, as read from the item's text alone (ranges relative
/// to the item), so an item repeated in every scene's list is read once.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ListItem {
    /// Where the item's name part starts (what the name's span starts from).
    off: usize,
    /// The name, trimmed.
    name: Span,
    /// Where the text after the name starts.
    name_end: usize,
    /// An age right after the name (range relative to the text after the name).
    age: Option<ages::Found>,
    /// Where a descriptor starts in the text after the name, if one follows.
    desc: Option<usize>,
}

/// A cast list item's name, age and descriptor; None when it names no character.
fn read_item(item_text: &str) -> Option<ListItem> {
    let (off, raw) = names::item_name(item_text)?;
    let strip = |c: char| c == '*' || c.is_whitespace();
    let lead = raw.len() - raw.trim_start_matches(strip).len();
    let name = raw.trim_matches(strip);
    if !names::valid_name(name) || name.ends_with('们') || names::is_stop_caps(name) {
        return None;
    }
    // `raw` starts at `off` in the item.
    let name_at = off + lead;
    let name_end = off + find_from_start(&item_text[off..], name).unwrap_or(0) + name.len();
    let rest = &item_text[name_end.min(item_text.len())..];
    let age = ages::after_name(rest);
    let desc = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',' || c == '，');
    let desc = (!desc.trim().is_empty()).then(|| rest.len() - desc.len());
    Some(ListItem {
        off,
        name: name_at..name_at + name.len(),
        name_end,
        age,
        desc,
    })
}

/// `和林叔` → `林叔`, `女儿小宝` → `小宝`: words that run into a name in unspaced Chinese.
fn strip_non_name_prefix(mut run: &str) -> &str {
    const WORDS: [&str; 15] = [
        "小女孩",
        "小男孩",
        "女儿",
        "儿子",
        "孙子",
        "孙女",
        "妹妹",
        "弟弟",
        "哥哥",
        "姐姐",
        "妈妈",
        "爸爸",
        "男孩",
        "女孩",
        "孩子",
    ];
    loop {
        if let Some(w) = WORDS
            .iter()
            .find(|w| run.starts_with(*w) && run.len() > w.len())
        {
            run = &run[w.len()..];
            continue;
        }
        let mut chars = run.chars();
        match chars.next() {
            Some(c)
                if "和与跟同及对向被把让给见是的着了在将叫喊从带领抱牵".contains(c)
                    && run.chars().count() > 2 =>
            {
                run = chars.as_str();
            }
            _ => return run,
        }
    }
}

/// `ZOE.` → `ZOE`, but `MS.` keeps its dot.
fn trim_caps(raw: &str) -> &str {
    let last = raw.rsplit(' ').next().unwrap_or(raw);
    if raw.ends_with('.') && !matches!(last, "MR." | "MS." | "MRS." | "DR." | "ST." | "JR.") {
        &raw[..raw.len() - 1]
    } else {
        raw
    }
}

/// `a LAWYER`, `the DIRECTORS`: extras, not characters.
fn follows_determiner(before: &str) -> bool {
    let word = before
        .trim_end()
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        word.as_str(),
        "a" | "an"
            | "the"
            | "two"
            | "three"
            | "four"
            | "several"
            | "some"
            | "few"
            | "dozen"
            | "of"
            | "more"
            | "other"
            | "all"
            | "both"
            | "many"
            | "his"
            | "her"
            | "their"
            | "our"
            | "my"
            | "your"
            | "with"
            | "to"
            | "at"
    )
}

/// Where the speaker's name is written in a dialogue element (falls back to the element).
fn speaker_span(source: &str, el: &Element, speaker: &str) -> Span {
    source
        .get(el.span.clone())
        .and_then(|s| find_from_start(s, speaker))
        .map_or(el.span.clone(), |i| {
            el.span.start + i..el.span.start + i + speaker.len()
        })
}

/// `haystack.find(needle)`, with the common case of a match at 0 (a cue line starting with the
/// speaker's name) answered without building a searcher.
fn find_from_start(haystack: &str, needle: &str) -> Option<usize> {
    if haystack.starts_with(needle) {
        Some(0)
    } else {
        haystack.find(needle)
    }
}

fn elements(script: &Script) -> impl Iterator<Item = &Element> {
    script.scenes.iter().flat_map(|s| s.elements.iter())
}

// ---------------------------------------------------------------------------------------------
// Mentions

/// Finds names and aliases in text (one finder for the script).
struct Matcher {
    finder: NameFinder,
    ids: Vec<usize>,
    ascii: Vec<bool>,
}

/// A name found in an element's text (byte range relative to the text).
#[derive(Debug, Clone, Copy)]
struct Mention {
    start: usize,
    end: usize,
    id: usize,
    in_paren: bool,
}

// An element's mentions are in text order and never overlap, so their ends are in order too:
// the helpers below find the ones in a range by binary search. Walking every mention of the
// element for every cue made one long element (a script with no line breaks) quadratic.

/// The mentions lying within `from..to` (start at or after `from`, end at or before `to`).
fn between(m: &[Mention], from: usize, to: usize) -> &[Mention] {
    let i = m.partition_point(|x| x.start < from);
    let j = m.partition_point(|x| x.end <= to);
    m.get(i..j).unwrap_or(&[])
}

/// The mention starting exactly at `at`.
fn starting_at(m: &[Mention], at: usize) -> Option<&Mention> {
    m.get(m.partition_point(|x| x.start < at))
        .filter(|x| x.start == at)
}

/// Whether a mention covers `start..end` (a cue word inside a name).
fn inside_mention(m: &[Mention], start: usize, end: usize) -> bool {
    let k = m.partition_point(|x| x.start <= start);
    k > 0 && m[k - 1].end >= end
}

impl Matcher {
    fn new(inv: &Inventory) -> Self {
        let mut patterns: Vec<String> = Vec::new();
        let mut ids = Vec::new();
        let mut seen = HashSet::new();
        for (id, d) in inv.drafts.iter().enumerate() {
            for f in std::iter::once(&d.name).chain(d.aliases.iter()) {
                let f = f.trim();
                if f.chars().count() < 2 || !seen.insert(f.to_string()) {
                    continue;
                }
                patterns.push(f.to_string());
                ids.push(id);
            }
        }
        let finder = NameFinder::new(&patterns);
        let ascii = patterns.iter().map(|p| p.is_ascii()).collect();
        Matcher { finder, ids, ascii }
    }

    /// The names in an element's text, from the script-wide matches.
    fn find(&self, hits: &SourceHits, range: &Span, text: &str) -> Vec<Mention> {
        let mut out = Vec::new();
        self.find_into(hits, range, text, &mut out);
        out
    }

    /// [`Self::find`] into a buffer reused from element to element (cleared first).
    fn find_into(&self, hits: &SourceHits, range: &Span, text: &str, out: &mut Vec<Mention>) {
        out.clear();
        hits.each(&self.finder, range, text, |start, end, p| {
            if self.ascii[p] && !word_bounded(text, start, end) {
                return;
            }
            out.push(Mention {
                start,
                end,
                id: self.ids[p],
                in_paren: false,
            });
        });
        mark_in_paren(text, out);
    }
}

/// One automaton's matches over the whole source, handed out per element. An element gets
/// exactly the matches a scan of its own text would find: the whole-source scan resumes at or
/// before the element's start with no match in between, so (leftmost-longest being decided by
/// start position, then length) its matches inside the element are the element's own. Only a
/// match crossing the element's start or end can differ; then that element is scanned alone.
struct SourceHits {
    /// (start, end, pattern), in source order, non-overlapping.
    hits: Vec<(usize, usize, usize)>,
    /// Where the last lookup started: elements come in source order, so the next one usually
    /// starts at or after it.
    cursor: std::cell::Cell<usize>,
}

impl SourceHits {
    fn new(hits: Vec<(usize, usize, usize)>) -> Self {
        SourceHits {
            hits,
            cursor: std::cell::Cell::new(0),
        }
    }

    /// The matches inside `range`, or None when one crosses its edges.
    fn within(&self, range: &Span) -> Option<&[(usize, usize, usize)]> {
        let h = &self.hits;
        let i = self.first_ending_after(range.start);
        if h.get(i).is_some_and(|x| x.0 < range.start) {
            return None;
        }
        // Walk (not search) to the end: the caller visits every match in between anyway.
        let mut j = i;
        while j < h.len() && h[j].0 < range.end {
            j += 1;
        }
        if j <= i {
            return Some(&[]);
        }
        if h[j - 1].1 > range.end {
            return None;
        }
        Some(&h[i..j])
    }

    /// The index of the first match ending after `pos` (walking on from the last lookup when
    /// `pos` is not before it; matches are sorted by end too, being non-overlapping).
    fn first_ending_after(&self, pos: usize) -> usize {
        let h = &self.hits;
        let c = self.cursor.get().min(h.len());
        let i = if c == 0 || h[c - 1].1 <= pos {
            let mut i = c;
            while i < h.len() && h[i].1 <= pos {
                i += 1;
            }
            i
        } else {
            h.partition_point(|x| x.1 <= pos)
        };
        self.cursor.set(i);
        i
    }

    /// Call `f(start, end, pattern)` (offsets relative to `text`, the source at `range`) for
    /// each match a leftmost scan of `text` alone finds.
    fn each(
        &self,
        finder: &impl Find,
        range: &Span,
        text: &str,
        mut f: impl FnMut(usize, usize, usize),
    ) {
        let inside = (range.start <= range.end && range.end - range.start == text.len())
            .then(|| self.within(range))
            .flatten();
        match inside {
            Some(hs) => {
                for &(s, e, p) in hs {
                    f(s - range.start, e - range.start, p);
                }
            }
            None => finder.each_match(text, f),
        }
    }
}

/// A leftmost-longest matcher: the cue lexicon's automaton or a script's name finder.
trait Find {
    /// Call `f(start, end, pattern)` for each non-overlapping match in `text`, in order.
    fn each_match(&self, text: &str, f: impl FnMut(usize, usize, usize));
}

impl Find for WordFinder {
    fn each_match(&self, text: &str, f: impl FnMut(usize, usize, usize)) {
        self.each(text, f);
    }
}

impl Find for NameFinder {
    fn each_match(&self, text: &str, f: impl FnMut(usize, usize, usize)) {
        self.each(text, f);
    }
}

/// Mark the mentions (in text order) inside a bracket `（…）`/`(…)`: those after an opening
/// bracket not yet closed (a bracket opened while one is open is not counted; an unclosed one
/// runs to the end). Brackets are scanned once, only up to the last mention's start.
fn mark_in_paren(text: &str, mentions: &mut [Mention]) {
    // Bytes, not chars: `(`/`)` are ASCII and `（`/`）` are EF BC 88/89 (EF only ever leads a
    // character), so this finds exactly the bracket characters.
    let b = text.as_bytes();
    let mut open = false;
    let mut i = 0;
    for m in mentions.iter_mut() {
        let stop = m.start.min(b.len());
        // The state after every bracket starting before the mention's start: a bracket
        // character starting before a character boundary ends at or before it.
        while i < stop {
            let Some(k) = memchr::memchr3(b'(', b')', 0xEF, &b[i..stop]) else {
                i = stop;
                break;
            };
            let at = i + k;
            i = at + 1;
            let (is_open, is_close) = match b[at] {
                b'(' => (true, false),
                b')' => (false, true),
                _ if b.get(at + 1) == Some(&0xBC) => match b.get(at + 2) {
                    Some(0x88) => (true, false),
                    Some(0x89) => (false, true),
                    _ => continue,
                },
                _ => continue,
            };
            if is_open {
                open = true;
            } else if is_close {
                open = false;
            }
        }
        m.in_paren = open;
    }
}

fn word_bounded(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(|c| c.is_alphanumeric()) && !after.is_some_and(|c| c.is_alphanumeric())
}

// ---------------------------------------------------------------------------------------------
// Evidence accumulation

#[derive(Debug, Default, Clone)]
struct Acc {
    age: Option<(u32, Span)>,
    evidence: Vec<Evidence>,
    /// (cue, word) pairs already counted: each word counts once per character.
    seen: HashSet<(&'static str, String)>,
}

struct Accumulator {
    chars: Vec<Acc>,
}

impl Accumulator {
    fn new(n: usize) -> Self {
        Accumulator {
            chars: vec![Acc::default(); n],
        }
    }

    /// The first explicit age wins (front matter and cast lists come first).
    fn set_age(&mut self, id: usize, age: u32, span: Span) {
        if let Some(a) = self.chars.get_mut(id)
            && a.age.is_none()
        {
            a.age = Some((age, span));
        }
    }

    fn cue(&mut self, id: usize, cue: &'static str, word: &str, weight: f32, span: Span) {
        let Some(a) = self.chars.get_mut(id) else {
            return;
        };
        if a.seen.insert((cue, word.to_lowercase())) {
            a.evidence.push(Evidence { cue, span, weight });
        }
    }
}

/// Capped sum per category; adult cues count only when no strong child cue is present.
fn score<'a>(cues: impl Iterator<Item = (&'a str, f32)>) -> f32 {
    let mut by_cat: HashMap<&str, f32> = HashMap::new();
    for (cue, w) in cues {
        if matches!(cue, "age" | "config") {
            continue;
        }
        *by_cat.entry(cue).or_insert(0.0) += w;
    }
    let strong = by_cat
        .iter()
        .any(|(c, w)| lexicon::is_strong(c) && *w >= lexicon::cap(c) - 1e-4);
    by_cat
        .iter()
        .map(|(c, w)| {
            let cap = lexicon::cap(c);
            if cap < 0.0 {
                if strong { 0.0 } else { w.max(cap) }
            } else {
                w.min(cap)
            }
        })
        .sum()
}

// ---------------------------------------------------------------------------------------------
// The scan

/// What a cue hit needs to know about where it was found.
struct Ctx<'a> {
    text: &'a str,
    mentions: &'a [Mention],
    speaker: Option<usize>,
    partner: Option<usize>,
    /// Characters mentioned recently in the scene, most recent last.
    recent: &'a [usize],
    dialogue: bool,
}

/// Where the characters some gates need occur in the source (see [`marks`]).
struct SourceMarks {
    /// `岁`: the Chinese age patterns need it.
    sui: Marks,
    /// `们`: the Chinese group-address forms need it.
    men: Marks,
}

impl SourceMarks {
    fn new(source: &str) -> Self {
        SourceMarks {
            sui: Marks::new(source, '岁'),
            men: Marks::new(source, '们'),
        }
    }
}

/// Script-wide matches of the name matcher and of the cue lexicon.
struct Hits {
    names: SourceHits,
    cues: SourceHits,
}

impl Hits {
    /// Both lists' matches over the source, in one walk.
    fn new(names: &NameFinder, words: &WordFinder, source: &str) -> Self {
        let mut name_hits = Vec::with_capacity(source.len() / 64);
        let mut cue_hits = Vec::with_capacity(source.len() / 64);
        finder::each_both(
            source,
            names,
            words,
            |s, e, p| name_hits.push((s, e, p)),
            |s, e, p| cue_hits.push((s, e, p)),
        );
        Hits {
            names: SourceHits::new(name_hits),
            cues: SourceHits::new(cue_hits),
        }
    }
}

fn scan(
    script: &Script,
    inv: &Inventory,
    matcher: &Matcher,
    hits: &Hits,
    marks: &SourceMarks,
    acc: &mut Accumulator,
) {
    let sui = &marks.sui;
    let mut memo = SpeakerMemo::default();
    // Each distinct dialogue speaker resolved once: (character id, is a label).
    let resolved: Vec<(Option<usize>, bool)> = inv
        .speaker_names
        .iter()
        .map(|n| (inv.lookup(n), names::is_label(n)))
        .collect();
    let mut slots = inv.speaker_slots.iter();
    let mut mentions: Vec<Mention> = Vec::new();
    // Per element of a scene: whether its speaker (if any) is a label (looked up once with the
    // speaker's id, not a second time in the loop below).
    let mut labels: Vec<bool> = Vec::new();
    for scene in &script.scenes {
        labels.clear();
        let speakers: Vec<Option<usize>> = scene
            .elements
            .iter()
            .map(|e| {
                let (id, label) = match e.speaker.as_deref() {
                    None => (None, false),
                    // Dialogue speakers come in the order the inventory saw them.
                    Some(s) if e.kind == ElementKind::Dialogue => slots
                        .next()
                        .and_then(|&k| resolved.get(k).copied())
                        .unwrap_or_else(|| memo.get(inv, s)),
                    Some(s) => memo.get(inv, s),
                };
                labels.push(label);
                id.filter(|_| e.kind == ElementKind::Dialogue)
            })
            .collect();
        let partners = partners(&scene.elements, &speakers);
        let present = present(script, scene, matcher, &hits.names, &speakers);
        classroom(script, scene, &present, acc);
        let mut recent: Vec<usize> = Vec::new();
        let mut bio_subject: Option<usize> = None;
        for (i, el) in scene.elements.iter().enumerate() {
            if matches!(
                el.kind,
                ElementKind::Comment
                    | ElementKind::Transition
                    | ElementKind::PageBreak
                    | ElementKind::Section
            ) {
                continue;
            }
            // A flashback shows a character at another age: neither its ages nor its cues
            // describe them now (an adult's childhood flashback must not make them a child).
            if el.flashback {
                continue;
            }
            let text = el.text(&script.source);
            let base = el.text.start;
            matcher.find_into(&hits.names, &el.text, text, &mut mentions);
            let dialogue = el.kind == ElementKind::Dialogue;
            let speaker = speakers[i];
            // `年龄：7` under a character's bio: the age belongs to the last one named.
            let label = labels[i];
            let has_sui = sui.any_in(base, text.len());
            let field_age = if label {
                ages::bare(text).or_else(|| ages::bio_with(text, has_sui))
            } else if ages::is_age_field(text) {
                ages::bio_with(text, has_sui)
            } else {
                None
            };
            if let (Some(id), Some(f)) = (bio_subject, field_age) {
                acc.set_age(id, f.age, base + f.range.start..base + f.range.end);
            }
            if let Some(sp) = speaker {
                bio_subject = Some(sp);
                // A cue with an age: `小宝（5岁）：`, where the parser kept only the name.
                let cue = script
                    .source
                    .get(el.span.start..el.text.start.max(el.span.start))
                    .unwrap_or("");
                if let Some(sp_name) = el.speaker.as_deref()
                    && let Some(at) = find_from_start(cue, sp_name)
                    && let Some(f) = {
                        let rest = &cue[at + sp_name.len()..];
                        let from = el.span.start + at + sp_name.len();
                        ages::after_name_with(rest, || {
                            ages::near(rest, |t| sui.any_in(from, t.len()))
                        })
                    }
                {
                    let s0 = el.span.start + at + sp_name.len();
                    acc.set_age(sp, f.age, s0 + f.range.start..s0 + f.range.end);
                }
                // A cue with a bare age: `LILY (6)`, `小宝（6）`.
                if let Some(age) = el
                    .extension
                    .as_deref()
                    .map(|x| x.trim().trim_end_matches('岁'))
                    .filter(|x| !x.is_empty() && x.len() <= 2)
                    .and_then(|x| x.parse::<u32>().ok())
                {
                    acc.set_age(sp, age, el.span.start..el.text.start.max(el.span.start));
                }
                let bio = ages::bio_with(text, has_sui);
                let is_bio = bio.is_some();
                if let Some(f) = bio.or_else(|| ages::self_stated_with(text, has_sui)) {
                    acc.set_age(sp, f.age, base + f.range.start..base + f.range.end);
                }
                if is_bio {
                    // A bio line parsed as dialogue describes the speaker.
                    descriptor_text(text, base, sp, acc);
                }
            } else if let Some(m) = mentions.first().filter(|m| m.start < 6) {
                bio_subject = Some(m.id);
            }
            mention_ages(text, base, &mentions, sui, acc);
            if el.kind == ElementKind::Cast || el.kind == ElementKind::Title {
                recent.extend(mentions.iter().map(|m| m.id));
                continue;
            }
            let ctx = Ctx {
                text,
                mentions: &mentions,
                speaker,
                partner: partners[i],
                recent: &recent,
                dialogue,
            };
            cue_hits(&ctx, &hits.cues, &el.text, acc);
            if dialogue {
                if marks.men.any_in(base, text.len()) || has_ascii_alpha(text.as_bytes()) {
                    group_address(text, base, speaker, &present, acc);
                }
            } else {
                paren_descriptors(&ctx, base, acc);
            }
            if let Some(sp) = speaker {
                recent.push(sp);
            }
            recent.extend(mentions.iter().map(|m| m.id));
            if recent.len() > 32 {
                recent.drain(..recent.len() - 16);
            }
        }
    }
}

/// Speaker names repeat line after line: each distinct name looked up once (character id,
/// is a label).
#[derive(Default)]
struct SpeakerMemo<'a> {
    seen: FastMap<&'a str, (Option<usize>, bool)>,
}

impl<'a> SpeakerMemo<'a> {
    fn get(&mut self, inv: &Inventory, name: &'a str) -> (Option<usize>, bool) {
        *self
            .seen
            .entry(name)
            .or_insert_with(|| (inv.lookup(name), names::is_label(name)))
    }
}

/// Who is in a scene: its cast lists and its speakers.
fn present(
    script: &Script,
    scene: &crate::script::Scene,
    matcher: &Matcher,
    hits: &SourceHits,
    speakers: &[Option<usize>],
) -> Vec<usize> {
    let mut ids: Vec<usize> = speakers.iter().flatten().copied().collect();
    for el in scene
        .elements
        .iter()
        .filter(|e| e.kind == ElementKind::Cast)
    {
        let text = el.text(&script.source);
        ids.extend(matcher.find(hits, &el.text, text).iter().map(|m| m.id));
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}

static CLASSROOM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)教室|课堂|classroom|[大中小]班|年级").expect("constant pattern")
});

/// A scene set in a classroom (`大班教室`, `FIRST GRADE CLASSROOM`): a weak school cue for
/// everyone in it (teachers are named as adults and keep their adult cue).
fn classroom(
    script: &Script,
    scene: &crate::script::Scene,
    present: &[usize],
    acc: &mut Accumulator,
) {
    let Some(span) = &scene.heading_span else {
        return;
    };
    let Some(line) = script.source.get(span.clone()) else {
        return;
    };
    let Some(m) = CLASSROOM.find(line) else {
        return;
    };
    let at = span.start + m.start()..span.start + m.end();
    for &id in present {
        acc.cue(id, "school", "@classroom", 0.2, at.clone());
    }
}

static GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)小朋友们|同学们|孩子们|宝贝们|宝宝们|\bkids\b|\bchildren\b|boys and girls")
        .expect("constant pattern")
});

/// `小朋友们，…` / `Okay kids, …` addresses everyone else in the scene as children.
fn group_address(
    text: &str,
    base: usize,
    speaker: Option<usize>,
    present: &[usize],
    acc: &mut Accumulator,
) {
    // Every form contains `们` or ASCII letters (`d` and `b` have no other case forms): the
    // caller skips other lines. A cue counts only for someone present other than the speaker.
    if !present.iter().any(|&id| Some(id) != speaker) {
        return;
    }
    for m in GROUP.find_iter(text) {
        let next = text[m.end()..].chars().next();
        if !next.is_none_or(|c| is_clause_end(c) || matches!(c, '.' | '！' | '!' | '~' | '～')) {
            continue;
        }
        for &id in present.iter().filter(|&&id| Some(id) != speaker) {
            acc.cue(
                id,
                "addressed-as-child",
                "@group",
                0.4,
                base + m.start()..base + m.end(),
            );
        }
    }
}

/// For each dialogue element, the one spoken to: the previous other speaker in the scene,
/// else the next one.
fn partners(elements: &[Element], speakers: &[Option<usize>]) -> Vec<Option<usize>> {
    let n = elements.len();
    let mut out = vec![None; n];
    let mut last: Vec<usize> = Vec::new();
    for i in 0..n {
        if let Some(sp) = speakers[i] {
            out[i] = last.iter().rev().find(|&&o| o != sp).copied();
            if last.last() != Some(&sp) {
                last.push(sp);
            }
        }
    }
    let mut next: Vec<usize> = Vec::new();
    for i in (0..n).rev() {
        if let Some(sp) = speakers[i] {
            if out[i].is_none() {
                out[i] = next.iter().rev().find(|&&o| o != sp).copied();
            }
            if next.last() != Some(&sp) {
                next.push(sp);
            }
        }
    }
    out
}

/// Ages right after or right before a name in the text (`text` is the source at `base`, or
/// empty).
fn mention_ages(text: &str, base: usize, mentions: &[Mention], sui: &Marks, acc: &mut Accumulator) {
    // Where the text's last `岁` starts (`text.rfind('岁')`, from the source's index).
    let last_sui = sui.last_in(base, text.len()).map(|p| p - base);
    for m in mentions {
        let has_sui = || last_sui.is_some_and(|p| p >= m.end);
        // The window before the name is the text's tail up to the name's start.
        let window_has_sui = |w: &str| sui.any_in(base + m.start - w.len(), w.len());
        if let Some(f) = ages::after_name_with(&text[m.end..], has_sui) {
            acc.set_age(m.id, f.age, base + m.start..base + m.end + f.range.end);
        } else if let Some(f) = ages::before_name_with(&text[..m.start], window_has_sui) {
            acc.set_age(m.id, f.age, base + f.range.start..base + m.end);
        }
    }
}

/// `小宝（6岁，林家的儿子）` in action: the bracket describes the name before it.
fn paren_descriptors(ctx: &Ctx<'_>, base: usize, acc: &mut Accumulator) {
    for m in ctx.mentions {
        let rest = &ctx.text[m.end..];
        let Some(open) = rest.strip_prefix('（').or_else(|| rest.strip_prefix('(')) else {
            continue;
        };
        let len = open.find(['）', ')']).unwrap_or(open.len()).min(120);
        let start = m.end + (rest.len() - open.len());
        if let Some(inner) = ctx.text.get(start..start + len) {
            descriptor_text(inner, base + start, m.id, acc);
        }
    }
}

/// Cues inside a descriptor all describe its owner; any adult role there wins over child words
/// (`幼儿园老师`, `Zoe's father`).
fn descriptor_text(text: &str, base: usize, id: usize, acc: &mut Accumulator) {
    let lex = &*LEXICON;
    let mut hits: Vec<(usize, usize, usize)> = Vec::new();
    lex.finder.each(text, |s, e, p| {
        if !lex.ascii[p] || word_bounded(text, s, e) {
            hits.push((s, e, p));
        }
    });
    let adult = hits
        .iter()
        .any(|&(_, _, p)| lex.entries[p].cue == "adult-role");
    for (s, e, p) in hits {
        let entry = lex.entries[p];
        if adult != (entry.cue == "adult-role") {
            continue;
        }
        // In a descriptor a kinship word says "someone's son": weak but real.
        acc.cue(id, entry.cue, &text[s..e], entry.weight, base + s..base + e);
    }
}

fn descriptor_cues(script: &Script, inv: &Inventory, acc: &mut Accumulator) {
    for (id, d) in inv.drafts.iter().enumerate() {
        for span in &d.descriptors {
            if let Some(text) = script.source.get(span.clone()) {
                descriptor_text(text, span.start, id, acc);
            }
        }
    }
}

fn name_form_cues(inv: &Inventory, acc: &mut Accumulator) {
    for (id, d) in inv.drafts.iter().enumerate() {
        let mut done: HashSet<&str> = HashSet::new();
        for f in std::iter::once(&d.name).chain(d.aliases.iter()) {
            for (cue, w) in names::name_cues(f) {
                if done.insert(cue) {
                    acc.cue(id, cue, f, w, d.first.clone());
                }
            }
        }
    }
}

/// §D.1 #12: a title promising a child story adds a little to characters already leaning child.
fn title_prior(script: &Script, acc: &mut Accumulator) {
    let title = script
        .scenes
        .first()
        .and_then(|s| s.elements.iter().find(|e| e.kind == ElementKind::Title))
        .map(|e| e.text.clone())
        .or_else(|| first_line(&script.source));
    let Some(span) = title else { return };
    let text = script.source.get(span.clone()).unwrap_or("");
    if !lexicon::TITLE_PRIOR.iter().any(|w| text.contains(w)) {
        return;
    }
    for a in &mut acc.chars {
        // Only for characters already leaning child ("possible minor", §D.2 step 3).
        let leaning = score(a.evidence.iter().map(|e| (e.cue, e.weight))) >= 0.35;
        if leaning && a.seen.insert(("title-prior", String::new())) {
            a.evidence.push(Evidence {
                cue: "title-prior",
                span: span.clone(),
                weight: 0.1,
            });
        }
    }
}

fn first_line(source: &str) -> Option<Span> {
    let start = source.len() - source.trim_start().len();
    let len = source[start..]
        .find(['\n', '\r'])
        .unwrap_or(source.len() - start);
    (len > 0 && len < 200).then_some(start..start + len)
}

// ---------------------------------------------------------------------------------------------
// Linking cue hits to characters

fn cue_hits(ctx: &Ctx<'_>, cues: &SourceHits, range: &Span, acc: &mut Accumulator) {
    let lex = &*LEXICON;
    let base = range.start;
    cues.each(&lex.finder, range, ctx.text, |start, end, p| {
        cue_hit(ctx, base, start, end, p, acc)
    });
}

fn cue_hit(ctx: &Ctx<'_>, base: usize, start: usize, end: usize, p: usize, acc: &mut Accumulator) {
    let lex = &*LEXICON;
    {
        if lex.ascii[p] && !word_bounded(ctx.text, start, end) {
            return;
        }
        // A cue word inside a name (`小宝` contains `宝`) is the name, not a cue.
        if inside_mention(ctx.mentions, start, end) {
            return;
        }
        let e = lex.entries[p];
        let word = &ctx.text[start..end];
        let span = base + start..base + end;
        let hit = Hit { start, end };
        let linked = match e.link {
            Link::Subject => subject(ctx, hit).map(|id| (id, e.cue, e.weight)),
            Link::Object => object(ctx, hit).map(|id| (id, e.cue, e.weight)),
            Link::Speaker => speaker_cue(ctx, hit, e.cue).map(|id| (id, e.cue, e.weight)),
            Link::Vocative => vocative(ctx, hit).map(|id| (id, e.cue, e.weight)),
            Link::Apposition => apposition(ctx, hit, e.cue)
                .map(|id| (id, e.cue, e.weight))
                .or_else(|| {
                    e.vocative
                        .and_then(|w| vocative(ctx, hit).map(|id| (id, "addressed-as-child", w)))
                }),
            Link::Descriptor => None,
        };
        if let Some((id, cue, weight)) = linked {
            acc.cue(id, cue, word, weight, span);
        }
    }
}

#[derive(Clone, Copy)]
struct Hit {
    start: usize,
    end: usize,
}

fn is_sentence_end(c: char) -> bool {
    matches!(
        c,
        '。' | '！' | '？' | '!' | '?' | '；' | ';' | '\n' | '\r' | '…'
    )
}

fn is_clause_end(c: char) -> bool {
    is_sentence_end(c) || matches!(c, '，' | ',' | '、' | '：' | ':' | '—' | '–')
}

/// The range around `at` bounded by characters for which `end` holds (a `. ` ends English
/// sentences too), at most [`SENTENCE_REACH`] bytes either side.
fn around(text: &str, at: usize, end: fn(char) -> bool) -> (usize, usize) {
    let is_end = |i: usize, c: char| {
        end(c) || (c == '.' && text[i + 1..].starts_with(|n: char| n.is_whitespace()))
    };
    let lo = text.floor_char_boundary(at.saturating_sub(SENTENCE_REACH));
    let hi = text.ceil_char_boundary(at.saturating_add(SENTENCE_REACH));
    let start = text[lo..at]
        .char_indices()
        .rev()
        .find(|&(i, c)| is_end(lo + i, c))
        .map_or(lo, |(i, c)| lo + i + c.len_utf8());
    let stop = text[at..hi]
        .char_indices()
        .find(|&(i, c)| is_end(at + i, c))
        .map_or(hi, |(i, _)| at + i);
    (start, stop)
}

/// How far (in bytes) a sentence or clause reaches either side of a word. Real sentences are
/// far shorter; text with no sentence ends (one unpunctuated line of a whole script) would
/// otherwise make every cue search the whole of it.
const SENTENCE_REACH: usize = 2048;

/// The character a clause is about: the nearest name before the cue in the clause; a `who`
/// clause refers back; else the first name of the sentence (outside brackets); else the first
/// name after the cue in the clause. In dialogue, `我`/`I` is the speaker, `你`/`you` the one
/// spoken to (unless the sentence is about someone's child).
fn subject(ctx: &Ctx<'_>, hit: Hit) -> Option<usize> {
    let (cs, ce) = around(ctx.text, hit.start, is_clause_end);
    let (ss, _) = around(ctx.text, hit.start, is_sentence_end);
    let m = ctx.mentions;
    if let Some(id) = disposal_object(ctx, cs, hit) {
        return Some(id);
    }
    if let Some(x) = between(m, cs, hit.start).last() {
        return Some(x.id);
    }
    let clause = ctx.text[cs..hit.start].trim_start().to_ascii_lowercase();
    if (clause.starts_with("who ") || clause.starts_with("whose "))
        && let Some(x) = between(m, ss, cs).last()
    {
        return Some(x.id);
    }
    // In dialogue a name earlier in the sentence is usually the one spoken to (`张妈，帮他…`).
    if !ctx.dialogue
        && let Some(x) = between(m, ss, hit.start).iter().find(|x| !x.in_paren)
    {
        return Some(x.id);
    }
    if let Some(x) = between(m, hit.end, ce).first() {
        return Some(x.id);
    }
    if !ctx.dialogue {
        return None;
    }
    person_in(&ctx.text[cs..ce], ctx)
}

/// `顾叔把她抱上儿童座椅`, `给小宝带上玩具`: after 把/给/帮/替 the cue is about the one acted on
/// (a name, or a pronoun resolved to the last other character mentioned).
fn disposal_object(ctx: &Ctx<'_>, cs: usize, hit: Hit) -> Option<usize> {
    let clause = &ctx.text[cs..hit.start];
    for (i, c) in clause.char_indices().rev() {
        if !matches!(c, '把' | '给' | '帮' | '替') {
            continue;
        }
        let after = cs + i + c.len_utf8();
        if let Some(x) = starting_at(ctx.mentions, after) {
            return Some(x.id);
        }
        if ctx.text[after..].starts_with(['她', '他']) {
            return resolve_pronoun(ctx, cs, hit);
        }
    }
    None
}

/// The last character mentioned before `hit` who is not the clause's own subject or the
/// speaker.
fn resolve_pronoun(ctx: &Ctx<'_>, cs: usize, hit: Hit) -> Option<usize> {
    let m = ctx.mentions;
    let earlier = &m[..m.partition_point(|x| x.end <= hit.start)];
    // Most recent first: this element's mentions before the hit, then the scene's.
    let back = || {
        let here = earlier.iter().rev().map(|x| x.id);
        here.chain(ctx.recent.iter().rev().copied())
    };
    // `He tucks her in`: a pronoun subject is the last one mentioned, the object another.
    let clause = ctx.text[cs..hit.start].trim_start();
    let pronoun_subject = ["He ", "She ", "他", "她"]
        .iter()
        .any(|p| clause.starts_with(p));
    let agent = between(m, cs, hit.start)
        .first()
        .map(|x| x.id)
        .or_else(|| if pronoun_subject { back().next() } else { None });
    // A pronoun refers back a bounded number of names: past that, the walk over a long
    // element naming only the agent and the speaker would make it quadratic.
    back()
        .take(PRONOUN_REACH)
        .find(|&id| Some(id) != agent && Some(id) != ctx.speaker)
}

/// How many names back a pronoun looks for the one it refers to.
const PRONOUN_REACH: usize = 64;

/// First or second person in a dialogue sentence → speaker or partner.
fn person_in(sentence: &str, ctx: &Ctx<'_>) -> Option<usize> {
    const ABOUT_A_CHILD: [&str; 10] = [
        "儿子", "女儿", "孩子", "家长", "宝宝", "son", "daughter", "kid", "child", "孙",
    ];
    if ABOUT_A_CHILD.iter().any(|w| sentence.contains(w)) {
        return None;
    }
    let lower = sentence.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .collect();
    let first = sentence.contains('我')
        || words
            .iter()
            .any(|w| matches!(*w, "i" | "my" | "me" | "i'm"));
    let second = sentence.contains('你')
        || words
            .iter()
            .any(|w| matches!(*w, "you" | "your" | "you're"));
    match (first, second) {
        (true, false) => ctx.speaker,
        (false, true) => ctx.partner,
        _ => None,
    }
}

/// The one acted on: the name right after the verb, `把X…`, or a pronoun after the verb
/// resolved to the last other character mentioned.
fn object(ctx: &Ctx<'_>, hit: Hit) -> Option<usize> {
    let (cs, ce) = around(ctx.text, hit.start, is_clause_end);
    let m = ctx.mentions;
    // The first name after the verb is the only candidate: any later one starts later.
    if let Some(x) = m
        .get(m.partition_point(|x| x.start < hit.end))
        .filter(|x| x.start <= hit.end + 9 && x.end <= ce)
    {
        return Some(x.id);
    }
    if let Some(x) = between(m, cs, hit.start)
        .iter()
        .rev()
        .find(|x| ctx.text[..x.start].ends_with('把'))
    {
        return Some(x.id);
    }
    let after = ctx.text[hit.end..].trim_start();
    let pronoun = [
        "她", "他", "her ", "him ", "her.", "him.", "her,", "him,", "them ",
    ]
    .iter()
    .any(|p| after.starts_with(p))
        || matches!(after, "her" | "him");
    let disposal =
        ctx.text[cs..hit.start].ends_with("把她") || ctx.text[cs..hit.start].ends_with("把他");
    if !pronoun && !disposal {
        return None;
    }
    // The pronoun is not the clause's own subject (`Ruth scoops up Juno and carries her`).
    resolve_pronoun(ctx, cs, hit)
}

/// A cue that only the speaker can carry. `爹地`/`Mommy` must be an address or `my …`, so a
/// mother saying `妈咪在这里` about herself does not count.
fn speaker_cue(ctx: &Ctx<'_>, hit: Hit, cue: &str) -> Option<usize> {
    if !ctx.dialogue {
        return None;
    }
    if cue == "calls-adult" {
        let before = ctx.text[..hit.start].trim_end();
        let owned = before.ends_with('我')
            || before.ends_with("我的")
            || before
                .as_bytes()
                .last_chunk::<2>()
                .is_some_and(|b| b.eq_ignore_ascii_case(b"my"));
        // `爹地，…` is an address; `爹地什么时候忘过` is a father speaking of himself.
        if !owned && !in_address_position(ctx.text, hit) {
            return None;
        }
    }
    ctx.speaker
}

/// A word in address position: followed by punctuation (`宝贝，…`, `…, kiddo.`), and not a
/// reference (`这小丫头，…` talks about her; `小朋友们` is a group; `孩子才这么小` is a subject).
fn in_address_position(text: &str, hit: Hit) -> bool {
    let prev = text[..hit.start].chars().next_back();
    let next = text[hit.end..].chars().next();
    if next == Some('们') || prev.is_some_and(|c| matches!(c, '这' | '那' | '个')) {
        return false;
    }
    next.is_none_or(|c| {
        is_clause_end(c) || matches!(c, '.' | '~' | '～' | '”' | '"' | '…' | '！' | '!')
    })
}

/// Who is addressed: a name next to the address word, a name opening the line, else the
/// conversation partner.
fn vocative(ctx: &Ctx<'_>, hit: Hit) -> Option<usize> {
    if !ctx.dialogue || !in_address_position(ctx.text, hit) {
        return None;
    }
    let near =
        |gap: &str| gap.len() <= 3 && gap.chars().all(|c| c.is_whitespace() || is_clause_end(c));
    // Only names ending at most 3 bytes before the word or starting at most 3 after it can be
    // adjacent.
    let m = ctx.mentions;
    let lo = m.partition_point(|x| x.end + 3 < hit.start);
    let hi = m.partition_point(|x| x.start <= hit.end + 3);
    let adjacent = m.get(lo..hi).unwrap_or(&[]).iter().find(|x| {
        Some(x.id) != ctx.speaker
            && ((x.end <= hit.start && near(&ctx.text[x.end..hit.start]))
                || (x.start >= hit.end && near(&ctx.text[hit.end..x.start])))
    });
    if let Some(x) = adjacent {
        return Some(x.id);
    }
    let opening = ctx.mentions.first().filter(|x| {
        ctx.text[..x.start].trim().is_empty()
            && ctx.text[x.end..].starts_with(|c: char| is_clause_end(c) || c == '!')
            && Some(x.id) != ctx.speaker
    });
    opening.map(|x| x.id).or(ctx.partner)
}

/// What may stand between a name and a child noun after it: `小宝是个孩子`, `小宝这个小家伙`,
/// `LILY, a quiet girl`, `Lily is just a kid`.
static GAP_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:[，,]\s*)?(?:(?:还|只|就|才|不过|也)?是|这个|那个|这|那)?(?:个|一个)?小?|\s*(?:,|\s(?:is|was))\s*(?:(?:just|only|still|such)\s+)?(?:(?:an?|the)\s+)?(?:[a-z\-]+\s+){0,2})$",
    )
    .expect("constant pattern")
});

/// What may stand between a child noun and the name after it: `小男孩小宝`, `名叫小宝`,
/// `the little girl, LILY`, `a kid named Max`.
static GAP_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:[，,]?\s*(?:名叫|叫做|叫)?|\s*,?\s*(?:named\s+|called\s+)?)$")
        .expect("constant pattern")
});

/// A child noun linked to a name by apposition or description (`小男孩小宝`, `小宝还是个孩子`,
/// `LILY, a little girl`); `X的孩子` / `Claire's son` is X's child, not X. In dialogue
/// `我还是个孩子` is the speaker and `你还是个孩子` the one spoken to.
fn apposition(ctx: &Ctx<'_>, hit: Hit, cue: &str) -> Option<usize> {
    let (ss, se) = around(ctx.text, hit.start, is_sentence_end);
    let possessive = |gap: &str| {
        let g = gap.to_ascii_lowercase();
        gap.contains('的') || g.contains("'s") || g.contains("’s") || g.contains(" of ")
    };
    let before = between(ctx.mentions, ss, hit.start)
        .iter()
        .rev()
        .find(|x| GAP_BEFORE.is_match(&ctx.text[x.end..hit.start]));
    let after = between(ctx.mentions, hit.end, se)
        .iter()
        .find(|x| GAP_AFTER.is_match(&ctx.text[hit.end..x.start]));
    let pick = match (before, after) {
        (Some(b), Some(a)) => {
            if hit.start - b.end <= a.start - hit.end {
                Some(b)
            } else {
                Some(a)
            }
        }
        (b, a) => b.or(a),
    };
    if let Some(x) = pick {
        return Some(x.id);
    }
    if !ctx.dialogue || cue != "child-noun" {
        return None;
    }
    let gap = &ctx.text[ss..hit.start];
    if possessive(gap) {
        return None;
    }
    let lower = gap.to_ascii_lowercase();
    let copula = gap.contains('是')
        || lower.contains("'m")
        || lower.contains(" am ")
        || lower.contains("'re")
        || lower.contains(" are ");
    if !copula {
        return None;
    }
    if gap.contains('我') || gap.contains("人家") || lower.contains("i'm") || lower.contains("i am")
    {
        ctx.speaker
    } else if gap.contains('你') || lower.contains("you") {
        ctx.partner
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------------
// Decision

fn finish(inv: Inventory, acc: Accumulator, overrides: &Overrides) -> Cast {
    let mut order: Vec<usize> = (0..inv.drafts.len()).collect();
    order.sort_by_key(|&i| inv.drafts[i].first.start);
    let mut characters = Vec::with_capacity(order.len());
    let mut accs: Vec<Option<Acc>> = acc.chars.into_iter().map(Some).collect();
    for i in order {
        let d = &inv.drafts[i];
        let a = accs[i].take().unwrap_or_default();
        characters.push(decide(d, a));
    }
    apply_overrides(&mut characters, &inv, overrides);
    Cast { characters }
}

fn decide(d: &Draft, a: Acc) -> Character {
    let mut evidence = a.evidence;
    let age = a.age.as_ref().map(|x| x.0);
    let child = match age {
        Some(n) => n < CHILD_AGE_LIMIT,
        None => score(evidence.iter().map(|e| (e.cue, e.weight))) >= THRESHOLD - 1e-4,
    };
    if let Some((_, span)) = a.age {
        evidence.insert(
            0,
            Evidence {
                cue: "age",
                span,
                weight: 1.0,
            },
        );
    }
    evidence.sort_by(|x, y| y.weight.total_cmp(&x.weight));
    Character {
        name: d.name.clone(),
        aliases: d.aliases.clone(),
        child,
        age,
        evidence,
    }
}

/// Configuration names children and adults outright; a name the script never uses still
/// becomes a character, so rules can find it.
fn apply_overrides(chars: &mut Vec<Character>, inv: &Inventory, ov: &Overrides) {
    let lists = [(&ov.children, true), (&ov.adults, false)];
    for (names_list, child) in lists {
        for name in names_list {
            let pos = chars.iter().position(|c| {
                names::key(&c.name) == names::key(name)
                    || c.aliases.iter().any(|a| names::key(a) == names::key(name))
            });
            let i = match pos {
                Some(i) => i,
                None => {
                    chars.push(Character {
                        name: name.trim().to_string(),
                        aliases: Vec::new(),
                        child,
                        age: None,
                        evidence: Vec::new(),
                    });
                    chars.len() - 1
                }
            };
            let span = inv
                .lookup(&chars[i].name)
                .map_or(0..0, |id| inv.drafts[id].first.clone());
            let c = &mut chars[i];
            c.child = child;
            c.evidence.insert(
                0,
                Evidence {
                    cue: "config",
                    span,
                    weight: if child { 1.0 } else { -1.0 },
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Mentions as an element has them: in order, not overlapping, from (gap, length) pairs.
    fn mentions(runs: &[(usize, usize)]) -> Vec<Mention> {
        let mut at = 0;
        runs.iter()
            .enumerate()
            .map(|(id, &(gap, len))| {
                let start = at + gap;
                at = start + len;
                Mention {
                    start,
                    end: at,
                    id,
                    in_paren: false,
                }
            })
            .collect()
    }

    fn ids(m: &[Mention]) -> Vec<usize> {
        m.iter().map(|x| x.id).collect()
    }

    proptest! {
        /// The binary searches find what a walk over every mention finds.
        #[test]
        fn mention_searches_agree_with_a_walk(
            runs in proptest::collection::vec((0usize..4, 1usize..4), 0..20),
            a in 0usize..60,
            b in 0usize..60,
        ) {
            let m = mentions(&runs);
            let walk: Vec<usize> =
                m.iter().filter(|x| x.start >= a && x.end <= b).map(|x| x.id).collect();
            prop_assert_eq!(ids(between(&m, a, b)), walk);
            prop_assert_eq!(
                starting_at(&m, a).map(|x| x.id),
                m.iter().find(|x| x.start == a).map(|x| x.id)
            );
            let (s, e) = (a.min(b), a.max(b) + 1);
            prop_assert_eq!(
                inside_mention(&m, s, e),
                m.iter().any(|n| n.start <= s && e <= n.end)
            );
        }
    }

    #[test]
    fn sentences_reach_a_bounded_distance() {
        let text = format!("。{}小宝{}", "字".repeat(3000), "字".repeat(3000));
        let at = text.find("小宝").unwrap_or(0);
        let (s, e) = around(&text, at, is_sentence_end);
        assert!(s < at && at - s <= SENTENCE_REACH + 3 && e - at <= SENTENCE_REACH + 3);
        assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
        let short = "他哭了。小宝笑了。";
        let at = short.find("小宝").unwrap_or(0);
        assert_eq!(
            around(short, at, is_sentence_end),
            (at, short.len() - "。".len())
        );
    }

    #[test]
    fn ascii_capitals_found_in_any_position() {
        for b in 0..=255u8 {
            for at in 0..19 {
                let mut v = vec![b'x'; 19];
                v[at] = b;
                assert_eq!(has_ascii_upper(&v), b.is_ascii_uppercase(), "{b} at {at}");
            }
        }
    }

    proptest::proptest! {
        /// Reading each distinct cast list item once gives what reading every item does.
        #[test]
        fn repeated_list_items_read_once(
            lists in proptest::collection::vec(
                proptest::collection::vec(proptest::sample::select(vec![
                    "小宝（6岁）", "林墨琛（35岁，总裁）", "赵母", "乐乐（10岁）", "王秘书",
                    "ZOE (6)", "**小宝**", "- 朵朵，女儿", "小朋友们", "",
                ]), 1..5),
                1..6,
            ),
        ) {
            let texts: Vec<String> = lists.iter().map(|l| format!("人物：{}", l.join("、"))).collect();
            let source = texts.join("\n");
            let (mut shared, mut fresh) = (Inventory::default(), Inventory::default());
            let mut memo = FastMap::default();
            let mut base = 0;
            for t in &texts {
                let from = cast_label_end(t).unwrap_or(0);
                shared.cast_list(&source[base..base + t.len()], base, from, &mut memo);
                fresh.cast_list(&source[base..base + t.len()], base, from, &mut FastMap::default());
                base += t.len() + 1;
            }
            proptest::prop_assert_eq!(format!("{:?}", shared.drafts), format!("{:?}", fresh.drafts));
            proptest::prop_assert_eq!(shared.item_ages, fresh.item_ages);
        }
    }

    #[test]
    fn ascii_letters_found_in_any_position() {
        for b in 0..=255u8 {
            for at in 0..19 {
                let mut v = vec![0xE5u8; 19];
                v[at] = b;
                assert_eq!(has_ascii_alpha(&v), b.is_ascii_alphabetic(), "{b} at {at}");
                assert_eq!(
                    has_ascii_alpha(&v[..at]),
                    v[..at].iter().any(u8::is_ascii_alphabetic)
                );
            }
        }
    }

    #[test]
    fn brackets_marked_as_before() {
        let text = "小宝（6岁）和(大宝（小宝)）小宝";
        let mut ms: Vec<Mention> = text
            .match_indices("宝")
            .map(|(i, _)| Mention {
                start: i,
                end: i + 3,
                id: 0,
                in_paren: true,
            })
            .collect();
        mark_in_paren(text, &mut ms);
        let marks: Vec<bool> = ms.iter().map(|m| m.in_paren).collect();
        assert_eq!(marks, [false, true, true, false]);
    }

    #[test]
    fn one_weak_cue_is_not_enough() {
        assert!(score([("name-form", 0.2)].into_iter()) < THRESHOLD);
        assert!(score([("addressed-as-child", 0.2), ("name-form", 0.2)].into_iter()) < THRESHOLD);
        assert!(score([("calls-adult", 0.3), ("calls-adult", 0.3)].into_iter()) < THRESHOLD);
    }

    #[test]
    fn strong_cues_cancel_adult_roles() {
        assert!(score([("school", 0.6), ("adult-role", -0.3)].into_iter()) >= THRESHOLD - 1e-4);
        assert!(score([("care", 0.15); 6].into_iter()) <= 0.45 + 1e-4);
    }

    #[test]
    fn sentence_bounds() {
        let t = "他下车，安安扑进他怀里。Then Lily runs. Ok";
        let at = t.find("怀里").unwrap_or(0);
        let (s, e) = around(t, at, is_clause_end);
        assert_eq!(&t[s..e], "安安扑进他怀里");
    }
}
