//! Every form (name or alias) the inventory knows, indexed so a new name finds in constant time
//! the known form [`same_person`] relates it to. Comparing each new name with every known form
//! made a script with thousands of distinct names quadratic (8,000 speakers: seconds).
//!
//! [`same_person`] relates only forms of a fixed shape, so each form is filed under the keys a
//! related name would look up:
//! - Chinese: a name and the forms one or two characters longer that end with it
//!   (`小宝` ~ `林小宝`);
//! - English: a single word and the longer forms whose first word it is (`ZOE` ~ `ZOE STERLING`).
//!
//! Each key keeps only its best form, the one the full comparison would pick: the longest, then
//! the lowest character id, then the earliest form of that character.

use super::hash::FastMap;
use super::names::{is_stop_caps, is_zh, key};

#[cfg(test)]
use super::names::same_person;

/// A known form: its byte length, its character, and its position among the character's forms
/// (0 for the name, then the aliases in order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Form {
    len: usize,
    id: usize,
    order: usize,
}

impl Form {
    /// The form the comparison over every form in order picks: longest, then first seen.
    fn better(self, other: Form) -> bool {
        self.len > other.len
            || (self.len == other.len && (self.id, self.order) < (other.id, other.order))
    }
}

#[derive(Debug, Default)]
pub struct Forms {
    /// Exact form → the first character that has it.
    owner: FastMap<String, usize>,
    /// Chinese form → itself (looked up by the suffixes of a longer name).
    zh_form: FastMap<String, Form>,
    /// Chinese form's suffixes one and two characters shorter (at least two characters) → it.
    zh_suffix: FastMap<String, Form>,
    /// English single-word form's key (not a stop word) → it.
    en_word: FastMap<String, Form>,
    /// English several-word form's first word (of its key) → it.
    en_first: FastMap<String, Form>,
}

fn keep(map: &mut FastMap<String, Form>, k: &str, f: Form) {
    match map.get_mut(k) {
        Some(best) if f.better(*best) => *best = f,
        Some(_) => {}
        None => {
            map.insert(k.to_string(), f);
        }
    }
}

/// The suffix of `s` that is `n` characters shorter, if that leaves at least two.
fn shorter(s: &str, n: usize) -> Option<&str> {
    let count = s.chars().count();
    if count < n + 2 {
        return None;
    }
    s.char_indices().nth(n).map(|(i, _)| &s[i..])
}

impl Forms {
    /// File `form`, the `order`th form of character `id`.
    pub fn add(&mut self, id: usize, order: usize, form: &str) {
        self.owner.entry(form.to_string()).or_insert(id);
        let f = Form {
            len: form.len(),
            id,
            order,
        };
        if is_zh(form) {
            keep(&mut self.zh_form, form, f);
            for n in 1..=2 {
                if let Some(s) = shorter(form, n) {
                    keep(&mut self.zh_suffix, s, f);
                }
            }
        } else {
            let k = key(form);
            let mut words = k.split_whitespace();
            match (words.next(), words.next()) {
                (Some(first), Some(_)) => keep(&mut self.en_first, first, f),
                _ if !k.contains(' ') && !is_stop_caps(&k) => keep(&mut self.en_word, &k, f),
                _ => {}
            }
        }
    }

    /// Whether `form` is exactly one of character `id`'s forms, answered from the index when it
    /// can be (`None`: only the character's own list can tell).
    pub fn is_form_of(&self, id: usize, form: &str) -> Option<bool> {
        match self.owner.get(form) {
            None => Some(false),
            Some(&o) if o == id => Some(true),
            Some(_) => None,
        }
    }

    /// The character whose form `same_person` relates to `name` (either way round), by the
    /// longest such form, then the lowest id and earliest form.
    pub fn related(&self, name: &str) -> Option<usize> {
        let mut best: Option<Form> = None;
        let mut consider = |f: Option<&Form>| {
            if let Some(&f) = f
                && best.is_none_or(|b| f.better(b))
            {
                best = Some(f);
            }
        };
        if is_zh(name) {
            for n in 1..=2 {
                consider(shorter(name, n).and_then(|s| self.zh_form.get(s)));
            }
            if name.chars().count() >= 2 {
                consider(self.zh_suffix.get(name));
            }
        } else {
            let k = key(name);
            let mut words = k.split_whitespace();
            match (words.next(), words.next()) {
                (Some(first), Some(_)) => consider(self.en_word.get(first)),
                _ if !k.contains(' ') && !is_stop_caps(&k) => consider(self.en_first.get(&k)),
                _ => {}
            }
        }
        best.map(|f| f.id)
    }
}

/// The comparison [`Forms::related`] replaces: every form of every character, in order.
#[cfg(test)]
pub fn related_by_scan(forms: &[Vec<String>], name: &str) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (id, fs) in forms.iter().enumerate() {
        for f in fs {
            if f != name && (same_person(f, name) || same_person(name, f)) {
                let len = f.len();
                if best.is_none_or(|(_, l)| len > l) {
                    best = Some((id, len));
                }
            }
        }
    }
    best.map(|(id, _)| id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn index(forms: &[Vec<String>]) -> Forms {
        let mut ix = Forms::default();
        for (id, fs) in forms.iter().enumerate() {
            for (order, f) in fs.iter().enumerate() {
                ix.add(id, order, f);
            }
        }
        ix
    }

    #[test]
    fn short_and_long_forms_relate() {
        let forms = vec![
            vec!["林小宝".to_string()],
            vec!["ZOE STERLING".to_string(), "Zoe Sterling".to_string()],
            vec!["MAX".to_string()],
        ];
        let ix = index(&forms);
        assert_eq!(ix.related("小宝"), Some(0));
        assert_eq!(ix.related("王林小宝"), Some(0));
        assert_eq!(ix.related("宝"), None);
        assert_eq!(ix.related("ZOE"), Some(1));
        assert_eq!(ix.related("Zoe"), Some(1));
        assert_eq!(ix.related("MAX POWER"), Some(2));
        assert_eq!(ix.related("INT"), None);
        assert_eq!(ix.is_form_of(1, "Zoe Sterling"), Some(true));
        assert_eq!(ix.is_form_of(0, "Zoe Sterling"), None);
        assert_eq!(ix.is_form_of(0, "小宝"), Some(false));
    }

    #[test]
    fn longest_then_first_wins() {
        // `小宝` relates to all three; the two longest tie, and the lower id wins.
        let forms = vec![
            vec!["甲小宝".to_string()],
            vec!["乙丙小宝".to_string()],
            vec!["丁戊小宝".to_string()],
        ];
        let ix = index(&forms);
        assert_eq!(ix.related("小宝"), Some(1));
        assert_eq!(related_by_scan(&forms, "小宝"), Some(1));
    }

    /// Names from a small alphabet, so that suffixes, first words and case variants collide.
    fn name() -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::collection::vec(
                prop::sample::select(vec!['小', '宝', '林', '王', 'a', '·']),
                1..6
            )
            .prop_map(|v| v.into_iter().collect::<String>()),
            proptest::collection::vec(
                prop::sample::select(vec!["ZOE", "Zoe", "MAX", "INT", "A", "x"]),
                1..4
            )
            .prop_map(|v| v.join(" ")),
        ]
    }

    proptest! {
        #[test]
        fn index_agrees_with_scan(
            forms in proptest::collection::vec(proptest::collection::vec(name(), 1..4), 0..12),
            queries in proptest::collection::vec(name(), 1..12),
        ) {
            let ix = index(&forms);
            for q in &queries {
                let known = forms.iter().flatten().any(|f| f == q);
                if !known {
                    prop_assert_eq!(ix.related(q), related_by_scan(&forms, q), "query {}", q);
                }
            }
        }
    }
}
