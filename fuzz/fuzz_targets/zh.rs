//! The zh parser: never panics, keeps every span invariant, loses no text.
#![no_main]

mod common;

use dramalint::script::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::parse_and_check(data, Format::Zh);
});
