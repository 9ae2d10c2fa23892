//! Any bytes as a file of a results folder (the first byte chooses which one): the
//! chart readers never panic.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use corridor::report::plot::results;
use libfuzzer_sys::fuzz_target;

fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("corridor-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("temporary folder");
        d
    })
}

const FILES: [&str; 5] = [
    "summary.json",
    "network.json",
    "transit.csv",
    "curve.json",
    "compare.json",
];

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    let name = FILES[which as usize % FILES.len()];
    let d = dir();
    for f in FILES {
        let _ = std::fs::remove_file(d.join(f));
    }
    let path = d.join(name);
    if std::fs::write(&path, body).is_err() {
        return;
    }
    match name {
        "curve.json" => {
            let _ = results::experiment::read_curve(&path);
        }
        "compare.json" => {
            let _ = results::experiment::read_compare(&path);
        }
        "summary.json" => {
            let _ = results::read_run(d);
        }
        "network.json" => {
            let _ = results::read_network(&path);
        }
        _ => {
            let _ = results::read_transit(&path);
        }
    }
});
