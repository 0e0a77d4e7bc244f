//! Explicit ages (§D.1 #1–#2): `小宝（6岁）`, `小宝，5岁`, `苏念念：女，六岁`, `年龄：7`,
//! `LILY (6)`, `LILY, 7,`, `a seven-year-old`, `I'm only six`. Every function looks at one
//! place in the text (right after a name, a speaker's line, a bio line) so an age always goes
//! to the name it directly follows, never to another character on the same line.
//!
//! Traps handled here: `（5年后）` has no 岁 and is no age; `五岁那年` / `五岁的时候` is a
//! flashback age and is skipped; `五十多岁` is 50, `七八岁` 7, `十二三岁` 12.

use super::numbers::{EN_WORD_RE, NUM_RE, parse_en_word, parse_num};
use regex::Regex;
use std::sync::LazyLock;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("age patterns are constants")
}

/// `岁` forms: the number in group `n`.
fn zh_age(prefix: &str) -> String {
    format!(r"{prefix}(?P<n>{NUM_RE})\s*(?:多|来)?\s*周?岁")
}

const SEX: &str = r"(?:[男女](?:性|孩|童|生)?\s*[，,、/]?\s*)";

/// Right after a name: `（6岁`, `(女，6岁`, `，5岁`, `：女，六岁`, `才五岁`, `今年六岁`.
/// Each pattern compiles on first use, so a run compiles only those its scripts' gates open.
static ZH_AFTER: [LazyLock<Regex>; 3] = [
    LazyLock::new(|| {
        re(&zh_age(&format!(
            r"^\s*[（(]\s*{SEX}?(?:约|大约|今年|年约|年龄[：:]?)?\s*"
        )))
    }),
    LazyLock::new(|| {
        re(&zh_age(&format!(
            r"^\s*[，,：:、]\s*{SEX}?(?:今年|年约|约|年龄[：:]?)?\s*"
        )))
    }),
    LazyLock::new(|| {
        re(&zh_age(
            r"^(?:今年|才|只有|刚刚?|已经|都|快|满|还不到|不到|也才)+\s*",
        ))
    }),
];

/// English right after a name: `(6)`, `(6 years old)`, `(30s)`, `, 7,`, `, a seven-year-old`,
/// `, age 6`, ` is 7.`
static EN_AFTER: [LazyLock<Regex>; 5] = [
    LazyLock::new(|| re(r"^\s*\(\s*(?P<n>\d{1,2})s?\s*(?:years?\s*old|yrs?\.?|y/?o)?\s*[),;]")),
    LazyLock::new(|| re(r"^,\s*(?P<n>\d{1,2})\s*(?:,|;|\.|:|\)|$|\s+(?:years?\s+old|yrs?)\b)")),
    LazyLock::new(|| {
        re(&format!(
            r"(?i)^,?\s*(?:(?:who\s+)?is\s+)?(?:only\s+|just\s+|now\s+|almost\s+|barely\s+)?(?:an?\s+)?(?P<n>\d{{1,2}}|{w})[- ]years?[- ]old\b",
            w = EN_WORD_RE
        ))
    }),
    LazyLock::new(|| {
        re(&format!(
            r"(?i)^,?\s*(?:(?:who\s+)?is\s+)?(?:only\s+|just\s+)?aged?\s+(?P<n>\d{{1,2}}|{w})\b",
            w = EN_WORD_RE
        ))
    }),
    LazyLock::new(|| {
        re(&format!(
            r"(?i)^\s+is\s+(?:only\s+|just\s+|now\s+)?(?P<n>\d{{1,2}}|{w})\s*(?:[.!?,;]|$)",
            w = EN_WORD_RE
        ))
    }),
];

/// An age phrase BEFORE a name: `五岁的小宝`, `六岁的儿子小宝`, `a seven-year-old girl named
/// LILY`. The name must start where the match ends.
static BEFORE_NAME: [LazyLock<Regex>; 2] = [
    LazyLock::new(|| {
        re(&format!(
            r"{}\s*的?(?:儿子|女儿|孩子|小男孩|小女孩|男孩|女孩|小朋友|宝宝|孙子|孙女)?\s*(?:名叫|叫)?$",
            zh_age("")
        ))
    }),
    LazyLock::new(|| {
        re(&format!(
            r"(?i)\b(?:an?\s+)?(?P<n>\d{{1,2}}|{})[- ]years?[- ]old(?:\s+(?:girl|boy|kid|child|son|daughter|twin))?\s*,?\s*(?:named\s+|called\s+)?$",
            EN_WORD_RE
        ))
    }),
];

/// A speaker about themself: `我才五岁`, `人家三岁半`, `I'm only six`.
static SELF: [LazyLock<Regex>; 2] = [
    LazyLock::new(|| {
        re(&zh_age(
            r"(?:我|人家)(?:今年|才|只有|刚刚?|已经|都|快|满|还不到|不到|也才)*\s*",
        ))
    }),
    LazyLock::new(|| {
        re(&format!(
            r"\bI(?:'m|’m| am)\s+(?:only\s+|just\s+|almost\s+|nearly\s+)?(?P<n>\d{{1,2}}|{})(?:\s+years?\s+old)?\s*(?:[.!?,]|and a half|$)",
            EN_WORD_RE
        ))
    }),
];

/// A bio line for a speaker (`苏念念：女，六岁，…` parsed as dialogue) or a `年龄：7` field.
static BIO: [LazyLock<Regex>; 3] = [
    LazyLock::new(|| re(&zh_age(&format!(r"^\s*{SEX}?(?:年龄[：:]\s*)?")))),
    LazyLock::new(|| {
        re(&format!(
            r"^\s*(?:年龄|年纪)\s*[：:]\s*(?P<n>{NUM_RE})\s*(?:多|来)?\s*周?岁?"
        ))
    }),
    LazyLock::new(|| re(r"(?i)^\s*age\s*[:：]\s*(?P<n>\d{1,2})\b")),
];

/// What may not follow `岁` for it to be the character's present age.
fn flashback_tail(tail: &str) -> bool {
    const TAILS: [&str; 10] = [
        "那年",
        "那一年",
        "时",
        "的时候",
        "以前",
        "之前",
        "前",
        "起",
        "月",
        "就",
    ];
    TAILS.iter().any(|t| tail.starts_with(t))
}

/// One age found: the value and the byte range of the match in the text searched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub age: u32,
    pub range: std::ops::Range<usize>,
}

fn number(caps: &regex::Captures<'_>) -> Option<u32> {
    let n = caps.name("n")?.as_str();
    parse_num(n).or_else(|| parse_en_word(n))
}

/// The first pattern that matches and is not a flashback age. Each pattern comes with a gate:
/// a cheap literal test that must hold for the pattern to match with a parseable number, so a
/// pattern whose gate fails is skipped without running the regex (the result is the same).
fn first_match<'r>(
    res: impl IntoIterator<Item = (&'r LazyLock<Regex>, bool)>,
    text: &str,
) -> Option<Found> {
    for (r, gate) in res {
        if !gate {
            continue;
        }
        let r: &Regex = r;
        for caps in r.captures_iter(text) {
            let Some(m) = caps.get(0) else { continue };
            if flashback_tail(&text[m.end()..]) {
                continue;
            }
            if let Some(age) = number(&caps) {
                return Some(Found {
                    age,
                    range: m.range(),
                });
            }
        }
    }
    None
}

/// Every pattern of a list behind one gate.
fn all(res: &[LazyLock<Regex>], gate: bool) -> impl Iterator<Item = (&LazyLock<Regex>, bool)> {
    res.iter().map(move |r| (r, gate))
}

/// Whether `text` contains `word` ignoring ASCII case (`word` is lowercase ASCII).
fn contains_ascii_ci(text: &str, word: &str) -> bool {
    let w = word.as_bytes();
    text.as_bytes()
        .windows(w.len())
        .any(|win| win.eq_ignore_ascii_case(w))
}

/// A digit an age's number group can be parsed from: ASCII or full-width. (`\d` matches every
/// Unicode digit, but [`parse_num`] and [`parse_en_word`] read only these, and a number group
/// made of English words starts with an ASCII letter.)
fn starts_en_number(c: char) -> bool {
    c.is_ascii_alphanumeric() || ('０'..='９').contains(&c)
}

/// `s.trim_start().chars().next()`, answered from the first byte when it starts no whitespace
/// character (every Unicode space starts with a byte below 0x21 or C2, E1, E2, E3).
fn first_non_space(s: &str) -> Option<char> {
    match s.as_bytes().first()? {
        0x21..=0x7E | 0xE4..=0xFF => s.chars().next(),
        _ => s.trim_start().chars().next(),
    }
}

/// An age written right after a name; `rest` is the text from the end of the name.
///
/// Gates (why a pattern cannot match otherwise): the Chinese forms start with a bracket or
/// a comma/colon after optional spaces, or with an adverb (`才`, `今年`, …), and contain `岁`;
/// the English forms start with `(` after spaces, with `,`, or (after an optional comma and
/// spaces) with a word or digit of the phrase (`is`, `who`, `a`, `aged`, `seven`, `7`).
pub fn after_name(rest: &str) -> Option<Found> {
    after_name_with(rest, || near(rest, |t| t.contains('岁')))
}

/// How far the gates of [`after_name`] look. The patterns are anchored, so past this a gate
/// just lets its pattern run (it stops where the text stops fitting): a gate searching the
/// whole rest of a line for each name made a long line quadratic.
const GATE_WINDOW: usize = 256;

/// A gate: `test` on `rest` when it is short; true (the pattern decides) when it is long.
pub fn near(rest: &str, test: impl FnOnce(&str) -> bool) -> bool {
    rest.len() > GATE_WINDOW || test(rest)
}

/// [`after_name`], told by `has_sui` whether `rest` contains `岁` (asked only when the rest
/// of the Chinese gate holds), so a caller with many names in one text searches it once.
pub fn after_name_with(rest: &str, has_sui: impl FnOnce() -> bool) -> Option<Found> {
    let c0 = rest.chars().next()?;
    let c1 = first_non_space(rest);
    let c2 = first_non_space(rest.strip_prefix(',').unwrap_or(rest));
    let zh = (matches!(c1, Some('（' | '(' | '，' | ',' | '：' | ':' | '、'))
        || matches!(
            c0,
            '今' | '才' | '只' | '刚' | '已' | '都' | '快' | '满' | '还' | '不' | '也'
        ))
        && has_sui();
    if zh && let Some(f) = first_match(all(&ZH_AFTER, true), rest) {
        return Some(f);
    }
    // `years old` / `aged` / ` is 7` need those words (no other letters fold to these).
    let worded = c2.is_some_and(starts_en_number);
    let gates = [
        c1 == Some('('),
        c0 == ',',
        worded && near(rest, |t| contains_ascii_ci(t, "year")),
        worded && near(rest, |t| contains_ascii_ci(t, "age")),
        c0.is_whitespace() && matches!(c1, Some('i' | 'I')),
    ];
    first_match(EN_AFTER.iter().zip(gates), rest)
}

/// An age phrase ending right where a name starts; `before` is the text up to the name.
/// Only the last 80 bytes matter, so long lines cost nothing extra.
#[cfg(test)]
pub fn before_name(before: &str) -> Option<Found> {
    before_name_with(before, |w| w.contains('岁'))
}

/// [`before_name`], told by `has_sui` whether the window it looks at (given as text, whose
/// offset in `before` is `before.len() - window.len()`) contains `岁`.
pub fn before_name_with(before: &str, has_sui: impl FnOnce(&str) -> bool) -> Option<Found> {
    let mut start = before.len().saturating_sub(80);
    while !before.is_char_boundary(start) {
        start += 1;
    }
    let window = &before[start..];
    let gates = [has_sui(window), contains_ascii_ci(window, "old")];
    let f = first_match(BEFORE_NAME.iter().zip(gates), window)?;
    // `小宝（6岁，林家的儿子）`: an age inside an open bracket belongs to the name before it.
    let head = &window[..f.range.start];
    let opens = head.matches(['（', '(']).count();
    let closes = head.matches(['）', ')']).count();
    if opens > closes {
        return None;
    }
    Some(Found {
        age: f.age,
        range: f.range.start + start..f.range.end + start,
    })
}

/// A speaker stating their own age (`我…岁` needs `岁`; `I'm`/`I am` needs those letters).
#[cfg(test)]
pub fn self_stated(line: &str) -> Option<Found> {
    self_stated_with(line, line.contains('岁'))
}

/// [`self_stated`], told whether `line` contains `岁` (`has_sui`).
pub fn self_stated_with(line: &str, has_sui: bool) -> Option<Found> {
    // Every English form starts with `I`: most lines have none and skip the three searches.
    let en = memchr::memchr(b'I', line.as_bytes()).is_some()
        && (line.contains("I'm") || line.contains("I’m") || line.contains("I am"));
    let gates = [has_sui, en];
    first_match(SELF.iter().zip(gates), line)
}

/// A bio line or `年龄：` field (`岁`, a leading `年龄`/`年纪`, or a leading `age`).
#[cfg(test)]
pub fn bio(line: &str) -> Option<Found> {
    bio_with(line, line.contains('岁'))
}

/// [`bio`], told whether `line` contains `岁` (`has_sui`).
pub fn bio_with(line: &str, has_sui: bool) -> Option<Found> {
    let c1 = line.trim_start().chars().next();
    let gates = [has_sui, c1 == Some('年'), matches!(c1, Some('a' | 'A'))];
    first_match(BIO.iter().zip(gates), line)
}

static BARE: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"^\s*(?P<n>{NUM_RE})\s*(?:多|来)?\s*周?岁?\s*$")));

/// Compile the age regexes now (a spare worker does this when a run starts).
pub fn warm() {
    for r in ZH_AFTER
        .iter()
        .chain(&EN_AFTER)
        .chain(&BEFORE_NAME)
        .chain(&SELF)
        .chain(&BIO)
    {
        LazyLock::force(r);
    }
    LazyLock::force(&BARE);
}

/// The value of an age field split off as its own line (`年龄` / `7`).
pub fn bare(text: &str) -> Option<Found> {
    first_match([(&BARE, true)], text)
}

/// Whether a line is a bio field giving only an age (`年龄：7`), for the last-named character.
pub fn is_age_field(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("年龄")
        || t.starts_with("年纪")
        || t.as_bytes()
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"age:"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn age_after(rest: &str) -> Option<u32> {
        after_name(rest).map(|f| f.age)
    }

    #[test]
    fn chinese_after_name() {
        assert_eq!(age_after("（6岁）趴在"), Some(6));
        assert_eq!(age_after("（6岁，林家的儿子）"), Some(6));
        assert_eq!(age_after("(6岁)"), Some(6));
        assert_eq!(age_after("，5岁，"), Some(5));
        assert_eq!(age_after("：女，六岁，天才"), Some(6));
        assert_eq!(age_after("（女，七八岁）"), Some(7));
        assert_eq!(age_after("（十二三岁）"), Some(12));
        assert_eq!(age_after("（五十多岁）"), Some(50));
        assert_eq!(age_after("（50岁）"), Some(50));
        assert_eq!(age_after("才五岁"), Some(5));
        assert_eq!(age_after("今年十五岁了"), Some(15));
        assert_eq!(age_after("（5年后）"), None);
        assert_eq!(age_after("五岁那年"), None);
        assert_eq!(age_after("（小声）"), None);
        assert_eq!(age_after("和林墨琛（35岁）"), None);
    }

    #[test]
    fn english_after_name() {
        assert_eq!(age_after(" (6), in a white dress"), Some(6));
        assert_eq!(age_after(" (36) turns"), Some(36));
        assert_eq!(age_after(" (5 years old) runs"), Some(5));
        assert_eq!(age_after(", 7, runs in"), Some(7));
        assert_eq!(age_after(", 6, heiress to"), Some(6));
        assert_eq!(age_after(", a seven-year-old in pigtails"), Some(7));
        assert_eq!(age_after(", age 6, waits"), Some(6));
        assert_eq!(age_after(" is 7."), Some(7));
        assert_eq!(age_after(" (40s)"), Some(40));
        assert_eq!(age_after(", sharp suit"), None);
        assert_eq!(age_after(" (V.O.)"), None);
        assert_eq!(age_after(", 5 years later"), None);
    }

    #[test]
    fn before_a_name() {
        assert_eq!(before_name("门口站着五岁的").map(|f| f.age), Some(5));
        assert_eq!(before_name("他抱着六岁的儿子").map(|f| f.age), Some(6));
        assert_eq!(
            before_name("In runs a seven-year-old girl named ").map(|f| f.age),
            Some(7)
        );
        assert_eq!(before_name("五年后，").map(|f| f.age), None);
        assert_eq!(before_name("小宝（6岁，").map(|f| f.age), None);
        assert_eq!(before_name("（6岁的").map(|f| f.age), None);
    }

    #[test]
    fn self_statements() {
        assert_eq!(self_stated("可是我才五岁呀").map(|f| f.age), Some(5));
        assert_eq!(self_stated("人家三岁半嘛").map(|f| f.age), Some(3));
        assert_eq!(self_stated("我五岁那年就没了妈妈").map(|f| f.age), None);
        assert_eq!(self_stated("你是三岁小孩吗").map(|f| f.age), None);
        assert_eq!(self_stated("I'm only six!").map(|f| f.age), Some(6));
        assert_eq!(self_stated("I'm six minutes late").map(|f| f.age), None);
    }

    #[test]
    fn gates_cover_every_pattern() {
        // `zip` with the gate arrays must not drop a pattern.
        assert_eq!(EN_AFTER.len(), 5);
        assert_eq!(BEFORE_NAME.len(), 2);
        assert_eq!(SELF.len(), 2);
        assert_eq!(BIO.len(), 3);
    }

    #[test]
    fn bio_lines() {
        assert_eq!(bio("女，六岁，天才萌宝").map(|f| f.age), Some(6));
        assert_eq!(bio("年龄：7").map(|f| f.age), Some(7));
        assert_eq!(bio("霸道总裁").map(|f| f.age), None);
        assert!(is_age_field("年龄：7"));
    }
}
