//! Every example of every shipped rule: `invalid` ones fire, `valid` ones do not.

use dramalint::engine::Engine;
use dramalint::rules::{RuleSet, verify};

#[test]
fn every_default_rule_example_behaves() {
    let engine = Engine::new(RuleSet::defaults().unwrap()).unwrap();
    let (failures, count) = verify::run(&engine);
    let report: Vec<String> = failures
        .iter()
        .map(|f| format!("{} {}: {}", f.kind, f.rule, f.example))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {count} examples failed:\n{}",
        failures.len(),
        report.join("\n")
    );
}

#[test]
fn every_rule_has_two_examples_each_way() {
    let set = RuleSet::defaults().unwrap();
    for r in &set.rules {
        assert!(
            r.examples.invalid.len() >= 2,
            "{} needs two invalid examples",
            r.id
        );
        assert!(
            r.examples.valid.len() >= 2,
            "{} needs two valid examples",
            r.id
        );
    }
}

#[test]
fn packs_are_symmetric_by_rule_name() {
    let set = RuleSet::defaults().unwrap();
    let names = |lang: &str| -> std::collections::BTreeSet<String> {
        set.rules
            .iter()
            .filter(|r| r.lang.as_str() == lang)
            .map(|r| {
                r.id.split_once('.')
                    .map(|x| x.1.to_string())
                    .unwrap_or_default()
            })
            .collect()
    };
    assert_eq!(
        names("zh"),
        names("en"),
        "zh and en packs should mirror each other"
    );
}
