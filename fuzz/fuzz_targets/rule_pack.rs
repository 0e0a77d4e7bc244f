//! Rule packs and configs from others: any text either compiles or gives a located error that
//! renders; it never panics or runs away.
#![no_main]

use dramalint::config::Config;
use dramalint::engine::Engine;
use dramalint::rules::RuleSet;
use dramalint::rules::compile::compile_pack;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match compile_pack("fuzz.yaml", &text) {
        Ok(rules) => {
            let set = RuleSet { rules };
            let _ = Engine::new(set);
        }
        Err(e) => {
            // The CLI renders the error with its source excerpt: that must not panic either.
            let handler = miette::GraphicalReportHandler::new_themed(
                miette::GraphicalTheme::unicode_nocolor(),
            );
            let mut out = String::new();
            let _ = handler.render_report(&mut out, &*e);
        }
    }
    let _ = serde_yaml::from_str::<Config>(&text);
});
