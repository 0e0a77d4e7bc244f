//! Zh and en packs are symmetric: each `fixtures/pairs/NAME.txt` (Chinese) and its English
//! version `fixtures/pairs/NAME.fountain` (or `NAME.md`) must draw the same prohibitions in the
//! same scenes.

use dramalint::cast::{Overrides, build};
use dramalint::engine::{Engine, LintOptions};
use dramalint::rules::RuleSet;
use dramalint::script::parse_bytes;
use std::collections::BTreeSet;
use std::path::Path;

fn units(engine: &Engine, path: &Path) -> BTreeSet<(usize, &'static str)> {
    let bytes = std::fs::read(path).unwrap();
    let script = parse_bytes(&path.display().to_string(), &bytes).unwrap();
    let cast = build(&script, &Overrides::default());
    engine
        .lint(&script, &cast, &LintOptions::default())
        .iter()
        .filter(|f| !f.adults_only)
        .filter_map(|f| engine.prohibition(f).map(|p| (f.scene, p.id())))
        .collect()
}

#[test]
fn chinese_and_english_versions_draw_the_same_prohibitions() {
    let engine = Engine::new(RuleSet::defaults().unwrap()).unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pairs");
    let mut pairs = 0;
    let mut mismatches = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let zh = entry.unwrap().path();
        if zh.extension().and_then(|e| e.to_str()) != Some("txt") {
            continue;
        }
        let en = ["fountain", "md"]
            .iter()
            .map(|x| zh.with_extension(x))
            .find(|p| p.exists());
        let Some(en) = en else {
            panic!("{} has no English pair", zh.display());
        };
        pairs += 1;
        let (a, b) = (units(&engine, &zh), units(&engine, &en));
        // Near misses (children in ordinary family and school scenes, adults' business and
        // quarrels) must draw nothing at all.
        let stem = zh.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if stem.starts_with("nearmiss_") && !(a.is_empty() && b.is_empty()) {
            mismatches.push(format!(
                "{}: near miss fired: zh {a:?} en {b:?}",
                zh.display()
            ));
        }
        if a != b {
            mismatches.push(format!("{}: zh {a:?} vs en {b:?}", zh.display()));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    let _ = pairs;
}
