//! Raw bytes through decoding and format detection, as `check` reads a file. The first byte
//! picks the file name (and so the extension-based format choice).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "a.txt",
    "a.fountain",
    "a.md",
    "a.fdx",
    "a.text",
    "a",
    "a.spmd",
    "a.markdown",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    if let Ok(script) = dramalint::script::parse_bytes(name, rest) {
        common::check_spans(&script);
        if script.format != dramalint::script::detect::Format::Fdx {
            common::check_coverage(&script);
        }
    }
});
