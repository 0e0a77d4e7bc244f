//! DOCX extraction (zip + XML), then the plain-layout parse of what comes out.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = dramalint::script::docx::extract_text(data) {
        // Extraction is bounded: a zip bomb must not come out as gigabytes of text.
        assert!(text.len() <= 256 << 20, "extracted {} bytes", text.len());
    }
    if let Ok(script) = dramalint::script::parse_bytes("fuzz.docx", data) {
        common::check_spans(&script);
        common::check_coverage(&script);
    }
});
