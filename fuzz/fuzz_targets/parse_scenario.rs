//! Any bytes as a scenario file on the shipped Middle Corridor network: parsing,
//! overrides and checks never panic.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use corridor::network::Network;
use libfuzzer_sys::fuzz_target;

fn network() -> &'static Network {
    static NET: OnceLock<Network> = OnceLock::new();
    NET.get_or_init(|| {
        corridor::input::parse_network(include_str!("../../networks/middle-corridor.toml"))
            .expect("the shipped network is valid")
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = corridor::input::parse_scenario(
            text,
            Path::new("scenarios/fuzz.toml"),
            network().clone(),
        );
    }
});
