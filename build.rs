//! Prepares the default rule packs at build time, so a cold `dramalint check` does little more
//! than deserialize them:
//! - converts each pack from YAML to JSON: the binary embeds both, the YAML for messages that
//!   quote a pack, the JSON to load from (parsing JSON takes a tenth of the time YAML does);
//! - parses every regex of the packs and computes the trigger literals of each
//!   (`known_regexes.rs`), which otherwise cost most of a one-file run.

#[path = "src/rules/literals.rs"]
mod literals;

use std::fmt::Write as _;
use std::path::Path;

/// Keys of a rule whose entries are regexes (`patterns`) or may be (`re:` cue entries).
const CUE_KEYS: [&str; 4] = ["with", "with_also", "unless", "unless_sentence"];

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo::rerun-if-changed=rules");
    println!("cargo::rerun-if-changed=src/rules/literals.rs");
    let mut regexes = std::collections::BTreeSet::new();
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
            }
            let json = value.map_or_else(|| "null".into(), |v| v.to_string());
            let dest = Path::new(&out).join(format!("{lang}-{pack}.json"));
            std::fs::write(&dest, json).unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
        }
    }
    let dest = Path::new(&out).join("known_regexes.rs");
    std::fs::write(&dest, known_table(&regexes))
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
