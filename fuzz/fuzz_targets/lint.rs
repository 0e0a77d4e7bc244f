//! The whole per-file pipeline: parse, cast, every default rule, suppressions, diagnostics.
#![no_main]

use dramalint::cast::{self, Overrides};
use dramalint::check::diagnose;
use dramalint::config::Config;
use dramalint::engine::Engine;
use dramalint::rules::RuleSet;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let set = RuleSet::defaults().expect("default packs load");
    Engine::new(set).expect("default engine builds")
});

const NAMES: &[&str] = &["a.txt", "a.fountain", "a.md", "a.fdx"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let text = String::from_utf8_lossy(rest);
    let Ok(script) = dramalint::script::parse_bytes(name, text.as_bytes()) else {
        return;
    };
    let cast = cast::build(&script, &Overrides::default());
    let diags = diagnose(&script, &cast, &ENGINE, &Config::default(), None, None);
    let src = &script.source;
    for d in &diags {
        assert!(d.span.start <= d.span.end && d.span.end <= src.len());
        assert!(src.is_char_boundary(d.span.start) && src.is_char_boundary(d.span.end));
        assert!(d.line >= 1 && d.end_line >= d.line, "{d:?}");
    }
});
