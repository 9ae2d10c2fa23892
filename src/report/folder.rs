//! Whole results folders: a folder is written into a hidden temporary sibling
//! (`.NAME.tmp-PID-RANDOM` next to `NAME`), every file synced to disk, and then swapped
//! into place in one step, so a reader sees the old run or the new one, never a mix.
//!
//! On Linux the swap is `renameat2(RENAME_EXCHANGE)`: the old folder and the new trade
//! places atomically, and the old one (now under the temporary name) is removed. A run
//! killed at any moment leaves at most a temporary sibling named after its PID, which
//! the next run into the same folder removes once that process is gone. Two runs into
//! one folder each swap in a whole folder; the last to finish wins.
//!
//! A folder that exists, is not empty and holds no `manifest.json` is not a results
//! folder, and is never replaced.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::schema::MANIFEST;

/// A results folder could not be written.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// The operating system refused.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The reason.
        source: io::Error,
    },
    /// The target exists and is not a results folder.
    #[error(
        "{} exists and is not a corridor results folder (it is not empty and holds no {MANIFEST}); choose another --out or remove it",
        path.display()
    )]
    NotResults {
        /// The target.
        path: PathBuf,
    },
    /// The target has no usable folder name (`/`, `..`).
    #[error("{} cannot be a results folder; give a folder name such as results/run", path.display())]
    NoName {
        /// The target.
        path: PathBuf,
    },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> FolderError + '_ {
    move |source| FolderError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A results folder being written: files go into a temporary sibling of the target,
/// which [`Staging::commit`] swaps into place. Dropped without a commit, it removes the
/// temporary folder and leaves the target untouched.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    temp: PathBuf,
    written: Vec<String>,
    committed: bool,
}

impl Staging {
    /// Starts writing the results folder `target`: checks that it may be replaced,
    /// removes leftovers of dead runs beside it and creates the temporary folder.
    pub fn new(target: &Path) -> Result<Staging, FolderError> {
        let name = folder_name(target)?;
        let parent = parent_of(target);
        fs::create_dir_all(&parent).map_err(io_error(&parent))?;
        check_replaceable(target)?;
        remove_stale(&parent, &name);
        let temp = parent.join(format!(
            ".{name}{TMP_MARK}{}-{:016x}",
            std::process::id(),
            random()
        ));
        fs::create_dir(&temp).map_err(io_error(&temp))?;
        Ok(Staging {
            target: target.to_path_buf(),
            temp,
            written: Vec::new(),
            committed: false,
        })
    }

    /// The temporary folder everything is written into.
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// The folder that [`commit`](Staging::commit) replaces.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Writes one file into the temporary folder and syncs it to disk.
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<(), FolderError> {
        let path = self.temp.join(name);
        let mut file = File::create(&path).map_err(io_error(&path))?;
        file.write_all(bytes).map_err(io_error(&path))?;
        file.sync_all().map_err(io_error(&path))?;
        self.written.push(name.to_string());
        Ok(())
    }

    /// Creates one file in the temporary folder, to be written as results stream in
    /// (e.g. `replications.csv` while the replications run); it counts as written,
    /// and [`commit`](Staging::commit) syncs it.
    pub fn create(&mut self, name: &str) -> Result<File, FolderError> {
        let path = self.temp.join(name);
        let file = File::create(&path).map_err(io_error(&path))?;
        self.written.push(name.to_string());
        Ok(file)
    }

    /// Removes from the temporary folder everything but the files written with
    /// [`write`](Staging::write): after charts failed to draw (a full disk), the
    /// folder then holds the new data and no chart, never a part of the charts.
    pub fn keep_only_written(&self) -> Result<(), FolderError> {
        for entry in fs::read_dir(&self.temp).map_err(io_error(&self.temp))? {
            let entry = entry.map_err(io_error(&self.temp))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if !self.written.contains(&name) {
                let path = entry.path();
                let removed = if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    fs::remove_dir_all(&path)
                } else {
                    fs::remove_file(&path)
                };
                removed.map_err(io_error(&path))?;
            }
        }
        Ok(())
    }

    /// Writes the folder's page (`report.html`, from the files written so far, charts
    /// included), syncs every file of the temporary folder and swaps the folder into
    /// place; the old folder, if any, is removed.
    pub fn commit(mut self) -> Result<(), FolderError> {
        let page = crate::report::page::render(&self.temp);
        self.write(crate::report::page::REPORT, page.as_bytes())?;
        sync_tree(&self.temp).map_err(io_error(&self.temp))?;
        check_replaceable(&self.target)?;
        swap(&self.temp, &self.target).map_err(io_error(&self.target))?;
        self.committed = true;
        // The temporary name now holds the old folder (or nothing).
        let _ = fs::remove_dir_all(&self.temp);
        if let Ok(dir) = File::open(parent_of(&self.target)) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
        }
    }
}

/// What marks a temporary sibling: `.NAME` + this + `PID-RANDOM`.
const TMP_MARK: &str = ".tmp-";

fn folder_name(target: &Path) -> Result<String, FolderError> {
    match target.file_name().and_then(|n| n.to_str()) {
        Some(n) if !n.is_empty() && n != "." && n != ".." => Ok(n.to_string()),
        _ => Err(FolderError::NoName {
            path: target.to_path_buf(),
        }),
    }
}

fn parent_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A folder may be replaced if it does not exist, is empty or holds a manifest.
fn check_replaceable(target: &Path) -> Result<(), FolderError> {
    let meta = match fs::symlink_metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_error(target)(e)),
    };
    let not_results = || FolderError::NotResults {
        path: target.to_path_buf(),
    };
    if !meta.is_dir() {
        return Err(not_results());
    }
    if target.join(MANIFEST).is_file() {
        return Ok(());
    }
    let mut entries = fs::read_dir(target).map_err(io_error(target))?;
    match entries.next() {
        None => Ok(()),
        Some(_) => Err(not_results()),
    }
}

/// Removes temporary siblings of `name` in `parent` whose process is gone.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefix = format!(".{name}{TMP_MARK}");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && process_gone(pid) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// True if no process `pid` runs (never true where that cannot be told).
fn process_gone(pid: u32) -> bool {
    let proc = Path::new("/proc");
    proc.join("self").exists() && !proc.join(pid.to_string()).exists()
}

/// A number unlikely to repeat between two folders of one process or two processes.
fn random() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    // SplitMix64 of the time, the PID and a counter.
    let mut z = nanos ^ (u64::from(std::process::id()) << 32) ^ n.wrapping_mul(0x9E37_79B9);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Syncs every file in a folder tree, then the folders.
fn sync_tree(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            sync_tree(&path)?;
        } else {
            File::open(&path)?.sync_all()?;
        }
    }
    File::open(dir)?.sync_all()
}

/// Puts `new` where `target` is, in one step; `new` then names the old folder (or
/// nothing, if there was none).
#[cfg(target_os = "linux")]
fn swap(new: &Path, target: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes()).map_err(|_| io::Error::other("NUL in path"))
    };
    let (from, to) = (c(new)?, c(target)?);
    let rename2 = |flags: libc::c_uint| -> io::Result<()> {
        // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
        let rc = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                from.as_ptr(),
                libc::AT_FDCWD,
                to.as_ptr(),
                flags,
            )
        };
        if rc == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    };
    for _ in 0..100 {
        match rename2(libc::RENAME_EXCHANGE) {
            Ok(()) => return Ok(()),
            Err(e) if e.raw_os_error() == Some(libc::ENOENT) => {
                // No folder yet: move in, unless another run just did.
                match rename2(libc::RENAME_NOREPLACE) {
                    Ok(()) => return Ok(()),
                    Err(e) if e.raw_os_error() == Some(libc::EEXIST) => continue,
                    Err(e) => return Err(e),
                }
            }
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {
                // A file system without RENAME_EXCHANGE.
                return swap_by_renames(new, target);
            }
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("the folder kept changing under us"))
}

#[cfg(not(target_os = "linux"))]
fn swap(new: &Path, target: &Path) -> io::Result<()> {
    swap_by_renames(new, target)
}

/// The portable swap: the old folder is renamed away, then the new one in (a reader
/// may briefly find no folder, never a mixed one).
fn swap_by_renames(new: &Path, target: &Path) -> io::Result<()> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let old = parent_of(target).join(format!(
        ".{name}{TMP_MARK}{}-{:016x}",
        std::process::id(),
        random()
    ));
    for _ in 0..100 {
        match fs::rename(target, &old) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        match fs::rename(new, target) {
            Ok(()) => {
                let _ = fs::rename(&old, new);
                return Ok(());
            }
            // Another run moved its folder in between our two renames: go again.
            Err(_) if target.exists() => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("the folder kept changing under us"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::page::REPORT;

    fn files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_folder_is_replaced_whole() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("res");
        let mut s = Staging::new(&target).unwrap();
        s.write(MANIFEST, b"1").unwrap();
        s.write("chart.svg", b"old chart").unwrap();
        s.commit().unwrap();
        assert_eq!(files(&target), ["chart.svg", MANIFEST, REPORT]);
        // The page is written last, so it lists every file.
        let page = fs::read_to_string(target.join(REPORT)).unwrap();
        assert!(page.contains("chart.svg") && page.contains(MANIFEST));
        let mut s = Staging::new(&target).unwrap();
        s.write(MANIFEST, b"2").unwrap();
        fs::write(s.path().join("half-drawn.png"), b"x").unwrap();
        s.keep_only_written().unwrap();
        // Not committed yet: the old folder is untouched.
        assert_eq!(fs::read(target.join(MANIFEST)).unwrap(), b"1");
        s.commit().unwrap();
        assert_eq!(files(&target), [MANIFEST, REPORT]);
        assert_eq!(fs::read(target.join(MANIFEST)).unwrap(), b"2");
        assert_eq!(files(root.path()), ["res"], "no temporary folder is left");
    }

    #[test]
    fn an_abandoned_write_leaves_the_folder_unchanged() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("res");
        let mut s = Staging::new(&target).unwrap();
        s.write(MANIFEST, b"1").unwrap();
        s.commit().unwrap();
        let mut s = Staging::new(&target).unwrap();
        s.write(MANIFEST, b"2").unwrap();
        drop(s);
        assert_eq!(fs::read(target.join(MANIFEST)).unwrap(), b"1");
        assert_eq!(files(root.path()), ["res"]);
    }

    #[test]
    fn other_folders_are_never_replaced() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("mine");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("thesis.tex"), b"precious").unwrap();
        let err = Staging::new(&target).unwrap_err();
        assert!(
            err.to_string().contains("is not a corridor results folder"),
            "{err}"
        );
        assert!(matches!(
            Staging::new(Path::new("/")),
            Err(FolderError::NoName { .. })
        ));
        // An empty folder may be filled.
        let empty = root.path().join("empty");
        fs::create_dir(&empty).unwrap();
        Staging::new(&empty).unwrap().commit().unwrap();
    }

    #[test]
    fn leftovers_of_dead_runs_are_removed() {
        let root = tempfile::tempdir().unwrap();
        // No process has PID 4294967295 (Linux PIDs stay below 2^22).
        let dead = root.path().join(format!(".res{TMP_MARK}4294967295-0"));
        fs::create_dir(&dead).unwrap();
        let mine = root
            .path()
            .join(format!(".res{TMP_MARK}{}-0", std::process::id()));
        fs::create_dir(&mine).unwrap();
        let other = root.path().join(format!(".other{TMP_MARK}4294967295-0"));
        fs::create_dir(&other).unwrap();
        Staging::new(&root.path().join("res"))
            .unwrap()
            .commit()
            .unwrap();
        let left = files(root.path());
        if Path::new("/proc/self").exists() {
            assert!(!dead.exists(), "{left:?}");
        }
        assert!(mine.exists() && other.exists(), "{left:?}");
    }
}
