//! Leftmost-longest matching of word lists without scanning with an automaton: a script's
//! names (a few dozen, a new list per script, so building an automaton per script cost more
//! than its scan) and the cue lexicon (hundreds of words; its DFA scanned every byte).
//!
//! At each character, from the left, the longest word starting there is a match and the scan
//! goes on after it; that is exactly leftmost-longest non-overlapping matching (words are
//! whole UTF-8 strings, so they start and end on character boundaries). [`Starts`] walks the
//! text a character at a time and stops only where a word may begin: a 64 Kbit set holds a
//! hash of the first six bytes of each long word (two CJK characters) and of the first three
//! of each short one; there the longest word is looked for.

/// Where words may start, in two sets of 64 Kbit: a hash of the first three bytes as written
/// (every case of ASCII letters; for a CJK word, its first character), tested at every
/// character, then a hash of the (lowercased) first six bytes of a long word (two CJK
/// characters) or first three of a short one.
pub struct Starts {
    firsts: Box<[u64; 1 << 10]>,
    keys: Box<[u64; 1 << 10]>,
    /// Whether ASCII letters match in either case (keys are taken from lowercased bytes).
    fold: bool,
}

/// Words this long or longer are keyed by this many first bytes; shorter ones by three.
const LONG: usize = 6;

/// The first three bytes of `w` (little-endian) to 16 bits.
fn key3(w: u64) -> u16 {
    ((w & 0xFF_FFFF).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as u16
}

/// The first six bytes of `w` (little-endian) to 16 bits.
fn key6(w: u64) -> u16 {
    ((w & 0xFFFF_FFFF_FFFF).wrapping_mul(0xD6E8_FEB8_6659_FD93) >> 48) as u16
}

/// ASCII capitals of a little-endian word lowered, other bytes unchanged (no carries cross
/// bytes: the high bits are cleared before adding).
fn lower8(w: u64) -> u64 {
    const HI: u64 = 0x8080_8080_8080_8080;
    let x = w & !HI;
    let ge_a = x.wrapping_add(0x3F3F_3F3F_3F3F_3F3F); // high bit set from b'A'
    let gt_z = x.wrapping_add(0x2525_2525_2525_2525); // high bit set from b'Z' + 1
    let upper = ge_a & !gt_z & !w & HI;
    w | upper >> 2
}

fn set(bits: &mut [u64; 1 << 10], k: u16) {
    bits[usize::from(k >> 6)] |= 1 << (k & 63);
}

fn has(bits: &[u64; 1 << 10], k: u16) -> bool {
    bits[usize::from(k >> 6)] & (1 << (k & 63)) != 0
}

/// Every way the bytes of `word` from `from` to `to` can read (`fold`: either case of ASCII
/// letters; past the word's end: any byte), as little-endian words over `first`.
fn spellings(word: &[u8], from: usize, to: usize, fold: bool) -> Vec<u64> {
    let mut out: Vec<u64> = vec![0];
    for j in from..to {
        let forms: Vec<u64> = match word.get(j) {
            Some(&c) if fold && c.is_ascii_alphabetic() => {
                vec![c.to_ascii_lowercase().into(), c.to_ascii_uppercase().into()]
            }
            Some(&c) => vec![c.into()],
            None => (0..=255).collect(),
        };
        out = out
            .iter()
            .flat_map(|w| forms.iter().map(move |f| w | f << (8 * j)))
            .collect();
    }
    out
}

impl Starts {
    /// `fold`: ASCII letters match in either case.
    fn new(fold: bool) -> Self {
        Starts {
            firsts: Box::new([0; 1 << 10]),
            keys: Box::new([0; 1 << 10]),
            fold,
        }
    }

    /// Let `word` start a match. Bytes past a word shorter than three bytes may be anything
    /// (or missing, read as 0 at the end of the text).
    fn add(&mut self, word: &[u8]) {
        for w in spellings(word, 0, 3, self.fold) {
            set(&mut self.firsts, key3(w));
        }
        let n = if word.len() >= LONG { LONG } else { 3 };
        let mut first = 0u64;
        for (j, &c) in word.iter().take(n).enumerate() {
            let c = if self.fold { c.to_ascii_lowercase() } else { c };
            first |= u64::from(c) << (8 * j);
        }
        let mut firsts: Vec<u64> = vec![first];
        for j in word.len().min(n)..n {
            firsts = firsts
                .iter()
                .flat_map(|w| (0..=255u64).map(move |f| w | f << (8 * j)))
                .collect();
        }
        for w in firsts {
            set(&mut self.keys, if n == LONG { key6(w) } else { key3(w) });
        }
    }

    /// Whether a word may start at the bytes of `w` (little-endian, zeros past the text).
    #[inline(always)]
    fn may_start(&self, w: u64) -> bool {
        has(&self.firsts, key3(w)) && self.may_start_keyed(w)
    }

    /// The second test of [`Self::may_start`], at about one character in ten.
    #[inline(never)]
    fn may_start_keyed(&self, w: u64) -> bool {
        let w = if self.fold { lower8(w) } else { w };
        has(&self.keys, key3(w)) || has(&self.keys, key6(w))
    }
}

/// The eight bytes of `text` from `i` as a little-endian word (zeros past the end), or None
/// at the end.
#[inline(always)]
fn word_at(text: &[u8], i: usize) -> Option<u64> {
    match text.get(i..)?.first_chunk::<8>() {
        Some(c) => Some(u64::from_le_bytes(*c)),
        None => tail_word(text, i),
    }
}

#[cold]
fn tail_word(text: &[u8], i: usize) -> Option<u64> {
    let t = text.get(i..).filter(|t| !t.is_empty())?;
    let mut w = [0u8; 8];
    let n = t.len().min(8);
    w[..n].copy_from_slice(&t[..n]);
    Some(u64::from_le_bytes(w))
}

/// The length of the character starting at the low byte of `w`.
#[inline(always)]
fn char_len(w: u64) -> usize {
    usize::from(UTF8_LEN[(w & 0xFF) as usize])
}

/// The names and the words in one walk over `text` (each list's matches as if found alone:
/// a list's match hides only that list's later starts inside it). One test per character
/// (against both lists' first bytes) before either list's own.
pub fn each_both(
    text: &str,
    names: &NameFinder,
    words: &WordFinder,
    mut on_name: impl FnMut(usize, usize, usize),
    mut on_word: impl FnMut(usize, usize, usize),
) {
    let mut firsts = words.starts.firsts.clone();
    for (f, n) in firsts.iter_mut().zip(names.starts.firsts.iter()) {
        *f |= n;
    }
    let b = text.as_bytes();
    let (mut name_next, mut word_next) = (0, 0);
    let mut i = 0;
    // `i` visits every character boundary.
    while let Some(w) = word_at(b, i) {
        if has(&firsts, key3(w)) {
            if i >= name_next
                && names.starts.may_start_keyed(w)
                && let Some((len, p)) = names.longest_at(&b[i..])
            {
                on_name(i, i + len, p);
                name_next = i + len;
            }
            if i >= word_next
                && words.starts.may_start_keyed(w)
                && let Some((end, p)) = words.longest_at(b, i)
            {
                on_word(i, end, p);
                word_next = end;
            }
        }
        i += char_len(w);
    }
}

/// The length of the UTF-8 character starting with a byte (1 for bytes that start none).
static UTF8_LEN: [u8; 256] = {
    let mut t = [1u8; 256];
    let mut i = 0xC0;
    while i < 256 {
        t[i] = if i < 0xE0 {
            2
        } else if i < 0xF0 {
            3
        } else {
            4
        };
        i += 1;
    }
    t
};

/// Finds a fixed set of names (all distinct, case-sensitive).
pub struct NameFinder {
    starts: Starts,
    /// (first three bytes' key, name, pattern index), by key, longest first. Two-byte names
    /// go to `short` (their key depends on the byte after them).
    long: Vec<(u16, Box<[u8]>, usize)>,
    short: Vec<(Box<[u8]>, usize)>,
    /// When many names share a first character (or are two bytes long), trying each in turn
    /// would make a script with thousands of names quadratic: a trie of the names then says
    /// which is longest.
    many: Option<Prefixes>,
}

/// Past this many names to try at one position, [`NameFinder`] asks a trie instead.
const MANY_NAMES: usize = 32;

impl NameFinder {
    /// `patterns[i]` is reported as pattern `i`. Names shorter than two bytes never match.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Self {
        let mut f = NameFinder {
            starts: Starts::new(false),
            long: Vec::new(),
            short: Vec::new(),
            many: None,
        };
        for (i, p) in patterns.iter().enumerate() {
            let b = p.as_ref().as_bytes();
            match *b {
                [] | [_] => continue,
                [_, _] => f.short.push((b.into(), i)),
                [b0, b1, b2, ..] => {
                    let k = key3(u64::from_le_bytes([b0, b1, b2, 0, 0, 0, 0, 0]));
                    f.long.push((k, b.into(), i));
                }
            }
            f.starts.add(b);
        }
        f.long
            .sort_by(|a, b| a.0.cmp(&b.0).then(b.1.len().cmp(&a.1.len())));
        if f.short.len() > MANY_NAMES || longest_run(&f.long) > MANY_NAMES {
            // Names that never match are left empty, which the trie skips.
            let words = patterns.iter().map(|p| p.as_ref().as_bytes());
            let words: Vec<&[u8]> = words
                .map(|w| if w.len() < 2 { &[][..] } else { w })
                .collect();
            f.many = Some(Prefixes::new(&words, false));
        }
        f
    }

    /// Call `f(start, end, pattern)` for each leftmost-longest match in `text`, in order.
    pub fn each(&self, text: &str, mut f: impl FnMut(usize, usize, usize)) {
        if self.long.is_empty() && self.short.is_empty() {
            return;
        }
        let b = text.as_bytes();
        let mut i = 0;
        while let Some(w) = word_at(b, i) {
            if self.starts.may_start(w)
                && let Some((len, p)) = self.longest_at(&b[i..])
            {
                f(i, i + len, p);
                i += len;
                continue;
            }
            i += char_len(w);
        }
    }

    /// The longest name `rest` starts with.
    fn longest_at(&self, rest: &[u8]) -> Option<(usize, usize)> {
        if let Some(trie) = &self.many {
            return trie.longest_at(rest, 0);
        }
        let long = match rest {
            [b0, b1, b2, ..] => {
                let k = key3(u64::from_le_bytes([*b0, *b1, *b2, 0, 0, 0, 0, 0]));
                let from = self.long.partition_point(|n| n.0 < k);
                self.long[from..]
                    .iter()
                    .take_while(|n| n.0 == k)
                    .find(|n| rest.starts_with(&n.1))
                    .map(|n| (n.1.len(), n.2))
            }
            _ => None,
        };
        long.or_else(|| {
            self.short
                .iter()
                .find(|n| rest.starts_with(&n.0))
                .map(|n| (2, n.1))
        })
    }
}

/// The most names that share one key (and are tried one by one at a position).
fn longest_run(long: &[(u16, Box<[u8]>, usize)]) -> usize {
    long.chunk_by(|a, b| a.0 == b.0)
        .map(<[_]>::len)
        .max()
        .unwrap_or(0)
}

/// Finds a fixed word list, ASCII letters in either case: a trie of the (lowercased) words
/// says which is longest where [`Starts`] stops.
pub struct WordFinder {
    starts: Starts,
    trie: Prefixes,
}

impl WordFinder {
    /// `words[i]` is reported as pattern `i` (each at least one byte long).
    pub fn new<S: AsRef<[u8]>>(words: &[S]) -> Self {
        let mut starts = Starts::new(true);
        for w in words {
            starts.add(w.as_ref());
        }
        WordFinder {
            starts,
            trie: Prefixes::new(words, true),
        }
    }

    /// Call `f(start, end, pattern)` for each leftmost-longest match in `text`, in order.
    pub fn each(&self, text: &str, mut f: impl FnMut(usize, usize, usize)) {
        let b = text.as_bytes();
        let mut i = 0;
        while let Some(w) = word_at(b, i) {
            if self.starts.may_start(w)
                && let Some((end, p)) = self.longest_at(b, i)
            {
                f(i, end, p);
                i = end;
                continue;
            }
            i += char_len(w);
        }
    }

    /// The longest word starting at `i`: (end, pattern).
    fn longest_at(&self, b: &[u8], i: usize) -> Option<(usize, usize)> {
        self.trie.longest_at(b, i)
    }
}

/// A trie of words (ASCII letters lowercased when folding), walked from one position only.
/// An anchored Aho-Corasick automaton answered the same, but its build (failure links
/// included, which an anchored walk never takes) was a seventh of a cold run.
struct Prefixes {
    /// Whether ASCII letters match in either case.
    fold: bool,
    /// The root's child per byte (0: none; the root is node 0, so no child is).
    root: [u32; 256],
    /// Per node: its children are `labels[first[n]..first[n + 1]]` (sorted), to `child[..]`.
    first: Vec<u32>,
    labels: Vec<u8>,
    child: Vec<u32>,
    /// Per node: the word ending there (the first given, for words equal once lowercased).
    word: Vec<Option<u32>>,
}

impl Prefixes {
    /// `words[i]` is reported as word `i`; empty words never match.
    fn new<S: AsRef<[u8]>>(words: &[S], fold: bool) -> Self {
        let low = |c: u8| if fold { c.to_ascii_lowercase() } else { c };
        // Build with a child list per node, then lay the lists out sorted in one array.
        let mut kids: Vec<Vec<(u8, u32)>> = vec![Vec::new()];
        let mut word: Vec<Option<u32>> = vec![None];
        for (id, w) in words.iter().enumerate() {
            let mut n = 0usize;
            for &c in w.as_ref() {
                let c = low(c);
                n = match kids[n].iter().find(|k| k.0 == c) {
                    Some(&(_, k)) => k as usize,
                    None => {
                        let k = kids.len();
                        kids[n].push((c, k as u32));
                        kids.push(Vec::new());
                        word.push(None);
                        k
                    }
                };
            }
            if n != 0 && word[n].is_none() {
                word[n] = Some(id as u32);
            }
        }
        let mut root = [0u32; 256];
        for &(c, k) in &kids[0] {
            root[usize::from(c)] = k;
        }
        let (mut first, mut labels, mut child) = (Vec::new(), Vec::new(), Vec::new());
        for mut ks in kids {
            ks.sort_unstable_by_key(|k| k.0);
            first.push(labels.len() as u32);
            labels.extend(ks.iter().map(|k| k.0));
            child.extend(ks.iter().map(|k| k.1));
        }
        first.push(labels.len() as u32);
        Prefixes {
            fold,
            root,
            first,
            labels,
            child,
            word,
        }
    }

    /// The longest word `b` has at `i`: (end, word).
    fn longest_at(&self, b: &[u8], i: usize) -> Option<(usize, usize)> {
        let low = |c: u8| if self.fold { c.to_ascii_lowercase() } else { c };
        let mut best = None;
        let mut n = *self.root.get(usize::from(low(*b.get(i)?)))? as usize;
        let mut j = i + 1;
        while n != 0 {
            if let Some(w) = self.word[n] {
                best = Some((j, w as usize));
            }
            let Some(&c) = b.get(j) else { break };
            let (from, to) = (self.first[n] as usize, self.first[n + 1] as usize);
            let labels = &self.labels[from..to];
            n = match labels.binary_search(&low(c)) {
                Ok(k) => self.child[from + k] as usize,
                Err(_) => 0,
            };
            j += 1;
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasickBuilder, MatchKind};
    use proptest::prelude::*;

    fn ours(pats: &[String], text: &str) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        NameFinder::new(pats).each(text, |s, e, p| out.push((s, e, p)));
        out
    }

    fn theirs(pats: &[String], text: &str) -> Vec<(usize, usize, usize)> {
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(pats)
            .expect("small pattern set");
        ac.find_iter(text)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect()
    }

    #[test]
    fn longest_name_wins_and_matches_do_not_overlap() {
        let pats: Vec<String> = ["小宝", "林小宝", "宝贝", "ZOE", "ZOE STERLING", "Zoe"]
            .map(String::from)
            .to_vec();
        let text = "林小宝贝和小宝贝，ZOE STERLING and ZOE met Zoe.";
        assert_eq!(ours(&pats, text), theirs(&pats, text));
        assert_eq!(ours(&pats, text).len(), 5);
    }

    #[test]
    fn lowering_words() {
        let w = u64::from_le_bytes(*b"AZaz@[\xC3\x81");
        assert_eq!(lower8(w).to_le_bytes(), *b"azaz@[\xC3\x81");
        for b in 0..=255u8 {
            let w = u64::from_le_bytes([b; 8]);
            assert_eq!(lower8(w), u64::from_le_bytes([b.to_ascii_lowercase(); 8]));
        }
    }

    #[test]
    fn no_names_no_matches() {
        assert!(ours(&[], "小宝").is_empty());
        assert!(ours(&["宝".to_string()], "宝").len() == 1);
    }

    fn words_ours(pats: &[String], text: &str) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        let f = WordFinder::new(pats);
        f.each(text, |s, e, p| out.push((s, e, p)));
        out
    }

    fn words_theirs(pats: &[String], text: &str) -> Vec<(usize, usize, usize)> {
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(pats)
            .expect("small pattern set");
        ac.find_iter(text)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect()
    }

    type Matches = Vec<(usize, usize, usize)>;

    /// Each word once, first occurrence kept (finders take distinct words).
    fn distinct(words: Vec<String>) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        words
            .into_iter()
            .filter(|w| seen.insert(w.clone()))
            .collect()
    }

    /// Both lists in one walk, as each alone.
    fn both(names: &[String], words: &[String], text: &str) -> (Matches, Matches) {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let w = WordFinder::new(words);
        each_both(
            text,
            &NameFinder::new(names),
            &w,
            |s, e, p| a.push((s, e, p)),
            |s, e, p| b.push((s, e, p)),
        );
        (a, b)
    }

    #[test]
    fn words_fold_ascii_case() {
        let pats: Vec<String> = [
            "kid",
            "ex",
            "ex-wife",
            "小孩",
            "小孩子",
            "first-grade teacher",
        ]
        .map(String::from)
        .to_vec();
        let text = "The KID's Ex-Wife, a First-Grade Teacher, next to 小孩子 and a kid";
        assert_eq!(words_ours(&pats, text), words_theirs(&pats, text));
        assert_eq!(words_ours(&pats, text).len(), 6);
    }

    proptest! {
        #[test]
        fn words_same_as_aho_corasick(
            pats in prop::collection::vec("[小孩子aAbB -]{1,6}", 1..10),
            text in "[小孩子aAbB ,-]{0,40}",
        ) {
            let pats = distinct(pats);
            prop_assert_eq!(words_ours(&pats, &text), words_theirs(&pats, &text));
        }

        #[test]
        fn one_walk_same_as_two(
            names in prop::collection::vec("[小孩宝aAbB]{2,4}", 0..6),
            words in prop::collection::vec("[小孩子aAbB -]{1,6}", 1..8),
            text in "[小孩子宝aAbB ,-]{0,40}",
        ) {
            let (names, words) = (distinct(names), distinct(words));
            let (a, b) = both(&names, &words, &text);
            prop_assert_eq!(a, theirs(&names, &text));
            prop_assert_eq!(b, words_theirs(&words, &text));
        }

        #[test]
        fn same_matches_as_aho_corasick(
            pats in prop::collection::vec("[小宝林aAbB ]{2,5}", 0..8),
            text in "[小宝林贝aAbB ,]{0,40}",
        ) {
            let pats = distinct(pats);
            prop_assert_eq!(ours(&pats, &text), theirs(&pats, &text));
        }

        /// Past [`MANY_NAMES`] sharing a first character, the trie answers, the same way.
        #[test]
        fn many_names_same_matches(
            pats in prop::collection::vec("小[小宝林aAbB ]{1,4}|[ab][小宝ab]", 40..90),
            text in "[小宝林贝aAbB ,]{0,60}",
        ) {
            let pats = distinct(pats);
            prop_assert_eq!(ours(&pats, &text), theirs(&pats, &text));
        }
    }

    #[test]
    fn many_names_use_the_trie() {
        let pats: Vec<String> = (0..100).map(|i| format!("小{i}")).collect();
        let f = NameFinder::new(&pats);
        assert!(f.many.is_some());
        let text = "小7和小42，小100不是";
        assert_eq!(ours(&pats, text), theirs(&pats, text));
        assert_eq!(ours(&pats, text).len(), 3);
        assert!(NameFinder::new(&pats[..10]).many.is_none());
    }
}
