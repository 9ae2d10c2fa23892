//! The conventions people expect of a command: `show`, completions, a man page, colour.

use std::process::Command;

use crate::support::{corridor, root, text};

#[test]
fn show_lists_ids_resources_and_settable_parameters() {
    let o = corridor(&root(), &["show", "scenarios/middle-corridor-2024.toml"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let aktau = out
        .lines()
        .find(|l| l.trim_start().starts_with("aktau "))
        .expect("aktau listed");
    assert!(
        aktau.contains("sea_port") && aktau.contains("servers, service_days"),
        "{aktau}"
    );
    let ferry = out
        .lines()
        .find(|l| l.trim_start().starts_with("aktau-alat "))
        .expect("the Aktau–Alat ferry listed");
    assert!(
        ferry.contains("vessels") && ferry.contains("ferry.vessels"),
        "{ferry}"
    );
    assert!(out.contains("china-turkey"), "flows listed:\n{out}");
}

#[test]
fn show_json_is_valid_and_complete() {
    let o = corridor(
        &root(),
        &["show", "networks/middle-corridor.toml", "--json"],
    );
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let net = corridor::input::load_network(&root().join("networks/middle-corridor.toml")).unwrap();
    assert_eq!(v["nodes"].as_array().unwrap().len(), net.nodes.len());
    assert_eq!(v["legs"].as_array().unwrap().len(), net.legs.len());
    let leg = v["legs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "aktau-alat")
        .unwrap();
    assert!(
        leg["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "ferry.vessels")
    );
}

#[test]
fn completions_and_man_page_are_generated_from_the_command_line() {
    let o = corridor(&root(), &["completions", "bash"]);
    let (out, _) = text(&o);
    assert!(o.status.success() && out.contains("corridor") && out.contains("sweep"));
    let o = corridor(&root(), &["man"]);
    let (out, _) = text(&o);
    assert!(
        o.status.success() && out.contains(".TH corridor 1"),
        "{out}"
    );
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let run = |args: &[&str], no_color: bool| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_corridor"));
        c.args(args).current_dir(root());
        if no_color {
            c.env("NO_COLOR", "1");
        } else {
            c.env_remove("NO_COLOR");
        }
        let o = c.output().unwrap();
        assert_eq!(o.status.code(), Some(1));
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    // A scenario with a misspelt key: an error report with a source excerpt.
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("bad.toml");
    let net = root().join("networks/reference/jackson3.toml");
    let text = std::fs::read_to_string(root().join("scenarios/reference/jackson3.toml"))
        .unwrap()
        .replacen("replications", "replicatoins", 1)
        .replace(
            "../../networks/reference/jackson3.toml",
            net.to_str().unwrap(),
        );
    std::fs::write(&scenario, text).unwrap();
    let file = scenario.to_str().unwrap();
    let always = run(&["--color", "always", "validate", file], true);
    let never = run(&["--color", "never", "validate", file], false);
    let auto = run(&["validate", file], false);
    assert!(
        always.contains("\u{1b}["),
        "--color always colours:\n{always}"
    );
    assert!(
        !never.contains("\u{1b}["),
        "--color never does not:\n{never}"
    );
    assert!(
        !auto.contains("\u{1b}["),
        "auto does not colour a pipe:\n{auto}"
    );
}
