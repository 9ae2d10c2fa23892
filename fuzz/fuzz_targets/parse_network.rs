//! Any bytes as a network file: parsing and checking never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = corridor::input::parse_network(text);
        let _ = corridor::input::detect_kind(text);
    }
});
