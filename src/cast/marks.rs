//! Where one character occurs in a script's source, found in one pass, so per-element gates
//! (`岁` before the age patterns, `们` before the group-address pattern) ask a sorted list
//! instead of searching each element's text again: a dialogue line was searched for `岁`
//! three or four times.

/// The start offsets of one character in a source text.
pub struct Marks {
    /// Start offsets, ascending.
    at: Vec<usize>,
    /// The character's length in bytes.
    len: usize,
}

impl Marks {
    pub fn new(source: &str, c: char) -> Self {
        let mut buf = [0u8; 4];
        let needle = c.encode_utf8(&mut buf).as_bytes();
        Marks {
            at: memchr::memmem::find_iter(source.as_bytes(), needle).collect(),
            len: needle.len(),
        }
    }

    /// The start of the last occurrence lying wholly in the source range `start..start + len`.
    /// For a text `source[start..start + len]` this is `start + text.rfind(c)`: the character
    /// is exactly these bytes in valid UTF-8, and they never start or end inside another
    /// character.
    pub fn last_in(&self, start: usize, len: usize) -> Option<usize> {
        let last_start = (start + len).checked_sub(self.len)?;
        let j = self.at.partition_point(|&p| p <= last_start);
        let p = *self.at.get(j.checked_sub(1)?)?;
        (p >= start).then_some(p)
    }

    /// Whether the text `source[start..start + len]` contains the character.
    pub fn any_in(&self, start: usize, len: usize) -> bool {
        self.last_in(start, len).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The index answers as searching each text would.
        #[test]
        fn marks_agree_with_rfind(
            parts in proptest::collection::vec(prop_oneof![
                Just("岁"), Just("a"), Just("五"), Just("岁岁"), Just("\n"), Just("é"), Just("们"),
            ], 0..40),
            cuts in proptest::collection::vec(any::<proptest::sample::Index>(), 2),
            ascii in any::<bool>(),
        ) {
            let c = if ascii { 'a' } else { '岁' };
            let src: String = parts.concat();
            let bounds: Vec<usize> = (0..=src.len()).filter(|&i| src.is_char_boundary(i)).collect();
            let mut a = *cuts[0].get(&bounds);
            let mut b = *cuts[1].get(&bounds);
            if a > b {
                std::mem::swap(&mut a, &mut b);
            }
            let idx = Marks::new(&src, c);
            let text = &src[a..b];
            prop_assert_eq!(idx.last_in(a, b - a), text.rfind(c).map(|p| a + p));
            prop_assert_eq!(idx.any_in(a, b - a), text.contains(c));
        }
    }

    #[test]
    fn edges() {
        let src = "岁ab岁";
        let m = Marks::new(src, '岁');
        assert_eq!(m.last_in(0, src.len()), Some(5));
        assert_eq!(m.last_in(0, 7), None.or(Some(0)));
        assert!(!m.any_in(1, 0));
        assert!(!m.any_in(3, 2));
        assert!(m.any_in(3, 5));
        assert!(!m.any_in(src.len(), 0));
    }
}
