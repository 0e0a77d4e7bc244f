//! `rules test`: run every rule's examples through the real pipeline. An `invalid` example that
//! does not fire is "missing"; a `valid` one that fires is "noisy".

use super::{Lang, Rule};
use crate::cast::{self, Overrides};
use crate::engine::{Engine, LintOptions};
use crate::script::{Format, parse_text};

/// One failed example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub rule: String,
    pub origin: String,
    /// `missing` or `noisy`.
    pub kind: &'static str,
    pub example: String,
}

/// The format an example is written in: Chinese plain layout or Fountain.
fn example_format(lang: Lang) -> Format {
    match lang {
        Lang::Zh => Format::Zh,
        Lang::En => Format::Fountain,
    }
}

/// Does `rule` fire on `example`?
pub fn fires(engine: &Engine, rule: &Rule, example: &str) -> bool {
    let script = parse_text(example.to_string(), example_format(rule.lang));
    let cast = cast::build(&script, &Overrides::default());
    engine
        .lint(
            &script,
            &cast,
            &LintOptions {
                lang: Some(rule.lang),
            },
        )
        .iter()
        .any(|f| engine.rules[f.rule].id == rule.id && !f.adults_only)
}

/// Every example of every rule; returns the failures and the number of examples run.
pub fn run(engine: &Engine) -> (Vec<Failure>, usize) {
    let mut failures = Vec::new();
    let mut count = 0;
    for rule in &engine.rules {
        for ex in &rule.examples.invalid {
            count += 1;
            if !fires(engine, rule, ex) {
                failures.push(Failure {
                    rule: rule.id.clone(),
                    origin: rule.origin.clone(),
                    kind: "missing",
                    example: ex.clone(),
                });
            }
        }
        for ex in &rule.examples.valid {
            count += 1;
            if fires(engine, rule, ex) {
                failures.push(Failure {
                    rule: rule.id.clone(),
                    origin: rule.origin.clone(),
                    kind: "noisy",
                    example: ex.clone(),
                });
            }
        }
    }
    (failures, count)
}
