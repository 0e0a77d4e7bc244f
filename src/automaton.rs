//! The rules' trigger automaton: every occurrence of every word (Aho-Corasick's standard,
//! overlapping semantics), starting as a trie with failure links that is cheap to build and
//! becoming a DFA once a run has scanned enough text to pay for one. A one-file run (an editor,
//! a pre-commit hook) never builds the DFA; a catalogue run builds it after the first few
//! scripts and then scans several times faster. Both report what `aho_corasick` reports, in
//! its order.

mod tables;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, BuildError, MatchKind};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use tables::{NONE, ROOT, View};

/// The default packs' trigger tries, built by `build.rs` with [`tables::build`]: `ALL`.
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/trigger_tries.rs"));
}

/// A word list embedded with its trie: the words one after another, and where each ends.
struct Words {
    bytes: &'static [u8],
    ends: &'static [u32],
}

impl Words {
    /// Whether the list is exactly `words`.
    fn equals(&self, words: &[Vec<u8>]) -> bool {
        self.ends.len() == words.len()
            && words
                .iter()
                .zip(self.ends)
                .try_fold(0usize, |start, (w, &end)| {
                    let end = end as usize;
                    (self.bytes.get(start..end) == Some(w.as_slice())).then_some(end)
                })
                .is_some()
    }
}

/// Bytes an [`Overlapping`] automaton scans with its trie before it builds its DFA: the DFA
/// takes a few milliseconds to build and scans several times faster, so it pays after a few
/// scripts; a one-file run never builds it.
pub const TRIE_DFA_AFTER: usize = 256 << 10;

/// Most DFA transitions (states × byte classes) an [`Overlapping`] automaton builds; beyond
/// that it keeps scanning with its trie.
const DFA_MAX: usize = 1 << 25;

/// An automaton for overlapping searches with standard semantics (every occurrence of every
/// word), as the rules' triggers need. It starts as a trie with failure links built here,
/// which takes a fifth of the time `aho_corasick` takes to build its NFA over the same words
/// (the critical path of a one-file run), and becomes a DFA made from that trie once the run
/// has scanned `dfa_after` bytes. Both report what `AhoCorasick::find_overlapping_iter`
/// reports, in its order (see [`TrieNfa`]).
pub struct Overlapping {
    first: First,
    builder: AhoCorasickBuilder,
    words: Vec<Vec<u8>>,
    dfa: OnceLock<Option<Later>>,
    scanned: AtomicUsize,
    dfa_after: usize,
}

/// What an [`Overlapping`] automaton scans with before its DFA exists.
enum First {
    Trie(Box<TrieNfa>),
    /// For word lists the trie does not take (an empty word, absurd sizes).
    Ac(AhoCorasick),
}

/// And after.
enum Later {
    Dfa(TrieDfa),
    Ac(AhoCorasick),
}

impl Overlapping {
    pub fn new(
        words: Vec<Vec<u8>>,
        ascii_case_insensitive: bool,
        dfa_after: usize,
    ) -> Result<Overlapping, BuildError> {
        let mut builder = AhoCorasickBuilder::new();
        builder
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(ascii_case_insensitive);
        let trie = TrieNfa::embedded(&words, ascii_case_insensitive)
            .or_else(|| TrieNfa::new(&words, ascii_case_insensitive));
        let first = match trie {
            Some(t) => First::Trie(Box::new(t)),
            None => First::Ac(
                builder
                    .clone()
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .prefilter(false)
                    .build(&words)?,
            ),
        };
        Ok(Overlapping {
            first,
            builder,
            words,
            dfa: OnceLock::new(),
            scanned: AtomicUsize::new(0),
            dfa_after,
        })
    }

    /// The automaton to scan `len` more bytes with.
    pub fn get(&self, len: usize) -> Scanner<'_> {
        if let Some(d) = self.dfa.get() {
            return self.later(d.as_ref());
        }
        let seen = self.scanned.fetch_add(len, Ordering::Relaxed) + len;
        if seen < self.dfa_after {
            return self.first();
        }
        let later = self.dfa.get_or_init(|| match &self.first {
            First::Trie(t) => t.dfa().map(Later::Dfa),
            // A DFA over its size limit is no error: the first automaton goes on serving.
            First::Ac(_) => self
                .builder
                .clone()
                .kind(Some(AhoCorasickKind::DFA))
                .build(&self.words)
                .ok()
                .map(Later::Ac),
        });
        self.later(later.as_ref())
    }

    fn later<'a>(&'a self, later: Option<&'a Later>) -> Scanner<'a> {
        match (later, &self.first) {
            (Some(Later::Dfa(d)), First::Trie(t)) => Scanner::Dfa(t, d),
            (Some(Later::Ac(a)), _) => Scanner::Ac(a),
            _ => self.first(),
        }
    }

    fn first(&self) -> Scanner<'_> {
        match &self.first {
            First::Trie(t) => Scanner::Trie(t),
            First::Ac(a) => Scanner::Ac(a),
        }
    }
}

/// An automaton to run one overlapping search with.
#[derive(Clone, Copy)]
pub enum Scanner<'a> {
    Trie(&'a TrieNfa),
    Dfa(&'a TrieNfa, &'a TrieDfa),
    Ac(&'a AhoCorasick),
}

impl<'a> Scanner<'a> {
    /// Every occurrence of every word: by end, then longest first (then by word index among
    /// words equal up to ASCII case), as `AhoCorasick::find_overlapping_iter` reports them.
    pub fn find_overlapping_iter<'h, H: AsRef<[u8]> + ?Sized>(
        &self,
        haystack: &'h H,
    ) -> ScanIter<'a, 'h> {
        match *self {
            Scanner::Trie(t) => ScanIter::Trie(t.find_overlapping_iter(haystack.as_ref())),
            Scanner::Dfa(t, d) => ScanIter::Dfa(d.find_overlapping_iter(t, haystack.as_ref())),
            Scanner::Ac(a) => ScanIter::Ac(a.find_overlapping_iter(haystack)),
        }
    }
}

impl Scanner<'_> {
    /// Calls `f` with every match [`Scanner::find_overlapping_iter`] reports, in its order.
    /// A DFA scans a long haystack as several interleaved streams (see
    /// [`TrieDfa::for_each_overlapping`]).
    pub fn for_each_overlapping(&self, haystack: &[u8], mut f: impl FnMut(aho_corasick::Match)) {
        match *self {
            Scanner::Dfa(t, d) => d.for_each_overlapping(t, haystack, STREAMS_FROM, f),
            _ => self.find_overlapping_iter(haystack).for_each(&mut f),
        }
    }
}

/// Shortest haystack a [`TrieDfa`] scans as interleaved streams.
const STREAMS_FROM: usize = 4096;

pub enum ScanIter<'a, 'h> {
    Trie(TrieIter<'a, 'h>),
    Dfa(DfaIter<'a, 'h>),
    Ac(aho_corasick::FindOverlappingIter<'a, 'h>),
}

impl Iterator for ScanIter<'_, '_> {
    type Item = aho_corasick::Match;

    fn next(&mut self) -> Option<aho_corasick::Match> {
        match self {
            ScanIter::Trie(t) => t.next(),
            ScanIter::Dfa(d) => d.next(),
            ScanIter::Ac(a) => a.next(),
        }
    }
}

/// A standard Aho-Corasick automaton: a trie of the words (ASCII-lowercased when case is
/// ignored, the haystack lowercased as it is read) with failure links. Each state's match
/// list is its own words (in index order) followed by its failure state's list, which is how
/// `aho_corasick` orders them, so overlapping searches report the same matches in the same
/// order. Its tables ([`tables`]) are built from the words, or for the default packs' trigger
/// words were built by `build.rs` and are embedded in the binary.
pub struct TrieNfa {
    store: Store,
}

/// Where a [`TrieNfa`]'s tables are.
enum Store {
    Built(Box<tables::Tables>),
    /// The embedded tables, and their dense rows (not embedded: see [`tables::dense_rows`]).
    Embedded(&'static View<'static>, Vec<u32>),
}

impl TrieNfa {
    /// None for a word list it does not take (an empty word, absurd sizes).
    pub fn new(words: &[Vec<u8>], ascii_case_insensitive: bool) -> Option<TrieNfa> {
        let t = tables::build(words, ascii_case_insensitive)?;
        Some(TrieNfa {
            store: Store::Built(Box::new(t)),
        })
    }

    /// The embedded trie of exactly these words, if `build.rs` made one (the default packs'
    /// trigger words of a language, ASCII case ignored): a cold run then builds no trie.
    /// Comparing the words costs a few hundredths of building the trie.
    pub fn embedded(words: &[Vec<u8>], ascii_case_insensitive: bool) -> Option<TrieNfa> {
        if !ascii_case_insensitive {
            return None;
        }
        let &(_, v) = embedded::ALL
            .iter()
            .find(|(known, _)| known.equals(words))?;
        let dense = tables::dense_rows(v.dense_row, v.edges, v.bytes, v.next);
        Some(TrieNfa {
            store: Store::Embedded(v, dense),
        })
    }

    /// Whether the tables are the embedded ones.
    pub fn is_embedded(&self) -> bool {
        matches!(self.store, Store::Embedded(..))
    }

    fn view(&self) -> View<'_> {
        match &self.store {
            Store::Built(t) => t.view(),
            Store::Embedded(v, dense) => View { dense, ..**v },
        }
    }

    /// The DFA of this automaton (None if too big): one row of next states per state and
    /// byte class, a state's row being its failure state's with its own transitions written
    /// over it. Its states are the trie's, so it reports the same matches.
    pub fn dfa(&self) -> Option<TrieDfa> {
        let v = self.view();
        // Class 0: every byte no word holds (it leads back to the root from anywhere).
        let mut used = [false; 256];
        for &b in v.bytes {
            used[b as usize] = true;
        }
        let mut of_folded = [0u8; 256];
        let mut stride = 1usize;
        for b in 0..256 {
            if used[b] {
                of_folded[b] = stride as u8;
                stride += 1;
            }
        }
        if stride > 256 {
            // Every byte value is used: the class id would not fit in a byte.
            return None;
        }
        let mut class = Box::new([0u8; 256]);
        for (b, c) in class.iter_mut().enumerate() {
            *c = of_folded[v.fold[b] as usize];
        }
        let n = v.fail.len();
        if n.checked_mul(stride)? > DFA_MAX {
            return None;
        }
        // Rows in breadth-first order (row i is state `order[i]`; the root's is 0), so a
        // state's failure row is final before its own is made. Entries: see [`TrieDfa`].
        let mut rank = vec![0u32; n];
        for (i, &s) in v.order.iter().enumerate() {
            rank[s as usize] = i as u32;
        }
        let entry = |s: u32| {
            let flag = if v.matches[s as usize].1 != 0 {
                MATCH
            } else {
                0
            };
            (rank[s as usize] * stride as u32) | flag
        };
        // Unset entries lead to the root (row 0, which has no words: none is empty).
        let mut table = vec![0u32; n * stride];
        for (i, &s) in v.order.iter().enumerate() {
            let s = s as usize;
            if i != 0 {
                let f = rank[v.fail[s] as usize] as usize;
                table.copy_within(f * stride..(f + 1) * stride, i * stride);
            }
            for e in v.edges[s] as usize..v.edges[s + 1] as usize {
                table[i * stride + of_folded[v.bytes[e] as usize] as usize] = entry(v.next[e]);
            }
        }
        Some(TrieDfa {
            class,
            stride,
            table,
        })
    }

    pub fn find_overlapping_iter<'a, 'h>(&'a self, haystack: &'h [u8]) -> TrieIter<'a, 'h> {
        TrieIter {
            nfa: self.view(),
            hay: haystack,
            at: 0,
            state: ROOT,
            pending: 0..0,
        }
    }
}

/// The match `pids[i]` of a trie names, ending at `end`.
#[inline]
fn found(v: &View<'_>, i: usize, end: usize) -> aho_corasick::Match {
    let pid = v.pids[i] as usize;
    aho_corasick::Match::must(pid, end - v.lens[pid] as usize..end)
}

/// Overlapping matches of a [`TrieNfa`].
pub struct TrieIter<'a, 'h> {
    nfa: View<'a>,
    hay: &'h [u8],
    /// Bytes read.
    at: usize,
    state: u32,
    /// Matches of the current state still to report (indices into `pids`).
    pending: std::ops::Range<usize>,
}

impl Iterator for TrieIter<'_, '_> {
    type Item = aho_corasick::Match;

    fn next(&mut self) -> Option<aho_corasick::Match> {
        let nfa = self.nfa;
        loop {
            if let Some(i) = self.pending.next() {
                return Some(found(&nfa, i, self.at));
            }
            let &b = self.hay.get(self.at)?;
            let b = nfa.fold[b as usize];
            let mut s = self.state;
            self.state = loop {
                let x = nfa.step(s, b);
                if x != NONE {
                    break x;
                }
                s = nfa.fail[s as usize];
            };
            self.at += 1;
            let (ms, ml) = nfa.matches[self.state as usize];
            self.pending = ms as usize..(ms + ml) as usize;
        }
    }
}

/// The DFA of a [`TrieNfa`] (see [`TrieNfa::dfa`]); match lists are the trie's.
///
/// Laid out for the scan loop, which is bound by the latency of one table load per byte:
/// rows are in breadth-first order (the states near the root, where a scan spends most of
/// its bytes, share a few cache lines instead of being spread over a table of megabytes),
/// and each entry is the next state's row offset with [`MATCH`] set when that state has
/// words to report, so a step is one load and no lookup of the state's match list.
pub struct TrieDfa {
    /// Byte → class (ASCII case folded in).
    class: Box<[u8; 256]>,
    /// Classes per row.
    stride: usize,
    /// Row offset (breadth-first rank × stride) of the next state, `| MATCH` if it has matches.
    table: Vec<u32>,
}

/// Flag on a [`TrieDfa`] entry: the state it leads to has words to report. Row offsets stay
/// below it (a table holds at most [`DFA_MAX`] entries).
const MATCH: u32 = 1 << 31;

impl TrieDfa {
    pub fn find_overlapping_iter<'a, 'h>(
        &'a self,
        nfa: &'a TrieNfa,
        haystack: &'h [u8],
    ) -> DfaIter<'a, 'h> {
        DfaIter {
            dfa: self,
            nfa: nfa.view(),
            hay: haystack,
            at: 0,
            row: 0,
            pending: 0..0,
        }
    }
}

/// Independent scans a [`TrieDfa`] interleaves over one long haystack.
const LANES: usize = 4;

impl TrieDfa {
    /// Calls `f` with every match [`TrieDfa::find_overlapping_iter`] reports, in its order.
    ///
    /// A scan step waits for the previous step's table load, so one scan runs at the
    /// latency of a load per byte. From `streams_from` bytes the haystack is cut into
    /// [`LANES`] parts scanned in one loop, each step advancing every part, so the loads
    /// overlap. A part starts at the root a longest word's length (less one) before its
    /// first byte and reports only matches ending inside it: every word ending there starts
    /// at or after the part's start, so its state there reports exactly what a scan from
    /// the haystack's start reports. Parts report in haystack order.
    pub fn for_each_overlapping(
        &self,
        nfa: &TrieNfa,
        hay: &[u8],
        streams_from: usize,
        mut f: impl FnMut(aho_corasick::Match),
    ) {
        if hay.len() < streams_from.max(LANES) {
            self.find_overlapping_iter(nfa, hay).for_each(f);
            return;
        }
        let v = nfa.view();
        let back = v.lens.iter().copied().max().unwrap_or(1).saturating_sub(1) as usize;
        let part = hay.len() / LANES;
        // Lane k reports ends in (own[k], own[k + 1]], reading from `from[k]`.
        let own: [usize; LANES + 1] =
            std::array::from_fn(|k| if k == LANES { hay.len() } else { k * part });
        let from: [usize; LANES] = std::array::from_fn(|k| own[k].saturating_sub(back));
        let mut at = from;
        let mut row = [0u32; LANES];
        // (lane, end, state row) of every step into a state with words, per lane in order.
        let mut hits: [Vec<(usize, u32)>; LANES] = Default::default();
        let (table, class) = (self.table.as_slice(), &*self.class);
        // Lockstep while every lane has bytes left.
        let steps = (0..LANES).map(|k| own[k + 1] - from[k]).min().unwrap_or(0);
        for _ in 0..steps {
            for k in 0..LANES {
                let x = table[row[k] as usize + class[hay[at[k]] as usize] as usize];
                at[k] += 1;
                row[k] = x & !MATCH;
                if x & MATCH != 0 && at[k] > own[k] {
                    hits[k].push((at[k], row[k]));
                }
            }
        }
        for k in 0..LANES {
            while at[k] < own[k + 1] {
                let x = table[row[k] as usize + class[hay[at[k]] as usize] as usize];
                at[k] += 1;
                row[k] = x & !MATCH;
                if x & MATCH != 0 && at[k] > own[k] {
                    hits[k].push((at[k], row[k]));
                }
            }
        }
        for &(end, row) in hits.iter().flatten() {
            let s = v.order[row as usize / self.stride] as usize;
            let (ms, ml) = v.matches[s];
            for i in ms as usize..(ms + ml) as usize {
                f(found(&v, i, end));
            }
        }
    }
}

/// Overlapping matches of a [`TrieDfa`].
pub struct DfaIter<'a, 'h> {
    dfa: &'a TrieDfa,
    nfa: View<'a>,
    hay: &'h [u8],
    at: usize,
    /// The current state's row offset (the root's is 0).
    row: u32,
    pending: std::ops::Range<usize>,
}

impl Iterator for DfaIter<'_, '_> {
    type Item = aho_corasick::Match;

    fn next(&mut self) -> Option<aho_corasick::Match> {
        let (dfa, nfa) = (self.dfa, self.nfa);
        loop {
            if let Some(i) = self.pending.next() {
                return Some(found(&nfa, i, self.at));
            }
            let (table, class) = (dfa.table.as_slice(), &*dfa.class);
            let mut row = self.row;
            let mut at = self.at;
            // Straight through states with nothing to report.
            let x = loop {
                let Some(&b) = self.hay.get(at) else {
                    self.at = at;
                    self.row = row;
                    return None;
                };
                let x = table[row as usize + class[b as usize] as usize];
                at += 1;
                if x & MATCH != 0 {
                    break x;
                }
                row = x;
            };
            self.at = at;
            self.row = x & !MATCH;
            let s = nfa.order[self.row as usize / dfa.stride] as usize;
            let (ms, ml) = nfa.matches[s];
            self.pending = ms as usize..(ms + ml) as usize;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn standard(words: &[Vec<u8>], ci: bool, kind: AhoCorasickKind) -> AhoCorasick {
        AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(ci)
            .kind(Some(kind))
            .build(words)
            .unwrap()
    }

    fn all(it: impl Iterator<Item = aho_corasick::Match>) -> Vec<(usize, usize, usize)> {
        it.map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect()
    }

    /// The trie reports what `aho_corasick` reports, in its order, with and without case.
    fn same_as_aho_corasick(words: &[Vec<u8>], hay: &[u8]) {
        for ci in [false, true] {
            let t = TrieNfa::new(words, ci).unwrap();
            let got = all(t.find_overlapping_iter(hay));
            let d = t.dfa().unwrap();
            assert_eq!(all(d.find_overlapping_iter(&t, hay)), got);
            for kind in [AhoCorasickKind::ContiguousNFA, AhoCorasickKind::DFA] {
                let want = all(standard(words, ci, kind).find_overlapping_iter(hay));
                assert_eq!(got, want, "ci {ci} {kind:?} words {words:?}");
            }
        }
    }

    #[test]
    fn trie_matches_like_aho_corasick() {
        let words: Vec<Vec<u8>> = [
            "他", "他们", "们", "打他", "KID", "kid", "Kids", "i", "d", "打",
        ]
        .iter()
        .map(|w| w.as_bytes().to_vec())
        .collect();
        same_as_aho_corasick(&words, "打他们的kids, KIDS 和 Kid。他".as_bytes());
        assert!(TrieNfa::new(&[Vec::new()], true).is_none());
    }

    #[test]
    fn overlapping_scans_the_same_before_and_after_its_dfa() {
        let words: Vec<Vec<u8>> = ["小孩", "孩子", "Kid", "kids"]
            .map(|w| w.as_bytes().to_vec())
            .to_vec();
        let o = Overlapping::new(words, true, 10).unwrap();
        let hay = "那个小孩子和KIDS在一起, a kid.";
        let first = all(o.get(5).find_overlapping_iter(hay));
        assert!(matches!(o.get(0), Scanner::Trie(_)));
        let second = all(o.get(100).find_overlapping_iter(hay));
        assert!(matches!(o.get(0), Scanner::Dfa(..)));
        assert_eq!(first, second);
        assert_eq!(first.len(), 5);
        let empty = Overlapping::new(vec![Vec::new(), b"a".to_vec()], false, 10).unwrap();
        assert!(matches!(empty.get(0), Scanner::Ac(_)));
    }

    impl Words {
        fn to_vecs(&self) -> Vec<Vec<u8>> {
            let mut start = 0;
            self.ends
                .iter()
                .map(|&end| {
                    let w = self.bytes[start..end as usize].to_vec();
                    start = end as usize;
                    w
                })
                .collect()
        }
    }

    fn same_tables(a: View<'_>, b: View<'_>) {
        assert_eq!(a.fold, b.fold);
        assert_eq!(a.dense_row, b.dense_row);
        assert_eq!(a.dense, b.dense);
        assert_eq!(a.edges, b.edges);
        assert_eq!(a.bytes, b.bytes);
        assert_eq!(a.next, b.next);
        assert_eq!(a.fail, b.fail);
        assert_eq!(a.matches, b.matches);
        assert_eq!(a.pids, b.pids);
        assert_eq!(a.lens, b.lens);
        assert_eq!(a.order, b.order);
    }

    #[test]
    fn embedded_tries_equal_the_ones_built_at_run_time() {
        assert_eq!(embedded::ALL.len(), 4);
        for (words, _) in embedded::ALL {
            let words = words.to_vecs();
            let e = TrieNfa::embedded(&words, true).expect("its own words");
            assert!(e.is_embedded());
            let built = TrieNfa::new(&words, true).unwrap();
            assert!(!built.is_embedded());
            same_tables(e.view(), built.view());
            assert!(TrieNfa::embedded(&words, false).is_none());
            assert!(TrieNfa::embedded(&words[1..], true).is_none());
            let mut other = words.clone();
            other[words.len() / 2].push(b'x');
            assert!(TrieNfa::embedded(&other, true).is_none());
            // The same matches, from the trie and from its DFA.
            let hay: Vec<u8> = words.iter().rev().take(300).flatten().copied().collect();
            let want = all(built.find_overlapping_iter(&hay));
            assert!(!want.is_empty());
            assert_eq!(all(e.find_overlapping_iter(&hay)), want);
            let d = e.dfa().unwrap();
            assert_eq!(all(d.find_overlapping_iter(&e, &hay)), want);
        }
    }

    /// The interleaved scan reports what the one-stream scan reports, in its order.
    fn lanes_same_as_one_stream(words: &[Vec<u8>], hay: &[u8]) {
        for ci in [false, true] {
            let t = TrieNfa::new(words, ci).unwrap();
            let d = t.dfa().unwrap();
            let want = all(d.find_overlapping_iter(&t, hay));
            for from in [0, 1, 7, hay.len()] {
                let mut got = Vec::new();
                d.for_each_overlapping(&t, hay, from, |m| got.push(m));
                assert_eq!(all(got.into_iter()), want, "ci {ci} from {from}");
            }
        }
    }

    #[test]
    fn lanes_scan_like_one_stream() {
        let words: Vec<Vec<u8>> = [
            "他",
            "他们",
            "们",
            "打他",
            "KID",
            "kid",
            "i",
            "长长的一个词",
        ]
        .map(|w| w.as_bytes().to_vec())
        .to_vec();
        let hay = "打他们的kids, KIDS 和 Kid。他长长的一个词".repeat(7);
        lanes_same_as_one_stream(&words, hay.as_bytes());
        lanes_same_as_one_stream(&words, b"");
        lanes_same_as_one_stream(&words, "他们".as_bytes());
    }

    proptest! {
        #[test]
        fn lanes_equal_one_stream_on_random_words(
            words in prop::collection::vec("[aAbB他们\\x{e4}]{1,6}", 1..12),
            hay in "[aAbBc他们打\\x{e4}]{0,200}",
        ) {
            let words: Vec<Vec<u8>> = words.iter().map(|w| w.as_bytes().to_vec()).collect();
            lanes_same_as_one_stream(&words, hay.as_bytes());
        }

        #[test]
        fn trie_equals_aho_corasick_on_random_words(
            words in prop::collection::vec("[aAbB他们\\x{e4}]{1,5}", 1..12),
            hay in "[aAbBc他们打\\x{e4}]{0,60}",
        ) {
            let words: Vec<Vec<u8>> = words.iter().map(|w| w.as_bytes().to_vec()).collect();
            same_as_aho_corasick(&words, hay.as_bytes());
        }

        #[test]
        fn trie_equals_aho_corasick_on_random_bytes(
            words in prop::collection::vec(prop::collection::vec(prop::sample::select(vec![0u8, b'a', b'A', b'z', 0xe4, 0xff]), 1..5), 1..12),
            hay in prop::collection::vec(prop::sample::select(vec![0u8, b'a', b'A', b'Z', b'z', 0xe4, 0xff]), 0..80),
        ) {
            same_as_aho_corasick(&words, &hay);
        }
    }
}
