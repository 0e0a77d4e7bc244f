//! Prepares the default rule packs at build time, so a cold `dramalint check` does little more
//! than deserialize them:
//! - converts each pack from YAML to JSON: the binary embeds both, the YAML for messages that
//!   quote a pack, the JSON to load from (parsing JSON takes a tenth of the time YAML does);
//! - parses every regex of the packs and computes the trigger literals of each
//!   (`known_regexes.rs`), which otherwise cost most of a one-file run.

#[path = "src/rules/literals.rs"]
mod literals;
// Not every item is used here (the searches are the binary's).
#[allow(dead_code)]
#[path = "src/automaton/tables.rs"]
mod tables;

use std::fmt::Write as _;
use std::path::Path;

/// Keys of a rule whose entries are regexes (`patterns`) or may be (`re:` cue entries).
const CUE_KEYS: [&str; 4] = ["with", "with_also", "unless", "unless_sentence"];

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo::rerun-if-changed=rules");
    println!("cargo::rerun-if-changed=src/rules/literals.rs");
    println!("cargo::rerun-if-changed=src/automaton/tables.rs");
    let mut regexes = std::collections::BTreeSet::new();
    let mut packs = Vec::new();
    for lang in ["zh", "en"] {
        for pack in [
            "adultification",
            "materialism",
            "vulgarity",
            "extremity",
            "instrumentalization",
        ] {
            let src = format!("rules/{lang}/{pack}.yaml");
            println!("cargo::rerun-if-changed={src}");
            let text = std::fs::read_to_string(&src).unwrap_or_else(|e| panic!("{src}: {e}"));
            // A pack that is not valid YAML is embedded as `null`; loading it then falls back
            // to the YAML parser, which reports the error with its line.
            let value = serde_yaml::from_str::<serde_json::Value>(&text).ok();
            if let Some(v) = &value {
                collect_regexes(v, &mut regexes);
                packs.push(v.clone());
            }
            let json = value.map_or_else(|| "null".into(), |v| v.to_string());
            let dest = Path::new(&out).join(format!("{lang}-{pack}.json"));
            std::fs::write(&dest, json).unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
        }
    }
    let dest = Path::new(&out).join("known_regexes.rs");
    std::fs::write(&dest, known_table(&regexes))
        .unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
    let dest = Path::new(&out).join("trigger_tries.rs");
    std::fs::write(&dest, trigger_tries(&packs))
        .unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
}

/// Every regex of a pack, as compiled (`\b` made ASCII).
fn collect_regexes(pack: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
    let rules = pack.get("rules").and_then(|r| r.as_array());
    for rule in rules.into_iter().flatten() {
        let list = |key: &str| {
            rule.get(key)
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str())
        };
        for p in list("patterns") {
            out.insert(literals::ascii_boundaries(p));
        }
        for key in CUE_KEYS {
            for re in list(key).filter_map(|s| s.strip_prefix("re:")) {
                out.insert(literals::ascii_boundaries(re.trim()));
            }
        }
    }
}

/// The Rust source of `KNOWN_REGEXES`: each regex that parses, with its literal sets,
/// sorted (a BTreeSet of Strings sorts as `str::cmp`, which the lookup's binary search uses).
/// One that does not parse is left out, so loading checks it and reports the error.
fn known_table(regexes: &std::collections::BTreeSet<String>) -> String {
    let mut s = String::from("pub static KNOWN_REGEXES: &[(&str, super::Known)] = &[\n");
    for re in regexes {
        if regex_syntax::ParserBuilder::new()
            .build()
            .parse(re)
            .is_err()
        {
            continue;
        }
        let triggers = literals::trigger_literals(re);
        let factors = literals::required_factors(re, triggers.as_deref());
        let triggers = match triggers {
            None => "None".to_string(),
            Some(set) => format!("Some({})", set_literal(&set)),
        };
        let factors: Vec<String> = factors.iter().map(|f| set_literal(f)).collect();
        let _ = writeln!(
            s,
            "    ({re:?}, super::Known {{ triggers: {triggers}, factors: &[{}] }}),",
            factors.join(", ")
        );
    }
    s.push_str("];\n");
    s
}

/// `&[b"...", ...]`.
fn set_literal(set: &[Vec<u8>]) -> String {
    let items: Vec<String> = set.iter().map(|l| byte_literal(l)).collect();
    format!("&[{}]", items.join(", "))
}

/// `b"..."` with every byte escaped.
fn byte_literal(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 4 + 3);
    s.push_str("b\"");
    for b in bytes {
        let _ = write!(s, "\\x{b:02x}");
    }
    s.push('"');
    s
}

/// The Rust source of the default packs' trigger tries (`trigger_tries.rs`): per language, the
/// trigger words in the order the engine collects them, and the patterns' trigger literals in
/// the order `warm_patterns` (src/rules/compile.rs) lists them, each with its trie's tables, so
/// that a run with the default rules builds neither (see `TrieNfa::embedded`).
fn trigger_tries(packs: &[serde_json::Value]) -> String {
    let mut s = String::from("use super::{Words, tables::View};\n\n");
    let mut all = Vec::new();
    let lists = ["zh", "en"].into_iter().flat_map(|lang| {
        let (all, prefixes) = trigger_words(packs, lang);
        [
            (format!("{lang}_TRIGGERS"), all),
            (format!("{lang}_PREFIXES"), prefixes),
        ]
    });
    for (name, words) in lists {
        let Some(t) = tables::build(&words, true) else {
            continue;
        };
        let name = name.to_uppercase();
        // The words as one string and where each ends: no pointer per word for the loader to
        // relocate at every start.
        let mut ends = Vec::with_capacity(words.len());
        let mut blob = Vec::new();
        for w in &words {
            blob.extend_from_slice(w);
            ends.push(blob.len() as u32);
        }
        let _ = writeln!(
            s,
            "static {name}_WORDS: Words = Words {{ bytes: {}, ends: &{ends:?} }};",
            byte_literal(&blob)
        );
        // `dense` is left out: it is made again at run time (`tables::dense_rows`).
        let _ = writeln!(
            s,
            "static {name}: View<'static> = View {{ fold: &{:?}, dense_row: &{:?}, dense: &[], \
             edges: &{:?}, bytes: &{:?}, next: &{:?}, fail: &{:?}, matches: &{:?}, pids: &{:?}, \
             lens: &{:?}, order: &{:?} }};",
            t.fold,
            t.dense_row,
            t.edges,
            t.bytes,
            t.next,
            t.fail,
            t.matches,
            t.pids,
            t.lens,
            t.order
        );
        all.push(format!("(&{name}_WORDS, &{name})"));
    }
    let _ = writeln!(
        s,
        "/// (words, trie) of each language's default trigger words (ASCII case ignored).\n\
         pub static ALL: &[(&Words, &View<'static>)] = &[{}];",
        all.join(", ")
    );
    s
}

/// One language's trigger words as `Triggers::new` (src/engine/mod.rs) collects them from the
/// default packs: rule by rule in pack order, each rule's keywords lowercased, then the trigger
/// literals of its patterns; each word once, where it first comes. Second, the patterns'
/// trigger literals alone, pattern by pattern, repeats kept (as `warm_patterns` lists them).
/// Should either collect them otherwise, the embedded trie is just not used (the words must be
/// equal).
fn trigger_words(packs: &[serde_json::Value], lang: &str) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let mut prefixes: Vec<Vec<u8>> = Vec::new();
    let mut words: Vec<Vec<u8>> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut add = |w: Vec<u8>| {
        if seen.insert(w.clone()) {
            words.push(w);
        }
    };
    let strings = |v: Option<&serde_json::Value>| -> Vec<String> {
        v.and_then(|v| v.as_array())
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect()
    };
    for pack in packs
        .iter()
        .filter(|p| p.get("lang").and_then(|l| l.as_str()) == Some(lang))
    {
        let rules = pack.get("rules").and_then(|r| r.as_array());
        for rule in rules.into_iter().flatten() {
            for k in strings(rule.get("keywords")) {
                add(k.to_lowercase().into_bytes());
            }
            for p in strings(rule.get("patterns")) {
                let source = literals::ascii_boundaries(&p);
                for l in literals::trigger_literals(&source).into_iter().flatten() {
                    prefixes.push(l.clone());
                    add(l);
                }
            }
        }
    }
    (words, prefixes)
}
