//! An Aho-Corasick automaton that starts as a contiguous NFA and becomes a DFA once a run has
//! scanned enough text to pay for building it. A one-file run (an editor, a pre-commit hook)
//! never builds the DFA, whose construction over a thousand words costs more than scanning
//! one script with the NFA; a catalogue run builds it after the first megabytes and then scans
//! several times faster. Both kinds report the same matches in the same order.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, BuildError};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes scanned with the NFA before the DFA is built, by default.
pub const DFA_AFTER: usize = 2 << 20;

pub struct Adaptive {
    builder: AhoCorasickBuilder,
    words: Vec<Vec<u8>>,
    nfa: AhoCorasick,
    dfa: OnceLock<Option<AhoCorasick>>,
    scanned: AtomicUsize,
    dfa_after: usize,
}

impl Adaptive {
    /// `builder` sets everything but the kind (match kind, case folding, …).
    pub fn new(
        builder: &AhoCorasickBuilder,
        words: Vec<Vec<u8>>,
        dfa_after: usize,
    ) -> Result<Adaptive, BuildError> {
        // No prefilter for the NFA: building one costs more than it saves on a small run.
        let nfa = builder
            .clone()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .prefilter(false)
            .build(&words)?;
        Ok(Adaptive {
            builder: builder.clone(),
            words,
            nfa,
            dfa: OnceLock::new(),
            scanned: AtomicUsize::new(0),
            dfa_after,
        })
    }

    /// The automaton to scan `len` more bytes with.
    pub fn get(&self, len: usize) -> &AhoCorasick {
        if let Some(d) = self.dfa.get() {
            return d.as_ref().unwrap_or(&self.nfa);
        }
        let seen = self.scanned.fetch_add(len, Ordering::Relaxed) + len;
        if seen < self.dfa_after {
            return &self.nfa;
        }
        self.dfa
            .get_or_init(|| {
                // A DFA over its size limit is no error: the NFA goes on serving.
                self.builder
                    .clone()
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&self.words)
                    .ok()
            })
            .as_ref()
            .unwrap_or(&self.nfa)
    }

    /// The automaton without counting towards the DFA (small, one-off searches).
    pub fn any(&self) -> &AhoCorasick {
        self.dfa.get().and_then(Option::as_ref).unwrap_or(&self.nfa)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::MatchKind;

    fn matches(ac: &AhoCorasick, hay: &str) -> Vec<(usize, usize, usize)> {
        ac.find_iter(hay)
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect()
    }

    #[test]
    fn nfa_then_dfa_give_the_same_matches() {
        let mut b = AhoCorasickBuilder::new();
        b.match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true);
        let words = ["小孩", "孩子", "Kid", "kids"].map(|w| w.as_bytes().to_vec());
        let a = Adaptive::new(&b, words.to_vec(), 10).unwrap();
        let hay = "那个小孩子和KIDS在一起, a kid.";
        let first = matches(a.get(5), hay);
        assert!(a.dfa.get().is_none());
        let second = matches(a.get(100), hay);
        assert!(a.dfa.get().is_some_and(Option::is_some));
        assert_eq!(first, second);
        assert_eq!(first.len(), 3);
        assert_eq!(matches(a.any(), hay), first);
    }
}
