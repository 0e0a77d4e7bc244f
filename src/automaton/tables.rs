//! The tables of a trie with failure links ([`super::TrieNfa`]), built from a word list. Shared
//! by the binary (word lists of packs from folders, built at run time) and `build.rs`, which
//! builds the default packs' trigger tries at build time and embeds them as static arrays, so
//! a cold run does not build them.

/// No state.
pub const NONE: u32 = u32::MAX;
/// The root (start) state.
pub const ROOT: u32 = 0;

/// Most words or bytes a trie is built for; beyond that (far beyond any rule set) the
/// `aho_corasick` NFA is used, with its own limits and errors.
pub const TRIE_MAX: usize = 1 << 28;

/// States at this depth or less get a dense row (the root and the states after one or two
/// bytes: where the trie is wide, as after the first bytes of a Chinese character).
const DENSE_DEPTH: u32 = 2;

/// A trie's tables, owned (see [`super::TrieNfa`] for what each holds).
pub struct Tables {
    pub fold: [u8; 256],
    pub dense_row: Vec<u32>,
    pub dense: Vec<u32>,
    pub edges: Vec<u32>,
    pub bytes: Vec<u8>,
    pub next: Vec<u32>,
    pub fail: Vec<u32>,
    pub matches: Vec<(u32, u32)>,
    pub pids: Vec<u32>,
    pub lens: Vec<u32>,
    pub order: Vec<u32>,
}

/// A trie's tables, borrowed: from [`Tables`] or from static arrays `build.rs` wrote.
#[derive(Clone, Copy)]
pub struct View<'a> {
    /// Byte → byte as read (ASCII lowercasing, or the identity).
    pub fold: &'a [u8; 256],
    /// Per state: its row in `dense` (states near the root), or NONE.
    pub dense_row: &'a [u32],
    /// Rows of 256 next states (NONE: no transition; the root's missing ones loop to it).
    pub dense: &'a [u32],
    /// Per state: its transitions are `bytes[edges[s]..edges[s + 1]]`, sorted by byte.
    pub edges: &'a [u32],
    pub bytes: &'a [u8],
    pub next: &'a [u32],
    pub fail: &'a [u32],
    /// Per state: (start, len) of its match list in `pids`.
    pub matches: &'a [(u32, u32)],
    pub pids: &'a [u32],
    /// Length of each word.
    pub lens: &'a [u32],
    /// States breadth first (each after its failure state).
    pub order: &'a [u32],
}

impl Tables {
    pub fn view(&self) -> View<'_> {
        View {
            fold: &self.fold,
            dense_row: &self.dense_row,
            dense: &self.dense,
            edges: &self.edges,
            bytes: &self.bytes,
            next: &self.next,
            fail: &self.fail,
            matches: &self.matches,
            pids: &self.pids,
            lens: &self.lens,
            order: &self.order,
        }
    }
}

impl View<'_> {
    /// The state after `b` from `s` (the root never fails), NONE if `s` has no such
    /// transition.
    #[inline]
    pub fn step(&self, s: u32, b: u8) -> u32 {
        step(
            self.dense_row,
            self.dense,
            self.edges,
            self.bytes,
            self.next,
            s,
            b,
        )
    }
}

/// [`View::step`] over the transition tables alone (what building the failure links reads
/// while it writes the rest).
#[inline]
fn step(
    dense_row: &[u32],
    dense: &[u32],
    edges: &[u32],
    bytes: &[u8],
    next: &[u32],
    s: u32,
    b: u8,
) -> u32 {
    let row = dense_row[s as usize];
    if row != NONE {
        return dense[row as usize * 256 + b as usize];
    }
    let (lo, hi) = (edges[s as usize] as usize, edges[s as usize + 1] as usize);
    for (i, &x) in bytes[lo..hi].iter().enumerate() {
        if x >= b {
            return if x == b { next[lo + i] } else { NONE };
        }
    }
    NONE
}

/// The tables of the words' trie; None for a word list it does not take (an empty word,
/// absurd sizes). Built from the words sorted, so the trie takes one pass and no lookups.
pub fn build<W: AsRef<[u8]>>(words: &[W], ascii_case_insensitive: bool) -> Option<Tables> {
    let total: usize = words.iter().map(|w| w.as_ref().len()).sum();
    if words.iter().any(|w| w.as_ref().is_empty()) || words.len() >= TRIE_MAX || total >= TRIE_MAX {
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
            let w = w.as_ref();
            if w.iter().all(|&b| fold[b as usize] == b) {
                std::borrow::Cow::Borrowed(w)
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
    for (row, s) in (0..n).filter(|&s| depth[s] <= DENSE_DEPTH).enumerate() {
        dense_row[s] = row as u32;
    }
    let dense = dense_rows(&dense_row, &edges, &bytes, &next);
    let mut t = Tables {
        fold,
        dense_row,
        dense,
        edges,
        bytes,
        next,
        fail: vec![ROOT; n],
        matches: vec![(0, 0); n],
        pids: Vec::with_capacity(words.len()),
        lens: words.iter().map(|w| w.as_ref().len() as u32).collect(),
        order: Vec::new(),
    };
    link(&mut t, &own);
    Some(t)
}

/// The dense rows of the states `dense_row` gives one (numbered in state order), from their
/// transitions. `build.rs` leaves them out of the embedded tables (a third of their size):
/// they are made again in a few thousand instructions.
pub fn dense_rows(dense_row: &[u32], edges: &[u32], bytes: &[u8], next: &[u32]) -> Vec<u32> {
    let rows = dense_row.iter().filter(|&&r| r != NONE).count();
    let mut dense = vec![NONE; rows * 256];
    for (s, &row) in dense_row.iter().enumerate().filter(|(_, r)| **r != NONE) {
        let at = row as usize * 256;
        if s == ROOT as usize {
            // The root's missing transitions loop to it.
            dense[at..at + 256].fill(ROOT);
        }
        for e in edges[s] as usize..edges[s + 1] as usize {
            dense[at + bytes[e] as usize] = next[e];
        }
    }
    dense
}

/// Failure links and match lists, breadth first: a state's failure state is shallower, so its
/// list is complete when the state's is made. Each state's match list is its own words (in
/// index order) followed by its failure state's list, which is how `aho_corasick` orders them.
fn link(t: &mut Tables, own: &[(u32, u32)]) {
    let n = t.fail.len();
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
        for e in t.edges[s as usize] as usize..t.edges[s as usize + 1] as usize {
            let (b, c) = (t.bytes[e], t.next[e]);
            queue.push(c);
            let f = if s == ROOT {
                ROOT
            } else {
                let mut f = t.fail[s as usize];
                loop {
                    let x = step(&t.dense_row, &t.dense, &t.edges, &t.bytes, &t.next, f, b);
                    if x != NONE {
                        break x;
                    }
                    f = t.fail[f as usize];
                }
            };
            t.fail[c as usize] = f;
            let (o, k) = own_at[c as usize];
            let inherited = t.matches[f as usize];
            t.matches[c as usize] = if k == 0 {
                inherited
            } else {
                let start = t.pids.len();
                t.pids
                    .extend(own[o as usize..(o + k) as usize].iter().map(|&(_, p)| p));
                let (fs, fl) = (inherited.0 as usize, inherited.1 as usize);
                t.pids.extend_from_within(fs..fs + fl);
                (start as u32, (t.pids.len() - start) as u32)
            };
        }
    }
    t.order = queue;
}
