//! Whole results folders under faults: `kill -9` at many moments of a run, SIGTERM
//! and Ctrl-C while it runs or writes, a full disk, and two runs into one `--out` at
//! once. After each, the folder must be exactly the old run or exactly a new one
//! (every file byte for byte that of one complete run), and leftovers of killed runs
//! must be gone after the next run.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{NET, SCENARIO, corridor, text};

/// Runs `corridor run sc.toml --seed SEED --out OUT` (with charts) in `dir` as a
/// child process.
fn spawn(dir: &Path, seed: u64, out: &str, extra: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args([
            "run",
            "sc.toml",
            "--quiet",
            "--seed",
            &seed.to_string(),
            "--out",
            out,
        ])
        .args(extra)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the corridor binary starts")
}

/// Every file of a folder with its bytes, sorted by name; `manifest.json` (which
/// holds the date and wall time) is kept apart.
struct Folder {
    files: Vec<(String, Vec<u8>)>,
    manifest_seed: Option<u64>,
}

fn read_folder(dir: &Path) -> Folder {
    let mut files = Vec::new();
    let mut manifest_seed = None;
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let bytes = fs::read(entry.path()).unwrap();
        if name == "manifest.json" {
            let v: serde_json::Value = serde_json::from_slice(&bytes).expect("manifest is JSON");
            manifest_seed = v["seed"].as_u64();
        }
        files.push((name, bytes));
    }
    files.sort();
    Folder {
        files,
        manifest_seed,
    }
}

impl Folder {
    /// True if this folder is exactly `reference`: the same files, the same bytes
    /// (the manifest's seed only, for `manifest.json`).
    fn is(&self, reference: &Folder) -> bool {
        self.manifest_seed == reference.manifest_seed
            && self.files.len() == reference.files.len()
            && self
                .files
                .iter()
                .zip(&reference.files)
                .all(|(a, b)| a.0 == b.0 && (a.0 == "manifest.json" || a.1 == b.1))
    }

    fn describe(&self) -> String {
        let names: Vec<&str> = self.files.iter().map(|(n, _)| n.as_str()).collect();
        format!("seed {:?}, files {names:?}", self.manifest_seed)
    }
}

/// The hidden temporary siblings in `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

/// A folder with the test network and scenario, and the complete results of seeds 1
/// and 2 (with charts) as references.
fn setup() -> (tempfile::TempDir, [Folder; 2], Duration) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let d = dir.path();
    fs::write(d.join("net.toml"), NET).unwrap();
    fs::write(d.join("sc.toml"), SCENARIO).unwrap();
    let started = Instant::now();
    for seed in [1, 2] {
        let o = spawn(d, seed, &format!("ref{seed}"), &[])
            .wait_with_output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let duration = started.elapsed() / 2;
    let refs = [read_folder(&d.join("ref1")), read_folder(&d.join("ref2"))];
    assert!(
        refs[0].files.iter().any(|(n, _)| n == "map.png"),
        "the reference runs draw charts: {}",
        refs[0].describe()
    );
    (dir, refs, duration)
}

/// Checks that `out` is exactly one of the reference runs; returns its seed.
fn check_whole(out: &Path, refs: &[Folder; 2], when: &str) -> u64 {
    let now = read_folder(out);
    assert!(
        now.is(&refs[0]) || now.is(&refs[1]),
        "{when}: the folder mixes runs: {}",
        now.describe()
    );
    now.manifest_seed.unwrap()
}

#[test]
fn kill_9_at_any_moment_leaves_one_whole_run() {
    let (dir, refs, duration) = setup();
    let d = dir.path();
    let o = spawn(d, 1, "res", &[]).wait_with_output().unwrap();
    assert!(o.status.success());
    let mut seed = 1;
    let kills = 30;
    let mut changed = 0;
    for i in 0..kills {
        let next = 3 - seed;
        let mut child = spawn(d, next, "res", &[]);
        // Kill times spread over the whole run, a little past its usual end.
        std::thread::sleep(duration.mul_f64(1.1 * i as f64 / kills as f64));
        let _ = child.kill();
        let _ = child.wait();
        let now = check_whole(&d.join("res"), &refs, &format!("kill {i}"));
        if now != seed {
            changed += 1;
        }
        seed = now;
    }
    // The next complete run removes the leftovers of the killed ones.
    let next = 3 - seed;
    let o = spawn(d, next, "res", &[]).wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(check_whole(&d.join("res"), &refs, "after"), next);
    assert_eq!(
        leftovers(d),
        Vec::<String>::new(),
        "leftovers of killed runs"
    );
    // Some kills came too late to stop the run, most came before its swap.
    eprintln!("{changed} of {kills} killed runs had swapped their folder in");
}

#[cfg(unix)]
#[test]
fn sigterm_and_ctrl_c_leave_the_folder_unchanged() {
    let (dir, refs, duration) = setup();
    let d = dir.path();
    let o = spawn(d, 1, "res", &[]).wait_with_output().unwrap();
    assert!(o.status.success());
    let mut seed = 1;
    let tries = 12;
    let mut clean = 0;
    for i in 0..tries {
        let (signal, code) = if i % 2 == 0 {
            (libc::SIGTERM, 143)
        } else {
            (libc::SIGINT, 130)
        };
        let next = 3 - seed;
        let child = spawn(d, next, "res", &[]);
        std::thread::sleep(duration.mul_f64(0.9 * i as f64 / tries as f64));
        // SAFETY: the child is ours and still unreaped, so its PID is not reused.
        unsafe { libc::kill(child.id() as libc::pid_t, signal) };
        let o = child.wait_with_output().unwrap();
        let now = check_whole(&d.join("res"), &refs, &format!("signal {i}"));
        match o.status.code() {
            Some(0) => assert_eq!(now, next, "exit 0 means the new run is in place"),
            Some(c) => {
                assert_eq!(c, code, "{}", String::from_utf8_lossy(&o.stderr));
                assert_eq!(now, seed, "an interrupted run changes nothing");
                assert_eq!(leftovers(d), Vec::<String>::new(), "signal {i}");
                clean += 1;
            }
            // A signal before the handlers are installed (at process start) kills it.
            None => assert_eq!(now, seed, "signal {i}: a killed run changes nothing"),
        }
        seed = now;
    }
    assert!(clean > 0, "no run stopped cleanly with exit 130 or 143");
}

#[test]
fn two_runs_into_one_folder_never_mix() {
    let (dir, refs, _) = setup();
    let d = dir.path();
    for pair in 0..10 {
        let a = spawn(d, 1, "res", &[]);
        let b = spawn(d, 2, "res", &[]);
        for child in [a, b] {
            let o = child.wait_with_output().unwrap();
            assert!(
                o.status.success(),
                "pair {pair}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        check_whole(&d.join("res"), &refs, &format!("pair {pair}"));
        assert_eq!(leftovers(d), Vec::<String>::new(), "pair {pair}");
    }
}

#[test]
fn no_plots_into_an_old_folder_leaves_no_old_chart() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("net.toml"), NET).unwrap();
    fs::write(d.join("sc.toml"), SCENARIO).unwrap();
    let o = spawn(d, 1, "res", &[]).wait_with_output().unwrap();
    assert!(o.status.success());
    assert!(d.join("res/map.svg").is_file());
    let o = spawn(d, 2, "res", &["--no-plots"])
        .wait_with_output()
        .unwrap();
    assert!(o.status.success());
    let names: Vec<String> = read_folder(&d.join("res"))
        .files
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.ends_with(".svg") && !n.ends_with(".png")),
        "{names:?}"
    );
}

#[test]
fn a_folder_that_is_not_results_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("net.toml"), NET).unwrap();
    fs::write(d.join("sc.toml"), SCENARIO).unwrap();
    fs::create_dir(d.join("thesis")).unwrap();
    fs::write(d.join("thesis/chapter1.tex"), "precious").unwrap();
    let o = corridor(d, &["run", "sc.toml", "--out", "thesis", "--quiet"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("is not a corridor results folder"), "{err}");
    assert_eq!(
        fs::read_to_string(d.join("thesis/chapter1.tex")).unwrap(),
        "precious"
    );
    assert_eq!(leftovers(d), Vec::<String>::new());
}

/// A small tmpfs mounted for the test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        fs::create_dir_all(at).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(at.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_leaves_the_old_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("net.toml"), NET).unwrap();
    fs::write(d.join("sc.toml"), SCENARIO).unwrap();
    // Room for the data of two runs, not for a run's charts (hundreds of kB).
    let Some(disk) = Tmpfs::mount(&d.join("disk"), "200k") else {
        eprintln!(
            "skipped: cannot mount a tmpfs here (needs root); the full-disk case is untested"
        );
        return;
    };
    let o = spawn(d, 1, "disk/res", &["--no-plots"])
        .wait_with_output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let before = read_folder(&disk.0.join("res"));
    // The new run's data without charts, written where there is room.
    let o = spawn(d, 2, "data2", &["--no-plots"])
        .wait_with_output()
        .unwrap();
    assert!(o.status.success());
    let data2 = read_folder(&d.join("data2"));
    let o = spawn(d, 2, "disk/res", &[]).wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("No space left on device"), "{err}");
    // The disk filled while the charts were drawn: the folder holds the old run, or
    // the new run's data with no chart at all, never a mix.
    let after = read_folder(&disk.0.join("res"));
    assert!(
        after.is(&before) || after.is(&data2),
        "{}",
        after.describe()
    );
    assert_eq!(leftovers(&disk.0), Vec::<String>::new());
    // Data that cannot be written at all leaves the old folder.
    // Fill the disk (the write stops with "no space" once it is full).
    let big = "x".repeat(200_000);
    let _ = fs::write(disk.0.join("filler"), big);
    let o = spawn(d, 1, "disk/res", &["--no-plots"])
        .wait_with_output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    assert!(read_folder(&disk.0.join("res")).is(&after));
    assert_eq!(leftovers(&disk.0), Vec::<String>::new());
}

/// `compare A B` and `compare A C` write two folders, each named after every scenario
/// compared, so the second never draws from the curves the first left behind.
#[test]
fn comparisons_with_different_alternatives_get_their_own_folders() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("net.toml"), NET).unwrap();
    fs::write(d.join("a.toml"), SCENARIO).unwrap();
    for (file, name) in [("b.toml", "bee"), ("c.toml", "sea")] {
        fs::write(
            d.join(file),
            SCENARIO.replace("name = \"test\"", &format!("name = \"{name}\"")),
        )
        .unwrap();
    }
    let short = [
        "--replications",
        "2",
        "--horizon-days",
        "40",
        "--quiet",
        "--no-plots",
    ];
    for alt in ["b.toml", "c.toml"] {
        let mut args = vec!["compare", "a.toml", alt];
        args.extend(short);
        let o = corridor(d, &args);
        assert!(o.status.success(), "{}", text(&o).1);
    }
    let mut folders: Vec<String> = fs::read_dir(d.join("results"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert_eq!(folders, ["compare-test-vs-bee", "compare-test-vs-sea"]);
}
