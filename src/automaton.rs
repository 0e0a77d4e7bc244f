//! The rules' trigger automaton: every occurrence of every word (Aho-Corasick's standard,
//! overlapping semantics), starting as a trie with failure links that is cheap to build and
//! becoming a DFA once a run has scanned enough text to pay for one. A one-file run (an editor,
//! a pre-commit hook) never builds the DFA; a catalogue run builds it after the first few
//! scripts and then scans several times faster. Both report what `aho_corasick` reports, in
//! its order.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, BuildError, MatchKind};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Most words or bytes an [`Overlapping`] automaton builds its own trie for; beyond that (far
/// beyond any rule set) the `aho_corasick` NFA is used, with its own limits and errors.
const TRIE_MAX: usize = 1 << 28;

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
        let first = match TrieNfa::new(&words, ascii_case_insensitive) {
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

/// No state.
const NONE: u32 = u32::MAX;
/// The root (start) state.
const ROOT: u32 = 0;

/// A standard Aho-Corasick automaton: a trie of the words (ASCII-lowercased when case is
/// ignored, the haystack lowercased as it is read) with failure links. Each state's match
/// list is its own words (in index order) followed by its failure state's list, which is how
/// `aho_corasick` orders them, so overlapping searches report the same matches in the same
/// order. Built from the words sorted, so the trie takes one pass and no lookups.
pub struct TrieNfa {
    /// Byte → byte as read (ASCII lowercasing, or the identity).
    fold: [u8; 256],
    /// Per state: its row in `dense` (states near the root), or NONE.
    dense_row: Vec<u32>,
    /// Rows of 256 next states (NONE: no transition; the root's missing ones loop to it).
    dense: Vec<u32>,
    /// Per state: its transitions are `bytes[edges[s]..edges[s + 1]]`, sorted by byte.
    edges: Vec<u32>,
    bytes: Vec<u8>,
    next: Vec<u32>,
    fail: Vec<u32>,
    /// Per state: (start, len) of its match list in `pids`.
    matches: Vec<(u32, u32)>,
    pids: Vec<u32>,
    /// Length of each word.
    lens: Vec<u32>,
    /// States breadth first (each after its failure state).
    order: Vec<u32>,
}

/// States at this depth or less get a dense row (the root and the states after one or two
/// bytes: where the trie is wide, as after the first bytes of a Chinese character).
const DENSE_DEPTH: u32 = 2;

impl TrieNfa {
    /// None for a word list it does not take (an empty word, absurd sizes).
    pub fn new(words: &[Vec<u8>], ascii_case_insensitive: bool) -> Option<TrieNfa> {
        let total: usize = words.iter().map(Vec::len).sum();
        if words.iter().any(Vec::is_empty) || words.len() >= TRIE_MAX || total >= TRIE_MAX {
            return None;
        }
        let mut fold = [0u8; 256];
        for (i, f) in fold.iter_mut().enumerate() {
            let b = i as u8;
            *f = if ascii_case_insensitive {
                b.to_ascii_lowercase()
            } else {
                b
            };
        }
        // Words already folded (the usual case: lowercased) are used as they are.
        let keys: Vec<std::borrow::Cow<[u8]>> = words
            .iter()
            .map(|w| {
                if w.iter().all(|&b| fold[b as usize] == b) {
                    std::borrow::Cow::Borrowed(w.as_slice())
                } else {
                    std::borrow::Cow::Owned(w.iter().map(|&b| fold[b as usize]).collect())
                }
            })
            .collect();
        // Words equal once folded keep their index order, as their matches must.
        let mut order: Vec<u32> = (0..words.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]).then(a.cmp(&b)));

        // The trie, in one pass over the sorted words: a word shares the path of the one
        // before it up to their common prefix. Children are created in byte order.
        let mut parent: Vec<u32> = vec![NONE];
        let mut byte: Vec<u8> = vec![0];
        let mut depth: Vec<u32> = vec![0];
        let mut own: Vec<(u32, u32)> = Vec::with_capacity(words.len());
        let mut path: Vec<u32> = vec![ROOT];
        let mut prev: &[u8] = &[];
        for &pid in &order {
            let key = &keys[pid as usize];
            let common = key.iter().zip(prev).take_while(|(a, b)| a == b).count();
            path.truncate(common + 1);
            for (d, &b) in key.iter().enumerate().skip(common) {
                let s = parent.len() as u32;
                parent.push(path[d]);
                byte.push(b);
                depth.push(d as u32 + 1);
                path.push(s);
            }
            own.push((path[key.len()], pid));
            prev = key;
        }
        let n = parent.len();

        // Transitions grouped by state (creation order keeps each group sorted by byte).
        let mut edges = vec![0u32; n + 1];
        for &p in &parent[1..] {
            edges[p as usize + 1] += 1;
        }
        for i in 0..n {
            edges[i + 1] += edges[i];
        }
        let mut fill = edges.clone();
        let mut bytes = vec![0u8; n - 1];
        let mut next = vec![0u32; n - 1];
        for s in 1..n {
            let p = parent[s] as usize;
            let at = fill[p] as usize;
            bytes[at] = byte[s];
            next[at] = s as u32;
            fill[p] += 1;
        }
        let mut dense_row = vec![NONE; n];
        let mut dense = Vec::new();
        for s in (0..n).filter(|&s| depth[s] <= DENSE_DEPTH) {
            let row = dense.len();
            let missing = if s == ROOT as usize { ROOT } else { NONE };
            dense.resize(row + 256, missing);
            for e in edges[s] as usize..edges[s + 1] as usize {
                dense[row + bytes[e] as usize] = next[e];
            }
            dense_row[s] = (row / 256) as u32;
        }
        let mut t = TrieNfa {
            fold,
            dense_row,
            dense,
            edges,
            bytes,
            next,
            fail: vec![ROOT; n],
            matches: vec![(0, 0); n],
            pids: Vec::with_capacity(words.len()),
            lens: words.iter().map(|w| w.len() as u32).collect(),
            order: Vec::new(),
        };
        t.link(&own);
        Some(t)
    }

    /// Failure links and match lists, breadth first: a state's failure state is shallower,
    /// so its list is complete when the state's is made.
    fn link(&mut self, own: &[(u32, u32)]) {
        let n = self.fail.len();
        // `own` is sorted by state: each word's state was created for it or is the previous
        // word's.
        let mut own_at = vec![(0u32, 0u32); n];
        for (i, &(s, _)) in own.iter().enumerate() {
            let e = &mut own_at[s as usize];
            if e.1 == 0 {
                e.0 = i as u32;
            }
            e.1 += 1;
        }
        let mut queue: Vec<u32> = Vec::with_capacity(n);
        queue.push(ROOT);
        let mut head = 0;
        while head < queue.len() {
            let s = queue[head];
            head += 1;
            for e in self.edges[s as usize] as usize..self.edges[s as usize + 1] as usize {
                let (b, c) = (self.bytes[e], self.next[e]);
                queue.push(c);
                let f = if s == ROOT {
                    ROOT
                } else {
                    let mut f = self.fail[s as usize];
                    loop {
                        let x = self.step(f, b);
                        if x != NONE {
                            break x;
                        }
                        f = self.fail[f as usize];
                    }
                };
                self.fail[c as usize] = f;
                let (o, k) = own_at[c as usize];
                let inherited = self.matches[f as usize];
                self.matches[c as usize] = if k == 0 {
                    inherited
                } else {
                    let start = self.pids.len();
                    self.pids
                        .extend(own[o as usize..(o + k) as usize].iter().map(|&(_, p)| p));
                    let (fs, fl) = (inherited.0 as usize, inherited.1 as usize);
                    self.pids.extend_from_within(fs..fs + fl);
                    (start as u32, (self.pids.len() - start) as u32)
                };
            }
        }
        self.order = queue;
    }

    /// The DFA of this automaton (None if too big): one row of next states per state and
    /// byte class, a state's row being its failure state's with its own transitions written
    /// over it. Its states are the trie's, so it reports the same matches.
    pub fn dfa(&self) -> Option<TrieDfa> {
        // Class 0: every byte no word holds (it leads back to the root from anywhere).
        let mut used = [false; 256];
        for &b in &self.bytes {
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
            *c = of_folded[self.fold[b] as usize];
        }
        let n = self.fail.len();
        if n.checked_mul(stride)? > DFA_MAX {
            return None;
        }
        // Rows in breadth-first order (row i is state `order[i]`; the root's is 0), so a
        // state's failure row is final before its own is made. Entries: see [`TrieDfa`].
        let mut rank = vec![0u32; n];
        for (i, &s) in self.order.iter().enumerate() {
            rank[s as usize] = i as u32;
        }
        let entry = |s: u32| {
            let flag = if self.matches[s as usize].1 != 0 {
                MATCH
            } else {
                0
            };
            (rank[s as usize] * stride as u32) | flag
        };
        // Unset entries lead to the root (row 0, which has no words: none is empty).
        let mut table = vec![0u32; n * stride];
        for (i, &s) in self.order.iter().enumerate() {
            let s = s as usize;
            if i != 0 {
                let f = rank[self.fail[s] as usize] as usize;
                table.copy_within(f * stride..(f + 1) * stride, i * stride);
            }
            for e in self.edges[s] as usize..self.edges[s + 1] as usize {
                table[i * stride + of_folded[self.bytes[e] as usize] as usize] =
                    entry(self.next[e]);
            }
        }
        Some(TrieDfa {
            class,
            stride,
            table,
        })
    }

    /// The match `pids[i]` names, ending at `end`.
    #[inline]
    fn found(&self, i: usize, end: usize) -> aho_corasick::Match {
        let pid = self.pids[i] as usize;
        aho_corasick::Match::must(pid, end - self.lens[pid] as usize..end)
    }

    /// The state after `b` from `s` (the root never fails), NONE if `s` has no such
    /// transition.
    #[inline]
    fn step(&self, s: u32, b: u8) -> u32 {
        let row = self.dense_row[s as usize];
        if row != NONE {
            return self.dense[row as usize * 256 + b as usize];
        }
        let (lo, hi) = (
            self.edges[s as usize] as usize,
            self.edges[s as usize + 1] as usize,
        );
        for (i, &x) in self.bytes[lo..hi].iter().enumerate() {
            if x >= b {
                return if x == b { self.next[lo + i] } else { NONE };
            }
        }
        NONE
    }

    pub fn find_overlapping_iter<'a, 'h>(&'a self, haystack: &'h [u8]) -> TrieIter<'a, 'h> {
        TrieIter {
            nfa: self,
            hay: haystack,
            at: 0,
            state: ROOT,
            pending: 0..0,
        }
    }
}

/// Overlapping matches of a [`TrieNfa`].
pub struct TrieIter<'a, 'h> {
    nfa: &'a TrieNfa,
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
                return Some(nfa.found(i, self.at));
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
            nfa,
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
        let back = nfa
            .lens
            .iter()
            .copied()
            .max()
            .unwrap_or(1)
            .saturating_sub(1) as usize;
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
            let s = nfa.order[row as usize / self.stride] as usize;
            let (ms, ml) = nfa.matches[s];
            for i in ms as usize..(ms + ml) as usize {
                f(nfa.found(i, end));
            }
        }
    }
}

/// Overlapping matches of a [`TrieDfa`].
pub struct DfaIter<'a, 'h> {
    dfa: &'a TrieDfa,
    nfa: &'a TrieNfa,
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
                return Some(nfa.found(i, self.at));
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
