//! docs/rules.md must match the packs. Regenerate with `DRAMALINT_UPDATE_DOCS=1 cargo test --test docs`.

use dramalint::rules::{RuleSet, docs};

#[test]
fn rule_reference_is_current() {
    let want = docs::render(&RuleSet::defaults().unwrap());
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    if std::env::var_os("DRAMALINT_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/rules.md is stale: run `DRAMALINT_UPDATE_DOCS=1 cargo test --test docs`"
    );
}
