//! docs/rules.md, generated from the packs so the reference cannot drift from the rules.

use super::{Prohibition, Rule, RuleSet};

fn code(s: &str) -> String {
    format!(
        "`{}`",
        s.replace('`', "'").replace('\n', "⏎").replace('|', "\\|")
    )
}

fn rule_section(r: &Rule) -> String {
    let mut s = format!("### `{}`\n\n", r.id);
    s.push_str(&format!(
        "- severity: **{}**; reads: {}; who: {}\n",
        r.severity.as_str(),
        r.scope
            .iter()
            .map(|k| format!("{k:?}").to_lowercase())
            .collect::<Vec<_>>()
            .join(", "),
        r.who
            .iter()
            .map(|w| w.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    s.push_str(&format!("- message: {}\n- help: {}\n", r.message, r.help));
    if let Some(d) = &r.description {
        s.push_str(&format!("- what it looks for: {}\n", d.trim()));
    }
    if !r.keywords.is_empty() {
        s.push_str(&format!(
            "- keywords: {}\n",
            r.keywords
                .iter()
                .map(|k| code(k))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !r.patterns.is_empty() {
        s.push_str(&format!(
            "- patterns: {}\n",
            r.patterns
                .iter()
                .map(|p| code(p.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for src in &r.sources {
        s.push_str(&format!("- source: {src}\n"));
    }
    s.push_str("\nFires on:\n\n");
    for e in &r.examples.invalid {
        s.push_str(&format!("- {}\n", code(e)));
    }
    s.push_str("\nDoes not fire on:\n\n");
    for e in &r.examples.valid {
        s.push_str(&format!("- {}\n", code(e)));
    }
    s.push('\n');
    s
}

/// The whole reference.
pub fn render(set: &RuleSet) -> String {
    let mut s = String::from(
        "# dramalint rule reference\n\n<!-- Generated from rules/*/*.yaml by `DRAMALINT_UPDATE_DOCS=1 cargo test --test docs`. Do not edit. -->\n\n",
    );
    s.push_str(&format!(
        "{} rules in the default packs.\n\n",
        set.rules.len()
    ));
    for p in Prohibition::ALL {
        let rules: Vec<&Rule> = set
            .rules
            .iter()
            .filter(|r| r.prohibition == Some(p))
            .collect();
        s.push_str(&format!(
            "## {} · {} ({})\n\n{}\n\n",
            p.id(),
            p.zh(),
            p.en(),
            p.text()
        ));
        for lang in ["zh", "en"] {
            for r in rules.iter().filter(|r| r.lang.as_str() == lang) {
                s.push_str(&rule_section(r));
            }
        }
    }
    s
}
